"""Shared fixtures: the spaCy model and Resources load once per test session."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
DEMO = ROOT / "demo"


@pytest.fixture(scope="session")
def resources():
    from eventdesk.pipeline import Resources

    return Resources.load(outlet_files=[DEMO / "outlets.csv"])


@pytest.fixture(scope="session")
def nlp():
    from eventdesk import nlp as nlp_mod

    return nlp_mod.load()


def shared_path(*parts: str) -> Path:
    """A path under ../shared, or skip the test cleanly when a user's clone has no ../shared."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"benchmark data not present: {path}")
    return path
