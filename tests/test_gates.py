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
