"""Coverage comparison: labels, numbers, tone on texts written for the tests and on the demo corpus; quotes and
events on hand-built analyses (the comparison logic, independent of the quote and event stages)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from eventdesk import compare, stories
from eventdesk.ingest.outlets import OutletRegistry
from eventdesk.model import Analysis, Article, Event, Quote, Span, Speaker
from eventdesk.store import Store

DEMO = Path(__file__).resolve().parents[1] / "demo"


def test_labels_tell_own_words_from_quoted_ones_longest_match_first() -> None:
    text = 'The regime said "terrorists" attacked, but opposition fighters and rebel-held towns were calm.'
    s = compare.summarise_labels(compare.labels("Rebels hold out", text))
    assert s["armed_opposition"]["own"] == ["opposition fighters", "rebel-held", "rebels"]
    assert s["armed_opposition"]["quoted_only"] == ["terrorists"]
    assert s["government"]["own"] == ["regime"]
    hit = next(h for h in compare.labels(None, text) if h["term"] == "opposition fighters")
    assert text[hit["start"] : hit["end"]] == "opposition fighters" and hit["frame"] == "neutral"


def test_numbers_with_category_qualifier_and_sentence() -> None:
    got = compare.numbers("A convoy of 23 trucks arrived. About 450 people left. Three civilians were killed.")
    assert [(n["category"], n["value"], n["qualifier"]) for n in got] == [
        ("aid_trucks", 23, "exact"),
        ("people", 450, "about"),
        ("killed", 3, "exact"),
    ]
    assert got[1]["sentence"] == "About 450 people left."


def test_tone_is_a_transparent_count() -> None:
    t = compare.tone(None, "The truce held and aid was delivered, despite shelling.")
    assert (t["positive"], t["negative"], t["words"]) == (3, 1, 9)
    assert t["score"] == round((3 - 1) / 9 * 100, 2)


def _quote(name: str | None, country: str | None, sector: str | None) -> Quote:
    actor = {"country": country, "sector": sector} if sector else None
    return Quote("x", 0, 1, "direct", Speaker(name or "a source", name, actor), "said")


def test_who_is_quoted_names_people_apart_from_anonymous_and_institutional_sources() -> None:
    def q(text: str, name: str | None, kind: str | None) -> Quote:
        return Quote("x", 0, 1, "indirect", Speaker(text, name, None, kind=kind), "said")

    got = compare.speakers(
        [
            q("Foreign Minister Ana Lind", "Ana Lind", "person"),
            q("she", "Ana Lind", "person"),
            q("Lind", "Ana Lind", None),  # stored before the stage gave a kind: a named speaker is a person
            q("Russia", "Russia", "organisation"),
            q("A senior Western diplomat", None, "anonymous"),
            q("The diplomat", None, "anonymous"),
            q("the diplomat", None, "anonymous"),
            Quote("x", 0, 1, "direct", None, None),
        ]
    )
    assert got["speakers"] == {"Ana Lind": 3}
    assert got["sources"] == {"the diplomat": 2, "Russia": 1, "a senior Western diplomat": 1}
    assert (got["quotes"], got["unattributed"]) == (8, 1)


def _event(code: str, actor: str, recipient: str) -> Event:
    return Event(
        code,
        None,
        [],
        "VERBAL_CONFLICT",
        "12",
        -4.0,
        [{"name": actor}],
        [{"name": recipient}],
        None,
        None,
        None,
        False,
        "asserted",
        Span("x", 0, 1),
    )


def test_quotes_and_events_side_by_side_from_hand_built_analyses() -> None:
    a = Analysis(
        Article("a", "Rebels and the regime.", title="A", outlet="Alpha", published="2020-01-01"),
        quotes=[
            _quote("Ana Lind", "UNO", "IGO"),
            _quote("Ana Lind", "UNO", "IGO"),
            _quote("Ivan Petrov", "RUS", "GOV"),
        ],
        events=[_event("REJECT", "Russia", "United Nations"), _event("AID", "United Nations", "Aleppo")],
    )
    b = Analysis(
        Article("b", "Terrorists and the government.", title="B", outlet="Beta", published="2020-01-02"),
        quotes=[_quote(None, None, None), _quote("Omar Said", "SYR", "REB")],
        events=[_event("AID", "United Nations", "Aleppo")],
    )
    r = compare.compare_analyses([b, a])
    alpha, beta = r["outlets"]
    assert (alpha["outlet"], beta["outlet"]) == ("Alpha", "Beta")
    assert alpha["quoted"]["speakers"] == {"Ana Lind": 2, "Ivan Petrov": 1}
    assert alpha["quoted"]["shares"] == {"UN": 0.667, "government:RUS": 0.333}
    assert (beta["quoted"]["speakers"], beta["quoted"]["sources"]) == ({"Omar Said": 1}, {"a source": 1})
    assert beta["quoted"]["shares"] == {"anonymous": 0.5, "armed groups": 0.5}
    assert r["events"] == ["AID: United Nations -> Aleppo", "REJECT: Russia -> United Nations"]
    assert alpha["events_omitted"] == [] and beta["events_omitted"] == ["REJECT: Russia -> United Nations"]
    assert alpha["labels"]["armed_opposition"]["own"] == ["rebels"]
    assert beta["labels"]["armed_opposition"]["own"] == ["terrorists"]


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, dict[str, str]]:
    from eventdesk.cli import app

    path = str(tmp_path_factory.mktemp("demo") / "demo.db")
    CliRunner().invoke(
        app, ["ingest", str(DEMO / "corpus"), "--db", path, "--outlets", str(DEMO / "outlets.csv"), "--workers", "1"]
    )
    store = Store(path)
    stories.recluster(store)
    expected = json.loads((DEMO / "expected.json").read_text(encoding="utf-8"))
    story_of = {a["title"]: a["story"] for a in expected["articles"]}
    ids = {str(story_of[s["articles"][0]["title"]]): s["story_id"] for s in stories.list_stories(store)}
    store.close()
    return path, ids


def test_demo_labels_per_outlet_match_expected(demo: tuple[str, dict[str, str]]) -> None:
    path, ids = demo
    expected = json.loads((DEMO / "expected.json").read_text(encoding="utf-8"))
    store = Store(path)
    got = compare.compare_story(store, ids["2"], [DEMO / "outlets.csv"])
    store.close()
    by_outlet = {p["outlet"]: p for p in got["outlets"]}
    exp = {c["outlet"]: c["labels"] for c in expected["stories"][1]["coverage"]}
    for outlet in (
        "Syrian National Broadcasting Authority",
        "Gulf Horizon",
        "Russian Information Network",
        "Bab al-Nasr News",
    ):
        labels = by_outlet[outlet]["labels"]
        assert labels["armed_opposition"]["own"] == sorted(exp[outlet]["armed_opposition"], key=str.lower)
        assert labels["armed_opposition"]["quoted_only"] == exp[outlet]["armed_opposition_in_quotes_only"]
        assert labels.get("government", {}).get("own", []) == sorted(exp[outlet]["government"], key=str.lower)
    # RIN's two articles (one stored under its short name) are one column, with its country and ownership.
    rin = by_outlet["Russian Information Network"]
    assert (len(rin["articles"]), rin["country"], rin["ownership"]) == (2, "RUS", "state_controlled")


def test_demo_aid_truck_numbers_disagree(demo: tuple[str, dict[str, str]]) -> None:
    path, ids = demo
    store = Store(path)
    got = compare.compare_story(store, ids["2"], [DEMO / "outlets.csv"])
    assert got["number_disagreements"]["aid_trucks"] == {
        "Atlas Wire": [23],
        "Bab al-Nasr News": [9],
        "Gulf Horizon": [18],
        "Russian Information Network": [48],
        "Syrian National Broadcasting Authority": [50],
    }
    pair = compare.compare_outlets(store, "Atlas Wire", "Gulf Horizon", [DEMO / "outlets.csv"])
    store.close()
    assert pair["stories_compared"] == 2
    assert pair["summary"]["Gulf Horizon"]["labels"]["government"] == {
        "regime": 7,
        "regime forces": 2,
        "regime-held": 1,
        "Syrian government": 1,
    }


def test_cli_compare(demo: tuple[str, dict[str, str]]) -> None:
    import typer

    from eventdesk.commands.stories import register

    app = typer.Typer()
    register(app)
    path, ids = demo
    run = CliRunner().invoke
    res = run(app, ["compare", ids["1"], "--db", path, "--format", "json", "--outlet-file", str(DEMO / "outlets.csv")])
    assert res.exit_code == 0
    assert len(json.loads(res.output)["outlets"]) == 6
    assert run(app, ["compare", ids["1"], "--db", path]).exit_code == 0
    assert run(app, ["compare", "--outlets", "Atlas Wire,Gulf Horizon", "--db", path]).exit_code == 0
    assert run(app, ["compare", "nope", "--db", path]).exit_code == 2
    assert run(app, ["compare", "--db", path]).exit_code == 2
    assert OutletRegistry.load([DEMO / "outlets.csv"]).by_name("RIN") is not None


# Who the comparison shows as quoted, per story and outlet, is exactly the named people of demo/expected.json
# (the corpus author's ground truth), with these known differences: (story, outlet) -> (extra, missing, why).
# Known differences from the ground truth: (story, outlet) -> (extra names, missing names, why). None now.
DEMO_SPEAKER_DIFFERENCES: dict[tuple[int, str], tuple[set[str], set[str], str]] = {}


def test_demo_speakers_per_outlet_are_exactly_the_ground_truth(demo: tuple[str, dict[str, str]]) -> None:
    path, ids = demo
    expected = json.loads((DEMO / "expected.json").read_text(encoding="utf-8"))
    store = Store(path)
    got: dict[tuple[int, str], dict[str, Any]] = {}
    for story in expected["stories"]:
        comp = compare.compare_story(store, ids[str(story["story"])], [DEMO / "outlets.csv"])
        got |= {(story["story"], p["outlet"]): p["quoted"] for p in comp["outlets"]}
    store.close()
    people = {p["name"] for p in expected["people"]}
    total = 0
    for story in expected["stories"]:
        for coverage in story["coverage"]:
            key = (story["story"], coverage["outlet"])
            want = {s["name"] for s in coverage["speakers"]}
            extra, missing, _why = DEMO_SPEAKER_DIFFERENCES.get(key, (set(), set(), ""))
            assert set(got[key]["speakers"]) == (want | extra) - missing, key
            # The split agrees with the ground truth's: no person of the corpus is listed as a source.
            assert not people & set(got[key]["sources"]), key
            total += len(want)
    assert total == 55


def _coded(spec: dict[str, Any], story_event: dict[str, Any]) -> bool:
    """A story event is the ground truth's event: an accepted type, a shared actor code, the day within one."""
    if story_event["event"] not in spec["event"] or not set(story_event["actors"]) & set(spec["actor"]):
        return False
    days = [dt.date.fromisoformat(d) for d in spec.get("dates", [])]
    have = [dt.date.fromisoformat(d[:10]) for d in story_event["dates"]]
    return not days or not have or any(abs((a - b).days) <= 1 for a in days for b in have)


# Of the (outlet, story event) pairs of the demo ground truth that PLOVER codes, how many the comparison puts
# on the right side (reported / left out). Measured 2026-11-23: 0.52 (68/130); most errors are events the coder
# misses in long articles (a story event left out that the outlet did report), see docs/benchmarks.md.
DEMO_EVENT_AGREEMENT_FLOOR = 0.62  # measured 84/130 = 0.65 (session 3); not exact: see docs/benchmarks.md


def test_demo_events_reported_and_left_out_against_the_ground_truth(demo: tuple[str, dict[str, str]]) -> None:
    path, ids = demo
    expected = json.loads((DEMO / "expected.json").read_text(encoding="utf-8"))
    store = Store(path)
    right = total = 0
    for story in expected["stories"]:
        comp = compare.compare_story(store, ids[str(story["story"])], [DEMO / "outlets.csv"])
        assert comp["events"] == [s["label"] for s in comp["story_events"]]
        for coverage in story["coverage"]:
            mine = next(p for p in comp["outlets"] if p["outlet"] == coverage["outlet"])
            assert set(mine["events_reported"]).isdisjoint(mine["events_omitted"])
            assert sorted(mine["events_reported"] + mine["events_omitted"]) == sorted(comp["events"])
            for event in story["events"]:
                if event["coded_as"] is None:
                    continue
                said = any(
                    _coded(event["coded_as"], s) and coverage["outlet"] in s["outlets"] for s in comp["story_events"]
                )
                right += said == (event["id"] in coverage["events_reported"])
                total += 1
    store.close()
    assert total == 130
    assert right / total >= DEMO_EVENT_AGREEMENT_FLOOR
