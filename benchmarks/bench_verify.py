"""Verifier execution cost, ours (sandboxed) against AWM's (in-process), side by side in one run.

One real AWM verifier (code mode) on a real environment's initial database, run repeatedly:

(a) ours: ``SandboxPool.run``: a fresh forked sandbox process per run (private temp dir, copies
    of both databases, time and memory limits, captured output, result over its own pipe);
(b) AWM's way (``verify.py:execute_code_verifier``): in-process ``exec`` in a fresh namespace,
    with the two database files ``chmod 0444`` during the call and restored afterwards.

Figures: p50 / p90 per run. Ours is measured twice: back to back (the pool refills while the next
runs are already waiting), and with the pool warm before each run (the latency a user clicking
"run verifier" sees). For reference, (c) ``run_verifier`` without a pool, which starts Python for
every run. Prints figures only; asserts nothing.
"""

from __future__ import annotations

import inspect
import json
import os
import re
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REAL = HERE.parent.parent / "shared" / "awm_samples" / "lisalims-c24daca" / "outputs"
sys.path.insert(0, str(HERE.parent))

from workbench.bundle.awm_import import import_awm  # noqa: E402
from workbench.bundle.load import load_bundle  # noqa: E402
from workbench.db.build import build_bundle  # noqa: E402
from workbench.verify.sandbox import SandboxPool, run_verifier  # noqa: E402


def awm_execute_code_verifier(code: str, function: str, initial: str, final: str, final_answer: str | None) -> dict:
    """AWM's runtime path for one code-mode verifier (§3.3), in-process."""
    modes = (os.stat(initial).st_mode, os.stat(final).st_mode)
    os.chmod(initial, 0o444)
    os.chmod(final, 0o444)
    try:
        namespace = {"sqlite3": sqlite3, "json": json, "os": os, "re": re, "__builtins__": __builtins__}
        exec(code, namespace)
        if function not in namespace:
            return {"result": "others", "execution_status": "error", "error_message": f"Function '{function}' not found"}
        func = namespace[function]
        params = list(inspect.signature(func).parameters)
        values = {"initial_db_path": initial, "final_db_path": final, "final_answer": final_answer or ""}
        kwargs = {k: v for k, v in values.items() if k in params}
        raw = func(**kwargs) if kwargs else func(initial, final)
        result = raw.get("result") if isinstance(raw, dict) else None
        result = result if result in ("complete", "others") else "others"
        return {"result": result, "execution_status": "success", "raw_result": raw}
    except Exception as exc:
        return {"result": "others", "execution_status": "error", "error_message": f"Execution error: {exc}"}
    finally:
        os.chmod(initial, modes[0])
        os.chmod(final, modes[1])


def _ms(samples: list[float]) -> tuple[float, float]:
    s = sorted(samples)
    return statistics.median(s) * 1000, s[int(0.9 * (len(s) - 1))] * 1000


def main(runs: int = 200, slug: str = "gofundme", task: int = 0) -> dict:
    if not REAL.is_dir():
        print(f"skipped: {REAL} is absent")
        return {}
    with tempfile.TemporaryDirectory() as tmp:
        lib = Path(tmp, "lib")
        import_awm(REAL, lib, only={slug})
        bundle, _ = load_bundle(lib / slug)
        verifier = bundle.active_verifiers()[(task, "code")]
        data = build_bundle(bundle).data
        initial, final = Path(tmp, "initial.db"), Path(tmp, "final.db")
        initial.write_bytes(data)
        final.write_bytes(data)
        print(f"verifier: {slug} task {task} ({verifier.function}, {len(verifier.code)} chars), "
              f"database {len(data) // 1024} KiB, {runs} runs each")

        awm: list[float] = []
        for i in range(runs + 10):
            t = time.perf_counter()
            awm_result = awm_execute_code_verifier(verifier.code, verifier.function, str(initial), str(final), None)
            if i >= 10:
                awm.append(time.perf_counter() - t)

        ours_b2b: list[float] = []
        ours_warm: list[float] = []
        with SandboxPool(size=2) as pool:
            pool.wait_ready()
            for i in range(runs + 10):
                t = time.perf_counter()
                out = pool.run(verifier.code, "code", initial, final, function=verifier.function)
                if i >= 10:
                    ours_b2b.append(time.perf_counter() - t)
            for _ in range(runs):
                pool.wait_ready()
                t = time.perf_counter()
                out = pool.run(verifier.code, "code", initial, final, function=verifier.function)
                ours_warm.append(time.perf_counter() - t)
        cold: list[float] = []
        for _ in range(max(10, runs // 10)):
            t = time.perf_counter()
            out = run_verifier(verifier.code, "code", initial, final, function=verifier.function)
            cold.append(time.perf_counter() - t)
        if out.verify_result["result"] != awm_result["result"]:
            print(f"  NOTE: the two ways disagree: ours {out.verify_result}, AWM {awm_result}")

    a50, a90 = _ms(awm)
    b50, b90 = _ms(ours_b2b)
    w50, w90 = _ms(ours_warm)
    print(f"  AWM in-process exec + chmod 0444   p50 {a50:7.2f} ms   p90 {a90:7.2f} ms")
    print(f"  ours, SandboxPool, back to back    p50 {b50:7.2f} ms   p90 {b90:7.2f} ms   ratio {b50 / a50:5.1f}x")
    print(f"  ours, SandboxPool, warm each run   p50 {w50:7.2f} ms   p90 {w90:7.2f} ms   ratio {w50 / a50:5.1f}x")
    c50, c90 = _ms(cold)
    print(f"  ours, run_verifier without a pool  p50 {c50:7.2f} ms   p90 {c90:7.2f} ms   ratio {c50 / a50:5.1f}x"
          "   (starts Python per run)")
    print("  (goal: ours within 5x of AWM and under 50 ms per run)")
    return {"awm_p50_ms": a50, "ours_back_to_back_p50_ms": b50, "ours_warm_p50_ms": w50, "ours_no_pool_p50_ms": c50}


if __name__ == "__main__":
    main()
