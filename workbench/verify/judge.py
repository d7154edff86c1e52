"""The sql-mode LLM judge (awm-format.md §3.1), with AWM's labels and output, and our own prompt.

    outcome = judge_run(task, trajectory_steps, verify_result, verifier_code=code,
                        criteria={"success_criteria": ..., "failure_criteria": ...}, repeats=3)
    outcome.classification      # complete | incomplete | server_error | agent_error | judge_error
    outcome.distribution        # {"complete": 2, "incomplete": 1}: the judge's stability

Differences from AWM, on purpose:

- The verifier's code, its reasoning and its success/failure criteria are sent when known, next to
  the execution result (AWM's prompt promises them but sends only the result, §9.17).
- A large trajectory is shortened to about ``max_chars``: the first step and as many of the last
  steps as fit are kept, and the gap is a visible element "[... 12 steps omitted (48,213 chars)
  ...]". Strings that are still too long are cut in the middle ("[... N chars omitted ...]").
- Nothing raises: a missing configuration, a network error, a timeout, an HTTP error, a refusal, an
  empty or unparseable reply, or a label outside the four all give ``judge_error`` with the reason.
- ``repeats=K`` asks K times and reports the label distribution; the overall label is the most
  frequent valid one (ties go to the label seen first).

The prompt text lives in ``templates/judge_system.md`` and ``templates/judge_user.md``.
"""

from __future__ import annotations

import json
import os
import re
import time
from collections import Counter
from dataclasses import asdict, dataclass, field
from typing import Any

LABELS = ("complete", "incomplete", "server_error", "agent_error")
JUDGE_ERROR = "judge_error"
ALL_LABELS = LABELS + (JUDGE_ERROR,)
DEFAULT_MAX_CHARS = 60_000
DEFAULT_TEMPERATURE = 1.0  # AWM's judge
DEFAULT_MAX_TOKENS = 4096  # AWM's judge (sent as max_completion_tokens)
_MARKER_RESERVE = 80
_JSON_BLOCK = re.compile(r"\{.*\}", re.DOTALL)


@dataclass
class JudgeOutcome:
    classification: str
    reasoning: str = ""
    confidence: list[Any] | None = None
    evidence: dict[str, Any] | None = None
    raw: str = ""
    error: str | None = None
    repeats: list[str] | None = None
    distribution: dict[str, int] = field(default_factory=dict)
    model: str | None = None
    duration_ms: float = 0.0
    parsed: dict[str, Any] | None = None  # the judge's JSON object, as parsed
    truncation: dict[str, Any] | None = None  # what was cut from the trajectory, when anything was
    prompt_chars: int = 0

    @property
    def ok(self) -> bool:
        return self.classification != JUDGE_ERROR

    def to_json(self) -> dict[str, Any]:
        d = asdict(self)
        d["duration_ms"] = round(self.duration_ms, 3)
        return d

    def awm_llm_judge(self) -> dict[str, Any]:
        """The ``llm_judge`` field of AWM's ``verify.sql.json``: the label and the parsed judge JSON,
        or ``{"error": ...}``."""
        if self.classification == JUDGE_ERROR:
            return {"classification": JUDGE_ERROR, "judge_result": {"error": self.error or "judge error"}}
        return {"classification": self.classification, "judge_result": self.parsed or {}}


# ---------------------------------------------------------------------- prompt


def criteria_from_meta(meta: dict[str, Any] | None) -> dict[str, Any] | None:
    """``success_criteria`` / ``failure_criteria`` / ``reasoning`` from a verifier row's extra fields."""
    if not meta:
        return None
    out = {k: meta[k] for k in ("reasoning", "success_criteria", "failure_criteria") if meta.get(k)}
    return out or None


def _dumps(obj: Any, indent: int | None = 2) -> str:
    return json.dumps(obj, indent=indent, ensure_ascii=False, default=str)


def clip_text(text: str, limit: int) -> str:
    """``text`` cut in the middle to about ``limit`` chars, with a visible marker."""
    if len(text) <= limit:
        return text
    head = max(limit * 2 // 3, 1)
    tail = max(limit - head, 1)
    omitted = len(text) - head - tail
    return f"{text[:head]}\n[... {omitted:,} chars omitted ...]\n{text[-tail:]}"


def _clip_strings(obj: Any, limit: int, counter: list[int]) -> Any:
    if isinstance(obj, str):
        if len(obj) > limit:
            counter[0] += 1
            return clip_text(obj, limit)
        return obj
    if isinstance(obj, dict):
        return {k: _clip_strings(v, limit, counter) for k, v in obj.items()}
    if isinstance(obj, list):
        return [_clip_strings(v, limit, counter) for v in obj]
    return obj


def omitted_marker(steps: int, chars: int) -> str:
    return f"[... {steps} step{'s' if steps != 1 else ''} omitted ({chars:,} chars) ...]"


def truncate_trajectory(trajectory: list[Any],
                        max_chars: int = DEFAULT_MAX_CHARS) -> tuple[list[Any], dict[str, Any] | None]:
    """The trajectory shortened to about ``max_chars`` of JSON, and what was cut (None when nothing).

    Keeps the first step and as many of the last steps as fit; the omitted middle becomes one
    marker string. If the kept steps are still too long, their longest strings are cut in the middle.
    """
    steps = list(trajectory)
    sizes = [len(_dumps(s)) + 2 for s in steps]
    total = sum(sizes)
    if total <= max_chars or not steps:
        return steps, None
    n = len(steps)
    keep = [0]
    if n > 1:
        budget = max_chars - sizes[0] - _MARKER_RESERVE
        tail = [n - 1]
        used = sizes[n - 1]
        for i in range(n - 2, 0, -1):
            if used + sizes[i] > budget:
                break
            tail.insert(0, i)
            used += sizes[i]
        keep += tail
    omitted = [i for i in range(n) if i not in set(keep)]
    omitted_chars = sum(sizes[i] for i in omitted)
    kept = [steps[i] for i in keep]
    clipped = 0
    if sum(sizes[i] for i in keep) > max_chars - (_MARKER_RESERVE if omitted else 0):
        limit = max(max_chars // 4, 200)
        while True:
            counter = [0]
            trial = [_clip_strings(s, limit, counter) for s in (steps[i] for i in keep)]
            if sum(len(_dumps(s)) + 2 for s in trial) <= max_chars - _MARKER_RESERVE or limit <= 200:
                kept, clipped = trial, counter[0]
                break
            limit = max(limit // 2, 200)
    out: list[Any] = kept[:1]
    if omitted:
        out.append(omitted_marker(len(omitted), omitted_chars))
    out += kept[1:]
    info = {"total_steps": n, "kept_steps": len(keep), "omitted_steps": len(omitted),
            "omitted_chars": omitted_chars, "clipped_strings": clipped, "original_chars": total,
            "max_chars": max_chars}
    return out, info


def build_judge_messages(task: str, trajectory: list[Any], verify_result: Any, *, verifier_code: str | None = None,
                         criteria: dict[str, Any] | None = None,
                         max_chars: int = DEFAULT_MAX_CHARS) -> tuple[list[dict[str, str]], dict[str, Any] | None]:
    """The system and user messages the judge is sent, and the truncation report (or None)."""
    from workbench.llm import load_template, render_template

    if isinstance(trajectory, dict):  # a whole trajectory.json: use its steps, as AWM does
        trajectory = trajectory.get("trajectory") or []
    steps, info = truncate_trajectory(list(trajectory or []), max_chars)
    task_json = {"user_task": task, "actual_execution_steps": len(trajectory or []), "trajectory": steps}
    side_cap = max(max_chars // 2, 2000)
    result_text = _dumps(verify_result)
    verification: dict[str, Any] = {
        "code_execution_result": (verify_result if len(result_text) <= side_cap
                                  else clip_text(result_text, side_cap))}
    if verifier_code:
        verification["verifier_code"] = clip_text(verifier_code, side_cap)
    for key, value in (criteria or {}).items():
        if value in (None, ""):
            continue
        name = "verifier_reasoning" if key == "reasoning" else key
        verification[name] = clip_text(value, side_cap) if isinstance(value, str) else value
    user = render_template("judge_user.md", task_json=_dumps(task_json), verification_json=_dumps(verification))
    system = load_template("judge_system.md")
    return [{"role": "system", "content": system}, {"role": "user", "content": user}], info


# ---------------------------------------------------------------------- reply


def _first_object(text: str) -> Any:
    """AWM's rule (``json.loads``, then the first ``{...}`` found by regex), then a scan for any
    decodable object, so prose with stray braces around the answer still parses."""
    try:
        return json.loads(text)
    except ValueError:
        pass
    m = _JSON_BLOCK.search(text)
    if m:
        try:
            return json.loads(m.group(0))
        except ValueError:
            pass
    decoder = json.JSONDecoder()
    for i, ch in enumerate(text):
        if ch == "{":
            try:
                obj, _ = decoder.raw_decode(text, i)
            except ValueError:
                continue
            if isinstance(obj, dict):
                return obj
    raise ValueError("no JSON object found in the reply")


def parse_judge_reply(text: str) -> tuple[str, dict[str, Any] | None, str | None]:
    """``(label, parsed_object, error)``; label is ``judge_error`` whenever ``error`` is set."""
    stripped = (text or "").strip()
    if not stripped:
        return JUDGE_ERROR, None, "empty reply"
    try:
        obj = _first_object(stripped)
    except ValueError as exc:
        return JUDGE_ERROR, None, f"unparseable reply: {exc}"
    if not isinstance(obj, dict):
        return JUDGE_ERROR, None, f"unparseable reply: a JSON {type(obj).__name__}, not an object"
    value = obj.get("classification")
    if not isinstance(value, str) or not value.strip():
        return JUDGE_ERROR, obj, "the reply has no 'classification'"
    label = value.strip().lower()
    if label not in LABELS:
        return JUDGE_ERROR, obj, f"unknown classification {value!r} (expected one of {', '.join(LABELS)})"
    return label, obj, None


# ---------------------------------------------------------------------- run


@dataclass
class _One:
    label: str
    parsed: dict[str, Any] | None
    raw: str
    error: str | None


def _judge_once(client: Any, model: str, messages: list[dict[str, str]], temperature: float | None,
                max_tokens: int | None) -> _One:
    from workbench.llm.client import LLMCallError, chat

    params: dict[str, Any] = {}
    if temperature is not None:
        params["temperature"] = temperature
    if max_tokens is not None:
        params["max_completion_tokens"] = max_tokens
    try:
        reply = chat(client, model=model, messages=messages, **params)
    except LLMCallError as exc:
        return _One(JUDGE_ERROR, None, "", exc.reason)
    except Exception as exc:  # never let the judge raise
        return _One(JUDGE_ERROR, None, "", f"{type(exc).__name__}: {exc}")
    raw = reply.content or ""
    if reply.finish_reason == "content_filter":
        why = f": {reply.refusal}" if reply.refusal else ""
        return _One(JUDGE_ERROR, None, raw, f"refused (finish_reason content_filter){why}")
    if reply.refusal:
        return _One(JUDGE_ERROR, None, raw, f"refused: {reply.refusal}")
    if not raw.strip():
        return _One(JUDGE_ERROR, None, raw, f"empty reply (finish_reason {reply.finish_reason})")
    label, parsed, error = parse_judge_reply(raw)
    if error and reply.finish_reason == "length":
        error += " (the reply was cut off at the token limit)"
    return _One(label, parsed, raw, error)


def judge_run(task: str, trajectory: list[dict[str, Any]], verify_result: Any, *, verifier_code: str | None = None,
              criteria: dict[str, Any] | None = None, client: Any = None, config: Any = None, repeats: int = 1,
              max_chars: int = DEFAULT_MAX_CHARS, model: str | None = None,
              temperature: float | None = DEFAULT_TEMPERATURE,
              max_tokens: int | None = DEFAULT_MAX_TOKENS) -> JudgeOutcome:
    """Judge one run. ``trajectory`` is the ``trajectory`` list of trajectory.json (not ``messages``).

    ``config`` is an ``LLMConfig`` (default: ``LLMConfig.from_env(model)``); ``client`` an
    ``openai.OpenAI`` (default: ``make_client(config)``). Never raises.
    """
    from workbench.llm.client import ConfigError, LLMConfig, make_client

    t0 = time.perf_counter()

    def fail(reason: str, used_model: str | None = None, **extra: Any) -> JudgeOutcome:
        return JudgeOutcome(JUDGE_ERROR, error=reason, model=used_model, distribution={JUDGE_ERROR: 1},
                            duration_ms=(time.perf_counter() - t0) * 1000, **extra)

    repeats = max(int(repeats), 1)
    try:
        if config is None and client is None:
            config = LLMConfig.from_env(model=model)
        if config is not None:
            if not model or config.model_source == "AWM_SYN_OVERRIDE_MODEL":
                model = config.model
        else:  # a client without a config: the model comes from the argument or the environment
            model = os.environ.get("AWM_SYN_OVERRIDE_MODEL") or model or os.environ.get("WORKBENCH_MODEL")
        if not model:
            return fail("no model: pass --model, or set WORKBENCH_MODEL (AWM_SYN_OVERRIDE_MODEL also works)")
        if client is None:
            client = make_client(config)
    except ConfigError as exc:
        return fail(f"configuration: {exc}", model)
    except Exception as exc:
        return fail(f"{type(exc).__name__}: {exc}", model)
    try:
        messages, info = build_judge_messages(task, trajectory, verify_result, verifier_code=verifier_code,
                                              criteria=criteria, max_chars=max_chars)
    except Exception as exc:
        return fail(f"could not build the prompt: {type(exc).__name__}: {exc}", model)
    prompt_chars = sum(len(m["content"]) for m in messages)

    results = [_judge_once(client, model, messages, temperature, max_tokens) for _ in range(repeats)]
    labels = [r.label for r in results]
    distribution = dict(Counter(labels))
    valid = [lab for lab in labels if lab != JUDGE_ERROR]
    if valid:
        counts = Counter(valid)
        best = max(counts.values())
        chosen = next(lab for lab in valid if counts[lab] == best)
        pick = next(r for r in results if r.label == chosen)
    else:
        chosen, pick = JUDGE_ERROR, results[0]
    parsed = pick.parsed
    conf = parsed.get("confidence_score") if isinstance(parsed, dict) else None
    evidence = parsed.get("evidence") if isinstance(parsed, dict) else None
    reasoning = parsed.get("reasoning") if isinstance(parsed, dict) else None
    return JudgeOutcome(
        classification=chosen,
        reasoning=(reasoning if isinstance(reasoning, str)
                   else "" if reasoning is None else _dumps(reasoning, None)),
        confidence=conf if isinstance(conf, list) else None,
        evidence=evidence if isinstance(evidence, dict) else None,
        raw=pick.raw,
        error=pick.error if chosen == JUDGE_ERROR else None,
        repeats=labels if repeats > 1 else None,
        distribution=distribution,
        model=model,
        duration_ms=(time.perf_counter() - t0) * 1000,
        parsed=parsed,
        truncation=info,
        prompt_chars=prompt_chars,
    )
