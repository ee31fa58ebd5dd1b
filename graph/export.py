"""APOC JSON-lines export (`apoc.export.json.all`): one node or relationship record a line."""
from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Any, Iterable, Iterator

from policykg.graph.model import GraphFragment, Label


def node_record(label: str, node_id: str, props: dict[str, Any]) -> dict[str, Any]:
    return {"type": "node", "id": node_id, "labels": [label], "properties": props}


def rel_record(rel_type: str, start: str, start_label: str, end: str, end_label: str,
               props: dict[str, Any]) -> dict[str, Any]:
    return {"type": "relationship", "id": f"{rel_type}:{start}:{end}", "label": rel_type,
            "start": {"id": start, "labels": [start_label]},
            "end": {"id": end, "labels": [end_label]}, "properties": props}


def fragment_records(frag: GraphFragment) -> Iterator[dict[str, Any]]:
    """Records of a fragment, nodes first, in a stable order."""
    for node_id in sorted(frag.nodes):
        node = frag.nodes[node_id]
        yield node_record(node.label.value, node.id, node.properties())
    for key in sorted(frag.relationships):
        rel = frag.relationships[key]
        yield rel_record(rel.type.value, rel.start, frag.nodes[rel.start].label.value,
                         rel.end, frag.nodes[rel.end].label.value, rel.properties())


def write_records(records: Iterable[dict[str, Any]], path: str | Path, fsync: bool = False) -> int:
    """Write records atomically (a temporary file renamed into place); returns the count.
    With `fsync`, the file's data is on disk before the rename."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=path.name + ".", suffix=".tmp", dir=path.parent)
    count = 0
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            for rec in records:
                fh.write(json.dumps(rec, ensure_ascii=False, sort_keys=True))
                fh.write("\n")
                count += 1
            if fsync:
                fh.flush()
                os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return count


def read_records(path: str | Path) -> list[dict[str, Any]]:
    with open(path, encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


LABELS = [label.value for label in Label]
