"""BASIL story clustering: B-cubed precision, recall and F1 of `eventdesk.stories` against triplet-uuid.

Each BASIL story is told by Fox News, the New York Times and HuffPost (same `triplet-uuid`). Every article
of the chosen years is stored (title, date, outlet, body) in a temporary SQLite store and clustered
incrementally with `stories.assign`, in file order and in a shuffled order (which must give the same
clusters). Constants were set on the demo corpus and BASIL 2015-2016 (dev); 2017-2019 is held out.

    .venv/bin/python bench/stories.py [--basil ../shared/data/basil] [--years 2015-2019]
"""

from __future__ import annotations

import argparse
import ast
import json
import random
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

from eventdesk import stories
from eventdesk.model import Analysis, Article
from eventdesk.store import Store
from eventdesk.store import stories as db


def load(root: Path, years: list[int]) -> list[tuple[Analysis, str, int]]:
    out = []
    for year in years:
        for f in sorted((root / "articles" / str(year)).glob("*.json")):
            d = json.loads(f.read_text(encoding="utf-8"))
            paras = d["body-paragraphs"]
            if isinstance(paras, str):
                paras = ast.literal_eval(paras)
            text = "\n\n".join(" ".join(p) for p in paras)
            art = Article(
                id=d["uuid"],
                text=text,
                title=d["title"],
                outlet=d["source"],
                published=d["date"],
                published_certainty="stated",
                source_path=str(f),
                content_hash=d["uuid"],
            )
            out.append((Analysis(article=art), d["triplet-uuid"], year))
    return out


def bcubed(pred: dict[str, str], gold: dict[str, str]) -> tuple[float, float, float]:
    by_pred: dict[str, set[str]] = defaultdict(set)
    by_gold: dict[str, set[str]] = defaultdict(set)
    for i in pred:
        by_pred[pred[i]].add(i)
        by_gold[gold[i]].add(i)
    p = sum(len(by_pred[pred[i]] & by_gold[gold[i]]) / len(by_pred[pred[i]]) for i in pred) / len(pred)
    r = sum(len(by_pred[pred[i]] & by_gold[gold[i]]) / len(by_gold[gold[i]]) for i in pred) / len(pred)
    return p, r, 2 * p * r / (p + r)


def run(items: list[tuple[Analysis, str, int]], seed: int | None) -> tuple[dict[str, str], float]:
    order = list(items)
    if seed is not None:
        random.Random(seed).shuffle(order)
    with tempfile.TemporaryDirectory() as tmp:
        store = Store(str(Path(tmp) / "basil.db"))
        t0 = time.perf_counter()
        for analysis, _, _ in order:
            store.add(analysis)
            stories.assign(store, analysis)
        secs = time.perf_counter() - t0
        pred = {a["id"]: s.id for s, arts in db.list_stories(store.engine) for a in arts}
        store.close()
    return pred, secs


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--basil", default=str(Path(__file__).resolve().parents[1].parent / "shared/data/basil"))
    ap.add_argument("--years", default="2015-2019")
    args = ap.parse_args()
    lo, _, hi = args.years.partition("-")
    years = list(range(int(lo), int(hi or lo) + 1))
    root = Path(args.basil)
    if not root.is_dir():
        print(f"BASIL not found at {root}", file=sys.stderr)
        return 0
    items = load(root, years)
    gold = {a.article.id: g for a, g, _ in items}
    pred, secs = run(items, None)
    shuffled, _ = run(items, 13)
    same = {frozenset(i for i in pred if pred[i] == s) for s in pred.values()} == {
        frozenset(i for i in shuffled if shuffled[i] == s) for s in shuffled.values()
    }
    p, r, f = bcubed(pred, gold)
    print(
        f"BASIL {args.years}: {len(items)} articles, {len(set(gold.values()))} gold stories, "
        f"{len(set(pred.values()))} predicted"
    )
    print(f"  all        B-cubed P={p:.3f} R={r:.3f} F1={f:.3f}  ({secs / len(items) * 1000:.1f} ms/article)")
    for name, ys in (("dev 2015-16", {2015, 2016}), ("test 2017-19", {2017, 2018, 2019})):
        ids = {a.article.id for a, _, y in items if y in ys}
        if ids:
            p, r, f = bcubed({i: pred[i] for i in ids}, {i: gold[i] for i in ids})
            print(f"  {name:<12} B-cubed P={p:.3f} R={r:.3f} F1={f:.3f}  ({len(ids)} articles)")
    print(f"  shuffled order gives identical clusters: {same}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
