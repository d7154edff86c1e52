"""The verification, agent and review commands end to end, as a user runs them."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from workbench.cli import main

from .conftest import SAMPLE_ENVS
from .llm.fake_openai import FakeLLM, text, tool_call, tool_calls


@pytest.fixture
def lib(tmp_path: Path) -> Path:
    dest = tmp_path / "lib"
    shutil.copytree(SAMPLE_ENVS, dest, ignore=shutil.ignore_patterns(".workbench-*"))
    return dest


def test_verify_do_nothing_and_reference(lib: Path, capsys) -> None:
    assert main(["verify", str(lib / "it_service_desk"), "--task", "4", "--format", "json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["source"].startswith("do-nothing") and out["outcome"]["reward_type"] == "complete"  # planted D1
    assert main(["verify", str(lib / "it_service_desk"), "--task", "0", "--run", "ref-task-00", "--format", "json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["source"] == "run ref-task-00 (replay)" and out["outcome"]["reward_type"] == "complete"
    (lib / "it_service_desk" / "verifiers" / "task_00.code.py").write_text(
        "def verify_task_completion(initial_db_path, final_db_path, final_answer=None):\n    return 1/0\n")
    assert main(["verify", str(lib / "it_service_desk"), "--task", "0"]) == 1
    assert "verifier line 2 in verify_task_completion: return 1/0" in capsys.readouterr().out


def test_sanity_reports_planted_defects(lib: Path, capsys) -> None:
    assert main(["sanity", str(lib / "procure_to_pay")]) == 1
    text_out = capsys.readouterr().out
    assert "task 4: a do-nothing run is judged complete" in text_out
    assert "task 9: reference run ref-task-09 is judged others, not complete" in text_out
    state = json.loads((lib / ".workbench-sanity.json").read_text())
    assert state["procure_to_pay"]["ok"] is False and state["procure_to_pay"]["failures"] == 2


def test_replay_cli_reports_no_divergence_then_divergence(lib: Path, capsys) -> None:
    assert main(["replay", str(lib / "riverside_clinic"), "ref-task-07"]) == 0
    assert "0 diverged" in capsys.readouterr().out
    traj_path = lib / "riverside_clinic" / "runs" / "ref-task-07" / "trajectory.json"
    traj = json.loads(traj_path.read_text())
    step = next(s for s in traj["trajectory"] if s.get("tool_response"))
    step["tool_response"]["content"] = '{"tampered": true}'
    traj_path.write_text(json.dumps(traj, indent=4))
    assert main(["replay", str(lib / "riverside_clinic"), "ref-task-07", "--format", "json"]) == 1
    out = json.loads(capsys.readouterr().out)
    assert out["divergences"] == [0]
    assert out["steps"][0]["recorded"] == '{"tampered": true}'


def test_agent_cli_against_a_local_openai_compatible_server(lib: Path, capsys) -> None:
    script = [tool_calls(tool_call("get_ticket", {"ticket_id": 7})),
              text("The laptop linked to INC-1007 is LT-0412, warranty until 2027-05-14.")]
    with FakeLLM(script) as llm:
        code = main(["agent", str(lib / "it_service_desk"), "--task", "1", "--model", "fake-model", "--base-url",
                     llm.base_url, "--format", "json"])
    out = json.loads(capsys.readouterr().out)
    assert code == 0 and out["finished"] and out["tool_calls"] == 1
    run_dir = Path(out["run_dir"])
    traj = json.loads((run_dir / "trajectory.json").read_text())
    assert traj["task_id"] == 1 and traj["model"] == "fake-model"
    assert traj["trajectory"][0]["tool_calls"][0]["arguments"]["tool_name"] == "mcp_tool_mcp_server_get_ticket"
    assert (run_dir / "initial.db").is_file() and (run_dir / "final.db").is_file()
    # The agent's run is a run like any other: replay it.
    assert main(["replay", str(lib / "it_service_desk"), run_dir.name]) == 0


def test_review_then_export_accepted(lib: Path, tmp_path: Path, capsys) -> None:
    env = lib / "riverside_clinic"
    assert main(["review", str(env), "env", "accept", "--reviewer", "ana"]) == 0
    assert main(["review", str(env), "task:9", "reject", "--category", "infeasible_task", "--blocks-task",
                 "--note", "no Saturday slots"]) == 0
    assert main(["review", str(env), "task:99", "reject", "--category", "other"]) == 2
    assert "task" in capsys.readouterr().err
    assert main(["reviews", str(env), "--format", "json"]) == 0
    current = json.loads(capsys.readouterr().out)["current"]
    assert current["env"]["decision"]["reviewer"] == "ana" and not current["env"]["stale"]
    assert main(["export", str(lib), str(tmp_path / "out"), "--accepted", "--format", "json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert [e["slug"] for e in report["exported"]] == ["riverside_clinic"]
    rows = [json.loads(x) for x in (tmp_path / "out" / "gen_verifier.pure_code.jsonl").read_text().splitlines()]
    assert 9 not in {r["task_idx"] for r in rows} and len(rows) == 5
    manifest = json.loads((tmp_path / "out" / "manifest.json").read_text())
    assert {e["slug"] for e in manifest["not_exported"]} == {"it_service_desk", "procure_to_pay"}
