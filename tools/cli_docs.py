"""Write docs/cli.md from the commands' own --help (run after changing a command; a test checks it is current).

.venv/bin/python tools/cli_docs.py
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from typer.testing import CliRunner

from eventdesk.cli import app

DOC = Path(__file__).resolve().parents[1] / "docs" / "cli.md"
HEADER = """# Command-line reference

Generated from each command's `--help` by `tools/cli_docs.py`; do not edit by hand.
Exit codes: 0 all inputs processed, 1 some inputs failed (each reported on stderr), 2 usage error.
"""


def commands() -> list[list[str]]:
    import typer.main

    group = typer.main.get_command(app)
    out: list[list[str]] = []
    for name, cmd in sorted(group.commands.items()):  # type: ignore[attr-defined]
        if hasattr(cmd, "commands"):
            if getattr(cmd, "invoke_without_command", False):
                out.append([name])  # a group that also runs on its own ("eventdesk stories")
            out.extend([name, sub] for sub in sorted(cmd.commands))
        else:
            out.append([name])
    return out


def render() -> str:
    os.environ["COLUMNS"] = "100"
    os.environ["TERM"] = "dumb"
    runner = CliRunner()
    parts = [HEADER]
    for cmd in commands():
        result = runner.invoke(app, [*cmd, "--help"], prog_name="eventdesk")
        parts.append(f"\n## eventdesk {' '.join(cmd)}\n\n```\n{result.stdout.strip()}\n```\n")
    return "".join(parts)


if __name__ == "__main__":
    DOC.write_text(render())
    print(f"wrote {DOC}", file=sys.stderr)
