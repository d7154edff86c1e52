"""Choose a bundle's ``reference_time`` so our build reproduces a database AWM shipped.

Build once with a known clock, compare every timestamp cell with the shipped database, and take
the most common shift: that is when AWM's build ran. Then build again with that time and report
every cell that still differs (inserts that ran across a second boundary, data the clock cannot
explain).
"""

from __future__ import annotations

import re
import sqlite3
from collections import Counter
from pathlib import Path

from workbench.db.build import build_bytes
from workbench.db.clock import format_reference_time, parse_reference_time

_PROBE_TIME = "2000-01-01 00:00:00"
_DATETIME = re.compile(r"^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}:\d{2})")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _epoch(value: object) -> tuple[int, bool] | None:
    """``(seconds, has_time)`` for a SQLite-style timestamp string, else None."""
    if not isinstance(value, str):
        return None
    m = _DATETIME.match(value)
    if m:
        try:
            return parse_reference_time(f"{m.group(1)} {m.group(2)}"), True
        except ValueError:
            return None
    if _DATE.match(value):
        try:
            return parse_reference_time(f"{value} 00:00:00"), False
        except ValueError:
            return None
    return None


def _tables(conn: sqlite3.Connection) -> list[str]:
    return [r[0] for r in conn.execute(
        "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%' ORDER BY name")]


def _rows(conn: sqlite3.Connection, table: str) -> list[tuple]:
    try:
        return conn.execute(f'SELECT * FROM "{table}" ORDER BY rowid').fetchall()
    except sqlite3.OperationalError:  # WITHOUT ROWID
        return conn.execute(f'SELECT * FROM "{table}"').fetchall()


def _open_bytes(data: bytes) -> sqlite3.Connection:
    conn = sqlite3.connect(":memory:")
    conn.deserialize(data)
    return conn


def _open_shipped(path: Path) -> sqlite3.Connection:
    return sqlite3.connect(f"file:{path}?mode=ro&immutable=1", uri=True)


def _pairs(ours: sqlite3.Connection, theirs: sqlite3.Connection):
    for table in _tables(ours):
        if table not in set(_tables(theirs)):
            continue
        cols = [r[1] for r in ours.execute(f'PRAGMA table_info("{table}")')]
        for a, b in zip(_rows(ours, table), _rows(theirs, table)):
            for col, x, y in zip(cols, a, b):
                yield table, a[0] if a else None, col, x, y


def infer_reference_time(schema: dict | None, data: dict | None, shipped: Path) -> tuple[str, dict]:
    """Return ``(reference_time, comparison)`` for the database AWM shipped at ``shipped``."""
    probe = build_bytes(schema, data, _PROBE_TIME)
    base = parse_reference_time(_PROBE_TIME)
    theirs = _open_shipped(shipped)
    try:
        ours = _open_bytes(probe.data)
        shifts: Counter[int] = Counter()
        day_shifts: Counter[int] = Counter()
        for _t, _k, _c, x, y in _pairs(ours, theirs):
            ex, ey = _epoch(x), _epoch(y)
            if ex and ey and ex[1] == ey[1] and ex[0] != ey[0]:
                (shifts if ex[1] else day_shifts)[ey[0] - ex[0]] += 1
        ours.close()
        if shifts:
            ref = format_reference_time(base + shifts.most_common(1)[0][0])
        elif day_shifts:
            ref = format_reference_time(base + day_shifts.most_common(1)[0][0])
        else:
            ref = format_reference_time(base)
        final = build_bytes(schema, data, ref)
        comparison = compare_databases(_open_bytes(final.data), theirs)
        comparison["shipped_db"] = str(shipped)
        comparison["timestamp_cells_used"] = sum(shifts.values()) or sum(day_shifts.values())
        return ref, comparison
    finally:
        theirs.close()


def compare_databases(ours: sqlite3.Connection, theirs: sqlite3.Connection, limit: int = 20) -> dict:
    """Table-by-table comparison of contents: row counts, differing cells, a few examples."""
    ours_t, theirs_t = set(_tables(ours)), set(_tables(theirs))
    out: dict = {
        "tables_only_ours": sorted(ours_t - theirs_t),
        "tables_only_shipped": sorted(theirs_t - ours_t),
        "row_count_differences": {},
        "cells_compared": 0,
        "cells_different": 0,
        "examples": [],
    }
    for table in sorted(ours_t & theirs_t):
        a, b = _rows(ours, table), _rows(theirs, table)
        if len(a) != len(b):
            out["row_count_differences"][table] = {"ours": len(a), "shipped": len(b)}
        cols = [r[1] for r in ours.execute(f'PRAGMA table_info("{table}")')]
        for ra, rb in zip(a, b):
            for col, x, y in zip(cols, ra, rb):
                out["cells_compared"] += 1
                if x != y:
                    out["cells_different"] += 1
                    if len(out["examples"]) < limit:
                        out["examples"].append({"table": table, "row": ra[0], "column": col, "ours": x, "shipped": y})
    out["identical"] = (
        not out["cells_different"] and not out["row_count_differences"]
        and not out["tables_only_ours"] and not out["tables_only_shipped"]
    )
    return out
