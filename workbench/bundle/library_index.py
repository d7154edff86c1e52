"""A cached index of a library's bundles, so listing 1,000 environments is instant after the first time.

``<library>/.workbench-index.json`` holds, per bundle folder, a signature (size and mtime of
every file that feeds the stats) and the stats. A bundle whose signature changed is re-read.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from workbench.bundle import model as m
from workbench.bundle.load import load_bundle
from workbench.bundle.stats import env_stats
from workbench.fsutil import atomic_write_json

INDEX_FILE = ".workbench-index.json"
INDEX_VERSION = 3
_WATCHED = (m.ENV_FILE, m.TASKS_FILE, m.SCHEMA_FILE, m.DATA_FILE, m.SPEC_FILE, m.SERVER_FILE,
            m.VERIFIERS_INDEX, m.AWM_FILE, m.RUNS_DIR, m.REVIEWS_FILE)


def search_fields(bundle) -> dict[str, Any]:
    """What the library's filter looks into besides the numbers: description, table and tool names."""
    from workbench.bundle.awm_layout import effective_schema
    from workbench.bundle.stats import spec_operation_ids

    tables = [str(t.get("name")) for t in (effective_schema(bundle) or {}).get("tables", []) if isinstance(t, dict)]
    return {"description": str(bundle.env.get("description") or "")[:400], "table_names": tables,
            "tool_names": spec_operation_ids(bundle.spec)}


def _signature(d: Path) -> list:
    sig = []
    for name in _WATCHED:
        try:
            st = os.stat(d / name)
            sig.append([name, st.st_size, st.st_mtime_ns])
        except FileNotFoundError:
            sig.append([name, None, None])
    return sig


def library_rows(library: Path | str, *, write: bool = True) -> list[dict[str, Any]]:
    """One stats row per bundle, sorted by slug; rebuilt only for bundles that changed."""
    library = Path(library)
    index_path = library / INDEX_FILE
    cached: dict[str, Any] = {}
    try:
        raw = json.loads(index_path.read_text(encoding="utf-8"))
        if raw.get("version") == INDEX_VERSION:
            cached = raw.get("bundles", {})
    except (OSError, ValueError, AttributeError):
        cached = {}
    rows: list[dict[str, Any]] = []
    fresh: dict[str, Any] = {}
    changed = False
    with os.scandir(library) as it:
        dirs = sorted(e.name for e in it if e.is_dir() and not e.name.startswith("."))
    for name in dirs:
        d = library / name
        if not (d / m.ENV_FILE).is_file():
            continue
        sig = _signature(d)
        hit = cached.get(name)
        if hit and hit.get("sig") == sig:
            row = hit["row"]
        else:
            changed = True
            try:
                bundle, problems = load_bundle(d)
                row = env_stats(bundle).to_json()
                row["errors"] = sum(1 for p in problems if p.severity == "error")
                row.update(search_fields(bundle))
            except Exception as exc:  # a broken bundle is listed, not fatal
                row = {"slug": name, "name": name, "tables": 0, "sample_records": 0, "tools": 0, "spec_tools": 0,
                       "code_lines": 0, "tasks": 0, "verifiers_code": 0, "verifiers_sql": 0, "runs": 0,
                       "errors": 1, "load_error": str(exc), "description": "", "table_names": [], "tool_names": []}
        fresh[name] = {"sig": sig, "row": row}
        rows.append(row)
    if write and (changed or set(fresh) != set(cached)):
        try:
            atomic_write_json(index_path, {"version": INDEX_VERSION, "bundles": fresh}, indent=None)
        except OSError:
            pass
    return rows
