"""Shared fixtures: the example programme at the repo root and scratch sites."""

from __future__ import annotations

import shutil
import textwrap
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SITES = Path(__file__).resolve().parent / "sites"


def copy_example(target: Path) -> Path:
    """A copy of the repo's example programme (site.yml, content, cohorts)."""
    target.mkdir(parents=True, exist_ok=True)
    shutil.copy(REPO / "site.yml", target / "site.yml")
    for folder in ("content", "cohorts", "templates", "static"):
        if (REPO / folder).is_dir():
            shutil.copytree(REPO / folder, target / folder)
    return target


def write_files(root: Path, files: dict[str, str]) -> Path:
    """Write a small site from a mapping of relative path to (dedented) text."""
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return root


@pytest.fixture
def example(tmp_path: Path) -> Path:
    return copy_example(tmp_path / "site")
