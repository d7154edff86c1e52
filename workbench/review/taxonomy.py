"""The review vocabulary: verdicts, bug categories, severities and what a decision can be about.

Bug categories follow the AWM paper's bug analysis. Their ids are stable (they are written to
``reviews.jsonl`` and to sample ``answer_key.json`` files); the labels are for people.

A *target* names the thing a decision judges, as a short string:

=====================  ==========================================================
``env``                the whole environment (the gate for ``export --accepted``)
``task:3``             task 3 (AWM ``task_idx``, the position in tasks.json)
``tool:create_ticket`` one tool (an operation id; it may be a tool that is missing)
``verifier:3:code``    the verifier of task 3 in mode ``code`` or ``sql``
``run:<run_id>``       one run under ``runs/<run_id>/``
``stage:schema``       one pipeline stage: scenario, tasks, schema, data, spec, server, verifiers
=====================  ==========================================================
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from workbench.bundle.model import STAGES, VERIFIER_MODES
from workbench.errors import WorkbenchError

VERDICTS: dict[str, str] = {
    "accept": "Accept",
    "reject": "Reject",
    "needs-fix": "Needs fix",
}

BUG_CATEGORIES: dict[str, str] = {
    "unhandled_edge_case": "Unhandled edge-case input",
    "db_constraint_conflict": "Database-constraint conflict",
    "missing_or_wrong_tool": "Missing or wrong tool",
    "data_misaligned": "Data misaligned with the task",
    "infeasible_task": "Infeasible or blocked task",
    "verifier_false_positive": "Verifier false positive",
    "verifier_false_negative": "Verifier false negative",
    "other": "Other",
}

CATEGORY_DESCRIPTIONS: dict[str, str] = {
    "unhandled_edge_case": "A tool crashes (HTTP 5xx) or misbehaves on an input it should handle: "
    "an empty result, a missing row, an unusual but valid value.",
    "db_constraint_conflict": "A write violates the database schema (NOT NULL, UNIQUE, CHECK, foreign key), "
    "or the sample data does not satisfy the schema's constraints.",
    "missing_or_wrong_tool": "The task needs a tool the environment does not offer, or a tool does "
    "something other than its name and spec say.",
    "data_misaligned": "The sample data does not contain what the task presupposes (the entity, the state, "
    "the numbers the task talks about).",
    "infeasible_task": "The task cannot be completed with the tools and data as they are.",
    "verifier_false_positive": "The verifier judges a run complete that did not do the task "
    "(for example the do-nothing run passes).",
    "verifier_false_negative": "The verifier judges a correct run incomplete.",
    "other": "Anything else; say what in the note.",
}

SEVERITIES: dict[str, str] = {
    "low": "Low",
    "medium": "Medium",
    "high": "High",
    "critical": "Critical",
}

TARGET_KINDS: dict[str, str] = {
    "env": "env",
    "task": "task:N",
    "tool": "tool:NAME",
    "verifier": "verifier:N:code|sql",
    "run": "run:RUN_ID",
    "stage": "stage:" + "|".join(STAGES),
}

TARGET_SYNTAX = ", ".join(TARGET_KINDS.values())


class ReviewError(WorkbenchError):
    """A review decision (or one of its fields) is invalid. ``field`` names the offending field."""

    title = "Invalid review decision"

    def __init__(self, field: str, message: str) -> None:
        self.field = field
        super().__init__(f"{field}: {message}")


_INT = re.compile(r"^[0-9]+$")


@dataclass(frozen=True)
class Target:
    """A parsed target. ``str(target)`` is its canonical form (``task:03`` becomes ``task:3``)."""

    kind: str
    task_idx: int | None = None
    name: str | None = None  # tool name, run id or stage
    mode: str | None = None  # verifier mode

    def __str__(self) -> str:
        if self.kind == "env":
            return "env"
        if self.kind == "task":
            return f"task:{self.task_idx}"
        if self.kind == "verifier":
            return f"verifier:{self.task_idx}:{self.mode}"
        return f"{self.kind}:{self.name}"


def _task_index(text: str, target: str) -> int:
    if not _INT.match(text):
        raise ReviewError("target",
                          f"a task index (0, 1, 2, ...) after the colon, got {text!r} in {target!r}")
    return int(text)


def parse_target(text: str | Target) -> Target:
    """Parse ``env``, ``task:N``, ``tool:NAME``, ``verifier:N:MODE``, ``run:ID`` or ``stage:NAME``.

    Raises ``ReviewError`` (field ``target``) saying what was expected.
    """
    if isinstance(text, Target):
        return text
    if not isinstance(text, str):
        raise ReviewError("target", f"a string like {TARGET_SYNTAX}; got {type(text).__name__}")
    raw = text.strip()
    if raw == "env":
        return Target("env")
    kind, sep, rest = raw.partition(":")
    if not sep or kind not in TARGET_KINDS or kind == "env":
        raise ReviewError("target", f"one of {TARGET_SYNTAX}; got {text!r}")
    if kind == "task":
        return Target("task", task_idx=_task_index(rest, raw))
    if kind == "verifier":
        idx, sep2, mode = rest.partition(":")
        if not sep2:
            modes = "|".join(VERIFIER_MODES)
            raise ReviewError("target", f"verifier:N:MODE with MODE one of {modes}; got {text!r}")
        if mode not in VERIFIER_MODES:
            modes = "|".join(VERIFIER_MODES)
            raise ReviewError("target", f"a verifier mode, one of {modes}; got {mode!r} in {text!r}")
        return Target("verifier", task_idx=_task_index(idx, raw), mode=mode)
    if kind == "stage":
        if rest not in STAGES:
            raise ReviewError("target", f"a stage, one of {'|'.join(STAGES)}; got {rest!r} in {text!r}")
        return Target("stage", name=rest)
    if kind == "tool":
        if not rest or any(c.isspace() for c in rest):
            raise ReviewError("target",
                              f"tool:NAME with NAME a tool's operation id (no spaces); got {text!r}")
        return Target("tool", name=rest)
    # run
    if not rest or "/" in rest or "\\" in rest or rest.startswith(".") or rest != rest.strip():
        raise ReviewError("target", f"run:RUN_ID with RUN_ID a folder name under runs/; got {text!r}")
    return Target("run", name=rest)
