"""Toponym benchmark: recognition and resolution (accuracy within 161 km) on TR-News and LGL.

    .venv/bin/python bench/geo.py [--limit N] [--half even|odd|all] [DATA_DIR]

DATA_DIR defaults to ../shared/data/geoparsing (files TR-News.xml and lgl.xml, the GeoNames-tagged corpora).
Prints, per corpus: recall (gold toponym overlapped by a predicted place), precision (predicted places
overlapping a gold toponym), accuracy@161km on recognised toponyms with gold coordinates, and accuracy@161km
when resolving the gold spans themselves (resolution in isolation). Exits 0 whatever the figures.

`--half` picks LGL's articles by position (0-based): the rules were developed on TR-News and LGL's even
articles, so `--half odd` gives the held-out figure. TR-News is development data and always runs whole.
"""

from __future__ import annotations

import argparse
import math
import sys
import time
import xml.etree.ElementTree as ET
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from eventdesk import geo, nlp
from eventdesk.ingest.outlets import OutletRegistry
from eventdesk.model import Place

if TYPE_CHECKING:
    from spacy.tokens import Doc

KM = 161.0


@dataclass
class Gold:
    start: int
    end: int
    phrase: str
    lat: float | None
    lon: float | None
    geonameid: int | None


def km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 6371.0 * 2 * math.asin(min(1.0, math.sqrt(a)))


@dataclass
class Record:
    text: str
    golds: list[Gold]
    domain: str | None  # TR-News gives each article's web domain; LGL gives none


def read(path: Path) -> list[Record]:
    out = []
    for art in ET.parse(path).getroot().iter("article"):
        text = art.findtext("text") or ""
        domain = (art.findtext("domain") or "").strip() or None
        golds = []
        for t in art.iter("toponym"):
            g = t.find("gaztag")
            lat = lon = None
            gid = None
            if g is not None and g.findtext("lat") and g.findtext("lon"):
                lat, lon = float(g.findtext("lat") or 0), float(g.findtext("lon") or 0)
                gid = int(g.get("geonameid") or 0) or None
            start, end = int(t.findtext("start") or 0), int(t.findtext("end") or 0)
            golds.append(Gold(start, end, t.findtext("phrase") or "", lat, lon, gid))
        out.append(Record(text, golds, domain))
    return out


def outlet_country(domain: str | None, fixed: str | None) -> str | None:
    """The outlet's country as `eventdesk analyze` gets it: the outlet registry, else the country-code domain."""
    if fixed or not domain:
        return fixed
    outlet = _registry().by_domain(domain)
    return outlet.country if outlet is not None else geo.Gazetteer.load().country_of_url(domain)


@lru_cache(maxsize=1)
def _registry() -> OutletRegistry:
    return OutletRegistry.load()


def half(items: list, which: str) -> list:
    """The even (0, 2, ...) or odd articles, or all of them."""
    if which == "all":
        return items
    return items[0 if which == "even" else 1 :: 2]


def correct(p: Place | None, g: Gold) -> tuple[bool, bool]:
    """(within 161 km, within 161 km or the same GeoNames entry): a country's or state's point is a convention."""
    if p is None or p.lat is None or p.lon is None or g.lat is None or g.lon is None:
        return False, False
    near = km(p.lat, p.lon, g.lat, g.lon) <= KM
    return near, near or (p.geonameid is not None and p.geonameid == g.geonameid)


def score(docs: Iterable[tuple[Doc, Record, float]], fixed_outlet: str | None = None) -> dict[str, float]:
    """The figures for parsed articles: (doc, record, seconds spaCy took to parse it)."""
    gaz = geo.Gazetteer.load()
    n_docs = n_gold = n_rec = n_pred = n_pred_ok = n_coord = n_acc = n_gold_coord = n_iso = 0
    n_acc_id = n_iso_id = n_gold_nodem = n_rec_nodem = 0
    t_parse = t_geo = 0.0
    for doc, rec, parse_seconds in docs:
        golds = rec.golds
        outlet = outlet_country(rec.domain, fixed_outlet)
        n_docs += 1
        t1 = time.perf_counter()
        places = geo.find(doc, gaz, outlet_country=outlet)
        t_geo += time.perf_counter() - t1
        t_parse += parse_seconds
        n_pred += len(places)
        n_pred_ok += sum(any(p.start < g.end and g.start < p.end for g in golds) for p in places)
        for g in golds:
            n_gold += 1
            demonym = geo.normalise(g.phrase) in gaz.demonyms
            n_gold_nodem += not demonym
            hit = next((p for p in places if p.start < g.end and g.start < p.end), None)
            if hit is None:
                continue
            n_rec += 1
            n_rec_nodem += not demonym
            if g.lat is not None and g.lon is not None:
                n_coord += 1
                near, same = correct(hit, g)
                n_acc += near
                n_acc_id += same
        resolved = geo.resolve_spans(doc, gaz, [(g.start, g.end) for g in golds], outlet_country=outlet)
        for g, p in zip(golds, resolved, strict=True):
            if g.lat is None or g.lon is None:
                continue
            n_gold_coord += 1
            near, same = correct(p, g)
            n_iso += near
            n_iso_id += same
    return {
        "articles": n_docs,
        "gold": n_gold,
        "recall": n_rec / max(n_gold, 1),
        "recall_no_demonyms": n_rec_nodem / max(n_gold_nodem, 1),
        "precision": n_pred_ok / max(n_pred, 1),
        "acc161_or_id_recognised": n_acc_id / max(n_coord, 1),
        "acc161_or_id_gold_spans": n_iso_id / max(n_gold_coord, 1),
        "acc161_recognised": n_acc / max(n_coord, 1),
        "recognised_with_coords": n_coord,
        "acc161_gold_spans": n_iso / max(n_gold_coord, 1),
        "gold_with_coords": n_gold_coord,
        "geo_share_of_parse": t_geo / max(t_parse, 1e-9),
    }


def parsed(articles: list[Record]) -> Iterable[tuple[Doc, Record, float]]:
    model = nlp.load()
    for rec in articles:
        t0 = time.perf_counter()
        doc = model(rec.text)
        yield doc, rec, time.perf_counter() - t0


def run(path: Path, limit: int | None = None, outlet: str | None = None, which: str = "all") -> dict[str, float]:
    """Parse and score one corpus file: `which` half of its articles (see `half`), the first `limit` of them."""
    return score(parsed(half(read(path), which)[:limit]), outlet)


def report(label: str, r: dict[str, float]) -> str:
    return (
        f"{label}: articles={r['articles']} gold={r['gold']}\n"
        f"  recall={r['recall']:.3f} recall_without_demonym_gold={r['recall_no_demonyms']:.3f} "
        f"precision={r['precision']:.3f}\n"
        f"  recognised (n={r['recognised_with_coords']}): acc@161km={r['acc161_recognised']:.3f} "
        f"acc@161km-or-same-geonameid={r['acc161_or_id_recognised']:.3f}\n"
        f"  gold spans (n={r['gold_with_coords']}): acc@161km={r['acc161_gold_spans']:.3f} "
        f"acc@161km-or-same-geonameid={r['acc161_or_id_gold_spans']:.3f}\n"
        f"  geo time / parse time = {r['geo_share_of_parse']:.3f}"
    )


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("data", nargs="?", default=str(Path(__file__).resolve().parents[1] / "../shared/data/geoparsing"))
    ap.add_argument("--limit", type=int, default=None)
    ap.add_argument("--half", choices=("even", "odd", "all"), default="all", help="LGL articles to run")
    args = ap.parse_args()
    t0 = time.perf_counter()
    geo.Gazetteer.load()
    print(f"gazetteer load: {time.perf_counter() - t0:.1f} s")
    # TR-News names each article's domain: the outlet's country comes from it as in `eventdesk analyze` (registry,
    # else country-code domain). LGL names none, and all its articles come from US local newspapers: the second
    # LGL run gives the resolver that country, as an outlet registry that knew them would.
    for name, outlet in (("TR-News.xml", None), ("lgl.xml", None), ("lgl.xml", "USA")):
        path = Path(args.data) / name
        if not path.exists():
            print(f"{name}: not found under {args.data}; skipped")
            continue
        articles = read(path)
        if name == "lgl.xml":
            articles = half(articles, args.half)
        r = score(parsed(articles[: args.limit]), outlet)
        which = f", {args.half} half" if name == "lgl.xml" and args.half != "all" else ""
        label = "from the domain" if name == "TR-News.xml" else outlet
        print(report(f"{name} (outlet_country={label}{which})", r))
    return 0


if __name__ == "__main__":
    sys.exit(main())
