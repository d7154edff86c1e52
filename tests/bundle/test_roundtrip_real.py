"""Import the real AWM outputs and export them again: every line must come back byte for byte."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from workbench.bundle.awm_export import export_library
from workbench.bundle.awm_layout import AWM_FILES
from workbench.bundle.load import iter_bundle_dirs, load_bundle

REAL_FILES = ["gen_scenario", "gen_tasks", "gen_db", "gen_sample", "gen_spec", "gen_envs", "gen_verifier"]


def test_import_creates_one_bundle_per_environment(real_library: Path) -> None:
    slugs = [d.name for d in iter_bundle_dirs(real_library)]
    assert slugs == sorted([
        "rover", "gofundme", "docusign_e_signature_agreement_workflow",
        "samsara_fleet_asset_maintenance_management", "fortnite_item_shop", "etsy_digital_downloads",
        "doordash_drive_delivery_tracking", "surveymonkey_apply",
    ])
    for d in iter_bundle_dirs(real_library):
        bundle, problems = load_bundle(d)
        assert not [p for p in problems if p.severity == "error"], problems
        assert len(bundle.tasks) == 10
        assert len(bundle.active_verifiers()) == 10
        assert all(v.mode == "code" for v in bundle.verifiers)  # lisalims' verifiers are code mode


@pytest.mark.parametrize("name", REAL_FILES)
def test_round_trip_is_byte_exact(real_library: Path, awm_outputs: Path, tmp_path: Path, name: str) -> None:
    report = export_library(real_library, tmp_path / "out")
    original = (awm_outputs / f"{name}.jsonl").read_bytes().splitlines(keepends=True)
    exported = (tmp_path / "out" / f"{name}.jsonl").read_bytes().splitlines(keepends=True)
    assert report.files[f"{name}.jsonl"] == len(original)
    assert len(exported) == len(original)
    for i, (a, b) in enumerate(zip(original, exported), start=1):
        assert a == b, f"{name}.jsonl line {i} differs"
        # Parsed records too: same keys, same order, same values.
        ra, rb = json.loads(a), json.loads(b)
        assert ra == rb and list(ra) == list(rb)


def test_no_pure_code_file_without_rows(real_library: Path, tmp_path: Path) -> None:
    export_library(real_library, tmp_path / "out")
    assert not (tmp_path / "out" / "gen_verifier.pure_code.jsonl").exists()
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == sorted(f"{f}.jsonl" for f in REAL_FILES)


def test_unmodelled_fields_survive(real_library_copy: Path, tmp_path: Path) -> None:
    """Extra keys, raw_response and per-table reasoning come back even after an edit elsewhere."""
    rover = real_library_copy / "rover"
    env = json.loads((rover / "env.json").read_text())
    env["description"] = "Edited description."
    (rover / "env.json").write_text(json.dumps(env, indent=2))
    awm = json.loads((rover / "awm.json").read_text())
    awm["templates"]["gen_scenario"]["x_extra"] = [1, {"b": None}]
    (rover / "awm.json").write_text(json.dumps(awm))
    export_library(real_library_copy, tmp_path / "out")
    recs = [json.loads(line) for line in (tmp_path / "out" / "gen_scenario.jsonl").read_text().splitlines()]
    rover_rec = next(r for r in recs if r["name"] == "Rover")
    assert rover_rec["description"] == "Edited description."
    assert rover_rec["x_extra"] == [1, {"b": None}]
    sample = [json.loads(line) for line in (tmp_path / "out" / "gen_sample.jsonl").read_text().splitlines()]
    assert all(all("reasoning" in t for t in r["sample_data"]["tables"]) for r in sample)
    ver = [json.loads(line) for line in (tmp_path / "out" / "gen_verifier.jsonl").read_text().splitlines()]
    assert all(v["verification"]["raw_response"].lstrip().startswith("{") for v in ver)


def test_edits_to_artifact_files_flow_into_export(real_library_copy: Path, tmp_path: Path) -> None:
    gof = real_library_copy / "gofundme"
    tasks = json.loads((gof / "tasks.json").read_text())
    tasks[0]["task"] = "A new first task."
    (gof / "tasks.json").write_text(json.dumps(tasks, indent=2))
    code_file = gof / "verifiers" / "task_03.code.py"
    code_file.write_text(code_file.read_text() + "\n# reviewed\n")
    export_library(real_library_copy, tmp_path / "out")
    t = next(json.loads(x) for x in (tmp_path / "out" / "gen_tasks.jsonl").read_text().splitlines()
             if json.loads(x)["scenario"] == "GoFundMe")
    assert t["tasks"][0] == "A new first task."
    rows = [json.loads(x) for x in (tmp_path / "out" / "gen_verifier.jsonl").read_text().splitlines()]
    row0 = next(r for r in rows if r["scenario"] == "gofundme" and r["task_idx"] == 0)
    row3 = next(r for r in rows if r["scenario"] == "gofundme" and r["task_idx"] == 3)
    assert row0["task"] == "A new first task."  # the verifier row cites the task it checks
    assert row3["verification"]["code"].endswith("# reviewed\n")


def test_awm_file_names_cover_both_verifier_files() -> None:
    assert AWM_FILES[-2:] == ("gen_verifier", "gen_verifier.pure_code")
