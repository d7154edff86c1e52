from __future__ import annotations

import json
import os
import time
from pathlib import Path

from workbench.bundle.library_index import INDEX_FILE, library_rows
from workbench.bundle.stats import library_summary
from workbench.cli import main


def test_info_on_one_env(real_library: Path, capsys) -> None:
    assert main(["info", str(real_library / "gofundme"), "--format", "json"]) == 0
    env = json.loads(capsys.readouterr().out)["env"]
    assert env == {"slug": "gofundme", "name": "GoFundMe", "tables": 12, "sample_records": 60, "tools": 11,
                   "spec_tools": 11, "code_lines": 824, "tasks": 10, "verifiers_code": 10, "verifiers_sql": 0,
                   "runs": 0}


def test_info_on_library_beside_paper(real_library_copy: Path, capsys) -> None:
    assert main(["info", str(real_library_copy), "--format", "json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["summary"]["environments"] == 8
    tables = out["summary"]["metrics"]["tables"]
    assert tables["paper"] == {"mean": 18.5, "median": 18.0, "p90": 25.0}
    assert tables["ours"]["mean"] == round(sum(r["tables"] for r in out["envs"]) / 8, 1)
    assert out["summary"]["metrics"]["code_lines"]["paper"]["mean"] == 1984.7
    assert main(["info", str(real_library_copy)]) == 0
    text = capsys.readouterr().out
    assert "paper: mean / median / p90" in text and "1,984.7" in text


def test_library_index_is_reused_and_refreshed(real_library_copy: Path, monkeypatch) -> None:
    rows = library_rows(real_library_copy)
    assert (real_library_copy / INDEX_FILE).is_file()
    from workbench.bundle import library_index

    calls: list[str] = []
    real = library_index.load_bundle
    monkeypatch.setattr(library_index, "load_bundle", lambda d, **k: (calls.append(Path(d).name), real(d, **k))[1])
    assert library_rows(real_library_copy) == rows
    assert calls == []  # nothing re-read
    tasks = real_library_copy / "rover" / "tasks.json"
    data = json.loads(tasks.read_text())
    tasks.write_text(json.dumps(data[:3]))
    os.utime(tasks, ns=(time.time_ns(), time.time_ns() + 10**9))
    rows2 = library_rows(real_library_copy)
    assert calls == ["rover"]
    assert next(r for r in rows2 if r["slug"] == "rover")["tasks"] == 3


def test_summary_percentiles() -> None:
    rows = [{"tables": t, "sample_records": 0, "tools": 0, "code_lines": 0, "tasks": 0, "verifiers_code": 0,
             "verifiers_sql": 0, "runs": 0} for t in range(1, 11)]
    s = library_summary(rows)["metrics"]["tables"]["ours"]
    assert s == {"mean": 5.5, "median": 5.5, "p90": 9.1}
