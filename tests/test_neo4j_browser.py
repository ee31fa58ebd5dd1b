"""The real Neo4j Browser (served by the test Neo4j over HTTP) in headless Chromium.

The server is configured by scripts/neo4j-local (or docker-compose.yml) with
``browser.post_connect_cmd=style …/browser/policykg/style.grass;play …/browser/policykg/guide.html``:
after login the Browser applies cypher/browser/style.grass and opens cypher/browser/guide.html
in the stream. The test loads the seed corpus plus tests/fixtures/genre_forms.txt (its
推动金融领域开放。 has a lead agency, a supporting agency and two provisions), logs in, sets
``$words`` and runs, by clicking the guide's own runnable blocks, its backers and provisions
tables and then its "which agencies back this measure" graph query; it checks what the Browser
drew (nodes, captions, colours, who LEADS and who COOPERATES) and saves
test-artifacts/neo4j-browser.png (copied to docs/neo4j-browser.png).

Needs POLICYKG_TEST_NEO4J_URI/_USER/_PASSWORD (tests/neo4j_support.py) and the same server's
HTTP address in POLICYKG_TEST_NEO4J_HTTP (default http://127.0.0.1:7474). Browser 5.24 does
not wrap captions without spaces, so Chinese captions are drawn truncated ("上海银保…"): the
full values are read from the Browser's own inspector while hovering each drawn node.
"""
from __future__ import annotations

import json
import os
import re
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from conftest import IN_CI, ROOT

pytestmark = [pytest.mark.neo4j, pytest.mark.browser]

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
ARTIFACTS = ROOT / "test-artifacts"
GRASS = ROOT / "cypher" / "browser" / "style.grass"
GENRE_FORMS = Path(__file__).parent / "fixtures" / "genre_forms.txt"

WORDS = "推动金融领域开放"
MEASURE = "推动金融领域开放。"
LEAD = "中国人民银行上海总部"
COOPERATE = "上海银保监局"
INSTRUMENT = "中华人民共和国外资银行管理条例"
ARTICLES = {"第三十四条第二款", "第三十五条"}
GRAPH_QUERY = "OPTIONAL MATCH (m)-[adj:ADJUSTS_REGULATION]->(p:LegalProvision)"
BACKERS_TABLE_QUERY = "RETURN m.text AS measure, type(r) AS role, a.name AS agency"
PROVISIONS_TABLE_QUERY = "RETURN m.text AS measure, p.instrument AS instrument"


def _http_base() -> str:
    """POLICYKG_TEST_NEO4J_HTTP: the test server's HTTP address (a URL or a bare port)."""
    raw = os.environ.get("POLICYKG_TEST_NEO4J_HTTP", "").strip() or "http://127.0.0.1:7474"
    if raw.isdigit():
        raw = f"http://127.0.0.1:{raw}"
    parts = urlsplit(raw if "://" in raw else f"http://{raw}")
    return f"{parts.scheme}://{parts.hostname}:{parts.port or 7474}"


def _unavailable(why: str) -> None:
    if IN_CI:
        pytest.fail(f"CI=true but {why}")
    pytest.skip(why)


def _grass_colours() -> dict[str, tuple[str, str]]:
    """(fill, border) per node label, read from cypher/browser/style.grass."""
    out = {}
    for label, body in re.findall(r"node\.(\w+)\s*\{([^}]*)\}", GRASS.read_text(encoding="utf-8")):
        fill = re.search(r"(?<![-\w])color:\s*(#[0-9A-Fa-f]{6})", body)
        border = re.search(r"border-color:\s*(#[0-9A-Fa-f]{6})", body)
        out[label] = (fill.group(1).upper(), border.group(1).upper())
    return out


def _rel_colours() -> dict[str, str]:
    text = GRASS.read_text(encoding="utf-8")
    return {t: c.upper() for t, c in re.findall(
        r"relationship\.(\w+)\s*\{[^}]*?(?<![-\w])color:\s*(#[0-9A-Fa-f]{6})", text)}


@pytest.fixture(scope="module")
def neo4j_browser(fragments, nlp):
    """The test Neo4j with the corpus and genre_forms.txt loaded; its Browser URL and login."""
    from neo4j_support import fresh_neo4j_store, require_neo4j

    from policykg.extractors.pipeline import extract_file

    cfg = require_neo4j()
    if not os.path.exists(CHROMIUM):
        _unavailable(f"{CHROMIUM} is missing (run scripts/install-browser)")
    http = _http_base()
    try:
        with urllib.request.urlopen(f"{http}/browser/", timeout=10) as resp:
            resp.read(1)
    except (urllib.error.URLError, OSError) as exc:
        _unavailable(f"the test Neo4j's Browser is not served at {http}/browser/ "
                     f"(set POLICYKG_TEST_NEO4J_HTTP): {exc}")
    store = fresh_neo4j_store()
    try:
        for frag in list(fragments.values()) + [extract_file(GENRE_FORMS, nlp)]:
            store.load(frag)
    finally:
        store.close()
    return {"http": http, **cfg}


@pytest.fixture()
def page(neo4j_browser, tmp_path):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        ctx = pw.chromium.launch_persistent_context(
            str(tmp_path / "chromium-profile"), executable_path=CHROMIUM, args=CHROMIUM_ARGS,
            headless=True, viewport={"width": 1440, "height": 1450}, locale="zh-CN")
        ctx.set_default_timeout(60_000)
        # The Browser asks for web fonts, analytics and Canny from the internet: refuse at once.
        local = {urlsplit(neo4j_browser["http"]).hostname, "127.0.0.1", "localhost"}

        def _route(route):
            if urlsplit(route.request.url).hostname in local or route.request.url.startswith(("data:", "blob:")):
                return route.continue_()
            return route.abort()

        ctx.route("**/*", _route)
        yield ctx.new_page()
        ctx.close()


def _frame(page, command_part: str):
    """The stream frame whose command contains command_part."""
    return page.locator("article[data-testid=frame]").filter(
        has=page.get_by_test_id("frameCommand").filter(has_text=command_part))


def _run_guide_block(page, guide, query_part: str):
    """Click the guide's runnable block containing query_part (it fills the editor), run it,
    wait for its result frame and return that frame."""
    block = guide.locator("pre.runnable").filter(has_text=query_part)
    assert block.count() == 1, query_part
    block.click()
    page.wait_for_function(
        "q => document.querySelector('[data-testid=activeEditor] .view-lines').innerText"
        ".replace(/\\u00a0/g, ' ').includes(q)", arg=query_part)
    page.get_by_test_id("editor-Run").click()
    frame = _frame(page, query_part)
    frame.get_by_test_id("frame-loaded-contents").wait_for()
    return frame


def _table_rows(frame) -> list[list]:
    """The rows of a result frame's table view (without the row number), values decoded."""
    frame.locator("[role=row], tr").first.wait_for()
    rows = frame.evaluate("""f => {
        const rows = Array.from(f.querySelectorAll('[role=row], tbody tr'));
        return rows.map(r => Array.from(r.querySelectorAll('[role=cell], td')).map(c => c.innerText.trim()))
                   .filter(cells => cells.length);
    }""")
    out = []
    for i, cells in enumerate(rows, 1):
        assert cells[0] == str(i), cells  # the Browser numbers the rows
        out.append([json.loads(c) if c[:1] in '"[{' else c for c in cells[1:]])
    return out


def _editor_text(page) -> str:
    return page.get_by_test_id("activeEditor").locator(".view-lines").inner_text().replace("\xa0", " ")


def _editor_text_becomes(page, want: str, seconds: float = 5.0) -> str:
    """The editor's text once it shows `want`, or what it shows after `seconds`: the editor
    renders typed keys a frame or more after they are sent."""
    deadline = time.monotonic() + seconds
    text = _editor_text(page)
    while text != want and time.monotonic() < deadline:
        time.sleep(0.1)
        text = _editor_text(page)
    return text


def _settled_nodes(viz, rounds: int = 60) -> list[dict]:
    """Drawn nodes once the force layout has stopped moving them."""
    js = """svg => Array.from(svg.querySelectorAll('g.node')).map(g => {
        const c = g.querySelector('circle.b-outline');
        const m = /translate\\(([-\\d.e]+)[ ,]+([-\\d.e]+)\\)/.exec(g.getAttribute('transform'));
        return {aria: g.getAttribute('aria-label'), x: +m[1], y: +m[2], r: +c.getAttribute('r'),
                fill: c.getAttribute('fill').toUpperCase(), stroke: c.getAttribute('stroke').toUpperCase(),
                caption: Array.from(g.querySelectorAll('text.caption')).map(e => e.textContent.trim()).join('')};
    })"""
    before = viz.evaluate(js)
    for _ in range(rounds):
        time.sleep(0.25)
        now = viz.evaluate(js)
        if [(n["x"], n["y"]) for n in now] == [(n["x"], n["y"]) for n in before]:
            return now
        before = now
    return before


def _drawn_relationships(viz) -> list[dict]:
    return viz.evaluate("""svg => Array.from(svg.querySelectorAll('g.relationship')).map(g => {
        const m = /translate\\(([-\\d.e]+)[ ,]+([-\\d.e]+)\\)\\s*rotate\\(([-\\d.e]+)\\)/.exec(g.getAttribute('transform'));
        const t = g.querySelector('text');
        return {x: +m[1], y: +m[2], angle: +m[3], caption: t ? t.textContent.trim() : '',
                fill: g.querySelector('path.b-outline').getAttribute('fill').toUpperCase()};
    })""")


def _inspect(page, frame, node: dict) -> dict:
    """Hover a drawn node; return its label and properties as the Browser's inspector shows them."""
    frame.locator(f"g.node[aria-label='{node['aria']}'] circle.b-outline").hover()
    internal = node["aria"].removeprefix("graph-node")
    table = frame.get_by_test_id("viz-details-pane-properties-table")
    page.wait_for_function(
        """([el, id]) => Array.from(el.querySelectorAll('tr')).some(
               tr => tr.cells[0] && tr.cells[0].innerText.trim() === '<id>' && tr.cells[1].innerText.trim() === id)""",
        arg=[table.element_handle(), internal])
    props = {}
    for row in table.locator("tr").all():
        cells = [c.strip() for c in row.locator("td").all_inner_texts()]
        if len(cells) >= 2:
            props[cells[0]] = cells[1]
    label_ids = frame.locator("[data-testid^=property-details-overview-node-label-]").evaluate_all(
        "es => es.map(e => e.dataset.testid)")
    labels = [t.removeprefix("property-details-overview-node-label-") for t in label_ids]
    return {"labels": [x for x in labels if x != "*"], "props": props}


def _shown_as(caption: str, full: str) -> bool:
    """The drawn caption is the value itself or its truncation with an ellipsis."""
    return caption == full or (caption.endswith("…") and full.startswith(caption[:-1].rstrip()))


def _pointed_node(rel: dict, nodes: list[dict], start: dict) -> dict:
    """The node a relationship drawn from `start` at rel['angle'] points to."""
    import math

    def off(n):
        ang = math.degrees(math.atan2(n["y"] - start["y"], n["x"] - start["x"]))
        return abs((ang - rel["angle"] + 180) % 360 - 180)

    return min((n for n in nodes if n is not start), key=off)


def test_neo4j_browser_applies_style_opens_guide_and_draws_a_measure_with_backers_and_provisions(
        page, neo4j_browser):
    timings = {}
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    t0 = time.monotonic()
    bolt = neo4j_browser["uri"]
    page.goto(f"{neo4j_browser['http']}/browser/?dbms={bolt}&preselectAuthMethod=NATIVE")

    # --- log in
    page.get_by_test_id("username").fill(neo4j_browser["user"])
    page.get_by_test_id("password").fill(neo4j_browser["password"])
    timings["login form"] = time.monotonic() - t0
    page.get_by_test_id("connect").click()
    t_login = time.monotonic()
    _frame(page, ":server connect").filter(has_text="You are connected as user").wait_for()
    timings["connected"] = time.monotonic() - t_login

    # --- the post-connect commands: :style <grass> and :play <guide>, both from the server
    style = _frame(page, "/browser/policykg/style.grass")
    style.filter(has_text="node.Measure").wait_for()
    timings["style frame"] = time.monotonic() - t_login
    assert style.get_by_test_id("frameCommand").inner_text().strip().startswith(":style http")
    guide = _frame(page, "/browser/policykg/guide.html")
    guide.get_by_test_id("carousel").wait_for()
    timings["guide frame"] = time.monotonic() - t_login
    assert guide.get_by_test_id("frameCommand").inner_text().strip().startswith(":play http")
    assert "policykg: measures, agencies, regions, provisions" in guide.inner_text()
    assert re.search(r"\b1 / 6\b", guide.get_by_test_id("carousel").inner_text())
    assert guide.locator("pre.runnable").filter(has_text=":param words").count() == 1
    assert not guide.filter(has_text="Error").count(), guide.inner_text()

    # --- set $words in the editor, then run the guide's graph query from its slide
    editor = page.get_by_test_id("activeEditor")
    editor.click()
    page.keyboard.type(f":param words => '{WORDS}'")
    assert _editor_text_becomes(page, f":param words => '{WORDS}'") == f":param words => '{WORDS}'"
    page.keyboard.press("Enter")
    _frame(page, ":param words").filter(has_text="Successfully set your parameters").wait_for()

    # the two tables first (the answers in full text), the graph last: it is drawn on top
    guide.get_by_test_id("nextSlide").click()
    guide.filter(has_text="Which agencies back this measure").wait_for()
    backers = _run_guide_block(page, guide, BACKERS_TABLE_QUERY)
    rows = _table_rows(backers)
    assert [r[:3] for r in rows] == [[MEASURE, "LEADS", LEAD], [MEASURE, "COOPERATES", COOPERATE]], rows
    assert all(LEAD[-4:] in r[3] and COOPERATE in r[3] for r in rows), rows  # the evidence span

    guide.get_by_test_id("nextSlide").click()
    guide.filter(has_text="Which regulation and article").wait_for()
    provisions_table = _run_guide_block(page, guide, PROVISIONS_TABLE_QUERY)
    rows = _table_rows(provisions_table)
    assert rows == [[MEASURE, INSTRUMENT, "第三十四条第二款"], [MEASURE, INSTRUMENT, "第三十五条"]], rows

    guide.get_by_test_id("previousSlide").click()
    guide.filter(has_text="Which agencies back this measure").wait_for()
    t_run = time.monotonic()
    result = _run_guide_block(page, guide, GRAPH_QUERY)
    assert "RETURN m, r, a, adj, p" in result.get_by_test_id("frameCommand").inner_text()
    viz = result.locator("svg.neod3viz")
    page.wait_for_function("svg => svg.querySelectorAll('g.node').length >= 5", arg=viz.element_handle())
    timings["graph drawn"] = time.monotonic() - t_run
    nodes = _settled_nodes(viz)
    timings["layout settled"] = time.monotonic() - t_run

    # --- what was drawn: each node as the inspector shows it, with its drawn caption and colours
    for n in nodes:
        n.update(_inspect(page, result, n))
    by_label: dict[str, list[dict]] = {}
    for n in nodes:
        assert len(n["labels"]) == 1, n
        by_label.setdefault(n["labels"][0], []).append(n)
    assert sorted((k, len(v)) for k, v in by_label.items()) == [
        ("Agency", 2), ("LegalProvision", 2), ("Measure", 1)], nodes

    measure = by_label["Measure"][0]
    assert measure["props"]["text"] == MEASURE
    assert _shown_as(measure["caption"], MEASURE), measure["caption"]
    agencies = {n["props"]["name"]: n for n in by_label["Agency"]}
    assert set(agencies) == {LEAD, COOPERATE}
    for name, n in agencies.items():
        assert _shown_as(n["caption"], name), (name, n["caption"])
    provisions = by_label["LegalProvision"]
    assert {p["props"]["instrument"] for p in provisions} == {INSTRUMENT}
    assert {p["props"]["article"] + p["props"].get("clause", "") for p in provisions} == ARTICLES
    for p in provisions:
        assert _shown_as(p["caption"], INSTRUMENT), p["caption"]
    captions = [n["caption"] for n in nodes]
    assert sum(c.startswith(MEASURE[:4]) for c in captions) == 1
    assert any(c.startswith(LEAD[:4]) for c in captions) and any(c.startswith(COOPERATE[:4]) for c in captions)

    # --- the style from style.grass was applied (fill, border, diameter, caption property)
    grass = _grass_colours()
    for label, drawn in by_label.items():
        for n in drawn:
            assert (n["fill"], n["stroke"]) == grass[label], (label, n)
    assert measure["r"] == 40 and all(n["r"] == 32.5 for n in by_label["Agency"] + provisions)

    # --- relationships: who leads, who supports, which provisions; drawn in the grass colours
    rels = _drawn_relationships(viz)
    rel_colour = _rel_colours()
    roles = {}
    for rel in rels:
        start = min(nodes, key=lambda n: (n["x"] - rel["x"]) ** 2 + (n["y"] - rel["y"]) ** 2)
        assert (start["x"] - rel["x"]) ** 2 + (start["y"] - rel["y"]) ** 2 < 1.0, (rel, start)
        end = _pointed_node(rel, nodes, start)
        rtype = next(t for t in ("LEADS", "COOPERATES", "ADJUSTS_REGULATION") if _shown_as(rel["caption"], t))
        assert rel["fill"] == rel_colour[rtype], (rtype, rel)
        if rtype == "ADJUSTS_REGULATION":
            assert start is measure and any(end is p for p in provisions)
            roles.setdefault(rtype, set()).add(end["props"]["article"] + end["props"].get("clause", ""))
        else:
            assert end is measure, (rtype, start["props"], end["props"])
            roles.setdefault(rtype, set()).add(start["props"]["name"])
    assert roles == {"LEADS": {LEAD}, "COOPERATES": {COOPERATE}, "ADJUSTS_REGULATION": ARTICLES}

    # --- screenshot: the graph frame, with the inspector on the measure
    result.locator(f"g.node[aria-label='{measure['aria']}'] circle.b-outline").hover()
    result.get_by_test_id("viz-details-pane-properties-table").filter(has_text=MEASURE).wait_for()
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "neo4j-browser.png"))
    timings["total"] = time.monotonic() - t0
    print("neo4j-browser timings (s): " + ", ".join(f"{k} {v:.1f}" for k, v in timings.items()))
    assert not errors, f"script errors in the Browser: {errors}"
