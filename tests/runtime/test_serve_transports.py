"""`workbench serve` seen by the official mcp client, over stdio and over streamable HTTP."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import anyio
import mcp.types as types
from mcp import Client, StdioServerParameters

from workbench.cli import main

from ..conftest import SAMPLE_ENVS

ENV = SAMPLE_ENVS / "it_service_desk"


def _text(r: types.CallToolResult) -> str:
    return "\n".join(c.text for c in r.content if isinstance(c, types.TextContent))


async def _exercise(client: Client) -> None:
    tools = (await client.list_tools()).tools
    assert len(tools) == 31 and any(t.name == "get_ticket" for t in tools)
    r = await client.call_tool("get_ticket", {"ticket_id": 15})
    assert not r.is_error and json.loads(_text(r))["id"] == 15
    r = await client.call_tool("update_ticket", {"ticket_id": 15, "priority": "high"})
    assert not r.is_error and json.loads(_text(r))["priority"] == "high"
    r = await client.call_tool("list_ticket_worklogs", {"ticket_id": 20})  # the planted 500
    assert r.is_error and _text(r).startswith("Error calling list_ticket_worklogs. Status code: 500.")
    assert "Traceback" not in _text(r)


def test_serve_over_stdio(tmp_path: Path) -> None:
    final = tmp_path / "final.db"
    params = StdioServerParameters(
        command=sys.executable, args=["-m", "workbench", "serve", str(ENV), "--save", str(final)],
        env={"PATH": os.environ["PATH"], "WORKBENCH_CACHE_DIR": os.environ["WORKBENCH_CACHE_DIR"]},
    )

    async def run() -> None:
        async with Client(params, read_timeout_seconds=60) as client:
            assert client.server_info.name == "IT Service Desk API"  # app.title, as fastapi-mcp reports
            await _exercise(client)

    anyio.run(run)
    import sqlite3

    for _ in range(50):  # the CLI saves the final database once the worker has exited
        if final.exists():
            break
        time.sleep(0.1)
    row = sqlite3.connect(final).execute("SELECT priority FROM tickets WHERE id = 15").fetchone()
    assert row == ("high",)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_serve_over_http_on_loopback(tmp_path: Path) -> None:
    port = _free_port()
    proc = subprocess.Popen([sys.executable, "-m", "workbench", "serve", str(ENV), "--transport", "http",
                             "--port", str(port)], stderr=subprocess.PIPE, stdout=subprocess.DEVNULL,
                            start_new_session=True)
    try:
        deadline = time.time() + 60
        while time.time() < deadline:
            try:
                socket.create_connection(("127.0.0.1", port), 0.2).close()
                break
            except OSError:
                assert proc.poll() is None, proc.stderr.read().decode()
                time.sleep(0.1)

        async def run() -> None:
            async with Client(f"http://127.0.0.1:{port}/mcp", read_timeout_seconds=60) as client:
                await _exercise(client)

        anyio.run(run)
    finally:
        os.killpg(proc.pid, 15)
        proc.wait(timeout=10)


def test_call_cli_json(capsys) -> None:
    code = main(["call", str(ENV), "update_ticket", "--args", '{"ticket_id": 15, "priority": "high"}',
                 "--format", "json"])
    out = json.loads(capsys.readouterr().out)
    assert code == 0 and out["status"] == 200 and not out["is_error"]
    (table,) = out["diff"]["tables"]
    assert table["table"] == "tickets" and table["updated"][0]["changes"]["priority"] == {"old": "medium", "new": "high"}


def test_call_cli_named_instance_keeps_state(capsys) -> None:
    name = f"t{os.getpid()}"
    assert main(["call", str(ENV), "update_ticket", "--args", '{"ticket_id": 15, "priority": "high"}',
                 "--instance", name]) == 0
    capsys.readouterr()
    assert main(["call", str(ENV), "get_ticket", "--args", '{"ticket_id": 15}', "--instance", name,
                 "--format", "json"]) == 0
    assert json.loads(json.loads(capsys.readouterr().out)["text"])["priority"] == "high"


def test_call_cli_bad_args(capsys) -> None:
    assert main(["call", str(ENV), "get_ticket", "--args", "{nope"]) == 2
    assert "--args: not valid JSON" in capsys.readouterr().err
