"""Dates in answers, document versions (SUPERSEDES) and as-of questions, on both stores."""
from __future__ import annotations

from pathlib import Path

import pytest

from comparing import comparable, without_load_times
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


# ---------------------------------------------------------------- versions
OLD_TEXT = "探索创新技术贸易管理模式。"
NEW_TEXT = "探索创新数字贸易管理模式。"
DROPPED = "逐步将有关服务贸易管理事项纳入国际贸易“单一窗口”。"


def revised_file(directory: Path, prefix: str = "002") -> Path:
    """The seed again, under its own file name, with one measure reworded and one dropped."""
    from conftest import seed

    src = seed(prefix)
    text = src.read_text(encoding="utf-8")
    assert OLD_TEXT in text and DROPPED in text
    out = directory / src.name
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(text.replace(OLD_TEXT, NEW_TEXT).replace(DROPPED, ""), encoding="utf-8")
    return out


@pytest.fixture(scope="module")
def revised(tmp_path_factory, nlp):
    from policykg.extractors.pipeline import extract_file

    return extract_file(revised_file(tmp_path_factory.mktemp("revised")), nlp)


@pytest.fixture(scope="module")
def reference(tmp_path_factory, fragments, revised):
    """A store that only ever saw the current versions: what every current answer must be."""
    from policykg.graph.embedded import EmbeddedStore

    store = EmbeddedStore(tmp_path_factory.mktemp("reference"))
    for key, frag in fragments.items():
        store.load(revised if key == "002" else frag)
    store.link_implements()
    yield store
    store.close()


def _embedded(tmp_path_factory):
    from policykg.graph.embedded import EmbeddedStore

    return EmbeddedStore(tmp_path_factory.mktemp("versioned"))


def _neo4j(tmp_path_factory):
    from neo4j_support import fresh_neo4j_store

    return fresh_neo4j_store()


@pytest.fixture(scope="module", params=["embedded", pytest.param("neo4j", marks=pytest.mark.neo4j)])
def versioned(request, tmp_path_factory, fragments, revised):
    """Every seed loaded, then 002 again with new content."""
    store = (_embedded if request.param == "embedded" else _neo4j)(tmp_path_factory)
    for frag in fragments.values():
        store.load(frag)
    store.link_implements()
    store.before = {d.id: d for d in store.documents()}
    store.load(revised)
    store.link_implements()
    yield store
    store.close()


def _doc_002(store):
    return next(d for d in store.documents() if d.file.startswith("002_"))


def test_versions_current_answers_come_from_current_versions(versioned, reference):
    for method, args in [("search_measures", {"limit": 10_000}), ("search_measures", {"q": "贸易"}),
                         ("agencies", {}), ("regions", {}), ("documents", {}), ("opening_measures", {}),
                         ("provision_uses", {})]:
        assert comparable(getattr(versioned, method)(**args)) == comparable(getattr(reference, method)(**args)), method
    for a in reference.agencies()[:15]:
        for role in (None, "lead"):
            assert comparable(versioned.agency_measures(a.id, role)) == comparable(reference.agency_measures(a.id, role))
        assert comparable(versioned.partners(a.id)) == comparable(reference.partners(a.id))
        assert comparable(versioned.agency(a.id)) == comparable(reference.agency(a.id))
    for r in reference.regions():
        assert comparable(versioned.region_rollup(r.id)) == comparable(reference.region_rollup(r.id))
        assert comparable(versioned.region_measures(r.id)) == comparable(reference.region_measures(r.id))
    for u in reference.provision_uses():
        assert (comparable(versioned.provision_measures(u.provision.instrument))
                == comparable(reference.provision_measures(u.provision.instrument)))
    texts = {m.text for m in versioned.search_measures(document=_doc_002(versioned).file, limit=10_000).items}
    assert NEW_TEXT.rstrip("。") in "".join(texts) and not any(DROPPED.rstrip("。") in t for t in texts)


def test_versions_older_version_stays_as_history(versioned, revised):
    current = _doc_002(versioned)
    old = versioned.before[current.id]
    assert current.sha256 != old.sha256 and current.sha256 == next(
        d.sha256 for d in revised.by_label(Label.DOCUMENT) if d.sha256)
    versions = versioned.versions(current.id)
    assert [v.sha256 for v in versions] == [current.sha256, old.sha256]
    assert versions[0].id == current.id and versions[0].version_of is None
    assert versions[1].id == f"{current.id}@{old.sha256[:12]}" and versions[1].version_of == current.id
    assert versions[1].measures == old.measures and versions[0].measures == current.measures
    assert all(v.loaded_at for v in versions) and versions[1].loaded_at == old.loaded_at
    assert comparable(versioned.versions(versions[1].id)) == comparable(versions)
    assert versioned.versions("doc-unknown") is None
    # the old version's measures keep their text, agencies and provisions
    suffix = versions[1].id[len(current.id):]
    dropped = versioned.search_measures(q="单一窗口", document=old.file).items
    assert not any(DROPPED.rstrip("。") in m.text for m in dropped)
    history = [r for r in versioned.records() if r["type"] == "node" and r["id"].endswith(suffix)]
    assert len(history) == old.measures + 1
    m = next(r for r in history if DROPPED.rstrip("。") in r["properties"].get("text", ""))
    assert m["properties"]["version_of"] + suffix == m["id"]
    assert versioned.measure(m["id"]).text == m["properties"]["text"]
    rels = {(r["label"], r["start"]["id"], r["end"]["id"]) for r in versioned.records() if r["type"] == "relationship"}
    assert ("SUPERSEDES", current.id, versions[1].id) in rels
    assert not any(t == "CITES" and e == versions[1].id for t, _, e in rels)


def test_versions_loading_unchanged_content_again_changes_nothing(versioned, fragments, revised):
    before = sorted(map(repr, versioned.records()))
    versioned.load(revised)
    versioned.load(fragments["004"])
    assert sorted(map(repr, versioned.records())) == before


def test_versions_content_coming_back_is_a_third_version(tmp_path, fragments, revised):
    from policykg.graph.embedded import EmbeddedStore

    store = EmbeddedStore(tmp_path)
    for frag in (fragments["002"], revised, fragments["002"], revised):
        store.load(frag)
    doc = _doc_002(store)
    ids = [v.id for v in store.versions(doc.id)]
    assert len(ids) == 4 and len(set(ids)) == 4 and ids[1] == ids[3] + ".2"
    store.close()
    again = EmbeddedStore(tmp_path)     # the snapshot and the journal replay agree
    assert [v.id for v in again.versions(doc.id)] == ids
    assert comparable(again.agencies()) == comparable(store.agencies())
    again.close()


def test_versions_export_same_in_both_stores(versioned, tmp_path_factory, fragments, revised):
    store = _embedded(tmp_path_factory)
    for frag in fragments.values():
        store.load(frag)
    store.link_implements()
    store.load(revised)
    store.link_implements()
    assert without_load_times(versioned.records()) == without_load_times(store.records())
    assert versioned.counts() == store.counts() and store.counts()["SUPERSEDES"] == 1
    store.close()


def test_versions_tables_show_current_versions(versioned, reference):
    from policykg.graph import exports

    got = {t.name: t.rows for t in exports.tables(versioned.records())}
    want = {t.name: t.rows for t in exports.tables(reference.records())}
    assert got.keys() == want.keys()
    for name in got:
        assert got[name] == want[name], name


def test_versions_api_lists_versions_newest_first(tmp_path, fragments, revised):
    from fastapi.testclient import TestClient

    from policykg.api.app import create_app
    from policykg.graph.embedded import EmbeddedStore

    store = EmbeddedStore(tmp_path)
    store.load(fragments["002"])
    store.load(revised)
    with TestClient(create_app(store=store)) as client:
        doc = next(d for d in client.get("/documents").json() if d["file"].startswith("002_"))
        assert doc["sha256"] and doc["loaded_at"]
        versions = client.get(f"/documents/{doc['id']}/versions").json()
        assert [v["id"] for v in versions][0] == doc["id"] and len(versions) == 2
        assert versions[1]["version_of"] == doc["id"] and versions[1]["measures"] > versions[0]["measures"] - 5
        assert client.get(f"/documents/{versions[1]['id']}/versions").json() == versions
        assert client.get(f"/graph?node={versions[1]['id']}").status_code == 200
        assert client.get("/documents/doc-nope/versions").status_code == 404


# ---------------------------------------------------------------- as-of questions
def test_versions_measures_due_by_a_date(embedded_store):
    due = embedded_store.measures_due("2018-12-31")
    assert due and all(m.due <= "2018-12-31" for m in due)
    assert [m.due for m in due] == sorted(m.due for m in due)
    later = embedded_store.measures_due("2030-12-31")
    assert {m.id for m in due} < {m.id for m in later}
    lead = embedded_store.measures_due("2030-12-31", agency="天津市商务委员会", role="lead")
    assert lead and all(any(b.role == "lead" and b.agency.name == "天津市商务委员会"
                            for b in embedded_store.backers(m.id)) for m in lead)
    either = embedded_store.measures_due("2030-12-31", agency="天津市商务委员会")
    assert {m.id for m in lead} <= {m.id for m in either}
    tianjin = {m.id for m in embedded_store.measures_due("2030-12-31", region="天津市")}
    tianjin_plan = {m.id for m in later if m.document.startswith("004_")}
    assert tianjin <= {m.id for m in later} and len(tianjin & tianjin_plan) > 0.9 * len(tianjin_plan)
    assert not tianjin & {m.id for m in later if m.document.startswith("000_")}     # Beijing's plan


def test_versions_documents_in_force_on_a_date(embedded_store):
    files = lambda on: {d.file[:3] for d in embedded_store.documents_in_force(on)}   # noqa: E731
    assert files("2018-06-30") == set()
    assert files("2018-07-01") == files("2020-06-30") == {"000", "002", "003", "004"}
    assert files("2020-07-01") == set()


def test_versions_suspension_reaches_regions_inside(embedded_store):
    """What is suspended in a region is suspended in every region inside it (PART_OF)."""
    regions = {r.name: r for r in embedded_store.regions()}
    beijing = embedded_store.suspended_provisions("北京市", "2019-01-01")
    assert beijing and all(s.valid_from <= "2019-01-01" <= s.valid_until for s in beijing)
    assert embedded_store.suspended_provisions("北京市", "2020-07-01") == []
    inside = [r for r in regions if r != "北京市" and "北京市" in {
        embedded_store.view.props(e)["name"] for e in embedded_store.view.covering(regions[r].id)}]
    assert inside
    for name in inside:
        got = {(s.provision.id, s.measure.id) for s in embedded_store.suspended_provisions(name, "2019-01-01")}
        assert {(s.provision.id, s.measure.id) for s in beijing} <= got
    assert embedded_store.suspended_provisions("nowhere", "2019-01-01") is None


def test_versions_api_as_of_questions(embedded_store):
    from fastapi.testclient import TestClient

    from policykg.api.app import create_app

    with TestClient(create_app(store=embedded_store)) as client:
        page = client.get("/measures", params={"due_before": "2018-12-31", "limit": 500}).json()
        want = embedded_store.measures_due("2018-12-31")
        assert page["total"] == len(want) and [m["id"] for m in page["items"]] == [m.id for m in want]
        assert all(m["due"] <= "2018-12-31" for m in page["items"])
        lead = client.get("/measures", params={"due_before": "2030-12-31", "agency": "天津市商务委员会",
                                               "role": "lead", "region": "天津市", "limit": 500}).json()
        assert lead["total"] == len(embedded_store.measures_due("2030-12-31", agency="天津市商务委员会",
                                                                  role="lead", region="天津市")) > 0
        assert client.get("/measures", params={"due_before": "2018-12-31", "q": "不存在的词语"}).json()["total"] == 0
        assert client.get("/measures", params={"due_before": "2018-12-31", "q": "x"}).status_code == 200
        assert client.get("/measures", params={"due_before": "0"}).status_code == 422
        assert client.get("/measures", params={"due_before": "2018-13-45"}).status_code == 422
        docs = client.get("/documents", params={"in_force_on": "2019-01-01"}).json()
        assert sorted(d["file"][:3] for d in docs) == ["000", "002", "003", "004"]
        assert client.get("/documents", params={"in_force_on": "2021-01-01"}).json() == []
        rows = client.get("/provisions/suspended", params={"region": "北京市", "on": "2019-01-01"}).json()
        assert rows and {"provision", "measure", "valid_from", "valid_until", "regions"} <= set(rows[0])
        assert client.get("/provisions/suspended", params={"region": "北京市", "on": "2021-01-01"}).json() == []
        assert client.get("/provisions/suspended", params={"region": "无此地"}).status_code == 404


def test_versions_cli_due_and_suspended(tmp_path, monkeypatch):
    from typer.testing import CliRunner

    from conftest import seed
    from policykg.cli import app

    monkeypatch.setenv("POLICYKG_DATA", str(tmp_path / "data"))
    monkeypatch.delenv("NEO4J_URI", raising=False)
    runner = CliRunner()
    assert runner.invoke(app, ["ingest", str(seed("004"))]).exit_code == 0
    result = runner.invoke(app, ["due", "2018-12-31", "--agency", "天津市商务委员会", "--role", "lead"])
    assert result.exit_code == 0 and "2018-12-31" in result.output and "measures" in result.output
    result = runner.invoke(app, ["suspended", "天津市", "--on", "2019-01-01"])
    assert result.exit_code == 0 and "suspended in 天津市 on 2019-01-01" in result.output
    assert runner.invoke(app, ["suspended", "无此地"]).exit_code == 1
    assert runner.invoke(app, ["due", "2018-31-12"]).exit_code != 0


@pytest.mark.parametrize("versioned", [pytest.param("neo4j", marks=pytest.mark.neo4j)], indirect=True)
def test_versions_browser_guide_queries_run_and_agree(versioned):
    """Every runnable query of the Neo4j Browser guide runs; the as-of ones answer as the store."""
    import html
    import re

    guide = (Path(__file__).resolve().parents[1] / "cypher" / "browser" / "guide.html").read_text(encoding="utf-8")
    blocks = [html.unescape(b) for b in re.findall(r'<pre class="pre-scrollable code runnable">(.*?)</pre>', guide, re.S)]
    params = {"words": "多式联运", "agency": "商务部", "region": "天津市", "on": "2019-01-01"}
    answers = {}
    with versioned.driver.session() as s:
        for b in blocks:
            if b.startswith(":param"):
                continue
            answers[b] = s.run(b, params).data()
    due = next(v for k, v in answers.items() if "m.due <= $on" in k)
    assert [r["measure"] for r in due] == [m.text for m in versioned.measures_due("2019-01-01")]
    in_force = next(v for k, v in answers.items() if "in_force_until" in k and "RETURN d.doc_number" in k)
    assert len(in_force) == len(versioned.documents_in_force("2019-01-01"))
    suspended = next(v for k, v in answers.items() if "ADJUSTS_REGULATION]->(p:LegalProvision)\nWHERE m.version_of" in k)
    want = versioned.suspended_provisions("天津市", "2019-01-01")
    assert sorted(r["measure"] for r in suspended) == sorted(x.measure.text for x in want) and want
    versions = next(v for k, v in answers.items() if "SUPERSEDES*0.." in k)
    assert [r["sha256"] for r in versions] == [v.sha256 for v in versioned.versions(_doc_002(versioned).id)]


def test_versions_drawing_keeps_history_around_older_versions(versioned):
    current = _doc_002(versioned)
    old = versioned.versions(current.id)[1]
    around_current = versioned.graph(current.id, 1, 500)
    assert not any("version_of" in n.properties for n in around_current.nodes if n.label == "Measure")
    assert any(n.id == old.id for n in around_current.nodes)            # SUPERSEDES is drawn
    around_old = versioned.graph(old.id, 1, 500)
    assert sum(1 for n in around_old.nodes if n.label == "Measure") == old.measures


def test_versions_content_coming_back_numbers_the_version_in_both_stores(versioned, tmp_path_factory,
                                                                          fragments, revised):
    """Last in the module: it adds versions to `versioned`. 002's first content comes back,
    then the revision again: the first content's version id is taken, so it is numbered."""
    store = _embedded(tmp_path_factory)
    for s in (versioned, store):
        if s is store:
            for frag in fragments.values():
                s.load(frag)
            s.load(revised)
        s.load(fragments["002"])
        s.load(revised)
    ids = [v.id for v in versioned.versions(_doc_002(versioned).id)]
    assert len(ids) == 4 and ids[1] == ids[3] + ".2"
    assert ids == [v.id for v in store.versions(_doc_002(store).id)]
    assert comparable(versioned.agencies()) == comparable(store.agencies())
    store.close()
