"""Schema introspection, the ER sketch and the read-only query runner, on real SQLite files."""

from __future__ import annotations

import hashlib
import inspect
import sqlite3
import threading
import time
from pathlib import Path

import pytest

from workbench.bundle.load import load_bundle
from workbench.db.build import build_bundle
from workbench.db.introspect import (
    QueryCancelled,
    QueryError,
    QueryRefused,
    QueryTimeout,
    describe,
    describe_source,
    er_sketch,
    page,
    read_only_query,
    split_statements,
    table_names,
)

from ..conftest import SAMPLE_ENVS

SCHEMA = """
CREATE TABLE authors (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, born TEXT DEFAULT 'unknown');
CREATE TABLE books (
    id INTEGER PRIMARY KEY,
    author_id INTEGER NOT NULL REFERENCES authors(id) ON DELETE CASCADE,
    title TEXT NOT NULL,
    cover BLOB
);
CREATE INDEX idx_books_author ON books(author_id);
CREATE UNIQUE INDEX idx_books_title ON books(author_id, title);
CREATE TABLE editions (
    isbn TEXT NOT NULL,
    book_id INTEGER NOT NULL,
    printing INTEGER NOT NULL,
    PRIMARY KEY (printing, isbn),
    FOREIGN KEY (book_id) REFERENCES books(id)
) WITHOUT ROWID;
CREATE TABLE shelf_items (
    shelf TEXT, isbn TEXT, printing INTEGER,
    FOREIGN KEY (printing, isbn) REFERENCES editions(printing, isbn)
);
CREATE VIEW book_titles AS SELECT title FROM books;
INSERT INTO authors VALUES (1, 'Ada', '1815'), (2, 'Grace', NULL);
INSERT INTO books VALUES (1, 1, 'Notes', x'DEADBEEF'), (2, 2, 'Compilers', NULL), (3, 1, 'Letters', NULL);
INSERT INTO editions VALUES ('978-2', 1, 2), ('978-1', 1, 1), ('978-3', 2, 1);
INSERT INTO shelf_items VALUES ('a', '978-1', 1), ('b', '978-3', 1);
"""


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    path = tmp_path / "library.db"
    conn = sqlite3.connect(path)
    conn.executescript(SCHEMA)
    conn.commit()
    conn.close()
    return path


@pytest.fixture(scope="module")
def service_desk_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    bundle, _ = load_bundle(SAMPLE_ENVS / "it_service_desk")
    path = tmp_path_factory.mktemp("isd") / "it_service_desk.db"
    path.write_bytes(build_bundle(bundle).data)
    return path


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


# ---------------------------------------------------------------------- describe


def test_describe_columns_keys_indexes_and_without_rowid(db_path: Path) -> None:
    tables = describe_source(db_path)
    by = {t.name: t for t in tables}
    assert [t.name for t in tables] == ["authors", "books", "editions", "shelf_items", "book_titles"]
    assert by["book_titles"].kind == "view"

    authors = by["authors"]
    assert authors.row_count == 2 and not authors.without_rowid
    assert [(c.name, c.type, c.notnull, c.default, c.pk) for c in authors.columns] == [
        ("id", "INTEGER", False, None, 1), ("name", "TEXT", True, None, 0),
        ("born", "TEXT", False, "'unknown'", 0)]
    assert [(i.columns, i.unique, i.origin) for i in authors.indexes] == [(("name",), True, "u")]

    books = by["books"]
    [fk] = books.foreign_keys
    assert (fk.columns, fk.ref_table, fk.ref_columns) == (("author_id",), "authors", ("id",))
    assert fk.on_delete == "CASCADE"
    assert books.fk_for("author_id") == fk and books.fk_for("title") is None
    assert [(i.name, i.columns, i.unique) for i in books.indexes] == [
        ("idx_books_author", ("author_id",), False), ("idx_books_title", ("author_id", "title"), True)]
    assert books.indexes[0].sql.startswith("CREATE INDEX idx_books_author")
    assert authors.incoming == [fk]

    editions = by["editions"]
    assert editions.without_rowid
    assert editions.pk_columns == ["printing", "isbn"]  # key order, not column order
    compound = by["shelf_items"].foreign_keys[0]
    assert compound.columns == ("printing", "isbn") and compound.ref_columns == ("printing", "isbn")
    assert compound.target == "editions.(printing, isbn)"
    assert [f.table for f in editions.incoming] == ["shelf_items"]
    assert by["shelf_items"].pk_columns == []


def test_describe_a_plain_connection_and_the_sample_environment(service_desk_db: Path) -> None:
    conn = sqlite3.connect(service_desk_db)
    try:
        tables = describe(conn)
    finally:
        conn.close()
    assert len(tables) == 16
    tickets = next(t for t in tables if t.name == "tickets")
    assert [(f.columns[0], f.target) for f in tickets.foreign_keys] == [
        ("requester_id", "users.id"), ("assignee_id", "users.id"), ("team_id", "teams.id"),
        ("category_id", "categories.id"), ("sla_policy_id", "sla_policies.id")]
    assert {i.name for i in tickets.indexes} >= {"idx_tickets_requester", "idx_tickets_assignee_status"}
    users = next(t for t in tables if t.name == "users")
    assert "tickets.requester_id" in [f.source for f in users.incoming]
    assert table_names(service_desk_db) == [t.name for t in tables]


def test_er_sketch_is_readable_at_80_columns(service_desk_db: Path, db_path: Path) -> None:
    text = er_sketch(describe_source(service_desk_db))
    lines = text.splitlines()
    assert max(len(line) for line in lines) <= 80
    assert lines[0].startswith("16 tables, 35 foreign keys")
    # Referenced tables come before the tables that reference them.
    heads = [line.split()[0] for line in lines if line and not line.startswith(" ")][2:]
    assert heads.index("users") < heads.index("tickets") < heads.index("ticket_comments")
    block = text[text.index("\ntickets  (20 rows)"):]
    block = block[: block.index("\n\n", 1)]
    assert "requester_id ───> users.id  on delete restrict" in block
    assert "<── ticket_comments.ticket_id" in block
    small = er_sketch(describe_source(db_path))
    assert "editions  (3 rows)  WITHOUT ROWID" in small
    assert "(printing, isbn) ──> editions.(printing, isbn)" in small
    assert "views: book_titles" in small


# ---------------------------------------------------------------------- read-only queries


def test_select_returns_rows_with_native_types(db_path: Path) -> None:
    r = read_only_query(db_path, "SELECT id, cover, title FROM books ORDER BY id")
    assert r.columns == ["id", "cover", "title"]
    assert r.rows == [(1, b"\xde\xad\xbe\xef", "Notes"), (2, None, "Compilers"), (3, None, "Letters")]
    assert not r.truncated and r.elapsed_ms >= 0
    limited = read_only_query(db_path, "SELECT * FROM books", limit=2)
    assert len(limited.rows) == 2 and limited.truncated
    assert read_only_query(db_path, "SELECT ? + ?", (2, 3)).rows == [(5,)]
    assert read_only_query(db_path, "PRAGMA table_info(books)").rows[1][1] == "author_id"
    assert read_only_query(db_path, "SELECT name FROM pragma_table_info('books')").rows[0] == ("id",)
    assert read_only_query(db_path, "WITH t AS (SELECT 1 AS x) SELECT x FROM t; -- done").rows == [(1,)]


@pytest.mark.parametrize("sql, named", [
    ("INSERT INTO books (author_id, title) VALUES (1, 'x')", "INSERT into books"),
    ("UPDATE books SET title = 'x'", "UPDATE of books.title"),
    ("DELETE FROM books", "DELETE from books"),
    ("WITH x AS (SELECT 1) DELETE FROM books", "DELETE from books"),
    ("INSERT INTO books (author_id, title) SELECT 1, 'x' RETURNING id", "INSERT into books"),
    ("DROP TABLE books", "DROP TABLE books"),
    ("CREATE TABLE t (a)", "CREATE TABLE t"),
    ("CREATE TEMP TABLE t (a)", "CREATE TEMP TABLE t"),
    ("CREATE INDEX i ON books(title)", "CREATE INDEX i"),
    ("ALTER TABLE books ADD COLUMN x", "ALTER TABLE books"),
    ("PRAGMA writable_schema = ON", "PRAGMA writable_schema = ON"),
    ("PRAGMA user_version = 7", "PRAGMA user_version = 7"),
    ("BEGIN IMMEDIATE", "BEGIN"),
    ("VACUUM", "VACUUM"),
    ("DELETE FROM sqlite_master", "sqlite_master"),
])
def test_writes_are_refused_with_what_was_attempted(db_path: Path, sql: str, named: str) -> None:
    before = _digest(db_path)
    with pytest.raises(QueryRefused) as err:
        read_only_query(db_path, sql)
    assert str(err.value).startswith("refused: this console is read-only (")
    assert named in str(err.value)
    assert _digest(db_path) == before


def test_attach_and_vacuum_into_create_no_file(db_path: Path, tmp_path: Path) -> None:
    target = tmp_path / "copy.db"
    before = _digest(db_path)
    with pytest.raises(QueryRefused, match=r"ATTACH '.*copy\.db'"):
        read_only_query(db_path, f"ATTACH '{target}' AS other")
    with pytest.raises(QueryRefused, match=r"\(VACUUM\)"):
        read_only_query(db_path, f"VACUUM INTO '{target}'")
    assert not target.exists()
    assert _digest(db_path) == before


def test_multiple_statements_are_refused(db_path: Path) -> None:
    before = _digest(db_path)
    for sql in ("SELECT 1; DELETE FROM books", "DELETE FROM books; SELECT 1", "SELECT 1; SELECT 2;"):
        with pytest.raises(QueryRefused, match="one statement at a time"):
            read_only_query(db_path, sql)
    assert read_only_query(db_path, "SELECT count(*) FROM books").rows == [(3,)]
    assert _digest(db_path) == before


def test_errors_are_query_errors(db_path: Path, tmp_path: Path) -> None:
    with pytest.raises(QueryError, match="syntax error"):
        read_only_query(db_path, "SELEC 1")
    with pytest.raises(QueryError, match="no such table: nope"):
        read_only_query(db_path, "SELECT * FROM nope")
    with pytest.raises(QueryError, match="empty"):
        read_only_query(db_path, "  -- just a comment\n")
    with pytest.raises(QueryError, match="no database"):
        read_only_query(tmp_path / "missing.db", "SELECT 1")
    assert not (tmp_path / "missing.db").exists()


def test_the_time_limit_stops_a_huge_cross_join(service_desk_db: Path) -> None:
    sql = "SELECT count(*) FROM " + ", ".join(f"tickets t{i}" for i in range(8))  # 20^8 rows
    t0 = time.monotonic()
    with pytest.raises(QueryTimeout, match="0.5 s time limit"):
        read_only_query(service_desk_db, sql, time_limit=0.5)
    assert time.monotonic() - t0 < 3
    assert inspect.signature(read_only_query).parameters["time_limit"].default == 5.0


def test_a_cancel_event_stops_a_query(service_desk_db: Path) -> None:
    cancel = threading.Event()
    threading.Timer(0.2, cancel.set).start()
    sql = "SELECT count(*) FROM tickets a, tickets b, tickets c, tickets d, tickets e, tickets f, tickets g"
    with pytest.raises(QueryCancelled):
        read_only_query(service_desk_db, sql, cancel=cancel, time_limit=30)


def test_a_refused_write_leaves_the_live_file_byte_identical(service_desk_db: Path, tmp_path: Path) -> None:
    live = tmp_path / "live.db"
    live.write_bytes(service_desk_db.read_bytes())
    before, mtime = _digest(live), live.stat().st_mtime_ns
    for sql in ("DELETE FROM tickets", "UPDATE tickets SET status = 'closed'", "DROP TABLE tickets",
                "PRAGMA writable_schema = ON", f"ATTACH '{tmp_path / 'x.db'}' AS x",
                "SELECT 1; DELETE FROM users"):
        with pytest.raises(QueryRefused):
            read_only_query(live, sql)
    assert _digest(live) == before and live.stat().st_mtime_ns == mtime
    assert sorted(p.name for p in tmp_path.iterdir()) == ["live.db"]  # no journal, no attached file


def test_bytes_are_queried_in_memory(service_desk_db: Path) -> None:
    data = service_desk_db.read_bytes()
    assert read_only_query(data, "SELECT count(*) FROM tickets").rows == [(20,)]
    with pytest.raises(QueryRefused, match="DELETE from tickets"):
        read_only_query(data, "DELETE FROM tickets")
    assert len(describe_source(data)) == 16


# ---------------------------------------------------------------------- paging


def test_page_orders_by_key_and_reports_the_total(db_path: Path) -> None:
    first = page(db_path, "books", 0, 2)
    assert first.columns == ["id", "author_id", "title", "cover"]
    assert [r[0] for r in first.rows] == [1, 2] and first.total == 3 and first.truncated and first.offset == 0
    last = page(db_path, "books", 2, 2)
    assert [r[0] for r in last.rows] == [3] and not last.truncated
    # WITHOUT ROWID: ordered by its primary key (printing, isbn).
    editions = page(db_path, "editions", 0, 10).rows
    assert [(isbn, printing) for isbn, _, printing in editions] == [("978-1", 1), ("978-3", 1), ("978-2", 2)]
    assert page(db_path, "shelf_items", 0, 10).total == 2  # rowid order
    assert page(db_path, "book_titles", 0, 10).total == 3
    # Past the end (the table shrank): the last page.
    clamped = page(db_path, "books", 40, 2)
    assert clamped.offset == 2 and [r[0] for r in clamped.rows] == [3]
    with pytest.raises(QueryError, match="no such table"):
        page(db_path, "nope", 0, 10)


def test_split_statements() -> None:
    assert split_statements("SELECT 1") == ["SELECT 1"]
    assert split_statements("SELECT ';' AS a; -- trailing comment\n") == ["SELECT ';' AS a;"]
    assert len(split_statements("SELECT 1; /* x; */ SELECT 2")) == 2
    assert len(split_statements('SELECT "a;b", [c;d], `e;f` FROM t')) == 1
    trigger = "CREATE TRIGGER tr AFTER INSERT ON t BEGIN UPDATE t SET a = 1; DELETE FROM u; END;"
    assert split_statements(trigger) == [trigger]
    assert split_statements(" ; ;\n-- nothing") == []
