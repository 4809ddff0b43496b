"""Actors on real article text: the synthetic demo corpus (demo/corpus, fictional people, demo/expected.json).

Ingests nothing into a store: reads the corpus with the ingest readers (txt, html, jsonl), parses each article
with spaCy and runs only the actors stage (`ActorAnnotator`). Reports, for precision rather than coverage:

- person mentions: actors whose text contains a ground-truth person's surname, and the share of them with that
  person's country; the others split into null (unknown: honest) and a wrong country (a guess), all listed;
- suspicious codes: actors whose country is named nowhere in their article (no country name, short form,
  demonym or capital of that country in the text), listed; a code the article cannot support is a guess.
- with sentence context: every candidate span resolved again with its sentence as `context` (what the events
  stage passes; places left out as the stage leaves them out), and the same counts over those resolutions.

    .venv/bin/python bench/actors_demo.py [--show N]
"""

from __future__ import annotations

import argparse
import json
import re
import time
from collections import Counter
from pathlib import Path

from eventdesk.actors import ActorAnnotator
from eventdesk.actors.annotate import candidates
from eventdesk.actors.kb import KnowledgeBase, tokens
from eventdesk.actors.resolve import parse_when
from eventdesk.ingest.article import build
from eventdesk.ingest.outlets import OutletRegistry
from eventdesk.ingest.readers import RawDocument, iter_inputs
from eventdesk.nlp import load as load_nlp

ROOT = Path(__file__).resolve().parents[1]
DEMO = ROOT / "demo"
# Group codes are not countries: an IGO or NGO code cannot be "named in the text" by a country word.
NOT_COUNTRIES = {"UNO", "IGO", "NGO", "EUR", "IMG", "MNC", "AFR", "ASA", "MEA", "WSB", "NAF", "SAM", "CAM", "NMR"}


def country_words(kb: KnowledgeBase) -> dict[str, set[str]]:
    """ISO3 -> phrase keys naming it: country names and short forms, demonyms, capitals (no other place)."""
    out: dict[str, set[str]] = {}
    for table in (kb.curated, kb.places):
        for key, ids in table.index.items():
            for i in ids:
                e = kb.entries[i]
                if e.kind in ("country", "demonym", "capital") and e.default is not None and e.default.country:
                    out.setdefault(e.default.country, set()).add(key)
    return out


def named_in(text: str, keys: set[str]) -> bool:
    norm = " " + " ".join(t.norm for t in tokens(text)) + " "
    return any(f" {k} " in norm for k in keys)


def read_corpus() -> list[tuple[str, str, str | None]]:
    """(source, text, published) for every article of the demo corpus (the damaged file left out)."""
    outlets = OutletRegistry.load()
    corpus = DEMO / "corpus"
    paths = [str(corpus / d) for d in ("txt", "html", "jsonl")]
    out: list[tuple[str, str, str | None]] = []
    for item in iter_inputs(paths):
        if not isinstance(item, RawDocument):
            continue
        article, _ = build(item, outlets)
        out.append((item.source.replace(str(corpus) + "/", ""), article.text, article.published))
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--show", type=int, default=30, help="suspicious codes and wrong countries to list")
    args = ap.parse_args(argv)
    expected = json.loads((DEMO / "expected.json").read_text("utf-8"))
    people = [(p["name"].split()[-1], p["country"]) for p in expected["people"] if len(p["name"].split()) >= 2]
    t0 = time.perf_counter()
    nlp = load_nlp()
    annotator = ActorAnnotator()
    kb = annotator.kb
    words = country_words(kb)
    load_s = time.perf_counter() - t0
    articles = read_corpus()
    t1 = time.perf_counter()
    rows: dict[str, list[tuple[str, str, str | None, str | None]]] = {"stage": [], "context": []}
    for source, text, published in articles:
        doc = nlp(text)
        for a in annotator.annotate(doc, published):
            rows["stage"].append((source, a.text, a.country, a.sector))
        when = parse_when(published)
        for span in candidates(doc):
            res = kb.resolve(span.text, span.sent.text, when)
            # Places are where things happen (the stage keeps them out of the actors too).
            if (res.country or res.sector) and res.basis not in ("city", "place"):
                rows["context"].append((source, span.text, res.country, res.sector))
    run_s = time.perf_counter() - t1
    texts = {s: t for s, t, _ in articles}
    print(f"demo corpus: {len(articles)} articles; load {load_s:.1f}s, run {run_s:.1f}s")
    for mode, label in (("stage", "actors stage"), ("context", "every candidate, sentence as context")):
        ok = n = null = 0
        wrong: list[str] = []
        suspicious: list[str] = []
        for source, mention, country, _sector in rows[mode]:
            for surname, gold in people:
                if re.search(rf"\b{re.escape(surname)}\b", mention):
                    n += 1
                    ok += country == gold
                    null += country is None
                    if country != gold:
                        wrong.append(f"{source}: {mention!r} -> {country} (expected {gold})")
                    break
            if country and country not in NOT_COUNTRIES and not named_in(texts[source], words.get(country, set())):
                suspicious.append(f"{source}: {mention!r} -> {country}")
        share = ok / n if n else 0.0
        print(f"\n{label}: {len(rows[mode])} resolved mentions")
        print(
            f"  person mentions (text holds a known surname): right country {ok}/{n} = {share:.3f};"
            f" null {null}, wrong country {n - ok - null}"
        )
        print(f"  suspicious codes (country named nowhere in the article): {len(suspicious)}")
        by_code = Counter(s.rsplit("-> ", 1)[1] for s in suspicious)
        if by_code:
            print("   by code: " + ", ".join(f"{c} {k}" for c, k in by_code.most_common()))
        for line in suspicious[: args.show]:
            print(f"   {line}")
        if wrong:
            print("  person mentions without the right country:")
            for line in wrong[: args.show]:
                print(f"   {line}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
