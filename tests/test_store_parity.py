"""One suite, two stores: the embedded store and Neo4j answer alike over the seed corpus."""
import pytest

from comparing import comparable, without_load_times
from policykg.graph.questions import QUESTIONS


pytestmark = pytest.mark.neo4j


@pytest.fixture(scope="module")
def stores(embedded_store, neo4j_store):
    return embedded_store, neo4j_store


def _same(stores, method, *args, **kwargs):
    a, b = (s.ask(method, *args, **kwargs) for s in stores)
    assert comparable(a) == comparable(b), f"{method}{args}{kwargs} differs"
    return a


def _records(store):
    return without_load_times(store.records())


def test_store_parity_export_is_identical(stores):
    embedded, neo = stores
    assert _records(embedded) == _records(neo)
    assert embedded.counts() == neo.counts()


@pytest.mark.parametrize("name", sorted(QUESTIONS))
def test_store_parity_every_question(stores, name):
    """Every defined question, asked with its examples (graph/questions.py), answers alike."""
    embedded, _ = stores
    asked = 0
    for params in QUESTIONS[name].examples(embedded):
        _same(stores, name, **params)
        asked += 1
    assert asked, f"question {name} has no examples"


def test_store_parity_asks_with_the_answers_checked(stores):
    """The examples reach real answers: not only unknown subjects and empty lists."""
    embedded, _ = stores
    assert len(embedded.search_measures(limit=10_000).items) > 250
    for name in ("backers", "provisions", "agency_measures", "region_measures", "measures_due", "suspended_provisions",
                 "documents_in_force", "provision_measures", "partners", "versions"):
        answers = [embedded.ask(name, **p) for p in QUESTIONS[name].examples(embedded)]
        assert any(answers), f"{name}: every example answers nothing"
        assert None in answers or name in ("measures_due", "documents_in_force", "provision_measures"), \
            f"{name}: no example asks about an unknown subject"


def test_store_neo4j_loading_twice_changes_nothing(neo4j_store, fragments):
    before = _records(neo4j_store)
    for frag in fragments.values():
        neo4j_store.load(frag)
    assert _records(neo4j_store) == before


def test_store_neo4j_schema_has_constraints_and_cjk_index(neo4j_store):
    with neo4j_store.driver.session() as s:
        constraints = {r["name"] for r in s.run("SHOW CONSTRAINTS")}
        indexes = {r["name"]: r for r in s.run("SHOW INDEXES YIELD name, type, options")}
    assert {"document_id", "measure_id", "agency_id", "region_id", "provision_id"} <= constraints
    assert indexes["measure_text"]["type"] == "FULLTEXT"
    assert indexes["measure_text"]["options"]["indexConfig"]["fulltext.analyzer"] == "cjk"
    with neo4j_store.driver.session() as s:
        hits = s.run("CALL db.index.fulltext.queryNodes('measure_text', '多式联运') YIELD node RETURN node.text AS t").value()
    assert any("多式联运" in t for t in hits)


def test_store_neo4j_failed_document_leaves_nothing(neo4j_store, monkeypatch, nlp):
    from pathlib import Path

    from policykg.errors import PolicyKGError
    from policykg.extractors.pipeline import extract_file
    from policykg.graph import neo4j_store as mod

    frag = extract_file(Path(__file__).parent / "fixtures" / "genre_forms.txt", nlp)
    before = neo4j_store.counts()
    real = mod.cypher

    def broken(name):   # the relationship batch fails after the node batches ran
        return "UNWIND $rows AS row RETURN 1/0 AS boom" if name == "merge_relationships" else real(name)

    monkeypatch.setattr(mod, "cypher", broken)
    with pytest.raises(PolicyKGError):
        neo4j_store.load(frag)
    monkeypatch.setattr(mod, "cypher", real)
    assert neo4j_store.counts() == before
    with neo4j_store.driver.session() as s:
        assert s.run("MATCH (m:Measure {document: 'genre_forms.txt'}) RETURN count(m) AS n").single()["n"] == 0
