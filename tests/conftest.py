"""Shared fixtures. Real AWM data lives in ../shared/awm_samples beside the repo (never copied here)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
AWM_SAMPLES = REPO.parent / "shared" / "awm_samples"
AWM_OUTPUTS = AWM_SAMPLES / "lisalims-c24daca" / "outputs"
SAMPLE_ENVS = REPO / "sample_envs"


@pytest.fixture(scope="session", autouse=True)
def _isolated_cache(tmp_path_factory: pytest.TempPathFactory) -> None:
    os.environ["WORKBENCH_CACHE_DIR"] = str(tmp_path_factory.mktemp("wb-cache"))


@pytest.fixture(scope="session")
def awm_outputs() -> Path:
    """The real AWM outputs folder; tests using it skip only when ../shared is absent (CI fails then)."""
    if not AWM_OUTPUTS.is_dir():
        pytest.skip(f"{AWM_OUTPUTS} is absent")
    return AWM_OUTPUTS


@pytest.fixture(scope="session")
def real_library(awm_outputs: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The 8 real environments imported once per session (treat as read-only)."""
    from workbench.bundle.awm_import import import_awm

    lib = tmp_path_factory.mktemp("real-lib")
    report = import_awm(awm_outputs, lib)
    assert report.ok, [str(n) for e in report.envs for n in e.notes] + [str(n) for n in report.file_notes]
    return lib


@pytest.fixture
def real_library_copy(real_library: Path, tmp_path: Path) -> Path:
    dest = tmp_path / "lib"
    shutil.copytree(real_library, dest)
    return dest
