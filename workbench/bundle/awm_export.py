"""``workbench export``: a library of bundles → AWM's gen_*.jsonl files, byte for byte.

Each bundle is loaded once. Its records are spooled to a scratch file per AWM file with a sort
key (the original line for imported records, so the original file order comes back; bundle
order after that for authored ones). Then each output is written in key order to a temp file and
all outputs are renamed into place together: a failed export changes nothing in ``OUT_DIR``.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from workbench.bundle.awm_layout import AWM_FILES, default_templates, default_verifier_template, resolve
from workbench.bundle.jsonl import dump_record
from workbench.bundle.load import iter_bundle_dirs, load_bundle
from workbench.bundle.model import Bundle, Verifier
from workbench.errors import ExportFailure

# Which records of a bundle a filter keeps: ``keep(bundle, file, task_idx)``.
RecordFilter = Callable[[Bundle, str, int | None], bool]


@dataclass
class ExportReport:
    out_dir: Path
    files: dict[str, int] = field(default_factory=dict)  # file name -> records written
    bundles: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    def to_json(self) -> dict:
        return {"out_dir": str(self.out_dir), "files": self.files, "bundles": self.bundles, "problems": self.problems}


def bundle_records(bundle: Bundle) -> Iterable[tuple[str, tuple, Any]]:
    """``(awm_file, sort_key, record)`` for every AWM record this bundle exports."""
    awm = bundle.awm or {}
    templates = awm.get("templates") or default_templates(bundle)
    lines = awm.get("lines") or {}
    for file in AWM_FILES[:6]:
        if file in templates:
            yield file, _key(lines.get(file)), resolve(templates[file], bundle)
    for shadow in awm.get("shadowed") or []:
        yield shadow["file"], _key(shadow.get("line")), shadow["record"]
    for n, v in enumerate(bundle.verifiers):
        yield _verifier_record(bundle, v, n)


def _key(line: int | None, n: int = 0) -> tuple:
    return (0, line, 0) if isinstance(line, int) else (1, 0, n)


def _verifier_record(bundle: Bundle, v: Verifier, n: int) -> tuple[str, tuple, Any]:
    template = v.meta.get("record")
    file = v.meta.get("record_file") or v.source
    if template is None:
        template = default_verifier_template(bundle, v.task_idx, v.mode)
    return file, _key(v.meta.get("line"), n), resolve(template, bundle, task_idx=v.task_idx, code=v.code)


def export_library(
    library: Path | str,
    out_dir: Path | str,
    *,
    bundle_dirs: list[Path] | None = None,
    keep: RecordFilter | None = None,
    progress: Callable[[int, int, str], None] | None = None,
) -> ExportReport:
    """Write AWM JSONL for every bundle in ``library`` (or ``bundle_dirs``) into ``out_dir``."""
    library, out_dir = Path(library), Path(out_dir)
    dirs = bundle_dirs if bundle_dirs is not None else iter_bundle_dirs(library)
    report = ExportReport(out_dir=out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=".export-", dir=out_dir))
    try:
        spools = {f: open(work / f"{f}.spool", "w+b") for f in AWM_FILES}
        index: dict[str, list[tuple[tuple, int, int, int]]] = {f: [] for f in AWM_FILES}
        for bn, d in enumerate(dirs):
            if progress:
                progress(bn + 1, len(dirs), d.name)
            bundle, problems = load_bundle(d, with_runs=False)
            for p in problems:
                if p.severity == "error":
                    report.problems.append(f"{d.name}/{p}")
            report.bundles.append(bundle.slug)
            for file, key, record in bundle_records(bundle):
                task_idx = record.get("task_idx") if isinstance(record, dict) else None
                if keep is not None and not keep(bundle, file, task_idx):
                    continue
                data = dump_record(record)
                fh = spools[file]
                pos = fh.seek(0, os.SEEK_END)
                fh.write(data)
                # Sort by original line first; authored records follow in bundle order.
                index[file].append(((key[0], key[1], bn, key[2]), bn, pos, len(data)))
        finals: dict[str, Path] = {}
        for file in AWM_FILES:
            entries = index[file]
            if not entries and file == "gen_verifier.pure_code":
                continue
            entries.sort(key=lambda e: e[0])
            tmp = work / f"{file}.jsonl"
            fh = spools[file]
            with open(tmp, "wb") as out:
                for _key_, _bn, pos, length in entries:
                    fh.seek(pos)
                    out.write(fh.read(length))
            finals[file] = tmp
            report.files[f"{file}.jsonl"] = len(entries)
        for fh in spools.values():
            fh.close()
        for file, tmp in finals.items():
            os.replace(tmp, out_dir / f"{file}.jsonl")
    except OSError as exc:
        raise ExportFailure(f"export to {out_dir} failed: {exc}") from exc
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return report
