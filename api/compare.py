"""Comparing documents over HTTP: `GET /compare?a=…&b=…` and
`GET /documents/{id}/implementation` (graph/compare.py does the work). Included by
api/app.py; unknown documents raise NotFound, which the app answers with its JSON error shape."""
from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query, Request

from policykg.graph.compare import Comparison, Implementation, compare, implementation
from policykg.graph.store import Store

router = APIRouter()
ERROR = {"content": {"application/json": {"schema": {
    "type": "object", "properties": {"error": {"type": "object", "properties": {
        "code": {"type": "string"}, "message": {"type": "string"}}}}}}}}
RESPONSES = {404: {"description": "Unknown document", **ERROR}, 422: {"description": "Invalid parameters", **ERROR},
             503: {"description": "Store unavailable", **ERROR}}


async def _store(request: Request) -> Store:
    return request.app.state.store


StoreDep = Annotated[Store, Depends(_store)]
DocRef = Query(min_length=1, max_length=300,
               description="Document id, document number (国函〔2018〕79号), file name, or its number prefix (004)")


@router.get("/compare", response_model=Comparison, tags=["documents"], responses=RESPONSES)
def compare_documents(store: StoreDep, a: Annotated[str, DocRef], b: Annotated[str, DocRef]) -> Comparison:
    """Each measure of A matched to at most one of B by text similarity (the IMPLEMENTS
    matcher): carried over (same text after normalisation, same lead, supporting agencies,
    deadline and provisions), changed (with a character diff and what changed), dropped
    (only in A), added (only in B)."""
    return compare(store, a, b)


@router.get("/documents/{document_id}/implementation", response_model=Implementation, tags=["documents"],
            responses=RESPONSES)
def document_implementation(store: StoreDep,
                            document_id: Annotated[str, Path(min_length=1, max_length=300,
                                                             description="Document id, number or file name")]
                            ) -> Implementation:
    """The implementation matrix of a (national) document: its measures as rows, the documents
    whose measures IMPLEMENT them as columns (with their region and the share implemented),
    each cell the implementing measures with their lead and due date; and the measures nothing
    implements."""
    return implementation(store, document_id)
