"""Row-level and schema diff between two database states, with foreign-key violations a step introduced.

Rows are keyed by primary key (rowid when a table has none; WITHOUT ROWID tables by their
declared key). Values keep their SQLite type: NULL stays None and BLOBs stay bytes, and both are
shown faithfully in text and JSON.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field
from typing import Any

from workbench.db.instance import Snapshot, open_snapshot

Key = tuple[Any, ...]


@dataclass
class RowChange:
    key: dict[str, Any]
    before: dict[str, Any] | None
    after: dict[str, Any] | None

    @property
    def changed_columns(self) -> dict[str, tuple[Any, Any]]:
        if self.before is None or self.after is None:
            return {}
        cols = list(self.after) + [c for c in self.before if c not in self.after]
        return {c: (self.before.get(c), self.after.get(c)) for c in cols if self.before.get(c) != self.after.get(c)
                or type(self.before.get(c)) is not type(self.after.get(c))}


@dataclass
class TableDiff:
    table: str
    key_columns: list[str]
    inserted: list[RowChange] = field(default_factory=list)
    deleted: list[RowChange] = field(default_factory=list)
    updated: list[RowChange] = field(default_factory=list)
    columns_added: list[str] = field(default_factory=list)
    columns_removed: list[str] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not (self.inserted or self.deleted or self.updated or self.columns_added or self.columns_removed)


@dataclass
class FkViolation:
    table: str
    key: dict[str, Any]
    parent: str
    columns: dict[str, Any]


@dataclass
class DbDiff:
    tables: list[TableDiff] = field(default_factory=list)
    tables_added: list[str] = field(default_factory=list)
    tables_removed: list[str] = field(default_factory=list)
    fk_violations_introduced: list[FkViolation] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not (self.tables or self.tables_added or self.tables_removed or self.fk_violations_introduced)

    @property
    def rows_changed(self) -> int:
        return sum(len(t.inserted) + len(t.deleted) + len(t.updated) for t in self.tables)

    def counts(self) -> dict[str, dict[str, int]]:
        return {t.table: {"inserted": len(t.inserted), "deleted": len(t.deleted), "updated": len(t.updated)}
                for t in self.tables}

    def to_json(self) -> dict[str, Any]:
        return {
            "tables_added": self.tables_added,
            "tables_removed": self.tables_removed,
            "tables": [
                {
                    "table": t.table,
                    "key": t.key_columns,
                    "columns_added": t.columns_added,
                    "columns_removed": t.columns_removed,
                    "inserted": [{"key": jsonable(r.key), "row": jsonable(r.after)} for r in t.inserted],
                    "deleted": [{"key": jsonable(r.key), "row": jsonable(r.before)} for r in t.deleted],
                    "updated": [
                        {"key": jsonable(r.key),
                         "changes": {c: {"old": jsonable(o), "new": jsonable(n)} for c, (o, n) in r.changed_columns.items()}}
                        for r in t.updated
                    ],
                }
                for t in self.tables
            ],
            "fk_violations_introduced": [
                {"table": v.table, "key": jsonable(v.key), "parent": v.parent, "columns": jsonable(v.columns)}
                for v in self.fk_violations_introduced
            ],
        }


def jsonable(value: Any) -> Any:
    """JSON form that keeps SQLite's types visible: BLOBs become ``{"$blob": hex, "size": n}``."""
    if isinstance(value, bytes):
        return {"$blob": value.hex(), "size": len(value)}
    if isinstance(value, dict):
        return {k: jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [jsonable(v) for v in value]
    return value


def sql_literal(value: Any, limit: int = 60) -> str:
    """A value as SQL would print it: NULL, 42, 1.5, 'text', X'00ff'."""
    if value is None:
        return "NULL"
    if isinstance(value, bytes):
        h = value.hex()
        return f"X'{h[:limit]}{'…' if len(h) > limit else ''}' ({len(value)} bytes)"
    if isinstance(value, str):
        s = value if len(value) <= limit else value[:limit] + "…"
        return "'" + s.replace("'", "''").replace("\n", "\\n") + "'"
    return repr(value)


def _user_tables(conn: sqlite3.Connection) -> dict[str, bool]:
    """Table name -> True when it is a WITHOUT ROWID table."""
    out = {}
    for name, sql in conn.execute(
        "SELECT name, sql FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%' ORDER BY name"
    ):
        out[name] = bool(sql) and "WITHOUT ROWID" in " ".join(sql.upper().split())
    return out


def _columns(conn: sqlite3.Connection, table: str) -> list[tuple[str, int]]:
    return [(r[1], r[5]) for r in conn.execute(f'PRAGMA table_info("{_q(table)}")')]


def _q(name: str) -> str:
    return name.replace('"', '""')


def _key_columns(cols: list[tuple[str, int]], without_rowid: bool) -> list[str]:
    pk = [c for c, n in sorted((c for c in cols if c[1] > 0), key=lambda c: c[1])]
    if pk:
        return pk
    return [] if without_rowid else ["rowid"]


def _rows(conn: sqlite3.Connection, table: str, cols: list[str], key: list[str]) -> dict[Key, dict[str, Any]]:
    select_key = ", ".join('"' + _q(k) + '"' if k != "rowid" else "rowid" for k in key)
    select_cols = ", ".join('"' + _q(c) + '"' for c in cols)
    sql = f'SELECT {select_key}{", " if select_key and select_cols else ""}{select_cols} FROM "{_q(table)}"'
    out: dict[Key, dict[str, Any]] = {}
    nk = len(key)
    for row in conn.execute(sql):
        out[tuple(row[:nk])] = dict(zip(cols, row[nk:]))
    return out


def _fk_violations(conn: sqlite3.Connection) -> set[tuple[str, Any, str, int]]:
    try:
        return {(r[0], r[1], r[2], r[3]) for r in conn.execute("PRAGMA foreign_key_check")}
    except sqlite3.DatabaseError:
        return set()


def diff_connections(before: sqlite3.Connection, after: sqlite3.Connection) -> DbDiff:
    """Diff two open databases."""
    result = DbDiff()
    tb, ta = _user_tables(before), _user_tables(after)
    result.tables_added = sorted(set(ta) - set(tb))
    result.tables_removed = sorted(set(tb) - set(ta))
    for table in sorted(set(ta)):
        cols_a = _columns(after, table)
        cols_b = _columns(before, table) if table in tb else []
        key = _key_columns(cols_a, ta[table])
        names_a = [c for c, _ in cols_a]
        names_b = [c for c, _ in cols_b]
        td = TableDiff(table, key)
        if table in tb:
            td.columns_added = [c for c in names_a if c not in names_b]
            td.columns_removed = [c for c in names_b if c not in names_a]
        rows_a = _rows(after, table, names_a, key)
        rows_b = _rows(before, table, names_b, _key_columns(cols_b, tb.get(table, False)) if cols_b else key) if table in tb else {}
        for k, row in rows_a.items():
            old = rows_b.get(k)
            kd = dict(zip(key, k))
            if old is None:
                td.inserted.append(RowChange(kd, None, row))
            else:
                change = RowChange(kd, old, row)
                if change.changed_columns:
                    td.updated.append(change)
        for k, row in rows_b.items():
            if k not in rows_a:
                td.deleted.append(RowChange(dict(zip(key, k)), row, None))
        if not td.empty:
            result.tables.append(td)
    new_violations = _fk_violations(after) - _fk_violations(before)
    for table, rowid, parent, fkid in sorted(new_violations, key=lambda v: (v[0], str(v[1]), v[2], v[3])):
        fk_cols = [r[3] for r in after.execute(f'PRAGMA foreign_key_list("{_q(table)}")') if r[0] == fkid]
        values: dict[str, Any] = {}
        key_cols = _key_columns(_columns(after, table), ta.get(table, False))
        keyd: dict[str, Any] = {"rowid": rowid}
        if rowid is not None:
            sel = ", ".join('"' + _q(c) + '"' for c in fk_cols + [k for k in key_cols if k != "rowid"])
            row = after.execute(f'SELECT {sel} FROM "{_q(table)}" WHERE rowid = ?', (rowid,)).fetchone() if sel else None
            if row:
                values = dict(zip(fk_cols, row[: len(fk_cols)]))
                keyd = dict(zip([k for k in key_cols if k != "rowid"], row[len(fk_cols):])) or keyd
        result.fk_violations_introduced.append(FkViolation(table, keyd, parent, values))
    return result


def diff_snapshots(before: Snapshot | bytes, after: Snapshot | bytes) -> DbDiff:
    a, b = open_snapshot(before), open_snapshot(after)
    try:
        return diff_connections(a, b)
    finally:
        a.close()
        b.close()


def render_diff(diff: DbDiff, max_rows: int = 50) -> str:
    """Human form: ``+`` inserted, ``-`` deleted, ``~`` updated with ``old -> new`` per changed column."""
    if diff.empty:
        return "no changes"
    lines: list[str] = []
    for t in diff.tables_added:
        lines.append(f"+ table {t}")
    for t in diff.tables_removed:
        lines.append(f"- table {t}")
    for t in diff.tables:
        parts = [f"{len(t.inserted)} inserted" if t.inserted else "", f"{len(t.updated)} updated" if t.updated else "",
                 f"{len(t.deleted)} deleted" if t.deleted else ""]
        lines.append(f"{t.table}: " + ", ".join(p for p in parts if p) if any(parts) else f"{t.table}:")
        for c in t.columns_added:
            lines.append(f"  + column {c}")
        for c in t.columns_removed:
            lines.append(f"  - column {c}")
        shown = 0
        for r in t.inserted:
            if shown >= max_rows:
                break
            shown += 1
            body = ", ".join(f"{c}={sql_literal(v)}" for c, v in (r.after or {}).items())
            lines.append(f"  + {_fmt_key(r.key)}  {body}")
        for r in t.updated:
            if shown >= max_rows:
                break
            shown += 1
            body = "; ".join(f"{c}: {sql_literal(o)} -> {sql_literal(n)}" for c, (o, n) in r.changed_columns.items())
            lines.append(f"  ~ {_fmt_key(r.key)}  {body}")
        for r in t.deleted:
            if shown >= max_rows:
                break
            shown += 1
            body = ", ".join(f"{c}={sql_literal(v)}" for c, v in (r.before or {}).items())
            lines.append(f"  - {_fmt_key(r.key)}  {body}")
        total = len(t.inserted) + len(t.updated) + len(t.deleted)
        if total > shown:
            lines.append(f"  … {total - shown} more")
    for v in diff.fk_violations_introduced:
        cols = ", ".join(f"{c}={sql_literal(x)}" for c, x in v.columns.items())
        lines.append(f"! foreign key violated: {v.table} {_fmt_key(v.key)} -> {v.parent} ({cols} has no parent row)")
    return "\n".join(lines)


def _fmt_key(key: dict[str, Any]) -> str:
    return ",".join(f"{k}={sql_literal(v)}" for k, v in key.items())
