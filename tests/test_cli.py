"""Every subcommand has help and is documented in the README."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from workbench.cli import build_parser

REPO = Path(__file__).resolve().parent.parent


def _subcommands() -> list[str]:
    parser = build_parser()
    action = next(a for a in parser._actions if a.dest == "command")
    return sorted(action.choices)


@pytest.mark.parametrize("cmd", _subcommands())
def test_subcommand_has_help_and_is_in_readme(cmd: str) -> None:
    proc = subprocess.run([sys.executable, "-m", "workbench", cmd, "--help"], capture_output=True, text=True)
    assert proc.returncode == 0 and "usage: workbench" in proc.stdout
    assert f"`workbench {cmd}" in (REPO / "README.md").read_text()


def test_readme_starts_with_the_two_commands() -> None:
    text = (REPO / "README.md").read_text()
    block = text.split("```sh\n", 1)[1].split("```", 1)[0].strip().splitlines()
    assert [line.split("#")[0].strip() for line in block] == ["make demo", "make test"]
    assert "make test" in (REPO / ".ci" / "run").read_text()


def test_bad_usage_exits_2(tmp_path: Path) -> None:
    proc = subprocess.run([sys.executable, "-m", "workbench", "info", str(tmp_path / "nope")], capture_output=True, text=True)
    assert proc.returncode == 2 and "neither a bundle nor a library" in proc.stderr
