"""``workbench import``: AWM ``outputs/`` JSONL files → one bundle folder per environment.

Two streaming passes: the first indexes every line of every gen_*.jsonl file by normalised
scenario name (offsets only); the second reads one environment's lines at a time, writes its
bundle into a temporary folder inside the library and renames it into place. A failure in one
environment is reported and the others carry on; a half-written bundle is never left behind.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from workbench.bundle import model as m
from workbench.bundle.awm_layout import AWM_FILES, ref
from workbench.bundle.hashing import sha256_text
from workbench.bundle.jsonl import BadLine, LineRef, read_record, scan_jsonl
from workbench.bundle.names import normalize_scenario_name, safe_child
from workbench.bundle.sqlfile import all_statements, parse_data, parse_schema, render_data, render_schema
from workbench.bundle.verifier_code import criteria_from_raw, detect_function_name, guess_mode
from workbench.fsutil import dump_json

NAME_FIELD = {"gen_scenario": "name"}


@dataclass
class Note:
    """A finding about one environment or file: ``where`` is ``file:line`` when it points at a record."""

    level: str  # "error" | "warning" | "info"
    where: str
    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.level}: {self.where}: {self.field}: {self.message}"


@dataclass
class EnvReport:
    slug: str
    name: str = ""
    status: str = "imported"  # imported | skipped | failed
    missing: list[str] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)
    reference_time: str | None = None
    reference_time_source: str = ""
    db_comparison: dict | None = None


@dataclass
class ImportReport:
    library: Path
    envs: list[EnvReport] = field(default_factory=list)
    file_notes: list[Note] = field(default_factory=list)
    files_read: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return all(e.status != "failed" for e in self.envs) and not any(n.level == "error" for n in self.file_notes)

    def to_json(self) -> dict:
        return {
            "library": str(self.library),
            "files_read": self.files_read,
            "file_notes": [n.__dict__ for n in self.file_notes],
            "envs": [
                {
                    "slug": e.slug,
                    "name": e.name,
                    "status": e.status,
                    "missing": e.missing,
                    "reference_time": e.reference_time,
                    "reference_time_source": e.reference_time_source,
                    "db_comparison": e.db_comparison,
                    "notes": [n.__dict__ for n in e.notes],
                }
                for e in self.envs
            ],
        }


@dataclass
class _Index:
    """For each AWM file, for each normalised name, the lines that belong to it, in file order."""

    files: dict[str, Path] = field(default_factory=dict)
    by_env: dict[str, dict[str, list[LineRef]]] = field(default_factory=dict)

    def add(self, file: str, key: str, where: LineRef) -> None:
        self.by_env.setdefault(key, {}).setdefault(file, []).append(where)


def _build_index(outputs: Path, report: ImportReport) -> _Index:
    index = _Index()
    for name in AWM_FILES:
        path = outputs / f"{name}.jsonl"
        if not path.is_file():
            continue
        index.files[name] = path
        report.files_read.append(path.name)
        if path.stat().st_size == 0:
            report.file_notes.append(Note("warning", path.name, "(file)", "the file is empty (0 bytes)"))
            continue
        key_field = NAME_FIELD.get(name, "scenario")
        for where, rec in scan_jsonl(path):
            loc = f"{path.name}:{where.line}"
            if isinstance(rec, BadLine):
                report.file_notes.append(Note("error", loc, "(line)", rec.message + "; the line was skipped"))
                continue
            if not isinstance(rec, dict):
                report.file_notes.append(Note("error", loc, "(line)", f"a JSON object, got {type(rec).__name__}; skipped"))
                continue
            raw = rec.get(key_field)
            if not isinstance(raw, str):
                report.file_notes.append(
                    Note("error", loc, key_field, f"a string naming the scenario, got {type(raw).__name__}; skipped")
                )
                continue
            key = normalize_scenario_name(raw)
            if not key:
                report.file_notes.append(
                    Note("error", loc, key_field, f"{raw!r} normalises to an empty name; refused (skipped)")
                )
                continue
            index.add(name, key, where)
    for stray in ("seed_scenario.jsonl",):
        if (outputs / stray).is_file():
            report.file_notes.append(Note("info", stray, "(file)", "pipeline input, not an environment artifact; not imported"))
    return index


def import_awm(
    outputs: Path | str,
    library: Path | str,
    *,
    reference_time: str | None = None,
    replace: bool = False,
    only: set[str] | None = None,
    progress: Callable[[int, int, str], None] | None = None,
) -> ImportReport:
    """Import every environment found in an AWM ``outputs/`` folder into ``library``."""
    outputs, library = Path(outputs), Path(library)
    report = ImportReport(library=library)
    if not outputs.is_dir():
        report.file_notes.append(Note("error", str(outputs), "(folder)", "an AWM outputs/ folder"))
        return report
    library.mkdir(parents=True, exist_ok=True)
    index = _build_index(outputs, report)
    if not index.files:
        report.file_notes.append(Note("error", str(outputs), "(folder)", "at least one gen_*.jsonl file"))
    # Environments whose database AWM shipped go first: their inferred clock is the best default
    # for the others of the same pipeline run.
    keys = sorted(index.by_env, key=lambda k: (not (outputs / "databases" / f"{k}.db").is_file(), k))
    if only:
        keys = [k for k in keys if k in only]
    fallback_time = reference_time
    for n, key in enumerate(keys, start=1):
        if progress:
            progress(n, len(keys), key)
        env_report = EnvReport(slug=key)
        report.envs.append(env_report)
        try:
            fallback_time = _import_one(index, key, outputs, library, env_report, reference_time, fallback_time, replace)
        except Exception as exc:  # one broken environment must not stop the others
            env_report.status = "failed"
            env_report.notes.append(Note("error", key, "(import)", f"{type(exc).__name__}: {exc}"))
    runs_dir = outputs / "agents"
    if runs_dir.is_dir():
        from workbench.bundle.runs_import import import_run_folders

        import_run_folders(runs_dir, library, report)
    return report


def _records(index: _Index, key: str, file: str, rep: EnvReport) -> list[tuple[LineRef, dict]]:
    out = []
    path = index.files[file]
    for where in index.by_env.get(key, {}).get(file, []):
        rec = read_record(path, where)
        if isinstance(rec, dict):
            out.append((where, rec))
    return out


def _import_one(
    index: _Index,
    key: str,
    outputs: Path,
    library: Path,
    rep: EnvReport,
    reference_time: str | None,
    fallback_time: str | None,
    replace: bool,
) -> str | None:
    target = safe_child(library, key)
    if target.exists() and not replace:
        rep.status = "skipped"
        rep.notes.append(Note("info", str(target), "(folder)", "a bundle already exists; use --replace to re-import it"))
        return fallback_time

    files: dict[str, str] = {}  # bundle-relative path -> text
    templates: dict[str, Any] = {}
    lines: dict[str, int] = {}
    shadowed: list[dict] = []
    overrides: dict[str, dict] = {}
    env: dict[str, Any] = {"format": m.FORMAT, "name": "", "slug": key, "description": ""}
    history: dict[str, dict] = {}

    def first(file: str) -> tuple[LineRef, dict] | None:
        if file not in index.files:
            return None
        recs = _records(index, key, file, rep)
        if not recs:
            return None
        for where, rec in recs[1:]:
            shadowed.append({"file": file, "line": where.line, "record": rec})
            rep.notes.append(
                Note(
                    "warning",
                    f"{file}.jsonl:{where.line}",
                    NAME_FIELD.get(file, "scenario"),
                    f"another record for {key!r} (first at line {recs[0][0].line}); AWM uses the first, "
                    "this one is kept in awm.json and exported unchanged",
                )
            )
        lines[file] = recs[0][0].line
        return recs[0]

    def loc(file: str) -> str:
        return f"{file}.jsonl:{lines.get(file, '?')}"

    # Stage 1: scenario
    got = first("gen_scenario")
    if got:
        _, rec = got
        env["name"] = rec["name"]
        desc = rec.get("description")
        tpl = dict(rec)
        tpl["name"] = ref("name")
        if isinstance(desc, str):
            env["description"] = desc
            tpl["description"] = ref("description")
        elif "description" in rec:
            rep.notes.append(Note("warning", loc("gen_scenario"), "description", f"a string, got {type(desc).__name__}; kept verbatim"))
        templates["gen_scenario"] = tpl
        history["scenario"] = {"source": loc("gen_scenario")}
    else:
        rep.missing.append("scenario")

    # The raw name, if the scenario file did not give one.
    if not env["name"]:
        for file in ("gen_tasks", "gen_db", "gen_sample", "gen_spec", "gen_envs"):
            recs = index.by_env.get(key, {}).get(file)
            if recs and file in index.files:
                rec = read_record(index.files[file], recs[0])
                if isinstance(rec, dict) and isinstance(rec.get("scenario"), str):
                    env["name"] = rec["scenario"]
                    break
        env["name"] = env["name"] or key
    rep.name = env["name"]

    # Stage 2: tasks
    tasks: list[str] | None = None
    got = first("gen_tasks")
    if got:
        _, rec = got
        tpl = dict(rec)
        value = rec.get("tasks")
        if isinstance(value, list) and all(isinstance(t, str) for t in value):
            tasks = value
            files[m.TASKS_FILE] = dump_json([{"id": i, "task": t} for i, t in enumerate(value)])
            tpl["tasks"] = ref("tasks")
            history["tasks"] = {"source": loc("gen_tasks")}
            if len(value) != 10:
                rep.notes.append(Note("info", loc("gen_tasks"), "tasks", f"{len(value)} tasks (AWM asks for 10)"))
        else:
            rep.notes.append(Note("error", loc("gen_tasks"), "tasks", "a list of strings; the record is kept verbatim for export"))
            rep.missing.append("tasks")
        templates["gen_tasks"] = tpl
    else:
        rep.missing.append("tasks")

    # Stage 3: schema
    schema_obj: dict | None = None
    got = first("gen_db")
    if got:
        _, rec = got
        tpl = dict(rec)
        value = rec.get("db_schema")
        problem = _schema_problem(value)
        if problem is None:
            schema_obj = value
            files[m.SCHEMA_FILE] = _readable_file("schema", value, render_schema, parse_schema, overrides, rep,
                                                  loc("gen_db"), "db_schema")
            tpl["db_schema"] = ref("schema")
            history["schema"] = {"source": loc("gen_db")}
        else:
            rep.notes.append(Note("error", loc("gen_db"), problem[0], problem[1] + "; the record is kept verbatim for export"))
            rep.missing.append("schema")
        templates["gen_db"] = tpl
    else:
        rep.missing.append("schema")

    # Stage 4: sample data
    data_obj: dict | None = None
    got = first("gen_sample")
    if got:
        _, rec = got
        tpl = dict(rec)
        value = rec.get("sample_data")
        problem = _data_problem(value)
        if problem is None:
            data_obj = value
            files[m.DATA_FILE] = _readable_file("data", value, render_data, parse_data, overrides, rep,
                                                loc("gen_sample"), "sample_data")
            tpl["sample_data"] = ref("data")
            if rec.get("tables_count") == len(value["tables"]):
                tpl["tables_count"] = ref("data.tables_count")
            if rec.get("inserts_count") == len(all_statements(value)):
                tpl["inserts_count"] = ref("data.inserts_count")
            history["data"] = {"source": loc("gen_sample")}
        else:
            rep.notes.append(Note("error", loc("gen_sample"), problem[0], problem[1] + "; the record is kept verbatim for export"))
            rep.missing.append("data")
        templates["gen_sample"] = tpl
    else:
        rep.missing.append("data")

    # Stage 5: spec
    got = first("gen_spec")
    if got:
        _, rec = got
        tpl = dict(rec)
        value = rec.get("api_spec")
        if isinstance(value, dict):
            files[m.SPEC_FILE] = dump_json(value)
            tpl["api_spec"] = ref("spec")
            history["spec"] = {"source": loc("gen_spec")}
            if not isinstance(value.get("api_groups"), list):
                rep.notes.append(Note("warning", loc("gen_spec"), "api_spec.api_groups", "a list of groups"))
        else:
            rep.notes.append(Note("error", loc("gen_spec"), "api_spec", f"an object, got {type(value).__name__}; kept verbatim"))
            rep.missing.append("spec")
        templates["gen_spec"] = tpl
    else:
        rep.missing.append("spec")

    # Stage 6: server code
    got = first("gen_envs")
    if got:
        _, rec = got
        tpl = dict(rec)
        value = rec.get("full_code")
        if isinstance(value, str):
            files[m.SERVER_FILE] = value
            tpl["full_code"] = ref("server")
            history["server"] = {"source": loc("gen_envs")}
            if len(value) <= 10:
                rep.notes.append(Note("warning", loc("gen_envs"), "full_code", "code shorter than 10 characters"))
        else:
            rep.notes.append(Note("error", loc("gen_envs"), "full_code", f"a string, got {type(value).__name__}; kept verbatim"))
            rep.missing.append("server")
        templates["gen_envs"] = tpl
    else:
        rep.missing.append("server")

    # Stage 7: verifiers (both files; every row kept, first match per task and mode active)
    entries, vfiles = _verifiers(index, key, tasks, rep)
    files.update(vfiles)
    if entries:
        files[m.VERIFIERS_INDEX] = dump_json(entries)
        history["verifiers"] = {"source": ", ".join(sorted({e["record_file"] + ".jsonl" for e in entries}))}
    else:
        rep.missing.append("verifiers")

    # Reference time: inferred from AWM's own database when it shipped one.
    shipped = outputs / "databases" / f"{key}.db"
    if reference_time:
        env["reference_time"] = reference_time
        rep.reference_time_source = "given on the command line"
    elif shipped.is_file() and (schema_obj or data_obj):
        from workbench.db.reference_time import infer_reference_time

        inferred, comparison = infer_reference_time(schema_obj, data_obj, shipped)
        env["reference_time"] = inferred
        rep.db_comparison = comparison
        rep.reference_time_source = f"inferred from {shipped.relative_to(outputs)}"
        fallback_time = fallback_time or inferred
    else:
        from workbench.db.clock import DEFAULT_REFERENCE_TIME

        env["reference_time"] = fallback_time or DEFAULT_REFERENCE_TIME
        rep.reference_time_source = (
            "taken from another environment of the same import" if fallback_time else "default (no shipped database)"
        )
    rep.reference_time = env["reference_time"]
    env["provenance"] = {"source": "awm-import", "outputs_dir": str(outputs), "lines": dict(lines)}

    files[m.ENV_FILE] = dump_json(env)
    awm = {"templates": templates, "lines": lines, "shadowed": shadowed, "overrides": overrides}
    files[m.AWM_FILE] = dump_json(awm)
    now = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
    for artifact, info in history.items():
        path = m.STAGE_FILES[artifact]
        content = files.get(path, "")
        entry = {"version": 1, "made_by": "import", "sha256": sha256_text(content), "source": info["source"], "time": now}
        files[f"{m.HISTORY_DIR}/{artifact}.jsonl"] = dump_json(entry, indent=None)
    _write_bundle_dir(library, target, files, replace)
    if rep.missing:
        rep.notes.append(Note("warning", key, "(stages)", "missing: " + ", ".join(rep.missing)))
    return fallback_time


def _readable_file(key: str, value: dict, render, parse, overrides: dict, rep: EnvReport, where: str,
                   field_name: str) -> str:
    """Render ``value`` as our SQL file; when it would not read back identically (values and key
    order), keep the original verbatim in awm.json, tied to the file's hash."""
    text = render(value)
    back, _ = parse(text)
    if back != value or list(_keys(back)) != list(_keys(value)):
        overrides[key] = {"file_sha256": sha256_text(text), "value": value}
        rep.notes.append(Note("info", where, field_name, f"kept verbatim in awm.json ({key} file cannot show every detail)"))
    return text


def _keys(obj: Any):
    """Every key path in document order, to compare key order as well as values."""
    if isinstance(obj, dict):
        for k, v in obj.items():
            yield k
            yield from _keys(v)
    elif isinstance(obj, list):
        for v in obj:
            yield from _keys(v)


def _schema_problem(value: Any) -> tuple[str, str] | None:
    if not isinstance(value, dict) or not isinstance(value.get("tables"), list):
        return "db_schema.tables", "a list of tables"
    for i, t in enumerate(value["tables"]):
        if not isinstance(t, dict):
            return f"db_schema.tables[{i}]", "an object"
        if not isinstance(t.get("ddl"), str):
            return f"db_schema.tables[{i}].ddl", "a CREATE TABLE string"
        if not isinstance(t.get("indexes", []), list) or not all(isinstance(x, str) for x in t.get("indexes", [])):
            return f"db_schema.tables[{i}].indexes", "a list of strings"
    return None


def _data_problem(value: Any) -> tuple[str, str] | None:
    if not isinstance(value, dict) or not isinstance(value.get("tables"), list):
        return "sample_data.tables", "a list of table groups"
    for i, g in enumerate(value["tables"]):
        if not isinstance(g, dict):
            return f"sample_data.tables[{i}]", "an object"
        st = g.get("insert_statements")
        if not isinstance(st, list) or not all(isinstance(s, str) for s in st):
            return f"sample_data.tables[{i}].insert_statements", "a list of strings"
        if "reasoning" in g and not isinstance(g["reasoning"], (str, type(None))):
            return f"sample_data.tables[{i}].reasoning", "a string"
    return None


def _verifiers(index: _Index, key: str, tasks: list[str] | None, rep: EnvReport) -> tuple[list[dict], dict[str, str]]:
    rows: list[tuple[str, LineRef, dict]] = []
    for file in ("gen_verifier", "gen_verifier.pure_code"):
        if file in index.files:
            rows.extend((file, where, rec) for where, rec in _records(index, key, file, rep))
    entries: list[dict] = []
    files: dict[str, str] = {}
    active: dict[tuple[int, str], int] = {}
    for file, where, rec in rows:
        where_s = f"{file}.jsonl:{where.line}"
        idx = rec.get("task_idx")
        ver = rec.get("verification")
        if not isinstance(idx, int) or isinstance(idx, bool) or not isinstance(ver, dict):
            field_name = "task_idx" if not isinstance(idx, int) or isinstance(idx, bool) else "verification"
            rep.notes.append(Note("error", where_s, field_name, "an integer task_idx and a verification object; row kept verbatim"))
            entries.append({"task_idx": -1, "mode": "code", "function": "", "file": None, "source": file,
                            "active": False, "record": rec, "record_file": file, "line": where.line})
            continue
        code = ver.get("code")
        raw = ver.get("raw_response")
        mode = guess_mode(code if isinstance(code, str) else None, raw if isinstance(raw, str) else None, file)
        tpl = dict(rec)
        tpl_ver = dict(ver)
        if tasks is not None and 0 <= idx < len(tasks) and rec.get("task") == tasks[idx]:
            tpl["task"] = ref("task")
        elif "task" in rec:
            rep.notes.append(Note("warning", where_s, "task", f"differs from task {idx} in gen_tasks; kept verbatim"))
        if tasks is not None and not 0 <= idx < len(tasks):
            rep.notes.append(Note("warning", where_s, "task_idx", f"{idx} is not an index of the {len(tasks)} tasks"))
        is_active = (idx, mode) not in active
        dup_no = 0
        if not is_active:
            dup_no = sum(1 for e in entries if e["task_idx"] == idx and e["mode"] == mode)
            rep.notes.append(
                Note(
                    "warning",
                    where_s,
                    "task_idx",
                    f"duplicate verifier for task {idx} ({mode} mode); AWM's first-match rule uses line "
                    f"{active[(idx, mode)]}, so this row is kept but inactive",
                )
            )
        else:
            active[(idx, mode)] = where.line
        fname = None
        if isinstance(code, str):
            fname = f"task_{idx:02d}.{mode}.py" if is_active else f"task_{idx:02d}.{mode}.dup{dup_no}.py"
            files[f"{m.VERIFIERS_DIR}/{fname}"] = code
            tpl_ver["code"] = ref("code")
        elif code is None:
            rep.notes.append(Note("warning", where_s, "verification.code", "null: no verifier code was ever generated"))
        tpl["verification"] = tpl_ver
        entry = {
            "task_idx": idx,
            "mode": mode,
            "function": detect_function_name(code if isinstance(code, str) else None, mode),
            "file": fname,
            "source": file,
            "active": is_active,
        }
        entry.update(criteria_from_raw(raw if isinstance(raw, str) else None))
        entry.update({"record": tpl, "record_file": file, "line": where.line})
        entries.append(entry)
    return entries, files


def _write_bundle_dir(library: Path, target: Path, files: dict[str, str], replace: bool) -> None:
    """Write all files into a temp folder in the library, then rename it into place."""
    tmp = Path(tempfile.mkdtemp(prefix=f".import-{target.name}-", dir=library))
    try:
        for rel, text in files.items():
            p = tmp / rel
            p.parent.mkdir(parents=True, exist_ok=True)
            with open(p, "w", encoding="utf-8", newline="") as fh:
                fh.write(text)
        if target.exists():
            # Keep what people made in the old bundle: reviews, runs and the history of earlier versions.
            for keep in (m.REVIEWS_FILE, m.RUNS_DIR):
                if (target / keep).exists():
                    (shutil.copytree if (target / keep).is_dir() else shutil.copy2)(target / keep, tmp / keep)
            _merge_history(target / m.HISTORY_DIR, tmp / m.HISTORY_DIR)
            trash = Path(tempfile.mkdtemp(prefix=f".trash-{target.name}-", dir=library))
            os.replace(target, trash / "old")
            os.replace(tmp, target)
            shutil.rmtree(trash, ignore_errors=True)
        else:
            os.replace(tmp, target)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise


def _merge_history(old: Path, new: Path) -> None:
    if not old.is_dir():
        return
    for f in old.rglob("*"):
        if f.is_file():
            dest = new / f.relative_to(old)
            dest.parent.mkdir(parents=True, exist_ok=True)
            if f.suffix == ".jsonl" and dest.exists():
                dest.write_text(f.read_text(encoding="utf-8") + dest.read_text(encoding="utf-8"), encoding="utf-8")
            elif not dest.exists():
                shutil.copy2(f, dest)

