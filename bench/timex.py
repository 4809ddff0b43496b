"""Benchmark eventdesk.timex on TimeBank and AQUAINT (TimeML): recognition recall, value accuracy, precision.

Gold: TIMEX3 elements in each .tml file's TEXT; the DCT TIMEX3 value is the publication date (the anchor).
Scored: DATE timexes whose value is absolute, i.e. matches ABSOLUTE below: a day, month or year
("1998-01-08", "1998-01", "1998"), an ISO week ("1998-W02"), a season ("1998-SU"), a quarter ("1998-Q3") or
a decade ("199"). A gold timex is recognised when a predicted span overlaps it; its value is right when the
predicted span overlapping it most has exactly the gold value. Precision: predicted spans that overlap a gold
TIMEX3 of any type (DATE, TIME, DURATION, SET) over all predicted spans.

Run: .venv/bin/python bench/timex.py [--data ../shared/data/timeml] [--errors N]
Prints the figures and exits 0 whatever they are.
"""

from __future__ import annotations

import argparse
import html
import re
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from eventdesk import nlp, timex

DEFAULT_DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "timeml"
ABSOLUTE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$|^\d{4}-W\d{2}$|^\d{4}-(SP|SU|FA|WI)$|^\d{4}-Q[1-4]$|^\d{3}$")
TAG = re.compile(r"<(/?)(\w+)([^>]*)>")
ATTR = re.compile(r'(\w+)="([^"]*)"')


@dataclass
class Gold:
    start: int
    end: int
    type: str
    value: str


@dataclass
class Record:
    corpus: str
    name: str
    dct: str | None
    text: str
    gold: list[Gold] = field(default_factory=list)


def read_tml(path: Path, corpus: str) -> Record:
    """Strip the TimeML tags from TEXT, keeping each TIMEX3's offsets in the stripped text."""
    raw = path.read_text("utf-8")
    dct_m = re.search(r"<DCT>.*?value=\"([^\"]+)\"", raw, re.S)
    dct = dct_m.group(1)[:10] if dct_m else None
    body = raw[raw.index("<TEXT>") + len("<TEXT>") : raw.index("</TEXT>")]
    out: list[str] = []
    length = 0
    open_timex: list[tuple[int, dict[str, str]]] = []
    gold: list[Gold] = []
    pos = 0
    for m in TAG.finditer(body):
        chunk = html.unescape(body[pos : m.start()])
        out.append(chunk)
        length += len(chunk)
        pos = m.end()
        closing, name, attrs = m.group(1), m.group(2), m.group(3)
        if name != "TIMEX3":
            continue
        if not closing:
            open_timex.append((length, dict(ATTR.findall(attrs))))
        elif open_timex:
            start, a = open_timex.pop()
            gold.append(Gold(start, length, a.get("type", ""), a.get("value", "")))
    out.append(html.unescape(body[pos:]))
    return Record(corpus, path.name, dct, "".join(out), gold)


def overlap(a0: int, a1: int, b0: int, b1: int) -> int:
    return max(0, min(a1, b1) - max(a0, b0))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA)
    ap.add_argument("--errors", type=int, default=0, help="print this many value errors and misses")
    args = ap.parse_args(argv)
    corpora = [d for d in ("TimeBank", "AQUAINT") if (args.data / d).is_dir()]
    if not corpora:
        print(f"no TimeML data under {args.data}: nothing to measure")
        return 0
    records = [read_tml(p, c) for c in corpora for p in sorted((args.data / c).glob("*.tml"))]
    model = nlp.load()
    t0 = time.perf_counter()
    docs = list(model.pipe((r.text for r in records), batch_size=16))
    t_parse = time.perf_counter() - t0
    t0 = time.perf_counter()
    predicted = [timex.find(doc, r.dct) for doc, r in zip(docs, records, strict=True)]
    t_find = time.perf_counter() - t0

    stats: dict[str, Counter[str]] = {c: Counter() for c in [*corpora, "all"]}
    by_form: Counter[str] = Counter()
    by_form_ok: Counter[str] = Counter()
    errors: list[str] = []
    for r, preds in zip(records, predicted, strict=True):
        for key in (r.corpus, "all"):
            s = stats[key]
            s["pred"] += len(preds)
            s["pred_ok"] += sum(any(overlap(p.start, p.end, g.start, g.end) for g in r.gold) for p in preds)
        for g in r.gold:
            if g.type != "DATE" or not ABSOLUTE.match(g.value):
                continue
            form = re.sub(r"\d", "9", g.value)
            by_form[form] += 1
            hits = [p for p in preds if overlap(p.start, p.end, g.start, g.end)]
            best = max(hits, key=lambda p: overlap(p.start, p.end, g.start, g.end), default=None)
            ok = best is not None and best.value == g.value
            by_form_ok[form] += ok
            for key in (r.corpus, "all"):
                stats[key]["gold"] += 1
                stats[key]["found"] += best is not None
                stats[key]["value_ok"] += ok
            if not ok and len(errors) < args.errors:
                got = f"{best.text!r} -> {best.value}" if best else "MISSED"
                ctx = r.text[max(0, g.start - 50) : g.end + 30].replace("\n", " ")
                errors.append(f"{r.name} dct={r.dct} gold {r.text[g.start : g.end]!r}={g.value} got {got} | {ctx}")

    print(f"timex benchmark: {len(records)} documents ({', '.join(corpora)}), anchor = DCT")
    print(f"{'corpus':10} {'gold':>5} {'recall':>7} {'value_acc':>9} {'value_recall':>12} {'precision':>9} {'pred':>5}")
    for key, s in stats.items():
        n_gold, f, v, p, pk = s["gold"], s["found"], s["value_ok"], s["pred"], s["pred_ok"]
        print(
            f"{key:10} {n_gold:5d} {f / max(n_gold, 1):7.3f} {v / max(f, 1):9.3f} {v / max(n_gold, 1):12.3f} "
            f"{pk / max(p, 1):9.3f} {p:5d}"
        )
    print("value accuracy by gold form (9 = digit):")
    for form, n in by_form.most_common():
        print(f"  {form:12} {n:5d} {by_form_ok[form] / n:6.3f}")
    chars = sum(len(r.text) for r in records)
    print(f"time: spaCy parse {t_parse:.1f}s, timex.find {t_find:.2f}s ({100 * t_find / t_parse:.1f}% of parse)")
    print(f"      {chars / 1000:.0f}k characters, {len(records) / t_find:.0f} documents/s for find alone")
    for e in errors:
        print(e)
    return 0


if __name__ == "__main__":
    sys.exit(main())
