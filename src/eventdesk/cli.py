"""The command line: thin wrappers over engines, the store and the stages. No analysis logic here.

Exit codes: 0 all inputs processed; 1 some inputs failed (each reported on stderr); 2 usage error.
"""

from __future__ import annotations

import csv
import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any

import typer

from eventdesk import __version__
from eventdesk.commands.common import DbOpt, Format, open_store, print_table
from eventdesk.engines import RAY_MISSING, Engine, Result, Settings, default_workers, ray_available, run_local, run_ray
from eventdesk.ingest import dedup
from eventdesk.ingest.readers import DEFAULT_MAX_MB, Failure, iter_inputs
from eventdesk.model import Analysis

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
    help="eventdesk: news articles to verifiable event data (PLOVER/CAMEO events, quotes, stories).",
)
db_app = typer.Typer(no_args_is_help=True, help="Database maintenance.")
app.add_typer(db_app, name="db")


# Shared options, written once (every command that takes them uses these).
PathsArg = Annotated[
    list[str], typer.Argument(help="Files, directories (recursive) or - for stdin.", show_default=False)
]
FormatOpt = Annotated[Format, typer.Option("--format", "-f", help="Output format.")]
WorkersOpt = Annotated[
    int | None,
    typer.Option(
        "--workers",
        "-w",
        min=1,
        help="Worker processes, or Ray actors with --engine ray (default: all cores, of the cluster for Ray).",
        show_default=False,
    ),
]
OutletsOpt = Annotated[
    list[Path] | None,
    typer.Option("--outlets", help="Extra outlet registry CSV (same columns as the packaged one); repeatable."),
]
DictOpt = Annotated[
    list[Path] | None,
    typer.Option("--dictionary", help="Extra actor/verb dictionary (PETRARCH format or CSV); repeatable."),
]
EngineOpt = Annotated[
    Engine, typer.Option("--engine", help="Run locally (process pool) or on Ray (needs eventdesk[ray]).")
]
AddressOpt = Annotated[
    str | None,
    typer.Option(
        "--address", help="Ray cluster HOST:PORT (default: start a local Ray).", metavar="HOST:PORT", show_default=False
    ),
]
MaxMbOpt = Annotated[float, typer.Option("--max-mb", help="Refuse single-document files larger than this.")]


def _settings(outlets: list[Path] | None, dictionary: list[Path] | None) -> Settings:
    """Validate user knowledge files here, once, so that a bad one is a usage error and not a worker crash."""
    from eventdesk.ingest.outlets import OutletRegistry

    for p in [*(outlets or []), *(dictionary or [])]:
        if not p.is_file():
            raise typer.BadParameter(f"no such file: {p}")
    try:
        OutletRegistry.load(outlets or ())
    except ValueError as exc:
        raise typer.BadParameter(str(exc), param_hint="--outlets") from exc
    if dictionary:
        from eventdesk.actors import KnowledgeBase
        from eventdesk.pipeline import split_dictionaries

        try:
            KnowledgeBase.load(split_dictionaries(dictionary)[1])
        except (ValueError, OSError) as exc:
            raise typer.BadParameter(str(exc), param_hint="--dictionary") from exc
    return Settings(tuple(outlets or ()), tuple(dictionary or ()))


def _report(result: Result) -> bool:
    """Print a failure or an article's warnings to stderr; True if it was a failure."""
    if isinstance(result, Failure):
        print(f"error: {result}", file=sys.stderr)
        return True
    where = result.article.source_path or result.article.id
    for problem in result.errors:
        print(f"warning: {where}: {problem}", file=sys.stderr)
    return False


@contextmanager
def _progress(label: str) -> Iterator[Any]:
    """A live count on stderr when it is a terminal; a no-op otherwise (pipes and CI stay clean)."""
    if not sys.stderr.isatty():
        yield lambda: None
        return
    from rich.console import Console
    from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    with Progress(
        SpinnerColumn(),
        TextColumn("{task.description} {task.completed}"),
        TimeElapsedColumn(),
        console=Console(stderr=True),
        transient=True,
    ) as bar:
        task = bar.add_task(label, total=None)
        yield lambda: bar.advance(task)


SUMMARY_COLUMNS = [
    "id",
    "outlet",
    "published",
    "certainty",
    "title",
    "words",
    "times",
    "places",
    "actors",
    "quotes",
    "events",
    "duplicate_of",
]


def _summary_row(a: Analysis) -> list[Any]:
    art = a.article
    return [
        art.id,
        art.outlet,
        art.published,
        art.published_certainty,
        art.title,
        len(art.text.split()),
        len(a.times),
        len(a.places),
        len(a.actors),
        len(a.quotes),
        len(a.events),
        art.duplicate_of,
    ]


def _check_engine(engine: Engine, address: str | None) -> None:
    """Usage errors (exit 2) before any work: Ray missing, or an address without Ray."""
    if engine is Engine.ray and not ray_available():
        raise typer.BadParameter(RAY_MISSING, param_hint="--engine")
    if address and engine is not Engine.ray:
        raise typer.BadParameter("--address needs --engine ray", param_hint="--address")


class _Run:
    """The analysed articles of one command run, in input order; failures are reported and counted."""

    def __init__(
        self,
        paths: list[str],
        workers: int | None,
        settings: Settings,
        max_mb: float,
        label: str,
        engine: Engine = Engine.local,
        address: str | None = None,
    ):
        self.failed = 0
        _check_engine(engine, address)
        inputs = iter_inputs(paths, max_mb)
        if engine is Engine.ray:
            # Default workers: the cluster's CPUs, known only once connected.
            self._items = run_ray(inputs, workers, settings, address=address)
        else:
            self._items = run_local(inputs, workers or default_workers(), settings)
        self._label = label

    def __iter__(self) -> Iterator[Analysis]:
        with _progress(self._label) as tick:
            for result in self._items:
                tick()
                if _report(result):
                    self.failed += 1
                elif isinstance(result, Analysis):
                    yield result

    def finish(self) -> None:
        """Exit 1 when some inputs failed (the rest was processed)."""
        if self.failed:
            print(f"{self.failed} input(s) failed; everything else was processed.", file=sys.stderr)
            raise typer.Exit(1)


def _mark_duplicate(analysis: Analysis, index: dedup.Index) -> tuple[Any, list[str]]:
    dup_of, kind, sig, keys = dedup.check(analysis.article, index)
    analysis.article.duplicate_of, analysis.article.duplicate_kind = dup_of, kind
    return sig, keys


@app.command()
def analyze(
    paths: PathsArg,
    fmt: FormatOpt = Format.json,
    workers: WorkersOpt = None,
    engine: EngineOpt = Engine.local,
    address: AddressOpt = None,
    outlets: OutletsOpt = None,
    dictionary: DictOpt = None,
    max_mb: MaxMbOpt = DEFAULT_MAX_MB,
) -> None:
    """Analyse articles and print one JSON line per article (or a table / CSV summary).

    Example:

    \b
        eventdesk analyze demo/corpus --format table
        cat article.txt | eventdesk analyze - > out.jsonl
    """
    run = _Run(paths, workers, _settings(outlets, dictionary), max_mb, "analysed", engine, address)
    index = dedup.MemoryIndex()
    rows: list[list[Any]] = []
    writer = csv.writer(sys.stdout) if fmt is Format.csv else None
    if writer:
        writer.writerow(SUMMARY_COLUMNS)
    for result in run:
        sig, keys = _mark_duplicate(result, index)
        if result.article.duplicate_of is None:
            index.add(result.article.id, result.article.content_hash, sig, keys)
        if fmt is Format.json:
            sys.stdout.write(json.dumps(result.to_dict(), ensure_ascii=False) + "\n")
            sys.stdout.flush()
        elif writer:
            writer.writerow(_summary_row(result))
        else:
            rows.append(_summary_row(result))
    if fmt is Format.table:
        print_table(SUMMARY_COLUMNS, rows)
    run.finish()


@app.command()
def ingest(
    paths: PathsArg,
    db: DbOpt = "eventdesk.db",
    workers: WorkersOpt = None,
    engine: EngineOpt = Engine.local,
    address: AddressOpt = None,
    outlets: OutletsOpt = None,
    dictionary: DictOpt = None,
    max_mb: MaxMbOpt = DEFAULT_MAX_MB,
) -> None:
    """Analyse articles and store them. Re-ingesting the same input changes nothing; an interrupted run
    resumes where it stopped.

    Example:

    \b
        eventdesk ingest demo/corpus --db news.db
        eventdesk ingest archive/ --db postgresql+psycopg://user@localhost/news --workers 4
        eventdesk ingest archive/ --db postgresql+psycopg://user@db/news --engine ray --address head:6379
    """
    from eventdesk import stories
    from eventdesk.store import Store

    run = _Run(paths, workers, _settings(outlets, dictionary), max_mb, "ingested", engine, address)
    store = Store(db)
    stored = skipped = duplicates = 0
    for result in run:
        stored_before = store.analysis(result.article.id)
        if stored_before is not None:
            # Stored by an earlier (perhaps interrupted) run: make sure it also has its story, from the stored
            # record (which carries what was decided then, such as duplicate_of), not from this run's analysis.
            stories.assign(store, stored_before)
            skipped += 1
            continue
        sig, keys = _mark_duplicate(result, store)
        if store.add(result, sig, keys):
            stored += 1
            duplicates += result.article.duplicate_of is not None
        else:
            skipped += 1
        stories.assign(store, result)
    store.close()
    print(
        f"{stored} stored ({duplicates} marked as duplicates), {skipped} already stored, {run.failed} failed: {db}",
        file=sys.stderr,
    )
    run.finish()


# The table shows what fits a terminal; JSON and CSV carry every field.
ARTICLE_COLUMNS = ["id", "outlet", "published", "published_certainty", "duplicate_of", "title"]


@app.command()
def articles(
    db: DbOpt = "eventdesk.db",
    fmt: FormatOpt = Format.table,
    limit: Annotated[int | None, typer.Option(help="At most this many.")] = None,
) -> None:
    """List stored articles.

    Example:

    \b
        eventdesk articles --db news.db --format csv > articles.csv
    """

    store = open_store(db)
    items = store.articles(limit=limit)
    store.close()
    if fmt is Format.json:
        for item in items:
            sys.stdout.write(json.dumps(item, ensure_ascii=False) + "\n")
    elif fmt is Format.csv:
        writer = csv.DictWriter(sys.stdout, fieldnames=list(items[0]) if items else ARTICLE_COLUMNS)
        writer.writeheader()
        writer.writerows(items)
    else:
        print_table(ARTICLE_COLUMNS, [[i[c] for c in ARTICLE_COLUMNS] for i in items], f"{len(items)} articles")


@app.command()
def actor(
    mentions: Annotated[list[str], typer.Argument(help="Mentions to resolve, or - to read JSON lines from stdin.")],
    context: Annotated[str, typer.Option(help="Text around the mention (helps titles and metonymy).")] = "",
    date: Annotated[str | None, typer.Option(help="Date of the text, YYYY-MM-DD: roles change over time.")] = None,
    fmt: Annotated[str, typer.Option("--format", "-f", help="json or table.")] = "json",
    dictionary: DictOpt = None,
) -> None:
    """Resolve actor mentions to {name, country, sector, sector2} with the rule or entry that decided.

    stdin lines are {"mention", "context", "date"}; one JSON line comes out per input line, in order.
    An unresolvable mention gives nulls, never an error.

    Example:

    \b
        eventdesk actor "Russian Deputy Foreign Minister Sergei Ryabkov" --date 2016-10-19
        echo '{"mention": "Moscow", "context": "Moscow rejected the draft."}' | eventdesk actor -
    """
    from eventdesk.actors.cli import actor_command

    raise typer.Exit(actor_command(mentions, context, date, fmt, dictionary))


@db_app.command("upgrade")
def db_upgrade(db: DbOpt = "eventdesk.db") -> None:
    """Create or migrate the database schema to the latest version.

    Example:

    \b
        eventdesk db upgrade --db news.db
    """
    from eventdesk.store import Store

    Store(db).close()
    print(f"schema up to date: {db}", file=sys.stderr)


def _register_commands() -> None:
    """Commands whose code lives beside the stage they query (one module per stage, a thin CLI)."""
    from eventdesk.commands import store as store_commands
    from eventdesk.commands import stories as stories_commands

    stories_commands.register(app)
    store_commands.register(app)


_register_commands()


def _version(value: bool) -> None:
    if value:
        print(__version__)
        raise typer.Exit()


@app.callback()
def _main(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version.")
    ] = False,
) -> None:
    pass


def main() -> None:
    app()
