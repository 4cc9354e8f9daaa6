"""Shared fixtures: the example programme at the repo root and scratch sites."""

from __future__ import annotations

import functools
import http.server
import shutil
import textwrap
import threading
from collections.abc import Iterator
from contextlib import contextmanager
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


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 (the base class's name)
        pass


@contextmanager
def http_server(folder: Path) -> Iterator[str]:
    """The folder served over HTTP on 127.0.0.1 while the block runs: its root address."""
    handler = functools.partial(QuietHandler, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)
