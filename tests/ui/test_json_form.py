"""coerce_form / field_specs: the form's validation without an app (Inspector #1853 #1856 #1885 #1928)."""

from __future__ import annotations

import json

import pytest

from workbench.ui.widgets.json_form import FormError, coerce_form, field_specs, validate_value

# The shapes fastapi-mcp produces for the sample environments (it_service_desk, riverside_clinic,
# procure_to_pay), plus the other spellings of "nullable" and a $ref.
SCHEMA = {
    "type": "object",
    "properties": {
        "ticket_id": {"type": "integer", "description": "Ticket ID"},
        "subject": {"anyOf": [{"type": "string"}, {"type": "null"}], "description": "New subject"},
        "priority": {"anyOf": [{"type": "string", "enum": ["low", "normal", "high"]}, {"type": "null"}]},
        "sex": {"type": "string", "enum": ["F", "M", "X"]},
        "quantity": {"type": "number"},
        "assignee_id": {"anyOf": [{"type": "integer"}, {"type": "null"}]},
        "include_internal": {"type": "boolean", "default": True},
        "acknowledged": {"anyOf": [{"type": "boolean"}, {"type": "null"}]},
        "lines": {"type": "array", "items": {"$ref": "#/$defs/Line"}},
        "meta": {"type": "object"},
        "note": {"type": ["string", "null"]},
        "level": {"type": "integer", "minimum": 1, "maximum": 3},
    },
    "required": ["ticket_id", "sex"],
    "$defs": {
        "Line": {
            "type": "object",
            "properties": {"item_id": {"type": "integer"}, "quantity": {"type": "number"}},
            "required": ["item_id", "quantity"],
        }
    },
}


def specs_by_name():
    return {s.name: s for s in field_specs(SCHEMA)}


def test_field_kinds_nullables_and_required() -> None:
    s = specs_by_name()
    assert [n for n in s] == list(SCHEMA["properties"])
    assert (s["ticket_id"].kind, s["ticket_id"].required, s["ticket_id"].nullable) == ("integer", True, False)
    assert (s["subject"].kind, s["subject"].nullable) == ("string", True)
    # A nullable enum stays an enum (a Select with a null choice), never a raw JSON box (#1928).
    p = s["priority"]
    assert (p.kind, p.nullable, p.choices) == ("enum", True, ("low", "normal", "high"))
    assert s["sex"].kind == "enum" and not s["sex"].nullable
    assert s["quantity"].kind == "number"
    assert s["include_internal"].kind == "boolean" and s["include_internal"].default is True
    assert s["acknowledged"].kind == "boolean" and s["acknowledged"].nullable
    assert s["lines"].kind == "json" and s["lines"].type_label == "array"
    assert s["meta"].kind == "json" and s["meta"].type_label == "object"
    assert s["note"].kind == "string" and s["note"].nullable and s["note"].type_label == "string | null"
    assert s["subject"].description == "New subject"


def test_types_are_coerced() -> None:
    out = coerce_form(SCHEMA, {"ticket_id": " 15 ", "sex": "F", "quantity": "2.5", "assignee_id": "-3",
                               "include_internal": False, "acknowledged": "true", "level": "2"})
    assert out == {"ticket_id": 15, "sex": "F", "quantity": 2.5, "assignee_id": -3, "include_internal": False,
                   "acknowledged": True, "level": 2}
    assert type(coerce_form(SCHEMA, {"ticket_id": "1", "sex": "M", "quantity": "4"})["quantity"]) is int
    assert coerce_form(SCHEMA, {"ticket_id": "1", "sex": "M", "quantity": "1e3"})["quantity"] == 1000.0


def test_optional_fields_left_empty_are_omitted() -> None:
    assert coerce_form(SCHEMA, {"ticket_id": "7", "sex": "X", "subject": "", "priority": "", "lines": "  ",
                                "acknowledged": ""}) == {"ticket_id": 7, "sex": "X"}
    assert coerce_form(SCHEMA, {"ticket_id": "7", "sex": "X"}) == {"ticket_id": 7, "sex": "X"}


def test_null_is_explicit_and_never_an_empty_string() -> None:
    """#1885: an explicit null stays null; an empty box is omitted, never sent as ""."""
    out = coerce_form(SCHEMA, {"ticket_id": "1", "sex": "F", "subject": None, "priority": None, "note": None,
                               "assignee_id": None, "acknowledged": None})
    assert out == {"ticket_id": 1, "sex": "F", "subject": None, "priority": None, "note": None,
                   "assignee_id": None, "acknowledged": None}
    assert json.dumps(out["subject"]) == "null"
    with pytest.raises(FormError) as err:
        coerce_form(SCHEMA, {"ticket_id": None, "sex": "F"})
    assert err.value.errors == {"ticket_id": "null is not allowed here: expected an integer"}


def test_strings_are_sent_exactly_as_typed() -> None:
    """#1853 / #1856: quotes, backslashes, JSON-looking text and spaces are never escaped or parsed."""
    typed_values = ['He said "hi"', "C:\\temp\\new", '{"a": 1}', "null", "  padded  ", "line\\nbreak", "15",
                    "ünïcödé"]
    for typed in typed_values:
        out = coerce_form(SCHEMA, {"ticket_id": "1", "sex": "F", "subject": typed})
        assert out["subject"] == typed
        assert json.loads(json.dumps(out))["subject"] == typed  # encoded once, decodes to what was typed


def test_enums() -> None:
    assert coerce_form(SCHEMA, {"ticket_id": "1", "sex": "M", "priority": "high"})["priority"] == "high"
    with pytest.raises(FormError) as err:
        coerce_form(SCHEMA, {"ticket_id": "1", "sex": "male"})
    assert err.value.errors["sex"] == 'expected one of F, M, X, got "male"'
    ints = {"type": "object", "properties": {"n": {"enum": [1, 2, None]}}}
    assert field_specs(ints)[0].nullable
    assert coerce_form(ints, {"n": "2"}) == {"n": 2}
    assert coerce_form(ints, {"n": None}) == {"n": None}


def test_arrays_and_objects_as_json() -> None:
    out = coerce_form(SCHEMA, {"ticket_id": "1", "sex": "F", "lines": '[{"item_id": 4, "quantity": 2}]',
                               "meta": '{"k": "v \\"q\\""}'})
    assert out["lines"] == [{"item_id": 4, "quantity": 2}]
    assert out["meta"] == {"k": 'v "q"'}
    with pytest.raises(FormError) as err:
        coerce_form(SCHEMA, {"ticket_id": "1", "sex": "F", "lines": "[{item_id: 4}]", "meta": "[1]"})
    assert err.value.errors["lines"].startswith("expected a JSON array: invalid JSON (")
    assert "line 1, column 3" in err.value.errors["lines"]
    assert err.value.errors["meta"] == "expected an object, got an array"
    with pytest.raises(FormError) as err:
        lines = '[{"item_id": "x", "quantity": 1}, {"item_id": 2}]'
        coerce_form(SCHEMA, {"ticket_id": "1", "sex": "F", "lines": lines})
    assert err.value.errors["lines"] == ('[0].item_id: expected an integer, got the string "x"; '
                                         '[1]: missing the required key "quantity"')


def test_errors_list_every_invalid_field_with_what_was_expected() -> None:
    with pytest.raises(FormError) as err:
        coerce_form(SCHEMA, {"ticket_id": "12a", "quantity": "abc", "assignee_id": "1.5",
                             "include_internal": "yes", "level": "5"})
    e = err.value.errors
    assert list(e) == ["ticket_id", "sex", "quantity", "assignee_id", "include_internal", "level"]
    assert e["ticket_id"] == 'expected an integer, got "12a"'
    assert e["sex"] == "required: enter one of F, M, X"
    assert e["quantity"] == 'expected a number, got "abc"'
    assert e["assignee_id"] == 'expected an integer, got "1.5"'
    assert e["include_internal"] == 'expected true or false, got "yes"'
    assert e["level"] == "must be at most 3, got 5"
    assert str(err.value).splitlines()[0] == 'ticket_id: expected an integer, got "12a"'


def test_required_nullable_field_says_null_is_a_choice() -> None:
    schema = {"type": "object", "properties": {"x": {"anyOf": [{"type": "integer"}, {"type": "null"}]}},
              "required": ["x"]}
    with pytest.raises(FormError) as err:
        coerce_form(schema, {"x": ""})
    assert err.value.errors == {"x": "required: enter an integer (or choose null)"}
    assert coerce_form(schema, {"x": None}) == {"x": None}


def test_numbers_reject_non_finite_values() -> None:
    schema = {"type": "object", "properties": {"q": {"type": "number"}}}
    for bad in ("nan", "inf", "-Infinity"):
        with pytest.raises(FormError):
            coerce_form(schema, {"q": bad})


def test_unions_and_untyped_values() -> None:
    schema = {"type": "object", "properties": {
        "id_or_name": {"anyOf": [{"type": "integer"}, {"type": "string"}]},
        "anything": {},
    }}
    spec = field_specs(schema)
    assert [s.kind for s in spec] == ["json", "json"]
    assert coerce_form(schema, {"id_or_name": "42"}) == {"id_or_name": 42}
    assert coerce_form(schema, {"id_or_name": "alice"}) == {"id_or_name": "alice"}
    assert coerce_form(schema, {"anything": '{"a": [1]}'}) == {"anything": {"a": [1]}}


def test_openapi_nullable_and_refs() -> None:
    schema = {"type": "object", "properties": {"s": {"type": "string", "nullable": True},
                                               "st": {"$ref": "#/definitions/Status"}},
              "definitions": {"Status": {"type": "string", "enum": ["open", "closed"]}}}
    s = field_specs(schema)
    assert s[0].nullable and s[0].kind == "string"
    assert s[1].kind == "enum" and s[1].choices == ("open", "closed")


def test_validate_value_paths() -> None:
    schema = {"type": "object", "properties": {"a": {"type": "array", "items": {"type": "integer"}}}}
    assert validate_value({"a": [1, "x"]}, schema) == ['a[1]: expected an integer, got the string "x"']
    assert validate_value(True, {"type": "integer"}) == ["expected an integer, got true"]


def test_no_properties_means_no_arguments() -> None:
    assert field_specs({"type": "object", "properties": {}}) == []
    assert coerce_form({"type": "object", "properties": {}}, {}) == {}
    assert coerce_form(None, {}) == {}
