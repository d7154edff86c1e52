"""DiffView: the pure row model (diff_rows) and the widget (modes, hunk keys, truncation, resize)."""

from __future__ import annotations

import difflib

import pytest
from textual.app import App, ComposeResult

from workbench.ui.widgets.diff_view import DiffRow, DiffView, diff_rows, diff_stats, intraline_spans

OLD = "".join(f"line {i}\n" for i in range(1, 21))
NEW = OLD.replace("line 3\n", "line three\n").replace("line 15\n", "") + "line 21\n"


# ----------------------------------------------------------------------------- diff_rows


def test_unified_hunks_match_difflib() -> None:
    rows = diff_rows(OLD, NEW, "unified")
    headers = [r.text for r in rows if r.kind == "hunk"]
    expected = [x.rstrip("\n") for x in difflib.unified_diff(OLD.splitlines(True), NEW.splitlines(True)) if x.startswith("@@")]
    assert headers == expected == ["@@ -1,6 +1,6 @@", "@@ -12,9 +12,9 @@"]
    # the same lines, with the same markers, as diff -u
    body = [x.rstrip("\n") for x in difflib.unified_diff(OLD.splitlines(True), NEW.splitlines(True))][2:]
    ours = []
    for r in rows:
        if r.kind == "hunk":
            ours.append(r.text)
        elif r.kind == "context":
            ours.append(" " + r.left)
        elif r.kind == "delete":
            ours.append("-" + r.left)
        elif r.kind == "insert":
            ours.append("+" + r.right)
    assert ours == body
    # line numbers on both sides, hunk numbers on every row
    assert rows[1] == DiffRow("context", 1, "line 1", 1, "line 1", hunk=0)
    [ins] = [r for r in rows if r.kind == "insert" and r.right == "line 21"]
    assert (ins.right_no, ins.left_no, ins.hunk) == (20, None, 1)
    assert diff_stats(rows) == (2, 2, 2)


def test_split_pairs_replaced_lines() -> None:
    rows = diff_rows(OLD, NEW, "split")
    [change] = [r for r in rows if r.kind == "change"]
    assert (change.left_no, change.left, change.right_no, change.right) == (3, "line 3", 3, "line three")
    [delete] = [r for r in rows if r.kind == "delete"]
    assert (delete.left_no, delete.left, delete.right) == (15, "line 15", None)
    [insert] = [r for r in rows if r.kind == "insert"]
    assert (insert.right_no, insert.right, insert.left) == (20, "line 21", None)
    # context rows carry both sides' numbers
    assert all(r.left_no and r.right_no for r in rows if r.kind == "context")
    assert diff_stats(rows) == (2, 2, 2)


def test_split_pairs_unequal_replacements_in_order() -> None:
    rows = diff_rows("a\nb\nc\n", "a\nB1\nB2\nB3\nc\n", "split")
    body = [(r.kind, r.left, r.right) for r in rows if r.kind not in ("hunk", "context")]
    assert body == [("change", "b", "B1"), ("insert", None, "B2"), ("insert", None, "B3")]


def test_intraline_spans() -> None:
    left, right = intraline_spans("    name TEXT NOT NULL,", "    name TEXT NOT NULL UNIQUE,")
    assert left == () and right == ((22, 29),)
    assert "    name TEXT NOT NULL UNIQUE,"[22:29] == " UNIQUE"
    left, right = intraline_spans("price = 10", "price = 12")
    assert "price = 10"[slice(*left[0])] == "0" and "price = 12"[slice(*right[0])] == "2"
    # lines that share little get no fragment highlight (the whole line is the change)
    assert intraline_spans("completely different", "xyz 123 !!") == ((), ())
    # spans reach the rows in both modes
    [change] = [r for r in diff_rows("a = 1\n", "a = 2\n", "split") if r.kind == "change"]
    assert change.left_spans == ((4, 5),) and change.right_spans == ((4, 5),)
    uni = diff_rows("a = 1\n", "a = 2\n", "unified")
    assert [r.left_spans for r in uni if r.kind == "delete"] == [((4, 5),)]
    assert [r.right_spans for r in uni if r.kind == "insert"] == [((4, 5),)]


def test_identical_and_whitespace_only() -> None:
    for mode in ("unified", "split"):
        assert diff_rows(OLD, OLD, mode) == [DiffRow("note", text="no differences")]
        assert diff_rows("", "", mode) == [DiffRow("note", text="no differences (both are empty)")]
        [note] = diff_rows("a\nb\n", "a\r\nb", mode)
        assert note.kind == "note" and "line endings" in note.text


def test_empty_inputs() -> None:
    rows = diff_rows("", "x\ny\n", "unified")
    assert [r.text for r in rows if r.kind == "hunk"] == ["@@ -0,0 +1,2 @@"]
    assert [(r.kind, r.right_no, r.right) for r in rows[1:]] == [("insert", 1, "x"), ("insert", 2, "y")]
    rows = diff_rows("x\n", "", "split")
    assert [r.text for r in rows if r.kind == "hunk"] == ["@@ -1 +0,0 @@"]
    assert [(r.kind, r.left) for r in rows[1:]] == [("delete", "x")]


def test_context_and_bad_mode() -> None:
    assert sum(r.kind == "context" for r in diff_rows(OLD, NEW, "unified", context=0)) == 0
    assert sum(r.kind == "hunk" for r in diff_rows(OLD, NEW, "unified", context=10)) == 1
    with pytest.raises(ValueError):
        diff_rows("a", "b", "sideways")


# ----------------------------------------------------------------------------- the widget


class DiffApp(App):
    def __init__(self, left: str, right: str, mode: str = "unified") -> None:
        super().__init__()
        self.args = (left, right, "old.sql", "new.sql", mode)

    def compose(self) -> ComposeResult:
        yield DiffView(*self.args, id="diff")


BIG_OLD = "".join(f"row {i}\n" for i in range(1, 201))
BIG_NEW = BIG_OLD.replace("row 5\n", "row five\n").replace("row 100\n", "row hundred\n").replace("row 190\n", "")


async def test_keys_switch_modes_and_jump_between_hunks() -> None:
    app = DiffApp(BIG_OLD, BIG_NEW)
    async with app.run_test(size=(60, 12)) as pilot:
        diff = app.query_one(DiffView)
        diff.focus()
        await pilot.pause()
        text = diff.visible_text()
        assert text[0].startswith("3 hunks · +2 −3 · unified")
        assert text[1] == "--- old.sql" and text[2] == "+++ new.sql"
        assert any(line.endswith("- row 5") for line in text) and any(line.endswith("+ row five") for line in text)
        await pilot.press("n")
        await pilot.pause()
        assert diff.visible_text()[0] == "@@ -2,7 +2,7 @@"
        await pilot.press("n")
        await pilot.pause()
        assert diff.visible_text()[0].startswith("@@ -97,7 +97,7 @@")
        await pilot.press("n")
        await pilot.pause()
        # the last hunk cannot scroll to the top: it is shown (and highlighted) lower down
        assert "@@ -187,7 +187,6 @@" in diff.visible_text() and diff.scroll_y == diff.max_scroll_y
        await pilot.press("N")
        await pilot.pause()
        assert diff.visible_text()[0].startswith("@@ -97,7 +97,7 @@")
        await pilot.press("s")
        await pilot.pause()
        assert diff.mode == "split"
        text = diff.visible_text()
        assert text[0].startswith("@@ -97,7 +97,7 @@")  # the same hunk stays in view
        [changed] = [line for line in text if "row hundred" in line]
        assert "- row 100" in changed and "│" in changed and "+ row hundred" in changed
        await pilot.press("u")
        await pilot.pause()
        assert diff.mode == "unified"


async def test_split_mode_truncates_to_the_width_and_follows_resizes() -> None:
    long = "x = '" + "a" * 150 + "'\n"
    app = DiffApp("first\n" + long, "first\n" + long.replace("x =", "y ="), mode="split")
    async with app.run_test(size=(60, 10)) as pilot:
        diff = app.query_one(DiffView)
        await pilot.pause()
        [row] = [line for line in diff.visible_text() if "- x =" in line]
        assert row.endswith("…") and "│" in row and len(row) <= 60
        assert row.index("│") in (29, 30)
        await pilot.resize_terminal(100, 10)
        await pilot.pause()
        [row] = [line for line in diff.visible_text() if "- x =" in line]
        assert row.endswith("…") and 90 <= len(row) <= 100 and row.index("│") in (49, 50)


async def test_identical_empty_and_messages() -> None:
    app = DiffApp("same\n", "same\n")
    async with app.run_test(size=(60, 8)) as pilot:
        diff = app.query_one(DiffView)
        await pilot.pause()
        assert "no differences" in diff.visible_text()[0]
        diff.set_texts("", "", "a", "b")
        await pilot.pause()
        assert "no differences (both are empty)" in "\n".join(diff.visible_text())
        await pilot.press("n")  # no hunks: a bell, no crash
        diff.show_message("version 1's content was not kept: only its hash is known, so there is nothing to diff")
        await pilot.pause()
        text = diff.visible_text()
        assert text[0].startswith("version 1's content was not kept") and "nothing to diff" in text[1]
        diff.set_texts("a\n", "b\n", "x", "y")
        await pilot.pause()
        assert diff.summary.startswith("1 hunk · +1 −1")
