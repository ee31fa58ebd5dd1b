"""The embedded store: a networkx graph persisted under a data directory.

Layout of the data directory:
    graph.jsonl     a snapshot in the export format (written atomically, by rename)
    journal.jsonl   one line per loaded document fragment, appended and fsynced

A load appends one journal line, so a document is either wholly in the store or not at
all: a line cut short by a crash is ignored when the journal is replayed. `compact()`
folds the journal into the snapshot.
"""
from __future__ import annotations

import json
import os
import threading
from pathlib import Path
from typing import Any, Iterator

import networkx as nx

from policykg.errors import StoreUnavailable
from policykg.graph.export import node_record, read_records, rel_record, write_records
from policykg.graph.model import GraphFragment, Label, RelType, merge_props
from policykg.graph.store import (AdjustedProvision, AgencyOut, Backer, DocumentOut, EvidenceOut,
                                  LoadResult, MeasureDetail, MeasureOut, OpeningMeasure, Page,
                                  Neighbourhood, Partner, ProvisionOut, ProvisionUse, RegionOut, Store, neighbourhood,
                                  provision_order, relevance, search_terms)

SNAPSHOT, JOURNAL = "graph.jsonl", "journal.jsonl"


_ROLE_INDEX = {RelType.LEADS.value: 0, RelType.COOPERATES.value: 1}


class EmbeddedStore(Store):
    name = "embedded"

    def __init__(self, data_dir: str | Path):
        self.dir = Path(data_dir)
        self.g = nx.MultiDiGraph()
        # An agency's LEADS and COOPERATES counts, kept as edges are added: counting them by
        # walking the edges cost a central ministry's /backers row tens of milliseconds.
        self._roles: dict[str, list[int]] = {}
        self._by_label: dict[str, dict[str, None]] = {}     # label -> node ids, in insertion order
        self._lock = threading.RLock()
        try:
            self.dir.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StoreUnavailable(f"cannot use data directory {self.dir}: {exc.strerror or exc}") from None
        self._read()

    # ------------------------------------------------------------------ persistence
    def _read(self) -> None:
        snap = self.dir / SNAPSHOT
        if snap.exists():
            self._apply_records(read_records(snap))
        journal = self.dir / JOURNAL
        if journal.exists():
            with open(journal, encoding="utf-8") as fh:
                for line in fh:
                    try:
                        entry = json.loads(line)
                    except json.JSONDecodeError:
                        continue        # a line cut short by a crash: that document never landed
                    self._apply_records(entry["records"])

    def _apply_records(self, records) -> tuple[int, int]:
        nodes = rels = 0
        for rec in records:
            if rec["type"] == "node":
                nid = rec["id"]
                if nid in self.g:
                    merge_props(self.g.nodes[nid]["props"], rec["properties"])
                else:
                    self.g.add_node(nid, label=rec["labels"][0], props=dict(rec["properties"]))
                    self._by_label.setdefault(rec["labels"][0], {})[nid] = None
                nodes += 1
            else:
                s, e, t = rec["start"]["id"], rec["end"]["id"], rec["label"]
                if not self.g.has_edge(s, e, key=t):
                    self.g.add_edge(s, e, key=t, props=dict(rec["properties"]))
                    if t in _ROLE_INDEX:
                        self._roles.setdefault(s, [0, 0])[_ROLE_INDEX[t]] += 1
                rels += 1
        return nodes, rels

    def load(self, fragment: GraphFragment) -> LoadResult:
        from policykg.graph.export import fragment_records

        fragment.validate_graph()
        n, r = self._commit(list(fragment_records(fragment)))
        return LoadResult(nodes=n, relationships=r)

    def _commit(self, records: list[dict[str, Any]]) -> tuple[int, int]:
        """Journal the records (one line, fsynced), then apply them: all or nothing."""
        line = json.dumps({"records": records}, ensure_ascii=False) + "\n"
        with self._lock:
            with open(self.dir / JOURNAL, "a", encoding="utf-8") as fh:
                fh.write(line)
                fh.flush()
                os.fsync(fh.fileno())
            return self._apply_records(records)

    def link_implements(self) -> int:
        from policykg.graph.linking import Candidate, evidence_props, implements_pairs

        with self._lock:
            measures, cites = [], {}
            for s, e, t in self.g.edges(keys=True):
                if t == "FROM_DOCUMENT":
                    p = self._props(s)
                    measures.append(Candidate(s, p.get("text", ""), e, p.get("document"), p.get("start"), p.get("end")))
                elif t == "CITES":
                    cites.setdefault(s, set()).add(e)
            pairs = implements_pairs(sorted(measures, key=lambda c: c.id), cites)
            new = [rel_record("IMPLEMENTS", a.id, "Measure", b.id, "Measure", evidence_props(a))
                   for a, b, _ in pairs if not self.g.has_edge(a.id, b.id, key="IMPLEMENTS")]
            if new:
                self._commit(new)
        return len(pairs)

    def compact(self) -> None:
        """Write the snapshot atomically, then empty the journal."""
        with self._lock:
            write_records(self.records(), self.dir / SNAPSHOT)
            journal = self.dir / JOURNAL
            if journal.exists():
                journal.unlink()

    def close(self) -> None:
        if (self.dir / JOURNAL).exists():
            self.compact()

    def records(self) -> Iterator[dict[str, Any]]:
        with self._lock:
            for nid in sorted(self.g.nodes):
                data = self.g.nodes[nid]
                yield node_record(data["label"], nid, dict(data["props"]))
            for s, e, t, data in sorted(self.g.edges(keys=True, data=True), key=lambda x: (x[2], x[0], x[1])):
                yield rel_record(t, s, self.g.nodes[s]["label"], e, self.g.nodes[e]["label"], dict(data["props"]))

    # ------------------------------------------------------------------ helpers
    def _label(self, nid: str) -> str | None:
        return self.g.nodes[nid]["label"] if nid in self.g else None

    def _props(self, nid: str) -> dict[str, Any]:
        return self.g.nodes[nid]["props"]

    def _nodes(self, label: Label):
        nodes = self.g.nodes
        return [(n, nodes[n]["props"]) for n in self._by_label.get(label.value, ())]

    def _measure_out(self, nid: str, score: float | None = None) -> MeasureOut:
        p = self._props(nid)
        return MeasureOut(id=nid, text=p.get("text", ""), kind=p.get("kind", "task"), document=p.get("document", ""),
                          section=p.get("section"), deadline=p.get("deadline"), field=p.get("field"),
                          start=p.get("start"), end=p.get("end"), score=score)

    def _resolve(self, key: str | None, label: Label, prop: str) -> set[str]:
        """Node ids for an id or a property value (agency name, region name, file name)."""
        if key is None:
            return set()
        if key in self.g and self._label(key) == label.value:
            return {key}
        return {n for n, p in self._nodes(label) if p.get(prop) == key}

    @staticmethod
    def _order(m: MeasureOut):
        return (m.document, m.start if m.start is not None else 0, m.id)

    def _agency_out(self, nid: str) -> AgencyOut:
        p = self._props(nid)
        leads, coops = self._roles.get(nid, (0, 0))
        return AgencyOut(id=nid, name=p["name"], level=p.get("level"), aliases=list(p.get("aliases", [])),
                         leads=leads, cooperates=coops)

    # ------------------------------------------------------------------ queries
    def search_measures(self, q=None, kind=None, agency=None, region=None, document=None, limit=20, offset=0) -> Page:
        terms = search_terms(q)
        with self._lock:
            allowed: set[str] | None = None
            if agency is not None:
                ids = self._resolve(agency, Label.AGENCY, "name")
                allowed = {e for a in ids for _, e, t in self.g.out_edges(a, keys=True) if t in ("LEADS", "COOPERATES")}
            if region is not None:
                ids = self._resolve(region, Label.REGION, "name")
                hits = {s for r in ids for s, _, t in self.g.in_edges(r, keys=True)
                        if t == "APPLIES_TO" and self._label(s) == Label.MEASURE.value}
                allowed = hits if allowed is None else allowed & hits
            doc_files = None
            if document is not None:
                doc_files = {p.get("file") for _, p in (self._nodes(Label.DOCUMENT)) if p.get("file") == document}
                if document in self.g and self._label(document) == Label.DOCUMENT.value:
                    doc_files.add(self._props(document).get("file"))
                doc_files.add(document)
            # Sort keys first, models only for the page: a broad term hits most measures.
            hits = []
            for nid, p in self._nodes(Label.MEASURE):
                if allowed is not None and nid not in allowed:
                    continue
                if kind and p.get("kind") != kind:
                    continue
                if doc_files is not None and p.get("document") not in doc_files:
                    continue
                text, body = p.get("text", ""), p.get("body") or ""
                if terms and not all(t in text or t in body for t in terms):
                    continue
                score = relevance(terms, text, body) if terms else 0
                start = p.get("start")
                hits.append((-score, p.get("document", ""), start if start is not None else 0, nid))
            hits.sort()
            items = [self._measure_out(nid, float(-neg) if terms else None)
                     for neg, _, _, nid in hits[offset:offset + limit]]
        return Page(total=len(hits), limit=limit, offset=offset, items=items)

    def measure(self, measure_id: str) -> MeasureDetail | None:
        with self._lock:
            if self._label(measure_id) != Label.MEASURE.value:
                return None
            base = self._measure_out(measure_id)
            p = self._props(measure_id)
            parent = next((e for _, e, t in self.g.out_edges(measure_id, keys=True)
                           if t == "PART_OF" and self._label(e) == Label.MEASURE.value), None)
            regions = sorted({self._props(e)["name"] for _, e, t in self.g.out_edges(measure_id, keys=True)
                              if t == "APPLIES_TO"})
            ev = next((d["props"] for _, _, t, d in self.g.out_edges(measure_id, keys=True, data=True)
                       if t == "FROM_DOCUMENT"), {})
            return MeasureDetail(**base.model_dump(), body=p.get("body"),
                                 parent=self._measure_out(parent) if parent else None,
                                 evidence=_evidence(ev), regions=regions)

    def backers(self, measure_id: str) -> list[Backer] | None:
        with self._lock:
            if self._label(measure_id) != Label.MEASURE.value:
                return None
            out = []
            for s, _, t, d in self.g.in_edges(measure_id, keys=True, data=True):
                if t in ("LEADS", "COOPERATES"):
                    out.append(Backer(agency=self._agency_out(s), role="lead" if t == "LEADS" else "cooperate",
                                      evidence=_evidence(d["props"])))
        out.sort(key=lambda b: (b.role != "lead", b.agency.name))
        return out

    def provisions(self, measure_id: str) -> list[AdjustedProvision] | None:
        with self._lock:
            if self._label(measure_id) != Label.MEASURE.value:
                return None
            out = [AdjustedProvision(provision=self._provision_out(e), evidence=_evidence(d["props"]))
                   for _, e, t, d in self.g.out_edges(measure_id, keys=True, data=True) if t == "ADJUSTS_REGULATION"]
        out.sort(key=lambda a: provision_order(a.provision))
        return out

    def _provision_out(self, nid: str) -> ProvisionOut:
        p = self._props(nid)
        return ProvisionOut(id=nid, instrument=p["instrument"], article=p.get("article"), article_no=p.get("article_no"))

    def opening_measures(self) -> list[OpeningMeasure]:
        with self._lock:
            out = []
            for nid, p in self._nodes(Label.MEASURE):
                if p.get("kind") != "opening":
                    continue
                provs = sorted((self._provision_out(e) for _, e, t in self.g.out_edges(nid, keys=True)
                                if t == "ADJUSTS_REGULATION"), key=provision_order)
                out.append(OpeningMeasure(measure=self._measure_out(nid), provisions=provs))
        out.sort(key=lambda o: self._order(o.measure))
        return out

    def agencies(self) -> list[AgencyOut]:
        with self._lock:
            out = [self._agency_out(n) for n, _ in self._nodes(Label.AGENCY)]
        out.sort(key=lambda a: (-a.leads, -a.cooperates, a.name))
        return out

    def agency(self, agency_id: str) -> AgencyOut | None:
        with self._lock:
            if self._label(agency_id) != Label.AGENCY.value:
                return None
            return self._agency_out(agency_id)

    def agency_measures(self, agency_id, role=None) -> list[MeasureOut] | None:
        with self._lock:
            if self._label(agency_id) != Label.AGENCY.value:
                return None
            types = {"lead": {"LEADS"}, "cooperate": {"COOPERATES"}}.get(role, {"LEADS", "COOPERATES"})
            ids = {e for _, e, t in self.g.out_edges(agency_id, keys=True) if t in types}
            out = [self._measure_out(e) for e in ids]
        out.sort(key=self._order)
        return out

    def regions(self) -> list[RegionOut]:
        with self._lock:
            out = []
            for nid, p in self._nodes(Label.REGION):
                count = sum(1 for s, _, t in self.g.in_edges(nid, keys=True)
                            if t == "APPLIES_TO" and self._label(s) == Label.MEASURE.value)
                out.append(RegionOut(id=nid, name=p["name"], level=p.get("level"), measures=count))
        out.sort(key=lambda r: (-r.measures, r.name))
        return out

    def region_measures(self, region_id: str) -> list[MeasureOut] | None:
        with self._lock:
            if self._label(region_id) != Label.REGION.value:
                return None
            out = [self._measure_out(s) for s, _, t in self.g.in_edges(region_id, keys=True)
                   if t == "APPLIES_TO" and self._label(s) == Label.MEASURE.value]
        out.sort(key=self._order)
        return out

    def documents(self) -> list[DocumentOut]:
        with self._lock:
            out = []
            for nid, p in self._nodes(Label.DOCUMENT):
                if not p.get("file"):
                    continue    # a document known only because another one cites it
                count = sum(1 for _, _, t in self.g.in_edges(nid, keys=True) if t == "FROM_DOCUMENT")
                out.append(DocumentOut(id=nid, file=p.get("file"), title=p.get("title"), doc_number=p.get("doc_number"),
                                       issuer=p.get("issuer"), date=p.get("date"), measures=count))
        out.sort(key=lambda d: (d.file or "", d.id))
        return out

    def partners(self, agency_id: str) -> list[Partner] | None:
        with self._lock:
            if self._label(agency_id) != Label.AGENCY.value:
                return None
            shared: dict[str, set[str]] = {}
            for _, m, t in self.g.out_edges(agency_id, keys=True):
                if t not in ("LEADS", "COOPERATES"):
                    continue
                for other, _, t2 in self.g.in_edges(m, keys=True):
                    if t2 in ("LEADS", "COOPERATES") and other != agency_id:
                        shared.setdefault(other, set()).add(m)
            out = [Partner(agency=self._agency_out(a), shared=len(ms)) for a, ms in shared.items()]
        out.sort(key=lambda p: (-p.shared, p.agency.name))
        return out

    def region_rollup(self, region_id: str) -> list[MeasureOut] | None:
        with self._lock:
            if self._label(region_id) != Label.REGION.value:
                return None
            regions, todo = {region_id}, [region_id]
            while todo:
                r = todo.pop()
                for child, _, t in self.g.in_edges(r, keys=True):
                    if t == "PART_OF" and self._label(child) == Label.REGION.value and child not in regions:
                        regions.add(child)
                        todo.append(child)
            ids = {s for r in regions for s, _, t in self.g.in_edges(r, keys=True)
                   if t == "APPLIES_TO" and self._label(s) == Label.MEASURE.value}
            out = [self._measure_out(i) for i in ids]
        out.sort(key=self._order)
        return out

    def provision_uses(self) -> list[ProvisionUse]:
        with self._lock:
            out = [ProvisionUse(provision=self._provision_out(n),
                                measures=sum(1 for _, _, t in self.g.in_edges(n, keys=True) if t == "ADJUSTS_REGULATION"))
                   for n, _ in self._nodes(Label.PROVISION)]
        out.sort(key=lambda u: (-u.measures,) + provision_order(u.provision))
        return out

    def provision_measures(self, instrument: str, article: str | None = None) -> list[MeasureOut]:
        with self._lock:
            provs = [n for n, p in self._nodes(Label.PROVISION)
                     if p.get("instrument") == instrument and (article is None or p.get("article") == article)]
            ids = {s for n in provs for s, _, t in self.g.in_edges(n, keys=True) if t == "ADJUSTS_REGULATION"}
            out = [self._measure_out(i) for i in ids]
        out.sort(key=self._order)
        return out

    def graph(self, node_id: str, depth: int = 1, limit: int = 200) -> Neighbourhood | None:
        def expand(ids, seed=False):
            nodes, edges = {}, {}
            for i in ids:
                if i not in self.g:
                    continue
                nodes[i] = (self._label(i), dict(self._props(i)))
                if seed:
                    continue
                for a, b, t, d in list(self.g.out_edges(i, keys=True, data=True)) + list(self.g.in_edges(i, keys=True, data=True)):
                    edges[(t, a, b)] = dict(d["props"])
                    for n in (a, b):
                        nodes.setdefault(n, (self._label(n), dict(self._props(n))))
            return nodes, edges

        with self._lock:
            return neighbourhood(node_id, depth, limit, expand)

    def counts(self) -> dict[str, int]:
        with self._lock:
            out: dict[str, int] = {}
            for _, d in self.g.nodes(data=True):
                out[d["label"]] = out.get(d["label"], 0) + 1
            for _, _, t in self.g.edges(keys=True):
                out[t] = out.get(t, 0) + 1
        return dict(sorted(out.items()))


def _evidence(props: dict[str, Any]) -> EvidenceOut | None:
    if not props:
        return None
    return EvidenceOut(document=props.get("document"), start=props.get("start"), end=props.get("end"),
                       text=props.get("evidence"))
