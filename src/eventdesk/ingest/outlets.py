"""The outlet registry: which news outlet a name, a URL or a source line refers to.

Owns reading `data/outlets.csv` (and user CSVs with the same header), validating every row, and three
lookups: by name (any variant), by domain (URL or host) and within a short line of text ("Source: Reuters").
It must not guess: an unknown name or host gives `None`. It holds no knowledge itself; the outlets, their
countries and ownership live in the CSV (see data/README-outlets.md).
"""

from __future__ import annotations

import csv
import os
import re
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from importlib import resources
from pathlib import Path
from urllib.parse import urlsplit

COLUMNS = ("name", "variants", "domains", "country", "ownership", "kind", "notes")
OWNERSHIP = frozenset({"state_controlled", "public_broadcaster", "private", "cooperative", "nonprofit", "party"})
KINDS = frozenset({"wire_agency", "newspaper", "broadcaster", "online", "magazine"})
# User-assigned ISO 3166-1 codes in common use but absent from pycountry (XKX: Kosovo, as used by the EU/IMF).
EXTRA_COUNTRY_CODES = frozenset({"XKX"})
ENV_VAR = "EVENTDESK_OUTLETS"
# Host prefixes that name a rendering of the same site, not a different outlet.
_HOST_PREFIXES = ("www.", "m.", "amp.", "mobile.")
_DOMAIN_RE = re.compile(r"^(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+[a-z0-9-]{2,}$")
# A token is a run of letters/digits, "&" (read as "and"), or one CJK/kana character (scripts without spaces).
_TOKEN_RE = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff]|[^\W_\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff]+|&")
# Between the words of one name in running text: spaces, hyphens, dots, apostrophes ("Al-Jazeera", "A.P.").
_JOINER_RE = re.compile(r"[\s\-.'’‐‑–]*")
# Short words that running text writes in either case ("the Guardian", "al-Jazeera", "le Monde").
_FUNCTION_WORDS = frozenset(
    {"the", "a", "an", "of", "and", "for", "de", "du", "des", "la", "le", "les", "el", "al", "der", "die"}
    | {"das", "il", "di", "del", "da", "do", "dos", "e", "y"}
)


@dataclass(frozen=True, slots=True)
class Outlet:
    name: str
    variants: tuple[str, ...]
    domains: tuple[str, ...]
    country: str | None
    ownership: str | None
    kind: str | None
    notes: str = ""


class OutletFileError(ValueError):
    """A user or packaged outlet CSV that cannot be used; names the file and, when known, the line."""

    def __init__(self, path: Path | str, line: int | None, reason: str) -> None:
        self.path = str(path)
        self.line = line
        self.reason = reason
        where = f"{path}, line {line}" if line is not None else str(path)
        super().__init__(f"outlet file {where}: {reason}")


def _strip_accents(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _tokens(text: str) -> list[str]:
    return ["and" if t == "&" else t for t in _TOKEN_RE.findall(_strip_accents(text))]


def name_key(name: str) -> str:
    """The lookup form of a name: case, accents and punctuation dropped; "U.S." == "US"; "&" == "and"."""
    merged: list[str] = []
    run = ""  # consecutive single letters are an abbreviation written with dots or spaces ("A.F.P.")
    for tok in _tokens(name.casefold()):
        if len(tok) == 1 and tok.isalpha() and not _is_cjk(tok):
            run += tok
            continue
        if run:
            merged.append(run)
            run = ""
        merged.append(tok)
    if run:
        merged.append(run)
    return " ".join(merged)


def _is_cjk(ch: str) -> bool:
    return "\u3040" <= ch <= "\u30ff" or "\u3400" <= ch <= "\u4dbf" or "\u4e00" <= ch <= "\u9fff"


def host_of(url_or_host: str) -> str | None:
    """The bare host of a URL or host string, lower-case, without port, trailing dot or www./m./amp."""
    s = url_or_host.strip()
    if not s:
        return None
    if "://" not in s:
        s = "//" + s  # lets urlsplit read "cnn.com/world" and "cnn.com:443" as a host
    try:
        host = urlsplit(s).hostname
    except ValueError:
        return None
    if not host:
        return None
    host = _ascii_host(host.rstrip(".").lower())
    stripped = True
    while stripped:
        stripped = False
        for prefix in _HOST_PREFIXES:
            if host.startswith(prefix) and host.count(".") > 1:
                host = host[len(prefix) :]
                stripped = True
    return host or None


def _ascii_host(host: str) -> str:
    """Internationalised host names in their ASCII (punycode) form, as the CSV stores them."""
    if host.isascii():
        return host
    try:
        return host.encode("idna").decode("ascii")
    except UnicodeError:
        return host


@dataclass(frozen=True, slots=True)
class _TextKey:
    words: tuple[str, ...]  # as written in the CSV (accents stripped), matched with the case rules below
    length: int  # characters of the name: the longest name found in a line wins
    outlet: Outlet


def _word_matches(written: str, seen: str) -> bool:
    """Case rules for running text: exact, or all-caps ("REUTERS"), or a function word in any case."""
    if seen == written:
        return True
    folded = seen.casefold()
    if folded != written.casefold():
        return False
    return seen.isupper() or folded in _FUNCTION_WORDS


class OutletRegistry:
    """All known outlets with three indexes (name key, domain, first word of each name) built once."""

    def __init__(self, outlets: Sequence[Outlet], priority: Sequence[int] | None = None) -> None:
        """Index `outlets`. Where two outlets claim the same variant or domain, the one with the higher
        `priority` (by default: the earlier one) gets it; `load` gives rows of later files higher priority.
        """
        self._outlets: tuple[Outlet, ...] = tuple(outlets)
        ranks = list(priority) if priority is not None else [0] * len(self._outlets)
        if len(ranks) != len(self._outlets):
            raise ValueError("priority must give one rank per outlet")
        order = sorted(range(len(self._outlets)), key=lambda i: (-ranks[i], i))
        ranked = [self._outlets[i] for i in order]
        self._by_name: dict[str, Outlet] = {}
        self._by_domain: dict[str, Outlet] = {}
        self._by_first_word: dict[str, list[_TextKey]] = {}
        # Names first, so that a variant of one outlet never shadows another outlet's own name.
        for outlet in ranked:
            self._by_name.setdefault(name_key(outlet.name), outlet)
        for outlet in ranked:
            for variant in outlet.variants:
                self._by_name.setdefault(name_key(variant), outlet)
        # "The Guardian" is also looked up as "Guardian" unless that is some outlet's own name or variant.
        for outlet in ranked:
            for label in (outlet.name, *outlet.variants):
                key = name_key(label)
                if key.startswith("the "):
                    self._by_name.setdefault(key[4:], outlet)
        for outlet in ranked:
            for domain in outlet.domains:
                self._by_domain.setdefault(domain, outlet)
            # Within one first word, higher-priority names come first and win ties of length.
            for label in (outlet.name, *outlet.variants):
                words = tuple(_tokens(label))
                if words:
                    entry = _TextKey(words=words, length=len(label), outlet=outlet)
                    self._by_first_word.setdefault(words[0].casefold(), []).append(entry)

    @classmethod
    def load(cls, extra: Sequence[Path] = ()) -> OutletRegistry:
        """The packaged outlets, then the files in $EVENTDESK_OUTLETS, then `extra`.

        A later row with the same name (compared as `name_key`) updates the earlier outlet: its non-empty
        cells replace the earlier values, its empty cells keep them. Other rows add outlets.
        Raises OutletFileError (a ValueError) naming the file and line of the first bad row.
        """
        env = os.environ.get(ENV_VAR, "")
        user_files = [Path(p) for p in env.split(os.pathsep) if p.strip()] + [Path(p) for p in extra]
        merged: dict[str, Outlet] = {name_key(o.name): o for o in _packaged()}
        rank: dict[str, int] = dict.fromkeys(merged, 0)
        for n, path in enumerate(user_files, start=1):
            for outlet in read_csv(path):
                key = name_key(outlet.name)
                earlier = merged.get(key)
                merged[key] = _update(earlier, outlet) if earlier else outlet
                rank[key] = n
        return cls(list(merged.values()), [rank[k] for k in merged])

    def by_name(self, name: str) -> Outlet | None:
        """The outlet with this name or variant, ignoring case, accents and punctuation."""
        key = name_key(name)
        return self._by_name.get(key) if key else None

    def by_domain(self, url_or_host: str) -> Outlet | None:
        """The outlet serving this URL or host; subdomains match their parent (edition.cnn.com -> CNN).

        Labels are dropped from the left only, so a match is always at a dot boundary (notcnn.com is not
        cnn.com), and the most specific registered domain wins (economictimes.indiatimes.com).
        """
        host = host_of(url_or_host)
        if host is None:
            return None
        labels = host.split(".")
        for i in range(len(labels) - 1):
            outlet = self._by_domain.get(".".join(labels[i:]))
            if outlet is not None:
                return outlet
        return None

    def find_in_text(self, text: str) -> Outlet | None:
        """The outlet named in a short line ("Source: Reuters", "(AP) —"), or None.

        Whole words only; the longest name found wins ("Associated Press of Pakistan" over "Associated
        Press"). Case matters except in all-caps text and for short function words, so "the sun rose"
        does not name The Sun. Meant for source lines and bylines: a capitalised common word that is
        an outlet's name ("Dawn", "Time") at the start of a body sentence would be read as the outlet.
        """
        stripped = _strip_accents(text)
        found = [(m.start(), m.group()) for m in _TOKEN_RE.finditer(stripped)]
        best: _TextKey | None = None
        for i, (_, tok) in enumerate(found):
            seen_tok = "and" if tok == "&" else tok
            for entry in self._by_first_word.get(seen_tok.casefold(), ()):
                if best is not None and entry.length <= best.length:
                    continue
                if self._matches_at(entry.words, found, i, stripped):
                    best = entry
        return best.outlet if best else None

    @staticmethod
    def _matches_at(words: tuple[str, ...], found: list[tuple[int, str]], i: int, text: str) -> bool:
        if i + len(words) > len(found):
            return False
        for j, written in enumerate(words):
            start, seen = found[i + j]
            if seen == "&":
                seen = "and"
            if not _word_matches(written, seen):
                return False
            if j and not _JOINER_RE.fullmatch(text[found[i + j - 1][0] + len(found[i + j - 1][1]) : start]):
                return False  # "Mail; Guardian" is two names, not "Mail & Guardian"
        return True

    def __len__(self) -> int:
        return len(self._outlets)

    def __iter__(self) -> Iterator[Outlet]:
        return iter(self._outlets)


def _update(earlier: Outlet, later: Outlet) -> Outlet:
    variants = tuple(dict.fromkeys((*earlier.variants, *later.variants)))
    domains = tuple(dict.fromkeys((*earlier.domains, *later.domains)))
    return replace(
        earlier,
        name=later.name,
        variants=variants,
        domains=domains,
        country=later.country or earlier.country,
        ownership=later.ownership or earlier.ownership,
        kind=later.kind or earlier.kind,
        notes=later.notes or earlier.notes,
    )


@lru_cache(maxsize=1)
def _packaged() -> tuple[Outlet, ...]:
    source = resources.files("eventdesk").joinpath("data", "outlets.csv")
    with resources.as_file(source) as path:
        return tuple(read_csv(path))


def read_csv(path: Path) -> list[Outlet]:
    """Read and validate one outlet CSV (header: name,variants,domains,country,ownership,kind,notes).

    Only `name` is required; other columns may be missing or empty. Raises OutletFileError on the first
    bad row, naming the file and line.
    """
    try:
        with open(path, encoding="utf-8-sig", newline="") as fh:
            return _read_rows(path, fh)
    except OSError as exc:
        raise OutletFileError(path, None, f"cannot read the file ({exc.strerror or exc})") from exc
    except UnicodeDecodeError as exc:
        raise OutletFileError(path, None, "not UTF-8 text: save the CSV as UTF-8") from exc
    except csv.Error as exc:
        raise OutletFileError(path, None, f"malformed CSV ({exc})") from exc


def _read_rows(path: Path, fh: Iterable[str]) -> list[Outlet]:
    reader = csv.DictReader(fh)
    header = [h.strip() for h in (reader.fieldnames or [])]
    if "name" not in header:
        raise OutletFileError(path, 1, f"the header has no `name` column (expected: {','.join(COLUMNS)})")
    unknown = [h for h in header if h not in COLUMNS]
    if unknown:
        raise OutletFileError(path, 1, f"unknown column(s) {', '.join(unknown)} (allowed: {','.join(COLUMNS)})")
    reader.fieldnames = header
    outlets: list[Outlet] = []
    seen: dict[str, int] = {}
    for row in reader:
        line = reader.line_num
        if not any((v or "").strip() for k, v in row.items() if k is not None):
            continue  # a blank line
        if None in row or any(v is None for v in row.values()):
            raise OutletFileError(path, line, f"expected {len(header)} fields: quote cells that contain commas")
        outlet = _outlet_from_row(path, line, row)
        key = name_key(outlet.name)
        if key in seen:
            raise OutletFileError(path, line, f"name {outlet.name!r} repeats line {seen[key]}")
        seen[key] = line
        outlets.append(outlet)
    return outlets


def _split(cell: str | None) -> tuple[str, ...]:
    return tuple(dict.fromkeys(p.strip() for p in (cell or "").split("|") if p.strip()))


def _outlet_from_row(path: Path, line: int, row: dict[str, str]) -> Outlet:
    def cell(col: str) -> str:
        return (row.get(col) or "").strip()

    name = cell("name")
    if not name or not name_key(name):
        raise OutletFileError(path, line, "the `name` cell is empty")
    ownership = cell("ownership") or None
    if ownership is not None and ownership not in OWNERSHIP:
        raise OutletFileError(path, line, f"ownership {ownership!r} is not one of {', '.join(sorted(OWNERSHIP))}")
    kind = cell("kind") or None
    if kind is not None and kind not in KINDS:
        raise OutletFileError(path, line, f"kind {kind!r} is not one of {', '.join(sorted(KINDS))}")
    country = cell("country").upper() or None
    if country is not None and not _is_country(country):
        raise OutletFileError(path, line, f"country {country!r} is not an ISO 3166-1 alpha-3 code")
    domains: list[str] = []
    for raw in _split(row.get("domains")):
        domain = _ascii_host(raw.lower().rstrip("."))
        if domain.startswith("www."):
            domain = domain[4:]
        if not _DOMAIN_RE.match(domain):
            raise OutletFileError(path, line, f"domain {raw!r} is not a host name (no scheme, path or spaces)")
        domains.append(domain)
    variants = tuple(v for v in _split(row.get("variants")) if name_key(v) and v != name)
    return Outlet(
        name=name,
        variants=variants,
        domains=tuple(dict.fromkeys(domains)),
        country=country,
        ownership=ownership,
        kind=kind,
        notes=cell("notes"),
    )


@lru_cache(maxsize=512)
def _is_country(code: str) -> bool:
    import pycountry

    return len(code) == 3 and (code in EXTRA_COUNTRY_CODES or pycountry.countries.get(alpha_3=code) is not None)
