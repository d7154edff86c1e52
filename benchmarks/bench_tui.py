"""TUI benchmarks (issue #5): launch to first screen, opening a 1,000-environment library, one
replay step, and a tool call from the form to the diff on screen. Headless (Textual's test
driver); figures printed, nothing asserted."""

from __future__ import annotations

import asyncio
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(REPO))


def launch_to_first_screen(library: Path, runs: int = 5) -> float:
    """A fresh Python process: import the app, start it, wait until the library table has rows."""
    code = (
        "import time; t0 = time.perf_counter()\n"
        "import asyncio\n"
        "from pathlib import Path\n"
        "from workbench.ui.app import WorkbenchApp\n"
        "async def main():\n"
        f"    app = WorkbenchApp(Path({str(library)!r}))\n"
        "    async with app.run_test(size=(120, 40)) as pilot:\n"
        "        while True:\n"
        "            await pilot.pause(0.005)\n"
        "            try:\n"
        "                if app.screen.query_one('#library-table').row_count: break\n"
        "            except Exception: pass\n"
        "        print(time.perf_counter() - t0)\n"
        "asyncio.run(main())\n"
    )
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
        wall = time.perf_counter() - t0
        times.append((wall, float(out.stdout.strip().splitlines()[-1])))
    return statistics.median(w for w, _ in times), statistics.median(i for _, i in times)


async def _open_library(library: Path) -> float:
    from workbench.ui.app import WorkbenchApp

    app = WorkbenchApp(library)
    t0 = time.perf_counter()
    async with app.run_test(size=(160, 50)) as pilot:
        while True:
            await pilot.pause(0.01)
            try:
                if app.screen.query_one("#library-table").row_count >= 1000:
                    return time.perf_counter() - t0
            except Exception:
                pass


async def _replay_step_and_tool_call(library: Path) -> tuple[float, float]:
    from tests.ui.test_tools_pane import call_update_ticket, open_tools, wait_idle
    from workbench.ui.app import WorkbenchApp

    app = WorkbenchApp(library, open_env="it_service_desk")
    async with app.run_test(size=(160, 50)) as pilot:
        pane = await open_tools(app, pilot)
        from tests.ui.test_tools_pane import pick

        await pick(pilot, pane, "update_t")
        await pilot.press("1", "5", "tab", "tab", "tab", *"high")
        t0 = time.perf_counter()
        await pilot.press("f5")
        while pane.query_one("#tools-diff").diff is None:
            await pilot.pause(0.002)
            if time.perf_counter() - t0 > 20:
                break
        tool_ms = (time.perf_counter() - t0) * 1000
        await wait_idle(app, pilot)
        await pilot.press("7")
        runs = app.screen.query_one("#runs-table")
        runs.focus()
        runs.move_cursor(row=runs.get_row_index("ref-task-07"))
        await pilot.press("enter")
        runs_pane = app.screen.query_one("#runs-pane")
        while runs_pane.replay is None:
            await pilot.pause(0.01)
        steps, core = [], []
        replay = runs_pane.replay
        for k in (1, 2, 3, 2, 1, 0) * 3:
            t0 = time.perf_counter()
            replay.goto(k)  # the database restored to the step
            core.append((time.perf_counter() - t0) * 1000)
            t0 = time.perf_counter()
            runs_pane._show_step(k)  # the step's call, observation and row diff laid out
            runs_pane.query_one("#step-text").render()
            steps.append((time.perf_counter() - t0) * 1000)
            await pilot.pause()
        return statistics.median(core), statistics.median(steps), tool_ms


def main() -> None:
    from replicate import replicate

    from workbench.bundle.awm_import import import_awm
    from workbench.bundle.library_index import library_rows

    with tempfile.TemporaryDirectory() as tmp:
        t = Path(tmp)
        lib = t / "samples"
        shutil.copytree(REPO / "sample_envs", lib, ignore=shutil.ignore_patterns(".workbench-*"))
        wall, inproc = launch_to_first_screen(lib)
        print("== TUI ==")
        print(f"  launch to first screen: {wall:.2f} s wall incl. Python start ({inproc:.2f} s after start); goal < 1 s")
        replicate(1000, t / "outputs")
        import_awm(t / "outputs", t / "big")
        t0 = time.perf_counter()
        library_rows(t / "big")
        first = time.perf_counter() - t0
        open_s = asyncio.run(_open_library(t / "big"))
        print(f"  library of 1,000: index built in {first:.2f} s once; opening the screen {open_s:.2f} s")
        core_ms, ui_ms, tool_ms = asyncio.run(_replay_step_and_tool_call(lib))
        print(f"  one replay step: database restored {core_ms:.1f} ms + step shown {ui_ms:.1f} ms "
              f"= {core_ms + ui_ms:.1f} ms (p50), painted on the next frame; goal < 50 ms")
        print(f"  tool call from the form (F5) to the diff on screen: {tool_ms:.0f} ms")


if __name__ == "__main__":
    main()
