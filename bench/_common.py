"""Helpers shared by the benchmark scripts: where the benchmark data is, and token P/R/F1."""

from __future__ import annotations

import re
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "data"
_TOKEN = re.compile(r"\w+", re.UNICODE)


def shared(*parts: str) -> Path:
    path = SHARED.joinpath(*parts)
    if not path.exists():
        sys.exit(f"benchmark data not found: {path} (benchmarks need ../shared beside the checkout)")
    return path


def tokens(text: str) -> list[str]:
    return _TOKEN.findall(text.lower())


def prf(predicted: str, gold: str) -> tuple[float, float, float]:
    """Bag-of-tokens precision, recall and F1 (the article-extraction benchmark's measure)."""
    p, g = Counter(tokens(predicted)), Counter(tokens(gold))
    overlap = sum((p & g).values())
    if not p or not g:
        return (1.0, 1.0, 1.0) if p == g else (0.0, 0.0, 0.0)
    precision, recall = overlap / sum(p.values()), overlap / sum(g.values())
    f1 = 2 * precision * recall / (precision + recall) if overlap else 0.0
    return precision, recall, f1
