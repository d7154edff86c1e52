"""Statuses the library shows per environment, read from files the core writes (UI-side glue)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any


def review_status(bundle_dir: Path) -> tuple[str, dict[str, Any]]:
    """``(label, details)``: the latest non-stale decision on the whole environment, and bug categories used."""
    try:
        from workbench.bundle.load import load_bundle
        from workbench.review.decisions import load_decisions
    except ImportError:
        return "-", {}
    if not (bundle_dir / "reviews.jsonl").is_file():
        return "none", {"categories": []}
    try:
        log = load_decisions(bundle_dir)
        bundle, _ = load_bundle(bundle_dir, with_runs=True)
        current = log.current(bundle)
    except Exception:
        return "?", {"categories": []}
    cats = sorted({d.category for d in log.decisions if getattr(d, "category", None)})
    env = current.get("env") if isinstance(current, dict) else None
    if env is None:
        label = f"{len(log.decisions)} notes"
    else:
        decision, stale = env if isinstance(env, tuple) else (env, False)
        label = decision.verdict + (" (stale)" if stale else "")
    return label, {"categories": cats, "count": len(log.decisions)}


def sanity_state(library: Path) -> dict[str, Any]:
    try:
        data = json.loads((Path(library) / ".workbench-sanity.json").read_text(encoding="utf-8"))
        return data if isinstance(data, dict) else {}
    except (OSError, ValueError):
        return {}
