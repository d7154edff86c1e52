"""``workbench check``: does each environment build, import, list its spec's tools, and answer smoke calls?

Environments are spread over ``jobs`` reusable check workers (see ``check_worker``). A tool that
does not answer within the call limit, or a worker that dies, costs only that tool: the worker is
killed and restarted and the environment continues with its remaining tools.
"""

from __future__ import annotations

import json
import queue
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from workbench.bundle.load import load_bundle
from workbench.bundle.stats import spec_operation_ids
from workbench.db.build import build_bundle
from workbench.runtime.smoke import spec_examples

ERROR_THRESHOLD = 0.1  # AWM's error_threshold for the db and sample stages


@dataclass
class EnvCheck:
    slug: str
    name: str = ""
    ok: bool = False
    problems: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    build: dict[str, Any] = field(default_factory=dict)
    server: dict[str, Any] = field(default_factory=dict)
    tools: dict[str, Any] = field(default_factory=dict)
    smoke: list[dict[str, Any]] = field(default_factory=list)
    seconds: float = 0.0

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @property
    def smoke_counts(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for s in self.smoke:
            counts[s["outcome"]] = counts.get(s["outcome"], 0) + 1
        return counts


class _Worker:
    """One check worker process plus a thread that turns its stdout into a queue of events."""

    def __init__(self, logdir: Path, n: int) -> None:
        self.log = open(logdir / f"check-worker-{n}.log", "a+", encoding="utf-8", errors="replace")
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "workbench.runtime.check_worker"], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
            stderr=self.log, text=True, bufsize=1, start_new_session=True,
        )
        self.events: queue.Queue[dict[str, Any] | None] = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            try:
                self.events.put(json.loads(line))
            except ValueError:
                continue
        self.events.put(None)

    def send(self, req: dict[str, Any]) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.write(json.dumps(req) + "\n")
        self.proc.stdin.flush()

    def next(self, timeout: float) -> dict[str, Any] | None | str:
        """The next event, ``None`` when the worker died, or ``"timeout"``."""
        try:
            return self.events.get(timeout=timeout)
        except queue.Empty:
            return "timeout"

    def log_tail(self, n: int = 12) -> str:
        self.log.flush()
        self.log.seek(0)
        return "\n".join(self.log.read().splitlines()[-n:])

    def kill(self) -> None:
        try:
            self.proc.kill()
            self.proc.wait(timeout=5)
        except Exception:
            pass
        self.log.close()

    def close(self) -> None:
        try:
            if self.proc.stdin:
                self.proc.stdin.close()
            self.proc.wait(timeout=5)
        except Exception:
            self.proc.kill()
        self.log.close()


def _check_one(bundle_dir: Path, worker_box: list[_Worker], workdir: Path, n: int, call_timeout: float,
               load_timeout: float) -> EnvCheck:
    t0 = time.perf_counter()
    res = EnvCheck(slug=bundle_dir.name)
    try:
        bundle, problems = load_bundle(bundle_dir, with_runs=False)
    except Exception as exc:
        res.problems.append(f"bundle: {exc}")
        return res
    res.slug, res.name = bundle.slug, bundle.name
    for p in problems:
        if p.severity == "error":
            res.problems.append(f"bundle: {p}")
    build = build_bundle(bundle)
    res.build = {k: v for k, v in build.summary().items() if k != "failures"}
    res.build["failures"] = [f"{f.stage} {f.where}: {f.error}" for f in build.failures[:20]]
    for label, ratio, failed, total in (("schema", build.schema_error_ratio, build.tables_failed, build.tables_total),
                                        ("data", build.data_error_ratio, build.inserts_failed, build.inserts_total)):
        if failed or (label == "schema" and not total):
            unit = "tables" if label == "schema" else "inserts"
            msg = f"{label}: {failed} of {total} {unit} failed (error ratio {ratio:.2f})"
            (res.problems if ratio > ERROR_THRESHOLD else res.warnings).append(msg)
    if bundle.server_code is None:
        res.problems.append("server: no server.py")
        res.seconds = time.perf_counter() - t0
        return res
    db = workdir / f"env-{n}.db"
    db.write_bytes(build.data)
    req = {"server": str((bundle.path / "server.py").resolve()), "db": str(db),
           "reference_time": bundle.reference_time, "examples": spec_examples(bundle.spec), "skip": []}
    listed: list[str] | None = None
    current: str | None = None
    attempts = 0
    while True:
        worker = worker_box[0]
        worker.send(req)
        waiting = load_timeout
        finished = False
        while True:
            ev = worker.next(waiting)
            if ev == "timeout" or ev is None:
                tail = worker.log_tail()
                worker.kill()
                worker_box[0] = _Worker(workdir, n)
                if listed is None:
                    what = "hangs at import" if ev == "timeout" else "the worker exited while importing server.py"
                    res.server = {"imports": False, "error": f"{what}\n{tail}".strip()}
                    res.problems.append(f"server: {what}")
                    finished = True
                elif current is not None:
                    outcome = "hang" if ev == "timeout" else "crash"
                    res.smoke.append({"tool": current, "outcome": outcome, "status": None,
                                      "exception": f"no answer within {call_timeout:g} s" if outcome == "hang"
                                      else f"worker exited during the call\n{tail}".strip()})
                    req["skip"] = [s["tool"] for s in res.smoke]
                break
            assert isinstance(ev, dict)
            kind = ev.get("event")
            if kind == "load_error":
                res.server = {"imports": False, "error": ev.get("message"), "server_lines": ev.get("server_lines")}
                where = "; ".join(f"server.py:{f['line']}: {f['code']}" for f in ev.get("server_lines") or [])
                res.problems.append(f"server: does not import: {ev.get('message')}" + (f" ({where})" if where else ""))
            elif kind == "tools":
                listed = ev["names"]
                res.server = {"imports": True}
                res.tools = {"listed": len(listed), "duplicates": ev.get("duplicates") or []}
                waiting = call_timeout
            elif kind == "calling":
                current = ev["tool"]
            elif kind == "called":
                status = ev.get("status")
                outcome = ("server_error" if status is not None and status >= 500 else
                           "client_error" if ev.get("is_error") else "ok")
                res.smoke.append({"tool": ev["tool"], "outcome": outcome, "status": status,
                                  "arguments": ev.get("arguments"), "exception": ev.get("exception"),
                                  "server_lines": ev.get("server_lines"), "ms": ev.get("ms"),
                                  "text": ev.get("text") if ev.get("is_error") else None})
                current = None
            elif kind == "done":
                finished = True
                break
        attempts += 1
        if finished or attempts > 50:
            break
    if listed is not None:
        spec = spec_operation_ids(bundle.spec)
        missing = [op for op in spec if op not in listed]
        extra = [op for op in listed if op not in spec]
        res.tools.update({"spec": len(spec), "missing": missing, "extra": extra})
        if missing:
            res.problems.append(f"tools: missing from the server: {', '.join(missing)}")
        if extra:
            res.problems.append(f"tools: not in the spec: {', '.join(extra)}")
        for d in res.tools.get("duplicates") or []:
            res.problems.append(f"tools: {d['method']} {d['path']} is declared twice: '{d['listed']}' is listed "
                                f"but requests reach '{d['served']}'")
    for s in res.smoke:
        if s["outcome"] in ("server_error", "hang", "crash"):
            detail = s.get("exception") or ""
            lines = s.get("server_lines") or []
            where = f" at server.py:{lines[-1]['line']}" if lines else ""
            res.problems.append(f"smoke: {s['tool']}: {s['outcome'].replace('_', ' ')}"
                                + (f" (HTTP {s['status']})" if s.get("status") else "")
                                + (f": {detail.splitlines()[0]}" if detail else "") + where)
    res.ok = not res.problems
    res.seconds = round(time.perf_counter() - t0, 3)
    return res


def check_library(
    bundle_dirs: list[Path],
    *,
    jobs: int = 2,
    call_timeout: float = 10.0,
    load_timeout: float = 60.0,
    progress: Callable[[int, int, str], None] | None = None,
) -> list[EnvCheck]:
    """Check every bundle; results come back in the order given."""
    results: list[EnvCheck | None] = [None] * len(bundle_dirs)
    todo: queue.Queue[int] = queue.Queue()
    for i in range(len(bundle_dirs)):
        todo.put(i)
    done_count = [0]
    lock = threading.Lock()
    workdir = Path(tempfile.mkdtemp(prefix="wb-check-"))

    def run(n: int) -> None:
        box = [_Worker(workdir, n)]
        try:
            while True:
                try:
                    i = todo.get_nowait()
                except queue.Empty:
                    return
                try:
                    results[i] = _check_one(bundle_dirs[i], box, workdir, n, call_timeout, load_timeout)
                except Exception as exc:  # a bug in one check must not lose the others
                    results[i] = EnvCheck(slug=bundle_dirs[i].name, problems=[f"check: {type(exc).__name__}: {exc}"])
                with lock:
                    done_count[0] += 1
                    if progress:
                        progress(done_count[0], len(bundle_dirs), bundle_dirs[i].name)
        finally:
            box[0].close()

    threads = [threading.Thread(target=run, args=(n,), daemon=True) for n in range(max(1, min(jobs, len(bundle_dirs))))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    shutil.rmtree(workdir, ignore_errors=True)
    return [r for r in results if r is not None]


CHECK_STATE_FILE = ".workbench-check.json"


def save_check_state(path: Path, results: list[EnvCheck]) -> None:
    """Remember the latest check of each environment in ``<library>/.workbench-check.json`` (for the UI)."""
    from workbench.bundle.load import is_bundle
    from workbench.fsutil import atomic_write_json

    library = path.parent if is_bundle(path) else path
    state = load_check_state(library)
    for r in results:
        state[r.slug] = {"ok": r.ok, "problems": r.problems, "warnings": r.warnings,
                         "smoke": r.smoke_counts, "tools": {k: v for k, v in r.tools.items() if k != "duplicates"},
                         "time": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())}
    try:
        atomic_write_json(library / CHECK_STATE_FILE, state)
    except OSError:
        pass


def load_check_state(library: Path) -> dict[str, Any]:
    try:
        data = json.loads((Path(library) / CHECK_STATE_FILE).read_text(encoding="utf-8"))
        return data if isinstance(data, dict) else {}
    except (OSError, ValueError):
        return {}
