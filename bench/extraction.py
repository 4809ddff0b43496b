"""Main-text extraction on the Scrapinghub article-extraction benchmark (181 real news pages).

Runs each page through eventdesk's own HTML path (trafilatura + cleaning + metadata, `ingest.article.build`)
and, for reference, trafilatura alone with the same settings; prints token precision, recall and F1 of the
body against `articleBody` (micro-averaged over pages, as the benchmark does).

    .venv/bin/python bench/extraction.py [--gate]

--gate exits 1 when eventdesk's F1 is below the floor pinned in bench/baseline.json.
"""

from __future__ import annotations

import gzip
import json
import sys
import time

from _common import ROOT, prf, shared
from eventdesk import errors
from eventdesk.ingest.article import build
from eventdesk.ingest.formats import html_to_text
from eventdesk.ingest.outlets import OutletRegistry
from eventdesk.ingest.readers import RawDocument, decode


def main() -> int:
    data = shared("article_extraction")
    truth = json.loads((data / "ground-truth.json").read_text("utf-8"))
    registry = OutletRegistry.load()
    ours: list[tuple[float, float, float]] = []
    base: list[tuple[float, float, float]] = []
    failed = 0
    t0 = time.perf_counter()
    for page_id, gold in sorted(truth.items()):
        raw_bytes = gzip.decompress((data / "html" / f"{page_id}.html.gz").read_bytes())
        html, _ = decode(raw_bytes, page_id)
        doc = RawDocument(page_id, None, "html", html, {"url": gold.get("url")})
        try:
            article, _ = build(doc, registry)
            text = article.text
        except errors.InputError:
            text, failed = "", failed + 1
        ours.append(prf(text, gold["articleBody"]))
        extracted = html_to_text(html, gold.get("url"))
        base.append(prf(extracted.text if extracted else "", gold["articleBody"]))
    elapsed = time.perf_counter() - t0
    n = len(ours)

    def mean(rows: list[tuple[float, float, float]], i: int) -> float:
        return sum(r[i] for r in rows) / len(rows)

    print(f"pages: {n}, no article found: {failed}, {elapsed:.1f} s")
    print(f"eventdesk      P {mean(ours, 0):.4f}  R {mean(ours, 1):.4f}  F1 {mean(ours, 2):.4f}")
    print(f"trafilatura    P {mean(base, 0):.4f}  R {mean(base, 1):.4f}  F1 {mean(base, 2):.4f}")
    if "--gate" in sys.argv:
        floor = json.loads((ROOT / "bench" / "baseline.json").read_text())["extraction_f1"]
        if mean(ours, 2) < floor:
            print(f"FAIL: F1 {mean(ours, 2):.4f} below the pinned floor {floor}")
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
