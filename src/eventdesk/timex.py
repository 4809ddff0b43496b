"""Time expressions: recognise them in the parsed Doc and normalise them to TimeML-style values.

This module owns `analysis.times`. It reads the spaCy Doc the pipeline made (tokens, tags, dependency
parse, DATE entities) and never re-parses; its words (months, weekdays, seasons, shift words, modifiers)
live in `data/timex/lexicon.toml`, the patterns here are built from them.

Values (TimeML `value` conventions):

- day "2016-10-19"; month "2016-10"; year "2016"; ISO week "2016-W42"; weekend "2016-W42-WE";
- quarter "2016-Q3", half "2016-H1", season "2016-SP|SU|FA|WI" (meteorological, northern hemisphere;
  "2016-WI" is the winter that starts in December 2016), decade "198" (the 1980s), century "19" (the
  twentieth century).
- granularity is "day", "week", "month" or "year" for those units and "range" for quarters, halves,
  seasons, decades, centuries and expressions we recognise but cannot normalise.
- modifiers ("late October", "mid-2015", "early next year", "the end of the year") keep the value and
  granularity of what they modify and are reported in `Resolution.mod` (START, MID, END, BEFORE, AFTER);
  a modifier never invents a day.

Anchoring: the anchor is the publication date. Relative expressions ("yesterday", "last week", "two days
ago") are calendar arithmetic on it. A weekday, a month (and day) without a year, a year-less quarter or
season, "the 6th": the occurrence nearest the anchor that is consistent with the tense of the governing
verb (past: not after the anchor; future: not before it; otherwise the nearest). "last X" is the latest X
ending before the anchor, "next X" the first starting after it. "Wednesday, October 19" prefers the year in
which October 19 is a Wednesday. Numeric dates with both parts <= 12 ("05/06/2016") are read day-first.

Certainty: "resolved" when the text plus calendar arithmetic on the anchor fix the value; "inferred" when a
heuristic chose it (tense or nearest occurrence, day-first reading, a two-digit year, a discourse referent
such as "the quarter" or "a year ago" next to a quarter); "unresolved" (value null) when it needs an anchor
we do not have or a referent we did not find. Nothing is ever anchored to today's date.

Must not: guess a value for impossible dates ("32 October", year 99999), raise on any input, or emit
durations and ages ("three years", "35 years old") as times.
"""

from __future__ import annotations

import datetime as dt
import re
import tomllib
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources as importlib_resources
from typing import TYPE_CHECKING, Any, Literal

from eventdesk.model import Granularity, Time, TimeCertainty

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

    from eventdesk.model import Analysis

Tense = Literal["past", "present", "future"]

# No time expression is longer than this; longer input to `resolve` is not one (and costs nothing).
MAX_EXPRESSION_CHARS = 80
# Years outside this range are not read as years (a "year 99999" is a number, not a date).
MIN_YEAR, MAX_YEAR = 1000, 2999


@dataclass(frozen=True, slots=True)
class Resolution:
    """One normalised expression. `mod` is the TimeML modifier (START, MID, END, BEFORE, AFTER) or None."""

    value: str | None
    granularity: Granularity
    certainty: TimeCertainty
    mod: str | None = None


# --------------------------------------------------------------------------------------------- lexicon


@dataclass(frozen=True)
class Lexicon:
    months: dict[str, int]
    month_abbreviations: dict[str, int]
    weekdays: dict[str, int]
    seasons: dict[str, str]
    season_months: dict[str, tuple[int, int]]
    deictic_days: dict[str, int]
    parts_of_day: tuple[str, ...]
    shifts: dict[str, int]
    numbers: dict[str, int]
    units: dict[str, str]
    ago_words: dict[str, int]
    ordinals: dict[str, int]
    modifiers: dict[str, str]
    decade_words: dict[str, int]
    non_dates: frozenset[str]

    @classmethod
    def from_toml(cls, raw: dict[str, Any]) -> Lexicon:
        return cls(
            months=dict(raw["months"]),
            month_abbreviations=dict(raw["month_abbreviations"]),
            weekdays=dict(raw["weekdays"]),
            seasons=dict(raw["seasons"]),
            season_months={k: (int(v[0]), int(v[1])) for k, v in raw["season_months"].items()},
            deictic_days=dict(raw["deictic_days"]),
            parts_of_day=tuple(raw["parts_of_day"]["words"]),
            shifts=dict(raw["shifts"]),
            numbers=dict(raw["numbers"]),
            units=dict(raw["units"]),
            ago_words=dict(raw["ago_words"]),
            ordinals=dict(raw["ordinals"]),
            modifiers=dict(raw["modifiers"]),
            decade_words=dict(raw["decade_words"]),
            non_dates=frozenset(raw["non_dates"]["words"]),
        )

    def month(self, word: str) -> int | None:
        w = word.lower().rstrip(".")
        return self.months.get(w) or self.month_abbreviations.get(w)


@lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    """The shipped lexicon, read once per process."""
    text = importlib_resources.files("eventdesk").joinpath("data/timex/lexicon.toml").read_text("utf-8")
    return Lexicon.from_toml(tomllib.loads(text))


# ------------------------------------------------------------------------------------------- calendar


@dataclass(frozen=True, slots=True)
class _Period:
    value: str
    granularity: Granularity
    start: dt.date
    end: dt.date


def _month_end(y: int, m: int) -> dt.date:
    return dt.date(y + m // 12, m % 12 + 1, 1) - dt.timedelta(days=1)


def _add_months(y: int, m: int, n: int) -> tuple[int, int]:
    k = y * 12 + (m - 1) + n
    return k // 12, k % 12 + 1


def _day(d: dt.date) -> _Period:
    return _Period(d.isoformat(), "day", d, d)


def _month(y: int, m: int) -> _Period:
    return _Period(f"{y:04d}-{m:02d}", "month", dt.date(y, m, 1), _month_end(y, m))


def _year(y: int) -> _Period:
    return _Period(f"{y:04d}", "year", dt.date(y, 1, 1), dt.date(y, 12, 31))


def _week(d: dt.date, weekend: bool = False) -> _Period:
    iso = d.isocalendar()
    monday = d - dt.timedelta(days=iso.weekday - 1)
    if weekend:
        return _Period(f"{iso.year:04d}-W{iso.week:02d}-WE", "week", monday + dt.timedelta(5), monday + dt.timedelta(6))
    return _Period(f"{iso.year:04d}-W{iso.week:02d}", "week", monday, monday + dt.timedelta(6))


def _quarter(y: int, q: int) -> _Period:
    return _Period(f"{y:04d}-Q{q}", "range", dt.date(y, 3 * q - 2, 1), _month_end(y, 3 * q))


def _half(y: int, h: int) -> _Period:
    return _Period(f"{y:04d}-H{h}", "range", dt.date(y, 6 * h - 5, 1), _month_end(y, 6 * h))


def _season(y: int, code: str) -> _Period:
    first, last = lexicon().season_months[code]
    ey, em = _add_months(y, first, last - first)
    return _Period(f"{y:04d}-{code}", "range", dt.date(y, first, 1), _month_end(ey, em))


def _decade(d: int) -> _Period:
    """`d` is the year divided by ten (198 for the 1980s)."""
    return _Period(f"{d:03d}", "range", dt.date(d * 10, 1, 1), dt.date(d * 10 + 9, 12, 31))


def _distance(p: _Period, anchor: dt.date) -> int:
    if p.start <= anchor <= p.end:
        return 0
    return min(abs((p.start - anchor).days), abs((p.end - anchor).days))


@dataclass(frozen=True, slots=True)
class _Bias:
    """Days added to a candidate's distance from the anchor when it disagrees with the tense.

    `past_verb`: a candidate after the anchor under a past-tense verb. News often governs a coming date with
    a past verb ("extended the offer to Nov. 20", "said it would vote on Friday"), so for months and dates
    this is only a preference. `future_verb`: a candidate before the anchor under "will"/"going to", which
    almost never happens. `untensed`: a candidate after the anchor when the verb gives no tense (news
    reports more than it forecasts).
    """

    past_verb: int
    future_verb: int
    untensed: int
    # Days after its end during which a period still fits a future verb: a quarter's results are reported
    # after it ends ("will report third-quarter earnings" in October).
    grace: int = 0


# Dates, months and longer periods: about three months' preference for the past under a past verb.
SOFT = _Bias(past_verb=90, future_verb=1000, untensed=45)
# Weekdays: the tense decides ("met on Wednesday" vs "will meet on Wednesday"), as the issue asks.
STRICT = _Bias(past_verb=1000, future_verb=1000, untensed=2)
QUARTERS = _Bias(past_verb=90, future_verb=1000, untensed=45, grace=92)


def _choose(
    cands: list[_Period], anchor: dt.date, tense: Tense | None, shift: int | None, bias: _Bias = SOFT
) -> _Period | None:
    """The candidate a shift word ("last", "next", "this") or the tense picks; see the module docstring."""
    if not cands:
        return None
    if shift is not None and shift < 0:
        before = [c for c in cands if c.end < anchor]
        return max(before, key=lambda c: c.start) if before else None
    if shift is not None and shift > 0:
        after = [c for c in cands if c.start > anchor]
        return min(after, key=lambda c: c.start) if after else None
    if shift == 0:
        # "this September", "this winter": the one holding the anchor, else the one in the anchor's year.
        holding = [c for c in cands if c.start <= anchor <= c.end]
        same_year = [c for c in cands if c.start.year == anchor.year]
        pick = holding or same_year
        return pick[0] if pick else None

    def cost(c: _Period) -> tuple[int, dt.date]:
        penalty = 0
        if tense == "past" and c.start > anchor:
            penalty = bias.past_verb
        elif tense == "future" and c.end + dt.timedelta(days=bias.grace) < anchor:
            penalty = bias.future_verb
        elif tense is None and c.start > anchor:
            penalty = bias.untensed
        # Ties go to the earlier candidate.
        return _distance(c, anchor) + penalty, c.start

    return min(cands, key=cost)


def _shift_unit(unit: str, anchor: dt.date, n: int) -> _Period | None:
    """The `unit` period `n` units away from the one holding the anchor ("last week", "two years ago")."""
    if unit == "day":
        return _day(anchor + dt.timedelta(days=n))
    if unit == "week":
        return _week(anchor + dt.timedelta(weeks=n))
    if unit == "weekend":
        return _week(anchor + dt.timedelta(weeks=n), weekend=True)
    if unit == "month":
        return _month(*_add_months(anchor.year, anchor.month, n))
    if unit == "year":
        return _year(anchor.year + n)
    if unit == "quarter":
        k = anchor.year * 4 + (anchor.month - 1) // 3 + n
        return _quarter(k // 4, k % 4 + 1)
    if unit == "decade":
        return _decade(anchor.year // 10 + n)
    return None


_UNIT_GRANULARITY: dict[str, Granularity] = {
    "day": "day",
    "week": "week",
    "weekend": "week",
    "month": "month",
    "year": "year",
}


def _unit_granularity(unit: str) -> Granularity:
    return _UNIT_GRANULARITY.get(unit, "range")


# ------------------------------------------------------------------------------------------- patterns


def _alt(words: Any) -> str:
    # Longest first, so "this coming" wins over "this" and "sept" over "sep".
    return "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in sorted(words, key=len, reverse=True))


@dataclass(frozen=True)
class _Ctx:
    anchor: dt.date | None
    tense: Tense | None


# A handler returns a Resolution, None (not a time expression here), or INVALID (looks like a date but
# is impossible: the span is consumed so that no shorter reading of it is emitted).
INVALID = Resolution(None, "range", "unresolved", "INVALID")
Handler = Callable[[re.Match[str], _Ctx], Resolution | None]


@dataclass(frozen=True)
class _Rule:
    name: str
    pattern: re.Pattern[str]
    handler: Handler
    # "bare" rules (a lone month, weekday, year or ordinal) need a look at the parse before they count.
    bare: bool = False


def _g(m: re.Match[str], name: str) -> str | None:
    try:
        return m.group(name)
    except IndexError:
        return None


def _mod(m: re.Match[str]) -> str | None:
    word = _g(m, "mod")
    if not word:
        return None
    return lexicon().modifiers.get(" ".join(word.lower().split()))


def _num(word: str) -> int | None:
    w = " ".join(word.lower().split())
    if w.isdigit():
        return int(w)
    return lexicon().numbers.get(w)


def _year_of(m: re.Match[str], name: str = "year") -> int | None:
    y = _g(m, name)
    return int(y) if y else None


def _resolved(p: _Period | None, certainty: TimeCertainty, mod: str | None = None) -> Resolution | None:
    if p is None:
        return None
    return Resolution(p.value, p.granularity, certainty, mod)


def _unresolved(granularity: Granularity, mod: str | None = None) -> Resolution:
    return Resolution(None, granularity, "unresolved", mod)


def _yearless(
    make: Callable[[int], _Period | None],
    ctx: _Ctx,
    granularity: Granularity,
    shift: int | None = None,
    ok: Callable[[_Period], bool] | None = None,
    mod: str | None = None,
    bias: _Bias = SOFT,
) -> Resolution | None:
    """A period named without its year: pick the year from the anchor, the shift word or the tense."""
    if ctx.anchor is None:
        return _unresolved(granularity, mod)
    cands: list[_Period] = []
    for y in range(ctx.anchor.year - 1, ctx.anchor.year + 2):
        try:
            p = make(y)
        except (ValueError, OverflowError):
            continue
        if p is not None:
            cands.append(p)
    if not cands:
        return INVALID
    if ok is not None:
        cands = [c for c in cands if ok(c)] or cands
    chosen = _choose(cands, ctx.anchor, ctx.tense, shift, bias)
    certainty: TimeCertainty = "resolved" if shift is not None else "inferred"
    return _resolved(chosen, certainty, mod) or _unresolved(granularity, mod)


def _safe(fn: Handler) -> Handler:
    # Impossible calendar values ("32 October", "February 30") mean "not a date", never a crash.
    def wrapped(m: re.Match[str], ctx: _Ctx) -> Resolution | None:
        try:
            return fn(m, ctx)
        except (ValueError, OverflowError, KeyError):
            return INVALID

    return wrapped


# ------------------------------------------------------------------------------------------- handlers


def _h_day_month_year(m: re.Match[str], ctx: _Ctx) -> Resolution | None:
    lex = lexicon()
    month = lex.month(m.group("month"))
    if month is None or not _month_word_ok(m.group("month")):
        return None
    day = int(m.group("day"))
    year = _year_of(m)
    wd_word = _g(m, "wd")
    weekday = lex.weekdays.get(wd_word.lower()) if wd_word else None
    if year is not None:
        if not MIN_YEAR <= year <= MAX_YEAR:
            return INVALID
        return _resolved(_day(dt.date(year, month, day)), "resolved")
    dt.date(2000, month, day)  # raises (-> INVALID) for an impossible day; 2000 is a leap year
    return _yearless(
        lambda y: _day(dt.date(y, month, day)),
        ctx,
        "day",
        ok=(lambda p: p.start.isoweekday() == weekday) if weekday else None,
    )


def _h_iso(m: re.Match[str], ctx: _Ctx) -> Resolution | None:
    y, mo, d = int(m.group("year")), int(m.group("m")), int(m.group("d"))
    return _resolved(_day(dt.date(y, mo, d)), "resolved")


def _h_numeric(m: re.Match[str], ctx: _Ctx) -> Resolution | None:
    a, b, ytxt = int(m.group("a")), int(m.group("b")), m.group("y")
    if m.group("sep") == "." and len(ytxt) == 2:
        return None  # "1.2.10" is a version number more often than a date
    certainty: TimeCertainty = "resolved"
    if a > 12 >= b:
        day, month = a, b
    elif b > 12 >= a:
        day, month = b, a
    elif a > 12 and b > 12:
        return INVALID
    else:
        day, month = a, b
        certainty = "inferred" if a != b else "resolved"
    if len(ytxt) == 2:
        if ctx.anchor is None:
            return _unresolved("day")
        # The century that puts the year within 80 years before / 20 after the anchor.
        base = ctx.anchor.year - 80
        year = base + (int(ytxt) - base) % 100
        certainty = "inferred"
    else:
        year = int(ytxt)
    return _resolved(_day(dt.date(year, month, day)), certainty)


def _h_month_year(m: re.Match[str], ctx: _Ctx) -> Resolution | None:
    month = lexicon().month(m.group("month"))
    year = _year_of(m)
    if month is None or year is None or not _month_word_ok(m.group("month")):
        return None
    return _resolved(_month(year, month), "resolved", _mod(m))


def _h_month(m: re.Match[str], ctx: _Ctx) -> Resolution | None:
    month = lexicon().month(m.group("month"))
    if month is None or not _month_word_ok(m.group("month")):
        return None
    mod = _mod(m)
    shift = _shift(m)
    yshift = _g(m, "yshift")
    if yshift:
        if ctx.anchor is None:
            return _unresolved("month", mod)
        return _resolved(_month(ctx.anchor.year + lexicon().shifts[yshift.lower()], month), "resolved", mod)
    return _yearless(lambda y: _month(y, month), ctx, "month", shift=shift, mod=mod)


def _shift(m: re.Match[str]) -> int | None:
    word = _g(m, "shift")
    if not word:
        return None
    return lexicon().shifts.get(" ".join(word.lower().split()))


def _h_season(m: re.Match[str], ctx: _Ctx) -> Resolution | None:
    lex = lexicon()
    code = lex.seasons[m.group("season").lower()]
    mod = _mod(m)
    year = _year_of(m)
    det = (_g(m, "shift") or "").lower()
    if year is not None:
        return _resolved(_season(year, code), "resolved", mod)
    if det == "the" and code == "FA":
        return None  # "the fall of Aleppo"
    shift = _shift(m)
    return _yearless(lambda y: _season(y, code), ctx, "range", shift=shift, mod=mod)


def _h_year(m: re.Match[str], ctx: _Ctx) -> Resolution | None:
    year = int(m.group("year"))
    if not MIN_YEAR <= year <= MAX_YEAR:
        return INVALID
    return _resolved(_year(year), "resolved", _mod(m))


def _h_decade(m: re.Match[str], ctx: _Ctx) -> Resolution | None:
    mod = _mod(m)
    if m.group("c"):
        return _resolved(_decade(int(m.group("c") + m.group("d"))), "resolved", mod)
    digit = int(m.group("d2") or m.group("d3") or -1)
    if digit < 0:
        word = m.group("dw")
        digit = lexicon().decade_words[word.lower()]
    if ctx.anchor is None:
        return _unresolved("range", mod)
    # A two-digit decade ("the '90s", "the eighties") is the latest such decade that has begun.
    century = ctx.anchor.year // 100
    if century * 100 + digit * 10 > ctx.anchor.year:
        century -= 1
    return _resolved(_decade(century * 10 + digit), "inferred", mod)


def _h_century(m: re.Match[str], ctx: _Ctx) -> Resolution | None:
    word = m.group("n").lower()
    n = int(word[:-2]) if word[:-2].isdigit() else lexicon().ordinals.get(word)
    if not n or n > 30:
        return INVALID
    return Resolution(f"{n - 1:02d}", "range", "resolved", _mod(m))


def _h_deictic(m: re.Match[str], ctx: _Ctx) -> Resolution | None:
    offset = lexicon().deictic_days[" ".join(m.group("word").lower().split())]
    if ctx.anchor is None:
        return _unresolved("day")
    return _resolved(_day(ctx.anchor + dt.timedelta(days=offset)), "resolved")


def _h_unit_shift(m: re.Match[str], ctx: _Ctx) -> Resolution | None:
    unit = m.group("unit").lower().replace("-", "")
    shift = _shift(m)
    n = 0 if shift is None else shift
    mod = _mod(m)
    if ctx.anchor is None:
        return _unresolved(_unit_granularity(unit), mod)
    return _resolved(_shift_unit(unit, ctx.anchor, n), "resolved", mod)


def _h_year_end(m: re.Match[str], ctx: _Ctx) -> Resolution | None:
    if ctx.anchor is None:
        return _unresolved("year", "END")
    return _resolved(_year(ctx.anchor.year), "resolved", "END")


def _h_weekday(m: re.Match[str], ctx: _Ctx) -> Resolution | None:
    word = m.group("wd")
    if not word[0].isupper():
        return None  # weekdays are capitalised in English prose
    weekday = lexicon().weekdays[word.lower()]
    shift = _shift(m)
    if ctx.anchor is None:
        return _unresolved("day")
    cands = [_day(ctx.anchor + dt.timedelta(days=k)) for k in range(-7, 8)]
    cands = [c for c in cands if c.start.isoweekday() == weekday]
    if shift == 0:
        # "this Friday": the one in the anchor's week.
        week = ctx.anchor.isocalendar()
        cands = [c for c in cands if c.start.isocalendar()[:2] == week[:2]]
        return _resolved(cands[0] if cands else None, "resolved")
    if shift is None:
        cands = [c for c in cands if abs((c.start - ctx.anchor).days) <= 6]
    chosen = _choose(cands, ctx.anchor, ctx.tense, shift, STRICT)
    return _resolved(chosen, "resolved" if shift else "inferred") or _unresolved("day")


def _h_ago(m: re.Match[str], ctx: _Ctx) -> Resolution | None:
    n = _num(m.group("n"))
    unit = lexicon().units[m.group("unit").lower()]
    direction = lexicon().ago_words.get(" ".join(m.group("dir").lower().split())) if _g(m, "dir") else 1
    if n is None or direction is None or n > 10_000:
        return None
    if ctx.anchor is None:
        return _unresolved(_unit_granularity(unit))
    return _resolved(_shift_unit(unit, ctx.anchor, n * direction), "resolved")


def _h_quarter(m: re.Match[str], ctx: _Ctx) -> Resolution | None:
    lex = lexicon()
    qword = _g(m, "q")
    oword = _g(m, "ord")
    q = int(qword) if qword else (lex.ordinals.get(oword.lower()) if oword else None)
    half = _g(m, "half")
    h = lex.ordinals[half.lower()] if half else 0
    if not q and not half:
        return None

    def make(y: int) -> _Period:
        return _half(y, h) if half else _quarter(y, q or 0)

    year = _year_of(m, "year") or _year_of(m, "year2")
    if year is not None:
        return _resolved(make(year), "resolved")
    yshift = _g(m, "yshift") or _g(m, "yshift2")
    if yshift:
        if ctx.anchor is None:
            return _unresolved("range")
        return _resolved(make(ctx.anchor.year + lex.shifts[yshift.lower()]), "resolved")
    if half:
        return None  # "the first half" alone is more often a match than a period
    return _yearless(make, ctx, "range", bias=QUARTERS)


def _h_quarter_rel(m: re.Match[str], ctx: _Ctx) -> Resolution | None:
    shift = _shift(m)
    if shift is None:
        return _unresolved("range")  # "the quarter", "the latest quarter": a discourse referent
    if ctx.anchor is None:
        return _unresolved("range")
    return _resolved(_shift_unit("quarter", ctx.anchor, shift), "resolved")


def _h_referent(m: re.Match[str], ctx: _Ctx) -> Resolution | None:
    return _unresolved("range")


def _h_anaphor(m: re.Match[str], ctx: _Ctx) -> Resolution | None:
    return _unresolved(_unit_granularity(m.group("unit").lower()))


def _h_nth(m: re.Match[str], ctx: _Ctx) -> Resolution | None:
    day = int(m.group("day"))
    if not 1 <= day <= 31:
        return INVALID
    if ctx.anchor is None:
        return _unresolved("day")
    cands: list[_Period] = []
    for k in (-1, 0, 1):
        y, mo = _add_months(ctx.anchor.year, ctx.anchor.month, k)
        if day <= _month_end(y, mo).day:
            cands.append(_day(dt.date(y, mo, day)))
    return _resolved(_choose(cands, ctx.anchor, ctx.tense, None), "inferred")


def _h_weekend(m: re.Match[str], ctx: _Ctx) -> Resolution | None:
    if ctx.anchor is None:
        return _unresolved("week")
    anchor = ctx.anchor
    cands = [_week(anchor + dt.timedelta(weeks=k), weekend=True) for k in (-1, 0, 1)]
    return _resolved(_choose(cands, anchor, ctx.tense, None, STRICT), "inferred")


def _month_word_ok(word: str) -> bool:
    # "may" and "march" are everyday words; only their capitalised forms name months.
    return word[0].isupper() or word.lower().rstrip(".") not in ("may", "march")


# --------------------------------------------------------------------------------------------- rules


@lru_cache(maxsize=1)
def _rules() -> tuple[_Rule, ...]:
    lex = lexicon()
    month_full = _alt(lex.months)
    month_any = rf"(?:{month_full}|(?:{_alt(lex.month_abbreviations)})\b\.?)"
    wd = _alt(lex.weekdays)
    year = r"(?P<year>[12]\d{3})(?![\d,.]\d|[-/]\d)"
    day = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?(?![\d:.,]\d)"
    mods = _alt(lex.modifiers)
    mod = rf"(?:(?P<mod>{mods})(?:-|\s+))"
    shifts = _alt(lex.shifts)
    parts = _alt(lex.parts_of_day)
    nums = _alt(lex.numbers)
    units = _alt(lex.units)
    ordw = _alt(lex.ordinals)
    qord = _alt(w for w, n in lex.ordinals.items() if n <= 4)
    seasons = _alt(lex.seasons)
    yshift = r"(?:this|last|next)"
    specs: list[tuple[str, str, Handler, bool]] = [
        ("iso", r"(?P<year>[12]\d{3})-(?P<m>[01]?\d)-(?P<d>[0-3]?\d)(?!\d)", _h_iso, False),
        (
            "numeric",
            r"(?P<a>[0-3]?\d)(?P<sep>[/.-])(?P<b>[0-3]?\d)(?P=sep)(?P<y>[12]\d{3}|\d{2})(?![\d/.-]\d)",
            _h_numeric,
            False,
        ),
        (
            "day_month",
            rf"(?:(?P<wd>{wd}),?\s+)?(?:the\s+)?{day}(?:\s+of)?\s+(?P<month>{month_any})(?:,?\s+{year})?",
            _h_day_month_year,
            False,
        ),
        (
            "month_day",
            rf"(?:(?P<wd>{wd}),?\s+)?(?P<month>{month_any})\s+(?:the\s+)?{day}(?:,?\s+{year})?",
            _h_day_month_year,
            False,
        ),
        ("month_year", rf"{mod}?(?P<month>{month_any}),?\s+(?:of\s+)?{year}", _h_month_year, False),
        (
            "month",
            rf"{mod}?(?:(?P<shift>{shifts})\s+)?(?P<month>{month_full})"
            rf"(?:,?\s+(?:of\s+)?(?P<yshift>{yshift})\s+year)?",
            _h_month,
            True,
        ),
        (
            "season",
            rf"{mod}?(?:(?P<shift>{shifts}|the)\s+)?(?P<season>{seasons})(?:\s+(?:of\s+)?{year})?",
            _h_season,
            True,
        ),
        (
            "quarter",
            rf"(?:(?:the|this|its|a|the\s+same|the\s+latest)\s+)?"
            rf"(?:(?P<yshift>{yshift})\s+year's\s+|{year}\s+)?(?:fiscal[- ](?:year[- ])?)?"
            rf"(?:(?P<ord>{qord})[- ]quarter|(?P<half>first|second)\s+half)"
            rf"(?:\s+of\s+(?:fiscal\s+)?(?:(?P<year2>[12]\d{{3}})\b|(?P<yshift2>{yshift})\s+year))?",
            _h_quarter,
            False,
        ),
        ("quarter_q", r"Q(?P<q>[1-4])(?:\s+(?P<year>[12]\d{3})\b)?", _h_quarter, False),
        (
            "quarter_rel",
            rf"(?:(?P<shift>{shifts})|the|the\s+latest|that|the\s+same)\s+quarter",
            _h_quarter_rel,
            False,
        ),
        ("period_rel", r"the\s+latest\s+period", _h_referent, False),
        (
            "year_ago",
            r"(?:a|one)\s+year\s+(?:earlier|before)"
            r"|(?:the\s+)?(?:comparable\s+|same\s+)?year[- ](?:ago|earlier)"
            r"(?:\s+(?:(?:first|second|third|fourth)[- ])?(?:quarter|period))?"
            r"|the\s+(?:same|corresponding|comparable)\s+(?:period|quarter)\s+(?:a\s+year\s+(?:ago|earlier)|(?:of\s+)?last\s+year)",
            _h_referent,
            False,
        ),
        ("year_period", rf"the\s+{year}\s+(?:period|quarter)", _h_year, False),
        ("year", rf"{mod}?(?:(?:fiscal(?:\s+year)?|calendar|the\s+year|FY)\s*)?{year}", _h_year, True),
        (
            "decade",
            rf"{mod}?(?:the\s+)?(?:(?P<c>1\d|20)(?P<d>\d)0'?s|'(?P<d2>\d)0s|(?P<d3>[1-9])0'?s"
            rf"|(?P<dw>{_alt(lex.decade_words)}))",
            _h_decade,
            False,
        ),
        ("century", rf"{mod}?the\s+(?P<n>\d{{1,2}}(?:st|nd|rd|th)|{ordw})\s+century", _h_century, False),
        (
            "deictic",
            rf"(?:(?:early|late|earlier|later)\s+)?(?P<word>{_alt(lex.deictic_days)})"
            rf"(?:\s+(?P<part>{parts}))?",
            _h_deictic,
            False,
        ),
        (
            "unit_shift",
            rf"{mod}?(?P<shift>{shifts})\s+(?P<unit>week-?end|week|month|year|quarter|decade)",
            _h_unit_shift,
            False,
        ),
        (
            "unit_the",
            rf"(?P<mod>{mods})(?:\s+in)?\s+the\s+(?P<unit>week|month|year|quarter)",
            _h_unit_shift,
            False,
        ),
        ("year_end", r"(?:the\s+)?year[- ]end", _h_year_end, False),
        (
            "weekday",
            rf"(?:(?P<mod>early|late)\s+)?(?:(?P<shift>{shifts})\s+)?(?P<wd>{wd})"
            rf"(?:\s+(?P<part>{parts}))?",
            _h_weekday,
            True,
        ),
        ("weekend", r"the\s+weekend", _h_weekend, False),
        (
            "ago",
            rf"(?P<n>{nums}|\d{{1,4}})\s+(?P<unit>{units})\s+(?P<dir>{_alt(lex.ago_words)})",
            _h_ago,
            False,
        ),
        (
            "in_n",
            rf"in\s+(?P<n>{nums}|\d{{1,4}})\s+(?P<unit>{units})(?!\s+(?:ago|of|in|to))(?:'\s+time)?",
            _h_ago,
            False,
        ),
        ("anaphor", r"(?:that|the\s+same)\s+(?P<unit>day|week|month|year)", _h_anaphor, False),
        (
            "nth",
            rf"the\s+(?P<day>[0-3]?\d)(?:st|nd|rd|th)(?!\s+(?:of\s+)?(?:{month_any}|century))",
            _h_nth,
            True,
        ),
    ]
    out = []
    for name, pat, handler, bare in specs:
        # Expressions start and end at word edges; case is checked by the handlers where it matters.
        # A hyphen may precede ("post-1959") but not a digit and hyphen ("1-19"); none may follow ("1990-91").
        rx = re.compile(rf"(?<![\w'])(?<![\d-]-){pat}(?![\w-])", re.IGNORECASE)
        out.append(_Rule(name, rx, _safe(handler), bare))
    return tuple(out)


# Rules whose value depends on the tense of the governing verb.
_TENSED = frozenset({"day_month", "month_day", "month", "season", "quarter", "weekday", "nth", "weekend"})


# ---------------------------------------------------------------------------------------------- resolve


def _anchor_date(anchor: dt.date | str | None) -> dt.date | None:
    if anchor is None or isinstance(anchor, dt.date):
        return anchor
    try:
        return dt.date.fromisoformat(str(anchor)[:10])
    except ValueError:
        return None


def resolve(text: str, anchor: dt.date | str | None, tense: Tense | None = None) -> Resolution | None:
    """Normalise one time expression relative to `anchor` (the publication date); None if it is not one.

    >>> resolve("last Monday", dt.date(2016, 10, 19))
    Resolution(value='2016-10-17', granularity='day', certainty='resolved', mod=None)
    """
    if not isinstance(text, str):
        return None
    norm = " ".join(text.split())
    if not norm or len(norm) > MAX_EXPRESSION_CHARS:
        return None
    return _resolve_cached(norm, _anchor_date(anchor), tense)


@lru_cache(maxsize=8192)
def _resolve_cached(text: str, anchor: dt.date | None, tense: Tense | None) -> Resolution | None:
    ctx = _Ctx(anchor, tense)
    for rule in _rules():
        m = rule.pattern.fullmatch(text)
        if m is None:
            continue
        res = rule.handler(m, ctx)
        if res is INVALID:
            return None
        if res is not None:
            return res
    return None


# ------------------------------------------------------------------------------------------------- find


@dataclass
class _Match:
    start: int
    end: int
    rule: _Rule | None  # None: a spaCy DATE entity no rule covers
    match: re.Match[str] | None = None


def _scan(text: str) -> list[_Match]:
    found: list[_Match] = []
    for rule in _rules():
        found.extend(_Match(m.start(), m.end(), rule, m) for m in rule.pattern.finditer(text))
    return found


def _select(cands: list[_Match], size: int) -> list[_Match]:
    """Longest matches first, then earliest; no two chosen spans overlap."""
    taken = bytearray(size)
    chosen = []
    for c in sorted(cands, key=lambda c: (-(c.end - c.start), c.start)):
        if any(taken[c.start : c.end]):
            continue
        taken[c.start : c.end] = b"\x01" * (c.end - c.start)
        chosen.append(c)
    return sorted(chosen, key=lambda c: c.start)


_TIME_NOUNS = frozenset(
    [
        "day",
        "days",
        "week",
        "weeks",
        "weekend",
        "month",
        "months",
        "year",
        "years",
        "quarter",
        "quarters",
        "decade",
        "decades",
        "century",
        "centuries",
        "season",
        "seasons",
        "morning",
        "afternoon",
        "evening",
        "night",
    ]
)
_FUTURE_AUX = frozenset({"will", "'ll", "shall", "wo", "ll"})
_NAME_ENTS = frozenset({"PERSON", "ORG", "GPE", "FAC", "PRODUCT", "WORK_OF_ART", "NORP", "LOC", "LAW"})
_NUMBER_ENTS = frozenset({"MONEY", "PERCENT", "QUANTITY", "CARDINAL"})


def tense_of(token: Token) -> Tense | None:
    """The tense of the verb governing `token`: climb the heads to the first verb, read its tag and auxiliaries."""
    if token.dep_ == "pobj" and token.head.lower_ == "for":
        # "a pause for Thursday", "talks set for Monday": a time something is set for, whatever the tense of
        # the verb that announced it; the nearest occurrence
        return None
    tok = token
    for _ in range(10):
        if tok.pos_ in ("VERB", "AUX") and tok.dep_ not in ("aux", "auxpass"):
            break
        if tok.head.i == tok.i:
            return None
        tok = tok.head
    else:
        return None
    return tense_of_verb(tok)


def tense_of_verb(tok: Token) -> Tense | None:
    """The tense of one verb from its tag and auxiliaries."""
    if tok.pos_ not in ("VERB", "AUX"):
        return None
    auxes = [c for c in tok.children if c.dep_ in ("aux", "auxpass")]
    words = {a.lower_ for a in auxes}
    if words & _FUTURE_AUX:
        return "future"
    if tok.dep_ == "xcomp" and tok.head.lemma_ == "go" and tok.head.tag_ == "VBG":
        return "future"  # "is going to meet on Friday"
    if any(a.tag_ == "MD" for a in auxes):
        return None  # would, could, may: no direction
    if "to" in words and tok.tag_ in ("VB", "VBN") and tok.head.i != tok.i and tok.head.pos_ in ("VERB", "AUX"):
        # An infinitive looks ahead of its matrix verb: "plans to meet Friday" (future) but "had been
        # allowed to inspect since Jan. 13" (past).
        matrix = tense_of_verb(tok.head)
        return "past" if matrix == "past" else "future"
    if tok.tag_ == "VBD" or any(a.tag_ == "VBD" for a in auxes):
        return "past"
    if tok.tag_ == "VBN":
        # "has met" is past; "is scheduled for Friday" is present (and usually about what comes).
        return "present" if any(a.dep_ == "auxpass" and a.tag_ in ("VBZ", "VBP") for a in auxes) else "past"
    if tok.tag_ == "VBG" and any(a.tag_ in ("VBZ", "VBP") for a in auxes):
        return "future"  # "is meeting on Friday": the present progressive of an arrangement
    if tok.tag_ in ("VBZ", "VBP", "VB"):
        return "present"
    return None


def _tokens(doc: Doc, start: int, end: int) -> list[Token]:
    span = doc.char_span(start, end, alignment_mode="expand")
    return list(span) if span is not None else []


def _bare_ok(doc: Doc, m: _Match) -> bool:
    """A lone month, weekday, year or ordinal counts only where the parse does not make it something else."""
    toks = _tokens(doc, m.start, m.end)
    if not toks:
        return False
    name = m.rule.name if m.rule else ""
    groups = m.match.groupdict() if m.match else {}
    qualified = bool(groups.get("mod") or groups.get("shift") or groups.get("yshift"))
    if name == "year" and m.match is not None:
        qualified = qualified or not m.match.group(0)[:1].isdigit()  # "fiscal 1989", "the year 2000"
    else:
        qualified = qualified or bool(groups.get("year"))
    first, last = toks[0], toks[-1]
    prev = doc[first.i - 1] if first.i > 0 else None
    nxt = doc[last.i + 1] if last.i + 1 < len(doc) else None
    if name in ("month", "weekday", "season") and not qualified:
        if any(t.ent_type_ in _NAME_ENTS for t in toks) or (name == "month" and first.tag_ == "MD"):
            return False
        # "Theresa May", "April Ryan": a capitalised name next to it.
        if name == "month" and prev is not None and prev.pos_ == "PROPN" and prev.is_title and prev.ent_type_ != "DATE":
            return False
        if name == "month" and nxt is not None and nxt.pos_ == "PROPN" and nxt.is_title and nxt.ent_type_ != "DATE":
            return False
        if name == "season" and not (groups.get("shift") or (prev is not None and prev.dep_ == "prep")):
            return False  # a lone "summer" needs "in", "during", "the" or "this"
    if name == "year" and not qualified:
        tok = toks[-1]
        if tok.ent_type_ in _NUMBER_ENTS or (prev is not None and prev.text in ("$", "#", "No.", "no.")):
            return False
        if tok.dep_ == "nummod" and tok.head.tag_ in ("NNS", "NNPS") and tok.head.lower_ not in _TIME_NOUNS:
            return False  # "2000 troops" counts; "the 1996 campaign" dates
        if nxt is not None and nxt.lower_ in (
            "%",
            "percent",
            "per",
            "people",
            "km",
            "miles",
            "metres",
            "meters",
        ):
            return False
    # "the 6th Fleet" is a name, not a day.
    return not (name == "nth" and nxt is not None and nxt.pos_ in ("NOUN", "PROPN") and nxt.i == last.i + 1)


_DURATION = re.compile(
    r"^(?:for\s+|about\s+|nearly\s+|almost\s+|over\s+|some\s+|more\s+than\s+|at\s+least\s+|up\s+to\s+)?"
    r"(?:the\s+|a\s+|an\s+)?(?:past\s+|last\s+|next\s+|first\s+|coming\s+|previous\s+|following\s+|full\s+)?"
    r"(?:[\d.,]+|a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|\w+teen|\w+ty(?:-\w+)?|"
    r"several|few|a\s+few|many|couple\s+of|a\s+couple\s+of|hundreds\s+of|thousands\s+of|dozens\s+of)?"
    r"[\s-]*(?:days?|weeks?|months?|years?|decades?|centuries|century|hours?|minutes?|quarters?)(?:'s?)?$",
    re.IGNORECASE,
)


def _entity_time(text: str) -> Granularity | None:
    """The granularity of a spaCy DATE entity no rule read, or None when it is a duration, age or frequency."""
    words = text.lower().replace("-", " ").split()
    if not words or any(w in lexicon().non_dates for w in words) or _DURATION.match(text.strip()):
        return None
    if not any(ch.isalpha() for ch in text):
        return None  # bare numbers ("1,000", "2-3") are not dates
    if not any(ch.isdigit() for ch in text) and not _time_vocabulary().intersection(words):
        return None  # "Olympic", a surname: the entity recogniser's slips
    for unit in ("day", "week", "month", "year"):
        if any(w.startswith(unit) for w in words):
            return _unit_granularity(unit)
    return "range"


@lru_cache(maxsize=1)
def _time_vocabulary() -> frozenset[str]:
    lex = lexicon()
    words = [*lex.months, *lex.weekdays, *lex.seasons, *lex.units, *lex.parts_of_day, *lex.deictic_days]
    return frozenset(words) | _TIME_NOUNS


@dataclass
class _Discourse:
    """What earlier expressions in the article established, for "the quarter", "a year ago", "that year"."""

    anchor: dt.date | None = None
    quarter: tuple[str, int] | None = None  # (value, sentence start char)
    last: dict[str, str] = field(default_factory=dict)  # granularity -> latest value


_YEAR_AGO = re.compile(r"\b(?:a|one)\s+year\s+(?:ago|earlier|before)\b|\byear[- ](?:ago|earlier)\b", re.IGNORECASE)


# Rules whose explicit quarter becomes the referent of later "the quarter", "a year ago".
_QUARTER_SETTERS = frozenset({"quarter", "quarter_q", "quarter_rel"})
# How far back (characters before the sentence) a quarter still frames "a year ago": about two sentences.
QUARTER_WINDOW = 400


def _from_discourse(m: _Match, res: Resolution, disc: _Discourse, sent_start: int, text: str) -> Resolution:
    """Fill a referent-dependent expression from what the article said before it."""
    name = m.rule.name if m.rule else ""
    if disc.quarter is not None:
        qvalue, qsent = disc.quarter
        near = qsent >= sent_start - QUARTER_WINDOW
        if (name == "year_ago" or (name == "ago" and near)) and _YEAR_AGO.search(text):
            # Earnings reports compare a quarter with the same quarter "a year ago".
            return Resolution(f"{int(qvalue[:4]) - 1:04d}{qvalue[4:]}", "range", "inferred")
        if name in ("quarter_rel", "period_rel") and res.value is None:
            return Resolution(qvalue, "range", "inferred")
        if name == "year_period" and res.value is not None:
            return Resolution(f"{res.value[:4]}{qvalue[4:]}", "range", "inferred")
    if name == "year_ago" and text.lower().startswith(("a ", "one ")) and m.match is not None:
        # "a year earlier" with no quarter around: read as "a year ago".
        return res if res.value is not None else _h_year_ago_plain(disc)
    if name == "anaphor" and res.value is None:
        unit = (m.match.group("unit") if m.match else "").lower()
        prefix = {"year": 4, "month": 7, "day": 10}.get(unit)
        for gran in ("day", "month", "year") if prefix else ():
            prev = disc.last.get(gran)
            if prev and prefix and len(prev) >= prefix:
                return Resolution(prev[:prefix], _unit_granularity(unit), "inferred")
    return res


def _h_year_ago_plain(disc: _Discourse) -> Resolution:
    if disc.anchor is None:
        return _unresolved("year")
    return Resolution(f"{disc.anchor.year - 1:04d}", "year", "inferred")


def find(doc: Doc, anchor: dt.date | str | None) -> list[Time]:
    """Every time expression in `doc`, with character offsets into `doc.text` and a normalised value."""
    anchor_d = _anchor_date(anchor)
    text = doc.text
    matches = _select(_scan(text), len(text))
    taken = bytearray(len(text))
    for c in matches:
        taken[c.start : c.end] = b"\x01" * (c.end - c.start)
    extra = [
        _Match(e.start_char, e.end_char, None)
        for e in doc.ents
        if e.label_ == "DATE" and not any(taken[e.start_char : e.end_char])
    ]
    disc = _Discourse(anchor=anchor_d)
    times: list[Time] = []
    for m in sorted(matches + extra, key=lambda c: c.start):
        expr = text[m.start : m.end]
        if m.rule is None or m.match is None:
            gran = _entity_time(expr)
            if gran is not None:
                times.append(Time(expr, m.start, m.end, None, gran, "unresolved"))
            continue
        if m.rule.bare and not _bare_ok(doc, m):
            continue
        span = doc.char_span(m.start, m.end, alignment_mode="expand")
        tense = tense_of(span.root) if span is not None and len(span) and m.rule.name in _TENSED else None
        res = m.rule.handler(m.match, _Ctx(anchor_d, tense))
        if res is None or res is INVALID:
            continue
        sent_start = span[0].sent.start_char if span is not None and len(span) else m.start
        res = _from_discourse(m, res, disc, sent_start, expr)
        if res.value is not None:
            if m.rule.name in _QUARTER_SETTERS and res.value[5:6] == "Q":
                disc.quarter = (res.value, sent_start)
            disc.last[res.granularity] = res.value
        times.append(Time(expr, m.start, m.end, res.value, res.granularity, res.certainty))
    return times


class TimexAnnotator:
    """Pipeline stage: fills `analysis.times` from the Doc, anchored on `analysis.article.published`."""

    name = "times"

    def __call__(self, doc: Doc, analysis: Analysis, resources: object) -> None:
        analysis.times = find(doc, analysis.article.published)
