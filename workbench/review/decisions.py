"""Review decisions, stored append-only in a bundle's ``reviews.jsonl`` (one JSON object per line).

A decision records who judged what, when, with which verdict, and the content hash of the artifact
as it was judged (``artifact_hash``). When the artifact changes afterwards the decision is *stale*:
it is still shown, but it no longer vouches for the artifact.

Writing (``record_decision`` / ``append_decision``) is safe against

* two workbench processes appending at once: the file is opened with ``O_APPEND`` and held under
  ``flock(LOCK_EX)``; each record goes out in a single ``os.write`` and is fsynced before the lock
  is released;
* a writer killed mid-line (by anything that did not follow this protocol, or by a power cut):
  when the file does not end with a newline, the next append first writes one, so the torn
  fragment stays on its own line, is reported by ``load_decisions`` with its line number, and the
  new record is not glued to it.

Nothing in this module rewrites or truncates ``reviews.jsonl``. Readers take ``flock(LOCK_SH)`` so
that they do not see a record that is being written (waiting at most 5 s for a wedged writer, whose
unfinished line is then reported as torn).

Reading (``load_decisions``) never raises for bad content and never drops a line silently: every
torn, garbled or invalid line is returned in ``DecisionLog.problems`` as ``(line_no, message)``.
Write-time validation is stricter than read-time validation (a reject must name a bug category
when written; a reject without one that some other tool wrote is still loaded, since dropping a
reject would be the dangerous mistake).
"""

from __future__ import annotations

import fcntl
import json
import os
import time
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from workbench.bundle.hashing import artifact_hashes, sha256_json
from workbench.bundle.load import load_bundle
from workbench.bundle.model import REVIEWS_FILE, VERIFIERS_INDEX, Bundle
from workbench.review.taxonomy import (
    BUG_CATEGORIES,
    SEVERITIES,
    VERDICTS,
    ReviewError,
    Target,
    parse_target,
)

__all__ = [
    "Decision",
    "DecisionLog",
    "CurrentDecision",
    "ReviewError",
    "artifact_key_for",
    "review_hashes",
    "current_artifact_hash",
    "record_decision",
    "make_decision",
    "append_decision",
    "load_decisions",
    "is_stale",
    "default_reviewer",
    "reviews_path",
]

# Verdicts that keep an artifact out of a curated export.
BLOCKING_VERDICTS = ("reject", "needs-fix")

_FIELDS = (
    "id", "time", "reviewer", "target", "verdict", "category", "severity", "blocks_task", "note",
    "artifact_hash",
)


@dataclass(frozen=True)
class Decision:
    """One review decision, exactly as stored on one line of ``reviews.jsonl``."""

    target: str  # canonical target string (see ``workbench.review.taxonomy``)
    verdict: str  # accept | reject | needs-fix
    category: str | None  # a BUG_CATEGORIES id
    severity: str | None  # low | medium | high | critical
    blocks_task: bool
    note: str
    reviewer: str
    time: str  # UTC, ISO 8601, e.g. 2026-03-02T09:00:00.000Z
    artifact_hash: str | None  # "sha256:<hex>" of the judged artifact; None if it did not exist
    id: str

    @property
    def parsed_target(self) -> Target:
        return parse_target(self.target)

    def to_json(self) -> dict[str, Any]:
        return {k: getattr(self, k) for k in _FIELDS}

    def to_line(self) -> bytes:
        """The record as one line of UTF-8 JSON ending in a newline (no newline inside)."""
        return (json.dumps(self.to_json(), ensure_ascii=False) + "\n").encode("utf-8")

    @classmethod
    def from_json(cls, obj: Any) -> tuple[Decision, list[str]]:
        """Read a stored record. Raises ``ReviewError`` when it cannot be used as a decision;
        returns warnings for oddities that do not stop it from being one (an unknown category)."""
        if not isinstance(obj, dict):
            raise ReviewError("(record)", f"a JSON object, got {type(obj).__name__}")
        warnings: list[str] = []
        for key in ("id", "time", "reviewer", "target", "verdict"):
            if key not in obj:
                raise ReviewError(key, "a value (the field is missing)")
        target = str(parse_target(obj["target"]))
        verdict = obj["verdict"]
        if verdict not in VERDICTS:
            raise ReviewError("verdict", f"one of {', '.join(VERDICTS)}; got {verdict!r}")
        category = obj.get("category")
        if category is not None and not isinstance(category, str):
            raise ReviewError("category", f"a category id or null; got {category!r}")
        if category is not None and category not in BUG_CATEGORIES:
            warnings.append(f"category: unknown id {category!r} (kept as is)")
        severity = obj.get("severity")
        if severity is not None and not isinstance(severity, str):
            raise ReviewError("severity", f"a severity or null; got {severity!r}")
        if severity is not None and severity not in SEVERITIES:
            warnings.append(f"severity: unknown value {severity!r} (kept as is)")
        blocks = obj.get("blocks_task", False)
        if not isinstance(blocks, bool):
            raise ReviewError("blocks_task", f"true or false; got {blocks!r}")
        note = obj.get("note", "")
        if not isinstance(note, str):
            raise ReviewError("note", f"a string; got {type(note).__name__}")
        for key in ("id", "reviewer", "time"):
            if not isinstance(obj[key], str) or not obj[key]:
                raise ReviewError(key, f"a non-empty string; got {obj[key]!r}")
        try:
            datetime.fromisoformat(obj["time"])
        except ValueError:
            raise ReviewError("time", f"an ISO 8601 time; got {obj['time']!r}") from None
        h = obj.get("artifact_hash")
        if h is not None and (not isinstance(h, str) or not h):
            raise ReviewError("artifact_hash", f"a 'sha256:<hex>' string or null; got {h!r}")
        d = cls(
            target=target,
            verdict=verdict,
            category=category,
            severity=severity,
            blocks_task=blocks,
            note=note,
            reviewer=obj["reviewer"],
            time=obj["time"],
            artifact_hash=h,
            id=obj["id"],
        )
        return d, warnings


# ---------------------------------------------------------------------------------------------
# Which hash a target cites


def artifact_key_for(target: str | Target) -> str:
    """The key in ``review_hashes(bundle)`` whose hash a decision about ``target`` cites.

    ``env`` -> ``"env"`` (every artifact combined), ``task:3`` -> ``"task:3"``, ``tool:X`` ->
    ``"server"`` (the tool is code in server.py), ``verifier:3:code`` -> ``"verifier:3:code"``,
    ``run:ID`` -> ``"run:ID"``, ``stage:tasks`` -> ``"tasks"`` (all tasks combined),
    ``stage:verifiers`` -> ``"verifiers"`` (all active verifiers combined), any other
    ``stage:S`` -> ``"S"`` (``scenario``, ``schema``, ``data``, ``spec``, ``server``).
    Keys other than ``env``, ``tasks`` and ``verifiers`` are the keys of ``artifact_hashes``.
    """
    t = parse_target(target)
    if t.kind == "env":
        return "env"
    if t.kind == "tool":
        return "server"
    if t.kind == "stage":
        assert t.name is not None
        return t.name
    return str(t)  # task:N, verifier:N:mode, run:ID


def _combine(pairs: list[tuple[str, Any]]) -> str:
    return "sha256:" + sha256_json([list(p) for p in pairs])


def _task_key_order(key: str) -> tuple:
    parts = key.split(":")
    return tuple((0, int(p), "") if p.isdigit() else (1, 0, p) for p in parts)


def review_hashes(bundle: Bundle) -> dict[str, str]:
    """``artifact_hashes(bundle)`` plus the combined keys ``env``, ``tasks`` and ``verifiers``.

    ``env`` covers every artifact that makes up the environment (scenario, tasks, schema, data,
    spec, server, verifiers) and its ``reference_time`` (which decides the built database's
    contents). Runs are *not* part of it: recording a new run does not make an accept stale.
    """
    hashes = artifact_hashes(bundle)
    out = dict(hashes)
    if bundle.tasks is not None:
        out["tasks"] = _combine(sorted(((k, v) for k, v in hashes.items() if k.startswith("task:")),
                                       key=lambda kv: _task_key_order(kv[0])))
    verifier_pairs = sorted(((k, v) for k, v in hashes.items() if k.startswith("verifier:")),
                            key=lambda kv: _task_key_order(kv[0]))
    if verifier_pairs or (bundle.path / VERIFIERS_INDEX).is_file():
        out["verifiers"] = _combine(verifier_pairs)
    env_pairs = sorted(((k, v) for k, v in hashes.items() if not k.startswith("run:")),
                       key=lambda kv: _task_key_order(kv[0]))
    env_pairs.append(("reference_time", bundle.env.get("reference_time")))
    out["env"] = _combine(env_pairs)
    return out


def current_artifact_hash(bundle: Bundle, target: str | Target) -> str | None:
    """The hash a decision about ``target`` would cite now; ``None`` when the artifact is absent."""
    return review_hashes(bundle).get(artifact_key_for(target))


def is_stale(decision: Decision, bundle: Bundle, *, hashes: dict[str, str] | None = None) -> bool:
    """True when the artifact the decision judged has changed (or appeared, or disappeared) since.

    For ``run:`` targets pass a bundle loaded with its runs. ``hashes`` (from ``review_hashes``)
    saves recomputing them for many decisions.
    """
    if hashes is None:
        hashes = review_hashes(bundle)
    return hashes.get(artifact_key_for(decision.target)) != decision.artifact_hash


# ---------------------------------------------------------------------------------------------
# Writing


def reviews_path(bundle_dir: Path | str) -> Path:
    return Path(bundle_dir) / REVIEWS_FILE


def default_reviewer() -> str:
    """``$WORKBENCH_REVIEWER``, else ``$USER``, else ``"unknown"``."""
    for var in ("WORKBENCH_REVIEWER", "USER"):
        value = (os.environ.get(var) or "").strip()
        if value:
            return value
    return "unknown"


def _utc_time(now: datetime | None) -> str:
    if now is None:
        now = datetime.now(timezone.utc)
    elif not isinstance(now, datetime):
        raise ReviewError("now", f"a datetime; got {type(now).__name__}")
    elif now.tzinfo is None:
        now = now.replace(tzinfo=timezone.utc)  # naive times are taken to be UTC
    return now.astimezone(timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _one_of(field_name: str, value: Any, allowed: dict[str, str], *, optional: bool) -> None:
    if value is None and optional:
        return
    if not isinstance(value, str) or value not in allowed:
        extra = " (or none)" if optional else ""
        raise ReviewError(field_name, f"one of {', '.join(allowed)}{extra}; got {value!r}")


def make_decision(
    target: str | Target,
    verdict: str,
    *,
    artifact_hash: str | None,
    category: str | None = None,
    severity: str | None = None,
    blocks_task: bool = False,
    note: str = "",
    reviewer: str | None = None,
    now: datetime | None = None,
) -> Decision:
    """Validate the fields and build a ``Decision`` (not written). Raises ``ReviewError`` naming the field.

    Rules: ``verdict`` is accept, reject or needs-fix; reject and needs-fix must name a bug
    ``category`` (``other`` when none fits); ``category``/``severity`` are ids from the taxonomy
    or None; ``blocks_task`` is a bool and cannot be true on an accept; ``note`` is a string;
    the reviewer is non-empty.
    """
    t = parse_target(target)
    _one_of("verdict", verdict, VERDICTS, optional=False)
    _one_of("category", category, BUG_CATEGORIES, optional=True)
    _one_of("severity", severity, SEVERITIES, optional=True)
    if verdict in BLOCKING_VERDICTS and category is None:
        raise ReviewError(
            "category",
            f"required when the verdict is {verdict!r}: one of {', '.join(BUG_CATEGORIES)} "
            "('other' if none fits)",
        )
    if not isinstance(blocks_task, bool):
        raise ReviewError("blocks_task", f"true or false; got {blocks_task!r}")
    if blocks_task and verdict == "accept":
        raise ReviewError("blocks_task",
                          "false for an accept (a problem that blocks the task is a reject or needs-fix)")
    if not isinstance(note, str):
        raise ReviewError("note", f"a string; got {type(note).__name__}")
    if reviewer is None:
        reviewer = default_reviewer()
    if not isinstance(reviewer, str) or not reviewer.strip():
        raise ReviewError("reviewer", f"a non-empty name; got {reviewer!r}")
    if artifact_hash is not None and (not isinstance(artifact_hash, str) or not artifact_hash):
        raise ReviewError("artifact_hash", f"a 'sha256:<hex>' string or None; got {artifact_hash!r}")
    return Decision(
        target=str(t),
        verdict=verdict,
        category=category,
        severity=severity,
        blocks_task=blocks_task,
        note=note,
        reviewer=reviewer.strip(),
        time=_utc_time(now),
        artifact_hash=artifact_hash,
        id=uuid.uuid4().hex,
    )


def _check_target_exists(bundle: Bundle, t: Target) -> None:
    """Tasks and runs must exist; tools, verifiers and stages may be absent (a decision can say so)."""
    if t.kind in ("task", "verifier"):
        assert t.task_idx is not None
        if bundle.tasks is None:
            raise ReviewError("target", f"{t}: a task of tasks.json, but this bundle has no tasks.json")
        n = len(bundle.tasks)
        if t.task_idx >= n:
            span = f"0..{n - 1}" if n else "none: tasks.json is empty"
            raise ReviewError("target", f"{t}: a task index of tasks.json ({span})")
    elif t.kind == "run":
        if not (bundle.path / "runs" / str(t.name)).is_dir():
            have = ", ".join(r.run_id for r in bundle.runs) or "none"
            raise ReviewError("target", f"{t}: a run folder under runs/ (runs: {have})")


def record_decision(
    bundle_dir: Path | str,
    target: str | Target,
    verdict: str,
    *,
    category: str | None = None,
    severity: str | None = None,
    blocks_task: bool = False,
    note: str = "",
    reviewer: str | None = None,
    now: datetime | None = None,
) -> Decision:
    """Judge ``target`` of the bundle at ``bundle_dir`` as it is now and append the decision.

    The artifact hash is computed from the bundle's current files. Raises ``ReviewError`` (with
    ``.field``) for invalid input, ``BundleError`` when ``bundle_dir`` is not a bundle, ``OSError``
    when the file cannot be written. Reviewer: ``reviewer`` > ``$WORKBENCH_REVIEWER`` > ``$USER``
    > ``"unknown"``.
    """
    bundle_dir = Path(bundle_dir)
    t = parse_target(target)
    # Validate the cheap fields before reading the bundle.
    make_decision(t, verdict, artifact_hash=None, category=category, severity=severity,
                  blocks_task=blocks_task, note=note, reviewer=reviewer, now=now)
    bundle, _problems = load_bundle(bundle_dir, with_runs=t.kind == "run")
    _check_target_exists(bundle, t)
    decision = make_decision(
        t, verdict, artifact_hash=current_artifact_hash(bundle, t), category=category, severity=severity,
        blocks_task=blocks_task, note=note, reviewer=reviewer, now=now,
    )
    append_decision(bundle_dir, decision)
    return decision


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        n = os.write(fd, view)
        view = view[n:]


def append_decision(bundle_dir: Path | str, decision: Decision) -> bool:
    """Append one decision line to ``reviews.jsonl`` under an exclusive lock.

    Returns True when the file ended in a torn line (no final newline) and a newline was written
    first to close it off. The line and that newline go out in a single ``os.write``.
    """
    path = reviews_path(bundle_dir)
    line = decision.to_line()
    if b"\n" in line[:-1]:  # json.dumps escapes newlines; this guards the one-line invariant
        raise ReviewError("(record)", "a record without raw newlines")
    created = not path.exists()
    fd = os.open(path, os.O_RDWR | os.O_APPEND | os.O_CREAT | os.O_CLOEXEC, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        size = os.fstat(fd).st_size
        repaired = size > 0 and os.pread(fd, 1, size - 1) != b"\n"
        _write_all(fd, (b"\n" + line) if repaired else line)
        os.fsync(fd)
    finally:
        os.close(fd)  # closing the only descriptor releases the lock
    if created:
        try:
            dfd = os.open(path.parent, os.O_RDONLY)
            try:
                os.fsync(dfd)
            finally:
                os.close(dfd)
        except OSError:
            pass
    return repaired


# ---------------------------------------------------------------------------------------------
# Reading


@dataclass(frozen=True)
class CurrentDecision:
    """The latest decision about one target, and whether its artifact has changed since."""

    decision: Decision
    line: int
    stale: bool
    current_hash: str | None


@dataclass
class DecisionLog:
    """Everything readable in a ``reviews.jsonl``: decisions in file order and the lines that were not."""

    path: Path
    entries: list[tuple[int, Decision]] = field(default_factory=list)  # (line_no, decision)
    problems: list[tuple[int, str]] = field(default_factory=list)  # (line_no, message)

    @property
    def decisions(self) -> list[Decision]:
        return [d for _, d in self.entries]

    def __len__(self) -> int:
        return len(self.entries)

    def for_target(self, target: str | Target) -> list[Decision]:
        """Every decision about ``target``, oldest first."""
        key = str(parse_target(target))
        return [d for _, d in self.entries if d.target == key]

    def latest_entries(self) -> dict[str, tuple[int, Decision]]:
        """``target -> (line_no, decision)`` for the last decision about each target (file order)."""
        out: dict[str, tuple[int, Decision]] = {}
        for line, d in self.entries:
            out.pop(d.target, None)
            out[d.target] = (line, d)
        return out

    def latest(self) -> dict[str, Decision]:
        return {t: d for t, (_, d) in self.latest_entries().items()}

    def latest_for(self, target: str | Target) -> Decision | None:
        found = self.for_target(target)
        return found[-1] if found else None

    def is_stale(self, decision: Decision, bundle: Bundle, *, hashes: dict[str, str] | None = None) -> bool:
        return is_stale(decision, bundle, hashes=hashes)

    def current(
        self, bundle: Bundle | Path | str, *, hashes: dict[str, str] | None = None
    ) -> dict[str, CurrentDecision]:
        """Latest decision per target with its stale flag, ordered by the line of that decision.

        Give a ``Bundle`` loaded with its runs (or a bundle folder, loaded here with runs) so
        that ``run:`` decisions are judged against the trajectories on disk.
        """
        if not isinstance(bundle, Bundle):
            bundle, _ = load_bundle(bundle, with_runs=True)
        if hashes is None:
            hashes = review_hashes(bundle)
        out: dict[str, CurrentDecision] = {}
        for target, (line, d) in self.latest_entries().items():
            now = hashes.get(artifact_key_for(target))
            out[target] = CurrentDecision(d, line, now != d.artifact_hash, now)
        return out

    def to_json(self) -> dict[str, Any]:
        return {
            "path": str(self.path),
            "decisions": [dict(d.to_json(), line=line) for line, d in self.entries],
            "problems": [{"line": line, "message": msg} for line, msg in self.problems],
        }


def _excerpt(raw: bytes, limit: int = 80) -> str:
    text = raw.decode("utf-8", errors="replace")
    return repr(text if len(text) <= limit else text[:limit] + "…")


def _shared_lock(fd: int, timeout: float = 5.0) -> bool:
    """Wait (at most ``timeout`` s) for an append in progress to finish. An append holds the lock
    only for one write and an fsync; if a writer is wedged we read anyway, and its unfinished line
    (if any) is reported as torn rather than blocking the reader forever."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
            return True
        except BlockingIOError:
            if time.monotonic() >= deadline:
                return False
            time.sleep(0.01)


def load_decisions(bundle_dir: Path | str) -> DecisionLog:
    """Read ``<bundle_dir>/reviews.jsonl`` (a missing file is an empty log).

    Never raises for bad content: each torn, garbled or invalid line becomes a ``problems`` entry
    ``(line_no, message)`` (1-based), and every other line still loads. Only an unreadable file
    (permissions, I/O error) raises ``OSError``.
    """
    path = reviews_path(bundle_dir)
    log = DecisionLog(path=path)
    try:
        fd = os.open(path, os.O_RDONLY | os.O_CLOEXEC)
    except FileNotFoundError:
        return log
    try:
        _shared_lock(fd)
        with os.fdopen(os.dup(fd), "rb") as fh:
            data = fh.read()
    finally:
        os.close(fd)
    chunks = data.split(b"\n")
    last = len(chunks)  # the final chunk is what follows the last newline (empty if none)
    seen: dict[str, int] = {}
    for line_no, raw in enumerate(chunks, 1):
        if not raw.strip():
            continue
        torn = line_no == last  # non-empty text after the final newline: the write never finished
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            msg = f"unreadable line (not UTF-8 at byte {exc.start}): {_excerpt(raw)}"
            log.problems.append((line_no, msg))
            continue
        try:
            obj = json.loads(text)
        except json.JSONDecodeError as exc:
            if torn:
                msg = (f"torn last line: no newline at the end of {REVIEWS_FILE}, so a writer was probably "
                       f"killed mid-write ({len(raw)} bytes, not valid JSON): {_excerpt(raw)}")
            else:
                msg = (f"garbled line (not valid JSON: {exc.msg} at column {exc.colno}; a writer may have "
                       f"been killed mid-write): {_excerpt(raw)}")
            log.problems.append((line_no, msg))
            continue
        try:
            decision, warnings = Decision.from_json(obj)
        except ReviewError as exc:
            log.problems.append((line_no, f"invalid decision: {exc}"))
            continue
        if decision.id in seen:
            msg = f"duplicate decision id {decision.id!r} (first on line {seen[decision.id]}); ignored"
            log.problems.append((line_no, msg))
            continue
        seen[decision.id] = line_no
        for w in warnings:
            log.problems.append((line_no, w))
        log.entries.append((line_no, decision))
    return log

