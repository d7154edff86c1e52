"""LLM access for the judge and the agent: configuration from the environment, the OpenAI SDK
client, and the prompt templates kept as data in ``templates/``.

Nothing here imports ``openai`` at module import time; ``workbench.llm.client.make_client`` does.
"""

from __future__ import annotations

import re
from pathlib import Path

from workbench.errors import WorkbenchError

# In a source checkout the templates sit beside the package; a wheel ships them as workbench/_templates.
_REPO_TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
_LEADING_COMMENT = re.compile(r"\A\s*<!--.*?-->\s*\n", re.DOTALL)
_PLACEHOLDER = re.compile(r"\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}")


class TemplateError(WorkbenchError):
    title = "Prompt template"


def load_template(name: str) -> str:
    """The text of ``templates/<name>``, without a leading ``<!-- ... -->`` note for editors.

    Looks in the installed package's ``workbench/_templates`` first, then in the repository's
    ``templates/`` folder (an editable install or a checkout).
    """
    text: str | None = None
    try:
        from importlib.resources import files

        res = files("workbench") / "_templates" / name
        if res.is_file():
            text = res.read_text(encoding="utf-8")
    except (ModuleNotFoundError, FileNotFoundError, NotADirectoryError, OSError):
        text = None
    if text is None:
        path = _REPO_TEMPLATES / name
        if not path.is_file():
            raise TemplateError(f"prompt template {name!r} not found "
                                f"(looked in workbench/_templates and {_REPO_TEMPLATES})")
        with open(path, encoding="utf-8", newline="") as fh:
            text = fh.read()
    return _LEADING_COMMENT.sub("", text, count=1)


def render_template(name: str, **values: str) -> str:
    """``load_template(name)`` with every ``{{key}}`` replaced; an unknown placeholder is an error.

    Values are inserted verbatim (no further substitution inside them), so JSON with braces is safe.
    """
    text = load_template(name)

    def sub(m: re.Match[str]) -> str:
        key = m.group(1)
        if key not in values:
            raise TemplateError(f"prompt template {name!r} uses {{{{{key}}}}}, which was not provided")
        return str(values[key])

    return _PLACEHOLDER.sub(sub, text)
