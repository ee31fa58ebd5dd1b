"""Answers and records as tests compare them: `loaded_at` is a clock reading of each
store's own load (when a version was first loaded), not content."""
from __future__ import annotations

import json
from typing import Any, Iterable


def comparable(value: Any) -> Any:
    """A question's answer (models, lists of them, dicts, None) as plain data without `loaded_at`."""
    if hasattr(value, "model_dump"):
        value = value.model_dump()
    if isinstance(value, dict):
        return {k: comparable(v) for k, v in value.items() if k != "loaded_at"}
    if isinstance(value, list):
        return [comparable(v) for v in value]
    return value


def without_load_times(records: Iterable[dict[str, Any]]) -> list[str]:
    """Records as JSON lines, sorted, without `loaded_at`."""
    out = []
    for r in records:
        if r["type"] == "node":
            r = dict(r, properties={k: v for k, v in r["properties"].items() if k != "loaded_at"})
        out.append(json.dumps(r, sort_keys=True, ensure_ascii=False))
    return sorted(out)
