"""Hashes and atomic writes: the one place rmsite makes a sha256 or replaces a file."""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import Iterable
from pathlib import Path


def digest(*parts: object) -> str:
    """A stable hash of the reprs of some values: what cache keys are made of."""
    h = hashlib.sha256()
    for part in parts:
        h.update(repr(part).encode("utf-8", "surrogatepass"))
        h.update(b"\x00")
    return h.hexdigest()


def text_hash(text: str) -> str:
    """The sha256 of a text as UTF-8 (lone surrogates kept as they are)."""
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def text_digest(text: str, first_line: int = 1) -> str:
    """A hash of a source text and the line it starts on, for caches keyed by content."""
    return text_hash(f"{first_line}\x00{text}")


def bytes_hash(data: bytes) -> str:
    """The sha256 of some bytes."""
    return hashlib.sha256(data).hexdigest()


def files_hash(root: Path, files: Iterable[Path]) -> str:
    """A hash of some files' paths (relative to `root`) and bytes."""
    h = hashlib.sha256()
    for file in files:
        h.update(file.relative_to(root).as_posix().encode())
        h.update(file.read_bytes())
    return h.hexdigest()


def atomic_write(file: Path | str, data: bytes, *, durable: bool = False, keep_mode: bool = False) -> None:
    """Replace `file` with `data` so that a reader sees the old file or the new one, never
    part of either. `durable` syncs the data to disk first; `keep_mode` keeps the file's
    permissions (for a file the user owns)."""
    file = Path(file)
    handle, temporary = tempfile.mkstemp(prefix=f".{file.name}.", suffix=".tmp", dir=file.parent)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
            if durable:
                out.flush()
                os.fsync(out.fileno())
        if keep_mode:
            os.chmod(temporary, file.stat().st_mode & 0o7777)
        os.replace(temporary, file)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
