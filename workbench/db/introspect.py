"""Read a SQLite database's structure and run read-only queries on it, for the Schema and Data tabs.

Why a separate module: the workbench shows the *live* instance database while an environment's
worker process writes to it, so everything here must be unable to change that file, must never
hang the UI, and must say clearly why a statement was refused. Three independent guards make a
query read-only:

1. the file is opened with a ``file:...?mode=ro`` URI (and ``PRAGMA query_only``);
2. an authorizer (``sqlite3.Connection.set_authorizer``) denies every action that is not a read,
   which is also how a refusal can name what was attempted ("INSERT into tickets");
3. one statement per query, checked by a small SQL lexer before anything is prepared.

A progress handler stops a query after a time limit (default 5 s) or when the caller's cancel
event is set, so a runaway cross join cannot freeze anything.

Sources are a database file path, or the bytes of a database (the environment's initial
database, used before its server is up), which are opened in memory.

No Textual imports here: the UI calls these functions from thread workers.
"""

from __future__ import annotations

import re
import sqlite3
import textwrap
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote

from workbench.errors import WorkbenchError

DbSource = str | Path | bytes
"""A database file (opened read-only) or a serialised database (opened in memory)."""

DEFAULT_TIME_LIMIT = 5.0
DEFAULT_LIMIT = 1000

# ---------------------------------------------------------------------- errors


class QueryError(WorkbenchError):
    """The query failed (syntax error, unknown table, ...). ``str()`` is SQLite's message."""

    title = "Query failed"


class QueryRefused(QueryError):
    """The query would write, attach, or run more than one statement: refused before it ran."""

    title = "Query refused"


class QueryTimeout(QueryError):
    """The query ran past its time limit and was stopped."""

    title = "Query stopped"


class QueryCancelled(QueryError):
    """The caller's cancel event was set while the query ran."""

    title = "Query cancelled"


# ---------------------------------------------------------------------- introspection model


@dataclass(frozen=True)
class ColumnInfo:
    name: str
    type: str
    notnull: bool
    default: str | None
    """The default as written in the DDL (``'medium'``, ``CURRENT_TIMESTAMP``), or None."""
    pk: int
    """1-based position in the primary key, 0 when the column is not part of it."""


@dataclass(frozen=True)
class ForeignKeyInfo:
    table: str
    columns: tuple[str, ...]
    ref_table: str
    ref_columns: tuple[str, ...]
    on_delete: str = "NO ACTION"
    on_update: str = "NO ACTION"

    @property
    def source(self) -> str:
        """``table.col`` (or ``table.(a, b)`` for compound keys)."""
        return f"{self.table}.{_cols(self.columns)}"

    @property
    def target(self) -> str:
        return f"{self.ref_table}.{_cols(self.ref_columns)}"


@dataclass(frozen=True)
class IndexInfo:
    name: str
    columns: tuple[str, ...]
    unique: bool
    origin: str
    """``c`` (CREATE INDEX), ``u`` (a UNIQUE constraint) or ``pk`` (the primary key)."""
    partial: bool = False
    sql: str = ""
    """The CREATE INDEX statement; empty for indexes SQLite made for UNIQUE and PRIMARY KEY."""

    @property
    def origin_label(self) -> str:
        return {"c": "index", "u": "unique constraint", "pk": "primary key"}.get(self.origin, self.origin)


@dataclass
class TableInfo:
    name: str
    kind: str = "table"
    """``table`` or ``view``."""
    columns: list[ColumnInfo] = field(default_factory=list)
    foreign_keys: list[ForeignKeyInfo] = field(default_factory=list)
    incoming: list[ForeignKeyInfo] = field(default_factory=list)
    """Foreign keys of other tables (or this one) that reference this table."""
    indexes: list[IndexInfo] = field(default_factory=list)
    row_count: int | None = None
    without_rowid: bool = False
    sql: str = ""

    @property
    def pk_columns(self) -> list[str]:
        return [c.name for c in sorted((c for c in self.columns if c.pk), key=lambda c: c.pk)]

    def column(self, name: str) -> ColumnInfo | None:
        return next((c for c in self.columns if c.name == name), None)

    def fk_for(self, column: str) -> ForeignKeyInfo | None:
        """The foreign key that ``column`` belongs to (the first, if several)."""
        return next((fk for fk in self.foreign_keys if column in fk.columns), None)


@dataclass
class QueryResult:
    columns: list[str]
    rows: list[tuple[Any, ...]]
    truncated: bool
    """More rows existed than were fetched (the limit was reached)."""
    elapsed_ms: float
    total: int | None = None
    """For ``page()``: the table's row count."""
    offset: int = 0
    """For ``page()``: the index of the first row returned."""
    sql: str = ""


def _cols(cols: tuple[str, ...]) -> str:
    return cols[0] if len(cols) == 1 else "(" + ", ".join(cols) + ")"


def quote_ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


# ---------------------------------------------------------------------- opening read-only

# sqlite3's authorizer action codes (sqlite3.h). Spelled out because the sqlite3 module's
# SQLITE_* names mix these with unrelated constants of the same value.
_CREATE_INDEX, _CREATE_TABLE, _CREATE_TEMP_INDEX, _CREATE_TEMP_TABLE = 1, 2, 3, 4
_CREATE_TEMP_TRIGGER, _CREATE_TEMP_VIEW, _CREATE_TRIGGER, _CREATE_VIEW = 5, 6, 7, 8
_DELETE, _DROP_INDEX, _DROP_TABLE, _DROP_TEMP_INDEX, _DROP_TEMP_TABLE = 9, 10, 11, 12, 13
_DROP_TEMP_TRIGGER, _DROP_TEMP_VIEW, _DROP_TRIGGER, _DROP_VIEW = 14, 15, 16, 17
_INSERT, _PRAGMA, _READ, _SELECT, _TRANSACTION, _UPDATE = 18, 19, 20, 21, 22, 23
_ATTACH, _DETACH, _ALTER_TABLE, _REINDEX, _ANALYZE = 24, 25, 26, 27, 28
_CREATE_VTABLE, _DROP_VTABLE, _FUNCTION, _SAVEPOINT, _COPY, _RECURSIVE = 29, 30, 31, 32, 0, 33

_ALLOWED = {_READ, _SELECT, _FUNCTION, _RECURSIVE}

# Pragmas that only report, and may take an argument (a table, an index, a schema name).
_QUERY_PRAGMAS = {
    "table_info", "table_xinfo", "table_list", "index_list", "index_info", "index_xinfo",
    "foreign_key_list", "foreign_key_check", "integrity_check", "quick_check", "collation_list",
    "function_list", "module_list", "pragma_list", "database_list", "compile_options",
}
# Pragmas that change something even when called without a value.
_SIDE_EFFECT_PRAGMAS = {"optimize", "wal_checkpoint", "incremental_vacuum", "shrink_memory", "vacuum"}

_DDL = {
    _CREATE_INDEX: "CREATE INDEX", _CREATE_TABLE: "CREATE TABLE", _CREATE_TEMP_INDEX: "CREATE TEMP INDEX",
    _CREATE_TEMP_TABLE: "CREATE TEMP TABLE", _CREATE_TEMP_TRIGGER: "CREATE TEMP TRIGGER",
    _CREATE_TEMP_VIEW: "CREATE TEMP VIEW", _CREATE_TRIGGER: "CREATE TRIGGER", _CREATE_VIEW: "CREATE VIEW",
    _DROP_INDEX: "DROP INDEX", _DROP_TABLE: "DROP TABLE", _DROP_TEMP_INDEX: "DROP TEMP INDEX",
    _DROP_TEMP_TABLE: "DROP TEMP TABLE", _DROP_TEMP_TRIGGER: "DROP TEMP TRIGGER",
    _DROP_TEMP_VIEW: "DROP TEMP VIEW", _DROP_TRIGGER: "DROP TRIGGER", _DROP_VIEW: "DROP VIEW",
    _CREATE_VTABLE: "CREATE VIRTUAL TABLE", _DROP_VTABLE: "DROP VIRTUAL TABLE",
}


def _describe_action(action: int, arg1: str | None, arg2: str | None) -> str:
    """What an authorizer request means, in SQL words: ``INSERT into tickets``."""
    if action == _INSERT:
        return f"INSERT into {arg1}"
    if action == _UPDATE:
        return f"UPDATE of {arg1}" + (f".{arg2}" if arg2 else "")
    if action == _DELETE:
        return f"DELETE from {arg1}"
    if action in _DDL:
        return f"{_DDL[action]} {arg1}"
    if action == _ALTER_TABLE:
        return f"ALTER TABLE {arg2}"
    if action == _ATTACH:
        return f"ATTACH '{arg1}'"
    if action == _DETACH:
        return f"DETACH {arg1}"
    if action == _PRAGMA:
        return f"PRAGMA {arg1}" + (f" = {arg2}" if arg2 is not None else "")
    if action == _TRANSACTION:
        return str(arg1 or "BEGIN")
    if action == _SAVEPOINT:
        return f"SAVEPOINT {arg2}" if (arg1 or "").upper() == "BEGIN" else f"{arg1} SAVEPOINT {arg2}"
    if action == _REINDEX:
        return "REINDEX" + (f" {arg1}" if arg1 else "")
    if action == _ANALYZE:
        return "ANALYZE" + (f" {arg1}" if arg1 else "")
    if action == _COPY:
        return "COPY"
    return f"action {action}"


class _ReadOnlyGuard:
    """The authorizer: allows reads, remembers what it denied (to name it in the refusal).

    Writes to the schema table (``sqlite_master``) are requested before the action that causes
    them, and SQLite stops at the first denial. So they are let through when the statement is a
    SELECT (SQLite reports the schema a table-valued pragma such as ``pragma_table_info('t')``
    declares that way) or DDL (whose own request, ``DROP TABLE tickets``, is then denied and names
    the statement). ``mode=ro`` and ``query_only`` still forbid any real write.
    """

    _SCHEMA_TABLES = ("sqlite_master", "sqlite_temp_master", "sqlite_schema", "sqlite_temp_schema")

    def __init__(self, keyword: str = "SELECT") -> None:
        self.schema_writes_ok = keyword in _SELECTING or keyword in ("CREATE", "DROP", "ALTER")
        self.denials: list[tuple[int, str | None, str]] = []

    def __call__(self, action: int, arg1: str | None, arg2: str | None, _db: str | None,
                 _trigger: str | None) -> int:
        if action in _ALLOWED:
            return sqlite3.SQLITE_OK
        if action == _PRAGMA:
            name = (arg1 or "").lower()
            if name in _QUERY_PRAGMAS or (arg2 is None and name not in _SIDE_EFFECT_PRAGMAS):
                return sqlite3.SQLITE_OK
        if action in (_INSERT, _UPDATE, _DELETE) and self.schema_writes_ok and arg1 in self._SCHEMA_TABLES:
            return sqlite3.SQLITE_OK
        self.denials.append((action, arg1, _describe_action(action, arg1, arg2)))
        return sqlite3.SQLITE_DENY

    @property
    def denied(self) -> str | None:
        """The denial that best names the statement: DDL and table writes before schema-table writes."""
        if not self.denials:
            return None
        for action, arg1, text in self.denials:
            if arg1 not in self._SCHEMA_TABLES:
                return text
        return self.denials[0][2]


def open_read_only(source: DbSource, *, busy_timeout: float = 5.0) -> sqlite3.Connection:
    """A connection that cannot change ``source``: ``mode=ro`` for files, ``query_only`` always.

    The caller installs the authorizer (``read_only_query`` and ``page`` do). Raises
    ``QueryError`` when the file does not exist or is not a database.
    """
    if isinstance(source, (bytes, bytearray, memoryview)):
        conn = sqlite3.connect(":memory:", isolation_level=None, check_same_thread=False)
        conn.deserialize(bytes(source))
    else:
        path = Path(source)
        if not path.is_file():
            raise QueryError(f"no database at {path}")
        uri = f"file:{quote(str(path.resolve()))}?mode=ro"
        try:
            conn = sqlite3.connect(uri, uri=True, isolation_level=None, timeout=busy_timeout,
                                   check_same_thread=False)
        except sqlite3.Error as exc:
            raise QueryError(f"cannot open {path}: {exc}") from None
    conn.execute("PRAGMA query_only = ON")
    return conn


# ---------------------------------------------------------------------- statements

# Statements whose authorizer requests would not say what was attempted (VACUUM asks to ATTACH '').
_NAMED_BY_KEYWORD = {"VACUUM", "REINDEX", "ANALYZE", "BEGIN", "COMMIT", "END", "ROLLBACK", "SAVEPOINT",
                     "RELEASE"}
_SELECTING = {"SELECT", "WITH", "VALUES", "EXPLAIN"}


def split_statements(sql: str) -> list[str]:
    """Split ``sql`` at top-level semicolons; statements that are only comments are dropped.

    Understands '...' and "..." and `...` and [...] quoting, -- and /* */ comments, and
    CREATE TRIGGER ... BEGIN ... END bodies (their inner semicolons do not split).
    """
    out: list[str] = []
    start = 0
    i = 0
    n = len(sql)
    depth = 0  # BEGIN ... END nesting inside CREATE TRIGGER
    words: list[str] = []
    while i < n:
        ch = sql[i]
        if ch in "'\"`":
            j = sql.find(ch, i + 1)
            while j != -1 and j + 1 < n and sql[j + 1] == ch:  # doubled quote
                j = sql.find(ch, j + 2)
            i = n if j == -1 else j + 1
            continue
        if ch == "[":
            j = sql.find("]", i + 1)
            i = n if j == -1 else j + 1
            continue
        if sql.startswith("--", i):
            j = sql.find("\n", i)
            i = n if j == -1 else j + 1
            continue
        if sql.startswith("/*", i):
            j = sql.find("*/", i + 2)
            i = n if j == -1 else j + 2
            continue
        if ch.isalpha() or ch == "_":
            j = i
            while j < n and (sql[j].isalnum() or sql[j] in "_$"):
                j += 1
            word = sql[i:j].upper()
            words.append(word)
            if word == "BEGIN" and "TRIGGER" in words[:4]:
                depth += 1
            elif word == "CASE" and depth:
                depth += 1
            elif word == "END" and depth:
                depth -= 1
            i = j
            continue
        if ch == ";" and depth == 0:
            out.append(sql[start:i + 1])
            start = i + 1
            words = []
        i += 1
    out.append(sql[start:])
    return [s for s in out if _has_code(s)]


def _has_code(stmt: str) -> bool:
    return bool(_strip_comments(stmt).strip(" \t\r\n;"))


def _strip_comments(sql: str) -> str:
    sql = re.sub(r"/\*.*?(\*/|$)", " ", sql, flags=re.S)
    return re.sub(r"--[^\n]*", " ", sql)


def first_keyword(sql: str) -> str:
    m = re.match(r"\s*([A-Za-z]+)", _strip_comments(sql))
    return m.group(1).upper() if m else ""


# ---------------------------------------------------------------------- running queries


def read_only_query(source: DbSource, sql: str, params: tuple | dict = (), limit: int = DEFAULT_LIMIT, *,
                    time_limit: float = DEFAULT_TIME_LIMIT,
                    cancel: threading.Event | None = None) -> QueryResult:
    """Run one read-only statement and return at most ``limit`` rows.

    Raises:
        QueryRefused: the statement would write (named: "INSERT into tickets"), attach a file, or
            there is more than one statement.
        QueryTimeout: it ran longer than ``time_limit`` seconds.
        QueryCancelled: ``cancel`` was set.
        QueryError: anything else SQLite reported (syntax errors, unknown tables).
    """
    statements = split_statements(sql)
    if not statements:
        raise QueryError("nothing to run: the query is empty")
    if len(statements) > 1:
        raise QueryRefused(f"refused: this console runs one statement at a time ({len(statements)} given)")
    stmt = statements[0]
    keyword = first_keyword(stmt)
    if keyword in _NAMED_BY_KEYWORD:
        raise QueryRefused(f"refused: this console is read-only ({keyword})")
    conn = open_read_only(source)
    try:
        return _run(conn, stmt, params, limit, time_limit, cancel, keyword)
    finally:
        conn.close()


def _run(conn: sqlite3.Connection, sql: str, params: tuple | dict, limit: int, time_limit: float,
         cancel: threading.Event | None, keyword: str = "SELECT") -> QueryResult:
    guard = _ReadOnlyGuard(keyword)
    conn.set_authorizer(guard)
    t0 = time.monotonic()
    deadline = t0 + time_limit

    def progress() -> int:
        return 1 if time.monotonic() > deadline or (cancel is not None and cancel.is_set()) else 0

    conn.set_progress_handler(progress, 2000)
    try:
        cur = conn.execute(sql, params)
        columns = [d[0] for d in cur.description or ()]
        rows = cur.fetchmany(limit + 1) if cur.description else []
    except sqlite3.Error as exc:
        raise _translate(exc, guard, keyword, time_limit, cancel) from None
    finally:
        conn.set_progress_handler(None, 0)
        conn.set_authorizer(None)
    truncated = len(rows) > limit
    return QueryResult(columns, rows[:limit], truncated, (time.monotonic() - t0) * 1000, sql=sql)


def _translate(exc: sqlite3.Error, guard: _ReadOnlyGuard, keyword: str, time_limit: float,
               cancel: threading.Event | None) -> QueryError:
    msg = str(exc)
    if guard.denied is not None:
        return QueryRefused(f"refused: this console is read-only ({guard.denied})")
    if "interrupted" in msg:
        if cancel is not None and cancel.is_set():
            return QueryCancelled("cancelled")
        return QueryTimeout(f"stopped: the query ran past the {time_limit:g} s time limit")
    if "readonly" in msg or "read-only" in msg or "query_only" in msg:
        return QueryRefused(f"refused: this console is read-only ({keyword or 'write'})")
    if "may not be modified" in msg:
        return QueryRefused(f"refused: this console is read-only ({msg})")
    if isinstance(exc, sqlite3.ProgrammingError) and "one statement" in msg:
        return QueryRefused("refused: this console runs one statement at a time")
    return QueryError(msg)


def page(source: DbSource, table: str, offset: int = 0, limit: int = 50, order_by_key: bool = True, *,
         time_limit: float = DEFAULT_TIME_LIMIT, cancel: threading.Event | None = None) -> QueryResult:
    """Rows ``offset .. offset+limit`` of ``table``, in primary-key order (rowid when there is none).

    ``total`` is the table's row count; ``offset`` is clamped to the last page when the table shrank.
    """
    conn = open_read_only(source)
    try:
        kind = conn.execute("SELECT type FROM sqlite_master WHERE name = ? AND type IN ('table', 'view')",
                            (table,)).fetchone()
        if kind is None:
            raise QueryError(f"no such table: {table}")
        q = quote_ident(table)
        total = _run(conn, f"SELECT count(*) FROM {q}", (), 1, time_limit, cancel).rows[0][0]
        if limit > 0 and offset >= total:
            offset = max(0, ((total - 1) // limit) * limit)
        order = ""
        if order_by_key and kind[0] == "table":
            info = conn.execute(f"PRAGMA table_info({q})").fetchall()
            pks = [r[1] for r in sorted((r for r in info if r[5]), key=lambda r: r[5])]
            if pks:
                order = " ORDER BY " + ", ".join(quote_ident(c) for c in pks)
            elif not _is_without_rowid(conn, table):
                order = " ORDER BY rowid"
        sql = f"SELECT * FROM {q}{order} LIMIT ? OFFSET ?"
        result = _run(conn, sql, (limit, offset), limit, time_limit, cancel)
    finally:
        conn.close()
    result.total = total
    result.offset = offset
    result.truncated = offset + len(result.rows) < total
    return result


def table_names(source: DbSource) -> list[str]:
    """The tables of ``source`` in creation order, then its views; internal ``sqlite_*`` tables left out."""
    sql = ("SELECT name FROM sqlite_master WHERE type IN ('table', 'view') "
           "AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY type = 'view', rowid")
    return [r[0] for r in read_only_query(source, sql, limit=1_000_000).rows]


# ---------------------------------------------------------------------- describe


def _is_without_rowid(conn: sqlite3.Connection, table: str) -> bool:
    try:
        row = conn.execute("SELECT wr FROM pragma_table_list WHERE name = ? AND schema = 'main'",
                           (table,)).fetchone()
        if row is not None:
            return bool(row[0])
    except sqlite3.Error:  # SQLite before 3.37 has no table_list
        pass
    sql = conn.execute("SELECT sql FROM sqlite_master WHERE name = ?", (table,)).fetchone()
    return bool(sql and sql[0] and re.search(r"\)\s*(STRICT\s*,\s*)?WITHOUT\s+ROWID", sql[0], re.I))


def describe(conn: sqlite3.Connection, *, counts: bool = True) -> list[TableInfo]:
    """Every table (then every view) of ``conn``'s main database, in creation order.

    Internal ``sqlite_*`` tables are left out. ``incoming`` lists, for each table, the foreign
    keys that point at it.
    """
    import sqlite_utils

    db = sqlite_utils.Database(conn, recursive_triggers=False, execute_plugins=False)
    tables: list[TableInfo] = []
    master = conn.execute("SELECT type, name, coalesce(sql, '') FROM sqlite_master "
                          "WHERE type IN ('table', 'view') AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' "
                          "ORDER BY rowid").fetchall()
    index_rows = conn.execute("SELECT name, coalesce(sql, '') FROM sqlite_master WHERE type = 'index' "
                              "ORDER BY rowid").fetchall()
    index_order = {name: i for i, (name, _) in enumerate(index_rows)}
    index_sql = dict(index_rows)
    for kind, name, sql in master:
        t = db.table(name) if kind == "table" else db.view(name)
        info = TableInfo(name=name, kind=kind, sql=sql)
        info.columns = [ColumnInfo(c.name, c.type or "", bool(c.notnull), c.default_value, int(c.is_pk))
                        for c in t.columns]
        if kind == "table":
            position = {c.name: i for i, c in enumerate(info.columns)}
            fks = [ForeignKeyInfo(name, tuple(fk.columns), fk.other_table,
                                  tuple(c or "" for c in fk.other_columns), fk.on_delete, fk.on_update)
                   for fk in t.foreign_keys]
            info.foreign_keys = sorted(fks, key=lambda fk: [position.get(c, 1 << 30) for c in fk.columns])
            indexes = [IndexInfo(ix.name, tuple(c for c in ix.columns if c is not None), bool(ix.unique),
                                 str(ix.origin), bool(ix.partial), index_sql.get(ix.name, ""))
                       for ix in t.indexes]
            info.indexes = sorted(indexes, key=lambda ix: index_order.get(ix.name, 1 << 30))
            info.without_rowid = _is_without_rowid(conn, name)
            if counts:
                info.row_count = t.count
        tables.append(info)
    by_name = {t.name: t for t in tables}
    for t in tables:
        for fk in t.foreign_keys:
            target = by_name.get(fk.ref_table)
            if target is not None:
                target.incoming.append(fk)
    return tables


def describe_source(source: DbSource) -> list[TableInfo]:
    """``describe`` on a read-only connection to ``source``."""
    conn = open_read_only(source)
    try:
        conn.set_authorizer(_ReadOnlyGuard())
        return describe(conn)
    finally:
        conn.close()


# ---------------------------------------------------------------------- ER sketch


def _parents_first(tables: list[TableInfo]) -> list[TableInfo]:
    """Tables ordered so that a referenced table comes before the tables that reference it."""
    by_name = {t.name: t for t in tables}
    done: set[str] = set()
    visiting: set[str] = set()
    out: list[TableInfo] = []

    def visit(t: TableInfo) -> None:
        if t.name in done or t.name in visiting:
            return
        visiting.add(t.name)
        for fk in t.foreign_keys:
            parent = by_name.get(fk.ref_table)
            if parent is not None and parent.name != t.name:
                visit(parent)
        visiting.discard(t.name)
        done.add(t.name)
        out.append(t)

    for t in tables:
        visit(t)
    return out


def er_sketch(tables: list[TableInfo], width: int = 80) -> str:
    """A plain-text entity-relationship sketch that reads well ``width`` columns wide.

    Referenced tables come first. For each table: its primary key, one arrow per foreign key
    (``requester_id ───> users.id``) and the tables that point at it::

        tickets  (20 rows)
          PK id
          requester_id ────> users.id
          team_id ─────────> teams.id
          <── ticket_comments.ticket_id, worklogs.ticket_id
    """
    real = [t for t in tables if t.kind == "table"]
    names = {t.name for t in tables}
    n_fk = sum(len(t.foreign_keys) for t in real)
    lines = [f"{len(real)} tables, {n_fk} foreign keys. Referenced tables come first; "
             "──> points to the referenced key, <── lists who references this table."]
    lines = textwrap.wrap(lines[0], width) + [""]
    for t in _parents_first(real):
        count = "" if t.row_count is None else f"  ({t.row_count:,} row{'s' if t.row_count != 1 else ''})"
        flags = "  WITHOUT ROWID" if t.without_rowid else ""
        lines.append(f"{t.name}{count}{flags}")
        pk = t.pk_columns
        lines.append("  PK " + (", ".join(pk) if pk else "(rowid)"))
        if t.foreign_keys:
            pad = max(len(_cols(fk.columns)) for fk in t.foreign_keys)
            pad = min(pad, max(10, width // 2 - 6))
            for fk in t.foreign_keys:
                src = _cols(fk.columns)
                dashes = "─" * max(2, pad - len(src) + 2)
                line = f"  {src} {dashes}> {fk.target}"
                if fk.ref_table not in names:
                    line += "  (no such table)"
                elif fk.on_delete and fk.on_delete != "NO ACTION":
                    extra = f"  on delete {fk.on_delete.lower()}"
                    if len(line) + len(extra) <= width:
                        line += extra
                lines.append(line)
        if t.incoming:
            refs = ", ".join(fk.source for fk in t.incoming)
            lines.extend(textwrap.wrap(refs, width, initial_indent="  <── ", subsequent_indent="      ",
                                       break_on_hyphens=False))
        lines.append("")
    views = [t for t in tables if t.kind == "view"]
    if views:
        lines.append("views: " + ", ".join(v.name for v in views))
    return "\n".join(lines).rstrip() + "\n"
