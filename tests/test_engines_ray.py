"""The Ray engine: same output as the local engine, in the same order; a usage error when ray is missing."""

from __future__ import annotations

import subprocess
import sys

import pytest
from typer.testing import CliRunner

from eventdesk.cli import app

from .conftest import DEMO


def _have_ray() -> bool:
    try:
        import ray  # noqa: F401
    except ImportError:
        return False
    return True


def test_ray_engine_output_equals_the_local_engine_byte_for_byte():
    if not _have_ray():
        pytest.skip("ray is not installed (pip install 'eventdesk[ray]')")
    cmd = [sys.executable, "-m", "eventdesk", "analyze", str(DEMO / "corpus"), "--outlets", str(DEMO / "outlets.csv")]
    local = subprocess.run([*cmd, "--engine", "local", "--workers", "1"], capture_output=True, text=True)
    ray = subprocess.run([*cmd, "--engine", "ray", "--workers", "2"], capture_output=True, text=True, timeout=300)
    assert local.returncode == ray.returncode == 1, ray.stderr  # the demo's broken file
    assert len(local.stdout.splitlines()) >= 16  # more than 2 batches of 8: both actors, several batches each
    assert ray.stdout == local.stdout
    assert ray.stderr == local.stderr  # the same failure report, and no Ray chatter


def test_ray_engine_without_ray_is_a_usage_error(tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "ray", None)  # `import ray` now raises ImportError
    (tmp_path / "a.txt").write_text("The minister met the envoy in Geneva on Monday.")
    for command in (["analyze"], ["ingest", "--db", str(tmp_path / "x.db")]):
        result = CliRunner().invoke(app, [*command, str(tmp_path / "a.txt"), "--engine", "ray"])
        assert result.exit_code == 2
        assert "pip install 'eventdesk[ray]'" in result.stderr
    assert not (tmp_path / "x.db").exists()  # refused before any work


def test_address_without_the_ray_engine_is_a_usage_error(tmp_path):
    (tmp_path / "a.txt").write_text("The minister met the envoy in Geneva on Monday.")
    result = CliRunner().invoke(app, ["analyze", str(tmp_path / "a.txt"), "--address", "127.0.0.1:6379"])
    assert result.exit_code == 2
    assert "--address needs --engine ray" in result.stderr
