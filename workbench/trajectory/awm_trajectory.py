"""Read AWM ``trajectory.json`` files into tool calls (awm-format.md §4.2–4.3).

AWM's agent sees two meta-functions, ``list_tools`` and ``call_tool``. ``call_tool`` carries
``{"tool_name": "mcp_tool_mcp_server_<operation_id>", "arguments": "<JSON string or object>"}``.
A call whose name itself starts with ``mcp_tool_`` is rewritten to ``call_tool`` by the agent.
We resolve all of that to the operation id and a dict of arguments, keeping what was recorded.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

TOOL_PREFIX = "mcp_tool_"
SERVER_PREFIX = "mcp_server_"


@dataclass
class RecordedStep:
    """One agent turn that made a call. ``kind`` is ``call`` | ``list_tools`` | ``unknown``."""

    index: int  # position in the trajectory list
    iteration: int | None
    kind: str
    tool: str | None
    arguments: dict[str, Any]
    raw_arguments: Any
    call_id: str | None
    observation: str | None
    content: str = ""
    problems: list[str] = field(default_factory=list)


@dataclass
class Trajectory:
    path: Path | None
    data: dict[str, Any]
    steps: list[RecordedStep]
    final_answer: str | None

    @property
    def calls(self) -> list[RecordedStep]:
        return [s for s in self.steps if s.kind == "call"]


def tool_name_from_agent(name: str) -> str:
    """``mcp_tool_mcp_server_create_campaign`` → ``create_campaign`` (one prefix of each kind)."""
    if name.startswith(TOOL_PREFIX):
        name = name[len(TOOL_PREFIX):]
    if name.startswith(SERVER_PREFIX):
        name = name[len(SERVER_PREFIX):]
    return name


def agent_tool_name(operation_id: str) -> str:
    return f"{TOOL_PREFIX}{SERVER_PREFIX}{operation_id}"


def _parse_args(raw: Any, problems: list[str]) -> dict[str, Any]:
    if raw is None or raw == "":
        return {}
    if isinstance(raw, str):
        try:
            raw = json.loads(raw)
        except ValueError:
            problems.append(f"arguments are not valid JSON: {raw[:80]!r}")
            return {}
    if isinstance(raw, list) and len(raw) == 1:
        raw = raw[0]
    if not isinstance(raw, dict):
        problems.append(f"arguments are a {type(raw).__name__}, not an object; AWM sends {{}}")
        return {}
    return raw


def parse_trajectory(data: dict[str, Any], path: Path | None = None) -> Trajectory:
    """The calls of an AWM trajectory, resolved to operation ids and argument dicts."""
    steps: list[RecordedStep] = []
    for i, step in enumerate(data.get("trajectory") or []):
        if not isinstance(step, dict):
            continue
        calls = step.get("tool_calls") or []
        if not calls:
            continue
        call = calls[0] if isinstance(calls[0], dict) else {}
        name = str(call.get("name") or "")
        raw = call.get("arguments")
        problems: list[str] = []
        response = step.get("tool_response") or {}
        observation = response.get("content") if isinstance(response, dict) else None
        rs = RecordedStep(i, step.get("iteration"), "unknown", None, {}, raw, call.get("id"), observation,
                          str(step.get("content") or ""), problems)
        if name == "list_tools":
            rs.kind = "list_tools"
        elif name == "call_tool" or name.startswith(TOOL_PREFIX):
            if name == "call_tool":
                outer = _parse_args(raw, problems)
                inner_name = str(outer.get("tool_name") or "")
                inner_args = outer.get("arguments")
            else:
                inner_name, inner_args = name, raw
            rs.kind = "call"
            rs.tool = tool_name_from_agent(inner_name)
            rs.arguments = _parse_args(inner_args, problems)
        if len(calls) > 1:
            problems.append(f"{len(calls)} calls in one turn; AWM executes only the first")
        steps.append(rs)
    final = None
    for m in reversed(data.get("messages") or []):
        if isinstance(m, dict) and m.get("role") == "assistant":
            final = m.get("content")
            break
    return Trajectory(path, data, steps, final)


def load_trajectory(path: Path | str) -> Trajectory:
    path = Path(path)
    return parse_trajectory(json.loads(path.read_text(encoding="utf-8")), path)


def awm_observation(text: str, is_error: bool) -> str:
    """What AWM's agent puts in ``tool_response.content``: the text, prefixed ``Error: `` on errors."""
    return f"Error: {text}" if is_error else text


def parse_openai_messages(messages: list[dict[str, Any]], path: Path | None = None) -> Trajectory:
    """An OpenAI chat transcript (assistant ``tool_calls`` + ``tool`` messages) as recorded calls."""
    results = {m.get("tool_call_id"): m.get("content") for m in messages
               if isinstance(m, dict) and m.get("role") == "tool"}
    steps: list[RecordedStep] = []
    n = 0
    for m in messages:
        if not isinstance(m, dict) or m.get("role") != "assistant":
            continue
        for call in m.get("tool_calls") or []:
            fn = call.get("function") or {}
            problems: list[str] = []
            name = str(fn.get("name") or "")
            rs = RecordedStep(n, None, "call", tool_name_from_agent(name), _parse_args(fn.get("arguments"), problems),
                              fn.get("arguments"), call.get("id"), results.get(call.get("id")),
                              str(m.get("content") or ""), problems)
            if name == "list_tools":
                rs.kind, rs.tool = "list_tools", None
            steps.append(rs)
            n += 1
    final = None
    for m in reversed(messages):
        if isinstance(m, dict) and m.get("role") == "assistant" and not m.get("tool_calls"):
            final = m.get("content")
            break
    return Trajectory(path, {"messages": messages}, steps, final)


def load_run_file(path: Path | str) -> Trajectory:
    """AWM trajectory.json, or an OpenAI transcript (a list of messages, or ``{"messages": [...]}``)."""
    path = Path(path)
    data = json.loads(path.read_text(encoding="utf-8"))
    if isinstance(data, dict) and "trajectory" in data:
        return parse_trajectory(data, path)
    if isinstance(data, list):
        return parse_openai_messages(data, path)
    if isinstance(data, dict) and isinstance(data.get("messages"), list):
        t = parse_openai_messages(data["messages"], path)
        t.data = data
        return t
    raise ValueError(f"{path}: neither an AWM trajectory (a 'trajectory' list) nor OpenAI messages")
