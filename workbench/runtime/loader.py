"""Import an environment's server.py inside the worker process (never in the UI or CLI process).

The module runs with ``DATABASE_PATH`` set to the instance's SQLAlchemy URL and the current
directory set to a private temp folder, so stray relative writes land there. Import failures are
turned into a ``LoadError`` whose traceback keeps only the frames of server.py itself.
"""

from __future__ import annotations

import hashlib
import importlib.util
import os
import sys
import traceback
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any


@dataclass
class LoadError(Exception):
    """server.py could not be imported or has no usable ``app``."""

    kind: str  # "syntax" | "import" | "no-app"
    message: str
    server_lines: list[dict[str, Any]] = field(default_factory=list)
    traceback_text: str = ""

    def __str__(self) -> str:
        where = "; ".join(f"server.py:{f['line']}: {f['code']}" for f in self.server_lines[-3:])
        return f"{self.message}" + (f" (at {where})" if where else "")

    def to_json(self) -> dict[str, Any]:
        return {"kind": self.kind, "message": self.message, "server_lines": self.server_lines,
                "traceback": self.traceback_text}


def server_frames(exc: BaseException, server_path: str) -> list[dict[str, Any]]:
    """The traceback frames that point into server.py: line number, function and source line."""
    frames = []
    for fs in traceback.extract_tb(exc.__traceback__):
        if os.path.abspath(fs.filename) == os.path.abspath(server_path):
            frames.append({"line": fs.lineno, "function": fs.name, "code": (fs.line or "").strip()})
    if isinstance(exc, SyntaxError) and exc.filename and os.path.abspath(exc.filename) == os.path.abspath(server_path):
        frames.append({"line": exc.lineno, "function": "<module>", "code": (exc.text or "").strip()})
    return frames


def database_url(db_path: Path | str) -> str:
    return f"sqlite:///{Path(db_path).resolve()}"


def load_server(server_path: Path | str, db_path: Path | str) -> tuple[ModuleType, Any]:
    """Import server.py as a fresh module bound to ``db_path``; return ``(module, app)``."""
    server_path = str(Path(server_path).resolve())
    os.environ["DATABASE_PATH"] = database_url(db_path)
    digest = hashlib.sha1(f"{server_path}:{db_path}".encode()).hexdigest()[:12]
    name = f"awm_env_{digest}"
    spec = importlib.util.spec_from_file_location(name, server_path)
    if spec is None or spec.loader is None:
        raise LoadError("import", f"cannot load {server_path}")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    try:
        spec.loader.exec_module(module)
    except SyntaxError as exc:
        sys.modules.pop(name, None)
        raise LoadError("syntax", f"SyntaxError: {exc.msg}", server_frames(exc, server_path),
                        "".join(traceback.format_exception(exc))) from None
    except BaseException as exc:  # SystemExit from generated code must not kill the worker silently
        sys.modules.pop(name, None)
        raise LoadError("import", f"{type(exc).__name__}: {exc}", server_frames(exc, server_path),
                        "".join(traceback.format_exception(exc))) from None
    app = getattr(module, "app", None)
    if app is None or not callable(app) or not hasattr(app, "openapi"):
        raise LoadError("no-app", "server.py defines no FastAPI `app` at module level")
    return module, app
