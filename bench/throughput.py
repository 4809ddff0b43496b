"""Throughput and memory of `eventdesk analyze` against raw spaCy parsing of the same texts.

Corpus: the article bodies of the article-extraction benchmark (181 real news articles), repeated
`--repeat` times. Measures, in one run:
  1. raw spaCy `nlp.pipe` over the texts (model already loaded): articles per second;
  2. `analyze` in-process (the engine's code path with workers=1, model already loaded): articles per second,
     and its ratio to (1) (goal >= 0.75: the annotators must be cheap next to the parse);
  3. the `eventdesk analyze --workers 1` and `--workers 2` commands end to end (process start, model load,
     reading, analysis, JSON output), wall time and speed-up (goal >= 1.7x), and peak RSS of the largest
     process (goal <= 1 GB per worker).

    .venv/bin/python bench/throughput.py [--repeat 3]
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _common import ROOT, shared
from eventdesk import nlp
from eventdesk.engines import process
from eventdesk.ingest.readers import RawDocument
from eventdesk.pipeline import Resources


def corpus(repeat: int) -> list[str]:
    truth = json.loads((shared("article_extraction") / "ground-truth.json").read_text("utf-8"))
    bodies = [v["articleBody"] for _, v in sorted(truth.items()) if v["articleBody"].strip()]
    return bodies * repeat


def run_cli(path: Path, workers: int) -> tuple[float, float]:
    """Wall seconds and peak RSS (MB) of the largest process of one `eventdesk analyze` run."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    t0 = time.perf_counter()
    subprocess.run(
        [str(ROOT / ".venv" / "bin" / "eventdesk"), "analyze", str(path), "--workers", str(workers)],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    wall = time.perf_counter() - t0
    peak = max(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, before) / 1024
    return wall, peak


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    texts = corpus(args.repeat)
    words = sum(len(t.split()) for t in texts)
    print(f"corpus: {len(texts)} articles, {words} words")

    resources = Resources.load()
    model = nlp.load()
    for _ in model.pipe(texts[:16]):  # warm up
        pass
    t0 = time.perf_counter()
    for _ in model.pipe(texts, batch_size=16):
        pass
    raw = time.perf_counter() - t0
    docs = [RawDocument(f"a{i}", None, "record", t, {"id": f"a{i}"}) for i, t in enumerate(texts)]
    t0 = time.perf_counter()
    for i in range(0, len(docs), 8):
        process(docs[i : i + 8], resources)
    ours = time.perf_counter() - t0
    print(f"raw spaCy nlp.pipe:        {len(texts) / raw:7.1f} articles/s ({raw:.1f} s)")
    print(f"eventdesk analyze (core):  {len(texts) / ours:7.1f} articles/s ({ours:.1f} s)")
    print(f"ratio:                     {raw / ours:7.3f}  (goal >= 0.75)")

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "corpus.jsonl"
        with path.open("w") as fh:
            for i, t in enumerate(texts):
                fh.write(json.dumps({"id": f"a{i}", "text": t}) + "\n")
        w1, m1 = run_cli(path, 1)
        w2, m2 = run_cli(path, 2)
    print(f"CLI --workers 1:           {w1:7.1f} s, peak RSS {m1:.0f} MB")
    print(f"CLI --workers 2:           {w2:7.1f} s, peak RSS of the largest process {m2:.0f} MB")
    print(f"speed-up 2 vs 1 workers:   {w1 / w2:7.2f}x  (goal >= 1.7x)")


if __name__ == "__main__":
    sys.exit(main())
