"""Stages: the seven AWM stages in order, each artifact highlighted, its versions, and a diff of any two.

The left column lists scenario → verifiers with a review mark (``✓`` reviewed, ``!`` changed since
it was reviewed) and the number of versions in ``history/``. The right side shows the selected
stage's artifact read-only with syntax highlighting, or (``d``) the diff between two versions
picked in the "from"/"to" selects. Staying on a stage for ``REVIEW_DWELL`` seconds, or pressing
``m``, marks it reviewed; marks are UI state kept outside the bundle (see
:mod:`workbench.bundle.history`).

Files are read in a thread worker; the pane polls the stage files every ``POLL_SECONDS`` so a
version recorded elsewhere (the pipeline, another pane, a test) shows up without a restart.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.timer import Timer
from textual.widgets import Label, OptionList, Select, Static, TabbedContent, TabPane, TextArea
from textual.widgets.option_list import Option
from textual.worker import Worker, WorkerState

from workbench.bundle import history as h
from workbench.bundle.model import STAGE_FILES, STAGES
from workbench.ui.widgets.diff_view import DiffView
from workbench.ui.workers import ShowsWorkerErrors

MARK_GLYPH = {"current": "✓", "stale": "!", None: " "}

# JSON is highlighted with the YAML grammar (JSON is YAML 1.2): with textual 8.2.8, tree-sitter
# 0.26.1 and tree-sitter-json 0.24.8, replacing a TextArea document parsed as "json" segfaults
# the process (reproduced with a bare ``TextArea('{}', language='json')``).
EDITOR_LANGUAGE = {"json": "yaml"}


@dataclass
class StageSnapshot:
    """Everything the pane shows for one stage, read off the UI thread."""

    stage: str
    artifact: str
    text: str
    language: str | None
    artifacts: list[tuple[str, str]]
    versions: list[h.Version]
    counts: dict[str, int]
    marks: dict[str, str]
    sha: str | None
    from_v: int | None = None
    to_v: int | None = None
    left: str | None = None
    right: str | None = None
    diff_message: str | None = None
    stage_version: h.Version | None = None
    """The current version of the stage file itself (the artifact shown in the title)."""
    fingerprint: tuple = field(default_factory=tuple)


def _fingerprint(bundle_dir) -> tuple:
    """Cheap change detection: size and mtime of every stage file and history file."""
    out = []
    paths = [bundle_dir / f for f in STAGE_FILES.values()]
    for sub in ("verifiers", "history", "history/verifiers"):
        d = bundle_dir / sub
        if d.is_dir():
            paths.extend(sorted(p for p in d.iterdir() if p.is_file()))
    for p in paths:
        try:
            st = p.stat()
            out.append((str(p), st.st_size, st.st_mtime_ns))
        except OSError:
            out.append((str(p), None, None))
    return tuple(out)


class StagesPane(ShowsWorkerErrors, Horizontal):
    """The seven stages, their artifacts, versions and diffs. Keys: ``m`` reviewed, ``d`` diff/artifact."""

    BINDINGS = [
        Binding("m", "toggle_reviewed", "Reviewed", id="stages-reviewed", tooltip="Mark this stage reviewed (again to unmark)"),
        Binding("d", "toggle_view", "Artifact/Diff", id="stages-toggle-view", tooltip="Show the artifact or the diff"),
        Binding("u", "diff_mode('unified')", "Unified diff", show=False, id="stages-unified"),
        Binding("s", "diff_mode('split')", "Split diff", show=False, id="stages-split"),
        Binding("n", "hunk(1)", "Next hunk", show=False, id="stages-next-hunk"),
        Binding("N", "hunk(-1)", "Previous hunk", show=False, id="stages-previous-hunk"),
        Binding("f", "step_version('from')", "Older 'from' version", show=False, id="stages-step-from"),
        Binding("t", "step_version('to')", "Older 'to' version", show=False, id="stages-step-to"),
        Binding("r", "reload", "Reload from disk", show=False, id="stages-reload"),
    ]

    DEFAULT_CSS = """
    StagesPane { height: 1fr; }
    StagesPane #stages-side { width: 20%; min-width: 24; max-width: 34; height: 1fr; }
    StagesPane #stages-list { height: auto; max-height: 9; border: round $primary-muted; padding: 0; }
    StagesPane #stages-versions { height: 1fr; padding: 0 1; text-wrap: nowrap; text-overflow: ellipsis;
        color: $text-muted; }
    StagesPane #stages-list:focus { border: round $primary; }
    StagesPane #stages-legend { height: auto; color: $text-muted; padding: 0 1; }
    StagesPane #stages-main { width: 1fr; height: 1fr; }
    StagesPane #stages-title { height: auto; max-height: 2; padding: 0 1; background: $boost; }
    StagesPane #stages-title.-reviewed { color: $text-success; }
    StagesPane #stages-title.-stale { color: $text-warning; }
    StagesPane #stages-views { height: 1fr; }
    StagesPane #stages-views TabPane { padding: 0; }
    StagesPane #stages-text { height: 1fr; border: none; }
    StagesPane #stages-pickers { height: 1; }
    StagesPane #stages-pickers Label { width: auto; padding: 0 1; color: $text-muted; }
    StagesPane #stages-pickers Select { width: 1fr; }
    StagesPane #stages-artifact-pick { width: 22; }
    StagesPane #stages-artifact-pick.-hidden { display: none; }
    StagesPane #stages-diffview { height: 1fr; }
    """

    REVIEW_DWELL = 3.0
    """Seconds a stage must stay selected (with the pane on screen) to be marked reviewed."""
    POLL_SECONDS = 2.0
    """How often the stage and history files are checked for changes."""

    def __init__(self, ctx, **kw) -> None:
        super().__init__(**kw)
        self.ctx = ctx
        self.add_class("pane")
        self.stage: str = STAGES[0]
        self.artifact: str = STAGES[0]
        self.snapshot: StageSnapshot | None = None
        self._follow_latest = True
        self._dwell: Timer | None = None
        self._fingerprint: tuple = ()
        self._pick_options: list[tuple[str, str]] = []

    # ------------------------------------------------------------------ layout

    def compose(self) -> ComposeResult:
        with Vertical(id="stages-side"):
            yield OptionList(*[Option(self._prompt(i, s, None, None), id=s) for i, s in enumerate(STAGES)],
                             id="stages-list")
            yield Static("", id="stages-versions", markup=False)
            yield Static("✓ reviewed  ! changed\nm mark · d diff/text", id="stages-legend")
        with Vertical(id="stages-main"):
            yield Static("", id="stages-title", markup=False)
            with TabbedContent(id="stages-views", initial="stages-artifact"):
                with TabPane("Artifact", id="stages-artifact"):
                    yield TextArea.code_editor("", read_only=True, id="stages-text")
                with TabPane("Versions · diff", id="stages-diff"):
                    with Horizontal(id="stages-pickers"):
                        yield Select([], prompt="file", compact=True, allow_blank=True, id="stages-artifact-pick",
                                     classes="-hidden")
                        yield Label("from")
                        yield Select([], prompt="version", compact=True, id="stages-from")
                        yield Label("to")
                        yield Select([], prompt="version", compact=True, id="stages-to")
                    yield DiffView(id="stages-diffview")

    @staticmethod
    def _prompt(i: int, stage: str, mark: str | None, count: int | None) -> str:
        n = "–" if count is None else f"{count}v"
        return f"{MARK_GLYPH.get(mark, ' ')} {i + 1} {stage:<9} {n:>3}"

    def on_mount(self) -> None:
        self.query_one("#stages-list", OptionList).highlighted = 0
        self.set_interval(self.POLL_SECONDS, self._poll)

    # ------------------------------------------------------------------ loading

    def _request(self, stage: str, artifact: str | None = None, from_v: int | None = None,
                 to_v: int | None = None) -> None:
        self.load(stage, artifact or stage, from_v, to_v)

    @work(thread=True, exclusive=True, group="stages", exit_on_error=False, description="Reading the stage")
    def load(self, stage: str, artifact: str, from_v: int | None, to_v: int | None) -> StageSnapshot:
        bundle_dir = self.ctx.path
        slug = self.ctx.bundle.slug
        fingerprint = _fingerprint(bundle_dir)
        text, language = h.artifact_text(bundle_dir, stage)
        artifacts = h.stage_artifacts(bundle_dir, stage)
        if artifact not in {a for a, _ in artifacts}:
            artifact = stage
        vs = h.versions(bundle_dir, artifact)
        all_versions = {s: h.versions(bundle_dir, s) for s in STAGES}
        counts = {s: len(v) for s, v in all_versions.items()}
        snap = StageSnapshot(stage, artifact, text, language, artifacts, vs, counts, h.review_marks(bundle_dir, slug),
                             h.stage_sha(bundle_dir, stage), fingerprint=fingerprint,
                             stage_version=all_versions[stage][-1] if all_versions[stage] else None)
        numbers = [v.version for v in vs]
        if not vs:
            snap.diff_message = f"{artifact}: no versions (the file is not in this bundle)"
            return snap
        snap.to_v = to_v if to_v in numbers else numbers[-1]
        default_from = numbers[-2] if len(numbers) > 1 else numbers[-1]
        snap.from_v = from_v if from_v in numbers else default_from
        if len(numbers) == 1:
            snap.diff_message = (f"{artifact} has one version so far ({vs[0].label}): nothing to compare yet. "
                                 "Versions appear here when a stage is regenerated or edited.")
            return snap
        try:
            snap.left = h.content(bundle_dir, artifact, snap.from_v)
            snap.right = h.content(bundle_dir, artifact, snap.to_v)
        except h.HistoryError as exc:
            snap.diff_message = str(exc)
        return snap

    @on(Worker.StateChanged)
    def _loaded(self, event: Worker.StateChanged) -> None:
        if event.worker.group == "stages" and event.state == WorkerState.SUCCESS and event.worker.result is not None:
            self._apply(event.worker.result)

    def _apply(self, snap: StageSnapshot) -> None:
        old = self.snapshot
        self.snapshot = snap
        self._fingerprint = snap.fingerprint
        stage_changed = old is None or old.stage != snap.stage
        self.stage, self.artifact = snap.stage, snap.artifact
        self._render_list(snap)
        self._render_title(snap)
        if old is None or stage_changed or old.text != snap.text or old.language != snap.language:
            ta = self.query_one("#stages-text", TextArea)
            ta.language = EDITOR_LANGUAGE.get(snap.language or "", snap.language)
            ta.soft_wrap = snap.language in ("markdown", None)
            ta.show_line_numbers = snap.language not in ("markdown", None)
            ta.load_text(snap.text)
        self._render_pickers(snap)
        self._render_versions(snap)
        diff = self.query_one("#stages-diffview", DiffView)
        by_no = {v.version: v for v in snap.versions}
        if snap.diff_message is not None:
            diff.show_message(snap.diff_message)
        elif (old is None or stage_changed or old.artifact != snap.artifact or old.from_v != snap.from_v
              or old.to_v != snap.to_v or old.left != snap.left or old.right != snap.right
              or diff.showing_message):
            diff.set_texts(snap.left or "", snap.right or "", by_no[snap.from_v].label, by_no[snap.to_v].label)
        if stage_changed:
            self._restart_dwell()

    def _render_list(self, snap: StageSnapshot) -> None:
        ol = self.query_one("#stages-list", OptionList)
        for i, s in enumerate(STAGES):
            ol.replace_option_prompt_at_index(i, self._prompt(i, s, snap.marks.get(s), snap.counts.get(s)))

    def _render_title(self, snap: StageSnapshot) -> None:
        title = self.query_one("#stages-title", Static)
        mark = snap.marks.get(snap.stage) if snap.sha is not None else None
        cur = snap.stage_version
        parts = [STAGE_FILES[snap.stage].rpartition("/")[2]]
        if cur is not None:
            parts.append(f"v{cur.version} {cur.made_by}")
        if mark == "current":
            parts.append("✓ reviewed")
        elif mark == "stale":
            parts.append("! changed since reviewed")
        else:
            parts.append("not reviewed")
        title.update(" · ".join(parts))
        title.set_class(mark == "current", "-reviewed")
        title.set_class(mark == "stale", "-stale")

    def _render_versions(self, snap: StageSnapshot) -> None:
        name = snap.artifact.rpartition("/")[2] if snap.artifact != snap.stage else STAGE_FILES[snap.stage].rpartition("/")[2]
        lines = [f"versions of {name}"]
        for v in reversed(snap.versions):
            lines.append(f"{'●' if v.current else ' '} {v.short_label}" + (f" · {v.note}" if v.note else ""))
        if not snap.versions:
            lines.append("  (none)")
        self.query_one("#stages-versions", Static).update("\n".join(lines))

    def _render_pickers(self, snap: StageSnapshot) -> None:
        pick = self.query_one("#stages-artifact-pick", Select)
        many = len(snap.artifacts) > 1
        pick.set_class(not many, "-hidden")
        if many:
            options = [(label, art) for art, label in snap.artifacts]
            if options != self._pick_options:
                self._pick_options = options
                pick.set_options(options)
            if pick.value != snap.artifact:
                pick.value = snap.artifact
        options = [(v.short_label + (f" · {v.note}" if v.note else ""), v.version) for v in reversed(snap.versions)]
        for sel_id, value in (("#stages-from", snap.from_v), ("#stages-to", snap.to_v)):
            sel = self.query_one(sel_id, Select)
            sel.set_options(options)
            sel.disabled = not options
            if value is not None:
                sel.value = value

    # ------------------------------------------------------------------ events

    @on(OptionList.OptionHighlighted, "#stages-list")
    def _stage_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        stage = event.option_id or STAGES[0]
        if self.snapshot is not None and self.snapshot.stage == stage:
            return
        self.stage = stage
        self._follow_latest = True
        self._stop_dwell()
        self._request(stage)

    @on(Select.Changed, "#stages-from, #stages-to")
    def _version_picked(self, event: Select.Changed) -> None:
        snap = self.snapshot
        if snap is None or event.value is Select.NULL:
            return
        current = snap.from_v if event.select.id == "stages-from" else snap.to_v
        if event.value == current:
            return  # our own update, not a choice
        self._follow_latest = False
        from_v = event.value if event.select.id == "stages-from" else snap.from_v
        to_v = event.value if event.select.id == "stages-to" else snap.to_v
        self._request(snap.stage, snap.artifact, from_v, to_v)

    @on(Select.Changed, "#stages-artifact-pick")
    def _artifact_picked(self, event: Select.Changed) -> None:
        snap = self.snapshot
        if snap is None or event.value is Select.NULL or event.value == snap.artifact:
            return
        self._follow_latest = True
        self._request(snap.stage, str(event.value))

    def _poll(self) -> None:
        if self.snapshot is None:
            return
        if _fingerprint(self.ctx.path) != self._fingerprint:
            self.action_reload()

    # ------------------------------------------------------------------ reviewed marks

    def on_show(self) -> None:
        ol = self.query_one("#stages-list", OptionList)
        if not self.has_focus_within:
            ol.focus()
        self._restart_dwell()

    def on_hide(self) -> None:
        self._stop_dwell()

    def _stop_dwell(self) -> None:
        if self._dwell is not None:
            self._dwell.stop()
            self._dwell = None

    def _restart_dwell(self) -> None:
        self._stop_dwell()
        if self.snapshot is not None and self._visible():
            self._dwell = self.set_timer(self.REVIEW_DWELL, self._dwelt)

    def _visible(self) -> bool:
        return self.is_on_screen and self.app.screen is self.screen

    def _dwelt(self) -> None:
        self._dwell = None
        snap = self.snapshot
        if snap is None or snap.sha is None or not self._visible() or snap.marks.get(snap.stage) == "current":
            return
        self._mark(snap, notify=False)

    def _mark(self, snap: StageSnapshot, notify: bool) -> None:
        h.mark_stage_reviewed(self.ctx.bundle.slug, snap.stage, snap.sha)
        snap.marks = {**snap.marks, snap.stage: "current"}
        self._render_list(snap)
        self._render_title(snap)
        if notify:
            self.notify(f"{snap.stage}: marked reviewed")

    def action_toggle_reviewed(self) -> None:
        snap = self.snapshot
        if snap is None:
            return
        if snap.sha is None:
            self.notify(f"{snap.stage}: there is no artifact to review yet.", severity="warning")
            return
        self._stop_dwell()
        if snap.marks.get(snap.stage) == "current":
            h.clear_stage_reviewed(self.ctx.bundle.slug, snap.stage)
            snap.marks = {k: v for k, v in snap.marks.items() if k != snap.stage}
            self._render_list(snap)
            self._render_title(snap)
            self.notify(f"{snap.stage}: review mark removed")
        else:
            self._mark(snap, notify=True)

    # ------------------------------------------------------------------ view and diff actions

    def _show_diff(self, focus: bool = False) -> DiffView:
        self.query_one("#stages-views", TabbedContent).active = "stages-diff"
        diff = self.query_one("#stages-diffview", DiffView)
        if focus:
            diff.focus()
        return diff

    def action_toggle_view(self) -> None:
        tabs = self.query_one("#stages-views", TabbedContent)
        if tabs.active == "stages-diff":
            tabs.active = "stages-artifact"
            self.query_one("#stages-list", OptionList).focus()
        else:
            self._show_diff(focus=True)

    def action_diff_mode(self, mode: str) -> None:
        self._show_diff().mode = mode

    def action_hunk(self, step: int) -> None:
        diff = self._show_diff()
        diff.action_next_hunk() if step > 0 else diff.action_previous_hunk()

    def action_step_version(self, which: str) -> None:
        """Step the "from" (or "to") version one older, wrapping round to the newest."""
        snap = self.snapshot
        if snap is None or not snap.versions:
            return
        numbers = [v.version for v in snap.versions]
        cur = snap.from_v if which == "from" else snap.to_v
        i = numbers.index(cur) if cur in numbers else len(numbers)
        new = numbers[i - 1] if i > 0 else numbers[-1]
        self._follow_latest = False
        self._show_diff()
        if which == "from":
            self._request(snap.stage, snap.artifact, new, snap.to_v)
        else:
            self._request(snap.stage, snap.artifact, snap.from_v, new)

    def action_reload(self) -> None:
        snap = self.snapshot
        if snap is None:
            self._request(self.stage)
        elif self._follow_latest:
            self._request(snap.stage, snap.artifact)
        else:
            self._request(snap.stage, snap.artifact, snap.from_v, snap.to_v)

    # ------------------------------------------------------------------ workspace broadcasts

    def session_ready(self) -> None:
        pass

    def session_failed(self, error: str) -> None:
        pass

    def state_changed(self, reason: str) -> None:
        pass
