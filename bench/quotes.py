"""Benchmark eventdesk.quotes on PolNeAR (test split) and check it against the demo corpus's ground truth.

PolNeAR: `text/<doc>.txt` and brat standoff `attributions/<doc>_<annotator>.ann` (Source, Cue, Content spans
joined by E lines; spans may be discontinuous). Where a document has several annotators, the first
annotation file by name is the gold (`--all-annotators` scores every file as its own document instead).
A predicted quote matches a gold attribution when their content word tokens (`\\w+`, by character position)
overlap with F1 >= 0.5; matching is one-to-one, best pairs first. Content P/R/F1 count matches. Speaker
right (on matched pairs whose gold has a Source): the predicted speaker span overlaps a gold Source span, or
a word of the resolved speaker name occurs in the gold Source text. Per-kind recall uses a kind derived from
the gold: a cue "according to" is according_to; content that starts and ends with a quotation mark is
direct; content holding a quotation mark elsewhere is mixed (or partial when it is all quoted words inside);
else indirect.

Demo: every quote in demo/expected.json is looked up in its article's output: found when a predicted quote's
content holds the expected `contains` words (word recall >= 0.8); then speaker name, speaker text, actor
code, kind and cue are compared.

Run: .venv/bin/python bench/quotes.py [--data ../shared/data/polnear/test] [--no-actors] [--errors N] [--demo-only]
[--half even|odd|all] (`--half` keeps the documents of even or odd index by sorted name: develop on one half,
report both)
Prints the figures and exits 0 whatever they are.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_DATA = ROOT.parent / "shared" / "data" / "polnear" / "test"
WORD = re.compile(r"\w+", re.UNICODE)
MARKS = "\"'“”«»„‘’"
STOP = {"the", "a", "an", "of", "s", "and", "in", "for", "to", "mr", "mrs", "ms"}


@dataclass
class Gold:
    content: list[tuple[int, int]]
    source: list[tuple[int, int]] = field(default_factory=list)
    cue: list[tuple[int, int]] = field(default_factory=list)
    kind: str = "indirect"


def read_ann(path: Path, text: str) -> list[Gold]:
    spans: dict[str, tuple[str, list[tuple[int, int]]]] = {}
    events: list[dict[str, list[str]]] = []
    for line in path.read_text("utf-8").splitlines():
        if line.startswith("T"):
            tid, info, *_ = [*line.split("\t"), ""]
            label, _, ranges = info.partition(" ")
            parts = []
            for r in ranges.split(";"):
                a, b = r.split()
                parts.append((int(a), int(b)))
            spans[tid] = (label, parts)
        elif line.startswith("E"):
            _, args = line.split("\t", 1)
            roles: dict[str, list[str]] = defaultdict(list)
            for arg in args.split():
                role, _, ref = arg.partition(":")
                roles[re.sub(r"\d+$", "", role)].append(ref)
            events.append(roles)
    out = []
    for roles in events:
        content = [p for ref in roles.get("Content", []) if ref in spans for p in spans[ref][1]]
        if not content:
            continue
        g = Gold(
            content=content,
            source=[p for ref in roles.get("Source", []) if ref in spans for p in spans[ref][1]],
            cue=[p for ref in roles.get("Cue", []) if ref in spans for p in spans[ref][1]],
        )
        g.kind = gold_kind(g, text)
        out.append(g)
    return out


def gold_kind(g: Gold, text: str) -> str:
    cue = " ".join(text[a:b] for a, b in g.cue).lower()
    if "according to" in cue:
        return "according_to"
    content = " ".join(text[a:b] for a, b in g.content).strip(" ,.")
    if not content:
        return "indirect"
    if content[0] in MARKS and content[-1] in MARKS:
        return "direct"
    if any(m in content for m in '"“”«»'):
        return "mixed"
    return "indirect"


def word_positions(text: str) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in WORD.finditer(text)]


def token_set(words: list[tuple[int, int]], ranges: list[tuple[int, int]]) -> set[int]:
    return {i for i, (s, e) in enumerate(words) if any(a <= s and e <= b for a, b in ranges)}


def f1(a: set[int], b: set[int]) -> float:
    if not a or not b:
        return 0.0
    inter = len(a & b)
    return 2 * inter / (len(a) + len(b))


def speaker_right(q: Any, g: Gold, text: str) -> bool:
    sp = q.speaker
    if sp is None:
        return False
    if any(sp.start < b and a < sp.end for a, b in g.source):
        return True
    gold_words = {w.lower() for a, b in g.source for w in WORD.findall(text[a:b])} - STOP
    name_words = {w.lower() for w in WORD.findall(sp.name or "")} - STOP
    return bool(gold_words & name_words)


def load_stages(use_actors: bool) -> tuple[Any, Any, Any]:
    from eventdesk import nlp
    from eventdesk.quotes import QuoteAnnotator

    actors = None
    if use_actors:
        try:
            from eventdesk.actors import ActorAnnotator

            actors = ActorAnnotator()
        except Exception as exc:  # the actors stage is optional for this benchmark
            print(f"actors stage not available ({exc}); running quotes alone", file=sys.stderr)
    return nlp.load(), actors, QuoteAnnotator()


@dataclass
class Score:
    n_pred: int = 0
    n_gold: int = 0
    n_match: int = 0
    n_spk: int = 0
    n_spk_ok: int = 0
    kind_total: Counter[str] = field(default_factory=Counter)
    kind_found: Counter[str] = field(default_factory=Counter)
    pred_kind: Counter[str] = field(default_factory=Counter)
    pred_kind_ok: Counter[str] = field(default_factory=Counter)
    misses: list[str] = field(default_factory=list)
    false_pos: list[str] = field(default_factory=list)
    wrong_spk: list[str] = field(default_factory=list)

    def prf(self) -> tuple[float, float, float]:
        p = self.n_match / self.n_pred if self.n_pred else 0.0
        r = self.n_match / self.n_gold if self.n_gold else 0.0
        return p, r, (2 * p * r / (p + r) if p + r else 0.0)

    @property
    def speaker(self) -> float:
        return self.n_spk_ok / self.n_spk if self.n_spk else 0.0


def score(pairs: list[tuple[str, Path]], texts: dict[str, str], analyses: dict[str, Any]) -> Score:
    """Match predictions to gold attributions one-to-one (best content-token F1 first, >= 0.5)."""
    sc = Score()
    kind_total, kind_found, pred_kind, pred_kind_ok = sc.kind_total, sc.kind_found, sc.pred_kind, sc.pred_kind_ok
    misses, false_pos, wrong_spk = sc.misses, sc.false_pos, sc.wrong_spk
    for d, ann in pairs:
        text = texts[d]
        words = word_positions(text)
        gold = read_ann(ann, text)
        preds = analyses[d]
        gsets = [token_set(words, g.content) for g in gold]
        psets = [token_set(words, [(q.start, q.end)]) for q in preds]
        cands = sorted(
            ((f1(ps, gs), i, j) for i, ps in enumerate(psets) for j, gs in enumerate(gsets) if ps & gs),
            reverse=True,
        )
        used_p: set[int] = set()
        used_g: set[int] = set()
        for score, i, j in cands:
            if score < 0.5:
                break
            if i in used_p or j in used_g:
                continue
            used_p.add(i)
            used_g.add(j)
            g, q = gold[j], preds[i]
            kind_found[g.kind] += 1
            pred_kind_ok[q.kind] += 1
            if g.source:
                sc.n_spk += 1
                if speaker_right(q, g, text):
                    sc.n_spk_ok += 1
                else:
                    src = " | ".join(text[a:b] for a, b in g.source)
                    wrong_spk.append(
                        f"{d}: gold={src!r} pred={q.speaker.text if q.speaker else None!r}"
                        f"/{q.speaker.name if q.speaker else None!r} :: {text[q.start : q.end][:70]!r}"
                    )
        for j, g in enumerate(gold):
            kind_total[g.kind] += 1
            if j not in used_g:
                misses.append(
                    f"{d} [{g.kind}] cue={' '.join(text[a:b] for a, b in g.cue)!r} :: "
                    f"{' '.join(text[a:b] for a, b in g.content)[:90]!r}"
                )
        for i, q in enumerate(preds):
            pred_kind[q.kind] += 1
            if i not in used_p:
                false_pos.append(f"{d} [{q.kind}] cue={q.cue!r} :: {text[q.start : q.end][:90]!r}")
        sc.n_pred += len(preds)
        sc.n_gold += len(gold)
        sc.n_match += len(used_g)
    return sc


def polnear(args: argparse.Namespace) -> None:
    from eventdesk.model import Analysis, Article

    data = Path(args.data)
    if not data.exists():
        print(f"PolNeAR not found at {data}; skipping")
        return
    nlp, actors, quotes = load_stages(not args.no_actors)
    files = sorted((data / "attributions").glob("*.ann"))
    by_doc: dict[str, list[Path]] = defaultdict(list)
    for f in files:
        by_doc[f.stem.rsplit("_", 1)[0]].append(f)
    pairs: list[tuple[str, Path]] = []
    for doc_id, anns in sorted(by_doc.items()):
        for ann in anns if args.all_annotators else anns[:1]:
            pairs.append((doc_id, ann))
    # Honesty split: documents by sorted name, even or odd index (develop on one half, report both).
    half_of = {d: ("even" if k % 2 == 0 else "odd") for k, d in enumerate(sorted(by_doc))}
    if args.half != "all":
        by_doc = {d: v for d, v in by_doc.items() if half_of[d] == args.half}
        pairs = [(d, a) for d, a in pairs if half_of[d] == args.half]
    texts = {d: (data / "text" / f"{d}.txt").read_text("utf-8") for d in by_doc}
    t0 = time.perf_counter()
    docs = dict(zip(texts, nlp.pipe(texts.values()), strict=True))
    t_parse = time.perf_counter() - t0
    t0 = time.perf_counter()
    analyses = {}
    t_actors = 0.0
    for d, doc in docs.items():
        an = Analysis(article=Article(id=d, text=texts[d]))
        if actors is not None:
            ta = time.perf_counter()
            actors(doc, an, None)
            t_actors += time.perf_counter() - ta
        an.quotes = []
        analyses[d] = quotes.find(doc, an.actors)  # Attributions: they carry the speaker offsets
    t_quotes = time.perf_counter() - t0 - t_actors
    sc = score(pairs, texts, analyses)
    n_pred, n_gold, n_match, n_spk, n_spk_ok = sc.n_pred, sc.n_gold, sc.n_match, sc.n_spk, sc.n_spk_ok
    kind_total, kind_found, pred_kind, pred_kind_ok = sc.kind_total, sc.kind_found, sc.pred_kind, sc.pred_kind_ok
    misses, false_pos, wrong_spk = sc.misses, sc.false_pos, sc.wrong_spk
    p, r, f_score = sc.prf()
    print(
        f"PolNeAR test: {len(pairs)} annotation files, {len(by_doc)} documents; actors stage: "
        f"{'on' if actors is not None else 'off'}"
    )
    if args.half == "all":
        for half in ("even", "odd"):
            hs = score([(d, a) for d, a in pairs if half_of[d] == half], texts, analyses)
            hp, hr, hf = hs.prf()
            print(
                f"  {half} half: gold {hs.n_gold}  predicted {hs.n_pred}  matched {hs.n_match}  P {hp:.3f}  "
                f"R {hr:.3f}  F1 {hf:.3f}  speaker {hs.speaker:.3f} ({hs.n_spk_ok}/{hs.n_spk})"
            )
    else:
        print(f"  {args.half} half only")
    print(f"gold {n_gold}  predicted {n_pred}  matched {n_match}")
    print(f"content P {p:.3f}  R {r:.3f}  F1 {f_score:.3f}   (goal F1 >= 0.70)")
    spk = n_spk_ok / n_spk if n_spk else 0.0
    print(f"speaker right on matched: {spk:.3f} ({n_spk_ok}/{n_spk})   (goal >= 0.85)")
    print(
        "recall by gold kind: "
        + ", ".join(
            f"{k} {kind_found[k] / kind_total[k]:.3f} ({kind_found[k]}/{kind_total[k]})" for k in sorted(kind_total)
        )
    )
    print(
        "precision by predicted kind: "
        + ", ".join(
            f"{k} {pred_kind_ok[k] / pred_kind[k]:.3f} ({pred_kind_ok[k]}/{pred_kind[k]})" for k in sorted(pred_kind)
        )
    )
    print(
        f"time: parse {t_parse:.1f}s, actors {t_actors:.1f}s, quotes {t_quotes:.2f}s "
        f"({100 * t_quotes / t_parse:.1f}% of the parse)"
    )
    if args.errors:
        for title, rows in (("misses", misses), ("false positives", false_pos), ("wrong speakers", wrong_spk)):
            print(f"\n-- {title} (first {args.errors} of {len(rows)})")
            for row in rows[: args.errors]:
                print("  " + row)


def demo(args: argparse.Namespace) -> None:
    from eventdesk.engines import process
    from eventdesk.ingest.readers import RawDocument, iter_inputs
    from eventdesk.model import Analysis
    from eventdesk.pipeline import Resources

    expected = json.loads((ROOT / "demo" / "expected.json").read_text("utf-8"))
    res = Resources.load(outlet_files=[ROOT / "demo" / "outlets.csv"])
    _, actors, quotes = load_stages(not args.no_actors)
    res.annotators = [*res.annotators, *([("actors", actors)] if actors else []), ("quotes", quotes)]
    items = [i for i in iter_inputs([str(ROOT / "demo" / "corpus")]) if isinstance(i, RawDocument)]
    analyses = [r for r in process(items, res) if isinstance(r, Analysis)]
    # The Attributions (with speaker kind and offsets) for the same texts, from the same stage.
    attributions = {id(an): quotes.find(res.nlp(an.article.text), an.actors) for an in analyses}
    by_key = {}
    for art in expected["articles"]:
        for an in analyses:
            sp = an.article.source_path or ""
            if (art["record_id"] and an.article.id == art["record_id"]) or (
                not art["record_id"] and sp.endswith(art["file"])
            ):
                by_key[art["key"]] = an
    exp = [q for s in expected["stories"] for c in s["coverage"] for q in c["quotes"]]
    found = name_ok = text_ok = code_ok = kind_ok = cue_ok = 0
    rows = []
    for e in exp:
        found_an = by_key.get(e["article"])
        if found_an is None:
            rows.append(f"{e['article']}: article not found")
            continue
        want = {w.lower() for w in WORD.findall(e["contains"])}
        best = None
        for q in attributions[id(found_an)]:
            qtext = found_an.article.text[q.start : q.end]
            got = {w.lower() for w in WORD.findall(qtext)}
            rec = len(want & got) / len(want) if want else 0
            if rec >= 0.8 and (best is None or q.end - q.start < best.end - best.start):
                best = q
        if best is None:
            rows.append(f"{e['article']} MISS [{e['kind']}] {e['speaker_text']!r}: {e['contains'][:60]!r}")
            continue
        found += 1
        sp = best.speaker
        anonymous = e["speaker"] is None or e["speaker"].startswith("(")
        got_name = sp.name if sp else None
        # Institutions and anonymous sources: right when we did not make them a named person.
        n_ok = (sp is not None and sp.kind != "person") if anonymous else got_name == e["speaker"]
        name_ok += n_ok
        t_ok = sp is not None and sp.text.lower() == e["speaker_text"].lower()
        text_ok += t_ok
        actor = (sp.actor or {}) if sp else {}
        c_ok = actor.get("country") == e["country"] and actor.get("sector") == e["sector"]
        code_ok += c_ok
        kind_ok += best.kind == e["kind"]
        cue_ok += bool(best.cue) and e["cue"].lower() in (best.cue or "").lower()
        if not (n_ok and best.kind == e["kind"]):
            rows.append(
                f"{e['article']} [{e['kind']}->{best.kind}] want {e['speaker']!r} ({e['speaker_text']!r}) "
                f"got {got_name!r} ({sp.text if sp else None!r}) :: {e['contains'][:50]!r}"
            )
    total = len(exp)
    n_pred = sum(len(an.quotes) for an in by_key.values())
    print(
        f"\nDemo corpus: {total} expected attributions in {len(by_key)} articles; predicted {n_pred}; actors "
        f"stage: {'on' if actors else 'off'}"
    )
    print(
        f"found {found}/{total} ({found / total:.3f}); of found: speaker name {name_ok / max(found, 1):.3f}, "
        f"speaker text {text_ok / max(found, 1):.3f}, actor code {code_ok / max(found, 1):.3f}, "
        f"kind {kind_ok / max(found, 1):.3f}, cue {cue_ok / max(found, 1):.3f}"
    )
    if args.errors:
        print(f"\n-- demo disagreements (first {args.errors} of {len(rows)})")
        for row in rows[: args.errors]:
            print("  " + row)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", default=str(DEFAULT_DATA))
    ap.add_argument("--no-actors", action="store_true", help="run the quotes stage without the actors stage")
    ap.add_argument("--all-annotators", action="store_true", help="score every annotation file")
    ap.add_argument("--errors", type=int, default=0, help="list this many misses / false positives")
    ap.add_argument("--demo-only", action="store_true")
    ap.add_argument(
        "--half", choices=("all", "even", "odd"), default="all", help="PolNeAR documents by sorted name: even/odd index"
    )
    ap.add_argument("--polnear-only", action="store_true")
    args = ap.parse_args()
    if not args.demo_only:
        polnear(args)
    if not args.polnear_only:
        demo(args)
    return 0


if __name__ == "__main__":
    sys.exit(main())
