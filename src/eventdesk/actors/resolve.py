"""Mention resolution: one actor mention (+ optional context and date) -> name, country, sector, sector2.

Owns the rules that combine knowledge-base hits: titles and appositions ("Russian Deputy Foreign Minister
Sergei Ryabkov"), head nouns and the organisation they belong to ("a spokesman for the Syrian opposition"),
modifiers ("former" -> ELI, "opposition" -> sector2 OPP), portfolios ("Minister of Trade and Industry" -> GOV
BUS), capital metonymy ("Moscow" -> RUS GOV), surnames of people in office at the article's date (undated, of
people who held the title in front of them), respellings of known names (transliteration skeletons, one-edit
misspelt country words), a title just after its holder's term ("Minister X" weeks later), buildings named after
someone ("the al-Amal hospital" is nobody's), a body then an unknown person ("UN, Harriet Cole" is the person only),
and the context's country as a last resort. It never raises on a mention: what it cannot resolve comes back as
nulls with confidence 0. It reads only the KnowledgeBase; no I/O.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, Any, Literal

from eventdesk.actors.kb import (
    INFERRED_ELITE,
    MAX_PHRASE_TOKENS,
    MIN_SKELETON_CHARS,
    SKELETON_ARTICLES,
    STALE_OPEN_POST,
    UNDATED_OFFICE,
    Code,
    Entry,
    Period,
    Role,
    Table,
    Token,
    common_words,
    fold,
    phrase_key,
    skeleton,
    tokens,
)

if TYPE_CHECKING:
    from eventdesk.actors.kb import KnowledgeBase

# Longer "mentions" are broken input (a paragraph, a file): resolved to nulls, never guessed from.
MAX_MENTION_CHARS = 300
# Only so much context is read for a country (a sentence or two, not an article).
MAX_CONTEXT_CHARS = 1000

# Prepositions that end the head noun phrase ("ambassador | to Poland", "president | of the Council").
PREPOSITIONS = {
    "of",
    "to",
    "for",
    "in",
    "at",
    "from",
    "with",
    "on",
    "against",
    "across",
    "by",
    "near",
    "inside",
    "within",
    "among",
    "over",
    "under",
    "into",
    "outside",
    "between",
    "via",
}
# After these, a country still says whose actor it is; after "to", "against", "with" it is the other party.
OWN_PREPOSITIONS = {"of", "for", "in", "at", "from", "across", "inside", "within", "by", "among"}

# Of those, the ones that only say where ("police in Lyon" may be anyone's police in Lyon): a town or
# region after them gives no country; a country after them still does ("police in France").
WHERE_PREPOSITIONS = {"in", "at", "across", "inside", "within", "among"}

# Group codes a person's office may carry instead of a home country (a surname alone does not say which).
_GROUP_CODES = {"UNO", "IGO", "EUR", "NGO", "IMG", "MNC"}

# Courtesy titles: neither part of a name nor a role ("Mr Putin" is Putin).
COURTESY = {"mr", "mrs", "ms", "miss", "dr", "prof", "mme", "mlle", "messrs", "m"}

BACKED = {"backed", "supported", "sponsored", "funded", "allied", "aligned", "trained", "armed", "controlled"}

# Words for buildings and places that are often named after a person, a group or a word ("al-Amal hospital",
# "King Faisal hospital", "Nasser street"): the name in front of them is the building's, not its owner.
NAMED_BUILDINGS = {
    "hospital",
    "clinic",
    "school",
    "mosque",
    "church",
    "cathedral",
    "temple",
    "synagogue",
    "shrine",
    "street",
    "road",
    "avenue",
    "square",
    "bridge",
    "stadium",
    "museum",
    "library",
    "hotel",
    "airport",
}
_LEADING_ARTICLES = {"the", "a", "an"}

_SEGMENT_SPLIT = re.compile(r"\s*[,;()\[\]]\s*|\s+[-–—]\s+")

MatchKind = Literal["user", "curated", "entity", "place", "role", "city"]


@dataclass(frozen=True, slots=True)
class Resolution:
    """The answer for one mention. `source` names the knowledge entries and rules that decided it."""

    mention: str
    name: str | None = None
    country: str | None = None
    sector: str | None = None
    sector2: str | None = None
    confidence: float = 0.0
    source: str | None = None
    # What decided it, for the annotator (not in the output contract):
    # named | role | capital | country | demonym | city | place.
    basis: str | None = field(default=None, compare=False)

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d.pop("basis")
        return d

    @property
    def resolved(self) -> bool:
        return self.country is not None or self.sector is not None


@dataclass(slots=True)
class Match:
    start: int  # token indexes [start, end)
    end: int
    kind: MatchKind
    ids: list[int] = field(default_factory=list)
    role: Role | None = None
    respelt: bool = False  # matched by transliteration skeleton or as a one-edit misspelling


@dataclass(slots=True)
class _Segment:
    """What one comma-separated part of a mention says."""

    name: str | None = None
    country: str | None = None
    sector: str | None = None
    sector2: str | None = None
    named: bool = False  # decided by a named knowledge entry (person, organisation)
    has_role: bool = False
    basis: str | None = None
    confidence: float = 0.0
    sources: list[str] = field(default_factory=list)
    body: bool = False  # the whole part is one named organisation, with no role word ("the UN")
    unknown_person: bool = False  # the whole part is a full name the knowledge does not know ("Harriet Cole")


# ---------------------------------------------------------------------------------------------------------
# Matching


def scan(kb: KnowledgeBase, toks: list[Token], case_free: bool, names: bool = True) -> list[Match]:
    """Longest matches left to right over the name, place and role tables (dictionary hits per n-gram).

    Unless `case_free` (an all-lower or all-upper mention), a name or place must contain a capitalised
    token: "us" and "he" in running text are not the USA or a person.
    """
    norms = [t.norm for t in toks]
    n = len(norms)
    out: list[Match] = []
    i = 0
    # On equal length the earlier table wins: a country name beats an armed group's alias of it.
    tables: list[tuple[MatchKind, Table]] = [
        ("user", kb.user_names),
        ("curated", kb.curated),
        ("place", kb.places),
        ("entity", kb.names),
    ]
    if not names:
        tables = [("curated", kb.curated), ("place", kb.places)]
    while i < n:
        best: Match | None = None
        for kind, table in tables:
            for length in range(min(table.max_len, n - i), 0, -1):
                ids = table.index.get(" ".join(norms[i : i + length]))
                if ids is None:
                    continue
                if not case_free and not any(t.capitalised for t in toks[i : i + length]):
                    continue
                if case_free and length == 1 and len(norms[i]) <= 3 and not toks[i].text.isupper():
                    continue  # "car", "us", "who" in a lower-case mention are words, not CAR, USA, WHO
                if length == 1 and norms[i] in kb.acronyms and toks[i].text[1:].islower():
                    continue  # "Doe", "Pan" are words or names, not DOE, PAN
                if length == 1 and not toks[i].capitalised and _generic_lower_word(kb, kind, ids, norms[i]):
                    continue  # "ten times the price", "the states that arm them": words, not The Times, USA
                if not names and kind == "curated" and kb.entries[ids[0]].kind in ("person", "org"):
                    continue
                if best is None or length > best.end - best.start:
                    mkind: MatchKind = kind
                    if kind == "curated":
                        mkind = "entity" if kb.entries[ids[0]].kind in ("person", "org") else "place"
                    best = Match(i, i + length, mkind, list(ids))
                break
        for length in range(min(kb.roles_max_len, n - i), 0, -1):
            role = kb.roles.get(" ".join(norms[i : i + length]))
            if role is None:
                continue
            if "pronoun" in role.flags and n > 1:
                break  # "He Zhihua": a pronoun only when it is the whole mention
            if length > 1 and norms[i + length - 1] in PREPOSITIONS:
                length -= 1  # "ambassador to": the preposition starts the complement, it is not the title's
            strong = bool(role.flags & {"determiner", "pronoun"})
            if best is None or length > best.end - best.start or (length == best.end - best.start and strong):
                best = Match(i, i + length, "role", role=role)
            break
        if best is None:
            for length in range(min(kb.cities.max_len, n - i), 0, -1):
                ids = kb.cities.index.get(" ".join(norms[i : i + length]))
                if ids is not None and all(t.capitalised for t in toks[i : i + length]):
                    best = Match(i, i + length, "city", list(ids))
                    break
        if best is None or (best.kind != "role" and best.end - best.start == 1):
            # A respelt longer name beats a one-word hit inside it ("Mohamed ibn Salman": not "Mohamed").
            # After a title, a courtesy word or a free capitalised word (a given name) the word is a surname:
            # it is respelt only into a person ("Minister Molano" is not Milano, Italy).
            prev = out[-1] if out and out[-1].end == i else None
            person_like = i > 0 and (
                (
                    prev is not None
                    and prev.kind == "role"
                    and prev.role is not None
                    and not prev.role.flags & _NOT_TITLE
                )
                or toks[i - 1].norm in COURTESY
                or (prev is None and toks[i - 1].capitalised and toks[i - 1].norm not in PREPOSITIONS)
            )
            respelt = _respelt(kb, toks, i, case_free, names, 1 if best is None else 2, person_like)
            best = respelt or best
        if best is None:
            i += 1
            continue
        out.append(best)
        i = best.end

    # A city or a person's name inside a longer capitalised name ("Jam Kamal Khan", "Feliciano Valencia",
    # "Nawaf Al-Ahmad Al-Jaber Al-Sabah") is not that place or person: only a whole name counts.
    def weak(m: Match) -> bool:
        kinds = {kb.entries[i].kind for i in m.ids}
        return m.kind == "city" or (m.kind in ("place", "entity") and bool(kinds & {"person", "place", "city"}))

    covered = {k for m in out if not weak(m) for k in range(m.start, m.end)}

    def free_cap(k: int) -> bool:
        return (
            0 <= k < n
            and k not in covered
            and toks[k].capitalised
            and toks[k].norm not in PREPOSITIONS
            and toks[k].norm not in COURTESY
        )

    return [m for m in out if not (weak(m) and not case_free and (free_cap(m.start - 1) or free_cap(m.end)))]


def _generic_lower_word(kb: KnowledgeBase, kind: MatchKind, ids: list[int], norm: str) -> bool:
    """A lower-case common English word (or a role word) matched as a one-word name: it names an organisation,
    a capital or a country only when written as a name. Country names and demonyms written in lower case
    ("russian officials") still count unless they are role words too ("states"); the user's own entries
    always count."""
    if kind == "user":
        return False
    role_word = norm in kb.roles or norm.rstrip("s") in kb.roles
    if kb.entries[ids[0]].kind in ("country", "demonym") and not role_word:
        return False
    return role_word or norm in common_words()


# Role words that do not stand before a name as its title ("the", "his", "former" are not titles).
_NOT_TITLE = frozenset({"determiner", "pronoun", "former"})
_PLACE_ENTRY_KINDS = frozenset({"country", "capital", "city", "demonym", "place"})

# Lower-case words inside Arabic names: articles, "son/daughter of", "and".
_LOWER_NAME_WORDS = SKELETON_ARTICLES | {"bin", "ibn", "bint", "ben", "wa"}


def _respelt(
    kb: KnowledgeBase,
    toks: list[Token],
    i: int,
    case_free: bool,
    names: bool,
    min_len: int,
    person_like: bool = False,
) -> Match | None:
    """A name matched by its transliteration skeleton, or a country word one edit away, at token `i` (only
    where no spelling matched: a last resort before moving on). Every token of the phrase must be capitalised
    (an article excepted) unless the mention is case-free; a skeleton must be one country's only. Phrases
    shorter than `min_len` tokens are not tried.

    A person's name is respelt only into a transliteration variant of the same name (`surname_variant`:
    "John Banda" is not "John Bande"); a `person_like` word (after a title, a courtesy word or a given name)
    only into a person, and a single word never into a place: an unknown surname is likelier than a
    misspelt place ("Molano" is not Milano, Italy; one-edit country words are corrected below)."""
    n = len(toks)
    longest = 0
    # A respelling is of a name: its words are written as names (capitalised, or in an all-capitals
    # mention), never lower-case words ("countries" is not "Contras", "several young men" not "Aung Min").
    while i + longest < n and (
        (case_free and toks[i + longest].text.isupper())
        or toks[i + longest].capitalised
        or toks[i + longest].norm in _LOWER_NAME_WORDS
    ):
        longest += 1
    if longest < min_len or (toks[i].norm in SKELETON_ARTICLES and longest == 1):
        return None
    index = kb.skeleton_index()
    common = common_words()
    for length in range(min(longest, MAX_PHRASE_TOKENS), min_len - 1, -1):
        norms = [t.norm for t in toks[i : i + length]]
        if length == 1 and norms[0] in common:
            continue  # a correctly spelt English word is that word ("Guarantees" is not "Greece")
        sk = skeleton(norms)
        ids = index.get(sk) if len(sk) >= MIN_SKELETON_CHARS else None
        if ids and not kb.respelling_fits(sk, norms):
            continue  # "Umm Yasser" and "Amos Sawyer" share a skeleton, not their words' first letters
        if ids:
            kinds = {kb.entries[k].kind for k in ids}
            if not names and kinds & {"person", "org"}:
                continue
            if (person_like and kinds != {"person"}) or (length == 1 and kinds & _PLACE_ENTRY_KINDS):
                continue
            if "person" in kinds and not kb.person_respelling_fits(sk, norms):
                continue
            kind: MatchKind = "entity" if kinds & {"person", "org"} else "place"
            return Match(i, i + length, kind, list(ids), respelt=True)
    if person_like:
        return None  # a surname is not a misspelt country
    idx = kb.misspelt_country_word(toks[i].norm) if min_len == 1 and toks[i].norm not in common else None
    if idx is not None:
        return Match(i, i + 1, "place", [idx], respelt=True)
    return None


def choose_entry(kb: KnowledgeBase, m: Match, context_countries: list[str], when: dt.date | None) -> int:
    """Among homonymous entries, the one whose country the context names; else the first (file order)."""
    if len(m.ids) > 1 and context_countries:
        for cc in context_countries:
            for idx in m.ids:
                code, _ = kb.entries[idx].code_at(when)
                if code is not None and code.country == cc:
                    return idx
    return m.ids[0]


# How far from a listed term a surname alone still points at its holder (news of the months around it).
SURNAME_SLACK = dt.timedelta(days=365)
# The converted PETRARCH dictionaries' last dates are of early 2015: an office they saw running is known to
# have run until then, not later.
CONVERTED_KNOWN_UNTIL = dt.date(2015, 6, 30)
# How soon after a listed term ends a title in the mention still names that office ("Minister X" in an article
# of the following weeks reports what the minister did): end dates known only to the month, and news published
# after the events it reports, make the title better evidence than the former-official (ELI) default.
RECENT_TITLE = dt.timedelta(days=120)


# Titles of the offices people.tsv names by code.
POST_TITLES = {
    "HOS": ("president", "head of state", "king", "queen", "emir", "sultan", "monarch"),
    "HOG": ("prime minister", "premier", "chancellor", "head of government"),
    "VP": ("vice president",),
    "FM": ("foreign minister", "foreign secretary", "secretary of state", "minister of foreign affairs"),
    "DM": ("defense minister", "defence minister", "defense secretary", "defence secretary", "secretary of defense"),
}
# Head-of-government titles of some countries only: Britain's chancellor is of the exchequer.
_TITLE_COUNTRIES = {"chancellor": {"DEU", "AUT"}}
# Words that make a title another office: a "Secretary" is not a "Deputy Secretary".
_LESSER = {"vice", "deputy", "assistant", "under", "lieutenant", "first"}


def _title_fits(title: str, post: str, country: str | None = None) -> bool:
    """Whether a title in the text ("secretary", "foreign minister") names an office of a people.tsv post
    ("FM", "deputy secretary of defense"): its words run on in the post's name, not after a lesser rank."""
    if title in _TITLE_COUNTRIES and post in POST_TITLES and country not in _TITLE_COUNTRIES[title]:
        return False
    want = title.split()
    for name in POST_TITLES.get(post.split(" (")[0], (phrase_key(post),)):
        words = name.split()
        for k in range(len(words) - len(want) + 1):
            if words[k : k + len(want)] == want and not (k > 0 and words[k - 1] in _LESSER):
                return True
    return False


def _term_just_ended(entity: Entry | None, code: Code | None, head: Role, when: dt.date | None) -> Period | None:
    """The listed term of `entity` that ended within `RECENT_TITLE` before `when`, when the person is now a
    former official (ELI) and the title in the mention (`head`) is of that term's sector; else None."""
    if entity is None or code is None or when is None or entity.kind != "person" or code.sector != "ELI":
        return None
    if head.sector in (None, "ELI", "UNK", "CVL"):
        return None
    for p in entity.periods:
        if p.end is not None and p.end < when <= p.end + RECENT_TITLE and p.code.sector == head.sector:
            return p
    return None


def _in_office_around(entry: Entry, when: dt.date) -> bool:
    """Whether a person held one of their listed offices within `SURNAME_SLACK` of `when`.

    Only what is known counts: a term with no start is known at its end only, an open-ended term of the
    converted dictionaries runs until their snapshot, a period open at both ends says nothing.
    """
    if entry.kind != "person":
        return False
    for p in entry.periods:
        start = p.start or p.end
        end = p.end
        if (end is None and entry.source.startswith("Phoenix.")) or p.post == STALE_OPEN_POST:
            end = CONVERTED_KNOWN_UNTIL if end is None else min(end, CONVERTED_KNOWN_UNTIL)
        if start is None and end is None:
            continue
        if (start is None or start - SURNAME_SLACK <= when) and (end is None or when <= end + SURNAME_SLACK):
            return True
    return False


# ---------------------------------------------------------------------------------------------------------
# Rules


def _analyse_segment(
    kb: KnowledgeBase, text: str, context_countries: list[str], when: dt.date | None, case_free: bool
) -> _Segment:
    toks = tokens(text)
    seg = _Segment()
    if not toks:
        return seg
    matches = scan(kb, toks, case_free)
    first_place = next((m for m in matches if m.kind == "place"), None)
    first_named = next((m for m in matches if m.kind == "entity"), None)
    if first_place and first_named and first_place.start < first_named.start:
        # "Chile's Defense Department": the named country says whose department it is; a dictionary entry
        # for another country's department of the same name is not this actor.
        place_code = kb.entries[first_place.ids[0]].default
        named_code, _ = kb.entries[first_named.ids[0]].code_at(when)
        if place_code and named_code and named_code.country and named_code.country != place_code.country:
            matches = scan(kb, toks, case_free, names=False)
    # "the al-Amal hospital", "King Faisal hospital": a name in front of a building's word names the building
    # after someone or something; the building is not theirs, and the name says nothing about its country.
    # Country names, capitals, towns and demonyms still say where ("a Kabul hospital"); a dictionary's
    # province alias ("Nasser", EGY) does not.
    matches = [
        m
        for m in matches
        if not (
            (m.kind == "entity" or (m.kind == "place" and kb.entries[m.ids[0]].kind == "place"))
            and m.end < len(toks)
            and toks[m.end].norm in NAMED_BUILDINGS
            and all(toks[k].norm in _LEADING_ARTICLES or toks[k].norm in SKELETON_ARTICLES for k in range(m.start))
        )
    ]
    covered = {k for m in matches for k in range(m.start, m.end)}
    # The head phrase ends at the first free preposition; complements follow, each with its preposition.
    first_prep = next((k for k, t in enumerate(toks) if k not in covered and t.norm in PREPOSITIONS), len(toks))
    main = [m for m in matches if m.end <= first_prep]
    comps: list[tuple[str, Match]] = []
    prep = ""
    for k, t in enumerate(toks):
        if k >= first_prep and k not in covered and t.norm in PREPOSITIONS:
            prep = t.norm
        for m in matches:
            if m.start == k and k >= first_prep:
                comps.append((prep, m))

    def is_role(m: Match, flag: str | None = None) -> bool:
        return m.kind == "role" and m.role is not None and (flag is None or flag in m.role.flags)

    roles = [m for m in main if is_role(m) and not (m.role and m.role.flags & {"determiner", "former"})]
    # "the Syrian government's ally": roles before a possessive 's belong to the possessor, not the head.
    poss = [k for k in range(first_prep) if k not in covered and toks[k].norm == "'s"]
    possessor_roles = [m for m in roles if poss and m.end <= poss[-1]]
    roles = [m for m in roles if not poss or m.start > poss[-1]]
    # "Minister of Trade and Industry": a role joined by "and" to a title that names its portfolio ("... of X",
    # "... for X") extends the portfolio; it is not the head. It may still say the field (sector2).
    portfolio: list[Match] = []
    for m in roles[1:]:
        prev = next((r for r in roles if r.end == m.start - 1), None)
        if (
            prev is not None
            and prev not in portfolio
            and toks[m.start - 1].norm in ("and", "&")
            and any(toks[k].norm in ("of", "for") for k in range(prev.start + 1, prev.end))
        ):
            portfolio.append(m)
    roles = [m for m in roles if m not in portfolio]
    former = any(is_role(m, "former") for m in main)
    named = [m for m in main if m.kind in ("user", "entity")]
    # "Iranian-backed militias" are not Iranian: a backer named in a compound is another party.
    places = [
        m
        for m in main
        if m.kind in ("place", "city")
        and not (
            m.end < len(toks) and toks[m.end].norm in BACKED and text[toks[m.end - 1].end : toks[m.end].start] == "-"
        )
    ]

    # Name tokens: free capitalised tokens (or hyphen-joined parts of them) in the head phrase.
    name_idx: list[int] = []
    if not case_free:
        for k, t in enumerate(toks[:first_prep]):
            if k in covered or t.norm in ("'s",) or t.norm.isdigit() or t.norm in COURTESY:
                continue
            joined = k > 0 and text[toks[k - 1].end : t.start] == "-" and (k - 1) in name_idx
            if t.capitalised or joined:
                if name_idx and name_idx[-1] != k - 1:
                    name_idx = []  # keep the last run: names follow their titles
                name_idx.append(k)
    if name_idx and name_idx[-1] != first_prep - 1:
        name_idx = []  # a name closes its head phrase ("Minister Sergei Ryabkov"); "First UN aid convoy" has none
    name_text = text[toks[name_idx[0]].start : toks[name_idx[-1]].end] if name_idx else None

    entity: Entry | None = None
    entity_code: Code | None = None
    inferred = False
    how = ""
    namesakes: list[int] = []  # a surname alone: the known people of that surname, read below by date or title
    if named:
        m = named[-1] if not name_idx else named[0]
        idx = choose_entry(kb, m, context_countries, when)
        entity = kb.entries[idx]
        entity_code, how = entity.code_at(when)
        # Undated, a person's latest office is a guess about when the text was written ("US Senator Marco
        # Rubio" from before he became secretary of state): the title in the mention is the better evidence.
        inferred = how == INFERRED_ELITE or (when is None and bool(entity.periods))
        seg.sources.append(f"{entity.source} ({how})" if entity.periods else entity.source)
        if m.respelt:
            seg.sources.append("rule:respelt")
        seg.named = True
    elif len(name_idx) >= 2 and not places and when is not None:
        # An unknown full name: a known person with the same surname and a first name starting alike
        # ("Aleksandr" / "Alexander Lukashenko"), in one country, and, like a surname alone, only one in a
        # listed office around the article's date: "John Smith" is anyone, not a Kiribati minister of that name.
        surname = toks[name_idx[-1]].norm
        initial = toks[name_idx[0]].norm[:3]
        cands = [
            i
            for i in kb.surnames.get(surname, [])
            if fold(kb.entries[i].name).startswith(initial) and _in_office_around(kb.entries[i], when)
        ]
        codes = {kb.entries[i].code_at(when)[0] for i in cands}
        countries = {c.country for c in codes if c is not None}
        if cands and len(countries) == 1:
            entity = kb.entries[cands[0]]
            entity_code, how = entity.code_at(when)
            inferred = how == INFERRED_ELITE or (when is None and bool(entity.periods))
            seg.sources.append(f"{entity.source} (surname)")
            seg.named = True
            seg.confidence = 0.55
    elif len(name_idx) == 1 and not places and len(toks[name_idx[0]].norm) >= 3:
        namesakes = list(dict.fromkeys(kb.surnames.get(toks[name_idx[0]].norm, [])))
    if namesakes and when is not None:
        # A surname alone ("Erdogan", "Deputy Secretary Hicks") names someone only in the news of its day: the
        # namesakes holding a listed office within a year of the article's date, if they share one country,
        # give the country (the person when there is one). Undated, or with no namesake in office then, a
        # surname is anyone's ("Doe") and stays unknown. Text of an article links a surname to its full
        # mention (coref.py) before this weaker reading is needed.
        sitting = [i for i in namesakes if _in_office_around(kb.entries[i], when)]
        codes_at = [kb.entries[i].code_at(when) for i in sitting]
        home = {c.country for c, _ in codes_at if c is not None}
        if sitting and _one_country(home):
            seg.country = home.pop()
            seg.sources.append(f"{kb.entries[sitting[0]].source} (surname only, in office)")
            seg.confidence = 0.5
            if len(sitting) == 1:
                entity = kb.entries[sitting[0]]
                name_text = entity.name
                entity_code, how = codes_at[0]
                inferred = how == INFERRED_ELITE
                seg.named = True
    elif namesakes:
        # Undated, a surname is anyone's, but a title with it ("Foreign Minister Lavrov", "Deputy Secretary
        # Hicks") names whoever held that office: the namesakes with a listed office of that title, if they
        # share one country, give the country (the person when there is one), as weak as a surname in the news.
        titles = [m for m in roles if m.end <= name_idx[0]]
        title = " ".join(t.norm for t in toks[titles[-1].start : titles[-1].end]) if titles else ""
        held = [
            (i, p)
            for i in namesakes
            for p in kb.entries[i].periods
            if kb.entries[i].kind == "person" and title and _title_fits(title, p.post, p.code.country)
        ]
        home = {p.code.country for _, p in held}
        people = list(dict.fromkeys(i for i, _ in held))
        if held and _one_country(home):
            seg.country = home.pop()
            seg.sources.append(f"{kb.entries[people[0]].source} (title and surname: {held[0][1].post})")
            seg.confidence = 0.5
            if len(people) == 1:
                entity = kb.entries[people[0]]
                name_text = entity.name
                entity_code = held[-1][1].code
                how = f"{UNDATED_OFFICE} {held[-1][1].post}"
                inferred = True  # the title in the text gives the sector; the office only adds its field
                seg.named = True

    # Country: the named entry, then a place or demonym in the head, then an own-side complement.
    place_entry: Entry | None = None
    if entity_code is not None and entity_code.country:
        seg.country = entity_code.country
    if places:
        place_entry = kb.entries[choose_entry(kb, places[0], context_countries, when)]
        place_code, _ = place_entry.code_at(when)
        if seg.country is None and place_code is not None:
            seg.country = place_code.country
            seg.sources.append(place_entry.source)
            if places[0].respelt:
                seg.sources.append("rule:respelt")
    comp_entry: Entry | None = None
    comp_role: Role | None = None
    for p, m in comps:
        if m.kind in ("user", "entity", "place", "city") and p in OWN_PREPOSITIONS and comp_entry is None:
            cand = kb.entries[choose_entry(kb, m, context_countries, when)]
            if p in WHERE_PREPOSITIONS and cand.kind in ("city", "place") and not _group_head(roles):
                # "a meeting of the task force in Geneva": a town says where it met, not whose it is; but
                # people known only by a group word are of the place they are in ("rebels in Aleppo")
                continue
            comp_entry = cand
        if is_role(m) and m.role and not (m.role.flags & {"determiner", "former", "inherit"}) and p in OWN_PREPOSITIONS:
            comp_role = comp_role or m.role
    comp_code = comp_entry.code_at(when)[0] if comp_entry else None
    if seg.country is None and comp_code is not None and comp_code.country:
        seg.country = comp_code.country
        seg.sources.append(f"{comp_entry.source if comp_entry else ''} (complement)")

    # Sector: titles before a name give the office; otherwise the head noun (the last role) decides.
    head: Role | None = None
    if roles:
        seg.has_role = True
        before_name = [m for m in roles if name_idx and m.end <= name_idx[0]]
        head_match = before_name[0] if before_name else roles[-1]
        # "Deputy Foreign and Expatriates Minister X": the office word of the title is its head, the words
        # before it name the portfolio
        offices = [m for m in before_name if m.role is not None and "office" in m.role.flags]
        if offices and (head_match.role is None or "office" not in head_match.role.flags):
            head_match = offices[-1]
        head = head_match.role
        if head is not None and "opposition" in head.flags and len(roles) > 1 and head_match is not roles[-1]:
            head = roles[-1].role  # "opposition lawmaker": the lawmaker is the head, opposition a modifier
    sector: str | None = None
    sector2: str | None = None
    sector_src = ""
    # "President of the Senate", "secretary general of NATO": who leads a body is of the body's sector.
    body_sector: tuple[str, str | None, str] | None = None
    if head is not None and "leads" in head.flags and not name_idx:
        comp_is_body = comp_entry is not None and comp_entry.kind == "org"
        if comp_is_body and comp_code is not None and comp_code.sector:
            body_sector = (comp_code.sector, comp_code.sector2, "rule:leads-body")
        elif comp_role is not None and comp_role.sector and comp_role.sector not in ("UNK", "CVL"):
            body_sector = (comp_role.sector, comp_role.sector2, f"{comp_role.source} (rule:leads-body)")
    if body_sector is not None:
        sector, sector2, sector_src = body_sector
    elif head is not None and "inherit" not in head.flags:
        sector, sector2, sector_src = head.sector, head.sector2, head.source
        # A known person's dated code beats the title in front of the name, but "former President X" in the
        # text is evidence of its own.
        # An elite code the knowledge base only inferred (no listed office covers the date, no default in
        # the record) is weaker than the title: the dictionary's list of offices is incomplete.
        known_person = entity_code is not None and entity is not None and entity.kind == "person" and not inferred
        just_left = _term_just_ended(entity, entity_code, head, when)
        if just_left is not None:
            # "Minister X" weeks after X's listed term ended: the title in the text is the office just left.
            sector2 = just_left.code.sector2 if just_left.code.sector == sector else sector2
            sector_src = f"{sector_src} (rule:title-after-term)"
        elif known_person and entity_code and entity_code.sector and head.sector != "ELI":
            sector, sector2, sector_src = entity_code.sector, entity_code.sector2, ""
        elif entity_code is not None and entity_code.sector == sector and sector2 is None and entity_code.sector2:
            # "Deputy Secretary Hicks" undated: the title gives the sector, the office it names its field (MIL).
            sector2 = entity_code.sector2
        elif sector == "GOV" and sector2 is None:
            # "Secretary of the Navy", "Minister of Trade and Industry": a government title's portfolio, a role
            # of another sector in its complement or joined to it, is the office's field.
            field_roles = [m.role for m in portfolio if m.role] + ([comp_role] if comp_role else [])
            fields = [r.sector for r in field_roles if r.sector not in (None, "GOV", "UNK", "CVL", "ELI")]
            if fields:
                sector2 = fields[0]
    else:
        # A generic member noun ("spokesman", "gunmen") or no role: whose member decides.
        earlier = [m.role for m in possessor_roles + roles[:-1] if m.role and "inherit" not in m.role.flags]
        if entity_code is not None and (entity_code.sector or head is None):
            sector, sector2 = entity_code.sector, entity_code.sector2
        elif earlier and head is not None:
            sector, sector2, sector_src = earlier[-1].sector, earlier[-1].sector2, earlier[-1].source
        elif comp_code is not None and comp_code.sector:
            sector, sector2 = comp_code.sector, comp_code.sector2
        elif comp_role is not None:
            sector, sector2, sector_src = comp_role.sector, comp_role.sector2, comp_role.source
        elif head is not None:
            sector, sector2, sector_src = head.sector, head.sector2, head.source
        elif (
            place_entry is not None
            and place_entry.kind == "capital"
            and len(main) == 1
            and not name_idx
            and first_prep == len(toks)
        ):
            sector = "GOV"
            seg.sources.append("rule:capital-metonymy")
            seg.basis = "capital"
    if sector_src:
        seg.sources.append(sector_src)
    opposition = any(is_role(m, "opposition") for m in main + [m for _, m in comps])
    if opposition and sector != "OPP" and (sector2 is None or sector2 == sector):
        sector2 = "OPP"
    if former and sector is not None and sector not in ("ELI",):
        sector, sector2 = "ELI", None
        seg.sources.append("rule:former")
    if sector2 == sector:
        sector2 = None
    seg.sector, seg.sector2 = sector, sector2
    if seg.basis is None:
        place_kind = place_entry.kind if place_entry is not None else "place"
        by_role = seg.has_role or seg.sector is not None
        seg.basis = "named" if seg.named else "role" if by_role else place_kind if seg.country else None

    # Name: the person named, else the named organisation or place when it is the head of the phrase.
    if name_text and not (entity is not None and entity.kind == "person" and seg.confidence == 0.0):
        seg.name = _HONORIFIC.sub("", name_text) or name_text
    elif entity is not None and (entity.kind == "person" or head is None or "inherit" in head.flags):
        seg.name = entity.name
    elif place_entry is not None and head is None and not name_idx:
        seg.name = place_entry.name
    seg.body = (
        len(named) == 1
        and entity is not None
        and entity.kind != "person"
        and not roles
        and all(k in range(named[0].start, named[0].end) or k in covered for k in range(len(toks)))
    )
    seg.unknown_person = (
        len(name_idx) >= 2 and not seg.named and not roles and not places and len(name_idx) == len(toks)
    )
    if seg.confidence == 0.0:
        if seg.named:
            whole = len(named) == 1 and all(
                k in range(named[0].start, named[0].end) or (k in covered) for k in range(len(toks))
            )
            seg.confidence = 0.95 if whole else 0.85
        elif seg.country and seg.sector:
            seg.confidence = 0.8
        elif seg.country:
            seg.confidence = 0.9 if places and len(main) == 1 else 0.7
        elif seg.sector:
            seg.confidence = 0.6
    if any(m.respelt for m in matches):
        seg.confidence = min(seg.confidence, 0.7)  # another spelling of a known name is a likelier guess
    if entity_code is not None and how.startswith(UNDATED_OFFICE):
        seg.confidence = min(seg.confidence, 0.6)  # undated: the person may have left that office by then
    return seg


# Courtesy titles the entity recogniser leaves inside a person's name ("Dr Rami Sawwaf" is Rami Sawwaf).
_HONORIFIC = re.compile(r"^(?:(?:Dr|Prof|Mr|Mrs|Ms|Mme|Mlle|Messrs)\.?\s+)+(?=[A-Z])")


# What a context may name a country by: its name or a well-known short form, its demonym, its capital.
CONTEXT_KINDS = {"country", "demonym", "capital"}


# Sectors of people named only by what they are, who belong where they are: rebels, militias, armed men,
# police, residents, civilians, refugees, doctors, protesters.
LOCAL_GROUP_SECTORS = {"REB", "UAF", "PRM", "COP", "CVL", "REF", "MED", "SOC", "OPP", "CRM", "UNK"}


def _one_country(home: set[str | None]) -> bool:
    """Namesakes that all belong to one country (a group code such as UNO says nothing about which)."""
    return len(home) == 1 and len(home - _GROUP_CODES - {None}) == 1


def _group_head(roles: list[Match]) -> bool:
    """The mention's head is a word for a group of people of no particular state (rebels, residents, police)."""
    return bool(roles) and roles[-1].role is not None and roles[-1].role.sector in LOCAL_GROUP_SECTORS


def context_countries(kb: KnowledgeBase, context: str, when: dt.date | None) -> list[str]:
    """Countries a context names explicitly, in order: country names and short forms (countries.tsv),
    demonyms and peoples, capitals, and the user's own entries. Never a gazetteer town, a dictionary's
    province alias or a person ("the Castello road" is not Spain, "Surin" not Thailand): a sentence's
    incidental place name says nothing about who a role noun elsewhere in it is."""
    text = context[:MAX_CONTEXT_CHARS]
    toks = tokens(text)
    out: list[str] = []
    for m in scan(kb, toks, case_free=text.islower() or text.isupper()):
        if m.kind == "role" or m.respelt:
            continue
        idx = next((i for i in m.ids if m.kind == "user" or kb.entries[i].kind in CONTEXT_KINDS), None)
        if idx is None:
            continue
        code, _ = kb.entries[idx].code_at(when)
        if code is not None and code.country and code.country not in out:
            out.append(code.country)
    return out


def resolve(kb: KnowledgeBase, mention: str, context: str = "", date: dt.date | None = None) -> Resolution:
    """Resolve one mention. Unresolvable, empty or absurdly long mentions give nulls, never an error."""
    if not isinstance(mention, str):
        return Resolution(mention=str(mention), source="rule:not-text")
    if len(mention) > MAX_MENTION_CHARS:
        return Resolution(mention=mention, source="rule:too-long")
    text = mention.strip()
    if not text:
        return Resolution(mention=mention)
    ctx = context_countries(kb, context, date) if context else []
    letters = [ch for ch in text if ch.isalpha()]
    case_free = bool(letters) and (all(ch.islower() for ch in letters) or all(ch.isupper() for ch in letters))
    parts = [p for p in _SEGMENT_SPLIT.split(text) if p and p.strip()]
    segs = [_analyse_segment(kb, p, ctx, date, case_free) for p in parts]
    segs = [s for s in segs if s.name or s.country or s.sector]
    if not segs:
        return Resolution(mention=mention)
    if len(segs) == 2 and segs[0].body and segs[1].unknown_person:
        # "UN, Harriet Cole": a body, a comma, then a person is the end of one phrase ("Britain's ambassador to
        # the UN") and the start of another actor, never the body's member: only the name is known.
        return Resolution(mention=mention, name=segs[1].name, source="rule:body-then-person")
    # Appositions: a named entry wins; otherwise the first part with a role or country, the name from any.
    ranked = sorted(segs, key=lambda s: (not s.named, not s.has_role, not s.country))
    best = ranked[0]
    name = best.name if best.named else next((s.name for s in segs if s.name), None)
    country = best.country or next((s.country for s in segs if s.country), None)
    sector, sector2 = best.sector, best.sector2
    if sector is None:
        other = next((s for s in segs if s.sector), None)
        if other is not None:
            sector, sector2 = other.sector, other.sector2
    sources = [src for s in segs for src in s.sources]
    confidence = best.confidence
    # The context's country completes a role only when it names one country: in "Russian and Syrian aircraft
    # ... said opposition spokesman X" either could be his, so neither is.
    unknown_person = name is not None and not best.named and any(s.name and not s.named for s in segs)
    if country is None and len(ctx) == 1 and (sector is not None or best.named) and not unknown_person:
        country = ctx[0]
        sources.append("rule:context-country")
        confidence = min(confidence, 0.5)
    return Resolution(
        mention=mention,
        name=name,
        country=country,
        sector=sector,
        sector2=sector2 if sector2 != sector else None,
        confidence=round(confidence, 2),
        source=" + ".join(dict.fromkeys(sources)) or None,
        basis=best.basis,
    )


_DATE_FORMATS = ("%Y-%m-%d", "%d %B %Y", "%d %b %Y", "%B %d, %Y", "%b %d, %Y", "%B %d %Y", "%Y/%m/%d", "%Y%m%d")


def parse_when(value: str | None) -> dt.date | None:
    """A mention's date: ISO or a written-out day ("10 May 2015", "October 1, 2021").

    "today", empty or unreadable -> None, which means "the latest knowledge" (nothing is anchored to the
    clock: same input, same output).
    """
    if not value or not isinstance(value, str):
        return None
    text = " ".join(value.strip().split())
    for fmt in _DATE_FORMATS:
        try:
            return dt.datetime.strptime(text.title() if "%B" in fmt or "%b" in fmt else text, fmt).date()
        except ValueError:
            continue
    m = re.fullmatch(r"(\d{4})(?:-(\d{2}))?", text)
    if m:
        try:
            return dt.date(int(m.group(1)), int(m.group(2) or 7), 1)  # a year alone: its middle
        except ValueError:
            return None
    return None
