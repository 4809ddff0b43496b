"""Publication dates without fabrication: stated, inferred (and how), or unknown."""

from __future__ import annotations

import datetime as dt

import pytest

from eventdesk.ingest.metadata import PartialDate, date_from_url, infer_year, parse_date


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Wednesday, October 19, 2016", PartialDate(10, 19, 2016)),
        ("Oct. 19, 2016 14:35 GMT", PartialDate(10, 19, 2016)),
        ("19 October 2016", PartialDate(10, 19, 2016)),
        ("2016-10-19T14:35:00+03:00", PartialDate(10, 19, 2016)),
        ("19.10.2016, 12:31", PartialDate(10, 19, 2016)),
        ("10/19/2016", PartialDate(10, 19, 2016)),
        ("October 19", PartialDate(10, 19, None)),
        ("the 19th of October", PartialDate(10, 19, None)),
        ("05/06/2016", None),  # day-month order unknowable
        ("32 October 2016", None),
        ("February 30, 2016", None),
        ("October 19, 99999", PartialDate(10, 19, None)),
        ("no date here", None),
    ],
)
def test_parse_date(text, expected):
    assert parse_date(text) == expected


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://news.example/world/2016/10/06/aleppo-truce", dt.date(2016, 10, 6)),
        ("https://news.example/20161006/aleppo.html", dt.date(2016, 10, 6)),
        ("https://news.example/2016-10-06-aleppo", dt.date(2016, 10, 6)),
        ("https://news.example/world/12345/aleppo", None),
        ("https://news.example/2016/13/40/x", None),
        (None, None),
    ],
)
def test_date_from_url(url, expected):
    assert date_from_url(url) == expected


LEDE = "Russia on Wednesday vetoed the draft.\n\nThe war began in 2011 and fighting intensified in 2016."


def test_infer_year_from_weekday_and_years_mentioned():
    day, note = infer_year(PartialDate(10, 19), LEDE)
    assert day == dt.date(2016, 10, 19)
    assert "Wednesday" in note and "2016" in note


def test_infer_year_weekday_in_the_date_line_wins():
    day, _ = infer_year(PartialDate(10, 20), "Talks resumed in 2016.", hint="Thursday, October 20")
    assert day == dt.date(2016, 10, 20)


def test_no_inference_without_years_or_weekday_or_when_ambiguous():
    assert infer_year(PartialDate(10, 19), "Russia on Wednesday vetoed the draft.") is None  # no year mentioned
    assert infer_year(PartialDate(10, 19), "Russia vetoed the draft in 2016.") is None  # no weekday
    # Two weekdays in the lede: which is the dateline's day is unknowable.
    assert infer_year(PartialDate(10, 19), "On Tuesday and Wednesday in 2016 talks failed.") is None
