"""Soak: 32 concurrent clients against a real `policykg serve`, zero errors, memory flat.
`make soak` runs 60 s per store; the suite runs a short version."""
import os
import random
import threading
import time

import httpx
import pytest

from conftest import CORPUS
from neo4j_support import fresh_neo4j_store, test_neo4j_settings
from serving import ProcessServer, env_without_neo4j

SECONDS = float(os.environ.get("POLICYKG_SOAK_SECONDS", "6"))
CLIENTS = 32


def _soak(server) -> dict:
    with httpx.Client(base_url=server.url, timeout=30) as c:
        ids = [m["id"] for m in c.get("/measures", params={"limit": 200}).json()["items"]]
        agencies = [a["id"] for a in c.get("/agencies").json()]
    paths = ([("/measures", {"q": q}) for q in ("服务贸易", "试点 地区", "人民币", "单一窗口")]
             + [(f"/measures/{i}/backers", None) for i in ids] + [(f"/measures/{i}/provisions", None) for i in ids]
             + [("/opening-measures", None), ("/health", None)]
             + [(f"/agencies/{a}/measures", {"role": "lead"}) for a in agencies])
    counts = {"requests": 0, "errors": 0}
    lock = threading.Lock()
    end = time.monotonic() + SECONDS
    samples = []

    def client(seed):
        rng = random.Random(seed)
        with httpx.Client(base_url=server.url, timeout=30) as c:
            while time.monotonic() < end:
                path, params = rng.choice(paths)
                try:
                    ok = c.get(path, params=params).status_code == 200
                except httpx.HTTPError:
                    ok = False
                with lock:
                    counts["requests"] += 1
                    counts["errors"] += not ok

    threads = [threading.Thread(target=client, args=(i,), daemon=True) for i in range(CLIENTS)]
    for t in threads:
        t.start()
    while any(t.is_alive() for t in threads):
        samples.append(server.rss_kib())
        time.sleep(max(SECONDS / 20, 0.25))
    for t in threads:
        t.join()
    counts["rss_start_kib"] = samples[len(samples) // 4] if samples else 0   # after warm-up
    counts["rss_end_kib"] = server.rss_kib()
    return counts


def _check(name, counts):
    growth = counts["rss_end_kib"] - counts["rss_start_kib"]
    print(f"\nsoak {name}: {CLIENTS} clients, {SECONDS:.0f} s, {counts['requests']} requests, "
          f"{counts['errors']} errors, RSS {counts['rss_start_kib'] // 1024} → {counts['rss_end_kib'] // 1024} MiB")
    assert counts["errors"] == 0 and counts["requests"] > CLIENTS
    assert growth <= max(0.2 * counts["rss_start_kib"], 30 * 1024), "memory grew under steady load"


@pytest.mark.slow
def test_soak_embedded(tmp_path):
    from policykg.jobs import ingest
    from policykg.extractors.text import iter_files
    from policykg.graph.embedded import EmbeddedStore

    with EmbeddedStore(tmp_path) as store:
        ingest(iter_files([CORPUS]), store)
    env = env_without_neo4j() | {"POLICYKG_DATA": str(tmp_path)}
    with ProcessServer(env) as server:
        _check("embedded", _soak(server))


@pytest.mark.slow
@pytest.mark.neo4j
def test_soak_neo4j(nlp):
    from policykg.extractors.pipeline import extract_file

    store = fresh_neo4j_store()
    for p in sorted(CORPUS.glob("*.txt")):
        store.load(extract_file(p, nlp))
    store.link_implements()
    store.close()
    cfg = test_neo4j_settings()
    env = env_without_neo4j() | {"NEO4J_URI": cfg["uri"], "NEO4J_USER": cfg["user"], "NEO4J_PASSWORD": cfg["password"]}
    with ProcessServer(env) as server:
        _check("neo4j", _soak(server))
