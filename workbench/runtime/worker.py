"""The worker process: imports one environment's server.py and serves its tools over MCP.

    python -m workbench.runtime.worker --server server.py --db instance.db [--reference-time T]
                                       [--http HOST:PORT]

Generated code is untrusted: it only ever runs here. Before importing it, the worker keeps a
private copy of stdout for the protocol and points fd 1 (and ``sys.stdout``) at stderr, so
anything the code prints, at import or in a route, cannot corrupt MCP. stdin becomes /dev/null.
The current directory is a private temp folder. An import failure is printed to stderr as one
``WORKBENCH-LOAD-ERROR <json>`` line (the traceback lines of server.py included) and the worker
exits with code 3.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import sys
import tempfile
from typing import Any

LOAD_ERROR_PREFIX = "WORKBENCH-LOAD-ERROR "
EXIT_LOAD_ERROR = 3
INFO_METHOD = "x-workbench/info"
CLOCK_META = "workbench/clock"


def _claim_stdio() -> tuple[int, int]:
    proto_in = os.dup(0)
    proto_out = os.dup(1)
    devnull = os.open(os.devnull, os.O_RDONLY)
    os.dup2(devnull, 0)
    os.close(devnull)
    os.dup2(2, 1)
    sys.stdout = io.TextIOWrapper(os.fdopen(1, "wb", closefd=False), encoding="utf-8", line_buffering=True)
    sys.stdin = io.TextIOWrapper(os.fdopen(0, "rb", closefd=False), encoding="utf-8")
    return proto_in, proto_out


def _load(args: argparse.Namespace):
    from workbench.runtime.loader import LoadError, load_server
    from workbench.runtime.tools import tools_from_openapi

    try:
        module, app = load_server(args.server, args.db)
        try:
            openapi = app.openapi()
        except Exception as exc:
            import traceback

            from workbench.runtime.loader import server_frames

            raise LoadError("openapi", f"app.openapi() failed: {type(exc).__name__}: {exc}",
                            server_frames(exc, os.path.abspath(args.server)),
                            "".join(traceback.format_exception(exc))) from None
        return app, tools_from_openapi(openapi)
    except LoadError as err:
        sys.stderr.write(err.traceback_text)
        sys.stderr.write(LOAD_ERROR_PREFIX + json.dumps(err.to_json()) + "\n")
        sys.stderr.flush()
        os._exit(EXIT_LOAD_ERROR)


def build_mcp_server(app: Any, tools: list, server_path: str):
    """The low-level MCP server exposing ``tools``; calls run through ASGI in this process."""
    import mcp.types as types
    from mcp.server import Server

    from workbench.runtime import frozen_time
    from workbench.runtime.executor import Executor

    try:
        from importlib.metadata import version

        mcp_version = version("mcp")
    except Exception:  # pragma: no cover
        mcp_version = ""
    by_name = {t.name: t for t in tools}
    executor = Executor(app, os.path.abspath(server_path))
    validators: dict[str, Any] = {}
    calls = {"n": 0}

    def validate(tool, arguments: dict) -> str | None:
        import jsonschema

        v = validators.get(tool.name)
        if v is None:
            v = validators[tool.name] = jsonschema.validators.validator_for(tool.input_schema)(tool.input_schema)
        err = jsonschema.exceptions.best_match(v.iter_errors(arguments))
        return None if err is None else f"Input validation error: {err.message}"

    async def on_list_tools(ctx, params):
        return types.ListToolsResult(
            tools=[types.Tool(name=t.name, description=t.description, input_schema=t.input_schema) for t in tools]
        )

    async def on_call_tool(ctx, params):
        tool = by_name.get(params.name)
        if tool is None:
            return types.CallToolResult(content=[types.TextContent(text=f"Unknown tool: {params.name}")], is_error=True)
        arguments = params.arguments or {}
        problem = validate(tool, arguments)
        if problem:
            return types.CallToolResult(content=[types.TextContent(text=problem)], is_error=True,
                                        _meta={"workbench": {"status": None, "validation_error": True}})
        meta = params.meta or {}
        frozen_time.set_step(meta.get(CLOCK_META, calls["n"]))
        calls["n"] = frozen_time.current_step() + 1
        result = await executor.call(tool, arguments)
        return types.CallToolResult(content=[types.TextContent(text=result.text)], is_error=result.is_error,
                                    _meta={"workbench": result.meta()})

    title = getattr(app, "title", None) or "FastAPI MCP"
    server = Server(title, version=mcp_version, on_list_tools=on_list_tools, on_call_tool=on_call_tool)

    class InfoParams(types.RequestParams):
        pass

    async def on_info(ctx, params):
        return {"pid": os.getpid(), "tools": len(tools), "name": title, "cwd": os.getcwd()}

    server.add_request_handler(INFO_METHOD, InfoParams, on_info)
    return server


async def _serve_stdio(server, proto_in: int, proto_out: int) -> None:
    import anyio
    from mcp.server.stdio import stdio_server

    stdin = anyio.wrap_file(io.TextIOWrapper(os.fdopen(proto_in, "rb"), encoding="utf-8", errors="replace"))
    stdout = anyio.wrap_file(io.TextIOWrapper(os.fdopen(proto_out, "wb"), encoding="utf-8", line_buffering=True))
    async with stdio_server(stdin=stdin, stdout=stdout) as (read_stream, write_stream):
        await server.run(read_stream, write_stream, server.create_initialization_options())


def _serve_http(server, host: str, port: int) -> None:
    import anyio
    import uvicorn

    app = server.streamable_http_app(streamable_http_path="/mcp", host=host)
    config = uvicorn.Config(app, host=host, port=port, log_level="warning", lifespan="on")
    sys.stderr.write(f"serving MCP on http://{host}:{port}/mcp\n")
    sys.stderr.flush()
    anyio.run(uvicorn.Server(config).serve)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="workbench-worker")
    p.add_argument("--server", required=True)
    p.add_argument("--db", required=True)
    p.add_argument("--reference-time")
    p.add_argument("--http", help="HOST:PORT to serve streamable HTTP instead of stdio")
    args = p.parse_args(argv)
    args.server = os.path.abspath(args.server)
    args.db = os.path.abspath(args.db)
    proto_in, proto_out = _claim_stdio()
    os.chdir(tempfile.mkdtemp(prefix="wb-worker-"))
    if args.reference_time:
        from workbench.runtime import frozen_time

        frozen_time.install(args.reference_time)
    app, tools = _load(args)
    server = build_mcp_server(app, tools, args.server)
    if args.http:
        host, _, port = args.http.rpartition(":")
        _serve_http(server, host or "127.0.0.1", int(port))
        return 0
    import anyio

    anyio.run(_serve_stdio, server, proto_in, proto_out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
