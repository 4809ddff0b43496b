"""Exports: every format read back with pandas / pyarrow and compared with the store; filters as `events`;
and the `events` / `quotes` commands."""

from __future__ import annotations

import json

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
import typer
from typer.testing import CliRunner

from eventdesk.commands.store import register
from eventdesk.export import CAMEO_COLUMNS, COLUMNS, flat
from eventdesk.store import Store, query
from tests.store_data import add_story, db_url, make_analysis  # noqa: F401  (db_url is a fixture)

runner = CliRunner()


def cli() -> typer.Typer:
    app = typer.Typer()
    app.callback()(lambda: None)  # a group, so that commands are called by name
    register(app)
    return app


@pytest.fixture
def seeded(db_url):  # noqa: F811
    store = Store(db_url)
    store.add(make_analysis("a1", outlet="Atlas Wire", published="2016-10-19"))
    store.add(make_analysis("a2", outlet="RIN", published="2016-10-21"))
    neg = make_analysis("a3", outlet="RIN", published=None)
    neg.events[1].negated = True
    store.add(neg)
    add_story(store.engine, "s1", "The veto", "2016-10-19", "2016-10-21", {"a1": "Atlas Wire", "a2": "RIN"})
    store.close()
    return db_url


def _run(*args: str) -> str:
    result = runner.invoke(cli(), list(args))
    assert result.exit_code == 0, result.output
    return result.stdout


def _stored(db: str, **kw) -> list[dict]:
    store = Store(db)
    with store.session() as s:
        out = list(query.iter_events(s, query.EventFilter.parse(**kw)))
    store.close()
    return out


def test_plover_jsonl_has_polecat_fields_and_matches_store(seeded, tmp_path):
    out = tmp_path / "e.jsonl"
    _run("export", "--db", seeded, "--format", "plover-jsonl", "-o", str(out))
    df = pd.read_json(out, lines=True, dtype=False)
    assert list(df.columns) == COLUMNS
    stored = _stored(seeded)
    assert df["event_id"].tolist() == [e["id"] for e in stored] == ["a2:1", "a3:0", "a2:0", "a1:1", "a1:0", "a3:1"]
    first = json.loads(out.read_text().splitlines()[2])  # a2:0, the REJECT with two recipients
    assert {k: first[k] for k in ("event_type", "actor_country", "recipient_country", "recipient_name")} == {
        "event_type": "REJECT",
        "actor_country": "RUS",
        "recipient_country": "FRA; ESP",
        "recipient_name": "France; Spain",
    }
    assert first["contexts"] == ["diplomatic", "human_security"]
    assert (first["event_date"], first["publication_date"], first["source"]) == ("2016-10-19", "2016-10-21", "RIN")
    assert (first["latitude"], first["longitude"], first["placename"]) == (36.2, 37.16, "Aleppo")
    assert first["event_text"] == "Russia vetoed the draft resolution on Aleppo on Wednesday."


def test_csv_round_trips(seeded, tmp_path):
    out = tmp_path / "e.csv"
    _run("export", "--db", seeded, "--format", "csv", "-o", str(out))
    df = pd.read_csv(out, keep_default_na=False, dtype=str)
    assert list(df.columns) == COLUMNS
    stored = _stored(seeded)
    assert df["event_id"].tolist() == [e["id"] for e in stored]
    assert df["goldstein"].astype(float).tolist() == [e["goldstein"] for e in stored]
    assert df["contexts"].tolist() == [";".join(e["context"]) for e in stored]
    assert df["negated"].tolist() == [str(e["negated"]) for e in stored]
    assert df["event_text"].tolist() == [e["evidence"]["text"] for e in stored]


def test_parquet_round_trips_with_types(seeded, tmp_path):
    out = tmp_path / "e.parquet"
    _run("export", "--db", seeded, "--format", "parquet", "-o", str(out))
    table = pq.read_table(out)
    assert table.column_names == COLUMNS
    assert pa.types.is_list(table.schema.field("contexts").type)
    rows = table.to_pylist()
    stored = _stored(seeded)
    assert [r["event_id"] for r in rows] == [e["id"] for e in stored]
    assert [r["contexts"] for r in rows] == [e["context"] for e in stored]
    assert [r["negated"] for r in rows] == [False, False, False, False, False, True]
    assert [r["evidence_start"] for r in rows] == [e["evidence"]["start"] for e in stored]
    assert rows[2]["latitude"] == 36.2 and rows[0]["latitude"] is None


def test_parquet_is_built_column_wise_with_the_values_of_flat(seeded, tmp_path):
    """The Parquet writer reads two streaming SELECTs, not `load_events`: every value must still be `flat`'s,
    for compound actors, a party without a country, a second sector, an event without any party."""
    a = make_analysis("a5", outlet="RIN", published="2016-10-22")
    a.events[0].actor = [
        {"text": "Moscow", "name": "Russia", "country": "RUS", "sector": "GOV", "sector2": "MIL"},
        {"text": "the rebels", "name": None, "country": None, "sector": "REB", "sector2": None},
        {"text": "Damascus", "name": "Syria", "country": "SYR", "sector": None, "sector2": None},
    ]
    a.events[1].actor, a.events[1].recipient = [], []
    store = Store(seeded)
    store.add(a)
    store.close()
    out = tmp_path / "e.parquet"
    _run("export", "--db", seeded, "--format", "parquet", "-o", str(out))
    rows = pq.read_table(out).to_pylist()
    assert rows == [flat(e) for e in _stored(seeded)]
    a50 = next(r for r in rows if r["event_id"] == "a5:0")
    assert (a50["actor_name"], a50["actor_country"], a50["primary_actor_sector"]) == (
        "Russia; Syria",
        "RUS; SYR",
        "GOV",
    )
    assert (a50["actor_sectors"], a50["actor_name_raw"]) == ("GOV,MIL; REB", "Moscow; the rebels; Damascus")
    a51 = next(r for r in rows if r["event_id"] == "a5:1")
    assert (a51["actor_name"], a51["recipient_country"], a51["contexts"]) == (None, None, [])


def test_cameo_tsv_is_phoenix_style_and_leaves_out_negated_events(seeded, tmp_path):
    out = tmp_path / "e.tsv"
    _run("export", "--db", seeded, "--format", "cameo-tsv", "-o", str(out))
    df = pd.read_csv(out, sep="\t", dtype=str, keep_default_na=False)
    assert list(df.columns) == CAMEO_COLUMNS
    assert df["eid"].tolist() == ["a2:1", "a3:0", "a2:0", "a1:1", "a1:0"]  # a3:1 is negated
    row = df[df["eid"] == "a2:0"].iloc[0]
    assert (row["story_date"], row["source"], row["source_root"], row["source_agent"]) == (
        "20161019",
        "RUSGOV",
        "RUS",
        "GOV",
    )
    assert (row["target"], row["code"], row["root_code"], row["quad_class"], row["goldstein"]) == (
        "FRAGOV",
        "129",
        "12",
        "3",
        "-2.0",
    )
    assert (row["lat"], row["lon"], row["url"]) == ("36.2", "37.16", "https://a2.example/story")


@pytest.mark.parametrize("fmt", ["plover-jsonl", "csv", "parquet", "cameo-tsv"])
def test_exports_take_the_events_filters(seeded, tmp_path, fmt):
    out = tmp_path / "f.out"
    _run("export", "--db", seeded, "--format", fmt, "-o", str(out), "--actor", "RUS", "--story", "s1")
    if fmt == "parquet":
        ids = pq.read_table(out).column("event_id").to_pylist()
    elif fmt == "cameo-tsv":
        ids = pd.read_csv(out, sep="\t", dtype=str)["eid"].tolist()
    elif fmt == "csv":
        ids = pd.read_csv(out, dtype=str)["event_id"].tolist()
    else:
        ids = [json.loads(line)["event_id"] for line in out.read_text().splitlines()]
    assert ids == ["a2:0", "a1:0"]


def test_export_of_an_empty_selection_writes_a_readable_empty_file(seeded, tmp_path):
    out = tmp_path / "none.parquet"
    _run("export", "--db", seeded, "--format", "parquet", "-o", str(out), "--actor", "XXX")
    assert pq.read_table(out).num_rows == 0


def test_export_usage_errors(seeded, tmp_path):
    def usage_error(*args: str) -> str:
        result = runner.invoke(cli(), list(args), env={"COLUMNS": "400"})
        assert result.exit_code == 2
        return result.output

    assert "plover-jsonl, csv, parquet, cameo-tsv" in usage_error(
        "export", "--db", seeded, "--format", "xml", "-o", str(tmp_path / "x")
    )
    assert "YYYY-MM-DD" in usage_error("export", "--db", seeded, "-o", str(tmp_path / "x"), "--since", "yesterday")
    assert "no such database" in usage_error("events", "--db", str(tmp_path / "nope.db"))
    assert not (tmp_path / "x").exists()


def test_events_command(seeded):
    lines = _run("events", "--db", seeded, "--actor", "rus", "--since", "2016-10-19", "--format", "json").splitlines()
    assert [json.loads(x)["id"] for x in lines] == ["a3:0", "a2:0", "a1:0"]
    assert _run("events", "--db", seeded, "--by", "dyad", "--format", "csv").splitlines() == [
        "actor,recipient,count",
        "RUS,ESP,3",
        "RUS,FRA,3",
        "FRA,RUS,2",  # a3's ACCUSE is negated: not counted
    ]
    assert _run("events", "--db", seeded, "--by", "day", "--format", "csv", "--story", "s1").splitlines() == [
        "day,count",
        "2016-10-19,3",
        "2016-10-21,1",
    ]
    assert "a2:0" in _run("events", "--db", seeded, "--limit", "3")


def test_quotes_command(seeded):
    lines = _run("quotes", "--db", seeded, "--speaker", "SOROKIN", "--outlet", "RIN", "--format", "json").splitlines()
    assert [json.loads(x)["article_id"] for x in lines] == ["a2", "a3"]
    table = _run("quotes", "--db", seeded, "--story", "s1", "--format", "csv").splitlines()
    assert table[0] == "id,day,outlet,speaker,kind,cue,text" and len(table) == 3
