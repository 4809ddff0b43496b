"""The REST API (FastAPI) over one store, and the app that also serves the web pages (`eventdesk.web`).

Reads are open to whoever can reach the bound address (127.0.0.1 by default). Writes (`POST /api/ingest`,
`DELETE /api/articles/{id}`) need `Authorization: Bearer <EVENTDESK_TOKEN>`: 401 without it, 403 with a wrong
one, and refused altogether when no token is configured. Every error is JSON, `{"error": {"status",
"message"}}`, never a stack trace. The database session and the settings come from dependencies, not
globals. Analysis is done by the pipeline; this module only routes.
"""

from __future__ import annotations

import datetime as dt
import hmac
import json
import logging
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import APIRouter, Depends, FastAPI, Header, HTTPException, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy.orm import Session
from starlette.exceptions import HTTPException as StarletteHTTPException

from eventdesk import __version__
from eventdesk.store import Store, article_summary, query
from eventdesk.store.query import BadQuery, EventFilter, QuoteFilter

log = logging.getLogger("eventdesk.api")

TOKEN_ENV = "EVENTDESK_TOKEN"
MAX_BODY_ENV = "EVENTDESK_MAX_BODY_BYTES"
DEFAULT_MAX_BODY = 2_000_000
MIN_TOKEN_CHARS = 16
PLACEHOLDERS = {"changeme", "change-me", "secret", "token", "password", "xxx"}


@dataclass(frozen=True, slots=True)
class Settings:
    db: str
    token: str | None = None  # None: writes are refused
    max_body_bytes: int = DEFAULT_MAX_BODY

    def __post_init__(self) -> None:
        # A guessable token is worse than none: refuse to start with one.
        if self.token is not None and (len(self.token) < MIN_TOKEN_CHARS or self.token.lower() in PLACEHOLDERS):
            raise ValueError(
                f"{TOKEN_ENV} is too weak: use at least {MIN_TOKEN_CHARS} random characters "
                "(e.g. `openssl rand -hex 32`), or unset it to refuse writes"
            )
        if self.max_body_bytes < 1:
            raise ValueError(f"{MAX_BODY_ENV} must be a positive number of bytes")

    @classmethod
    def from_env(cls, db: str, env: dict[str, str] | None = None) -> Settings:
        e = os.environ if env is None else env
        return cls(
            db=db,
            token=e.get(TOKEN_ENV) or None,
            max_body_bytes=int(e.get(MAX_BODY_ENV) or DEFAULT_MAX_BODY),
        )


# --- dependencies -------------------------------------------------------------------------------------------


def get_store(request: Request) -> Store:
    store: Store = request.app.state.store
    return store


def get_session(store: Annotated[Store, Depends(get_store)]) -> Iterator[Session]:
    with store.session() as s:
        yield s


def get_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


def require_token(
    settings: Annotated[Settings, Depends(get_settings)],
    authorization: Annotated[str | None, Header()] = None,
) -> None:
    if settings.token is None:
        raise HTTPException(403, f"writes are disabled on this server: start it with {TOKEN_ENV} set to allow them")
    if not authorization:
        raise HTTPException(401, "this needs `Authorization: Bearer <token>`", headers={"WWW-Authenticate": "Bearer"})
    scheme, _, given = authorization.partition(" ")
    if scheme.lower() != "bearer" or not hmac.compare_digest(given.strip().encode(), settings.token.encode()):
        raise HTTPException(403, "wrong token")


SessionDep = Annotated[Session, Depends(get_session)]
Limit = Annotated[int, Query(ge=1, le=query.MAX_LIMIT, description="Page size.")]
Offset = Annotated[int, Query(ge=0, description="Rows to skip (prefer `cursor` for deep pages).")]


def event_filter(
    type: Annotated[str | None, Query(description="PLOVER event type, e.g. REJECT.")] = None,
    actor: Annotated[str | None, Query(description="Actor country or group code, e.g. RUS.")] = None,
    recipient: Annotated[str | None, Query(description="Recipient country or group code.")] = None,
    since: Annotated[dt.date | None, Query(description="From this day, YYYY-MM-DD.")] = None,
    until: Annotated[dt.date | None, Query(description="Up to this day, YYYY-MM-DD.")] = None,
    outlet: Annotated[str | None, Query(description="Outlet name.")] = None,
    story: Annotated[str | None, Query(description="Story id.")] = None,
) -> EventFilter:
    return EventFilter.parse(
        type=type, actor=actor, recipient=recipient, since=since, until=until, outlet=outlet, story=story
    )


# --- models (request bodies and the main responses, for the OpenAPI page) -----------------------------------


class IngestArticle(BaseModel):
    """One article, as a JSONL input record (docs/output-contract.md): only `text` is required."""

    model_config = ConfigDict(extra="ignore")

    text: str = Field(min_length=1)
    id: str | None = Field(default=None, max_length=64)
    title: str | None = None
    published: str | None = Field(default=None, description="YYYY-MM-DD")
    outlet: str | None = None
    url: str | None = None


class IngestResult(BaseModel):
    id: str
    stored: bool
    duplicate_of: str | None
    events: int
    quotes: int
    warnings: list[str]


class EventPage(BaseModel):
    items: list[dict[str, Any]]
    next: str | None = Field(description="Pass as `cursor` for the next page; null on the last page.")


class ItemList(BaseModel):
    items: list[dict[str, Any]]


# --- routes -------------------------------------------------------------------------------------------------

router = APIRouter(prefix="/api")


@router.get("/articles", response_model=ItemList, summary="Stored articles, newest first (without text)")
def list_articles(s: SessionDep, limit: Limit = 100, offset: Offset = 0, outlet: str | None = None) -> Any:
    return {"items": [article_summary(r) for r in query.article_page(s, limit, offset, outlet)]}


def article_detail(store: Store, s: Session, article_id: str) -> dict[str, Any]:
    analysis = store.analysis(article_id)
    if analysis is None:
        raise HTTPException(404, f"no article {article_id!r}")
    out: dict[str, Any] = {"article": analysis.article.to_dict()}
    out.update(query.article_records(s, article_id))
    out["errors"] = [{"code": p.code, "message": p.message} for p in analysis.errors]
    return out


@router.get("/articles/{article_id}", summary="One article with its text and every record found in it")
def get_article(article_id: str, s: SessionDep, store: Annotated[Store, Depends(get_store)]) -> dict[str, Any]:
    return article_detail(store, s, article_id)


@router.get("/events", response_model=EventPage, summary="Events, newest first, filtered")
def list_events(
    s: SessionDep,
    f: Annotated[EventFilter, Depends(event_filter)],
    limit: Limit = 100,
    offset: Offset = 0,
    cursor: Annotated[str | None, Query(description="`next` from the previous page.")] = None,
) -> Any:
    items, nxt = query.events_page(s, f, limit=limit, offset=offset, cursor=cursor)
    return {"items": items, "next": nxt}


@router.get("/quotes", response_model=ItemList, summary="Quotes: who said what")
def list_quotes(
    s: SessionDep,
    speaker: Annotated[str | None, Query(description="Part of the speaker's name, any case.")] = None,
    outlet: str | None = None,
    story: str | None = None,
    limit: Limit = 100,
    offset: Offset = 0,
) -> Any:
    return {"items": query.quotes(s, QuoteFilter(speaker=speaker, outlet=outlet, story=story), limit, offset)}


@router.get("/stories", response_model=ItemList, summary="Story clusters, newest first")
def list_stories(s: SessionDep, limit: Limit = 100, offset: Offset = 0) -> Any:
    return {"items": query.stories(s, limit, offset)}


def story_detail(s: Session, store: Store, story_id: str) -> dict[str, Any]:
    st = query.story(s, story_id)
    if st is None:
        raise HTTPException(404, f"no story {story_id!r}")
    st["comparison"] = comparison(store, story_id)
    return st


def comparison(store: Store, story_id: str) -> Any:
    """The outlet comparison of the stories stage (`eventdesk.compare`), when that stage is installed."""
    import importlib

    try:
        compare = importlib.import_module("eventdesk.compare")
    except ImportError:
        return None
    fn = getattr(compare, "compare_story", None) or getattr(compare, "compare", None)
    if fn is None:
        return None
    result = fn(store, story_id)
    to_dict = getattr(result, "to_dict", None)
    return to_dict() if callable(to_dict) else result


@router.get("/stories/{story_id}", summary="One story: its articles by outlet, and the comparison when available")
def get_story(story_id: str, s: SessionDep, store: Annotated[Store, Depends(get_store)]) -> dict[str, Any]:
    return story_detail(s, store, story_id)


@router.get(
    "/stats",
    summary="Counts by day, event type and quad class, and the top actor-recipient pairs (negated events left out)",
)
def get_stats(
    s: SessionDep,
    since: Annotated[dt.date | None, Query(description="From this day, YYYY-MM-DD.")] = None,
    until: Annotated[dt.date | None, Query(description="Up to this day, YYYY-MM-DD.")] = None,
) -> dict[str, Any]:
    """Without `since` and `until`: the 90 days up to the newest event, and the undated events; the
    window used is in `since` and `until` of the answer."""
    return query.stats(s, since, until)


async def _limited_body(request: Request) -> bytes:
    """The request body, refused with 413 as soon as it passes the limit (declared or actually sent)."""
    limit: int = request.app.state.settings.max_body_bytes
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > limit:
        raise HTTPException(413, f"the request body is larger than {limit} bytes: send a smaller article")
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > limit:
            raise HTTPException(413, f"the request body is larger than {limit} bytes: send a smaller article")
    return bytes(body)


@router.post(
    "/ingest",
    response_model=IngestResult,
    status_code=201,
    dependencies=[Depends(require_token)],
    summary="Analyse one article and store it (needs the token)",
    openapi_extra={"requestBody": {"content": {"application/json": {"schema": IngestArticle.model_json_schema()}}}},
)
async def ingest(request: Request) -> Any:
    body = await _limited_body(request)
    try:
        article = IngestArticle.model_validate_json(body)
    except ValueError as exc:
        raise HTTPException(422, f"the body must be one JSON article with a non-empty `text`: {exc}") from None
    return await _run_sync(request, _ingest, request.app, article)


async def _run_sync(request: Request, fn: Callable[..., Any], *args: Any) -> Any:
    from starlette.concurrency import run_in_threadpool

    return await run_in_threadpool(fn, *args)


def _ingest(app: FastAPI, article: IngestArticle) -> dict[str, Any]:
    from eventdesk.engines import process
    from eventdesk.ingest import dedup
    from eventdesk.ingest.readers import Failure, read_jsonl
    from eventdesk.model import Analysis

    store: Store = app.state.store
    record = article.model_dump(exclude_none=True)
    items = list(read_jsonl([json.dumps(record)], "<api>", None))
    results = process(items, app.state.resources())
    result = results[0]
    if isinstance(result, Failure):
        raise HTTPException(422, str(result.problem))
    assert isinstance(result, Analysis)
    stored = False
    if not store.has(result.article.id):
        dup_of, kind, sig, keys = dedup.check(result.article, store)
        result.article.duplicate_of, result.article.duplicate_kind = dup_of, kind
        stored = store.add(result, sig, keys)
    return {
        "id": result.article.id,
        "stored": stored,
        "duplicate_of": result.article.duplicate_of,
        "events": len(result.events),
        "quotes": len(result.quotes),
        "warnings": [str(p) for p in result.errors],
    }


@router.delete(
    "/articles/{article_id}",
    status_code=204,
    dependencies=[Depends(require_token)],
    summary="Delete an article and everything derived from it (needs the token)",
)
def delete_article(article_id: str, store: Annotated[Store, Depends(get_store)]) -> None:
    if not store.delete(article_id):
        raise HTTPException(404, f"no article {article_id!r}")


# --- the app ------------------------------------------------------------------------------------------------


def _error(status: int, message: str, headers: dict[str, str] | None = None, **extra: Any) -> JSONResponse:
    return JSONResponse({"error": {"status": status, "message": message, **extra}}, status, headers=headers)


def _default_resources() -> Callable[[], Any]:
    cache: list[Any] = []

    def load() -> Any:
        if not cache:
            from eventdesk.pipeline import Resources

            cache.append(Resources.load())
        return cache[0]

    return load


def create_app(settings: Settings, resources: Callable[[], Any] | None = None) -> FastAPI:
    """The API and the web pages over `settings.db`. `resources` loads the pipeline's Resources on the first
    ingest (tests pass their session's)."""
    app = FastAPI(
        title="eventdesk",
        version=__version__,
        description="News articles as verifiable event data: events, quotes, stories. Writes need a token.",
    )
    app.state.settings = settings
    app.state.store = Store(settings.db)
    app.state.resources = resources or _default_resources()

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        if exc.status_code == 404 and not request.url.path.startswith("/api") and exc.detail == "Not Found":
            return _error(404, f"no page at {request.url.path}")
        return _error(exc.status_code, str(exc.detail), headers=getattr(exc, "headers", None))

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        problems = [
            {"where": ".".join(str(p) for p in e.get("loc", ())), "message": e.get("msg", "")} for e in exc.errors()
        ]
        text = "; ".join(f"{p['where']}: {p['message']}" for p in problems)
        return _error(422, f"invalid request: {text}", problems=problems)

    @app.exception_handler(BadQuery)
    async def bad_query(request: Request, exc: BadQuery) -> JSONResponse:
        return _error(400, str(exc))

    @app.exception_handler(Exception)
    async def internal(request: Request, exc: Exception) -> JSONResponse:
        log.exception("internal error on %s %s", request.method, request.url.path)
        return _error(500, "internal error: it has been logged on the server; please report it")

    app.include_router(router)
    from eventdesk.web import install

    install(app)
    return app
