"""Fixtures from the real documents of the sample corpus."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "corpus"
SHARED = ROOT.parent / "shared"
IN_CI = os.environ.get("CI") == "true"


def seed(prefix: str) -> Path:
    return next(CORPUS.glob(f"{prefix}_*.txt"))


@pytest.fixture(scope="session")
def corpus() -> Path:
    return CORPUS


@pytest.fixture(scope="session")
def nlp():
    from policykg.extractors.pipeline import build_nlp

    return build_nlp()


@pytest.fixture(scope="session")
def fragments(nlp):
    """Each seed's extracted fragment, by its number prefix (000 … 004)."""
    from policykg.extractors.pipeline import extract_file

    return {p.name[:3]: extract_file(p, nlp) for p in sorted(CORPUS.glob("*.txt"))}


@pytest.fixture(scope="session")
def merged(fragments):
    from policykg.graph.model import GraphFragment

    out = GraphFragment()
    for frag in fragments.values():
        out.extend(frag)
    return out


@pytest.fixture(scope="session")
def embedded_store(tmp_path_factory, fragments):
    from policykg.graph.embedded import EmbeddedStore

    store = EmbeddedStore(tmp_path_factory.mktemp("embedded"))
    for frag in fragments.values():
        store.load(frag)
    store.link_implements()
    yield store
    store.close()


@pytest.fixture(scope="module")
def neo4j_store(fragments):
    """The seeds in a wiped test Neo4j (one per module: each module may write to it)."""
    from neo4j_support import fresh_neo4j_store

    store = fresh_neo4j_store()
    for frag in fragments.values():
        store.load(frag)
    store.link_implements()
    yield store
    store.close()


def text_of(prefix: str) -> str:
    from policykg.extractors.text import read_source

    return read_source(seed(prefix)).text
