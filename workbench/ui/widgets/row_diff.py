"""The rows a step changed, in colour: ``+`` inserted (green), ``-`` deleted (red), ``~`` updated (yellow).

An updated row lists each changed column on its own line as ``column: old -> new``; inserted and
deleted rows pack ``column=value`` pairs into as many lines as the width needs, so the view stays
readable at 80 columns. Values are shown the way ``workbench.db.diff.sql_literal`` prints them
(``NULL``, ``'text'``, ``X'00ff' (2 bytes)``), so NULL is never confused with the text 'NULL' and
BLOBs are visible. Foreign-key violations the step introduced are flagged with ``!``.
"""

from __future__ import annotations

from typing import Any

from textual.content import Content
from textual.geometry import Size
from textual.widget import Widget

from workbench.db.diff import DbDiff, sql_literal

INDENT = "      "
_INS, _DEL, _UPD, _BAD = "$text-success", "$text-error", "$text-warning", "bold $text-error"


def _fmt_key(key: dict[str, Any]) -> str:
    return ",".join(f"{k}={sql_literal(v)}" for k, v in key.items())


def _packed(items: list[str], style: str, width: int) -> list[Content]:
    """``col=value`` items joined by ", " into indented lines no wider than ``width`` (when possible)."""
    lines: list[Content] = []
    current = ""
    for i, item in enumerate(items):
        piece = item + ("," if i < len(items) - 1 else "")
        if current and len(INDENT) + len(current) + 1 + len(piece) > width:
            lines.append(Content.styled(INDENT + current, style))
            current = piece
        else:
            current = f"{current} {piece}" if current else piece
    if current:
        lines.append(Content.styled(INDENT + current, style))
    return lines


def diff_lines(diff: DbDiff | None, width: int = 100, max_rows: int = 50,
               empty: str = "no changes") -> list[Content]:
    """The diff as styled lines for a view ``width`` cells wide."""
    if diff is None:
        return [Content.styled("(no call yet)", "$text-muted")]
    if diff.empty:
        return [Content.styled(empty, "$text-muted")]
    width = max(width, 30)
    out: list[Content] = []
    for t in diff.tables_added:
        out.append(Content.styled(f"+ table {t}", f"bold {_INS}"))
    for t in diff.tables_removed:
        out.append(Content.styled(f"- table {t}", f"bold {_DEL}"))
    for t in diff.tables:
        counts: list[tuple[str, str] | str] = []
        for n, word, style in ((len(t.inserted), "inserted", _INS), (len(t.updated), "updated", _UPD),
                               (len(t.deleted), "deleted", _DEL)):
            if n:
                counts += ["  ", (f"{n} {word}", style)]
        out.append(Content.assemble((t.table, "bold"), *counts))
        for c in t.columns_added:
            out.append(Content.styled(f"  + column {c}", _INS))
        for c in t.columns_removed:
            out.append(Content.styled(f"  - column {c}", _DEL))
        shown = 0
        for r in t.inserted:
            if shown >= max_rows:
                break
            shown += 1
            out.append(Content.assemble(("  + ", f"bold {_INS}"), (_fmt_key(r.key), "bold")))
            out += _packed([f"{c}={sql_literal(v)}" for c, v in (r.after or {}).items()], _INS, width)
        for r in t.updated:
            if shown >= max_rows:
                break
            shown += 1
            out.append(Content.assemble(("  ~ ", f"bold {_UPD}"), (_fmt_key(r.key), "bold")))
            for c, (old, new) in r.changed_columns.items():
                a, b = sql_literal(old), sql_literal(new)
                if len(INDENT) + len(c) + 2 + len(a) + 4 + len(b) <= width:
                    out.append(Content.assemble(INDENT, (f"{c}: ", _UPD), (a, _DEL), " -> ", (b, _INS)))
                else:  # too wide for one line: the new value goes under the old one
                    out.append(Content.assemble(INDENT, (f"{c}: ", _UPD), (a, _DEL)))
                    out.append(Content.assemble(INDENT, "  -> ", (b, _INS)))
        for r in t.deleted:
            if shown >= max_rows:
                break
            shown += 1
            out.append(Content.assemble(("  - ", f"bold {_DEL}"), (_fmt_key(r.key), "bold")))
            out += _packed([f"{c}={sql_literal(v)}" for c, v in (r.before or {}).items()], _DEL, width)
        total = len(t.inserted) + len(t.updated) + len(t.deleted)
        if total > shown:
            out.append(Content.styled(f"  … {total - shown} more rows", "$text-muted"))
    for v in diff.fk_violations_introduced:
        cols = ", ".join(f"{c}={sql_literal(x)}" for c, x in v.columns.items())
        out.append(Content.styled(f"! foreign key violated: {v.table} {_fmt_key(v.key)} -> {v.parent} "
                                  f"({cols or 'its key'} has no parent row)", _BAD))
    return out


class RowDiff(Widget):
    """Shows one ``DbDiff``; ``show(diff)`` replaces it, ``plain`` is its text (for tests and copying)."""

    DEFAULT_CSS = """
    RowDiff { height: auto; }
    """

    def __init__(self, diff: DbDiff | None = None, *, empty: str = "no changes", name: str | None = None,
                 id: str | None = None, classes: str | None = None) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self.diff = diff
        self.empty = empty

    def show(self, diff: DbDiff | None, empty: str | None = None) -> None:
        self.diff = diff
        if empty is not None:
            self.empty = empty
        self.refresh(layout=True)

    def lines(self, width: int) -> list[Content]:
        return diff_lines(self.diff, width, empty=self.empty)

    @property
    def plain(self) -> str:
        """The text as shown (at the current width, or 100 cells before the first layout)."""
        return "\n".join(line.plain for line in self.lines(self.content_size.width or 100))

    def render(self) -> Content:
        return Content("\n").join(self.lines(self.content_size.width or 100))

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        if not width:
            return 0
        return Content("\n").join(self.lines(width)).get_height(self.styles, width)
