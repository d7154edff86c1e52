"""Streaming reads of AWM JSONL files: one line at a time, by byte offset, never the whole file."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class LineRef:
    """Where one record sits in its file."""

    offset: int
    length: int
    line: int


@dataclass(frozen=True)
class BadLine:
    line: int
    message: str


def scan_jsonl(path: Path) -> Iterator[tuple[LineRef, Any | BadLine]]:
    """Yield ``(where, record)`` for every non-blank line; unparseable lines yield a ``BadLine``.

    Blank lines (including a doubled newline at the end) are skipped, unlike AWM's reader.
    """
    offset = 0
    with open(path, "rb") as fh:
        for n, raw in enumerate(fh, start=1):
            ref = LineRef(offset, len(raw), n)
            offset += len(raw)
            if not raw.strip():
                continue
            yield ref, parse_line(raw, n)


def parse_line(raw: bytes, n: int) -> Any | BadLine:
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        return BadLine(n, f"not UTF-8 at byte {exc.start}")
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        hint = " (the line looks truncated)" if exc.pos >= len(text.rstrip()) - 1 else ""
        return BadLine(n, f"malformed JSON at column {exc.colno}: {exc.msg}{hint}")


def read_record(path: Path, ref: LineRef) -> Any | BadLine:
    with open(path, "rb") as fh:
        fh.seek(ref.offset)
        return parse_line(fh.read(ref.length), ref.line)


def dump_record(record: Any) -> bytes:
    """AWM's serialisation: ``json.dumps(ensure_ascii=False)`` with default separators, plus ``\\n``."""
    return (json.dumps(record, ensure_ascii=False) + "\n").encode("utf-8", "surrogatepass")
