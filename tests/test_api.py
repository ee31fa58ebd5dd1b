import pytest
from fastapi.testclient import TestClient

from policykg.api.app import create_app


@pytest.fixture(scope="module")
def client(embedded_store):
    with TestClient(create_app(store=embedded_store)) as c:
        yield c


def _find(client, q):
    page = client.get("/measures", params={"q": q}).json()
    return page["items"][0]


def test_api_health_and_openapi(client):
    assert client.get("/health").json()["status"] == "ok"
    spec = client.get("/openapi.json").json()
    for path in ("/measures", "/measures/{measure_id}", "/measures/{measure_id}/backers", "/measures/{measure_id}/provisions",
                 "/opening-measures", "/agencies", "/agencies/{agency_id}/measures", "/regions/{region_id}/measures",
                 "/documents", "/health"):
        assert path in spec["paths"]
    assert client.get("/docs").status_code == 200


def test_api_measure_search_filters_and_pages(client):
    page = client.get("/measures", params={"kind": "opening", "limit": 3}).json()
    assert page["total"] == 8 and len(page["items"]) == 3
    assert all(m["kind"] == "opening" for m in page["items"])
    second = client.get("/measures", params={"kind": "opening", "limit": 3, "offset": 3}).json()
    assert not {m["id"] for m in page["items"]} & {m["id"] for m in second["items"]}
    by_agency = client.get("/measures", params={"agency": "中国出口信用保险公司"}).json()
    assert by_agency["total"] == 3
    by_doc = client.get("/measures", params={"document": "000_7094890a2b771e40.txt"}).json()
    assert by_doc["total"] == 25


def test_api_backers_provisions_and_evidence(client):
    m = _find(client, "开业申请")
    detail = client.get(f"/measures/{m['id']}").json()
    assert detail["evidence"]["document"] == "002_49e808efe8358f81.txt" and detail["evidence"]["start"] >= 0
    provs = client.get(f"/measures/{m['id']}/provisions").json()
    assert provs[0]["provision"]["article"] == "第三十四条"
    m = _find(client, "支持出版物进出口平台")
    backers = client.get(f"/measures/{m['id']}/backers").json()
    assert backers[0] == {**backers[0], "role": "lead"} and backers[0]["agency"]["name"] == "天津市商务委员会"
    assert "市商务委" in backers[0]["evidence"]["text"]


def test_api_opening_measures_agencies_regions_documents(client):
    opening = client.get("/opening-measures").json()
    assert len(opening) == 8 and all(o["provisions"] for o in opening)
    agencies = client.get("/agencies").json()
    top = agencies[0]
    leads = client.get(f"/agencies/{top['id']}/measures", params={"role": "lead"}).json()
    assert len(leads) == top["leads"]
    regions = {r["name"]: r for r in client.get("/regions").json()}
    gd = client.get(f"/regions/{regions['广东省']['id']}/measures").json()
    assert any("广东全省" in m["text"] for m in gd)
    docs = client.get("/documents").json()
    assert len(docs) == 5 and sum(d["measures"] for d in docs) > 250


def test_api_errors_have_one_json_shape(client):
    r = client.get("/measures/m-0000000000000000")
    assert r.status_code == 404 and r.json()["error"]["code"] == "not_found"
    r = client.get("/measures", params={"limit": 0})
    assert r.status_code == 422 and "limit" in r.json()["error"]["message"]
    r = client.get("/measures", params={"kind": "nonsense"})
    assert r.status_code == 422
    r = client.get("/agencies/x/measures", params={"role": "boss"})
    assert r.status_code == 422
    r = client.get("/no-such-path")
    assert r.status_code == 404 and "error" in r.json()


def test_api_partners_rollups_provisions_graph_csv(client):
    agencies = {a["name"]: a for a in client.get("/agencies").json()}
    partners = client.get(f"/agencies/{agencies['商务部']['id']}/partners").json()
    assert partners[0]["agency"]["name"] == "试点地区" and partners[0]["shared"] >= 20
    regions = {r["name"]: r for r in client.get("/regions").json()}
    tianjin = regions["天津市"]["id"]
    direct = client.get(f"/regions/{tianjin}/measures").json()
    rolled = client.get(f"/regions/{tianjin}/measures", params={"descendants": True}).json()
    assert len(rolled) >= len(direct)
    uses = client.get("/provisions").json()
    top = uses[0]
    ms = client.get("/provisions/measures", params={"instrument": top["provision"]["instrument"]}).json()
    assert len(ms) >= top["measures"] >= 1
    m = client.get("/measures", params={"q": "开业申请"}).json()["items"][0]
    g = client.get("/graph", params={"node": m["id"], "depth": 1}).json()
    labels = {n["label"] for n in g["nodes"]}
    assert {"Measure", "LegalProvision", "Document"} <= labels
    assert all(e["source"] in {n["id"] for n in g["nodes"]} for e in g["edges"])
    assert client.get("/graph", params={"node": m["id"], "depth": 4}).status_code == 422
    assert client.get("/graph", params={"node": "nope"}).status_code == 404
    csv = client.get("/opening-measures.csv")
    assert csv.headers["content-type"].startswith("text/csv")
    assert "第三十四条" in csv.text and csv.text.count("\n") >= 9
