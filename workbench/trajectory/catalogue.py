"""The tool catalogue AWM's agent returns for ``list_tools`` (awm-format.md §4.2).

    Available MCP Tools (2 tools):
    ================================================================================

    1. mcp_tool_mcp_server_get_ticket
       Description: Get one ticket
       Return the ticket with its comments
       ### Responses:
       ...
       Parameters:
          - ticket_id: integer (required)
            Description: Ticket ID

    2. ...

Each description line after the first is stripped and indented 3 spaces (as in AWM's real log,
``example.txt``). The layout of the optional per-parameter lines (``Description:``, ``Default:``,
``Allowed values:``) is our reading of §4.2: aligned under the parameter name.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from workbench.trajectory.awm_trajectory import agent_tool_name

RULE = "=" * 80


def _field(tool: Any, name: str) -> Any:
    if isinstance(tool, dict):
        if name == "input_schema":
            return tool.get("input_schema", tool.get("inputSchema"))
        return tool.get(name)
    if name == "input_schema":
        return getattr(tool, "input_schema", None) or getattr(tool, "inputSchema", None)
    return getattr(tool, name, None)


def _value(v: Any) -> str:
    if isinstance(v, str):
        return v
    try:
        return json.dumps(v, ensure_ascii=False)
    except (TypeError, ValueError):
        return str(v)


def _param_lines(schema: dict[str, Any], indent: int) -> list[str]:
    props = schema.get("properties") or {}
    required = set(schema.get("required") or [])
    pad = " " * indent
    lines: list[str] = []
    for name, prop in props.items():
        prop = prop if isinstance(prop, dict) else {}
        ptype = prop.get("type", "unknown")
        lines.append(f"{pad}- {name}: {ptype} ({'required' if name in required else 'optional'})")
        if prop.get("description"):
            lines.append(f"{pad}  Description: {prop['description']}")
        if "default" in prop:
            lines.append(f"{pad}  Default: {_value(prop['default'])}")
        if prop.get("enum"):
            lines.append(f"{pad}  Allowed values: {', '.join(_value(v) for v in prop['enum'])}")
        if ptype == "object" and isinstance(prop.get("properties"), dict):
            lines += _param_lines(prop, indent + 4)
    return lines


def render_tool(index: int, tool: Any) -> list[str]:
    name = str(_field(tool, "name") or "")
    lines = [f"{index}. {agent_tool_name(name)}"]
    desc_lines = [ln.strip() for ln in str(_field(tool, "description") or "").splitlines()]
    desc_lines = [ln for ln in desc_lines if ln]
    if desc_lines:
        lines.append(f"   Description: {desc_lines[0]}")
        lines += [f"   {ln}" for ln in desc_lines[1:]]
    schema = _field(tool, "input_schema") or {}
    if isinstance(schema, dict) and schema.get("properties"):
        lines.append("   Parameters:")
        lines += _param_lines(schema, 6)
    else:
        lines.append("   Parameters: None")
    return lines


def render_catalogue(tools: Iterable[Any]) -> str:
    """The ``list_tools`` text for ``tools`` (``ToolInfo``, MCP ``Tool`` or dicts with ``name``,
    ``description``, ``input_schema``); a tool named ``list_tools`` is left out, as AWM does."""
    listed = [t for t in tools if str(_field(t, "name") or "") != "list_tools"]
    out = [f"Available MCP Tools ({len(listed)} tools):", RULE, ""]
    for i, tool in enumerate(listed, start=1):
        out += render_tool(i, tool)
        out.append("")
    return "\n".join(out).strip()
