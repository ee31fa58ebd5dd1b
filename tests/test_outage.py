"""A Neo4j outage under load: queries fail fast with a 503 JSON error, /health says why,
and service resumes when Neo4j returns, without restarting the API."""
import os
import subprocess
import threading
import time

import httpx
import pytest

from conftest import CORPUS, IN_CI, ROOT
from neo4j_support import fresh_neo4j_store, test_neo4j_settings
from serving import ThreadServer

pytestmark = [pytest.mark.neo4j, pytest.mark.slow]


def _control(cmd: str) -> None:
    subprocess.run([str(ROOT / "scripts" / "neo4j-local"), cmd], check=True, timeout=300,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def test_outage_fails_fast_and_recovers(nlp):
    if os.environ.get("POLICYKG_TEST_NEO4J_CONTROL") != "1":
        if IN_CI:
            pytest.fail("CI=true: scripts/test must start the local Neo4j and set POLICYKG_TEST_NEO4J_CONTROL=1")
        pytest.skip("the test Neo4j is not ours to stop (set POLICYKG_TEST_NEO4J_CONTROL=1 for scripts/neo4j-local)")
    from policykg.api.app import create_app
    from policykg.extractors.pipeline import extract_file
    from policykg.graph.neo4j_store import Neo4jStore

    loader = fresh_neo4j_store()
    for p in sorted(CORPUS.glob("00[02]_*.txt")):
        loader.load(extract_file(p, nlp))
    loader.close()
    cfg = test_neo4j_settings()
    store = Neo4jStore(cfg["uri"], cfg["user"], cfg["password"], timeout=2.0)
    results: list[tuple[float, int, float, str]] = []      # (sent at, status, seconds, error code)
    stop = threading.Event()

    with ThreadServer(create_app(store=store)) as server:
        def client():
            with httpx.Client(base_url=server.url, timeout=10.0) as c:
                while not stop.is_set():
                    t = time.monotonic()
                    try:
                        r = c.get("/measures", params={"q": "服务贸易", "limit": 5})
                        code = r.json().get("error", {}).get("code", "") if r.status_code != 200 else ""
                        results.append((t, r.status_code, time.monotonic() - t, code))
                    except httpx.HTTPError as exc:
                        results.append((t, 0, time.monotonic() - t, type(exc).__name__))
                    time.sleep(0.05)

        threads = [threading.Thread(target=client, daemon=True) for _ in range(8)]
        for th in threads:
            th.start()
        try:
            time.sleep(2)
            _control("stop")
            down = time.monotonic()
            time.sleep(5)
            health = httpx.get(server.url + "/health", timeout=5)
            assert health.status_code == 503
            assert health.json()["status"] == "unavailable" and "unreachable" in health.json()["detail"]
        finally:
            restarting = time.monotonic()
            _control("start")
        up = time.monotonic()
        recovered = None
        while time.monotonic() - up < 90:
            try:
                if httpx.get(server.url + "/health", timeout=15).status_code == 200:
                    recovered = time.monotonic() - up
                    break
            except httpx.TimeoutException:
                pass        # a restarted server compiles its plans anew: not back yet
            time.sleep(0.2)
        time.sleep(3)
        steady = time.monotonic()
        time.sleep(3)
        stop.set()
        for th in threads:
            th.join(15)
    store.close()

    assert recovered is not None, "the API did not recover within 60 s of Neo4j's return"
    during = [r for r in results if down <= r[0] < restarting]
    starting = [r for r in results if restarting <= r[0] < up]
    assert during, "no request was made during the outage"
    assert all(status == 503 and code == "store_unavailable" for _, status, _, code in during), \
        {(s, c) for _, s, _, c in during}
    slowest = max(sec for _, _, sec, _ in during)
    assert slowest <= 2.0, f"slowest failing request took {slowest:.2f} s"
    # Requests sent while Neo4j starts again wait for it (the driver's own wait): that window
    # is reported below, not asserted; under load one of them can outlast the client timeout.
    back = up + recovered
    assert not [r for r in results if r[1] not in (200, 503) and not restarting <= r[0] < back], \
        {r[1] for r in results if not restarting <= r[0] < back}
    after = [r for r in results if r[0] >= steady]
    assert after and all(r[1] == 200 for r in after), {r[1] for r in after}
    print(f"\noutage: {len(during)} requests while Neo4j was down, all 503 in ≤ {slowest:.2f} s; "
          f"{len(starting)} while it started (slowest {max((r[2] for r in starting), default=0):.1f} s); "
          f"service back {recovered:.1f} s after Neo4j answered, without restarting the API; "
          f"{len(results)} requests in all")
