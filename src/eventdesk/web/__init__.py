"""The web pages: server-rendered Jinja2 templates over the same queries as the API.

Article text is hostile input. Every template is autoescaped (the environment escapes every value, whatever
the template's name), highlighted text is cut into segments by offsets and each segment is escaped on its own
(raw text is never marked up by string replacement), chart data travels as JSON in a non-executed
`application/json` block, and a Content-Security-Policy allows scripts from this server only (plotly.js comes
from the installed plotly package, so the pages work offline).
"""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Depends, FastAPI, HTTPException, Query, Request
from fastapi.responses import FileResponse, HTMLResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from jinja2 import Environment, FileSystemLoader, StrictUndefined
from sqlalchemy.orm import Session

from eventdesk.store import Store, query
from eventdesk.store.query import BadQuery, EventFilter, QuoteFilter

HERE = Path(__file__).parent
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"
)
QUAD_ORDER = ["VERBAL_COOPERATION", "MATERIAL_COOPERATION", "VERBAL_CONFLICT", "MATERIAL_CONFLICT"]

env = Environment(loader=FileSystemLoader(HERE / "templates"), autoescape=True, undefined=StrictUndefined)
templates = Jinja2Templates(env=env)
router = APIRouter(include_in_schema=False)


def _session(request: Request) -> Any:
    with request.app.state.store.session() as s:
        yield s


SessionDep = Annotated[Session, Depends(_session)]


def _page(request: Request, name: str, **context: Any) -> HTMLResponse:
    return templates.TemplateResponse(request, name, context)


@router.get("/", response_class=HTMLResponse)
def dashboard(request: Request, s: SessionDep) -> HTMLResponse:
    st = query.stats(s)
    days = sorted({d for series in st["by_quad_class"].values() for d in series if d != "unknown"})
    timeline = [
        {
            "name": quad.replace("_", " ").lower(),
            "x": days,
            "y": [st["by_quad_class"].get(quad, {}).get(d, 0) for d in days],
        }
        for quad in QUAD_ORDER + sorted(set(st["by_quad_class"]) - set(QUAD_ORDER))
        if quad in st["by_quad_class"]
    ]
    return _page(
        request,
        "dashboard.html",
        stats=st,
        stories_count=len(query.stories(s, limit=query.MAX_LIMIT)),
        timeline=timeline,
        dyads=st["top_dyads"],  # the same window as the counts beside it
        stories=query.stories(s, limit=10),
    )


@router.get("/events", response_class=HTMLResponse)
def events_page(
    request: Request,
    s: SessionDep,
    type: str | None = None,
    actor: str | None = None,
    recipient: str | None = None,
    since: str | None = None,
    until: str | None = None,
    outlet: str | None = None,
    story: str | None = None,
    cursor: str | None = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
) -> HTMLResponse:
    form = {"type": type, "actor": actor, "recipient": recipient, "since": since, "until": until,
            "outlet": outlet, "story": story}  # fmt: skip
    error = None
    items: list[dict[str, Any]] = []
    nxt = None
    try:
        items, nxt = query.events_page(s, EventFilter.parse(**form), limit=limit, cursor=cursor)
    except BadQuery as exc:
        error = str(exc)
    next_params = {k: v for k, v in form.items() if v} | ({"cursor": nxt} if nxt else {})
    return _page(
        request,
        "events.html",
        form=form,
        items=items,
        next_params=next_params if nxt else None,
        error=error,
        outlets=query.outlets(s),
    )


@router.get("/quotes", response_class=HTMLResponse)
def quotes_page(
    request: Request,
    s: SessionDep,
    speaker: str | None = None,
    outlet: str | None = None,
    story: str | None = None,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> HTMLResponse:
    f = QuoteFilter(speaker=speaker or None, outlet=outlet or None, story=story or None)
    items = query.quotes(s, f, limit=100, offset=offset)
    return _page(
        request,
        "quotes.html",
        form={"speaker": speaker, "outlet": outlet, "story": story},
        items=items,
        outlets=query.outlets(s),
    )


@router.get("/stories", response_class=HTMLResponse)
def stories_page(request: Request, s: SessionDep) -> HTMLResponse:
    return _page(request, "stories.html", items=query.stories(s, limit=query.MAX_LIMIT))


@router.get("/stories/{story_id}", response_class=HTMLResponse)
def story_page(request: Request, story_id: str, s: SessionDep) -> HTMLResponse:
    from eventdesk.api import story_detail

    st = story_detail(s, request.app.state.store, story_id)
    by_outlet: dict[str, list[dict[str, Any]]] = {}
    for a in st["articles"]:
        by_outlet.setdefault(a["outlet"] or "(unknown outlet)", []).append(a)
    events = query.events_page(s, EventFilter(story=story_id), limit=query.MAX_LIMIT)[0]
    events_by_article: dict[str, list[dict[str, Any]]] = {}
    for e in events:
        events_by_article.setdefault(e["article_id"], []).append(e)
    view = None
    if st.get("comparison"):  # the compare stage is installed: its comparison as rows, one column per outlet
        from eventdesk.web.comparison import comparison_view

        view = comparison_view(st["comparison"])
    return _page(request, "story.html", story=st, by_outlet=by_outlet, events=events_by_article, comparison=view)


@dataclass
class Segment:
    """A stretch of article text and the highlights covering it: rendered escaped, as one element."""

    text: str
    classes: list[str] = field(default_factory=list)
    titles: list[str] = field(default_factory=list)
    anchors: list[str] = field(default_factory=list)  # ids of the spans that start here


@dataclass
class Mark:
    start: int
    end: int
    kind: str  # ev, qt, pl, tm
    anchor: str
    title: str


def segments(text: str, marks: list[Mark], focus: str | None = None) -> list[Segment]:
    """Cut `text` at every mark boundary; each piece lists the marks covering it. Marks with offsets outside
    the text are clipped (a stage with a bug must not break the page)."""
    n = len(text)
    marks = [Mark(max(0, m.start), min(n, m.end), m.kind, m.anchor, m.title) for m in marks if m.start < m.end]
    cuts = sorted({0, n, *(m.start for m in marks), *(m.end for m in marks)})
    out: list[Segment] = []
    for a, b in itertools.pairwise(cuts):
        if a >= b:
            continue
        covering = [m for m in marks if m.start <= a and b <= m.end]
        classes = sorted({m.kind for m in covering})
        if focus and any(m.anchor == focus for m in covering):
            classes.append("focus")
        out.append(
            Segment(
                text=text[a:b],
                classes=classes,
                titles=[m.title for m in covering],
                anchors=[m.anchor for m in marks if m.start == a],
            )
        )
    return out


def _marks(rec: dict[str, Any]) -> list[Mark]:
    marks: list[Mark] = []
    for i, e in enumerate(rec["events"]):
        ev = e["evidence"]
        who = ", ".join(p.get("name") or p.get("text") or "?" for p in e["actor"])
        whom = ", ".join(p.get("name") or p.get("text") or "?" for p in e["recipient"])
        marks.append(Mark(ev["start"], ev["end"], "ev", f"ev-{e['id'].rsplit(':', 1)[-1]}",
                          f"{e['event']}: {who} → {whom}"))  # fmt: skip
        del i
    for q in rec["quotes"]:
        sp = q["speaker"] or {}
        marks.append(Mark(q["start"], q["end"], "qt", f"qt-{q['id'].rsplit(':', 1)[-1]}",
                          f"quote ({q['kind']}): {sp.get('name') or sp.get('text') or 'unknown speaker'}"))  # fmt: skip
    for i, p in enumerate(rec["places"]):
        marks.append(Mark(p["start"], p["end"], "pl", f"pl-{i}", f"place: {p['name']} ({p['country'] or '?'})"))
    for i, t in enumerate(rec["times"]):
        marks.append(Mark(t["start"], t["end"], "tm", f"tm-{i}", f"time: {t['value'] or 'unresolved'}"))
    return marks


@router.get("/articles/{article_id}", response_class=HTMLResponse)
def article_page(request: Request, article_id: str, s: SessionDep, focus: str | None = None) -> HTMLResponse:
    from eventdesk.api import article_detail

    store: Store = request.app.state.store
    rec = article_detail(store, s, article_id)
    art = rec["article"]
    return _page(
        request,
        "article.html",
        art=art,
        rec=rec,
        segments=segments(art["text"], _marks(rec), focus),
        focus=focus,
    )


def _plotly() -> Path:
    import plotly

    return Path(plotly.__file__).parent / "package_data" / "plotly.min.js"


@router.get("/static/plotly.min.js")
def plotly_js() -> FileResponse:
    path = _plotly()
    if not path.exists():
        raise HTTPException(404, "plotly.js is not installed: pip install plotly")
    return FileResponse(path, media_type="text/javascript", headers={"Cache-Control": "public, max-age=86400"})


def install(app: FastAPI) -> None:
    """Add the pages, the static files and the security headers to `app`."""
    app.include_router(router)
    app.mount("/static/app", StaticFiles(directory=HERE / "static"), name="static")
    env.globals["today"] = dt.date.today

    @app.middleware("http")
    async def security_headers(request: Request, call_next: Any) -> Response:
        response: Response = await call_next(request)
        response.headers.setdefault("Content-Security-Policy", CSP)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "no-referrer")
        response.headers.setdefault("X-Frame-Options", "DENY")
        return response
