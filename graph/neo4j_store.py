"""The Neo4j store: the same interface as the embedded one, over the official driver.

Cypher lives in cypher/*.cypher and is loaded by name. A document is written in one
managed write transaction (the driver retries transient errors), as UNWIND batches per
label and relationship type, so a failure leaves no half document. Reads run in READ
access mode with a timeout; an unreachable server becomes StoreUnavailable (HTTP 503).
"""
from __future__ import annotations

import re
from collections import defaultdict
from functools import lru_cache
from importlib import resources
from typing import Any, Iterator

import neo4j
from neo4j import GraphDatabase, Query
from neo4j.exceptions import AuthError, ClientError, DriverError, Neo4jError, ServiceUnavailable, SessionExpired

from policykg.errors import PolicyKGError, StoreUnavailable
from policykg.graph.export import node_record, rel_record
from policykg.graph.model import ENDPOINTS, GraphFragment, Label, RelType
from policykg.graph.store import (AdjustedProvision, AgencyOut, Backer, DocumentOut, EvidenceOut,
                                  LoadResult, MeasureDetail, MeasureOut, OpeningMeasure, Page,
                                  Neighbourhood, Partner, ProvisionOut, ProvisionUse, RegionOut, Store, SuspendedProvision,
                                  due_order, load_time, neighbourhood, provision_order, search_terms,
                                  suspension_order)

BATCH = 5000
INDEX_WAIT_SECONDS = 600
_MEASURE_FIELDS = set(MeasureOut.model_fields)


@lru_cache(maxsize=None)
def cypher(name: str) -> str:
    """The text of cypher/<name>.cypher, comments stripped."""
    text = resources.files("policykg.cypher").joinpath(f"{name}.cypher").read_text(encoding="utf-8")
    return "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("//")).strip()


# The `cjk` analyser indexes runs of Han characters as overlapping bigrams, so a text that
# contains such a term always matches the term's phrase query: for these terms (and only
# these: single characters, Latin and digits are indexed as whole tokens, not substrings)
# the index is an exact pre-filter for CONTAINS.
_INDEXED_TERM = re.compile(r"[\u4e00-\u9fff]{2,}")


def fulltext_query(terms: list[str]) -> str | None:
    """The Lucene query of the terms the full-text index can pre-filter, or None if none can."""
    return " AND ".join(f'"{t}"' for t in terms if _INDEXED_TERM.fullmatch(t)) or None


def search_statements(terms: list[str], kind: str | None, agency: str | None, region: str | None,
                      document: str | None, limit: int, offset: int) -> list[tuple[str, dict[str, Any]]]:
    """The count and the page statement of a search, as (Cypher, parameters)."""
    params: dict[str, Any] = dict(terms=terms, kind=kind, agency=agency, region=region, document=document)
    fulltext = fulltext_query(terms)
    if fulltext is not None:
        params["fulltext"] = fulltext
    source = cypher("measures_fulltext" if fulltext is not None else "measures_all")
    return [(cypher("count_measures").replace("__MEASURES__", source), params),
            (cypher("search_measures").replace("__MEASURES__", source), params | {"limit": limit, "offset": offset})]


def _statements(name: str) -> list[str]:
    return [s.strip() for s in cypher(name).split(";") if s.strip()]


class Neo4jStore(Store):
    name = "neo4j"

    def __init__(self, uri: str, user: str, password: str, database: str = "neo4j", timeout: float = 2.0,
                 ensure_schema: bool = True):
        self.uri, self.database, self.timeout = uri, database, timeout
        try:
            # Connecting and waiting for a pooled connection stay inside the request's budget,
            # so an outage answers 503 within `timeout`.
            self.driver = GraphDatabase.driver(uri, auth=(user, password), connection_timeout=0.75 * timeout,
                                               connection_acquisition_timeout=0.75 * timeout,
                                               max_transaction_retry_time=15.0)
            if ensure_schema:
                self.ensure_schema()
                self.warm_up()
        except (ServiceUnavailable, SessionExpired, OSError) as exc:
            raise StoreUnavailable(f"Neo4j at {uri} is unreachable: {exc}") from None
        except AuthError as exc:
            raise StoreUnavailable(f"Neo4j at {uri} refused the credentials: {exc.message}") from None
        except (ValueError, DriverError) as exc:
            raise StoreUnavailable(f"cannot connect to Neo4j at {uri}: {exc}") from None

    # ------------------------------------------------------------------ plumbing
    def ensure_schema(self) -> None:
        with self.driver.session(database=self.database) as session:
            for stmt in _statements("schema"):
                session.run(stmt).consume()
            # Searches go through the full-text index, which a server populates in the
            # background after it is created: wait, so no search meets an index not yet online.
            session.run("CALL db.awaitIndexes($seconds)", seconds=INDEX_WAIT_SECONDS).consume()

    def warm_up(self) -> None:
        """Plan the analyst queries once, so the first requests after a (re)start do not pay
        for query compilation on a cold server. EXPLAIN plans (and caches the plan) without
        running: a search run here would scan every measure on each open of a large graph."""
        with self.driver.session(database=self.database, default_access_mode=neo4j.READ_ACCESS) as session:
            for terms in (["服务"], ["a"]):     # the full-text and the scan plans
                for query, params in search_statements(terms, None, None, None, None, 1, 0):
                    session.run("EXPLAIN " + query, params).consume()
            for name in ("measure", "backers", "provisions"):
                session.run("EXPLAIN " + cypher(name), id="").consume()

    def _read(self, name: str, **params) -> list[neo4j.Record]:
        return self._run(name, cypher(name), params)

    def _run(self, name: str, query: str, params: dict[str, Any]) -> list[neo4j.Record]:
        # An auto-commit read in READ mode: no retry loop, so an outage fails fast (503)
        # instead of hanging a request; writes keep the managed, retrying transactions.
        try:
            with self.driver.session(database=self.database, default_access_mode=neo4j.READ_ACCESS) as session:
                return list(session.run(Query(query, timeout=max(self.timeout, 5.0)), params))
        except (ServiceUnavailable, SessionExpired, OSError) as exc:
            raise StoreUnavailable(f"Neo4j at {self.uri} is unreachable: {exc}") from None
        except Neo4jError as exc:
            code = exc.code or ""
            if "Transient" in code or "TimedOut" in code or "Timeout" in code or "Terminated" in code:
                raise StoreUnavailable(f"Neo4j did not answer in time: {exc.message}") from None
            raise PolicyKGError(f"Neo4j query {name} failed: {exc.message}") from None

    def close(self) -> None:
        self.driver.close()

    def health(self) -> dict[str, Any]:
        try:
            self.driver.verify_connectivity()
        except (ServiceUnavailable, SessionExpired, OSError, DriverError) as exc:
            raise StoreUnavailable(f"Neo4j at {self.uri} is unreachable: {exc}") from None
        return {"status": "ok", "store": self.name, "counts": self.counts()}

    # ------------------------------------------------------------------ writes
    def load(self, fragment: GraphFragment) -> LoadResult:
        return self.load_many([fragment])

    def load_many(self, fragments: list[GraphFragment]) -> LoadResult:
        """Merge several documents' fragments in one transaction: all of them or none.

        The rows of every fragment, in order, go into one UNWIND batch per label and per
        relationship type, so merging them is the same as loading them one by one (later
        properties win, aliases are united, the first evidence of an edge stays), at a
        fraction of the round trips and commits. `jobs.ingest` loads documents this way
        and retries a batch that fails one document at a time."""
        # A node or edge several documents share (agencies, regions, their PART_OF) is one
        # row, merged here as the database would merge the rows one after the other.
        nodes: dict[Label, dict[str, dict]] = defaultdict(dict)
        rels: dict[tuple[RelType, Label, Label], dict[tuple[str, str], dict]] = defaultdict(dict)
        n_nodes = n_rels = 0
        # The loaded documents (those with content), by id: their sha256. Two versions of
        # one document in a batch cannot be merged as rows: the caller loads them one by one.
        loaded: dict[str, str] = {}
        for fragment in fragments:
            for doc in fragment.by_label(Label.DOCUMENT):
                if doc.sha256:
                    if loaded.setdefault(doc.id, doc.sha256) != doc.sha256:
                        raise PolicyKGError(f"two versions of document {doc.id} in one batch: load them one by one")
        for fragment in fragments:
            fragment.validate_graph()
            for node in fragment.nodes.values():
                props = node.properties()
                aliases = props.pop("aliases", None)
                row = nodes[node.label].get(node.id)
                if row is None:
                    nodes[node.label][node.id] = {"id": node.id, "props": props, "aliases": aliases}
                    continue
                row["props"].update(props)                          # SET n += row.props
                if aliases:
                    row["aliases"] = sorted(set(row["aliases"] or []).union(aliases))
            for rel in fragment.relationships.values():
                a, b = fragment.nodes[rel.start].label, fragment.nodes[rel.end].label
                rels[(rel.type, a, b)].setdefault((rel.start, rel.end), {"start": rel.start, "end": rel.end,
                                                                         "props": rel.properties()})
            n_nodes += len(fragment.nodes)
            n_rels += len(fragment.relationships)

        def work(tx):
            # A new version first supersedes the current one (cypher/supersede.cypher).
            for doc_id, sha in loaded.items():
                tx.run(cypher("supersede"), id=doc_id, sha256=sha).consume()
            for label, by_id in nodes.items():
                rows = list(by_id.values())
                query = cypher("merge_nodes").replace("__LABEL__", Label(label).value)
                for i in range(0, len(rows), BATCH):
                    tx.run(query, rows=rows[i:i + BATCH]).consume()
            for (rtype, a, b), by_key in rels.items():
                rows = list(by_key.values())
                assert (a, b) in ENDPOINTS[rtype]      # the vocabulary is closed: nothing else is interpolated
                query = (cypher("merge_relationships").replace("__TYPE__", rtype.value)
                         .replace("__START__", a.value).replace("__END__", b.value))
                for i in range(0, len(rows), BATCH):
                    tx.run(query, rows=rows[i:i + BATCH]).consume()
            if loaded:
                tx.run(cypher("loaded_at"), ids=sorted(loaded), now=load_time()).consume()

        try:
            with self.driver.session(database=self.database) as session:
                session.execute_write(work)
                # The full-text index is eventually consistent (schema.cypher): wait for it
                # here, so that whatever reads after a load (a search) sees the documents.
                session.run("CALL db.index.fulltext.awaitEventuallyConsistentIndexRefresh()").consume()
        except (ServiceUnavailable, SessionExpired, OSError) as exc:
            raise StoreUnavailable(f"Neo4j at {self.uri} is unreachable: {exc}") from None
        except ClientError as exc:
            raise PolicyKGError(f"Neo4j refused the document: {exc.message}") from None
        return LoadResult(nodes=n_nodes, relationships=n_rels)

    def link_implements(self) -> int:
        from policykg.graph.linking import Candidate, evidence_props, implements_pairs

        cites: dict[str, set[str]] = {}
        for r in self._read("cites"):
            cites.setdefault(r["doc"], set()).add(r["cited"])
        ids = sorted(set(cites) | {c for cs in cites.values() for c in cs})
        measures = [Candidate(r["id"], r["text"], r["doc"], r["file"], r["start"], r["end"])
                    for r in self._read("document_measures", ids=ids)]
        pairs = implements_pairs(sorted(measures, key=lambda c: c.id), cites)
        rows = [{"start": a.id, "end": b.id, "props": evidence_props(a)} for a, b, _ in pairs]
        query = (cypher("merge_relationships").replace("__TYPE__", RelType.IMPLEMENTS.value)
                 .replace("__START__", Label.MEASURE.value).replace("__END__", Label.MEASURE.value))
        try:
            with self.driver.session(database=self.database) as session:
                session.execute_write(lambda tx: tx.run(query, rows=rows).consume())
        except (ServiceUnavailable, SessionExpired, OSError) as exc:
            raise StoreUnavailable(f"Neo4j at {self.uri} is unreachable: {exc}") from None
        return len(pairs)

    def delete_all(self) -> None:
        with self.driver.session(database=self.database) as session:
            session.run(cypher("delete_all")).consume()

    def records(self) -> Iterator[dict[str, Any]]:
        for r in self._read("export_nodes"):
            yield node_record(r["label"], r["id"], _plain(r["props"]))
        for r in self._read("export_relationships"):
            yield rel_record(r["type"], r["start"], r["start_label"], r["end"], r["end_label"], _plain(r["props"]))

    # ------------------------------------------------------------------ queries
    def search_measures(self, q=None, kind=None, agency=None, region=None, document=None, limit=20, offset=0) -> Page:
        terms = search_terms(q)
        (count, count_params), (page, page_params) = search_statements(terms, kind, agency, region, document,
                                                                         limit, offset)
        total = self._run("search_measures", count, count_params)[0]["total"]
        rows = self._run("search_measures", page, page_params)
        items = [_measure(r["m"], float(r["score"]) if terms else None) for r in rows]
        return Page(total=total, limit=limit, offset=offset, items=items)

    def measure(self, measure_id: str) -> MeasureDetail | None:
        rows = self._read("measure", id=measure_id)
        if not rows:
            return None
        r = rows[0]
        m = r["m"]
        return MeasureDetail(**_measure(m).model_dump(), body=m.get("body"),
                             parent=_measure(r["parent"]) if r["parent"] else None,
                             evidence=_evidence(r["evidence"]), regions=sorted(r["regions"]))

    def backers(self, measure_id: str) -> list[Backer] | None:
        rows = self._read("backers", id=measure_id)
        if not rows:
            return None
        out = [Backer(agency=_agency(b["agency"]), role=b["role"], evidence=_evidence(b["evidence"]))
               for r in rows for b in r["backer"]]
        out.sort(key=lambda b: (b.role != "lead", b.agency.name))
        return out

    def provisions(self, measure_id: str) -> list[AdjustedProvision] | None:
        rows = self._read("provisions", id=measure_id)
        if not rows:
            return None
        out = [AdjustedProvision(provision=_provision(r["provision"]), evidence=_evidence(r["evidence"]))
               for r in rows if r["provision"]]
        out.sort(key=lambda a: provision_order(a.provision))
        return out

    def opening_measures(self) -> list[OpeningMeasure]:
        out = []
        for r in self._read("opening_measures"):
            provs = sorted((_provision(p) for p in r["provisions"]), key=provision_order)
            out.append(OpeningMeasure(measure=_measure(r["m"]), provisions=provs))
        out.sort(key=lambda o: _order(o.measure))
        return out

    def agencies(self) -> list[AgencyOut]:
        out = [_agency(r["a"]) for r in self._read("agencies")]
        out.sort(key=lambda a: (-a.leads, -a.cooperates, a.name))
        return out

    def agency(self, agency_id: str) -> AgencyOut | None:
        rows = self._read("agency", id=agency_id)
        return _agency(rows[0]["a"]) if rows else None

    def agency_measures(self, agency_id, role=None) -> list[MeasureOut] | None:
        types = {"lead": ["LEADS"], "cooperate": ["COOPERATES"]}.get(role, ["LEADS", "COOPERATES"])
        rows = self._read("agency_measures", id=agency_id, types=types)
        if not rows:
            return None
        return sorted((_measure(m) for m in rows[0]["measures"]), key=_order)

    def regions(self) -> list[RegionOut]:
        out = [RegionOut(id=r["r"]["id"], name=r["r"]["name"], level=r["r"].get("level"), measures=r["r"]["measures"])
               for r in self._read("regions")]
        out.sort(key=lambda r: (-r.measures, r.name))
        return out

    def region_measures(self, region_id: str) -> list[MeasureOut] | None:
        rows = self._read("region_measures", id=region_id)
        if not rows:
            return None
        return sorted((_measure(m) for m in rows[0]["measures"]), key=_order)

    def documents(self) -> list[DocumentOut]:
        out = [DocumentOut(**{k: v for k, v in r["d"].items() if k in DocumentOut.model_fields})
               for r in self._read("documents")]
        out.sort(key=lambda d: (d.file or "", d.id))
        return out

    def versions(self, document_id: str) -> list[DocumentOut] | None:
        rows = self._read("versions", id=document_id)
        if not rows:
            return None
        return [DocumentOut(**{k: v for k, v in r["d"].items() if k in DocumentOut.model_fields}) for r in rows]

    def _covering(self, region: str) -> list[str]:
        rows = self._read("region_covering", region=region)
        return sorted(rows[0]["ids"]) if rows else []

    def measures_due(self, before, agency=None, role=None, region=None) -> list[MeasureOut]:
        covering = self._covering(region) if region is not None else None
        types = {"lead": ["LEADS"], "cooperate": ["COOPERATES"]}.get(role, ["LEADS", "COOPERATES"])
        rows = self._read("measures_due", before=before, agency=agency, types=types, covering=covering)
        return sorted((_measure(r["m"]) for r in rows), key=due_order)

    def documents_in_force(self, on: str) -> list[DocumentOut]:
        out = [DocumentOut(**{k: v for k, v in r["d"].items() if k in DocumentOut.model_fields})
               for r in self._read("documents_in_force", on=on)]
        out.sort(key=lambda d: (d.file or "", d.id))
        return out

    def suspended_provisions(self, region: str, on: str) -> list[SuspendedProvision] | None:
        covering = self._covering(region)
        if not covering:
            return None
        out = [SuspendedProvision(provision=_provision(r["provision"]), measure=_measure(r["m"]),
                                  valid_from=r["valid_from"], valid_until=r["valid_until"],
                                  regions=sorted(set(r["regions"])))
               for r in self._read("suspended_provisions", on=on, covering=covering)]
        out.sort(key=suspension_order)
        return out

    def partners(self, agency_id: str) -> list[Partner] | None:
        rows = self._read("partners", id=agency_id)
        if not rows:
            return None
        out = [Partner(agency=_agency(p["agency"]), shared=p["shared"]) for p in rows[0]["partners"]]
        out.sort(key=lambda p: (-p.shared, p.agency.name))
        return out

    def region_rollup(self, region_id: str) -> list[MeasureOut] | None:
        rows = self._read("region_rollup", id=region_id)
        if not rows:
            return None
        return sorted((_measure(m) for m in rows[0]["measures"]), key=_order)

    def provision_uses(self) -> list[ProvisionUse]:
        out = [ProvisionUse(provision=_provision(r["provision"]), measures=r["measures"])
               for r in self._read("provision_uses")]
        out.sort(key=lambda u: (-u.measures,) + provision_order(u.provision))
        return out

    def provision_measures(self, instrument: str, article: str | None = None) -> list[MeasureOut]:
        rows = self._read("provision_measures", instrument=instrument, article=article)
        return sorted((_measure(m) for m in rows[0]["measures"]), key=_order) if rows else []

    def graph(self, node_id: str, depth: int = 1, limit: int = 200) -> Neighbourhood | None:
        def expand(ids, seed=False):
            nodes, edges = {}, {}
            for r in self._read("neighbours", ids=list(ids)):
                nodes[r["id"]] = (r["label"], _plain(r["props"]))
                if seed:
                    continue
                for rel in r["rels"]:
                    edges[(rel["type"], rel["start"], rel["end"])] = _plain(rel["props"])
                    nodes.setdefault(rel["other"], (rel["other_label"], _plain(rel["other_props"])))
            return nodes, edges

        return neighbourhood(node_id, depth, limit, expand)

    def counts(self) -> dict[str, int]:
        return dict(sorted((r["name"], r["n"]) for r in self._read("counts")))


def _plain(props: dict[str, Any]) -> dict[str, Any]:
    return {k: (list(v) if isinstance(v, tuple) else v) for k, v in props.items()}


def _measure(m: dict[str, Any], score: float | None = None) -> MeasureOut:
    return MeasureOut(**{k: v for k, v in m.items() if k in _MEASURE_FIELDS and k != "score"}, score=score)


def _order(m: MeasureOut):
    return (m.document, m.start if m.start is not None else 0, m.id)


def _agency(a: dict[str, Any]) -> AgencyOut:
    return AgencyOut(id=a["id"], name=a["name"], level=a.get("level"), aliases=list(a.get("aliases") or []),
                     leads=a.get("leads", 0), cooperates=a.get("cooperates", 0))


def _provision(p: dict[str, Any]) -> ProvisionOut:
    return ProvisionOut(id=p["id"], instrument=p["instrument"], article=p.get("article"), clause=p.get("clause"),
                        article_no=p.get("article_no"))


def _evidence(props: dict[str, Any] | None) -> EvidenceOut | None:
    if not props:
        return None
    return EvidenceOut(document=props.get("document"), start=props.get("start"), end=props.get("end"),
                       text=props.get("evidence"))
