"""schema.sql and data.sql: readable SQL files that map one-to-one onto AWM's JSON structures.

schema.sql ⇄ ``db_schema = {"tables": [{"name", "ddl", "indexes", ["examples"]}]}``
data.sql   ⇄ ``sample_data = {"tables": [{"table_name", "reasoning", "insert_statements"}]}``

Statements are split with SQLite's own ``complete_statement``, so semicolons inside strings are
safe. ``-- @table``/``-- @reasoning``/``-- @examples`` comment lines carry what SQL cannot.
"""

from __future__ import annotations

import json
import re
import sqlite3
from dataclasses import dataclass, field

_CREATE_TABLE = re.compile(
    r"^\s*CREATE\s+(?:TEMP\s+|TEMPORARY\s+)?TABLE\s+(?:IF\s+NOT\s+EXISTS\s+)?[\"`\[]?([^\s\"`\]\(]+)",
    re.IGNORECASE,
)
_INSERT_INTO = re.compile(r"^\s*(?:INSERT|REPLACE)(?:\s+OR\s+\w+)?\s+INTO\s+[\"`\[]?([^\s\"`\]\(]+)", re.IGNORECASE)


@dataclass
class SqlItem:
    """A statement or a marker read from a SQL file, with its 1-based starting line."""

    kind: str  # "stmt" | "marker"
    text: str
    line: int
    arg: str = ""


@dataclass
class ParseProblem:
    line: int
    message: str


@dataclass
class ParsedSql:
    items: list[SqlItem] = field(default_factory=list)
    problems: list[ParseProblem] = field(default_factory=list)


def complete_statement(text: str) -> bool:
    """``sqlite3.complete_statement`` that treats text it cannot take (NUL bytes) as incomplete."""
    if "\x00" in text:
        return False
    return sqlite3.complete_statement(text)


def split_sql(text: str) -> ParsedSql:
    """Split a SQL file into statements and ``-- @marker`` lines, keeping each statement verbatim."""
    out = ParsedSql()
    buf: list[str] = []
    start = 0
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    for n, line in enumerate(lines, start=1):
        if not buf:
            stripped = line.strip()
            if not stripped:
                continue
            if stripped.startswith("--"):
                m = re.match(r"--\s*@([\w-]+)\s?(.*)$", stripped)
                if m and m.group(1) == "stmt-json":
                    try:
                        out.items.append(SqlItem("stmt", json.loads(m.group(2)), n))
                    except ValueError as exc:
                        out.problems.append(ParseProblem(n, f"-- @stmt-json is not a JSON string: {exc}"))
                elif m:
                    out.items.append(SqlItem("marker", m.group(1), n, m.group(2)))
                continue
            start = n
        buf.append(line)
        joined = "\n".join(buf)
        if complete_statement(joined):
            out.items.append(SqlItem("stmt", joined, start))
            buf = []
    if buf:
        out.problems.append(ParseProblem(start, "statement is not terminated with ';'"))
        out.items.append(SqlItem("stmt", "\n".join(buf), start))
    return out


def table_name_of_ddl(ddl: str) -> str | None:
    m = _CREATE_TABLE.match(ddl)
    return m.group(1) if m else None


def table_name_of_insert(stmt: str) -> str | None:
    m = _INSERT_INTO.match(stmt)
    return m.group(1) if m else None


def _marker_value(item: SqlItem) -> str:
    if item.text.endswith("-json"):
        return json.loads(item.arg)
    return item.arg


def _statement_lines(stmt: str) -> str:
    """A statement as written in the file: verbatim when it reads back as itself, else JSON-quoted."""
    if isinstance(stmt, str):
        items = split_sql(stmt + "\n").items
        if len(items) == 1 and items[0].kind == "stmt" and items[0].text == stmt and not split_sql(stmt).problems:
            return stmt
    return f"-- @stmt-json {json.dumps(stmt, ensure_ascii=False)}"


def _marker_line(name: str, value: str) -> str:
    if "\n" in value or "\r" in value or value != value.strip():
        return f"-- @{name}-json {json.dumps(value, ensure_ascii=False)}"
    return f"-- @{name} {value}" if value else f"-- @{name}"


def parse_schema(text: str) -> tuple[dict, list[ParseProblem]]:
    """Parse schema.sql into AWM's ``db_schema`` object."""
    parsed = split_sql(text)
    tables: list[dict] = []
    current: dict | None = None
    pending_name: str | None = None
    section = "indexes"
    problems = list(parsed.problems)
    for item in parsed.items:
        if item.kind == "marker":
            if item.text in ("table", "table-json"):
                pending_name = _marker_value(item)
                current = None
            elif item.text == "examples":
                section = "examples"
                if current is not None:
                    current.setdefault("examples", [])
            continue
        stmt = item.text
        name = table_name_of_ddl(stmt)
        if pending_name is not None or (name is not None and current is None) or (
            name is not None and pending_name is None and current is not None
        ):
            tname = pending_name if pending_name is not None else name
            current = {"name": tname, "ddl": stmt, "indexes": []}
            tables.append(current)
            pending_name = None
            section = "indexes"
            continue
        if current is None:
            problems.append(ParseProblem(item.line, "statement before any CREATE TABLE"))
            continue
        current.setdefault(section, []).append(stmt)
    return {"tables": tables}, problems


def render_schema(db_schema: dict) -> str:
    """Render AWM's ``db_schema`` as schema.sql."""
    blocks = []
    for table in db_schema.get("tables", []):
        lines = [_marker_line("table", str(table.get("name", "")))]
        lines.append(_statement_lines(table.get("ddl", "")))
        lines.extend(_statement_lines(i) for i in table.get("indexes", []) or [])
        if "examples" in table:
            lines.append("-- @examples")
            lines.extend(_statement_lines(e) for e in table.get("examples") or [])
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks) + ("\n" if blocks else "")


def parse_data(text: str) -> tuple[dict, list[ParseProblem]]:
    """Parse data.sql into AWM's ``sample_data`` object."""
    parsed = split_sql(text)
    groups: list[dict] = []
    current: dict | None = None
    problems = list(parsed.problems)
    for item in parsed.items:
        if item.kind == "marker":
            if item.text in ("table", "table-json"):
                current = {"table_name": _marker_value(item), "reasoning": None, "insert_statements": []}
                groups.append(current)
            elif item.text in ("reasoning", "reasoning-json"):
                if current is None:
                    problems.append(ParseProblem(item.line, "-- @reasoning before any -- @table"))
                else:
                    current["reasoning"] = _marker_value(item)
            continue
        if current is None:
            target = table_name_of_insert(item.text) or ""
            current = {"table_name": target, "reasoning": None, "insert_statements": []}
            groups.append(current)
        current["insert_statements"].append(item.text)
    for g in groups:
        if g["reasoning"] is None:
            del g["reasoning"]
    return {"tables": groups}, problems


def render_data(sample_data: dict) -> str:
    """Render AWM's ``sample_data`` as data.sql."""
    blocks = []
    for group in sample_data.get("tables", []):
        lines = [_marker_line("table", str(group.get("table_name", "")))]
        if "reasoning" in group and group["reasoning"] is not None:
            lines.append(_marker_line("reasoning", str(group["reasoning"])))
        lines.extend(_statement_lines(s) for s in group.get("insert_statements", []) or [])
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks) + ("\n" if blocks else "")


def all_statements(sample_data: dict) -> list[str]:
    return [s for g in sample_data.get("tables", []) for s in g.get("insert_statements", []) or []]
