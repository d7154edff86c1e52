"""A unified / side-by-side diff of two texts, written on difflib (our own code: no AGPL diff widget).

``diff_rows(a, b, mode)`` builds the row model (pure, unit-tested without an app); ``DiffView``
draws it with the line API so that long files scroll cheaply and split mode re-fits to any width.

Every changed line keeps a ``-``/``+`` marker character beside its colour, so the diff reads the
same for colour-blind users and in a plain-text capture.
"""

from __future__ import annotations

import difflib
import textwrap
from dataclasses import dataclass
from typing import Literal

from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style
from textual.binding import Binding
from textual.geometry import Size
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

Mode = Literal["unified", "split"]
MODES: tuple[str, ...] = ("unified", "split")

Span = tuple[int, int]


@dataclass(frozen=True)
class DiffRow:
    """One display row.

    ``kind`` is one of:

    * ``"hunk"``: a ``@@ -l,n +l,n @@`` header (``text``), starting hunk number ``hunk``;
    * ``"context"``: an unchanged line (both sides);
    * ``"delete"``: a line only on the left; ``"insert"``: a line only on the right;
    * ``"change"`` (split mode only): a left line paired with the right line that replaced it;
    * ``"note"``: a message such as "no differences" (``text``).

    ``left_spans``/``right_spans`` are the ``(start, end)`` character ranges that differ inside a
    changed line (empty when the line changed too much for an intraline highlight to help).
    """

    kind: str
    left_no: int | None = None
    left: str | None = None
    right_no: int | None = None
    right: str | None = None
    left_spans: tuple[Span, ...] = ()
    right_spans: tuple[Span, ...] = ()
    hunk: int = -1
    text: str = ""


def _lines(text: str) -> list[str]:
    """Lines as an editor numbers them: split on newlines only; a final newline ends the last line."""
    if not text:
        return []
    parts = text.split("\n")
    if parts[-1] == "":
        parts.pop()
    return [p[:-1] if p.endswith("\r") else p for p in parts]


def intraline_spans(a: str, b: str, min_ratio: float = 0.4) -> tuple[tuple[Span, ...], tuple[Span, ...]]:
    """The character ranges that differ between two versions of one line.

    Returns empty spans when the lines share less than ``min_ratio`` of their characters: then the
    whole line is the change and highlighting fragments of it would only add noise.
    """
    sm = difflib.SequenceMatcher(None, a, b, autojunk=False)
    if sm.ratio() < min_ratio:
        return (), ()
    left: list[Span] = []
    right: list[Span] = []
    for tag, i1, i2, j1, j2 in sm.get_opcodes():
        if tag == "equal":
            continue
        if i2 > i1:
            left.append((i1, i2))
        if j2 > j1:
            right.append((j1, j2))
    return tuple(left), tuple(right)


def _range(start: int, stop: int) -> str:
    """A ``@@`` range as ``diff -u`` writes it (1-based start; ``,0`` ranges point before the change)."""
    length = stop - start
    begin = start + 1
    if length == 1:
        return str(begin)
    if not length:
        begin -= 1
    return f"{begin},{length}"


def diff_rows(a: str, b: str, mode: str = "unified", context: int = 3) -> list[DiffRow]:
    """The rows that show how ``a`` became ``b``.

    Args:
        a: the old text (left).
        b: the new text (right).
        mode: ``"unified"`` (deleted lines, then inserted lines) or ``"split"`` (replaced lines
            paired side by side as ``"change"`` rows).
        context: unchanged lines kept around each change; hunks closer than that are merged.

    Returns:
        Rows in display order; a single ``"note"`` row when there is nothing to show.
    """
    if mode not in MODES:
        raise ValueError(f"mode must be 'unified' or 'split', got {mode!r}")
    la, lb = _lines(a), _lines(b)
    if la == lb:
        if a == b:
            return [DiffRow("note", text="no differences" + (" (both are empty)" if not a else ""))]
        return [DiffRow("note", text="no differences in the lines: only line endings or the final newline differ")]
    sm = difflib.SequenceMatcher(None, la, lb, autojunk=False)
    rows: list[DiffRow] = []
    for h, group in enumerate(sm.get_grouped_opcodes(context)):
        first, last = group[0], group[-1]
        header = f"@@ -{_range(first[1], last[2])} +{_range(first[3], last[4])} @@"
        rows.append(DiffRow("hunk", hunk=h, text=header))
        for tag, i1, i2, j1, j2 in group:
            if tag == "equal":
                rows.extend(
                    DiffRow("context", i + 1, la[i], j + 1, lb[j], hunk=h) for i, j in zip(range(i1, i2), range(j1, j2))
                )
                continue
            left = list(range(i1, i2))
            right = list(range(j1, j2))
            pairs = list(zip(left, right)) if tag == "replace" else []
            spans = {p: intraline_spans(la[p[0]], lb[p[1]]) for p in pairs}
            if mode == "unified":
                lspan = {i: spans[(i, j)][0] for i, j in pairs}
                rspan = {j: spans[(i, j)][1] for i, j in pairs}
                rows.extend(DiffRow("delete", i + 1, la[i], left_spans=lspan.get(i, ()), hunk=h) for i in left)
                rows.extend(
                    DiffRow("insert", right_no=j + 1, right=lb[j], right_spans=rspan.get(j, ()), hunk=h) for j in right
                )
            else:
                for i, j in pairs:
                    ls, rs = spans[(i, j)]
                    rows.append(DiffRow("change", i + 1, la[i], j + 1, lb[j], ls, rs, hunk=h))
                rows.extend(DiffRow("delete", i + 1, la[i], hunk=h) for i in left[len(pairs):])
                rows.extend(DiffRow("insert", right_no=j + 1, right=lb[j], hunk=h) for j in right[len(pairs):])
    return rows


def diff_stats(rows: list[DiffRow]) -> tuple[int, int, int]:
    """``(hunks, lines added, lines removed)`` of a row list (either mode)."""
    hunks = sum(1 for r in rows if r.kind == "hunk")
    added = sum(1 for r in rows if r.kind in ("insert", "change"))
    removed = sum(1 for r in rows if r.kind in ("delete", "change"))
    return hunks, added, removed


def _clean(text: str) -> str:
    """One display cell per character, so spans stay aligned: tabs and control characters become spaces."""
    return "".join(" " if (ord(c) < 32 or ord(c) == 127) else c for c in text)


class DiffView(ScrollView, can_focus=True):
    """The diff between two texts, unified or split, with hunk navigation.

    Keys: ``u`` unified, ``s`` split, ``n``/``N`` next/previous hunk, arrows and page keys scroll.
    """

    BINDINGS = [
        Binding("u", "set_mode('unified')", "Unified", id="diff-unified", tooltip="One column with - and + lines"),
        Binding("s", "set_mode('split')", "Split", id="diff-split", tooltip="Old and new side by side"),
        Binding("n", "next_hunk", "Next hunk", id="diff-next-hunk"),
        Binding("N", "previous_hunk", "Prev hunk", id="diff-previous-hunk", key_display="N"),
    ]

    COMPONENT_CLASSES = {
        "diff-view--summary",
        "diff-view--label",
        "diff-view--hunk",
        "diff-view--hunk-current",
        "diff-view--number",
        "diff-view--delete",
        "diff-view--insert",
        "diff-view--delete-word",
        "diff-view--insert-word",
        "diff-view--filler",
        "diff-view--note",
        "diff-view--rule",
    }

    DEFAULT_CSS = """
    DiffView {
        background: $surface;
        scrollbar-size-vertical: 1;
        &:focus { background-tint: $foreground 3%; }
        & > .diff-view--summary { color: $text-muted; }
        & > .diff-view--label { text-style: bold; }
        & > .diff-view--hunk { color: $accent; background: $boost; }
        & > .diff-view--hunk-current { color: $text; background: $accent 40%; text-style: bold; }
        & > .diff-view--number { color: $text-muted; }
        & > .diff-view--delete { background: $error 15%; }
        & > .diff-view--insert { background: $success 15%; }
        & > .diff-view--delete-word { background: $error 45%; text-style: bold; }
        & > .diff-view--insert-word { background: $success 45%; text-style: bold; }
        & > .diff-view--filler { background: $panel; }
        & > .diff-view--note { color: $text-muted; text-style: italic; }
        & > .diff-view--rule { color: $panel-lighten-2; }
    }
    """

    mode: reactive[str] = reactive("unified", init=False)
    """``"unified"`` or ``"split"``."""

    def __init__(
        self,
        left_text: str = "",
        right_text: str = "",
        left_label: str = "",
        right_label: str = "",
        mode: str = "unified",
        *,
        context: int = 3,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes)
        if mode not in MODES:
            raise ValueError(f"mode must be 'unified' or 'split', got {mode!r}")
        self.set_reactive(DiffView.mode, mode)
        self.context = context
        self.left_text = left_text
        self.right_text = right_text
        self.left_label = left_label
        self.right_label = right_label
        self._message: str | None = None
        self.rows: list[DiffRow] = []
        """The diff rows of the current mode (without the label rows drawn above them)."""
        self._head = 0
        self._hunk_rows: list[int] = []
        self._current_hunk = -1
        self._rebuild()

    # ---------------------------------------------------------------- public API

    def set_texts(self, left_text: str, right_text: str, left_label: str = "", right_label: str = "") -> None:
        """Show the diff of two new texts (the mode and the widget's state are kept)."""
        self.left_text, self.right_text = left_text, right_text
        self.left_label, self.right_label = left_label, right_label
        self._message = None
        self._rebuild()
        self.scroll_to(0, 0, animate=False)

    def show_message(self, message: str) -> None:
        """Show a message instead of a diff (e.g. a version whose content was not kept)."""
        self._message = message
        self._rebuild()
        self.scroll_to(0, 0, animate=False)

    @property
    def showing_message(self) -> bool:
        """True while a message (:meth:`show_message`) is shown instead of a diff."""
        return self._message is not None

    @property
    def summary(self) -> str:
        if self._message is not None:
            return self._message
        hunks, added, removed = diff_stats(self.rows)
        if not hunks:
            return self.rows[0].text if self.rows else ""
        return f"{hunks} hunk{'s' if hunks != 1 else ''} · +{added} −{removed} · {self.mode}"

    def visible_text(self) -> list[str]:
        """The rows currently on screen as plain text (for tests and copy)."""
        return [self.render_line(y).text.rstrip() for y in range(self.scrollable_content_region.height)]

    # ---------------------------------------------------------------- actions

    def action_set_mode(self, mode: str) -> None:
        self.mode = mode

    def action_toggle_mode(self) -> None:
        self.mode = "split" if self.mode == "unified" else "unified"

    def action_next_hunk(self) -> None:
        self._jump(+1)

    def action_previous_hunk(self) -> None:
        self._jump(-1)

    # ---------------------------------------------------------------- internals

    def watch_mode(self) -> None:
        top_hunk = self._current_hunk
        self._rebuild()
        if 0 <= top_hunk < len(self._hunk_rows):
            self._current_hunk = top_hunk
            self.scroll_to(y=self._hunk_rows[top_hunk], animate=False)

    def _rebuild(self) -> None:
        if self._message is not None:
            width = self.scrollable_content_region.width
            lines = textwrap.wrap(self._message, max(20, width - 1)) or [""]
            self.rows = [DiffRow("note", text=line) for line in lines]
            self._head = 0
        else:
            self.rows = diff_rows(self.left_text, self.right_text, self.mode, self.context)
            self._head = 3 if self.mode == "unified" else 2  # summary + label rows
        self._hunk_rows = [self._head + i for i, r in enumerate(self.rows) if r.kind == "hunk"]
        self._current_hunk = -1
        self._numw = max(2, len(str(max((max(r.left_no or 0, r.right_no or 0) for r in self.rows), default=0))))
        if self.mode == "unified":
            longest = max((cell_len(r.left or r.right or r.text) for r in self.rows), default=0)
            width = 2 * (self._numw + 1) + 2 + longest
            longest_label = max(cell_len(self.left_label), cell_len(self.right_label)) + 4
            self.virtual_size = Size(max(width, longest_label), self._head + len(self.rows))
        else:
            self.virtual_size = Size(0, self._head + len(self.rows))
        self.refresh()

    def on_mount(self) -> None:
        self._rebuild()

    def on_resize(self) -> None:
        if self._message is not None:
            self._rebuild()  # re-wrap the message
        self.refresh()

    def _jump(self, step: int) -> None:
        if not self._hunk_rows:
            self.app.bell()
            return
        top = round(self.scroll_y)
        anchor = top
        if 0 <= self._current_hunk < len(self._hunk_rows):
            y = self._hunk_rows[self._current_hunk]
            if top <= y < top + max(1, self.size.height):
                anchor = y  # the hunk we jumped to is still on screen: step from it
        if step > 0:
            later = [i for i, y in enumerate(self._hunk_rows) if y > anchor]
            target = later[0] if later else None
        else:
            earlier = [i for i, y in enumerate(self._hunk_rows) if y < anchor]
            target = earlier[-1] if earlier else None
        if target is None:
            self.app.bell()
            return
        self._current_hunk = target
        self.scroll_to(y=self._hunk_rows[target], animate=False)
        self.refresh()

    def _style(self, name: str) -> Style:
        return self.get_component_rich_style(f"diff-view--{name}")

    def render_line(self, y: int) -> Strip:
        scroll_x, scroll_y = self.scroll_offset
        width = self.scrollable_content_region.width
        base = self.rich_style
        idx = scroll_y + y
        if self.mode == "split":
            strip = self._split_line(idx, width, base)
            return strip.apply_offsets(0, idx)
        strip = self._unified_line(idx, base, max(self.virtual_size.width, scroll_x + width))
        return strip.crop_extend(scroll_x, scroll_x + width, base).apply_offsets(scroll_x, idx)

    # unified ---------------------------------------------------------------

    def _unified_line(self, idx: int, base: Style, full: int) -> Strip:
        w = self._numw
        if idx < self._head and idx == 0:
            return Strip([Segment(self.summary + "   (u unified · s split · n/N next/prev hunk)",
                                  base + self._style("summary"))])
        if idx < self._head and idx == 1:
            return Strip([Segment(f"--- {self.left_label}", base + self._style("label") + self._style("delete"))])
        if idx < self._head and idx == 2:
            return Strip([Segment(f"+++ {self.right_label}", base + self._style("label") + self._style("insert"))])
        i = idx - self._head
        if not 0 <= i < len(self.rows):
            return Strip([])
        row = self.rows[i]
        if row.kind == "hunk":
            current = self._current_hunk >= 0 and self._hunk_rows[self._current_hunk] == idx
            style = base + self._style("hunk-current" if current else "hunk")
            return Strip([Segment(row.text, style)]).extend_cell_length(full, style)
        if row.kind == "note":
            return Strip([Segment(row.text, base + self._style("note"))])
        num = base + self._style("number")
        left = f"{row.left_no:>{w}}" if row.left_no is not None and row.kind != "insert" else " " * w
        right = f"{row.right_no:>{w}}" if row.right_no is not None and row.kind != "delete" else " " * w
        if row.kind == "delete":
            line_style, word, marker, text, spans = base + self._style("delete"), "delete-word", "-", row.left, row.left_spans
        elif row.kind == "insert":
            line_style, word, marker, text, spans = base + self._style("insert"), "insert-word", "+", row.right, row.right_spans
        else:
            line_style, word, marker, text, spans = base, "", " ", row.left, ()
        segs = [Segment(f"{left} {right} ", num), Segment(f"{marker} ", line_style)]
        segs.extend(self._text_segments(text or "", spans, line_style, self._style(word) if word else line_style))
        strip = Strip(segs)
        if row.kind in ("delete", "insert"):
            strip = strip.extend_cell_length(full, line_style)  # the colour runs to the edge
        return strip

    # split -------------------------------------------------------------------

    def _split_line(self, idx: int, width: int, base: Style) -> Strip:
        if width <= 0:
            return Strip([])
        lw = (width - 1) // 2
        rw = width - 1 - lw
        rule = Segment("│", base + self._style("rule"))
        if idx < self._head and idx == 0:
            return _fit([Segment(self.summary + "   (u unified · s split · n/N hunks)", base + self._style("summary"))],
                        width, base)
        if idx < self._head and idx == 1:
            label = base + self._style("label")
            return Strip.join([
                _fit([Segment(self.left_label, label)], lw, label), Strip([rule]),
                _fit([Segment(self.right_label, label)], rw, label),
            ])
        i = idx - self._head
        if not 0 <= i < len(self.rows):
            return Strip.blank(width, base)
        row = self.rows[i]
        if row.kind == "hunk":
            current = self._current_hunk >= 0 and self._hunk_rows[self._current_hunk] == idx
            style = base + self._style("hunk-current" if current else "hunk")
            return _fit([Segment(row.text, style)], width, style)
        if row.kind == "note":
            return _fit([Segment(row.text, base + self._style("note"))], width, base)
        left = self._half(row, "left", lw, base)
        right = self._half(row, "right", rw, base)
        return Strip.join([left, Strip([rule]), right])

    def _half(self, row: DiffRow, side: str, width: int, base: Style) -> Strip:
        no = row.left_no if side == "left" else row.right_no
        text = row.left if side == "left" else row.right
        spans = row.left_spans if side == "left" else row.right_spans
        if text is None or (side == "left" and row.kind == "insert") or (side == "right" and row.kind == "delete"):
            filler = base + self._style("filler")
            return Strip.blank(width, filler)
        if row.kind == "context":
            line_style, word, marker = base, base, " "
        elif side == "left":
            line_style, word, marker = base + self._style("delete"), self._style("delete-word"), "-"
        else:
            line_style, word, marker = base + self._style("insert"), self._style("insert-word"), "+"
        prefix = [Segment(f"{no:>{self._numw}} ", base + self._style("number")), Segment(f"{marker} ", line_style)]
        room = width - (self._numw + 3)
        if spans and room > 12 and cell_len(text) > room and spans[0][0] > room - 8:
            # The change lies past the cut: start the line later so that the changed part shows.
            skip = spans[0][0] - room // 3
            text = "…" + text[skip + 1:]
            spans = tuple((max(1, a - skip), b - skip) for a, b in spans if b - skip > 1)
        segs = prefix + self._text_segments(text, spans, line_style, word)
        return _fit(segs, width, line_style)

    # shared -------------------------------------------------------------------

    @staticmethod
    def _text_segments(text: str, spans: tuple[Span, ...], style: Style, word: Style) -> list[Segment]:
        text = _clean(text)
        if not spans:
            return [Segment(text, style)]
        out = []
        pos = 0
        for start, end in spans:
            if start > pos:
                out.append(Segment(text[pos:start], style))
            out.append(Segment(text[start:end], style + word))
            pos = end
        if pos < len(text):
            out.append(Segment(text[pos:], style))
        return out


def _fit(segments: list[Segment], width: int, pad_style: Style) -> Strip:
    """Exactly ``width`` cells: padded with ``pad_style``, or cut with a final ``…``."""
    strip = Strip(segments)
    if strip.cell_length <= width:
        return strip.extend_cell_length(width, pad_style)
    if width <= 0:
        return Strip([])
    cut = strip.crop(0, width - 1)
    segs = list(cut)
    last_style = segs[-1].style if segs else pad_style
    return Strip.join([cut, Strip([Segment("…", last_style)])]).adjust_cell_length(width, pad_style)
