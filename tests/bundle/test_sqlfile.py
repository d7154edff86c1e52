from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from workbench.bundle.sqlfile import parse_data, parse_schema, render_data, render_schema, split_sql


def test_semicolons_inside_strings_do_not_split() -> None:
    text = "INSERT INTO t (a) VALUES ('x; y');\nINSERT INTO t (a) VALUES ('line1\nline2;');\n"
    items = [i.text for i in split_sql(text).items]
    assert items == ["INSERT INTO t (a) VALUES ('x; y');", "INSERT INTO t (a) VALUES ('line1\nline2;');"]


def test_handwritten_schema_without_markers() -> None:
    text = (
        "-- helpdesk\nCREATE TABLE users (id INTEGER PRIMARY KEY);\nCREATE INDEX i1 ON users(id);\n\n"
        "CREATE TABLE IF NOT EXISTS \"tickets\" (\n  id INTEGER PRIMARY KEY\n);\n"
    )
    schema, problems = parse_schema(text)
    assert not problems
    assert [t["name"] for t in schema["tables"]] == ["users", "tickets"]
    assert schema["tables"][0]["indexes"] == ["CREATE INDEX i1 ON users(id);"]
    assert schema["tables"][1]["indexes"] == []


def test_unterminated_statement_is_reported_with_line() -> None:
    schema, problems = parse_schema("CREATE TABLE a (id INTEGER);\n\nCREATE TABLE b (id INTEGER)\n")
    assert problems and problems[0].line == 3


def test_broken_statement_survives_as_json_marker() -> None:
    data = {"tables": [{"table_name": "m", "reasoning": "r", "insert_statements": [
        "INSERT INTO m (a) VALUES ('I'll break');", "INSERT INTO m (a) VALUES (1);"]}]}
    text = render_data(data)
    assert "-- @stmt-json" in text
    back, _ = parse_data(text)
    assert back == data


def test_multiline_reasoning_and_missing_reasoning() -> None:
    data = {"tables": [
        {"table_name": "a", "reasoning": "two\nlines", "insert_statements": ["INSERT INTO a VALUES (1);"]},
        {"table_name": "b", "insert_statements": []},
    ]}
    back, _ = parse_data(render_data(data))
    assert back == data


_ident = st.from_regex(r"[a-z][a-z0-9_]{0,10}", fullmatch=True)
_value = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=30)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(_ident, st.lists(_value, max_size=4), st.one_of(st.none(), _value)), max_size=5))
def test_data_round_trip_property(groups) -> None:
    data = {"tables": []}
    for name, values, reasoning in groups:
        g = {"table_name": name}
        if reasoning is not None:
            g["reasoning"] = reasoning
        g["insert_statements"] = [f"INSERT INTO {name} (v) VALUES ('{v.replace(chr(39), chr(39) * 2)}');" for v in values]
        data["tables"].append(g)
    back, _ = parse_data(render_data(data))
    assert back == data


@settings(max_examples=100, deadline=None)
@given(st.lists(st.tuples(_ident, st.text(max_size=40), st.lists(st.text(max_size=30), max_size=3)), max_size=4))
def test_schema_round_trip_property_arbitrary_strings(tables) -> None:
    """Even garbage DDL (as an LLM may produce) reads back exactly."""
    schema = {"tables": [{"name": n, "ddl": d, "indexes": i} for n, d, i in tables]}
    back, _ = parse_schema(render_schema(schema))
    assert back == schema
