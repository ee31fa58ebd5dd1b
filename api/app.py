"""The HTTP API: the analyst questions over whichever store the settings select.

`create_app(settings)` builds the app; the store is opened in the lifespan and handed to
routes through the `get_store` dependency, which tests override. Every error, ours or
FastAPI's, answers with one JSON shape: {"error": {"code": ..., "message": ...}}.
"""
from __future__ import annotations

import logging
import re
from contextlib import asynccontextmanager
from datetime import date, datetime, timezone
from pathlib import Path as FilePath
from typing import Annotated, Literal

from fastapi import Depends, FastAPI, Path, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import FileResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.concurrency import run_in_threadpool
from pydantic import BaseModel, BeforeValidator
from starlette.exceptions import HTTPException as StarletteHTTPException

from policykg import __version__
from policykg.errors import NotFound, PolicyKGError
from policykg.graph.questions import search_terms
from policykg.graph.results import (AdjustedProvision, AgencyOut, Backer, DocumentOut, MeasureDetail,
                                    MeasureOut, Neighbourhood, OpeningMeasure, Page, Partner, ProvisionUse,
                                    RegionOut, SuspendedProvision)
from policykg.graph.store import Store
from policykg.settings import Settings, open_store

_log = logging.getLogger("policykg.api")


def _iso_only(value):
    """Query dates are ISO text only (lax pydantic would read "0" as a Unix time)."""
    if isinstance(value, str) and not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        raise ValueError("a date is yyyy-mm-dd")
    return value


IsoDay = Annotated[date, BeforeValidator(_iso_only)]
Kind = Literal["task", "action", "opening", "safeguard"]
STATIC = FilePath(__file__).resolve().parent / "static"
# '@' and '.': an older version's id (doc-…@<sha256 prefix>, numbered .2 if taken).
ID_PATTERN = r"^[A-Za-z0-9_-]{1,64}(?:@[0-9a-f]{12}(?:\.[0-9]{1,6})?)?$"
IdPath = Annotated[str, Path(min_length=1, max_length=84, pattern=ID_PATTERN)]


class ErrorBody(BaseModel):
    code: str
    message: str


class ErrorOut(BaseModel):
    error: ErrorBody


class Health(BaseModel):
    status: str
    store: str
    version: str
    counts: dict[str, int] = {}
    detail: str | None = None


ERRORS = {404: {"model": ErrorOut, "description": "Unknown id"},
          422: {"model": ErrorOut, "description": "Invalid parameters"},
          503: {"model": ErrorOut, "description": "Store unavailable"}}


async def get_store(request: Request) -> Store:
    # async: FastAPI runs a plain `def` dependency in the thread pool, a hop per request
    # for what is an attribute read.
    return request.app.state.store


StoreDep = Annotated[Store, Depends(get_store)]


def _found(value, what: str, ident: str):
    if value is None:
        raise NotFound(f"no {what} with id {ident!r}")
    return value


class Loaded(BaseModel):
    file: str
    measures: int
    nodes: int
    relationships: int
    links: int = 0


def _writing_routes(app: FastAPI, settings: Settings) -> None:
    """Document upload and ingest over HTTP: only with POLICYKG_API_TOKEN set, and only
    for requests that carry it as a bearer token."""
    import hmac
    import tempfile

    from policykg import jobs
    from policykg.errors import InputError, Unauthorized
    from policykg.extractors.text import SUPPORTED_SUFFIXES

    token = settings.api_token.encode()

    def authorised(request: Request) -> None:
        header = request.headers.get("authorization", "")
        scheme, _, given = header.partition(" ")
        if scheme.lower() != "bearer" or not hmac.compare_digest(given.strip().encode(), token):
            raise Unauthorized("writing needs the API token as 'Authorization: Bearer <token>'")

    class TooLarge(PolicyKGError):
        status, code = 413, "too_large"

    @app.post("/documents", response_model=Loaded, tags=["documents"], status_code=201,
              dependencies=[Depends(authorised)],
              responses={**ERRORS, 401: {"model": ErrorOut}, 413: {"model": ErrorOut}},
              openapi_extra={"requestBody": {"required": True, "content": {
                  "application/octet-stream": {"schema": {"type": "string", "format": "binary"}}}}})
    async def upload(request: Request, store: StoreDep,
                     filename: Annotated[str, Query(min_length=5, max_length=200,
                                                    pattern=r"^[^/\\\x00]+\.(?:[Tt][Xx][Tt]|[Hh][Tt][Mm][Ll]?|[Dd][Oo][Cc][Xx]|[Pp][Dd][Ff])$",
                                                    description="File name, with its suffix (.txt, .html, .docx, .pdf)")]
                     ) -> Loaded:
        """Upload one document (the raw file as the body); it is extracted and loaded."""
        suffix = FilePath(filename).suffix.lower()
        if suffix not in SUPPORTED_SUFFIXES or not suffix:
            raise InputError(filename, f"unsupported file type {suffix or '(none)'}; use .txt, .html, .docx or .pdf")
        size, chunks = 0, []
        async for chunk in request.stream():
            size += len(chunk)
            if size > settings.max_upload_bytes:
                raise TooLarge(f"{filename}: larger than the {settings.max_upload_bytes:,}-byte upload limit")
            chunks.append(chunk)
        def work():
            # Extraction is CPU-bound: off the event loop, so reads go on meanwhile. The
            # file goes through `jobs.ingest`, the CLI's writer, under its own name.
            failures: list[PolicyKGError] = []

            def progress(path, result) -> None:
                if result.error:
                    failures.append(result.exception or PolicyKGError(result.error))

            with tempfile.TemporaryDirectory(prefix="policykg-upload-") as tmp:
                path = FilePath(tmp) / filename
                path.write_bytes(b"".join(chunks))
                summary = jobs.ingest([path], store, max_bytes=settings.max_file_bytes, progress=progress)
            if failures:
                raise failures[0]
            return summary

        summary = await run_in_threadpool(work)
        return Loaded(file=filename, measures=summary.measures, nodes=summary.nodes,
                      relationships=summary.relationships, links=summary.links)


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOWNLOAD_ERRORS = {413: {"model": ErrorOut, "description": "Store too large for a table export"},
                   503: {"model": ErrorOut, "description": "Store unavailable"}}


def _download_routes(app: FastAPI) -> None:
    """The analyst tables (graph/exports.py) as downloads: the workbook and a CSV each.
    Built whole before answering, so a failure answers with the JSON error shape."""
    from policykg.graph import exports

    def read_tables(store: Store, only: str | None = None) -> list:
        exports.check_size(store.counts())
        return exports.tables(store.records(), only=only)

    @app.get("/export.xlsx", tags=["downloads"], response_class=Response,
             responses={200: {"content": {XLSX: {}}, "description": "One sheet per table, Chinese headers"},
                        **DOWNLOAD_ERRORS})
    def export_xlsx(store: StoreDep) -> Response:
        """The analyst tables as an Excel workbook: 措施, 开放措施与法规条款, 机构, 文件, 地区, 地方落实."""
        data = exports.xlsx_bytes(read_tables(store))
        return Response(data, media_type=XLSX, headers={"Content-Disposition": 'attachment; filename="policykg.xlsx"'})

    def csv_route(name: str, title: str) -> None:
        def table_csv(store: StoreDep) -> Response:
            (table,) = read_tables(store, only=name)
            return Response(exports.table_csv(table), media_type="text/csv; charset=utf-8",
                            headers={"Content-Disposition": f'attachment; filename="{name}.csv"'})

        table_csv.__doc__ = f"The {title} table of the workbook as CSV (UTF-8 with BOM)."
        app.get(f"/{name}.csv", tags=["downloads"], response_class=Response, name=f"{name}_csv",
                responses={200: {"content": {"text/csv": {}}, "description": f"The {title} table"},
                           **DOWNLOAD_ERRORS})(table_csv)

    for name, title in (("measures", "措施"), ("opening-provisions", "开放措施与法规条款"), ("agencies", "机构"),
                        ("documents", "文件"), ("regions", "地区"), ("implements", "地方落实")):
        csv_route(name, title)


def create_app(settings: Settings | None = None, store: Store | None = None) -> FastAPI:
    """The API app. Pass a store to serve it (tests); otherwise settings choose and open one."""
    settings = settings or Settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        own = store is None
        # A write waiting for another process's writer says so in the server's log.
        app.state.store = store if store is not None else open_store(settings, on_wait=_log.warning)
        try:
            yield
        finally:
            if own:
                app.state.store.close()

    app = FastAPI(title="policykg", version=__version__, lifespan=lifespan,
                  description="Measures, agencies, regions and legal provisions read from Chinese "
                              "government policy documents. Ids are stable across loads.")
    origins = [o.strip() for o in settings.cors_origins.split(",") if o.strip()]
    if origins:
        app.add_middleware(CORSMiddleware, allow_origins=origins, allow_methods=["GET"], allow_headers=["*"])

    @app.exception_handler(PolicyKGError)
    async def _ours(request: Request, exc: PolicyKGError):
        return JSONResponse({"error": {"code": exc.code, "message": str(exc)}}, status_code=exc.status)

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError):
        parts = []
        for e in exc.errors():
            where = ".".join(str(x) for x in e.get("loc", ()) if x not in ("query", "path", "body"))
            parts.append(f"{where}: {e.get('msg')}" if where else str(e.get("msg")))
        return JSONResponse({"error": {"code": "invalid_parameters", "message": "; ".join(parts)}}, status_code=422)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException):
        code = {404: "not_found", 405: "method_not_allowed"}.get(exc.status_code, "http_error")
        headers = dict(getattr(exc, "headers", None) or {})
        if exc.status_code == 405:
            # Every route on this path, not only the first one Starlette tried (GET and POST /documents).
            methods = sorted({m for r in request.app.routes if getattr(r, "methods", None)
                              and r.path_regex.match(request.url.path) for m in r.methods})
            headers["Allow"] = ", ".join(methods)
        return JSONResponse({"error": {"code": code, "message": str(exc.detail)}}, status_code=exc.status_code,
                            headers=headers)

    app.mount("/static", StaticFiles(directory=STATIC), name="static")

    @app.get("/", include_in_schema=False)
    def explorer() -> FileResponse:
        """The visual explorer (api/static/index.html)."""
        return FileResponse(STATIC / "index.html", media_type="text/html; charset=utf-8")

    if settings.api_token:
        _writing_routes(app, settings)

    @app.get("/health", response_model=Health, tags=["service"])
    def health(store: StoreDep) -> Health:
        """Whether the store answers, and what it holds."""
        try:
            info = store.health()
        except PolicyKGError as exc:
            return JSONResponse(Health(status="unavailable", store=store.name, version=__version__,
                                       detail=str(exc)).model_dump(), status_code=503)
        return Health(status=info.get("status", "ok"), store=store.name, version=__version__,
                      counts=info.get("counts", {}))

    @app.get("/measures", response_model=Page, tags=["measures"], responses=ERRORS)
    def measures(store: StoreDep,
                 q: Annotated[str | None, Query(max_length=200, description="Words that must all occur")] = None,
                 kind: Kind | None = None,
                 agency: Annotated[str | None, Query(max_length=200, description="Agency id or name")] = None,
                 region: Annotated[str | None, Query(max_length=200, description="Region id or name")] = None,
                 document: Annotated[str | None, Query(max_length=300, description="Document id or file name")] = None,
                 due_before: Annotated[IsoDay | None, Query(description=(
                     "Measures due on or before this date (ISO), earliest first, with agency, role and region "
                     "(a region counts as inside every region containing it); q then matches the measure's "
                     "text only, document its file name"))] = None,
                 role: Annotated[Literal["lead", "cooperate"] | None,
                                 Query(description="With due_before and agency: how the agency backs them "
                                                   "(ignored without due_before)")] = None,
                 limit: Annotated[int, Query(ge=1, le=500)] = 20,
                 offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0) -> Page:
        """Find measures by their words and filters, most relevant first; or, with
        `due_before`, the current measures due by that date."""
        if due_before is None:
            return store.search_measures(q=q, kind=kind, agency=agency, region=region, document=document,
                                         limit=limit, offset=offset)
        due = store.measures_due(due_before.isoformat(), agency=agency, role=role, region=region)
        terms = search_terms(q)
        due = [m for m in due if (kind is None or m.kind == kind) and (document is None or m.document == document)
               and all(t in m.text for t in terms)]
        return Page(total=len(due), limit=limit, offset=offset, items=due[offset:offset + limit])

    @app.get("/measures/{measure_id}", response_model=MeasureDetail, tags=["measures"], responses=ERRORS)
    def measure(measure_id: IdPath, store: StoreDep) -> MeasureDetail:
        """One measure with its evidence (document and character span)."""
        return _found(store.measure(measure_id), "measure", measure_id)

    @app.get("/measures/{measure_id}/backers", response_model=list[Backer], tags=["measures"], responses=ERRORS)
    def backers(measure_id: IdPath, store: StoreDep) -> list[Backer]:
        """Which agencies back this measure, and which lead it, with the text that says so."""
        return _found(store.backers(measure_id), "measure", measure_id)

    @app.get("/measures/{measure_id}/provisions", response_model=list[AdjustedProvision], tags=["measures"],
             responses=ERRORS)
    def provisions(measure_id: IdPath, store: StoreDep) -> list[AdjustedProvision]:
        """Which regulation and article this measure suspends or adjusts."""
        return _found(store.provisions(measure_id), "measure", measure_id)

    @app.get("/opening-measures", response_model=list[OpeningMeasure], tags=["measures"])
    def opening(store: StoreDep) -> list[OpeningMeasure]:
        """Every opening measure with the provisions it adjusts."""
        return store.opening_measures()

    @app.get("/agencies", response_model=list[AgencyOut], tags=["agencies"])
    def agencies(store: StoreDep) -> list[AgencyOut]:
        """All agencies, most leads first."""
        return store.agencies()

    @app.get("/agencies/{agency_id}", response_model=AgencyOut, tags=["agencies"], responses=ERRORS)
    def agency(agency_id: IdPath, store: StoreDep) -> AgencyOut:
        return _found(store.agency(agency_id), "agency", agency_id)

    @app.get("/agencies/{agency_id}/measures", response_model=list[MeasureOut], tags=["agencies"], responses=ERRORS)
    def agency_measures(agency_id: IdPath, store: StoreDep,
                        role: Literal["lead", "cooperate"] | None = None) -> list[MeasureOut]:
        """What an agency leads (role=lead), supports (role=cooperate) or both, across all plans."""
        return _found(store.agency_measures(agency_id, role), "agency", agency_id)

    @app.get("/regions", response_model=list[RegionOut], tags=["regions"])
    def regions(store: StoreDep) -> list[RegionOut]:
        return store.regions()

    @app.get("/agencies/{agency_id}/partners", response_model=list[Partner], tags=["agencies"], responses=ERRORS)
    def partners(agency_id: IdPath, store: StoreDep) -> list[Partner]:
        """Agencies that back the same measures as this one, weighted by how many."""
        return _found(store.partners(agency_id), "agency", agency_id)

    @app.get("/regions/{region_id}/measures", response_model=list[MeasureOut], tags=["regions"], responses=ERRORS)
    def region_measures(region_id: IdPath, store: StoreDep,
                        descendants: Annotated[bool, Query(description="Include districts and zones within it")] = False
                        ) -> list[MeasureOut]:
        """Measures that name this region (and, with descendants=true, any region within it)."""
        if descendants:
            return _found(store.region_rollup(region_id), "region", region_id)
        return _found(store.region_measures(region_id), "region", region_id)

    @app.get("/provisions", response_model=list[ProvisionUse], tags=["provisions"])
    def provision_uses(store: StoreDep) -> list[ProvisionUse]:
        """Every legal provision with the number of measures that adjust it."""
        return store.provision_uses()

    @app.get("/provisions/measures", response_model=list[MeasureOut], tags=["provisions"], responses=ERRORS)
    def provision_measures(store: StoreDep,
                           instrument: Annotated[str, Query(min_length=1, max_length=200)],
                           article: Annotated[str | None, Query(max_length=50)] = None) -> list[MeasureOut]:
        """Measures that adjust an instrument (any article, or the article given)."""
        return store.provision_measures(instrument, article)

    @app.get("/graph", response_model=Neighbourhood, tags=["graph"], responses=ERRORS)
    def graph(store: StoreDep,
              node: Annotated[str, Query(min_length=1, max_length=84, pattern=ID_PATTERN)],
              depth: Annotated[int, Query(ge=1, le=3)] = 1,
              limit: Annotated[int, Query(ge=1, le=500)] = 200) -> Neighbourhood:
        """Nodes and edges within `depth` steps of a node, for drawing."""
        return _found(store.graph(node, depth, limit), "node", node)

    @app.get("/opening-measures.csv", tags=["measures"], response_class=Response,
             responses={200: {"content": {"text/csv": {}}, "description": "One row per measure and provision"}})
    def opening_csv(store: StoreDep) -> Response:
        """The opening-measures tracing table as CSV (UTF-8 with BOM, so spreadsheets read it)."""
        import csv
        import io

        buf = io.StringIO()
        w = csv.writer(buf)
        w.writerow(["measure_id", "document", "field", "measure", "instrument", "article", "clause"])
        for o in store.opening_measures():
            for p in o.provisions or [None]:
                w.writerow([o.measure.id, o.measure.document, o.measure.field or "", o.measure.text,
                            p.instrument if p else "", (p.article or "") if p else "", (p.clause or "") if p else ""])
        return Response("\ufeff" + buf.getvalue(), media_type="text/csv; charset=utf-8",
                        headers={"Content-Disposition": 'attachment; filename="opening-measures.csv"'})

    @app.get("/documents", response_model=list[DocumentOut], tags=["documents"])
    def documents(store: StoreDep,
                  in_force_on: Annotated[IsoDay | None, Query(description=(
                      "Only documents in force on this date (ISO): from in_force_from, else the date of "
                      "issue, to in_force_until"))] = None) -> list[DocumentOut]:
        """Current versions of the loaded documents, with their sha256 and load time."""
        if in_force_on is not None:
            return store.documents_in_force(in_force_on.isoformat())
        return store.documents()

    @app.get("/provisions/suspended", response_model=list[SuspendedProvision], tags=["provisions"],
             responses=ERRORS)
    def suspended(store: StoreDep,
                  region: Annotated[str, Query(min_length=1, max_length=200, description="Region id or name")],
                  on: Annotated[IsoDay | None, Query(description="The date (ISO); today (UTC) if absent")] = None
                  ) -> list[SuspendedProvision]:
        """Provisions current measures suspend or adjust on a date in a region: the period from
        ADJUSTS_REGULATION from/until, the regions from the measure's APPLIES_TO (else its
        document's); what applies in a region applies in every region inside it (PART_OF)."""
        day = (on or datetime.now(timezone.utc).date()).isoformat()
        return _found(store.suspended_provisions(region, day), "region", region)

    @app.get("/documents/{document_id}/versions", response_model=list[DocumentOut], tags=["documents"],
             responses=ERRORS)
    def document_versions(document_id: IdPath, store: StoreDep) -> list[DocumentOut]:
        """Every version of a document, newest first (the current one first), each with its
        sha256, load time and measures; older versions have their own id and `version_of`."""
        return _found(store.versions(document_id), "document", document_id)

    _download_routes(app)
    from policykg.api.compare import router as compare_router   # GET /compare, /documents/{id}/implementation
    app.include_router(compare_router)
    return app
