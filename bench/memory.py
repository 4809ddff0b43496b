"""Memory stays flat however large the corpus: peak RSS of `eventdesk analyze` on N and 10 x N articles.

The corpus is the article-extraction benchmark's 181 bodies repeated; the command streams it with
`--workers 2` and its output goes to /dev/null. psutil samples the main process and each worker every 0.2 s.

    .venv/bin/python bench/memory.py [--n 200]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psutil

from _common import ROOT, shared


def peak_rss(path: Path, workers: int) -> tuple[float, float, float]:
    """(seconds, peak MB of the main process, peak MB of the largest worker)."""
    cmd = [str(ROOT / ".venv" / "bin" / "eventdesk"), "analyze", str(path), "--workers", str(workers)]
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    main = psutil.Process(proc.pid)
    peak_main = peak_worker = 0.0
    while proc.poll() is None:
        try:
            peak_main = max(peak_main, main.memory_info().rss / 2**20)
            for child in main.children(recursive=True):
                peak_worker = max(peak_worker, child.memory_info().rss / 2**20)
        except psutil.Error:
            pass
        time.sleep(0.2)
    return time.perf_counter() - t0, peak_main, peak_worker


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=200)
    args = ap.parse_args()
    truth = json.loads((shared("article_extraction") / "ground-truth.json").read_text("utf-8"))
    bodies = [v["articleBody"] for _, v in sorted(truth.items()) if len(v["articleBody"].split()) > 50]
    with tempfile.TemporaryDirectory() as tmp:
        for n in (args.n, 10 * args.n):
            path = Path(tmp) / f"c{n}.jsonl"
            with path.open("w") as fh:
                for i in range(n):
                    fh.write(json.dumps({"id": f"a{i}", "text": bodies[i % len(bodies)]}) + "\n")
            secs, m, w = peak_rss(path, 2)
            print(f"{n:6d} articles: {secs:7.1f} s, peak RSS main {m:6.0f} MB, largest worker {w:6.0f} MB")


if __name__ == "__main__":
    sys.exit(main())
