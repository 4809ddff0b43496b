"""Importer for PETRARCH/PLOVER actor and agent dictionaries, and the reader of users' own dictionaries.

`python -m eventdesk.actors.importer SRC_DIR OUT_DIR` converts the MIT-licensed Phoenix actor files and the
PLOVER/Phoenix agents files (format: ../shared/data/dictionaries/petrarch2-dictionaries.rst) into the
compact files shipped in `eventdesk/data/actors/`:

- `actors.jsonl.gz`: one JSON object per actor record: `p` phrase keys (normalised tokens), `n` display name,
  `k` kind (person|org|place), `d` default [country, sector, sector2], `r` date-restricted codes
  [[start, end, country, sector, sector2]], `src` file:line of the record's primary phrase;
- `agents.tsv.gz`: role phrase (plurals expanded), sector, sector2, source. PLOVER_agents.txt wins over
  Phoenix.agents.txt, whose CAMEO-only codes are mapped through cameo_codes.tsv.

The same parsers read a user's `--dictionary FILE` at load time (`load_user_dictionary`).
"""

from __future__ import annotations

import argparse
import datetime as dt
import gzip
import json
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from eventdesk.actors.kb import (
    Code,
    CodeTables,
    Entry,
    EntryKind,
    KnowledgeBase,
    Period,
    Role,
    code_tables,
    parse_date,
    phrase_key,
    read_csv_dictionary,
)

ACTOR_FILES = (
    "Phoenix.Countries.actors.txt",
    "Phoenix.International.actors.txt",
    "Phoenix.MilNonState.actors.txt",
)
AGENT_FILES = ("PLOVER_agents.txt", "Phoenix.agents.txt")  # first wins

_BRACKET = re.compile(r"\[([^\]]*)\]")
_PAREN = re.compile(r"\(([^)]*)\)")


@dataclass
class ActorRecord:
    """One PETRARCH actor record: primary phrase, synonyms, default code and date restrictions."""

    primary: str
    line: int
    phrases: list[str] = field(default_factory=list)
    default: Code | None = None
    periods: list[Period] = field(default_factory=list)
    person_hint: bool = False


def _strip_comment(line: str) -> tuple[str, str]:
    """(content, comment): '#' starts a comment; TABARI files also use ';' before a source note."""
    cut = len(line)
    for mark in ("#", ";"):
        i = line.find(mark)
        if i != -1:
            cut = min(cut, i)
    return line[:cut], line[cut:]


def _phrase_variants(phrase: str) -> list[str]:
    """A phrase and, when it holds a parenthesised acronym ("..._ARMY_(AAIA)_"), the phrase without it and
    the acronym alone."""
    phrase = phrase.strip().strip("+").strip()
    if not phrase:
        return []
    out = [phrase]
    inner = _PAREN.findall(phrase)
    if inner:
        out = [_PAREN.sub(" ", phrase)]
        # An acronym in brackets is an alias ("(AAIA)"); a disambiguator ("(CAUCASUS)") is not.
        first = phrase.strip("_ ")[:1].upper()
        out += [
            i
            for i in inner
            if 3 <= len(i.replace("_", "").replace(".", "")) <= 6 and "_" not in i.strip("_") and i[:1].upper() == first
        ]
    return out


def _restrictions(text: str, tables: CodeTables, lenient: bool = False) -> tuple[Code | None, list[Period]]:
    """Codes in `[...]` groups: `[CODE]` is a default, `[CODE >d]`, `[CODE <d]`, `[CODE d-d]` restrict."""
    default: Code | None = None
    periods: list[Period] = []
    for group in _BRACKET.findall(text):
        parts = group.split()
        if not parts:
            continue
        code = tables.decode(parts[0], lenient)
        if code is None:
            continue
        if len(parts) == 1:
            default = code
            continue
        spec = "".join(parts[1:])
        if spec.startswith(">"):
            start = parse_date(spec[1:])
            if start:
                periods.append(Period(start, None, code))
        elif spec.startswith("<"):
            end = parse_date(spec[1:])
            if end:
                periods.append(Period(None, end, code))
        elif "-" in spec:
            a, b = spec.split("-", 1)
            start, end = parse_date(a), parse_date(b)
            if start and end:  # a malformed date ("2004017") drops the restriction, not the record
                periods.append(Period(start, end, code))
    return default, periods


def parse_actors(path: Path, tables: CodeTables, lenient: bool = False) -> Iterator[ActorRecord]:
    """Records of a PETRARCH `.actors` file, in file order."""
    current: ActorRecord | None = None
    blank = False  # a blank line since the last record line
    with open(path, encoding="utf-8", errors="replace") as f:
        for lineno, raw in enumerate(f, 1):
            content, comment = _strip_comment(raw.rstrip("\n"))
            if not content.strip():
                blank = blank or not raw.strip()
                continue
            stripped = content.strip()
            blank = False
            if raw[:1] in ("\t", " ") or stripped.startswith("["):
                if current is not None:
                    d, ps = _restrictions(stripped, tables, lenient)
                    current.default = d or current.default
                    current.periods.extend(ps)
                continue
            head, _, codes = stripped.partition("[")
            codes = "[" + codes if codes else ""
            if stripped.startswith("+"):
                if current is not None:
                    current.phrases.extend(_phrase_variants(head))
                    d, ps = _restrictions(codes, tables, lenient)
                    current.default = d or current.default
                    current.periods.extend(ps)
                continue
            carried: list[str] = []
            first: tuple[str, int] = (head.strip(), lineno)
            if current is not None:
                if current.default is None and not current.periods and not blank:
                    # Code-less primaries directly above another ("IVO_JOSIPOVIC_" / "JOSIPOVIC_" / codes):
                    # the dictionaries mean synonyms of the record that carries the codes.
                    carried, first = current.phrases, (current.primary, current.line)
                else:
                    yield current
            blank = False
            current = ActorRecord(primary=first[0], line=first[1])
            current.phrases.extend(_phrase_variants(head))
            current.phrases.extend(carried)
            current.person_hint = "CountryInfo" in comment or "rulers" in comment
            current.default, current.periods = _restrictions(codes, tables, lenient)
    if current is not None:
        yield current


_SMALL_WORDS = {
    "of",
    "the",
    "and",
    "for",
    "de",
    "del",
    "la",
    "le",
    "al",
    "el",
    "bin",
    "ibn",
    "abu",
    "van",
    "von",
    "da",
    "di",
    "du",
    "des",
    "in",
    "on",
    "to",
    "at",
    "ben",
    "bint",
    "y",
    "e",
}


def display_name(primary: str, person: bool = False) -> str:
    """ "VLADIMIR_V._PUTIN_" -> "Vladimir V. Putin"; in organisation names, short tokens and dotted
    abbreviations stay upper case ("UN Security Council", "U.N.")."""
    words = _PAREN.sub(" ", primary).replace("_", " ").split()
    if words and words[0].upper() == "THE" and len(words) > 1:
        words = words[1:]
    out = []
    for i, w in enumerate(words):
        letters = re.sub(r"[^A-Za-z]", "", w)
        if w.lower() in _SMALL_WORDS and i > 0:
            out.append(w.lower())
        elif not person and (len(letters) <= 3 or "." in w.rstrip(".") or not re.search(r"[AEIOUY]", w.upper())):
            out.append(w.upper())
        else:
            out.append("-".join(p[:1].upper() + p[1:].lower() for p in w.split("-")))
    return " ".join(out)


def record_kind(rec: ActorRecord, tables: CodeTables) -> EntryKind:
    codes = [rec.default] if rec.default else []
    codes += [p.code for p in rec.periods]
    if codes and all(c.sector is None and c.country in tables.iso3 | {"SUN"} for c in codes if c):
        return "place"  # country-level blocks (also dated ones): names, demonyms, cities of a country
    if rec.person_hint or rec.periods:
        return "person"
    return "org"


def actor_json(rec: ActorRecord, source: str, tables: CodeTables) -> dict | None:
    if rec.default is None and not rec.periods:
        return None  # a record with no code is a null code in PETRARCH: nothing to ship
    keys = sorted({k for k in (phrase_key(p) for p in rec.phrases) if k})
    if not keys:
        return None
    kind = record_kind(rec, tables)
    out: dict = {"p": keys, "n": display_name(rec.primary, kind == "person"), "k": kind, "src": source}
    if rec.default:
        out["d"] = [rec.default.country, rec.default.sector, rec.default.sector2]
    if rec.periods:
        out["r"] = [
            [
                p.start.isoformat() if p.start else None,
                p.end.isoformat() if p.end else None,
                p.code.country,
                p.code.sector,
                p.code.sector2,
            ]
            for p in rec.periods
        ]
    return out


# ---------------------------------------------------------------------------------------------------------
# Agents


def _plural(word: str) -> str:
    low = word.lower()
    if low.endswith("y") and len(low) > 1 and low[-2] not in "aeiou":
        return word[:-1] + ("IES" if word.isupper() else "ies")
    if low.endswith(("s", "x", "z", "ch", "sh")):
        return word + ("ES" if word.isupper() else "es")
    if low.endswith("man"):
        return word[:-3] + ("MEN" if word.isupper() else "men")
    return word + ("S" if word.isupper() else "s")


def parse_agents(path: Path, tables: CodeTables, lenient: bool = False) -> Iterator[tuple[str, Code, str]]:
    """(phrase, code with sector/sector2, source) for every form an agents file generates."""
    subs: dict[str, list[str]] = {}
    with open(path, encoding="utf-8", errors="replace") as f:
        for lineno, raw in enumerate(f, 1):
            content, _ = _strip_comment(raw.rstrip("\n"))
            content = content.strip()
            if not content or content.startswith("<"):
                continue
            m = re.match(r"^(![A-Z]+!)\s*=\s*(.+)$", content)
            if m:
                subs[m.group(1)] = [x.strip() for x in m.group(2).split(",") if x.strip()]
                continue
            bm = re.search(r"\[([^\]]*)[\]}]", content)
            if not bm:
                continue
            code = tables.decode(bm.group(1).strip(), lenient)
            if code is None or code.sector is None:
                continue
            head = content[: bm.start()]
            plural: str | None = None
            pm = re.search(r"\{([^}]*)\}", head)
            if pm:
                plural = pm.group(1).strip()
                head = head[: pm.start()]
            phrase = head.strip().rstrip("_")
            if not phrase:
                continue
            source = f"{path.name}:{lineno}"
            sub = next((s for s in subs if s in phrase), None)
            if sub:
                for item in subs[sub]:
                    yield phrase.replace(sub, item), code, source
                continue
            yield phrase, code, source
            if plural is None:
                words = phrase.replace(" ", "_").split("_")
                yield "_".join([*words[:-1], _plural(words[-1])]), code, source
            elif plural:
                yield plural, code, source


# ---------------------------------------------------------------------------------------------------------
# Conversion and user dictionaries


def convert(src: Path, out: Path) -> dict[str, int]:
    """Convert the dictionaries in `src` into `out`; returns counts for the report."""
    tables = code_tables()
    out.mkdir(parents=True, exist_ok=True)
    counts = {"actor_records": 0, "actor_phrases": 0, "agent_phrases": 0}
    lines: list[str] = []
    for name in ACTOR_FILES:
        path = src / name
        if not path.exists():
            print(f"warning: {path} not found, skipped", file=sys.stderr)
            continue
        for rec in parse_actors(path, tables):
            obj = actor_json(rec, f"{name}:{rec.line}", tables)
            if obj is None:
                continue
            counts["actor_records"] += 1
            counts["actor_phrases"] += len(obj["p"])
            lines.append(json.dumps(obj, ensure_ascii=False, separators=(",", ":")))
    _write_gz(out / "actors.jsonl.gz", "\n".join(lines) + "\n")
    seen: set[str] = set()
    rows: list[str] = []
    for name in AGENT_FILES:
        path = src / name
        if not path.exists():
            continue
        for phrase, code, source in parse_agents(path, tables):
            key = phrase_key(phrase)
            if not key or key in seen:
                continue
            seen.add(key)
            rows.append(f"{key}\t{code.sector or ''}\t{code.sector2 or ''}\t{source}")
    header = "# phrase\tsector\tsector2\tsource (converted from PLOVER/Phoenix agents, MIT)\n"
    _write_gz(out / "agents.tsv.gz", header + "\n".join(rows) + "\n")
    counts["agent_phrases"] = len(rows)
    return counts


def _write_gz(path: Path, text: str) -> None:
    """Byte-identical output for identical input (mtime 0), so re-running the importer changes nothing."""
    path.write_bytes(gzip.compress(text.encode("utf-8"), compresslevel=9, mtime=0))


def _is_agents_file(path: Path) -> bool:
    with open(path, encoding="utf-8", errors="replace") as f:
        return any(re.search(r"\[[^\]]*~", line.split("#")[0]) for line in f)


def load_user_dictionary(kb: KnowledgeBase, path: Path) -> None:
    """Add a user's dictionary to `kb`: CSV (`pattern,country,sector,sector2,start,end`), or PETRARCH
    actors/agents format. User entries win over the packaged ones."""
    tables = kb.tables or code_tables()
    if path.suffix.lower() == ".csv":
        rows: dict[str, list[tuple[Code, dt.date | None, dt.date | None]]] = {}
        for pattern, code, start, end in read_csv_dictionary(path):
            rows.setdefault(pattern, []).append((code, start, end))
        for pattern, codes in rows.items():
            periods = tuple(Period(s, e, c) for c, s, e in codes if s or e)
            default = next((c for c, s, e in codes if not s and not e), None)
            name = pattern.replace("_", " ")
            kind: EntryKind = "person" if periods else "org"
            entry = Entry(name, kind, default, periods, f"{path.name}:{pattern}")
            kb.add_entry(entry, [pattern], table=kb.user_names)
        return
    if _is_agents_file(path):
        for phrase, code, source in parse_agents(path, tables, lenient=True):
            kb.add_role(phrase, Role(code.sector, code.sector2, frozenset(), source))
        return
    for rec in parse_actors(path, tables, lenient=True):
        if rec.default is None and not rec.periods:
            continue
        kind = record_kind(rec, tables)
        entry = Entry(
            display_name(rec.primary, kind == "person"),
            kind,
            rec.default,
            tuple(rec.periods),
            f"{path.name}:{rec.line}",
        )
        kb.add_entry(entry, rec.phrases, table=kb.user_names)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    ap.add_argument("src", type=Path, help="directory holding the PETRARCH/PLOVER dictionaries")
    ap.add_argument("out", type=Path, help="output directory (src/eventdesk/data/actors)")
    args = ap.parse_args(argv)
    counts = convert(args.src, args.out)
    print(json.dumps(counts))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
