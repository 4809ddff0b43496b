"""Event coding benchmark: ../shared/data/plover/gsr.jsonl (one sentence per record, published 2000-01-01).

For each record: is the record's PLOVER type among the events found (old names mapped: DEMAND = REQUEST,
DISAPPROVE and INVESTIGATE = ACCUSE, FIGHT = ASSAULT); how many other events were found (every event beyond
the one matching); and, when the type is right and the record names source actors, is one of the matching
event's actor countries one of theirs (IGO/UNO/EUR count as one family). Reported for the even and the odd
records separately (rules were developed looking at the even half only), with per-type recall and a
confusion table (record type -> the types found).

    .venv/bin/python bench/events.py [--gsr PATH] [--show N] [--half even|odd|all]
"""

from __future__ import annotations

import argparse
import json
import time
from collections import Counter, defaultdict
from pathlib import Path

from eventdesk.actors import ActorAnnotator
from eventdesk.actors.kb import code_tables
from eventdesk.events.annotate import EventAnnotator
from eventdesk.events.ontology import load as load_ontology
from eventdesk.model import Article
from eventdesk.pipeline import Resources, analyze_batch

GSR = Path(__file__).resolve().parents[1] / ".." / "shared" / "data" / "plover" / "gsr.jsonl"
GOALS = {"type_found": 0.85, "extra_per_record": 0.15, "actor_country": 0.80}
IGO_FAMILY = {"IGO", "UNO", "EUR"}


def _country(code: str | None) -> str | None:
    if not code:
        return None
    c = code_tables().decode(code, lenient=True)
    country = c.country if c is not None else code
    return "IGO" if country in IGO_FAMILY else country


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--gsr", type=Path, default=GSR)
    ap.add_argument("--show", type=int, default=0, help="misses to list")
    ap.add_argument("--half", choices=("even", "odd", "all"), default="all")
    args = ap.parse_args(argv)
    if not args.gsr.exists():
        print(f"no benchmark data at {args.gsr}: skipped")
        return 0
    onto = load_ontology()
    records = [json.loads(line) for line in args.gsr.read_text("utf-8").splitlines() if line.strip()]
    t0 = time.perf_counter()
    res = Resources.load()
    actors = ActorAnnotator()
    res.annotators = [*res.annotators, ("actors", actors), ("events", EventAnnotator(kb=actors.kb))]
    load_s = time.perf_counter() - t0
    articles = [
        Article(id=r["id"], text=r["text"], published="2000-01-01", published_certainty="stated") for r in records
    ]
    t1 = time.perf_counter()
    analyses = list(analyze_batch(articles, res))
    run_s = time.perf_counter() - t1
    halves: dict[str, list[int]] = {"even": [], "odd": []}
    for i in range(len(records)):
        halves["even" if i % 2 == 0 else "odd"].append(i)
    print(
        f"gsr.jsonl: {len(records)} records; load {load_s:.1f}s, pipeline {run_s:.1f}s"
        f" ({len(records) / run_s:.1f} sentences/s)"
    )
    for name in ("even", "odd", "all"):
        if args.half != "all" and name not in (args.half, "all"):
            continue
        idx = halves[name] if name != "all" else list(range(len(records)))
        found = extra = actor_ok = actor_n = 0
        recall: dict[str, list[int]] = defaultdict(lambda: [0, 0])
        confusion: dict[str, Counter[str]] = defaultdict(Counter)
        misses: list[str] = []
        for i in idx:
            rec, an = records[i], analyses[i]
            gold = onto.canonical(rec["event"]) or rec["event"]
            types = [e.event for e in an.events]
            hit = gold in types
            found += hit
            extra += len(types) - (1 if hit else 0)
            recall[gold][1] += 1
            recall[gold][0] += hit
            confusion[gold].update(types or ["(none)"])
            if hit and rec.get("source"):
                want = {_country(a.get("code")) for a in rec["source"]} - {None}
                if want:
                    actor_n += 1
                    got = {_country(a.get("country")) for e in an.events if e.event == gold for a in e.actor}
                    actor_ok += bool(want & got)
                    if not want & got and len(misses) < args.show and name == args.half:
                        who = f"{sorted(map(str, want))} got {sorted(map(str, got))}"
                        misses.append(f"  [{i}] {gold} actor {who}: {rec['text'][:100]}")
            if (not hit or len(types) > 1) and len(misses) < args.show and name == args.half:
                misses.append(f"  [{i}] {gold} got {types}: {rec['text'][:150]}")
        n = len(idx)
        print(f"\n== {name} half ({n} records)" if name != "all" else f"\n== all ({n} records)")
        print(f"type found      {found / n:.3f}  (goal >= {GOALS['type_found']})")
        print(f"extra / record  {extra / n:.3f}  (goal <= {GOALS['extra_per_record']})")
        ac = actor_ok / actor_n if actor_n else 0.0
        print(f"actor country   {ac:.3f}  ({actor_ok}/{actor_n}; goal >= {GOALS['actor_country']})")
        if name == "all":
            print("\nper-type recall:")
            for t, (ok, tot) in sorted(recall.items()):
                top = ", ".join(f"{k} {v}" for k, v in confusion[t].most_common(4))
                print(f"  {t:10s} {ok:3d}/{tot:<3d} {ok / tot:.2f}   found: {top}")
        for m in misses:
            print(m)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
