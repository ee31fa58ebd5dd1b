"""The embedded store's graph as the questions read it (graph/questions.py).

A view over the store's networkx MultiDiGraph (edge key = relationship type, node data
`label` and `props`), its label index and its agencies' role counts. Items come back as
stored property dicts, with the counts a result model asks for added, so that the result
models (graph/results.py) read them as they read Neo4j's maps.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any, Iterator

from policykg.graph.model import Label

if TYPE_CHECKING:       # the extraction path imports this module: networkx costs it 0.14 s
    import networkx as nx

ROLE_TYPES = {None: ("LEADS", "COOPERATES"), "lead": ("LEADS",), "cooperate": ("COOPERATES",)}


class GraphView:
    __slots__ = ("g", "by_label", "roles")

    def __init__(self, g: nx.MultiDiGraph, by_label: dict[str, dict[str, None]], roles: dict[str, list[int]]):
        self.g, self.by_label, self.roles = g, by_label, roles

    # ------------------------------------------------------------------ nodes
    def label(self, nid: str) -> str | None:
        return self.g.nodes[nid]["label"] if nid in self.g else None

    def is_a(self, nid: str, label: Label) -> bool:
        return nid in self.g and self.g.nodes[nid]["label"] == label.value

    def props(self, nid: str) -> dict[str, Any]:
        return self.g.nodes[nid]["props"]

    def nodes(self, label: Label) -> list[tuple[str, dict[str, Any]]]:
        """(id, props) of every node of a label, in insertion order."""
        nodes = self.g.nodes
        return [(n, nodes[n]["props"]) for n in self.by_label.get(label.value, ())]

    def current(self, label: Label) -> list[tuple[str, dict[str, Any]]]:
        """`nodes` of current versions only (no `version_of`)."""
        nodes = self.g.nodes
        return [(n, p) for n in self.by_label.get(label.value, ()) if "version_of" not in (p := nodes[n]["props"])]

    def is_current(self, nid: str) -> bool:
        return "version_of" not in self.g.nodes[nid]["props"]

    def resolve(self, key: str | None, label: Label, prop: str) -> set[str]:
        """Node ids for an id or a property value (agency name, region name, file name)."""
        if key is None:
            return set()
        if self.is_a(key, label):
            return {key}
        return {n for n, p in self.nodes(label) if p.get(prop) == key}

    # ------------------------------------------------------------------ edges
    def out(self, nid: str, *types: str) -> Iterator[tuple[str, dict[str, Any]]]:
        """(end, edge props) of the relationships of these types leaving a node."""
        for _, e, t, d in self.g.out_edges(nid, keys=True, data=True):
            if t in types:
                yield e, d["props"]

    def into(self, nid: str, *types: str) -> Iterator[tuple[str, dict[str, Any]]]:
        """(start, edge props) of the relationships of these types reaching a node."""
        for s, _, t, d in self.g.in_edges(nid, keys=True, data=True):
            if t in types:
                yield s, d["props"]

    # ------------------------------------------------------------------ items
    def agency(self, nid: str) -> dict[str, Any]:
        leads, cooperates = self.roles.get(nid, (0, 0))
        return {**self.props(nid), "leads": leads, "cooperates": cooperates}

    def document(self, nid: str) -> dict[str, Any]:
        return {**self.props(nid), "id": nid, "measures": sum(1 for _ in self.into(nid, "FROM_DOCUMENT"))}

    def covering(self, region: str) -> set[str]:
        """A region (id or name) and every region it is PART_OF, at any depth."""
        out, todo = set(), list(self.resolve(region, Label.REGION, "name"))
        while todo:
            r = todo.pop()
            if r in out:
                continue
            out.add(r)
            todo.extend(e for e, _ in self.out(r, "PART_OF") if self.is_a(e, Label.REGION))
        return out

    def within(self, region: str) -> set[str]:
        """A region (by id) and every region PART_OF it, at any depth."""
        out, todo = {region}, [region]
        while todo:
            for child, _ in self.into(todo.pop(), "PART_OF"):
                if child not in out and self.is_a(child, Label.REGION):
                    out.add(child)
                    todo.append(child)
        return out

    def applies_in(self, mid: str) -> list[str]:
        """Region ids a measure applies in: its own APPLIES_TO, else its document's."""
        own = [e for e, _ in self.out(mid, "APPLIES_TO")]
        if own:
            return own
        return [r for d, _ in self.out(mid, "FROM_DOCUMENT") for r, _ in self.out(d, "APPLIES_TO")]
