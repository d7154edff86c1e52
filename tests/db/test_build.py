"""The initial database: AWM's build semantics, with SQLite's clock frozen at reference_time."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from workbench.bundle.load import load_bundle
from workbench.cli import main
from workbench.db.build import build_bundle, build_bytes
from workbench.db.reference_time import compare_databases

SCHEMA = {"tables": [
    {"name": "users", "ddl": "CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT UNIQUE, "
                             "created_at TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP);",
     "indexes": ["CREATE INDEX idx_users_email ON users(email);"]},
    {"name": "posts", "ddl": "CREATE TABLE posts (id INTEGER PRIMARY KEY, user_id INTEGER NOT NULL REFERENCES users(id), "
                             "published_at TEXT, day TEXT);", "indexes": []},
    {"name": "broken", "ddl": "CREATE TABLE broken (id INTEGER PRIMARY KEY);",
     "indexes": ["CREATE INDEX bad ON nowhere(x);"]},
]}
DATA = {"tables": [
    {"table_name": "users", "reasoning": "", "insert_statements": [
        "INSERT INTO users (id, email) VALUES (1, 'a@x');",
        "INSERT INTO users (id, email, created_at) VALUES (2, 'b@x', datetime('now', '-3 days'));",
        "INSERT INTO users (id, email) VALUES (3, 'a@x');",  # UNIQUE violation
    ]},
    {"table_name": "posts", "insert_statements": [
        "INSERT INTO posts (id, user_id, published_at, day) VALUES (1, 1, datetime('now', '+2 hours'), date('now'));",
        "INSERT INTO posts (id, user_id) VALUES (2, 99);",  # FK violation: foreign keys are on
        "INSERT INTO posts (id, user_id) VALUES (3, 1); INSERT INTO posts (id, user_id) VALUES (4, 1);",  # two statements
        "INSERT INTO posts (id, user_id, published_at) VALUES (5, 2, '2025-01-01 00:00:00');",
    ]},
]}


def _rows(data: bytes, sql: str) -> list[tuple]:
    conn = sqlite3.connect(":memory:")
    conn.deserialize(data)
    try:
        return conn.execute(sql).fetchall()
    finally:
        conn.close()


def test_now_is_the_reference_time_everywhere() -> None:
    r = build_bytes(SCHEMA, DATA, "2026-03-02 09:00:00")
    assert _rows(r.data, "SELECT id, created_at FROM users ORDER BY id") == [
        (1, "2026-03-02 09:00:00"),  # column DEFAULT CURRENT_TIMESTAMP
        (2, "2026-02-27 09:00:00"),  # datetime('now', '-3 days')
    ]
    assert _rows(r.data, "SELECT published_at, day FROM posts WHERE id = 1") == [("2026-03-02 11:00:00", "2026-03-02")]


def test_failures_are_counted_with_statement_and_rest_applied() -> None:
    r = build_bytes(SCHEMA, DATA, "2026-03-02 09:00:00")
    assert (r.tables_total, r.tables_failed) == (3, 1)
    assert (r.inserts_total, r.inserts_failed) == (7, 3)
    msgs = {f.statement: f.error for f in r.failures}
    assert "UNIQUE constraint failed: users.email" in msgs["INSERT INTO users (id, email) VALUES (3, 'a@x');"]
    assert msgs["INSERT INTO posts (id, user_id) VALUES (2, 99);"] == "FOREIGN KEY constraint failed"
    assert any("one statement at a time" in e for e in msgs.values())
    assert "no such table: main.nowhere" in msgs["CREATE INDEX bad ON nowhere(x);"]
    assert _rows(r.data, "SELECT id FROM posts ORDER BY id") == [(1,), (5,)]
    # The failed table was still created (its DDL ran; the index did not), as in AWM.
    assert _rows(r.data, "SELECT name FROM sqlite_master WHERE name = 'broken'") == [("broken",)]
    assert r.schema_error_ratio == 1 / 3


def test_same_bundle_same_contents_twice() -> None:
    a = build_bytes(SCHEMA, DATA, "2026-03-02 09:00:00")
    b = build_bytes(SCHEMA, DATA, "2026-03-02 09:00:00")
    ca, cb = sqlite3.connect(":memory:"), sqlite3.connect(":memory:")
    ca.deserialize(a.data)
    cb.deserialize(b.data)
    assert compare_databases(ca, cb)["identical"]
    assert list(ca.iterdump()) == list(cb.iterdump())


def test_two_reference_times_differ_only_in_now_cells() -> None:
    a = build_bytes(SCHEMA, DATA, "2026-03-02 09:00:00")
    b = build_bytes(SCHEMA, DATA, "2027-07-15 18:30:00")
    ca, cb = sqlite3.connect(":memory:"), sqlite3.connect(":memory:")
    ca.deserialize(a.data)
    cb.deserialize(b.data)
    cmp = compare_databases(ca, cb)
    changed = {(e["table"], e["row"], e["column"]) for e in cmp["examples"]}
    assert changed == {
        ("users", 1, "created_at"), ("users", 2, "created_at"), ("posts", 1, "published_at"), ("posts", 1, "day"),
    }
    assert _rows(b.data, "SELECT published_at FROM posts WHERE id = 5") == [("2025-01-01 00:00:00",)]


def test_real_shipped_databases_are_reproduced(real_library: Path, awm_outputs: Path) -> None:
    """reference_time inferred on import rebuilds AWM's gofundme.db and rover.db cell for cell."""
    for slug in ("gofundme", "rover"):
        bundle, _ = load_bundle(real_library / slug)
        result = build_bundle(bundle, use_cache=False)
        ours = sqlite3.connect(":memory:")
        ours.deserialize(result.data)
        theirs = sqlite3.connect(f"file:{awm_outputs / 'databases' / (slug + '.db')}?mode=ro&immutable=1", uri=True)
        cmp = compare_databases(ours, theirs)
        assert cmp["identical"], cmp
        assert cmp["cells_compared"] > 500


def test_build_db_cli_and_cache(real_library: Path, tmp_path: Path, capsys) -> None:
    out = tmp_path / "etsy.db"
    code = main(["build-db", str(real_library / "etsy_digital_downloads"), "-o", str(out)])
    text = capsys.readouterr().out
    assert code == 1  # one of AWM's generated inserts is broken SQL
    assert "138 inserts (1 failed)" in text and "near \"ll\": syntax error" in text
    assert sqlite3.connect(out).execute("SELECT count(*) FROM messages").fetchone()[0] >= 1
    bundle, _ = load_bundle(real_library / "etsy_digital_downloads")
    first = build_bundle(bundle)
    assert build_bundle(bundle) is first  # in-memory cache
