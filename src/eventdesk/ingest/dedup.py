"""Duplicates: exact (same content hash) and near (MinHash over word shingles, LSH bands).

Syndicated wire copies and re-publications with a changed headline keep their own record and point at the
first article seen with `duplicate_of`. The index is an interface so that `analyze` keeps it in memory and
the store keeps it in a table (a candidate look-up per article, never a pass over all articles).
"""

from __future__ import annotations

import hashlib
import struct
from collections.abc import Iterable
from typing import Literal, Protocol

import numpy as np
from datasketch import MinHash

from eventdesk.ingest.article import normalise_text
from eventdesk.model import Article

NUM_PERM = 128
SHINGLE = 5
# 16 bands of 8 rows: pairs with Jaccard >= ~0.7 share a band with probability > 0.97; < 0.4 rarely do.
BANDS, ROWS = 16, 8
THRESHOLD = 0.7  # estimated Jaccard of 5-word shingles at or above which two bodies are near-duplicates
MIN_WORDS = 30  # shorter bodies (briefs, headlines) are too short for shingle overlap to mean copying


def signature(text: str) -> np.ndarray:
    words = normalise_text(text).split()
    mh = MinHash(num_perm=NUM_PERM, seed=1)
    mh.update_batch(" ".join(words[i : i + SHINGLE]).encode("utf-8") for i in range(max(1, len(words) - SHINGLE + 1)))
    return mh.hashvalues.astype(np.uint64)


def bands(sig: np.ndarray) -> list[str]:
    """Band keys: the band number and a hash of its rows."""
    out = []
    for b in range(BANDS):
        rows = sig[b * ROWS : (b + 1) * ROWS]
        digest = hashlib.blake2b(rows.tobytes(), digest_size=8).hexdigest()
        out.append(f"{b:02d}:{digest}")
    return out


def similarity(a: np.ndarray, b: np.ndarray) -> float:
    return float(np.mean(a == b))


def pack(sig: np.ndarray) -> bytes:
    return struct.pack(f"<{NUM_PERM}Q", *sig.tolist())


def unpack(data: bytes) -> np.ndarray:
    return np.array(struct.unpack(f"<{NUM_PERM}Q", data), dtype=np.uint64)


class Index(Protocol):
    """Look-ups over the originals seen so far (duplicates are never indexed, so copies point at originals)."""

    def by_hash(self, content_hash: str) -> str | None: ...
    def candidates(self, band_keys: Iterable[str]) -> Iterable[tuple[str, np.ndarray]]: ...


class MemoryIndex:
    """For one `analyze` run: grows by one signature (about 1 kB) per article."""

    def __init__(self) -> None:
        self._hash: dict[str, str] = {}
        self._bands: dict[str, list[str]] = {}
        self._sig: dict[str, np.ndarray] = {}

    def by_hash(self, content_hash: str) -> str | None:
        return self._hash.get(content_hash)

    def candidates(self, band_keys: Iterable[str]) -> Iterable[tuple[str, np.ndarray]]:
        seen: set[str] = set()
        for key in band_keys:
            for aid in self._bands.get(key, ()):
                if aid not in seen:
                    seen.add(aid)
                    yield aid, self._sig[aid]

    def add(self, article_id: str, content_hash: str, sig: np.ndarray, band_keys: list[str]) -> None:
        self._hash.setdefault(content_hash, article_id)
        self._sig[article_id] = sig
        for key in band_keys:
            self._bands.setdefault(key, []).append(article_id)


def check(article: Article, index: Index) -> tuple[str | None, Literal["exact", "near"] | None, np.ndarray, list[str]]:
    """(duplicate_of, kind, signature, band keys) of an article against what the index holds.

    Does not add the article: the caller adds it once it is stored.
    """
    sig = signature(article.text)
    keys = bands(sig)
    first = index.by_hash(article.content_hash)
    if first and first != article.id:
        return first, "exact", sig, keys
    if len(article.text.split()) >= MIN_WORDS:
        best: tuple[float, str] | None = None
        for aid, other in index.candidates(keys):
            if aid == article.id:
                continue
            sim = similarity(sig, other)
            if sim >= THRESHOLD and (best is None or sim > best[0]):
                best = (sim, aid)
        if best:
            return best[1], "near", sig, keys
    return None, None, sig, keys
