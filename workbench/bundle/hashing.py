"""Content hashes for every artifact of a bundle; review decisions cite them to detect staleness."""

from __future__ import annotations

import hashlib
import json
from typing import Any

from workbench.bundle.model import Bundle


def sha256_text(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def sha256_json(obj: Any) -> str:
    return sha256_text(json.dumps(obj, ensure_ascii=False, sort_keys=False, separators=(",", ":")))


def artifact_hashes(bundle: Bundle) -> dict[str, str]:
    """``{"scenario": h, "task:0": h, "schema": h, "data": h, "spec": h, "server": h,
    "verifier:0:code": h, "run:<id>": h}``; each hash is ``sha256:<hex>`` of the artifact's content."""
    out: dict[str, str] = {}

    def put(key: str, digest: str) -> None:
        out[key] = "sha256:" + digest

    put("scenario", sha256_json({"name": bundle.env.get("name"), "description": bundle.env.get("description")}))
    for t in bundle.tasks or []:
        put(f"task:{t.get('id')}", sha256_text(str(t.get("task", ""))))
    if bundle.schema_text is not None:
        put("schema", sha256_text(bundle.schema_text))
    if bundle.data_text is not None:
        put("data", sha256_text(bundle.data_text))
    if bundle.spec is not None:
        put("spec", sha256_json(bundle.spec))
    if bundle.server_code is not None:
        put("server", sha256_text(bundle.server_code))
    for v in bundle.verifiers:
        if v.active and f"verifier:{v.task_idx}:{v.mode}" not in out:
            put(f"verifier:{v.task_idx}:{v.mode}", sha256_json([v.mode, v.function, v.code]))
    for r in bundle.runs:
        if r.trajectory_path.is_file():
            put(f"run:{r.run_id}", sha256_bytes(r.trajectory_path.read_bytes()))
    return out
