"""Import + export of the 8 real AWM environments replicated to 1,000, with time and peak memory.

Goal (issue #2): under 60 s and under 500 MB on a 2-core machine. Also: listing the imported
library the first time (index built) and the second time (index reused; goal under 1 s).
Each phase runs in its own subprocess so its peak RSS is measured on its own.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def _phase(code: str) -> dict:
    wrapper = (
        "import json, resource, sys, time\n"
        "t0 = time.perf_counter()\n" + code + "\n"
        "dt = time.perf_counter() - t0\n"
        "peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024\n"
        "print(json.dumps({'seconds': dt, 'peak_mb': peak}))\n"
    )
    proc = subprocess.run([sys.executable, "-c", wrapper], capture_output=True, text=True, check=True)
    return json.loads(proc.stdout.strip().splitlines()[-1])


def main(n: int = 1000) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        t = Path(tmp)
        t0 = time.perf_counter()
        subprocess.run([sys.executable, str(HERE / "replicate.py"), str(n), str(t / "outputs")], check=True)
        size = sum(p.stat().st_size for p in (t / "outputs").iterdir()) / 1e6
        print(f"corpus: {n} environments, {size:.0f} MB of JSONL (made in {time.perf_counter() - t0:.1f} s)")
        imp = _phase(f"from workbench.bundle.awm_import import import_awm\nr = import_awm({str(t / 'outputs')!r}, {str(t / 'lib')!r})\nassert r.ok and len(r.envs) == {n}")
        exp = _phase(f"from workbench.bundle.awm_export import export_library\nexport_library({str(t / 'lib')!r}, {str(t / 'out')!r})")
        same = all((t / "out" / p.name).read_bytes() == p.read_bytes() for p in (t / "outputs").iterdir())
        first = _phase(f"from workbench.bundle.library_index import library_rows\nassert len(library_rows({str(t / 'lib')!r})) == {n}")
        second = _phase(f"from workbench.bundle.library_index import library_rows\nassert len(library_rows({str(t / 'lib')!r})) == {n}")
    result = {"environments": n, "import": imp, "export": exp, "round_trip_identical": same,
              "list_first": first, "list_cached": second}
    print(f"import : {imp['seconds']:6.1f} s  peak {imp['peak_mb']:5.0f} MB")
    print(f"export : {exp['seconds']:6.1f} s  peak {exp['peak_mb']:5.0f} MB   (round trip identical: {same})")
    print(f"total  : {imp['seconds'] + exp['seconds']:6.1f} s   goal < 60 s and < 500 MB")
    print(f"list library first time : {first['seconds']:.2f} s (index built)")
    print(f"list library again      : {second['seconds']:.2f} s (index reused; goal < 1 s)")
    return result


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 1000)
