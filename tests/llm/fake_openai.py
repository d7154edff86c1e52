"""A scripted, OpenAI-compatible chat completions server for tests (the only mock we allow: a paid
LLM cannot run here). The real ``openai`` client talks to it over HTTP on 127.0.0.1.

    with FakeLLM([text("hello"), http_error(500)]) as llm:
        client = openai.OpenAI(base_url=llm.base_url, api_key="test", max_retries=0)
        ...
        llm.requests[0]["messages"]     # what the client sent

Each POST /v1/chat/completions consumes the next script entry. A request past the end of the
script gets HTTP 500 "fake LLM: script exhausted", so a test that over-runs fails loudly.
"""

from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

# ---------------------------------------------------------------------- script entries


def text(content: str | None, finish_reason: str = "stop") -> dict[str, Any]:
    """An assistant message with text and no tool calls."""
    return {"kind": "message", "content": content, "finish_reason": finish_reason}


def tool_call(name: str, arguments: Any = None, call_id: str | None = None) -> dict[str, Any]:
    """One native tool call; ``arguments`` is sent as is when a string, else JSON-encoded."""
    args = arguments if isinstance(arguments, str) else json.dumps(arguments if arguments is not None else {})
    return {"name": name, "arguments": args, "id": call_id}


def tool_calls(*calls: dict[str, Any], content: str | None = None) -> dict[str, Any]:
    """An assistant message carrying native ``tool_calls`` (finish_reason ``tool_calls``)."""
    return {"kind": "message", "content": content, "tool_calls": list(calls), "finish_reason": "tool_calls"}


def http_error(status: int = 500, message: str = "fake upstream failure") -> dict[str, Any]:
    return {"kind": "http_error", "status": status, "message": message}


def malformed(body: str = '{"id": "chatcmpl-broken", "choices": [ this is not json') -> dict[str, Any]:
    """HTTP 200 with ``Content-Type: application/json`` and a body that is not JSON."""
    return {"kind": "malformed", "body": body}


def delay(seconds: float, then: dict[str, Any] | None = None) -> dict[str, Any]:
    """Wait ``seconds`` before answering with ``then`` (default: a short text), to provoke timeouts."""
    return {"kind": "delay", "seconds": seconds, "then": then or text("late")}


def refusal(message: str | None = None) -> dict[str, Any]:
    """A content-filter block: ``finish_reason`` ``content_filter``, empty content (AWM's synthetic refusal)."""
    return {"kind": "message", "content": "", "refusal": message, "finish_reason": "content_filter"}


# ---------------------------------------------------------------------- server


class FakeLLM:
    def __init__(self, script: list[dict[str, Any]] | None = None) -> None:
        self.script: list[dict[str, Any]] = list(script or [])
        self.requests: list[dict[str, Any]] = []  # parsed JSON bodies, in arrival order
        self.headers: list[dict[str, str]] = []
        self._lock = threading.Lock()
        self._counter = 0
        fake = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: Any) -> None:  # keep test output clean
                pass

            def do_POST(self) -> None:  # noqa: N802 - http.server API
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length) if length else b""
                if self.path.rstrip("/") != "/v1/chat/completions":
                    self._send(404, {"error": {"message": f"no route {self.path}"}})
                    return
                try:
                    body = json.loads(raw or b"{}")
                except ValueError:
                    body = {"_unparseable": raw.decode("utf-8", "replace")}
                with fake._lock:
                    fake.requests.append(body)
                    fake.headers.append({k.lower(): v for k, v in self.headers.items()})
                    entry = fake.script.pop(0) if fake.script else None
                    fake._counter += 1
                    n = fake._counter
                self._answer(entry, body, n)

            def _answer(self, entry: dict[str, Any] | None, body: dict[str, Any], n: int) -> None:
                if entry is None:
                    self._send(500, {"error": {"message": "fake LLM: script exhausted", "type": "server_error"}})
                    return
                kind = entry["kind"]
                if kind == "delay":
                    time.sleep(entry["seconds"])
                    self._answer(entry["then"], body, n)
                elif kind == "http_error":
                    self._send(entry["status"], {"error": {"message": entry["message"], "type": "server_error",
                                                           "code": None}})
                elif kind == "malformed":
                    self._send_raw(200, entry["body"].encode("utf-8"))
                else:
                    self._send(200, _completion(entry, body, n))

            def _send(self, status: int, obj: Any) -> None:
                self._send_raw(status, json.dumps(obj).encode("utf-8"))

            def _send_raw(self, status: int, data: bytes) -> None:
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)
                    self.wfile.flush()
                except (BrokenPipeError, ConnectionResetError):  # the client gave up (timeout tests)
                    pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self.port = self._server.server_address[1]
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.02},
                                        name="fake-openai", daemon=True)
        self._thread.start()

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/v1"

    def add(self, *entries: dict[str, Any]) -> None:
        with self._lock:
            self.script.extend(entries)

    @property
    def remaining(self) -> int:
        with self._lock:
            return len(self.script)

    def client(self, timeout: float = 10.0, max_retries: int = 0) -> Any:
        import openai

        return openai.OpenAI(base_url=self.base_url, api_key="test", timeout=timeout, max_retries=max_retries)

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def __enter__(self) -> FakeLLM:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _completion(entry: dict[str, Any], request: dict[str, Any], n: int) -> dict[str, Any]:
    message: dict[str, Any] = {"role": "assistant", "content": entry.get("content")}
    if entry.get("refusal") is not None:
        message["refusal"] = entry["refusal"]
    calls = entry.get("tool_calls")
    if calls:
        message["tool_calls"] = [{"id": c.get("id") or f"call_fake_{n}_{i}", "type": "function",
                                  "function": {"name": c["name"], "arguments": c["arguments"]}}
                                 for i, c in enumerate(calls)]
    return {"id": f"chatcmpl-fake-{n}", "object": "chat.completion", "created": int(time.time()),
            "model": request.get("model", "fake-model"),
            "choices": [{"index": 0, "message": message, "finish_reason": entry.get("finish_reason", "stop"),
                         "logprobs": None}],
            "usage": {"prompt_tokens": 10, "completion_tokens": 5, "total_tokens": 15}}


def closed_port() -> int:
    """A local port that nothing listens on (bound, then released)."""
    import socket

    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]
