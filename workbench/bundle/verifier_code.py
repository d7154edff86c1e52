"""How AWM finds a verifier's function, and how we tell the two verifier modes apart."""

from __future__ import annotations

import json
import re

_PARAMS = re.compile(r"def\s+(\w+)\s*\(([^)]*)\)", re.S)


def detect_function_name(code: str | None, mode: str) -> str:
    """AWM's rule: the first line that, stripped, starts with ``def verify_`` and contains ``(``."""
    if code:
        for line in code.splitlines():
            s = line.strip()
            if s.startswith("def verify_") and "(" in s:
                return s[len("def "): s.index("(")].strip()
    return "verify_task_completion" if mode == "code" else "verify_task"


def guess_mode(code: str | None, raw_response: str | None, source: str) -> str:
    """``code`` or ``sql``: from the function name, then its parameters, then the model's answer, then the file."""
    name = detect_function_name(code, "sql") if code else ""
    if name == "verify_task_completion":
        return "code"
    if name == "verify_task":
        return "sql"
    if code:
        for m in _PARAMS.finditer(code):
            if m.group(1) == name:
                return "code" if "final_answer" in m.group(2) else "sql"
    if raw_response:
        try:
            answer = json.loads(raw_response)
        except (ValueError, TypeError):
            answer = None
        if isinstance(answer, dict):
            if answer.get("function_name") == "verify_task_completion" or "verification_strategy" in answer:
                return "code"
            if answer.get("function_name") == "verify_task" or "success_criteria" in answer:
                return "sql"
    return "code" if source == "gen_verifier.pure_code" else "sql"


def criteria_from_raw(raw_response: str | None) -> dict:
    """The reasoning and criteria AWM kept only inside ``raw_response``, when it parses."""
    if not raw_response:
        return {}
    try:
        answer = json.loads(raw_response)
    except (ValueError, TypeError):
        return {}
    if not isinstance(answer, dict):
        return {}
    keep = ("success_criteria", "failure_criteria", "verification_strategy", "key_checks")
    return {k: answer[k] for k in keep if k in answer}
