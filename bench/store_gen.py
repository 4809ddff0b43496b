"""Fill a store with synthetic articles and events (default 1,000,000 events) for the store benchmarks.

Rows go through the same writer as ingest (`store.records.write`), many articles per transaction. Articles get
a one-line body and no stored analysis JSON (the API's event queries and the exports do not read it).
Countries follow a skewed (Zipf-like) distribution over 60 codes, days span 2015-2018, 5 events per article.

    .venv/bin/python bench/store_gen.py --db /tmp/bench.db --events 1000000
    .venv/bin/python bench/store_gen.py --db postgresql+psycopg://u:p@127.0.0.1/bench --events 1000000
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import sys
import time

from sqlalchemy import insert
from sqlalchemy.orm import Session

from eventdesk.model import Analysis, Article, Event, Span
from eventdesk.store import Store, records
from eventdesk.store.schema import ArticleRow

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
        src, tgt = rng.choices(COUNTRIES, WEIGHTS, k=2)
        a.events.append(
            Event(event=etype, mode=None, context=["diplomatic"], quad_code=quad, cameo=cameo, goldstein=score,
                  actor=[{"text": src, "name": src, "country": src, "sector": "GOV"}],
                  recipient=[{"text": tgt, "name": tgt, "country": tgt, "sector": "GOV"}],
                  date=(day - dt.timedelta(days=rng.randrange(3))).isoformat(), date_text=None,
                  location={"name": "Aleppo", "country": "SYR", "lat": 36.2, "lon": 37.16}, negated=False,
                  modality="asserted", evidence=Span("Synthetic article for the store benchmark.", 0, 42))
        )  # fmt: skip
    return a


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--db", required=True)
    ap.add_argument("--events", type=int, default=1_000_000)
    ap.add_argument("--batch", type=int, default=2000, help="articles per transaction")
    args = ap.parse_args()
    store = Store(args.db)
    if store.count():
        sys.exit(f"{args.db} is not empty: give a new database")
    rng = random.Random(20161019)
    n_articles = args.events // PER_ARTICLE
    t0 = time.perf_counter()
    now = dt.datetime.now(dt.UTC)
    for b in range(0, n_articles, args.batch):
        batch = [synthetic(i, rng) for i in range(b, min(n_articles, b + args.batch))]
        with Session(store.engine) as s, s.begin():
            s.execute(insert(ArticleRow), [
                {"id": a.article.id, "text": a.article.text, "outlet": a.article.outlet, "url": a.article.url,
                 "published": dt.date.fromisoformat(a.article.published or ""), "published_certainty": "stated",
                 "content_hash": a.article.content_hash, "ingested_at": now}
                for a in batch
            ])  # fmt: skip
            for a in batch:
                records.write(s, a)
        done = min(n_articles, b + args.batch) * PER_ARTICLE
        print(f"\r{done:,} events, {time.perf_counter() - t0:.0f} s", end="", file=sys.stderr, flush=True)
    print(f"\n{n_articles * PER_ARTICLE:,} events in {n_articles:,} articles: {time.perf_counter() - t0:.0f} s")
    store.close()


if __name__ == "__main__":
    main()
