"""The ``workbench`` command: every capability, headless, with ``--format json`` and real exit codes.

Exit codes: 0 success; 1 the command ran and found problems; 2 bad usage or unreadable input.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE = 0, 1, 2


def _print_json(obj: Any) -> None:
    sys.stdout.write(json.dumps(obj, indent=2, ensure_ascii=False, default=str) + "\n")


def _progress(enabled: bool):
    if not enabled or not sys.stderr.isatty():
        return None

    def show(n: int, total: int, label: str) -> None:
        width = 30
        done = int(width * n / max(total, 1))
        sys.stderr.write(f"\r[{'#' * done}{'.' * (width - done)}] {n}/{total} {label[:40]:<40}")
        if n == total:
            sys.stderr.write("\n")
        sys.stderr.flush()

    return show


def _bundle_dirs(path: Path) -> list[Path] | None:
    """The bundles of a library (or the one bundle given); prints the error and returns None if none."""
    from workbench.bundle.load import iter_bundle_dirs

    dirs = iter_bundle_dirs(path)
    if not dirs:
        print(f"error: {path}: no bundles found", file=sys.stderr)
        return None
    return dirs


# ---------------------------------------------------------------------------------------------- import


def cmd_import(args: argparse.Namespace) -> int:
    from workbench.bundle.awm_import import import_awm
    from workbench.bundle.runs_import import RunImportError, import_run_folder

    src = Path(args.source)
    if (src / "trajectory.json").is_file():
        try:
            slug, rid = import_run_folder(src, Path(args.library), kind=args.kind)
        except (RunImportError, ValueError) as exc:
            print(f"error: {exc}", file=sys.stderr)
            return EXIT_PROBLEMS
        if args.format == "json":
            _print_json({"run": f"{slug}/runs/{rid}"})
        else:
            print(f"imported run into {slug}/runs/{rid}")
        return EXIT_OK
    if not src.is_dir():
        print(f"error: {src}: not a folder (expected an AWM outputs/ folder or a run folder)", file=sys.stderr)
        return EXIT_USAGE
    report = import_awm(
        src,
        Path(args.library),
        reference_time=args.reference_time,
        replace=args.replace,
        only=set(args.only.split(",")) if args.only else None,
        progress=_progress(args.format != "json"),
    )
    if args.format == "json":
        _print_json(report.to_json())
    else:
        for note in report.file_notes:
            print(note)
        for env in report.envs:
            line = f"{env.status:8} {env.slug}  ({env.name})"
            if env.reference_time:
                line += f"  reference_time={env.reference_time} [{env.reference_time_source}]"
            print(line)
            if env.db_comparison is not None:
                c = env.db_comparison
                print(
                    f"         shipped database: {c['cells_different']} of {c['cells_compared']} cells differ"
                    + (f", row counts differ in {sorted(c['row_count_differences'])}" if c["row_count_differences"] else "")
                )
                for ex in c["examples"][: args.show_diffs]:
                    print(f"           {ex['table']} row {ex['row']} {ex['column']}: ours={ex['ours']!r} shipped={ex['shipped']!r}")
            for note in env.notes:
                if args.verbose or note.level != "info":
                    print(f"         {note}")
        imported = sum(1 for e in report.envs if e.status == "imported")
        print(f"{imported} imported, {sum(1 for e in report.envs if e.status == 'skipped')} skipped, "
              f"{sum(1 for e in report.envs if e.status == 'failed')} failed -> {args.library}")
    return EXIT_OK if report.ok else EXIT_PROBLEMS


# ---------------------------------------------------------------------------------------------- export


def cmd_export(args: argparse.Namespace) -> int:
    from workbench.bundle.awm_export import export_library

    library = Path(args.library)
    if args.accepted:
        from workbench.errors import ExportFailure
        from workbench.review.curate import export_accepted

        try:
            report = export_accepted(library, Path(args.out), progress=_progress(args.format != "json"))
        except ExportFailure as exc:
            print(f"error: {exc}", file=sys.stderr)
            return EXIT_USAGE
        if args.format == "json":
            _print_json(report.to_json())
        else:
            for e in report.exported:
                print(f"exported {e['slug']}" + (f" (tasks left out: {[t['task_idx'] for t in e['excluded_tasks']]})"
                                                if e.get("excluded_tasks") else ""))
            for e in report.not_exported:
                print(f"skipped  {e['slug']}: {e['reason']}" + (f" ({e['detail']})" if e.get("detail") else ""))
            print(f"manifest: {report.manifest_path}")
        return EXIT_PROBLEMS if report.problems else EXIT_OK
    dirs = _bundle_dirs(library)
    if dirs is None:
        return EXIT_USAGE
    report = export_library(library, Path(args.out), bundle_dirs=dirs, progress=_progress(args.format != "json"))
    if args.format == "json":
        _print_json(report.to_json())
    else:
        for p in report.problems:
            print(f"warning: {p}", file=sys.stderr)
        for name, n in report.files.items():
            print(f"{n:6} records  {Path(args.out) / name}")
    return EXIT_OK


# ---------------------------------------------------------------------------------------------- build-db


def cmd_build_db(args: argparse.Namespace) -> int:
    from workbench.bundle.load import load_bundle
    from workbench.db.build import build_bundle, write_database

    bundle, problems = load_bundle(Path(args.env), with_runs=False)
    if args.reference_time:
        bundle.env["reference_time"] = args.reference_time
    result = build_bundle(bundle)
    write_database(result, Path(args.output))
    if args.format == "json":
        summary = result.summary()
        summary["output"] = args.output
        _print_json(summary)
    else:
        print(f"built {args.output}: {result.tables_total} tables ({result.tables_failed} failed), "
              f"{result.inserts_total} inserts ({result.inserts_failed} failed), now = {result.reference_time}")
        for f in result.failures:
            print(f"  {f.stage} {f.where}: {f.error}\n    {f.statement[:300]}")
    return EXIT_PROBLEMS if result.failures else EXIT_OK


# ---------------------------------------------------------------------------------------------- info


def _fmt(v: Any) -> str:
    return "-" if v is None else (f"{v:,.1f}" if isinstance(v, float) else f"{v:,}")


def cmd_info(args: argparse.Namespace) -> int:
    from workbench.bundle.library_index import library_rows
    from workbench.bundle.load import is_bundle, load_bundle
    from workbench.bundle.stats import PAPER_TABLE2, env_stats, library_summary

    path = Path(args.path)
    if is_bundle(path):
        bundle, problems = load_bundle(path)
        stats = env_stats(bundle).to_json()
        if args.format == "json":
            _print_json({"env": stats, "problems": [p.__dict__ for p in problems]})
        else:
            print(f"{bundle.name}  [{bundle.slug}]  reference_time={bundle.reference_time}")
            for key in ("tables", "sample_records", "tools", "code_lines"):
                print(f"  {key:15} {stats[key]:>7,}   (paper mean {PAPER_TABLE2[key]['mean']:,})")
            print(f"  {'spec tools':15} {stats['spec_tools']:>7,}")
            print(f"  {'tasks':15} {stats['tasks']:>7,}")
            print(f"  {'verifiers':15} {stats['verifiers_code']:>4} code, {stats['verifiers_sql']} sql")
            print(f"  {'runs':15} {stats['runs']:>7,}")
            for p in problems:
                print(f"  {p}")
        return EXIT_PROBLEMS if any(p.severity == "error" for p in problems) else EXIT_OK
    if not path.is_dir():
        print(f"error: {path}: neither a bundle nor a library folder", file=sys.stderr)
        return EXIT_USAGE
    rows = library_rows(path)
    summary = library_summary(rows)
    if args.format == "json":
        _print_json({"library": str(path), "summary": summary, "envs": rows})
        return EXIT_OK
    header = f"{'environment':40} {'tables':>6} {'records':>7} {'tools':>5} {'lines':>6} {'tasks':>5} {'code':>4} {'sql':>4}"
    print(header)
    for r in rows:
        print(f"{r['slug'][:40]:40} {r['tables']:>6} {r['sample_records']:>7} {r['tools']:>5} {r['code_lines']:>6} "
              f"{r['tasks']:>5} {r['verifiers_code']:>4} {r['verifiers_sql']:>4}" + ("  (errors)" if r.get("errors") else ""))
    print()
    print(f"{summary['environments']} environments      {'ours: mean / median / p90':>34}   {'paper: mean / median / p90':>30}")
    for metric, v in summary["metrics"].items():
        o, p = v["ours"], v["paper"]
        print(f"  {metric:16} {_fmt(o['mean']):>12} / {_fmt(o['median']):>8} / {_fmt(o['p90']):>8}"
              f"   {_fmt(p['mean']):>10} / {_fmt(p['median']):>8} / {_fmt(p['p90']):>8}")
    return EXIT_OK


# ---------------------------------------------------------------------------------------------- validate


def cmd_validate(args: argparse.Namespace) -> int:
    from workbench.bundle.load import load_bundle

    dirs = _bundle_dirs(Path(args.path))
    if dirs is None:
        return EXIT_USAGE
    out, errors = [], 0
    for d in dirs:
        try:
            _bundle, problems = load_bundle(d)
        except Exception as exc:
            out.append({"bundle": d.name, "problems": [{"severity": "error", "file": "env.json", "field": "(file)",
                                                        "message": str(exc)}]})
            errors += 1
            continue
        errors += sum(1 for p in problems if p.severity == "error")
        out.append({"bundle": d.name, "problems": [p.__dict__ for p in problems]})
    if args.format == "json":
        _print_json(out)
    else:
        for entry in out:
            status = "ok" if not any(p["severity"] == "error" for p in entry["problems"]) else "INVALID"
            print(f"{status:8} {entry['bundle']}")
            for p in entry["problems"]:
                print(f"         {p['severity']}: {p['file']}: {p['field']}: {p['message']}")
    return EXIT_PROBLEMS if errors else EXIT_OK


# ---------------------------------------------------------------------------------------------- call


def cmd_call(args: argparse.Namespace) -> int:
    from workbench.db.diff import render_diff
    from workbench.fsutil import atomic_write_bytes
    from workbench.runtime.instances import instance_path
    from workbench.runtime.session import EnvSession

    try:
        arguments = json.loads(args.args) if args.args else {}
    except json.JSONDecodeError as exc:
        print(f"error: --args: not valid JSON ({exc})", file=sys.stderr)
        return EXIT_USAGE
    if not isinstance(arguments, dict):
        print("error: --args: a JSON object of arguments", file=sys.stderr)
        return EXIT_USAGE
    from workbench.bundle.load import load_bundle

    bundle, _ = load_bundle(Path(args.env), with_runs=False)
    saved = instance_path(bundle.slug, args.instance) if args.instance else None
    db_file = saved if saved is not None and saved.is_file() else None
    with EnvSession.open(bundle, db_file=db_file, timeout=args.timeout) as session:
        if session.tool(args.tool) is None and not args.format == "json":
            names = ", ".join(t.name for t in session.tools)
            print(f"error: {args.tool!r} is not a tool of {bundle.slug}. Tools: {names}", file=sys.stderr)
            return EXIT_USAGE
        outcome = session.call(args.tool, arguments)
        if saved is not None:
            atomic_write_bytes(saved, outcome.after.snapshot.data)
    if args.format == "json":
        _print_json(outcome.to_json())
    else:
        label = "error" if outcome.is_error else "result"
        status = f" (HTTP {outcome.status})" if outcome.status else ""
        print(f"--- {label}{status}, {outcome.duration_ms:.1f} ms")
        print(outcome.text)
        if outcome.traceback:
            print("--- server exception (not shown to the agent)")
            for f in outcome.server_lines:
                print(f"  server.py:{f['line']} in {f['function']}: {f['code']}")
            print(f"  {outcome.exception}")
            if args.verbose:
                print(outcome.traceback.rstrip())
        print("--- database changes")
        print(render_diff(outcome.diff))
        if saved is not None:
            print(f"--- state saved to instance {args.instance!r} ({saved})")
    return EXIT_PROBLEMS if outcome.is_error else EXIT_OK


# ---------------------------------------------------------------------------------------------- serve


def cmd_serve(args: argparse.Namespace) -> int:
    import shutil
    import subprocess
    import tempfile

    from workbench.bundle.load import load_bundle
    from workbench.db.build import build_bundle

    bundle, _ = load_bundle(Path(args.env), with_runs=False)
    if bundle.server_code is None:
        print(f"error: {args.env}: no server.py", file=sys.stderr)
        return EXIT_USAGE
    work = Path(tempfile.mkdtemp(prefix="wb-serve-"))
    db = work / "instance.db"
    # The database served is always a private copy: --db FILE is read, never modified (unlike AWM).
    db.write_bytes(Path(args.db).read_bytes() if args.db else build_bundle(bundle).data)
    cmd = [sys.executable, "-m", "workbench.runtime.worker", "--server", str((bundle.path / "server.py").resolve()),
           "--db", str(db)]
    if bundle.reference_time:
        cmd += ["--reference-time", bundle.reference_time]
    if args.transport == "http":
        cmd += ["--http", f"{args.host}:{args.port}"]
        print(f"serving {bundle.slug} on http://{args.host}:{args.port}/mcp (database: {db}); Ctrl-C stops",
              file=sys.stderr)
    else:
        print(f"serving {bundle.slug} over stdio (database: {db})", file=sys.stderr)
    try:
        proc = subprocess.run(cmd, cwd=work)  # stdin/stdout are inherited: they carry the protocol
        code = proc.returncode
    except KeyboardInterrupt:
        code = 0
    finally:
        if args.save and db.exists():
            shutil.copyfile(db, args.save)
            print(f"final database saved to {args.save}", file=sys.stderr)
        shutil.rmtree(work, ignore_errors=True)
    return code


# ---------------------------------------------------------------------------------------------- check


def cmd_check(args: argparse.Namespace) -> int:
    import time

    from workbench.runtime.check import check_library

    dirs = _bundle_dirs(Path(args.path))
    if dirs is None:
        return EXIT_USAGE
    t0 = time.perf_counter()
    results = check_library(dirs, jobs=args.jobs, call_timeout=args.timeout,
                            progress=_progress(args.format != "json"))
    elapsed = time.perf_counter() - t0
    failed = [r for r in results if not r.ok]
    from workbench.runtime.check import save_check_state

    save_check_state(Path(args.path), results)
    if args.report:
        from workbench.fsutil import atomic_write_json

        atomic_write_json(Path(args.report), {"environments": [r.to_json() for r in results]})
    if args.format == "json":
        _print_json({"seconds": round(elapsed, 2), "ok": len(results) - len(failed), "failed": len(failed),
                     "environments": [r.to_json() for r in results]})
    else:
        for r in results:
            c = r.smoke_counts
            tools = r.tools.get("listed", "-")
            print(f"{'ok' if r.ok else 'FAIL':5} {r.slug[:44]:44} tools {tools!s:>3}/{r.tools.get('spec', '-')!s:<3} "
                  f"smoke ok {c.get('ok', 0):>3} 4xx {c.get('client_error', 0):>3} 5xx {c.get('server_error', 0):>3}"
                  f"{' hang ' + str(c['hang']) if c.get('hang') else ''}{' crash ' + str(c['crash']) if c.get('crash') else ''}"
                  f"  {r.seconds:.2f}s")
            for p in r.problems:
                print(f"      {p}")
            for w in r.warnings:
                print(f"      warning: {w}")
        print(f"{len(results) - len(failed)} ok, {len(failed)} failed, {elapsed:.1f} s "
              f"({elapsed / max(len(results), 1):.2f} s per environment, {args.jobs} jobs)")
    return EXIT_PROBLEMS if failed else EXIT_OK


# ---------------------------------------------------------------------------------------------- replay


def _find_run(bundle, run: str):
    """A run by id (runs/<id>), or a path to a run folder / trajectory file."""
    p = Path(run)
    for r in bundle.runs:
        if r.run_id == run:
            return r.trajectory_path, r
    if p.is_dir() and (p / "trajectory.json").is_file():
        return p / "trajectory.json", None
    if p.is_file():
        return p, None
    known = ", ".join(r.run_id for r in bundle.runs) or "none"
    raise SystemExit(f"error: run {run!r} not found in {bundle.path}/runs (known: {known})")


def cmd_replay(args: argparse.Namespace) -> int:
    from workbench.bundle.load import load_bundle
    from workbench.db.diff import render_diff
    from workbench.runtime.session import EnvSession
    from workbench.trajectory.awm_trajectory import load_run_file
    from workbench.trajectory.replay import Replay

    bundle, _ = load_bundle(Path(args.env))
    path, _run = _find_run(bundle, args.run)
    try:
        traj = load_run_file(path)
    except (ValueError, OSError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    catalogue = None
    try:
        from workbench.trajectory.catalogue import render_catalogue as catalogue  # type: ignore[no-redef]
    except ImportError:
        pass
    with EnvSession.open(bundle, timeout=args.timeout) as session:
        replay = Replay.run(session, traj, catalogue=catalogue)
    if args.format == "json":
        _print_json({"run": str(path), "seconds": round(replay.seconds, 3), "steps": [s.to_json() for s in replay.steps],
                     "divergences": [s.index for s in replay.divergences]})
    else:
        for s in replay.steps:
            flag = "DIVERGED" if s.diverged else ("error" if s.is_error else "ok")
            args_text = json.dumps(s.recorded.arguments, ensure_ascii=False)
            print(f"[{s.index}] {s.recorded.kind} {s.tool or ''} {args_text if s.tool else ''}  -> {flag}"
                  + (f"  ({s.note})" if s.note else ""))
            if s.diff is not None and not s.diff.empty:
                print("    " + render_diff(s.diff).replace("\n", "\n    "))
            if s.diverged:
                print("    recorded: " + (s.recorded.observation or "")[:400].replace("\n", " "))
                print("    replayed: " + (s.observation or "")[:400].replace("\n", " "))
        n = len([s for s in replay.steps if s.recorded.kind == "call"])
        print(f"{n} calls replayed in {replay.seconds * 1000:.0f} ms; {len(replay.divergences)} diverged")
    return EXIT_PROBLEMS if replay.divergences else EXIT_OK


# ---------------------------------------------------------------------------------------------- verify


def _judge_factory(args: argparse.Namespace):
    """A judge for sql-mode verifiers when --judge is given (OPENAI_BASE_URL/OPENAI_API_KEY/WORKBENCH_MODEL)."""
    if not getattr(args, "judge", False):
        return None
    from workbench.verify.judge import judge_run

    def factory(bundle, task_idx, verifier):
        def judge(outcome):
            from workbench.verify.judge import criteria_from_meta

            result = judge_run(bundle.task_text(task_idx) or "", [], outcome.verify_result,
                               verifier_code=verifier.code, criteria=criteria_from_meta(verifier.meta))
            return result.classification

        return judge

    return factory


def cmd_verify(args: argparse.Namespace) -> int:
    from workbench.bundle.load import load_bundle
    from workbench.verify.run_dbs import run_databases
    from workbench.verify.sandbox import run_verifier

    bundle, _ = load_bundle(Path(args.env))
    config = None
    if args.judge:
        from workbench.llm.client import ConfigError, LLMConfig

        try:
            config = LLMConfig.from_env(model=args.model, base_url=args.base_url)
        except ConfigError as exc:
            print(f"error: --judge: {exc}", file=sys.stderr)
            return EXIT_USAGE
    active = bundle.active_verifiers()
    choices = {mode: v for (idx, mode), v in active.items() if idx == args.task}
    if not choices:
        print(f"error: task {args.task} has no verifier in {bundle.slug}", file=sys.stderr)
        return EXIT_USAGE
    v = choices.get(args.mode) if args.mode else next(iter(choices.values()))
    if v is None:
        print(f"error: task {args.task} has no {args.mode}-mode verifier", file=sys.stderr)
        return EXIT_USAGE
    if args.run:
        path, run = _find_run(bundle, args.run)
        if run is None:
            print("error: --run must name a run of this bundle (runs/<id>)", file=sys.stderr)
            return EXIT_USAGE
        dbs = run_databases(bundle, run)
        initial, final, answer, source = dbs.initial, dbs.final, dbs.final_answer, f"run {run.run_id} ({dbs.source})"
    else:
        from workbench.db.build import build_bundle

        initial = build_bundle(bundle).data
        final, answer, source = initial, "", "do-nothing run (final = initial)"
    out = run_verifier(v.code, v.mode, initial, final, answer, function=v.function, timeout=args.timeout)
    judge = None
    if v.mode == "sql" and out.status == "ok" and args.judge:
        from workbench.verify.judge import judge_run

        traj = []
        if args.run:
            from workbench.trajectory.awm_trajectory import load_run_file

            traj = load_run_file(path).data.get("trajectory") or []
        from workbench.verify.judge import criteria_from_meta

        judge = judge_run(bundle.task_text(args.task) or "", traj, out.verify_result, verifier_code=v.code,
                          criteria=criteria_from_meta(v.meta), config=config, repeats=args.repeats)
    if args.format == "json":
        payload = {"task": args.task, "source": source, "outcome": out.to_json()}
        if judge is not None:
            payload["judge"] = {"classification": judge.classification, "reasoning": judge.reasoning,
                                "error": judge.error, "distribution": judge.distribution}
        _print_json(payload)
    else:
        print(f"task {args.task} ({v.mode} mode, {v.function}) on {source}")
        print(f"status: {out.status}  reward: {out.reward_type}  {out.duration_ms:.0f} ms")
        if out.status == "ok":
            print(json.dumps(out.value, indent=2, ensure_ascii=False, default=str))
        if out.traceback:
            for f in out.error_lines:
                print(f"  verifier line {f['line']} in {f['function']}: {f['code']}")
            print(out.traceback.rstrip())
        if out.stdout:
            print("--- stdout\n" + out.stdout.rstrip())
        if judge is not None:
            print(f"judge: {judge.classification}" + (f" ({judge.error})" if judge.error else ""))
            if judge.distribution and args.repeats > 1:
                print(f"judge labels over {args.repeats} repeats: {judge.distribution}")
        elif v.mode == "sql" and out.status == "ok":
            print("(sql mode: the label comes from the LLM judge; pass --judge with OPENAI_BASE_URL, "
                  "OPENAI_API_KEY and WORKBENCH_MODEL set)")
    failed = out.status != "ok" or (judge is not None and judge.classification == "judge_error")
    return EXIT_PROBLEMS if failed else EXIT_OK


# ---------------------------------------------------------------------------------------------- sanity


def cmd_sanity(args: argparse.Namespace) -> int:
    from workbench.bundle.load import is_bundle
    from workbench.verify.sanity import check_library, save_sanity_state

    path = Path(args.path)
    dirs = _bundle_dirs(path)
    if dirs is None:
        return EXIT_USAGE
    results = check_library(dirs, judge_factory=_judge_factory(args), progress=_progress(args.format != "json"),
                            timeout=args.timeout)
    save_sanity_state(path.parent if is_bundle(path) else path, results)
    if args.format == "json":
        _print_json({"environments": [r.to_json() for r in results]})
    else:
        total = passes = 0
        for r in results:
            print(f"{'ok' if r.ok else 'PROBLEMS':8} {r.slug}")
            for p in r.problems:
                print(f"         {p}")
            for t in r.tasks:
                total += 1
                passes += t.do_nothing == "complete"
                for p in t.problems:
                    print(f"         {p}")
        print(f"{sum(r.ok for r in results)} of {len(results)} environments clean; {passes} of {total} verifiers "
              "judge a do-nothing run complete")
    return EXIT_OK if all(r.ok for r in results) else EXIT_PROBLEMS


# ---------------------------------------------------------------------------------------------- agent


def cmd_agent(args: argparse.Namespace) -> int:
    from workbench.llm.client import ConfigError
    from workbench.runtime.session import EnvStartError
    from workbench.trajectory.agent import AgentError, run_agent

    def show(step: dict) -> None:
        if args.format != "json":
            calls = step.get("tool_calls") or []
            if calls:
                c = calls[0]
                inner = c.get("arguments") if isinstance(c.get("arguments"), dict) else {}
                name = inner.get("tool_name", c.get("name"))
                print(f"[{step.get('iteration')}] {name} {str(inner.get('arguments', ''))[:120]}", file=sys.stderr)
            elif step.get("is_final"):
                print(f"[{step.get('iteration')}] final answer", file=sys.stderr)

    try:
        result = run_agent(Path(args.env), args.task, model=args.model, base_url=args.base_url,
                           protocol=args.protocol, max_steps=args.max_steps, history_window=args.history_window,
                           temperature=args.temperature, max_tokens=args.max_tokens, run_id=args.run_id,
                           on_step=show)
    except (AgentError, ConfigError, EnvStartError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    if args.format == "json":
        _print_json(result.summary())
    else:
        print(f"run written to {result.run_dir}: {result.steps} steps, {result.tool_calls} tool calls, "
              f"stop reason {result.stop_reason}")
        if result.final_answer:
            print(f"final answer: {result.final_answer}")
    return EXIT_OK if result.finished else EXIT_PROBLEMS


# ---------------------------------------------------------------------------------------------- review


def cmd_review(args: argparse.Namespace) -> int:
    from workbench.errors import BundleError
    from workbench.review.decisions import record_decision
    from workbench.review.taxonomy import ReviewError

    try:
        d = record_decision(Path(args.env), args.target, args.verdict, category=args.category,
                            severity=args.severity, blocks_task=args.blocks_task, note=args.note or "",
                            reviewer=args.reviewer)
    except (ReviewError, BundleError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    if args.format == "json":
        _print_json(d.to_json())
    else:
        print(f"recorded {d.verdict} on {d.target} by {d.reviewer} at {d.time} ({d.artifact_hash})")
    return EXIT_OK


def cmd_reviews(args: argparse.Namespace) -> int:
    from workbench.review.decisions import load_decisions

    env = Path(args.env)
    log = load_decisions(env)
    current = log.current(env)
    if args.format == "json":
        payload = log.to_json()
        payload["current"] = {t: {"line": c.line, "stale": c.stale, "decision": c.decision.to_json()}
                              for t, c in current.items()}
        _print_json(payload)
    else:
        rows = log.entries if args.all else [(c.line, c.decision) for c in current.values()]
        for line, d in rows:
            stale = current.get(d.target)
            flag = " STALE" if stale is not None and stale.line == line and stale.stale else ""
            print(f"{line:4} {d.time} {d.reviewer:12} {d.target:28} {d.verdict:9} {d.category or '':24}{flag}"
                  + (f"  {d.note}" if d.note else ""))
        for line, msg in log.problems:
            print(f"reviews.jsonl:{line}: {msg}", file=sys.stderr)
    return EXIT_PROBLEMS if log.problems else EXIT_OK


# ---------------------------------------------------------------------------------------------- open


def cmd_open(args: argparse.Namespace) -> int:
    """Open the TUI on a library of bundles, or on an AWM outputs/ folder imported on the fly."""
    from workbench.bundle.load import iter_bundle_dirs

    path = Path(args.path)
    if not path.is_dir():
        print(f"error: {path}: not a folder", file=sys.stderr)
        return EXIT_USAGE
    if not iter_bundle_dirs(path) and any(path.glob("gen_*.jsonl")):
        import hashlib

        from workbench.bundle.awm_import import import_awm
        from workbench.db.build import cache_dir

        library = cache_dir().parent / "libraries" / hashlib.sha1(str(path.resolve()).encode()).hexdigest()[:16]
        print(f"importing {path} into {library} ...", file=sys.stderr)
        import_awm(path, library, progress=_progress(True))
        path = library
    if args.summary or not sys.stdout.isatty():
        return cmd_info(argparse.Namespace(path=str(path), format="text"))
    from workbench.ui.app import run_app

    return int(run_app(path, open_env=args.env) or 0)


# ---------------------------------------------------------------------------------------------- main


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="workbench", description="Build, review, debug and curate AWM environments.")
    sub = p.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def fmt(sp: argparse.ArgumentParser) -> None:
        sp.add_argument("--format", choices=("text", "json"), default="text", help="output format")

    sp = sub.add_parser("import", help="import an AWM outputs/ folder (or one AWM run folder) into a library")
    sp.add_argument("source", help="AWM outputs/ folder with gen_*.jsonl, or a run folder with trajectory.json")
    sp.add_argument("library", help="library folder (one bundle per environment)")
    sp.add_argument("--reference-time", help="UTC 'YYYY-MM-DD HH:MM:SS' used as SQLite's 'now' (default: inferred)")
    sp.add_argument("--replace", action="store_true", help="re-import bundles that exist (reviews and runs are kept)")
    sp.add_argument("--only", help="comma-separated normalised names to import")
    sp.add_argument("--kind", choices=("agent", "reference", "human"), default="agent", help="kind of an imported run")
    sp.add_argument("--show-diffs", type=int, default=3, help="example cells to show per shipped-database comparison")
    sp.add_argument("-v", "--verbose", action="store_true", help="also print informational notes")
    fmt(sp)
    sp.set_defaults(func=cmd_import)

    sp = sub.add_parser("export", help="export a library as AWM gen_*.jsonl files")
    sp.add_argument("library")
    sp.add_argument("out", help="output folder")
    sp.add_argument("--accepted", action="store_true",
                    help="only accepted environments (and their accepted tasks), with manifest.json")
    fmt(sp)
    sp.set_defaults(func=cmd_export)

    sp = sub.add_parser("build-db", help="build an environment's initial database deterministically")
    sp.add_argument("env", help="bundle folder")
    sp.add_argument("-o", "--output", required=True, help="SQLite file to write")
    sp.add_argument("--reference-time", help="override env.json's reference_time")
    fmt(sp)
    sp.set_defaults(func=cmd_build_db)

    sp = sub.add_parser("info", help="Table 2 numbers for an environment, or a library beside the paper's")
    sp.add_argument("path", help="bundle or library folder")
    fmt(sp)
    sp.set_defaults(func=cmd_info)

    sp = sub.add_parser("validate", help="validate bundles; every problem names file and field")
    sp.add_argument("path", help="bundle or library folder")
    fmt(sp)
    sp.set_defaults(func=cmd_validate)

    sp = sub.add_parser("call", help="call one tool on a fresh instance (or a named saved one) and show the row diff")
    sp.add_argument("env", help="bundle folder")
    sp.add_argument("tool", help="tool name (the operation_id)")
    sp.add_argument("--args", default="{}", help="arguments as a JSON object")
    sp.add_argument("--instance", help="named instance: start from its saved state and save the result back")
    sp.add_argument("--timeout", type=float, default=10.0, help="seconds before the call is abandoned (default 10)")
    sp.add_argument("-v", "--verbose", action="store_true", help="print the full server traceback")
    fmt(sp)
    sp.set_defaults(func=cmd_call)

    sp = sub.add_parser("serve", help="serve an environment's tools over MCP (stdio or streamable HTTP)")
    sp.add_argument("env", help="bundle folder")
    sp.add_argument("--transport", choices=("stdio", "http"), default="stdio")
    sp.add_argument("--host", default="127.0.0.1", help="HTTP host (loopback unless told otherwise)")
    sp.add_argument("--port", type=int, default=8001)
    sp.add_argument("--db", help="start from this SQLite file instead of the built initial database (it is copied)")
    sp.add_argument("--save", help="write the final database here when the server stops")
    sp.set_defaults(func=cmd_serve)

    sp = sub.add_parser("check", help="check environments: database builds, server imports, tools = spec, smoke calls")
    sp.add_argument("path", help="bundle or library folder")
    sp.add_argument("--jobs", type=int, default=2, help="parallel check workers (default 2)")
    sp.add_argument("--timeout", type=float, default=10.0, help="seconds a smoke call may take (default 10)")
    sp.add_argument("--report", help="also write the JSON report to this file")
    fmt(sp)
    sp.set_defaults(func=cmd_check)

    sp = sub.add_parser("replay", help="re-execute a run step by step: row diff per step, divergence from the recording")
    sp.add_argument("env", help="bundle folder")
    sp.add_argument("run", help="run id (runs/<id>), run folder, or trajectory file (AWM or OpenAI messages)")
    sp.add_argument("--timeout", type=float, default=10.0)
    fmt(sp)
    sp.set_defaults(func=cmd_replay)

    sp = sub.add_parser("verify", help="run a task's verifier on a run's databases (or a do-nothing run), safely")
    sp.add_argument("env", help="bundle folder")
    sp.add_argument("--task", type=int, required=True, help="task index (AWM task_idx)")
    sp.add_argument("--run", help="run id; without it, the do-nothing run (final = initial)")
    sp.add_argument("--mode", choices=("code", "sql"), help="which verifier when a task has both")
    sp.add_argument("--judge", action="store_true", help="sql mode: ask the LLM judge (OPENAI_* and WORKBENCH_MODEL)")
    sp.add_argument("--repeats", type=int, default=1, help="judge repeats (label distribution)")
    sp.add_argument("--model", help="judge model (default: WORKBENCH_MODEL / AWM_SYN_OVERRIDE_MODEL)")
    sp.add_argument("--base-url", help="judge endpoint (default: OPENAI_BASE_URL)")
    sp.add_argument("--timeout", type=float, default=30.0, help="verifier time limit in seconds (default 30)")
    fmt(sp)
    sp.set_defaults(func=cmd_verify)

    sp = sub.add_parser("sanity", help="tasks whose verifier passes a do-nothing run, or fails its reference run")
    sp.add_argument("path", help="bundle or library folder")
    sp.add_argument("--judge", action="store_true", help="label sql-mode evidence with the LLM judge")
    sp.add_argument("--timeout", type=float, default=30.0)
    fmt(sp)
    sp.set_defaults(func=cmd_sanity)

    sp = sub.add_parser("agent", help="run an LLM agent on a task; writes an AWM run folder into the bundle's runs/")
    sp.add_argument("env", help="bundle folder")
    sp.add_argument("--task", type=int, required=True)
    sp.add_argument("--model", help="model name (default: WORKBENCH_MODEL / AWM_SYN_OVERRIDE_MODEL)")
    sp.add_argument("--base-url", help="OpenAI-compatible endpoint (default: OPENAI_BASE_URL)")
    sp.add_argument("--protocol", choices=("native", "awm"), default="native",
                    help="native tool calling, or AWM's list_tools/call_tool text protocol")
    sp.add_argument("--max-steps", type=int, default=30)
    sp.add_argument("--history-window", type=int, help="send only the last K exchanges (AWM sends everything)")
    sp.add_argument("--temperature", type=float)
    sp.add_argument("--max-tokens", type=int, default=2048)
    sp.add_argument("--run-id")
    fmt(sp)
    sp.set_defaults(func=cmd_agent)

    sp = sub.add_parser("review", help="record a review decision (appended to the bundle's reviews.jsonl)")
    sp.add_argument("env", help="bundle folder")
    sp.add_argument("target", help="env | task:N | tool:NAME | verifier:N:code|sql | run:ID | stage:NAME")
    sp.add_argument("verdict", choices=("accept", "reject", "needs-fix"))
    sp.add_argument("--category", help="bug category (unhandled_edge_case, db_constraint_conflict, ...)")
    sp.add_argument("--severity", choices=("low", "medium", "high", "critical"))
    sp.add_argument("--blocks-task", action="store_true")
    sp.add_argument("--note")
    sp.add_argument("--reviewer", help="default: $WORKBENCH_REVIEWER, then $USER")
    fmt(sp)
    sp.set_defaults(func=cmd_review)

    sp = sub.add_parser("reviews", help="list review decisions (latest per target, stale ones marked)")
    sp.add_argument("env", help="bundle folder")
    sp.add_argument("--all", action="store_true", help="every decision, not only the latest per target")
    fmt(sp)
    sp.set_defaults(func=cmd_reviews)

    sp = sub.add_parser("open", help="open the workbench TUI on a library or an AWM outputs/ folder")
    sp.add_argument("path", nargs="?", default="sample_envs", help="library of bundles, or an AWM outputs/ folder")
    sp.add_argument("--summary", action="store_true", help="print the library summary instead of opening the TUI")
    sp.add_argument("--env", help="open this environment's workspace directly")
    sp.set_defaults(func=cmd_open)
    return p


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.func(args))
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return EXIT_OK
    except Exception as exc:  # the CLI reports, it does not dump tracebacks at users
        from workbench.errors import WorkbenchError

        if isinstance(exc, WorkbenchError):
            print(f"error: {exc}", file=sys.stderr)
            return EXIT_USAGE
        raise


if __name__ == "__main__":
    raise SystemExit(main())
