"""Make an AWM outputs/ folder of N environments by replicating the real ones under new names."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from workbench.bundle.names import normalize_scenario_name

REPO = Path(__file__).resolve().parent.parent
REAL = REPO.parent / "shared" / "awm_samples" / "lisalims-c24daca" / "outputs"
FILES = ["gen_scenario", "gen_tasks", "gen_db", "gen_sample", "gen_spec", "gen_envs", "gen_verifier"]


def replicate(n: int, out: Path, source: Path = REAL) -> Path:
    """Write ``n`` environments (renamed copies of the real ones, cycled) into ``out``; stream, never hold it all."""
    out.mkdir(parents=True, exist_ok=True)
    for f in FILES:
        records = [json.loads(line) for line in (source / f"{f}.jsonl").read_text(encoding="utf-8").splitlines() if line.strip()]
        key = "name" if f == "gen_scenario" else "scenario"
        with open(out / f"{f}.jsonl", "w", encoding="utf-8") as fh:
            copies = (n + 7) // 8
            for c in range(copies):
                for rec in records:
                    original = rec[key]
                    # The verifier file stores normalised names; every other file stores the raw name.
                    scenario_names = sorted({r.get("name") for r in map(json.loads, open(source / "gen_scenario.jsonl"))})
                    raw = next(s for s in scenario_names if normalize_scenario_name(s) == normalize_scenario_name(original))
                    idx = c * 8 + scenario_names.index(raw)
                    if idx >= n:
                        continue
                    new_raw = f"{raw} {idx:04d}"
                    rec2 = dict(rec)
                    rec2[key] = normalize_scenario_name(new_raw) if f == "gen_verifier" else new_raw
                    fh.write(json.dumps(rec2, ensure_ascii=False) + "\n")
    return out


if __name__ == "__main__":
    replicate(int(sys.argv[1]), Path(sys.argv[2]))
