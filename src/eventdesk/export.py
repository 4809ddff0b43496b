"""Exports of stored events to open formats: PLOVER JSONL, CSV, Parquet and a CAMEO-style (Phoenix) TSV.

One flat record per event, with the column names of the POLECAT releases (the PLOVER-coded successor of
ICEWS) in snake_case: event_id, event_date, event_type, event_mode, quad_code, contexts, actor_name,
actor_country, primary_actor_sector, actor_sectors, recipient_..., placename, country, latitude, longitude,
geonames_id, source, publication_date, language, version; plus eventdesk's own fields (cameo_code,
goldstein, negated, modality, the evidence sentence and its offsets, the article id and url). A compound
actor ("France and Spain") is one event whose actor fields list every member, joined by "; " as POLECAT
joins sector lists. The CAMEO TSV uses the Phoenix column names (eid, story_date, source, source_root,
source_agent, target, ..., code, root_code, quad_class, goldstein, lat, lon, url).

Events stream from the store a batch at a time, so memory stays flat for any store size. Parquet, the format
for large exports, is built column-wise from two streaming SELECTs (about 1M events in well under a minute);
the text formats go event by event through `flat`. Reads only.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Callable, Iterable, Iterator
from enum import StrEnum
from itertools import chain
from pathlib import Path
from typing import Any, TextIO

from sqlalchemy.orm import Session

from eventdesk.model import SCHEMA_VERSION
from eventdesk.store import query
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


def _write_parquet(session: Session, f: EventFilter, path: Path, batch: int = 10_000, row_group: int = 100_000) -> int:
    """Parquet straight from two streaming SELECTs (`query.event_streams`): rows are transposed into Arrow
    columns a batch at a time, with no per-event dict; only the actor and recipient fields are assembled in
    Python. Values are those of `flat` (tests compare the two). Batches are small (Python rows are large);
    row groups are larger (columnar Arrow data is compact), as Parquet readers prefer."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    schema = parquet_schema()
    events_q, parties_q = query.event_streams(session, f)
    conn = session.connection()
    events = conn.execute(events_q, execution_options={"yield_per": batch})
    parties = chain.from_iterable(conn.execute(parties_q, execution_options={"yield_per": batch}).partitions())
    pos = {k: i for i, k in enumerate(events.keys())}
    party = next(parties, None)
    contexts_of: dict[str, list[str]] = {}
    version = f"eventdesk-{SCHEMA_VERSION}"
    n = 0
    pending: list[Any] = []  # RecordBatches not yet written
    with pq.ParquetWriter(str(path), schema, compression="zstd") as writer:
        for rows in events.partitions():
            # Lists, not tuples: pyarrow converts a list of values hundreds of times faster than a tuple.
            cols = [list(c) for c in zip(*rows, strict=True)]
            size = len(rows)
            party_values = []
            for eid in cols[pos["id"]]:
                if party is None or party[0] != eid:
                    party_values.append(_NO_PARTIES)
                    continue
                actors: list[Any] = []
                recipients: list[Any] = []
                while party is not None and party[0] == eid:
                    (actors if party[1] == "actor" else recipients).append(party)
                    party = next(parties, None)
                party_values.append(_party_fields(actors) + _party_fields(recipients))
            who = dict(zip(_PARTY_COLUMNS, (list(c) for c in zip(*party_values, strict=True)), strict=True))
            contexts = []
            for c in cols[pos["contexts"]]:
                if c not in contexts_of:
                    contexts_of[c] = [x for x in c.split(";") if x]
                contexts.append(contexts_of[c])
            data: dict[str, Any] = {
                "event_id": cols[pos["id"]],
                "event_date": cols[pos["day"]],
                "event_type": cols[pos["event_type"]],
                "event_mode": cols[pos["mode"]],
                "quad_code": cols[pos["quad_code"]],
                "contexts": contexts,
                **who,
                "placename": cols[pos["place_name"]],
                "country": cols[pos["place_country"]],
                "latitude": cols[pos["lat"]],
                "longitude": cols[pos["lon"]],
                "geonames_id": cols[pos["geonameid"]],
                "source": cols[pos["outlet"]],
                "publication_date": cols[pos["published"]],
                "language": ["en"] * size,
                "version": [version] * size,
                "cameo_code": cols[pos["cameo"]],
                "goldstein": cols[pos["goldstein"]],
                "negated": cols[pos["negated"]],
                "modality": cols[pos["modality"]],
                "event_text": cols[pos["evidence_text"]],
                "evidence_start": cols[pos["evidence_start"]],
                "evidence_end": cols[pos["evidence_end"]],
                "article_id": cols[pos["article_id"]],
                "url": cols[pos["url"]],
            }
            arrays = [pa.array(data[field.name], type=field.type) for field in schema]
            pending.append(pa.RecordBatch.from_arrays(arrays, schema=schema))
            n += size
            if sum(b.num_rows for b in pending) >= row_group:
                writer.write_table(pa.Table.from_batches(pending, schema=schema), row_group_size=row_group)
                pending.clear()
        if pending:
            writer.write_table(pa.Table.from_batches(pending, schema=schema), row_group_size=row_group)
        if party is not None:
            # Parties left over: the two SELECTs disagreed (they must run on one snapshot); never write that.
            raise RuntimeError(f"export: the actors of event {party[0]!r} did not line up with the events")
        if n == 0:
            writer.write_table(schema.empty_table())
    return n


# The actor and recipient fields of a flat record, in COLUMNS order ("{}" is "actor" or "recipient").
_PARTY_FIELDS = ("{}_name", "{}_country", "primary_{}_sector", "{}_sectors", "{}_name_raw")
_PARTY_COLUMNS = [k.format(role) for role in ("actor", "recipient") for k in _PARTY_FIELDS]


def _party_fields(group: list[Any]) -> tuple[Any, ...]:
    """`flat`'s five fields of one role, from party rows (event_id, role, text, name, country, sector, sector2)."""
    if len(group) == 1:  # the common case, without the joins (values are text: `x or None` is `_join([x])`)
        _, _, text, name, country, sector, sector2 = group[0]
        sectors = f"{sector},{sector2}" if sector and sector2 else (sector or sector2 or None)
        return name or None, country or None, sector, sectors, text or None
    if not group:
        return _NONE5
    return (
        _join(p[3] for p in group),
        _join(p[4] for p in group),
        group[0][5],
        _join(",".join(x for x in (p[5], p[6]) if x) or None for p in group),
        _join(p[2] for p in group),
    )


_NONE5: tuple[None, ...] = (None,) * 5
_NO_PARTIES: tuple[None, ...] = (None,) * 10


TEXT_WRITERS: dict[ExportFormat, Callable[[Iterator[dict[str, Any]], TextIO], int]] = {
    ExportFormat.plover_jsonl: _write_jsonl,
    ExportFormat.csv: _write_csv,
    ExportFormat.cameo_tsv: _write_cameo_tsv,
}


def export(session: Session, f: EventFilter, fmt: ExportFormat, path: Path) -> int:
    """Write the events matching `f` to `path` in `fmt`; returns how many were written. The file is written
    beside the target and renamed into place, so a failed export never leaves a half-written file."""
    tmp = path.with_name(path.name + ".part")
    if session.get_bind().dialect.name == "postgresql" and not session.in_transaction():
        # One snapshot for the whole export (the Parquet writer's two SELECTs must agree, and batches of the
        # text formats must not see an ingest that lands half-way). SQLite reads one snapshot while the
        # events SELECT is open.
        session.connection(execution_options={"isolation_level": "REPEATABLE READ"})
    try:
        if fmt is ExportFormat.parquet:
            n = _write_parquet(session, f, tmp)
        else:
            with tmp.open("w", encoding="utf-8", newline="") as out:
                n = TEXT_WRITERS[fmt](iter_events(session, f), out)
        tmp.replace(path)
    finally:
        tmp.unlink(missing_ok=True)
    return n
