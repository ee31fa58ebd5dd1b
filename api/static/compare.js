/* policykg explorer: comparing two documents side by side (GET /compare) and the
 * implementation matrix of a national document (GET /documents/{id}/implementation).
 * A view over the explorer, opened from the top bar or by the address:
 *   #compare=<A>|<B>     #matrix=<document>
 * Measures link into the graph (window.explorer.openNode). Plain JavaScript, no build. */
(function () {
  "use strict";

  const CSS = `
  .cmp-open { margin-left: 8px; padding: 6px 10px; border: 1px solid #cbd5e1; border-radius: 6px;
              background: #fff; color: #1e293b; cursor: pointer; font: inherit; font-size: 13px; }
  .cmp-open:hover { background: #f1f5f9; }
  #cmp-view { position: fixed; inset: 64px 16px 16px 16px; z-index: 50; background: #fff;
              border: 1px solid #cbd5e1; border-radius: 10px; box-shadow: 0 12px 40px rgba(15,23,42,.18);
              display: flex; flex-direction: column; overflow: hidden; }
  #cmp-view[hidden] { display: none; }
  .cmp-head { display: flex; gap: 10px; align-items: center; padding: 10px 14px; border-bottom: 1px solid #e2e8f0;
              flex-wrap: wrap; }
  .cmp-head h2 { font-size: 15px; margin: 0 8px 0 0; }
  .cmp-tabs button { border: 1px solid #cbd5e1; background: #f8fafc; padding: 5px 10px; cursor: pointer; font: inherit; }
  .cmp-tabs button[aria-selected="true"] { background: #2563eb; color: #fff; border-color: #2563eb; }
  .cmp-head select { max-width: 360px; font: inherit; padding: 4px; }
  .cmp-close { margin-left: auto; border: none; background: none; font-size: 20px; cursor: pointer; }
  .cmp-body { overflow: auto; padding: 12px 14px; flex: 1; font-size: 13px; }
  .cmp-summary { margin: 0 0 10px; font-weight: 600; }
  .cmp-summary span { display: inline-block; margin-right: 12px; padding: 2px 8px; border-radius: 10px; }
  .cmp-grid { display: grid; grid-template-columns: 110px 1fr 1fr; border-top: 1px solid #e2e8f0; }
  .cmp-grid > div { padding: 6px 8px; border-bottom: 1px solid #e2e8f0; }
  .cmp-grid .cmp-h { font-weight: 600; background: #f8fafc; position: sticky; top: -12px; z-index: 1; }
  .st-carried_over { background: #f8fafc; color: #475569; }
  .st-changed { background: #fff8e1; }
  .st-dropped { background: #fdecec; }
  .st-added { background: #e9f8ee; }
  .cmp-badge { font-size: 12px; font-weight: 600; }
  .cmp-grid del { background: #fecaca; color: #7f1d1d; text-decoration: line-through; }
  .cmp-grid ins { background: #bbf7d0; color: #14532d; text-decoration: none; }
  .cmp-changes { margin-top: 4px; font-size: 12px; color: #92400e; }
  .cmp-m { cursor: pointer; }
  .cmp-m:hover { text-decoration: underline; }
  .cmp-matrix { border-collapse: collapse; font-size: 12px; }
  .cmp-matrix th, .cmp-matrix td { border: 1px solid #e2e8f0; padding: 5px 7px; vertical-align: top; max-width: 280px; }
  .cmp-matrix thead th { position: sticky; top: -12px; background: #f1f5f9; z-index: 1; }
  .cmp-matrix td.hit { background: #e0f2fe; }
  .cmp-matrix tr.none td:first-child { color: #94a3b8; }
  .cmp-lead { font-weight: 600; color: #7c2d12; }
  .cmp-due { color: #475569; }
  .cmp-share { display: block; height: 6px; background: #e2e8f0; border-radius: 3px; margin-top: 4px; }
  .cmp-share > i { display: block; height: 100%; background: #0ea5e9; border-radius: 3px; }
  .cmp-err { color: #b91c1c; }
  `;

  const h = window.policykgDom.h;     // static/dom.js

  let pending = 0;
  async function api(path, params) {
    const url = new URL(path, document.baseURI);
    for (const [k, v] of Object.entries(params || {})) url.searchParams.set(k, v);
    pending++;
    try {
      const res = await fetch(url, { headers: { Accept: "application/json" } });
      const body = await res.json().catch(() => null);
      if (!res.ok) throw new Error(`${res.status} ${body && body.error ? body.error.message : res.statusText}`);
      return body;
    } finally {
      pending--;
    }
  }

  const docName = (d) => d.doc_number || d.title || d.file || d.id;
  const STATUS = { carried_over: "沿用", changed: "修改", dropped: "删除", added: "新增" };

  // ------------------------------------------------------------------ the view
  document.head.append(h("style", {}, CSS));
  const view = h("section", { id: "cmp-view", hidden: true, "aria-label": "文件比较与落实矩阵" });
  const tabs = h("div", { class: "cmp-tabs", role: "tablist" });
  const controls = h("div", { class: "cmp-controls" });
  const body = h("div", { class: "cmp-body" });
  view.append(h("div", { class: "cmp-head" }, h("h2", {}, "文件比较 ", h("small", {}, "Compare")), tabs, controls,
                h("button", { class: "cmp-close", type: "button", title: "关闭", onclick: close }, "×")), body);
  document.body.append(view);

  const topbar = document.querySelector(".topbar");
  const docsLink = topbar && topbar.querySelector(".docs-link");
  for (const [label, fn] of [["比较文件", () => openCompare()], ["落实矩阵", () => openMatrix()]]) {
    const b = h("button", { type: "button", class: "cmp-open", onclick: fn }, label);
    if (topbar) topbar.insertBefore(b, docsLink || null);
  }

  let documents = null;
  async function docs() {
    if (!documents) documents = (await api("documents")).sort((a, b) => (a.file || "").localeCompare(b.file || ""));
    return documents;
  }

  function docSelect(id, value) {
    const sel = h("select", { id, "aria-label": id });
    for (const d of documents) sel.append(h("option", { value: d.id, selected: d.id === value }, `${(d.file || "").slice(0, 3)} ${docName(d)}`));
    return sel;
  }

  function setTab(which) {
    tabs.replaceChildren(
      h("button", { type: "button", role: "tab", "aria-selected": String(which === "compare"), onclick: () => openCompare() }, "两份文件比较"),
      h("button", { type: "button", role: "tab", "aria-selected": String(which === "matrix"), onclick: () => openMatrix() }, "落实矩阵"));
    view.dataset.tab = which;
  }

  function toGraph(id) {
    close();
    if (window.explorer && window.explorer.openNode) window.explorer.openNode(id);
  }

  function measureLink(m) {
    return h("span", { class: "cmp-m", title: "在关系图中打开", dataset: { id: m.id }, onclick: () => toGraph(m.id) }, m.text);
  }

  function close() {
    view.hidden = true;
    if (/^#(compare|matrix)=/.test(location.hash)) history.replaceState(null, "", location.pathname + location.search);
  }

  // ------------------------------------------------------------------ compare
  async function openCompare(a, b) {
    view.hidden = false;
    setTab("compare");
    await docs();
    const ids = documents.map((d) => d.id);
    a = a || (ids.length ? ids[0] : "");
    b = b || (ids.length > 1 ? ids[1] : a);
    const selA = docSelect("cmp-a", a), selB = docSelect("cmp-b", b);
    const go = () => showCompare(selA.value, selB.value);
    controls.replaceChildren(selA, " → ", selB, " ", h("button", { type: "button", onclick: go }, "比较"));
    const r = await showCompare(a, b);
    if (r) { selA.value = r.a.id; selB.value = r.b.id; }     // a number or file name given: show the document
    return r;
  }

  function diffSide(ops, side) {
    // A's column shows what B deletes, B's column what B inserts.
    const out = [];
    for (const o of ops) {
      if (o.op === "equal") out.push(o.a);
      else if (side === "a" && o.a) out.push(h("del", {}, o.a));
      else if (side === "b" && o.b) out.push(h("ins", {}, o.b));
    }
    return out;
  }

  async function showCompare(a, b) {
    history.replaceState(null, "", `#compare=${encodeURIComponent(a)}|${encodeURIComponent(b)}`);
    body.replaceChildren(h("p", {}, "比较中…"));
    let r;
    try {
      r = await api("compare", { a, b });
    } catch (err) {
      body.replaceChildren(h("p", { class: "cmp-err" }, `无法比较：${err.message}`));
      return null;
    }
    const c = r.counts;
    const summary = h("p", { class: "cmp-summary", id: "cmp-summary" },
      `${docName(r.a)}（${c.a} 条）→ ${docName(r.b)}（${c.b} 条）：`,
      ...Object.keys(STATUS).map((k) => h("span", { class: `st-${k}`, dataset: { count: k } }, `${STATUS[k]} ${c[k]}`)));
    const grid = h("div", { class: "cmp-grid", id: "cmp-grid" },
      h("div", { class: "cmp-h" }, "状态"), h("div", { class: "cmp-h" }, docName(r.a)), h("div", { class: "cmp-h" }, docName(r.b)));
    const row = (status, left, right, extra) => {
      const cls = `st-${status}`;
      grid.append(h("div", { class: `${cls} cmp-badge`, dataset: { status } }, STATUS[status]),
                  h("div", { class: cls }, left || ""), h("div", { class: cls }, right || "", extra || ""));
    };
    // In A's text order: pairs and dropped measures where they stand in A; added ones last.
    const entries = [...r.changed.map((p) => ["changed", p.a, p]), ...r.carried_over.map((p) => ["carried_over", p.a, p]),
                     ...r.dropped.map((m) => ["dropped", m, m])];
    entries.sort((x, y) => (x[1].start ?? 0) - (y[1].start ?? 0) || (x[1].id < y[1].id ? -1 : 1));
    for (const [status, , v] of entries) {
      if (status === "dropped") row(status, measureLink(v), "");
      else if (status === "carried_over") row(status, measureLink(v.a), measureLink(v.b));
      else {
        const left = v.text_changed ? h("span", { class: "cmp-m", onclick: () => toGraph(v.a.id) }, diffSide(v.text_diff, "a")) : measureLink(v.a);
        const right = v.text_changed ? h("span", { class: "cmp-m", onclick: () => toGraph(v.b.id) }, diffSide(v.text_diff, "b")) : measureLink(v.b);
        const changes = v.changes.map((f) => h("div", {}, `${{ lead: "牵头", supporting: "配合", deadline: "时限", provisions: "法规条款" }[f.field]}：`,
          (f.a.join("、") || "—"), " → ", (f.b.join("、") || "—")));
        row(status, left, right, changes.length ? h("div", { class: "cmp-changes" }, changes) : null);
      }
    }
    for (const m of r.added) row("added", "", measureLink(m));
    body.replaceChildren(summary, grid);
    return r;
  }

  // ------------------------------------------------------------------ matrix
  async function openMatrix(doc) {
    view.hidden = false;
    setTab("matrix");
    await docs();
    const national = documents.find((d) => d.issuer === "国务院") || documents[0];
    doc = doc || (national ? national.id : "");
    const sel = docSelect("cmp-matrix-doc", doc);
    controls.replaceChildren(sel, " ", h("button", { type: "button", onclick: () => showMatrix(sel.value) }, "显示"));
    const m = await showMatrix(doc);
    if (m) sel.value = m.document.id;
    return m;
  }

  async function showMatrix(doc) {
    history.replaceState(null, "", `#matrix=${encodeURIComponent(doc)}`);
    body.replaceChildren(h("p", {}, "读取中…"));
    let m;
    try {
      m = await api(`documents/${encodeURIComponent(doc)}/implementation`);
    } catch (err) {
      body.replaceChildren(h("p", { class: "cmp-err" }, `无法读取：${err.message}`));
      return null;
    }
    const implemented = m.measures - m.unimplemented.length;
    const summary = h("p", { class: "cmp-summary", id: "cmp-summary" },
      `${docName(m.document)}：${m.measures} 项措施，${implemented} 项已有地方落实，${m.unimplemented.length} 项无落实；` +
      `${m.columns.length} 份落实文件`);
    const head = h("tr", {}, h("th", {}, "国家措施"));
    for (const c of m.columns) {
      const pct = Math.round(c.share * 100);
      head.append(h("th", { dataset: { document: c.document.id, share: String(c.share) },
                            style: `background: rgba(14,165,233,${(0.1 + 0.6 * c.share).toFixed(2)})` },
        h("div", {}, c.region || ""), h("div", { class: "cmp-m", onclick: () => toGraph(c.document.id) }, docName(c.document)),
        h("div", {}, `${c.implemented}/${m.measures}（${pct}%）`),
        h("span", { class: "cmp-share" }, h("i", { style: `width:${pct}%` }))));
    }
    const tbody = h("tbody");
    for (const row of m.rows) {
      const any = Object.keys(row.cells).length > 0;
      const tr = h("tr", { class: any ? "hit" : "none", dataset: { measure: row.measure.id } }, h("td", {}, measureLink(row.measure)));
      for (const c of m.columns) {
        const items = row.cells[c.document.id] || [];
        tr.append(h("td", { class: items.length ? "hit" : "" },
          items.map((i) => h("div", {}, measureLink(i.measure),
            h("div", { class: "cmp-lead" }, i.lead.join("、") || "—"),
            i.due || i.deadline ? h("div", { class: "cmp-due" }, i.due || i.deadline) : null))));
      }
      tbody.append(tr);
    }
    body.replaceChildren(summary, h("table", { class: "cmp-matrix", id: "cmp-matrix" }, h("thead", {}, head), tbody));
    return m;
  }

  function fromHash() {
    const hash = location.hash.slice(1);
    const cm = hash.match(/^compare=([^|]*)\|(.*)$/);
    if (cm) return openCompare(decodeURIComponent(cm[1]), decodeURIComponent(cm[2]));
    const mm = hash.match(/^matrix=(.*)$/);
    if (mm) return openMatrix(decodeURIComponent(mm[1]));
    return null;
  }
  fromHash();

  window.compareView = {
    openCompare, openMatrix, close,
    get busy() { return pending; },
  };
})();
