from policykg.graph.embedded import JOURNAL, EmbeddedStore


def _sorted(records):
    import json

    return sorted(json.dumps(r, sort_keys=True, ensure_ascii=False) for r in records)


def test_embedded_loading_twice_changes_nothing(tmp_path, fragments):
    store = EmbeddedStore(tmp_path)
    for frag in fragments.values():
        store.load(frag)
    first = _sorted(store.records())
    for frag in fragments.values():
        store.load(frag)
    assert _sorted(store.records()) == first


def test_embedded_persists_and_reopens(tmp_path, fragments):
    store = EmbeddedStore(tmp_path)
    store.load(fragments["002"])
    store.close()
    assert (tmp_path / JOURNAL).stat().st_size == 0 and (tmp_path / "graph.jsonl").exists()
    again = EmbeddedStore(tmp_path)
    assert _sorted(again.records()) == _sorted(store.records())
    assert again.counts()["Measure"] == 97


def test_embedded_torn_journal_line_is_no_half_document(tmp_path, fragments):
    store = EmbeddedStore(tmp_path)
    store.load(fragments["000"])
    whole = _sorted(store.records())
    with open(tmp_path / JOURNAL, "a", encoding="utf-8") as fh:
        fh.write('{"records": [{"type": "node", "id": "m-x", "labels": ["Measure"], "prop')   # a crash mid-write
    assert _sorted(EmbeddedStore(tmp_path).records()) == whole


def test_embedded_answers_the_analyst_questions(embedded_store):
    page = embedded_store.search_measures(q="开业申请 人民币业务")
    assert page.total == 1
    (m,) = page.items
    provs = embedded_store.provisions(m.id)
    assert [(p.provision.instrument, p.provision.article) for p in provs] == [("中华人民共和国外资银行管理条例", "第三十四条")]
    page = embedded_store.search_measures(q="多式联运监管中心")
    backers = embedded_store.backers(page.items[0].id)
    assert [(b.agency.name, b.role) for b in backers] == [("试点地区", "lead"), ("海关总署", "cooperate")]
    assert embedded_store.backers("m-unknown") is None
