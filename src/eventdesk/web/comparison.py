"""The story page's side-by-side view of a coverage comparison: the rows of a table with one column per outlet.

Owns reshaping the JSON-ready output of `eventdesk.compare.compare_story` (per outlet: articles, who is quoted,
events reported and left out, labels, numbers, tone) into rows a template lays out directly: for each row, one
cell per outlet in the order of the columns. It adds no new analysis: which events an outlet left out, which
numbers outlets disagree on and how a term is framed all come from the comparison and its vocabulary
(data/labels.toml). Every string passed on may come from an article and is left to the template's autoescaping.
"""

from __future__ import annotations

import tomllib
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

import pycountry

from eventdesk.compare import vocabulary

QUALIFIER_WORDS = {"exact": "", "about": "about", "more_than": "more than", "fewer_than": "fewer than"}


@dataclass(frozen=True, slots=True)
class ArticleCell:
    id: str
    title: str | None
    published: str | None
    words: int
    duplicate_of: str | None


@dataclass(frozen=True, slots=True)
class Column:
    """One outlet: the head of its column."""

    name: str
    country: str | None  # ISO 3166-1 alpha-3 as stored
    country_name: str | None
    ownership: str | None  # as in the outlet registry, with "_" shown as "-"
    articles: list[ArticleCell]


@dataclass(frozen=True, slots=True)
class Count:
    """A name and how often it occurs: a speaker, a label term."""

    name: str
    count: int
    frame: str | None = None  # label terms: neutral | delegitimising | legitimising
    quoted_only: bool = False  # label terms found only inside quotation marks


@dataclass(frozen=True, slots=True)
class Share:
    group: str
    share: float  # 0..1

    @property
    def percent(self) -> int:
        return round(self.share * 100)


@dataclass(frozen=True, slots=True)
class Figure:
    """A value an outlet gives for a number category, how often, and the first sentence giving it."""

    value: int | float
    qualifier: str  # words to print before the value ("about", "more than"), "" when exact
    mentions: int
    sentence: str


@dataclass(frozen=True, slots=True)
class Row:
    """One row of the table: a label, an optional note, and one cell per outlet column."""

    label: str
    cells: list[Any]
    note: str = ""
    flagged: bool = False  # events: some outlet left it out; numbers: outlets disagree


@dataclass(frozen=True, slots=True)
class Tone:
    score: float
    positive: int
    negative: int
    words: int
    top_positive: list[str]
    top_negative: list[str]

    @property
    def leaning(self) -> str:
        return "negative" if self.score < 0 else "positive" if self.score > 0 else "neutral"


@dataclass(frozen=True, slots=True)
class ComparisonView:
    columns: list[Column]
    quotes: list[int]  # quotes per outlet
    speakers: list[list[Count]]
    sources: list[list[Count]]  # anonymous and institutional sources
    shares: list[list[Share]]
    events: list[Row]  # cells: True (reported) or False (left out)
    events_summary: list[tuple[int, int]]  # per outlet: (reported, left out)
    labels: list[Row]  # cells: list[Count]
    numbers: list[Row]  # cells: list[Figure]
    tone: list[Tone]
    disagreements: int  # number categories on which outlets disagree


def country_name(code: str | None) -> str | None:
    if not code:
        return None
    found = pycountry.countries.get(alpha_3=code.upper())
    return str(getattr(found, "common_name", None) or found.name) if found else None


def group_label(group: str) -> str:
    """compare.speaker_group's "government:RUS" as "government (RUS)"; other groups as they are."""
    head, _, country = group.partition(":")
    return f"{head} ({country})" if country else head


def event_label(key: str) -> str:
    """A story event's label ("REJECT: RUS -> ESP+FRA (2016-10-19)") with an arrow and spaced "+"."""
    return key.replace(" -> ", " → ").replace("+", " + ")


def _labels(profiles: Sequence[Mapping[str, Any]]) -> list[Row]:
    families = vocabulary().families
    descriptions = _family_descriptions()
    present = {f for p in profiles for f in p.get("labels", {})}
    rows = []
    for fam in [*families, *sorted(present - set(families))]:
        cells: list[list[Count]] = []
        for p in profiles:
            summary = p.get("labels", {}).get(fam)
            if not summary:
                cells.append([])
                continue
            quoted_only = set(summary.get("quoted_only", []))
            counts = summary.get("counts", {})
            cells.append(
                [
                    Count(term, n, families.get(fam, {}).get(term), term in quoted_only)
                    for term, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0].lower()))
                ]
            )
        rows.append(Row(fam.replace("_", " ").capitalize(), cells, note=descriptions.get(fam, "")))
    return rows


@lru_cache(maxsize=1)
def _family_descriptions() -> dict[str, str]:
    """Each term family's `description` (compare.vocabulary() keeps only the terms)."""
    text = resources.files("eventdesk.data").joinpath("labels.toml").read_text(encoding="utf-8")
    return {f: str(v.get("description", "")) for f, v in tomllib.loads(text)["families"].items()}


def _numbers(profiles: Sequence[Mapping[str, Any]], disagreements: Mapping[str, Any]) -> list[Row]:
    categories = sorted({n["category"] for p in profiles for n in p.get("numbers", [])})
    rows = []
    for cat in categories:
        cells: list[list[Figure]] = []
        for p in profiles:
            mentions: Counter[tuple[str, int | float]] = Counter()
            sentences: dict[tuple[str, int | float], str] = {}
            for n in p.get("numbers", []):
                if n["category"] != cat:
                    continue
                k = (QUALIFIER_WORDS.get(n.get("qualifier") or "exact", str(n.get("qualifier"))), n["value"])
                mentions[k] += 1
                sentences.setdefault(k, str(n.get("sentence") or ""))
            cells.append(
                [Figure(v, q, mentions[q, v], sentences[q, v]) for q, v in sorted(mentions, key=lambda k: k[1])]
            )
        rows.append(Row(cat.replace("_", " "), cells, flagged=cat in disagreements))
    return rows


def comparison_view(comparison: Mapping[str, Any]) -> ComparisonView:
    """The table of `comparison` (the output of `compare_story` / `compare_analyses`), outlets in its order."""
    profiles: list[Mapping[str, Any]] = list(comparison.get("outlets", []))
    columns = [
        Column(
            name=str(p["outlet"]),
            country=p.get("country"),
            country_name=country_name(p.get("country")),
            ownership=str(p["ownership"]).replace("_", "-") if p.get("ownership") else None,
            articles=[
                ArticleCell(
                    a["id"], a.get("title"), a.get("published"), int(a.get("words") or 0), a.get("duplicate_of")
                )
                for a in p.get("articles", [])
            ],
        )
        for p in profiles
    ]
    reported = [set(p.get("events_reported", [])) for p in profiles]
    union = comparison.get("events") or sorted(set().union(*reported))
    # Events most outlets reported first: the omissions that stand out are the ones the others agree on.
    by_coverage = sorted(union, key=lambda k: (-sum(k in r for r in reported), k))
    events = [
        Row(event_label(k), [k in r for r in reported], flagged=not all(k in r for r in reported)) for k in by_coverage
    ]
    disagreements = comparison.get("number_disagreements") or {}
    return ComparisonView(
        columns=columns,
        quotes=[int(p.get("quoted", {}).get("quotes", 0)) for p in profiles],
        speakers=[[Count(n, c) for n, c in p.get("quoted", {}).get("speakers", {}).items()] for p in profiles],
        sources=[[Count(n, c) for n, c in p.get("quoted", {}).get("sources", {}).items()] for p in profiles],
        shares=[[Share(group_label(g), s) for g, s in p.get("quoted", {}).get("shares", {}).items()] for p in profiles],
        events=events,
        events_summary=[(len(r), len(union) - len(r)) for r in reported],
        labels=_labels(profiles),
        numbers=_numbers(profiles, disagreements),
        tone=[
            Tone(
                score=float(t.get("score", 0.0)),
                positive=int(t.get("positive", 0)),
                negative=int(t.get("negative", 0)),
                words=int(t.get("words", 0)),
                top_positive=list(t.get("top_positive", [])),
                top_negative=list(t.get("top_negative", [])),
            )
            for t in (p.get("tone", {}) for p in profiles)
        ],
        disagreements=len(disagreements),
    )
