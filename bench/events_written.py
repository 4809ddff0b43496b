"""Event coding on sentences written for eventdesk: bench/data/events_written_{1,2,3}.tsv.

Each set is ~115 news sentences (7-8 per PLOVER type) written by a developer who saw only the PLOVER summary,
neither the coder nor the benchmark data, each with one main event: its type, the actor's country code and the
recipient's. Set 1 was studied after its first run (development); sets 2 and 3 are held out (scored only). Same
measures as `bench/events.py`: the type among the events found, events beyond it per sentence, and the actor's
country when the type is right. Publication date 2023-06-01.

    .venv/bin/python bench/events_written.py [--set 1|2|3|all] [--show N]
"""

from __future__ import annotations

import argparse
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from eventdesk.model import Article
from eventdesk.pipeline import Resources, analyze_batch

DATA = Path(__file__).resolve().parent / "data"
IGO_FAMILY = {"IGO", "UNO", "EUR"}


def _family(code: str | None) -> str | None:
    return "IGO" if code in IGO_FAMILY else code


def rows(n: int) -> list[list[str]]:
    lines = (DATA / f"events_written_{n}.tsv").read_text("utf-8").splitlines()
    return [[*line.split("\t"), "", "", ""][:4] for line in lines if line.strip() and not line.startswith("#")]


@dataclass
class Score:
    sentences: int = 0
    found: int = 0
    extra: int = 0
    actor_ok: int = 0
    actor_n: int = 0
    per_type: Counter[str] = field(default_factory=Counter)
    total: Counter[str] = field(default_factory=Counter)
    misses: list[str] = field(default_factory=list)


def measure(res: Resources, n: int) -> Score:
    """Type found, extras and actor country on set `n` (misses kept for `--show`)."""
    data = rows(n)
    arts = [Article(id=str(i), text=r[3], published="2023-06-01") for i, r in enumerate(data)]
    sc = Score(sentences=len(data))
    for (gold, actor, _recipient, text), an in zip(data, analyze_batch(arts, res), strict=True):
        types = [e.event for e in an.events]
        hit = gold in types
        sc.total[gold] += 1
        sc.per_type[gold] += hit
        sc.found += hit
        sc.extra += len(types) - hit
        if hit and actor:
            sc.actor_n += 1
            got = {_family(a.get("country")) for e in an.events if e.event == gold for a in e.actor}
            sc.actor_ok += _family(actor) in got
        if not hit or len(types) > 1:
            sc.misses.append(f"  {'MISS ' if not hit else 'EXTRA'} {gold} got {types}: {text[:140]}")
    return sc


def score(res: Resources, n: int, show: int) -> None:
    sc = measure(res, n)
    for line in sc.misses[:show]:
        print(line)
    m = sc.sentences
    print(
        f"set {n} ({m} sentences): type found {sc.found / m:.3f} ({sc.found}/{m}), extra / sentence {sc.extra / m:.3f},"
    )
    print(f"  actor country {sc.actor_ok / max(sc.actor_n, 1):.3f} ({sc.actor_ok}/{sc.actor_n})")
    print("  per type: " + ", ".join(f"{k} {sc.per_type[k]}/{sc.total[k]}" for k in sorted(sc.total)))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--set", choices=("1", "2", "3", "all"), default="all")
    ap.add_argument("--show", type=int, default=0, help="list misses and extras (set 1 only: 2 and 3 are held out)")
    args = ap.parse_args(argv)
    res = Resources.load()
    for n in (1, 2, 3) if args.set == "all" else (int(args.set),):
        score(res, n, args.show if n == 1 else 0)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
