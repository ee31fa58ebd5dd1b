"""One suite, two stores: the embedded store and Neo4j answer alike over the seed corpus."""
import json

import pytest


pytestmark = pytest.mark.neo4j




@pytest.fixture(scope="module")
def stores(embedded_store, neo4j_store):
    return embedded_store, neo4j_store


def _dump(value):
    """A result as compared: `loaded_at` is a clock reading of each store's own load."""
    if isinstance(value, list):
        return [_dump(v) for v in value]
    if value is None:
        return None
    return _without_load_times(value.model_dump())


def _without_load_times(value):
    if isinstance(value, dict):
        return {k: _without_load_times(v) for k, v in value.items() if k != "loaded_at"}
    if isinstance(value, list):
        return [_without_load_times(v) for v in value]
    return value


def _same(stores, method, *args, **kwargs):
    a, b = (getattr(s, method)(*args, **kwargs) for s in stores)
    assert _dump(a) == _dump(b), f"{method}{args}{kwargs} differs"
    return a


def _records(store):
    from test_versions import without_load_times

    return without_load_times(store.records())


def test_store_parity_export_is_identical(stores):
    embedded, neo = stores
    assert _records(embedded) == _records(neo)
    assert embedded.counts() == neo.counts()


@pytest.mark.parametrize("query", [
    {}, {"q": "人民币"}, {"q": "服务贸易 统计"}, {"kind": "opening"}, {"kind": "safeguard", "limit": 5, "offset": 5},
    {"agency": "商务部"}, {"agency": "天津市商务委员会", "kind": "action"}, {"region": "广东省"},
    {"document": "004_d5aede44cc1d1e58.txt", "q": "单一窗口"}, {"q": "不存在的词语"},
    # single characters and Latin go by scan, Han runs through the full-text index
    {"q": "港"}, {"q": "FT"}, {"q": "自由贸易 FT"}, {"q": "服务贸易", "offset": 3, "limit": 4},
])
def test_store_parity_search(stores, query):
    _same(stores, "search_measures", **query)


def test_store_parity_every_measure(stores):
    embedded, _ = stores
    ids = [m.id for m in embedded.search_measures(limit=10_000).items]
    assert len(ids) > 250
    for mid in ids:
        _same(stores, "measure", mid)
        _same(stores, "backers", mid)
        _same(stores, "provisions", mid)
    for method in ("measure", "backers", "provisions"):
        assert _same(stores, method, "m-unknown") is None


def test_store_parity_agencies_regions_documents(stores):
    agencies = _same(stores, "agencies")
    for a in agencies:
        for role in (None, "lead", "cooperate"):
            _same(stores, "agency_measures", a.id, role)
        _same(stores, "agency", a.id)
    for r in _same(stores, "regions"):
        _same(stores, "region_measures", r.id)
    _same(stores, "documents")
    _same(stores, "opening_measures")


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


def test_store_parity_completions(stores):
    for a in _same(stores, "agencies")[:10]:
        _same(stores, "partners", a.id)
    for r in _same(stores, "regions"):
        _same(stores, "region_rollup", r.id)
    for u in _same(stores, "provision_uses"):
        _same(stores, "provision_measures", u.provision.instrument)
        _same(stores, "provision_measures", u.provision.instrument, u.provision.article)
    embedded, _ = stores
    for m in embedded.search_measures(limit=15).items:
        for depth in (1, 2):
            _same(stores, "graph", m.id, depth, 100)
    assert _same(stores, "graph", "nope", 1, 10) is None


@pytest.mark.parametrize("on", ["2018-06-30", "2018-07-01", "2019-01-01", "2020-06-30", "2020-07-01"])
def test_store_parity_as_of_a_date(stores, on):
    _same(stores, "documents_in_force", on)
    for r in _same(stores, "regions"):
        _same(stores, "suspended_provisions", r.id, on)
    _same(stores, "suspended_provisions", "广东省", on)
    assert _same(stores, "suspended_provisions", "不存在的地区", on) is None


def test_store_parity_measures_due(stores):
    regions = _same(stores, "regions")
    for before in ("2018-09-30", "2018-12-31", "2020-12-31"):
        assert _same(stores, "measures_due", before) or before == "2018-09-30"
        for r in regions[:12]:
            _same(stores, "measures_due", before, region=r.id)
        _same(stores, "measures_due", before, region="天津市")
    for a in _same(stores, "agencies")[:12]:
        for role in (None, "lead", "cooperate"):
            _same(stores, "measures_due", "2020-12-31", agency=a.id, role=role)
        _same(stores, "measures_due", "2020-12-31", agency=a.name, region="天津市")
    assert _same(stores, "measures_due", "2020-12-31", agency="没有这个机构") == []
