"""What every command shares: the --db option, opening a store, and printing rows as a table, JSON or CSV.

Written once here (Datasette's habit): commands differ in what they query, never in how they print it.
"""

from __future__ import annotations

import csv
import json
import sys
from collections.abc import Sequence
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

if TYPE_CHECKING:
    from eventdesk.store import Store

DbOpt = Annotated[str, typer.Option("--db", help="SQLite file path or SQLAlchemy URL (postgresql+psycopg://...).")]
# Wide enough for titles when output goes to a file or a pipe; a terminal uses its own width.
PIPE_WIDTH = 160


class Format(StrEnum):
    json = "json"
    table = "table"
    csv = "csv"


def open_store(db: str) -> Store:
    """The store behind --db; a usage error (exit 2) when a file path names no database."""
    from eventdesk.store import Store

    if "://" not in db and not Path(db).exists():
        raise typer.BadParameter(f"no such database: {db}", param_hint="--db")
    return Store(db)


def print_table(columns: Sequence[str], rows: Sequence[Sequence[Any]], title: str | None = None) -> None:
    from rich.console import Console
    from rich.table import Table

    table = Table(*columns, title=title)
    for row in rows:
        table.add_row(*("" if v is None else str(v) for v in row))
    Console(width=None if sys.stdout.isatty() else PIPE_WIDTH).print(table)


def print_json(obj: Any) -> None:
    sys.stdout.write(json.dumps(obj, ensure_ascii=False, indent=1) + "\n")


def emit(fmt: Format, columns: Sequence[str], rows: Sequence[dict[str, Any]], flat: Sequence[Sequence[Any]]) -> None:
    """JSON lines of `rows`, or CSV / a table of `flat` (the same rows as lists in `columns` order)."""
    if fmt is Format.json:
        for r in rows:
            sys.stdout.write(json.dumps(r, ensure_ascii=False) + "\n")
    elif fmt is Format.csv:
        writer = csv.writer(sys.stdout)
        writer.writerow(columns)
        writer.writerows(flat)
    else:
        print_table(columns, flat, f"{len(rows)} rows")
