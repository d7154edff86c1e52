"""Named saved instances: a database state kept between ``workbench call --instance NAME`` runs.

They live in the cache folder, never inside the bundle: running an environment must not modify
the bundle's files.
"""

from __future__ import annotations

import re
from pathlib import Path

from workbench.db.build import cache_dir


def instance_path(slug: str, name: str) -> Path:
    if not re.fullmatch(r"[A-Za-z0-9_.-]{1,64}", name) or name.startswith("."):
        raise ValueError(f"instance name {name!r}: use letters, digits, '_', '-', '.' (max 64)")
    return cache_dir().parent / "instances" / slug / f"{name}.db"
