"""Bad AWM input: every problem is reported with file:line and field; nothing crashes; nothing half-written."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from workbench.bundle import awm_import
from workbench.bundle.awm_import import import_awm
from workbench.bundle.load import iter_bundle_dirs, load_bundle
from workbench.cli import main


def _line(obj) -> str:
    return json.dumps(obj, ensure_ascii=False) + "\n"


def _env(name: str, n_tasks: int = 2) -> dict[str, str]:
    """Minimal but complete AWM records for one environment, keyed by file."""
    norm = name.lower().replace(" ", "_")
    return {
        "gen_scenario": _line({"name": name, "description": f"{name} desc"}),
        "gen_tasks": _line({"scenario": name, "tasks": [f"task {i}" for i in range(n_tasks)]}),
        "gen_db": _line({"scenario": name, "db_schema": {"tables": [
            {"name": "users", "ddl": "CREATE TABLE users (id INTEGER PRIMARY KEY, created_at TEXT DEFAULT CURRENT_TIMESTAMP);",
             "indexes": []}]}, "db_path": f"./outputs/databases/{norm}.db"}),
        "gen_sample": _line({"scenario": name, "tables_count": 1, "inserts_count": 1, "sample_data": {"tables": [
            {"table_name": "users", "reasoning": "r", "insert_statements": ["INSERT INTO users (id) VALUES (1);"]}]}}),
        "gen_spec": _line({"scenario": name, "api_spec": {"api_groups": []}}),
        "gen_envs": _line({"scenario": name, "db_path": f"./outputs/databases/{norm}.db", "full_code": "import os\n"}),
        "gen_verifier": "".join(
            _line({"scenario": norm, "task_idx": i, "task": f"task {i}",
                   "verification": {"code": "def verify_task_completion(initial_db_path, final_db_path, final_answer=None):\n    return {'result': 'others'}\n",
                                    "raw_response": ""}})
            for i in range(n_tasks)),
    }


def _write(outputs: Path, envs: list[dict[str, str]], extra: dict[str, str] | None = None) -> None:
    outputs.mkdir(parents=True, exist_ok=True)
    files: dict[str, str] = {}
    for env in envs:
        for f, text in env.items():
            files[f] = files.get(f, "") + text
    for f, text in (extra or {}).items():
        files[f] = files.get(f, "") + text
    for f, text in files.items():
        (outputs / f"{f}.jsonl").write_text(text, encoding="utf-8")


def _notes(report) -> list[str]:
    return [str(n) for n in report.file_notes] + [str(n) for e in report.envs for n in e.notes]


def test_truncated_line_is_reported_and_others_import(tmp_path: Path) -> None:
    a, b = _env("Alpha"), _env("Beta")
    b["gen_spec"] = b["gen_spec"][: len(b["gen_spec"]) // 2] + "\n"  # truncated mid-record
    _write(tmp_path / "out", [a, b])
    report = import_awm(tmp_path / "out", tmp_path / "lib")
    notes = _notes(report)
    assert any("gen_spec.jsonl:2" in n and "truncated" in n for n in notes), notes
    assert [d.name for d in iter_bundle_dirs(tmp_path / "lib")] == ["alpha", "beta"]
    beta, _ = load_bundle(tmp_path / "lib" / "beta")
    assert beta.spec is None and beta.tasks is not None
    assert any("missing: spec" in n for n in notes)
    assert not report.ok


def test_wrong_types_name_file_line_and_field(tmp_path: Path) -> None:
    a = _env("Alpha")
    a["gen_tasks"] = _line({"scenario": "Alpha", "tasks": "not a list"})
    a["gen_db"] = _line({"scenario": "Alpha", "db_schema": {"tables": [{"name": "x", "ddl": 7}]}, "db_path": "p"})
    _write(tmp_path / "out", [a], {"gen_sample": _line({"scenario": 42})})
    report = import_awm(tmp_path / "out", tmp_path / "lib")
    notes = _notes(report)
    assert any("gen_tasks.jsonl:1: tasks:" in n for n in notes), notes
    assert any("gen_db.jsonl:1: db_schema.tables[0].ddl:" in n for n in notes), notes
    assert any("gen_sample.jsonl:2: scenario:" in n for n in notes), notes


def test_malformed_record_is_kept_verbatim_for_export(tmp_path: Path) -> None:
    from workbench.bundle.awm_export import export_library

    a = _env("Alpha")
    a["gen_tasks"] = _line({"scenario": "Alpha", "tasks": "not a list", "extra": 1})
    _write(tmp_path / "out", [a])
    import_awm(tmp_path / "out", tmp_path / "lib")
    export_library(tmp_path / "lib", tmp_path / "exp")
    assert (tmp_path / "exp" / "gen_tasks.jsonl").read_text() == a["gen_tasks"]


def test_blank_lines_and_zero_byte_file(tmp_path: Path) -> None:
    a = _env("Alpha")
    a["gen_tasks"] = "\n" + a["gen_tasks"] + "\n\n"
    _write(tmp_path / "out", [a])
    (tmp_path / "out" / "gen_spec.jsonl").write_bytes(b"")
    report = import_awm(tmp_path / "out", tmp_path / "lib")
    notes = _notes(report)
    assert any("gen_spec.jsonl" in n and "0 bytes" in n for n in notes)
    alpha, _ = load_bundle(tmp_path / "lib" / "alpha")
    assert len(alpha.tasks) == 2


def test_missing_stages_are_listed(tmp_path: Path) -> None:
    a = _env("Alpha")
    del a["gen_envs"], a["gen_verifier"]
    _write(tmp_path / "out", [a])
    report = import_awm(tmp_path / "out", tmp_path / "lib")
    assert report.envs[0].missing == ["server", "verifiers"]


def test_duplicate_verifier_rows_first_match_wins(tmp_path: Path) -> None:
    a = _env("Alpha")
    dup = _line({"scenario": "alpha", "task_idx": 0, "task": "task 0", "verification": {
        "code": "def verify_task_completion(initial_db_path, final_db_path, final_answer=None):\n    return {'result': 'complete'}\n",
        "raw_response": ""}})
    _write(tmp_path / "out", [a], {"gen_verifier": dup})
    report = import_awm(tmp_path / "out", tmp_path / "lib")
    assert any("duplicate verifier for task 0" in n and "gen_verifier.jsonl:3" in n for n in _notes(report))
    alpha, _ = load_bundle(tmp_path / "lib" / "alpha")
    active = alpha.active_verifiers()[(0, "code")]
    assert "'others'" in active.code  # the first row, as AWM's lookup
    assert sum(1 for v in alpha.verifiers if not v.active) == 1


def test_colliding_names_keep_first_and_export_both(tmp_path: Path) -> None:
    from workbench.bundle.awm_export import export_library

    a, b = _env("Twitter/X"), _env("twitter x")
    _write(tmp_path / "out", [a, b])
    report = import_awm(tmp_path / "out", tmp_path / "lib")
    assert [e.slug for e in report.envs] == ["twitter_x"]
    assert any("another record for 'twitter_x'" in n for n in _notes(report))
    bundle, _ = load_bundle(tmp_path / "lib" / "twitter_x")
    assert bundle.name == "Twitter/X"
    export_library(tmp_path / "lib", tmp_path / "exp")
    assert (tmp_path / "exp" / "gen_scenario.jsonl").read_text() == a["gen_scenario"] + b["gen_scenario"]


@pytest.mark.parametrize("name", ["../../etc", "---", "/abs/path", "..", "Ω"])
def test_names_never_escape_the_library(tmp_path: Path, name: str) -> None:
    _write(tmp_path / "out", [_env(name)])
    import_awm(tmp_path / "out", tmp_path / "lib")
    for p in tmp_path.rglob("env.json"):
        assert (tmp_path / "lib") in p.parents
    assert not (tmp_path / "etc").exists()


def test_empty_normalised_name_is_refused(tmp_path: Path) -> None:
    _write(tmp_path / "out", [_env("---")])
    report = import_awm(tmp_path / "out", tmp_path / "lib")
    assert any("normalises to an empty name" in n and "gen_scenario.jsonl:1" in n for n in _notes(report))
    assert iter_bundle_dirs(tmp_path / "lib") == []


def test_failure_mid_write_leaves_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _write(tmp_path / "out", [_env("Alpha"), _env("Beta")])
    real_open = open
    calls = {"n": 0}

    def flaky_open(path, mode="r", *args, **kwargs):
        if "w" in mode and "/.import-beta-" in str(path):
            calls["n"] += 1
            if calls["n"] == 3:
                raise OSError(28, "No space left on device")
        return real_open(path, mode, *args, **kwargs)

    monkeypatch.setattr(awm_import, "open", flaky_open, raising=False)
    report = import_awm(tmp_path / "out", tmp_path / "lib")
    statuses = {e.slug: e.status for e in report.envs}
    assert statuses == {"alpha": "imported", "beta": "failed"}
    assert sorted(p.name for p in (tmp_path / "lib").iterdir()) == ["alpha"]


def test_reimport_needs_replace_and_keeps_reviews(tmp_path: Path) -> None:
    _write(tmp_path / "out", [_env("Alpha")])
    import_awm(tmp_path / "out", tmp_path / "lib")
    (tmp_path / "lib" / "alpha" / "reviews.jsonl").write_text('{"verdict": "accept"}\n')
    again = import_awm(tmp_path / "out", tmp_path / "lib")
    assert again.envs[0].status == "skipped"
    replaced = import_awm(tmp_path / "out", tmp_path / "lib", replace=True)
    assert replaced.envs[0].status == "imported"
    assert (tmp_path / "lib" / "alpha" / "reviews.jsonl").read_text() == '{"verdict": "accept"}\n'
    assert len((tmp_path / "lib" / "alpha" / "history" / "tasks.jsonl").read_text().splitlines()) == 2


def test_cli_never_prints_a_traceback(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "gen_scenario.jsonl").write_bytes(b'{"name": "A", "description": "d"}\n\xff\xfe garbage\n[1, 2]\n{"name"')
    (out / "gen_tasks.jsonl").write_text('{"scenario": "A", "tasks": ["t"]}\n')
    code = main(["import", str(out), str(tmp_path / "lib")])
    text = capsys.readouterr()
    assert code == 1
    assert "Traceback" not in text.out + text.err
    assert "gen_scenario.jsonl:2" in text.out and "not UTF-8" in text.out
    assert "gen_scenario.jsonl:3" in text.out and "a JSON object" in text.out
    assert "gen_scenario.jsonl:4" in text.out


def test_streaming_does_not_read_whole_files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The importer reads line by line: Path.read_text/read_bytes are never used on JSONL inputs."""
    _write(tmp_path / "out", [_env("Alpha"), _env("Beta")])
    seen: list[str] = []
    orig_rt, orig_rb = Path.read_text, Path.read_bytes

    def spy_rt(self, *a, **k):
        seen.append(self.name)
        return orig_rt(self, *a, **k)

    def spy_rb(self, *a, **k):
        seen.append(self.name)
        return orig_rb(self, *a, **k)

    monkeypatch.setattr(Path, "read_text", spy_rt)
    monkeypatch.setattr(Path, "read_bytes", spy_rb)
    import_awm(tmp_path / "out", tmp_path / "lib")
    assert not [s for s in seen if s.endswith(".jsonl")]


def test_run_folder_import(tmp_path: Path) -> None:
    import sqlite3

    _write(tmp_path / "out", [_env("Alpha")])
    import_awm(tmp_path / "out", tmp_path / "lib")
    run = tmp_path / "20260301_142233_alpha_task_1"
    run.mkdir()
    traj = {"scenario": "Alpha", "task_id": 1, "task": "task 1", "model": "m", "trajectory": [], "messages": []}
    (run / "trajectory.json").write_text(json.dumps(traj, indent=4))
    for db in ("initial.db", "final.db"):
        sqlite3.connect(run / db).execute("CREATE TABLE t (a)").connection.close()
    (run / "verify.code.json").write_text("{}")
    assert main(["import", str(run), str(tmp_path / "lib")]) == 0
    bundle, problems = load_bundle(tmp_path / "lib" / "alpha")
    assert [(r.run_id, r.kind, r.task_id) for r in bundle.runs] == [("20260301_142233_alpha_task_1", "agent", 1)]
    stored = tmp_path / "lib" / "alpha" / "runs" / "20260301_142233_alpha_task_1"
    assert sorted(p.name for p in stored.iterdir()) == ["final.db", "initial.db", "run.json", "trajectory.json", "verify.code.json"]
    # A run naming an unknown scenario is refused with the field named.
    traj["scenario"] = "Nope"
    other = tmp_path / "other"
    other.mkdir()
    (other / "trajectory.json").write_text(json.dumps(traj))
    assert main(["import", str(other), str(tmp_path / "lib")]) == 1
