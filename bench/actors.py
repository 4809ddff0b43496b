"""Actor resolution benchmark: ../shared/data/actors/ngec_cases.jsonl through `eventdesk actor -`'s code path.

Each case gives a mention (+ context, date) and expectations: `country`, `sector`, `sector2` ("" = no value
expected) and `country_not`. Every expected key is scored on its own; failures are listed by kind.

    .venv/bin/python bench/actors.py [--cases PATH] [--half even|odd|all] [--show N]

`--half even` scores the cases of even line index (0, 2, ...: the development half, whose failures may be
read), `--half odd` the held-out half (scored, never read for development); `all` (the default) scores every
case and prints the figures of both halves too.
"""

from __future__ import annotations

import argparse
import io
import json
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from eventdesk.actors.cli import resolve_lines
from eventdesk.actors.kb import KnowledgeBase

CASES = Path(__file__).resolve().parents[1] / ".." / "shared" / "data" / "actors" / "ngec_cases.jsonl"
GOALS = {"country": 0.92, "sector": 0.85}


@dataclass
class Score:
    """Right/total per scored key, failures by kind and by cause, and the failure lines of one set of cases."""

    right: Counter[str] = field(default_factory=Counter)
    total: Counter[str] = field(default_factory=Counter)
    failures: Counter[str] = field(default_factory=Counter)
    causes: Counter[str] = field(default_factory=Counter)
    listed: list[str] = field(default_factory=list)


def score(cases: list[dict[str, Any]], outputs: list[dict[str, Any]]) -> Score:
    sc = Score()
    for case, out in zip(cases, outputs, strict=True):
        for key, want in case["expect"].items():
            if key == "country_not":
                ok = out.get("country") != want
                score_key = "country"
            else:
                ok = (out.get(key) or "") == want
                score_key = key
            sc.total[score_key] += 1
            sc.right[score_key] += ok
            if ok:
                continue
            got_v = out.get("country" if key == "country_not" else key)
            if key == "country_not":
                kind = "country: forbidden value"
            elif not want:
                kind = f"{key}: value where none expected"
            elif not got_v:
                kind = f"{key}: missed (null)"
            else:
                kind = f"{key}: wrong value"
            sc.failures[kind] += 1
            sc.causes["nothing in the knowledge matched" if not out.get("source") else "matched, decided wrong"] += 1
            sc.listed.append(f"  {kind:32} {case['mention'][:60]!r} want {want!r} got {got_v!r}  [{out.get('source')}]")
    return sc


def _figures(label: str, sc: Score) -> None:
    for key in ("country", "sector", "sector2"):
        if sc.total[key]:
            goal = f" (goal >= {GOALS[key]:.2f})" if key in GOALS else ""
            print(
                f"{label:5} {key:8} right: {sc.right[key]}/{sc.total[key]} = {sc.right[key] / sc.total[key]:.3f}{goal}"
            )


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--cases", type=Path, default=CASES)
    ap.add_argument("--half", choices=("even", "odd", "all"), default="all", help="cases by line index")
    ap.add_argument("--show", type=int, default=0, help="failures of the chosen half to list")
    args = ap.parse_args(argv)
    if not args.cases.exists():
        print(f"no benchmark data at {args.cases}: skipped")
        return 0
    lines = [line for line in args.cases.read_text(encoding="utf-8").splitlines() if line.strip()]
    cases = [json.loads(line) for line in lines]
    t0 = time.perf_counter()
    kb = KnowledgeBase.load()
    load_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    kb.skeleton_index()  # built on the first respelling lookup: timed apart from the per-mention cost
    skeleton_s = time.perf_counter() - t0
    stdin = io.StringIO("\n".join(json.dumps({k: c.get(k) for k in ("mention", "context", "date")}) for c in cases))
    t1 = time.perf_counter()
    outputs = [rec for rec, _ in resolve_lines(kb, stdin)]
    run_s = time.perf_counter() - t1
    halves = {
        "even": [i for i in range(len(cases)) if i % 2 == 0],
        "odd": [i for i in range(len(cases)) if i % 2 == 1],
        "all": list(range(len(cases))),
    }
    chosen = halves[args.half]
    sc = score([cases[i] for i in chosen], [outputs[i] for i in chosen])
    print(
        f"cases: {len(chosen)} ({args.half})  load: {load_s:.2f}s  skeleton index (first use): {skeleton_s:.2f}s  "
        f"resolve: {run_s * 1000 / max(1, len(cases)):.2f} ms/mention"
    )
    _figures(args.half, sc)
    if args.half == "all":
        for half in ("even", "odd"):
            _figures(half, score([cases[i] for i in halves[half]], [outputs[i] for i in halves[half]]))
    print(f"failures by kind ({args.half}):")
    for kind, n in sc.failures.most_common():
        print(f"  {n:4}  {kind}")
    print(f"failures by cause ({args.half}):")
    for cause, n in sc.causes.most_common():
        print(f"  {n:4}  {cause}")
    if args.show:
        print("failures:")
        for line in sc.listed[: args.show]:
            print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
