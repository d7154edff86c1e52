"""LLM endpoint configuration (AWM's environment variables, awm-format.md §0.5) and the OpenAI client.

    cfg = LLMConfig.from_env(model="gpt-4.1")        # or WORKBENCH_MODEL / AWM_SYN_OVERRIDE_MODEL
    client = make_client(cfg)
    reply = chat(client, model=cfg.model, messages=[...])

Variables:

- ``AWM_SYN_LLM_PROVIDER``: ``openai`` (our default when unset; AWM defaults to azure, §9.18) or ``azure``.
- openai: ``OPENAI_BASE_URL`` (default ``https://api.openai.com/v1``) and ``OPENAI_API_KEY``.
- azure: ``AZURE_ENDPOINT_URL`` and ``AZURE_OPENAI_API_KEY``; ``/openai/v1`` is appended to
  ``*.openai.azure.com`` / ``*.services.ai.azure.com`` URLs that lack it (AWM's judge does the same),
  and the plain OpenAI client talks to that v1 endpoint.
- ``WORKBENCH_MODEL``: the model when none is given; ``AWM_SYN_OVERRIDE_MODEL`` overrides any model,
  as it does in AWM.

A loopback endpoint (a local vLLM, say) needs no key: ``EMPTY`` is sent, as AWM's agent does.
Keys are never logged: ``LLMConfig``'s repr and ``describe()`` leave them out, and error reasons
are scrubbed of them.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from workbench.errors import WorkbenchError

DEFAULT_OPENAI_BASE_URL = "https://api.openai.com/v1"
DEFAULT_TIMEOUT = 600.0
DEFAULT_MAX_RETRIES = 2
PROVIDERS = ("openai", "azure")
_AZURE_HOST_SUFFIXES = (".openai.azure.com", ".services.ai.azure.com")


class ConfigError(WorkbenchError):
    """The LLM endpoint cannot be configured; ``variable`` names what is missing or wrong."""

    title = "LLM configuration"

    def __init__(self, message: str, variable: str | None = None) -> None:
        super().__init__(message)
        self.variable = variable


class LLMCallError(WorkbenchError):
    """A chat completion failed. ``reason`` is one line meant for people; ``kind`` is for code:
    ``timeout`` | ``connection`` | ``http`` | ``refusal`` | ``empty`` | ``malformed`` | ``other``."""

    title = "LLM call failed"

    def __init__(self, reason: str, kind: str = "other", status: int | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.kind = kind
        self.status = status


@dataclass(frozen=True)
class LLMConfig:
    base_url: str
    api_key: str = field(repr=False)
    model: str
    provider: str = "openai"
    timeout: float = DEFAULT_TIMEOUT
    max_retries: int = DEFAULT_MAX_RETRIES
    model_source: str = "argument"  # argument | WORKBENCH_MODEL | AWM_SYN_OVERRIDE_MODEL

    @classmethod
    def from_env(cls, model: str | None = None, base_url: str | None = None, *, api_key: str | None = None,
                 timeout: float | None = None, max_retries: int | None = None,
                 environ: Mapping[str, str] | None = None, require_model: bool = True) -> LLMConfig:
        """Resolve the endpoint, key and model; explicit arguments win over the environment,
        except ``AWM_SYN_OVERRIDE_MODEL``, which overrides the model whatever was given."""
        env = os.environ if environ is None else environ
        provider = (env.get("AWM_SYN_LLM_PROVIDER") or "openai").strip().lower()
        if provider not in PROVIDERS:
            raise ConfigError(f"AWM_SYN_LLM_PROVIDER must be 'openai' or 'azure', got {provider!r}",
                              "AWM_SYN_LLM_PROVIDER")
        if provider == "azure":
            url = base_url or env.get("AZURE_ENDPOINT_URL")
            if not url:
                raise ConfigError("AZURE_ENDPOINT_URL is not set (AWM_SYN_LLM_PROVIDER=azure needs the Azure "
                                  "endpoint, e.g. https://NAME.openai.azure.com)", "AZURE_ENDPOINT_URL")
            url = azure_v1_url(url)
            key_var = "AZURE_OPENAI_API_KEY"
        else:
            url = base_url or env.get("OPENAI_BASE_URL") or DEFAULT_OPENAI_BASE_URL
            key_var = "OPENAI_API_KEY"
        url = url.strip()
        if not urlsplit(url).scheme or not urlsplit(url).netloc:
            var = "--base-url" if base_url else ("AZURE_ENDPOINT_URL" if provider == "azure" else "OPENAI_BASE_URL")
            raise ConfigError(f"{var}: expected an http(s) URL such as http://127.0.0.1:8000/v1, got {url!r}", var)
        key = api_key or env.get(key_var)
        if not key:
            if not is_loopback(url):
                raise ConfigError(f"{key_var} is not set (needed for {url})", key_var)
            key = "EMPTY"
        override = env.get("AWM_SYN_OVERRIDE_MODEL")
        if override:
            chosen, source = override, "AWM_SYN_OVERRIDE_MODEL"
        elif model:
            chosen, source = model, "argument"
        else:
            chosen, source = env.get("WORKBENCH_MODEL") or "", "WORKBENCH_MODEL"
        if require_model and not chosen:
            raise ConfigError("no model: pass --model, or set WORKBENCH_MODEL (AWM_SYN_OVERRIDE_MODEL also works)",
                              "WORKBENCH_MODEL")
        return cls(base_url=url, api_key=key, model=chosen, provider=provider,
                   timeout=DEFAULT_TIMEOUT if timeout is None else float(timeout),
                   max_retries=DEFAULT_MAX_RETRIES if max_retries is None else int(max_retries),
                   model_source=source)

    def describe(self) -> dict[str, Any]:
        """What is safe to show or store: everything but the key."""
        return {"provider": self.provider, "base_url": self.base_url, "model": self.model,
                "model_source": self.model_source, "timeout": self.timeout, "max_retries": self.max_retries}


def is_loopback(url: str) -> bool:
    host = (urlsplit(url).hostname or "").lower()
    return host in ("localhost", "::1") or host.startswith("127.")


def azure_v1_url(url: str) -> str:
    """AWM's judge rule: an Azure OpenAI / AI Services URL gets ``/openai/v1`` when it lacks it."""
    url = url.strip()
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    if not host.endswith(_AZURE_HOST_SUFFIXES):
        return url
    path = parts.path.rstrip("/")
    if path.endswith("/openai/v1"):
        return url
    path = path + "/v1" if path.endswith("/openai") else path + "/openai/v1"
    return parts._replace(path=path, query="", fragment="").geturl()


def make_client(cfg: LLMConfig) -> Any:
    """An ``openai.OpenAI`` client for ``cfg`` (retries and timeout from the config)."""
    import openai

    return openai.OpenAI(base_url=cfg.base_url, api_key=cfg.api_key, timeout=cfg.timeout,
                         max_retries=cfg.max_retries)


# ---------------------------------------------------------------------- calls


@dataclass
class ChatReply:
    """The first choice of a chat completion, plus what the caller needs to judge it."""

    content: str | None
    tool_calls: list[Any]
    finish_reason: str | None
    refusal: str | None
    message: Any
    usage: dict[str, Any] | None = None


def chat(client: Any, *, model: str, messages: list[dict[str, Any]], **params: Any) -> ChatReply:
    """One chat completion through the SDK. Every failure raises ``LLMCallError`` with a reason."""
    try:
        resp = client.chat.completions.create(model=model, messages=messages, **params)
    except Exception as exc:  # the SDK's errors, and whatever a broken body makes it raise
        raise call_error(exc, client) from exc
    choices = getattr(resp, "choices", None)
    if not isinstance(choices, list) or not choices:
        raise LLMCallError(f"malformed reply: no choices in the response ({_clip(repr(resp), 200)})", "malformed")
    choice = choices[0]
    message = getattr(choice, "message", None)
    if message is None:
        raise LLMCallError("malformed reply: the first choice has no message", "malformed")
    usage = getattr(resp, "usage", None)
    try:
        usage_d = usage.model_dump() if usage is not None else None
    except Exception:
        usage_d = None
    content = getattr(message, "content", None)
    return ChatReply(content if isinstance(content, str) else None,
                     list(getattr(message, "tool_calls", None) or []),
                     getattr(choice, "finish_reason", None), getattr(message, "refusal", None), message, usage_d)


def call_error(exc: BaseException, client: Any = None) -> LLMCallError:
    """An SDK exception as an ``LLMCallError`` with a one-line reason (keys scrubbed)."""
    try:
        import openai
    except ImportError:  # pragma: no cover - openai is a dependency
        openai = None  # type: ignore[assignment]
    kind, status = "other", None
    if openai is not None and isinstance(exc, openai.APITimeoutError):
        limit = getattr(client, "timeout", None)
        secs = getattr(limit, "read", limit)
        reason = (f"timeout: no answer within {secs:g} s" if isinstance(secs, (int, float))
                  else "timeout: the request timed out")
        kind = "timeout"
    elif openai is not None and isinstance(exc, openai.APIConnectionError):
        cause = exc.__cause__ or exc.__context__
        detail = f"{type(cause).__name__}: {cause}" if cause else str(exc)
        reason = f"connection error: {detail}"
        kind = "connection"
    elif openai is not None and isinstance(exc, openai.APIStatusError):
        status = exc.status_code
        reason = f"HTTP {status}: {_clip(_status_detail(exc), 300)}"
        kind = "http"
    elif openai is not None and isinstance(exc, openai.APIResponseValidationError):
        reason = f"malformed reply: {exc}"
        kind = "malformed"
    elif isinstance(exc, (json.JSONDecodeError, UnicodeDecodeError)):
        reason = f"malformed reply: the body is not valid JSON ({exc})"
        kind = "malformed"
    else:
        reason = f"{type(exc).__name__}: {exc}"
    key = getattr(client, "api_key", None)
    if isinstance(key, str) and len(key) >= 6:
        reason = reason.replace(key, "***")
    return LLMCallError(" ".join(reason.split()), kind, status)


def _status_detail(exc: Any) -> str:
    body = getattr(exc, "body", None)
    if isinstance(body, dict):
        err = body.get("error", body)
        if isinstance(err, dict) and err.get("message"):
            return str(err["message"])
        return json.dumps(body, ensure_ascii=False)
    if body:
        return str(body)
    return str(getattr(exc, "message", "") or exc)


def _clip(text: str, n: int) -> str:
    return text if len(text) <= n else text[: n - 3] + "..."
