"""The Neo4j store: the same interface as the embedded one, over the official driver.

Cypher lives in cypher/*.cypher and is loaded by name. A document is written in one
managed write transaction (the driver retries transient errors), as UNWIND batches per
label and relationship type, so a failure leaves no half document. Reads run in READ
access mode with a timeout; an unreachable server becomes StoreUnavailable (HTTP 503).
"""
from __future__ import annotations

from collections import defaultdict
from typing import Any, Iterator

import neo4j
from neo4j import GraphDatabase, Query
from neo4j.exceptions import AuthError, ClientError, DriverError, Neo4jError, ServiceUnavailable, SessionExpired

from policykg.cypher import cypher
from policykg.errors import PolicyKGError, StoreUnavailable
from policykg.graph.export import node_record, rel_record
from policykg.graph.model import ENDPOINTS, GraphFragment, Label, RelType, merge_props
from policykg.graph.questions import FOUND, LIST, ONE, Question, plain, search_statements
from policykg.graph.store import LoadResult, Store, load_time

BATCH = 5000
INDEX_WAIT_SECONDS = 600


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
            # No notifications: questions name `version_of`, which a graph without older
            # versions lacks, and the driver would log a warning for every such query.
            self.driver = GraphDatabase.driver(uri, auth=(user, password), connection_timeout=0.75 * timeout,
                                               connection_acquisition_timeout=0.75 * timeout,
                                               max_transaction_retry_time=15.0,
                                               notifications_min_severity="OFF")
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

    def read(self, name: str, **params) -> list[neo4j.Record]:
        """Run cypher/<name>.cypher as a read with these parameters."""
        return self.run(name, cypher(name), params)

    def run(self, name: str, query: str, params: dict[str, Any]) -> list[neo4j.Record]:
        """Run a read query (`name` for messages) in READ mode with the store's timeout."""
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
        nodes: dict[Label, dict[str, dict[str, Any]]] = defaultdict(dict)   # label -> id -> props
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
                row = nodes[node.label].get(node.id)
                if row is None:
                    nodes[node.label][node.id] = props
                else:
                    merge_props(row, props)     # the store's merge rule, as merge_nodes.cypher applies it
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
                rows = [{"id": nid, "props": {k: v for k, v in props.items() if k != "aliases"},
                         "aliases": props.get("aliases")} for nid, props in by_id.items()]
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
        for r in self.read("cites"):
            cites.setdefault(r["doc"], set()).add(r["cited"])
        ids = sorted(set(cites) | {c for cs in cites.values() for c in cs})
        measures = [Candidate(r["id"], r["text"], r["doc"], r["file"], r["start"], r["end"])
                    for r in self.read("document_measures", ids=ids)]
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
        for r in self.read("export_nodes"):
            yield node_record(r["label"], r["id"], plain(r["props"]))
        for r in self.read("export_relationships"):
            yield rel_record(r["type"], r["start"], r["start_label"], r["end"], r["end_label"], plain(r["props"]))

    # ------------------------------------------------------------------ questions
    def _answer(self, q: Question, params: dict[str, Any]) -> Any:
        if q.neo4j is not None:
            return q.neo4j(self, **params)
        rows = self.read(q.cypher, **params)
        if q.shape == LIST:
            raw = [r["item"] for r in rows]
        elif q.shape == ONE:
            raw = rows[0]["item"] if rows else None
        elif q.shape == FOUND:
            raw = [x for x in rows[0]["items"] if x is not None] if rows else None
        else:
            raise PolicyKGError(f"question {q.name} has no Neo4j answer")
        return q.finish(raw)
