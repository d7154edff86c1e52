"""The library's filter language: free words plus ``field:value`` terms, all of which must match.

    status:fail  check:ok  sanity:bad  decision:accept  review:none  bug:verifier_false_positive
    table:users  tool:create_ticket  name:clinic  tools>30  tables<10
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

_TERM = re.compile(r"^(\w+)(:|>=|<=|>|<|=)(.+)$")


@dataclass
class Query:
    words: list[str] = field(default_factory=list)
    terms: list[tuple[str, str, str]] = field(default_factory=list)


def parse_query(text: str) -> Query:
    q = Query()
    for token in text.split():
        m = _TERM.match(token)
        if m:
            q.terms.append((m.group(1).lower(), m.group(2), m.group(3).lower()))
        else:
            q.words.append(token.lower())
    return q


def _num(row: dict[str, Any], key: str) -> float | None:
    v = row.get(key)
    return float(v) if isinstance(v, (int, float)) else None


def matches(row: dict[str, Any], q: Query) -> bool:
    hay = " ".join(str(row.get(k, "")) for k in ("slug", "name", "description")).lower()
    if any(w not in hay for w in q.words):
        return False
    for key, op, value in q.terms:
        if op in (">", "<", ">=", "<=", "="):
            n = _num(row, {"rows": "sample_records", "lines": "code_lines"}.get(key, key))
            try:
                target = float(value)
            except ValueError:
                return False
            if n is None or not {">": n > target, "<": n < target, ">=": n >= target, "<=": n <= target,
                                 "=": n == target}[op]:
                return False
            continue
        if key in ("status", "check"):
            if value not in str(row.get("check", "-")).lower():
                return False
        elif key == "sanity":
            if value not in str(row.get("sanity", "-")).lower():
                return False
        elif key in ("decision", "review", "verdict"):
            if value not in str(row.get("review", "none")).lower():
                return False
        elif key in ("bug", "category"):
            cats = [c.lower() for c in (row.get("decisions") or {}).get("categories", [])]
            if not any(value in c for c in cats):
                return False
        elif key == "table":
            if not any(value in t.lower() for t in row.get("table_names") or []):
                return False
        elif key == "tool":
            if not any(value in t.lower() for t in row.get("tool_names") or []):
                return False
        elif key in ("name", "slug"):
            if value not in str(row.get(key, "")).lower():
                return False
        else:
            return False
    return True
