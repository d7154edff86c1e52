"""The sandbox process that runs ONE untrusted verifier, AWM's way, and reports back.

Standard library only: it is started as a script (``python -I -X utf8 sandbox_worker.py``),
never imported by the workbench at run time, so nothing of the workbench is loaded into a process
that runs generated code. Two ways to start it:

    sandbox_worker.py --worker RESULT_FD STACK_FD
        one process, one verifier (``run_verifier`` without a pool).
    sandbox_worker.py --zygote SOCK_FD
        a fork server for ``SandboxPool``: it imports what verifiers use once, then on request
        forks a child that becomes a ``--worker`` on the pipes the parent sent over the socket.
        The zygote itself never runs verifier code, so forked workers share no state.

File descriptors of a worker: 0 = the job (JSON, read to EOF), 1/2 = the verifier's stdout and
stderr (drained by the parent), RESULT_FD = one length-prefixed JSON result, STACK_FD = where
faulthandler dumps the Python stack when the parent sends SIGUSR1 before killing a verifier that
timed out. The worker's process group is killed by the parent once the result is in; the worker
only sleeps after writing it (so the parent's kill always hits a live group leader).
"""

from __future__ import annotations

import builtins
import faulthandler
import inspect
import json
import linecache
import mmap
import os
import re
import resource
import signal
import sqlite3
import struct
import sys
import time
import traceback

# Warm the modules verifiers import most (the real ones use datetime, math, csv, io, zoneinfo).
import csv  # noqa: F401
import datetime  # noqa: F401
import io  # noqa: F401
import math  # noqa: F401

SOURCE_NAME = "verifier.py"
NAMES = ("initial_db_path", "final_db_path", "final_answer")
VALUE_LIMIT = 16 * 1024 * 1024  # bytes of JSON for the return value
RESERVE = 16 * 1024 * 1024  # address space given back when the verifier fails, so the report can be built
MAX_FRAMES = 60


# ---------------------------------------------------------------- AWM's sanitize_for_json

def sanitize_for_json(obj, _path=None, _depth=0):
    """AWM's rules: tuple keys -> str, tuples -> lists, bytes -> utf-8 text (errors ignored),
    anything else not JSON-serialisable -> str(). Also (not needed by AWM, which would crash):
    other keys JSON cannot hold -> str, cycles and absurd nesting -> str."""
    if obj is None or isinstance(obj, (str, bool, int, float)):
        return obj
    if isinstance(obj, bytes):
        return obj.decode("utf-8", errors="ignore")
    if _path is None:
        _path = set()
    if isinstance(obj, (dict, list, tuple)):
        if id(obj) in _path or _depth > 200:
            return _text(obj)
        _path.add(id(obj))
        try:
            if isinstance(obj, dict):
                out = {}
                for k, v in obj.items():
                    if not (k is None or isinstance(k, (str, bool, int, float))):
                        k = _text(k)
                    out[k] = sanitize_for_json(v, _path, _depth + 1)
                return out
            return [sanitize_for_json(v, _path, _depth + 1) for v in obj]
        finally:
            _path.discard(id(obj))
    return _text(obj)


def _text(obj) -> str:
    for fn in (str, repr):
        try:
            s = fn(obj)
            if isinstance(s, str):
                return s
        except BaseException:
            pass
    return f"<unprintable {type(obj).__name__}>"


def encode_value(value) -> str:
    """JSON text of the return value: as is when it serialises, else AWM-sanitised."""
    try:
        return json.dumps(value)
    except (TypeError, ValueError, OverflowError, RecursionError):
        return json.dumps(sanitize_for_json(value))


def code_result(value) -> str:
    """AWM's code-mode coercion: exactly "complete" or "others" (case-sensitive), else "others"."""
    if isinstance(value, dict):
        try:
            r = value.get("result")
        except BaseException:
            return "others"
        if type(r) is str and r in ("complete", "others"):
            return r
    return "others"


# ---------------------------------------------------------------- reporting a failure

def _verifier_tb(tb):
    """Drop the worker's own leading frames: the traceback starts in the verifier."""
    while tb is not None and tb.tb_frame.f_code.co_filename != SOURCE_NAME:
        tb = tb.tb_next
    return tb


def error_report(exc: BaseException, stage: str) -> dict:
    tb = _verifier_tb(exc.__traceback__)
    try:
        text = "".join(traceback.format_exception(type(exc), exc, tb))
    except BaseException:
        text = f"{type(exc).__name__}: {_text(exc)}\n"
    lines = []
    try:
        for fs in traceback.extract_tb(tb):
            if fs.filename == SOURCE_NAME:
                lines.append({"line": fs.lineno, "function": fs.name, "code": (fs.line or "").strip()})
    except BaseException:
        pass
    if isinstance(exc, SyntaxError) and exc.filename == SOURCE_NAME and exc.lineno:
        lines.append({"line": exc.lineno, "function": "<module>", "code": (exc.text or "").strip()})
    if len(lines) > MAX_FRAMES:
        lines = lines[:10] + lines[-(MAX_FRAMES - 10):]
    message = _text(exc)
    return {
        "ok": False,
        "kind": stage,
        "exception": f"{type(exc).__name__}: {message}" if message else type(exc).__name__,
        # AWM: f"Execution error: {e}"; with an empty message we name the exception instead.
        "error_message": f"Execution error: {message}" if message else f"Execution error: {type(exc).__name__}",
        "traceback": text,
        "error_lines": lines,
    }


# ---------------------------------------------------------------- running the verifier

def call_by_signature(func, mode: str, initial: str, final: str, answer: str):
    """AWM: pass only parameters named initial_db_path / final_db_path / final_answer; when none
    match and there are at least 2 parameters, pass the arguments positionally."""
    sig = inspect.signature(func)
    params = list(sig.parameters)
    values = {"initial_db_path": initial, "final_db_path": final, "final_answer": answer}
    kwargs = {n: values[n] for n in NAMES if n in params}
    if kwargs:
        return func(**kwargs)
    if len(params) >= 2:
        args = [initial, final]
        kinds = [p.kind for p in sig.parameters.values()]
        positional = sum(k in (inspect.Parameter.POSITIONAL_ONLY, inspect.Parameter.POSITIONAL_OR_KEYWORD) for k in kinds)
        if mode == "code" and (positional >= 3 or inspect.Parameter.VAR_POSITIONAL in kinds):
            args.append(answer)
        return func(*args)
    return func()


def run_job(job: dict) -> dict:
    code, mode, name = job["code"], job["mode"], job["function"]
    linecache.cache[SOURCE_NAME] = (len(code), None, code.splitlines(True), SOURCE_NAME)
    namespace = {"sqlite3": sqlite3, "json": json, "os": os, "__builtins__": builtins}
    if mode == "code":
        namespace["re"] = re
    reserve = mmap.mmap(-1, RESERVE)  # address space only: no page is touched
    t0 = time.perf_counter()
    try:
        exec(compile(code, SOURCE_NAME, "exec"), namespace)
    except BaseException as exc:
        reserve.close()
        return error_report(exc, "exec")
    if name not in namespace:
        return {"ok": False, "kind": "not_found", "error_message": f"Function '{name}' not found",
                "exception": None, "traceback": None, "error_lines": []}
    try:
        value = call_by_signature(namespace[name], mode, job["initial"], job["final"], job["final_answer"])
    except BaseException as exc:
        reserve.close()
        return error_report(exc, "call")
    elapsed = (time.perf_counter() - t0) * 1000
    reserve.close()
    try:
        verdict = code_result(value) if mode == "code" else None
        text = encode_value(value)
    except BaseException as exc:
        return error_report(exc, "result")
    if len(text) > VALUE_LIMIT:
        return {"ok": False, "kind": "result", "exception": None, "traceback": None, "error_lines": [],
                "error_message": f"Execution error: the return value is {len(text)} bytes of JSON "
                                 f"(the sandbox accepts {VALUE_LIMIT})"}
    head = json.dumps({"ok": True, "code_result": verdict, "elapsed_ms": elapsed})
    return {"__raw__": head[:-1] + ', "value": ' + text + "}"}


def _cap(which: int, value: int) -> None:
    """Lower one resource limit (soft and hard: the verifier cannot raise it back)."""
    _soft, hard = resource.getrlimit(which)
    if hard != resource.RLIM_INFINITY:
        value = min(value, hard)
    resource.setrlimit(which, (value, value))


def _limits(job: dict) -> None:
    mb = job.get("memory_mb")
    if mb:
        _cap(resource.RLIMIT_AS, int(mb) * 1024 * 1024)
    fsize = job.get("fsize_bytes")
    if fsize:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a too-big write fails with EFBIG instead
        _cap(resource.RLIMIT_FSIZE, int(fsize))
    try:
        _cap(resource.RLIMIT_CORE, 0)
    except (ValueError, OSError):
        pass


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        n = os.write(fd, view)
        view = view[n:]


def worker(result_fd: int, stack_fd: int) -> None:
    faulthandler.register(signal.SIGUSR1, file=stack_fd, all_threads=True, chain=False)
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.reconfigure(line_buffering=True)
        except Exception:
            pass
    chunks = []
    while True:
        chunk = os.read(0, 1 << 16)
        if not chunk:
            break
        chunks.append(chunk)
    if not chunks:  # the parent went away before giving a job
        os._exit(0)
    job = json.loads(b"".join(chunks))
    devnull = os.open(os.devnull, os.O_RDONLY)
    os.dup2(devnull, 0)
    os.close(devnull)
    work = job["workdir"]
    os.chdir(work)
    os.environ["HOME"] = os.environ["TMPDIR"] = work
    if "tempfile" in sys.modules:
        sys.modules["tempfile"].tempdir = None
    try:
        _limits(job)
        report = run_job(job)
    except BaseException as exc:  # our own failure (bad job, rlimit refused): still report
        report = error_report(exc, "sandbox")
    for stream in (sys.stdout, sys.stderr, sys.__stdout__, sys.__stderr__):
        try:
            stream.flush()
        except BaseException:
            pass
    raw = report["__raw__"] if "__raw__" in report else json.dumps(report)
    data = raw.encode("utf-8", errors="surrogateescape")
    try:
        _write_all(result_fd, struct.pack(">Q", len(data)) + data)
        os.close(result_fd)
    except BaseException:  # the verifier closed or replaced our channel: end now, the parent sees it
        os._exit(70)
    # The parent kills our process group as soon as it has the result; this is only a fallback.
    time.sleep(30)
    os._exit(0)


# ---------------------------------------------------------------- the fork server

def _die_with_parent() -> None:
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL, 0, 0, 0)  # PR_SET_PDEATHSIG
    except Exception:
        pass


def _become_worker(fds: list[int]) -> None:
    os.setsid()
    _die_with_parent()
    import fcntl

    high = [fcntl.fcntl(fd, fcntl.F_DUPFD, 10) for fd in fds]  # out of the way of 0..4
    for fd in fds:
        os.close(fd)
    for target, fd in zip((0, 1, 2, 3, 4), high):
        os.dup2(fd, target)
    os.closerange(5, 1 << 16)
    signal.signal(signal.SIGCHLD, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    if "random" in sys.modules:
        sys.modules["random"].seed()
    try:
        worker(3, 4)
    finally:
        os._exit(0)


def zygote(sock_fd: int) -> None:
    import socket

    import gc

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    sock = socket.socket(fileno=sock_fd)
    gc.collect()
    gc.freeze()  # forked workers then do not touch (copy) every inherited object when they collect
    while True:
        try:
            msg, fds, _flags, _addr = socket.recv_fds(sock, 64, 5)
        except (OSError, ValueError):
            break
        if not msg:
            break
        kind = msg[:1]
        if kind == b"F" and len(fds) == 5:
            pid = os.fork()
            if pid == 0:
                sock.close()
                _become_worker(fds)
            for fd in fds:
                os.close(fd)
            reply = b"P%d" % pid
        elif kind == b"R":
            try:
                _pid, status = os.waitpid(int(msg[1:]), 0)
            except (ChildProcessError, ValueError):
                status = -1
            reply = b"S%d" % status
        else:
            for fd in fds:
                os.close(fd)
            reply = b"E"
        try:
            sock.send(reply)
        except OSError:
            break
    os._exit(0)


def main(argv: list[str]) -> None:
    if len(argv) >= 3 and argv[1] == "--zygote":
        zygote(int(argv[2]))
    elif len(argv) >= 4 and argv[1] == "--worker":
        worker(int(argv[2]), int(argv[3]))
    else:
        sys.stderr.write("usage: sandbox_worker.py --worker RESULT_FD STACK_FD | --zygote SOCK_FD\n")
        os._exit(2)


if __name__ == "__main__":
    main(sys.argv)
