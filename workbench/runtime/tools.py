"""MCP tools from a FastAPI app's OpenAPI document, the way fastapi-mcp 0.4.0 builds them.

name = operationId; input schema = path + query parameters + the JSON body's top-level properties,
merged into one flat object; description = summary, a blank line and the description, then the
success response and an example built from its schema. ``plan_call`` maps arguments back onto an
HTTP request: path arguments into the URL, query arguments into the query string, everything else
into the JSON body (for POST/PUT/PATCH).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

HTTP_METHODS = ("get", "post", "put", "patch", "delete")
BODY_METHODS = ("post", "put", "patch")


@dataclass
class ToolDef:
    name: str
    description: str
    input_schema: dict[str, Any]
    method: str
    path: str
    path_params: list[str] = field(default_factory=list)
    query_params: list[str] = field(default_factory=list)
    body_params: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {"name": self.name, "description": self.description, "inputSchema": self.input_schema,
                "method": self.method.upper(), "path": self.path}


@dataclass
class PlannedRequest:
    method: str
    path: str
    query: dict[str, Any]
    body: dict[str, Any] | None


def resolve_refs(schema: Any, openapi: dict[str, Any], _depth: int = 0) -> Any:
    """Inline ``$ref``s to ``#/components/...`` (bounded, so recursive models cannot loop)."""
    if _depth > 20:
        return schema
    if isinstance(schema, dict):
        if "$ref" in schema and isinstance(schema["$ref"], str) and schema["$ref"].startswith("#/"):
            target: Any = openapi
            for part in schema["$ref"][2:].split("/"):
                target = target.get(part, {}) if isinstance(target, dict) else {}
            merged = dict(resolve_refs(target, openapi, _depth + 1))
            merged.update({k: v for k, v in schema.items() if k != "$ref"})
            return merged
        return {k: resolve_refs(v, openapi, _depth + 1) for k, v in schema.items()}
    if isinstance(schema, list):
        return [resolve_refs(v, openapi, _depth + 1) for v in schema]
    return schema


def example_from_schema(schema: Any, _depth: int = 0) -> Any:
    """A plausible example value for a JSON schema (fastapi-mcp shows one per tool)."""
    if not isinstance(schema, dict) or _depth > 6:
        return None
    if "example" in schema:
        return schema["example"]
    if "examples" in schema and isinstance(schema["examples"], list) and schema["examples"]:
        return schema["examples"][0]
    if "default" in schema:
        return schema["default"]
    for combo in ("anyOf", "oneOf", "allOf"):
        if combo in schema and schema[combo]:
            options = [s for s in schema[combo] if isinstance(s, dict) and s.get("type") != "null"] or schema[combo]
            return example_from_schema(options[0], _depth + 1)
    t = schema.get("type")
    if t == "object" or "properties" in schema:
        return {k: example_from_schema(v, _depth + 1) for k, v in (schema.get("properties") or {}).items()}
    if t == "array":
        item = example_from_schema(schema.get("items", {}), _depth + 1)
        return [item] if item is not None else []
    if "enum" in schema and schema["enum"]:
        return schema["enum"][0]
    return {"string": "string", "integer": 0, "number": 0.0, "boolean": True}.get(t)


def _description(op: dict[str, Any], openapi: dict[str, Any]) -> str:
    summary = op.get("summary") or ""
    desc = op.get("description") or ""
    text = summary
    if desc:
        text = f"{text}\n\n{desc}" if text else desc
    responses = op.get("responses") or {}
    for code in sorted(responses):
        if not str(code).startswith("2"):
            continue
        resp = responses[code] or {}
        text += "\n\n### Responses:\n"
        text += f"\n**{code}**: {resp.get('description', '')} (Success Response)"
        content = (resp.get("content") or {}).get("application/json")
        if content is not None:
            text += "\nContent-Type: application/json"
            example = example_from_schema(resolve_refs(content.get("schema", {}), openapi))
            if example is not None:
                text += "\n\n**Example Response:**\n```json\n" + json.dumps(example, indent=2) + "\n```"
        break
    return text


def tools_from_openapi(openapi: dict[str, Any]) -> list[ToolDef]:
    """Every operation of the document as a tool, in document order (paths, then methods)."""
    tools: list[ToolDef] = []
    for path, item in (openapi.get("paths") or {}).items():
        if not isinstance(item, dict):
            continue
        for method in HTTP_METHODS:
            op = item.get(method)
            if not isinstance(op, dict):
                continue
            name = op.get("operationId")
            if not name:
                continue
            properties: dict[str, Any] = {}
            required: list[str] = []
            tool = ToolDef(name=name, description=_description(op, openapi), input_schema={}, method=method, path=path)
            params = list(item.get("parameters") or []) + list(op.get("parameters") or [])
            for p in params:
                p = resolve_refs(p, openapi)
                pname, where = p.get("name"), p.get("in")
                if not pname or where not in ("path", "query"):
                    continue
                prop = dict(resolve_refs(p.get("schema") or {}, openapi))
                prop.setdefault("title", pname)
                if p.get("description") and "description" not in prop:
                    prop["description"] = p["description"]
                properties[pname] = prop
                if where == "path":
                    tool.path_params.append(pname)
                    required.append(pname)
                else:
                    tool.query_params.append(pname)
                    if p.get("required"):
                        required.append(pname)
            body = ((op.get("requestBody") or {}).get("content") or {}).get("application/json")
            if body:
                bschema = resolve_refs(body.get("schema") or {}, openapi)
                for bname, bprop in (bschema.get("properties") or {}).items():
                    properties[bname] = bprop
                    tool.body_params.append(bname)
                for r in bschema.get("required") or []:
                    if r not in required:
                        required.append(r)
            tool.input_schema = {"type": "object", "properties": properties, "title": f"{name}Arguments",
                                 "required": required}
            tools.append(tool)
    return tools


def plan_call(tool: ToolDef, arguments: dict[str, Any] | None) -> PlannedRequest:
    """fastapi-mcp's mapping of tool arguments onto one HTTP request."""
    args = dict(arguments or {})
    path = tool.path
    for p in tool.path_params:
        if p in args:
            path = path.replace("{" + p + "}", str(args.pop(p)))
    query = {p: args.pop(p) for p in tool.query_params if p in args and args[p] is not None}
    for p in tool.query_params:
        args.pop(p, None)
    body = args if (args and tool.method in BODY_METHODS) else None
    return PlannedRequest(tool.method, path, query, body)


def error_text(tool_name: str, status: int, body: str) -> str:
    """fastapi-mcp's error text for an HTTP 4xx/5xx answer."""
    return f"Error calling {tool_name}. Status code: {status}. Response: {body}"


def result_text(body: bytes) -> str:
    """The response JSON re-serialised as fastapi-mcp does (indent 2, UTF-8 kept), else the raw text."""
    text = body.decode("utf-8", "replace")
    try:
        return json.dumps(json.loads(text), indent=2, ensure_ascii=False)
    except ValueError:
        return text
