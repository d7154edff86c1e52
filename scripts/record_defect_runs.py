"""Record one run per reproducible planted defect of the sample environments.

For every answer-key defect with a ``repro`` (a tool and its arguments), call the tool on a fresh
instance through the workbench runtime and save it as ``runs/defect-<ID>/`` (kind ``human``), so
the defect can be replayed (``workbench replay``) and reviewed like any run. Existing defect runs
are left alone. Usage: python scripts/record_defect_runs.py [sample_envs/<slug> ...]
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from workbench.bundle.load import load_bundle
from workbench.runtime.session import EnvSession
from workbench.trajectory.human import HumanRun

REPO = Path(__file__).resolve().parent.parent


def record(bundle_dir: Path) -> int:
    key = json.loads((bundle_dir / "answer_key.json").read_text(encoding="utf-8"))
    bundle, _ = load_bundle(bundle_dir)
    made = 0
    with EnvSession.open(bundle) as session:
        for d in key["defects"]:
            repro = d.get("repro")
            run_id = f"defect-{d['id']}"
            if not repro or (bundle_dir / "runs" / run_id).exists():
                continue
            session.reset()
            run = HumanRun(session, task_id=d.get("task_idx"))
            out = run.call(repro["tool"], repro.get("arguments") or {})
            status = f"HTTP {out.status}" if out.status else out.error_kind
            run.save(f"Reproduces {d['id']} ({d['category']}): {status}.", kind="human", run_id=run_id,
                     note=f"{d['id']}: {d['summary']}")
            print(f"{bundle.slug}/runs/{run_id}: {repro['tool']} -> {status}")
            made += 1
    return made


if __name__ == "__main__":
    targets = [Path(a) for a in sys.argv[1:]] or sorted(p for p in (REPO / "sample_envs").iterdir()
                                                        if (p / "answer_key.json").is_file())
    print(f"{sum(record(t) for t in targets)} defect runs recorded")
