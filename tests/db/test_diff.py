from __future__ import annotations

import json
import sqlite3

from workbench.db.diff import diff_snapshots, render_diff
from workbench.db.instance import Instance


def _db(sql: str) -> bytes:
    conn = sqlite3.connect(":memory:")
    conn.executescript(sql)
    data = conn.serialize()
    conn.close()
    return data


BASE = """
CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT, avatar BLOB, note TEXT);
CREATE TABLE tags (user_id INTEGER, tag TEXT, PRIMARY KEY (user_id, tag)) WITHOUT ROWID;
CREATE TABLE log (msg TEXT);
CREATE TABLE orders (id INTEGER PRIMARY KEY, user_id INTEGER REFERENCES users(id));
INSERT INTO users VALUES (1, 'Ana', X'0001', NULL), (2, 'Ben', NULL, 'x');
INSERT INTO tags VALUES (1, 'vip'), (2, 'new');
INSERT INTO log VALUES ('a'), ('b');
INSERT INTO orders VALUES (10, 1);
"""


def test_row_changes_keyed_by_primary_key_rowid_and_without_rowid() -> None:
    before = _db(BASE)
    inst = Instance.fork(before)
    try:
        c = inst.connect()
        c.executescript("""
            UPDATE users SET note = 'hello', avatar = X'FF' WHERE id = 1;
            UPDATE users SET note = NULL WHERE id = 2;
            INSERT INTO users VALUES (3, 'Cy', NULL, NULL);
            DELETE FROM tags WHERE user_id = 2;
            INSERT INTO tags VALUES (3, 'new');
            DELETE FROM log WHERE msg = 'a';
        """)
        c.close()
        d = diff_snapshots(before, inst.snapshot())
    finally:
        inst.close()
    by = {t.table: t for t in d.tables}
    assert set(by) == {"users", "tags", "log"}
    users = by["users"]
    assert users.key_columns == ["id"]
    assert [r.key for r in users.inserted] == [{"id": 3}]
    changes = {r.key["id"]: r.changed_columns for r in users.updated}
    assert changes[1] == {"avatar": (b"\x00\x01", b"\xff"), "note": (None, "hello")}
    assert changes[2] == {"note": ("x", None)}
    assert by["tags"].key_columns == ["user_id", "tag"]
    assert [r.key for r in by["tags"].deleted] == [{"user_id": 2, "tag": "new"}]
    assert [r.key for r in by["tags"].inserted] == [{"user_id": 3, "tag": "new"}]
    assert by["log"].key_columns == ["rowid"] and [r.key for r in by["log"].deleted] == [{"rowid": 1}]
    text = render_diff(d)
    assert "~ id=1  avatar: X'0001' (2 bytes) -> X'ff' (1 bytes); note: NULL -> 'hello'" in text
    assert "+ id=3  id=3, name='Cy', avatar=NULL, note=NULL" in text
    js = d.to_json()
    json.dumps(js)
    upd = next(t for t in js["tables"] if t["table"] == "users")["updated"][0]
    assert upd["changes"]["avatar"] == {"old": {"$blob": "0001", "size": 2}, "new": {"$blob": "ff", "size": 1}}


def test_same_value_different_type_is_a_change() -> None:
    before = _db("CREATE TABLE t (id INTEGER PRIMARY KEY, v); INSERT INTO t VALUES (1, 1);")
    after = _db("CREATE TABLE t (id INTEGER PRIMARY KEY, v); INSERT INTO t VALUES (1, '1');")
    d = diff_snapshots(before, after)
    assert d.tables[0].updated[0].changed_columns == {"v": (1, "1")}


def test_schema_changes() -> None:
    before = _db("CREATE TABLE a (id INTEGER PRIMARY KEY, x); CREATE TABLE gone (id INTEGER PRIMARY KEY);")
    after = _db("CREATE TABLE a (id INTEGER PRIMARY KEY, x, y); CREATE TABLE fresh (id INTEGER PRIMARY KEY);")
    d = diff_snapshots(before, after)
    assert d.tables_added == ["fresh"] and d.tables_removed == ["gone"]
    assert d.tables[0].columns_added == ["y"]
    assert "+ table fresh" in render_diff(d) and "+ column y" in render_diff(d)


def test_foreign_key_violation_introduced_is_flagged() -> None:
    before = _db(BASE)
    after_conn = sqlite3.connect(":memory:")
    after_conn.deserialize(before)
    after_conn.execute("INSERT INTO orders VALUES (11, 99)")  # FKs are not enforced while serving (AWM)
    after_conn.commit()
    d = diff_snapshots(before, after_conn.serialize())
    assert len(d.fk_violations_introduced) == 1
    v = d.fk_violations_introduced[0]
    assert (v.table, v.key, v.parent, v.columns) == ("orders", {"id": 11}, "users", {"user_id": 99})
    assert "! foreign key violated: orders id=11 -> users (user_id=99 has no parent row)" in render_diff(d)


def test_no_changes() -> None:
    b = _db(BASE)
    assert diff_snapshots(b, b).empty and render_diff(diff_snapshots(b, b)) == "no changes"


def test_restore_is_seen_by_an_open_connection() -> None:
    inst = Instance.fork(_db(BASE))
    try:
        held = inst.connect()  # like a worker's SQLAlchemy pool
        held.execute("DELETE FROM users")
        held.commit()
        snap_empty = inst.snapshot()
        inst.reset()
        assert held.execute("SELECT count(*) FROM users").fetchone()[0] == 2
        inst.restore(snap_empty)
        assert held.execute("SELECT count(*) FROM users").fetchone()[0] == 0
        held.close()
    finally:
        path = inst.path
        inst.close()
    assert not path.exists()
