"""Event words as data: verbs, predicate adjectives, nouns and verb+object pairs -> PLOVER type and mode.

Owns loading the hand-written `data/events/lexicon.tsv`, the CAMEO-derived `cameo_verbs.tsv.gz` and users'
PETRARCH verb dictionaries (dictionary.py) into dict indexes, and the lookups the patterns make. Every
lookup is a handful of dict hits keyed by lemma: nothing scans the lexicon per token. Precedence: the user's
dictionaries, then hand-written pairs and words, then CAMEO patterns (verb + object/preposition), then CAMEO
verb defaults.
"""

from __future__ import annotations

import gzip
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path

from eventdesk.events import ontology
from eventdesk.events.importer import VerbRow

# How a word combines with an embedded event (patterns.py documents each).
CLASSES = {
    "",
    "report",
    "intent",
    "agree",
    "threaten",
    "reject",
    "request",
    "accuse",
    "transparent",
    "light",
    "reciprocal",
    "cease",
}


@dataclass(frozen=True, slots=True)
class Sense:
    """What a word means as an event: `event` None means it only composes (a reporting or light verb)."""

    event: str | None
    mode: str | None
    cameo: str
    cls: str = ""
    contexts: tuple[str, ...] = ()
    source: str = ""


@dataclass
class _VerbPatterns:
    default: str | None = None
    obj: dict[str, str] = field(default_factory=dict)
    prep: dict[tuple[str, str], str] = field(default_factory=dict)


@dataclass
class Lexicon:
    verbs: dict[str, Sense] = field(default_factory=dict)
    adjs: dict[str, Sense] = field(default_factory=dict)
    nouns: dict[str, Sense] = field(default_factory=dict)
    pairs: dict[str, Sense] = field(default_factory=dict)
    cameo: dict[str, _VerbPatterns] = field(default_factory=dict)
    user: dict[str, _VerbPatterns] = field(default_factory=dict)
    noun_max_words: int = 1

    # -- lookups ----------------------------------------------------------------------------------------

    def verb(
        self, lemma: str, particle: str = "", obj: Iterable[str] = (), preps: Iterable[tuple[str, str]] = ()
    ) -> Sense | None:
        """A verb with its particle, object head words (lemma and form) and (preposition, object head) pairs.

        A pattern hit keeps the composition class of the hand-written verb ("accuse ... of torture" still
        absorbs what it embeds)."""
        hit = self._verb(lemma, particle, obj, preps)
        # A hand-written pair has its own class ("go on strike" is an event though "go" is transparent).
        if hit is not None and not hit.cls and not hit.source.startswith("lexicon.tsv"):
            base = self.verbs.get(f"{lemma} {particle}" if particle else lemma) or self.verbs.get(lemma)
            if base is not None and base.cls:
                hit = replace(hit, cls=base.cls)
        return hit

    def _verb(self, lemma: str, particle: str, obj: Iterable[str], preps: Iterable[tuple[str, str]]) -> Sense | None:
        objs = [o for o in obj if o]
        pps = list(preps)
        keys = [f"{lemma} {particle}", lemma] if particle else [lemma]
        for key in keys:
            hit = self._patterns(self.user.get(key), objs, pps, "user")
            if hit is not None:
                return hit
        for key in keys:
            for o in objs:
                s = self.pairs.get(f"{key} {o}")
                if s is not None:
                    return s
            for prep, pobj in pps:  # "put under investigation", "take into custody"
                s = self.pairs.get(f"{key} {prep} {pobj}")
                if s is not None:
                    return s
            for prep, _ in pps:  # "stands firmly behind Kyiv", "sat down with": the preposition says it
                s = self.pairs.get(f"{key} {prep}")
                if s is not None:
                    return s
            own = self.verbs.get(key)
            # With a hand-written sense, only a pattern naming the object's own word may override it: a
            # bare preposition ("clash with", "denounce ... as", "meet at") says too little about the event.
            hit = self._patterns(self.cameo.get(key), objs, pps, "cameo", default=False, generic=own is None)
            # A statement code (CAMEO 01, no PLOVER event: "reject accusations" is "deny responsibility")
            # does not silence a hand-written event word; an explicit "---" does.
            if hit is not None and not _opposed(hit, own) and not (hit.event is None and hit.cameo != "---" and own):
                return hit
            s = own
            if s is not None:
                return s
            hit = self._patterns(self.cameo.get(key), [], [], "cameo", default=True)
            if hit is not None:
                return hit
        return None

    def adj(self, lemma: str) -> Sense | None:
        return self.adjs.get(lemma)

    def noun(self, lemma: str, modifiers: Sequence[str] = ()) -> Sense | None:
        """A noun, preferring the longest "modifier(s) + noun" entry ("hunger strike" over "strike")."""
        mods = list(modifiers)[-(self.noun_max_words - 1) :] if self.noun_max_words > 1 else []
        for k in range(len(mods)):
            s = self.nouns.get(" ".join([*mods[k:], lemma]))
            if s is not None:
                return s
        for m in mods[:-1]:  # "joint river patrols": a modifier further out still names the kind
            s = self.nouns.get(f"{m} {lemma}")
            if s is not None:
                return s
        return self.nouns.get(lemma)

    def _patterns(
        self,
        p: _VerbPatterns | None,
        objs: list[str],
        pps: list[tuple[str, str]],
        source: str,
        default: bool = True,
        generic: bool = True,
    ) -> Sense | None:
        if p is None:
            return None
        code: str | None = None
        for o in objs:
            code = p.obj.get(o)
            if code is not None:
                break
        if code is None:
            for prep, pobj in pps:
                code = p.prep.get((prep, pobj)) or (p.prep.get((prep, "")) if generic else None)
                if code is not None:
                    break
        if code is None and default:
            code = p.default
        if code is None:
            return None
        return sense_of_code(code, source)


def _opposed(pattern: Sense, own: Sense | None) -> bool:
    """A CAMEO pattern that turns a hand-written hostile word into cooperation ("captured part of the town"
    read as "take part"): the synonym sets of the CAMEO dictionary overreach, and a violent verb stays
    hostile whatever its object ("denounced the sanctions" is no show of support), so the verb's own sense
    wins. (The other way round is real: "withdraw
    peacekeepers" is a sanction, not a retreat.)"""
    if own is None or own.event is None or pattern.event is None:
        return False
    onto = ontology.load()
    return onto.quad(own.event).endswith("CONFLICT") and onto.quad(pattern.event).endswith("COOPERATION")


def sense_of_code(code: str, source: str) -> Sense | None:
    """A CAMEO code -> Sense; `---` and codes with no PLOVER event (CAMEO 01) mean "no event"."""
    if code.startswith("-"):
        return Sense(None, None, "---", source=source)
    t = ontology.load().triple(code)
    if t is None:
        return Sense(None, None, code, source=source)
    return Sense(t.event, t.mode or None, code, "", t.contexts, source)


def _rows(path: Path) -> Iterable[list[str]]:
    raw = gzip.decompress(path.read_bytes()) if path.suffix == ".gz" else path.read_bytes()
    for line in raw.decode("utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            yield line.split("\t")


def add_verb_rows(index: dict[str, _VerbPatterns], rows: Iterable[VerbRow]) -> None:
    """Index PETRARCH-style verb rows (the first code for a verb/pattern wins)."""
    for r in rows:
        key = f"{r.lemma} {r.particle}" if r.particle else r.lemma
        p = index.setdefault(key, _VerbPatterns())
        if r.obj:
            p.obj.setdefault(r.obj, r.code)
        elif r.prep:
            p.prep.setdefault((r.prep, r.pobj), r.code)
        elif p.default is None:
            p.default = r.code


def _load_hand(lex: Lexicon, path: Path) -> None:
    onto = ontology.load()
    for cells in _rows(path):
        if cells[0] == "kind":
            continue
        cells = cells + [""] * 6
        kind, key, event, mode, cameo, cls = (c.strip() for c in cells[:6])
        ev = None if event in ("", "-") else onto.canonical(event)
        if cls not in CLASSES:
            raise ValueError(f"{path.name}: unknown class {cls!r} for {key!r}")
        t = onto.triple(cameo) if cameo and not cameo.startswith("-") else None
        contexts = t.contexts if t is not None and t.event == ev else ()
        sense = Sense(ev, mode or None, cameo or "---", cls, contexts, f"lexicon.tsv:{key}")
        table = {"verb": lex.verbs, "adj": lex.adjs, "noun": lex.nouns, "pair": lex.pairs}[kind]
        if kind == "verb" and key in table and table[key].cls and not cls:
            continue  # "order" is both a request verb and a light verb: the first line wins
        table.setdefault(key, sense)
        if kind == "noun":
            lex.noun_max_words = max(lex.noun_max_words, key.count(" ") + 1)


@lru_cache(maxsize=1)
def packaged() -> Lexicon:
    d = ontology.data_dir()
    lex = Lexicon()
    _load_hand(lex, d / "lexicon.tsv")
    rows = (VerbRow(*(c + [""] * 6)[:6]) for c in _rows(d / "cameo_verbs.tsv.gz"))
    add_verb_rows(lex.cameo, rows)
    return lex


def load(dictionaries: Sequence[Path] = ()) -> Lexicon:
    """The packaged lexicon plus users' PETRARCH verb dictionaries (other files are skipped)."""
    from eventdesk.events import dictionary

    base = packaged()
    verb_files = [Path(p) for p in dictionaries if dictionary.is_verb_dictionary(Path(p))]
    if not verb_files:
        return base
    lex = Lexicon(base.verbs, base.adjs, base.nouns, base.pairs, base.cameo, {}, base.noun_max_words)
    for path in verb_files:
        add_verb_rows(lex.user, dictionary.read(path))
    return lex
