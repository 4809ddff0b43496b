"""Cleaning plain-text copies of news pages: page boilerplate out, useful parts kept as metadata.

Owns line classification (navigation, share/subscribe lines, bylines, captions, related-link blocks, tags,
cookie notices, copyright footers, a repeated headline), the wire dateline at the start of the body, and
paragraph reconstruction. It returns the cleaned body (every later offset points into it) plus what it
removed; deciding dates and outlets from those clues belongs to metadata.py.

Removal is zoned, because the same short line means different things in different places: before the first
real paragraph and after the last one, short unlabelled lines are navigation; inside the body they are
subheadings and stay.
"""

from __future__ import annotations

import itertools
import re
import tomllib
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import Any

from eventdesk.model import Dateline

OutletTest = Callable[[str], bool]

# A line is a "real paragraph" (body text) when it reads as prose: enough words and sentence punctuation.
PROSE_MIN_WORDS = 8
PROSE_LONG_WORDS = 40  # headlines and standfirsts run long but never end a sentence; body text nearly always does
# Soft patterns (cookie, subscribe, copyright phrases) apply only to lines up to this many words:
# a long prose paragraph that happens to mention "subscription" is body text. Cookie notices run longer
# than subscribe prompts, so the cookie patterns are narrower and get the larger limit.
SOFT_MAX_WORDS = {"subscribe": 25, "cookie": 60, "copyright": 60}
_SENTENCE_END = re.compile(r"[.!?…。！？][\"'”’»)\]」』]*$|[\"”»」』]$")
_WORD = re.compile(r"\w+", re.UNICODE)

MONTHS = (
    "january|february|march|april|may|june|july|august|september|october|november|december|"
    "jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec"
)
_DL_DATE = rf"(?i:(?:{MONTHS})\.?\s+\d{{1,2}}(?:,?\s+\d{{4}})?|\d{{1,2}}\s+(?:{MONTHS})\.?(?:,?\s+\d{{4}})?)"
# Wire datelines: "MOSCOW, October 19. /TASS/.", "BEIRUT (Reuters) -", "UNITED NATIONS, Oct 19 (AP) —",
# "BEIRUT, Lebanon (AP) —", "GENEVA —", "(Reuters) -". The place must be upper case (wire style) so that a
# sentence beginning "Russia said" is never taken for a dateline. Tried in order; the first match wins.
_PLACE = r"(?P<place>[A-Z][A-Z.'’\-]+(?:\s[A-Z][A-Z.'’\-]+){0,3})"
_REGION = r"(?:,\s*(?P<region>[A-Z][a-z.]+(?:\s[A-Z][a-z.]+){0,2}|[A-Z]{2}))?"
_DATE = rf"(?:,\s*(?P<date>{_DL_DATE}))?"
DATELINES = [
    re.compile(rf"^{_PLACE}{_DATE}\s*[.,]?\s*/(?P<agency>[A-Za-z][\w\- ]{{1,25}})/\.?\s+"),
    re.compile(rf"^(?:{_PLACE}{_REGION}{_DATE}\s*)?\((?P<agency>[A-Z][\w.&\- ]{{1,30}})\)\s*[-–—:]*\s+"),
    re.compile(rf"^{_PLACE}{_REGION}{_DATE}\s*[-–—:]+\s+"),
    re.compile(rf"^{_PLACE},\s*(?P<date>{_DL_DATE})\s*[.:]\s+"),
    # Agency style "Aleppo, SNBA - ...": a title-case place, then the agency's upper-case acronym.
    re.compile(r"^(?P<place>[A-Z][a-z]+(?:\s[A-Z][a-z]+){0,2}),\s*(?P<agency>[A-Z]{2,10})\s*[-–—]+\s*"),
]


@dataclass(slots=True)
class Cleaned:
    """The cleaned body and what was taken out of the page around it."""

    text: str
    title: str | None = None
    url: str | None = None
    source_names: list[str] = field(default_factory=list)
    authors: list[str] = field(default_factory=list)
    dateline: Dateline | None = None
    date_lines: list[str] = field(default_factory=list)
    header_lines: list[str] = field(default_factory=list)  # unlabelled lines above the body (site names...)
    removed: list[tuple[str, str]] = field(default_factory=list)  # (kind, line), for tests and debugging


@dataclass(frozen=True)
class _Rules:
    nav_words: frozenset[str]
    nav_line: re.Pattern[str]
    hard: list[tuple[str, re.Pattern[str]]]
    soft: list[tuple[str, re.Pattern[str]]]
    original_url: re.Pattern[str]
    source_line: re.Pattern[str]
    bylines: list[re.Pattern[str]]
    byline_role: re.Pattern[str]
    wire_footer: re.Pattern[str]
    photo_credit: re.Pattern[str]
    read_more: re.Pattern[str]
    date_prefix: re.Pattern[str]
    comments_start: re.Pattern[str]


def _full(pattern: str | list[str]) -> re.Pattern[str]:
    alts = pattern if isinstance(pattern, list) else [pattern]
    return re.compile("^(?:" + "|".join(f"(?:{p})" for p in alts) + r")\s*$", re.IGNORECASE)


@lru_cache(maxsize=1)
def rules() -> _Rules:
    raw: dict[str, Any] = tomllib.loads(
        resources.files("eventdesk.data").joinpath("boilerplate.toml").read_text("utf-8")
    )
    nav = frozenset(w.lower() for w in raw["nav_words"])
    sep = raw["nav_separators"]
    item = "(?:" + "|".join(re.escape(w) for w in sorted(nav, key=len, reverse=True)) + ")"
    return _Rules(
        nav_words=nav,
        nav_line=re.compile(rf"^{item}(?:{sep}{item})+\s*$", re.IGNORECASE),
        hard=[
            ("reading_time", _full(raw["reading_time"])),
            ("share", _full(raw["share"])),
            ("photo", _full(raw["photo"])),
            ("tags", _full(raw["tags"])),
            ("advert", _full(raw["advert"])),
            ("comments", _full(raw["comments"])),
        ],
        soft=[
            ("subscribe", _full(raw["subscribe"])),
            ("cookie", _full(raw["cookie"])),
            ("copyright", _full(raw["copyright"])),
        ],
        original_url=_full(raw["original_url"]),
        source_line=_full(raw["source_line"]),
        bylines=[_full(p) for p in raw["byline"]],
        byline_role=re.compile(rf"^{raw['byline_role']}\s*$"),
        wire_footer=_full(raw["wire_footer"]),
        photo_credit=re.compile(raw["photo_credit"]),
        read_more=_full(raw["read_more"]),
        date_prefix=re.compile(rf"^{raw['date_prefix']}", re.IGNORECASE),
        comments_start=_full([*raw["comments_start"], raw["comment_author"]]),
    )


_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af]")
CJK_CHARS_PER_WORD = 2  # scripts written without spaces: count about one word per two characters


def words(line: str) -> int:
    """Word count; for Chinese, Japanese and Korean text, which has no spaces, an estimate from characters."""
    cjk = len(_CJK.findall(line))
    return len(_WORD.findall(line)) + (cjk // CJK_CHARS_PER_WORD if cjk else 0)


def is_prose(line: str) -> bool:
    """Reads as body text: a sentence, not a label, link title or heading."""
    n = words(line)
    return n >= PROSE_LONG_WORDS or (n >= PROSE_MIN_WORDS and bool(_SENTENCE_END.search(line)))


def normalise_line(line: str) -> str:
    """Comparable form of a line (repeated-headline check): case-, accent- and punctuation-free."""
    folded = unicodedata.normalize("NFKD", line.casefold())
    return " ".join(_WORD.findall("".join(c for c in folded if not unicodedata.combining(c))))


_DATE_LINE = re.compile(
    rf"""^(?:(?:mon|tues?|wed(?:nes)?|thu(?:rs)?|fri|sat(?:ur)?|sun)(?:day)?\.?,?\s+)?
      (?:{_DL_DATE}|\d{{4}}-\d{{2}}-\d{{2}}|\d{{1,2}}[./-]\d{{1,2}}[./-]\d{{2,4}})
      (?:\s*(?:,|at|-|–|\|)?\s*\d{{1,2}}[:.]\d{{2}}(?:\s*[ap]\.?m\.?)?(?:\s*\(?[A-Z]{{2,5}}(?:[+-]\d{{1,2}})?\)?)?)?
      (?:\s*(?:\||,|-|–|—|\().{{0,80}}|\s+(?:modified|updated|last\ updated|edited)\b.{{0,60}})?$""",
    re.VERBOSE | re.IGNORECASE,
)


_MENU_SPLIT = re.compile(r"\s*(?:\||•|·|»|›|>)\s*")
MENU_MIN_ITEMS = 3
MENU_NAV_SHARE = 0.4  # a menu names some sections in the nav vocabulary; the rest are the site's own


def _menu_line(line: str, r: _Rules) -> bool:
    """ "News | Aleppo | Syria | Reports | About us | Donate": short items between separators, many of them
    section names."""
    items = [i for i in _MENU_SPLIT.split(line) if i]
    if len(items) < MENU_MIN_ITEMS or any(words(i) > 3 for i in items):
        return False
    return sum(i.lower().strip(" .") in r.nav_words for i in items) >= MENU_NAV_SHARE * len(items)


def classify(line: str, title: str | None) -> tuple[str, str | None]:
    """The boilerplate kind of one stripped line (or "" for text) and the value it carries, if any."""
    r = rules()
    low = line.lower().strip(" .:")
    if low in r.nav_words:
        return "nav_word", None
    if r.nav_line.match(line) or _menu_line(line, r):
        return "nav", None
    if m := r.original_url.match(line):
        return "url", m.group(1)
    if title and normalise_line(line) == normalise_line(title):
        return "headline", None
    n = words(line)
    stripped = r.date_prefix.sub("", line).strip()
    if n <= 14 and stripped and _DATE_LINE.match(stripped):
        return "date", stripped
    if n <= 12 and (m := r.source_line.match(line)):
        return "source", m.group(1).strip()
    if m := r.read_more.match(line):
        return "read_more", m.group(1).strip() or None
    for kind, pattern in r.hard:
        if pattern.match(line):
            return kind, None
    if n <= 40 and r.photo_credit.search(line):
        return "photo", None
    if n <= 12 and not _SENTENCE_END.search(line.rstrip(".")):
        for pattern in r.bylines:
            if m := pattern.match(line):
                return "byline", m.group(1)
        if m := r.byline_role.match(line):
            return "byline", m.group(1)
    if n <= 60 and r.wire_footer.match(line):
        return "byline", None
    for kind, pattern in r.soft:
        if n <= SOFT_MAX_WORDS[kind] and pattern.match(line):
            return kind, None
    return "", None


def split_authors(value: str) -> list[str]:
    """ "Jane Doe and John Roe in Beirut" -> ["Jane Doe", "John Roe"]; "SAMIR OKAFOR" -> "Samir Okafor"."""
    value = re.sub(r"\s+(?:in|at)\s+[A-Z][\w-]+(?:\s[A-Z][\w-]+)?", "", value)
    value = re.split(r"\s*[|;]\s*", value)[0]
    out = []
    for part in re.split(r"\s*(?:,|\band\b|&)\s*", value):
        name = part.strip(" .")
        if not name or words(name) > 5 or not name[0].isupper():
            continue
        out.append(name.title() if name.isupper() else name)
    return out


def parse_dateline(paragraph: str) -> tuple[Dateline | None, str]:
    """A wire dateline at the start of the first paragraph -> (dateline, the paragraph without it)."""
    for pattern in DATELINES:
        m = pattern.match(paragraph)
        if not m:
            continue
        rest = paragraph[m.end() :]
        if not rest or not (rest[0].isupper() or rest[0] in "\"“«'‘"):
            continue
        groups = m.groupdict()
        place = groups.get("place")
        where = place.strip(" .,") if place else None
        where = where.title() if where and where.isupper() else where
        if where and groups.get("region"):
            where = f"{where}, {groups['region']}"
        return Dateline(m.group(0).strip(), where, groups.get("date"), groups.get("agency")), rest
    return None, paragraph


_BULLET = re.compile(r"^(?:[-•*·–]|\d+[.)])\s+")
_COLUMN_GAP = re.compile(r"\S(?: {2,}|\t+)\S")


def _paragraphs(text: str) -> list[list[str]]:
    """Blocks of non-blank lines, as separated by blank lines in the source.

    Runs of spaces between items of a short line ("Home   World   Politics") are menu columns: they become
    " | " so that the line reads as navigation once whitespace is collapsed.
    """
    blocks: list[list[str]] = [[]]
    for raw in text.split("\n"):
        if "|" not in raw and len(_COLUMN_GAP.findall(raw)) >= 2 and words(raw) <= 14:
            raw = re.sub(r"(?: {2,}|\t+)", " | ", raw.strip())
        line = " ".join(raw.split())
        if line:
            blocks[-1].append(line)
        elif blocks[-1]:
            blocks.append([])
    return [b for b in blocks if b]


WRAP_MIN_CHARS = 50  # text wrapped for e-mail or terminals runs 60-80 characters a line


def _wrapped(block: list[str]) -> bool:
    """A hard-wrapped paragraph: long lines of similar length, none but the last ending a sentence, none of
    them boilerplate, and together a sentence (a page header block of long menu lines is not)."""
    if len(block) < 2:
        return False
    width = max(len(x) for x in block)
    return (
        width >= WRAP_MIN_CHARS
        and all(len(x) >= 0.6 * width and not _SENTENCE_END.search(x) for x in block[:-1])
        and not any(classify(x, None)[0] for x in block)
        and is_prose(" ".join(block))
    )


# Labelled kinds that belong to a page's header or caption area: a line right after a caption is its credit.
_CAPTION_KINDS = {"photo"}
BODY_LOOKAHEAD = 3  # lines within which a second prose paragraph must follow for the body to have begun


def _body_bounds(lines: list[str], kinds: list[tuple[str, str | None]]) -> tuple[int, int]:
    """(first, last) line of the article body in a pasted page.

    The body begins at the first prose line that another prose line follows closely (a standfirst above
    the byline and date is not the body), extended back over unlabelled sentences that run straight into
    it (a short one-sentence lede); it ends at the last prose line.
    """
    prose = [i for i, (kind, _) in enumerate(kinds) if not kind and is_prose(lines[i])]
    if not prose:
        return 0, len(lines) - 1  # no prose to find the body by (a list, a table): keep every unlabelled line
    first = next((p for p, q in itertools.pairwise(prose) if q - p <= BODY_LOOKAHEAD), prose[0])
    while first > 0 and not kinds[first - 1][0] and _SENTENCE_END.search(lines[first - 1]):
        first -= 1
    # Reader comments are prose too: the body ends before the first line that opens a comment section.
    cut = next((i for i in range(first + 1, len(lines)) if rules().comments_start.match(lines[i])), len(lines))
    before = [p for p in prose if p < cut]
    return first, before[-1] if before else first


def _pick_title(
    lines: list[str], blocks: list[int], kinds: list[tuple[str, str | None]], first: int, is_outlet: OutletTest
) -> int | None:
    """The headline: the first headline-shaped, unlabelled line before the body that is not site furniture
    (the site name and tagline above a menu line in the same block, or a line naming an outlet)."""
    nav_blocks = {blocks[i] for i in range(first) if kinds[i][0] == "nav"}
    for i in range(first):
        line, kind = lines[i], kinds[i][0]
        if kind or not 3 <= words(line) <= 30 or (_SENTENCE_END.search(line.rstrip("\"”»'’")) and is_prose(line)):
            continue
        later_nav = any(kinds[j][0] == "nav" for j in range(i + 1, first) if blocks[j] == blocks[i])
        if (blocks[i] in nav_blocks and later_nav) or is_outlet(line):
            continue
        return i
    return None


def clean(text: str, title: str | None = None, page: bool = True, is_outlet: OutletTest | None = None) -> Cleaned:
    """Raw page text -> Cleaned. `title`, if known (JSONL, HTML), lets a repeated headline be dropped.

    `page=False` for text an extractor already cut from its page (HTML via trafilatura): only labelled
    boilerplate lines go; short unlabelled lines and the first line are kept, as the extractor judged them.
    `is_outlet` tells site-name lines ("SNBA | Syrian National Broadcasting Authority") from headlines and
    authors; without it no line is taken for an outlet name.
    """
    is_outlet = is_outlet or (lambda _line: False)
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u00a0", " ").replace("\ufeff", "")
    out = Cleaned(text="")
    lines: list[str] = []
    blocks: list[int] = []
    for b, block in enumerate(_paragraphs(text)):
        joined = [" ".join(block)] if _wrapped(block) else block
        lines.extend(joined)
        blocks.extend([b] * len(joined))
    kinds = [classify(line, title) for line in lines]
    for i in range(1, len(lines)):  # a credit line under a caption ("Photo: ...\nSNBA")
        if kinds[i - 1][0] in _CAPTION_KINDS and not kinds[i][0] and words(lines[i]) <= 5 and not is_prose(lines[i]):
            kinds[i] = ("photo", None)
    first, last = _body_bounds(lines, kinds) if page else (0, len(lines) - 1)

    if title is None and page and (t := _pick_title(lines, blocks, kinds, first, is_outlet)) is not None:
        title = lines[t]
        kinds = [
            ("headline", None) if not k and normalise_line(x) == normalise_line(lines[t]) else (k, v)
            for (k, v), x in zip(kinds, lines, strict=True)
        ]
        kinds[t] = ("title", None)
    out.title = title

    keep: list[str] = []
    in_related = False
    for i, (line, (kind, value)) in enumerate(zip(lines, kinds, strict=True)):
        outside = i < first or i > last
        if kind == "read_more":
            in_related = not value  # "Read more: <title>" is one line; "Related" heads a block
            out.removed.append((kind, line))
            continue
        if in_related and not kind:
            if is_prose(line) and not _BULLET.match(line):  # a bulleted link title stays in the block
                in_related = False
            else:
                out.removed.append(("read_more", line))
                continue
        if kind == "nav_word" and not outside and words(line) > 1:
            kind = ""  # "Middle East" as a subheading inside the body stays
        if kind == "date" and not outside and i > 1:
            kind = ""  # a date inside the body is content ("June 9 – Tampa, FL", a timeline), not page metadata
        if page and not kind and outside:
            # Around the body, unlabelled lines are site names, taglines, standfirsts and link titles.
            kind = "site" if is_outlet(line) else "nav" if words(line) <= 6 else "standfirst" if i < first else "footer"
            if kind == "site" or i < first:
                out.header_lines.append(line)
        if kind:
            _keep_metadata(out, kind, value, is_outlet)
            if kind != "title":
                out.removed.append((kind, line))
            continue
        keep.append(line)

    # One paragraph per kept line (in pasted pages, lines of an unwrapped block are separate paragraphs).
    if keep:
        dateline, rest = parse_dateline(keep[0])
        if dateline:
            out.dateline = dateline
            keep[0] = rest
    out.text = "\n\n".join(p for p in keep if p.strip())
    return out


def _keep_metadata(out: Cleaned, kind: str, value: str | None, is_outlet: OutletTest) -> None:
    if not value:
        return
    if kind == "url" and out.url is None:
        out.url = value
    elif kind == "source":
        out.source_names.append(value)
    elif kind == "byline":
        out.authors.extend(a for a in split_authors(value) if a not in out.authors and not is_outlet(a))
    elif kind == "date":
        out.date_lines.append(value)
