"""Arguments for a smoke call, built from a tool's input schema and the spec's examples."""

from __future__ import annotations

from typing import Any


def value_for_schema(schema: Any) -> Any:
    """A simple, valid-looking value for a JSON schema (ids are 1: user 1 and row 1 usually exist)."""
    if not isinstance(schema, dict):
        return "test"
    for key in ("example", "default"):
        if key in schema and schema[key] is not None:
            return schema[key]
    if schema.get("examples"):
        return schema["examples"][0]
    if schema.get("enum"):
        return schema["enum"][0]
    for combo in ("anyOf", "oneOf", "allOf"):
        options = [s for s in schema.get(combo) or [] if isinstance(s, dict) and s.get("type") != "null"]
        if options:
            return value_for_schema(options[0])
    t = schema.get("type")
    if t == "integer":
        return 1
    if t == "number":
        return 1.0
    if t == "boolean":
        return True
    if t == "array":
        return []
    if t == "object":
        return {}
    fmt = schema.get("format")
    if fmt == "date-time":
        return "2026-01-01T00:00:00"
    if fmt == "date":
        return "2026-01-01"
    return "test"


def smoke_arguments(input_schema: dict[str, Any], examples: dict[str, Any] | None = None) -> dict[str, Any]:
    """Every parameter the spec gives an example for, plus a made-up value for each other required one."""
    examples = examples or {}
    props = input_schema.get("properties") or {}
    required = set(input_schema.get("required") or [])
    args: dict[str, Any] = {}
    for name, prop in props.items():
        if name in examples and examples[name] is not None:
            args[name] = examples[name]
        elif name in required:
            args[name] = value_for_schema(prop)
    return args


def spec_examples(spec: dict[str, Any] | None) -> dict[str, dict[str, Any]]:
    """``{operation_id: {param: example}}`` from an AWM api_spec."""
    out: dict[str, dict[str, Any]] = {}
    for group in (spec or {}).get("api_groups") or []:
        for ep in (group or {}).get("endpoints") or []:
            if not isinstance(ep, dict) or not isinstance(ep.get("operation_id"), str):
                continue
            params = ep.get("request_params") or {}
            out[ep["operation_id"]] = {k: v.get("example") for k, v in params.items()
                                       if isinstance(v, dict) and "example" in v}
    return out
