"""What every genre shares: the draft of a measure, the context a genre reads with, and
the registry genres are found in by name.

A genre is one way the documents lay out measures (numbered prose, responsibility tables,
catalogue tables of suspended provisions …). It claims the blocks it understands and turns
a run of them into drafts. `policykg_measures` asks the genres named in its config, in
order: a block goes to the first genre that claims it.

Adding a genre: a module in this package with a class registered under a name,

    @genres("policykg.my_layout.v1")
    class MyLayout(Genre):
        def claims(self, block, ctx) -> bool: ...
        def drafts(self, blocks, ctx) -> list[Draft]: ...

a fixture test, and its name in the `genres` list of the `policykg_measures` config
(`pipeline.GENRES`, or the user's own config).
"""
from __future__ import annotations

from dataclasses import dataclass, field as dc_field
from typing import Callable

from spacy.util import registry

from policykg.extractors.entities import Mention, Provision, Recogniser
from policykg.extractors.gazetteer import Gazetteer, RegionEntry
from policykg.extractors.roles import Role

MEASURE_KINDS = ("task", "action", "opening", "safeguard")

#: The registry of genres (`spacy.util.registry.policykg_genres`).
if not hasattr(registry, "policykg_genres"):
    # entry_points: a package of the user's may register genres under "spacy_policykg_genres".
    registry.create("policykg_genres", entry_points=True)
genres = registry.policykg_genres


@dataclass
class Draft:
    text: str
    start: int
    end: int
    kind: str
    section: str | None = None
    field: str | None = None
    deadline: str | None = None
    parent: int | None = None          # index of the parent draft
    body: str | None = None
    roles: list[Role] = dc_field(default_factory=list)
    provisions: list[Provision] = dc_field(default_factory=list)
    scope: tuple[int, int] | None = None   # where to look for the regions it names
    table: bool = False                     # read from a table row


@dataclass
class Context:
    """What a genre reads a document with: its text, the bodies found in it, the lexicon,
    the document's home region and the conventions it declares."""
    text: str
    agencies: list[Mention]
    rec: Recogniser
    home: RegionEntry | None = None
    first_leads: bool = False           # the document says the first body named leads
    resolve: Callable[[str, int], Mention | None] | None = None   # a list item the lexicon lacks

    @property
    def gaz(self) -> Gazetteer:
        return self.rec.gaz


class Genre:
    """One layout of the genre (see the module docstring)."""

    name = ""

    def claims(self, block, ctx: Context) -> bool:
        """Whether this genre reads the block (a layout.Paragraph or layout.Table)."""
        raise NotImplementedError

    def drafts(self, blocks: list, ctx: Context) -> list[Draft]:
        raise NotImplementedError


def load_genres(names: list[str]) -> list[Genre]:
    """The genres registered under `names`, in that order (an unknown name is an error
    naming the ones there are)."""
    from policykg.extractors import genres as _package  # noqa: F401  (registers the built-in genres)

    out = []
    for name in names:
        if name not in genres:
            known = ", ".join(sorted(genres.get_all()))
            raise ValueError(f"no genre registered as {name!r} (registered: {known})")
        out.append(genres.get(name)())
    return out


def read_measures(blocks: list, ctx: Context, chosen: list[Genre]) -> list[Draft]:
    """Each run of consecutive blocks that one genre claims, read by that genre; drafts in
    document order, parents pointing into the whole list."""
    drafts: list[Draft] = []
    run: list = []
    owner: Genre | None = None

    def flush():
        nonlocal run
        if run and owner is not None:
            base = len(drafts)
            found = owner.drafts(run, ctx)
            for d in found:
                if d.parent is not None:
                    d.parent += base
            drafts.extend(found)
        run = []

    for block in blocks:
        genre = next((g for g in chosen if g.claims(block, ctx)), None)
        if genre is not owner or not getattr(genre, "runs", True):
            flush()
            owner = genre
        if genre is not None:
            run.append(block)
    flush()
    return drafts
