"""Dates in answers, document versions (SUPERSEDES) and as-of questions, on both stores."""
from __future__ import annotations

import pytest

from policykg.graph.model import Label


def test_versions_answers_carry_due_and_period(embedded_store, fragments):
    due = {m.id: m.due for m in fragments["004"].by_label(Label.MEASURE) if m.due}
    assert due
    page = embedded_store.search_measures(document="004_d5aede44cc1d1e58.txt", limit=1000)
    got = {m.id: m.due for m in page.items if m.due}
    assert got == due
    docs = {d.file: d for d in embedded_store.documents()}
    doc = next(d for d in fragments["004"].by_label(Label.DOCUMENT) if d.file)
    out = docs[doc.file]
    assert (out.in_force_from, out.in_force_until, out.sha256) == (doc.in_force_from, doc.in_force_until, doc.sha256)
    assert out.sha256 and len(out.sha256) == 64
