"""Typed records that cross module boundaries, and their JSON shape.

The JSON of `Analysis.to_dict()` is the output contract (docs/output-contract.md, docs/analysis.schema.json).
Fields may be added; none may be renamed or removed without a version bump in the CHANGELOG.
This module holds no logic beyond (de)serialisation.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any, Literal

PublishedCertainty = Literal["stated", "inferred", "unknown"]
TimeCertainty = Literal["resolved", "inferred", "unresolved"]
Granularity = Literal["day", "month", "year", "week", "range"]
QuoteKind = Literal["direct", "partial", "indirect", "according_to", "mixed"]
Modality = Literal["asserted", "intended", "conditional", "hypothetical", "reported"]

SCHEMA_VERSION = "1.0"


@dataclass(frozen=True, slots=True)
class Span:
    """A stretch of `article.text`: `text == article.text[start:end]`."""

    text: str
    start: int
    end: int


@dataclass(slots=True)
class Dateline:
    """A wire dateline removed from the body ("MOSCOW, October 19. /TASS/.")."""

    text: str
    place: str | None = None
    date_text: str | None = None
    agency: str | None = None


@dataclass(slots=True)
class Article:
    id: str
    text: str
    source_path: str | None = None
    title: str | None = None
    outlet: str | None = None
    outlet_country: str | None = None
    url: str | None = None
    published: str | None = None
    published_certainty: PublishedCertainty = "unknown"
    # Added fields (the contract allows additions):
    published_note: str | None = None  # how the date was found or inferred
    outlet_source: str | None = None  # record | source_line | url | html_meta | dateline | registry
    outlet_ownership: str | None = None
    authors: list[str] = field(default_factory=list)
    dateline: Dateline | None = None
    content_hash: str = ""
    duplicate_of: str | None = None
    duplicate_kind: Literal["exact", "near"] | None = None

    def to_dict(self) -> dict[str, Any]:
        """The contract's field order (id, source_path, ..., text), then the added fields."""
        d = dataclasses.asdict(self)
        head = ["id", "source_path", "title", "outlet", "outlet_country", "url", "published", "published_certainty"]
        ordered = {k: d.pop(k) for k in head}
        text = d.pop("text")
        return {**ordered, "text": text, **d}

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Article:
        names = {f.name for f in dataclasses.fields(cls)}
        kw = {k: v for k, v in d.items() if k in names}
        if kw.get("dateline"):
            kw["dateline"] = Dateline(**kw["dateline"])
        return cls(**kw)


@dataclass(slots=True)
class Time:
    text: str
    start: int
    end: int
    value: str | None
    granularity: Granularity
    certainty: TimeCertainty


@dataclass(slots=True)
class Place:
    text: str
    start: int
    end: int
    name: str
    country: str | None
    lat: float | None
    lon: float | None
    geonameid: int | None


@dataclass(slots=True)
class Actor:
    text: str
    start: int
    end: int
    name: str | None
    country: str | None
    sector: str | None
    sector2: str | None = None


@dataclass(slots=True)
class Speaker:
    text: str
    name: str | None
    actor: dict[str, str | None] | None
    # Added fields: where the speaker's words stand in the text (the mention itself: "he", "the diplomat"),
    # and what kind of source it is: person | organisation | group | anonymous | unknown.
    start: int | None = None
    end: int | None = None
    kind: str | None = None


@dataclass(slots=True)
class Quote:
    text: str
    start: int
    end: int
    kind: QuoteKind
    speaker: Speaker | None
    cue: str | None


@dataclass(slots=True)
class Event:
    event: str
    mode: str | None
    context: list[str]
    quad_code: str
    cameo: str
    goldstein: float
    actor: list[dict[str, Any]]
    recipient: list[dict[str, Any]]
    date: str | None
    date_text: str | None
    location: dict[str, Any] | None
    negated: bool
    modality: Modality
    evidence: Span
    # Added field: the TimeML value of the event's own time expression when it is coarser than a day
    # ("2016-09" for "last month"); `date` stays a day or null, as the contract says.
    date_value: str | None = None


@dataclass(slots=True)
class Problem:
    """A per-article warning or error: `code` is from errors.py."""

    code: str
    message: str

    def __str__(self) -> str:
        return f"[{self.code}] {self.message}"


@dataclass(slots=True)
class Analysis:
    article: Article
    times: list[Time] = field(default_factory=list)
    places: list[Place] = field(default_factory=list)
    actors: list[Actor] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    errors: list[Problem] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        d = dataclasses.asdict(self)
        d["article"] = self.article.to_dict()
        return d

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Analysis:
        # Annotator records are plain dicts on the way back in: the store and exports read them as such.
        return cls(
            article=Article.from_dict(d["article"]),
            times=[Time(**t) for t in d.get("times", [])],
            places=[Place(**p) for p in d.get("places", [])],
            actors=[Actor(**a) for a in d.get("actors", [])],
            quotes=[_quote_from_dict(q) for q in d.get("quotes", [])],
            events=[_event_from_dict(e) for e in d.get("events", [])],
            errors=[Problem(**p) for p in d.get("errors", [])],
        )


def _quote_from_dict(d: dict[str, Any]) -> Quote:
    kw = dict(d)
    if kw.get("speaker"):
        kw["speaker"] = Speaker(**kw["speaker"])
    return Quote(**kw)


def _event_from_dict(d: dict[str, Any]) -> Event:
    kw = dict(d)
    kw["evidence"] = Span(**kw["evidence"])
    return Event(**kw)
