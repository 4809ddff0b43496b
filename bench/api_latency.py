"""Latency of `/api/events` filtered by actor country and a date range, on a store made by store_gen.py.

Requests go through the whole app (routing, validation, query, JSON) in-process with FastAPI's TestClient,
so the figures are the server's time without network. Actors are drawn with the generator's skew (common
countries are asked for more often); windows of 7, 30, 90 and 365 days anywhere in 2015-2018, in turn;
default page size (100). Prints p50/p95 per window and overall, and the query plans of the two statements
behind a page (the filtered keys, then the events loaded by id) for the commonest actor over a year. Then
the time of `/api/stats` (counts and top pairs) for its default window and for a year.

    .venv/bin/python bench/api_latency.py --db /tmp/bench.db --requests 400
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import statistics
import time
import warnings

warnings.filterwarnings("ignore")

from fastapi.testclient import TestClient  # noqa: E402
from sqlalchemy import text  # noqa: E402

from eventdesk.api import Settings, create_app  # noqa: E402
from eventdesk.store import Store, query  # noqa: E402
from store_gen import COUNTRIES, DAYS, START, WEIGHTS  # noqa: E402

WINDOWS = (7, 30, 90, 365)


def pct(times: list[float], p: float) -> float:
    s = sorted(times)
    return s[max(0, int(p * len(s)) - 1)]


def plans(db: str) -> None:
    store = Store(db, upgrade=False)
    f = query.EventFilter(actor=COUNTRIES[0], since=dt.date(2016, 1, 1), until=dt.date(2016, 12, 31))
    with store.session() as s:
        dialect = s.get_bind().dialect
        keys = query.event_ids(s, f).limit(101)
        ids = [r.id for r in s.execute(keys)]
        load = query.load_statement(ids)
        prefix = "EXPLAIN (ANALYZE, BUFFERS) " if dialect.name == "postgresql" else "EXPLAIN QUERY PLAN "
        for name, stmt in (("keys", keys), ("load", load)):
            sql = str(stmt.compile(dialect=dialect, compile_kwargs={"literal_binds": True}))
            print(f"plan ({name}):")
            for row in s.execute(text(prefix + sql)):
                print("   ", str(row[-1])[:150])
    store.close()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--db", required=True)
    ap.add_argument("--requests", type=int, default=400)
    args = ap.parse_args()
    client = TestClient(create_app(Settings(db=args.db)))
    rng = random.Random(7)
    client.get("/api/events", params={"actor": "RUS"})  # warm-up: connection pool, caches
    times: dict[int, list[float]] = {w: [] for w in WINDOWS}
    sizes = []
    for i in range(args.requests):
        window = WINDOWS[i % len(WINDOWS)]
        since = START + dt.timedelta(days=rng.randrange(DAYS - window))
        params = {"actor": rng.choices(COUNTRIES, WEIGHTS)[0], "since": since.isoformat(),
                  "until": (since + dt.timedelta(days=window - 1)).isoformat()}  # fmt: skip
        t0 = time.perf_counter()
        r = client.get("/api/events", params=params)
        times[window].append((time.perf_counter() - t0) * 1000)
        assert r.status_code == 200, r.text
        sizes.append(len(r.json()["items"]))
    every = [t for ts in times.values() for t in ts]
    print(f"db: {args.db.split('@')[-1]}")
    print(f"requests: {len(every)}, events per response: median {statistics.median(sizes):.0f}, min {min(sizes)}")
    for w, ts in times.items():
        print(f"  {w:>3}-day window: p50 {statistics.median(ts):6.1f} ms, p95 {pct(ts, 0.95):6.1f} ms")
    p95 = pct(every, 0.95)
    print(f"latency ms: p50 {statistics.median(every):.1f}, p95 {p95:.1f}, max {max(every):.1f}")
    print(f"goal p95 <= 100 ms: {'met' if p95 <= 100 else 'NOT met'}")
    for label, params in (("default window", {}), ("365-day window", {"since": "2017-01-01", "until": "2017-12-31"})):
        st, took = [], []
        for _ in range(5):
            t0 = time.perf_counter()
            r = client.get("/api/stats", params=params)
            took.append((time.perf_counter() - t0) * 1000)
            assert r.status_code == 200, r.text
            st.append(r.json())
        print(f"/api/stats, {label} ({st[0]['since']} to {st[0]['until']}, {st[0]['events']:,} events):"
              f" median {statistics.median(took):.0f} ms, max {max(took):.0f} ms")  # fmt: skip
    plans(args.db)


if __name__ == "__main__":
    main()
