"""Cost of adding one article to the stories index with 1k, 10k and 100k articles already stored (synthetic).

Synthetic articles: headline + 60-word body drawn from a 20,000-word vocabulary, grouped in 5-article
stories, dated over 1,000 days. The filler is written in bulk (articles + story members + index rows, each
filler article its own story), then 200 new articles are added with `stories.assign` and timed.

    .venv/bin/python bench/stories_scale.py [--sizes 1000,10000,100000]
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import tempfile
import time
from pathlib import Path

from sqlalchemy import insert

from eventdesk import stories
from eventdesk.model import Analysis, Article
from eventdesk.store import Store
from eventdesk.store import stories as db
from eventdesk.store.schema import ArticleRow

VOCAB = ["zq" + "".join("abcdefghijklmnopqrstuvwxyz"[(i // 26**k) % 26] for k in range(4)) for i in range(20_000)]
START = dt.date(2015, 1, 1)


def synthetic(i: int, rng: random.Random) -> Analysis:
    story = i // 5
    srng = random.Random(story)
    core = srng.sample(VOCAB, 25)
    words = [rng.choice(core) if rng.random() < 0.5 else rng.choice(VOCAB) for _ in range(60)]
    day = START + dt.timedelta(days=srng.randrange(1000) + rng.randrange(2))
    art = Article(
        id=f"a{i:07d}",
        text=" ".join(words),
        title=" ".join(srng.sample(core, 6)),
        outlet=f"o{i % 7}",
        published=day.isoformat(),
        content_hash=f"h{i}",
    )
    return Analysis(article=art)


def fill(store: Store, lo: int, hi: int, rng: random.Random) -> None:
    arts, mems, terms = [], [], []
    for i in range(lo, hi):
        a = synthetic(i, rng).article
        f = stories.features(Analysis(article=a))
        day = stories.day_of(a.published)
        arts.append(
            {
                "id": a.id,
                "title": a.title,
                "outlet": a.outlet,
                "published": dt.date.fromisoformat(a.published or ""),
                "published_certainty": "stated",
                "text": a.text,
                "content_hash": a.content_hash,
                "ingested_at": dt.datetime.now(dt.UTC),
            }
        )
        mems.append(
            {"article_id": a.id, "story_id": a.id, "component": a.id, "day": day, "duplicate_of": None, "features": f}
        )
        terms += [{"term": t, "article_id": a.id, "day": day} for t in stories.key_terms(f)]
    with store.engine.begin() as conn:
        conn.execute(insert(ArticleRow.__table__), arts)
        conn.execute(insert(db.members), mems)
        conn.execute(insert(db.terms), terms)


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", default="1000,10000,100000")
    ap.add_argument("--new", type=int, default=200)
    args = ap.parse_args()
    rng = random.Random(0)
    with tempfile.TemporaryDirectory() as tmp:
        store = Store(str(Path(tmp) / "scale.db"))
        have = 0
        for size in [int(s) for s in args.sizes.split(",")]:
            fill(store, have, size, rng)
            have = size
            new = [synthetic(10_000_000 + i, rng) for i in range(args.new)]
            t0 = time.perf_counter()
            for a in new:
                store.add(a)
                stories.assign(store, a)
            ms = (time.perf_counter() - t0) / len(new) * 1000
            print(f"{size:>7} stored: {ms:.1f} ms per added article (store.add + stories.assign)")
        store.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
