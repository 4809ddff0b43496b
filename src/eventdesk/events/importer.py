"""Builds the packaged event data from the upstream files: run by a developer, never at analysis time.

Owns two conversions:

- `CAMEO2PLOVER-2021.txt` (Schrodt, PLOVER manual, CC BY-SA 4.0) -> `data/events/cameo2plover.tsv`
  (`code, event, mode, contexts, description`), plus the CAMEO 01/02 rows the table lacks (ours).
- `CAMEO.2.0.txt` (PETRARCH2 CAMEO verb dictionary, MIT) -> `data/events/cameo_verbs.tsv.gz`
  (`lemma, particle, code, object, preposition, prep_object`): every verb of a block with its code, and each
  pattern reduced to the head words the dependency parse can check (object head, preposition, its head).

The same PETRARCH verb-file reader (`read_verb_file`) serves users' `--dictionary` files (dictionary.py).

    python -m eventdesk.events.importer ../shared/data src/eventdesk/data/events
"""

from __future__ import annotations

import gzip
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

# CAMEO 01 (public statements) has no PLOVER event; CAMEO 02 (appeals) is PLOVER's REQUEST (the manual
# merges CAMEO 02 and 10). These rows are eventdesk's, added beside the table's.
EXTRA_CAMEO_ROWS = [
    ("020", "REQUEST", "", "", "Make an appeal or request"),
    ("021", "REQUEST", "assist", "", "Appeal for material cooperation"),
    ("022", "REQUEST", "assist", "diplomatic", "Appeal for diplomatic cooperation"),
    ("023", "REQUEST", "assist", "", "Appeal for aid"),
    ("0231", "REQUEST", "assist", "economic", "Appeal for economic aid"),
    ("0232", "REQUEST", "assist", "military", "Appeal for military aid"),
    ("0233", "REQUEST", "assist", "humanitarian", "Appeal for humanitarian aid"),
    ("0234", "REQUEST", "assist", "peacekeeping", "Appeal for military protection or peacekeeping"),
    ("024", "REQUEST", "change", "political_institutions", "Appeal for political reform"),
    ("025", "REQUEST", "yield", "", "Appeal to yield"),
    ("026", "REQUEST", "meet", "diplomatic", "Appeal to others to meet or negotiate"),
    ("027", "REQUEST", "meet", "diplomatic", "Appeal to others to settle dispute"),
    ("028", "REQUEST", "meet", "diplomatic", "Appeal to engage in or accept mediation"),
]

_TABLE_ROW = re.compile(r"^(\d{2,4}):\s*([A-Z]+)\s*,([^,#]*),?([^#]*)(?:#\s*(.*))?$")


def convert_table(text: str) -> list[tuple[str, str, str, str, str]]:
    """CAMEO2PLOVER rows -> (code, event, mode, contexts ';'-joined, description); 2-digit roots included."""
    rows: dict[str, tuple[str, str, str, str, str]] = {}
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith(("#", "~")):
            continue
        m = re.match(r"^(\d{2}):\s*([A-Z]+)\s*$", line)
        if m:
            rows.setdefault(m.group(1), (m.group(1), m.group(2), "", "", ""))
            continue
        m = _TABLE_ROW.match(line)
        if not m:
            continue
        code, event, mode, ctx, desc = m.groups()
        contexts = ";".join(c.strip() for c in ctx.split(";") if c.strip())
        # First row of a code wins (175 is listed twice with the same values).
        rows.setdefault(code, (code, event, mode.strip(), contexts, (desc or "").strip()))
    for extra in EXTRA_CAMEO_ROWS:
        rows.setdefault(extra[0], extra)
    rows.setdefault("02", ("02", "REQUEST", "", "", "Appeal"))
    return sorted(rows.values())


# ---------------------------------------------------------------------------------------------------------
# PETRARCH verb dictionaries


@dataclass(frozen=True, slots=True)
class VerbRow:
    """One verb (or verb + object/preposition pattern) and its CAMEO code."""

    lemma: str
    particle: str  # "off" in CORDON_OFF; "" for one-word verbs
    code: str  # CAMEO code, or "---" for "no event"
    obj: str = ""  # head word of the object the pattern needs
    prep: str = ""  # preposition the pattern needs
    pobj: str = ""  # head word of that preposition's object ("" = any)


_CODE = re.compile(r"\[([^\]]*)\]")


def _strip_comment(line: str) -> str:
    return line.split("#", 1)[0].rstrip()


def _code_of(text: str) -> str | None:
    """`[112]`, `[062:062]`, `[:190]` -> the source-side code (or the target's when only that is given)."""
    m = _CODE.search(text)
    if not m:
        return None
    parts = [p.strip() for p in m.group(1).split(":")]
    for p in parts:
        if p:
            return p
    return None


def _verb_key(word: str) -> tuple[str, str]:
    """`+CORDON_OFF` -> (cordon, off); `WIRE_+TAP` -> (tap, wire); `ACCUSE` -> (accuse, "")."""
    word = word.strip().lower()
    parts = word.split("_")
    marked = [i for i, p in enumerate(parts) if p.startswith("+")]
    k = marked[0] if marked else 0
    lemma = parts[k].lstrip("+")
    rest = [p.lstrip("+") for i, p in enumerate(parts) if i != k and p]
    return lemma, " ".join(rest)


def _head_of(item: str, synsets: dict[str, list[str]]) -> list[str]:
    """A pattern noun (`AID`, `{HUMANITARIAN AID}`, `&CEASEFIRE`) -> candidate head words (lower case)."""
    item = item.strip("{}")
    words = [w for w in item.replace("_", " ").split() if w]
    if not words:
        return []
    last = words[-1]
    if last.startswith("&"):
        return synsets.get(last.upper(), [])
    if not re.fullmatch(r"[A-Za-z][A-Za-z'-]*", last):
        return []
    return [last.lower()]


_TOKEN = re.compile(r"\{[^}]*\}|\([^)]*\)|\S+")


def _pattern_rows(
    body: str, verbs: list[tuple[str, str]], code: str, synsets: dict[str, list[str]]
) -> Iterator[VerbRow]:
    """`* NOUN (PREP NOUN)` -> rows per verb of the block. Pre-verb parts and actor slots are ignored."""
    if "*" not in body:
        return
    post = body.split("*", 1)[1]
    toks = [t for t in _TOKEN.findall(post) if t not in ("$", "+", "^", "%")]
    obj_heads: list[str] = []
    prep = ""
    pobj_heads: list[str] = [""]
    for t in toks:
        if t.startswith("("):
            inner = t.strip("()").split(None, 1)
            if not inner:
                continue
            prep = inner[0].lower()
            pobj_heads = _head_of(inner[1], synsets) if len(inner) > 1 else [""]
            if not pobj_heads:
                return
            break
        if not obj_heads:
            obj_heads = _head_of(t, synsets)
            if not obj_heads:
                return
        else:
            break  # a second bare word ("OF VIOLAT SOVEREIGNTY"): too loose for the parse; keep the first
    if not obj_heads and not prep:
        return
    for lemma, particle in verbs:
        for o in obj_heads or [""]:
            for po in pobj_heads:
                yield VerbRow(lemma, particle, code, o, prep, po)


def read_verb_file(text: str) -> Iterator[VerbRow]:
    """Rows of a PETRARCH verb dictionary: synsets, `--- BLOCK [code] ---` blocks, verbs, `-` patterns."""
    synsets: dict[str, list[str]] = {}
    current_set: str | None = None
    block_code = "---"
    verbs: list[tuple[str, str]] = []
    for raw in text.splitlines():
        line = _strip_comment(raw)
        if not line.strip():
            continue
        s = line.strip()
        if s.startswith("&"):
            current_set = s.split()[0].upper()
            synsets[current_set] = []
            continue
        if s.startswith("+") and current_set is not None and not verbs:
            heads = _head_of(s[1:].replace("_", " ").strip(), synsets)
            synsets[current_set].extend(heads)
            continue
        if s.startswith("---"):
            current_set = None
            block_code = _code_of(s) or "---"
            verbs = []
            continue
        if s.startswith("~"):
            continue  # transformations: the composition rules in patterns.py do this job
        if s.startswith("-"):
            code = _code_of(s)
            if code is None or not verbs:
                continue
            body = _CODE.split(s[1:], maxsplit=1)[0]
            yield from _pattern_rows(body, verbs, code, synsets)
            continue
        if current_set is not None and not verbs and not s.startswith("-"):
            current_set = None
        # A verb line: WORD [{forms}] [code]
        word = s.split()[0]
        if not re.fullmatch(r"[A-Za-z_+'-]+", word):
            continue
        lemma, particle = _verb_key(word)
        if not lemma:
            continue
        verbs.append((lemma, particle))
        after_forms = re.sub(r"\{[^}]*\}", "", s[len(word) :])
        yield VerbRow(lemma, particle, _code_of(after_forms) or block_code)


def convert_verbs(text: str) -> list[VerbRow]:
    """Deduplicated rows; for one (verb, pattern) the first code in the file wins."""
    seen: dict[tuple[str, str, str, str, str], VerbRow] = {}
    for row in read_verb_file(text):
        key = (row.lemma, row.particle, row.obj, row.prep, row.pobj)
        seen.setdefault(key, row)
    return list(seen.values())


VERBS_HEADER = (
    "# CAMEO verb patterns reduced to dependency-checkable head words.\n"
    "# Converted by eventdesk.events.importer from CAMEO.2.0.txt (Open Event Data Alliance, PETRARCH2, MIT:\n"
    "# see LICENSE.petrarch2). Columns: lemma, particle, cameo code (--- = no event), object head,\n"
    "# preposition, preposition object head. Empty object/preposition = the verb alone.\n"
)
TABLE_HEADER = (
    "# CAMEO code -> PLOVER event, mode, contexts. From CAMEO2PLOVER-2021.txt, PLOVER manual draft 0.8\n"
    "# (Philip Schrodt, 2021), CC BY-SA 4.0: this derived table is shared under the same licence.\n"
    "# Rows 02x (appeals -> REQUEST) are eventdesk's additions. Columns: code, event, mode, contexts, description.\n"
)


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 2:
        print("usage: python -m eventdesk.events.importer SHARED_DATA_DIR OUT_DIR", file=sys.stderr)
        return 2
    src, out = Path(args[0]), Path(args[1])
    table = convert_table((src / "plover" / "CAMEO2PLOVER-2021.txt").read_text("utf-8"))
    lines = [TABLE_HEADER] + ["\t".join(r) + "\n" for r in table]
    (out / "cameo2plover.tsv").write_text("".join(lines), "utf-8")
    verbs = convert_verbs((src / "dictionaries" / "CAMEO.2.0.txt").read_text("latin-1"))
    body = [
        "\t".join((r.lemma, r.particle, r.code, r.obj, r.prep, r.pobj)) + "\n"
        for r in sorted(verbs, key=lambda r: (r.lemma, r.particle, r.obj, r.prep, r.pobj))
    ]
    (out / "cameo_verbs.tsv.gz").write_bytes(gzip.compress((VERBS_HEADER + "".join(body)).encode("utf-8"), mtime=0))
    print(f"{len(table)} CAMEO->PLOVER rows, {len(verbs)} verb rows", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
