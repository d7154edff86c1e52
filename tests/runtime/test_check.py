"""`workbench check` on sample, real and deliberately broken environments."""

from __future__ import annotations

import json
from pathlib import Path

from workbench.cli import main
from workbench.runtime.check import check_library

from ..conftest import SAMPLE_ENVS
from .conftest import SERVER_HEAD, write_bundle


def test_sample_envs_pass(capsys) -> None:
    assert main(["check", str(SAMPLE_ENVS), "--format", "json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["ok"] == 3 and report["failed"] == 0
    for env in report["environments"]:
        assert env["tools"]["listed"] == env["tools"]["spec"] == 31
        assert env["tools"]["missing"] == [] and env["tools"]["extra"] == []
        assert len(env["smoke"]) == 31
        assert all(s["outcome"] in ("ok", "client_error") for s in env["smoke"])
        assert env["build"]["inserts_failed"] == 0


def test_real_envs_report(real_library: Path, tmp_path: Path, capsys) -> None:
    code = main(["check", str(real_library), "--jobs", "2", "--report", str(tmp_path / "r.json")])
    text = capsys.readouterr().out
    assert code == 1
    report = {e["slug"]: e for e in json.loads((tmp_path / "r.json").read_text())["environments"]}
    assert len(report) == 8 and all(e["server"]["imports"] for e in report.values())
    docu = report["docusign_e_signature_agreement_workflow"]
    assert sorted(docu["tools"]["missing"]) == ["add_envelope_recipient", "add_envelope_tab",
                                                 "add_reusable_tab_to_template", "send_envelope"]
    assert {d["served"] for d in docu["tools"]["duplicates"]} == set(docu["tools"]["missing"])
    survey = report["surveymonkey_apply"]
    assert survey["build"]["inserts_failed"] == 22
    assert any(p.startswith("data: 22 of 105 inserts failed") for p in survey["problems"])
    for env in report.values():  # every tool of every env got a smoke call
        assert len(env["smoke"]) == env["tools"]["listed"]
    assert "0 ok, 8 failed" in text


def test_broken_servers_are_contained_and_the_worker_carries_on(tmp_path: Path) -> None:
    lib = tmp_path / "lib"
    write_bundle(lib / "a_hang", SERVER_HEAD + "\n@app.get('/api/hang', operation_id='hang')\nasync def hang():\n"
                 "    while True:\n        pass\n")
    write_bundle(lib / "b_exit", SERVER_HEAD + "\n@app.get('/api/bye', operation_id='bye')\nasync def bye():\n"
                 "    os._exit(4)\n")
    write_bundle(lib / "c_import", "import os\nfrom fastapi import FastAPI\nimport not_a_real_module\n")
    write_bundle(lib / "d_syntax", SERVER_HEAD + "\ndef broken(:\n    pass\n")
    write_bundle(lib / "e_fine", SERVER_HEAD)
    results = {r.slug: r for r in check_library(sorted(lib.iterdir()), jobs=1, call_timeout=1.5)}
    hang = results["a_hang"]
    assert {s["tool"]: s["outcome"] for s in hang.smoke} == {"list_notes": "ok", "add_note": "ok", "hang": "hang"}
    assert any("hang: hang" in p for p in hang.problems)
    bye = results["b_exit"]
    assert {s["tool"]: s["outcome"] for s in bye.smoke}["bye"] == "crash"
    assert any("No module named 'not_a_real_module'" in p and "server.py:3" in p for p in results["c_import"].problems)
    assert not results["d_syntax"].server["imports"] and "SyntaxError" in results["d_syntax"].problems[0]
    fine = results["e_fine"]
    assert fine.ok and [s["outcome"] for s in fine.smoke] == ["ok", "ok"]
    # The spec lists list_notes and add_note only: the extra tools are named.
    assert any("not in the spec: hang" in p for p in hang.problems)
