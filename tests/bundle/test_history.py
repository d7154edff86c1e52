"""The history store: versions, blobs, content of old versions, atomic writes, imported history, review marks."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from workbench.bundle import history as h
from workbench.bundle.hashing import sha256_text

from ..conftest import AWM_OUTPUTS, SAMPLE_ENVS


@pytest.fixture
def bundle(tmp_path: Path) -> Path:
    dest = tmp_path / "it_service_desk"
    shutil.copytree(SAMPLE_ENVS / "it_service_desk", dest, ignore=shutil.ignore_patterns("__pycache__"))
    return dest


@pytest.fixture
def ui_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    cache = tmp_path / "cache"
    monkeypatch.setenv("WORKBENCH_CACHE_DIR", str(cache))
    return cache


def _lines(path: Path) -> list[dict]:
    return [json.loads(x) for x in path.read_text(encoding="utf-8").splitlines() if x.strip()]


def test_a_bundle_without_history_has_one_unrecorded_version(bundle: Path) -> None:
    [v] = h.versions(bundle, "schema")
    assert (v.version, v.made_by, v.recorded, v.current, v.kept) == (1, "unknown", False, True, True)
    assert v.sha256 == sha256_text((bundle / "schema.sql").read_text(encoding="utf-8"))
    assert v.read() == (bundle / "schema.sql").read_text(encoding="utf-8")
    assert not (bundle / "history").exists()  # reading never writes


def test_record_a_new_schema_version(bundle: Path) -> None:
    old = (bundle / "schema.sql").read_text(encoding="utf-8")
    new = old + "CREATE INDEX idx_extra ON users(email);\n"
    v2 = h.record_version(bundle, "schema", new, "human", note="index on email", reviewer="ana")

    assert (bundle / "schema.sql").read_text(encoding="utf-8") == new
    assert (v2.version, v2.made_by, v2.note, v2.current, v2.recorded) == (2, "human", "index on email", True, True)
    assert v2.meta == {"reviewer": "ana"}

    # both contents are kept, content-addressed
    blobs = bundle / "history" / "blobs"
    assert (blobs / sha256_text(old)).read_text(encoding="utf-8") == old
    assert (blobs / sha256_text(new)).read_text(encoding="utf-8") == new

    lines = _lines(bundle / "history" / "schema.jsonl")
    assert [(x["version"], x["made_by"]) for x in lines] == [(1, "unknown"), (2, "human")]
    assert set(lines[1]) >= {"version", "made_by", "sha256", "source", "time", "note"}

    vs = h.versions(bundle, "schema")
    assert [(v.version, v.current, v.kept) for v in vs] == [(1, False, True), (2, True, True)]
    assert h.content(bundle, "schema", 1) == old
    assert h.content(bundle, "schema", 2) == new
    assert vs[0].read() == old

    # a third version; v1 and v2 stay readable
    v3 = h.record_version(bundle, "schema", old, "llm", note="regenerated", model="fake")
    assert v3.version == 3 and h.content(bundle, "schema", 2) == new and h.content(bundle, "schema", 3) == old


def test_recording_the_current_content_changes_nothing(bundle: Path) -> None:
    text = (bundle / "spec.json").read_text(encoding="utf-8")
    v = h.record_version(bundle, "spec", text, "human")
    # the file as found gets its line, made_by what the caller says
    assert (v.version, v.made_by, v.recorded) == (1, "human", True)
    again = h.record_version(bundle, "spec", text, "llm")
    assert again.version == 1 and len(_lines(bundle / "history" / "spec.jsonl")) == 1


def test_writes_are_atomic(bundle: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every file goes through fsutil.atomic_write_text (temp file + rename), never a partial write."""
    import workbench.bundle.history as mod

    written: list[str] = []
    real = mod.atomic_write_text

    def spy(path: Path, text: str) -> None:
        written.append(str(Path(path).relative_to(bundle)))
        real(path, text)

    monkeypatch.setattr(mod, "atomic_write_text", spy)
    old = (bundle / "server.py").read_text(encoding="utf-8")
    h.record_version(bundle, "server", old + "\n# touched\n", "human")
    assert "server.py" in written
    assert "history/server.jsonl" in written
    assert sum(1 for w in written if w.startswith("history/blobs/")) == 2
    assert not list(bundle.rglob("*.tmp"))

    # a failing write leaves the artifact and its history untouched
    def boom(path: Path, text: str) -> None:
        if Path(path).name == "server.py":
            raise OSError("disk full")
        real(path, text)

    monkeypatch.setattr(mod, "atomic_write_text", boom)
    before = (bundle / "server.py").read_text(encoding="utf-8")
    with pytest.raises(OSError):
        h.record_version(bundle, "server", "broken", "human")
    assert (bundle / "server.py").read_text(encoding="utf-8") == before
    assert len(h.versions(bundle, "server")) == 2


def test_an_edit_outside_the_workbench_is_an_unrecorded_version_and_is_kept(bundle: Path) -> None:
    a = (bundle / "data.sql").read_text(encoding="utf-8")
    h.record_version(bundle, "data", a + "-- b\n", "llm")
    (bundle / "data.sql").write_text(a + "-- edited in vim\n", encoding="utf-8")
    vs = h.versions(bundle, "data")
    assert [(v.version, v.made_by, v.recorded, v.current) for v in vs] == [
        (1, "unknown", True, False), (2, "llm", True, False), (3, "unknown", False, True)]
    assert "outside" in vs[-1].note
    h.record_version(bundle, "data", a, "human")
    vs = h.versions(bundle, "data")
    assert [(v.version, v.made_by) for v in vs] == [(1, "unknown"), (2, "llm"), (3, "unknown"), (4, "human")]
    assert h.content(bundle, "data", 3) == a + "-- edited in vim\n"  # the hand edit was not lost


def test_history_lines_without_a_blob(bundle: Path) -> None:
    """An imported line for an older version whose content was never kept reads as "content not kept"."""
    hist = bundle / "history"
    hist.mkdir()
    (hist / "tasks.jsonl").write_text(
        json.dumps({"version": 1, "made_by": "import", "sha256": "0" * 64, "source": "gen_tasks.jsonl:3",
                    "time": "2026-01-01T00:00:00Z"}) + "\n", encoding="utf-8")
    vs = h.versions(bundle, "tasks")
    assert [(v.version, v.made_by, v.kept, v.current) for v in vs] == [(1, "import", False, False), (2, "unknown", True, True)]
    with pytest.raises(h.ContentNotKept, match="not kept"):
        h.content(bundle, "tasks", 1)
    assert h.content(bundle, "tasks", 2) == (bundle / "tasks.json").read_text(encoding="utf-8")
    with pytest.raises(h.HistoryError):
        h.content(bundle, "tasks", 9)


def test_torn_lines_and_repeated_version_numbers(bundle: Path) -> None:
    hist = bundle / "history"
    hist.mkdir()
    sha = sha256_text((bundle / "spec.json").read_text(encoding="utf-8"))
    (hist / "spec.jsonl").write_text(
        json.dumps({"version": 1, "made_by": "import", "sha256": "1" * 64}) + "\n"
        + "{not json\n"
        + json.dumps({"version": 1, "made_by": "import", "sha256": sha}) + "\n",  # a re-import appends "version 1"
        encoding="utf-8")
    vs = h.versions(bundle, "spec")
    assert [(v.version, v.kept, v.current) for v in vs] == [(1, False, False), (2, True, True)]


def test_imported_bundle_history(tmp_path: Path) -> None:
    if not AWM_OUTPUTS.is_dir():
        pytest.skip(f"{AWM_OUTPUTS} is absent")
    from workbench.bundle.awm_import import import_awm

    report = import_awm(AWM_OUTPUTS, tmp_path / "lib", only={"gofundme"})
    assert report.ok
    b = tmp_path / "lib" / "gofundme"
    for stage in ("scenario", "tasks", "schema", "data", "spec", "server", "verifiers"):
        [v] = h.versions(b, stage)
        assert (v.version, v.made_by, v.recorded, v.current, v.kept) == (1, "import", True, True, True), stage
        assert ".jsonl" in v.source
        assert v.read() == h.current_text(b, stage)
    # the first edit keeps the imported content as a blob (it was only the current file until now)
    old = h.current_text(b, "schema")
    h.record_version(b, "schema", old + "-- reviewed\n", "human")
    assert h.content(b, "schema", 1) == old
    assert [x["made_by"] for x in _lines(b / "history" / "schema.jsonl")] == ["import", "human"]
    # verifier code files are artifacts of their own
    arts = h.stage_artifacts(b, "verifiers")
    assert arts[0] == ("verifiers", "verifiers.json") and len(arts) > 1
    art = arts[1][0]
    assert art.startswith("verifiers/") and h.versions(b, art)[0].made_by == "unknown"


def test_verifier_code_artifacts(bundle: Path) -> None:
    arts = dict(h.stage_artifacts(bundle, "verifiers"))
    assert arts["verifiers/task_03.sql.py"] == "task 3 sql"
    code = (bundle / "verifiers" / "task_03.sql.py").read_text(encoding="utf-8")
    h.record_version(bundle, "verifiers/task_03.sql.py", code + "\n# fixed\n", "llm")
    assert (bundle / "history" / "verifiers" / "task_03.sql.py.jsonl").is_file()
    assert h.content(bundle, "verifiers/task_03.sql.py", 1) == code
    for bad in ("../env.json", "verifiers/../../x.py", "env.json", "nope"):
        with pytest.raises(h.HistoryError):
            h.versions(bundle, bad)
    with pytest.raises(h.HistoryError, match="made_by"):
        h.record_version(bundle, "schema", "x", "robot")


def test_artifact_text_per_stage(bundle: Path) -> None:
    text, lang = h.artifact_text(bundle, "scenario")
    assert lang == "markdown" and text.startswith("# IT Service Desk\n\n") and "helpdesk" in text
    text, lang = h.artifact_text(bundle, "tasks")
    assert lang == "markdown" and text.startswith("0. Which tickets") and "\n\n9. " in text
    assert h.artifact_text(bundle, "schema") == ((bundle / "schema.sql").read_text(encoding="utf-8"), "sql")
    assert h.artifact_text(bundle, "data")[1] == "sql"
    assert h.artifact_text(bundle, "spec")[1] == "json"
    assert h.artifact_text(bundle, "server")[1] == "python"
    text, lang = h.artifact_text(bundle, "verifiers")
    assert lang == "python" and text.count("# ── task ") == 10 and "task 3 · sql · verify_task" in text
    (bundle / "schema.sql").unlink()
    text, lang = h.artifact_text(bundle, "schema")
    assert lang is None and "not in this bundle" in text
    assert h.versions(bundle, "schema") == [] and h.stage_sha(bundle, "schema") is None


def test_reviewed_marks_live_outside_the_bundle_and_go_stale(bundle: Path, ui_cache: Path) -> None:
    assert h.reviewed_stages("it_service_desk") == {}
    sha = h.stage_sha(bundle, "schema")
    assert sha == h.versions(bundle, "schema")[-1].sha256  # the same hash history lines carry
    h.mark_stage_reviewed("it_service_desk", "schema", sha)
    h.mark_stage_reviewed("it_service_desk", "verifiers", h.stage_sha(bundle, "verifiers"))
    assert h.reviewed_stages("it_service_desk") == {"schema": sha, "verifiers": h.stage_sha(bundle, "verifiers")}
    assert (ui_cache / "ui-state" / "it_service_desk.json").is_file()
    assert not (bundle / "history").exists()
    assert h.review_marks(bundle, "it_service_desk") == {"schema": "current", "verifiers": "current"}

    h.record_version(bundle, "schema", h.current_text(bundle, "schema") + "-- x\n", "human")
    code = bundle / "verifiers" / "task_00.code.py"
    code.write_text(code.read_text(encoding="utf-8") + "# edit\n", encoding="utf-8")  # a code file, not the index
    assert h.review_marks(bundle, "it_service_desk") == {"schema": "stale", "verifiers": "stale"}
    h.clear_stage_reviewed("it_service_desk", "schema")
    assert set(h.reviewed_stages("it_service_desk")) == {"verifiers"}
