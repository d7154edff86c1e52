"""The Stages tab: walking the seven stages, versions from history/, diffs, reviewed marks."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from textual.widgets import OptionList, Select, TabbedContent, TextArea

from workbench.bundle import history as h
from workbench.ui.app import WorkbenchApp
from workbench.ui.panes.stages import StagesPane
from workbench.ui.widgets.diff_view import DiffView

from ..conftest import AWM_OUTPUTS

SLUG = "it_service_desk"


async def settle(app, pilot, rounds: int = 3) -> None:
    """Wait for every worker that ends (file watchers never do), then let the screen catch up."""
    from textual.worker import WorkerFailed

    for _ in range(rounds):
        busy = [w for w in app.workers if not (w.group or "").endswith("watch")]
        if busy:  # an empty list would mean "wait for all", watchers included
            try:
                await app.workers.wait_for_complete(busy)
            except WorkerFailed:
                pass
        await pilot.pause()


@pytest.fixture(autouse=True)
def _private_ui_state(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Reviewed marks go to a cache of this test's own; marks never happen by waiting unless a test says so."""
    monkeypatch.setenv("WORKBENCH_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setattr(StagesPane, "REVIEW_DWELL", 3600.0)


def _prompts(pane: StagesPane) -> list[str]:
    ol = pane.query_one("#stages-list", OptionList)
    return [str(ol.get_option_at_index(i).prompt) for i in range(ol.option_count)]


async def _open_stages(app, pilot) -> StagesPane:
    await settle(app, pilot)
    await pilot.press("2")
    await settle(app, pilot)
    pane = app.screen.query_one(StagesPane)
    assert pane.snapshot is not None
    return pane


async def _walk_to(pilot, app, pane: StagesPane, stage: str) -> None:
    from workbench.bundle.model import STAGES

    step = "down" if STAGES.index(stage) > STAGES.index(pane.stage) else "up"
    for _ in range(abs(STAGES.index(stage) - STAGES.index(pane.stage))):
        await pilot.press(step)
        await settle(app, pilot, 1)
    await settle(app, pilot)
    assert pane.stage == stage


async def test_walk_record_a_version_diff_it_and_review(sample_library: Path) -> None:
    bundle = sample_library / SLUG
    app = WorkbenchApp(sample_library, open_env=SLUG)
    async with app.run_test(size=(120, 40)) as pilot:
        pane = await _open_stages(app, pilot)
        assert isinstance(app.screen.focused, OptionList)
        prompts = _prompts(pane)
        assert [p.split()[1] for p in prompts] == ["scenario", "tasks", "schema", "data", "spec", "server", "verifiers"]
        assert all(p.endswith("1v") for p in prompts)
        ta = pane.query_one("#stages-text", TextArea)
        assert ta.language == "markdown" and ta.text.startswith("# IT Service Desk") and ta.read_only

        # walk to server: the artifact is shown highlighted as python
        await _walk_to(pilot, app, pane, "server")
        assert ta.language == "python" and ta.text == (bundle / "server.py").read_text(encoding="utf-8")
        assert "server.py · v1 unknown · not reviewed" in str(pane.query_one("#stages-title").render())
        await pilot.press("m")
        await settle(app, pilot)
        assert h.reviewed_stages(SLUG) == {"server": h.stage_sha(bundle, "server")}
        assert _prompts(pane)[5].startswith("✓ 6 server")

        # review the schema too, then a new version of schema.sql is recorded (by "someone else": the core API)
        await _walk_to(pilot, app, pane, "schema")
        assert ta.language == "sql"
        await pilot.press("m")
        await settle(app, pilot)
        assert _prompts(pane)[2].startswith("✓ 3 schema")
        old = (bundle / "schema.sql").read_text(encoding="utf-8")
        h.record_version(bundle, "schema", old + "-- added by the test\n", "human", note="one more line")
        await pilot.press("r")
        await settle(app, pilot)
        assert _prompts(pane)[2].startswith("! 3 schema") and _prompts(pane)[2].endswith("2v")
        assert "changed since reviewed" in str(pane.query_one("#stages-title").render())
        assert ta.text.endswith("-- added by the test\n")
        assert _prompts(pane)[5].startswith("✓ 6 server")  # other marks stay current

        # the diff between versions 1 and 2
        await pilot.press("d")
        await settle(app, pilot)
        assert pane.query_one("#stages-views", TabbedContent).active == "stages-diff"
        from_sel = pane.query_one("#stages-from", Select)
        to_sel = pane.query_one("#stages-to", Select)
        to_sel.value = 1  # pick v1 → v1 first: nothing differs
        await settle(app, pilot)
        diff = pane.query_one("#stages-diffview", DiffView)
        assert diff.rows[0].kind == "note" and diff.rows[0].text == "no differences"
        from_sel.value = 1
        to_sel.value = 2
        await settle(app, pilot)
        assert (pane.snapshot.from_v, pane.snapshot.to_v) == (1, 2)
        text = diff.visible_text()
        assert text[0].startswith("1 hunk · +1 −0 · unified")
        assert text[1].startswith("--- v1 · unknown") and text[2].startswith("+++ v2 · human")
        assert any(re.fullmatch(r"\s+286 \+ -- added by the test", line) for line in text), text
        await pilot.press("s")
        await settle(app, pilot)
        assert diff.mode == "split"
        [line] = [x for x in diff.visible_text() if "added by the test" in x]
        assert "│286 + -- added by the test" in line

        # keys step the versions: "t" makes "to" one older (v1 → no differences); marking again makes it current
        await pilot.press("t")
        await settle(app, pilot)
        assert pane.snapshot.to_v == 1 and diff.rows[0].text == "no differences"
        await pilot.press("m")
        await settle(app, pilot)
        assert _prompts(pane)[2].startswith("✓ 3 schema")
        assert h.review_marks(bundle, SLUG) == {"server": "current", "schema": "current"}

        # a change on disk shows up without a key (the pane polls the files)
        data = (bundle / "data.sql").read_text(encoding="utf-8")
        h.record_version(bundle, "data", data + "-- more\n", "llm")
        pane._poll()
        await settle(app, pilot)
        assert _prompts(pane)[3].endswith("2v")


async def test_staying_on_a_stage_marks_it_reviewed_only_when_shown(sample_library: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(StagesPane, "REVIEW_DWELL", 0.3)
    app = WorkbenchApp(sample_library, open_env=SLUG)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        await pilot.pause(0.6)
        assert h.reviewed_stages(SLUG) == {}  # the Stages tab was never shown
        pane = await _open_stages(app, pilot)
        await pilot.pause(0.6)
        await pilot.pause()
        assert set(h.reviewed_stages(SLUG)) == {"scenario"}
        assert _prompts(pane)[0].startswith("✓ 1 scenario")
        await pilot.press("down")
        await settle(app, pilot)
        await pilot.press("1")  # leave before the dwell is over
        await pilot.pause(0.6)
        assert set(h.reviewed_stages(SLUG)) == {"scenario"}
        # "m" on a reviewed stage removes its mark
        await pilot.press("2")
        await settle(app, pilot)
        await pilot.press("up")
        await settle(app, pilot)
        await pilot.press("m")
        await settle(app, pilot)
        assert "scenario" not in h.reviewed_stages(SLUG)


async def test_verifier_code_files_have_their_own_versions(sample_library: Path) -> None:
    bundle = sample_library / SLUG
    code = (bundle / "verifiers" / "task_03.sql.py").read_text(encoding="utf-8")
    h.record_version(bundle, "verifiers/task_03.sql.py", code.replace("def verify_task", "def verify_task", 1)
                     + "# checked by hand\n", "human")
    app = WorkbenchApp(sample_library, open_env=SLUG)
    async with app.run_test(size=(120, 40)) as pilot:
        pane = await _open_stages(app, pilot)
        await _walk_to(pilot, app, pane, "verifiers")
        ta = pane.query_one("#stages-text", TextArea)
        assert ta.language == "python" and ta.text.count("# ── task ") == 10 and "# checked by hand" in ta.text
        await pilot.press("d")
        await settle(app, pilot)
        diff = pane.query_one("#stages-diffview", DiffView)
        assert "one version so far" in diff.rows[0].text  # verifiers.json itself has one version
        pick = pane.query_one("#stages-artifact-pick", Select)
        assert pick.display and pick.value == "verifiers"
        pick.value = "verifiers/task_03.sql.py"
        await settle(app, pilot)
        assert pane.snapshot.artifact == "verifiers/task_03.sql.py" and (pane.snapshot.from_v, pane.snapshot.to_v) == (1, 2)
        assert [r.right for r in diff.rows if r.kind == "insert"] == ["# checked by hand"]
        # back to the artifact (the list has the focus again); the picker is hidden for single-file stages
        await pilot.press("d")
        await settle(app, pilot)
        assert isinstance(app.screen.focused, OptionList)
        await _walk_to(pilot, app, pane, "spec")
        assert not pick.display


async def test_imported_bundle_versions_and_content_not_kept(tmp_path: Path) -> None:
    if not AWM_OUTPUTS.is_dir():
        pytest.skip(f"{AWM_OUTPUTS} is absent")
    from workbench.bundle.awm_import import import_awm

    lib = tmp_path / "lib"
    assert import_awm(AWM_OUTPUTS, lib, only={"gofundme"}).ok
    bundle = lib / "gofundme"
    old = h.current_text(bundle, "spec")
    h.record_version(bundle, "spec", old.replace('"api_groups"', '"api_groups"', 1) + "\n", "llm", note="regenerated")
    # an old version whose blob is gone (e.g. history copied without blobs/)
    (bundle / "history" / "blobs" / h.versions(bundle, "spec")[0].sha256).unlink()
    app = WorkbenchApp(lib, open_env="gofundme")
    async with app.run_test(size=(120, 40)) as pilot:
        pane = await _open_stages(app, pilot)
        assert all(p.endswith("1v") for i, p in enumerate(_prompts(pane)) if i != 4)
        assert _prompts(pane)[4].endswith("2v")
        assert "env.json · v1 import" in str(pane.query_one("#stages-title").render())
        await _walk_to(pilot, app, pane, "spec")
        await pilot.press("d")
        await settle(app, pilot)
        diff = pane.query_one("#stages-diffview", DiffView)
        assert "content was not kept" in " ".join(r.text for r in diff.rows)
        assert "not kept" in diff.visible_text()[0] or "content" in diff.visible_text()[0]
