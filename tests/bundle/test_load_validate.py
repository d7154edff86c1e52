"""Validation names the file, the field and what was expected."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from workbench.bundle.hashing import artifact_hashes
from workbench.bundle.load import load_bundle, load_bundle_strict
from workbench.cli import main
from workbench.errors import BundleError


@pytest.fixture
def rover(real_library_copy: Path) -> Path:
    return real_library_copy / "rover"


def _problems(path: Path) -> list[str]:
    return [str(p) for p in load_bundle(path)[1]]


def test_real_bundle_is_valid(rover: Path) -> None:
    assert [p for p in _problems(rover) if p.startswith("error")] == []


def test_no_env_json_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(BundleError) as exc:
        load_bundle(tmp_path)
    assert "env.json" in str(exc.value)


def test_bad_env_fields(rover: Path) -> None:
    env = json.loads((rover / "env.json").read_text())
    env["reference_time"] = "yesterday"
    env["format"] = "v0"
    (rover / "env.json").write_text(json.dumps(env))
    probs = _problems(rover)
    assert "error: env.json: reference_time: 'YYYY-MM-DD HH:MM:SS' (UTC), got 'yesterday'" in probs
    assert any(p.startswith("error: env.json: format:") for p in probs)


def test_broken_json_names_line(rover: Path) -> None:
    (rover / "tasks.json").write_text('[\n {"id": 0, "task": "a"},\n')
    probs = _problems(rover)
    assert any(p.startswith("error: tasks.json: line 3 column") for p in probs), probs


def test_task_ids_and_types(rover: Path) -> None:
    (rover / "tasks.json").write_text(json.dumps([{"id": 0, "task": "a"}, {"id": 5, "task": 3}]))
    probs = _problems(rover)
    assert "error: tasks.json: [1].id: 1 (ids are AWM's 0-based task_idx, in order), got 5" in probs
    assert "error: tasks.json: [1].task: a string, got int" in probs
    assert any("verifiers/verifiers.json: task_idx=9" in p for p in probs)


def test_spec_duplicate_operation_ids(rover: Path) -> None:
    spec = json.loads((rover / "spec.json").read_text())
    ep = spec["api_groups"][0]["endpoints"][0]
    spec["api_groups"][0]["endpoints"].append(dict(ep))
    (rover / "spec.json").write_text(json.dumps(spec))
    assert any("operation_id: unique operation ids" in p for p in _problems(rover))


def test_missing_verifier_file(rover: Path) -> None:
    (rover / "verifiers" / "task_02.code.py").unlink()
    assert "error: verifiers/task_02.code.py: (file): the code of verifier [2] (task 2)" in _problems(rover)
    with pytest.raises(BundleError):
        load_bundle_strict(rover)


def test_missing_stage_is_a_warning(rover: Path) -> None:
    (rover / "server.py").unlink()
    bundle, problems = load_bundle(rover)
    assert bundle.server_code is None
    assert "warning: server.py: (file): the server stage is missing" in [str(p) for p in problems]


def test_hashes_cover_every_artifact_and_change_with_it(rover: Path) -> None:
    bundle, _ = load_bundle(rover)
    h = artifact_hashes(bundle)
    expected = {"scenario", "schema", "data", "spec", "server"} | {f"task:{i}" for i in range(10)} | {
        f"verifier:{i}:code" for i in range(10)}
    assert expected <= set(h)
    assert all(v.startswith("sha256:") and len(v) == 71 for v in h.values())
    (rover / "server.py").write_text(bundle.server_code + "\n")
    h2 = artifact_hashes(load_bundle(rover)[0])
    assert h2["server"] != h["server"] and h2["schema"] == h["schema"]


def test_validate_cli_exit_codes(real_library_copy: Path, capsys) -> None:
    assert main(["validate", str(real_library_copy)]) == 0
    (real_library_copy / "rover" / "spec.json").write_text("{")
    capsys.readouterr()
    assert main(["validate", str(real_library_copy), "--format", "json"]) == 1
    report = {e["bundle"]: e["problems"] for e in json.loads(capsys.readouterr().out)}
    assert any(p["file"] == "spec.json" and p["severity"] == "error" for p in report["rover"])
    assert not any(p["severity"] == "error" for p in report["gofundme"])
