from policykg.graph.linking import link_fragment, similarity
from policykg.graph.model import GraphFragment, Label, RelType


def _linked(frag):
    return {s: e for (t, s, e) in frag.relationships if t == RelType.IMPLEMENTS.value}


def test_linking_tianjin_rows_implement_the_state_council_tasks(fragments):
    merged = GraphFragment()
    for key in ("002", "004"):
        merged.extend(fragments[key])
    assert link_fragment(merged) > 30
    links = _linked(merged)
    rows = [m for m in merged.by_label(Label.MEASURE)
            if m.document.startswith("004") and m.kind == "task" and m.section == "天津市深化服务贸易创新发展试点任务明细表"]
    national = {m.id: m for m in merged.by_label(Label.MEASURE) if m.document.startswith("002")}
    unlinked = sorted(m.text for m in rows if m.id not in links)
    # The one row that is Tianjin's own task, not a State Council one.
    assert unlinked == ["建立港口收费公示制度。"]
    for m in rows:
        if m.id in links:
            assert links[m.id] in national and national[links[m.id]].kind == "task"
    abridged = next(m for m in rows if m.text.startswith("探索完善服务贸易市场准入制度"))
    assert national[links[abridged.id]].text.startswith("探索完善跨境交付、境外消费、自然人移动等模式下服务贸易市场准入制度")


def test_linking_needs_a_citation(fragments):
    # Beijing's plan cites the approval but restates none of its tasks; the approval cites neither.
    merged = GraphFragment()
    for key in ("000", "002"):
        merged.extend(fragments[key])
    link_fragment(merged)
    assert _linked(merged) == {}


def test_linking_similarity_rules():
    assert similarity("拓宽服务贸易企业融资渠道。", "拓宽服务贸易企业融资渠道") == 1.0
    assert similarity("加大出口信用保险对服务贸易的支持力度。", "加大出口信用保险和出口信贷对服务贸易的支持力度。") >= 0.8
    assert similarity("建立港口收费公示制度。", "建立港口统一收费服务平台。") < 0.8


def test_linking_store_and_extract_agree(embedded_store):
    links = [r for r in embedded_store.records() if r["type"] == "relationship" and r["label"] == "IMPLEMENTS"]
    assert len(links) >= 40
    assert all(r["properties"]["document"] and r["properties"]["evidence"] for r in links)
