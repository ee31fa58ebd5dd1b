/* policykg explorer: search measures, draw a node's neighbourhood, expand by clicking,
 * read the evidence. Plain JavaScript over the JSON API; the graph is drawn by the
 * vendored cytoscape (static/vendor/, copied there by web/build.sh). */
(function () {
  "use strict";

  // ------------------------------------------------------------------ vocabulary
  const FONT = '"Noto Sans CJK SC", "Noto Sans SC", "PingFang SC", "Hiragino Sans GB", "Microsoft YaHei", ' +
               '"Source Han Sans SC", "WenQuanYi Micro Hei", sans-serif';

  const LABELS = {
    Measure:        { zh: "措施", en: "Measure",   color: "#2563eb", fill: "#eaf1ff", text: "#1e3a8a", shape: "round-rectangle", maxW: 168, size: 13 },
    Agency:         { zh: "机构", en: "Agency",    color: "#d9480f", fill: "#fff1e8", text: "#7c2d12", shape: "round-rectangle", maxW: 150, size: 14 },
    Region:         { zh: "地区", en: "Region",    color: "#2f9e44", fill: "#ebf8ee", text: "#14532d", shape: "round-hexagon",   maxW: 120, size: 13 },
    LegalProvision: { zh: "法规条款", en: "Provision", color: "#7c3aed", fill: "#f3edff", text: "#4c1d95", shape: "cut-rectangle", maxW: 190, size: 13 },
    Document:       { zh: "文件", en: "Document",  color: "#64748b", fill: "#f1f5f9", text: "#1e293b", shape: "rectangle",       maxW: 160, size: 13 },
  };
  const LABEL_ORDER = ["Measure", "Agency", "LegalProvision", "Region", "Document"];

  const EDGES = {
    LEADS:              { zh: "牵头",     color: "#c92a2a", width: 3.6, style: "solid" },
    COOPERATES:         { zh: "配合",     color: "#f08c00", width: 2.2, style: "dashed" },
    ADJUSTS_REGULATION: { zh: "调整法规", color: "#7c3aed", width: 2.6, style: "solid" },
    APPLIES_TO:         { zh: "适用地区", color: "#2f9e44", width: 1.8, style: "solid" },
    PART_OF:            { zh: "隶属",     color: "#94a3b8", width: 1.6, style: "dotted" },
    FROM_DOCUMENT:      { zh: "出自文件", color: "#a3afbf", width: 1.4, style: "solid" },
    ISSUED_BY:          { zh: "发文机关", color: "#64748b", width: 1.6, style: "solid" },
    CITES:              { zh: "引用",     color: "#64748b", width: 1.6, style: "dashed" },
    IMPLEMENTS:         { zh: "落实",     color: "#0ea5e9", width: 1.8, style: "dashed" },
    SUPERSEDES:         { zh: "取代旧版", color: "#868e96", width: 1.6, style: "dotted" },
  };
  const EDGE_ORDER = Object.keys(EDGES);

  const KINDS = { task: "任务", action: "行动", opening: "开放举措", safeguard: "保障措施" };
  const LEVELS = { central: "中央", provincial: "省级", municipal: "市级", district: "区县", other: "其他",
                   country: "国家", province: "省", municipality: "直辖市", city: "市", new_area: "新区",
                   zone: "园区", area: "地区" };
  const EXAMPLES = ["多式联运监管中心", "开业申请", "呼叫中心", "出版物进出口", "中国出口信用保险公司"];
  const EXPAND_LIMIT = 80;
  const PAGE = 30;

  // ------------------------------------------------------------------ helpers
  const $ = (sel) => document.querySelector(sel);

  const h = window.policykgDom.h;     // static/dom.js

  let busy = 0;
  function setBusy(delta) {
    busy = Math.max(0, busy + delta);
    document.body.dataset.busy = String(busy);
    document.body.style.cursor = busy ? "progress" : "";
  }

  async function api(path, params) {
    const url = new URL(path, document.baseURI);
    for (const [k, v] of Object.entries(params || {})) {
      if (v !== undefined && v !== null && v !== "") url.searchParams.set(k, v);
    }
    setBusy(+1);
    try {
      const res = await fetch(url, { headers: { Accept: "application/json" } });
      const body = await res.json().catch(() => null);
      if (!res.ok) {
        const msg = body && body.error ? body.error.message : res.statusText;
        throw new Error(`${res.status} ${msg}`);
      }
      return body;
    } finally {
      setBusy(-1);
    }
  }

  function notice(text, kind) {
    const el = $("#notice");
    if (!text) { el.hidden = true; return; }
    el.textContent = text;
    el.className = "notice" + (kind ? " " + kind : "");
    el.hidden = false;
    clearTimeout(notice.timer);
    if (kind !== "error") notice.timer = setTimeout(() => { el.hidden = true; }, 6000);
  }

  function span(ev) {
    if (!ev || !ev.document) return "";
    const where = ev.start !== undefined && ev.start !== null ? ` · 字符 ${ev.start}–${ev.end}` : "";
    return ev.document + where;
  }

  // Wrap a caption into lines no wider than maxW px, measured with the drawing font.
  const measureCtx = document.createElement("canvas").getContext("2d");
  function wrap(text, size, maxW) {
    measureCtx.font = `${size}px ${FONT}`;
    const lines = [];
    let line = "";
    for (const ch of text) {
      if (line && measureCtx.measureText(line + ch).width > maxW) {
        // do not start a line with closing punctuation
        if ("，。、；：）》」』”！？".includes(ch)) { line += ch; continue; }
        lines.push(line);
        line = "";
      }
      line += ch;
    }
    if (line) lines.push(line);
    const width = Math.max(...lines.map((l) => measureCtx.measureText(l).width), 20);
    return { text: lines.join("\n"), width, lines: lines.length };
  }

  function nodeData(n) {
    const spec = LABELS[n.label] || LABELS.Document;
    const w = wrap(n.caption || n.id, spec.size, spec.maxW);
    return {
      id: n.id, label: n.label, caption: n.caption, props: n.properties || {},
      display: w.text,
      w: Math.round(w.width + 22),
      h: Math.round(w.lines * spec.size * 1.35 + 16),
    };
  }

  // ------------------------------------------------------------------ graph
  const cy = cytoscape({
    container: $("#graph"),
    minZoom: 0.08,
    maxZoom: 2.5,
    boxSelectionEnabled: false,
    selectionType: "single",
    style: buildStyle(),
  });

  function buildStyle() {
    const s = [
      { selector: "node", style: {
          "label": "data(display)", "font-family": FONT, "text-wrap": "wrap", "text-valign": "center",
          "text-halign": "center", "width": "data(w)", "height": "data(h)", "border-width": 1.6,
          "min-zoomed-font-size": 5, "line-height": 1.3,
          "transition-property": "background-color, border-width, color", "transition-duration": "150ms" } },
      { selector: "node.hover", style: { "border-width": 3 } },
      { selector: "node:selected", style: { "border-width": 3.5, "color": "#ffffff", "font-weight": 600,
          "overlay-opacity": 0, "underlay-color": "#93c5fd", "underlay-opacity": 0.45, "underlay-padding": 7 } },
      { selector: "node.expanded", style: { "border-style": "double", "border-width": 4 } },
      { selector: "node.expanded:selected", style: { "border-style": "solid", "border-width": 3.5 } },
      { selector: "edge", style: {
          "curve-style": "bezier", "target-arrow-shape": "triangle", "arrow-scale": 0.9,
          "label": "data(type)", "font-family": FONT, "font-size": 10, "font-weight": 600,
          "text-rotation": "autorotate", "text-background-color": "#ffffff", "text-background-opacity": 0.92,
          "text-background-padding": 2, "text-background-shape": "round-rectangle", "min-zoomed-font-size": 7,
          "text-margin-y": 0 } },
      { selector: "edge.hover", style: { "width": 5, "z-index": 10 } },
      { selector: "edge:selected", style: { "overlay-opacity": 0, "underlay-color": "#fde68a", "underlay-opacity": 0.7,
          "underlay-padding": 4 } },
      { selector: ".faded", style: { "opacity": 0.22 } },
      { selector: ".off", style: { "display": "none" } },
    ];
    for (const [label, spec] of Object.entries(LABELS)) {
      s.push({ selector: `node[label = "${label}"]`, style: {
        "shape": spec.shape, "background-color": spec.fill, "border-color": spec.color, "color": spec.text,
        "font-size": spec.size, "font-weight": label === "Agency" ? 600 : 400 } });
      s.push({ selector: `node[label = "${label}"]:selected`, style: { "background-color": spec.color, "color": "#ffffff", "font-weight": 600 } });
    }
    for (const [type, spec] of Object.entries(EDGES)) {
      s.push({ selector: `edge[type = "${type}"]`, style: {
        "line-color": spec.color, "target-arrow-color": spec.color, "color": spec.color, "width": spec.width,
        "line-style": spec.style, "line-dash-pattern": [7, 5] } });
    }
    s.push({ selector: 'edge[type = "LEADS"]', style: { "z-index": 5 } });
    return s;
  }

  function edgeData(e) {
    return { id: e.id, source: e.source, target: e.target, type: e.type, props: e.properties || {} };
  }

  // Merge a neighbourhood; returns the collection of nodes that were not drawn before.
  function merge(nb) {
    let added = cy.collection();
    cy.batch(() => {
      const nodes = nb.nodes.filter((n) => cy.getElementById(n.id).empty())
                            .map((n) => ({ group: "nodes", data: nodeData(n) }));
      added = cy.add(nodes);
      const edges = nb.edges.filter((e) => cy.getElementById(e.id).empty())
                            .map((e) => ({ group: "edges", data: edgeData(e) }));
      cy.add(edges);
      applyFilters();
    });
    syncCounts();
    return added;
  }

  function syncCounts() {
    const g = $("#graph");
    g.dataset.nodes = String(cy.nodes().length);
    g.dataset.edges = String(cy.edges().length);
    document.body.classList.toggle("has-graph", cy.nodes().length > 0);
  }

  // Relationship-type rank of a node as seen from `center` (for ordering around it).
  function rankFrom(center, node) {
    const e = center.edgesWith(node)[0];
    const t = e ? EDGE_ORDER.indexOf(e.data("type")) : EDGE_ORDER.length;
    return t * 10 + LABEL_ORDER.indexOf(node.data("label"));
  }

  function box(pos, n, pad) {
    const w = n.data("w") / 2 + pad, hh = n.data("h") / 2 + pad;
    return { x1: pos.x - w, x2: pos.x + w, y1: pos.y - hh, y2: pos.y + hh };
  }

  // Push overlapping nodes apart; only `movable` ids move (unless both are fixed).
  function separate(pos, movable, rounds) {
    const nodes = cy.nodes(":visible").filter((n) => pos[n.id()]);
    const arr = nodes.map((n) => ({ n, id: n.id(), m: movable.has(n.id()) }));
    for (let r = 0; r < (rounds || 120); r++) {
      let moved = false;
      for (let i = 0; i < arr.length; i++) {
        for (let j = i + 1; j < arr.length; j++) {
          const a = arr[i], b = arr[j];
          if (!a.m && !b.m) continue;
          const pa = pos[a.id], pb = pos[b.id];
          const A = box(pa, a.n, 9), B = box(pb, b.n, 9);
          const ox = Math.min(A.x2, B.x2) - Math.max(A.x1, B.x1);
          const oy = Math.min(A.y2, B.y2) - Math.max(A.y1, B.y1);
          if (ox <= 0 || oy <= 0) continue;
          moved = true;
          const share = a.m && b.m ? 0.5 : 1;
          if (ox < oy) {
            const d = (pa.x <= pb.x ? -1 : 1) * (ox + 0.5);
            if (a.m) pa.x += d * share;
            if (b.m) pb.x -= d * share;
          } else {
            const d = (pa.y <= pb.y ? -1 : 1) * (oy + 0.5);
            if (a.m) pa.y += d * share;
            if (b.m) pb.y -= d * share;
          }
        }
      }
      if (!moved) break;
    }
    return pos;
  }

  const STRETCH = 1.4;   // rings are ellipses, wider than tall, since captions are wide
  const GAP = 16;

  // Angles for `nodes` around an ellipse of radius r (x stretched), each given the room its
  // box needs along the ring: little at the sides (boxes stack), their width at the top.
  function ringAngles(nodes, start, span) {
    const n = nodes.length;
    const ext = (node, t) => {
      const tx = STRETCH * Math.sin(t), ty = Math.cos(t), len = Math.hypot(tx, ty);
      return { need: (node.data("w") * Math.abs(tx) + node.data("h") * Math.abs(ty)) / len + GAP, len };
    };
    let angles = nodes.map((_, i) => start + (span * (i + 0.5)) / n);
    let r = 0;
    for (let iter = 0; iter < 8; iter++) {
      const need = nodes.map((node, i) => { const e = ext(node, angles[i]); return e.need / e.len; });
      const total = need.reduce((x, y) => x + y, 0);
      r = total / span;
      let t = start;
      angles = need.map((d) => { const mid = t + d / r / 2; t += d / r; return mid; });
    }
    return { angles, r };
  }

  // Radial layout: `root` at the centre, each breadth-first level on a wider ellipse; level-1
  // nodes ordered by relationship (leads at the top, then cooperates, provisions, regions …),
  // deeper nodes next to the node that reached them.
  function radialPositions(root) {
    const pos = {};
    pos[root.id()] = { x: 0, y: 0 };
    const angle = {};
    let level = [root];
    const seen = new Set([root.id()]);
    let radius = 0;
    let depth = 0;
    while (level.length) {
      depth++;
      const next = [];
      for (const parent of level) {
        const kids = parent.neighborhood("node:visible").filter((n) => !seen.has(n.id())).toArray();
        kids.sort((a, b) => rankFrom(parent, a) - rankFrom(parent, b) || a.data("caption").localeCompare(b.data("caption")));
        for (const k of kids) { seen.add(k.id()); next.push({ node: k, parent }); }
      }
      if (!next.length) break;
      if (depth > 1) next.sort((a, b) => angle[a.parent.id()] - angle[b.parent.id()]);
      // leads start at the top; the first of a single pair sits above, the second below
      const start = depth === 1 ? -Math.PI / 2 - Math.PI / next.length : angle[next[0].parent.id()] - 0.2;
      const ring = ringAngles(next.map((x) => x.node), start, 2 * Math.PI);
      radius = Math.max(ring.r, depth === 1 ? 185 : radius + 190);
      next.forEach((x, i) => {
        const t = ring.angles[i];
        angle[x.node.id()] = t;
        pos[x.node.id()] = { x: Math.cos(t) * radius * STRETCH, y: Math.sin(t) * radius };
      });
      level = next.map((x) => x.node);
    }
    // nodes not connected to the root: a row beneath
    let x = 0;
    const bottom = radius + 160;
    cy.nodes(":visible").forEach((n) => {
      if (!pos[n.id()]) { pos[n.id()] = { x, y: bottom }; x += n.data("w") + 30; }
    });
    const movable = new Set(Object.keys(pos));
    movable.delete(root.id());
    return separate(pos, movable);
  }

  function overlapsAny(pos, ids, others) {
    for (const id of ids) {
      const A = box(pos[id], cy.getElementById(id), 8);
      for (const o of others) {
        const B = box(pos[o.id()], o, 8);
        if (A.x1 < B.x2 && B.x1 < A.x2 && A.y1 < B.y2 && B.y1 < A.y2) return true;
      }
    }
    return false;
  }

  // Place `fresh` nodes beside `center`, as a tidy block of columns (or rows) on the side
  // facing away from the rest of the drawing; all around it when it is the middle.
  function aroundPositions(center, fresh) {
    const pos = {};
    cy.nodes().forEach((n) => { pos[n.id()] = { ...n.position() }; });
    const c = center.position();
    const rest = cy.nodes().not(fresh).not(center);
    const list = fresh.toArray().sort((a, b) => rankFrom(center, a) - rankFrom(center, b)
                                               || a.data("caption").localeCompare(b.data("caption")));
    const ids = list.map((x) => x.id());
    let dir = null;
    if (rest.length) {
      const bb = rest.boundingBox();
      const dx = c.x - (bb.x1 + bb.x2) / 2, dy = c.y - (bb.y1 + bb.y2) / 2;
      if (Math.hypot(dx, dy) > 40) dir = Math.atan2(dy, dx);
    }
    if (dir === null) {
      const ring = ringAngles(list, -Math.PI / 2 - Math.PI / list.length, 2 * Math.PI);
      const r = Math.max(ring.r, 185);
      list.forEach((n, i) => { pos[n.id()] = { x: c.x + Math.cos(ring.angles[i]) * r * STRETCH, y: c.y + Math.sin(ring.angles[i]) * r }; });
    } else {
      const horizontal = Math.abs(Math.cos(dir)) >= 0.55;
      const n = list.length;
      if (horizontal) {
        const sx = Math.cos(dir) >= 0 ? 1 : -1;
        const cols = Math.ceil(n / 8), per = Math.ceil(n / cols);
        let x = c.x + sx * (center.data("w") / 2 + 120);
        for (let k = 0; k < cols; k++) {
          const col = list.slice(k * per, (k + 1) * per);
          const w = Math.max(...col.map((m) => m.data("w")));
          const hsum = col.reduce((s2, m) => s2 + m.data("h") + 14, -14);
          let y = c.y + Math.sin(dir) * 60 - hsum / 2;
          x += sx * w / 2;
          for (const m of col) { pos[m.id()] = { x, y: y + m.data("h") / 2 }; y += m.data("h") + 14; }
          x += sx * (w / 2 + 40);
        }
      } else {
        const sy = Math.sin(dir) >= 0 ? 1 : -1;
        const rows = Math.ceil(n / 4), per = Math.ceil(n / rows);
        let y = c.y + sy * (center.data("h") / 2 + 110);
        for (let k = 0; k < rows; k++) {
          const row = list.slice(k * per, (k + 1) * per);
          const hmax = Math.max(...row.map((m) => m.data("h")));
          const wsum = row.reduce((s2, m) => s2 + m.data("w") + 20, -20);
          let x = c.x + Math.cos(dir) * 80 - wsum / 2;
          y += sy * hmax / 2;
          for (const m of row) { pos[m.id()] = { x: x + m.data("w") / 2, y }; x += m.data("w") + 20; }
          y += sy * (hmax / 2 + 28);
        }
      }
      // slide the block outwards until it clears what is already drawn
      const others = rest.filter(":visible").toArray();
      for (let step = 0; step < 40 && overlapsAny(pos, ids, others); step++) {
        for (const id of ids) { pos[id].x += Math.cos(dir) * 40; pos[id].y += Math.sin(dir) * 40; }
      }
    }
    return separate(pos, new Set(ids));
  }

  function runPreset(positions, fitEles) {
    return new Promise((resolve) => {
      setBusy(+1);
      const layout = cy.layout({
        name: "preset", positions: (n) => positions[n.id()] || n.position(),
        animate: true, animationDuration: 380, animationEasing: "ease-out-cubic", fit: false,
      });
      layout.one("layoutstop", () => {
        fitTo(fitEles || cy.elements(":visible"), false);
        setBusy(-1);
        resolve();
      });
      layout.run();
    });
  }

  // Fit `eles` into the part of the canvas the toolbar and legend leave free.
  function fitTo(eles, animate) {
    if (!eles || !eles.length) return;
    const el = $("#graph");
    const W = el.clientWidth, H = el.clientHeight;
    const legend = $("#legend");
    const top = 56, side = 36, bottom = (legend.offsetHeight || 0) + 28;
    const availW = Math.max(100, W - 2 * side), availH = Math.max(100, H - top - bottom);
    const bb = eles.boundingBox({ includeLabels: true });
    const zoom = Math.max(cy.minZoom(), Math.min(1.2, availW / Math.max(bb.w, 1), availH / Math.max(bb.h, 1)));
    const pan = { x: side + availW / 2 - ((bb.x1 + bb.x2) / 2) * zoom,
                  y: top + availH / 2 - ((bb.y1 + bb.y2) / 2) * zoom };
    if (animate) cy.animate({ zoom, pan }, { duration: 300 });
    else cy.viewport({ zoom, pan });
  }

  async function fetchNeighbourhood(id) {
    const nb = await api("graph", { node: id, depth: 1, limit: EXPAND_LIMIT });
    if (nb.truncated) notice(`邻居较多，只显示了前 ${EXPAND_LIMIT} 个节点。`);
    return nb;
  }

  // Start afresh from one node (a search result, a deep link).
  async function openNode(id) {
    const nb = await fetchNeighbourhood(id);
    cy.elements().remove();
    merge(nb);
    const root = cy.getElementById(id);
    root.addClass("expanded");
    await runPreset(radialPositions(root));
    selectNode(root);
  }

  // Expand a drawn node: fetch its neighbourhood and merge it in around it.
  async function expand(node) {
    if (node.hasClass("expanded")) return cy.collection();
    const nb = await fetchNeighbourhood(node.id());
    node.addClass("expanded");
    const fresh = merge(nb);
    if (fresh.length) {
      await runPreset(aroundPositions(node, fresh), node.closedNeighborhood(":visible"));
    }
    return fresh;
  }

  // Move to a node from a link in the side panel: draw it next to the selection if it is not
  // drawn yet, then select it, expand it and bring it into view.
  async function goTo(id) {
    let node = cy.getElementById(id);
    let fresh = cy.collection();
    if (node.empty()) {
      const nb = await fetchNeighbourhood(id);
      const anchor = cy.nodes(":selected")[0];
      const self = nb.nodes.filter((n) => n.id === id);
      const links = nb.edges.filter((e) => (e.source === id || e.target === id)
        && !cy.getElementById(e.source === id ? e.target : e.source).empty());
      const one = merge({ nodes: self, edges: links });
      node = cy.getElementById(id);
      if (anchor) await runPreset(aroundPositions(anchor, one), anchor.union(node));
      node.addClass("expanded");
      fresh = merge(nb);
      if (fresh.length || !anchor) {
        await runPreset(anchor ? aroundPositions(node, fresh) : radialPositions(node), node.closedNeighborhood(":visible"));
      }
    } else {
      fresh = await expand(node);
    }
    selectNode(node);
    if (!fresh.length) cy.animate({ center: { eles: node }, duration: 300 });
  }

  // ------------------------------------------------------------------ tooltip
  const tip = $("#tooltip");
  function showTip(evt, parts) {
    tip.replaceChildren(...parts);
    tip.hidden = false;
    const p = evt.renderedPosition || evt.target.renderedPosition();
    const wrapEl = $(".canvas");
    const maxX = wrapEl.clientWidth - tip.offsetWidth - 8;
    const maxY = wrapEl.clientHeight - tip.offsetHeight - 8;
    tip.style.left = Math.max(8, Math.min(p.x + 14, maxX)) + "px";
    tip.style.top = Math.max(8, Math.min(p.y + 14, maxY)) + "px";
  }
  function hideTip() { tip.hidden = true; }

  function edgeTip(e) {
    const t = e.data("type"), p = e.data("props");
    const src = cy.getElementById(e.data("source")).data("caption");
    const dst = cy.getElementById(e.data("target")).data("caption");
    return [
      h("div", { class: "tt-type" }, `${t} · ${(EDGES[t] || {}).zh || ""}`),
      h("div", {}, `${src} → ${dst}`),
      p.evidence ? h("div", { class: "tt-quote" }, `“${p.evidence}”`) : null,
      p.document ? h("div", { class: "tt-src" }, span(p)) : null,
    ];
  }

  function nodeTip(n) {
    const spec = LABELS[n.data("label")] || {};
    const p = n.data("props");
    const full = n.data("label") === "Measure" ? p.text : n.data("caption");
    const kind = p.kind ? ` · ${KINDS[p.kind] || p.kind}` : "";
    return [
      h("div", { class: "tt-type" }, `${spec.zh || ""} ${n.data("label")}${kind}`),
      h("div", {}, full),
      h("div", { class: "tt-src" }, n.hasClass("expanded") ? "已展开 · 点击查看详情" : "点击展开邻居并查看详情"),
    ];
  }

  cy.on("mouseover", "node", (evt) => { evt.target.addClass("hover"); showTip(evt, nodeTip(evt.target)); });
  cy.on("mouseout", "node", (evt) => { evt.target.removeClass("hover"); hideTip(); });
  cy.on("mouseover", "edge", (evt) => { evt.target.addClass("hover"); showTip(evt, edgeTip(evt.target)); });
  cy.on("mouseout", "edge", (evt) => { evt.target.removeClass("hover"); hideTip(); });
  cy.on("pan zoom", hideTip);
  $("#graph").addEventListener("mouseleave", () => { hideTip(); cy.elements(".hover").removeClass("hover"); });

  cy.on("tap", "node", async (evt) => {
    const node = evt.target;
    hideTip();
    selectNode(node);
    try { await expand(node); } catch (err) { notice(`展开失败：${err.message}`, "error"); }
  });
  cy.on("tap", "edge", (evt) => { hideTip(); showEdge(evt.target); });

  // ------------------------------------------------------------------ legend
  const hidden = { labels: new Set(), types: new Set() };
  function applyFilters() {
    cy.nodes().forEach((n) => n.toggleClass("off", hidden.labels.has(n.data("label"))));
    cy.edges().forEach((e) => e.toggleClass("off", hidden.types.has(e.data("type"))));
  }

  function edgeSample(spec) {
    const ns = "http://www.w3.org/2000/svg";
    const svg = document.createElementNS(ns, "svg");
    svg.setAttribute("width", "30"); svg.setAttribute("height", "10");
    const line = document.createElementNS(ns, "line");
    line.setAttribute("x1", "1"); line.setAttribute("y1", "5"); line.setAttribute("x2", "23"); line.setAttribute("y2", "5");
    line.setAttribute("stroke", spec.color); line.setAttribute("stroke-width", String(Math.min(spec.width, 3.6)));
    if (spec.style === "dashed") line.setAttribute("stroke-dasharray", "5 3");
    if (spec.style === "dotted") line.setAttribute("stroke-dasharray", "1.5 2.5");
    const head = document.createElementNS(ns, "path");
    head.setAttribute("d", "M22 1 L29 5 L22 9 Z"); head.setAttribute("fill", spec.color);
    svg.append(line, head);
    return svg;
  }

  function buildLegend() {
    const nodes = h("div", { class: "legend-row" }, h("h3", {}, "节点"));
    for (const label of LABEL_ORDER) {
      const spec = LABELS[label];
      const item = h("div", { class: "legend-item", title: "点击显示/隐藏", dataset: { label } },
        h("span", { class: "swatch", style: `background:${spec.fill};border-color:${spec.color}` }),
        `${spec.zh} `, h("code", {}, spec.en));
      item.addEventListener("click", () => {
        hidden.labels.has(label) ? hidden.labels.delete(label) : hidden.labels.add(label);
        item.classList.toggle("off"); applyFilters();
      });
      nodes.append(item);
    }
    const edges = h("div", { class: "legend-row" }, h("h3", {}, "关系"));
    for (const type of ["LEADS", "COOPERATES", "ADJUSTS_REGULATION", "APPLIES_TO", "PART_OF", "FROM_DOCUMENT"]) {
      const spec = EDGES[type];
      const item = h("div", { class: "legend-item", title: "点击显示/隐藏", dataset: { type } },
        edgeSample(spec), `${spec.zh} `, h("code", {}, type));
      item.addEventListener("click", () => {
        hidden.types.has(type) ? hidden.types.delete(type) : hidden.types.add(type);
        item.classList.toggle("off"); applyFilters();
      });
      edges.append(item);
    }
    $("#legend").replaceChildren(nodes, edges);
  }

  // ------------------------------------------------------------------ details panel
  const details = $("#details");
  let detailToken = 0;

  function selectNode(node) {
    cy.elements(":selected").unselect();
    node.select();
    const id = node.id();
    history.replaceState(null, "", "#node=" + encodeURIComponent(id));
    document.querySelectorAll(".result").forEach((r) => r.classList.toggle("active", r.dataset.id === id));
    renderDetails(node);
  }

  function head(label, title, extra) {
    const spec = LABELS[label] || LABELS.Document;
    return h("div", { class: "d-head" },
      h("div", { class: "d-type" }, h("span", { class: "dot", style: `background:${spec.color}` }),
        `${spec.zh} · ${spec.en}`, extra || null),
      h("div", { class: "d-title" }, title));
  }

  function meta(rows) {
    const dl = h("dl", { class: "d-meta" });
    for (const [k, v] of rows) if (v) dl.append(h("dt", {}, k), h("dd", {}, v));
    return dl;
  }

  function section(title, count, items, opts) {
    const o = opts || {};
    const h3 = h("h3", {}, o.line ? h("span", { class: "line" + (o.dashed ? " dashed" : ""), style: `border-top-color:${o.line}` }) : null,
      title, count !== null && count !== undefined ? h("span", { class: "n" }, `(${count})`) : null);
    const body = items && items.length
      ? h("ul", { class: "d-list" }, items)
      : h("div", { class: "d-none" }, o.none || "无");
    return h("section", { class: "d-section", dataset: { section: o.key || "" } }, h3, body,
      o.more ? h("div", { class: "d-more" }, o.more) : null);
  }

  function quote(ev) {
    if (!ev || !ev.text) return null;
    return h("div", { class: "quote" }, `“${ev.text}”`, ev.document ? h("span", { class: "src" }, span(ev)) : null);
  }

  function linkItem(cls, id, name, sub, ev) {
    return h("li", { class: `d-item ${cls}`, dataset: { id }, role: "button", tabindex: "0",
                     onclick: () => goTo(id).catch((e) => notice(e.message, "error")),
                     onkeydown: (e) => { if (e.key === "Enter") goTo(id).catch((err) => notice(err.message, "error")); } },
      h("div", { class: "name" }, name), sub ? h("div", { class: "sub" }, sub) : null, quote(ev));
  }

  function measureItems(list, cap) {
    return list.slice(0, cap).map((m) => linkItem("measure", m.id, m.text,
      [KINDS[m.kind] || m.kind, m.field, m.document].filter(Boolean).join(" · ")));
  }

  async function renderDetails(node) {
    const token = ++detailToken;
    const label = node.data("label"), id = node.id(), p = node.data("props");
    let parts;
    try {
      if (label === "Measure") parts = await measureDetails(id);
      else if (label === "Agency") parts = await agencyDetails(id, p);
      else if (label === "LegalProvision") parts = await provisionDetails(id, p);
      else if (label === "Region") parts = await regionDetails(id, p);
      else parts = await documentDetails(id, p);
    } catch (err) {
      parts = [head(label, node.data("caption")), h("div", { class: "d-section d-none" }, `加载失败：${err.message}`)];
    }
    if (token !== detailToken) return;
    details.replaceChildren(...parts);
    details.dataset.id = id;
    details.dataset.label = label;
    details.scrollTop = 0;
  }

  async function measureDetails(id) {
    const [m, backers, provs] = await Promise.all([
      api(`measures/${id}`), api(`measures/${id}/backers`), api(`measures/${id}/provisions`)]);
    const leads = backers.filter((b) => b.role === "lead");
    const coops = backers.filter((b) => b.role === "cooperate");
    const regionNodes = cy.getElementById(id).outgoers('edge[type = "APPLIES_TO"]').targets();
    const title = head("Measure", m.text, h("span", { class: `badge kind-${m.kind}` }, KINDS[m.kind] || m.kind));
    const t = title.querySelector(".d-title");
    t.classList.add("clamp");
    t.title = "点击展开全文";
    t.addEventListener("click", () => t.classList.toggle("clamp"));
    title.append(h("div", { class: "d-src" }, span(m.evidence || { document: m.document })));
    return [
      title,
      section("牵头单位 Lead", leads.length,
        leads.map((b) => linkItem("lead", b.agency.id, b.agency.name, "LEADS · 牵头", b.evidence)),
        { key: "lead", line: EDGES.LEADS.color, none: "原文未写明牵头单位" }),
      section("配合单位 Supporting", coops.length,
        coops.map((b) => linkItem("cooperate", b.agency.id, b.agency.name, "COOPERATES · 配合", b.evidence)),
        { key: "cooperate", line: EDGES.COOPERATES.color, dashed: true, none: "原文未写明配合单位" }),
      section("调整的法规条款 Provisions", provs.length,
        provs.map((a) => linkItem("provision", a.provision.id, `《${a.provision.instrument}》${a.provision.article ? a.provision.article + (a.provision.clause || "") : "（全文）"}`,
          "ADJUSTS_REGULATION · 调整法规", a.evidence)),
        { key: "provision", line: EDGES.ADJUSTS_REGULATION.color, none: "不涉及法规调整" }),
      m.evidence && m.evidence.text ? h("section", { class: "d-section" }, h("h3", {}, "原文依据 Evidence"),
        h("div", { class: "evidence-block" }, m.evidence.text, h("span", { class: "src" }, span(m.evidence))),
        m.body ? h("div", { class: "quote" }, m.body) : null) : null,
      h("section", { class: "d-section" }, h("h3", {}, "出处 Context"),
        meta([["领域", m.field], ["章节", m.section], ["期限", m.deadline], ["到期日 Due", m.due],
              ["地区", regionNodes.length ? null : m.regions.join("、")], ["文件", m.document]])),
      regionNodes.length ? section("适用地区 Regions", regionNodes.length,
        regionNodes.map((r) => linkItem("region", r.id(), r.data("caption"), "APPLIES_TO · 适用地区")),
        { key: "region", line: EDGES.APPLIES_TO.color }) : null,
      m.parent ? section("上级措施 Part of", null, [linkItem("measure", m.parent.id, m.parent.text, "PART_OF")], { key: "parent" }) : null,
    ].filter(Boolean);
  }

  async function agencyDetails(id) {
    const [a, leads, coops, partners] = await Promise.all([
      api(`agencies/${id}`), api(`agencies/${id}/measures`, { role: "lead" }),
      api(`agencies/${id}/measures`, { role: "cooperate" }), api(`agencies/${id}/partners`)]);
    const cap = 25;
    return [
      head("Agency", a.name),
      h("div", { class: "d-section" }, meta([["层级", LEVELS[a.level] || a.level], ["别名", (a.aliases || []).join("、")],
        ["牵头", `${a.leads} 项措施`], ["配合", `${a.cooperates} 项措施`]])),
      section("牵头的措施 Leads", leads.length, measureItems(leads, cap),
        { key: "leads", line: EDGES.LEADS.color, more: leads.length > cap ? `另有 ${leads.length - cap} 项未列出` : null }),
      section("配合的措施 Supports", coops.length, measureItems(coops, cap),
        { key: "cooperates", line: EDGES.COOPERATES.color, dashed: true,
          more: coops.length > cap ? `另有 ${coops.length - cap} 项未列出` : null }),
      section("常合作机构 Partners", partners.length,
        partners.slice(0, 12).map((x) => linkItem("agency", x.agency.id, x.agency.name, `共同参与 ${x.shared} 项措施`)),
        { key: "partners" }),
    ];
  }

  async function provisionDetails(id, p) {
    const list = await api("provisions/measures", { instrument: p.instrument, article: p.article || undefined });
    return [
      head("LegalProvision", `《${p.instrument}》${p.article || ""}${p.clause || ""}`),
      h("div", { class: "d-section" }, meta([["法规", p.instrument], ["条款", p.article ? p.article + (p.clause || "") : "（全文）"]])),
      section("调整该条款的措施 Measures", list.length, measureItems(list, 40),
        { key: "measures", line: EDGES.ADJUSTS_REGULATION.color }),
    ];
  }

  async function regionDetails(id, p) {
    const list = await api(`regions/${id}/measures`);
    return [
      head("Region", p.name || id),
      h("div", { class: "d-section" }, meta([["层级", LEVELS[p.level] || p.level]])),
      section("适用的措施 Measures", list.length, measureItems(list, 30),
        { key: "measures", line: EDGES.APPLIES_TO.color, more: list.length > 30 ? `另有 ${list.length - 30} 项未列出` : null }),
    ];
  }

  async function documentDetails(id, p) {
    const [page, versions] = await Promise.all([
      api("measures", { document: id, limit: 30 }), api(`documents/${id}/versions`).catch(() => [])]);
    const period = p.in_force_from || p.in_force_until ? `${p.in_force_from || "…"} 至 ${p.in_force_until || "…"}` : null;
    // Newest first: the current version, then the ones it SUPERSEDES (history keeps their measures).
    const versionItems = versions.map((v, i) => linkItem("document version", v.id,
      `${i === 0 ? "当前版本 current" : "旧版本 superseded"} · ${(v.sha256 || "").slice(0, 12)}`,
      [v.loaded_at ? `载入 ${v.loaded_at}` : null, `${v.measures} 项措施`].filter(Boolean).join(" · ")));
    return [
      head("Document", p.title || p.doc_number || p.file || id,
        p.version_of ? h("span", { class: "badge" }, "旧版本 superseded") : null),
      h("div", { class: "d-section" }, meta([["文号", p.doc_number], ["发文", p.issuer], ["日期", p.date],
        ["施行期间 In force", period], ["文件", p.file], ["SHA-256", p.sha256 ? p.sha256.slice(0, 12) : null],
        ["载入 Loaded", p.loaded_at]])),
      p.version_of ? null : section("文件中的措施 Measures", page.total, measureItems(page.items, 30),
        { key: "measures", more: page.total > 30 ? `另有 ${page.total - 30} 项未列出` : null }),
      section("版本 Versions", versions.length, versionItems,
        { key: "versions", line: EDGES.SUPERSEDES.color, dashed: true, none: "只有一个版本" }),
    ].filter(Boolean);
  }

  function showEdge(e) {
    const t = e.data("type"), p = e.data("props");
    const s = cy.getElementById(e.data("source")), d = cy.getElementById(e.data("target"));
    const item = (n) => linkItem((n.data("label") || "").toLowerCase().replace("legalprovision", "provision"),
      n.id(), n.data("label") === "Measure" ? n.data("props").text : n.data("caption"),
      `${LABELS[n.data("label")].zh} · ${n.data("label")}`);
    detailToken++;
    details.replaceChildren(
      h("div", { class: "d-head" },
        h("div", { class: "d-type" }, h("span", { class: "dot", style: `background:${(EDGES[t] || {}).color}` }), "关系 · Relationship"),
        h("div", { class: "d-title" }, `${t} · ${(EDGES[t] || {}).zh || ""}`)),
      section("起点 From", null, [item(s)], { key: "from" }),
      section("终点 To", null, [item(d)], { key: "to" }),
      p.evidence ? h("section", { class: "d-section" }, h("h3", {}, "原文依据 Evidence"),
        h("div", { class: "evidence-block" }, p.evidence, h("span", { class: "src" }, span(p)))) : null,
    );
    details.dataset.id = e.id();
    details.dataset.label = "edge";
  }

  // ------------------------------------------------------------------ search
  const state = { q: "", kind: "", offset: 0, total: 0 };

  function highlight(text, terms) {
    if (!terms.length) return [text];
    const esc = terms.map((t) => t.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"));
    const re = new RegExp(`(${esc.join("|")})`, "g");
    return text.split(re).map((part, i) => (i % 2 ? h("mark", {}, part) : part));
  }

  let searchToken = 0;
  async function search(append) {
    if (!append) state.offset = 0;
    const token = ++searchToken;
    const terms = state.q.split(/\s+/).filter(Boolean);
    let page;
    try {
      page = await api("measures", { q: state.q, kind: state.kind, limit: PAGE, offset: state.offset });
    } catch (err) {
      if (token === searchToken) notice(`搜索失败：${err.message}`, "error");
      return;
    }
    if (token !== searchToken) return;   // a newer search has been asked for
    state.total = page.total;
    const list = $("#results");
    if (!append) list.replaceChildren();
    const selected = cy.nodes(":selected")[0];
    for (const m of page.items) {
      list.append(h("li", { class: "result" + (selected && selected.id() === m.id ? " active" : ""),
                             dataset: { id: m.id }, tabindex: "0",
                             onclick: () => pickResult(m.id),
                             onkeydown: (e) => { if (e.key === "Enter") pickResult(m.id); } },
        h("div", { class: "result-text" }, highlight(m.text, terms)),
        h("div", { class: "result-meta" }, h("span", { class: `badge kind-${m.kind}` }, KINDS[m.kind] || m.kind),
          m.field ? h("span", { class: "field" }, m.field) : null),
        h("div", { class: "result-doc" }, m.document)));
    }
    if (!page.total) list.append(h("li", { class: "result-empty" }, "没有找到匹配的措施。每个词都必须出现在措施原文中。"));
    state.offset += page.items.length;
    $("#results-count").textContent = state.q || state.kind ? `${page.total} 条匹配` : `共 ${page.total} 条`;
    $("#more").hidden = state.offset >= page.total;
  }

  async function pickResult(id) {
    try { await openNode(id); } catch (err) { notice(`无法绘制：${err.message}`, "error"); }
  }

  let debounce;
  $("#search-form").addEventListener("submit", (e) => {
    e.preventDefault();
    clearTimeout(debounce);
    state.q = $("#q").value.trim();
    state.kind = $("#kind").value;
    search(false);
  });
  $("#q").addEventListener("input", () => {
    clearTimeout(debounce);
    debounce = setTimeout(() => { state.q = $("#q").value.trim(); state.kind = $("#kind").value; search(false); }, 280);
  });
  $("#kind").addEventListener("change", () => { state.kind = $("#kind").value; search(false); });
  $("#more").addEventListener("click", () => search(true));

  // ------------------------------------------------------------------ toolbar & start
  $("#btn-fit").addEventListener("click", () => fitTo(cy.elements(":visible"), true));
  $("#btn-layout").addEventListener("click", () => {
    const root = cy.nodes(":selected")[0] || cy.nodes(".expanded")[0] || cy.nodes()[0];
    if (root) runPreset(radialPositions(root));
  });
  $("#btn-clear").addEventListener("click", () => {
    cy.elements().remove();
    syncCounts();
    detailToken++;
    details.replaceChildren(h("div", { class: "details-empty" }, h("h2", {}, "详情 ", h("small", {}, "Details")),
      h("p", {}, "选择一条措施、一个机构或一个法规条款查看详情。")));
    history.replaceState(null, "", location.pathname + location.search);
  });

  for (const ex of EXAMPLES) {
    $("#examples").append(h("button", { type: "button", onclick: () => { $("#q").value = ex; state.q = ex; search(false); } }, ex));
  }

  async function loadStats() {
    try {
      const hl = await api("health");
      const c = hl.counts || {};
      $("#stats").textContent = `${c.Measure || 0} 措施 · ${c.Agency || 0} 机构 · ${c.LegalProvision || 0} 条款 · ` +
        `${c.Region || 0} 地区 · ${c.Document || 0} 文件 · ${hl.store}`;
    } catch (err) {
      $("#stats").textContent = "存储不可用";
    }
  }

  buildLegend();
  syncCounts();
  loadStats();
  search(false);
  const deep = new URLSearchParams(location.hash.slice(1)).get("node");
  if (deep) openNode(deep).catch((err) => notice(`无法打开 ${deep}：${err.message}`, "error"));

  // For tests and the console: the cytoscape instance and what is drawn.
  window.explorer = {
    cy,
    get busy() { return busy; },
    drawn: () => cy.nodes().map((n) => ({ id: n.id(), label: n.data("label"), caption: n.data("caption"),
                                          selected: n.selected(), expanded: n.hasClass("expanded") })),
    edges: () => cy.edges().map((e) => ({ id: e.id(), type: e.data("type"), source: e.data("source"),
                                          target: e.data("target"), evidence: e.data("props").evidence || null })),
    openNode, goTo, expand: (id) => expand(cy.getElementById(id)),
  };
})();
