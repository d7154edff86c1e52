"""Build a bundle's initial database the way AWM does, with SQLite's clock frozen at reference_time.

AWM (``create_sqlite_database`` + the sample stage): for each table, in one try block, run its
DDL, then its indexes, then legacy examples; any failure marks the table failed. Then, with
``PRAGMA foreign_keys = ON``, run each insert statement on its own; failures are counted and the
rest are still applied. We do the same, in memory, and keep the result as bytes so instances can
be forked from it in microseconds.
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path

import apsw

from workbench.bundle.model import Bundle
from workbench.bundle.sqlfile import all_statements, complete_statement
from workbench.db.clock import DEFAULT_REFERENCE_TIME, frozen_memory_connection
from workbench.fsutil import atomic_write_bytes

BUILDER_VERSION = "1"


@dataclass(frozen=True)
class Failure:
    """A statement that failed: which table or statement number, the SQL and SQLite's message."""

    stage: str  # "schema" | "data"
    where: str
    statement: str
    error: str


@dataclass
class BuildResult:
    data: bytes
    reference_time: str
    tables_total: int = 0
    tables_failed: int = 0
    inserts_total: int = 0
    inserts_failed: int = 0
    failures: list[Failure] = field(default_factory=list)

    @property
    def schema_error_ratio(self) -> float:
        """AWM's error ratio for the schema stage (1.0 when there are no tables)."""
        return self.tables_failed / self.tables_total if self.tables_total else 1.0

    @property
    def data_error_ratio(self) -> float:
        return self.inserts_failed / self.inserts_total if self.inserts_total else 0.0

    def summary(self) -> dict:
        return {
            "reference_time": self.reference_time,
            "tables": self.tables_total,
            "tables_failed": self.tables_failed,
            "schema_error_ratio": round(self.schema_error_ratio, 4),
            "inserts": self.inserts_total,
            "inserts_failed": self.inserts_failed,
            "data_error_ratio": round(self.data_error_ratio, 4),
            "failures": [f.__dict__ for f in self.failures],
        }


def _message(exc: BaseException) -> str:
    text = str(exc)
    # apsw prefixes messages with the class name ("ConstraintError: ..."); sqlite3 does not.
    prefix = type(exc).__name__ + ": "
    return text[len(prefix):] if text.startswith(prefix) else text


def _single_statement_error(sql: str) -> str | None:
    """Python's sqlite3 refuses a string holding two statements; AWM counts that as a failure."""
    end = 0
    for i, ch in enumerate(sql):
        if ch == ";" and complete_statement(sql[: i + 1]):
            end = i + 1
            break
    if end == 0:
        return None
    rest = sql[end:]
    if complete_statement(rest + ";") and _has_sql(rest):
        return "You can only execute one statement at a time."
    return None


def _has_sql(text: str) -> bool:
    i, n = 0, len(text)
    while i < n:
        if text[i].isspace():
            i += 1
        elif text.startswith("--", i):
            j = text.find("\n", i)
            i = n if j < 0 else j + 1
        elif text.startswith("/*", i):
            j = text.find("*/", i + 2)
            i = n if j < 0 else j + 2
        else:
            return True
    return False


def _execute(conn: apsw.Connection, sql: str) -> None:
    err = _single_statement_error(sql)
    if err:
        raise sqlite3.ProgrammingError(err)
    conn.execute(sql)


def build_bytes(schema: dict | None, data: dict | None, reference_time: str | None) -> BuildResult:
    """Build schema then data in memory and return the database file as bytes plus a report."""
    ref = reference_time or DEFAULT_REFERENCE_TIME
    conn = frozen_memory_connection(ref)
    result = BuildResult(data=b"", reference_time=ref)
    try:
        tables = (schema or {}).get("tables", []) or []
        result.tables_total = len(tables)
        for t in tables:
            name = str(t.get("name", "?")) if isinstance(t, dict) else "?"
            statements = []
            if isinstance(t, dict):
                statements = [t.get("ddl", "")] + list(t.get("indexes") or []) + list(t.get("examples") or [])
            for sql in statements:
                try:
                    if not isinstance(sql, str):
                        raise TypeError(f"statement must be a string, got {type(sql).__name__}")
                    _execute(conn, sql)
                except (apsw.Error, sqlite3.Error, TypeError) as exc:
                    result.tables_failed += 1
                    result.failures.append(Failure("schema", name, str(sql), _message(exc)[:3000]))
                    break
        statements = all_statements(data or {})
        result.inserts_total = len(statements)
        conn.execute("PRAGMA foreign_keys = ON")
        conn.execute("BEGIN")
        for i, sql in enumerate(statements):
            try:
                if not isinstance(sql, str):
                    raise TypeError(f"statement must be a string, got {type(sql).__name__}")
                _execute(conn, sql)
            except (apsw.Error, sqlite3.Error, TypeError) as exc:
                result.inserts_failed += 1
                result.failures.append(Failure("data", f"statement {i + 1}", str(sql)[:1000], _message(exc)[:1000]))
        conn.execute("COMMIT")
        result.data = conn.serialize("main")
    finally:
        conn.close()
    return result


def cache_key(bundle: Bundle) -> str:
    h = hashlib.sha256()
    for part in (BUILDER_VERSION, bundle.reference_time or DEFAULT_REFERENCE_TIME, bundle.schema_text or "",
                 bundle.data_text or ""):
        h.update(part.encode("utf-8"))
        h.update(b"\x00")
    if bundle.awm and bundle.awm.get("overrides"):
        h.update(repr(sorted(bundle.awm["overrides"])).encode())
    return h.hexdigest()[:32]


def cache_dir() -> Path:
    """Where built databases are kept: ``$WORKBENCH_CACHE_DIR`` or ``~/.cache/awm-workbench``."""
    base = os.environ.get("WORKBENCH_CACHE_DIR")
    if base:
        return Path(base) / "initial-db"
    xdg = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(xdg) / "awm-workbench" / "initial-db"


_memory_cache: dict[str, BuildResult] = {}


def build_bundle(bundle: Bundle, *, use_cache: bool = True) -> BuildResult:
    """The bundle's initial database, built once and cached (in memory and on disk) by content."""
    from workbench.bundle.awm_layout import effective_data, effective_schema

    key = cache_key(bundle)
    if use_cache and key in _memory_cache:
        return _memory_cache[key]
    result = _read_disk_cache(key) if use_cache else None
    if result is None:
        result = build_bytes(effective_schema(bundle), effective_data(bundle), bundle.reference_time)
        if use_cache:
            _write_disk_cache(key, result)
    if use_cache:
        _memory_cache[key] = result
        if len(_memory_cache) > 64:
            _memory_cache.pop(next(iter(_memory_cache)))
    return result


def _read_disk_cache(key: str) -> BuildResult | None:
    db, meta = cache_dir() / f"{key}.db", cache_dir() / f"{key}.json"
    try:
        info = json.loads(meta.read_text(encoding="utf-8"))
        data = db.read_bytes()
    except (OSError, ValueError):
        return None
    if hashlib.sha256(data).hexdigest() != info.get("sha256"):
        return None  # torn or tampered cache entry: rebuild
    failures = [Failure(**f) for f in info.get("failures", [])]
    return BuildResult(data=data, reference_time=info["reference_time"], tables_total=info["tables_total"],
                       tables_failed=info["tables_failed"], inserts_total=info["inserts_total"],
                       inserts_failed=info["inserts_failed"], failures=failures)


def _write_disk_cache(key: str, result: BuildResult) -> None:
    info = {"sha256": hashlib.sha256(result.data).hexdigest(), "reference_time": result.reference_time,
            "tables_total": result.tables_total, "tables_failed": result.tables_failed,
            "inserts_total": result.inserts_total, "inserts_failed": result.inserts_failed,
            "failures": [f.__dict__ for f in result.failures]}
    try:
        atomic_write_bytes(cache_dir() / f"{key}.db", result.data)
        atomic_write_bytes(cache_dir() / f"{key}.json", json.dumps(info).encode())
    except OSError:
        pass  # the cache is an optimisation; a read-only home must not break a build


def write_database(result: BuildResult, out: Path) -> None:
    atomic_write_bytes(Path(out), result.data)
