"""Article metadata without fabrication: title, outlet, url, authors and the publication date.

Owns deciding between the clues a page leaves (record fields, HTML metadata, header date lines, the wire
dateline, the URL path, the outlet registry) and saying how each was decided. A date is `stated` when the
page states it, `inferred` when clues pin it down (a dateline's month and day plus a weekday named in the
text), otherwise `unknown` with `published: null`. Today's date is never a default.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

MONTH_NUM = {
    m: i
    for i, names in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ],
        start=1,
    )
    for m in names
}
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_MONTH = "|".join(sorted(MONTH_NUM, key=len, reverse=True))
_MDY = re.compile(rf"\b({_MONTH})\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?\b(?:,?\s+(\d{{4}})(?!\d))?", re.I)
_DMY = re.compile(rf"\b(\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?({_MONTH})\.?(?:,?\s+(\d{{4}})(?!\d))?", re.I)
_ISO = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})(?:[T ]|\b)")
_NUMERIC = re.compile(r"\b(\d{1,2})([./-])(\d{1,2})\2(\d{4})\b")
_URL_DATE = re.compile(r"/((?:19|20)\d{2})[/-]?(0[1-9]|1[0-2])[/-]?(0[1-9]|[12]\d|3[01])(?:/|-|_|\.|$)")
_YEAR = re.compile(r"\b(19[5-9]\d|20\d\d)\b")
_WEEKDAY = re.compile(r"\b(" + "|".join(WEEKDAYS) + r")\b", re.I)
# Years the window for inferring a year reaches back from the latest year the text mentions: news mentions
# background years ("the war began in 2011"), and a weekday repeats within 5-6 years, so a short window.
INFER_WINDOW_YEARS = 2


@dataclass(frozen=True, slots=True)
class PartialDate:
    """A date a clue gives, with or without its year."""

    month: int
    day: int
    year: int | None = None

    def full(self) -> dt.date | None:
        if self.year is None:
            return None
        try:
            return dt.date(self.year, self.month, self.day)
        except ValueError:
            return None


def _valid(year: int | None, month: int, day: int) -> bool:
    if not (1 <= month <= 12 and 1 <= day <= 31):
        return False
    if year is None:
        return True
    try:
        dt.date(year, month, day)
    except ValueError:
        return False
    return 1900 <= year <= 2100


def parse_date(text: str) -> PartialDate | None:
    """The first date in a short text ("Wednesday, October 19, 2016", "19.10.2016", "2016-10-19T10:00Z")."""
    found: list[tuple[int, PartialDate]] = []
    if m := _ISO.search(text):
        y, mo, d = int(m.group(1)), int(m.group(2)), int(m.group(3))
        if _valid(y, mo, d):
            found.append((m.start(), PartialDate(mo, d, y)))
    if m := _MDY.search(text):
        mo, d = MONTH_NUM[m.group(1).lower()], int(m.group(2))
        year = int(m.group(3)) if m.group(3) else None
        if _valid(year, mo, d):
            found.append((m.start(), PartialDate(mo, d, year)))
    if m := _DMY.search(text):
        d, mo = int(m.group(1)), MONTH_NUM[m.group(2).lower()]
        year = int(m.group(3)) if m.group(3) else None
        if _valid(year, mo, d):
            found.append((m.start(), PartialDate(mo, d, year)))
    if m := _NUMERIC.search(text):
        a, b, y = int(m.group(1)), int(m.group(3)), int(m.group(4))
        # 19/10/2016 and 10/19/2016 are unambiguous; 05/06/2016 is not, and is left alone.
        if a > 12 and _valid(y, b, a):
            found.append((m.start(), PartialDate(b, a, y)))
        elif b > 12 and _valid(y, a, b):
            found.append((m.start(), PartialDate(a, b, y)))
    if not found:
        return None
    return min(found, key=lambda f: f[0])[1]


def date_from_url(url: str | None) -> dt.date | None:
    """A /2016/10/06/ (or /20161006/, /2016-10-06-) path segment."""
    if not url:
        return None
    m = _URL_DATE.search(url)
    if not m:
        return None
    y, mo, d = (int(g) for g in m.groups())
    return dt.date(y, mo, d) if _valid(y, mo, d) else None


def infer_year(partial: PartialDate, text: str, hint: str = "") -> tuple[dt.date, str] | None:
    """The year of a month-day date from a weekday clue and the years the text mentions.

    The weekday comes from `hint` (the line the date stood in, e.g. "Wednesday, October 19") or else from the
    first paragraph that names one (wire copy says "on Wednesday" of the dateline's day). The year must be the
    only one in the window [latest year mentioned - 2, latest year mentioned + 1] whose date falls on that
    weekday; otherwise nothing is inferred.
    """
    years = [int(y) for y in _YEAR.findall(text)]
    if not years:
        return None
    weekdays: set[int] = {WEEKDAYS.index(w.lower()) for w in _WEEKDAY.findall(hint)}
    where = "in the date line"
    if not weekdays:
        for para in text.split("\n\n"):
            weekdays = {WEEKDAYS.index(w.lower()) for w in _WEEKDAY.findall(para)}
            if weekdays:
                where = "in the text"
                break
    if not weekdays or len(weekdays) > 1:
        return None
    latest = max(years)
    lo = max(min(years), latest - INFER_WINDOW_YEARS)
    window = range(lo, latest + 2)
    fits = [d for y in window if (d := PartialDate(partial.month, partial.day, y).full()) and d.weekday() in weekdays]
    if len(fits) != 1:
        return None
    day = fits[0]
    note = (
        f"year inferred: {day:%B} {day.day} is a {WEEKDAYS[day.weekday()].title()} (the weekday named {where}) "
        f"only in {day.year} among {lo}-{latest + 1} (the years the text mentions, plus one)"
    )
    return day, note
