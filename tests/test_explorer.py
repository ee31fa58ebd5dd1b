"""End-to-end tests of the visual explorer (api/static) in headless Chromium.

A real uvicorn server on a free loopback port serves the API over the corpus; Playwright
drives Debian's /usr/bin/chromium (installed by scripts/install-browser; never a browser
downloaded by Playwright). Skipped when Chromium is missing, except in CI where that fails.
With POLICYKG_TEST_NEO4J_URI set, the same checks also run against the Neo4j store.
"""
from __future__ import annotations

import os
import socket
import threading
import time
from pathlib import Path

import pytest

from conftest import IN_CI, ROOT

pytestmark = pytest.mark.browser

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
ARTIFACTS = ROOT / "test-artifacts"
STORES = ["embedded"] + (["neo4j"] if os.environ.get("POLICYKG_TEST_NEO4J_URI") else [])


def _require_chromium() -> None:
    if not os.path.exists(CHROMIUM):
        if IN_CI:
            pytest.fail(f"CI=true but {CHROMIUM} is missing: scripts/install-browser must install it")
        pytest.skip(f"{CHROMIUM} is missing (run scripts/install-browser)")


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class _Server:
    """uvicorn serving the app in a background thread, on 127.0.0.1 only."""

    def __init__(self, store):
        import uvicorn

        from policykg.api.app import create_app

        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        config = uvicorn.Config(create_app(store=store), host="127.0.0.1", port=self.port,
                                log_level="warning", lifespan="on")
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, name="explorer-uvicorn", daemon=True)

    def __enter__(self):
        self.thread.start()
        deadline = time.monotonic() + 20
        while not self.server.started:
            if not self.thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError("the test server did not start")
            time.sleep(0.05)
        return self

    def __exit__(self, *exc):
        self.server.should_exit = True
        self.thread.join(timeout=10)


@pytest.fixture(scope="module")
def browser_context(tmp_path_factory):
    _require_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        ctx = pw.chromium.launch_persistent_context(
            str(tmp_path_factory.mktemp("chromium-profile")), executable_path=CHROMIUM,
            args=CHROMIUM_ARGS, headless=True, viewport={"width": 1440, "height": 900},
            locale="zh-CN")
        ctx.set_default_timeout(20_000)
        yield ctx
        ctx.close()


GENRE_FORMS = Path(__file__).parent / "fixtures" / "genre_forms.txt"


@pytest.fixture(scope="module", params=STORES)
def server(request, fragments, nlp, tmp_path_factory):
    # The corpus plus a city plan whose 推动金融领域开放 has a lead, a supporter and provisions:
    # no seed measure has all three.
    from policykg.extractors.pipeline import extract_file

    from test_versions import revised_file

    # …and 002 again with new content: a second version, for the versions panel.
    revised = extract_file(revised_file(tmp_path_factory.mktemp("explorer-revised")), nlp)
    docs = list(fragments.values()) + [extract_file(GENRE_FORMS, nlp), revised]
    if request.param == "embedded":
        from policykg.graph.embedded import EmbeddedStore

        store = EmbeddedStore(tmp_path_factory.mktemp("explorer-store"))
    else:
        from neo4j_support import fresh_neo4j_store

        store = fresh_neo4j_store()
    own = True
    for frag in docs:
        store.load(frag)
    store.link_implements()
    try:
        with _Server(store) as srv:
            srv.store_name = request.param
            yield srv
    finally:
        if own:
            store.close()


@pytest.fixture()
def page(browser_context, server):
    """A fresh tab on the explorer; fails the test on any script error or off-machine request."""
    page = browser_context.new_page()
    errors, outside = [], []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("request", lambda r: None if r.url.startswith((server.url, "data:")) else outside.append(r.url))
    page.goto(server.url + "/")
    page.wait_for_function("() => window.explorer && window.explorer.busy === 0")
    yield page
    page.close()
    assert not errors, f"script errors: {errors}"
    assert not outside, f"requests that left the server (CDN?): {outside}"


def _idle(page):
    page.wait_for_function("() => window.explorer.busy === 0")


def _open_measure(page, query: str) -> str:
    """Type a query, click the first result, wait until its neighbourhood and details are drawn."""
    page.fill("#q", query)
    page.press("#q", "Enter")
    first = page.locator(".result", has_text=query).first
    first.wait_for()
    _idle(page)
    measure_id = first.get_attribute("data-id")
    first.click()
    page.wait_for_function(
        """(id) => window.explorer.busy === 0
              && window.explorer.drawn().some(n => n.id === id && n.selected)
              && document.querySelector('#details').dataset.id === id""", arg=measure_id)
    return measure_id


def _drawn(page) -> dict[str, dict]:
    return {n["caption"]: n for n in page.evaluate("() => window.explorer.drawn()")}


def _edges(page) -> list[dict]:
    return page.evaluate("() => window.explorer.edges()")


def _click_node(page, node_id: str) -> None:
    """A real mouse click on the node where cytoscape drew it."""
    pos = page.evaluate(
        """(id) => { const n = window.explorer.cy.getElementById(id); const p = n.renderedPosition();
                     const r = document.querySelector('#graph').getBoundingClientRect();
                     return {x: r.left + p.x, y: r.top + p.y}; }""", node_id)
    page.mouse.click(pos["x"], pos["y"])


def _panel(page, section: str) -> list[str]:
    return page.locator(f"#details [data-section={section}] .d-item .name").all_inner_texts()


def _screenshot(page, server, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    suffix = "" if server.store_name == "embedded" else f"-{server.store_name}"
    page.screenshot(path=str(ARTIFACTS / f"{name}{suffix}.png"))


def test_explorer_draws_lead_and_supporting_agencies(page, server):
    measure = _open_measure(page, "多式联运监管中心")
    drawn = _drawn(page)
    assert drawn["试点地区"]["label"] == "Agency" and drawn["海关总署"]["label"] == "Agency"
    edges = {(e["type"], e["source"], e["target"]): e for e in _edges(page)}
    lead = edges[("LEADS", drawn["试点地区"]["id"], measure)]
    assert "试点地区负责推进" in lead["evidence"]
    assert ("COOPERATES", drawn["海关总署"]["id"], measure) in edges
    assert ("LEADS", drawn["海关总署"]["id"], measure) not in edges
    # the side panel answers the analyst question: who leads, who supports, with evidence
    assert page.locator("#details").get_attribute("data-label") == "Measure"
    assert _panel(page, "lead") == ["试点地区"]
    assert _panel(page, "cooperate") == ["海关总署"]
    assert "海关总署等部门和单位负责落实政策保障" in page.locator("#details [data-section=cooperate]").inner_text()
    # leads and cooperates are drawn differently
    styles = page.evaluate("""() => ['LEADS', 'COOPERATES'].map(t => {
        const e = window.explorer.cy.edges(`[type = "${t}"]`)[0];
        return [e.style('line-style'), e.style('line-color'), parseFloat(e.style('width'))]; })""")
    assert styles[0] != styles[1] and styles[0][0] == "solid" and styles[1][0] == "dashed"
    _screenshot(page, server, "explorer")
    # hovering the LEADS edge shows its evidence
    pos = page.evaluate(
        """(id) => { const e = window.explorer.cy.getElementById(id); const p = e.renderedMidpoint();
                     const r = document.querySelector('#graph').getBoundingClientRect();
                     return {x: r.left + p.x, y: r.top + p.y}; }""", lead["id"])
    page.mouse.move(pos["x"], pos["y"])
    tooltip = page.locator("#tooltip")
    tooltip.wait_for(state="visible")
    assert "试点地区负责推进" in tooltip.inner_text() and "LEADS" in tooltip.inner_text()
    page.mouse.move(5, 5)
    tooltip.wait_for(state="hidden")


def test_explorer_draws_provisions_and_moves_to_them(page, server):
    measure = _open_measure(page, "开业申请")
    caption = "《中华人民共和国外资银行管理条例》第三十四条"
    drawn = _drawn(page)
    assert drawn[caption]["label"] == "LegalProvision"
    assert any(e["type"] == "ADJUSTS_REGULATION" and e["source"] == measure and e["target"] == drawn[caption]["id"]
               for e in _edges(page))
    assert _panel(page, "provision") == [caption]
    _screenshot(page, server, "explorer-provision")
    # clicking the provision in the panel moves to it
    page.locator("#details [data-section=provision] .d-item").first.click()
    page.wait_for_function(
        """(id) => window.explorer.busy === 0 && document.querySelector('#details').dataset.id === id""",
        arg=drawn[caption]["id"])
    assert _drawn(page)[caption]["selected"]
    assert "第三十四条" in page.locator("#details .d-title").inner_text()
    assert "开业申请" in page.locator("#details [data-section=measures]").inner_text()


def test_explorer_expands_clicked_agency(page, server):
    _open_measure(page, "多式联运监管中心")
    before = _drawn(page)
    agency = before["海关总署"]
    assert not agency["expanded"]
    _click_node(page, agency["id"])
    page.wait_for_function(
        """(n) => window.explorer.busy === 0 && window.explorer.cy.nodes().length > n
              && document.querySelector('#details').dataset.id !== undefined""", arg=len(before))
    page.wait_for_function("(id) => document.querySelector('#details').dataset.id === id", arg=agency["id"])
    after = _drawn(page)
    assert len(after) > len(before)
    assert after["海关总署"]["expanded"] and after["海关总署"]["selected"]
    # every measure 海关总署 supports is now drawn and joined to it
    supports = page.locator("#details [data-section=cooperates] .d-item").evaluate_all("els => els.map(e => e.dataset.id)")
    assert supports and len(supports) >= 2
    drawn_ids = {n["id"] for n in after.values()}
    assert set(supports) <= drawn_ids
    coop = {e["target"] for e in _edges(page) if e["type"] == "COOPERATES" and e["source"] == agency["id"]}
    assert set(supports) <= coop
    _screenshot(page, server, "explorer-expanded")


def test_explorer_measure_with_lead_supporter_and_provisions(page, server):
    measure = _open_measure(page, "推动金融领域开放")
    drawn = _drawn(page)
    lead, support = drawn["中国人民银行上海总部"], drawn["上海银保监局"]
    edges = {(e["type"], e["source"], e["target"]) for e in _edges(page)}
    assert ("LEADS", lead["id"], measure) in edges and ("COOPERATES", support["id"], measure) in edges
    provisions = [n for n in drawn.values() if n["label"] == "LegalProvision"]
    assert sorted(n["caption"] for n in provisions) == [
        "《中华人民共和国外资银行管理条例》第三十五条", "《中华人民共和国外资银行管理条例》第三十四条第二款"]
    assert all(("ADJUSTS_REGULATION", measure, n["id"]) in edges for n in provisions)
    assert _panel(page, "lead") == ["中国人民银行上海总部"] and _panel(page, "cooperate") == ["上海银保监局"]
    _screenshot(page, server, "explorer-full")


def test_explorer_shows_due_date_and_document_versions(page, server):
    import httpx

    due = httpx.get(server.url + "/measures", params={"due_before": "2030-12-31", "limit": 1}).json()["items"][0]
    page.evaluate("(id) => window.explorer.goTo(id)", due["id"])
    page.wait_for_function("(id) => window.explorer.busy === 0 && document.querySelector('#details').dataset.id === id",
                           arg=due["id"])
    context = page.locator("#details dl.d-meta").inner_text()
    assert "到期日 Due" in context and due["due"] in context
    doc = next(d for d in httpx.get(server.url + "/documents").json() if d["file"].startswith("002_"))
    page.evaluate("(id) => window.explorer.goTo(id)", doc["id"])
    page.wait_for_function("(id) => window.explorer.busy === 0 && document.querySelector('#details').dataset.id === id",
                           arg=doc["id"])
    versions = httpx.get(f"{server.url}/documents/{doc['id']}/versions").json()
    assert len(versions) == 2
    names = _panel(page, "versions")
    assert len(names) == 2 and names[0].startswith("当前版本") and versions[0]["sha256"][:12] in names[0]
    assert names[1].startswith("旧版本") and versions[1]["sha256"][:12] in names[1]
    assert doc["loaded_at"] in page.locator("#details").inner_text()
    # the older version opens from the list, marked as superseded, with its own measures count
    page.locator("#details [data-section=versions] .d-item").nth(1).click()
    page.wait_for_function("(id) => window.explorer.busy === 0 && document.querySelector('#details').dataset.id === id",
                           arg=versions[1]["id"])
    assert "旧版本 superseded" in page.locator("#details .d-head").inner_text()
    _screenshot(page, server, "explorer-versions")
