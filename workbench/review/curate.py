"""``workbench export LIBRARY OUT --accepted``: only reviewed-and-accepted environments and tasks.

Policy (also written into every ``manifest.json`` under ``"policy"``):

**Environments.** An environment is exported when its *latest* ``env`` decision (file order in
``reviews.jsonl``) is ``accept`` and that accept is not stale, i.e. the environment's combined
hash (every artifact plus ``reference_time``; runs excluded) is the one the reviewer judged. A
later reject or needs-fix always wins, even when it is itself stale: we do not fall back to an
older accept. Not exported, with the reason in the manifest: ``no_decision``, ``rejected``,
``needs_fix``, ``stale_accept`` (edited after the accept: review it again),
``unreadable_reviews`` (a torn or garbled line *after* the accept in ``reviews.jsonl``: it may
hold a later decision we cannot read, so record a new decision to confirm),
``unreadable_bundle`` (no usable env.json) and ``changed_during_export`` (the files changed
between the check and the write; the export re-checks the hash of the very content it writes).

**Tasks.** Within an exported environment, task N is excluded when the latest decision about
``task:N``, or about one of its verifiers ``verifier:N:code`` / ``verifier:N:sql``, is reject or
needs-fix (a rejected verifier gives wrong rewards, so its task cannot be used either). Stale
rejections still exclude: a rejection is lifted only by a newer accept of that target, never
by editing the artifact, because an edit is not a review. Since the env accept must be fresh,
any task edited after its rejection was also looked at again as part of the environment; the
manifest marks such rejections ``"stale": true`` so that the reviewer knows to re-judge the task.
Tasks with no decision are kept (the env accept covers them).

**gen_tasks.** Excluded tasks are *not* removed from the environment's ``gen_tasks`` record: it
is one record holding the list of tasks, and a task's position in that list *is* its
``task_idx``, which every ``gen_verifier`` row (and every run, and AWM's lookups) uses to refer to
it. Removing an entry would silently renumber every later task and attach their verifiers to the
wrong task text. So ``gen_tasks`` is written unchanged, the excluded tasks' verifier rows are
dropped from ``gen_verifier.jsonl`` / ``gen_verifier.pure_code.jsonl``, and the manifest lists
each environment's ``excluded_tasks``. A consumer must skip tasks that have no verifier row (or
consult the manifest).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from workbench.bundle.awm_export import export_library
from workbench.bundle.hashing import artifact_hashes
from workbench.bundle.load import iter_bundle_dirs, load_bundle
from workbench.bundle.model import Bundle
from workbench.errors import BundleError, ExportFailure
from workbench.fsutil import atomic_write_json
from workbench.review.decisions import (
    BLOCKING_VERDICTS,
    Decision,
    DecisionLog,
    artifact_key_for,
    load_decisions,
    review_hashes,
)

MANIFEST_FILE = "manifest.json"
MANIFEST_FORMAT = "awm-workbench/curated-export@1"
VERIFIER_FILES = ("gen_verifier", "gen_verifier.pure_code")

POLICY = {
    "environment": "exported when its latest 'env' decision is accept and not stale "
    "(the environment's combined hash is the one judged); a later reject or needs-fix always wins",
    "tasks": "task N is excluded when the latest decision on task:N or verifier:N:code|sql is reject or "
    "needs-fix, stale or not (only a newer accept lifts a rejection)",
    "gen_tasks": "written unchanged (a task's position is its task_idx, which verifier rows refer to); "
    "excluded tasks lose their verifier rows and are listed under excluded_tasks",
}

REASONS = {
    "no_decision": "no review decision on 'env'",
    "rejected": "the latest 'env' decision is reject",
    "needs_fix": "the latest 'env' decision is needs-fix",
    "stale_accept": "accepted, but the environment changed after the accept; review it again",
    "unreadable_reviews": "reviews.jsonl has unreadable lines after the accept; "
    "record a new decision to confirm",
    "unreadable_bundle": "the bundle cannot be read",
    "changed_during_export": "the environment changed while it was being exported; export again",
}


@dataclass
class CurateReport:
    out_dir: Path
    manifest_path: Path
    exported: list[dict[str, Any]] = field(default_factory=list)  # manifest "environments" entries
    not_exported: list[dict[str, Any]] = field(default_factory=list)  # manifest "not_exported" entries
    files: dict[str, int] = field(default_factory=dict)  # file name -> records written
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    def to_json(self) -> dict[str, Any]:
        return {
            "out_dir": str(self.out_dir),
            "manifest": str(self.manifest_path),
            "files": self.files,
            "exported": [
                {"slug": e["slug"], "bundle": e["bundle"],
                 "excluded_tasks": [t["task_idx"] for t in e["excluded_tasks"]]}
                for e in self.exported
            ],
            "not_exported": [
                {"slug": e["slug"], "bundle": e["bundle"], "reason": e["reason"], "detail": e["detail"]}
                for e in self.not_exported
            ],
            "problems": self.problems,
        }


def _decision_json(line: int, d: Decision, stale: bool) -> dict[str, Any]:
    return dict(d.to_json(), line=line, stale=stale)


@dataclass
class _Candidate:
    dir: Path
    entry: dict[str, Any]
    env_hash: str
    excluded: set[int]
    records: dict[str, int] = field(default_factory=dict)
    checked: bool | None = None  # None until the export's own load of the bundle is re-hashed


def _judge(d: Path, bundle: Bundle, log: DecisionLog) -> tuple[dict[str, Any], _Candidate | None]:
    """Apply the policy to one bundle: a manifest entry, and a candidate when it is admitted."""
    hashes = review_hashes(bundle)
    latest = log.latest_entries()
    base = {"slug": bundle.slug, "name": bundle.name, "bundle": d.name}
    problems = [{"line": ln, "message": msg} for ln, msg in log.problems]

    def stale(target: str, dec: Decision) -> bool:
        return hashes.get(artifact_key_for(target)) != dec.artifact_hash

    env = latest.get("env")
    if env is None:
        return dict(base, reason="no_decision", detail=REASONS["no_decision"], decision=None,
                    review_log_problems=problems), None
    line, dec = env
    env_stale = stale("env", dec)
    djson = _decision_json(line, dec, env_stale)
    if dec.verdict != "accept":
        reason = "rejected" if dec.verdict == "reject" else "needs_fix"
        detail = f"{REASONS[reason]} (line {line}, {dec.reviewer}, {dec.time})"
        if dec.note:
            detail += f": {dec.note}"
        if env_stale:
            detail += "; the environment has changed since, so it may be worth reviewing again"
        return dict(base, reason=reason, detail=detail, decision=djson, review_log_problems=problems), None
    if env_stale:
        detail = (f"{REASONS['stale_accept']} (accepted on line {line} by {dec.reviewer} at {dec.time} "
                  f"with hash {dec.artifact_hash}; now {hashes['env']})")
        return dict(base, reason="stale_accept", detail=detail, decision=djson,
                    review_log_problems=problems), None
    later = [p for p in log.problems if p[0] > line]
    if later:
        where = ", ".join(str(ln) for ln, _ in later)
        detail = f"{REASONS['unreadable_reviews']} (accept on line {line}; unreadable line(s) {where})"
        return dict(base, reason="unreadable_reviews", detail=detail, decision=djson,
                    review_log_problems=problems), None

    excluded_tasks: list[dict[str, Any]] = []
    excluded: set[int] = set()
    reviewers = {dec.reviewer}
    for idx, task in enumerate(bundle.tasks or []):
        blocking = []
        for target in (f"task:{idx}", f"verifier:{idx}:code", f"verifier:{idx}:sql"):
            if target in latest and latest[target][1].verdict in BLOCKING_VERDICTS:
                tl, td = latest[target]
                blocking.append(_decision_json(tl, td, stale(target, td)))
                reviewers.add(td.reviewer)
        if blocking:
            excluded.add(idx)
            excluded_tasks.append({"task_idx": idx, "task": task.get("task"), "decisions": blocking})
    findings = []
    for target, (tl, td) in latest.items():
        if td.verdict in BLOCKING_VERDICTS and td.parsed_target.kind in ("tool", "stage", "run"):
            findings.append(_decision_json(tl, td, stale(target, td)))
    entry = dict(
        base,
        env_hash=hashes["env"],
        artifact_hashes=artifact_hashes(bundle),
        admitted_by=djson,
        excluded_tasks=excluded_tasks,
        open_findings=findings,
        reviewers=sorted(reviewers),
        records={},
        review_log_problems=problems,
    )
    return entry, _Candidate(dir=d, entry=entry, env_hash=hashes["env"], excluded=excluded)


def _file_sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return "sha256:" + h.hexdigest()


def export_accepted(
    library: Path | str,
    out_dir: Path | str,
    *,
    progress: Callable[[int, int, str], None] | None = None,
    now: datetime | None = None,
) -> CurateReport:
    """Write AWM JSONL for the accepted environments (minus excluded tasks) and ``manifest.json``.

    Raises ``ExportFailure`` when ``library`` is not a folder or the files cannot be written.
    ``report.problems`` lists bundle validation errors of exported environments.
    """
    library, out_dir = Path(library), Path(out_dir)
    if not library.is_dir():
        raise ExportFailure(f"{library}: not a library folder or an environment bundle")
    report = CurateReport(out_dir=out_dir, manifest_path=out_dir / MANIFEST_FILE)
    candidates: list[_Candidate] = []
    for d in iter_bundle_dirs(library):
        try:
            bundle, _ = load_bundle(d, with_runs=False)
        except BundleError as exc:
            report.not_exported.append({"slug": d.name, "name": None, "bundle": d.name,
                                        "reason": "unreadable_bundle",
                                        "detail": f"{REASONS['unreadable_bundle']}: {exc}", "decision": None,
                                        "review_log_problems": []})
            continue
        try:
            log = load_decisions(d)
        except OSError as exc:
            report.not_exported.append({"slug": bundle.slug, "name": bundle.name, "bundle": d.name,
                                        "reason": "unreadable_reviews",
                                        "detail": f"reviews.jsonl cannot be read: {exc}", "decision": None,
                                        "review_log_problems": []})
            continue
        entry, cand = _judge(d, bundle, log)
        if cand is None:
            report.not_exported.append(entry)
        else:
            candidates.append(cand)

    by_path = {c.dir: c for c in candidates}

    def keep(bundle: Bundle, file: str, task_idx: int | None) -> bool:
        cand = by_path.get(bundle.path)
        if cand is None:  # not a bundle we admitted (cannot happen with bundle_dirs); be safe
            return False
        if cand.checked is None:
            # Re-hash exactly the content the export is writing: it must be what was accepted.
            cand.checked = review_hashes(bundle)["env"] == cand.env_hash
        if not cand.checked:
            return False
        if file in VERIFIER_FILES and task_idx in cand.excluded:
            return False
        name = f"{file}.jsonl"
        cand.records[name] = cand.records.get(name, 0) + 1
        return True

    export = export_library(library, out_dir, bundle_dirs=[c.dir for c in candidates], keep=keep,
                            progress=progress)
    report.problems.extend(export.problems)
    report.files = dict(export.files)
    pure = out_dir / "gen_verifier.pure_code.jsonl"
    if "gen_verifier.pure_code.jsonl" not in export.files and pure.exists():
        pure.unlink()  # left by an earlier export; it would not belong to this curated set

    for cand in candidates:
        if cand.checked is False:
            e = cand.entry
            report.not_exported.append({"slug": e["slug"], "name": e["name"], "bundle": e["bundle"],
                                        "reason": "changed_during_export",
                                        "detail": REASONS["changed_during_export"],
                                        "decision": e["admitted_by"],
                                        "review_log_problems": e["review_log_problems"]})
        else:
            cand.entry["records"] = dict(sorted(cand.records.items()))
            report.exported.append(cand.entry)

    created = (now or datetime.now(timezone.utc))
    if created.tzinfo is None:
        created = created.replace(tzinfo=timezone.utc)
    manifest = {
        "format": MANIFEST_FORMAT,
        "created": created.astimezone(timezone.utc).isoformat(timespec="seconds").replace("+00:00", "Z"),
        "library": str(library.resolve()),
        "policy": POLICY,
        "files": {name: {"records": n, "sha256": _file_sha256(out_dir / name)}
                  for name, n in report.files.items()},
        "environments": report.exported,
        "not_exported": report.not_exported,
        "problems": report.problems,
    }
    try:
        atomic_write_json(report.manifest_path, manifest)
    except OSError as exc:
        raise ExportFailure(f"writing {report.manifest_path} failed: {exc}") from exc
    return report
