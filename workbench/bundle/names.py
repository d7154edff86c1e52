"""AWM's scenario-name normalisation and the checks that keep bundle folders inside a library."""

from __future__ import annotations

import re
from pathlib import Path

_NOT_IDENT = re.compile(r"[^a-z0-9_]")
_UNDERSCORES = re.compile(r"_+")


def normalize_scenario_name(name: str) -> str:
    """Reproduce AWM's ``normalize_scenario_name`` exactly (awm-format.md §6.1)."""
    s = name.lower()
    s = _NOT_IDENT.sub("_", s)
    s = _UNDERSCORES.sub("_", s)
    return s.strip("_").strip()


def safe_child(library: Path, slug: str) -> Path:
    """Return ``library/slug``, refusing slugs that are empty or would leave the library folder."""
    if not slug or slug in {".", ".."} or "/" in slug or "\\" in slug or "\x00" in slug:
        raise ValueError(f"refusing bundle name {slug!r}: it would not be a folder inside the library")
    root = library.resolve()
    target = (root / slug).resolve()
    if target.parent != root:
        raise ValueError(f"refusing bundle name {slug!r}: it resolves outside the library ({target})")
    return root / slug
