"""Exports of stored events to open formats: PLOVER JSONL, CSV, Parquet and a CAMEO-style (Phoenix) TSV.

One flat record per event, with the column names of the POLECAT releases (the PLOVER-coded successor of
ICEWS) in snake_case: event_id, event_date, event_type, event_mode, quad_code, contexts, actor_name,
actor_country, primary_actor_sector, actor_sectors, recipient_..., placename, country, latitude, longitude,
geonames_id, source, publication_date, language, version; plus eventdesk's own fields (cameo_code,
goldstein, negated, modality, the evidence sentence and its offsets, the article id and url). A compound
actor ("France and Spain") is one event whose actor fields list every member, joined by "; " as POLECAT
joins sector lists. The CAMEO TSV uses the Phoenix column names (eid, story_date, source, source_root,
source_agent, target, ..., code, root_code, quad_class, goldstein, lat, lon, url).

Events stream from the store a batch at a time, so memory stays flat for any store size. Reads only.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Callable, Iterable, Iterator
from enum import StrEnum
from pathlib import Path
from typing import Any, TextIO

from sqlalchemy.orm import Session

from eventdesk.model import SCHEMA_VERSION
from eventdesk.store.query import EventFilter, iter_events


class ExportFormat(StrEnum):
    plover_jsonl = "plover-jsonl"
    csv = "csv"
    parquet = "parquet"
    cameo_tsv = "cameo-tsv"


JOIN = "; "

# POLECAT release columns (snake_case), then eventdesk's additions.
COLUMNS = [
    "event_id",
    "event_date",
    "event_type",
    "event_mode",
    "quad_code",
    "contexts",
    "actor_name",
    "actor_country",
    "primary_actor_sector",
    "actor_sectors",
    "actor_name_raw",
    "recipient_name",
    "recipient_country",
    "primary_recipient_sector",
    "recipient_sectors",
    "recipient_name_raw",
    "placename",
    "country",
    "latitude",
    "longitude",
    "geonames_id",
    "source",
    "publication_date",
    "language",
    "version",
    "cameo_code",
    "goldstein",
    "negated",
    "modality",
    "event_text",
    "evidence_start",
    "evidence_end",
    "article_id",
    "url",
]

CAMEO_COLUMNS = [
    "eid",
    "story_date",
    "year",
    "month",
    "day",
    "source",
    "source_root",
    "source_agent",
    "target",
    "target_root",
    "target_agent",
    "code",
    "root_code",
    "quad_class",
    "goldstein",
    "lat",
    "lon",
    "placename",
    "countryname",
    "url",
    "publisher",
]

# CAMEO quad classes: 1 verbal cooperation, 2 material cooperation, 3 verbal conflict, 4 material conflict.
QUAD_CLASS = {"VERBAL_COOPERATION": 1, "MATERIAL_COOPERATION": 2, "VERBAL_CONFLICT": 3, "MATERIAL_CONFLICT": 4}


def _join(values: Iterable[Any]) -> str | None:
    vals = [str(v) for v in values if v]
    return JOIN.join(vals) if vals else None


def _sectors(p: dict[str, Any]) -> str | None:
    return ",".join(s for s in (p.get("sector"), p.get("sector2")) if s) or None


def flat(ev: dict[str, Any]) -> dict[str, Any]:
    """One event (as `query.load_events` gives it) as a POLECAT-style flat record."""
    actors, recips, loc = ev["actor"], ev["recipient"], ev["location"] or {}
    return {
        "event_id": ev["id"],
        "event_date": ev["day"],
        "event_type": ev["event"],
        "event_mode": ev["mode"],
        "quad_code": ev["quad_code"],
        "contexts": list(ev["context"]),
        "actor_name": _join(p.get("name") for p in actors),
        "actor_country": _join(p.get("country") for p in actors),
        "primary_actor_sector": actors[0].get("sector") if actors else None,
        "actor_sectors": _join(_sectors(p) for p in actors),
        "actor_name_raw": _join(p.get("text") for p in actors),
        "recipient_name": _join(p.get("name") for p in recips),
        "recipient_country": _join(p.get("country") for p in recips),
        "primary_recipient_sector": recips[0].get("sector") if recips else None,
        "recipient_sectors": _join(_sectors(p) for p in recips),
        "recipient_name_raw": _join(p.get("text") for p in recips),
        "placename": loc.get("name"),
        "country": loc.get("country"),
        "latitude": loc.get("lat"),
        "longitude": loc.get("lon"),
        "geonames_id": loc.get("geonameid"),
        "source": ev.get("outlet"),
        "publication_date": ev.get("published"),
        "language": "en",
        "version": f"eventdesk-{SCHEMA_VERSION}",
        "cameo_code": ev["cameo"],
        "goldstein": ev["goldstein"],
        "negated": ev["negated"],
        "modality": ev["modality"],
        "event_text": ev["evidence"]["text"],
        "evidence_start": ev["evidence"]["start"],
        "evidence_end": ev["evidence"]["end"],
        "article_id": ev["article_id"],
        "url": ev.get("url"),
    }


def _actor_code(p: dict[str, Any] | None) -> tuple[str, str, str]:
    """Phoenix-style actor code: country (or group) root + agent, e.g. RUS + GOV -> RUSGOV."""
    if not p:
        return "", "", ""
    root, agent = p.get("country") or "", p.get("sector") or ""
    return root + agent, root, agent


def cameo_row(ev: dict[str, Any]) -> dict[str, Any]:
    day = ev["day"] or ""
    src = _actor_code(ev["actor"][0] if ev["actor"] else None)
    tgt = _actor_code(ev["recipient"][0] if ev["recipient"] else None)
    loc = ev["location"] or {}
    code = ev["cameo"] or ""
    return {
        "eid": ev["id"],
        "story_date": day.replace("-", ""),
        "year": day[:4],
        "month": day[5:7],
        "day": day[8:10],
        "source": src[0],
        "source_root": src[1],
        "source_agent": src[2],
        "target": tgt[0],
        "target_root": tgt[1],
        "target_agent": tgt[2],
        "code": code,
        "root_code": code[:2],
        "quad_class": QUAD_CLASS.get((ev["quad_code"] or "").upper().replace(" ", "_"), ""),
        "goldstein": ev["goldstein"],
        "lat": "" if loc.get("lat") is None else loc["lat"],
        "lon": "" if loc.get("lon") is None else loc["lon"],
        "placename": loc.get("name") or "",
        "countryname": loc.get("country") or "",
        "url": ev.get("url") or "",
        "publisher": ev.get("outlet") or "",
    }


def _text_cell(v: Any) -> Any:
    if isinstance(v, list):
        return ";".join(v)
    return "" if v is None else v


def _write_jsonl(events: Iterator[dict[str, Any]], out: TextIO) -> int:
    n = 0
    for ev in events:
        out.write(json.dumps(flat(ev), ensure_ascii=False) + "\n")
        n += 1
    return n


def _write_csv(events: Iterator[dict[str, Any]], out: TextIO) -> int:
    w = csv.DictWriter(out, fieldnames=COLUMNS)
    w.writeheader()
    n = 0
    for ev in events:
        w.writerow({k: _text_cell(v) for k, v in flat(ev).items()})
        n += 1
    return n


def _write_cameo_tsv(events: Iterator[dict[str, Any]], out: TextIO) -> int:
    # Phoenix-style data has no negation column: negated events ("did not veto") are left out.
    w = csv.DictWriter(out, fieldnames=CAMEO_COLUMNS, delimiter="\t", lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
    w.writeheader()
    n = 0
    for ev in events:
        if ev["negated"]:
            continue
        w.writerow(cameo_row(ev))
        n += 1
    return n


def parquet_schema() -> Any:
    import pyarrow as pa

    types: dict[str, Any] = {
        "contexts": pa.list_(pa.string()),
        "latitude": pa.float64(),
        "longitude": pa.float64(),
        "geonames_id": pa.int64(),
        "goldstein": pa.float64(),
        "negated": pa.bool_(),
        "evidence_start": pa.int32(),
        "evidence_end": pa.int32(),
    }
    return pa.schema([(c, types.get(c, pa.string())) for c in COLUMNS])


def _write_parquet(events: Iterator[dict[str, Any]], path: Path, batch: int = 50_000) -> int:
    import pyarrow as pa
    import pyarrow.parquet as pq

    schema = parquet_schema()
    n = 0
    with pq.ParquetWriter(str(path), schema, compression="zstd") as writer:
        cols: dict[str, list[Any]] = {c: [] for c in COLUMNS}

        def flush() -> None:
            writer.write_table(pa.Table.from_pydict(cols, schema=schema))
            for v in cols.values():
                v.clear()

        for ev in events:
            for k, v in flat(ev).items():
                cols[k].append(v)
            n += 1
            if n % batch == 0:
                flush()
        if n % batch or n == 0:
            flush()
    return n


TEXT_WRITERS: dict[ExportFormat, Callable[[Iterator[dict[str, Any]], TextIO], int]] = {
    ExportFormat.plover_jsonl: _write_jsonl,
    ExportFormat.csv: _write_csv,
    ExportFormat.cameo_tsv: _write_cameo_tsv,
}


def export(session: Session, f: EventFilter, fmt: ExportFormat, path: Path) -> int:
    """Write the events matching `f` to `path` in `fmt`; returns how many were written. The file is written
    beside the target and renamed into place, so a failed export never leaves a half-written file."""
    tmp = path.with_name(path.name + ".part")
    events = iter_events(session, f)
    try:
        if fmt is ExportFormat.parquet:
            n = _write_parquet(events, tmp)
        else:
            with tmp.open("w", encoding="utf-8", newline="") as out:
                n = TEXT_WRITERS[fmt](events, out)
        tmp.replace(path)
    finally:
        tmp.unlink(missing_ok=True)
    return n
