"""The duty lexicon (data/duty_words.tsv), compiled once: labels before bodies, verbs
after them in responsibility cells, and verbs of prose predicates, each with its role."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

LEAD, COOP = "lead", "cooperate"


def _alt(words) -> str:
    """Longest first, so that the longest word that fits wins at a position."""
    found = sorted({w for w in words if w}, key=lambda w: (-len(w), w))
    return "|".join(map(re.escape, found)) or "(?!)"


@dataclass
class Duties:
    words: list[tuple[str, str, frozenset[str]]] = field(default_factory=list)

    @classmethod
    def load(cls, path: Path) -> "Duties":
        rows = []
        for line in path.read_text(encoding="utf-8").splitlines():
            if not line.strip() or line.startswith("#"):
                continue
            cols = line.split("\t")
            where = frozenset(w.strip() for w in (cols[2] if len(cols) > 2 else "").split(",") if w.strip())
            rows.append((cols[0].strip(), cols[1].strip(), where))
        return cls(rows).compile()

    def _of(self, where: str, role: str | None = None) -> list[str]:
        return [w for w, r, places in self.words if where in places and (role is None or r == role)]

    def compile(self) -> "Duties":
        labels = _alt(self._of("label"))
        self.label_lead = re.compile(rf"^\s*(?:{_alt(self._of('label', LEAD))})\s*[：:]")
        self.label_resp = re.compile(rf"^\s*(?:{_alt(self._of('label', 'responsible'))})\s*[：:]")
        self.label_coop = re.compile(rf"^\s*(?:{_alt(self._of('label', COOP))})\s*[：:]")
        #: where a label opens a clause of its own (牵头单位：A，配合单位：B、C)
        self.label_any = re.compile(rf"(?<=[，,。 ])\s*(?=(?:{labels})\s*[：:])")
        #: a 责任单位：… line after an item
        self.label_line = re.compile(rf"(?:^|\n|[。；])\s*((?:{labels})\s*[：:][^\n。]*)")
        paren = _alt(self._of("paren"))
        self.paren_words = re.compile(paren)
        #: a paragraph that only says who is responsible (责任单位：… or （…牵头…）)
        self.duty_paragraph = re.compile(
            rf"^\s*(?:[（(][^（）()]*(?:{paren})[^（）()]*[）)]|(?:{labels})\s*[：:].*)\s*[。；]?\s*$", re.S)
        self._cell_roles = {w: r for w, r, places in self.words if "cell" in places}
        self.cell_verbs = re.compile(_alt(self._cell_roles))
        #: a lead mark right after a body: 市发展改革委（牵头）
        self.lead_mark = re.compile(rf"^\s*[（(](?:{_alt(w for w, r, places in self.words if r == LEAD and 'cell' in places)})[）)]")
        self._prose_roles = {w: r for w, r, places in self.words if "prose" in places}
        self.prose_verbs = re.compile(_alt(self._prose_roles))
        #: where a list item's body name ends: a duty word, 等, 按职责/分工, or a bracket
        self.item_end = re.compile(rf"等|按职责|分工|支持|落实|{_alt(w for w, _, _ in self.words)}|[（(]")
        return self

    def cell_verb(self, tail: str) -> tuple[str, bool] | None:
        """The role the verbs after a list of bodies give (weak: support that leads where no
        one else does), or None where no verb is there."""
        roles = {self._cell_roles[m.group(0)] for m in self.cell_verbs.finditer(tail)}
        if not roles:
            return None
        if LEAD in roles:
            return LEAD, False
        if "weak" in roles:
            return COOP, True
        return COOP, False

    def prose_role(self, predicate: str) -> str:
        """The role a sentence's predicate gives its subject (lead unless it only supports)."""
        roles = {self._prose_roles[m.group(0)] for m in self.prose_verbs.finditer(predicate)}
        return COOP if roles and LEAD not in roles else LEAD
