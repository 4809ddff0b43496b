"""Coverage comparison: how each outlet told one story, side by side, and how two outlets differ overall.

Owns the per-outlet profile of a story (headline, date, length, outlet country and ownership, who is quoted:
named people apart from anonymous and institutional sources, events reported and left out, labels used for
the same actors, numbers given, tone) and the comparison of two outlets over the stories both covered. It
reads the store (stories, analyses); it extracts only what no stage extracts (label terms, numbers, tone
words) with the transparent vocabularies of data/labels.toml, and reads quotes and events from the stored
analysis when those stages have run. Output is JSON-ready.
"""

from __future__ import annotations

import re
import tomllib
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from eventdesk import story_events
from eventdesk.ingest.outlets import OutletRegistry
from eventdesk.model import Analysis, Quote, Speaker
from eventdesk.store import Store
from eventdesk.store import stories as db

_QUOTED = re.compile(r"“[^”]*”|«[^»]*»|\"[^\"\n]*\"")
_SENT = re.compile(r"[^.!?\n]+[.!?]?")
_WORDS = re.compile(r"[A-Za-z][A-Za-z'’-]*")
_NUMBER_WORDS = {
    w: i
    for i, w in enumerate(
        [
            "zero",
            "one",
            "two",
            "three",
            "four",
            "five",
            "six",
            "seven",
            "eight",
            "nine",
            "ten",
            "eleven",
            "twelve",
            "thirteen",
            "fourteen",
            "fifteen",
            "sixteen",
            "seventeen",
            "eighteen",
            "nineteen",
            "twenty",
        ]
    )
}
_HARM = ("killed", "wounded")
_NUMBER = re.compile(r"\b(\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?|" + "|".join(_NUMBER_WORDS) + r")\b", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Vocabulary:
    """data/labels.toml, loaded once."""

    families: dict[str, dict[str, str]]  # family -> term -> frame
    numbers: dict[str, tuple[str, ...]]  # category -> nouns
    qualifiers: dict[str, tuple[str, ...]]
    positive: frozenset[str]
    negative: frozenset[str]
    speaker_groups: dict[str, str]


@lru_cache(maxsize=1)
def vocabulary() -> Vocabulary:
    text = resources.files("eventdesk.data").joinpath("labels.toml").read_text(encoding="utf-8")
    d = tomllib.loads(text)
    fams = {f: {k: v for k, v in terms.items() if k != "description"} for f, terms in d["families"].items()}
    nums = dict(d["numbers"])
    quals = nums.pop("qualifiers")
    return Vocabulary(
        families=fams,
        numbers={k: tuple(v) for k, v in nums.items()},
        qualifiers={k: tuple(v) for k, v in quals.items()},
        positive=frozenset(d["tone"]["positive"]),
        negative=frozenset(d["tone"]["negative"]),
        speaker_groups=dict(d["speaker_groups"]),
    )


# --- extractors over one article ----------------------------------------------------------------------


def _quoted_spans(text: str) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in _QUOTED.finditer(text)]


@lru_cache(maxsize=1)
def _label_pattern() -> tuple[re.Pattern[str], dict[str, tuple[str, str, str]]]:
    index: dict[str, tuple[str, str, str]] = {}  # lower-cased term -> (family, canonical term, frame)
    for fam, terms in vocabulary().families.items():
        for term, frame in terms.items():
            index[term.lower()] = (fam, term, frame)
    alts = sorted(index, key=lambda t: (-len(t), t))  # longest match first
    pat = re.compile(
        r"(?<![\w-])(" + "|".join(re.escape(t).replace("'", "['’]") for t in alts) + r")(?![\w-])", re.IGNORECASE
    )
    return pat, index


def labels(title: str | None, text: str) -> list[dict[str, Any]]:
    """Every label-term hit: family, term, frame, where (title|text), start, end, quoted."""
    pat, index = _label_pattern()
    out = []
    for where, s in (("title", title or ""), ("text", text)):
        quoted = _quoted_spans(s)
        for m in pat.finditer(s):
            fam, term, frame = index[m.group(1).lower().replace("’", "'")]
            inq = any(a <= m.start() and m.end() <= b for a, b in quoted)
            out.append(
                {
                    "family": fam,
                    "term": term,
                    "frame": frame,
                    "where": where,
                    "start": m.start(),
                    "end": m.end(),
                    "quoted": inq,
                }
            )
    return out


def summarise_labels(hits: Iterable[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """family -> {own: [terms], quoted_only: [terms], counts: {term: n}} (terms sorted case-insensitively)."""
    own: dict[str, set[str]] = defaultdict(set)
    quoted: dict[str, set[str]] = defaultdict(set)
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    for h in hits:
        (quoted if h["quoted"] else own)[h["family"]].add(h["term"])
        counts[h["family"]][h["term"]] += 1
    fams = sorted(set(own) | set(quoted))
    key = str.lower
    return {
        f: {
            "own": sorted(own[f], key=key),
            "quoted_only": sorted(quoted[f] - own[f], key=key),
            "counts": dict(sorted(counts[f].items())),
        }
        for f in fams
    }


def _to_number(tok: str) -> float:
    low = tok.lower()
    if low in _NUMBER_WORDS:
        return float(_NUMBER_WORDS[low])
    return float(low.replace(",", ""))


def numbers(text: str) -> list[dict[str, Any]]:
    """Numbers that count something of a known category: value, category, qualifier, evidence and sentence."""
    voc = vocabulary()
    noun_cat = {n: c for c, nouns in voc.numbers.items() for n in nouns}
    out = []
    for sent in _SENT.finditer(text):
        s = sent.group(0)
        for m in _NUMBER.finditer(s):
            after = _WORDS.findall(s[m.end() : m.end() + 40])[:3]
            cat = next((noun_cat[w.lower()] for w in after if w.lower() in noun_cat), None)
            if cat is None:
                continue
            if cat == "people":  # "three civilians were killed", "killing six citizens": a casualty count
                around = _WORDS.findall(s[: m.start()])[-1:] + _WORDS.findall(s[m.end() : m.end() + 45])[:6]
                cat = next((noun_cat[w.lower()] for w in around if noun_cat.get(w.lower()) in _HARM), cat)
            before = s[max(0, m.start() - 20) : m.start()].lower()
            qual = next(
                (q for q, cues in voc.qualifiers.items() for c in cues if re.search(rf"\b{re.escape(c)}\s*$", before)),
                "exact",
            )
            start = sent.start() + m.start()
            value = _to_number(m.group(1))
            out.append(
                {
                    "category": cat,
                    "value": int(value) if value.is_integer() else value,
                    "qualifier": qual,
                    "text": s[m.start() : m.end() + len(" ".join(after)) + 1].strip(),
                    "start": start,
                    "end": sent.start() + m.end(),
                    "sentence": s.strip(),
                }
            )
    return out


def tone(title: str | None, text: str) -> dict[str, Any]:
    """Lexicon tone: (positive - negative) per 100 words, with the words that made it."""
    voc = vocabulary()
    words = [w.lower() for w in _WORDS.findall(f"{title or ''} {text}")]
    pos = Counter(w for w in words if w in voc.positive)
    neg = Counter(w for w in words if w in voc.negative)
    n = max(1, len(words))
    return {
        "score": round((sum(pos.values()) - sum(neg.values())) / n * 100, 2),
        "positive": sum(pos.values()),
        "negative": sum(neg.values()),
        "words": len(words),
        "top_positive": [w for w, _ in sorted(pos.items(), key=lambda kv: (-kv[1], kv[0]))[:5]],
        "top_negative": [w for w, _ in sorted(neg.items(), key=lambda kv: (-kv[1], kv[0]))[:5]],
    }


def speaker_group(q: Quote) -> str:
    sp = q.speaker
    actor = (sp.actor if sp else None) or {}
    country, sector = actor.get("country"), actor.get("sector")
    if country == "UNO":
        return "UN"
    if not sector:
        return "anonymous" if not (sp and sp.name) else "unknown"
    group = vocabulary().speaker_groups.get(sector, "other")
    return f"{group}:{country}" if group == "government" and country else group


def is_person(sp: Speaker | None) -> bool:
    """A speaker who is a named person. The quotes stage says so in `kind`; an analysis stored before it did
    (kind null) counts a named speaker as a person."""
    return sp is not None and bool(sp.name) and (sp.kind == "person" or sp.kind is None)


def _source(sp: Speaker) -> str:
    """How an anonymous or institutional source is listed: its name ("Russia", "OCHA"), else as written ("a
    senior Western diplomat"), with a sentence-initial article lower-cased so "The diplomat" and "the diplomat"
    are one source."""
    label = sp.name or sp.text.strip()
    first, _, rest = label.partition(" ")
    if rest and first in ("The", "A", "An"):
        label = f"{first.lower()} {rest}"
    return label


def _by_count(c: Counter[str]) -> dict[str, int]:
    return dict(sorted(c.items(), key=lambda kv: (-kv[1], kv[0])))


def speakers(quotes: Sequence[Quote]) -> dict[str, Any]:
    """Who is quoted: `speakers` are the named people (name -> quotes), `sources` the anonymous and
    institutional sources (name or words as written -> quotes), `unattributed` the quotes with no speaker;
    `shares` groups every quote by the speaker's actor code (speaker_group)."""
    people = Counter(q.speaker.name for q in quotes if q.speaker and q.speaker.name and is_person(q.speaker))
    sources = Counter(_source(q.speaker) for q in quotes if q.speaker and not is_person(q.speaker))
    groups = Counter(speaker_group(q) for q in quotes)
    total = sum(groups.values())
    return {
        "quotes": total,
        "speakers": _by_count(people),
        "sources": _by_count(sources),
        "unattributed": sum(1 for q in quotes if q.speaker is None),
        "shares": {g: round(n / total, 3) for g, n in sorted(groups.items(), key=lambda kv: (-kv[1], kv[0]))},
    }


# --- one story -----------------------------------------------------------------------------------------


def _registry(extra: Sequence[Path]) -> OutletRegistry | None:
    try:
        return OutletRegistry.load(extra)
    except ValueError:
        return None


def _canonical(outlet: str | None, registry: OutletRegistry | None) -> str:
    """One name per outlet, so "RIN" and "Russian Information Network" are one column."""
    if not outlet:
        return "(unknown outlet)"
    found = registry.by_name(outlet) if registry else None
    return found.name if found else outlet


def outlet_profile(analyses: Sequence[Analysis], registry: OutletRegistry | None = None) -> dict[str, Any]:
    """The comparison record of one outlet's articles in one story."""
    arts = [a.article for a in analyses]
    first = arts[0]
    outlet = registry.by_name(first.outlet) if registry and first.outlet else None
    hits = [h | {"article": a.article.id} for a in analyses for h in labels(a.article.title, a.article.text)]
    nums = [n | {"article": a.article.id} for a in analyses for n in numbers(a.article.text)]
    tones = [tone(a.article.title, a.article.text) for a in analyses]
    words = sum(t["words"] for t in tones) or 1
    quotes = [q for a in analyses for q in a.quotes]
    return {
        "outlet": first.outlet,
        "country": first.outlet_country or (outlet.country if outlet else None),
        "ownership": first.outlet_ownership or (outlet.ownership if outlet else None),
        "articles": [
            {
                "id": a.id,
                "title": a.title,
                "published": a.published,
                "words": len(a.text.split()),
                "chars": len(a.text),
                "duplicate_of": a.duplicate_of,
            }
            for a in arts
        ],
        "quoted": speakers(quotes),
        "labels": summarise_labels(hits),
        "label_hits": hits,
        "numbers": nums,
        "tone": {
            "score": round(sum(t["score"] * t["words"] for t in tones) / words, 2),
            "positive": sum(t["positive"] for t in tones),
            "negative": sum(t["negative"] for t in tones),
            "words": words,
            "top_positive": sorted({w for t in tones for w in t["top_positive"]}),
            "top_negative": sorted({w for t in tones for w in t["top_negative"]}),
        },
    }


def compare_analyses(analyses: Sequence[Analysis], registry: OutletRegistry | None = None) -> dict[str, Any]:
    """Side-by-side comparison of the given articles, grouped by outlet (the logic of `compare_story`)."""
    by_outlet: dict[str, list[Analysis]] = defaultdict(list)
    for a in sorted(analyses, key=lambda a: (a.article.published or "9999", a.article.id)):
        by_outlet[_canonical(a.article.outlet, registry)].append(a)
    profiles = [outlet_profile(v, registry) | {"outlet": k} for k, v in sorted(by_outlet.items())]
    found = story_events.group(
        story_events.Mention(outlet, a.article.id, e)
        for outlet, arts in by_outlet.items()
        for a in arts
        for e in a.events
    )
    union = [s.label for s in found]
    for p in profiles:
        p["events_reported"] = [s.label for s in found if p["outlet"] in s.outlets]
        p["events_omitted"] = [s.label for s in found if p["outlet"] not in s.outlets]
    return {
        "outlets": profiles,
        "events": union,
        "story_events": [s.to_dict() for s in found],
        "number_disagreements": _disagreements(profiles),
    }


def _disagreements(profiles: Sequence[dict[str, Any]]) -> dict[str, dict[str, list[Any]]]:
    """category -> outlet -> values, for categories where outlets give different values."""
    per: dict[str, dict[str, list[Any]]] = defaultdict(lambda: defaultdict(list))
    for p in profiles:
        for n in p["numbers"]:
            per[n["category"]][p["outlet"]].append(n["value"])
    out = {}
    for cat, outlets in sorted(per.items()):
        sets = {o: sorted(set(v)) for o, v in outlets.items()}
        if len(sets) > 1 and len({tuple(v) for v in sets.values()}) > 1:
            out[cat] = dict(sorted(sets.items()))
    return out


def compare_story(store: Store, story_id: str, outlets: Sequence[Path] = ()) -> dict[str, Any]:
    """How each outlet covered one story: JSON-ready. KeyError if there is no such story."""
    row = db.story(store.engine, story_id)
    if row is None:
        raise KeyError(story_id)
    analyses = [a for i in db.story_article_ids(store.engine, story_id) if (a := store.analysis(i)) is not None]
    out = {"story_id": row.id, "title": row.title, "first_seen": row.first_seen.isoformat() if row.first_seen else None}
    return out | compare_analyses(analyses, _registry(outlets))


def compare_outlets(store: Store, a: str, b: str, outlets: Sequence[Path] = ()) -> dict[str, Any]:
    """How outlets `a` and `b` differ over every story both covered (names as stored, case-insensitive)."""
    reg = _registry(outlets)
    want = {_canonical(a, reg).lower(): a, _canonical(b, reg).lower(): b}
    shared = []
    for s, arts in db.list_stories(store.engine):
        have = {_canonical(x["outlet"], reg).lower() for x in arts}
        if set(want) <= have:
            shared.append(s.id)
    stories = []
    totals: dict[str, dict[str, Any]] = {
        name: {"labels": defaultdict(Counter), "tone": [], "quotes": Counter(), "omitted": 0} for name in (a, b)
    }
    for sid in shared:
        comp = compare_story(store, sid, outlets)
        pair = {}
        for p in comp["outlets"]:
            name = want.get(str(p["outlet"]).lower())
            if name is None:
                continue
            pair[name] = {k: p[k] for k in ("labels", "tone", "quoted", "events_omitted")}
            t = totals[name]
            for fam, v in p["labels"].items():
                t["labels"][fam].update(v["counts"])
            t["tone"].append(p["tone"]["score"])
            t["quotes"].update(p["quoted"]["shares"].keys())
            t["omitted"] += len(p["events_omitted"])
        stories.append(
            {
                "story_id": sid,
                "title": comp["title"],
                "outlets": pair,
                "number_disagreements": {
                    c: {o: v for o, v in d.items() if o in pair}
                    for c, d in comp["number_disagreements"].items()
                    if set(pair) <= set(d)
                },
            }
        )
    summary = {
        name: {
            "labels": {f: dict(sorted(c.items())) for f, c in sorted(t["labels"].items())},
            "mean_tone": round(sum(t["tone"]) / len(t["tone"]), 2) if t["tone"] else None,
            "groups_quoted": dict(sorted(t["quotes"].items())),
            "events_omitted": t["omitted"],
        }
        for name, t in totals.items()
    }
    return {"outlets": [a, b], "stories_compared": len(stories), "summary": summary, "stories": stories}
