"""Hashes and atomic writes."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from rmsite.core.hashing import atomic_write, bytes_hash, digest, files_hash, text_digest, text_hash


def test_a_digest_tells_values_apart_by_their_parts():
    assert digest("a", "b") == digest("a", "b")
    assert digest("a", "b") != digest("ab")  # parts are separated, not joined
    assert digest(1) != digest("1")  # by repr: the type counts


def test_text_hashes_agree_with_the_hash_of_the_bytes():
    assert text_hash("é") == bytes_hash("é".encode())
    assert text_digest("x", 1) != text_digest("x", 2)  # where a text starts is part of its digest


def test_files_hash_covers_names_and_contents(tmp_path: Path):
    (tmp_path / "a.py").write_text("one")
    before = files_hash(tmp_path, [tmp_path / "a.py"])
    (tmp_path / "a.py").write_text("two")
    assert files_hash(tmp_path, [tmp_path / "a.py"]) != before
    (tmp_path / "b.py").write_text("two")
    assert files_hash(tmp_path, [tmp_path / "b.py"]) != files_hash(tmp_path, [tmp_path / "a.py"])


def test_an_atomic_write_replaces_the_file_and_leaves_nothing_else(tmp_path: Path):
    file = tmp_path / "cohort.yml"
    file.write_bytes(b"old")
    atomic_write(file, b"new", durable=True)
    assert file.read_bytes() == b"new"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["cohort.yml"]


def test_an_atomic_write_can_keep_the_files_permissions(tmp_path: Path):
    file = tmp_path / "cohort.yml"
    file.write_bytes(b"old")
    os.chmod(file, 0o640)
    atomic_write(file, b"new", keep_mode=True)
    assert stat.S_IMODE(file.stat().st_mode) == 0o640


def test_a_failed_atomic_write_leaves_the_old_file_and_no_temporary(tmp_path: Path):
    file = tmp_path / "cohort.yml"
    file.write_bytes(b"old")
    with pytest.raises(TypeError):
        atomic_write(file, "not bytes")  # type: ignore[arg-type]  # the failure under test
    assert file.read_bytes() == b"old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["cohort.yml"]
