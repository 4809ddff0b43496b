"""Stories: clustering stored articles into stories, incrementally, near-duplicate aware, order-independent.

Owns the similarity between two articles, the candidate look-up, and the rule that turns links into stories.
It reads only what the store holds (article, analysis); it does not parse text again (no spaCy here).

How clusters are defined, so that any ingestion order gives the same stories:

1. **Features** of one article: the headline (weight 4) and the first 60 words of the body, lower-cased,
   stop words and generic news words (data/stories/stories.toml) dropped, plural "s" stripped; each term
   weighted `(1 + log tf) * background(term)`, where `background` is a *fixed* weight from general English
   word frequencies (data/stories/background_en.tsv.gz): "said" 1.0, "veto" 3.4, an unknown name 4.5.
   Actors, places and events from the analysis add terms (`actor:…`, `place:…`, `event:…`) when present.
   Fixed weights (not a TF-IDF over the growing store) make the similarity of two articles depend on those
   two articles only.
2. **Links**: two articles are linked when they share one of their 20 heaviest terms (the index key),
   their publication dates are at most 3 days apart (or either is unknown), and the cosine of their features
   is at least 0.15; an article is also linked to the article it near-duplicates. Links are a property of
   the pair, so the linked **components** are the same whatever the order of arrival (single-link is
   order-independent; a new article can only merge components, never split one).
3. **Stories** are cut inside each component by a deterministic average-link agglomeration (sorted ids,
   ties to the lowest index) over the component's articles, with term weights sharpened by the component's
   own document frequencies (`log((n + 5) / (df + 0.5))`: terms that every article of the component shares,
   like the city all of them report from, stop counting), merging while the mean similarity is >= 0.03.
   Near-duplicates are collapsed onto the lowest id of their group first and follow it. The result is a
   function of the component's article set only; so `assign` (re-cut the one component the new article
   joins) and `recluster` (cut every component from scratch) agree for any order.

Cost: adding an article reads the index postings of its 20 key terms inside a 7-day window (plus undated
articles), then re-cuts one component: O(component size^2). Components stay small when dates are known;
an undated article is compared across all dates (still through the index), because unknown is not "far".

Story id = hash of the lowest article id in the story (stable across re-runs and orders); the title is the
headline of the most central article (highest mean similarity to the rest of its story).
"""

from __future__ import annotations

import datetime as dt
import gzip
import hashlib
import math
import re
import tomllib
from collections import Counter, defaultdict
from collections.abc import Iterable
from functools import lru_cache
from importlib import resources
from typing import Any

import numpy as np

from eventdesk.model import Analysis
from eventdesk.store import Store
from eventdesk.store import stories as db

# Constants set on the demo corpus and BASIL 2015-2016 (dev); docs/benchmarks.md reports all years.
TITLE_WEIGHT = 4.0  # a headline states the story; the body soon turns to background
LEDE_WORDS = 60  # the lede tells the event; later paragraphs recap neighbouring stories
ENTITY_WEIGHT = 1.0  # an actor or place found by the analysis repeats what the words say: weigh it lightly
KEY_TERMS = 20  # index keys per article: its heaviest terms
WINDOW_DAYS = 3  # the same story is reported within a few days
LINK = 0.15  # cosine at or above which two articles are linked (the component graph)
MERGE = 0.03  # average-link stop: mean similarity between two groups inside a component
PRIOR_DOCS = 5  # smoothing of the component document frequency (pseudo-documents without the term)
ZIPF_TOP = 7.0  # background weight = ZIPF_TOP - zipf, clipped to [0, ZIPF_TOP - 2.5]
ZIPF_FLOOR = 2.5  # background_en.tsv.gz lists words at or above this Zipf value

_WORD = re.compile(r"[A-Za-z][A-Za-z'’\-]*[A-Za-z]|[A-Za-z]")
_EPOCH = dt.date(1970, 1, 1)


@lru_cache(maxsize=1)
def _background() -> dict[str, float]:
    path = resources.files("eventdesk.data").joinpath("stories/background_en.tsv.gz")
    out: dict[str, float] = {}
    with path.open("rb") as raw, gzip.open(raw, "rt", encoding="utf-8") as fh:
        for line in fh:
            if line.startswith("#"):
                continue
            word, zipf = line.rstrip("\n").split("\t")
            out[word] = float(zipf)
    return out


@lru_cache(maxsize=1)
def _dropped() -> frozenset[str]:
    from spacy.lang.en.stop_words import STOP_WORDS

    text = resources.files("eventdesk.data").joinpath("stories/stories.toml").read_text(encoding="utf-8")
    return frozenset(STOP_WORDS) | frozenset(tomllib.loads(text)["generic"])


def background_weight(term: str) -> float:
    """Fixed weight of a term from general English frequency: common words near 0, rare ones 4.5."""
    zipf = _background().get(term, 0.0)
    return max(0.0, min(ZIPF_TOP - ZIPF_FLOOR, ZIPF_TOP - zipf))


def _stem(word: str) -> str:
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith("s") and not word.endswith("ss") and len(word) > 3:
        return word[:-1]
    return word


def terms(text: str) -> list[str]:
    """Content terms of a text, in order: lower-cased, possessive and plural -s stripped, stop words dropped."""
    dropped = _dropped()
    out = []
    for tok in _WORD.findall(text):
        low = tok.replace("’", "'").lower()
        if low.endswith("'s"):
            low = low[:-2]
        if len(low) < 3 or low in dropped:
            continue
        out.append(_stem(low))
    return out


def features(analysis: Analysis) -> dict[str, float]:
    """The article's unit-length term vector (sorted keys, 6 decimals: the same bytes on every run)."""
    a = analysis.article
    tf: dict[str, float] = defaultdict(float)
    for t in terms(a.title or ""):
        tf[t] += TITLE_WEIGHT
    for t in terms(" ".join(a.text.split()[:LEDE_WORDS])):
        tf[t] += 1.0
    weights = {t: (1.0 + math.log(c)) * background_weight(t) for t, c in tf.items()}
    extra: Counter[str] = Counter(_analysis_terms(analysis))
    weights.update({t: (1.0 + math.log(c)) * ENTITY_WEIGHT for t, c in extra.items()})
    norm = math.sqrt(sum(w * w for w in weights.values()))
    if not norm:
        return {}
    return {t: round(w / norm, 6) for t, w in sorted(weights.items()) if w > 0}


def _analysis_terms(analysis: Analysis) -> Iterable[str]:
    """Shared actors, places and events as terms, when the stages that find them have run."""
    for actor in analysis.actors:
        if actor.name:
            yield f"actor:{actor.name.lower()}"
    for place in analysis.places:
        yield f"place:{place.geonameid or place.name.lower()}"
    for ev in analysis.events:
        src = ",".join(sorted(str(x.get("country") or x.get("name") or "") for x in ev.actor))
        tgt = ",".join(sorted(str(x.get("country") or x.get("name") or "") for x in ev.recipient))
        yield f"event:{ev.event}|{src}|{tgt}"


def key_terms(feats: dict[str, float]) -> list[str]:
    return [t for t, _ in sorted(feats.items(), key=lambda kv: (-kv[1], kv[0]))[:KEY_TERMS]]


def cosine(a: dict[str, float], b: dict[str, float]) -> float:
    if len(a) > len(b):
        a, b = b, a
    return math.fsum(w * b[t] for t, w in sorted(a.items()) if t in b)


def day_of(published: str | dt.date | None) -> int | None:
    if not published:
        return None
    d = dt.date.fromisoformat(published) if isinstance(published, str) else published
    return (d - _EPOCH).days


def near(a: int | None, b: int | None) -> bool:
    return a is None or b is None or abs(a - b) <= WINDOW_DAYS


def linked(a: db.Member, b: db.Member) -> bool:
    if a.duplicate_of == b.article_id or b.duplicate_of == a.article_id:
        return True
    shared = set(key_terms(a.features)) & set(key_terms(b.features))
    return bool(shared) and near(a.day, b.day) and cosine(a.features, b.features) >= LINK


def story_id(article_ids: Iterable[str]) -> str:
    return "s" + hashlib.blake2b(min(article_ids).encode("utf-8"), digest_size=8).hexdigest()


# --- cutting one component into stories ----------------------------------------------------------------


def cut(component: list[db.Member]) -> list[tuple[list[str], str]]:
    """Stories of one linked component: (article ids, id of the most central article), deterministic."""
    by_id = {m.article_id: m for m in component}
    rep = _duplicate_groups(component)
    reps = sorted({rep[i] for i in by_id})
    n = len(reps)
    vocab = sorted({t for r in reps for t in by_id[r].features})
    col = {t: j for j, t in enumerate(vocab)}
    x = np.zeros((n, len(vocab)))
    for i, r in enumerate(reps):
        for t, w in by_id[r].features.items():
            x[i, col[t]] = w
    df = (x > 0).sum(axis=0)
    x *= np.log((n + PRIOR_DOCS) / (df + 0.5))
    norms = np.linalg.norm(x, axis=1)
    x /= np.where(norms > 0, norms, 1.0)[:, None]
    sim = x @ x.T
    days = [by_id[r].day for r in reps]
    for i in range(n):
        for j in range(n):
            if i == j or not near(days[i], days[j]):
                sim[i, j] = 0.0
    groups = _average_link(sim)
    out = []
    for g in groups:
        central = max(g, key=lambda i: (float(sim[i, g].sum()), -i)) if len(g) > 1 else g[0]
        ids = sorted(a for a in by_id if rep[a] in {reps[i] for i in g})
        out.append((ids, reps[central]))
    return sorted(out)


def _duplicate_groups(component: list[db.Member]) -> dict[str, str]:
    """article id -> lowest id of its near-duplicate group (groups formed by `duplicate_of` links)."""
    parent = {m.article_id: m.article_id for m in component}

    def find(a: str) -> str:
        while parent[a] != a:
            parent[a] = parent[parent[a]]
            a = parent[a]
        return a

    for m in component:
        if m.duplicate_of in parent:
            ra, rb = find(m.article_id), find(m.duplicate_of)
            parent[max(ra, rb)] = min(ra, rb)
    return {a: find(a) for a in parent}


def _average_link(sim: np.ndarray) -> list[list[int]]:
    n = sim.shape[0]
    sums = sim.copy()
    np.fill_diagonal(sums, 0.0)
    sizes = np.ones(n)
    active = np.ones(n, dtype=bool)
    groups: list[list[int]] = [[i] for i in range(n)]
    while active.sum() > 1:
        mean = sums / np.outer(sizes, sizes)
        mask = np.outer(active, active)
        np.fill_diagonal(mask, False)
        mean = np.where(mask, mean, -np.inf)
        flat = int(np.argmax(mean))  # first maximum in row-major order: ties go to the lowest indices
        i, j = divmod(flat, n)
        if mean[i, j] < MERGE:
            break
        i, j = min(i, j), max(i, j)
        sums[i, :] += sums[j, :]
        sums[:, i] += sums[:, j]
        sums[i, i] = 0.0
        sizes[i] += sizes[j]
        active[j] = False
        groups[i] += groups[j]
        groups[j] = []
    return [sorted(g) for g in groups if g]


# --- the store-facing API ------------------------------------------------------------------------------


def assign(store: Store, analysis: Analysis) -> str:
    """Put one stored article into a story (called by `ingest` after `Store.add`); returns its story id.

    Idempotent: an article already clustered keeps its story.
    """
    a = analysis.article
    feats = features(analysis)
    new = db.Member(a.id, day_of(a.published), a.duplicate_of, feats)
    keys = key_terms(feats)
    with store.engine.begin() as conn:
        known = db.member(conn, a.id)
        if known:
            return known.story_id
        pool = db.candidates(conn, keys, new.day, WINDOW_DAYS)
        if a.duplicate_of:
            pool.add(a.duplicate_of)
        pool |= db.copies_of(conn, a.id)
        pool.discard(a.id)
        neighbours = [m for m in db.members_by_id(conn, sorted(pool)) if linked(new, m)]
        component = db.component_members(conn, {m.component for m in neighbours})
        component.append(new)
        comp_id = min(m.article_id for m in component)
        new.component = comp_id
        db.add_member(conn, new, keys)
        stories = cut(component)
        meta = db.article_meta(conn, [m.article_id for m in component])
        assignment: dict[str, tuple[str, str]] = {}
        rows = []
        for ids, central in stories:
            sid = story_id(ids)
            assignment.update({i: (comp_id, sid) for i in ids})
            rows.append(_story_row(sid, ids, central, meta))
        db.set_assignments(conn, assignment)
        db.replace_stories(conn, {m.story_id for m in component if m.story_id}, rows)
        return assignment[a.id][1]


def _story_row(sid: str, ids: list[str], central: str, meta: dict[str, dict[str, Any]]) -> db.StoryRow:
    dates = sorted(meta[i]["published"] for i in ids if meta.get(i, {}).get("published"))
    outlets = sorted({meta[i]["outlet"] for i in ids if meta.get(i, {}).get("outlet")})
    titled = [central] + [i for i in ids if i != central]
    title_article = next((i for i in titled if meta.get(i, {}).get("title")), central)
    return db.StoryRow(
        id=sid,
        title=meta.get(title_article, {}).get("title"),
        first_seen=dates[0] if dates else None,
        last_seen=dates[-1] if dates else None,
        n_articles=len(ids),
        outlets=outlets,
        title_article=title_article,
    )


def recluster(store: Store) -> int:
    """Rebuild every story from scratch; returns the number of stories. Same result as incremental ingestion."""
    with store.engine.begin() as conn:
        db.clear(conn)
    for aid in db.all_article_ids(store.engine):
        analysis = store.analysis(aid)
        if analysis is not None:
            assign(store, analysis)
    return len(db.list_stories(store.engine))


def list_stories(store: Store) -> list[dict[str, Any]]:
    """The `stories --format json` shape of the output contract (plus `n_articles`, `last_seen`, and per
    article `published` and `duplicate_of`)."""
    out = []
    for s, arts in db.list_stories(store.engine):
        out.append(
            {
                "story_id": s.id,
                "title": s.title,
                "first_seen": s.first_seen.isoformat() if s.first_seen else None,
                "last_seen": s.last_seen.isoformat() if s.last_seen else None,
                "outlets": s.outlets,
                "n_articles": s.n_articles,
                "articles": arts,
            }
        )
    return out
