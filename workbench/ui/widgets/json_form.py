"""A call form generated from a tool's JSON schema, and the pure logic turning what was typed into arguments.

Why it is built this way: MCP Inspector's argument editor corrupted values in ways we must not repeat.
Typed text was JSON-escaped twice (#1853, #1856); null turned into "" (#1885); nullable enums fell
back to a raw textarea (#1928). So here:

* a string field's text is the value exactly as typed: it is never parsed or escaped here (the MCP
  client encodes the arguments once);
* null is an explicit choice, never an empty box: a "null" toggle beside nullable fields, or a
  "null" option in the Select of a nullable enum or boolean;
* an optional field left empty is omitted; a required one (marked ``*``) is an error;
* everything is validated before anything is sent, and every invalid field says what was expected.

``field_specs`` and ``coerce_form`` are pure (no Textual objects) so they can be unit-tested
without an app; ``JsonForm`` is the widget that collects the raw values and calls them.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass, field
from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.markup import escape
from textual.message import Message
from textual.widgets import Checkbox, Input, Label, Select, Static, TextArea

Raw = dict[str, "str | bool | None"]
"""What a form holds: text per field, a bool for checkboxes, ``None`` for an explicit null."""

_OMIT = object()
_NO_DEFAULT = object()
NULL_CHOICE = "\x00null"
"""The Select value of the explicit "null" option (cannot collide with any enum member's text)."""


class FormError(ValueError):
    """The form cannot be sent. ``errors`` maps each invalid field to what was expected."""

    def __init__(self, errors: dict[str, str]) -> None:
        self.errors = dict(errors)
        super().__init__("\n".join(f"{name}: {msg}" for name, msg in self.errors.items()))


@dataclass(frozen=True)
class FieldSpec:
    """One top-level property of a tool's input schema, as the form shows it."""

    name: str
    kind: str  # "integer" | "number" | "string" | "boolean" | "enum" | "json"
    required: bool
    nullable: bool
    schema: dict[str, Any]  # the non-null part of the property's schema (refs resolved)
    choices: tuple[Any, ...] = ()
    description: str = ""
    default: Any = field(default=_NO_DEFAULT, compare=False)
    example: Any = field(default=_NO_DEFAULT, compare=False)

    @property
    def has_default(self) -> bool:
        return self.default is not _NO_DEFAULT

    @property
    def type_label(self) -> str:
        """``integer``, ``string | null``, ``enum``, ``array``, ``object``, ``JSON``."""
        if self.kind == "json":
            t = self.schema.get("type")
            base = t if isinstance(t, str) else "JSON"
        else:
            base = self.kind
        return base + (" | null" if self.nullable else "")

    @property
    def expected(self) -> str:
        """What the field needs, as a phrase: "an integer", "one of 'low', 'high'", "a JSON array"."""
        if self.kind == "integer":
            return "an integer"
        if self.kind == "number":
            return "a number"
        if self.kind == "string":
            return "a string"
        if self.kind == "boolean":
            return "true or false"
        if self.kind == "enum":
            return "one of " + ", ".join(_choice_text(c) for c in self.choices)
        t = self.schema.get("type")
        names = {"array": "a JSON array", "object": "a JSON object"}
        return names.get(t if isinstance(t, str) else "", "a JSON value")


# ---------------------------------------------------------------------- schema reading (pure)


def _resolve(node: Any, root: dict[str, Any], depth: int = 0) -> Any:
    """Follow local ``$ref``s (``#/$defs/X``, ``#/definitions/X``) and single-member ``allOf``."""
    while isinstance(node, dict) and depth < 32:
        depth += 1
        if isinstance(node.get("$ref"), str) and node["$ref"].startswith("#/"):
            target: Any = root
            for part in node["$ref"][2:].split("/"):
                key = part.replace("~1", "/").replace("~0", "~")
                target = target.get(key) if isinstance(target, dict) else None
            if not isinstance(target, dict):
                return {k: v for k, v in node.items() if k != "$ref"}
            node = {**target, **{k: v for k, v in node.items() if k != "$ref"}}
            continue
        if isinstance(node.get("allOf"), list) and len(node["allOf"]) == 1:
            inner = _resolve(node["allOf"][0], root, depth)
            rest = {k: v for k, v in node.items() if k != "allOf"}
            node = {**(inner if isinstance(inner, dict) else {}), **rest}
            continue
        break
    return node


def _is_null_schema(s: Any) -> bool:
    return isinstance(s, dict) and (s.get("type") == "null" or s.get("enum") == [None]
                                    or ("const" in s and s["const"] is None))


def _split_nullable(prop: dict[str, Any], root: dict[str, Any]) -> tuple[bool, dict[str, Any]]:
    """``(nullable, base)``: handles ``anyOf [X, null]``, ``type: [X, "null"]``, ``nullable``, null enums."""
    nullable = bool(prop.get("nullable"))
    base = dict(prop)
    base.pop("nullable", None)
    for key in ("anyOf", "oneOf"):
        members = base.get(key)
        if isinstance(members, list) and members:
            resolved = [_resolve(m, root) for m in members]
            non_null = [m for m in resolved if not _is_null_schema(m)]
            if len(non_null) < len(resolved):
                nullable = True
            outer = {k: v for k, v in base.items() if k != key}
            if len(non_null) == 1 and isinstance(non_null[0], dict):
                # The member decides the type; the outer schema keeps title, description and default.
                kept = {k: outer[k] for k in ("title", "description", "default") if k in outer}
                base = {**outer, **non_null[0], **kept}
            else:
                base = {**outer, key: non_null}
            break
    t = base.get("type")
    if isinstance(t, list):
        if "null" in t:
            nullable = True
        rest = [x for x in t if x != "null"]
        base["type"] = rest[0] if len(rest) == 1 else rest
    if isinstance(base.get("enum"), list) and None in base["enum"]:
        nullable = True
        base["enum"] = [v for v in base["enum"] if v is not None]
    return nullable, base


def _example(prop: dict[str, Any]) -> Any:
    if "example" in prop:
        return prop["example"]
    ex = prop.get("examples")
    if isinstance(ex, list) and ex:
        return ex[0]
    return _NO_DEFAULT


def field_specs(schema: dict[str, Any] | None) -> list[FieldSpec]:
    """One ``FieldSpec`` per property of an object schema, in the schema's order."""
    root = schema if isinstance(schema, dict) else {}
    props = root.get("properties") if isinstance(root.get("properties"), dict) else {}
    required = set(root.get("required") or [])
    specs: list[FieldSpec] = []
    for name, raw_prop in props.items():
        prop = _resolve(raw_prop, root)
        prop = prop if isinstance(prop, dict) else {}
        nullable, base = _split_nullable(prop, root)
        choices: tuple[Any, ...] = ()
        t = base.get("type")
        if isinstance(base.get("enum"), list) and base["enum"]:
            kind, choices = "enum", tuple(base["enum"])
        elif "const" in base:
            kind, choices = "enum", (base["const"],)
        elif t in ("integer", "number", "string", "boolean"):
            kind = t
        else:
            kind = "json"  # arrays, objects, unions of several types, untyped values
        specs.append(FieldSpec(
            name=name, kind=kind, required=name in required, nullable=nullable, schema=base, choices=choices,
            description=str(prop.get("description") or base.get("description") or prop.get("title") or ""),
            default=prop.get("default", base.get("default", _NO_DEFAULT)),
            example=_example(prop) if _example(prop) is not _NO_DEFAULT else _example(base),
        ))
    return specs


def _choice_text(value: Any) -> str:
    """How an enum member is shown and selected: strings as they are, anything else as JSON."""
    return value if isinstance(value, str) else json.dumps(value)


# ---------------------------------------------------------------------- validation (pure)

_INT_RE = re.compile(r"[+-]?\d+(?:_\d+)*")


def _is_type(value: Any, t: str) -> bool:
    if t == "integer":
        return (isinstance(value, int) and not isinstance(value, bool)) or (
            isinstance(value, float) and value.is_integer())
    if t == "number":
        return isinstance(value, (int, float)) and not isinstance(value, bool)
    if t == "string":
        return isinstance(value, str)
    if t == "boolean":
        return isinstance(value, bool)
    if t == "null":
        return value is None
    if t == "array":
        return isinstance(value, list)
    if t == "object":
        return isinstance(value, dict)
    return True


def _a(t: str) -> str:
    return {"integer": "an integer", "number": "a number", "string": "a string", "boolean": "a boolean",
            "null": "null", "array": "an array", "object": "an object"}.get(t, t)


def _describe_value(v: Any) -> str:
    if v is None:
        return "null"
    if isinstance(v, bool):
        return json.dumps(v)
    if isinstance(v, (int, float)):
        return f"the number {json.dumps(v)}"
    if isinstance(v, str):
        s = v if len(v) <= 40 else v[:40] + "…"
        return f"the string {json.dumps(s, ensure_ascii=False)}"
    if isinstance(v, list):
        return "an array"
    return "an object"


def _same(a: Any, b: Any) -> bool:
    return a == b and isinstance(a, bool) == isinstance(b, bool)


def _describe_schema(schema: dict[str, Any]) -> str:
    if isinstance(schema.get("enum"), list):
        return "one of " + ", ".join(json.dumps(v) for v in schema["enum"])
    t = schema.get("type")
    if isinstance(t, str):
        return _a(t)
    if isinstance(t, list):
        return " or ".join(_a(x) for x in t)
    for key in ("anyOf", "oneOf"):
        if isinstance(schema.get(key), list):
            return " or ".join(_describe_schema(m) for m in schema[key] if isinstance(m, dict)) or "a value"
    return "a value"


def validate_value(value: Any, schema: Any, root: dict[str, Any] | None = None, path: str = "") -> list[str]:
    """Problems of a JSON value against a JSON schema (the subset tools use), each prefixed by its path."""
    root = root or {}
    schema = _resolve(schema, root)
    if not isinstance(schema, dict) or not schema:
        return []
    where = f"{path}: " if path else ""
    for key in ("anyOf", "oneOf"):
        members = schema.get(key)
        if isinstance(members, list) and members:
            if not any(not validate_value(value, m, root, path) for m in members):
                return [f"{where}expected {_describe_schema(schema)}, got {_describe_value(value)}"]
    for member in schema.get("allOf") or []:
        problems = validate_value(value, member, root, path)
        if problems:
            return problems
    if "const" in schema and not _same(value, schema["const"]):
        return [f"{where}expected {json.dumps(schema['const'])}, got {_describe_value(value)}"]
    if isinstance(schema.get("enum"), list) and not any(_same(value, e) for e in schema["enum"]):
        return [f"{where}expected one of {', '.join(json.dumps(e) for e in schema['enum'])}, "
                f"got {_describe_value(value)}"]
    t = schema.get("type")
    types = [t] if isinstance(t, str) else t if isinstance(t, list) else []
    if types and not any(_is_type(value, x) for x in types):
        return [f"{where}expected {' or '.join(_a(x) for x in types)}, got {_describe_value(value)}"]
    problems: list[str] = []
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if isinstance(schema.get("minimum"), (int, float)) and value < schema["minimum"]:
            problems.append(f"{where}must be at least {schema['minimum']}, got {value}")
        if isinstance(schema.get("maximum"), (int, float)) and value > schema["maximum"]:
            problems.append(f"{where}must be at most {schema['maximum']}, got {value}")
        xmin, xmax = schema.get("exclusiveMinimum"), schema.get("exclusiveMaximum")
        if isinstance(xmin, (int, float)) and not isinstance(xmin, bool) and value <= xmin:
            problems.append(f"{where}must be greater than {xmin}, got {value}")
        if isinstance(xmax, (int, float)) and not isinstance(xmax, bool) and value >= xmax:
            problems.append(f"{where}must be less than {xmax}, got {value}")
    if isinstance(value, str):
        if isinstance(schema.get("minLength"), int) and len(value) < schema["minLength"]:
            problems.append(f"{where}must be at least {schema['minLength']} characters long")
        if isinstance(schema.get("maxLength"), int) and len(value) > schema["maxLength"]:
            problems.append(f"{where}must be at most {schema['maxLength']} characters long")
        if isinstance(schema.get("pattern"), str):
            try:
                if re.search(schema["pattern"], value) is None:
                    problems.append(f"{where}must match the pattern {schema['pattern']}")
            except re.error:
                pass
    if isinstance(value, list):
        if isinstance(schema.get("minItems"), int) and len(value) < schema["minItems"]:
            problems.append(f"{where}needs at least {schema['minItems']} items")
        if isinstance(schema.get("maxItems"), int) and len(value) > schema["maxItems"]:
            problems.append(f"{where}takes at most {schema['maxItems']} items")
        items = schema.get("items")
        if isinstance(items, dict):
            for i, item in enumerate(value):
                problems += validate_value(item, items, root, f"{path}[{i}]")
    if isinstance(value, dict):
        props = schema.get("properties") if isinstance(schema.get("properties"), dict) else {}
        for key in schema.get("required") or []:
            if key not in value:
                problems.append(f"{where}missing the required key {json.dumps(key)}")
        for key, item in value.items():
            sub = f"{path}.{key}" if path else str(key)
            if key in props:
                problems += validate_value(item, props[key], root, sub)
            elif schema.get("additionalProperties") is False:
                problems.append(f"{sub}: unknown key (allowed: {', '.join(props) or 'none'})")
            elif isinstance(schema.get("additionalProperties"), dict):
                problems += validate_value(item, schema["additionalProperties"], root, sub)
    return problems


class _Invalid(Exception):
    pass


def _allows_string(schema: dict[str, Any], root: dict[str, Any]) -> bool:
    return not validate_value("", {k: v for k, v in schema.items()
                                   if k in ("type", "anyOf", "oneOf")}, root)


def _coerce_field(spec: FieldSpec, raw: str | bool | None, root: dict[str, Any]) -> Any:
    """One field's value, ``_OMIT`` when left empty; raises ``_Invalid`` with what was expected."""
    if raw is None:
        if spec.nullable:
            return None
        raise _Invalid(f"null is not allowed here: expected {spec.expected}")
    if spec.kind == "boolean":
        if isinstance(raw, bool):
            return raw
        s = raw.strip().lower()
        if s == "":
            return _OMIT
        if s in ("true", "false"):
            return s == "true"
        raise _Invalid(f"expected true or false, got {json.dumps(raw)}")
    if isinstance(raw, bool):
        raise _Invalid(f"expected {spec.expected}, got {json.dumps(raw)}")
    value: Any
    if spec.kind == "string":
        if raw == "":
            return _OMIT
        value = raw  # exactly as typed: never stripped, parsed or escaped
    elif spec.kind == "integer":
        s = raw.strip()
        if s == "":
            return _OMIT
        if not _INT_RE.fullmatch(s):
            raise _Invalid(f"expected an integer, got {json.dumps(raw)}")
        value = int(s)
    elif spec.kind == "number":
        s = raw.strip()
        if s == "":
            return _OMIT
        if _INT_RE.fullmatch(s):
            value = int(s)
        else:
            try:
                value = float(s)
            except ValueError:
                raise _Invalid(f"expected a number, got {json.dumps(raw)}") from None
            if not math.isfinite(value) or s.lower().lstrip("+-") in ("inf", "infinity", "nan"):
                raise _Invalid(f"expected a finite number, got {json.dumps(raw)}")
    elif spec.kind == "enum":
        if raw == "":
            return _OMIT
        for choice in spec.choices:
            if _choice_text(choice) == raw:
                return choice
        raise _Invalid(f"expected {spec.expected}, got {json.dumps(raw)}")
    else:  # json
        s = raw.strip()
        if s == "":
            return _OMIT
        string_ok = _allows_string(spec.schema, root)
        try:
            value = json.loads(s)
        except json.JSONDecodeError as exc:
            if string_ok:
                return raw  # a union that allows strings: text that is not JSON is the string itself
            raise _Invalid(f"expected {spec.expected}: invalid JSON ({exc.msg} at line {exc.lineno}, "
                           f"column {exc.colno})") from None
        if value is None:
            if spec.nullable:
                return None
            raise _Invalid(f"null is not allowed here: expected {spec.expected}")
        problems = validate_value(value, spec.schema, root)
        as_text_ok = string_ok and not isinstance(value, str) and not validate_value(raw, spec.schema, root)
        if problems and as_text_ok:
            return raw
        if problems:
            more = f" (and {len(problems) - 3} more)" if len(problems) > 3 else ""
            raise _Invalid("; ".join(problems[:3]) + more)
        return value
    problems = validate_value(value, spec.schema, root)
    if problems:
        raise _Invalid("; ".join(problems[:3]))
    return value


def coerce_form(schema: dict[str, Any] | None, raw: Raw) -> dict[str, Any]:
    """The arguments to send, from the form's raw values; raises ``FormError`` listing every invalid field.

    ``raw`` maps a field to its text (``""`` or absent: left empty), a bool (a checkbox), or ``None``
    (the explicit null). Empty optional fields are omitted; empty required ones are errors.
    """
    root = schema if isinstance(schema, dict) else {}
    out: dict[str, Any] = {}
    errors: dict[str, str] = {}
    for spec in field_specs(root):
        value = raw[spec.name] if spec.name in raw else ""
        try:
            coerced = _coerce_field(spec, value, root)
        except _Invalid as exc:
            errors[spec.name] = str(exc)
            continue
        if coerced is _OMIT:
            if spec.required:
                errors[spec.name] = f"required: enter {spec.expected}" + (
                    " (or choose null)" if spec.nullable else "")
            continue
        out[spec.name] = coerced
    if errors:
        raise FormError(errors)
    return out


# ---------------------------------------------------------------------- the widget


def _field_id(name: str) -> str:
    return "field-" + re.sub(r"[^A-Za-z0-9_-]", "_", name)


def example_value(schema: Any, root: dict[str, Any], depth: int = 0) -> Any:
    """A plausible value for a schema, from its examples where it has them (for JSON fields' placeholders)."""
    schema = _resolve(schema, root)
    if not isinstance(schema, dict) or depth > 4:
        return None
    ex = _example(schema)
    if ex is not _NO_DEFAULT:
        return ex
    if "default" in schema:
        return schema["default"]
    if isinstance(schema.get("enum"), list) and schema["enum"]:
        return schema["enum"][0]
    _, base = _split_nullable(schema, root)
    t = base.get("type")
    if t == "array":
        return [example_value(base.get("items"), root, depth + 1)]
    if t == "object" or isinstance(base.get("properties"), dict):
        props = base.get("properties") or {}
        required = base.get("required") or list(props)
        return {k: example_value(v, root, depth + 1) for k, v in props.items() if k in required}
    return {"integer": 0, "number": 0, "string": "", "boolean": False}.get(t if isinstance(t, str) else "")


def _hint(spec: FieldSpec, root: dict[str, Any] | None = None) -> str:
    parts = [spec.type_label]
    if spec.description:
        parts.append(spec.description)
    hint = " · ".join(parts)
    if spec.has_default:
        hint += f" (default {json.dumps(spec.default, ensure_ascii=False)})"
    elif spec.example is not _NO_DEFAULT:
        ex = spec.example if isinstance(spec.example, str) else json.dumps(spec.example, ensure_ascii=False)
        hint += f" (e.g. {ex})"
    elif spec.kind == "json" and root is not None:
        hint += f", e.g. {json.dumps(example_value(spec.schema, root), ensure_ascii=False)}"
    return hint


class FieldRow(Vertical):
    """One field: its label (``*`` when required), an editor, a null toggle when nullable, its error."""

    BINDINGS = [Binding("ctrl+n", "toggle_null", "Null", id="json-form-null",
                        tooltip="Send JSON null for this field (or stop sending it)")]

    def __init__(self, spec: FieldSpec, field_id: str, root: dict[str, Any] | None = None) -> None:
        super().__init__(classes="json-form--row")
        self.spec = spec
        self.field_id = field_id
        self.root = root or {}

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "toggle_null":
            return self.spec.nullable
        return True

    def _uses_select(self) -> bool:
        s = self.spec
        return s.kind == "enum" or (s.kind == "boolean" and (s.nullable or not s.required))

    def _uses_toggle(self) -> bool:
        return self.spec.nullable and not self._uses_select()

    def compose(self) -> ComposeResult:
        s = self.spec
        label = Content.assemble((s.name, "bold" if s.required else ""),
                                 (" *", "$text-error") if s.required else "")
        with Horizontal(classes="json-form--line"):
            lab = Label(label, classes="json-form--label")
            lab.tooltip = Content(f"{s.name}: {_hint(s, self.root)}")
            yield lab
            yield self._editor()
            if self._uses_toggle():
                toggle = Checkbox("null", compact=True, id=f"{self.field_id}--null",
                                  classes="json-form--null",
                                  tooltip="Send JSON null for this field (ctrl+n in the field)")
                toggle.can_focus = False  # tab goes field to field; ctrl+n toggles null from the field
                yield toggle
        yield Static("", classes="json-form--error", markup=False)

    def _editor(self):
        s, hint = self.spec, _hint(self.spec, self.root)
        if self._uses_select():
            values = list(s.choices) if s.kind == "enum" else [True, False]
            # rich Text, not str: never parsed as markup, and still found by type-to-search
            options: list[tuple[Text, str]] = [(Text(_choice_text(v)), _choice_text(v)) for v in values]
            if s.nullable:
                options.append((Text("null", style="italic"), NULL_CHOICE))
            prompt = escape(("(choose)" if s.required else "(not sent)") + " · " + hint)
            return Select(options, prompt=prompt, compact=True, id=self.field_id, classes="json-form--editor",
                          tooltip=Content(hint))
        if s.kind == "boolean":
            return Checkbox("true", value=bool(s.default) if s.has_default else False, compact=True,
                            id=self.field_id, classes="json-form--editor", tooltip=Content(hint))
        if s.kind == "json" and s.schema.get("type") in ("array", "object"):
            # No language="json": with this env's tree-sitter-json 0.24.8 + tree-sitter 0.26.1 the JSON
            # highlighter segfaults the process. The text is validated as JSON on submit instead.
            return TextArea("", soft_wrap=True, compact=True, id=self.field_id,
                            classes="json-form--editor -json", placeholder=hint, tooltip=Content(hint))
        itype = s.kind if s.kind in ("integer", "number") else "text"
        return Input(placeholder=hint, type=itype, compact=True, id=self.field_id,
                     classes="json-form--editor", tooltip=Content(hint), select_on_focus=False)

    @property
    def editor(self):
        return self.query_one(f"#{self.field_id}")

    def is_null(self) -> bool:
        if self._uses_toggle():
            return self.query_one(f"#{self.field_id}--null", Checkbox).value
        return False

    def raw(self) -> str | bool | None:
        if self.is_null():
            return None
        ed = self.editor
        if isinstance(ed, Select):
            v = ed.value
            if v is Select.NULL:
                return ""
            return None if v == NULL_CHOICE else str(v)
        if isinstance(ed, Checkbox):
            return ed.value
        if isinstance(ed, TextArea):
            return ed.text
        return ed.value

    def set_raw(self, value: str | bool | None) -> None:
        """Fill the field programmatically (``None``: the explicit null)."""
        ed = self.editor
        if isinstance(ed, Select):
            ed.value = NULL_CHOICE if value is None else (Select.NULL if value == "" else str(value))
            return
        if value is None:
            self.query_one(f"#{self.field_id}--null", Checkbox).value = True
            return
        if self._uses_toggle():
            self.query_one(f"#{self.field_id}--null", Checkbox).value = False
        if isinstance(ed, Checkbox):
            ed.value = bool(value)
        elif isinstance(ed, TextArea):
            ed.load_text(str(value))
        else:
            ed.value = str(value)

    def set_error(self, message: str | None) -> None:
        self.set_class(bool(message), "-invalid")
        self.query_one(".json-form--error", Static).update(f"{self.spec.name}: {message}" if message else "")

    def action_toggle_null(self) -> None:
        if self._uses_toggle():
            box = self.query_one(f"#{self.field_id}--null", Checkbox)
            box.value = not box.value
        elif self._uses_select():
            ed = self.editor
            if self.spec.nullable:
                ed.value = Select.NULL if ed.value == NULL_CHOICE else NULL_CHOICE

    @on(Checkbox.Changed, ".json-form--null")
    def _null_toggled(self, event: Checkbox.Changed) -> None:
        """Null on: the editor is emptied and says "null"; typing into it turns null off again."""
        event.stop()
        self.set_class(event.value, "-null")
        ed = self.editor
        if event.value:
            self._typed_while_null = False
            if isinstance(ed, TextArea):
                ed.load_text("")
            elif isinstance(ed, Input):
                ed.value = ""
            ed.placeholder = "null  (type to enter a value instead)"
        else:
            ed.placeholder = _hint(self.spec, self.root)

    @on(Input.Changed, ".json-form--editor")
    @on(TextArea.Changed, ".json-form--editor")
    def _typed(self, event: Input.Changed | TextArea.Changed) -> None:
        text = event.value if isinstance(event, Input.Changed) else event.text_area.text
        if text and self.is_null():
            self.query_one(f"#{self.field_id}--null", Checkbox).value = False


class JsonForm(Vertical):
    """One tool's call form: ``JsonForm(schema)``; ``value()`` gives the arguments or raises ``FormError``.

    Enter in a one-line field posts ``JsonForm.Submitted`` (the Tools pane calls the tool then).
    """

    DEFAULT_CSS = """
    JsonForm { height: auto; }
    JsonForm .json-form--empty { color: $text-muted; }
    JsonForm .json-form--row { height: auto; }
    JsonForm .json-form--line { height: auto; }
    JsonForm .json-form--label {
        width: 22; min-width: 22; text-wrap: nowrap; text-overflow: ellipsis; padding-right: 1;
    }
    JsonForm .json-form--editor { width: 1fr; }
    JsonForm Input.json-form--editor { background: $boost; }
    JsonForm TextArea.json-form--editor { height: 4; background: $boost; }
    JsonForm .json-form--null { width: auto; margin-left: 1; }
    JsonForm .json-form--error { display: none; color: $text-error; padding-left: 22; height: auto; }
    JsonForm .-invalid .json-form--error { display: block; }
    JsonForm .-invalid .json-form--label { color: $text-error; }
    JsonForm .-null .json-form--null { color: $text-warning; text-style: bold; }
    """

    @dataclass
    class Submitted(Message):
        """Enter was pressed in one of the form's one-line fields."""

        form: JsonForm

        @property
        def control(self) -> JsonForm:
            return self.form

    def __init__(self, schema: dict[str, Any] | None, *, id: str | None = None,
                 classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.schema = schema if isinstance(schema, dict) else {}
        self.specs = field_specs(self.schema)
        seen: set[str] = set()
        self._ids: dict[str, str] = {}
        for spec in self.specs:
            fid = _field_id(spec.name)
            while fid in seen:
                fid += "_"
            seen.add(fid)
            self._ids[spec.name] = fid

    def compose(self) -> ComposeResult:
        if not self.specs:
            yield Static("This tool takes no arguments.", classes="json-form--empty")
        for spec in self.specs:
            yield FieldRow(spec, self._ids[spec.name], self.schema)

    def rows(self) -> list[FieldRow]:
        return list(self.query(FieldRow))

    def row(self, name: str) -> FieldRow:
        return next(r for r in self.rows() if r.spec.name == name)

    def raw(self) -> Raw:
        return {r.spec.name: r.raw() for r in self.rows()}

    def set_raw(self, values: Raw) -> None:
        for name, value in values.items():
            self.row(name).set_raw(value)

    def value(self) -> dict[str, Any]:
        """The arguments to send; marks and raises ``FormError`` when a field is invalid."""
        try:
            out = coerce_form(self.schema, self.raw())
        except FormError as exc:
            self.show_errors(exc.errors)
            raise
        self.show_errors({})
        return out

    def show_errors(self, errors: dict[str, str]) -> None:
        for r in self.rows():
            r.set_error(errors.get(r.spec.name))

    def focus_first(self) -> None:
        rows = self.rows()
        if rows:
            rows[0].editor.focus()

    @on(Input.Submitted, ".json-form--editor")
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.post_message(self.Submitted(self))
