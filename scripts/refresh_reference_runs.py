"""Re-record the tool observations of every reference run through the workbench runtime.

The sample environments' reference runs were first written with an in-process harness. This
replays each run's calls on a fresh instance (logical clock at reference_time) and rewrites the
recorded observations with what the runtime returns, so replays match byte for byte. It prints
every observation that changed. Usage: python scripts/refresh_reference_runs.py [sample_envs/<slug> ...]
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from workbench.bundle.load import load_bundle
from workbench.runtime.session import EnvSession
from workbench.trajectory.awm_trajectory import awm_observation, load_trajectory

REPO = Path(__file__).resolve().parent.parent


def refresh(bundle_dir: Path) -> int:
    bundle, _ = load_bundle(bundle_dir)
    changed = 0
    with EnvSession.open(bundle) as session:
        for run in bundle.runs:
            if run.kind != "reference":
                continue
            session.reset()
            traj = load_trajectory(run.trajectory_path)
            data = traj.data
            for step in traj.calls:
                out = session.call(step.tool, step.arguments)
                obs = awm_observation(out.text, out.is_error)
                if obs != step.observation:
                    changed += 1
                    print(f"{bundle.slug}/{run.run_id} step {step.index}: {step.tool} observation updated")
                    data["trajectory"][step.index]["tool_response"]["content"] = obs
                    for m in data.get("messages") or []:
                        if m.get("role") == "tool" and m.get("tool_call_id") == step.call_id:
                            m["content"] = obs
            text = json.dumps(data, indent=4, ensure_ascii=False)
            run.trajectory_path.write_text(text, encoding="utf-8")
    return changed


if __name__ == "__main__":
    targets = [Path(a) for a in sys.argv[1:]] or sorted(p for p in (REPO / "sample_envs").iterdir() if (p / "env.json").is_file())
    total = sum(refresh(t) for t in targets)
    print(f"{total} observations updated")
