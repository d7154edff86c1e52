"""The real app in tmux at 80x24 and 160x50: library, workspace, every tab, help, back, quit."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent.parent


def test_tui_smoke_in_tmux() -> None:
    proc = subprocess.run([sys.executable, str(REPO / "scripts" / "tui-smoke")], capture_output=True, text=True,
                          timeout=600)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "tui-smoke ok at 80x24" in proc.stdout and "tui-smoke ok at 160x50" in proc.stdout
