"""Fill a store with synthetic articles and events (default 1,000,000 events) for the store benchmarks.

Rows are built by the same code as ingest (`store.records.table_rows`), so they have exactly the shape that
`eventdesk ingest` writes; they are then bulk-loaded, many articles per transaction: executemany on SQLite,
COPY on PostgreSQL. Articles get a one-line body and no stored analysis JSON (the API's event queries and
the exports do not read it). Countries follow a skewed (Zipf-like) distribution over 60 codes, days span
2015-2018, 5 events per article (1 in 10 with two recipients, 1 in 5 dated by its article, 3% negated).
PostgreSQL tables are VACUUM ANALYZEd at the end, as autovacuum would after a large load; SQLite is left as
ingest leaves it (no ANALYZE), so its query plans are those a user's store gets.

    .venv/bin/python bench/store_gen.py --db /tmp/bench.db --events 1000000
    .venv/bin/python bench/store_gen.py --db postgresql+psycopg://u:p@127.0.0.1/eventdesk_bench --events 1000000
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import sys
import time
from typing import Any

from sqlalchemy import Connection, insert, text

from eventdesk.model import Analysis, Article, Event, Span
from eventdesk.store import Store, records
from eventdesk.store.schema import ArticleRow, OutletRow

COUNTRIES = ["RUS", "USA", "SYR", "FRA", "GBR", "CHN", "TUR", "IRN", "UNO", "ISR", "DEU", "UKR", "SAU", "QAT",
             "EGY", "JOR", "LBN", "IRQ", "ESP", "ITA"] + [f"C{i:02d}" for i in range(40)]  # fmt: skip
WEIGHTS = [1 / (i + 1) for i in range(len(COUNTRIES))]
TYPES = [("AGREE", "VERBAL_COOPERATION", "03", 2.5), ("CONSULT", "VERBAL_COOPERATION", "04", 2.5),
         ("AID", "MATERIAL_COOPERATION", "07", 10.0), ("REQUEST", "VERBAL_CONFLICT", "10", 0.0),
         ("ACCUSE", "VERBAL_CONFLICT", "11", -3.0), ("REJECT", "VERBAL_CONFLICT", "12", -2.0),
         ("THREATEN", "VERBAL_CONFLICT", "13", -3.5), ("ASSAULT", "MATERIAL_CONFLICT", "19", -9.0)]  # fmt: skip
OUTLETS = ["Atlas Wire", "RIN", "SNBA", "Gulf Horizon", "The Daily Meridian", "RCI", "Bab al-Nasr News"]
START = dt.date(2015, 1, 1)
DAYS = 4 * 365
PER_ARTICLE = 5


def synthetic(i: int, rng: random.Random) -> Analysis:
    day = START + dt.timedelta(days=rng.randrange(DAYS))
    text = "Synthetic article for the store benchmark. " * 2
    art = Article(id=f"bench{i:08d}", text=text, outlet=rng.choice(OUTLETS), published=day.isoformat(),
                  published_certainty="stated", content_hash=f"h{i}", url=f"https://bench.example/{i}")  # fmt: skip
    a = Analysis(article=art)
    for _ in range(PER_ARTICLE):
        etype, quad, cameo, score = rng.choice(TYPES)
        src, *tgts = rng.choices(COUNTRIES, WEIGHTS, k=3 if rng.random() < 0.1 else 2)  # 1 in 10: 2 recipients
        own_date = rng.random() < 0.8  # else the event takes the article's date
        a.events.append(
            Event(event=etype, mode=None, context=["diplomatic"], quad_code=quad, cameo=cameo, goldstein=score,
                  actor=[{"text": src, "name": src, "country": src, "sector": "GOV"}],
                  recipient=[{"text": t, "name": t, "country": t, "sector": "GOV"} for t in tgts],
                  date=(day - dt.timedelta(days=rng.randrange(3))).isoformat() if own_date else None, date_text=None,
                  location={"name": "Aleppo", "country": "SYR", "lat": 36.2, "lon": 37.16},
                  negated=rng.random() < 0.03,
                  modality="asserted", evidence=Span("Synthetic article for the store benchmark.", 0, 42))
        )  # fmt: skip
    return a


def _copy(conn: Connection, table: Any, rows: list[dict[str, Any]]) -> None:
    """PostgreSQL COPY FROM STDIN: an order of magnitude faster than INSERTs for a bulk load."""
    names = [c.name for c in table.columns]
    cols = ", ".join(f'"{n}"' for n in names)
    cur: Any = conn.connection.cursor()  # the psycopg cursor
    with cur.copy(f"COPY {table.name} ({cols}) FROM STDIN") as cp:
        for row in rows:
            cp.write_row([row[n] for n in names])
    cur.close()


def load(conn: Connection, batch: list[Analysis], now: dt.datetime) -> None:
    """Insert one batch of synthetic analyses (articles, then every records table)."""
    tables: dict[Any, list[dict[str, Any]]] = {ArticleRow: []}
    for a in batch:
        art = a.article
        tables[ArticleRow].append(
            {"id": art.id, "source_path": None, "title": None, "outlet": art.outlet, "outlet_country": None,
             "url": art.url, "published": records.as_date(art.published), "published_certainty": "stated",
             "text": art.text, "content_hash": art.content_hash, "duplicate_of": None, "duplicate_kind": None,
             "minhash": None, "ingested_at": now}
        )  # fmt: skip
        for table, rows in records.table_rows(a).items():
            if table is not OutletRow:  # outlets: once, up front
                tables.setdefault(table, []).extend(rows)
    pg = conn.dialect.name == "postgresql"
    for table, rows in tables.items():
        if rows:
            if pg:
                _copy(conn, table.__table__, rows)
            else:
                conn.execute(insert(table), rows)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--db", required=True)
    ap.add_argument("--events", type=int, default=1_000_000)
    ap.add_argument("--batch", type=int, default=5000, help="articles per transaction")
    args = ap.parse_args()
    store = Store(args.db)
    if store.count():
        sys.exit(f"{args.db} is not empty: give a new database")
    rng = random.Random(20161019)
    n_articles = args.events // PER_ARTICLE
    t0 = time.perf_counter()
    now = dt.datetime.now(dt.UTC)
    with store.engine.connect() as conn:
        if conn.dialect.name == "sqlite":
            # A throw-away benchmark store: no fsync per transaction.
            conn.exec_driver_sql("PRAGMA synchronous=OFF")
        with conn.begin():  # explicit: COPY goes through the driver's cursor, which SQLAlchemy does not see
            conn.execute(insert(OutletRow), [{"name": o, "country": None, "ownership": None} for o in OUTLETS])
        for b in range(0, n_articles, args.batch):
            with conn.begin():
                load(conn, [synthetic(i, rng) for i in range(b, min(n_articles, b + args.batch))], now)
            done = min(n_articles, b + args.batch) * PER_ARTICLE
            print(f"\r{done:,} events, {time.perf_counter() - t0:.0f} s", end="", file=sys.stderr, flush=True)
    print(f"\n{n_articles * PER_ARTICLE:,} events in {n_articles:,} articles: {time.perf_counter() - t0:.0f} s")
    if store.engine.dialect.name == "postgresql":
        t1 = time.perf_counter()
        with store.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text("VACUUM ANALYZE"))
        print(f"VACUUM ANALYZE: {time.perf_counter() - t1:.0f} s")
    store.close()


if __name__ == "__main__":
    main()
