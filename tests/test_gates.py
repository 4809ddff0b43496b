"""Evaluation gates: quality on benchmark data must not drop below the floors pinned in bench/baseline.json.

Needs ../shared (present in CI); skips cleanly in a user's clone.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import shared_path

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.shared
def test_main_text_extraction_gate():
    shared_path("data", "article_extraction", "ground-truth.json")
    run = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "extraction.py"), "--gate"], capture_output=True, text=True
    )
    assert run.returncode == 0, run.stdout + run.stderr
    floor = json.loads((ROOT / "bench" / "baseline.json").read_text())["extraction_f1"]
    f1 = float(run.stdout.split("eventdesk")[1].split("F1")[1].split()[0])
    assert f1 >= floor


def test_event_coding_on_the_written_sets_gate(nlp):
    """The sentences written for eventdesk ship with it (bench/data/), so this gate runs in every clone."""
    sys.path.insert(0, str(ROOT / "bench"))
    try:
        import events_written
    finally:
        sys.path.pop(0)
    from eventdesk.pipeline import Resources

    base = json.loads((ROOT / "bench" / "baseline.json").read_text())
    res = Resources.load()
    for n in (1, 2, 3):
        sc = events_written.measure(res, n)
        assert sc.found / sc.sentences >= base["events_written_type_found"][str(n)], (n, sc.found, sc.misses)
        assert sc.extra / sc.sentences <= base["events_written_extra_max"][str(n)], (n, sc.extra, sc.misses)
