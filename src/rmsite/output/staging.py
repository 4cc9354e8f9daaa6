"""The only module that touches the output folder: checks it is safe to
use, writes a complete new site beside it, and swaps it in at the end.

A build killed at any moment leaves the previous output as it was: the new
site is written into a hidden folder beside it, and the swap is one atomic
exchange of the two folders (Linux renameat2), or two renames elsewhere.
The next build removes what a killed one left behind.

An output folder that is a mount point cannot be renamed: the new site is then
written into a hidden folder inside it, and moved into place file by file once
every check has passed, as the preview writes its own folder."""

from __future__ import annotations

import os
import shutil
from collections.abc import Container, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from rmsite.core.problems import Loc, Problem
from rmsite.output.folders import (
    CANNOT_SWAP,
    MARKER,
    MARKER_TEXT,
    SITE_YML,
    SYSTEM_ENTRIES,
    OutputError,
    Removal,
    clean_leftovers,
    exchange,
    is_staging,
    remove_tree,
    staging_name,
    swappable,
)


@dataclass(frozen=True)
class Taken:
    """An output path in the way of another: the same path, or one that must be a folder
    where the other is a file; and what it belongs to."""

    path: str
    owner: str

    def relation(self, rel: str) -> str:
        """How this path is in the way of `rel`: "same", "inside" it (`rel` would have to be a
        folder) or "around" it (this path would have to be a folder)."""
        return "same" if self.path == rel else "inside" if self.path.startswith(rel + "/") else "around"

    def clash(self, rel: str, owner: str) -> str:
        """The problem, in words, with `owner` writing `rel`."""
        relation = self.relation(rel)
        if relation == "same":
            return f"{rel} would be written twice (by {self.owner} and {owner})"
        if relation == "inside":
            return f"{rel} (from {owner}) would be a file where {self.path} (from {self.owner}) needs a folder"
        return f"{rel} (from {owner}) would be inside {self.path} (from {self.owner}), which is a file"

    def problem(self, rel: str, owner: str, fix: str, elsewhere: str) -> Problem:
        """The clash as an error, at this path's source file when it has one (a guide, a
        static file), else at `elsewhere`; `fix` says what to do."""
        return Loc(self.owner if "/" in self.owner else elsewhere).error(f"{self.clash(rel, owner)}; {fix}")


def _parents(rel: str) -> list[str]:
    """The folders an output path is in, outermost first: a/b/c -> a, a/b."""
    found, at = [], rel.find("/")
    while at != -1:
        found.append(rel[:at])
        at = rel.find("/", at + 1)
    return found


class StagedOutput:
    """A new site written into a hidden folder next to the output, then swapped in.

    In place (for the preview server, whose output only it reads), the hidden
    folder holds only the files that changed; they are moved into the output
    and files no longer produced are removed, leaving unchanged files alone.

    With a `spare` folder (in rmsite's cache folder, on the output's file system),
    the site that a build replaces is kept there instead of being removed, and the
    next build starts from it: its folders are there already, and a file that is
    the same as the output's (the same file, hard-linked) is left as it is. Every
    other file in it is removed or replaced before the swap; a file is never written
    over in place, since it may be a link to a file of the site being served.

    Inside (when the output folder is a mount point, which cannot be renamed), the
    hidden folder is in the output folder, on its file system; at the commit, the
    files this build does not produce are removed (as the swap removes them with the
    old site) and the new files are renamed into place. A swap that fails with EBUSY
    or EXDEV (a mount not seen beforehand) falls back to the same, after copying the
    new site inside."""

    def __init__(self, output: Path, where: Loc = SITE_YML, in_place: bool = False,
                 previous: frozenset[str] | None = None, spare: Path | None = None) -> None:
        self.output = output.resolve()
        self.where = where  # the output setting, for problems
        self.claimed: dict[str, str] = {}
        self.holding: dict[str, str] = {}  # each folder of the claimed paths: one of the paths in it
        self.in_place = in_place and (self.output / MARKER).is_file()
        self.inside = not self.in_place and self.output.is_dir() and not swappable(self.output)
        self.staging = (self.output if self.inside else self.output.parent) / staging_name(self.output)
        self.kept: set[str] = set()  # in place: files left as they are
        self.folders: set[str] = set()  # folders made for links
        self.previous = previous  # in place: what the last build wrote here, if known
        self.committed = False
        self.spare = (spare if spare is not None and not (self.in_place or self.inside) and _ours(spare.parent)
                      else None)
        self.recycled = False  # the staging folder is the spare: files in it may be in use elsewhere

    def __enter__(self) -> StagedOutput:
        with self.writing():
            self.output.parent.mkdir(parents=True, exist_ok=True)
            clean_leftovers(self.output)
            if self.staging.exists():
                shutil.rmtree(self.staging)
            self.recycled = self.spare is not None and _take(self.spare, self.staging)
            if not self.recycled:
                self.staging.mkdir()
            self.claim(MARKER, "the file that marks the output folder as rmsite's")
            self.write_text(MARKER, MARKER_TEXT)
        return self

    @contextmanager
    def writing(self) -> Iterator[None]:
        """Turn a failure of the file system (permissions, a full disk) into an OutputError."""
        try:
            yield
        except OSError as exc:
            raise OutputError(self.where.error(
                f"cannot write the output folder '{self.output}': {exc.strerror or exc}"
                + (f" ({exc.filename})" if exc.filename else ""))) from exc

    def __exit__(self, *exc: object) -> None:
        if not self.committed and self.staging.exists():  # discard the new files
            shutil.rmtree(self.staging, ignore_errors=True)

    def target(self, rel: str) -> Path:
        """The staging path for an output path, refusing anything that would escape it."""
        return Path(self.target_path(rel))

    def target_path(self, rel: str) -> str:
        """`target` as a string, which is quicker to make for each of thousands of files."""
        if (not rel or rel.startswith("/") or "\\" in rel or "\x00" in rel
                or any(part in ("", ".", "..") for part in rel.split("/"))):
            raise ValueError(f"output path escapes the output folder: {rel!r}")
        return f"{self.staging}/{rel}"

    def claim(self, rel: str, owner: str = "") -> Taken | None:
        """Reserve an output path for `owner`; what is in the way if it is taken, or if it is a
        folder of a path already claimed, or inside one. So no two files of a build ever need
        the same place on disk, whichever process writes them."""
        if rel in self.claimed:
            return Taken(rel, self.claimed[rel] or "another page")
        if rel in self.holding:
            other = self.holding[rel]
            return Taken(other, self.claimed[other] or "another page")
        folders = _parents(rel)
        for folder in folders:
            if folder in self.claimed:
                return Taken(folder, self.claimed[folder] or "another page")
        self.claimed[rel] = owner
        for folder in folders:
            self.holding.setdefault(folder, rel)
        return None

    def write_bytes(self, rel: str, data: bytes) -> None:
        path = self.target(rel)
        with self.writing():
            self._folder(str(path.parent))
            self._clear(str(path))
            path.write_bytes(data)

    def write_text(self, rel: str, text: str) -> None:
        self.write_bytes(rel, text.encode("utf-8"))

    def copy(self, rel: str, source: Path) -> None:
        path = self.target(rel)
        with self.writing():
            self._folder(str(path.parent))
            self._clear(str(path))
            shutil.copyfile(source, path)

    def link(self, rel: str, existing: str | Path) -> None:
        """Reuse an unchanged file of the previous output (a hard link when possible)."""
        if (self.in_place or self.inside) and os.fspath(existing) == f"{self.output}/{rel}":
            self.kept.add(rel)
            return
        path = self.target_path(rel)
        with self.writing():
            self._folder(os.path.dirname(path))
            if self.recycled:
                try:
                    if os.path.samestat(os.lstat(path), os.stat(existing)):
                        return  # the spare's file is that very file
                except OSError:
                    pass
                self._clear(path)
            try:
                os.link(existing, path)
            except OSError:
                shutil.copyfile(existing, path)

    def _folder(self, folder: str) -> None:
        """Make a folder of the staging tree (once: thousands of files share a few hundred folders)."""
        if folder in self.folders:
            return
        try:
            os.makedirs(folder, exist_ok=True)
        except (FileExistsError, NotADirectoryError):
            if not self.recycled:
                raise
            blocking = next(p for p in [Path(folder), *Path(folder).parents] if p.exists() or p.is_symlink())
            blocking.unlink()  # a file of the spare (claim() keeps this build's own files out of the way)
            os.makedirs(folder, exist_ok=True)
        self.folders.add(folder)

    def _clear(self, path: str) -> None:
        """In a recycled staging folder, remove what is at `path` before a new file goes there."""
        if not self.recycled:
            return
        try:
            os.unlink(path)
        except FileNotFoundError:
            pass
        except (IsADirectoryError, PermissionError):
            if not os.path.isdir(path) or os.path.islink(path):
                raise
            shutil.rmtree(path)  # a folder of the spare where this build puts a file (not one of its own)

    def _drop_unclaimed(self) -> None:
        """Remove the spare's files that this build did not produce, and folders left empty."""
        _prune(str(self.staging), "", set(self.claimed))

    def current(self, rel: str) -> Path:
        """Where the file for `rel` is now: newly written, or kept from the previous output."""
        return self.output / rel if rel in self.kept else self.target(rel)

    def commit(self, remove_later: bool = False) -> Removal:
        """Swap the new site in for the old one, then remove the old one. With `remove_later`,
        a forked process removes it while the caller goes on. If it fails, the new site is
        discarded on leaving (`__exit__`), not left beside the output."""
        with self.writing():
            removal = self._commit(remove_later)
        self.committed = True
        return removal

    def _commit(self, remove_later: bool) -> Removal:
        if self.in_place or self.inside:
            self._commit_in_place()
            return Removal()
        if self.recycled:
            self._drop_unclaimed()
        try:
            return self._swap(remove_later)
        except OSError as exc:
            if exc.errno not in CANNOT_SWAP:
                raise
        self._stage_inside()  # the output is a mount point after all: nothing was changed
        self._commit_in_place()
        return Removal()

    def _swap(self, remove_later: bool) -> Removal:
        """Put the staging folder in the output's place, and retire the old site."""
        if self.output.exists() and exchange(self.staging, self.output):
            return self._retire(self.staging, remove_later)  # it now holds the old site
        old = self.output.parent / f".{self.output.name}.rmsite-old-{os.getpid()}"
        if self.output.exists():
            os.replace(self.output, old)
        os.replace(self.staging, self.output)
        return self._retire(old, remove_later) if old.exists() else Removal()

    def _stage_inside(self) -> None:
        """Copy the new site into a hidden folder inside the output, on its file system, for
        `_commit_in_place`; the folder beside it is removed, whatever happens."""
        inside = self.output / staging_name(self.output)
        try:
            for folder, _, files in os.walk(self.staging):
                into = inside / os.path.relpath(folder, self.staging)
                into.mkdir(parents=True, exist_ok=True)
                for name in files:
                    shutil.copyfile(os.path.join(folder, name), into / name)
        except OSError:
            shutil.rmtree(inside, ignore_errors=True)
            raise
        finally:
            shutil.rmtree(self.staging, ignore_errors=True)
        self.staging, self.inside = inside, True

    def _retire(self, old: Path, remove_later: bool) -> Removal:
        """Keep the replaced site as the spare for the next build, or remove it."""
        if self.spare is not None and not self.spare.exists() and _ours(self.spare.parent):
            try:
                os.rename(old, self.spare)
                return Removal()
            except OSError:  # another file system, say: it is removed instead
                pass
        return remove_tree(old, remove_later)

    def _commit_in_place(self) -> None:
        """Remove what this build did not produce, then move the changed files in. Inside a
        mount point every other file goes, as with the swap; the preview's own folder is
        searched only when the last build made files this one does not."""
        produced = set(self.claimed)
        try:
            if self.inside or self.previous is None or not self.previous <= produced:
                # the hidden folders of new sites (this build's, and those of builds still running)
                leave = {entry.name for entry in os.scandir(self.output) if is_staging(self.output, entry.name)}
                if self.inside:  # a mount point's lost+found is its file system's, never removed
                    leave |= SYSTEM_ENTRIES - produced
                _prune(str(self.output), "", produced, leave)
            for folder, _, files in os.walk(self.staging):
                for name in files:
                    source = Path(folder) / name
                    target = self.output / source.relative_to(self.staging)
                    target.parent.mkdir(parents=True, exist_ok=True)
                    os.replace(source, target)
        finally:
            shutil.rmtree(self.staging, ignore_errors=True)


def _prune(folder: str, prefix: str, keep: set[str], leave: Container[str] = frozenset()) -> bool:
    """Remove what is under `folder` but not in `keep` (output paths; `prefix` is the folder's)
    or `leave` (paths left as they are), and the folders that this leaves empty; True when
    `folder` itself is left empty. One directory listing per folder and no other look-ups:
    a site has a folder per page."""
    empty = True
    with os.scandir(folder) as entries:
        for entry in entries:
            rel = prefix + entry.name
            if rel in leave:
                empty = False
            elif entry.is_dir(follow_symlinks=False):
                if _prune(entry.path, rel + "/", keep, leave):
                    os.rmdir(entry.path)
                else:
                    empty = False
            elif rel in keep:
                empty = False
            else:  # a file, or a link (to a folder too)
                os.unlink(entry.path)
    return empty


def _ours(folder: Path) -> bool:
    """Whether a folder is rmsite's cache folder (where a spare site may be kept)."""
    return folder.is_dir() and not folder.is_symlink() and (folder / "CACHEDIR.TAG").is_file()


def _take(spare: Path, staging: Path) -> bool:
    """Move the spare site into place as the staging folder; False when there is none to take."""
    if spare.is_symlink():
        spare.unlink()
    if not (spare / MARKER).is_file():
        if spare.exists():
            shutil.rmtree(spare, ignore_errors=True)  # not a site: the cache folder is rmsite's own
        return False
    try:
        os.rename(spare, staging)
        return True
    except OSError:
        return False


