"""Review decisions: validation, round trip, staleness, concurrent appends, torn and garbled lines.

Everything runs on real files (a copy of a sample environment) and real processes.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import textwrap
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from workbench.bundle.load import load_bundle
from workbench.errors import BundleError
from workbench.review.decisions import (
    append_decision,
    artifact_key_for,
    current_artifact_hash,
    is_stale,
    load_decisions,
    make_decision,
    record_decision,
    review_hashes,
)
from workbench.review.taxonomy import (
    BUG_CATEGORIES,
    SEVERITIES,
    TARGET_KINDS,
    VERDICTS,
    ReviewError,
    Target,
    parse_target,
)

REPO = Path(__file__).resolve().parents[2]
SAMPLES = REPO / "sample_envs"


def copy_env(name: str, dest: Path) -> Path:
    out = dest / name
    shutil.copytree(SAMPLES / name, out, ignore=shutil.ignore_patterns("__pycache__"))
    return out


@pytest.fixture
def env(tmp_path: Path) -> Path:
    return copy_env("it_service_desk", tmp_path)


def reviews(env: Path) -> Path:
    return env / "reviews.jsonl"


# --------------------------------------------------------------------------------------------
# Taxonomy and targets


def test_vocabulary_is_the_issues() -> None:
    assert list(VERDICTS) == ["accept", "reject", "needs-fix"]
    assert list(BUG_CATEGORIES) == [
        "unhandled_edge_case", "db_constraint_conflict", "missing_or_wrong_tool", "data_misaligned",
        "infeasible_task", "verifier_false_positive", "verifier_false_negative", "other",
    ]
    assert list(SEVERITIES) == ["low", "medium", "high", "critical"]
    assert list(TARGET_KINDS) == ["env", "task", "tool", "verifier", "run", "stage"]
    assert all(label and label[0].isupper() for label in BUG_CATEGORIES.values())


def test_sample_answer_keys_use_the_taxonomy() -> None:
    for key in SAMPLES.glob("*/answer_key.json"):
        for defect in json.loads(key.read_text())["defects"]:
            assert defect["category"] in BUG_CATEGORIES, (key, defect["id"])


@pytest.mark.parametrize(
    ("text", "expected", "canonical"),
    [
        ("env", Target("env"), "env"),
        (" env ", Target("env"), "env"),
        ("task:3", Target("task", task_idx=3), "task:3"),
        ("task:03", Target("task", task_idx=3), "task:3"),
        ("tool:create_ticket", Target("tool", name="create_ticket"), "tool:create_ticket"),
        ("verifier:3:code", Target("verifier", task_idx=3, mode="code"), "verifier:3:code"),
        ("verifier:10:sql", Target("verifier", task_idx=10, mode="sql"), "verifier:10:sql"),
        ("run:ref-task-00", Target("run", name="ref-task-00"), "run:ref-task-00"),
        ("stage:schema", Target("stage", name="schema"), "stage:schema"),
        ("stage:verifiers", Target("stage", name="verifiers"), "stage:verifiers"),
    ],
)
def test_parse_target(text: str, expected: Target, canonical: str) -> None:
    assert parse_target(text) == expected
    assert str(parse_target(text)) == canonical


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("", "one of env, task:N, tool:NAME"),
        ("environment", "one of env, task:N"),
        ("env:1", "one of env"),
        ("task", "one of env"),
        ("task:", "a task index"),
        ("task:-1", "a task index"),
        ("task:x", "a task index"),
        ("tool:", "tool:NAME"),
        ("tool:two words", "tool:NAME"),
        ("verifier:3", "verifier:N:MODE"),
        ("verifier:3:python", "a verifier mode, one of code|sql"),
        ("verifier:a:code", "a task index"),
        ("run:", "run:RUN_ID"),
        ("run:../etc", "run:RUN_ID"),
        ("run:a/b", "run:RUN_ID"),
        ("stage:db", "a stage, one of scenario|tasks|schema|data|spec|server|verifiers"),
    ],
)
def test_parse_target_errors_say_what_is_expected(text: str, says: str) -> None:
    with pytest.raises(ReviewError) as info:
        parse_target(text)
    assert info.value.field == "target"
    assert says in str(info.value)
    assert str(info.value).startswith("target: ")


def test_artifact_keys() -> None:
    assert artifact_key_for("env") == "env"
    assert artifact_key_for("task:3") == "task:3"
    assert artifact_key_for("tool:create_ticket") == "server"
    assert artifact_key_for("verifier:3:code") == "verifier:3:code"
    assert artifact_key_for("run:abc") == "run:abc"
    assert artifact_key_for("stage:schema") == "schema"
    assert artifact_key_for("stage:scenario") == "scenario"
    assert artifact_key_for("stage:tasks") == "tasks"
    assert artifact_key_for("stage:verifiers") == "verifiers"


# --------------------------------------------------------------------------------------------
# Record and load


def test_record_load_round_trip(env: Path) -> None:
    t0 = datetime(2026, 3, 2, 9, 0, 0, tzinfo=timezone.utc)
    made = [
        record_decision(env, "env", "accept", reviewer="ana", note="looks right", now=t0),
        record_decision(env, "task:3", "reject", category="infeasible_task", severity="high", blocks_task=True,
                        note="no tool to do it\nsecond line — ünïcode", reviewer="ben", now=t0 + timedelta(seconds=1)),
        record_decision(env, "tool:create_ticket", "needs-fix", category="unhandled_edge_case", severity="medium",
                        reviewer="ana", now=t0 + timedelta(seconds=2)),
        record_decision(env, "verifier:4:code", "reject", category="verifier_false_positive", reviewer="ana"),
        record_decision(env, "run:ref-task-00", "accept", reviewer="ana"),
        record_decision(env, "stage:schema", "accept", reviewer="ana"),
    ]
    raw = reviews(env).read_bytes()
    assert raw.count(b"\n") == len(made) and raw.endswith(b"\n")
    log = load_decisions(env)
    assert log.problems == []
    assert log.decisions == made
    assert [line for line, _ in log.entries] == [1, 2, 3, 4, 5, 6]
    assert made[0].time == "2026-03-02T09:00:00.000Z"
    assert made[1].note == "no tool to do it\nsecond line — ünïcode"
    assert len({d.id for d in made}) == len(made)
    bundle, _ = load_bundle(env)
    hashes = review_hashes(bundle)
    for d in made:
        assert d.artifact_hash == hashes[artifact_key_for(d.target)]
        assert d.artifact_hash.startswith("sha256:")
        assert not is_stale(d, bundle)
    # Each line is the record as JSON with the documented keys.
    first = json.loads(raw.splitlines()[0])
    assert set(first) == {"id", "time", "reviewer", "target", "verdict", "category", "severity", "blocks_task",
                          "note", "artifact_hash"}


def test_appends_never_rewrite_what_is_there(env: Path) -> None:
    before = b""
    for i in range(5):
        record_decision(env, f"task:{i}", "accept", reviewer="ana")
        now = reviews(env).read_bytes()
        assert now.startswith(before) and len(now) > len(before)
        before = now


def test_reviewer_precedence(env: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WORKBENCH_REVIEWER", "from-config")
    monkeypatch.setenv("USER", "from-user")
    assert record_decision(env, "env", "accept", reviewer="explicit").reviewer == "explicit"
    assert record_decision(env, "env", "accept").reviewer == "from-config"
    monkeypatch.delenv("WORKBENCH_REVIEWER")
    assert record_decision(env, "env", "accept").reviewer == "from-user"
    monkeypatch.delenv("USER")
    assert record_decision(env, "env", "accept").reviewer == "unknown"


def test_time_is_utc(env: Path) -> None:
    cet = timezone(timedelta(hours=1))
    d = record_decision(env, "env", "accept", reviewer="a", now=datetime(2026, 3, 2, 10, 0, 0, 250000, tzinfo=cet))
    assert d.time == "2026-03-02T09:00:00.250Z"
    naive = record_decision(env, "env", "accept", reviewer="a", now=datetime(2026, 3, 2, 10, 0, 0))
    assert naive.time == "2026-03-02T10:00:00.000Z"
    fresh = record_decision(env, "env", "accept", reviewer="a")
    assert abs(datetime.fromisoformat(fresh.time) - datetime.now(timezone.utc)) < timedelta(minutes=1)


@pytest.mark.parametrize(
    ("args", "kwargs", "field", "says"),
    [
        (("env", "approve"), {}, "verdict", "one of accept, reject, needs-fix"),
        (("env", "reject"), {}, "category", "required when the verdict is 'reject'"),
        (("env", "needs-fix"), {}, "category", "'other' if none fits"),
        (("env", "reject"), {"category": "typo"}, "category", "one of unhandled_edge_case"),
        (("env", "accept"), {"severity": "huge"}, "severity", "one of low, medium, high, critical"),
        (("task:1", "reject"), {"category": "other", "blocks_task": "yes"}, "blocks_task", "true or false"),
        (("task:1", "accept"), {"blocks_task": True}, "blocks_task", "false for an accept"),
        (("env", "accept"), {"note": 3}, "note", "a string"),
        (("env", "accept"), {"reviewer": "  "}, "reviewer", "a non-empty name"),
        (("env", "accept"), {"now": "yesterday"}, "now", "a datetime"),
        (("bogus", "accept"), {}, "target", "one of env, task:N"),
        (("task:10", "accept"), {}, "target", "task:10: a task index of tasks.json (0..9)"),
        (("verifier:12:code", "accept"), {}, "target", "(0..9)"),
        (("run:nope", "accept"), {}, "target", "a run folder under runs/ (runs: defect-D2, defect-D4"),
    ],
)
def test_validation_errors_name_the_field(env: Path, args: tuple, kwargs: dict, field: str, says: str) -> None:
    with pytest.raises(ReviewError) as info:
        record_decision(env, *args, **kwargs)
    assert info.value.field == field
    assert str(info.value).startswith(f"{field}: ")
    assert says in str(info.value)
    assert not reviews(env).exists()  # nothing was written


def test_absent_artifacts_may_be_judged(env: Path) -> None:
    """A tool, verifier or stage that does not exist can be judged (that is often the finding)."""
    d = record_decision(env, "tool:refund_ticket", "reject", category="missing_or_wrong_tool", reviewer="a")
    assert d.artifact_hash is not None  # tools cite server.py
    v = record_decision(env, "verifier:0:sql", "needs-fix", category="other", reviewer="a")
    assert v.artifact_hash is None  # task 0 has no sql verifier
    (env / "data.sql").unlink()
    s = record_decision(env, "stage:data", "reject", category="data_misaligned", reviewer="a")
    assert s.artifact_hash is None
    bundle, _ = load_bundle(env)
    assert not is_stale(v, bundle) and not is_stale(s, bundle)


def test_not_a_bundle(tmp_path: Path) -> None:
    with pytest.raises(BundleError):
        record_decision(tmp_path, "env", "accept", reviewer="a")
    assert load_decisions(tmp_path).decisions == []


# --------------------------------------------------------------------------------------------
# Staleness and latest decision per target


def test_stale_after_editing_server(env: Path) -> None:
    targets = ["env", "tool:create_ticket", "stage:server", "task:0", "stage:schema", "stage:tasks",
               "verifier:0:code", "stage:verifiers", "run:ref-task-00"]
    for t in targets:
        record_decision(env, t, "accept", reviewer="ana")
    log = load_decisions(env)
    assert not any(c.stale for c in log.current(env).values())

    with open(env / "server.py", "a", encoding="utf-8") as fh:
        fh.write("\n# edited after review\n")
    current = load_decisions(env).current(env)
    assert list(current) == targets
    stale = {t for t, c in current.items() if c.stale}
    assert stale == {"env", "tool:create_ticket", "stage:server"}
    bundle, _ = load_bundle(env)
    assert current["tool:create_ticket"].current_hash == current_artifact_hash(bundle, "tool:create_ticket")
    assert current["tool:create_ticket"].current_hash != current["tool:create_ticket"].decision.artifact_hash


def test_stale_after_editing_a_task_a_verifier_and_a_run(env: Path) -> None:
    for t in ["env", "task:3", "task:4", "stage:tasks", "verifier:4:code", "verifier:3:sql", "stage:verifiers",
              "run:ref-task-01", "run:ref-task-02", "stage:scenario"]:
        record_decision(env, t, "accept", reviewer="ana")
    tasks = json.loads((env / "tasks.json").read_text())
    tasks[3]["task"] += " Please hurry."
    (env / "tasks.json").write_text(json.dumps(tasks, indent=2))
    code = env / "verifiers" / "task_04.code.py"
    code.write_text(code.read_text() + "\n# tweak\n")
    traj = env / "runs" / "ref-task-01" / "trajectory.json"
    traj.write_bytes(traj.read_bytes() + b" ")
    current = load_decisions(env).current(env)
    stale = {t for t, c in current.items() if c.stale}
    assert stale == {"env", "task:3", "stage:tasks", "verifier:4:code", "stage:verifiers", "run:ref-task-01"}


def test_new_run_does_not_make_env_stale_but_reference_time_does(env: Path) -> None:
    record_decision(env, "env", "accept", reviewer="ana")
    shutil.copytree(env / "runs" / "ref-task-00", env / "runs" / "extra-run")
    assert not any(c.stale for c in load_decisions(env).current(env).values())
    meta = json.loads((env / "env.json").read_text())
    meta["reference_time"] = "2027-01-01 00:00:00"
    (env / "env.json").write_text(json.dumps(meta))
    assert load_decisions(env).current(env)["env"].stale


def test_latest_decision_per_target(env: Path) -> None:
    a = record_decision(env, "task:1", "reject", category="data_misaligned", reviewer="ana")
    b = record_decision(env, "task:2", "accept", reviewer="ana")
    c = record_decision(env, "task:1", "needs-fix", category="data_misaligned", reviewer="ben")
    d = record_decision(env, "task:01", "accept", reviewer="cy")  # same target, other spelling
    e = record_decision(env, "env", "accept", reviewer="ana")
    log = load_decisions(env)
    assert log.latest() == {"task:2": b, "task:1": d, "env": e}
    assert log.latest_for("task:1") == d
    assert log.latest_for("task:9") is None
    assert log.for_target("task:1") == [a, c, d]
    cur = log.current(env)
    assert list(cur) == ["task:2", "task:1", "env"]  # ordered by the line of the latest decision
    assert cur["task:1"].line == 4


def test_a_new_decision_on_the_changed_artifact_is_fresh(env: Path) -> None:
    record_decision(env, "stage:schema", "accept", reviewer="ana")
    with open(env / "schema.sql", "a") as fh:
        fh.write("\n-- edited\n")
    assert load_decisions(env).current(env)["stage:schema"].stale
    record_decision(env, "stage:schema", "accept", reviewer="ana")
    cur = load_decisions(env).current(env)["stage:schema"]
    assert not cur.stale and cur.line == 2
    assert len(load_decisions(env).for_target("stage:schema")) == 2  # the old one is kept


# --------------------------------------------------------------------------------------------
# Concurrency and crashes

WRITER = textwrap.dedent(
    """
    import sys
    from workbench.review.decisions import record_decision
    env, tag, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
    print("ready", flush=True)
    sys.stdin.readline()  # start together
    for i in range(n):
        record_decision(env, f"task:{i % 10}", "accept", note=f"{tag}:{i}:" + "x" * (i % 300), reviewer=tag)
    """
)


def test_two_processes_appending_at_once(env: Path) -> None:
    n = 2000
    procs = [
        subprocess.Popen([sys.executable, "-c", WRITER, str(env), tag, str(n)], stdin=subprocess.PIPE,
                         stdout=subprocess.PIPE, text=True)
        for tag in ("p1", "p2")
    ]
    for p in procs:
        assert p.stdout.readline().strip() == "ready"
    for p in procs:
        p.stdin.write("go\n")
        p.stdin.flush()
    for p in procs:
        assert p.wait(timeout=300) == 0
    raw = reviews(env).read_bytes()
    lines = raw.split(b"\n")
    assert lines[-1] == b"" and len(lines) == 2 * n + 1
    for line in lines[:-1]:
        json.loads(line)  # every line is a whole record: nothing interleaved
    log = load_decisions(env)
    assert log.problems == []
    assert len(log.decisions) == 2 * n
    for tag in ("p1", "p2"):
        seq = [int(d.note.split(":")[1]) for d in log.decisions if d.reviewer == tag]
        assert seq == list(range(n))  # none lost, none duplicated, each process's order kept
    tags = [d.reviewer for d in log.decisions]
    assert sum(1 for a, b in zip(tags, tags[1:]) if a != b) > 1  # they really did run at the same time


TORN_WRITER = textwrap.dedent(
    """
    import fcntl, os, sys, time
    path = sys.argv[1]
    fd = os.open(path, os.O_RDWR | os.O_APPEND | os.O_CREAT, 0o644)
    fcntl.flock(fd, fcntl.LOCK_EX)      # the same protocol as append_decision
    os.write(fd, b'{"id": "torn", "time": "2026-03-02T09:00:00Z", "reviewer": "x", "target": "env", "ver')
    print("ready", flush=True)
    time.sleep(60)                      # killed here, mid-line
    os.write(fd, b'dict": "reject"}\\n')
    """
)


def _start_torn_writer(env: Path) -> subprocess.Popen:
    child = subprocess.Popen([sys.executable, "-c", TORN_WRITER, str(reviews(env))], stdout=subprocess.PIPE, text=True)
    assert child.stdout.readline().strip() == "ready"
    return child


def test_kill_in_the_middle_of_a_write(env: Path) -> None:
    earlier = [record_decision(env, f"task:{i}", "accept", reviewer="ana") for i in range(3)]
    before = reviews(env).read_bytes()
    child = _start_torn_writer(env)
    child.send_signal(signal.SIGKILL)
    assert child.wait(timeout=10) == -signal.SIGKILL

    raw = reviews(env).read_bytes()
    assert raw.startswith(before) and not raw.endswith(b"\n")
    log = load_decisions(env)
    assert log.decisions == earlier  # all earlier decisions intact
    assert len(log.problems) == 1
    line, message = log.problems[0]
    assert line == 4 and message.startswith("torn last line") and "killed mid-write" in message

    after = record_decision(env, "env", "accept", reviewer="ana")
    raw = reviews(env).read_bytes()
    lines = raw.split(b"\n")
    assert lines[3].startswith(b'{"id": "torn"') and lines[3].endswith(b'"ver')  # the fragment, on its own line
    assert json.loads(lines[4])["id"] == after.id  # the new record on its own line
    assert raw.endswith(b"\n")
    log = load_decisions(env)
    assert log.decisions == [*earlier, after]
    assert [line for line, _ in log.entries] == [1, 2, 3, 5]
    assert len(log.problems) == 1 and log.problems[0][0] == 4
    assert "garbled line" in log.problems[0][1] and "killed mid-write" in log.problems[0][1]


def test_an_appender_waits_for_the_lock_then_lands_on_its_own_line(env: Path) -> None:
    record_decision(env, "task:0", "accept", reviewer="ana")
    child = _start_torn_writer(env)  # holds the lock with half a line written
    code = (
        "import sys; from workbench.review.decisions import record_decision; "
        "record_decision(sys.argv[1], 'env', 'accept', reviewer='late')"
    )
    waiter = subprocess.Popen([sys.executable, "-c", code, str(env)])
    try:
        time.sleep(1.5)
        assert waiter.poll() is None  # blocked on the lock, not writing into the middle of the line
    finally:
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=10)
    assert waiter.wait(timeout=60) == 0
    log = load_decisions(env)
    assert [d.reviewer for d in log.decisions] == ["ana", "late"]
    assert [line for line, _ in log.entries] == [1, 3]
    assert [line for line, _ in log.problems] == [2]


def test_garbage_lines_in_the_middle_are_reported_and_the_rest_load(env: Path) -> None:
    first = [record_decision(env, "env", "accept", reviewer="ana"), record_decision(env, "task:1", "accept", reviewer="ana")]
    valid = first[0].to_json()
    with open(reviews(env), "ab") as fh:
        fh.write(b"this is not json\n")                                           # line 3
        fh.write(b"\xff\xfe not utf-8\n")                                         # line 4
        fh.write(json.dumps(dict(valid, verdict="maybe", id="x1")).encode() + b"\n")  # line 5
        fh.write(b"[1, 2, 3]\n")                                                  # line 6
        fh.write(json.dumps({k: v for k, v in valid.items() if k != "reviewer"}).encode() + b"\n")  # line 7
        fh.write(json.dumps(dict(valid, target="task:nine", id="x2")).encode() + b"\n")  # line 8
        fh.write(b"\n")                                                           # line 9: blank, no data
        fh.write(json.dumps(dict(valid, category="new_category", id="x3")).encode() + b"\n")  # line 10: kept
        fh.write(first[1].to_line())                                               # line 11: duplicate id
    last = record_decision(env, "task:2", "reject", category="other", reviewer="ben")  # line 12
    log = load_decisions(env)
    assert [d.id for d in log.decisions] == [first[0].id, first[1].id, "x3", last.id]
    assert [line for line, _ in log.entries] == [1, 2, 10, 12]
    problems = dict(log.problems)
    assert sorted(problems) == [3, 4, 5, 6, 7, 8, 10, 11]
    assert "garbled line (not valid JSON" in problems[3]
    assert "not UTF-8" in problems[4]
    assert "invalid decision: verdict: one of accept, reject, needs-fix; got 'maybe'" in problems[5]
    assert "a JSON object, got list" in problems[6]
    assert "reviewer: a value (the field is missing)" in problems[7]
    assert "target:" in problems[8] and "a task index" in problems[8]
    assert "unknown id 'new_category' (kept as is)" in problems[10]
    assert "duplicate decision id" in problems[11] and "first on line 2" in problems[11]


def test_a_complete_last_record_without_its_newline_still_loads(env: Path) -> None:
    d = make_decision("env", "accept", artifact_hash=None, reviewer="ana")
    reviews(env).write_bytes(d.to_line()[:-1])
    log = load_decisions(env)
    assert log.decisions == [d] and log.problems == []
    assert append_decision(env, make_decision("task:0", "accept", artifact_hash=None, reviewer="ana")) is True
    assert len(load_decisions(env).decisions) == 2


_lines = st.one_of(
    st.builds(lambda t, v: ("ok", make_decision(t, v, artifact_hash=None, category="other", reviewer="r")),
              st.sampled_from(["env", "task:1", "stage:data"]), st.sampled_from(["accept", "reject"])),
    st.binary(max_size=40).filter(lambda b: b"\n" not in b and b.strip()).map(lambda b: ("junk", b)),
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(_lines, max_size=12))
def test_loading_never_raises_and_never_loses_a_good_line(tmp_path: Path, items: list) -> None:
    path = tmp_path / "reviews.jsonl"
    good = []
    with open(path, "wb") as fh:
        for kind, item in items:
            if kind == "ok":
                fh.write(item.to_line())
                good.append(item)
            else:
                fh.write(item + b"\n")
    log = load_decisions(tmp_path)
    assert log.decisions == good
    reported = {line for line, _ in log.problems}
    for n, (kind, _item) in enumerate(items, 1):
        assert (n in reported) == (kind == "junk"), (n, kind)
    path.unlink()
