"""Deliberately broken server.py files: every failure is contained, reported and recovered from."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from workbench.runtime.session import EnvSession, EnvStartError


def _tree_hash(root: Path) -> str:
    h = hashlib.sha256()
    for p in sorted(root.rglob("*")):
        if p.is_file():
            h.update(str(p.relative_to(root)).encode())
            h.update(p.read_bytes())
    return h.hexdigest()


def test_syntax_error_names_the_line(make_env) -> None:
    env = make_env("\n\n@app.get('/x', operation_id='x')\nasync def x(:\n    return 1\n")
    with pytest.raises(EnvStartError) as exc:
        EnvSession.open(env)
    msg = str(exc.value)
    assert "SyntaxError" in msg
    line_no = (env / "server.py").read_text().splitlines().index("async def x(:") + 1
    assert f"server.py:{line_no}" in msg and "async def x(:" in msg


def test_import_error_shows_server_py_frames(make_env) -> None:
    env = make_env(replace="import os\nimport fastapi\nfrom sqlalchemy import does_not_exist\napp = None\n")
    with pytest.raises(EnvStartError) as exc:
        EnvSession.open(env)
    assert "ImportError" in str(exc.value) and "server.py:3" in str(exc.value)
    assert exc.value.details["kind"] == "import"


def test_no_app_and_exit_at_import(make_env) -> None:
    with pytest.raises(EnvStartError, match="no FastAPI `app`"):
        EnvSession.open(make_env(replace="x = 1\n"))
    with pytest.raises(EnvStartError, match="did not start|failed to import"):
        EnvSession.open(make_env(replace="import os\nos._exit(9)\n"))


def test_print_spam_does_not_corrupt_the_protocol(make_env) -> None:
    env = make_env(
        "\nprint('x' * 200_000)\n"
        "@app.get('/api/spam', operation_id='spam')\n"
        "async def spam():\n"
        "    for i in range(2000):\n"
        "        print('noise', i, 'y' * 500)\n"
        "    os.write(1, b'raw fd write\\n' * 1000)\n"
        "    return {'ok': True}\n"
    )
    with EnvSession.open(env) as s:
        out = s.call("spam")
        assert (out.is_error, out.text) == (False, '{\n  "ok": true\n}')
        assert s.call("list_notes").text.count('"first"') == 1
        assert "noise 1999" in s.worker_log()


def test_infinite_loop_times_out_restarts_and_restores(make_env) -> None:
    env = make_env(
        "\n@app.post('/api/hang', operation_id='hang')\n"
        "async def hang(body: dict):\n"
        "    s = SessionLocal()\n"
        "    s.add(Note(body='written before hanging'))\n"
        "    s.commit()\n"
        "    s.close()\n"
        "    while True:\n"
        "        pass\n"
    )
    before = _tree_hash(env)
    with EnvSession.open(env, timeout=1.5) as s:
        s.call("add_note", {"body": "kept"})
        pid = s.worker_pid
        out = s.call("hang", {"x": 1})
        assert out.is_error and out.error_kind == "timeout"
        assert "no answer within 1.5 s" in out.text
        assert s.worker_pid != pid and s.restarts == 1
        assert out.diff.empty  # the write made before the hang was rolled back
        listing = s.call("list_notes").text
        assert "kept" in listing and "written before hanging" not in listing
    assert _tree_hash(env) == before  # the bundle's files are never modified


def test_worker_exit_mid_call_is_recovered(make_env) -> None:
    env = make_env(
        "\n@app.post('/api/die', operation_id='die')\n"
        "async def die(body: dict):\n"
        "    s = SessionLocal()\n"
        "    s.add(Note(body='doomed'))\n"
        "    s.commit()\n"
        "    os._exit(7)\n"
    )
    with EnvSession.open(env) as s:
        out = s.call("die", {"a": 1})
        assert out.is_error and out.error_kind == "crash"
        assert "exited during the call" in out.text
        assert out.diff.empty
        assert "doomed" not in s.call("list_notes").text
        ok = s.call("add_note", {"body": "after"})
        assert not ok.is_error and ok.diff.rows_changed == 1


def test_unhandled_exception_is_a_500_with_traceback_for_us_only(make_env) -> None:
    env = make_env("\n@app.get('/api/boom', operation_id='boom')\nasync def boom():\n    return 1 / 0\n")
    with EnvSession.open(env) as s:
        out = s.call("boom")
    assert out.is_error and out.status == 500 and out.error_kind == "http"
    assert out.text == "Error calling boom. Status code: 500. Response: Internal Server Error"
    assert out.exception == "ZeroDivisionError: division by zero"
    assert out.server_lines[-1]["code"] == "return 1 / 0"
    assert "Traceback" not in out.text


def test_input_validation_and_unknown_tool(make_env) -> None:
    with EnvSession.open(make_env()) as s:
        out = s.call("add_note", {})
        assert out.is_error and out.error_kind == "validation"
        assert out.text == "Input validation error: 'body' is a required property"
        out = s.call("nope")
        assert out.is_error and out.error_kind == "unknown-tool"


def test_server_that_hangs_at_import_is_killed_at_start(make_env) -> None:
    env = make_env(replace="import os\nwhile True:\n    pass\n")
    with pytest.raises(EnvStartError, match="no MCP handshake within 3 s"):
        EnvSession.open(env, start_timeout=3)
