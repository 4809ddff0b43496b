"""Actor resolution benchmark: ../shared/data/actors/ngec_cases.jsonl through `eventdesk actor -`'s code path.

Each case gives a mention (+ context, date) and expectations: `country`, `sector`, `sector2` ("" = no value
expected) and `country_not`. Every expected key is scored on its own; failures are listed by kind.

    .venv/bin/python bench/actors.py [--cases PATH] [--show N]
"""

from __future__ import annotations

import argparse
import io
import json
import sys
import time
from collections import Counter
from pathlib import Path

from eventdesk.actors.cli import resolve_lines
from eventdesk.actors.kb import KnowledgeBase

CASES = Path(__file__).resolve().parents[1] / ".." / "shared" / "data" / "actors" / "ngec_cases.jsonl"
GOALS = {"country": 0.92, "sector": 0.85}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--cases", type=Path, default=CASES)
    ap.add_argument("--show", type=int, default=200, help="failures to list")
    args = ap.parse_args(argv)
    if not args.cases.exists():
        print(f"no benchmark data at {args.cases}: skipped")
        return 0
    lines = args.cases.read_text(encoding="utf-8").splitlines()
    cases = [json.loads(line) for line in lines if line.strip()]
    t0 = time.perf_counter()
    kb = KnowledgeBase.load()
    load_s = time.perf_counter() - t0
    stdin = io.StringIO("\n".join(json.dumps({k: c.get(k) for k in ("mention", "context", "date")}) for c in cases))
    t1 = time.perf_counter()
    outputs = [rec for rec, _ in resolve_lines(kb, stdin)]
    run_s = time.perf_counter() - t1
    right: Counter[str] = Counter()
    total: Counter[str] = Counter()
    failures: Counter[str] = Counter()
    causes: Counter[str] = Counter()
    listed: list[str] = []
    for case, out in zip(cases, outputs, strict=True):
        for key, want in case["expect"].items():
            if key == "country_not":
                ok = out.get("country") != want
                score_key = "country"
            else:
                got = out.get(key) or ""
                ok = got == want
                score_key = key
            total[score_key] += 1
            right[score_key] += ok
            if not ok:
                got_v = out.get("country" if key == "country_not" else key)
                if key == "country_not":
                    kind = "country: forbidden value"
                elif not want:
                    kind = f"{key}: value where none expected"
                elif not got_v:
                    kind = f"{key}: missed (null)"
                else:
                    kind = f"{key}: wrong value"
                failures[kind] += 1
                causes["nothing in the knowledge matched" if not out.get("source") else "matched, decided wrong"] += 1
                listed.append(
                    f"  {kind:32} {case['mention'][:60]!r} want {want!r} got {got_v!r}  [{out.get('source')}]"
                )
    print(f"cases: {len(cases)}  load: {load_s:.2f}s  resolve: {run_s * 1000 / max(1, len(cases)):.2f} ms/mention")
    for key in ("country", "sector", "sector2"):
        if total[key]:
            goal = f" (goal >= {GOALS[key]:.2f})" if key in GOALS else ""
            print(f"{key:8} right: {right[key]}/{total[key]} = {right[key] / total[key]:.3f}{goal}")
    print("failures by kind:")
    for kind, n in failures.most_common():
        print(f"  {n:4}  {kind}")
    print("failures by cause:")
    for cause, n in causes.most_common():
        print(f"  {n:4}  {cause}")
    if args.show:
        print("failures:")
        for line in listed[: args.show]:
            print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
