"""The paper's Table 2 numbers for one environment, and their distribution over a library."""

from __future__ import annotations

import re
import statistics
from dataclasses import asdict, dataclass
from typing import Any

from workbench.bundle.awm_layout import effective_data, effective_schema
from workbench.bundle.model import Bundle
from workbench.bundle.sqlfile import all_statements

# AWM paper, Table 2 (mean / median / top-90%).
PAPER_TABLE2 = {
    "tables": {"mean": 18.5, "median": 18.0, "p90": 25.0},
    "sample_records": {"mean": 129.3, "median": 121.0, "p90": 192.0},
    "tools": {"mean": 35.1, "median": 35.0, "p90": 45.0},
    "code_lines": {"mean": 1984.7, "median": 1944.0, "p90": 2586.0},
}

_ROUTE = re.compile(r"^[ \t]*@\w+\.(?:get|post|put|patch|delete)\(", re.MULTILINE)


@dataclass
class EnvStats:
    slug: str
    name: str
    tables: int
    sample_records: int
    tools: int
    spec_tools: int
    code_lines: int
    tasks: int
    verifiers_code: int
    verifiers_sql: int
    runs: int

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


def count_routes(code: str | None) -> int:
    """Route decorators (``@app.get(...)``, ``@router.post(...)``): what fastapi-mcp exposes as tools.

    A line scan, not an AST walk: listing 1,000 environments must stay fast, and the runtime
    reports the exact tool list when the server is actually imported.
    """
    if not code:
        return 0
    return len(_ROUTE.findall(code))


def spec_operation_ids(spec: dict | None) -> list[str]:
    ids: list[str] = []
    for group in (spec or {}).get("api_groups", []) or []:
        if isinstance(group, dict):
            for ep in group.get("endpoints", []) or []:
                if isinstance(ep, dict) and isinstance(ep.get("operation_id"), str):
                    ids.append(ep["operation_id"])
    return ids


def env_stats(bundle: Bundle) -> EnvStats:
    active = bundle.active_verifiers()
    return EnvStats(
        slug=bundle.slug,
        name=bundle.name,
        tables=len((effective_schema(bundle) or {}).get("tables", [])),
        sample_records=len(all_statements(effective_data(bundle) or {})),
        tools=count_routes(bundle.server_code),
        spec_tools=len(spec_operation_ids(bundle.spec)),
        code_lines=len(bundle.server_code.splitlines()) if bundle.server_code else 0,
        tasks=len(bundle.tasks or []),
        verifiers_code=sum(1 for (_, mode) in active if mode == "code"),
        verifiers_sql=sum(1 for (_, mode) in active if mode == "sql"),
        runs=len(bundle.runs),
    )


def _p90(values: list[float]) -> float:
    """The 90th percentile, interpolated (the paper's "top-90%" column)."""
    if len(values) == 1:
        return float(values[0])
    return float(statistics.quantiles(values, n=10, method="inclusive")[-1])


def library_summary(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """Mean / median / p90 per Table 2 metric, beside the paper's values."""
    out: dict[str, Any] = {"environments": len(rows), "metrics": {}}
    for metric, paper in PAPER_TABLE2.items():
        values = [float(r[metric]) for r in rows]
        ours = (
            {"mean": round(statistics.fmean(values), 1), "median": float(statistics.median(values)), "p90": round(_p90(values), 1)}
            if values
            else {"mean": None, "median": None, "p90": None}
        )
        out["metrics"][metric] = {"ours": ours, "paper": paper}
    out["totals"] = {
        "tasks": sum(r["tasks"] for r in rows),
        "verifiers_code": sum(r["verifiers_code"] for r in rows),
        "verifiers_sql": sum(r["verifiers_sql"] for r in rows),
        "runs": sum(r["runs"] for r in rows),
    }
    return out
