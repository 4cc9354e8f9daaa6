"""Reading source files: finding them (symbolic links checked), text with
encoding checks, YAML with line/column marks, Markdown front matter. Nothing
else in rmsite reads the site's source files."""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass
from pathlib import Path

from rmsite.core.hashing import text_digest
from rmsite.core.problems import Loc, Problem
from rmsite.model.document import YamlDoc
from rmsite.source.yaml_marks import parse_yaml

MAX_FILE_BYTES = 10 * 1024 * 1024


@dataclass(frozen=True)
class TextFile:
    """A decoded source file: text with newlines normalised to \\n."""

    path: str
    text: str

    @property
    def digest(self) -> str:
        return text_digest(self.text)


@dataclass(frozen=True)
class FrontMatter:
    """A Markdown file split into its front matter and body."""

    yaml_text: str | None
    yaml_first_line: int  # 1-based line of the first front-matter line
    body: str
    body_first_line: int  # 1-based line of the first body line


def read_text(file: Path, rel: str) -> tuple[TextFile | None, list[Problem]]:
    """Read a UTF-8 text file (BOM and CRLF allowed) or explain why not."""
    where = Loc(rel)
    try:
        info = file.stat()
        if stat.S_ISDIR(info.st_mode):
            return None, [where.error("expected a file, found a folder")]
        if not stat.S_ISREG(info.st_mode):
            return None, [where.error("not a regular file (a pipe, socket or device?); rmsite reads only files")]
        if info.st_size > MAX_FILE_BYTES:
            return None, [where.error(f"file is too large ({info.st_size / (1024 * 1024):.1f} MB; the limit is "
                                      f"{MAX_FILE_BYTES // (1024 * 1024)} MB)")]
        raw = file.read_bytes()
    except FileNotFoundError:
        return None, [where.error("file not found")]
    except OSError as exc:
        return None, [where.error(f"cannot read file: {exc.strerror or exc}")]
    if b"\x00" in raw:
        offset = raw.index(b"\x00")
        return None, [_byte_loc(raw, offset, rel).error(
            "this looks like a binary file, not text (it contains a NUL byte)")]
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        bad = raw[exc.start]
        return None, [_byte_loc(raw, exc.start, rel).error(
            f"invalid UTF-8 (byte 0x{bad:02x}); save the file with UTF-8 encoding")]
    return TextFile(rel, text.replace("\r\n", "\n").replace("\r", "\n")), []


def _byte_loc(raw: bytes, offset: int, rel: str) -> Loc:
    line_start = raw.rfind(b"\n", 0, offset) + 1
    return Loc(rel, raw.count(b"\n", 0, offset) + 1, offset - line_start + 1)


def split_front_matter(text: str) -> tuple[FrontMatter, list[Problem]]:
    """Split `---` front matter from a Markdown body, keeping line numbers."""
    lines = text.split("\n")
    if not lines or lines[0].rstrip() != "---":
        return FrontMatter(None, 1, text, 1), []
    for index in range(1, len(lines)):
        if lines[index].rstrip() in ("---", "..."):
            return FrontMatter("\n".join(lines[1:index]), 2,
                               "\n".join(lines[index + 1:]), index + 2), []
    return FrontMatter(None, 1, text, 1), [Problem("", 1, 1, "error",
                                                   "front matter starts with '---' but never ends; "
                                                   "close it with another '---' line")]


def load_yaml_file(file: Path, rel: str) -> tuple[YamlDoc | None, list[Problem]]:
    """Read and parse a YAML file whose top level must be a mapping."""
    text_file, problems = read_text(file, rel)
    if text_file is None:
        return None, problems
    return parse_yaml_mapping(text_file.text, rel)


def parse_yaml_mapping(text: str, rel: str) -> tuple[YamlDoc | None, list[Problem]]:
    """Parse the text of a YAML file whose top level must be a mapping."""
    doc, problems = parse_yaml(text, rel)
    if doc is None:
        return None, problems
    if doc.data is None:
        return None, problems + [Loc(rel).error("file is empty; expected a mapping of keys to values")]
    if not isinstance(doc.data, dict):
        kind = type(doc.data).__name__.replace("list", "a list").replace("str", "text")
        return None, problems + [doc.loc().error(f"expected a mapping of keys to values, found {kind}")]
    return doc, problems


# --- finding the site's files -------------------------------------------------

@dataclass(frozen=True)
class SourceFile:
    """A file (or, in a flat listing, a folder) of the site: its path as the
    user sees it, relative to the site folder, and the file to read."""

    rel: str
    path: Path  # symbolic links resolved
    is_folder: bool = False


def source_file(site_dir: Path, rel: str) -> tuple[SourceFile | None, list[Problem]]:
    """One named file of the site (such as site.yml); None when it is a link that leads outside."""
    path = site_dir / rel
    if not path.is_symlink():
        return SourceFile(rel, path), []
    real, problems = _follow(site_dir.resolve(), path, rel)
    return (SourceFile(rel, real) if real is not None else None), problems


def source_files(site_dir: Path, folder: str, recursive: bool = True) -> tuple[list[SourceFile], list[Problem]]:
    """The regular files under one of the site's folders, by path; a flat listing
    (recursive=False) also holds the sub-folders, with is_folder set.

    Symbolic links are followed while they stay inside the site folder; one that
    leads outside, or to nothing, is a problem at the link's own path. Each real
    folder is read once, so a link to a folder above it cannot loop."""
    root = site_dir.resolve()
    top, problems = _follow(root, site_dir / folder, folder)
    if top is None or not top.is_dir():
        return [], problems
    found: list[SourceFile] = []
    visited = {top.resolve()}
    pending = [(top, folder)]
    while pending:
        directory, rel_dir = pending.pop()
        try:
            names = sorted(os.listdir(directory))
        except OSError as exc:
            problems.append(Loc(rel_dir).error(f"cannot read the folder: {exc.strerror or exc}"))
            continue
        for name in names:
            rel = f"{rel_dir}/{name}"
            try:
                real, found_problems = _follow(root, directory / name, rel)
                problems += found_problems
                if real is None:
                    continue
                if real.is_dir():
                    if not recursive:
                        found.append(SourceFile(rel, real, is_folder=True))
                    elif real.resolve() not in visited:
                        visited.add(real.resolve())
                        pending.append((real, rel))
                elif real.is_file():
                    found.append(SourceFile(rel, real))
                elif real.exists():
                    problems.append(Loc(rel).warning("ignored: not a regular file (a pipe, socket or device?)",
                                                     "ignored-file", rel))
            except OSError as exc:  # a name too long, no permission, …
                problems.append(Loc(rel).error(f"cannot read: {exc.strerror or exc}"))
    return sorted(found, key=lambda f: f.rel), problems


def _follow(root: Path, path: Path, rel: str) -> tuple[Path | None, list[Problem]]:
    """Where path really is, when that is inside root; else None and why.
    A path that does not exist is returned as it is (the caller decides)."""
    if not path.is_symlink():
        return path, []
    target = os.readlink(path)
    try:
        real = path.resolve(strict=True)
    except (OSError, RuntimeError):  # a link to nothing, or a loop of links
        return None, [Loc(rel).error(f"{rel} is a symbolic link to '{target}', which does not exist; "
                                     "fix or remove the link")]
    if not real.is_relative_to(root):
        return None, [Loc(rel).error(f"{rel} is a symbolic link to '{target}', outside the site folder; "
                                     "copy the file in instead")]
    return real, []


PRIVATE_SOURCES = ("site.yml", "cohorts", "imports", ".rmsite-cache", "_private")  # never published: the sources, the
# build cache, and the folder `rmsite report` writes the coordinator's report to by default


def private_static(site_dir: Path, static: list[SourceFile]) -> tuple[list[SourceFile], list[Problem]]:
    """The static files that may be published, and an error for each that is (through a link)
    or copies (byte for byte) a private source: site.yml, a cohort file, an import, the build
    cache. Static files are published as they are, so these would publish every contact,
    note and comment in them."""
    if not static:
        return static, []
    root = site_dir.resolve()
    private = [root / name for name in PRIVATE_SOURCES]
    sources: dict[int, list[Path]] = {}  # the private files by size, to find copies
    for base in private:
        # the cache's own files, not the site it keeps (previous-site/ is published output)
        inside = base.glob("*") if base.name == ".rmsite-cache" else base.rglob("*")
        for path in ([base] if base.is_file() else sorted(inside) if base.is_dir() else []):
            if path.is_file() and not path.is_symlink():
                sources.setdefault(path.stat().st_size, []).append(path)
    kept, problems = [], []
    for file in static:
        real = file.path.resolve()
        leads = next((base for base in private if real == base or real.is_relative_to(base)), None)
        if leads is None:
            candidates = sources.get(real.stat().st_size, ())
            data = real.read_bytes() if candidates else b""  # read once, and only when a size matches
            same = next((s for s in candidates if s.read_bytes() == data), None)
            if same is not None:
                problems.append(Loc(file.rel).error(
                    f"static file is a copy of {same.relative_to(root).as_posix()}, which is private: static "
                    "files are published as they are; remove it from static/"))
                continue
            kept.append(file)
            continue
        problems.append(Loc(file.rel).error(
            f"static file leads to {real.relative_to(root).as_posix()}, which is private: static files are "
            "published as they are; remove the link from static/"))
    return kept, problems
