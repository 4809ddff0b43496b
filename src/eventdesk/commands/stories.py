"""`eventdesk stories` (with `stories recluster`) and `eventdesk compare`: thin wrappers over stories.py and
compare.py. No clustering or comparison logic here.

Exit codes: 0 done; 2 usage error (no such database, no such story, bad --outlets).
"""

from __future__ import annotations

import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer

from eventdesk.commands.common import DbOpt, open_store, print_json, print_table

OutletFileOpt = Annotated[
    list[Path] | None,
    typer.Option("--outlet-file", help="Extra outlet registry CSV (country, ownership, name variants); repeatable."),
]


class Format(StrEnum):
    json = "json"
    table = "table"


FormatOpt = Annotated[Format, typer.Option("--format", "-f", help="Output format.")]


stories_app = typer.Typer(
    invoke_without_command=True,
)


@stories_app.callback()
def stories(ctx: typer.Context, db: DbOpt = "eventdesk.db", fmt: FormatOpt = Format.table) -> None:
    """List story clusters (each with its articles and outlets).

    Example:

    \b
        eventdesk stories --db news.db --format json > stories.json
        eventdesk stories recluster --db news.db
    """
    if ctx.invoked_subcommand is not None:
        return
    from eventdesk import stories as st

    store = open_store(db)
    items = st.list_stories(store)
    store.close()
    if fmt is Format.json:
        print_json(items)
        return
    rows = [[s["story_id"], s["first_seen"], len(s["articles"]), ", ".join(s["outlets"]), s["title"]] for s in items]
    print_table(["story_id", "first_seen", "articles", "outlets", "title"], rows, f"{len(items)} stories")


@stories_app.command("recluster")
def recluster(db: DbOpt = "eventdesk.db") -> None:
    """Rebuild every story from scratch (same result as incremental ingestion, in any order).

    Example:

    \b
        eventdesk stories recluster --db news.db
    """
    from eventdesk import stories as st

    store = open_store(db)
    n = st.recluster(store)
    store.close()
    print(f"{n} stories: {db}", file=sys.stderr)


def compare(
    story_id: Annotated[str | None, typer.Argument(help="Story id (from `eventdesk stories`).")] = None,
    outlets_pair: Annotated[
        str | None, typer.Option("--outlets", help="Two outlets A,B: how they differ over all shared stories.")
    ] = None,
    db: DbOpt = "eventdesk.db",
    fmt: FormatOpt = Format.table,
    outlets: OutletFileOpt = None,
) -> None:
    """How each outlet covered one story, side by side; or how two outlets differ over every story both covered.

    Example:

    \b
        eventdesk compare s1a2b3c4d5e6f7a8b --db news.db --format json
        eventdesk compare --outlets "Atlas Wire,Gulf Horizon" --db news.db --outlet-file demo/outlets.csv
    """
    from eventdesk import compare as cmp

    if (story_id is None) == (outlets_pair is None):
        raise typer.BadParameter("give a STORY_ID or --outlets A,B (one of the two)")
    for p in outlets or []:
        if not p.is_file():
            raise typer.BadParameter(f"no such file: {p}", param_hint="--outlet-file")
    store = open_store(db)
    try:
        if outlets_pair is not None:
            names = [n.strip() for n in outlets_pair.split(",") if n.strip()]
            if len(names) != 2:
                raise typer.BadParameter("--outlets takes two outlet names: A,B")
            result = cmp.compare_outlets(store, names[0], names[1], outlets or ())
        else:
            try:
                result = cmp.compare_story(store, story_id or "", outlets or ())
            except KeyError:
                raise typer.BadParameter(f"no such story: {story_id}", param_hint="STORY_ID") from None
    finally:
        store.close()
    if fmt is Format.json:
        print_json(result)
    elif outlets_pair is not None:
        _pairprint_table(result)
    else:
        _storyprint_table(result)


def _storyprint_table(r: dict[str, Any]) -> None:
    profiles = r["outlets"]
    cols = ["", *[p["outlet"] for p in profiles]]

    def row(name: str, f: Any) -> list[Any]:
        return [name, *[f(p) for p in profiles]]

    rows = [
        row("country / ownership", lambda p: f"{p['country'] or '?'} / {p['ownership'] or '?'}"),
        row("headline", lambda p: "\n".join(a["title"] or "" for a in p["articles"])),
        row("published", lambda p: ", ".join(a["published"] or "?" for a in p["articles"])),
        row("words", lambda p: ", ".join(str(a["words"]) for a in p["articles"])),
        row("quoted", lambda p: "\n".join(f"{k} ({v})" for k, v in p["quoted"]["speakers"].items())),
        row("sources", lambda p: "\n".join(f"{k} ({v})" for k, v in p["quoted"].get("sources", {}).items())),
        row("shares", lambda p: "\n".join(f"{k} {v:.0%}" for k, v in p["quoted"]["shares"].items())),
        row("events omitted", lambda p: "\n".join(p["events_omitted"])),
    ]
    fams = sorted({f for p in profiles for f in p["labels"]})
    for fam in fams:
        rows.append(row(f"labels: {fam}", lambda p, f=fam: _labels_cell(p["labels"].get(f))))
    rows.append(row("numbers", lambda p: "\n".join(f"{n['category']}: {n['text']}" for n in p["numbers"])))
    rows.append(row("tone", lambda p: f"{p['tone']['score']:+.2f}"))
    print_table(cols, rows, f"{r['title']} ({r['story_id']})")
    for cat, vals in r["number_disagreements"].items():
        print(f"numbers disagree on {cat}: " + "; ".join(f"{o}: {v}" for o, v in vals.items()))


def _labels_cell(v: dict[str, Any] | None) -> str:
    if not v:
        return ""
    own = ", ".join(v["own"])
    quoted = ", ".join(f'"{t}"' for t in v["quoted_only"])
    return own + (f"\nonly quoted: {quoted}" if quoted else "")


def _pairprint_table(r: dict[str, Any]) -> None:
    a, b = r["outlets"]
    rows = []
    for key in ("mean_tone", "events_omitted"):
        rows.append([key, r["summary"][a][key], r["summary"][b][key]])
    fams = sorted(set(r["summary"][a]["labels"]) | set(r["summary"][b]["labels"]))
    for fam in fams:
        rows.append(
            [
                f"labels: {fam}",
                *[", ".join(f"{t} ({n})" for t, n in r["summary"][o]["labels"].get(fam, {}).items()) for o in (a, b)],
            ]
        )
    rows.append(["groups quoted", *[", ".join(r["summary"][o]["groups_quoted"]) for o in (a, b)]])
    print_table(["", a, b], rows, f"{a} vs {b}: {r['stories_compared']} shared stories")


def register(app: typer.Typer) -> None:
    """Add `stories` (a group: list by default, `stories recluster`) and `compare` to the main app."""
    app.add_typer(stories_app, name="stories")
    app.command("compare")(compare)
