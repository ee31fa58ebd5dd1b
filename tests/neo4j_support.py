"""Access to the test Neo4j server: POLICYKG_TEST_NEO4J_URI (set by scripts/test from
scripts/neo4j-local). Tests never touch the user's NEO4J_URI, since they wipe the database."""
from __future__ import annotations

import os

import pytest

from conftest import IN_CI


def test_neo4j_settings() -> dict | None:
    uri = os.environ.get("POLICYKG_TEST_NEO4J_URI")
    if not uri:
        return None
    return {"uri": uri, "user": os.environ.get("POLICYKG_TEST_NEO4J_USER", "neo4j"),
            "password": os.environ.get("POLICYKG_TEST_NEO4J_PASSWORD", "")}


test_neo4j_settings.__test__ = False


def require_neo4j() -> dict:
    cfg = test_neo4j_settings()
    if cfg is None:
        if IN_CI:
            pytest.fail("CI=true but no test Neo4j: scripts/test must start scripts/neo4j-local")
        pytest.skip("no test Neo4j (run `make test`, or set POLICYKG_TEST_NEO4J_URI)")
    return cfg


def fresh_neo4j_store():
    from policykg.graph.neo4j_store import Neo4jStore

    cfg = require_neo4j()
    store = Neo4jStore(cfg["uri"], cfg["user"], cfg["password"])
    store.delete_all()
    return store
