"""A reusable check worker: imports one environment after another and smoke-calls every tool.

Speaks JSON lines on a private copy of stdout (fd 1 points at stderr, as in the MCP worker).
FastAPI and SQLAlchemy are imported once per worker, not once per environment. Requests:

    {"server": ".../server.py", "db": ".../instance.db", "reference_time": "...",
     "examples": {op: {param: value}}, "skip": ["tool", ...]}

Events: ``tools`` (names, duplicate routes), ``calling`` (before each call, so the parent can
enforce a deadline), ``called`` (outcome), ``load_error``, ``done``.
"""

from __future__ import annotations

import asyncio
import gc
import json
import os
import sqlite3
import sys
import tempfile
from typing import Any

from workbench.runtime.worker import _claim_stdio


def _emit(out, event: dict[str, Any]) -> None:
    out.write(json.dumps(event, default=str) + "\n")
    out.flush()


def _duplicate_routes(app: Any) -> list[dict[str, Any]]:
    seen: dict[tuple[str, str], str] = {}
    dups = []
    for route in getattr(app, "routes", []):
        methods = getattr(route, "methods", None) or []
        path = getattr(route, "path", None)
        for m in methods:
            if m in ("HEAD", "OPTIONS") or path is None:
                continue
            name = getattr(route, "operation_id", None) or getattr(route, "name", "")
            key = (m, path)
            if key in seen:
                dups.append({"method": m, "path": path, "served": seen[key], "listed": name})
            else:
                seen[key] = name
    return dups


async def _check(req: dict[str, Any], out) -> None:
    from workbench.runtime import frozen_time
    from workbench.runtime.executor import Executor
    from workbench.runtime.loader import LoadError, load_server
    from workbench.runtime.smoke import smoke_arguments
    from workbench.runtime.tools import tools_from_openapi

    if req.get("reference_time"):
        frozen_time.install(req["reference_time"])
    try:
        module, app = load_server(req["server"], req["db"])
        tools = tools_from_openapi(app.openapi())
    except LoadError as err:
        _emit(out, {"event": "load_error", **err.to_json()})
        return
    except Exception as exc:
        _emit(out, {"event": "load_error", "kind": "openapi", "message": f"{type(exc).__name__}: {exc}",
                    "server_lines": [], "traceback": ""})
        return
    _emit(out, {"event": "tools", "names": [t.name for t in tools], "duplicates": _duplicate_routes(app)})
    with open(req["db"], "rb") as fh:
        initial = fh.read()
    executor = Executor(app, req["server"])
    skip = set(req.get("skip") or [])
    examples = req.get("examples") or {}
    try:
        for n, tool in enumerate(tools):
            if tool.name in skip:
                continue
            _restore(initial, req["db"])
            frozen_time.set_step(n)
            args = smoke_arguments(tool.input_schema, examples.get(tool.name))
            _emit(out, {"event": "calling", "tool": tool.name})
            result = await executor.call(tool, args)
            _emit(out, {"event": "called", "tool": tool.name, "arguments": args, "status": result.status,
                        "is_error": result.is_error, "text": result.text[:500], "exception": result.exception,
                        "server_lines": result.server_lines, "ms": round(result.duration_ms, 2)})
    finally:
        await executor.aclose()
        engine = getattr(module, "engine", None)
        if engine is not None and hasattr(engine, "dispose"):
            engine.dispose()
        sys.modules.pop(module.__name__, None)
        del module, app
        gc.collect()


def _restore(initial: bytes, path: str) -> None:
    src = sqlite3.connect(":memory:")
    src.deserialize(initial)
    dst = sqlite3.connect(path, timeout=5)
    try:
        src.backup(dst)
    finally:
        src.close()
        dst.close()


def main() -> int:
    proto_in, proto_out = _claim_stdio()
    os.chdir(tempfile.mkdtemp(prefix="wb-check-"))
    inp = os.fdopen(proto_in, "r", encoding="utf-8")
    out = os.fdopen(proto_out, "w", encoding="utf-8")
    import fastapi  # noqa: F401  (paid once per worker)
    import sqlalchemy  # noqa: F401

    _emit(out, {"event": "ready", "pid": os.getpid()})
    for line in inp:
        if not line.strip():
            continue
        req = json.loads(line)
        asyncio.run(_check(req, out))
        _emit(out, {"event": "done"})
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
