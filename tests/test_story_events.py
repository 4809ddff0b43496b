"""Story events: one outlet's "Moscow vetoed the draft" and another's "Russia vetoed the French draft" are one."""

from __future__ import annotations

import itertools

from eventdesk import story_events
from eventdesk.model import Event, Span


def ev(kind: str, actor: str, recipient: str | None, date: str | None, negated: bool = False, at: int = 0) -> Event:
    return Event(
        kind,
        None,
        [],
        "VERBAL_CONFLICT",
        "12",
        -4.0,
        [{"name": f"name of {actor}", "country": actor}] if actor else [],
        [{"name": None, "country": recipient}] if recipient else [],
        date,
        None,
        None,
        negated,
        "asserted",
        Span("sentence", at, at + 8),
    )


def mentions() -> list[story_events.Mention]:
    return [
        story_events.Mention("Alpha", "a1", ev("REJECT", "RUS", "FRA", "2016-10-19")),
        story_events.Mention("Beta", "b1", ev("REJECT", "RUS", None, "2016-10-19")),  # no recipient named
        story_events.Mention("Gamma", "g1", ev("REJECT", "RUS", "FRA", "2016-10-20")),  # dated a day later
        story_events.Mention("Gamma", "g1", ev("REJECT", "RUS", "USA", "2016-10-19", at=40)),  # another target
        story_events.Mention("Alpha", "a1", ev("REJECT", "RUS", "FRA", "2016-10-25", at=80)),  # a week later
        story_events.Mention("Beta", "b1", ev("REJECT", "RUS", "FRA", "2016-10-19", negated=True, at=40)),
        story_events.Mention("Beta", "b1", ev("ACCUSE", "FRA", "RUS", "2016-10-19", at=80)),
        story_events.Mention("Beta", "b1", ev("ACCUSE", "", None, "2016-10-19", at=120)),  # no actor: left out
    ]


def test_same_type_shared_actor_compatible_recipients_within_a_day_are_one_event() -> None:
    got = [(s.label, s.outlets) for s in story_events.group(mentions())]
    assert got == [
        ("ACCUSE: FRA -> RUS (2016-10-19)", ["Beta"]),
        ("NOT REJECT: RUS -> FRA (2016-10-19)", ["Beta"]),
        ("REJECT: RUS -> FRA (2016-10-19)", ["Alpha", "Beta", "Gamma"]),
        ("REJECT: RUS -> USA (2016-10-19)", ["Gamma"]),
        ("REJECT: RUS -> FRA (2016-10-25)", ["Alpha"]),
    ]


def test_grouping_does_not_depend_on_the_order_of_the_articles() -> None:
    want = [s.to_dict() for s in story_events.group(mentions())]
    for order in itertools.islice(itertools.permutations(mentions()), 0, 2000, 97):
        assert [s.to_dict() for s in story_events.group(order)] == sorted(
            want, key=lambda d: (min(d["dates"]) if d["dates"] else "9999", d["label"])
        )


def test_each_story_event_keeps_its_evidence_with_offsets() -> None:
    first = next(s for s in story_events.group(mentions()) if s.label.startswith("REJECT: RUS -> FRA (2016-10-19)"))
    assert [(e["outlet"], e["article"], e["start"], e["end"]) for e in first.to_dict()["evidence"]] == [
        ("Beta", "b1", 0, 8),  # in the grouping's fixed order: date, type, parties (none named first), outlet
        ("Alpha", "a1", 0, 8),
        ("Gamma", "g1", 0, 8),
    ]
