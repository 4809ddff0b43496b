"""eventdesk.timex: one sentence per form of issue 4, tense, no anchor, bad input, the pipeline stage."""

from __future__ import annotations

import datetime as dt
import importlib.util
import io
import sys
from contextlib import redirect_stdout
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from eventdesk import nlp, timex
from eventdesk.model import Analysis, Article, Granularity
from eventdesk.timex import Resolution, resolve

WED = dt.date(2016, 10, 19)  # a Wednesday
SHARED_TIMEML = Path(__file__).resolve().parents[2] / "shared" / "data" / "timeml"


@pytest.fixture(scope="session")
def parse():
    model = nlp.load()
    return model


def times(parse, text: str, anchor: str | None = "2016-10-19") -> list[tuple[str, str | None, str, str]]:
    doc = parse(text)
    found = timex.find(doc, anchor)
    for t in found:
        assert doc.text[t.start : t.end] == t.text
    return [(t.text, t.value, t.granularity, t.certainty) for t in found]


# ---------------------------------------------------------------------------------------------- resolve

FORMS = [
    # absolute
    ("October 19, 2016", "2016-10-19", "day", "resolved"),
    ("19 October", "2016-10-19", "day", "inferred"),
    ("Oct. 19", "2016-10-19", "day", "inferred"),
    ("Sept. 30", "2016-09-30", "day", "inferred"),
    ("2016-10-19", "2016-10-19", "day", "resolved"),
    ("19/10/2016", "2016-10-19", "day", "resolved"),
    ("10/19/2016", "2016-10-19", "day", "resolved"),
    ("05/06/2016", "2016-06-05", "day", "inferred"),  # both <= 12: read day-first
    ("the 6th", "2016-10-06", "day", "inferred"),
    ("Monday, Oct. 17", "2016-10-17", "day", "inferred"),
    ("the 19th of October", "2016-10-19", "day", "inferred"),
    # relative days
    ("today", "2016-10-19", "day", "resolved"),
    ("yesterday", "2016-10-18", "day", "resolved"),
    ("tomorrow", "2016-10-20", "day", "resolved"),
    ("tonight", "2016-10-19", "day", "resolved"),
    ("last night", "2016-10-18", "day", "resolved"),
    ("yesterday morning", "2016-10-18", "day", "resolved"),
    ("last Monday", "2016-10-17", "day", "resolved"),
    ("next Monday", "2016-10-24", "day", "resolved"),
    ("two days ago", "2016-10-17", "day", "resolved"),
    # weeks, months, years
    ("this week", "2016-W42", "week", "resolved"),
    ("last week", "2016-W41", "week", "resolved"),
    ("next week", "2016-W43", "week", "resolved"),
    ("in three weeks", "2016-W45", "week", "resolved"),
    ("this weekend", "2016-W42-WE", "week", "resolved"),
    ("this month", "2016-10", "month", "resolved"),
    ("last month", "2016-09", "month", "resolved"),
    ("next month", "2016-11", "month", "resolved"),
    ("earlier this month", "2016-10", "month", "resolved"),
    ("three months ago", "2016-07", "month", "resolved"),
    ("this year", "2016", "year", "resolved"),
    ("last year", "2015", "year", "resolved"),
    ("next year", "2017", "year", "resolved"),
    ("a year ago", "2015", "year", "resolved"),
    ("later this year", "2016", "year", "resolved"),
    ("March 2011", "2011-03", "month", "resolved"),
    ("last December", "2015-12", "month", "resolved"),
    ("this December", "2016-12", "month", "resolved"),
    ("October last year", "2015-10", "month", "resolved"),
    ("fiscal 1989", "1989", "year", "resolved"),
    # modifiers keep the granularity of what they modify
    ("late October", "2016-10", "month", "inferred"),
    ("mid-October", "2016-10", "month", "inferred"),
    ("mid-2015", "2015", "year", "resolved"),
    ("early next year", "2017", "year", "resolved"),
    ("the end of the year", "2016", "year", "resolved"),
    ("the end of next month", "2016-11", "month", "resolved"),
    # seasons, quarters, halves, decades, centuries
    ("last summer", "2016-SU", "range", "resolved"),
    ("next spring", "2017-SP", "range", "resolved"),
    ("winter 2015", "2015-WI", "range", "resolved"),
    ("the third quarter of 2015", "2015-Q3", "range", "resolved"),
    ("Q2 2016", "2016-Q2", "range", "resolved"),
    ("last quarter", "2016-Q3", "range", "resolved"),
    ("next year's first quarter", "2017-Q1", "range", "resolved"),
    ("the first half of 2016", "2016-H1", "range", "resolved"),
    ("the 1990s", "199", "range", "resolved"),
    ("the '80s", "198", "range", "inferred"),
    ("the nineties", "199", "range", "inferred"),
    ("the 20th century", "19", "range", "resolved"),
]


@pytest.mark.parametrize(("text", "value", "granularity", "certainty"), FORMS)
def test_resolve_forms(text: str, value: str, granularity: str, certainty: str) -> None:
    res = resolve(text, WED)
    assert res is not None
    assert (res.value, res.granularity, res.certainty) == (value, granularity, certainty)


def test_modifiers_are_reported_and_never_make_a_day() -> None:
    assert resolve("late October", WED) == Resolution("2016-10", "month", "inferred", "END")
    assert resolve("mid-2015", WED) == Resolution("2015", "year", "resolved", "MID")
    assert resolve("early next year", WED) == Resolution("2017", "year", "resolved", "START")


def test_anchor_may_be_an_iso_string() -> None:
    assert resolve("yesterday", "2016-10-19") == Resolution("2016-10-18", "day", "resolved")


@pytest.mark.parametrize(
    ("text", "tense", "value"),
    [
        ("Wednesday", "past", "2016-10-19"),  # said on the day of publication
        ("Friday", "past", "2016-10-14"),
        ("Friday", "future", "2016-10-21"),
        ("Monday", "future", "2016-10-24"),
        ("Monday", "past", "2016-10-17"),
        # No tense: the nearest, with a two-day lean to the past (news reports more than it forecasts).
        ("Friday", None, "2016-10-21"),
        ("Saturday", None, "2016-10-15"),
        ("the third quarter", "past", "2016-Q3"),
        ("the third quarter", "future", "2016-Q3"),  # ended weeks ago: nearer than next year's
        ("the first quarter", "future", "2017-Q1"),
        ("August 20", "past", "2016-08-20"),
        ("August 20", "future", "2017-08-20"),
        # A past verb often governs a coming date ("extended the offer to December 20"): a preference only.
        ("December 20", "past", "2016-12-20"),
        ("April 20", "past", "2016-04-20"),
        ("the 6th", "future", "2016-11-06"),
    ],
)
def test_resolve_with_tense(text: str, tense: timex.Tense | None, value: str) -> None:
    res = resolve(text, WED, tense)
    assert res is not None and res.value == value


def test_a_weekday_next_to_a_date_picks_the_year() -> None:
    # October 19 was a Thursday in 2017, a Wednesday in 2016.
    assert resolve("Thursday, October 19", dt.date(2017, 3, 1)) == Resolution("2017-10-19", "day", "inferred")
    assert resolve("Wednesday, October 19", dt.date(2017, 3, 1)) == Resolution("2016-10-19", "day", "inferred")


@pytest.mark.parametrize(
    ("text", "granularity"),
    [
        ("yesterday", "day"),
        ("last week", "week"),
        ("on Wednesday", None),
        ("Wednesday", "day"),
        ("19 October", "day"),
        ("late October", "month"),
        ("two days ago", "day"),
        ("the third quarter", "range"),
    ],
)
def test_relative_expressions_stay_unresolved_without_anchor(text: str, granularity: Granularity | None) -> None:
    res = resolve(text, None)
    if granularity is None:
        assert res is None  # "on Wednesday" is not one expression: `find` gives "Wednesday"
    else:
        assert res == Resolution(None, granularity, "unresolved", res.mod if res else None)


@pytest.mark.parametrize(
    ("text", "value"),
    [("October 19, 2016", "2016-10-19"), ("March 2011", "2011-03"), ("mid-2015", "2015"), ("the 1990s", "199")],
)
def test_absolute_expressions_resolve_without_anchor(text: str, value: str) -> None:
    res = resolve(text, None)
    assert res is not None and res.value == value and res.certainty == "resolved"


@pytest.mark.parametrize(
    "text",
    [
        "32 October",
        "October 32",
        "February 30, 2016",
        "99999",
        "the year 99999",
        "13/13/2016",
        "",
        "   ",
        "October 19, 2016 " * 400,
        "نوفمبر ٢٠١٦",
        "0000-00-00",
        "the 45th",
    ],
)
def test_bad_input_gives_no_value(text: str) -> None:
    assert resolve(text, WED) is None


@settings(max_examples=300, deadline=None)
@given(
    text=st.text(max_size=120),
    anchor=st.one_of(st.none(), st.dates()),
    tense=st.sampled_from([None, "past", "present", "future"]),
)
def test_resolve_never_raises(text: str, anchor: dt.date | None, tense: timex.Tense | None) -> None:
    res = resolve(text, anchor, tense)
    assert res is None or isinstance(res, Resolution)


@settings(max_examples=200, deadline=None)
@given(
    day=st.integers(-5, 40),
    month=st.sampled_from(["October", "Feb.", "May", "Dec"]),
    year=st.integers(0, 120000),
    anchor=st.one_of(st.none(), st.dates()),
)
def test_resolve_never_invents_an_impossible_day(day: int, month: str, year: int, anchor: dt.date | None) -> None:
    res = resolve(f"{month} {day}, {year}", anchor)
    if res is not None and res.granularity == "day" and res.value is not None:
        assert dt.date.fromisoformat(res.value).day == day


# ------------------------------------------------------------------------------------------------- find


def test_find_reads_tense_from_the_governing_verb(parse) -> None:
    fri = "2016-10-21"
    assert times(parse, "The ministers met on Wednesday in Geneva.", fri) == [
        ("Wednesday", "2016-10-19", "day", "inferred")
    ]
    assert times(parse, "The ministers will meet on Wednesday in Geneva.", fri) == [
        ("Wednesday", "2016-10-26", "day", "inferred")
    ]
    assert times(parse, "Talks are expected to resume on Monday.", fri) == [("Monday", "2016-10-24", "day", "inferred")]
    assert times(parse, "Rebels attacked the town on Monday.", fri) == [("Monday", "2016-10-17", "day", "inferred")]


def test_find_month_and_day_without_year_nearest_the_anchor(parse) -> None:
    assert times(parse, "The summit opened on December 20.", "2016-01-05") == [
        ("December 20", "2015-12-20", "day", "inferred")
    ]
    assert times(parse, "The summit will open on January 3.", "2016-12-20") == [
        ("January 3", "2017-01-03", "day", "inferred")
    ]


def test_find_several_forms_with_offsets(parse) -> None:
    got = times(parse, "Russia rejected the plan yesterday, two days after talks in late September 2016.")
    assert got == [
        ("yesterday", "2016-10-18", "day", "resolved"),
        ("late September 2016", "2016-09", "month", "resolved"),
    ]


def test_find_without_anchor(parse) -> None:
    got = times(parse, "The army left the city on October 19, 2016, and returned yesterday.", None)
    assert got == [("October 19, 2016", "2016-10-19", "day", "resolved"), ("yesterday", None, "day", "unresolved")]


def test_find_skips_names_quantities_and_durations(parse) -> None:
    assert times(parse, "Theresa May said 2000 troops arrived.") == []
    assert times(parse, "The war lasted three years and the veteran is 35 years old.") == []


def test_find_quarter_discourse(parse) -> None:
    got = times(parse, "Net income rose 5% in the third quarter from $3 million a year ago. The quarter was weak.")
    assert got == [
        ("the third quarter", "2016-Q3", "range", "inferred"),
        ("a year ago", "2015-Q3", "range", "inferred"),
        ("The quarter", "2016-Q3", "range", "inferred"),
    ]


def test_find_never_invents_a_value_for_bad_dates(parse) -> None:
    got = times(parse, "The vote was held on 32 October 2016 in the year 99999.")
    assert all(value is None for _, value, _, _ in got)
    assert not any("October" in text for text, _, _, _ in got)


def test_find_handles_long_and_foreign_text(parse) -> None:
    text = ("Ceasefire talks resumed on Monday. " * 300) + "Переговоры возобновились в понедельник. 停火谈判周一恢复。"
    got = times(parse, text)
    assert len(got) == 300 and {v for _, v, _, _ in got} == {"2016-10-17"}


def test_annotator_fills_analysis_times(parse) -> None:
    text = "Russia rejected the plan on Tuesday."
    analysis = Analysis(article=Article(id="a1", text=text, published="2016-10-19"))
    timex.TimexAnnotator()(parse(text), analysis, object())
    assert [(t.text, t.value) for t in analysis.times] == [("Tuesday", "2016-10-18")]


def test_lexicon_tables_are_consistent() -> None:
    lex = timex.lexicon()
    assert sorted(set(lex.months.values())) == list(range(1, 13))
    assert sorted(set(lex.weekdays.values())) == list(range(1, 8))
    assert set(lex.seasons.values()) == set(lex.season_months)


# ----------------------------------------------------------------------------------------------- shared


@pytest.mark.shared
@pytest.mark.slow
def test_timeml_value_accuracy_floor() -> None:
    if not SHARED_TIMEML.is_dir():
        pytest.skip("../shared/data/timeml is absent")
    spec = importlib.util.spec_from_file_location("bench_timex", Path(__file__).parents[1] / "bench" / "timex.py")
    assert spec is not None and spec.loader is not None
    bench = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = bench  # dataclasses look their module up while the module loads
    spec.loader.exec_module(bench)
    out = io.StringIO()
    with redirect_stdout(out):
        bench.main(["--data", str(SHARED_TIMEML)])
    line = next(ln for ln in out.getvalue().splitlines() if ln.startswith("all "))
    _, _, recall, value_acc, *_ = line.split()
    assert float(recall) >= 0.9 and float(value_acc) >= 0.85
