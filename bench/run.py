"""The performance suite: each figure measured in one run beside its reference.

    python -m bench.run --quick          # make bench
    python -m bench.run --full           # make bench-full (N = 1,000 and 10,000)

Sections (JSON in bench/results/<mode>-<time>.json and bench/results/latest-<mode>.json,
and a printed table):

    extraction  chars/s of `policykg extract` (1 and 2 workers) beside reading+decoding the
                files and beside the blank zh tokenizer alone (nlp.pipe) on the same texts
    scaling     time and peak RSS of `policykg extract --workers 2` at the small and large N
    load        relationships/s of the ingest load path (Neo4jStore.load per document, then
                link_implements) beside a plain UNWIND … CREATE of the same rows into an
                empty database without constraints, and beside a per-row MERGE loop
    queries     p50/p99/throughput of the analyst endpoints over HTTP (uvicorn on loopback)
                beside the same Cypher through the driver, 1 and 32 clients, large graph
    embedded    the same store calls on the same graph, embedded store beside Neo4j

Neo4j: --neo4j-uri/--neo4j-password use that server (the suite wipes it); otherwise the
suite runs its own scripts/neo4j-local instance (home bench/.neo4j, Bolt 7697, HTTP 7484)
and stops it at the end. --no-neo4j skips the Neo4j sections (recorded as skipped).
"""
from __future__ import annotations

import argparse
import asyncio
import json
import os
import pickle
import platform
import random
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Callable

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
RESULTS = ROOT / "bench" / "results"
SECTIONS = ("machine", "corpus", "extraction", "scaling", "load", "queries", "embedded")

MODES = {
    # n_small: extraction ratios, load; n_large: scaling, queries, embedded
    "quick": dict(n_small=100, n_large=1000, merge_docs=5, requests=60, seconds=10.0, reps=1),
    "full": dict(n_small=1000, n_large=10000, merge_docs=20, requests=64, seconds=120.0, reps=1),
}
TARGETS = {
    "extract_vs_tokenizer": 0.5, "workers2_speedup": 1.7, "scaling_time": 11.0, "scaling_memory": 1.2,
    "load_vs_create": 0.5, "load_vs_merge_loop": 20.0, "http_p50_over_direct": 1.3, "http_throughput_vs_direct": 0.7,
}


def log(msg: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


# ============================================================================ machine
def machine() -> dict[str, Any]:
    cpu = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = 0
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                mem = int(line.split()[1]) * 1024
    except OSError:
        pass
    import spacy
    return {"nproc": os.cpu_count(), "ram_gb": round(mem / 2**30, 1), "cpu": cpu,
            "python": platform.python_version(), "spacy": spacy.__version__,
            "platform": platform.platform(), "load_average": list(os.getloadavg())}


# ============================================================================ helpers
def files_of(folder: Path) -> list[Path]:
    return sorted(p for p in folder.iterdir() if p.suffix == ".txt")


def corpus_chars(folder: Path) -> tuple[int, int]:
    chars = size = 0
    for p in files_of(folder):
        data = p.read_bytes()
        size += len(data)
        chars += len(data.decode("utf-8"))
    return chars, size


def ensure_corpus(n: int, seed: int, work: Path) -> Path:
    from bench.generate import generate

    folder = work / f"corpus-{n}-s{seed}"
    marker = folder / ".complete"
    if not marker.exists():
        shutil.rmtree(folder, ignore_errors=True)
        log(f"generating {n} documents into {folder}")
        info = generate(n, seed, folder)
        marker.write_text(json.dumps(info))
    return folder


def timed_child(cmd: list[str], env: dict | None = None) -> dict[str, Any]:
    """Run a command through a wrapper that reports its wall time, CPU time and the peak
    RSS of the largest process of its tree (ru_maxrss of RUSAGE_CHILDREN)."""
    wrapper = ("import json,resource,subprocess,sys,time\n"
               "t=time.perf_counter(); p=subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)\n"
               "w=time.perf_counter()-t; r=resource.getrusage(resource.RUSAGE_CHILDREN)\n"
               "print(json.dumps({'rc':p.returncode,'wall':w,'cpu':r.ru_utime+r.ru_stime,'maxrss_kb':r.ru_maxrss,"
               "'stderr':p.stderr.decode('utf-8','replace')[-2000:]}))\n")
    out = subprocess.run([sys.executable, "-c", wrapper, *cmd], capture_output=True, text=True, env=env, check=True)
    res = json.loads(out.stdout.strip().splitlines()[-1])
    if res["rc"] != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed ({res['rc']}): {res['stderr']}")
    return res


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    s = sorted(values)
    k = min(len(s) - 1, max(0, int(round(q / 100 * (len(s) - 1)))))
    return s[k]


def ratio(a: float | None, b: float | None) -> float | None:
    return round(a / b, 3) if a is not None and b else None


# ============================================================================ extraction
def read_pass(folder: Path) -> float:
    t = time.perf_counter()
    for p in files_of(folder):
        p.read_bytes().decode("utf-8")
    return time.perf_counter() - t


def tokenizer_pass(folder: Path) -> float:
    """The blank zh pipeline's tokenizer alone over the same texts, read as it streams."""
    code = ("import sys,time,spacy\nfrom pathlib import Path\n"
            "nlp=spacy.blank('zh'); files=sorted(p for p in Path(sys.argv[1]).iterdir() if p.suffix=='.txt')\n"
            "t=time.perf_counter()\n"
            "for d in nlp.pipe(p.read_bytes().decode('utf-8') for p in files): pass\n"
            "print(time.perf_counter()-t)\n")
    out = subprocess.run([sys.executable, "-c", code, str(folder)], capture_output=True, text=True, check=True)
    return float(out.stdout.strip().splitlines()[-1])


def extract_run(folder: Path, out: Path, workers: int) -> dict[str, Any]:
    before = os.getloadavg()[0]
    res = timed_child([str(BIN / "policykg"), "extract", str(folder), "--out", str(out), "--workers", str(workers)])
    res["records"] = sum(1 for _ in open(out, encoding="utf-8"))
    # cpu/wall: how many cores the run actually got (2 workers on 2 free cores: ~2).
    res["cores_used"] = round(res["cpu"] / res["wall"], 2) if res["wall"] else None
    res["load_average"] = [round(before, 2), round(os.getloadavg()[0], 2)]
    return res


def section_extraction(folder: Path, work: Path, reps: int) -> dict[str, Any]:
    chars, size = corpus_chars(folder)
    read_pass(folder)  # warm the page cache for every contender alike
    runs: dict[str, list[float]] = {"read": [], "tokenizer": [], "extract_1": [], "extract_2": []}
    details = {}
    for r in range(reps):
        # Interleaved so that a noisy neighbour weighs on every figure alike.
        runs["tokenizer"].append(tokenizer_pass(folder))
        runs["read"].append(read_pass(folder))
        log(f"extract {folder.name} --workers 1")
        d1 = extract_run(folder, work / "extract-1.jsonl", 1)
        runs["extract_1"].append(d1["wall"])
        log(f"extract {folder.name} --workers 2")
        d2 = extract_run(folder, work / "extract-2.jsonl", 2)
        runs["extract_2"].append(d2["wall"])
        runs["tokenizer"].append(tokenizer_pass(folder))
        details = {"extract_1": d1, "extract_2": d2}
    best = {k: min(v) for k, v in runs.items()}
    tok = statistics.mean(runs["tokenizer"])
    rate = {k: chars / v for k, v in best.items()}
    rate["tokenizer"] = chars / tok
    res = {
        "documents": len(files_of(folder)), "chars": chars, "bytes": size,
        "seconds": {k: [round(x, 3) for x in v] for k, v in runs.items()},
        "chars_per_s": {k: round(v) for k, v in rate.items()},
        "extract_1_cpu_s": round(details["extract_1"]["cpu"], 2),
        "extract_2_cpu_s": round(details["extract_2"]["cpu"], 2),
        "cores_used": {"extract_1": details["extract_1"]["cores_used"], "extract_2": details["extract_2"]["cores_used"]},
        "load_average": {"extract_1": details["extract_1"]["load_average"],
                         "extract_2": details["extract_2"]["load_average"]},
        "extract_1_peak_rss_mb": round(details["extract_1"]["maxrss_kb"] / 1024, 1),
        "records": details["extract_1"]["records"],
        "same_output_1_and_2": sorted(open(work / "extract-1.jsonl", encoding="utf-8").readlines())
        == sorted(open(work / "extract-2.jsonl", encoding="utf-8").readlines()),
        "ratios": {
            "extract_vs_tokenizer": ratio(rate["extract_1"], rate["tokenizer"]),
            "extract_vs_read": ratio(rate["extract_1"], rate["read"]),
            "workers2_speedup": ratio(rate["extract_2"], rate["extract_1"]),
        },
    }
    res["targets"] = {
        "extract_vs_tokenizer": _target(res["ratios"]["extract_vs_tokenizer"], ">=", TARGETS["extract_vs_tokenizer"]),
        "workers2_speedup": _target(res["ratios"]["workers2_speedup"], ">=", TARGETS["workers2_speedup"]),
    }
    return res


def _target(value, op: str, limit: float) -> dict[str, Any]:
    met = None if value is None else (value >= limit if op == ">=" else value <= limit)
    return {"value": value, "target": f"{op} {limit}", "met": met}


def section_scaling(small: Path, large: Path, work: Path, small_run: dict | None) -> dict[str, Any]:
    res: dict[str, Any] = {"workers": 2}
    points = {}
    for label, folder in (("small", small), ("large", large)):
        log(f"scaling: extract {folder.name} --workers 2")
        out = work / f"scale-{label}.jsonl"
        d = extract_run(folder, out, 2)
        chars, size = corpus_chars(folder)
        points[label] = {"documents": len(files_of(folder)), "bytes": size, "chars": chars,
                         "wall_s": round(d["wall"], 2), "cpu_s": round(d["cpu"], 2),
                         "peak_rss_mb": round(d["maxrss_kb"] / 1024, 1), "records": d["records"],
                         "cores_used": d["cores_used"], "load_average": d["load_average"],
                         "export_mb": round(out.stat().st_size / 1e6, 1)}
    res["points"] = points
    s, l = points["small"], points["large"]
    res["ratios"] = {"documents": ratio(l["documents"], s["documents"]), "time": ratio(l["wall_s"], s["wall_s"]),
                     "cpu_time": ratio(l["cpu_s"], s["cpu_s"]), "memory": ratio(l["peak_rss_mb"], s["peak_rss_mb"])}
    scale = (l["documents"] / s["documents"]) / 10 if s["documents"] else 1
    res["targets"] = {"scaling_time": _target(res["ratios"]["time"], "<=", round(TARGETS["scaling_time"] * scale, 2)),
                      "scaling_memory": _target(res["ratios"]["memory"], "<=", TARGETS["scaling_memory"])}
    return res


# ============================================================================ Neo4j
class LocalNeo4j:
    """The suite's own scripts/neo4j-local instance (never the test instance)."""

    def __init__(self, home: Path, bolt: int = 7697, http: int = 7484, password: str = "policykg-bench"):
        self.env = dict(os.environ, NEO4J_LOCAL_HOME=str(home), NEO4J_LOCAL_BOLT_PORT=str(bolt),
                        NEO4J_LOCAL_HTTP_PORT=str(http), NEO4J_LOCAL_PASSWORD=password,
                        NEO4J_LOCAL_HEAP=os.environ.get("BENCH_NEO4J_HEAP", "2g"),
                        NEO4J_LOCAL_PAGECACHE=os.environ.get("BENCH_NEO4J_PAGECACHE", "2g"),
                        NEO4J_LOCAL_START_TIMEOUT=os.environ.get("BENCH_NEO4J_START_TIMEOUT", "600"),
                        PYTHON=sys.executable)
        self.uri, self.password, self.started = f"bolt://127.0.0.1:{bolt}", password, False

    def start(self) -> None:
        script = str(ROOT / "scripts" / "neo4j-local")
        status = subprocess.run([script, "status"], env=self.env, capture_output=True, text=True)
        if status.returncode == 0 and "running" in status.stdout:
            return
        log("starting the suite's Neo4j (scripts/neo4j-local, home bench/.neo4j, Bolt 7697)")
        subprocess.run([script, "start"], env=self.env, check=True, stdout=subprocess.DEVNULL)
        self.started = True

    def stop(self) -> None:
        if self.started:
            subprocess.run([str(ROOT / "scripts" / "neo4j-local"), "stop"], env=self.env,
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def _driver(uri: str, password: str):
    from neo4j import GraphDatabase
    return GraphDatabase.driver(uri, auth=("neo4j", password))


def wipe(driver, drop_schema: bool) -> None:
    from policykg.cypher import cypher
    with driver.session() as s:
        s.run(cypher("delete_all")).consume()
        if drop_schema:
            for r in list(s.run("SHOW CONSTRAINTS YIELD name RETURN name")):
                s.run(f"DROP CONSTRAINT `{r['name']}`").consume()
            for r in list(s.run("SHOW INDEXES YIELD name, type WHERE type <> 'LOOKUP' RETURN name")):
                s.run(f"DROP INDEX `{r['name']}`").consume()


def spool_fragments(folder: Path, path: Path) -> dict[str, int]:
    """Extract once (2 workers) and pickle each document's fragment, streaming."""
    from policykg import jobs

    docs = nodes = rels = 0
    with open(path, "wb") as fh:
        for result in jobs.extract_iter(files_of(folder), workers=2):
            if result.fragment is None:
                continue
            pickle.dump(result.fragment, fh, protocol=pickle.HIGHEST_PROTOCOL)
            docs += 1
            nodes += len(result.fragment.nodes)
            rels += len(result.fragment.relationships)
    return {"documents": docs, "nodes": nodes, "relationships": rels}


def fragments(path: Path, limit: int | None = None):
    with open(path, "rb") as fh:
        n = 0
        while limit is None or n < limit:
            try:
                yield pickle.load(fh)
            except EOFError:
                return
            n += 1


def fragment_rows(frag):
    """(label, id, props) nodes and (type, start label, end label, start, end, props) rows."""
    nodes = [(n.label.value, n.id, n.properties()) for n in frag.nodes.values()]
    rels = [(r.type.value, frag.nodes[r.start].label.value, frag.nodes[r.end].label.value, r.start, r.end,
             r.properties()) for r in frag.relationships.values()]
    return nodes, rels


def create_limit(driver, spool: Path, batch: int = 10000) -> dict[str, Any]:
    """Plain UNWIND … CREATE of every row into an empty database without constraints or
    indexes: nodes by label, relationships by type between the element ids just made
    (a node seen in several documents is created once, as the graph has it once)."""
    node_rows: dict[str, dict[str, dict]] = {}
    rel_rows: dict[tuple, dict[tuple, dict]] = {}
    for frag in fragments(spool):
        nodes, rels = fragment_rows(frag)
        for label, nid, props in nodes:
            node_rows.setdefault(label, {}).setdefault(nid, props)
        for t, a, b, s, e, props in rels:
            rel_rows.setdefault((t, a, b), {}).setdefault((s, e), props)
    n_nodes = sum(len(v) for v in node_rows.values())
    n_rels = sum(len(v) for v in rel_rows.values())
    element: dict[str, str] = {}
    t0 = time.perf_counter()
    with driver.session() as s:
        for label, rows in node_rows.items():
            items = [{"id": k, "props": v} for k, v in rows.items()]
            for i in range(0, len(items), batch):
                res = s.run(f"UNWIND $rows AS row CREATE (n:`{label}`) SET n = row.props "
                            "RETURN row.id AS id, elementId(n) AS eid", rows=items[i:i + batch])
                for r in res:
                    element[r["id"]] = r["eid"]
        t1 = time.perf_counter()
        for (t, a, b), rows in rel_rows.items():
            items = [{"s": element[k[0]], "e": element[k[1]], "props": v} for k, v in rows.items()]
            for i in range(0, len(items), batch):
                s.run(f"UNWIND $rows AS row MATCH (a) WHERE elementId(a) = row.s MATCH (b) WHERE elementId(b) = row.e "
                      f"CREATE (a)-[r:`{t}`]->(b) SET r = row.props", rows=items[i:i + batch]).consume()
    t2 = time.perf_counter()
    return {"nodes": n_nodes, "relationships": n_rels, "seconds": round(t2 - t0, 2),
            "node_seconds": round(t1 - t0, 2), "relationship_seconds": round(t2 - t1, 2),
            "relationships_per_s": round(n_rels / (t2 - t0)), "rows_per_s": round((n_nodes + n_rels) / (t2 - t0))}


def ingest_load(uri: str, password: str, spool: Path) -> dict[str, Any]:
    """The load path of `policykg ingest` (jobs.ingest without the extraction): each
    document through Neo4jStore.load, then link_implements."""
    from policykg import jobs
    from policykg.graph.neo4j_store import Neo4jStore

    store = Neo4jStore(uri, "neo4j", password, timeout=30.0)
    try:
        t0 = time.perf_counter()
        summary = jobs.load_fragments(fragments(spool), store)
        t1 = time.perf_counter()
        links = store.link_implements()
        t2 = time.perf_counter()
        counts = store.counts()
    finally:
        store.close()
    rels = sum(v for k, v in counts.items() if k.isupper())
    loaded = rels - counts.get("IMPLEMENTS", 0)
    return {"documents": summary.loaded, "relationships": rels, "load_seconds": round(t1 - t0, 2),
            "link_seconds": round(t2 - t1, 2), "implements": links, "counts": counts,
            "relationships_per_s": round(loaded / (t1 - t0)),
            "relationships_per_s_with_links": round(rels / (t2 - t0))}


def merge_loop(driver, spool: Path, docs: int) -> dict[str, Any]:
    """What tutorials do: one auto-commit MERGE per node and per relationship (with the
    uniqueness constraints in place, so each MERGE is an index look-up)."""
    n_nodes = n_rels = 0
    t0 = time.perf_counter()
    with driver.session() as s:
        for frag in fragments(spool, docs):
            nodes, rels = fragment_rows(frag)
            for label, nid, props in nodes:
                s.run(f"MERGE (n:`{label}` {{id: $id}}) SET n += $props", id=nid, props=props).consume()
                n_nodes += 1
            for t, a, b, st, en, props in rels:
                s.run(f"MATCH (a:`{a}` {{id: $s}}) MATCH (b:`{b}` {{id: $e}}) MERGE (a)-[r:`{t}`]->(b) "
                      "ON CREATE SET r += $props", s=st, e=en, props=props).consume()
                n_rels += 1
    dt = time.perf_counter() - t0
    return {"documents": docs, "nodes": n_nodes, "relationships": n_rels, "seconds": round(dt, 2),
            "relationships_per_s": round(n_rels / dt)}


def section_load(uri: str, password: str, small: Path, work: Path, merge_docs: int) -> dict[str, Any]:
    from policykg.graph.neo4j_store import Neo4jStore

    spool = work / f"fragments-{small.name}.pickle"
    log(f"load: extracting {small.name} into a fragment spool")
    spooled = spool_fragments(small, spool)
    driver = _driver(uri, password)
    try:
        wipe(driver, drop_schema=True)
        log("load: UNWIND … CREATE reference (empty database, no constraints)")
        create = create_limit(driver, spool)
        wipe(driver, drop_schema=True)
        log("load: ingest load path (Neo4jStore.load per document)")
        ours = ingest_load(uri, password, spool)
        wipe(driver, drop_schema=False)
        Neo4jStore(uri, "neo4j", password).close()     # the schema, as a tutorial would have it
        log(f"load: per-row MERGE loop reference ({merge_docs} documents)")
        loop = merge_loop(driver, spool, merge_docs)
        wipe(driver, drop_schema=False)
    finally:
        driver.close()
        spool.unlink(missing_ok=True)
    res = {"corpus": small.name, "spooled": spooled, "ingest": ours, "unwind_create": create, "merge_loop": loop}
    res["ratios"] = {"load_vs_create": ratio(ours["relationships_per_s"], create["relationships_per_s"]),
                     "load_vs_merge_loop": ratio(ours["relationships_per_s"], loop["relationships_per_s"])}
    res["targets"] = {k: _target(res["ratios"][k], ">=", TARGETS[k]) for k in ("load_vs_create", "load_vs_merge_loop")}
    return res


def bulk_import(uri: str, password: str, export: Path, batch: int = 20000) -> dict[str, Any]:
    """The large graph for the query sections, from the export `policykg extract` wrote
    (the records ingest would load): nodes created in batches, then the store's schema
    (constraints, indexes), then relationships matched by id. Ids in an export are unique,
    so CREATE gives the graph MERGE would, faster."""
    from policykg.graph.neo4j_store import Neo4jStore

    driver = _driver(uri, password)
    wipe(driver, drop_schema=True)
    t0 = time.perf_counter()
    pending: dict[Any, list] = {}

    def flush(key, rows):
        with driver.session() as s:
            if isinstance(key, str):
                s.run(f"UNWIND $rows AS row CREATE (n:`{key}`) SET n = row", rows=rows).consume()
            else:
                t, a, b = key
                s.run(f"UNWIND $rows AS row MATCH (a:`{a}` {{id: row.s}}) MATCH (b:`{b}` {{id: row.e}}) "
                      f"CREATE (a)-[r:`{t}`]->(b) SET r = row.p", rows=rows).consume()

    schema_done = False
    with open(export, encoding="utf-8") as fh:
        for line in fh:
            rec = json.loads(line)
            if rec["type"] == "node":
                key, row = rec["labels"][0], rec["properties"]
            else:
                if not schema_done:
                    for k, rows in pending.items():
                        flush(k, rows)
                    pending = {}
                    Neo4jStore(uri, "neo4j", password).close()       # constraints and indexes
                    with driver.session() as s:
                        s.run("CALL db.awaitIndexes(600)").consume()
                    schema_done = True
                key = (rec["label"], rec["start"]["labels"][0], rec["end"]["labels"][0])
                row = {"s": rec["start"]["id"], "e": rec["end"]["id"], "p": rec["properties"]}
            rows = pending.setdefault(key, [])
            rows.append(row)
            if len(rows) >= batch:
                flush(key, rows)
                pending[key] = []
    for k, rows in pending.items():
        if rows:
            flush(k, rows)
    if not schema_done:
        Neo4jStore(uri, "neo4j", password).close()
    with driver.session() as s:
        s.run("CALL db.awaitIndexes(600)").consume()
    driver.close()
    store = Neo4jStore(uri, "neo4j", password, timeout=60.0)
    counts = store.counts()
    store.close()
    return {"seconds": round(time.perf_counter() - t0, 1), "counts": counts}


# ============================================================================ queries
SEARCH_WORDS = ["服务贸易", "金融", "跨境", "旅游", "知识产权", "会展", "人才", "数字", "物流", "文化",
                "医疗", "教育", "外资", "平台", "便利化"]


def sample_requests(uri: str, password: str, n: int, seed: int = 7) -> list[dict[str, Any]]:
    """A fixed mix of analyst requests: backers and provisions of measures that have them,
    the opening-measures table and word searches."""
    rng = random.Random(seed)
    with _driver(uri, password) as d:
        backed = [r["id"] for r in d.execute_query(
            "MATCH (m:Measure)<-[:LEADS|COOPERATES]-(:Agency) WITH DISTINCT m LIMIT 5000 RETURN m.id AS id").records]
        adjusted = [r["id"] for r in d.execute_query(
            "MATCH (m:Measure)-[:ADJUSTS_REGULATION]->(:LegalProvision) WITH DISTINCT m LIMIT 5000 RETURN m.id AS id").records]
    return request_mix(n, backed, adjusted, rng,
                       lambda r: " ".join(r.sample(SEARCH_WORDS, r.choice((1, 1, 2)))))


def request_mix(n: int, backed: list[str], adjusted: list[str], rng: random.Random,
                query: Callable[[random.Random], str]) -> list[dict[str, Any]]:
    """n requests cycling backers, provisions, opening measures and a search (`query` draws
    its words); a kind with no measure to ask about becomes a search."""
    out = []
    for i in range(n):
        kind = ("backers", "provisions", "opening", "search")[i % 4]
        if kind == "backers" and backed:
            out.append({"kind": kind, "id": rng.choice(backed)})
        elif kind == "provisions" and adjusted:
            out.append({"kind": kind, "id": rng.choice(adjusted)})
        elif kind == "opening":
            out.append({"kind": kind})
        else:
            out.append({"kind": "search", "q": query(rng)})
    return out


AS_OF_DATES = ("2018-12-31", "2019-06-30", "2020-12-31", "2022-06-30")


def sample_as_of_requests(uri: str, password: str, n: int, seed: int = 11) -> list[dict[str, Any]]:
    """A fixed mix of the as-of questions (issue 13): measures due by a date for an agency
    that has due measures, documents in force on a date, provisions suspended in a region
    on a date, and a document's versions."""
    rng = random.Random(seed)
    with _driver(uri, password) as d:
        agencies = [r["name"] for r in d.execute_query(
            "MATCH (a:Agency)-[:LEADS|COOPERATES]->(m:Measure) WHERE m.due IS NOT NULL "
            "WITH a, count(m) AS n ORDER BY n DESC, a.name LIMIT 200 RETURN a.name AS name").records]
        regions = [r["name"] for r in d.execute_query(
            "MATCH (r:Region)<-[:APPLIES_TO]-() WITH DISTINCT r ORDER BY r.name LIMIT 500 RETURN r.name AS name").records]
        documents = [r["id"] for r in d.execute_query(
            "MATCH (x:Document) WHERE x.file IS NOT NULL AND x.version_of IS NULL "
            "WITH x ORDER BY x.id LIMIT 5000 RETURN x.id AS id").records]
    out = []
    for i in range(n):
        kind = ("due", "in_force", "suspended", "versions")[i % 4]
        day = rng.choice(AS_OF_DATES)
        if kind == "due" and agencies:
            out.append({"kind": kind, "before": day, "agency": rng.choice(agencies)})
        elif kind == "in_force":
            out.append({"kind": kind, "on": day})
        elif kind == "suspended" and regions:
            out.append({"kind": kind, "region": rng.choice(regions), "on": day})
        elif documents:
            out.append({"kind": "versions", "id": rng.choice(documents)})
    return out


def http_path(req: dict[str, Any]) -> tuple[str, dict]:
    if req["kind"] == "backers":
        return f"/measures/{req['id']}/backers", {}
    if req["kind"] == "provisions":
        return f"/measures/{req['id']}/provisions", {}
    if req["kind"] == "opening":
        return "/opening-measures", {}
    if req["kind"] == "due":
        return "/measures", {"due_before": req["before"], "agency": req["agency"]}
    if req["kind"] == "in_force":
        return "/documents", {"in_force_on": req["on"]}
    if req["kind"] == "suspended":
        return "/provisions/suspended", {"region": req["region"], "on": req["on"]}
    if req["kind"] == "versions":
        return f"/documents/{req['id']}/versions", {}
    return "/measures", {"q": req["q"]}


def direct_queries(req: dict[str, Any]) -> list[tuple[str, dict]]:
    """The Cypher the Neo4j store runs for a request (search runs count and page)."""
    from policykg.cypher import cypher
    from policykg.graph.questions import QUESTIONS, search_statements, search_terms
    if req["kind"] in ("backers", "provisions"):
        return [(cypher(req["kind"]), {"id": req["id"]})]
    if req["kind"] == "opening":
        return [(cypher("opening_measures"), {})]
    as_of = {"due": ("measures_due", {"before": req.get("before"), "agency": req.get("agency")}),
             "in_force": ("documents_in_force", {"on": req.get("on")}),
             "suspended": ("suspended_provisions", {"region": req.get("region"), "on": req.get("on")}),
             "versions": ("versions", {"id": req.get("id")})}
    if req["kind"] in as_of:
        name, args = as_of[req["kind"]]
        q = QUESTIONS[name]
        return [(cypher(q.cypher), q.bind((), args))]
    return search_statements(search_terms(req["q"]), None, None, None, None, 20, 0)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def api_server(env: dict[str, str], workers: int):
    port = free_port()
    cmd = [str(BIN / "uvicorn"), "policykg.api.app:create_app", "--factory", "--host", "127.0.0.1",
           "--port", str(port), "--workers", str(workers), "--log-level", "warning", "--no-access-log"]
    # Its log goes to a file: a pipe nobody reads while requests run would fill and stall the server.
    log_file = tempfile.NamedTemporaryFile(prefix="policykg-bench-api-", suffix=".log", delete=False)
    proc = subprocess.Popen(cmd, env=env, cwd=str(ROOT), stdout=subprocess.DEVNULL, stderr=log_file,
                            start_new_session=True)
    import httpx
    try:
        deadline = time.time() + 60
        while True:
            try:
                if httpx.get(f"http://127.0.0.1:{port}/health", timeout=5).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if proc.poll() is not None or time.time() > deadline:
                raise RuntimeError(f"uvicorn did not start: {Path(log_file.name).read_text(errors='replace')[-2000:]}")
            time.sleep(0.3)
        yield f"http://127.0.0.1:{port}"
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
        log_file.close()
        os.unlink(log_file.name)


async def _drive(reqs: list, concurrency: int, seconds: float, call) -> dict[str, Any]:
    """Run the requests with `concurrency` workers, each request at most once, stopping
    after `seconds`; latency per request, errors counted."""
    lat: list[float] = []
    by_kind: dict[str, list[float]] = {}
    errors: list[str] = []
    it = iter(reqs)
    stop = time.perf_counter() + seconds

    async def worker():
        for req in it:
            if time.perf_counter() > stop:
                return
            t = time.perf_counter()
            try:
                await call(req)
            except Exception as exc:   # counted, not raised: the run goes on
                errors.append(f"{type(exc).__name__}: {exc}"[:200])
                continue
            lat.append(time.perf_counter() - t)
            by_kind.setdefault(req["kind"], []).append(lat[-1])

    t0 = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(concurrency)))
    wall = time.perf_counter() - t0
    return {"requests": len(lat) + len(errors), "errors": len(errors), "error_samples": errors[:3],
            "p50_ms": round(percentile(lat, 50) * 1000, 2), "p99_ms": round(percentile(lat, 99) * 1000, 2),
            "throughput_rps": round(len(lat) / wall, 1) if wall else None,
            "p50_ms_by_kind": {k: round(percentile(v, 50) * 1000, 2) for k, v in sorted(by_kind.items())}}


def run_http(base: str, reqs: list, concurrency: int, seconds: float) -> dict[str, Any]:
    import httpx

    async def main():
        limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
        async with httpx.AsyncClient(base_url=base, timeout=60, limits=limits) as client:
            async def call(req):
                path, params = http_path(req)
                r = await client.get(path, params=params)
                if r.status_code != 200:
                    raise RuntimeError(f"HTTP {r.status_code} {path}")
                r.json()
            await call(reqs[0])   # warm the connection
            return await _drive(reqs, concurrency, seconds, call)
    return asyncio.run(main())


def run_direct(uri: str, password: str, reqs: list, concurrency: int, seconds: float) -> dict[str, Any]:
    from neo4j import AsyncGraphDatabase, READ_ACCESS

    async def main():
        driver = AsyncGraphDatabase.driver(uri, auth=("neo4j", password), max_connection_pool_size=max(concurrency, 8),
                                           notifications_min_severity="OFF")     # as the store's driver
        try:
            async def call(req):
                async with driver.session(default_access_mode=READ_ACCESS) as s:
                    for q, params in direct_queries(req):
                        res = await s.run(q, params)
                        [r.data() async for r in res]
            await call(reqs[0])
            return await _drive(reqs, concurrency, seconds, call)
        finally:
            await driver.close()
    return asyncio.run(main())


def section_queries(uri: str, password: str, large_export: Path, requests: int, seconds: float,
                    api_workers: int, reuse: bool = False) -> dict[str, Any]:
    imported = None
    if reuse:
        from policykg.graph.neo4j_store import Neo4jStore
        store = Neo4jStore(uri, "neo4j", password, timeout=60.0)
        counts = store.counts()
        store.close()
        if counts.get("Measure"):
            imported = {"reused": True, "counts": counts}
    if imported is None:
        log(f"queries: importing {large_export.name} into Neo4j")
        imported = bulk_import(uri, password, large_export)
    reqs = sample_requests(uri, password, requests)
    as_of = sample_as_of_requests(uri, password, requests)
    env = dict(os.environ, NEO4J_URI=uri, NEO4J_USER="neo4j", NEO4J_PASSWORD=password, NEO4J_QUERY_TIMEOUT="30")
    res: dict[str, Any] = {"graph": imported, "requests_per_run": requests, "max_seconds_per_run": seconds,
                           "api_workers": api_workers, "mix": sorted({r["kind"] for r in reqs}), "runs": {}}
    with api_server(env, api_workers) as base:
        for c in (1, 32):
            # Warm both paths alike (page cache, query plans), then measure them side by side.
            warm = [r for r in reqs if r["kind"] in ("backers", "provisions")][:8] or reqs[:2]
            run_direct(uri, password, warm, c, seconds)
            run_http(base, warm, c, seconds)
            log(f"queries: {c} client(s), direct then HTTP")
            direct = run_direct(uri, password, reqs, c, seconds)
            http = run_http(base, reqs, c, seconds)
            res["runs"][str(c)] = {"direct": direct, "http": http,
                                   "p50_ratio": ratio(http["p50_ms"], direct["p50_ms"]),
                                   "throughput_ratio": ratio(http["throughput_rps"], direct["throughput_rps"])}
        if as_of:
            # The as-of questions, one client: each kind's p50 over HTTP against its Cypher.
            log("queries: as-of questions, 1 client, direct then HTTP")
            run_direct(uri, password, as_of[:8], 1, seconds)
            run_http(base, as_of[:8], 1, seconds)
            direct = run_direct(uri, password, as_of, 1, seconds)
            http = run_http(base, as_of, 1, seconds)
            res["as_of"] = {"direct": direct, "http": http, "p50_ratio": ratio(http["p50_ms"], direct["p50_ms"]),
                            "p50_ratio_by_kind": {k: ratio(http["p50_ms_by_kind"].get(k), v)
                                                  for k, v in direct["p50_ms_by_kind"].items()}}
    res["targets"] = {}
    for c, run in res["runs"].items():
        res["targets"][f"http_p50_over_direct_{c}"] = _target(run["p50_ratio"], "<=", TARGETS["http_p50_over_direct"])
        res["targets"][f"http_throughput_vs_direct_{c}"] = _target(run["throughput_ratio"], ">=",
                                                                   TARGETS["http_throughput_vs_direct"])
        res["targets"][f"http_zero_errors_{c}"] = {"value": run["http"]["errors"], "target": "== 0",
                                                   "met": run["http"]["errors"] == 0}
    if "as_of" in res:
        res["targets"]["as_of_http_p50_over_direct"] = _target(res["as_of"]["p50_ratio"], "<=",
                                                               TARGETS["http_p50_over_direct"])
        for kind, value in res["as_of"]["p50_ratio_by_kind"].items():
            res["targets"][f"as_of_http_p50_over_direct_{kind}"] = _target(value, "<=", TARGETS["http_p50_over_direct"])
        res["targets"]["as_of_http_zero_errors"] = {"value": res["as_of"]["http"]["errors"], "target": "== 0",
                                                    "met": res["as_of"]["http"]["errors"] == 0}
    res["_requests"] = reqs
    return res


def store_calls(store, reqs: list, seconds: float) -> dict[str, Any]:
    lat: dict[str, list[float]] = {}
    errors = 0
    stop = time.perf_counter() + seconds
    t0 = time.perf_counter()
    for req in reqs:
        if time.perf_counter() > stop:
            break
        t = time.perf_counter()
        try:
            if req["kind"] == "backers":
                store.backers(req["id"])
            elif req["kind"] == "provisions":
                store.provisions(req["id"])
            elif req["kind"] == "opening":
                store.opening_measures()
            else:
                store.search_measures(q=req["q"], limit=20)
        except Exception:
            errors += 1
            continue
        lat.setdefault(req["kind"], []).append(time.perf_counter() - t)
    wall = time.perf_counter() - t0
    every = [x for v in lat.values() for x in v]
    return {"requests": len(every) + errors, "errors": errors,
            "p50_ms": round(percentile(every, 50) * 1000, 2), "p99_ms": round(percentile(every, 99) * 1000, 2),
            "throughput_rps": round(len(every) / wall, 1) if wall else None,
            "p50_ms_by_kind": {k: round(percentile(v, 50) * 1000, 2) for k, v in sorted(lat.items())}}


def section_embedded(large_export: Path, work: Path, reqs: list, seconds: float,
                     uri: str | None, password: str | None) -> dict[str, Any]:
    """The same store calls on the same graph: embedded (its snapshot is the export)
    beside Neo4j, in process, one caller."""
    from policykg.graph.embedded import EmbeddedStore

    data = work / "embedded-store"
    shutil.rmtree(data, ignore_errors=True)
    data.mkdir(parents=True)
    os.link(large_export, data / "graph.jsonl") if _same_fs(large_export, data) else shutil.copy(large_export, data / "graph.jsonl")
    t0 = time.perf_counter()
    store = EmbeddedStore(data)
    open_s = time.perf_counter() - t0
    if not reqs:
        reqs = _embedded_requests(store, 40)
    emb = store_calls(store, reqs, seconds)
    res: dict[str, Any] = {"open_seconds": round(open_s, 1), "embedded": emb}
    del store
    shutil.rmtree(data, ignore_errors=True)
    if uri:
        from policykg.graph.neo4j_store import Neo4jStore
        neo = Neo4jStore(uri, "neo4j", password, timeout=30.0)
        store_calls(neo, reqs[:10], seconds)
        res["neo4j"] = store_calls(neo, reqs, seconds)
        neo.close()
        res["ratios"] = {"embedded_p50_over_neo4j": ratio(emb["p50_ms"], res["neo4j"]["p50_ms"]),
                         "embedded_throughput_vs_neo4j": ratio(emb["throughput_rps"], res["neo4j"]["throughput_rps"])}
    return res


def _same_fs(a: Path, b: Path) -> bool:
    return a.stat().st_dev == b.stat().st_dev


def _embedded_requests(store, n: int) -> list[dict[str, Any]]:
    rng = random.Random(7)
    measures = [nid for nid, d in store.g.nodes(data=True) if d["label"] == "Measure"]
    backed = [m for m in measures if any(t in ("LEADS", "COOPERATES") for _, _, t in store.g.in_edges(m, keys=True))][:5000]
    adjusted = [m for m in measures if any(t == "ADJUSTS_REGULATION" for _, _, t in store.g.out_edges(m, keys=True))][:5000]
    return request_mix(n, backed, adjusted, rng, lambda r: r.choice(SEARCH_WORDS))


# ============================================================================ report
def table(results: dict[str, Any]) -> str:
    rows: list[tuple[str, str, str, str]] = []

    def add(what, value, ref, verdict=""):
        rows.append((what, value, ref, verdict))

    def verdict(t):
        if not t or t.get("met") is None:
            return ""
        return ("MET " if t["met"] else "MISSED ") + f"({t['value']} {t['target']})"

    m = results.get("machine", {})
    ex = results.get("extraction", {})
    if ex.get("chars_per_s"):
        c = ex["chars_per_s"]
        add(f"extract {ex['documents']} docs, 1 worker", f"{c['extract_1']:,} chars/s", f"tokenizer {c['tokenizer']:,}",
            verdict(ex["targets"]["extract_vs_tokenizer"]))
        add("extract, 2 workers", f"{c['extract_2']:,} chars/s", f"1 worker {c['extract_1']:,}",
            verdict(ex["targets"]["workers2_speedup"]))
        add("read + decode", f"{c['read']:,} chars/s", f"extract/read {ex['ratios']['extract_vs_read']}")
    sc = results.get("scaling", {})
    if sc.get("points"):
        s, l = sc["points"]["small"], sc["points"]["large"]
        add(f"extract {s['documents']} → {l['documents']} docs (2 workers)", f"{s['wall_s']} s → {l['wall_s']} s",
            f"x{sc['ratios']['documents']} docs", verdict(sc["targets"]["scaling_time"]))
        add("peak RSS", f"{s['peak_rss_mb']} → {l['peak_rss_mb']} MB", "", verdict(sc["targets"]["scaling_memory"]))
    ld = results.get("load", {})
    if ld.get("ingest"):
        add(f"ingest load path ({ld['ingest']['documents']} docs)", f"{ld['ingest']['relationships_per_s']:,} rels/s",
            f"UNWIND CREATE {ld['unwind_create']['relationships_per_s']:,}", verdict(ld["targets"]["load_vs_create"]))
        add("", "", f"MERGE loop {ld['merge_loop']['relationships_per_s']:,}", verdict(ld["targets"]["load_vs_merge_loop"]))
    elif ld.get("skipped"):
        add("load", "skipped", ld["skipped"])
    q = results.get("queries", {})
    for c, run in (q.get("runs") or {}).items():
        h, d = run["http"], run["direct"]
        add(f"queries {c} client(s): p50 / p99", f"HTTP {h['p50_ms']} / {h['p99_ms']} ms",
            f"direct {d['p50_ms']} / {d['p99_ms']} ms", verdict(q["targets"][f"http_p50_over_direct_{c}"]))
        add(f"queries {c} client(s): throughput", f"HTTP {h['throughput_rps']} req/s",
            f"direct {d['throughput_rps']} req/s", verdict(q["targets"][f"http_throughput_vs_direct_{c}"]))
        add(f"queries {c} client(s): errors", f"{h['errors']} of {h['requests']}", f"direct {d['errors']}",
            verdict(q["targets"][f"http_zero_errors_{c}"]))
    if q.get("as_of"):
        h, d = q["as_of"]["http"], q["as_of"]["direct"]
        add("as-of questions 1 client: p50", f"HTTP {h['p50_ms']} ms", f"direct {d['p50_ms']} ms",
            verdict(q["targets"]["as_of_http_p50_over_direct"]))
        for kind in sorted(d["p50_ms_by_kind"]):
            add(f"  {kind}: p50", f"HTTP {h['p50_ms_by_kind'].get(kind)} ms", f"direct {d['p50_ms_by_kind'][kind]} ms",
                verdict(q["targets"].get(f"as_of_http_p50_over_direct_{kind}")))
        add("as-of questions: errors", f"{h['errors']} of {h['requests']}", f"direct {d['errors']}",
            verdict(q["targets"]["as_of_http_zero_errors"]))
    if q.get("skipped"):
        add("queries", "skipped", q["skipped"])
    em = results.get("embedded", {})
    if em.get("embedded"):
        e = em["embedded"]
        ref = f"Neo4j {em['neo4j']['p50_ms']} / {em['neo4j']['p99_ms']} ms, {em['neo4j']['throughput_rps']} req/s" \
            if em.get("neo4j") else "(no Neo4j)"
        add("embedded store p50 / p99", f"{e['p50_ms']} / {e['p99_ms']} ms, {e['throughput_rps']} req/s", ref)
    w = [max(len(r[i]) for r in rows + [("what", "measured", "reference", "target")]) for i in range(4)]
    lines = [f"machine: {m.get('nproc')} cores, {m.get('ram_gb')} GB, {m.get('cpu')}, Python {m.get('python')}, "
             f"Neo4j {results.get('neo4j_version', 'n/a')}; mode {results.get('mode')}"]
    head = ("what", "measured", "reference", "target")
    lines.append(" | ".join(h.ljust(w[i]) for i, h in enumerate(head)))
    lines.append("-+-".join("-" * x for x in w))
    for r in rows:
        lines.append(" | ".join(r[i].ljust(w[i]) for i in range(4)))
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="policykg performance suite")
    g = ap.add_mutually_exclusive_group()
    g.add_argument("--quick", action="store_const", const="quick", dest="mode")
    g.add_argument("--full", action="store_const", const="full", dest="mode")
    ap.add_argument("--n-small", type=int)
    ap.add_argument("--n-large", type=int)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--requests", type=int, help="requests per query run")
    ap.add_argument("--seconds", type=float, help="time limit of each query run")
    ap.add_argument("--api-workers", type=int, default=1, help="uvicorn worker processes (1: measured best "
                                                                 "on 2 cores, see bench/README.md)")
    ap.add_argument("--reuse-graph", action="store_true", help="queries: keep the graph already in Neo4j")
    ap.add_argument("--work", type=Path, help="where corpora and exports go (default: a folder under the temp dir)")
    ap.add_argument("--out", type=Path, default=RESULTS, help="results folder")
    ap.add_argument("--neo4j-uri")
    ap.add_argument("--neo4j-password", default=os.environ.get("BENCH_NEO4J_PASSWORD", ""))
    ap.add_argument("--no-neo4j", action="store_true", help="skip the Neo4j sections")
    ap.add_argument("--keep-neo4j", action="store_true", help="leave the suite's own Neo4j running")
    ap.add_argument("--only", help="comma-separated sections to run (extraction,scaling,load,queries,embedded); "
                                   "results are saved as <mode>-only-<sections>")
    args = ap.parse_args(argv)
    mode = args.mode or "quick"
    only = set(args.only.split(",")) if args.only else set(SECTIONS)
    cfg = dict(MODES[mode])
    for k in ("n_small", "n_large", "requests", "seconds"):
        if getattr(args, k) is not None:
            cfg[k] = getattr(args, k)
    work = args.work or Path(tempfile.gettempdir()) / "policykg-bench"
    work.mkdir(parents=True, exist_ok=True)
    results: dict[str, Any] = {"mode": mode, "config": cfg, "started": time.strftime("%Y-%m-%dT%H:%M:%S"),
                               "machine": machine(), "timings_s": {}}

    label = mode if not args.only else f"{mode}-only-{'-'.join(sorted(only & set(SECTIONS)))}"

    def step(name: str, fn: Callable[[], Any]):
        if name not in only:
            return
        t = time.perf_counter()
        try:
            results[name] = fn()
        except Exception as exc:
            import traceback
            log(f"{name} failed: {exc}")
            results[name] = {"error": f"{type(exc).__name__}: {exc}", "trace": traceback.format_exc()[-3000:]}
        results["timings_s"][name] = round(time.perf_counter() - t, 1)
        _save(results, args.out, label)

    small = ensure_corpus(cfg["n_small"], args.seed, work)
    large = ensure_corpus(cfg["n_large"], args.seed, work)
    results["corpus"] = {"small": {"path": str(small), "documents": cfg["n_small"]},
                         "large": {"path": str(large), "documents": cfg["n_large"]}, "seed": args.seed}
    step("extraction", lambda: section_extraction(small, work, cfg["reps"]))
    step("scaling", lambda: section_scaling(small, large, work, None))
    large_export = work / "scale-large.jsonl"

    neo: LocalNeo4j | None = None
    uri, password = args.neo4j_uri, args.neo4j_password
    if not only & {"load", "queries"} and not (only & {"embedded"} and not args.no_neo4j):
        args.no_neo4j = True
    if args.no_neo4j:
        for name in ("load", "queries"):
            results[name] = {"skipped": "--no-neo4j"}
    else:
        try:
            if not uri:
                neo = LocalNeo4j(ROOT / "bench" / ".neo4j")
                neo.start()
                uri, password = neo.uri, neo.password
            with _driver(uri, password) as d:
                rec = d.execute_query("CALL dbms.components() YIELD versions RETURN versions[0] AS v").records
                results["neo4j_version"] = rec[0]["v"]
        except Exception as exc:
            log(f"no Neo4j: {exc}")
            for name in ("load", "queries"):
                results[name] = {"skipped": f"Neo4j unavailable: {exc}"}
            uri = None
    try:
        if uri:
            step("load", lambda: section_load(uri, password, small, work, cfg["merge_docs"]))
            if large_export.exists():
                step("queries", lambda: section_queries(uri, password, large_export, cfg["requests"], cfg["seconds"],
                                                        args.api_workers, args.reuse_graph))
            else:
                results["queries"] = {"skipped": "no large export (scaling failed)"}
        reqs = (results.get("queries") or {}).pop("_requests", None) or []
        if large_export.exists():
            step("embedded", lambda: section_embedded(large_export, work, reqs[: cfg["requests"] // 2],
                                                      cfg["seconds"], uri, password))
        else:
            results["embedded"] = {"skipped": "no large export (scaling failed)"}
    finally:
        if neo is not None and not args.keep_neo4j:
            neo.stop()
    results["finished"] = time.strftime("%Y-%m-%dT%H:%M:%S")
    path = _save(results, args.out, label)
    print(table(results))
    print(f"\nresults: {path}")
    return 0


def _save(results: dict[str, Any], out: Path, mode: str) -> Path:
    out.mkdir(parents=True, exist_ok=True)
    stamp = results["started"].replace(":", "").replace("-", "")
    path = out / f"{mode}-{stamp}.json"
    clean = {k: v for k, v in results.items() if k != "_requests"}
    if isinstance(clean.get("queries"), dict):
        clean["queries"] = {k: v for k, v in clean["queries"].items() if k != "_requests"}
    text = json.dumps(clean, ensure_ascii=False, indent=2)
    path.write_text(text, encoding="utf-8")
    (out / f"latest-{mode}.json").write_text(text, encoding="utf-8")
    return path


if __name__ == "__main__":
    sys.exit(main())
