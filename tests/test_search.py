"""Search through Neo4j's full-text index answers exactly as the substring rule does."""
import pytest

from neo4j_support import fresh_neo4j_store
from policykg.extractors.pipeline import build_nlp, extract_source
from policykg.extractors.text import SourceText
from policykg.graph.questions import fulltext_query, search_statements

# Items whose texts hold 营商 and 商环境 either side of a comma: the bigrams of 营商环境 occur
# in a row (营商 | 商环 环境) although the phrase does not; only the CONTAINS test can tell.
TEXT = """关于优化营商环境的实施方案
一、持续优化营商环境，提升政务服务水平。（牵头单位：市商务委）
二、推进营商，商环境评价机制改革。（牵头单位：市发展改革委）
三、建设港口物流枢纽，推动FT账户业务。（牵头单位：市交通委）
"""


def test_search_fulltext_query_takes_only_han_runs():
    assert fulltext_query(["服务贸易", "人才"]) == '"服务贸易" AND "人才"'
    assert fulltext_query(["港", "FT", "FT账户", "2020"]) is None
    assert fulltext_query(["港", "营商环境"]) == '"营商环境"'
    (count, _), (page, params) = search_statements(["营商环境"], None, None, None, None, 20, 0)
    assert "queryNodes" in count and "queryNodes" in page and params["fulltext"] == '"营商环境"'
    (count, _), _ = search_statements(["港"], None, None, None, None, 20, 0)
    assert "queryNodes" not in count


@pytest.mark.neo4j
def test_search_neo4j_fulltext_is_exact(tmp_path):
    from policykg.graph.embedded import EmbeddedStore

    src = SourceText(file="营商.txt", path="营商.txt", text=TEXT, sha256="0" * 64, encoding="utf-8")
    frag = extract_source(src, build_nlp())
    neo, emb = fresh_neo4j_store(), EmbeddedStore(tmp_path)
    try:
        for store in (neo, emb):
            store.load(frag)
        for q in ("营商环境", "营商", "商环境", "港 物流", "FT账户", "账户 FT", "环境 服务", "营商环境 评价"):
            a, b = neo.search_measures(q=q), emb.search_measures(q=q)
            assert a.model_dump() == b.model_dump(), q
        hits = neo.search_measures(q="营商环境")
        assert [m.text for m in hits.items] == ["持续优化营商环境，提升政务服务水平。"]
        assert neo.search_measures(q="商环境").total == 2
    finally:
        neo.close()
        emb.close()
