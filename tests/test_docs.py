"""Docs stay true: the CLI reference is current, and the README names the two set-up commands."""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_cli_reference_is_generated_from_current_help():
    sys.path.insert(0, str(ROOT / "tools"))
    try:
        import cli_docs
    finally:
        sys.path.pop(0)
    assert (ROOT / "docs" / "cli.md").read_text() == cli_docs.render(), "run: .venv/bin/python tools/cli_docs.py"


def test_readme_opens_with_what_it_is_then_two_commands():
    readme = (ROOT / "README.md").read_text()
    assert readme.startswith("# eventdesk\n\neventdesk turns news articles")
    setup = readme.split("```sh", 1)[1].split("```", 1)[0]
    assert [line.split("#")[0].strip() for line in setup.strip().splitlines()] == ["make demo", "make test"]
