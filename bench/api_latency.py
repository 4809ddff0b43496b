"""Latency of `/api/events` filtered by actor country and a date range, on a store made by store_gen.py.

Requests go through the whole app (routing, validation, query, JSON) in-process with FastAPI's TestClient,
so the figures are the server's time without network. Actors are drawn with the generator's skew (common
countries are asked for more often), windows of 30 days anywhere in 2015-2018, default page size (100).

    .venv/bin/python bench/api_latency.py --db /tmp/bench.db --requests 300
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

from eventdesk.api import Settings, create_app  # noqa: E402
from store_gen import COUNTRIES, DAYS, START, WEIGHTS  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--db", required=True)
    ap.add_argument("--requests", type=int, default=300)
    args = ap.parse_args()
    client = TestClient(create_app(Settings(db=args.db)))
    rng = random.Random(7)
    client.get("/api/events", params={"actor": "RUS"})  # warm-up: connection pool, caches
    times, sizes = [], []
    for _ in range(args.requests):
        since = START + dt.timedelta(days=rng.randrange(DAYS - 30))
        params = {"actor": rng.choices(COUNTRIES, WEIGHTS)[0], "since": since.isoformat(),
                  "until": (since + dt.timedelta(days=30)).isoformat()}  # fmt: skip
        t0 = time.perf_counter()
        r = client.get("/api/events", params=params)
        times.append((time.perf_counter() - t0) * 1000)
        assert r.status_code == 200, r.text
        sizes.append(len(r.json()["items"]))
    times.sort()
    p95 = times[int(0.95 * len(times)) - 1]
    print(f"db: {args.db.split('@')[-1]}")
    print(f"requests: {len(times)}, events per response: median {statistics.median(sizes):.0f}")
    print(f"latency ms: p50 {statistics.median(times):.1f}, p95 {p95:.1f}, max {times[-1]:.1f}")
    print(f"goal p95 <= 100 ms: {'met' if p95 <= 100 else 'NOT met'}")


if __name__ == "__main__":
    main()
