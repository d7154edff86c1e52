"""Write runs in AWM's ``trajectory.json`` format (awm-format.md §4.3), e.g. for human and forked runs."""

from __future__ import annotations

import json
import os
import shutil
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from workbench.fsutil import dump_json
from workbench.trajectory.awm_trajectory import agent_tool_name


@dataclass
class CallRecord:
    tool: str
    arguments: dict[str, Any]
    observation: str  # as the agent sees it ("Error: ..." on errors)
    thought: str = ""


def build_trajectory(scenario: str, task_id: int | None, task: str, calls: list[CallRecord], final_answer: str,
                     *, model: str = "human", timestamp: str | None = None, system_prompt: str = "") -> dict[str, Any]:
    """An AWM trajectory dict: one ``call_tool`` step per call, then the final answer."""
    timestamp = timestamp or time.strftime("%Y%m%d_%H%M%S")
    steps: list[dict[str, Any]] = []
    messages: list[dict[str, Any]] = []
    if system_prompt:
        messages.append({"role": "system", "content": system_prompt})
    messages.append({"role": "user", "content": task})
    for i, c in enumerate(calls, start=1):
        call_id = f"call_{i}_0"
        inner = {"tool_name": agent_tool_name(c.tool), "arguments": json.dumps(c.arguments, ensure_ascii=False)}
        content = (c.thought + "\n" if c.thought else "") + "<tool_call>\n" + json.dumps(
            {"name": "call_tool", "arguments": inner}, ensure_ascii=False) + "\n</tool_call>"
        steps.append({"iteration": i, "role": "assistant", "content": content,
                      "tool_calls": [{"id": call_id, "name": "call_tool", "arguments": inner}],
                      "tool_response": {"tool_call_id": call_id, "content": c.observation}})
        messages.append({"role": "assistant", "content": content})
        messages.append({"role": "tool", "tool_call_id": call_id, "content": c.observation})
    steps.append({"iteration": len(calls) + 1, "role": "assistant", "content": final_answer, "tool_calls": [],
                  "is_final": True})
    messages.append({"role": "assistant", "content": final_answer})
    return {"scenario": scenario, "task_id": task_id, "task": task, "model": model, "api_url": "",
            "max_iterations": max(30, len(calls) + 1), "temperature": 0.0, "total_iterations": len(calls) + 1,
            "timestamp": timestamp, "trajectory": steps, "messages": messages}


@contextmanager
def staged_run_dir(bundle_dir: Path, run_id: str, exists_error: type[Exception] = FileExistsError) -> Iterator[Path]:
    """A temp folder inside ``runs/`` that becomes ``runs/<run_id>/`` when the block succeeds and
    vanishes when it fails: a run folder is never half-written, and an existing run is never replaced."""
    from workbench.bundle.names import safe_child

    runs = Path(bundle_dir) / "runs"
    runs.mkdir(exist_ok=True)
    target = safe_child(runs, run_id)
    if target.exists():
        raise exists_error(f"{target}: a run with this id already exists")
    tmp = Path(tempfile.mkdtemp(prefix=f".run-{run_id}-", dir=runs))
    try:
        yield tmp
        os.replace(tmp, target)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise


def write_run(bundle_dir: Path, run_id: str, trajectory: dict[str, Any], meta: dict[str, Any],
              initial_db: bytes | None = None, final_db: bytes | None = None) -> Path:
    """Write ``runs/<run_id>/`` atomically (temp folder, then rename); refuse to overwrite a run."""
    with staged_run_dir(Path(bundle_dir), run_id) as tmp:
        (tmp / "trajectory.json").write_text(json.dumps(trajectory, indent=4, ensure_ascii=False), encoding="utf-8")
        (tmp / "run.json").write_text(dump_json(meta), encoding="utf-8")
        if initial_db is not None:
            (tmp / "initial.db").write_bytes(initial_db)
        if final_db is not None:
            (tmp / "final.db").write_bytes(final_db)
    return Path(bundle_dir) / "runs" / run_id


def new_run_id(prefix: str, task_id: int | None) -> str:
    stamp = time.strftime("%Y%m%d-%H%M%S")
    suffix = f"-task-{task_id:02d}" if isinstance(task_id, int) else ""
    return f"{prefix}-{stamp}{suffix}-{os.getpid() % 1000:03d}{int(time.time() * 1000) % 1000:03d}"
