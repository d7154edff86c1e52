"""The session API the CLI and the UI use: one environment, one private database, one MCP worker.

    with EnvSession.open("sample_envs/it_service_desk") as s:
        out = s.call("get_ticket", {"ticket_id": 3})
        print(out.text, render_diff(out.diff))

Everything is blocking from the caller's side; the MCP client runs in a private event loop
thread (an anyio blocking portal). Every call is bracketed by database snapshots, so its row diff
is always available. A call past its time limit, or a worker that dies mid-call, kills and
restarts the worker and restores the state from before the call. Reset and restore never restart
a healthy worker: they rewrite the live file through SQLite's backup API.
"""

from __future__ import annotations

import json
import os
import signal
import sys
import tempfile
import threading
import time
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from workbench.bundle.load import load_bundle
from workbench.bundle.model import Bundle
from workbench.db.build import build_bundle
from workbench.db.diff import DbDiff, diff_snapshots
from workbench.db.instance import Instance, Snapshot
from workbench.errors import WorkbenchError
from workbench.runtime.worker import CLOCK_META, EXIT_LOAD_ERROR, INFO_METHOD, LOAD_ERROR_PREFIX

DEFAULT_TIMEOUT = 10.0
START_TIMEOUT = 60.0


class EnvStartError(WorkbenchError):
    """The worker could not start: server.py failed to import, or the process died at start-up."""

    title = "Environment failed to start"

    def __init__(self, message: str, details: dict[str, Any] | None = None, log: str = "") -> None:
        super().__init__(message)
        self.details = details or {}
        self.log = log


@dataclass(frozen=True)
class ToolInfo:
    name: str
    description: str
    input_schema: dict[str, Any]


@dataclass(frozen=True)
class State:
    """A database snapshot plus the logical clock position (calls made) it belongs to."""

    snapshot: Snapshot
    step: int


@dataclass
class CallOutcome:
    """One tool call: what the agent saw, what only the workbench sees, and the rows it changed."""

    tool: str
    arguments: dict[str, Any]
    text: str
    is_error: bool
    error_kind: str | None  # None | "http" | "validation" | "unknown-tool" | "timeout" | "crash" | "protocol"
    status: int | None
    duration_ms: float
    server_ms: float | None
    traceback: str | None
    server_lines: list[dict[str, Any]]
    before: State
    after: State
    diff: DbDiff
    exception: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "tool": self.tool, "arguments": self.arguments, "text": self.text, "is_error": self.is_error,
            "error_kind": self.error_kind, "status": self.status, "duration_ms": round(self.duration_ms, 3),
            "server_ms": self.server_ms, "exception": self.exception, "traceback": self.traceback, "server_lines": self.server_lines,
            "diff": self.diff.to_json(),
        }


@dataclass
class ProtocolEntry:
    """One request/response pair as it crossed the MCP connection (for the UI's protocol log)."""

    at: float
    method: str
    request: dict[str, Any]
    response: dict[str, Any] | None
    error: str | None = None


@dataclass
class _Worker:
    portal_cm: AbstractContextManager
    portal: Any
    client_cm: AbstractContextManager
    client: Any
    pid: int
    log_path: Path
    log_fh: Any


@dataclass
class EnvSession:
    """A live environment. Create with ``EnvSession.open(bundle_dir)``; always ``close()``."""

    bundle: Bundle
    instance: Instance
    timeout: float = DEFAULT_TIMEOUT
    tools: list[ToolInfo] = field(default_factory=list)
    protocol_log: list[ProtocolEntry] = field(default_factory=list)
    startup_diff: DbDiff | None = None
    restarts: int = 0
    _worker: _Worker | None = None
    start_timeout: float = START_TIMEOUT
    _step: int = 0
    _workdir: Path | None = None
    # Calls, snapshots and restores come from several UI threads; one at a time.
    _lock: threading.RLock = field(default_factory=threading.RLock)

    # ------------------------------------------------------------------ lifecycle

    @classmethod
    def open(cls, bundle: Bundle | Path | str, *, db_file: Path | None = None, timeout: float = DEFAULT_TIMEOUT,
             initial: bytes | None = None, start_timeout: float = START_TIMEOUT) -> EnvSession:
        """Fork a private instance of the bundle's initial database and start its worker."""
        if not isinstance(bundle, Bundle):
            bundle, _ = load_bundle(Path(bundle), with_runs=False)
        if bundle.server_code is None:
            raise EnvStartError(f"{bundle.path}: no server.py: this environment has no tools to serve")
        workdir = Path(tempfile.mkdtemp(prefix="wb-session-"))
        if initial is None:
            initial = Path(db_file).read_bytes() if db_file else build_bundle(bundle).data
        instance = Instance.fork(initial, workdir)
        session = cls(bundle=bundle, instance=instance, timeout=timeout, start_timeout=start_timeout,
                      _workdir=workdir)
        try:
            session._start_worker()
            session.startup_diff = diff_snapshots(instance.initial, instance.snapshot())
        except BaseException:
            session.close()
            raise
        return session

    def __enter__(self) -> EnvSession:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._stop_worker()
        self.instance.close()
        if self._workdir is not None:
            import shutil

            shutil.rmtree(self._workdir, ignore_errors=True)
            self._workdir = None

    # ------------------------------------------------------------------ worker management

    def _start_worker(self) -> None:
        import anyio.from_thread
        from mcp import Client, StdioServerParameters
        from mcp.client.stdio import stdio_client

        assert self._workdir is not None
        server_path = (self.bundle.path / "server.py").resolve()
        log_path = self._workdir / f"worker-{self.restarts}.log"
        log_fh = open(log_path, "w+", encoding="utf-8", errors="replace")
        args = ["-m", "workbench.runtime.worker", "--server", str(server_path), "--db", str(self.instance.path)]
        if self.bundle.reference_time:
            args += ["--reference-time", self.bundle.reference_time]
        env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_PATH",)}
        env["PYTHONUNBUFFERED"] = "1"
        env.setdefault("PYTHONWARNINGS", "ignore::DeprecationWarning")
        params = StdioServerParameters(command=sys.executable, args=args, env=env, cwd=str(self._workdir))
        portal_cm = anyio.from_thread.start_blocking_portal()
        portal = portal_cm.__enter__()
        client_cm = None
        try:
            client_cm = portal.wrap_async_context_manager(
                Client(stdio_client(params, errlog=log_fh), read_timeout_seconds=None, mode="legacy"))
            # The handshake blocks this thread; a server.py that hangs at import would block it
            # forever, so a watchdog kills the worker when it has not answered in time.
            watchdog = threading.Timer(self.start_timeout, _kill_workers_of, (self.instance.path,))
            watchdog.daemon = True
            watchdog.start()
            try:
                client = client_cm.__enter__()
            except BaseException as exc:
                client_cm = None
                if not watchdog.is_alive():
                    exc = TimeoutError(f"no MCP handshake within {self.start_timeout:g} s (does server.py hang "
                                       "at import?)")
                raise self._start_failure(log_path, exc) from None
            finally:
                watchdog.cancel()
            info = portal.call(_custom_request, client, INFO_METHOD)
            listed = portal.call(client.list_tools)
        except BaseException:
            if client_cm is not None:
                try:
                    client_cm.__exit__(None, None, None)
                except BaseException:
                    pass
            portal_cm.__exit__(None, None, None)
            log_fh.close()
            raise
        self._worker = _Worker(portal_cm, portal, client_cm, client, int(info["pid"]), log_path, log_fh)
        self.tools = [ToolInfo(t.name, t.description or "", dict(t.input_schema)) for t in listed.tools]

    def _start_failure(self, log_path: Path, exc: BaseException) -> EnvStartError:
        time.sleep(0.05)
        log = log_path.read_text(encoding="utf-8", errors="replace") if log_path.exists() else ""
        for line in log.splitlines():
            if line.startswith(LOAD_ERROR_PREFIX):
                details = json.loads(line[len(LOAD_ERROR_PREFIX):])
                where = "".join(f"\n  server.py:{f['line']} in {f['function']}: {f['code']}" for f in details["server_lines"])
                return EnvStartError(f"server.py failed to import: {details['message']}{where}", details, log)
        tail = "\n".join(log.splitlines()[-15:])
        return EnvStartError(f"the worker did not start ({type(exc).__name__}: {exc})\n{tail}", {}, log)

    def _stop_worker(self, kill: bool = False) -> None:
        w, self._worker = self._worker, None
        if w is None:
            return
        if kill:
            _kill(w.pid)
        try:
            w.client_cm.__exit__(None, None, None)  # the SDK's shutdown is bounded; it stops the process
        except BaseException:
            _kill(w.pid)
        try:
            w.portal_cm.__exit__(None, None, None)
        except BaseException:
            pass
        w.log_fh.close()

    def _restart_worker(self) -> None:
        self._stop_worker(kill=True)
        self.restarts += 1
        self._start_worker()

    @property
    def worker_pid(self) -> int | None:
        return self._worker.pid if self._worker else None

    def worker_log(self) -> str:
        """Everything the worker wrote to stderr (including what server.py printed)."""
        if self._worker is None or not self._worker.log_path.exists():
            return ""
        return self._worker.log_path.read_text(encoding="utf-8", errors="replace")

    # ------------------------------------------------------------------ state

    def snapshot(self, label: str = "") -> State:
        with self._lock:
            return State(self.instance.snapshot(label), self._step)

    def restore(self, state: State) -> None:
        """Put the database (and the logical clock) back to ``state`` without restarting the worker."""
        with self._lock:
            self._restore(state)

    def _restore(self, state: State) -> None:
        try:
            self.instance.restore(state.snapshot)
        except Exception:
            # A route that crashed mid-transaction can leave the worker holding a write lock.
            self._restart_worker()
            self.instance.restore(state.snapshot)
        self._step = state.step

    def reset(self) -> None:
        self.restore(State(self.instance.initial, 0))

    @property
    def step(self) -> int:
        return self._step

    def diff(self, before: State | Snapshot, after: State | Snapshot) -> DbDiff:
        a = before.snapshot if isinstance(before, State) else before
        b = after.snapshot if isinstance(after, State) else after
        return diff_snapshots(a, b)

    # ------------------------------------------------------------------ calls

    def call(self, tool: str, arguments: dict[str, Any] | None = None, *, timeout: float | None = None) -> CallOutcome:
        """Call one tool; never raises for tool, server or worker failures: they are in the outcome."""
        with self._lock:
            return self._call(tool, arguments, timeout)

    def _call(self, tool: str, arguments: dict[str, Any] | None, timeout: float | None) -> CallOutcome:
        import mcp.types as types
        from mcp.shared.exceptions import MCPError

        arguments = dict(arguments or {})
        limit = self.timeout if timeout is None else timeout
        before = self.snapshot()
        if self._worker is None:
            self._start_worker()
        w = self._worker
        assert w is not None
        request = {"name": tool, "arguments": arguments, "_meta": {CLOCK_META: self._step}}
        t0 = time.perf_counter()
        error_kind: str | None = None
        text, is_error, status, server_ms, tb, lines = "", True, None, None, None, []
        exception: str | None = None
        entry = ProtocolEntry(time.time(), "tools/call", request, None)
        try:
            result = _with_timeout(w.portal, limit, w.client.call_tool, tool, arguments,
                                   meta={CLOCK_META: self._step})
            entry.response = result.model_dump(by_alias=True, exclude_none=True, mode="json")
            text = "\n".join(c.text for c in result.content if isinstance(c, types.TextContent))
            is_error = bool(result.is_error)
            meta = (result.meta or {}).get("workbench") or {}
            status = meta.get("status")
            server_ms = meta.get("duration_ms")
            tb = meta.get("traceback")
            lines = meta.get("server_lines") or []
            exception = meta.get("exception")
            if is_error:
                error_kind = ("validation" if meta.get("validation_error") else
                              "unknown-tool" if text.startswith("Unknown tool:") else "http")
            self._step += 1
        except TimeoutError:
            duration = (time.perf_counter() - t0) * 1000
            entry.error = f"timeout after {limit:g} s"
            self._recover(before)
            text = (f"Error calling {tool}: no answer within {limit:g} s; the worker was killed and restarted, "
                    "and the database was restored to its state before the call")
            error_kind = "timeout"
            return self._outcome(tool, arguments, text, True, error_kind, None, duration, None, None, [], before, entry)
        except (MCPError, Exception) as exc:
            duration = (time.perf_counter() - t0) * 1000
            alive = _alive(w.pid)
            entry.error = f"{type(exc).__name__}: {exc}"
            log_tail = "\n".join(self.worker_log().splitlines()[-10:])
            self._recover(before)
            if alive:
                text = f"Error calling {tool}: protocol error: {type(exc).__name__}: {exc}"
                error_kind = "protocol"
            else:
                text = (f"Error calling {tool}: the worker process exited during the call; it was restarted and the "
                        f"database was restored to its state before the call.\n{log_tail}").rstrip()
                error_kind = "crash"
            return self._outcome(tool, arguments, text, True, error_kind, None, duration, None, None, [], before, entry)
        duration = (time.perf_counter() - t0) * 1000
        out = self._outcome(tool, arguments, text, is_error, error_kind, status, duration, server_ms, tb, lines,
                            before, entry)
        out.exception = exception
        return out

    def _recover(self, before: State) -> None:
        self._restart_worker()
        self.instance.restore(before.snapshot)
        self._step = before.step

    def _outcome(self, tool, arguments, text, is_error, error_kind, status, duration, server_ms, tb, lines,
                 before: State, entry: ProtocolEntry) -> CallOutcome:
        self.protocol_log.append(entry)
        after = self.snapshot()
        return CallOutcome(tool, arguments, text, is_error, error_kind, status, duration, server_ms, tb, lines,
                           before, after, diff_snapshots(before.snapshot, after.snapshot))

    def tool(self, name: str) -> ToolInfo | None:
        return next((t for t in self.tools if t.name == name), None)


# ---------------------------------------------------------------------- helpers


def _with_timeout(portal: Any, seconds: float, fn: Any, *args: Any, **kwargs: Any) -> Any:
    import anyio

    async def run() -> Any:
        with anyio.fail_after(seconds):
            result = fn(*args, **kwargs)
            if hasattr(result, "__await__"):
                result = await result
            return result

    return portal.call(run)


def _kill_workers_of(db_path: Path) -> None:
    """SIGKILL this process's worker children serving ``db_path`` (found through /proc)."""
    me, needle = str(os.getpid()), str(db_path).encode()
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            status = (entry / "status").read_text()
            cmdline = (entry / "cmdline").read_bytes()
        except OSError:
            continue
        ppid = next((line.split()[1] for line in status.splitlines() if line.startswith("PPid:")), "")
        if ppid == me and b"workbench.runtime.worker" in cmdline and needle in cmdline:
            _kill(int(entry.name))


async def _custom_request(client: Any, method: str) -> dict[str, Any]:
    import mcp.types as types
    from pydantic import TypeAdapter

    return await client.session.send_request(types.Request[dict[str, Any] | None, str](method=method, params={}),
                                             TypeAdapter(dict[str, Any]))


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except OSError:
        return False
    try:  # a zombie is dead for our purposes
        with open(f"/proc/{pid}/stat") as fh:
            return fh.read().split(")")[-1].split()[0] != "Z"
    except OSError:
        return True


def _kill(pid: int) -> None:
    for target in (lambda: os.killpg(pid, signal.SIGKILL), lambda: os.kill(pid, signal.SIGKILL)):
        try:
            target()
        except OSError:
            pass
