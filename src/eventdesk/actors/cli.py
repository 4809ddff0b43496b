"""`eventdesk actor MENTION | - [--context TEXT] [--date D] --format json`: the command's logic.

The lead wires `actor_command` into the Typer app. Output per docs/output-contract.md: one JSON line per
mention (or per stdin line, in order) with mention, name, country, sector, sector2, confidence, source.
A bad stdin line gives a line with nulls and an "error" field; it never stops the run.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any, TextIO

from eventdesk.actors.kb import KnowledgeBase
from eventdesk.actors.resolve import Resolution, parse_when

FIELDS = ("mention", "name", "country", "sector", "sector2", "confidence", "source")


def _null(mention: Any, error: str) -> dict[str, Any]:
    out: dict[str, Any] = dict.fromkeys(FIELDS)
    out["mention"] = mention if isinstance(mention, str) else None
    out["confidence"] = 0.0
    out["error"] = error
    return out


def resolve_lines(kb: KnowledgeBase, lines: Iterable[str]) -> Iterator[tuple[dict[str, Any], bool]]:
    """Stdin JSON lines -> (output record, ok). Blank lines are skipped; every other line gets one record."""
    for lineno, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            rec = json.loads(line)
        except json.JSONDecodeError as exc:
            yield _null(None, f"line {lineno}: invalid JSON ({exc.msg})"), False
            continue
        if isinstance(rec, str):
            rec = {"mention": rec}
        if not isinstance(rec, dict) or not isinstance(rec.get("mention"), str):
            yield _null(None, f'line {lineno}: expected an object with a string "mention"'), False
            continue
        context = rec.get("context") if isinstance(rec.get("context"), str) else ""
        date = rec.get("date") if isinstance(rec.get("date"), str) else None
        yield kb.resolve(rec["mention"], context or "", parse_when(date)).to_dict(), True


def _table_row(d: dict[str, Any]) -> str:
    return "\t".join("" if d.get(f) is None else str(d.get(f)) for f in FIELDS)


def actor_command(
    mentions: list[str],
    context: str = "",
    date: str | None = None,
    fmt: str = "json",
    dictionary: list[Path] | None = None,
    stdin: TextIO | None = None,
    stdout: TextIO | None = None,
) -> int:
    """Resolve mentions given as arguments, or JSON lines from stdin when the only mention is "-".

    Returns the exit code: 0 all resolved or unresolvable-but-valid, 1 some stdin lines were bad,
    2 usage error (unknown format, unreadable dictionary).
    """
    out = stdout or sys.stdout
    if fmt not in ("json", "table"):
        print(f"error: unknown --format {fmt!r}: use json or table", file=sys.stderr)
        return 2
    try:
        kb = KnowledgeBase.load(dictionary or [])
    except (OSError, ValueError) as exc:
        print(f"error: cannot read a --dictionary file: {exc}", file=sys.stderr)
        return 2
    if fmt == "table":
        out.write("\t".join(FIELDS) + "\n")
    code = 0
    if mentions == ["-"]:
        for rec, ok in resolve_lines(kb, stdin or sys.stdin):
            if not ok:
                code = 1
                print(rec["error"], file=sys.stderr)
            out.write((json.dumps(rec, ensure_ascii=False) if fmt == "json" else _table_row(rec)) + "\n")
        return code
    when = parse_when(date)
    for mention in mentions:
        res: Resolution = kb.resolve(mention, context or "", when)
        d = res.to_dict()
        out.write((json.dumps(d, ensure_ascii=False) if fmt == "json" else _table_row(d)) + "\n")
    return code
