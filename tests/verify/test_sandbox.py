"""The verifier sandbox: AWM's calling conventions in both modes, hostile verifiers, the warm pool,
and the 80 real AWM verifiers on a do-nothing run. Real subprocesses throughout, no mocks."""

from __future__ import annotations

import hashlib
import json
import os
import signal
import sqlite3
import stat
import threading
import time
from pathlib import Path

import pytest

from workbench.verify.sandbox import OUTPUT_LIMIT, SandboxPool, VerifierOutcome, run_verifier


@pytest.fixture(scope="module")
def pool():
    with SandboxPool(size=2) as p:
        yield p


def _make_db(path: Path, rows: list[tuple[int, str]]) -> Path:
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE items (id INTEGER PRIMARY KEY, name TEXT NOT NULL)")
    conn.executemany("INSERT INTO items VALUES (?, ?)", rows)
    conn.commit()
    conn.close()
    return path


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def dbs(tmp_path: Path) -> tuple[Path, Path]:
    initial = _make_db(tmp_path / "initial.db", [(1, "apple")])
    final = _make_db(tmp_path / "final.db", [(1, "apple"), (2, "pear")])
    return initial, final


def _code(body: str) -> str:
    return body.strip("\n") + "\n"


# ------------------------------------------------------------------ AWM conventions

ECHO_CODE = _code('''
def verify_task_completion(initial_db_path, final_db_path, final_answer=None):
    def count(p):
        c = sqlite3.connect(f"file:{p}?mode=ro", uri=True)
        n = c.execute("SELECT COUNT(*) FROM items").fetchone()[0]
        c.close()
        return n
    return {"result": "complete", "initial": initial_db_path, "final": final_db_path,
            "answer": final_answer, "counts": [count(initial_db_path), count(final_db_path)],
            "cwd": os.getcwd(), "has_re": "re" in globals(), "pid": os.getpid()}
''')


def test_code_mode_keywords_by_signature(dbs, pool) -> None:
    initial, final = dbs
    out = pool.run(ECHO_CODE, "code", initial, final, "The answer is 42")
    assert out.status == "ok", out.to_json()
    assert out.function == "verify_task_completion" and out.mode == "code"
    assert out.reward_type == "complete"
    v = out.value
    assert v["answer"] == "The answer is 42"
    assert v["counts"] == [1, 2]  # the right database behind each name
    # Private copies inside the sandbox's own temp dir, which is its current directory.
    assert Path(v["initial"]).parent == Path(v["cwd"]) == Path(v["final"]).parent
    assert Path(v["initial"]) != initial and Path(v["final"]) != final
    assert v["has_re"] is True
    assert out.verify_result == {"result": "complete", "execution_status": "success", "raw_result": v}
    assert not Path(v["cwd"]).exists()  # the temp dir is removed afterwards
    json.dumps(out.to_json())


def test_final_answer_none_is_passed_as_empty_string(dbs, pool) -> None:
    out = pool.run(ECHO_CODE, "code", *dbs, None)
    assert out.status == "ok" and out.value["answer"] == ""


def test_bytes_databases_are_accepted(dbs, pool) -> None:
    initial, final = dbs
    out = pool.run(ECHO_CODE, "code", initial.read_bytes(), final.read_bytes())
    assert out.status == "ok" and out.value["counts"] == [1, 2]


def test_sql_mode_namespace_and_evidence(dbs, pool) -> None:
    code = _code('''
def verify_task(initial_db_path: str, final_db_path: str) -> dict:
    c = sqlite3.connect(final_db_path)
    names = [r[0] for r in c.execute("SELECT name FROM items ORDER BY id")]
    return {"names": names, "json": json.dumps([1]), "has_os": hasattr(os, "getcwd"),
            "has_re": "re" in globals()}
''')
    out = pool.run(code, "sql", *dbs)
    assert out.status == "ok", out.to_json()
    assert out.reward_type is None  # the LLM judge decides later
    assert out.verify_result == out.value == {"names": ["apple", "pear"], "json": "[1]", "has_os": True, "has_re": False}


def test_only_known_parameter_names_are_passed(dbs, pool) -> None:
    code = _code('''
def verify_task(final_db_path, extra="default"):
    return {"final": os.path.basename(final_db_path), "extra": extra}
''')
    out = pool.run(code, "sql", *dbs)
    assert out.value == {"final": "final.db", "extra": "default"}


def test_positional_fallback_when_no_name_matches(dbs, pool) -> None:
    sql = _code('''
def verify_task(a, b):
    return [os.path.basename(a), os.path.basename(b)]
''')
    out = pool.run(sql, "sql", *dbs)
    assert out.status == "ok" and out.value == ["initial.db", "final.db"]
    code = _code('''
def verify_task_completion(a, b, answer=None):
    return {"result": "others", "got": [os.path.basename(a), os.path.basename(b), answer]}
''')
    out = pool.run(code, "code", *dbs, "hi")
    assert out.value["got"] == ["initial.db", "final.db", "hi"]
    one = _code('''
def verify_task(only):
    return "unreachable"
''')
    out = pool.run(one, "sql", *dbs)  # < 2 parameters, none matching: called with none
    assert out.status == "error" and "missing 1 required positional argument" in out.exception


@pytest.mark.parametrize(
    ("returned", "reward"),
    [
        ('{"result": "complete"}', "complete"),
        ('{"result": "others"}', "others"),
        ('{"result": "Complete"}', "others"),
        ('{"result": "COMPLETE"}', "others"),
        ('{"result": "done"}', "others"),
        ('{"result": " complete"}', "others"),
        ('{"result": True}', "others"),
        ('{"result": b"complete"}', "others"),  # coerced on the raw value, before sanitising
        ('{"status": "complete"}', "others"),
        ('"complete"', "others"),
        ("None", "others"),
    ],
)
def test_code_mode_result_coercion(returned: str, reward: str, dbs, pool) -> None:
    code = f"def verify_task_completion(initial_db_path, final_db_path, final_answer=None):\n    return {returned}\n"
    out = pool.run(code, "code", *dbs)
    assert out.status == "ok", out.to_json()
    assert out.reward_type == reward
    assert out.verify_result["result"] == reward and out.verify_result["execution_status"] == "success"


@pytest.mark.parametrize("mode", ["code", "sql"])
@pytest.mark.parametrize("code", [None, "", "   \n  ", "def f(): 1"[:9]])
def test_code_shorter_than_10_chars(code, mode, dbs) -> None:
    out = run_verifier(code, mode, *dbs)
    assert out.status == "error"
    assert out.reward_type == "judge_error"
    assert out.verify_result == {"error": "No valid verifier code found"}
    assert out.function == ("verify_task_completion" if mode == "code" else "verify_task")


def test_missing_function_both_modes(dbs, pool) -> None:
    code = "def something_else(initial_db_path, final_db_path):\n    return {}\n"
    out = pool.run(code, "code", *dbs)
    assert out.status == "error" and out.reward_type == "judge_error"
    assert out.verify_result == {"result": "others", "execution_status": "error",
                                 "error_message": "Function 'verify_task_completion' not found"}
    out = pool.run(code, "sql", *dbs)
    assert out.verify_result == {"execution_status": "error", "error_message": "Function 'verify_task' not found"}
    assert out.reward_type == "judge_error"
    out = pool.run(code, "sql", *dbs, function="something_else")  # function= overrides detection
    assert out.status == "ok" and out.function == "something_else" and out.verify_result == {}


def test_first_def_verify_line_wins_like_awm(dbs, pool) -> None:
    # AWM's textual rule picks a helper whose name starts with verify_ (weak point §9.15).
    code = _code('''
def verify_row(row):
    return row is not None

def verify_task_completion(initial_db_path, final_db_path, final_answer=None):
    return {"result": "complete"}
''')
    out = pool.run(code, "code", *dbs)
    assert out.function == "verify_row" and out.status == "error"
    assert out.verify_result["execution_status"] == "error"
    out = pool.run(code, "code", *dbs, function="verify_task_completion")
    assert out.reward_type == "complete"


def test_missing_database_is_awms_error_not_an_exception(dbs, tmp_path) -> None:
    initial, final = dbs
    out = run_verifier(ECHO_CODE, "sql", tmp_path / "nope.db", final)
    assert out.status == "error" and out.reward_type == "judge_error"
    assert out.verify_result == {"execution_status": "error",
                                 "error_message": f"Initial DB not found: {tmp_path / 'nope.db'}"}
    out = run_verifier(ECHO_CODE, "code", initial, tmp_path / "gone.db")
    assert out.verify_result["error_message"].startswith("Final DB not found:")
    with pytest.raises(ValueError):
        run_verifier(ECHO_CODE, "judge", initial, final)


def test_without_a_pool_each_run_is_its_own_process(dbs) -> None:
    out = run_verifier(ECHO_CODE, "code", *dbs)
    assert out.status == "ok" and out.reward_type == "complete"
    assert out.value["pid"] != os.getpid()


def test_secrets_in_our_environment_are_not_passed(dbs, monkeypatch) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", "sk-secret")
    code = "def verify_task(initial_db_path, final_db_path):\n    return os.environ.get('OPENAI_API_KEY')\n"
    out = run_verifier(code, "sql", *dbs)
    assert out.status == "ok" and out.value is None


# ------------------------------------------------------------------ hostile verifiers

def test_infinite_loop_times_out_and_names_the_line(dbs, pool) -> None:
    code = _code('''
def verify_task_completion(initial_db_path, final_db_path, final_answer=None):
    n = 0
    while True:
        n += 1
''')
    t = time.monotonic()
    out = pool.run(code, "code", *dbs, timeout=2)
    assert time.monotonic() - t < 5
    assert out.status == "timeout"
    assert out.reward_type == "judge_error"
    assert out.verify_result["execution_status"] == "error" and "timed out" in out.verify_result["error_message"]
    assert out.error_lines and out.error_lines[-1]["line"] in (3, 4)
    assert out.error_lines[-1]["function"] == "verify_task_completion"
    assert 'File "verifier.py"' in out.traceback


def test_sleeping_verifier_without_pool_times_out(dbs) -> None:
    code = "import time\ndef verify_task(initial_db_path, final_db_path):\n    time.sleep(60)\n"
    t = time.monotonic()
    out = run_verifier(code, "sql", *dbs, timeout=2)
    assert out.status == "timeout" and time.monotonic() - t < 5
    assert out.error_lines[-1] == {"line": 3, "function": "verify_task", "code": "time.sleep(60)"}


def test_huge_allocation_is_a_memory_error(dbs, pool) -> None:
    code = _code('''
def verify_task_completion(initial_db_path, final_db_path, final_answer=None):
    block = bytearray(64 * 1024 ** 3)
    return {"result": "complete"}
''')
    out = pool.run(code, "code", *dbs)
    assert out.status == "error", out.to_json()
    assert out.exception.startswith("MemoryError")
    assert out.reward_type == "judge_error"
    assert out.error_lines[-1]["line"] == 2


def test_growing_allocation_stops_at_the_memory_limit(dbs, pool) -> None:
    code = _code('''
def verify_task(initial_db_path, final_db_path):
    hoard = []
    while True:
        hoard.append(bytearray(8 * 1024 * 1024))
''')
    out = pool.run(code, "sql", *dbs, memory_mb=256, timeout=20)
    assert out.status == "error", out.to_json()
    assert out.exception.startswith("MemoryError")
    assert out.verify_result["execution_status"] == "error"
    assert out.error_lines[-1]["line"] == 4


WRITER = _code('''
def verify_task(initial_db_path, final_db_path):
    done = []
    for p in (initial_db_path, final_db_path):
        try:
            os.chmod(p, 0o644)
            c = sqlite3.connect(p)
            c.execute("DELETE FROM items")
            c.execute("CREATE TABLE pwned (x)")
            c.commit()
            c.close()
            done.append("wrote")
        except Exception as exc:
            done.append(type(exc).__name__)
        with open(p, "r+b") as f:
            f.write(b"garbage" * 100)
        done.append("clobbered")
    return done
''')


def test_writes_to_the_databases_never_reach_the_originals(dbs, pool) -> None:
    before = [_sha(p) for p in dbs]
    out = pool.run(WRITER, "sql", *dbs)
    assert out.status == "ok", out.to_json()
    assert out.value.count("clobbered") == 2
    assert [_sha(p) for p in dbs] == before
    # Same with both names on one file, as AWM's generation-time check does.
    initial = dbs[0]
    pool.run(WRITER, "sql", initial, initial)
    assert _sha(initial) == before[0]


def test_deleting_and_chmodding_the_databases_and_the_dir(dbs, pool, tmp_path) -> None:
    outside = tmp_path / "outside.txt"
    outside.write_text("keep me")
    outside.chmod(0o640)
    code = _code(f'''
def verify_task(initial_db_path, final_db_path):
    here = os.path.dirname(initial_db_path)
    os.chmod(initial_db_path, 0)
    os.remove(final_db_path)
    os.mkdir("locked")
    os.symlink({str(outside)!r}, "locked/link")
    os.chmod("locked", 0)
    os.chmod(here, 0o500)
    return here
''')
    before = [(_sha(p), stat.S_IMODE(p.stat().st_mode)) for p in dbs]
    out = pool.run(code, "sql", *dbs)
    assert out.status == "ok", out.to_json()
    assert [(_sha(p), stat.S_IMODE(p.stat().st_mode)) for p in dbs] == before
    assert not Path(out.value).exists()  # removed despite the chmods
    assert outside.read_text() == "keep me" and stat.S_IMODE(outside.stat().st_mode) == 0o640


def test_raise_points_at_the_verifier_line(dbs, pool) -> None:
    code = _code('''
def helper(conn):
    rows = conn.execute("SELECT * FROM no_such_table").fetchall()
    return rows

def verify_task_completion(initial_db_path, final_db_path, final_answer=None):
    conn = sqlite3.connect(final_db_path)
    return {"result": "complete" if helper(conn) else "others"}
''')
    out = pool.run(code, "code", *dbs)
    assert out.status == "error"
    assert out.reward_type == "judge_error"
    assert out.verify_result == {"result": "others", "execution_status": "error",
                                 "error_message": "Execution error: no such table: no_such_table"}
    assert out.exception == "OperationalError: no such table: no_such_table"
    assert out.error_lines == [
        {"line": 7, "function": "verify_task_completion",
         "code": 'return {"result": "complete" if helper(conn) else "others"}'},
        {"line": 2, "function": "helper", "code": 'rows = conn.execute("SELECT * FROM no_such_table").fetchall()'},
    ]
    assert 'File "verifier.py", line 2, in helper' in out.traceback
    assert "sandbox_worker" not in out.traceback  # our own frames are not shown


def test_syntax_error_and_module_level_error(dbs, pool) -> None:
    out = pool.run("def verify_task(initial_db_path, final_db_path):\n    return {\n", "sql", *dbs)
    assert out.status == "error" and out.exception.startswith("SyntaxError")
    assert out.error_lines and out.error_lines[-1]["line"] in (2, 3)
    out = pool.run("x = 1\nraise RuntimeError('at import')\n", "sql", *dbs)
    assert out.verify_result == {"execution_status": "error", "error_message": "Execution error: at import"}
    assert out.error_lines == [{"line": 2, "function": "<module>", "code": "raise RuntimeError('at import')"}]


def test_exits_and_crashes_are_outcomes(dbs, pool) -> None:
    out = pool.run("import sys\ndef verify_task(initial_db_path, final_db_path):\n    sys.exit(3)\n", "sql", *dbs)
    assert out.status == "error" and out.exception.startswith("SystemExit")
    out = pool.run("def verify_task(initial_db_path, final_db_path):\n    os._exit(0)\n", "sql", *dbs)
    assert out.status == "error" and "ended without a result" in out.verify_result["error_message"]
    out = pool.run("def verify_task(initial_db_path, final_db_path):\n    os.kill(os.getpid(), 9)\n", "sql", *dbs)
    assert out.status == "error" and "SIGKILL" in out.verify_result["error_message"]


def test_non_json_return_values_are_sanitised_like_awm(dbs, pool) -> None:
    code = _code('''
import datetime
class Thing:
    def __str__(self):
        return "a thing"
def verify_task(initial_db_path, final_db_path):
    loop = [1]
    loop.append(loop)
    return {
        (1, "a"): "tuple key",
        "tuple": (1, (2, 3)),
        "bytes": b"caf\\xc3\\xa9\\xff",
        "set": {7},
        "when": datetime.datetime(2026, 1, 2, 3, 4, 5),
        "thing": Thing(),
        "nested": [{"b": b"x"}],
        3: "int key",
        "loop": loop,
    }
''')
    out = pool.run(code, "sql", *dbs)
    assert out.status == "ok", out.to_json()
    v = out.value
    assert v["(1, 'a')"] == "tuple key"
    assert v["tuple"] == [1, [2, 3]]
    assert v["bytes"] == "café"  # utf-8, errors ignored
    assert v["set"] == "{7}"
    assert v["when"] == "2026-01-02 03:04:05"
    assert v["thing"] == "a thing"
    assert v["nested"] == [{"b": "x"}]
    assert v["3"] == "int key"
    assert v["loop"][0] == 1 and isinstance(v["loop"][1], str)
    assert out.verify_result == v
    json.dumps(out.to_json())
    code_mode = "def verify_task_completion(initial_db_path, final_db_path, final_answer=None):\n" \
                "    return {'result': 'complete', 'rows': {(1, 2)}, 'raw': b'ok'}\n"
    out = pool.run(code_mode, "code", *dbs)
    assert out.reward_type == "complete"
    assert out.verify_result["raw_result"] == {"result": "complete", "rows": "{(1, 2)}", "raw": "ok"}


def test_printing_megabytes_is_captured_truncated_and_does_not_hang(dbs, pool) -> None:
    code = _code('''
import sys
def verify_task_completion(initial_db_path, final_db_path, final_answer=None):
    for i in range(50000):
        print("x" * 99)
    sys.stderr.write("e" * 3_000_000)
    os.write(1, b"y" * 1_000_000)
    return {"result": "complete"}
''')
    out = pool.run(code, "code", *dbs, timeout=20)
    assert out.status == "ok" and out.reward_type == "complete"
    head, _, marker = out.stdout.rpartition("\n... [truncated ")
    assert len(head.encode()) == OUTPUT_LIMIT
    assert marker == f"{50000 * 100 + 1_000_000 - OUTPUT_LIMIT} bytes]"
    assert out.stderr.endswith(f"... [truncated {3_000_000 - OUTPUT_LIMIT} bytes]")
    assert out.stderr.startswith("e" * 1000)


def test_small_output_is_kept_whole(dbs, pool) -> None:
    code = "import sys\ndef verify_task(initial_db_path, final_db_path):\n    print('hello')\n    print('oops', file=sys.stderr)\n    return 1\n"
    out = pool.run(code, "sql", *dbs)
    assert (out.stdout, out.stderr, out.value) == ("hello\n", "oops\n", 1)


def test_processes_started_by_the_verifier_are_killed(dbs, pool) -> None:
    code = _code('''
import subprocess
def verify_task(initial_db_path, final_db_path):
    return subprocess.Popen(["sleep", "60"]).pid
''')
    out = pool.run(code, "sql", *dbs)
    assert out.status == "ok"
    pid = out.value
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        try:
            state = Path(f"/proc/{pid}/stat").read_text().split(")")[-1].split()[0]
        except (FileNotFoundError, ProcessLookupError):
            break
        if state in ("Z", "X"):
            break
        time.sleep(0.05)
    else:
        pytest.fail(f"the verifier's child {pid} is still running")


# ------------------------------------------------------------------ the pool

def test_pool_runs_back_to_back_without_shared_state(dbs, pool) -> None:
    polluter = _code('''
import builtins
LEAK = "module global"
def verify_task_completion(initial_db_path, final_db_path, final_answer=None):
    builtins.LEAKED = 1
    os.leaked = 1
    sqlite3.leaked = 1
    json.leaked = 1
    os.environ["LEAKED"] = "1"
    return {"result": "complete", "pid": os.getpid()}
''')
    checker = _code('''
import builtins
def verify_task_completion(initial_db_path, final_db_path, final_answer=None):
    seen = [hasattr(builtins, "LEAKED"), hasattr(os, "leaked"), hasattr(sqlite3, "leaked"),
            hasattr(json, "leaked"), "LEAKED" in os.environ, "LEAK" in globals()]
    return {"result": "others" if any(seen) else "complete", "seen": seen, "pid": os.getpid()}
''')
    pids = set()
    for _ in range(3):
        a = pool.run(polluter, "code", *dbs)
        b = pool.run(checker, "code", *dbs)
        assert a.reward_type == "complete" and b.reward_type == "complete", b.value
        pids.update((a.value["pid"], b.value["pid"]))
    assert len(pids) == 6  # one process per run


def test_pool_replaces_timed_out_and_killed_processes(dbs) -> None:
    with SandboxPool(size=2) as pool:
        assert pool.wait_ready()
        out = pool.run("def verify_task(initial_db_path, final_db_path):\n    while True: pass\n", "sql", *dbs,
                       timeout=1)
        assert out.status == "timeout"
        assert pool.wait_ready() and len(pool.idle_pids()) == 2
        victim = pool.idle_pids()[0]
        os.kill(victim, signal.SIGKILL)
        time.sleep(0.1)
        out = pool.run(ECHO_CODE, "code", *dbs)
        assert out.status == "ok" and out.value["pid"] != victim
        # Even the fork server itself may die: it is restarted.
        os.kill(pool._zygote.popen.pid, signal.SIGKILL) if pool._zygote else None
        time.sleep(0.2)
        for _ in range(4):
            out = pool.run(ECHO_CODE, "code", *dbs)
            assert out.status == "ok", out.to_json()
        assert pool.wait_ready() and len(pool.idle_pids()) == 2
    with pytest.raises(RuntimeError):
        pool.run(ECHO_CODE, "code", *dbs)


def test_pool_is_thread_safe(dbs, pool) -> None:
    results: list[VerifierOutcome] = []
    lock = threading.Lock()

    def work() -> None:
        for _ in range(4):
            out = pool.run(ECHO_CODE, "code", *dbs)
            with lock:
                results.append(out)

    threads = [threading.Thread(target=work) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(results) == 16 and all(r.status == "ok" for r in results)
    assert len({r.value["pid"] for r in results}) == 16


# ------------------------------------------------------------------ the real AWM verifiers

def test_real_verifiers_on_a_do_nothing_run(real_library: Path, pool) -> None:
    """All 80 real verifiers on (initial, initial): the agent did nothing. Every one must give an
    outcome; the ones that still say "complete" are AWM issue #16 (the initial database already
    satisfies the verifier), measured."""
    from workbench.bundle.load import iter_bundle_dirs, load_bundle
    from workbench.db.build import build_bundle

    total, passing, statuses = 0, [], {}
    for env_dir in iter_bundle_dirs(real_library):
        bundle, _problems = load_bundle(env_dir)
        initial = build_bundle(bundle).data
        for (task_idx, mode), verifier in sorted(bundle.active_verifiers().items()):
            out = pool.run(verifier.code, mode, initial, initial, function=verifier.function, timeout=30)
            total += 1
            statuses[out.status] = statuses.get(out.status, 0) + 1
            assert out.status in ("ok", "error"), (bundle.slug, task_idx, out.to_json())
            assert mode == "code"
            if out.status == "ok":
                assert out.reward_type in ("complete", "others")
            else:
                assert out.reward_type == "judge_error"
            if out.reward_type == "complete":
                passing.append(f"{bundle.slug}#{task_idx}")
    assert total == 80
    print(f"\nAWM #16 measured: {len(passing)} of {total} real verifiers say 'complete' when the agent did nothing "
          f"(statuses {statuses}): {', '.join(passing)}")
