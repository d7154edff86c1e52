"""Run untrusted AWM verifiers in a subprocess sandbox, with AWM's exact calling conventions.

AWM runs verifier code with an in-process ``exec``, no timeout and ``chmod 0444`` as its only
protection (weak point §9.16). Here every verifier runs in its own process
(``sandbox_worker.py``), in a private temp dir that is its current directory, on copies of the two
databases, under a wall-clock limit (the parent kills the process group) and an address-space
limit (``RLIMIT_AS``: a huge allocation is a ``MemoryError``). Its stdout and stderr are drained
by the parent and truncated; the result comes back on a separate pipe, so a verifier that prints
megabytes cannot block the protocol.

What is reproduced from AWM (§3.3): the function-name rule (``detect_function_name``), the
namespace (``sqlite3``, ``json``, ``os``, ``__builtins__``, plus ``re`` in code mode), arguments by
signature (only ``initial_db_path``/``final_db_path``/``final_answer``; positional when none match
and there are >= 2 parameters), ``final_answer`` "" when None, ``sanitize_for_json`` for return
values, code mode's exact-string coercion and every ``verify_result`` shape.

``SandboxPool`` keeps warm processes: a fork server (``--zygote``) that has already started
Python and imported sqlite3/json/re/os forks a fresh child per verifier, and the pool keeps
``size`` such children idle, replacing each used one in the background. A process runs one
verifier and is then killed, so nothing is shared between runs.
"""

from __future__ import annotations

import json
import os
import re
import select
import selectors
import shutil
import signal
import socket
import struct
import subprocess
import sys
import tempfile
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from workbench.bundle.verifier_code import detect_function_name

__all__ = ["VerifierOutcome", "run_verifier", "SandboxPool", "OUTPUT_LIMIT"]

WORKER = Path(__file__).resolve().with_name("sandbox_worker.py")
SOURCE_NAME = "verifier.py"
OUTPUT_LIMIT = 64 * 1024
MIN_CODE_CHARS = 10
_HAVE_PIDFD = hasattr(os, "pidfd_open") and hasattr(socket, "send_fds") and sys.platform.startswith("linux")
_ENV_KEEP = ("PATH", "LANG", "LC_ALL", "LC_CTYPE", "TZ", "SYSTEMROOT")


@dataclass
class VerifierOutcome:
    """One verifier run. ``verify_result`` and ``reward_type`` are exactly what AWM would record."""

    status: str  # "ok" | "error" | "timeout"
    mode: str  # "code" | "sql"
    function: str
    value: Any
    verify_result: Any
    reward_type: str | None
    traceback: str | None
    error_lines: list[dict] = field(default_factory=list)
    stdout: str = ""
    stderr: str = ""
    duration_ms: float = 0.0
    exception: str | None = None  # "ZeroDivisionError: division by zero", when one was raised

    def to_json(self) -> dict:
        return {
            "status": self.status,
            "mode": self.mode,
            "function": self.function,
            "value": self.value,
            "verify_result": self.verify_result,
            "reward_type": self.reward_type,
            "exception": self.exception,
            "traceback": self.traceback,
            "error_lines": self.error_lines,
            "stdout": self.stdout,
            "stderr": self.stderr,
            "duration_ms": round(self.duration_ms, 3),
        }


def error_shape(mode: str, message: str) -> dict:
    """AWM's ``verify_result`` when the verifier could not be executed."""
    if mode == "code":
        return {"result": "others", "execution_status": "error", "error_message": message}
    return {"execution_status": "error", "error_message": message}


# ---------------------------------------------------------------- processes

def _env() -> dict[str, str]:
    """Generated code gets no API keys or tokens from our environment."""
    return {k: v for k, v in os.environ.items() if k in _ENV_KEEP or k.startswith("LC_")}


def _command(*args: str) -> list[str]:
    return [sys.executable, "-I", "-X", "utf8", str(WORKER), *args]


def _ready(fds: list[int], timeout: float) -> list[int]:
    """The fds readable (or at EOF) within ``timeout`` seconds (poll: no FD_SETSIZE limit)."""
    poller = select.poll()
    for fd in fds:
        poller.register(fd, select.POLLIN)
    return [fd for fd, _ev in poller.poll(max(0, int(timeout * 1000)))]


def _close(*fds: int | None) -> None:
    for fd in fds:
        if fd is not None:
            try:
                os.close(fd)
            except OSError:
                pass


class _Proc:
    """A started worker waiting for its job: our ends of its five pipes."""

    def __init__(self, pid: int, fds: list[int], popen: subprocess.Popen | None = None,
                 zygote: _Zygote | None = None) -> None:
        self.pid = pid
        self.stdin_w, self.out_r, self.err_r, self.res_r, self.stack_r = fds
        self.popen = popen
        self.zygote = zygote
        self.pidfd: int | None = None
        if _HAVE_PIDFD:
            try:
                self.pidfd = os.pidfd_open(pid)
            except OSError:
                self.pidfd = None
        self.released = False

    def alive(self) -> bool:
        if self.pidfd is not None:
            return not _ready([self.pidfd], 0)
        if self.popen is not None:
            try:
                return os.waitid(os.P_PID, self.pid, os.WEXITED | os.WNOHANG | os.WNOWAIT) is None
            except ChildProcessError:
                return False
        return False

    def signal(self, sig: int) -> None:
        try:
            if self.pidfd is not None:
                signal.pidfd_send_signal(self.pidfd, sig)
            else:
                os.kill(self.pid, sig)
        except (ProcessLookupError, OSError):
            pass

    def kill_group(self) -> None:
        # Safe: until release() the worker is at worst a zombie, so its pid (= its process group
        # id) cannot have been reused. This also kills whatever the verifier started.
        try:
            os.killpg(self.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError, OSError):
            pass

    def release(self) -> int | None:
        """Reap the (killed) worker; its wait status when known. Closes our pipe ends."""
        if self.released:
            return None
        self.released = True
        status: int | None = None
        try:
            if self.popen is not None:
                self.popen.wait(timeout=5)
                rc = self.popen.returncode
                status = (-rc) if rc is not None and rc < 0 else ((rc << 8) if rc is not None else None)
            elif self.zygote is not None:
                status = self.zygote.reap(self.pid)
        except Exception:
            status = None
        _close(self.stdin_w, self.out_r, self.err_r, self.res_r, self.stack_r, self.pidfd)
        self.stdin_w = self.out_r = self.err_r = self.res_r = self.stack_r = self.pidfd = None  # type: ignore[assignment]
        return status

    def discard(self) -> None:
        self.kill_group()
        self.release()


def _pipes() -> tuple[list[int], list[int]]:
    """(our ends, the worker's ends) for stdin, stdout, stderr, result, stack."""
    ours, theirs = [], []
    for i in range(5):
        r, w = os.pipe()
        if i == 0:
            ours.append(w), theirs.append(r)
        else:
            ours.append(r), theirs.append(w)
    return ours, theirs


def _spawn_direct() -> _Proc:
    ours, theirs = _pipes()
    try:
        popen = subprocess.Popen(
            _command("--worker", str(theirs[3]), str(theirs[4])),
            stdin=theirs[0], stdout=theirs[1], stderr=theirs[2], pass_fds=(theirs[3], theirs[4]),
            start_new_session=True, env=_env(), cwd="/", close_fds=True,
        )
    except BaseException:
        _close(*ours)
        raise
    finally:
        _close(*theirs)
    return _Proc(popen.pid, ours, popen=popen)


class _Zygote:
    """The fork server: one Python with everything imported; forks a worker per request."""

    def __init__(self) -> None:
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        try:
            self.popen = subprocess.Popen(
                _command("--zygote", str(theirs.fileno())),
                stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                pass_fds=(theirs.fileno(),), start_new_session=True, env=_env(), cwd="/",
            )
        finally:
            theirs.close()
        ours.settimeout(15)
        self.sock = ours
        self.lock = threading.Lock()
        self.broken = False

    def alive(self) -> bool:
        return not self.broken and self.popen.poll() is None

    def _ask(self, msg: bytes, fds: list[int] | None = None) -> bytes:
        with self.lock:
            try:
                if fds:
                    socket.send_fds(self.sock, [msg], fds)
                else:
                    self.sock.send(msg)
                reply = self.sock.recv(64)
            except OSError:
                self.broken = True
                raise
        if not reply:
            self.broken = True
            raise OSError("the sandbox fork server went away")
        return reply

    def fork(self) -> _Proc:
        ours, theirs = _pipes()
        try:
            reply = self._ask(b"F", theirs)
        except BaseException:
            _close(*ours)
            raise
        finally:
            _close(*theirs)
        if not reply.startswith(b"P"):
            _close(*ours)
            raise OSError(f"the sandbox fork server refused: {reply!r}")
        return _Proc(int(reply[1:]), ours, zygote=self)

    def reap(self, pid: int) -> int | None:
        if self.broken:
            return None
        reply = self._ask(b"R%d" % pid)
        value = int(reply[1:]) if reply.startswith(b"S") else -1
        return None if value < 0 else value

    def close(self) -> None:
        self.broken = True
        try:
            self.sock.close()
        except OSError:
            pass
        try:
            self.popen.wait(timeout=2)
        except subprocess.TimeoutExpired:
            self.popen.kill()
            self.popen.wait()


# ---------------------------------------------------------------- one run

class _Cap:
    """Keeps the first ``limit`` bytes of a stream and counts the rest."""

    def __init__(self, limit: int = OUTPUT_LIMIT) -> None:
        self.limit = limit
        self.buf = bytearray()
        self.total = 0

    def feed(self, data: bytes) -> None:
        self.total += len(data)
        room = self.limit - len(self.buf)
        if room > 0:
            self.buf += data[:room]

    def text(self) -> str:
        s = bytes(self.buf).decode("utf-8", errors="replace")
        extra = self.total - len(self.buf)
        if extra > 0:
            s += f"\n... [truncated {extra} bytes]"
        return s


@dataclass
class _Raw:
    result: bytes | None
    stdout: _Cap
    stderr: _Cap
    timed_out: bool
    stack: bytes
    wait_status: int | None


def _read(fd: int) -> bytes | None:
    """Up to 64 KiB; b"" at EOF; None when nothing is there right now."""
    try:
        return os.read(fd, 1 << 16)
    except BlockingIOError:
        return None
    except OSError:
        return b""


def _frame_complete(buf: bytearray) -> bool:
    return len(buf) >= 8 and len(buf) >= 8 + struct.unpack(">Q", buf[:8])[0]


def _drive(proc: _Proc, job: bytes, timeout: float, defer_release: Any = None) -> _Raw:
    out, err, res = _Cap(), _Cap(), bytearray()
    caps = {proc.out_r: out, proc.err_r: err}
    sel = selectors.DefaultSelector()
    for fd in (proc.stdin_w, proc.out_r, proc.err_r, proc.res_r):
        os.set_blocking(fd, False)
    pending = memoryview(job)
    stdin_open = True
    sel.register(proc.stdin_w, selectors.EVENT_WRITE, "in")
    for fd in (proc.out_r, proc.err_r, proc.res_r):
        sel.register(fd, selectors.EVENT_READ, "read")
    if proc.pidfd is not None:
        sel.register(proc.pidfd, selectors.EVENT_READ, "exit")
    deadline = time.monotonic() + max(0.0, timeout)
    dead = timed_out = complete = False

    def close_stdin() -> None:
        nonlocal stdin_open
        if stdin_open:
            sel.unregister(proc.stdin_w)
            _close(proc.stdin_w)
            proc.stdin_w = None  # type: ignore[assignment]
            stdin_open = False

    def pump(fd: int) -> bool:
        """Read what is there; False at EOF."""
        data = _read(fd)
        if data is None:
            return True
        if not data:
            return False
        if fd == proc.res_r:
            res.extend(data)
        else:
            caps[fd].feed(data)
        return True

    try:
        while not _frame_complete(res):
            if dead:  # take what the worker wrote before it ended
                while not _frame_complete(res) and not _read_would_block(proc.res_r) and pump(proc.res_r):
                    pass
                break
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                timed_out = True
                break
            wait = remaining if proc.pidfd is not None else min(remaining, 0.05)
            for key, _ in sel.select(wait):
                if key.data == "in":
                    try:
                        n = os.write(proc.stdin_w, pending[:1 << 16])
                        pending = pending[n:]
                    except BlockingIOError:
                        continue
                    except OSError:  # the worker is gone; the exit event says so
                        pending = pending[:0]
                    if not pending:
                        close_stdin()
                elif key.data == "read":
                    if not pump(key.fd):
                        sel.unregister(key.fd)
                elif key.data == "exit":
                    sel.unregister(key.fd)
                    dead = True
            if proc.pidfd is None and not dead and not proc.alive():
                dead = True
        complete = _frame_complete(res)
        stack = b""
        if timed_out and proc.alive():
            stack = _stack_dump(proc)
        proc.kill_group()
        open_fds = [fd for fd in (proc.out_r, proc.err_r) if fd in sel.get_map()]
        if complete:
            # The worker flushed stdout/stderr before writing its result, so all of it is in the
            # pipes already: take what is there without waiting for the process to be gone.
            for fd in open_fds:
                for _ in range(4096):
                    if _read_would_block(fd) or not pump(fd):
                        break
        else:
            # Everything in the group is dead: read what is left of stdout/stderr up to EOF.
            end = time.monotonic() + 0.5
            while open_fds and time.monotonic() < end:
                ready = _ready(open_fds, end - time.monotonic())
                for fd in ready:
                    if not pump(fd):
                        open_fds.remove(fd)
    except BaseException:  # our own failure: leave no process behind
        if stdin_open:
            close_stdin()
        proc.kill_group()
        proc.release()
        raise
    finally:
        if stdin_open:
            close_stdin()
        sel.close()
    status = None
    if complete and defer_release is not None:
        defer_release(proc)  # reaping a killed process is off the critical path
    else:
        status = proc.release()
    return _Raw(bytes(res) if complete else None, out, err, timed_out, stack, status)


def _read_would_block(fd: int) -> bool:
    return not _ready([fd], 0)


def _stack_dump(proc: _Proc) -> bytes:
    """Ask the stuck worker where it is (faulthandler on SIGUSR1) before it is killed."""
    proc.signal(signal.SIGUSR1)
    data = bytearray()
    end = time.monotonic() + 0.3
    while time.monotonic() < end:
        wait = 0.03 if data else end - time.monotonic()
        ready = _ready([proc.stack_r], wait)
        if not ready:
            if data:
                break
            continue
        chunk = _read(proc.stack_r)
        if not chunk:
            break
        data += chunk
    return bytes(data)


_FH_FRAME = re.compile(r'^\s*File "(?P<file>[^"]*)", line (?P<line>\d+) in (?P<func>.+)$')


def _timeout_trace(stack: bytes, code: str, timeout: float) -> tuple[str, list[dict]]:
    src = code.splitlines()
    kept, frames = [], []
    for line in stack.decode("utf-8", errors="replace").splitlines():
        m = _FH_FRAME.match(line)
        if m is None:
            if line.strip():
                kept.append(line)
            continue
        if m["file"] == str(WORKER) or m["file"].endswith("sandbox_worker.py"):
            continue
        kept.append(line)
        if m["file"] == SOURCE_NAME:
            n = int(m["line"])
            frames.append({"line": n, "function": m["func"].strip(),
                           "code": src[n - 1].strip() if 0 < n <= len(src) else ""})
    frames.reverse()  # faulthandler lists the most recent call first
    head = f"Timeout: the verifier was still running after {timeout:g} s and was killed."
    if kept:
        return head + " Where it was:\n" + "\n".join(kept) + "\n", frames
    return head + "\n", frames


def _describe_exit(status: int | None) -> str:
    if status is None:
        return "exit status unknown"
    try:
        code = os.waitstatus_to_exitcode(status)
    except ValueError:
        return f"wait status {status}"
    if code < 0:
        try:
            name = signal.Signals(-code).name
        except ValueError:
            name = f"signal {-code}"
        return f"killed by {name}"
    return f"exit code {code}"


def _stage(src: Path | str | bytes | bytearray | memoryview, dst: Path, label: str) -> str | None:
    """Put a private copy of one database at ``dst``; AWM's error message when it is missing."""
    try:
        if isinstance(src, (bytes, bytearray, memoryview)):
            dst.write_bytes(bytes(src))
        else:
            path = Path(src)
            if not path.is_file():
                return f"{label} DB not found: {src}"
            shutil.copyfile(path, dst)  # opens the original for reading only
            wal = Path(f"{path}-wal")
            if wal.is_file():
                shutil.copyfile(wal, Path(f"{dst}-wal"))
        os.chmod(dst, 0o444)  # as AWM does during the call (root ignores it: these are copies anyway)
    except OSError as exc:
        return f"{label} DB could not be read: {exc}"
    return None


def _rmtree(path: str) -> None:
    """Remove the run's temp dir even if the verifier chmod-ed things inside it (never following
    a symlink the verifier may have planted)."""
    try:
        os.chmod(path, 0o700)
        for root, dirs, _files in os.walk(path):
            for d in dirs:
                p = os.path.join(root, d)
                if not os.path.islink(p):
                    try:
                        os.chmod(p, 0o700)
                    except OSError:
                        pass
    except OSError:
        pass
    shutil.rmtree(path, ignore_errors=True)


def run_verifier(
    code: str | None,
    mode: str,
    initial_db: Path | str | bytes,
    final_db: Path | str | bytes,
    final_answer: str | None = None,
    *,
    function: str | None = None,
    timeout: float = 30.0,
    memory_mb: int = 1024,
    pool: SandboxPool | None = None,
) -> VerifierOutcome:
    """Run one verifier the way ``awm verify`` does, in a sandbox process. Never raises for
    anything the verifier does; raises ValueError only for a ``mode`` other than code/sql."""
    if mode not in ("code", "sql"):
        raise ValueError(f"mode must be 'code' or 'sql', not {mode!r}")
    t0 = time.perf_counter()
    name = function or detect_function_name(code, mode)

    def finish(**kw: Any) -> VerifierOutcome:
        kw.setdefault("value", None)
        kw.setdefault("traceback", None)
        return VerifierOutcome(mode=mode, function=name, duration_ms=(time.perf_counter() - t0) * 1000, **kw)

    def failed(message: str, **kw: Any) -> VerifierOutcome:
        return finish(status=kw.pop("status", "error"), verify_result=error_shape(mode, message),
                      reward_type="judge_error", **kw)

    if not code or len(code.strip()) < MIN_CODE_CHARS:
        return finish(status="error", verify_result={"error": "No valid verifier code found"},
                      reward_type="judge_error")

    workdir = tempfile.mkdtemp(prefix="wb-verify-")
    try:
        initial_path, final_path = Path(workdir, "initial.db"), Path(workdir, "final.db")
        problem = _stage(initial_db, initial_path, "Initial") or _stage(final_db, final_path, "Final")
        if problem:
            return failed(problem)
        size = initial_path.stat().st_size + final_path.stat().st_size
        job = json.dumps({
            "code": code, "mode": mode, "function": name,
            "final_answer": final_answer if final_answer is not None else "",
            "workdir": workdir, "initial": str(initial_path), "final": str(final_path),
            "memory_mb": memory_mb, "fsize_bytes": max(256 * 1024 * 1024, 4 * size),
        }).encode("utf-8", errors="surrogatepass")
        try:
            proc = pool._take() if pool is not None else _spawn_direct()
        except RuntimeError:  # a closed pool: the caller's mistake, not the verifier's
            raise
        except Exception as exc:
            return failed(f"Execution error: the sandbox could not start: {exc}")
        raw = _drive(proc, job, timeout, pool._release_later if pool is not None else None)
        common = {"stdout": raw.stdout.text(), "stderr": raw.stderr.text()}
        if raw.result is not None:
            try:
                report = json.loads(raw.result[8:].decode("utf-8", errors="replace"))
            except ValueError as exc:
                return failed(f"Execution error: unreadable sandbox result ({exc})", **common)
            if report.get("ok"):
                value = report.get("value")
                if mode == "code":
                    verdict = report.get("code_result") or "others"
                    return finish(status="ok", value=value, reward_type=verdict,
                                  verify_result={"result": verdict, "execution_status": "success",
                                                 "raw_result": value}, **common)
                return finish(status="ok", value=value, verify_result=value, reward_type=None, **common)
            return failed(report.get("error_message") or "Execution error", traceback=report.get("traceback"),
                          error_lines=report.get("error_lines") or [], exception=report.get("exception"), **common)
        if raw.timed_out:
            text, frames = _timeout_trace(raw.stack, code, timeout)
            return failed(f"Execution error: timed out after {timeout:g} s", status="timeout",
                          traceback=text, error_lines=frames, exception="Timeout", **common)
        how = _describe_exit(raw.wait_status)
        return failed(f"Execution error: the verifier process ended without a result ({how})",
                      exception=f"ProcessDied: {how}", **common)
    finally:
        _rmtree(workdir)


# ---------------------------------------------------------------- the pool

class SandboxPool:
    """Warm sandbox processes: ``size`` idle workers forked from a fork server that has Python
    started and sqlite3/json/re/os imported. Each worker runs one verifier and is killed; the
    pool replaces it in the background. Thread-safe; also a context manager."""

    def __init__(self, size: int = 2) -> None:
        self.size = max(0, int(size))
        self.started = 0  # workers started so far
        self._cv = threading.Condition()
        self._idle: deque[_Proc] = deque()
        self._to_reap: list[_Proc] = []
        self._closed = False
        self._zlock = threading.Lock()
        self._zygote: _Zygote | None = None
        self._filler = threading.Thread(target=self._fill, name="sandbox-pool", daemon=True)
        self._filler.start()

    # -- processes
    def _fork_server(self) -> _Zygote | None:
        if not _HAVE_PIDFD:
            return None
        with self._zlock:
            if self._closed:
                return None
            if self._zygote is None or not self._zygote.alive():
                if self._zygote is not None:
                    self._zygote.close()
                self._zygote = _Zygote()
            return self._zygote

    def _spawn(self) -> _Proc:
        proc: _Proc | None = None
        for _attempt in range(2):  # a fork server that died is restarted once
            try:
                z = self._fork_server()
            except OSError:
                continue
            if z is None:
                break
            try:
                proc = z.fork()
                break
            except OSError:
                continue
        if proc is None:
            proc = _spawn_direct()
        with self._cv:
            self.started += 1
        return proc

    def _release_later(self, proc: _Proc) -> None:
        with self._cv:
            if not self._closed:
                self._to_reap.append(proc)
                self._cv.notify_all()
                return
        proc.release()

    def _fill(self) -> None:
        """Background thread: reap finished workers, keep ``size`` workers idle."""
        while True:
            with self._cv:
                while not self._closed and not self._to_reap and len(self._idle) >= self.size:
                    self._cv.wait()
                if self._closed:
                    return
                reap, self._to_reap = self._to_reap, []
                short = len(self._idle) < self.size
            for proc in reap:
                proc.release()
            if not short:
                continue
            try:
                proc = self._spawn()
            except Exception:
                time.sleep(0.5)
                continue
            with self._cv:
                if not self._closed:
                    self._idle.append(proc)
                    self._cv.notify_all()
                    continue
            proc.discard()
            return

    def _take(self) -> _Proc:
        dead: list[_Proc] = []
        found: _Proc | None = None
        with self._cv:
            if self._closed:
                raise RuntimeError("the sandbox pool is closed")
            while self._idle:
                proc = self._idle.popleft()
                if proc.alive():
                    found = proc
                    break
                dead.append(proc)
            self._cv.notify_all()
        for proc in dead:
            proc.discard()
        return found if found is not None else self._spawn()

    # -- public
    def run(self, code: str | None, mode: str, initial_db: Path | str | bytes, final_db: Path | str | bytes,
            final_answer: str | None = None, *, function: str | None = None, timeout: float = 30.0,
            memory_mb: int = 1024) -> VerifierOutcome:
        return run_verifier(code, mode, initial_db, final_db, final_answer, function=function,
                            timeout=timeout, memory_mb=memory_mb, pool=self)

    def idle_pids(self) -> list[int]:
        with self._cv:
            return [p.pid for p in self._idle]

    def wait_ready(self, timeout: float = 10.0) -> bool:
        """Block until ``size`` workers are idle (benchmarks and tests use it)."""
        end = time.monotonic() + timeout
        with self._cv:
            while len(self._idle) < self.size and not self._closed:
                left = end - time.monotonic()
                if left <= 0:
                    return False
                self._cv.wait(left)
            return not self._closed

    def close(self) -> None:
        with self._cv:
            if self._closed:
                return
            self._closed = True
            idle = list(self._idle)
            self._idle.clear()
            reap, self._to_reap = self._to_reap, []
            self._cv.notify_all()
        self._filler.join(timeout=5)
        for proc in idle:
            proc.discard()
        for proc in reap:
            proc.release()
        with self._zlock:
            if self._zygote is not None:
                self._zygote.close()
                self._zygote = None

    def __enter__(self) -> SandboxPool:
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()
