"""Run an LLM agent on one task of a bundle and record the run in AWM's format (awm-format.md §4).

    result = run_agent("sample_envs/it_service_desk", 2, model="gpt-4.1", protocol="awm")
    result.run_dir          # <bundle>/runs/<run_id>/ with trajectory.json, openai_messages.json,
                            # initial.db, final.db and run.json

Two protocols:

- ``native``: OpenAI tool calling. Every tool of the environment is a function (its operation id,
  description and input schema); results go back as ``role: "tool"`` messages. Every call the model
  makes in a turn is executed (OpenAI requires an answer to each); in trajectory.json each call
  becomes one step of that iteration, in AWM's ``call_tool`` shape, so replay and verification
  treat native runs like AWM runs.
- ``awm``: AWM's text protocol (§4.2). The model sees ``list_tools`` and ``call_tool`` through the
  system prompt (``templates/agent_system_awm.md``) and writes ``<tool_call>{...}</tool_call>``.
  Only the first call of a turn is executed; the others are noted in run.json. Results go back as
  ``role: "user"`` messages ``Tool response:\\n<text>`` (AWM without its vLLM extras).

Differences from AWM: ``history_window=K`` sends only the last K exchanges (AWM resends
everything); an LLM failure ends the run with ``stop_reason`` ``llm_error: ...`` but the run is
still written (AWM loses it, §9.21); arguments that are not valid JSON are reported to the model
as an error instead of being replaced by ``{}``; a ``<tool_call>`` block that cannot be parsed is
reported as an error rather than ending the run.
"""

from __future__ import annotations

import ast
import json
import os
import re
import shutil
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from workbench.errors import WorkbenchError
from workbench.trajectory.awm_trajectory import (
    SERVER_PREFIX,
    TOOL_PREFIX,
    agent_tool_name,
    awm_observation,
    tool_name_from_agent,
)

PROTOCOLS = ("native", "awm")
DEFAULT_MAX_STEPS = 30
DEFAULT_MAX_TOKENS = 2048
UNKNOWN_META_TOOL = "Error: Unknown tool '{name}'. Only 'list_tools' and 'call_tool' are available."
TOOL_RESPONSE_PREFIX = "Tool response:\n"
NATIVE_SYSTEM_PROMPT = (
    "You act for the user inside an application that you reach only through the tools you are given. "
    "The user you act for is already signed in; their user id is 1. Call tools to look things up and to make "
    "changes, one step at a time, and read each result before the next call; a result starting with \"Error:\" "
    "means the call failed. Use only values you have seen in tool results or in the task. When the task is done, "
    "or cannot be done, reply in plain text without calling a tool: that reply is your final answer to the user."
)
_TOOL_CALL = re.compile(r"<tool_call>(.*?)</tool_call>", re.DOTALL)
_NATIVE_NAME = re.compile(r"^[A-Za-z0-9_-]{1,64}$")


class AgentError(WorkbenchError):
    """The run cannot start: unknown task, bad option, or a run id that is taken."""

    title = "Agent run"


@dataclass
class AgentRunResult:
    run_id: str
    run_dir: Path
    task_id: int
    task: str
    model: str
    protocol: str
    api_url: str
    steps: int  # LLM turns that returned a reply
    tool_calls: int  # calls executed (list_tools included)
    finished: bool  # the model gave a final answer
    stop_reason: str  # final_answer | max_steps | llm_error: ... | refused: ... | error: ... | interrupted
    final_answer: str | None
    duration_ms: float
    trajectory: dict[str, Any]
    openai_messages: list[dict[str, Any]]
    notes: list[str] = field(default_factory=list)

    def summary(self) -> dict[str, Any]:
        return {"run_id": self.run_id, "run_dir": str(self.run_dir), "task_id": self.task_id, "model": self.model,
                "protocol": self.protocol, "api_url": self.api_url, "steps": self.steps,
                "tool_calls": self.tool_calls, "finished": self.finished, "stop_reason": self.stop_reason,
                "final_answer": self.final_answer, "duration_ms": round(self.duration_ms, 3), "notes": self.notes}


# ---------------------------------------------------------------------- parsing (AWM protocol)


def loads_lenient(text: str) -> Any:
    """``json.loads``, then the usual repairs: code fences, prose around one JSON value, trailing
    commas, Python literals (single quotes, True/None). Raises ``ValueError`` when nothing works."""
    s = text.strip()
    try:
        return json.loads(s)
    except ValueError as exc:
        first_error = exc
    s = re.sub(r"^```[A-Za-z]*\s*", "", s)
    s = re.sub(r"\s*```$", "", s).strip()
    candidates = [s]
    starts = [i for i in (s.find("{"), s.find("[")) if i >= 0]
    if starts:
        start = min(starts)
        end = max(s.rfind("}"), s.rfind("]"))
        if end > start:
            candidates.append(s[start:end + 1])
    for cand in candidates:
        for variant in (cand, re.sub(r",\s*([}\]])", r"\1", cand)):
            try:
                return json.loads(variant)
            except ValueError:
                pass
            try:
                return json.JSONDecoder().raw_decode(variant)[0]
            except ValueError:
                pass
            try:
                value = ast.literal_eval(variant)
            except (ValueError, SyntaxError, MemoryError, RecursionError):
                continue
            if isinstance(value, (dict, list, str, int, float, bool)) or value is None:
                return value
    raise ValueError(str(first_error))


def find_tool_call_blocks(content: str) -> tuple[list[str], bool]:
    """The text of every ``<tool_call>...</tool_call>`` block (non-greedy, DOTALL), and whether an
    unclosed trailing ``<tool_call>`` was taken as a block because no closed block exists."""
    blocks = _TOOL_CALL.findall(content)
    if blocks:
        return blocks, False
    i = content.find("<tool_call>")
    if i >= 0:
        return [content[i + len("<tool_call>"):]], True
    return [], False


def parse_tool_call_block(block: str) -> list[dict[str, Any]]:
    """The calls in one block: ``{"name", "arguments"}`` objects (a one-element list is unwrapped).

    Raises ``ValueError`` when the block is not JSON or holds no object with a ``name``.
    """
    value = loads_lenient(block)
    items = value if isinstance(value, list) else [value]
    calls = [c for c in items if isinstance(c, dict)]
    if not calls:
        raise ValueError(f"expected a JSON object with \"name\" and \"arguments\", got {type(value).__name__}")
    for c in calls:
        if not isinstance(c.get("name"), str) or not c["name"]:
            raise ValueError("the call has no \"name\"")
    return calls


def _clip(text: str, n: int = 300) -> str:
    return text if len(text) <= n else text[: n - 3] + "..."


# ---------------------------------------------------------------------- the run


@dataclass
class _State:
    head: list[dict[str, Any]]  # system + user, as sent to the LLM
    exchanges: list[list[dict[str, Any]]] = field(default_factory=list)  # [assistant, results...] per turn
    openai_log: list[dict[str, Any]] = field(default_factory=list)  # every LLM-shaped message, unwindowed
    steps: list[dict[str, Any]] = field(default_factory=list)  # trajectory.json steps
    messages: list[dict[str, Any]] = field(default_factory=list)  # trajectory.json messages
    turns: int = 0
    calls: int = 0
    final: str | None = None
    finished: bool = False
    stop_reason: str = "max_steps"
    notes: list[str] = field(default_factory=list)
    token_param: str = "max_tokens"


def run_agent(bundle_dir: Path | str, task_id: int, *, model: str | None, base_url: str | None = None,
              api_key: str | None = None, protocol: str = "native", max_steps: int = DEFAULT_MAX_STEPS,
              history_window: int | None = None, temperature: float | None = None,
              max_tokens: int | None = DEFAULT_MAX_TOKENS, client: Any = None, session: Any = None,
              run_id: str | None = None, on_step: Callable[[dict[str, Any]], None] | None = None) -> AgentRunResult:
    """Run the agent on task ``task_id`` of the bundle and write ``<bundle>/runs/<run_id>/``.

    Raises ``AgentError`` / ``ConfigError`` / ``EnvStartError`` only before the run starts (bad
    options, no task, no endpoint configuration, an environment that does not start). Once the
    model has been called, the run is always written, whatever happens.
    """
    from workbench.bundle.load import load_bundle
    from workbench.llm.client import LLMConfig, make_client

    bundle_dir = Path(bundle_dir)
    if protocol not in PROTOCOLS:
        raise AgentError(f"protocol must be one of {', '.join(PROTOCOLS)}, got {protocol!r}")
    if not isinstance(max_steps, int) or max_steps < 1:
        raise AgentError(f"max_steps must be a positive integer, got {max_steps!r}")
    if history_window is not None and (not isinstance(history_window, int) or history_window < 0):
        raise AgentError(f"history_window must be a non-negative integer, got {history_window!r}")
    bundle = session.bundle if session is not None else load_bundle(bundle_dir, with_runs=False)[0]
    task = bundle.task_text(task_id) if isinstance(task_id, int) else None
    if task is None:
        n = len(bundle.tasks or [])
        raise AgentError(f"{bundle_dir}: no task {task_id!r} in tasks.json ({n} tasks: 0..{n - 1})" if n
                         else f"{bundle_dir}: tasks.json has no tasks")
    runs_dir = bundle_dir / "runs"
    if run_id is not None:
        if not run_id or run_id.startswith(".") or any(c in run_id for c in "/\\\x00"):
            raise AgentError(f"refusing run id {run_id!r}: it must be a plain folder name")
        if (runs_dir / run_id).exists():
            raise AgentError(f"{runs_dir / run_id}: a run with this id already exists")
    if client is None:
        cfg = LLMConfig.from_env(model=model, base_url=base_url, api_key=api_key)
        model = cfg.model
        api_url = cfg.base_url
        client = make_client(cfg)
    else:
        if not model:
            raise AgentError("model is required when a client is given")
        api_url = (base_url or str(getattr(client, "base_url", "") or "")).rstrip("/")
    assert model

    own_session = session is None
    if own_session:
        from workbench.runtime.session import EnvSession

        session = EnvSession.open(bundle)
    t0 = time.perf_counter()
    timestamp = time.strftime("%Y%m%d_%H%M%S")
    run_id = run_id or _new_run_id(runs_dir, task_id)
    try:
        initial = session.instance.initial.data if session.step == 0 else session.snapshot().snapshot.data
        tools = list(session.tools)
        system = (NATIVE_SYSTEM_PROMPT if protocol == "native" else _awm_system_prompt())
        st = _State(head=[{"role": "system", "content": system}, {"role": "user", "content": task}])
        st.openai_log += [dict(m) for m in st.head]
        st.messages += [dict(m) for m in st.head]
        params: dict[str, Any] = {}
        if temperature is not None:
            params["temperature"] = temperature
        try:
            if protocol == "native":
                _loop_native(st, client, model, session, tools, params, max_tokens, max_steps, history_window,
                             on_step)
            else:
                _loop_awm(st, client, model, session, tools, params, max_tokens, max_steps, history_window, on_step)
        except KeyboardInterrupt:
            st.stop_reason, st.finished = "interrupted", False
            _finish(bundle_dir, run_id, st, bundle, task_id, task, model, api_url, protocol, max_steps, temperature,
                    max_tokens, history_window, timestamp, initial, session, t0)
            raise
        except Exception as exc:  # a bug or an environment failure: keep what we have
            st.stop_reason, st.finished = f"error: {type(exc).__name__}: {exc}", False
        return _finish(bundle_dir, run_id, st, bundle, task_id, task, model, api_url, protocol, max_steps,
                       temperature, max_tokens, history_window, timestamp, initial, session, t0)
    finally:
        if own_session:
            session.close()


def _awm_system_prompt() -> str:
    from workbench.llm import load_template

    return load_template("agent_system_awm.md").strip()


def _new_run_id(runs_dir: Path, task_id: int) -> str:
    base = f"agent-{time.strftime('%Y%m%d-%H%M%S')}-task-{task_id:02d}"
    run_id, n = base, 1
    while (runs_dir / run_id).exists():
        n += 1
        run_id = f"{base}-{n}"
    return run_id


def _window(st: _State, history_window: int | None) -> list[dict[str, Any]]:
    if history_window is None or len(st.exchanges) <= history_window:
        kept, omitted = st.exchanges, 0
    else:
        kept = st.exchanges[len(st.exchanges) - history_window:] if history_window else []
        omitted = len(st.exchanges) - len(kept)
    head = [dict(m) for m in st.head]
    if omitted:
        plural = "s" if omitted != 1 else ""
        head[1]["content"] = (f"{head[1]['content']}\n\n[{omitted} earlier step{plural} of this conversation "
                              "omitted to save space]")
    return head + [m for ex in kept for m in ex]


def _call_llm(st: _State, client: Any, model: str, messages: list[dict[str, Any]], params: dict[str, Any],
              max_tokens: int | None, **extra: Any) -> Any:
    from workbench.llm.client import LLMCallError, chat

    p = dict(params, **extra)
    if max_tokens is not None:
        p[st.token_param] = max_tokens
    try:
        return chat(client, model=model, messages=messages, **p)
    except LLMCallError as exc:
        # OpenAI's reasoning models refuse max_tokens and ask for max_completion_tokens: switch once.
        if (max_tokens is not None and st.token_param == "max_tokens" and exc.status == 400
                and "max_completion_tokens" in exc.reason):
            st.token_param = "max_completion_tokens"
            p.pop("max_tokens", None)
            p["max_completion_tokens"] = max_tokens
            return chat(client, model=model, messages=messages, **p)
        raise


def _ended_without_call(st: _State, it: int, reply: Any, content: str) -> None:
    step = {"iteration": it, "role": "assistant", "content": content, "tool_calls": [], "is_final": True}
    st.steps.append(step)
    st.final = content
    if reply.finish_reason == "content_filter" or reply.refusal:
        st.stop_reason = "refused: " + (reply.refusal or "finish_reason content_filter")
        st.finished = False
    else:
        st.stop_reason, st.finished = "final_answer", True
        if reply.finish_reason == "length":
            st.notes.append(f"iteration {it}: the final answer was cut off at the token limit")


def _emit(on_step: Callable[[dict[str, Any]], None] | None, step: dict[str, Any]) -> None:
    if on_step is not None:
        try:
            on_step(step)
        except Exception:
            pass


def _execute(session: Any, op: str, args: dict[str, Any]) -> str:
    try:
        out = session.call(op, args)
    except Exception as exc:  # EnvSession.call does not raise; anything else is reported like AWM does
        return f"Error: {exc}"
    return awm_observation(out.text, out.is_error)


def _parse_arguments(raw: Any) -> tuple[dict[str, Any] | None, str | None]:
    """Tool arguments as a dict, or an error text for the model."""
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return {}, None
    value = raw
    if isinstance(raw, str):
        try:
            value = json.loads(raw)
        except ValueError as exc:
            return None, f"Error: the tool arguments are not valid JSON ({exc}): {_clip(raw, 200)}"
    if isinstance(value, list) and len(value) == 1 and isinstance(value[0], dict):
        value = value[0]
    if value is None:
        return {}, None
    if not isinstance(value, dict):
        return None, (f"Error: the tool arguments must be a JSON object, got {type(value).__name__}: "
                      f"{_clip(json.dumps(value), 200)}")
    return value, None


# ---------------------------------------------------------------------- native protocol


def _native_tools(tools: list[Any]) -> tuple[list[dict[str, Any]], dict[str, str]]:
    """OpenAI function tools for the environment's tools, and function name -> operation id."""
    specs: list[dict[str, Any]] = []
    names: dict[str, str] = {}
    for t in tools:
        fname = t.name if _NATIVE_NAME.match(t.name) else re.sub(r"[^A-Za-z0-9_-]", "_", t.name)[:64]
        base, n = fname, 1
        while fname in names:
            n += 1
            fname = f"{base[:60]}_{n}"
        names[fname] = t.name
        schema = dict(t.input_schema or {})
        schema.setdefault("type", "object")
        schema.setdefault("properties", {})
        specs.append({"type": "function", "function": {"name": fname, "description": t.description or "",
                                                        "parameters": schema}})
    return specs, names


def _loop_native(st: _State, client: Any, model: str, session: Any, tools: list[Any], params: dict[str, Any],
                 max_tokens: int | None, max_steps: int, history_window: int | None,
                 on_step: Callable[[dict[str, Any]], None] | None) -> None:
    from workbench.llm.client import LLMCallError

    specs, names = _native_tools(tools)
    extra = {"tools": specs} if specs else {}
    for it in range(1, max_steps + 1):
        try:
            reply = _call_llm(st, client, model, _window(st, history_window), params, max_tokens, **extra)
        except LLMCallError as exc:
            st.stop_reason, st.finished = f"llm_error: {exc.reason}", False
            return
        st.turns = it
        content = reply.content or ""
        calls = reply.tool_calls
        ms = int(time.time() * 1000)
        asst: dict[str, Any] = {"role": "assistant", "content": reply.content}
        if calls:
            asst["tool_calls"] = []
            for k, c in enumerate(calls):
                fn = getattr(c, "function", None)
                cid = getattr(c, "id", None) or f"call_{ms}_{k}"
                asst["tool_calls"].append({"id": cid, "type": "function",
                                           "function": {"name": getattr(fn, "name", "") or "",
                                                        "arguments": getattr(fn, "arguments", "") or ""}})
        st.openai_log.append(asst)
        st.messages.append({"role": "assistant", "content": content})
        if not calls:
            st.exchanges.append([asst])
            _ended_without_call(st, it, reply, content)
            _emit(on_step, st.steps[-1])
            return
        exchange = [asst]
        for k, call in enumerate(asst["tool_calls"]):
            fname, raw = call["function"]["name"], call["function"]["arguments"]
            op = names.get(fname, tool_name_from_agent(fname))
            args, error = _parse_arguments(raw)
            if getattr(calls[k], "type", "function") != "function":
                obs = f"Error: unsupported tool call type {getattr(calls[k], 'type', None)!r}"
            elif error is not None:
                obs = error
            else:
                obs = _execute(session, op, args or {})
                st.calls += 1
            tool_msg = {"role": "tool", "tool_call_id": call["id"], "content": obs}
            exchange.append(tool_msg)
            st.openai_log.append(tool_msg)
            st.messages.append(dict(tool_msg))
            awm_call = {"id": call["id"], "name": "call_tool",
                        "arguments": {"tool_name": agent_tool_name(op), "arguments": raw if raw else "{}"}}
            step = {"iteration": it, "role": "assistant", "content": content if k == 0 else "",
                    "tool_calls": [awm_call], "tool_response": {"tool_call_id": call["id"], "content": obs}}
            st.steps.append(step)
            _emit(on_step, step)
        st.exchanges.append(exchange)
    st.stop_reason, st.finished = "max_steps", False


# ---------------------------------------------------------------------- AWM text protocol


def _resolve_operation(name: str, ops: set[str]) -> str:
    """``mcp_tool_mcp_server_x`` / ``mcp_server_x`` / ``x`` -> ``x`` (as mcp-agent resolves it)."""
    n = name[len(TOOL_PREFIX):] if name.startswith(TOOL_PREFIX) else name
    if n.startswith(SERVER_PREFIX) and n[len(SERVER_PREFIX):] in ops:
        return n[len(SERVER_PREFIX):]
    if n in ops:
        return n
    return tool_name_from_agent(name)


def _awm_call(name: str, arguments: Any, session: Any, catalogue: str, ops: set[str]) -> tuple[str, bool]:
    """What the model is told for one meta-function call, and whether a tool was executed."""
    if name == "list_tools":
        return catalogue, True
    if name != "call_tool":
        return UNKNOWN_META_TOOL.format(name=name), False
    outer = arguments
    if isinstance(outer, str):
        try:
            outer = loads_lenient(outer) if outer.strip() else {}
        except ValueError as exc:
            return f"Error: the arguments of call_tool are not valid JSON ({exc}): {_clip(arguments, 200)}", False
    if not isinstance(outer, dict):
        return ("Error: call_tool takes an object {\"tool_name\": ..., \"arguments\": ...}, got "
                f"{type(outer).__name__}"), False
    tool_name = outer.get("tool_name")
    if not isinstance(tool_name, str) or not tool_name.strip():
        return "Error: call_tool needs \"tool_name\", the name of a tool from list_tools", False
    args, error = _parse_arguments(outer.get("arguments"))
    if error is not None:
        return error, False
    return _execute(session, _resolve_operation(tool_name.strip(), ops), args or {}), True


def _loop_awm(st: _State, client: Any, model: str, session: Any, tools: list[Any], params: dict[str, Any],
              max_tokens: int | None, max_steps: int, history_window: int | None,
              on_step: Callable[[dict[str, Any]], None] | None) -> None:
    from workbench.llm.client import LLMCallError
    from workbench.trajectory.catalogue import render_catalogue

    catalogue = render_catalogue(tools)
    ops = {t.name for t in tools}
    for it in range(1, max_steps + 1):
        try:
            reply = _call_llm(st, client, model, _window(st, history_window), params, max_tokens)
        except LLMCallError as exc:
            st.stop_reason, st.finished = f"llm_error: {exc.reason}", False
            return
        st.turns = it
        content = reply.content or ""
        asst = {"role": "assistant", "content": content}
        st.openai_log.append(asst)
        st.messages.append(dict(asst))
        blocks, unclosed = find_tool_call_blocks(content)
        if not blocks:
            st.exchanges.append([asst])
            _ended_without_call(st, it, reply, content)
            _emit(on_step, st.steps[-1])
            return
        if unclosed:
            st.notes.append(f"iteration {it}: <tool_call> without </tool_call>; "
                            "the rest of the reply was read as the call")
        call_id = f"call_{int(time.time() * 1000)}_0"
        try:
            calls = parse_tool_call_block(blocks[0])
        except ValueError as exc:
            recorded: dict[str, Any] = {"id": call_id, "name": None, "arguments": blocks[0].strip()}
            obs = (f"Error: could not read the <tool_call> block ({exc}). Write one JSON object "
                   "{\"name\": ..., \"arguments\": ...} between <tool_call> and </tool_call>.")
            dropped = len(blocks) - 1
        else:
            name, arguments = calls[0]["name"], calls[0].get("arguments")
            if name.startswith(TOOL_PREFIX):
                arguments = {"tool_name": name, "arguments": arguments or {}}
                name = "call_tool"
            recorded = {"id": call_id, "name": name, "arguments": arguments}
            obs, executed = _awm_call(name, arguments, session, catalogue, ops)
            if executed:
                st.calls += 1
            dropped = len(blocks) - 1 + len(calls) - 1
        if dropped:
            st.notes.append(f"iteration {it}: {dropped} more tool call{'s' if dropped != 1 else ''} in the turn "
                            "ignored; only the first is executed (as AWM does)")
        step = {"iteration": it, "role": "assistant", "content": content, "tool_calls": [recorded],
                "tool_response": {"tool_call_id": call_id, "content": obs}}
        st.steps.append(step)
        result_msg = {"role": "user", "content": TOOL_RESPONSE_PREFIX + obs}
        st.openai_log.append(result_msg)
        st.messages.append({"role": "tool", "tool_call_id": call_id, "content": obs})
        st.exchanges.append([asst, result_msg])
        _emit(on_step, step)
    st.stop_reason, st.finished = "max_steps", False


# ---------------------------------------------------------------------- writing the run


def _finish(bundle_dir: Path, run_id: str, st: _State, bundle: Any, task_id: int, task: str, model: str,
            api_url: str, protocol: str, max_steps: int, temperature: float | None, max_tokens: int | None,
            history_window: int | None, timestamp: str, initial: bytes, session: Any, t0: float) -> AgentRunResult:
    try:
        final_db = session.snapshot().snapshot.data
    except Exception as exc:  # the database should always be readable; never lose the trajectory over it
        final_db = None
        st.notes.append(f"final.db could not be read: {type(exc).__name__}: {exc}")
    total_iterations = max_steps if st.stop_reason == "max_steps" else st.turns
    trajectory = {
        "scenario": bundle.name or bundle.slug, "task_id": task_id, "task": task, "model": model,
        "api_url": api_url,
        "max_iterations": max_steps, "temperature": temperature, "total_iterations": total_iterations,
        "timestamp": timestamp, "trajectory": st.steps, "messages": st.messages,
    }
    duration = (time.perf_counter() - t0) * 1000
    meta: dict[str, Any] = {
        "kind": "agent", "task_id": task_id, "model": model, "protocol": protocol, "steps": st.turns,
        "finished": st.finished, "stop_reason": st.stop_reason, "tool_calls": st.calls, "max_steps": max_steps,
        "history_window": history_window, "temperature": temperature, "max_tokens": max_tokens, "api_url": api_url,
        "started_at": timestamp, "duration_ms": round(duration, 1),
    }
    if st.notes:
        meta["notes"] = st.notes
    files = {
        "trajectory.json": json.dumps(trajectory, indent=4, ensure_ascii=False, default=str).encode("utf-8"),
        "openai_messages.json": json.dumps(st.openai_log, indent=2, ensure_ascii=False,
                                           default=str).encode("utf-8"),
        "run.json": (json.dumps(meta, indent=2, ensure_ascii=False) + "\n").encode("utf-8"),
        "initial.db": initial,
    }
    if final_db is not None:
        files["final.db"] = final_db
    run_dir = write_run_folder(bundle_dir / "runs", run_id, files)
    return AgentRunResult(run_id=run_dir.name, run_dir=run_dir, task_id=task_id, task=task, model=model,
                          protocol=protocol, api_url=api_url, steps=st.turns, tool_calls=st.calls,
                          finished=st.finished, stop_reason=st.stop_reason, final_answer=st.final,
                          duration_ms=duration, trajectory=trajectory, openai_messages=st.openai_log,
                          notes=st.notes)


def write_run_folder(runs_dir: Path, run_id: str, files: dict[str, bytes]) -> Path:
    """Write ``runs_dir/run_id/`` atomically: a temp folder beside it, then one rename. If the id was
    taken meanwhile, ``-2``, ``-3``... is appended rather than losing the run."""
    runs_dir.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".tmp-{run_id}-", dir=runs_dir))
    try:
        for name, data in files.items():
            with open(tmp / name, "wb") as fh:
                fh.write(data)
                fh.flush()
                os.fsync(fh.fileno())
        target, n = runs_dir / run_id, 1
        while True:
            try:
                if target.exists():
                    raise FileExistsError(target)
                os.rename(tmp, target)
                return target
            except FileExistsError:
                n += 1
                target = runs_dir / f"{run_id}-{n}"
            except OSError as exc:  # a non-empty directory appeared between the check and the rename
                if not target.exists():
                    raise exc from None
                n += 1
                target = runs_dir / f"{run_id}-{n}"
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
