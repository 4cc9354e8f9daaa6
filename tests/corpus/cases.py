"""What the corpus runners share: a case's folder written over the minimal site, and its
expected lines (see invalid/README.md and hostile/README.md)."""

from __future__ import annotations

import re
from pathlib import Path

from minimal import minimal_site

PROBLEM = re.compile(r"^[^:\n]+:\d+:\d+: (error|warning): ")
SUMMARY = re.compile(r"^\d+ errors?, \d+ warnings?$")
OTHER_LINES = ("build failed; the previous output was left as it was", "ok: ", "built ")
CASE_FILES = ("expected.txt", "command")


def make_site(case: Path, root: Path, case_files: tuple[str, ...] = CASE_FILES, **base: str) -> Path:
    """The minimal site (with `base`'s files, as for minimal_site) with the case's files
    written over it."""
    site = minimal_site(root / "site", **base)
    for file in sorted(case.rglob("*")):
        rel = file.relative_to(case).as_posix()
        if file.is_file() and rel not in case_files:
            target = site / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(file.read_bytes())
    return site


def expected_lines(case: Path) -> list[str]:
    lines = (case / "expected.txt").read_text(encoding="utf-8").splitlines()
    return [line for line in lines if line.strip() and not line.startswith("#")]


def matches(expected: str, printed: str) -> bool:
    if expected.startswith("re:"):
        return re.fullmatch(expected[3:], printed) is not None
    return expected == printed


def tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}
