"""Story clustering: features, links, order-independence, near-duplicates, the demo corpus, the CLI."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from eventdesk import stories
from eventdesk.commands.stories import register
from eventdesk.model import Analysis, Article
from eventdesk.store import Store
from eventdesk.store import stories as db

ROOT = Path(__file__).resolve().parents[1]
DEMO = ROOT / "demo"


def art(
    aid: str, title: str, text: str, published: str | None, outlet: str = "Wire", dup: str | None = None
) -> Analysis:
    return Analysis(
        article=Article(
            id=aid,
            text=text,
            title=title,
            outlet=outlet,
            published=published,
            content_hash=aid,
            duplicate_of=dup,
            duplicate_kind="near" if dup else None,
        )
    )


# Two stories on the same days plus one a month later; written for these tests.
CORPUS = [
    art(
        "a1",
        "Parliament of Norland votes to ban plastic bags",
        "Norland's parliament voted to ban plastic bags "
        "from shops, with retailers given a year to comply, lawmakers in Kestrel said.",
        "2021-03-01",
        "Wire",
    ),
    art(
        "a2",
        "Norland bans plastic bags in shops",
        "Lawmakers in Kestrel approved a ban on plastic bags in shops; "
        "retailers must comply within a year under the parliament vote.",
        "2021-03-02",
        "Daily",
    ),
    art(
        "a3",
        "Norland bag ban: retailers react",
        "Retailers in Norland said the plastic bags ban passed by parliament in Kestrel would raise costs.",
        None,
        "Gazette",
    ),
    art(
        "b1",
        "Flooding forces evacuation of Brelmouth",
        "Floodwater from the river Ost forced the evacuation of Brelmouth, where rescuers moved residents to shelters.",
        "2021-03-01",
        "Wire",
    ),
    art(
        "b2",
        "Brelmouth residents evacuated as Ost floods",
        "Rescuers evacuated Brelmouth residents to shelters as the river Ost burst its banks.",
        "2021-03-02",
        "Daily",
    ),
    art(
        "c1",
        "Brelmouth residents evacuated as Ost floods again",
        "Rescuers evacuated Brelmouth residents to shelters as the river Ost burst its banks once more.",
        "2021-05-20",
        "Daily",
    ),
]


def clusters(store: Store) -> set[frozenset[str]]:
    return {frozenset(a["id"] for a in s["articles"]) for s in stories.list_stories(store)}


def ingest(store: Store, items: list[Analysis]) -> None:
    for a in items:
        store.add(a)
        stories.assign(store, a)


def test_terms_drop_stop_and_generic_words_and_plural_s() -> None:
    assert stories.terms("The rebels said on Thursday that the city's convoys were blocked") == [
        "rebel",
        "city",
        "convoy",
        "blocked",
    ]


def test_background_weight_is_fixed_and_ranks_rare_words_higher() -> None:
    assert stories.background_weight("said") < stories.background_weight("veto") < stories.background_weight("zzqx")
    assert stories.background_weight("zzqx") == 4.5


def test_stories_of_a_small_corpus(tmp_path: Path) -> None:
    store = Store(str(tmp_path / "s.db"))
    ingest(store, CORPUS)
    # Same words a month apart are another story; an undated article still joins its story.
    assert clusters(store) == {frozenset({"a1", "a2", "a3"}), frozenset({"b1", "b2"}), frozenset({"c1"})}
    by_first = {s["story_id"]: s for s in stories.list_stories(store)}
    bag = next(s for s in by_first.values() if len(s["articles"]) == 3)
    assert bag["story_id"] == stories.story_id(["a1", "a2", "a3"])
    assert bag["first_seen"] == "2021-03-01"
    assert bag["outlets"] == ["Daily", "Gazette", "Wire"]
    assert bag["title"] in {a.article.title for a in CORPUS[:3]}


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_any_ingestion_order_gives_the_same_stories_and_ids(tmp_path: Path, seed: int) -> None:
    ref = Store(str(tmp_path / "ref.db"))
    ingest(ref, CORPUS)
    shuffled = list(CORPUS)
    random.Random(seed).shuffle(shuffled)
    other = Store(str(tmp_path / f"o{seed}.db"))
    ingest(other, shuffled)
    assert stories.list_stories(other) == stories.list_stories(ref)


def test_recluster_equals_incremental(tmp_path: Path) -> None:
    store = Store(str(tmp_path / "s.db"))
    ingest(store, list(reversed(CORPUS)))
    before = stories.list_stories(store)
    assert stories.recluster(store) == 3
    assert stories.list_stories(store) == before


def test_assign_is_idempotent_and_uses_the_index(tmp_path: Path) -> None:
    store = Store(str(tmp_path / "s.db"))
    ingest(store, CORPUS)
    sid = stories.assign(store, CORPUS[0])
    assert sid == stories.story_id(["a1", "a2", "a3"])
    with store.engine.connect() as conn:
        # a look-up by key terms within the date window finds the bag story, not the flood a month later
        found = db.candidates(conn, stories.key_terms(stories.features(CORPUS[1])), 18688, stories.WINDOW_DAYS)
    assert {"a1", "a2", "a3"} <= found and "c1" not in found


def test_near_duplicate_joins_its_original_and_is_marked(tmp_path: Path) -> None:
    store = Store(str(tmp_path / "s.db"))
    copy = art(
        "z9",
        "A different headline entirely",
        "Completely different words about gardening tools.",
        "2021-03-02",
        "Reprint",
        dup="b1",
    )
    ingest(store, [*CORPUS, copy])
    flood = next(s for s in stories.list_stories(store) if "b1" in {a["id"] for a in s["articles"]})
    assert {a["id"]: a["duplicate_of"] for a in flood["articles"]} == {"b1": None, "b2": None, "z9": "b1"}


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> str:
    from eventdesk.cli import app

    path = str(tmp_path_factory.mktemp("demo") / "demo.db")
    res = CliRunner().invoke(
        app, ["ingest", str(DEMO / "corpus"), "--db", path, "--outlets", str(DEMO / "outlets.csv"), "--workers", "1"]
    )
    assert res.exit_code == 1  # the damaged line of broken/damaged.jsonl
    store = Store(path)
    stories.recluster(store)  # until `ingest` calls stories.assign itself
    store.close()
    return path


def test_demo_corpus_gives_the_three_expected_stories(demo_db: str) -> None:
    expected = json.loads((DEMO / "expected.json").read_text(encoding="utf-8"))
    story_of = {a["title"]: a["story"] for a in expected["articles"]}
    store = Store(demo_db)
    got = {frozenset(story_of[a["title"]] for a in s["articles"]) for s in stories.list_stories(store)}
    sizes = sorted(len(s["articles"]) for s in stories.list_stories(store))
    assert got == {frozenset({1}), frozenset({2}), frozenset({3})}
    assert sizes == [5, 6, 6]


def test_cli_stories_json_matches_the_contract(demo_db: str) -> None:
    app = typer.Typer()
    register(app)
    app.command("noop")(lambda: None)
    res = CliRunner().invoke(app, ["stories", "--db", demo_db, "--format", "json"])
    assert res.exit_code == 0
    items = json.loads(res.output)
    assert len(items) == 3
    for s in items:
        assert {"story_id", "title", "first_seen", "outlets", "articles"} <= set(s)
        for a in s["articles"]:
            assert {"id", "source_path", "outlet", "title"} <= set(a)
    assert [s["first_seen"] for s in items] == sorted(s["first_seen"] for s in items)
    res = CliRunner().invoke(app, ["stories", "recluster", "--db", demo_db])
    assert res.exit_code == 0 and "3 stories" in res.output
    res = CliRunner().invoke(app, ["stories", "--db", str(Path(demo_db).with_name("missing.db"))])
    assert res.exit_code == 2
