"""The agent runner on a copy of sample_envs/it_service_desk, driven by a scripted OpenAI-compatible
server through the real openai client; the environment and its tools are real."""

from __future__ import annotations

import json
import shutil
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.llm.fake_openai import (
    FakeLLM,
    http_error,
    text,
    tool_call,
    tool_calls,
)
from workbench.bundle.load import load_bundle
from workbench.llm.client import ConfigError
from workbench.runtime.session import EnvSession
from workbench.trajectory.agent import (
    AgentError,
    loads_lenient,
    parse_tool_call_block,
    run_agent,
)
from workbench.trajectory.awm_trajectory import parse_trajectory
from workbench.trajectory.catalogue import render_catalogue

REPO = Path(__file__).resolve().parents[2]
SAMPLE = REPO / "sample_envs" / "it_service_desk"
TASK_ID = 2
TASK = "How many minutes of work in total have been logged on ticket INC-1003?"
TOP_KEYS = ["scenario", "task_id", "task", "model", "api_url", "max_iterations", "temperature", "total_iterations",
            "timestamp", "trajectory", "messages"]
LLM_VARS = ("AWM_SYN_LLM_PROVIDER", "AWM_SYN_OVERRIDE_MODEL", "WORKBENCH_MODEL", "OPENAI_BASE_URL",
            "OPENAI_API_KEY",
            "AZURE_ENDPOINT_URL", "AZURE_OPENAI_API_KEY")


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for var in LLM_VARS:
        monkeypatch.delenv(var, raising=False)

@pytest.fixture
def fake_llm() -> Iterator[FakeLLM]:
    """A running fake LLM with an empty script; add replies with ``fake_llm.add(...)``."""
    with FakeLLM() as llm:
        yield llm


@pytest.fixture
def bundle(tmp_path: Path) -> Path:
    """A private copy of the sample bundle (sample_envs is never written)."""
    dest = tmp_path / "it_service_desk"
    shutil.copytree(SAMPLE, dest, ignore=shutil.ignore_patterns("runs", "__pycache__"))
    return dest


@pytest.fixture(scope="module")
def real() -> dict:
    """What the real tools return on a fresh instance, and the tool catalogue."""
    with EnvSession.open(SAMPLE) as s:
        worklogs = s.call("list_ticket_worklogs", {"ticket_id": 3})
        s.reset()
        ticket = s.call("get_ticket", {"ticket_id": 3})
        assert not worklogs.is_error and not ticket.is_error
        return {"worklogs": worklogs.text, "ticket": ticket.text, "catalogue": render_catalogue(s.tools),
                "tools": {t.name for t in s.tools}}


def agent(bundle: Path, llm: FakeLLM, **kw):
    kw.setdefault("model", "fake-model")
    return run_agent(bundle, kw.pop("task_id", TASK_ID), client=llm.client(), **kw)


def worklog_count(db: Path, ticket_id: int = 3) -> int:
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        return conn.execute("SELECT COUNT(*) FROM worklogs WHERE ticket_id = ?", (ticket_id,)).fetchone()[0]
    finally:
        conn.close()


def awm_call(tool: str, args: dict, name: str = "call_tool") -> str:
    inner = {"tool_name": f"mcp_tool_mcp_server_{tool}", "arguments": json.dumps(args)}
    return "<tool_call>\n" + json.dumps({"name": name, "arguments": inner}) + "\n</tool_call>"


def check_awm_format(traj: dict) -> None:
    assert list(traj) == TOP_KEYS
    for step in traj["trajectory"]:
        assert step["role"] == "assistant" and isinstance(step["iteration"], int)
        assert isinstance(step["content"], str) and isinstance(step["tool_calls"], list)
        if step["tool_calls"]:
            assert len(step["tool_calls"]) == 1
            assert set(step["tool_calls"][0]) == {"id", "name", "arguments"}
            assert set(step["tool_response"]) == {"tool_call_id", "content"}
            assert step["tool_response"]["tool_call_id"] == step["tool_calls"][0]["id"]
            assert "is_final" not in step
        else:
            assert step["is_final"] is True and "tool_response" not in step
    for m in traj["messages"]:
        assert m["role"] in ("system", "user", "assistant", "tool")
        assert set(m) == ({"role", "tool_call_id", "content"} if m["role"] == "tool" else {"role", "content"})


# ---------------------------------------------------------------------- native protocol


def test_native_run_calls_a_real_tool_and_records_awm_format(bundle: Path, fake_llm: FakeLLM, real: dict) -> None:
    fake_llm.add(tool_calls(tool_call("list_ticket_worklogs", {"ticket_id": 3}, "call_abc"), content="Checking."),
                 text("A total of 95 minutes has been logged on INC-1003."))
    seen: list[dict] = []
    result = agent(bundle, fake_llm, on_step=seen.append)
    assert result.finished and result.stop_reason == "final_answer"
    assert result.steps == 2 and result.tool_calls == 1
    assert result.final_answer == "A total of 95 minutes has been logged on INC-1003."
    run_dir = bundle / "runs" / result.run_id
    assert result.run_dir == run_dir and run_dir.is_dir()
    assert sorted(p.name for p in run_dir.iterdir()) == ["final.db", "initial.db", "openai_messages.json",
                                                       "run.json",
                                                       "trajectory.json"]
    assert not [p for p in (bundle / "runs").iterdir() if p.name.startswith(".")]  # no temp folder left

    raw = (run_dir / "trajectory.json").read_text(encoding="utf-8")
    traj = json.loads(raw)
    assert raw == json.dumps(traj, indent=4, ensure_ascii=False)
    check_awm_format(traj)
    assert traj["scenario"] == "IT Service Desk" and traj["task_id"] == TASK_ID and traj["task"] == TASK
    assert traj["model"] == "fake-model" and traj["api_url"] == fake_llm.base_url
    assert traj["max_iterations"] == 30 and traj["total_iterations"] == 2
    s1, s2 = traj["trajectory"]
    assert s1["iteration"] == 1 and s1["content"] == "Checking."
    assert s1["tool_calls"] == [{"id": "call_abc", "name": "call_tool",
                                 "arguments": {"tool_name": "mcp_tool_mcp_server_list_ticket_worklogs",
                                               "arguments": "{\"ticket_id\": 3}"}}]
    assert s1["tool_response"] == {"tool_call_id": "call_abc", "content": real["worklogs"]}
    assert s2 == {"iteration": 2, "role": "assistant", "content": result.final_answer, "tool_calls": [],
                  "is_final": True}
    assert seen == [s1, s2]
    assert [m["role"] for m in traj["messages"]] == ["system", "user", "assistant", "tool", "assistant"]
    assert traj["messages"][3] == {"role": "tool", "tool_call_id": "call_abc", "content": real["worklogs"]}

    # Replays like an AWM run.
    parsed = parse_trajectory(traj)
    assert [(c.tool, c.arguments) for c in parsed.calls] == [("list_ticket_worklogs", {"ticket_id": 3})]
    assert parsed.final_answer == result.final_answer

    # What the model was sent: the environment's tools as functions, then the tool result.
    first, second = fake_llm.requests
    assert first["max_tokens"] == 2048 and "temperature" not in first
    functions = {t["function"]["name"]: t["function"] for t in first["tools"]}
    assert set(functions) == real["tools"]
    assert functions["list_ticket_worklogs"]["parameters"]["required"] == ["ticket_id"]
    assert [m["role"] for m in first["messages"]] == ["system", "user"]
    assert first["messages"][1]["content"] == TASK
    assert second["messages"][2]["tool_calls"][0]["function"] == {"name": "list_ticket_worklogs",
                                                                  "arguments": "{\"ticket_id\": 3}"}
    assert second["messages"][3] == {"role": "tool", "tool_call_id": "call_abc", "content": real["worklogs"]}

    openai_messages = json.loads((run_dir / "openai_messages.json").read_text(encoding="utf-8"))
    assert openai_messages[:4] == second["messages"]
    assert openai_messages[4] == {"role": "assistant", "content": result.final_answer}

    meta = json.loads((run_dir / "run.json").read_text(encoding="utf-8"))
    assert {k: meta[k] for k in ("kind", "task_id", "model", "protocol", "steps", "finished", "stop_reason")} == {
        "kind": "agent", "task_id": TASK_ID, "model": "fake-model", "protocol": "native", "steps": 2,
        "finished": True, "stop_reason": "final_answer"}
    loaded, _ = load_bundle(bundle)
    assert [(r.run_id, r.kind, r.task_id) for r in loaded.runs] == [(result.run_id, "agent", TASK_ID)]

    # The databases are real, and the task's own verifier accepts the run.
    assert worklog_count(run_dir / "initial.db") == worklog_count(run_dir / "final.db") == 3
    ns: dict = {}
    exec((bundle / "verifiers" / "task_02.code.py").read_text(encoding="utf-8"), ns)
    verdict = ns["verify_task_completion"](str(run_dir / "initial.db"), str(run_dir / "final.db"),
                                           result.final_answer)
    assert verdict == {"result": "complete"}


def test_native_bad_arguments_are_reported_and_the_run_continues(bundle: Path, fake_llm: FakeLLM) -> None:
    fake_llm.add(
        tool_calls(tool_call("list_ticket_worklogs", "{ticket_id: 3", "c1")),  # not JSON
        tool_calls(tool_call("no_such_tool", {"x": 1}, "c2")),  # unknown tool
        tool_calls(tool_call("list_ticket_worklogs", {"ticket_id": "three"}, "c3")),  # wrong type
        tool_calls(tool_call("list_ticket_worklogs", "[1, 2]", "c4")),  # not an object
        text("I could not find it."),
    )
    result = agent(bundle, fake_llm)
    assert result.finished and result.stop_reason == "final_answer" and result.steps == 5
    obs = [s["tool_response"]["content"] for s in result.trajectory["trajectory"][:4]]
    assert obs[0].startswith("Error: the tool arguments are not valid JSON")
    assert obs[1].startswith("Error: ") and "no_such_tool" in obs[1]
    assert obs[2] == "Error: Input validation error: 'three' is not of type 'integer'"  # from the environment
    assert obs[3].startswith("Error: the tool arguments must be a JSON object")
    # The model was told each time, as a tool message answering its call.
    for i, req in enumerate(fake_llm.requests[1:], start=1):
        assert req["messages"][-1] == {"role": "tool", "tool_call_id": f"c{i}", "content": obs[i - 1]}
    assert result.trajectory["trajectory"][0]["tool_calls"][0]["arguments"]["arguments"] == "{ticket_id: 3"


def test_native_parallel_calls_each_become_a_step(bundle: Path, fake_llm: FakeLLM, real: dict) -> None:
    fake_llm.add(tool_calls(tool_call("list_ticket_worklogs", {"ticket_id": 3}, "a"),
                            tool_call("get_ticket", {"ticket_id": 3}, "b"), content="Both."),
                 text("95"))
    result = agent(bundle, fake_llm)
    steps = result.trajectory["trajectory"]
    assert [(s["iteration"], s["content"]) for s in steps] == [(1, "Both."), (1, ""), (2, "95")]
    assert steps[0]["tool_response"]["content"] == real["worklogs"]
    assert steps[1]["tool_response"]["content"] == real["ticket"]
    assert [m["role"] for m in fake_llm.requests[1]["messages"]] == ["system", "user", "assistant", "tool", "tool"]
    assert result.tool_calls == 2


def test_history_window(bundle: Path, fake_llm: FakeLLM) -> None:
    fake_llm.add(*[tool_calls(tool_call("get_ticket", {"ticket_id": i}, f"c{i}")) for i in (1, 2, 3)], text("done"))
    agent(bundle, fake_llm, history_window=1)
    roles = [[m["role"] for m in r["messages"]] for r in fake_llm.requests]
    assert roles == [["system", "user"], ["system", "user", "assistant", "tool"],
                     ["system", "user", "assistant", "tool"], ["system", "user", "assistant", "tool"]]
    assert fake_llm.requests[1]["messages"][1]["content"] == TASK
    last = fake_llm.requests[3]["messages"]
    assert last[1]["content"] == TASK + "\n\n[2 earlier steps of this conversation omitted to save space]"
    assert last[3]["tool_call_id"] == "c3"
    # The record keeps the whole conversation.
    run_dir = next((bundle / "runs").iterdir())
    assert len(json.loads((run_dir / "openai_messages.json").read_text())) == 2 + 3 * 2 + 1


# ---------------------------------------------------------------------- AWM text protocol


def test_awm_protocol_list_tools_then_call_tool(bundle: Path, fake_llm: FakeLLM, real: dict) -> None:
    fake_llm.add(
        text('<tool_call>\n{"name": "list_tools", "arguments": null}\n</tool_call>'),
        text("<think>INC-1003 is ticket 3.</think>\n" + awm_call("list_ticket_worklogs", {"ticket_id": 3})),
        text('<tool_call>{"name": "mcp_tool_mcp_server_get_ticket", "arguments": {"ticket_id": 3}}</tool_call>'),
        text("95 minutes in total."),
    )
    result = agent(bundle, fake_llm, protocol="awm", temperature=0.6)
    assert result.finished and result.stop_reason == "final_answer" and result.steps == 4 and result.tool_calls == 3
    traj = result.trajectory
    check_awm_format(traj)
    assert traj["temperature"] == 0.6 and traj["total_iterations"] == 4
    s1, s2, s3, s4 = traj["trajectory"]
    assert s1["tool_calls"][0]["name"] == "list_tools" and s1["tool_calls"][0]["arguments"] is None
    assert s1["tool_calls"][0]["id"].startswith("call_") and s1["tool_calls"][0]["id"].endswith("_0")
    assert s1["tool_response"]["content"] == real["catalogue"]
    assert s1["tool_response"]["content"].startswith(
        "Available MCP Tools (31 tools):\n" + "=" * 80 + "\n\n1. mcp_tool_mcp_server_")
    assert s2["content"].startswith("<think>")  # raw model text kept
    assert s2["tool_calls"][0]["arguments"] == {"tool_name": "mcp_tool_mcp_server_list_ticket_worklogs",
                                                "arguments": "{\"ticket_id\": 3}"}
    assert s2["tool_response"]["content"] == real["worklogs"]
    # A name starting mcp_tool_ is rewritten to call_tool.
    assert s3["tool_calls"][0]["name"] == "call_tool"
    assert s3["tool_calls"][0]["arguments"] == {"tool_name": "mcp_tool_mcp_server_get_ticket",
                                                "arguments": {"ticket_id": 3}}
    assert s3["tool_response"]["content"] == real["ticket"]
    assert s4["is_final"] and s4["content"] == "95 minutes in total."
    # trajectory.json stores results as tool messages; the model got them as user messages.
    assert [m["role"] for m in traj["messages"]] == ["system", "user"] + ["assistant", "tool"] * 3 + ["assistant"]
    assert traj["messages"][0]["content"].startswith("# MCP Toolss\n")
    second = fake_llm.requests[1]
    assert "tools" not in second and second["temperature"] == 0.6
    assert second["messages"][0]["content"].startswith("# MCP Toolss")
    assert "list_tools" in second["messages"][0]["content"] and "call_tool" in second["messages"][0]["content"]
    assert second["messages"][-1] == {"role": "user", "content": "Tool response:\n" + real["catalogue"]}
    assert fake_llm.requests[2]["messages"][-1] == {"role": "user",
                                                    "content": "Tool response:\n" + real["worklogs"]}
    parsed = parse_trajectory(traj)
    assert [(c.tool, c.arguments) for c in parsed.calls] == [("list_ticket_worklogs", {"ticket_id": 3}),
                                                             ("get_ticket", {"ticket_id": 3})]


def test_awm_call_tool_arguments_as_a_json_string(bundle: Path, fake_llm: FakeLLM, real: dict) -> None:
    outer = json.dumps({"tool_name": "mcp_tool_mcp_server_list_ticket_worklogs", "arguments": {"ticket_id": 3}})
    fake_llm.add(text("<tool_call>" + json.dumps({"name": "call_tool", "arguments": outer}) + "</tool_call>"),
                 text("95"))
    result = agent(bundle, fake_llm, protocol="awm")
    assert result.trajectory["trajectory"][0]["tool_response"]["content"] == real["worklogs"]


def test_awm_errors_are_reported_and_the_run_continues(bundle: Path, fake_llm: FakeLLM) -> None:
    fake_llm.add(
        text('<tool_call>{"name": "search", "arguments": {}}</tool_call>'),  # unknown meta-function
        text("<tool_call>{this is not json}</tool_call>"),  # unparseable block
        text('<tool_call>{"name": "call_tool", "arguments": {"tool_name": "mcp_tool_mcp_server_get_ticket", '
             '"arguments": "{ticket_id: 3"}}</tool_call>'),  # inner arguments not JSON
        text(awm_call("no_such_tool", {})),  # unknown environment tool
        text(awm_call("get_ticket", {"ticket_id": "three"})),  # wrong type
        text('<tool_call>{"name": "call_tool", "arguments": {"arguments": "{}"}}</tool_call>'),  # no tool_name
        text("Giving up."),
    )
    result = agent(bundle, fake_llm, protocol="awm")
    assert result.finished and result.steps == 7 and result.tool_calls == 2
    obs = [s["tool_response"]["content"] for s in result.trajectory["trajectory"][:6]]
    assert obs[0] == "Error: Unknown tool 'search'. Only 'list_tools' and 'call_tool' are available."
    assert obs[1].startswith("Error: could not read the <tool_call> block")
    assert obs[2].startswith("Error: the tool arguments are not valid JSON")
    assert obs[3].startswith("Error: ") and "no_such_tool" in obs[3]
    assert obs[4] == "Error: Input validation error: 'three' is not of type 'integer'"
    assert obs[5].startswith("Error: call_tool needs \"tool_name\"")
    for i, req in enumerate(fake_llm.requests[1:7]):
        assert req["messages"][-1] == {"role": "user", "content": "Tool response:\n" + obs[i]}
    assert result.trajectory["trajectory"][1]["tool_calls"][0]["name"] is None


def test_awm_only_the_first_call_of_a_turn_runs(bundle: Path, fake_llm: FakeLLM, real: dict) -> None:
    two = awm_call("list_ticket_worklogs", {"ticket_id": 3}) + "\n" + awm_call(
        "log_work", {"ticket_id": 3, "minutes": 10, "note": "should not happen"})
    fake_llm.add(text(two), text("95"))
    result = agent(bundle, fake_llm, protocol="awm")
    step = result.trajectory["trajectory"][0]
    assert len(step["tool_calls"]) == 1
    assert step["tool_calls"][0]["arguments"]["tool_name"] == "mcp_tool_mcp_server_list_ticket_worklogs"
    assert step["tool_response"]["content"] == real["worklogs"]
    assert worklog_count(result.run_dir / "final.db") == 3  # log_work never ran
    meta = json.loads((result.run_dir / "run.json").read_text())
    assert meta["notes"] == [
        "iteration 1: 1 more tool call in the turn ignored; only the first is executed (as AWM does)"]
    assert result.tool_calls == 1


def test_awm_write_reaches_final_db(bundle: Path, fake_llm: FakeLLM) -> None:
    fake_llm.add(text(awm_call("log_work", {"ticket_id": 3, "minutes": 10, "note": "extra"})), text("Logged."))
    result = agent(bundle, fake_llm, protocol="awm")
    assert not result.trajectory["trajectory"][0]["tool_response"]["content"].startswith("Error")
    assert worklog_count(result.run_dir / "initial.db") == 3
    assert worklog_count(result.run_dir / "final.db") == 4


# ---------------------------------------------------------------------- stopping


def test_llm_error_mid_run_keeps_the_trajectory(bundle: Path, fake_llm: FakeLLM, real: dict) -> None:
    fake_llm.add(tool_calls(tool_call("list_ticket_worklogs", {"ticket_id": 3}, "c1")),
                 http_error(500, "model crashed"))
    result = agent(bundle, fake_llm)
    assert not result.finished
    assert result.stop_reason == "llm_error: HTTP 500: model crashed"
    traj = json.loads((result.run_dir / "trajectory.json").read_text())
    check_awm_format(traj)
    assert len(traj["trajectory"]) == 1 and traj["total_iterations"] == 1
    assert traj["trajectory"][0]["tool_response"]["content"] == real["worklogs"]
    meta = json.loads((result.run_dir / "run.json").read_text())
    assert meta["finished"] is False and meta["stop_reason"].startswith("llm_error: HTTP 500")
    assert (result.run_dir / "final.db").is_file() and (result.run_dir / "initial.db").is_file()


def test_llm_error_on_the_first_call(bundle: Path, fake_llm: FakeLLM) -> None:
    fake_llm.add(http_error(429, "rate limited"))
    result = agent(bundle, fake_llm, protocol="awm", run_id="my-run")
    assert result.run_dir == bundle / "runs" / "my-run"
    assert result.stop_reason == "llm_error: HTTP 429: rate limited" and result.steps == 0
    assert json.loads((result.run_dir / "trajectory.json").read_text())["trajectory"] == []


def test_max_steps_reached(bundle: Path, fake_llm: FakeLLM) -> None:
    fake_llm.add(*[tool_calls(tool_call("get_ticket", {"ticket_id": 3}, f"c{i}")) for i in range(3)])
    result = agent(bundle, fake_llm, max_steps=2)
    assert not result.finished and result.stop_reason == "max_steps"
    assert len(fake_llm.requests) == 2 and fake_llm.remaining == 1
    traj = result.trajectory
    assert traj["max_iterations"] == 2 and traj["total_iterations"] == 2
    assert not any(s.get("is_final") for s in traj["trajectory"])
    assert json.loads((result.run_dir / "run.json").read_text())["finished"] is False


def test_refusal_ends_the_run_unfinished(bundle: Path, fake_llm: FakeLLM) -> None:
    from tests.llm.fake_openai import refusal

    fake_llm.add(refusal())
    result = agent(bundle, fake_llm)
    assert not result.finished and result.stop_reason == "refused: finish_reason content_filter"


# ---------------------------------------------------------------------- before the run


def test_bad_usage_raises_before_anything_is_written(bundle: Path, fake_llm: FakeLLM) -> None:
    with pytest.raises(AgentError, match="no task 99"):
        agent(bundle, fake_llm, task_id=99)
    with pytest.raises(AgentError, match="protocol"):
        agent(bundle, fake_llm, protocol="xml")
    with pytest.raises(AgentError, match="run id"):
        agent(bundle, fake_llm, run_id="../escape")
    with pytest.raises(ConfigError, match="OPENAI_API_KEY"):
        run_agent(bundle, TASK_ID, model="m", base_url="https://llm.example/v1")
    with pytest.raises(ConfigError, match="WORKBENCH_MODEL"):
        run_agent(bundle, TASK_ID, model=None, base_url="http://127.0.0.1:9/v1")
    assert not (bundle / "runs").exists()
    assert fake_llm.requests == []


def test_config_from_the_environment(bundle: Path, fake_llm: FakeLLM, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OPENAI_BASE_URL", fake_llm.base_url)
    monkeypatch.setenv("OPENAI_API_KEY", "sk-from-env")
    monkeypatch.setenv("WORKBENCH_MODEL", "env-model")
    fake_llm.add(text("Nothing to do."))
    result = run_agent(bundle, TASK_ID, model=None)
    assert result.model == "env-model" and result.trajectory["api_url"] == fake_llm.base_url
    assert fake_llm.headers[0]["authorization"] == "Bearer sk-from-env"
    assert "sk-from-env" not in (result.run_dir / "run.json").read_text()
    assert "sk-from-env" not in (result.run_dir / "trajectory.json").read_text()


# ---------------------------------------------------------------------- parsing helpers


def test_lenient_tool_call_parsing() -> None:
    assert parse_tool_call_block('{"name": "list_tools", "arguments": null}') == [{"name": "list_tools",
                                                                                    "arguments": None}]
    assert parse_tool_call_block('[{"name": "list_tools"}]') == [{"name": "list_tools"}]
    assert parse_tool_call_block('```json\n{"name": "list_tools", "arguments": {},}\n```') == [
        {"name": "list_tools", "arguments": {}}]
    assert parse_tool_call_block("{'name': 'call_tool', 'arguments': {'tool_name': 'x', 'arguments': None}}") == [
        {"name": "call_tool", "arguments": {"tool_name": "x", "arguments": None}}]
    assert loads_lenient('call: {"a": 1} thanks') == {"a": 1}
    with pytest.raises(ValueError):
        parse_tool_call_block("not json at all")
    with pytest.raises(ValueError):
        parse_tool_call_block('{"arguments": {}}')


def test_catalogue_format() -> None:
    tools = [
        {"name": "get_thing", "description": "Get a thing\n\nReturns one thing.\n\n```json\n{\n  \"id\": 1\n}\n```",
         "input_schema": {"type": "object", "required": ["thing_id"], "properties": {
             "thing_id": {"type": "integer", "description": "Thing ID"},
             "mode": {"type": "string", "enum": ["a", "b"], "default": "a"},
             "filter": {"anyOf": [{"type": "string"}, {"type": "null"}], "default": None},
             "opts": {"type": "object", "properties": {"deep": {"type": "boolean"}}, "required": ["deep"]}}}},
        {"name": "list_tools", "description": "excluded", "input_schema": {}},
        {"name": "ping", "description": "", "input_schema": {"type": "object", "properties": {}}},
    ]
    assert render_catalogue(tools) == "\n".join([
        "Available MCP Tools (2 tools):",
        "=" * 80,
        "",
        "1. mcp_tool_mcp_server_get_thing",
        "   Description: Get a thing",
        "   Returns one thing.",
        "   ```json",
        "   {",
        "   \"id\": 1",
        "   }",
        "   ```",
        "   Parameters:",
        "      - thing_id: integer (required)",
        "        Description: Thing ID",
        "      - mode: string (optional)",
        "        Default: a",
        "        Allowed values: a, b",
        "      - filter: unknown (optional)",
        "        Default: null",
        "      - opts: object (optional)",
        "          - deep: boolean (required)",
        "",
        "2. mcp_tool_mcp_server_ping",
        "   Parameters: None",
    ])


def test_given_session_is_used_and_left_open(bundle: Path, fake_llm: FakeLLM) -> None:
    with EnvSession.open(bundle) as session:
        session.call("log_work", {"ticket_id": 3, "minutes": 5, "note": "before the run"})
        fake_llm.add(text(awm_call("log_work", {"ticket_id": 3, "minutes": 10, "note": "by the agent"})),
                     text("Logged."))
        result = run_agent(bundle, TASK_ID, model="fake-model", client=fake_llm.client(), session=session,
                           protocol="awm")
        assert result.finished
        # initial.db is the state the run started from (the session had already changed it).
        assert worklog_count(result.run_dir / "initial.db") == 4
        assert worklog_count(result.run_dir / "final.db") == 5
        assert session.call("get_ticket", {"ticket_id": 3}).is_error is False  # still open
