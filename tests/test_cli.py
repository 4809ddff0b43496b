"""End-to-end: the commands on small corpora, exit codes, messages, idempotent and resumable ingest."""

from __future__ import annotations

import json
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from eventdesk.cli import app

from .conftest import DEMO

runner = CliRunner()

ARTICLE = (
    "GENEVA — The UN envoy for Syria said on Monday that aid convoys had reached the eastern districts of "
    "Aleppo for the first time in three months, after a humanitarian pause was agreed by the parties.\n\n"
    "The envoy told reporters that 40 trucks carrying food and medicine crossed the front line."
)


def run(*args: str):
    return runner.invoke(app, list(args))


def test_analyze_json_lines(tmp_path):
    (tmp_path / "a.txt").write_text(ARTICLE)
    result = run("analyze", str(tmp_path / "a.txt"), "--workers", "1")
    assert result.exit_code == 0, result.output
    (line,) = result.stdout.splitlines()
    out = json.loads(line)
    assert out["article"]["text"].startswith("The UN envoy for Syria said on Monday")
    assert out["article"]["dateline"]["place"] == "Geneva"
    assert out["article"]["source_path"] == str(tmp_path / "a.txt")
    assert out["article"]["published"] is None and out["article"]["published_certainty"] == "unknown"


def test_bad_inputs_cost_only_themselves(tmp_path):
    good = tmp_path / "good.txt"
    good.write_text(ARTICLE)
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "binary.txt").write_bytes(bytes(range(256)) * 20)
    (tmp_path / "lines.jsonl").write_text(json.dumps({"text": ARTICLE + " Second copy.", "id": "j1"}) + "\n{oops\n")
    (tmp_path / "nothing.html").write_text("<html><head><script>x()</script></head><body><nav>Home</nav></body></html>")
    (tmp_path / "latin.txt").write_bytes(ARTICLE.replace("UN", "ONU").encode("utf-8") + b" caf\xe9 \xff\xfe")
    big = tmp_path / "huge.txt"
    with big.open("wb") as fh:
        fh.seek(50 * 1024 * 1024)
        fh.write(b"x")
    db = tmp_path / "x.db"
    inputs = [
        str(p)
        for p in (
            good,
            tmp_path / "missing.txt",
            tmp_path / "empty.txt",
            tmp_path / "binary.txt",
            tmp_path / "lines.jsonl",
            tmp_path / "nothing.html",
            tmp_path / "latin.txt",
            big,
        )
    ]
    result = run("ingest", *inputs, "--db", str(db), "--workers", "1")
    assert result.exit_code == 1
    err = result.stderr
    for name, code in [
        ("missing.txt", "E001"),
        ("empty.txt", "E002"),
        ("binary.txt", "E003"),
        ("lines.jsonl:2", "E004"),
        ("nothing.html", "E005"),
        ("huge.txt", "E008"),
    ]:
        assert any(name in line and code in line for line in err.splitlines()), (name, code, err)
    assert "latin.txt" in err and "W10" in err  # decoded with a warning, not refused
    assert "6 input(s) failed" in err
    ids = {row[0] for row in sqlite3.connect(db).execute("select id from articles")}
    assert len(ids) == 3 and "j1" in ids


def test_ingest_is_idempotent(tmp_path):
    db = tmp_path / "x.db"
    first = run(
        "ingest",
        str(DEMO / "corpus" / "txt"),
        "--db",
        str(db),
        "--workers",
        "1",
        "--outlets",
        str(DEMO / "outlets.csv"),
    )
    assert first.exit_code == 0, first.output
    before = sqlite3.connect(db).execute("select id, text from articles order by id").fetchall()
    second = run(
        "ingest",
        str(DEMO / "corpus" / "txt"),
        "--db",
        str(db),
        "--workers",
        "1",
        "--outlets",
        str(DEMO / "outlets.csv"),
    )
    assert second.exit_code == 0
    assert "0 stored" in second.stderr and f"{len(before)} already stored" in second.stderr
    assert sqlite3.connect(db).execute("select id, text from articles order by id").fetchall() == before


def _rows(db: Path) -> list[tuple]:
    con = sqlite3.connect(db)
    arts = con.execute(
        "select id, title, outlet, published, text, content_hash, duplicate_of from articles order by id"
    ).fetchall()
    analyses = con.execute("select article_id, data from analyses order by article_id").fetchall()
    bands = con.execute("select band, article_id from article_bands order by 1, 2").fetchall()
    members = con.execute("select * from story_members order by 1").fetchall()
    return [arts, analyses, bands, members]


def test_killed_ingest_resumes_to_the_same_database(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for i in range(60):
        (corpus / f"a{i:03d}.txt").write_text(f"Article number {i}. " + ARTICLE.replace("40 trucks", f"{i} trucks"))
    cmd = [sys.executable, "-m", "eventdesk", "ingest", str(corpus), "--workers", "1"]
    killed = tmp_path / "killed.db"
    proc = subprocess.Popen([*cmd, "--db", str(killed)], stderr=subprocess.DEVNULL)
    deadline = time.time() + 120
    count = 0
    while time.time() < deadline and proc.poll() is None:
        time.sleep(0.2)
        if killed.exists():
            try:
                count = sqlite3.connect(killed).execute("select count(*) from articles").fetchone()[0]
            except sqlite3.OperationalError:
                continue
            if count >= 3:
                proc.send_signal(signal.SIGKILL)
                break
    proc.wait()
    assert 0 < count < 60, "the ingest should have been killed half-way"
    subprocess.run([*cmd, "--db", str(killed)], check=True, stderr=subprocess.DEVNULL)
    clean = tmp_path / "clean.db"
    subprocess.run([*cmd, "--db", str(clean)], check=True, stderr=subprocess.DEVNULL)
    assert _rows(killed) == _rows(clean)


def test_articles_listing_formats(tmp_path):
    db = tmp_path / "x.db"
    (tmp_path / "a.txt").write_text(ARTICLE)
    assert run("ingest", str(tmp_path / "a.txt"), "--db", str(db), "--workers", "1").exit_code == 0
    as_json = run("articles", "--db", str(db), "--format", "json")
    assert json.loads(as_json.stdout)["outlet"] is None
    as_csv = run("articles", "--db", str(db), "--format", "csv")
    assert as_csv.stdout.splitlines()[0].startswith("id,source_path,title")
    assert run("articles", "--db", str(tmp_path / "nope.db")).exit_code == 2


def test_usage_errors_exit_2(tmp_path):
    assert run("analyze").exit_code == 2
    assert run("analyze", "x.txt", "--format", "yaml").exit_code == 2
    assert run("analyze", "x.txt", "--outlets", str(tmp_path / "none.csv")).exit_code == 2
    bad = tmp_path / "bad.csv"
    bad.write_text("name,variants,domains,country,ownership,kind,notes\nX,,x.example,RUS,invented,newspaper,\n")
    result = run("analyze", "x.txt", "--outlets", str(bad))
    assert result.exit_code == 2 and "bad.csv" in result.output


@pytest.mark.parametrize(
    "command",
    [
        "analyze",
        "ingest",
        "articles",
        "actor",
        "db upgrade",
        "stories",
        "stories recluster",
        "compare",
        "events",
        "quotes",
        "export",
        "serve",
    ],
)
def test_every_command_has_help_with_an_example_and_is_documented(command):
    result = run(*command.split(), "--help")
    assert result.exit_code == 0 and "Example:" in result.stdout
    docs = (Path(__file__).resolve().parents[1] / "docs" / "cli.md").read_text()
    assert f"eventdesk {command}" in docs


def test_two_workers_give_the_same_output_in_the_same_order():
    cmd = [sys.executable, "-m", "eventdesk", "analyze", str(DEMO / "corpus"), "--outlets", str(DEMO / "outlets.csv")]
    one = subprocess.run([*cmd, "--workers", "1"], capture_output=True, text=True)
    two = subprocess.run([*cmd, "--workers", "2"], capture_output=True, text=True)
    assert one.returncode == two.returncode == 1  # the demo's broken file
    assert len(one.stdout.splitlines()) >= 16
    assert one.stdout == two.stdout


def test_resume_after_a_kill_between_storing_and_clustering(tmp_path):
    """The window between `Store.add` and `stories.assign`: the re-run clusters from the stored record."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.txt").write_text(ARTICLE)
    (corpus / "b.txt").write_text("Syndicated. " + ARTICLE)  # a near-duplicate of a.txt
    clean_db, killed_db = tmp_path / "clean.db", tmp_path / "killed.db"
    for db in (clean_db, killed_db):
        assert run("ingest", str(corpus), "--db", str(db), "--workers", "1").exit_code == 0
    con = sqlite3.connect(killed_db)
    for table in ("story_terms", "story_members", "stories"):  # as if killed before either got its story
        con.execute(f"delete from {table}")
    con.commit()
    assert run("ingest", str(corpus), "--db", str(killed_db), "--workers", "1").exit_code == 0
    members = "select * from story_members order by 1"
    assert (
        sqlite3.connect(killed_db).execute(members).fetchall() == sqlite3.connect(clean_db).execute(members).fetchall()
    )
