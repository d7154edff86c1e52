"""The sql-mode LLM judge and the LLM configuration, against a scripted OpenAI-compatible server
through the real openai client."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest

from tests.llm.fake_openai import (
    FakeLLM,
    closed_port,
    delay,
    http_error,
    malformed,
    refusal,
    text,
)
from workbench.llm import load_template
from workbench.llm.client import ConfigError, LLMConfig, azure_v1_url, make_client
from workbench.verify.judge import (
    JUDGE_ERROR,
    LABELS,
    JudgeOutcome,
    judge_run,
    parse_judge_reply,
    truncate_trajectory,
)

LLM_VARS = ("AWM_SYN_LLM_PROVIDER", "AWM_SYN_OVERRIDE_MODEL", "WORKBENCH_MODEL", "OPENAI_BASE_URL",
            "OPENAI_API_KEY",
            "AZURE_ENDPOINT_URL", "AZURE_OPENAI_API_KEY")

TASK = "How many minutes of work in total have been logged on ticket INC-1003?"
TRAJECTORY = [
    {"iteration": 1, "role": "assistant", "content": "Let me look.",
     "tool_calls": [{"id": "call_1_0", "name": "call_tool",
                     "arguments": {"tool_name": "mcp_tool_mcp_server_list_ticket_worklogs",
                                   "arguments": "{\"ticket_id\": 3}"}}],
     "tool_response": {"tool_call_id": "call_1_0", "content": "{\"total_minutes\": 95}"}},
    {"iteration": 2, "role": "assistant", "content": "95 minutes.", "tool_calls": [], "is_final": True},
]
VERIFY_RESULT = {"expected_total": 95, "final_total": 95, "answer_mentions_total": True}
CODE = "def verify_task(initial_db_path, final_db_path):\n    return {'expected_total': 95}\n"
CRITERIA = {"success_criteria": "The answer says 95 minutes.", "failure_criteria": "Another number.",
            "reasoning": "Sum the worklogs of INC-1003."}


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for var in LLM_VARS:
        monkeypatch.delenv(var, raising=False)

@pytest.fixture
def fake_llm() -> Iterator[FakeLLM]:
    """A running fake LLM with an empty script; add replies with ``fake_llm.add(...)``."""
    with FakeLLM() as llm:
        yield llm


def cfg(llm: FakeLLM, timeout: float = 10.0) -> LLMConfig:
    return LLMConfig(base_url=llm.base_url, api_key="test", model="judge-model", timeout=timeout, max_retries=0)


def verdict(label: str, **extra) -> str:
    return json.dumps({"reasoning": f"it is {label}", "confidence_score": [0.7, 0.1, 0.1, 0.1],
                       "classification": label,
                       "evidence": {"status": "done", "iterations": 2, "error_signals": [],
                                    "last_actions": ["answered 95"], "database_verification": "95 = 95"}, **extra})


def run(llm: FakeLLM, **kw) -> JudgeOutcome:
    kw.setdefault("config", cfg(llm))
    return judge_run(TASK, TRAJECTORY, VERIFY_RESULT, verifier_code=CODE, criteria=CRITERIA, **kw)


# ---------------------------------------------------------------------- good replies


@pytest.mark.parametrize("label", LABELS)
def test_each_label(fake_llm: FakeLLM, label: str) -> None:
    fake_llm.add(text(verdict(label)))
    out = run(fake_llm)
    assert out.classification == label and out.ok
    assert out.error is None
    assert out.reasoning == f"it is {label}"
    assert out.confidence == [0.7, 0.1, 0.1, 0.1]
    assert out.evidence["database_verification"] == "95 = 95"
    assert out.raw == verdict(label)
    assert out.parsed["classification"] == label
    assert out.distribution == {label: 1} and out.repeats is None
    assert out.model == "judge-model" and out.duration_ms > 0
    assert out.truncation is None
    assert out.awm_llm_judge() == {"classification": label, "judge_result": json.loads(verdict(label))}


def test_request_carries_code_criteria_and_result(fake_llm: FakeLLM) -> None:
    fake_llm.add(text(verdict("complete")))
    run(fake_llm)
    (req,) = fake_llm.requests
    assert req["model"] == "judge-model"
    assert req["temperature"] == 1.0 and req["max_completion_tokens"] == 4096
    system, user = req["messages"]
    assert system == {"role": "system", "content": load_template("judge_system.md")}
    assert "<!--" not in system["content"]  # the editors' note is not sent
    for label in LABELS:
        assert f"`{label}`" in system["content"]
    body = user["content"]
    assert body.startswith("task_json:\n") and "\n\nverification_json:\n" in body
    task_part, verification_part = body[len("task_json:\n"):].split("\n\nverification_json:\n")
    task_json = json.loads(task_part)
    assert task_json == {"user_task": TASK, "actual_execution_steps": 2, "trajectory": TRAJECTORY}
    verification = json.loads(verification_part)
    assert verification == {"code_execution_result": VERIFY_RESULT, "verifier_code": CODE,
                            "success_criteria": CRITERIA["success_criteria"],
                            "failure_criteria": CRITERIA["failure_criteria"],
                            "verifier_reasoning": CRITERIA["reasoning"]}


def test_label_is_lowercased_and_stripped(fake_llm: FakeLLM) -> None:
    fake_llm.add(text(verdict("  Server_Error \n")))
    out = run(fake_llm)
    assert out.classification == "server_error"


@pytest.mark.parametrize("wrap", [
    "```json\n{}\n```",
    "Here is my verdict.\n\n```json\n{}\n```\n\nLet me know if you need {more} detail.",
    "Verdict: {} -- end",
])
def test_reply_wrapped_in_prose_or_fences(fake_llm: FakeLLM, wrap: str) -> None:
    fake_llm.add(text(wrap.replace("{}", verdict("agent_error"), 1)))
    out = run(fake_llm)
    assert out.classification == "agent_error", out.error
    assert out.evidence["iterations"] == 2


# ---------------------------------------------------------------------- bad replies and failures


def test_malformed_reply(fake_llm: FakeLLM) -> None:
    fake_llm.add(text("The agent clearly completed the task, classification: complete"))
    out = run(fake_llm)
    assert out.classification == JUDGE_ERROR and not out.ok
    assert "unparseable reply" in out.error
    assert out.raw.startswith("The agent clearly")
    assert out.awm_llm_judge() == {"classification": JUDGE_ERROR, "judge_result": {"error": out.error}}


def test_unknown_label(fake_llm: FakeLLM) -> None:
    fake_llm.add(text(verdict("Partially Completed")))
    out = run(fake_llm)
    assert out.classification == JUDGE_ERROR
    assert "unknown classification 'Partially Completed'" in out.error
    assert out.parsed["classification"] == "Partially Completed"  # kept for inspection


def test_missing_classification(fake_llm: FakeLLM) -> None:
    fake_llm.add(text(json.dumps({"reasoning": "hmm"})))
    out = run(fake_llm)
    assert out.classification == JUDGE_ERROR and "no 'classification'" in out.error


def test_http_500(fake_llm: FakeLLM) -> None:
    fake_llm.add(http_error(500, "upstream exploded"))
    out = run(fake_llm)
    assert out.classification == JUDGE_ERROR
    assert out.error == "HTTP 500: upstream exploded"
    assert out.raw == ""


def test_connection_refused() -> None:
    config = LLMConfig(base_url=f"http://127.0.0.1:{closed_port()}/v1", api_key="test", model="m", timeout=5,
                       max_retries=0)
    out = judge_run(TASK, TRAJECTORY, VERIFY_RESULT, config=config)
    assert out.classification == JUDGE_ERROR
    assert out.error.startswith("connection error:") and "refused" in out.error.lower()


def test_timeout(fake_llm: FakeLLM) -> None:
    fake_llm.add(delay(3.0, text(verdict("complete"))))
    out = run(fake_llm, config=cfg(fake_llm, timeout=0.5))
    assert out.classification == JUDGE_ERROR
    assert out.error.startswith("timeout")
    assert out.duration_ms < 2900


def test_refusal(fake_llm: FakeLLM) -> None:
    fake_llm.add(refusal(), refusal("I can't help with that."))
    out = run(fake_llm)
    assert out.classification == JUDGE_ERROR and out.error == "refused (finish_reason content_filter)"
    out = run(fake_llm)
    assert out.error == "refused (finish_reason content_filter): I can't help with that."


def test_empty_reply(fake_llm: FakeLLM) -> None:
    fake_llm.add(text(""), text(None))
    for _ in range(2):
        out = run(fake_llm)
        assert out.classification == JUDGE_ERROR and out.error == "empty reply (finish_reason stop)"


def test_malformed_body(fake_llm: FakeLLM) -> None:
    fake_llm.add(malformed())
    out = run(fake_llm)
    assert out.classification == JUDGE_ERROR and out.error.startswith("malformed reply")


def test_reply_cut_at_token_limit(fake_llm: FakeLLM) -> None:
    fake_llm.add(text(verdict("complete")[:60], finish_reason="length"))
    out = run(fake_llm)
    assert out.classification == JUDGE_ERROR and "cut off at the token limit" in out.error


def test_no_configuration_is_a_judge_error_not_an_exception() -> None:
    out = judge_run(TASK, TRAJECTORY, VERIFY_RESULT)
    assert out.classification == JUDGE_ERROR
    assert "OPENAI_API_KEY" in out.error


# ---------------------------------------------------------------------- truncation


def _big_trajectory(n: int, size: int) -> list[dict]:
    return [{"iteration": i + 1, "role": "assistant", "content": f"STEP-{i + 1:03d} " + "x" * size,
             "tool_calls": [{"id": f"c{i}", "name": "call_tool",
                             "arguments": {"tool_name": "t", "arguments": "{}"}}],
             "tool_response": {"tool_call_id": f"c{i}", "content": "y" * 200}} for i in range(n)]


def test_huge_trajectory_is_truncated_with_a_marker(fake_llm: FakeLLM) -> None:
    steps = _big_trajectory(40, 3000)
    fake_llm.add(text(verdict("incomplete")))
    out = judge_run(TASK, steps, VERIFY_RESULT, config=cfg(fake_llm), max_chars=20_000)
    assert out.classification == "incomplete"
    user = fake_llm.requests[0]["messages"][1]["content"]
    task_json = json.loads(user[len("task_json:\n"):].split("\n\nverification_json:\n")[0])
    assert task_json["actual_execution_steps"] == 40
    sent = task_json["trajectory"]
    assert sent[0]["content"].startswith("STEP-001")
    assert sent[-1]["content"].startswith("STEP-040")
    marker = sent[1]
    info = out.truncation
    assert info["omitted_steps"] > 0 and info["kept_steps"] + info["omitted_steps"] == 40
    assert marker == f"[... {info['omitted_steps']} steps omitted ({info['omitted_chars']:,} chars) ...]"
    assert "STEP-020" not in user
    assert [s["iteration"] for s in sent[2:]] == list(range(40 - len(sent) + 3, 41))  # a contiguous tail
    assert len(json.dumps(sent)) < 22_000
    assert out.prompt_chars < 30_000


def test_single_huge_step_is_clipped_inside() -> None:
    steps = [{"iteration": 1, "content": "head " + "z" * 100_000 + " tail", "tool_calls": []}]
    kept, info = truncate_trajectory(steps, 10_000)
    assert info["omitted_steps"] == 0 and info["clipped_strings"] == 1
    content = kept[0]["content"]
    assert content.startswith("head ") and content.endswith(" tail")
    assert "chars omitted ...]" in content and len(json.dumps(kept)) <= 10_000


def test_small_trajectory_is_untouched() -> None:
    kept, info = truncate_trajectory(TRAJECTORY, 60_000)
    assert kept == TRAJECTORY and info is None


# ---------------------------------------------------------------------- repeats


def test_repeats_report_the_distribution(fake_llm: FakeLLM) -> None:
    fake_llm.add(text(verdict("incomplete")), text(verdict("complete")), text(verdict("agent_error")))
    out = run(fake_llm, repeats=3)
    assert out.repeats == ["incomplete", "complete", "agent_error"]
    assert out.distribution == {"incomplete": 1, "complete": 1, "agent_error": 1}
    assert out.classification == "incomplete"  # a tie goes to the label seen first
    assert len(fake_llm.requests) == 3
    assert all(r["messages"] == fake_llm.requests[0]["messages"] for r in fake_llm.requests)


def test_repeats_majority_and_errors(fake_llm: FakeLLM) -> None:
    fake_llm.add(http_error(503), text(verdict("complete")), text("garbage"), text(verdict("complete")),
                 text(verdict("incomplete")))
    out = run(fake_llm, repeats=5)
    assert out.repeats == [JUDGE_ERROR, "complete", JUDGE_ERROR, "complete", "incomplete"]
    assert out.distribution == {JUDGE_ERROR: 2, "complete": 2, "incomplete": 1}
    assert out.classification == "complete" and out.error is None
    assert out.raw == verdict("complete")


def test_repeats_all_failing(fake_llm: FakeLLM) -> None:
    fake_llm.add(http_error(500), http_error(502))
    out = run(fake_llm, repeats=2)
    assert out.classification == JUDGE_ERROR and out.error.startswith("HTTP 500")
    assert out.distribution == {JUDGE_ERROR: 2}


# ---------------------------------------------------------------------- parsing and configuration


def test_parse_rules() -> None:
    assert parse_judge_reply(verdict("complete"))[0] == "complete"
    assert parse_judge_reply("[1, 2]")[2] == "unparseable reply: a JSON list, not an object"
    assert parse_judge_reply("   ")[2] == "empty reply"
    label, parsed, error = parse_judge_reply('{"classification": 7}')
    assert label == JUDGE_ERROR and parsed == {"classification": 7} and "no 'classification'" in error


def test_config_openai(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OPENAI_BASE_URL", "https://llm.example/v1")
    monkeypatch.setenv("OPENAI_API_KEY", "sk-secret-value")
    monkeypatch.setenv("WORKBENCH_MODEL", "env-model")
    c = LLMConfig.from_env()
    assert (c.provider, c.base_url, c.api_key, c.model, c.model_source) == (
        "openai", "https://llm.example/v1", "sk-secret-value", "env-model", "WORKBENCH_MODEL")
    assert LLMConfig.from_env(model="given", base_url="http://other/v1").model == "given"
    assert "sk-secret-value" not in repr(c) and "sk-secret-value" not in json.dumps(c.describe())
    monkeypatch.setenv("AWM_SYN_OVERRIDE_MODEL", "forced")
    c = LLMConfig.from_env(model="given")
    assert c.model == "forced" and c.model_source == "AWM_SYN_OVERRIDE_MODEL"
    client = make_client(LLMConfig(base_url="http://127.0.0.1:9/v1", api_key="k", model="m", timeout=7,
                                   max_retries=1))
    assert str(client.base_url).startswith("http://127.0.0.1:9/v1") and client.max_retries == 1


def test_config_errors_name_the_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(ConfigError, match="OPENAI_API_KEY") as e:
        LLMConfig.from_env(model="m")
    assert e.value.variable == "OPENAI_API_KEY"
    monkeypatch.setenv("OPENAI_API_KEY", "k")
    with pytest.raises(ConfigError, match="WORKBENCH_MODEL"):
        LLMConfig.from_env()
    monkeypatch.setenv("AWM_SYN_LLM_PROVIDER", "azure")
    with pytest.raises(ConfigError, match="AZURE_ENDPOINT_URL"):
        LLMConfig.from_env(model="m")
    monkeypatch.setenv("AZURE_ENDPOINT_URL", "https://res.openai.azure.com/")
    with pytest.raises(ConfigError, match="AZURE_OPENAI_API_KEY"):
        LLMConfig.from_env(model="m")
    monkeypatch.setenv("AWM_SYN_LLM_PROVIDER", "bedrock")
    with pytest.raises(ConfigError, match="AWM_SYN_LLM_PROVIDER"):
        LLMConfig.from_env(model="m")


def test_config_azure(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AWM_SYN_LLM_PROVIDER", "azure")
    monkeypatch.setenv("AZURE_ENDPOINT_URL", "https://res.openai.azure.com/")
    monkeypatch.setenv("AZURE_OPENAI_API_KEY", "az-key")
    c = LLMConfig.from_env(model="gpt-4.1")
    assert (c.provider, c.base_url, c.api_key) == ("azure", "https://res.openai.azure.com/openai/v1", "az-key")
    assert azure_v1_url("https://x.services.ai.azure.com") == "https://x.services.ai.azure.com/openai/v1"
    assert azure_v1_url("https://x.openai.azure.com/openai") == "https://x.openai.azure.com/openai/v1"
    assert azure_v1_url("https://x.openai.azure.com/openai/v1/") == "https://x.openai.azure.com/openai/v1/"
    assert azure_v1_url("https://proxy.example/v1") == "https://proxy.example/v1"


def test_loopback_needs_no_key() -> None:
    c = LLMConfig.from_env(model="m", base_url="http://localhost:8000/v1")
    assert c.api_key == "EMPTY"
