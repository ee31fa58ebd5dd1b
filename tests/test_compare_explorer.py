"""The explorer's compare and matrix views (api/static/compare.js) in headless Chromium:
two documents side by side with the changes marked, and the implementation matrix with
coverage shading and links into the graph. Screenshots go to test-artifacts/."""
from __future__ import annotations

import os

import pytest

from test_explorer import ARTIFACTS, _Server, browser_context  # noqa: F401  (a fixture)

pytestmark = pytest.mark.browser
STORES = ["embedded"] + (["neo4j"] if os.environ.get("POLICYKG_TEST_NEO4J_URI") else [])


@pytest.fixture(scope="module", params=STORES)
def server(request, fragments, tmp_path_factory):
    if request.param == "embedded":
        from policykg.graph.embedded import EmbeddedStore

        store = EmbeddedStore(tmp_path_factory.mktemp("compare-explorer-store"))
    else:
        from neo4j_support import fresh_neo4j_store

        store = fresh_neo4j_store()
    for frag in fragments.values():
        store.load(frag)
    store.link_implements()
    try:
        with _Server(store) as srv:
            srv.store_name = request.param
            yield srv
    finally:
        store.close()


@pytest.fixture()
def page(browser_context, server):  # noqa: F811
    page = browser_context.new_page()
    errors, outside = [], []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("request", lambda r: None if r.url.startswith((server.url, "data:")) else outside.append(r.url))
    yield page
    page.close()
    assert not errors, f"script errors: {errors}"
    assert not outside, f"requests that left the server: {outside}"


def _shot(page, server, name):
    ARTIFACTS.mkdir(exist_ok=True)
    suffix = "" if server.store_name == "embedded" else f"-{server.store_name}"
    page.screenshot(path=str(ARTIFACTS / f"{name}{suffix}.png"))


def _ready(page):
    page.wait_for_function("() => window.explorer && window.explorer.busy === 0 && window.compareView "
                           "&& window.compareView.busy === 0 && document.querySelector('#cmp-summary')")


def test_compare_explorer_shows_two_documents_side_by_side(page, server):
    page.goto(server.url + "/#compare=004|" + "国函〔2018〕79号")
    _ready(page)
    counts = {k: page.locator(f"#cmp-summary [data-count={k}]").inner_text()
              for k in ("carried_over", "changed", "dropped", "added")}
    assert counts == {"carried_over": "沿用 15", "changed": "修改 20", "dropped": "删除 72", "added": "新增 62"}
    badges = page.locator("#cmp-grid [data-status]")
    assert badges.count() == 15 + 20 + 72 + 62
    assert page.locator("#cmp-grid ins", has_text="跨境交付、境外消费、自然人移动等模式下").count() == 1
    assert page.locator("#cmp-grid .cmp-changes").first.inner_text().startswith("牵头")
    assert page.eval_on_selector("#cmp-a", "s => s.selectedOptions[0].textContent").startswith("004")
    assert page.eval_on_selector("#cmp-b", "s => s.selectedOptions[0].textContent") == "002 国函〔2018〕79号"
    page.locator("#cmp-grid ins").first.scroll_into_view_if_needed()
    _shot(page, server, "compare-side-by-side")


def test_compare_explorer_matrix_shades_coverage_and_opens_the_graph(page, server):
    page.goto(server.url + "/")
    page.wait_for_function("() => window.explorer && window.explorer.busy === 0 && window.compareView")
    page.get_by_role("button", name="落实矩阵").first.click()
    _ready(page)
    heads = page.locator("#cmp-matrix thead th[data-share]")
    assert heads.count() == 2
    assert "天津市" in heads.first.inner_text() and "35/97" in heads.first.inner_text()
    assert page.locator("#cmp-matrix tbody tr").count() == 97
    assert page.locator("#cmp-matrix tbody tr.none").count() == 54
    assert page.locator("#cmp-matrix td.hit .cmp-lead", has_text="天津市商务委员会").count() > 5
    _shot(page, server, "compare-matrix")
    cell = page.locator("#cmp-matrix td.hit .cmp-m").nth(1)
    measure_id = cell.get_attribute("data-id")
    cell.click()
    page.wait_for_function("""(id) => window.explorer.busy === 0
        && window.explorer.drawn().some(n => n.id === id && n.selected)""", arg=measure_id)
    assert page.locator("#cmp-view").is_hidden()
