"""Run every benchmark and print its figures (no thresholds are asserted)."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import bench_import_export  # noqa: E402
import bench_runtime  # noqa: E402
import bench_tui  # noqa: E402
import bench_verify  # noqa: E402

if __name__ == "__main__":
    print("== import / export of a replicated corpus ==")
    bench_import_export.main(1000)
    print()
    bench_runtime.main()
    print()
    bench_verify.main()
    print()
    bench_tui.main()
