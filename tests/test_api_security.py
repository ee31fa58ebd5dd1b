"""Hostile and unauthorised requests: bounded parameters, parameterised queries, guarded writes."""
import pytest
from fastapi.testclient import TestClient

from policykg.api.app import create_app
from policykg.graph.embedded import EmbeddedStore
from policykg.settings import Settings

from conftest import seed

HOSTILE = ["' OR 1=1 --", "\") MATCH (n) DETACH DELETE n //", "}) RETURN 1 UNION MATCH (n) RETURN n //",
           "$q", "{id: 'x'}", "%00", "\\u0000", "../../etc/passwd", "<script>alert(1)</script>",
           "MATCH (n) DETACH DELETE n", "人民币' }) DETACH DELETE m //", "a" * 190]


@pytest.fixture()
def reader(embedded_store):
    with TestClient(create_app(Settings(), store=embedded_store)) as c:
        yield c


def test_api_security_hostile_strings_change_nothing(reader, embedded_store):
    before = embedded_store.counts()
    m = reader.get("/measures", params={"limit": 1}).json()["items"][0]["id"]
    for s in HOSTILE:
        for path, params in (("/measures", {"q": s}), ("/measures", {"agency": s}), ("/measures", {"region": s}),
                             ("/measures", {"document": s}), ("/provisions/measures", {"instrument": s}),
                             ("/provisions/measures", {"instrument": "x", "article": s[:50]}),
                             ("/graph", {"node": s}), (f"/agencies/{m}/measures", {"role": s})):
            r = reader.get(path, params=params)
            assert r.status_code in (200, 404, 422), (path, s, r.status_code)
            assert "error" in r.json() or r.status_code == 200
        for path in (f"/measures/{s}", f"/measures/{s}/backers", f"/agencies/{s}", f"/regions/{s}/measures"):
            r = reader.get(path)
            assert r.status_code in (404, 422), (path, r.status_code)
    assert embedded_store.counts() == before


def test_api_security_parameters_are_bounded(reader):
    assert reader.get("/measures", params={"limit": 501}).status_code == 422
    assert reader.get("/measures", params={"q": "字" * 201}).status_code == 422
    assert reader.get("/graph", params={"node": "m-1", "depth": 9}).status_code == 422
    assert reader.get("/measures/" + "a" * 65).status_code == 422


def test_api_security_writes_are_off_without_a_token(reader):
    assert reader.post("/documents", params={"filename": "x.txt"}, content=b"x").status_code in (404, 405)
    assert "/documents" not in reader.get("/openapi.json").json()["paths"] or \
        "post" not in reader.get("/openapi.json").json()["paths"]["/documents"]


def test_api_security_cors_is_closed_by_default(reader):
    r = reader.get("/health", headers={"Origin": "http://evil.example"})
    assert "access-control-allow-origin" not in r.headers


@pytest.fixture()
def writer(tmp_path):
    settings = Settings(POLICYKG_DATA=tmp_path, POLICYKG_API_TOKEN="s3cret-token", POLICYKG_MAX_UPLOAD_BYTES=200_000)
    store = EmbeddedStore(tmp_path)
    with TestClient(create_app(settings, store=store)) as c:
        yield c, store


def test_api_security_upload_needs_the_bearer_token(writer):
    client, store = writer
    body = seed("000").read_bytes()
    assert client.post("/documents", params={"filename": "plan.txt"}, content=body).status_code == 401
    r = client.post("/documents", params={"filename": "plan.txt"}, content=body,
                    headers={"Authorization": "Bearer wrong"})
    assert r.status_code == 401 and r.json()["error"]["code"] == "unauthorized"
    assert store.counts() == {}
    r = client.post("/documents", params={"filename": "北京 方案.txt"}, content=body,
                    headers={"Authorization": "Bearer s3cret-token"})
    assert r.status_code == 201, r.text
    assert r.json()["measures"] == 25
    assert client.get("/measures", params={"document": "北京 方案.txt"}).json()["total"] == 25


def test_api_security_upload_limits_and_bad_files(writer):
    client, store = writer
    auth = {"Authorization": "Bearer s3cret-token"}
    r = client.post("/documents", params={"filename": "big.txt"}, content=b"x" * 200_001, headers=auth)
    assert r.status_code == 413 and "limit" in r.json()["error"]["message"]
    r = client.post("/documents", params={"filename": "tool.exe"}, content=b"MZ", headers=auth)
    assert r.status_code == 422 and "filename" in r.json()["error"]["message"]
    r = client.post("/documents", params={"filename": "bin.txt"}, content=b"\x00\x01\x02", headers=auth)
    assert r.status_code == 422 and "bin.txt" in r.json()["error"]["message"]
    r = client.post("/documents", params={"filename": "../escape.txt"}, content=b"x", headers=auth)
    assert r.status_code == 422
    assert store.counts() == {}
