"""Run one tool call against a FastAPI app in-process through ASGI (no ports), inside the worker."""

from __future__ import annotations

import time
import traceback
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any

import httpx

from workbench.runtime.loader import server_frames
from workbench.runtime.tools import ToolDef, error_text, plan_call, result_text

_last_exception: ContextVar[list[BaseException] | None] = ContextVar("_last_exception", default=None)


@dataclass
class CallResult:
    """What the agent sees (``text``, ``is_error``) plus what only the workbench sees."""

    text: str
    is_error: bool
    status: int | None
    duration_ms: float
    traceback: str | None = None
    server_lines: list[dict[str, Any]] = field(default_factory=list)
    exception: str | None = None

    def meta(self) -> dict[str, Any]:
        return {"status": self.status, "duration_ms": round(self.duration_ms, 3), "traceback": self.traceback,
                "server_lines": self.server_lines, "exception": self.exception}


def exception_summary(exc: BaseException) -> str:
    """``Type: first line of the message`` (SQLAlchemy appends links and SQL on later lines)."""
    first = (str(exc).strip().splitlines() or [""])[0]
    return f"{type(exc).__name__}: {first}" if first else type(exc).__name__


class CapturingApp:
    """Wraps the app: an unhandled exception still yields FastAPI's 500 for the caller, but its
    traceback is kept for the workbench instead of being lost in a log."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: dict, receive: Any, send: Any) -> None:
        try:
            await self.app(scope, receive, send)
        except Exception as exc:
            box = _last_exception.get()
            if box is not None:
                box.append(exc)
            # Starlette's ServerErrorMiddleware has already sent "500 Internal Server Error".


class Executor:
    """Holds one ASGI client for the app; ``call`` maps a tool call onto an HTTP request."""

    def __init__(self, app: Any, server_path: str, timeout: float = 10.0) -> None:
        self.server_path = server_path
        self.client = httpx.AsyncClient(
            transport=httpx.ASGITransport(app=CapturingApp(app), raise_app_exceptions=False),
            base_url="http://apiserver",
            timeout=timeout,
        )

    async def call(self, tool: ToolDef, arguments: dict[str, Any] | None) -> CallResult:
        req = plan_call(tool, arguments)
        box: list[BaseException] = []
        token = _last_exception.set(box)
        t0 = time.perf_counter()
        try:
            if req.method in ("get", "delete"):
                resp = await self.client.request(req.method.upper(), req.path, params=req.query)
            else:
                resp = await self.client.request(req.method.upper(), req.path, params=req.query, json=req.body)
        except Exception as exc:  # transport-level failure: report like fastapi-mcp would
            dt = (time.perf_counter() - t0) * 1000
            return CallResult(f"Error calling {tool.name}: {exception_summary(exc)}", True, None, dt,
                              "".join(traceback.format_exception(exc)), server_frames(exc, self.server_path),
                              exception_summary(exc))
        finally:
            _last_exception.reset(token)
        dt = (time.perf_counter() - t0) * 1000
        tb = summary = None
        lines: list[dict[str, Any]] = []
        if box:
            tb = "".join(traceback.format_exception(box[0]))
            lines = server_frames(box[0], self.server_path)
            summary = exception_summary(box[0])
        if 400 <= resp.status_code < 600:
            return CallResult(error_text(tool.name, resp.status_code, resp.text), True, resp.status_code, dt, tb, lines,
                              summary)
        return CallResult(result_text(resp.content), False, resp.status_code, dt, tb, lines, summary)

    async def aclose(self) -> None:
        await self.client.aclose()
