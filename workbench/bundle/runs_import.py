"""Import AWM agent run folders (``trajectory.json``, ``initial.db``, ``final.db``, ``verify.*.json``)."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

from workbench.bundle import model as m
from workbench.bundle.names import normalize_scenario_name, safe_child
from workbench.fsutil import dump_json

RUN_FILES = ("trajectory.json", "initial.db", "final.db", "verify.sql.json", "verify.code.json", "server_code.py", "server.log")


class RunImportError(Exception):
    pass


def import_run_folder(run_dir: Path, library: Path, *, kind: str = "agent", run_id: str | None = None) -> tuple[str, str]:
    """Copy one AWM run folder into the bundle its ``trajectory.json`` names; return ``(slug, run_id)``."""
    traj_path = run_dir / "trajectory.json"
    if not traj_path.is_file():
        raise RunImportError(f"{run_dir}: no trajectory.json")
    try:
        traj = json.loads(traj_path.read_text(encoding="utf-8"))
    except (ValueError, UnicodeDecodeError) as exc:
        raise RunImportError(f"{traj_path}: not valid JSON ({exc})") from exc
    if not isinstance(traj, dict):
        raise RunImportError(f"{traj_path}: (root): a JSON object")
    scenario = traj.get("scenario")
    if not isinstance(scenario, str) or not scenario:
        raise RunImportError(f"{traj_path}: scenario: a scenario name (AWM writes null for --mcp_url runs; verify cannot use them)")
    task_id = traj.get("task_id")
    if not isinstance(task_id, int) or isinstance(task_id, bool):
        raise RunImportError(f"{traj_path}: task_id: an integer, got {task_id!r}")
    slug = normalize_scenario_name(scenario)
    bundle = safe_child(library, slug) if slug else None
    if bundle is None or not (bundle / m.ENV_FILE).is_file():
        raise RunImportError(f"{traj_path}: scenario: {scenario!r} names no bundle in {library}")
    rid = run_id or re.sub(r"[^A-Za-z0-9_.-]", "_", run_dir.name).strip(".") or "run"
    from workbench.trajectory.writer import staged_run_dir

    with staged_run_dir(bundle, rid, RunImportError) as tmp:
        for name in RUN_FILES:
            if (run_dir / name).is_file():
                shutil.copy2(run_dir / name, tmp / name)
        meta = {"kind": kind, "task_id": task_id, "source": str(run_dir), "model": traj.get("model")}
        (tmp / "run.json").write_text(dump_json(meta), encoding="utf-8")
    return slug, rid


def import_run_folders(agents_dir: Path, library: Path, report) -> None:
    """Import every run folder under ``agents_dir``; problems go into the import report."""
    from workbench.bundle.awm_import import Note

    for d in sorted(p for p in agents_dir.iterdir() if p.is_dir()):
        try:
            slug, rid = import_run_folder(d, library)
            report.file_notes.append(Note("info", str(d), "(run)", f"imported as {slug}/runs/{rid}"))
        except (RunImportError, ValueError) as exc:
            report.file_notes.append(Note("error", str(d), "(run)", str(exc)))
