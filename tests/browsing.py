"""What the browser tests share besides their fixtures (tests/browser/conftest.py): axe-core
and the WCAG rules it is run with."""

from __future__ import annotations

from conftest import REPO

AXE = REPO / "tests/.tools/node_modules/axe-core/axe.min.js"
RULES = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
