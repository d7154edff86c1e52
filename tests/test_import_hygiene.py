"""The core never imports Textual: only workbench.ui may."""

from __future__ import annotations

import pkgutil
import subprocess
import sys

import workbench


def _core_modules() -> list[str]:
    names = []
    for info in pkgutil.walk_packages(workbench.__path__, "workbench."):
        if info.name.startswith("workbench.ui") or info.name == "workbench.__main__":
            continue
        names.append(info.name)
    return names


def test_core_modules_exist() -> None:
    mods = _core_modules()
    for expected in ("workbench.bundle.awm_import", "workbench.db.build", "workbench.cli"):
        assert expected in mods


def test_importing_the_core_does_not_load_textual() -> None:
    mods = _core_modules()
    code = (
        "import importlib, sys\n"
        f"for m in {mods!r}:\n"
        "    importlib.import_module(m)\n"
        "bad = sorted(m for m in sys.modules if m == 'textual' or m.startswith('textual.') or m.startswith('workbench.ui'))\n"
        "print(bad)\n"
        "sys.exit(1 if bad else 0)\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr
