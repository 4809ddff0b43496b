"""Which events of a story are the same event across outlets.

Owns grouping the coded events of a story's articles into story events, so the comparison can say which
outlet reported which event and which left it out. Outlets name the same party differently ("Moscow", "Russia",
"the Kremlin" are all RUS) and give a recipient or not ("Russia vetoed the draft" / "Russia vetoed the French
draft"), so two events are one story event when they have the same PLOVER type and negation, share an actor
(by country or group code, else by name), do not name disjoint recipients, and fall within a day of each other
(or one has no date). Events with no identified actor cannot be told apart across outlets and are left out.
The grouping is greedy over events in a fixed order (date, type, parties, outlet, article, offset), so it does
not depend on the order the articles were stored in.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from eventdesk.model import Event

# How many days apart two outlets' dates for one event may be (a report dated by publication vs by its own
# time expression, a time-zone's midnight).
MAX_DAYS = 1


@dataclass(frozen=True, slots=True)
class Mention:
    """One outlet's coding of an event, with its evidence."""

    outlet: str
    article: str
    event: Event


@dataclass
class StoryEvent:
    event: str
    negated: bool
    actors: set[str] = field(default_factory=set)
    recipients: set[str] = field(default_factory=set)
    dates: set[str] = field(default_factory=set)
    mentions: list[Mention] = field(default_factory=list)

    @property
    def label(self) -> str:
        who = "+".join(sorted(self.actors))
        whom = "+".join(sorted(self.recipients)) or "?"
        when = f" ({min(self.dates)})" if self.dates else ""
        return f"{'NOT ' if self.negated else ''}{self.event}: {who} -> {whom}{when}"

    @property
    def outlets(self) -> list[str]:
        return sorted({m.outlet for m in self.mentions})

    def accepts(self, e: Event, actors: set[str], recipients: set[str]) -> bool:
        if e.event != self.event or e.negated != self.negated or not actors & self.actors:
            return False
        if recipients and self.recipients and not recipients & self.recipients:
            return False
        day = _day(e.date)
        if day is None or not self.dates:
            return True
        return any(abs((day - other).days) <= MAX_DAYS for d in self.dates if (other := _day(d)) is not None)

    def to_dict(self) -> dict[str, Any]:
        return {
            "label": self.label,
            "event": self.event,
            "negated": self.negated,
            "actors": sorted(self.actors),
            "recipients": sorted(self.recipients),
            "dates": sorted(self.dates),
            "outlets": self.outlets,
            "evidence": [
                {
                    "outlet": m.outlet,
                    "article": m.article,
                    "text": m.event.evidence.text,
                    "start": m.event.evidence.start,
                    "end": m.event.evidence.end,
                }
                for m in self.mentions
            ],
        }


def parties(xs: Iterable[dict[str, Any]]) -> set[str]:
    """Country or group codes, else names: how outlets' parties are compared."""
    return {str(c) for x in xs if (c := x.get("country") or x.get("name"))}


def group(mentions: Iterable[Mention]) -> list[StoryEvent]:
    """Story events, each with the outlets' mentions of it, ordered by date then label."""
    keyed = []
    for m in mentions:
        actors = parties(m.event.actor)
        if not actors:
            continue
        recipients = parties(m.event.recipient)
        order = (
            m.event.date or "",
            m.event.event,
            "+".join(sorted(actors)),
            "+".join(sorted(recipients)),
            m.outlet,
            m.article,
            m.event.evidence.start,
        )
        keyed.append((order, m, actors, recipients))
    out: list[StoryEvent] = []
    for _, m, actors, recipients in sorted(keyed, key=lambda k: k[0]):
        # Prefer the story event with the most parties in common: "REJECT: RUS -> FRA" over "REJECT: RUS -> ?".
        fits = [s for s in out if s.accepts(m.event, actors, recipients)]
        if fits:
            s = max(fits, key=lambda s: (len(actors & s.actors) + len(recipients & s.recipients), -out.index(s)))
        else:
            s = StoryEvent(m.event.event, m.event.negated)
            out.append(s)
        s.actors |= actors
        s.recipients |= recipients
        if m.event.date:
            s.dates.add(m.event.date)
        s.mentions.append(m)
    return sorted(out, key=lambda s: (min(s.dates) if s.dates else "9999", s.label))


def _day(value: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value[:10]) if value else None
    except ValueError:
        return None
