"""``export --accepted``: only accepted environments and tasks, with a manifest of hashes and decisions."""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import pytest

from workbench.bundle.awm_export import export_library
from workbench.bundle.hashing import artifact_hashes
from workbench.bundle.load import load_bundle
from workbench.errors import ExportFailure
from workbench.review.curate import MANIFEST_FORMAT, export_accepted
from workbench.review.decisions import record_decision, review_hashes

REPO = Path(__file__).resolve().parents[2]
SAMPLES = REPO / "sample_envs"
ENVS = ("it_service_desk", "procure_to_pay", "riverside_clinic")
VERIFIER_FILES = ("gen_verifier.jsonl", "gen_verifier.pure_code.jsonl")


@pytest.fixture
def lib(tmp_path: Path) -> Path:
    out = tmp_path / "lib"
    for name in ENVS:
        shutil.copytree(SAMPLES / name, out / name, ignore=shutil.ignore_patterns("__pycache__"))
    return out


def records(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()] if path.exists() else []


def env_of(rec: dict) -> str:
    """The environment a record belongs to (verifier rows name the slug, the others the name)."""
    return str(rec.get("scenario") or rec.get("name")).lower().replace(" ", "_").replace("-", "_")


def manifest(out: Path) -> dict:
    return json.loads((out / "manifest.json").read_text(encoding="utf-8"))


def test_accepted_envs_and_tasks_only(lib: Path, tmp_path: Path) -> None:
    a1 = record_decision(lib / "it_service_desk", "env", "accept", reviewer="ana", note="clean")
    a2 = record_decision(lib / "procure_to_pay", "env", "accept", reviewer="ben")
    rej = record_decision(lib / "procure_to_pay", "task:4", "reject", category="verifier_false_positive",
                          severity="high", blocks_task=True, reviewer="cy", note="do-nothing run passes")
    record_decision(lib / "procure_to_pay", "task:5", "accept", reviewer="cy")
    finding = record_decision(lib / "procure_to_pay", "tool:create_purchase_order", "needs-fix",
                              category="unhandled_edge_case", reviewer="cy")
    out = tmp_path / "out"
    report = export_accepted(lib, out)
    assert report.ok, report.problems

    # The JSONL: the two accepted environments, every AWM file, and no rows of task 4 of procure_to_pay.
    full = tmp_path / "full"
    export_library(lib, full)
    accepted = {"it_service_desk", "procure_to_pay"}
    for f in ("gen_scenario.jsonl", "gen_tasks.jsonl", "gen_db.jsonl", "gen_sample.jsonl", "gen_spec.jsonl",
              "gen_envs.jsonl", *VERIFIER_FILES):
        got = records(out / f)
        assert {env_of(r) for r in got} == accepted, f
        want = [r for r in records(full / f) if env_of(r) in accepted]
        if f in VERIFIER_FILES:
            want = [r for r in want if not (env_of(r) == "procure_to_pay" and r["task_idx"] == 4)]
        assert got == want, f  # same records, same order, byte-identical content otherwise
        assert report.files[f] == len(got)
    # gen_tasks is kept whole: positions are task_idx.
    p2p_tasks = next(r for r in records(out / "gen_tasks.jsonl") if r["scenario"] == "Procure-to-Pay")["tasks"]
    assert len(p2p_tasks) == 10
    p2p_verifiers = [r["task_idx"] for f in VERIFIER_FILES for r in records(out / f) if r["scenario"] == "procure_to_pay"]
    assert sorted(p2p_verifiers) == [0, 1, 2, 3, 5, 6, 7, 8, 9]
    isd_verifiers = [r["task_idx"] for f in VERIFIER_FILES for r in records(out / f) if r["scenario"] == "it_service_desk"]
    assert sorted(isd_verifiers) == list(range(10))

    # The manifest.
    m = manifest(out)
    assert m["format"] == MANIFEST_FORMAT
    assert set(m["policy"]) == {"environment", "tasks", "gen_tasks"}
    for name, info in m["files"].items():
        data = (out / name).read_bytes()
        assert info == {"records": data.count(b"\n"), "sha256": "sha256:" + hashlib.sha256(data).hexdigest()}
    envs = {e["slug"]: e for e in m["environments"]}
    assert list(envs) == ["it_service_desk", "procure_to_pay"]
    isd, p2p = envs["it_service_desk"], envs["procure_to_pay"]
    for e, slug, dec in ((isd, "it_service_desk", a1), (p2p, "procure_to_pay", a2)):
        bundle, _ = load_bundle(lib / slug, with_runs=False)
        assert e["artifact_hashes"] == artifact_hashes(bundle)
        assert e["env_hash"] == review_hashes(bundle)["env"] == dec.artifact_hash
        assert e["admitted_by"]["id"] == dec.id and e["admitted_by"]["verdict"] == "accept"
        assert e["admitted_by"]["stale"] is False and e["admitted_by"]["line"] == 1
        assert e["bundle"] == slug
    assert isd["name"] == "IT Service Desk" and isd["excluded_tasks"] == [] and isd["reviewers"] == ["ana"]
    assert isd["admitted_by"]["note"] == "clean"
    assert p2p["reviewers"] == ["ben", "cy"]
    [ex] = p2p["excluded_tasks"]
    assert ex["task_idx"] == 4 and ex["task"] == p2p_tasks[4]
    [exd] = ex["decisions"]
    assert exd["id"] == rej.id and exd["target"] == "task:4" and exd["category"] == "verifier_false_positive"
    assert exd["blocks_task"] is True and exd["stale"] is False and exd["line"] == 2
    assert [f["id"] for f in p2p["open_findings"]] == [finding.id]
    assert p2p["records"]["gen_tasks.jsonl"] == 1
    assert sum(p2p["records"].get(f, 0) for f in VERIFIER_FILES) == 9
    for f in m["files"]:
        assert isd["records"].get(f, 0) + p2p["records"].get(f, 0) == m["files"][f]["records"]
    [skipped] = m["not_exported"]
    assert skipped["slug"] == "riverside_clinic" and skipped["reason"] == "no_decision" and skipped["decision"] is None

    assert report.to_json()["not_exported"][0]["reason"] == "no_decision"
    assert report.to_json()["exported"][1]["excluded_tasks"] == [4]


def test_stale_accept_is_not_exported_and_the_manifest_says_why(lib: Path, tmp_path: Path) -> None:
    for name in ENVS:
        record_decision(lib / name, "env", "accept", reviewer="ana")
    with open(lib / "riverside_clinic" / "server.py", "a", encoding="utf-8") as fh:
        fh.write("\n# edited after the review\n")
    out = tmp_path / "out"
    export_accepted(lib, out)
    m = manifest(out)
    assert [e["slug"] for e in m["environments"]] == ["it_service_desk", "procure_to_pay"]
    [stale] = m["not_exported"]
    assert stale["slug"] == "riverside_clinic" and stale["reason"] == "stale_accept"
    assert "changed after the accept" in stale["detail"] and "review it again" in stale["detail"]
    assert stale["decision"]["stale"] is True and stale["decision"]["verdict"] == "accept"
    assert "Riverside Clinic" not in (out / "gen_scenario.jsonl").read_text()

    # Accepting it again, as it is now, admits it.
    record_decision(lib / "riverside_clinic", "env", "accept", reviewer="ben")
    export_accepted(lib, out)
    m = manifest(out)
    assert [e["slug"] for e in m["environments"]] == list(ENVS) and m["not_exported"] == []
    assert m["environments"][2]["admitted_by"]["line"] == 2
    assert len(records(out / "gen_scenario.jsonl")) == 3


def test_reasons_for_not_exporting(lib: Path, tmp_path: Path) -> None:
    record_decision(lib / "it_service_desk", "env", "accept", reviewer="ana")
    record_decision(lib / "it_service_desk", "env", "reject", category="infeasible_task", reviewer="ben",
                    note="half the tasks are impossible")  # the later decision wins
    record_decision(lib / "procure_to_pay", "env", "needs-fix", category="db_constraint_conflict",
                    reviewer="ana")
    (lib / "broken").mkdir()
    (lib / "broken" / "env.json").write_text("{not json")
    out = tmp_path / "out"
    report = export_accepted(lib, out)
    m = manifest(out)
    assert m["environments"] == [] and report.exported == []
    reasons = {e["slug"]: e for e in m["not_exported"]}
    assert reasons["it_service_desk"]["reason"] == "rejected"
    assert "half the tasks are impossible" in reasons["it_service_desk"]["detail"]
    assert reasons["it_service_desk"]["decision"]["reviewer"] == "ben"
    assert reasons["procure_to_pay"]["reason"] == "needs_fix"
    assert reasons["riverside_clinic"]["reason"] == "no_decision"
    assert reasons["broken"]["reason"] == "unreadable_bundle" and "env.json" in reasons["broken"]["detail"]
    for f in ("gen_scenario.jsonl", "gen_tasks.jsonl", "gen_verifier.jsonl"):
        assert (out / f).read_bytes() == b""
    assert m["files"]["gen_scenario.jsonl"]["records"] == 0


def test_rejected_verifier_and_stale_task_rejection_exclude_their_tasks(lib: Path, tmp_path: Path) -> None:
    env = lib / "it_service_desk"
    record_decision(env, "task:0", "reject", category="data_misaligned", reviewer="ana")
    record_decision(env, "verifier:3:sql", "needs-fix", category="verifier_false_negative", reviewer="ben")
    # Task 0 is rewritten after its rejection; the environment is then accepted as it is now.
    tasks = json.loads((env / "tasks.json").read_text())
    tasks[0]["task"] += " (rewritten)"
    (env / "tasks.json").write_text(json.dumps(tasks, indent=2))
    record_decision(env, "env", "accept", reviewer="cy")
    out = tmp_path / "out"
    export_accepted(lib, out)
    [e] = manifest(out)["environments"]
    excluded = {t["task_idx"]: t for t in e["excluded_tasks"]}
    assert sorted(excluded) == [0, 3]
    assert excluded[0]["decisions"][0]["stale"] is True  # stale rejections still exclude
    assert excluded[3]["decisions"][0]["target"] == "verifier:3:sql"
    assert e["reviewers"] == ["ana", "ben", "cy"]
    kept = sorted(r["task_idx"] for f in VERIFIER_FILES for r in records(out / f))
    assert kept == [1, 2, 4, 5, 6, 7, 8, 9]
    assert records(out / "gen_tasks.jsonl")[0]["tasks"][0].endswith("(rewritten)")

    # A newer accept of the task lifts its rejection (the env accept stays fresh: tasks were not edited).
    record_decision(env, "task:0", "accept", reviewer="ana")
    export_accepted(lib, out)
    [e] = manifest(out)["environments"]
    assert [t["task_idx"] for t in e["excluded_tasks"]] == [3]
    assert sorted(r["task_idx"] for f in VERIFIER_FILES for r in records(out / f)) == [0, 1, 2, 4, 5, 6, 7, 8, 9]


def test_unreadable_review_line_after_the_accept_holds_the_env_back(lib: Path, tmp_path: Path) -> None:
    env = lib / "procure_to_pay"
    record_decision(env, "env", "accept", reviewer="ana")
    with open(env / "reviews.jsonl", "ab") as fh:
        fh.write(b'{"id": "x", "target": "env", "verdict": "rej')  # a torn write: maybe a reject
    out = tmp_path / "out"
    export_accepted(lib, out)
    [e] = [e for e in manifest(out)["not_exported"] if e["slug"] == "procure_to_pay"]
    assert e["reason"] == "unreadable_reviews" and "line(s) 2" in e["detail"]
    assert e["review_log_problems"][0]["line"] == 2
    record_decision(env, "env", "accept", reviewer="ana")  # confirmed after the torn line
    export_accepted(lib, out)
    [e] = manifest(out)["environments"]
    assert e["slug"] == "procure_to_pay" and e["admitted_by"]["line"] == 3
    assert [p["line"] for p in e["review_log_problems"]] == [2]  # still reported


def test_a_bundle_edited_during_the_export_is_left_out(lib: Path, tmp_path: Path) -> None:
    for name in ENVS:
        record_decision(lib / name, "env", "accept", reviewer="ana")

    def edit_while_exporting(n: int, total: int, name: str) -> None:
        # export_library reports progress just before it loads each bundle
        if name == "procure_to_pay":
            with open(lib / name / "spec.json", "r+", encoding="utf-8") as fh:
                spec = json.load(fh)
                spec["api_groups"][0]["group_name"] += " (edited)"
                fh.seek(0)
                fh.truncate()
                json.dump(spec, fh)

    out = tmp_path / "out"
    report = export_accepted(lib, out, progress=edit_while_exporting)
    m = manifest(out)
    assert [e["slug"] for e in m["environments"]] == ["it_service_desk", "riverside_clinic"]
    [changed] = m["not_exported"]
    assert changed["slug"] == "procure_to_pay" and changed["reason"] == "changed_during_export"
    assert not any(env_of(r) == "procure_to_pay" for f in m["files"] for r in records(out / f))
    assert [e["slug"] for e in report.exported] == ["it_service_desk", "riverside_clinic"]


def test_leftover_pure_code_file_from_an_earlier_export_is_removed(lib: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    export_library(lib, out)
    assert (out / "gen_verifier.pure_code.jsonl").exists()
    export_accepted(lib, out)  # nothing accepted
    assert not (out / "gen_verifier.pure_code.jsonl").exists()
    assert set(manifest(out)["files"]) == {p.name for p in out.glob("*.jsonl")}


def test_not_a_library(tmp_path: Path) -> None:
    with pytest.raises(ExportFailure):
        export_accepted(tmp_path / "missing", tmp_path / "out")
