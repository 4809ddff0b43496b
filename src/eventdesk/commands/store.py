"""CLI commands over a stored database: `events`, `quotes`, `export` and `serve`.

Thin wrappers: filters are parsed into `store.query` filters, and the work is done by `store.query`,
`export` and `api`. Registered on the main app by `register(app)`.
"""

from __future__ import annotations

import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer

from eventdesk.commands.common import DbOpt, Format, emit, open_store

TypeOpt = Annotated[str | None, typer.Option("--type", help="PLOVER event type, e.g. REJECT.", show_default=False)]
ActorOpt = Annotated[
    str | None, typer.Option("--actor", help="Actor country or group code (ISO3, UNO, IGO...).", show_default=False)
]
RecipientOpt = Annotated[
    str | None, typer.Option("--recipient", help="Recipient country or group code.", show_default=False)
]
SinceOpt = Annotated[str | None, typer.Option("--since", help="From this day (YYYY-MM-DD).", show_default=False)]
UntilOpt = Annotated[str | None, typer.Option("--until", help="Up to this day (YYYY-MM-DD).", show_default=False)]
OutletOpt = Annotated[str | None, typer.Option("--outlet", help="Outlet name, as stored.", show_default=False)]
StoryOpt = Annotated[
    str | None, typer.Option("--story", help="Story id (see `eventdesk stories`).", show_default=False)
]


class By(StrEnum):
    day = "day"
    week = "week"
    dyad = "dyad"


FormatOpt = Annotated[Format, typer.Option("--format", "-f", help="Output format.")]


def _filter(**kw: Any) -> Any:
    from eventdesk.store.query import BadQuery, EventFilter

    try:
        return EventFilter.parse(**kw)
    except BadQuery as exc:
        raise typer.BadParameter(str(exc)) from None


def _codes(parties: list[dict[str, Any]]) -> str:
    return "; ".join(f"{p.get('country') or '?'}{p.get('sector') or ''}" for p in parties)


EVENT_COLUMNS = [
    "id",
    "day",
    "event",
    "mode",
    "actor",
    "recipient",
    "cameo",
    "goldstein",
    "negated",
    "outlet",
    "evidence",
]


def events(
    db: DbOpt = "eventdesk.db",
    type_: TypeOpt = None,
    actor: ActorOpt = None,
    recipient: RecipientOpt = None,
    since: SinceOpt = None,
    until: UntilOpt = None,
    outlet: OutletOpt = None,
    story: StoryOpt = None,
    by: Annotated[
        By | None, typer.Option("--by", help="Count events by day, ISO week or actor-recipient pair.")
    ] = None,
    fmt: FormatOpt = Format.table,
    limit: Annotated[int, typer.Option("--limit", min=1, help="At most this many events.")] = 100,
) -> None:
    """Query stored events, newest first, or count them (negated events are not counted).

    Example:

    \b
        eventdesk events --db news.db --actor RUS --since 2016-10-01 --until 2016-10-31
        eventdesk events --db news.db --type REJECT --by week --format csv
    """
    from eventdesk.store import query

    f = _filter(type=type_, actor=actor, recipient=recipient, since=since, until=until, outlet=outlet, story=story)
    store = open_store(db)
    with store.session() as s:
        if by is not None:
            rows = query.event_counts(s, f, by.value)
            cols = ["actor", "recipient", "count"] if by is By.dyad else [by.value, "count"]
            emit(fmt, cols, rows, [[r[c] for c in cols] for r in rows])
        else:
            items: list[dict[str, Any]] = []
            cursor = None
            while len(items) < limit:
                page, cursor = query.events_page(s, f, limit=min(limit - len(items), query.MAX_LIMIT), cursor=cursor)
                items += page
                if cursor is None:
                    break
            flat = [
                [e["id"], e["day"], e["event"], e["mode"], _codes(e["actor"]), _codes(e["recipient"]), e["cameo"],
                 e["goldstein"], e["negated"], e["outlet"], e["evidence"]["text"]]
                for e in items
            ]  # fmt: skip
            emit(fmt, EVENT_COLUMNS, items, flat)
    store.close()


QUOTE_COLUMNS = ["id", "day", "outlet", "speaker", "kind", "cue", "text"]


def quotes(
    db: DbOpt = "eventdesk.db",
    speaker: Annotated[
        str | None, typer.Option("--speaker", help="Part of the speaker's name (any case).", show_default=False)
    ] = None,
    outlet: OutletOpt = None,
    story: StoryOpt = None,
    fmt: FormatOpt = Format.table,
    limit: Annotated[int, typer.Option("--limit", min=1, max=1000, help="At most this many quotes.")] = 100,
) -> None:
    """Who said what: stored quotes, newest first.

    Example:

    \b
        eventdesk quotes --db news.db --speaker Halvorsen
        eventdesk quotes --db news.db --outlet "Atlas Wire" --format json
    """
    from eventdesk.store import query

    store = open_store(db)
    with store.session() as s:
        rows = query.quotes(s, query.QuoteFilter(speaker=speaker, outlet=outlet, story=story), limit=limit)
    store.close()
    flat = [
        [q["id"], q["day"], q["outlet"], (q["speaker"] or {}).get("name") or (q["speaker"] or {}).get("text"),
         q["kind"], q["cue"], q["text"]]
        for q in rows
    ]  # fmt: skip
    emit(fmt, QUOTE_COLUMNS, rows, flat)


def export(
    output: Annotated[Path, typer.Option("--output", "-o", help="File to write.", show_default=False)],
    fmt: Annotated[
        str, typer.Option("--format", "-f", help="plover-jsonl, csv, parquet or cameo-tsv.")
    ] = "plover-jsonl",
    db: DbOpt = "eventdesk.db",
    type_: TypeOpt = None,
    actor: ActorOpt = None,
    recipient: RecipientOpt = None,
    since: SinceOpt = None,
    until: UntilOpt = None,
    outlet: OutletOpt = None,
    story: StoryOpt = None,
) -> None:
    """Export stored events (the same filters as `events`) to PLOVER JSONL, CSV, Parquet or CAMEO-style TSV.

    Example:

    \b
        eventdesk export --db news.db --format parquet -o events.parquet
        eventdesk export --db news.db --format cameo-tsv --actor RUS -o rus.tsv
    """
    from eventdesk.export import ExportFormat
    from eventdesk.export import export as run_export

    try:
        format_ = ExportFormat(fmt)
    except ValueError:
        choices = ", ".join(f.value for f in ExportFormat)
        raise typer.BadParameter(f"{fmt!r}: choose one of {choices}", param_hint="--format") from None
    if not output.parent.exists():
        raise typer.BadParameter(f"no such directory: {output.parent}", param_hint="--output")
    f = _filter(type=type_, actor=actor, recipient=recipient, since=since, until=until, outlet=outlet, story=story)
    store = open_store(db)
    with store.session() as s:
        n = run_export(s, f, format_, output)
    store.close()
    print(f"{n} events written to {output} ({format_.value})", file=sys.stderr)


def serve(
    db: DbOpt = "eventdesk.db",
    host: Annotated[str, typer.Option("--host", help="Address to bind; 127.0.0.1 keeps it on this machine.")] = (
        "127.0.0.1"
    ),
    port: Annotated[int, typer.Option("--port", min=1, max=65535, help="TCP port.")] = 8000,
) -> None:
    """Serve the REST API (/api, OpenAPI at /docs) and the web pages. Writes need EVENTDESK_TOKEN.

    Example:

    \b
        eventdesk serve --db news.db
        EVENTDESK_TOKEN=$(openssl rand -hex 32) eventdesk serve --db postgresql+psycopg://u@localhost/news
    """
    import uvicorn

    from eventdesk.api import Settings, create_app

    open_store(db).close()  # fail here, with a usage error, on a missing database or a bad URL
    uvicorn.run(create_app(Settings.from_env(db=db)), host=host, port=port, log_level="info")


def register(app: typer.Typer) -> None:
    """Add `events`, `quotes`, `export` and `serve` to the main command line."""
    app.command("events")(events)
    app.command("quotes")(quotes)
    app.command("export")(export)
    app.command("serve")(serve)
