"""What an imported bundle keeps in ``awm.json`` so export reproduces AWM's records byte for byte.

A record *template* is the original AWM record with the content we store in our own files
replaced by ``{"$workbench_ref": "<name>"}``. Export fills the references from the bundle's
current files, so edits flow through while key order, extra keys and literal values survive.

An *override* keeps an original value verbatim together with the hash of the file it was rendered
into. When our readable form of a value would not read back identically, the override is used for
as long as the file is unchanged.
"""

from __future__ import annotations

from typing import Any

from workbench.bundle.hashing import sha256_text
from workbench.bundle.model import Bundle
from workbench.bundle.names import normalize_scenario_name
from workbench.bundle.sqlfile import all_statements

REF = "$workbench_ref"

# The AWM files in the order the pipeline writes them, and the JSONL name of each.
AWM_FILES = (
    "gen_scenario",
    "gen_tasks",
    "gen_db",
    "gen_sample",
    "gen_spec",
    "gen_envs",
    "gen_verifier",
    "gen_verifier.pure_code",
)


def ref(name: str) -> dict[str, str]:
    return {REF: name}


def is_ref(value: Any) -> bool:
    return isinstance(value, dict) and len(value) == 1 and REF in value


def _override(bundle: Bundle, key: str, text: str | None) -> Any:
    ov = ((bundle.awm or {}).get("overrides") or {}).get(key)
    if ov and text is not None and ov.get("file_sha256") == sha256_text(text):
        return ov.get("value")
    return None


def effective_schema(bundle: Bundle) -> dict | None:
    """The db_schema to build and export: the verbatim original while schema.sql is unedited."""
    ov = _override(bundle, "schema", bundle.schema_text)
    return ov if ov is not None else bundle.schema


def effective_data(bundle: Bundle) -> dict | None:
    ov = _override(bundle, "data", bundle.data_text)
    return ov if ov is not None else bundle.data


def resolve(value: Any, bundle: Bundle, task_idx: int | None = None, code: str | None = None) -> Any:
    """Replace every reference in a template by the bundle's current content."""
    if is_ref(value):
        return _lookup(value[REF], bundle, task_idx, code)
    if isinstance(value, dict):
        return {k: resolve(v, bundle, task_idx, code) for k, v in value.items()}
    if isinstance(value, list):
        return [resolve(v, bundle, task_idx, code) for v in value]
    return value


def _lookup(name: str, bundle: Bundle, task_idx: int | None, code: str | None) -> Any:
    if name == "name":
        return bundle.env.get("name")
    if name == "description":
        return bundle.env.get("description")
    if name == "tasks":
        return [t.get("task") for t in bundle.tasks or []]
    if name == "schema":
        return effective_schema(bundle)
    if name == "data":
        return effective_data(bundle)
    if name == "data.tables_count":
        return len((effective_data(bundle) or {}).get("tables", []))
    if name == "data.inserts_count":
        return len(all_statements(effective_data(bundle) or {}))
    if name == "spec":
        return bundle.spec
    if name == "server":
        return bundle.server_code
    if name == "code":
        return code
    if name == "task":
        return bundle.task_text(task_idx) if task_idx is not None else None
    raise KeyError(f"unknown reference {name!r} in awm.json")


def default_templates(bundle: Bundle) -> dict[str, dict]:
    """AWM records for a bundle that was not imported (authored here): AWM's key order and paths."""
    name = bundle.name
    db_path = f"./outputs/databases/{normalize_scenario_name(name)}.db"
    t: dict[str, dict] = {"gen_scenario": {"name": ref("name"), "description": ref("description")}}
    if bundle.tasks is not None:
        t["gen_tasks"] = {"scenario": name, "tasks": ref("tasks")}
    if bundle.schema is not None:
        t["gen_db"] = {"scenario": name, "db_schema": ref("schema"), "db_path": db_path}
    if bundle.data is not None:
        t["gen_sample"] = {
            "scenario": name,
            "tables_count": ref("data.tables_count"),
            "inserts_count": ref("data.inserts_count"),
            "sample_data": ref("data"),
        }
    if bundle.spec is not None:
        t["gen_spec"] = {"scenario": name, "api_spec": ref("spec")}
    if bundle.server_code is not None:
        t["gen_envs"] = {"scenario": name, "db_path": db_path, "full_code": ref("server")}
    return t


def default_verifier_template(bundle: Bundle, task_idx: int, mode: str) -> dict:
    raw = ""
    return {
        "scenario": normalize_scenario_name(bundle.name),
        "task_idx": task_idx,
        "task": ref("task"),
        "verification": {"code": ref("code"), "raw_response": raw},
    }
