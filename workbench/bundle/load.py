"""Load and validate a bundle folder. Every problem names the file, the field and what was expected."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from workbench.bundle import model as m
from workbench.bundle.names import normalize_scenario_name
from workbench.bundle.sqlfile import parse_data, parse_schema
from workbench.errors import BundleError
from workbench.fsutil import read_text

_TIME = re.compile(r"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$")


@dataclass(frozen=True)
class Problem:
    """One validation finding. ``severity`` is ``error`` (the bundle cannot be used as is) or ``warning``."""

    severity: str
    file: str
    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.severity}: {self.file}: {self.field}: {self.message}"


class _Collector:
    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def error(self, file: str, field: str, message: str) -> None:
        self.problems.append(Problem("error", file, field, message))

    def warn(self, file: str, field: str, message: str) -> None:
        self.problems.append(Problem("warning", file, field, message))


def _read_json(path: Path, rel: str, out: _Collector) -> Any:
    try:
        return json.loads(read_text(path))
    except json.JSONDecodeError as exc:
        out.error(rel, f"line {exc.lineno} column {exc.colno}", f"valid JSON ({exc.msg})")
    except UnicodeDecodeError as exc:
        out.error(rel, f"byte {exc.start}", "UTF-8 text")
    except OSError as exc:
        out.error(rel, "(file)", f"a readable file ({exc.strerror})")
    return None


def load_bundle(path: Path | str, *, with_runs: bool = True) -> tuple[m.Bundle, list[Problem]]:
    """Read a bundle folder. Missing stages load as ``None``; problems are returned, not raised.

    Raises ``BundleError`` only when ``env.json`` is missing or unusable, since nothing else can
    be interpreted without it.
    """
    root = Path(path)
    out = _Collector()
    env_path = root / m.ENV_FILE
    if not env_path.is_file():
        raise BundleError(str(env_path), "(file)", "an env.json file: this folder is not an environment bundle")
    env = _read_json(env_path, m.ENV_FILE, out)
    if not isinstance(env, dict):
        if env is not None:
            out.error(m.ENV_FILE, "(root)", f"a JSON object, got {type(env).__name__}")
        first = out.problems[0]
        raise BundleError(str(env_path), first.field, first.message)
    _check_env(env, root, out)
    bundle = m.Bundle(path=root, env=env)

    if (root / m.TASKS_FILE).is_file():
        bundle.tasks = _check_tasks(_read_json(root / m.TASKS_FILE, m.TASKS_FILE, out), out)
    if (root / m.SCHEMA_FILE).is_file():
        bundle.schema_text = read_text(root / m.SCHEMA_FILE)
        bundle.schema, probs = parse_schema(bundle.schema_text)
        for p in probs:
            out.error(m.SCHEMA_FILE, f"line {p.line}", p.message)
        if not bundle.schema["tables"]:
            out.warn(m.SCHEMA_FILE, "tables", "at least one CREATE TABLE statement")
    if (root / m.DATA_FILE).is_file():
        bundle.data_text = read_text(root / m.DATA_FILE)
        bundle.data, probs = parse_data(bundle.data_text)
        for p in probs:
            out.error(m.DATA_FILE, f"line {p.line}", p.message)
    if (root / m.SPEC_FILE).is_file():
        spec = _read_json(root / m.SPEC_FILE, m.SPEC_FILE, out)
        bundle.spec = _check_spec(spec, out)
    if (root / m.SERVER_FILE).is_file():
        bundle.server_code = read_text(root / m.SERVER_FILE)
    if (root / m.VERIFIERS_INDEX).is_file():
        bundle.verifiers = _load_verifiers(root, _read_json(root / m.VERIFIERS_INDEX, m.VERIFIERS_INDEX, out), out)
    if (root / m.AWM_FILE).is_file():
        awm = _read_json(root / m.AWM_FILE, m.AWM_FILE, out)
        bundle.awm = awm if isinstance(awm, dict) else None
    if with_runs:
        bundle.runs = load_runs(root, out)
    for stage in m.STAGES:
        if not (root / m.STAGE_FILES[stage]).is_file():
            out.warn(m.STAGE_FILES[stage], "(file)", f"the {stage} stage is missing")
    if bundle.tasks is not None:
        n = len(bundle.tasks)
        for v in bundle.verifiers:
            if not 0 <= v.task_idx < n:
                out.error(m.VERIFIERS_INDEX, f"task_idx={v.task_idx}", f"an index of tasks.json (0..{n - 1})")
    return bundle, out.problems


def load_bundle_strict(path: Path | str, *, with_runs: bool = True) -> m.Bundle:
    """Like ``load_bundle`` but raise ``BundleError`` on the first error-severity problem."""
    bundle, problems = load_bundle(path, with_runs=with_runs)
    for p in problems:
        if p.severity == "error":
            raise BundleError(str(Path(path) / p.file), p.field, p.message)
    return bundle


def _check_env(env: dict, root: Path, out: _Collector) -> None:
    f = m.ENV_FILE
    if env.get("format") != m.FORMAT:
        out.error(f, "format", f"{m.FORMAT!r}, got {env.get('format')!r}")
    name = env.get("name")
    if not isinstance(name, str) or not name.strip():
        out.error(f, "name", "a non-empty string")
    slug = env.get("slug")
    if not isinstance(slug, str) or not slug:
        out.error(f, "slug", "a non-empty string")
    elif isinstance(name, str) and normalize_scenario_name(name) != slug:
        out.warn(f, "slug", f"normalize_scenario_name(name) = {normalize_scenario_name(name)!r}, got {slug!r}")
    if not isinstance(env.get("description", ""), str):
        out.error(f, "description", "a string")
    rt = env.get("reference_time")
    if rt is None:
        out.warn(f, "reference_time", "a 'YYYY-MM-DD HH:MM:SS' time; without it the database build uses a fixed default")
    elif not isinstance(rt, str) or not _TIME.match(rt):
        out.error(f, "reference_time", f"'YYYY-MM-DD HH:MM:SS' (UTC), got {rt!r}")


def _check_tasks(raw: Any, out: _Collector) -> list[dict] | None:
    f = m.TASKS_FILE
    if raw is None:
        return None
    if not isinstance(raw, list):
        out.error(f, "(root)", f"a JSON list of {{\"id\", \"task\"}} objects, got {type(raw).__name__}")
        return None
    tasks: list[dict] = []
    for i, t in enumerate(raw):
        if not isinstance(t, dict):
            out.error(f, f"[{i}]", f"an object with id and task, got {type(t).__name__}")
            continue
        if t.get("id") != i:
            out.error(f, f"[{i}].id", f"{i} (ids are AWM's 0-based task_idx, in order), got {t.get('id')!r}")
        if not isinstance(t.get("task"), str):
            out.error(f, f"[{i}].task", f"a string, got {type(t.get('task')).__name__}")
        tasks.append(t)
    return tasks


def _check_spec(spec: Any, out: _Collector) -> dict | None:
    f = m.SPEC_FILE
    if spec is None:
        return None
    if not isinstance(spec, dict) or not isinstance(spec.get("api_groups"), list):
        out.error(f, "api_groups", "an object {\"api_groups\": [...]} (AWM api_spec)")
        return spec if isinstance(spec, dict) else None
    seen: set[str] = set()
    for gi, group in enumerate(spec["api_groups"]):
        if not isinstance(group, dict) or not isinstance(group.get("endpoints"), list):
            out.error(f, f"api_groups[{gi}].endpoints", "a list of endpoints")
            continue
        for ei, ep in enumerate(group["endpoints"]):
            where = f"api_groups[{gi}].endpoints[{ei}]"
            if not isinstance(ep, dict):
                out.error(f, where, "an endpoint object")
                continue
            op = ep.get("operation_id")
            if not isinstance(op, str) or not op:
                out.error(f, f"{where}.operation_id", "a non-empty string")
            elif op in seen:
                out.error(f, f"{where}.operation_id", f"unique operation ids; {op!r} is repeated")
            else:
                seen.add(op)
            for key in ("path", "method"):
                if not isinstance(ep.get(key), str):
                    out.error(f, f"{where}.{key}", "a string")
    return spec


def _load_verifiers(root: Path, raw: Any, out: _Collector) -> list[m.Verifier]:
    f = m.VERIFIERS_INDEX
    if raw is None:
        return []
    if not isinstance(raw, list):
        out.error(f, "(root)", "a JSON list of verifier entries")
        return []
    found: list[m.Verifier] = []
    known = {"task_idx", "mode", "function", "file", "source", "active"}
    for i, e in enumerate(raw):
        if not isinstance(e, dict):
            out.error(f, f"[{i}]", "an object")
            continue
        idx = e.get("task_idx")
        if not isinstance(idx, int) or isinstance(idx, bool):
            out.error(f, f"[{i}].task_idx", f"an integer, got {idx!r}")
            continue
        mode = e.get("mode")
        if mode not in m.VERIFIER_MODES:
            out.error(f, f"[{i}].mode", f"one of {list(m.VERIFIER_MODES)}, got {mode!r}")
            mode = "code"
        file = e.get("file")
        code: str | None = None
        if file is None:
            pass
        elif not isinstance(file, str) or "/" in file or file.startswith("."):
            out.error(f, f"[{i}].file", f"a file name inside verifiers/, got {file!r}")
            file = None
        elif not (root / m.VERIFIERS_DIR / file).is_file():
            out.error(f"verifiers/{file}", "(file)", f"the code of verifier [{i}] (task {idx})")
        else:
            code = read_text(root / m.VERIFIERS_DIR / file)
        meta = {k: v for k, v in e.items() if k not in known}
        found.append(
            m.Verifier(
                task_idx=idx,
                mode=mode,
                function=str(e.get("function") or m.DEFAULT_FUNCTION[mode]),
                file=file or "",
                code=code,
                source=str(e.get("source", "gen_verifier")),
                active=bool(e.get("active", True)),
                meta=meta,
            )
        )
    return found


def load_runs(root: Path, out: _Collector | None = None) -> list[m.Run]:
    """Every ``runs/<id>/`` folder that holds a trajectory.json, sorted by id."""
    out = out or _Collector()
    runs_dir = root / m.RUNS_DIR
    if not runs_dir.is_dir():
        return []
    runs: list[m.Run] = []
    for d in sorted(p for p in runs_dir.iterdir() if p.is_dir()):
        rel = f"{m.RUNS_DIR}/{d.name}/run.json"
        meta: dict[str, Any] = {}
        if (d / "run.json").is_file():
            raw = _read_json(d / "run.json", rel, out)
            if isinstance(raw, dict):
                meta = raw
            elif raw is not None:
                out.error(rel, "(root)", "a JSON object")
        elif not (d / "trajectory.json").is_file():
            continue
        kind = meta.get("kind", "agent")
        if kind not in m.RUN_KINDS:
            out.error(rel, "kind", f"one of {list(m.RUN_KINDS)}, got {kind!r}")
            kind = "agent"
        task_id = meta.get("task_id")
        if task_id is not None and (not isinstance(task_id, int) or isinstance(task_id, bool)):
            out.error(rel, "task_id", f"an integer or null, got {task_id!r}")
            task_id = None
        runs.append(m.Run(run_id=d.name, path=d, kind=kind, task_id=task_id, meta=meta))
    return runs


def is_bundle(path: Path) -> bool:
    return (path / m.ENV_FILE).is_file()


def iter_bundle_dirs(library: Path) -> list[Path]:
    """Bundle folders directly inside ``library`` (or ``library`` itself if it is one), sorted."""
    library = Path(library)
    if is_bundle(library):
        return [library]
    if not library.is_dir():
        return []
    return sorted(p for p in library.iterdir() if p.is_dir() and not p.name.startswith(".") and is_bundle(p))
