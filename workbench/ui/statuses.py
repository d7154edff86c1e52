"""Statuses the library shows per environment, read from files the core writes (UI-side glue)."""

from __future__ import annotations

from pathlib import Path
from typing import Any


def review_status(bundle_dir: Path) -> tuple[str, dict[str, Any]]:
    """``(label, details)``: the latest decision on the whole environment (stale marked), the bug
    categories used in its decisions, and counts."""
    from workbench.review.decisions import load_decisions

    if not (bundle_dir / "reviews.jsonl").is_file():
        return "none", {"categories": [], "count": 0}
    try:
        log = load_decisions(bundle_dir)
        current = log.current(bundle_dir)
    except Exception:
        return "?", {"categories": [], "count": 0}
    cats = sorted({d.category for d in log.decisions if d.category})
    env = current.get("env")
    if env is None:
        label = f"{len(log.decisions)} notes" if len(log.decisions) else "none"
    else:
        label = env.decision.verdict + (" (stale)" if env.stale else "")
    if log.problems:
        label += " !"
    return label, {"categories": cats, "count": len(log.decisions), "problems": len(log.problems)}


def sanity_state(library: Path) -> dict[str, Any]:
    from workbench.verify.sanity import load_sanity_state

    return load_sanity_state(library)
