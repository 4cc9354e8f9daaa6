"""The build cache on disk: the memos (memo.py) of `rmsite build`, kept in `.rmsite-cache/`
in the site folder (ignored by git, safe to delete) between runs. One JSON file holds the
memos, one file each holds a checked cohort and the leak guard's forms; anything that does
not read back exactly as it was written is ignored, never trusted. Passed to `build`
explicitly; never global."""

from __future__ import annotations

import functools
import json
import shutil
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from importlib import metadata
from pathlib import Path
from typing import Any, TypeVar

from rmsite import __version__
from rmsite.core.hashing import atomic_write, bytes_hash, digest, files_hash, text_hash
from rmsite.core.lazy import Reloadable
from rmsite.core.problems import Loc, Problem
from rmsite.model.programme import CohortFile, CohortSummary, PrivateValue
from rmsite.model.schema import Cohort, GuideMeta
from rmsite.output.index import OutputIndex
from rmsite.output.privacy import GuardMemo, forms_fingerprint
from rmsite.output.render import TemplateMemo
from rmsite.pipeline.memo import Memos, SavedForms
from rmsite.site.conversions import CachedGuide
from rmsite.site.markdown import ConvertedGuide, GuideLink, Heading
from rmsite.source.cohorts import CohortResult, SavedCohort
from rmsite.source.guides import SavedGuide

T = TypeVar("T")

CACHE_DIR = ".rmsite-cache"
SPARE_SITE = "previous-site"  # in CACHE_DIR: the site a build replaced, which the next one starts from (write.py)
FORMAT = 6  # 2: cohorts saved with their summary, restored when first used; 3: their model after the JSON;
# 4: their private values too, and the leak guard's forms; 5: every file starts with a checksum of the rest;
# 6: problems with their code and subject
CHECKSUM = "sha256:"  # the first line of every file the store writes: CHECKSUM, the hash of the rest, a newline
# libraries whose upgrades can change the output of unchanged input
OUTPUT_LIBRARIES = ("markdown", "pymdown-extensions", "jinja2", "markupsafe", "pydantic")  # pydantic: saved models
CACHEDIR_TAG = ("Signature: 8a477f597d28d172789f06886806bc55\n"
                "# This folder is rmsite's build cache; it is safe to delete.\n")


TEMPLATES_KEPT = 200  # template texts whose references are saved: the latest ones


def _saved_guide(saved: SavedGuide) -> list[Any]:
    return [saved.digest, saved.rel, saved.meta.model_dump_json() if saved.meta else None,
            _problems_json(saved.problems)]


def _guide_from_saved(entry: list[Any]) -> SavedGuide:
    text_digest, rel, meta, problems = entry
    return SavedGuide(str(text_digest), str(rel), GuideMeta.model_validate_json(meta) if meta else None,
                      _problems(problems))


def _search_blocks(data: dict[str, dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """The saved blocks of the search index, checked for their shape (search.make_block's)."""
    for block in data.values():
        if not (isinstance(block["rows"], list) and isinstance(block["terms"], dict)
                and isinstance(block["last"], dict) and block["terms"].keys() == block["last"].keys()
                and all(isinstance(v, list) and len(v) >= 2 for v in block["terms"].values())):
            raise ValueError("a search block of another shape")
    return data


def _problems_json(problems: Any) -> list[list[Any]]:
    return [[p.path, p.line, p.column, p.severity, p.message, p.code, p.subject] for p in problems]


def _problems(data: Any) -> tuple[Problem, ...]:
    return tuple(Problem(str(path), int(line), int(column), severity, str(message), str(code), str(subject))
                 for path, line, column, severity, message, code, subject in data)


def cache_file(site_dir: Path) -> Path:
    """The build cache of this site for this version of rmsite and its libraries. The
    version includes a hash of rmsite's own code, so a changed checkout starts afresh."""
    versions = [__version__, _code_digest()] + [_version(name) for name in OUTPUT_LIBRARIES]
    return site_dir / CACHE_DIR / f"build-{digest(FORMAT, versions)[:20]}.json"


def _code_digest() -> str:
    package = Path(__file__).parent.parent
    return files_hash(package, sorted(package.rglob("*.py")))


def _version(name: str) -> str:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "-"


def load_cache(file: Path) -> Memos:
    """The memos saved in `file`, or empty ones if it is missing, unreadable or from another
    version. A cache can only save work: a bad one is ignored, never an error."""
    memos = _load_cache(file)
    memos.templates.compiled = compiled_folder(file)
    if memos.outputs.output is not None:  # a cache of the same version
        memos.guard.forms = _load_guard_forms(guard_file(file))
        memos.saved.guard = memos.guard.forms[0] if memos.guard.forms is not None else ""
    return memos


def guard_file(file: Path) -> Path:
    """Where the leak guard's forms are kept (privacy.LeakGuard), beside the cache `file`."""
    return file.parent / f"{file.stem}-guard.json"


def _load_guard_forms(file: Path) -> tuple[str, list[str]] | None:
    """The sources and forms of the last leak guard; None unless exactly as a build saved them."""
    try:
        data = json.loads(_read_checked(file))
        forms = data["forms"]
        if not isinstance(forms, list) or not all(isinstance(form, str) for form in forms):
            return None
        if forms_fingerprint(forms) != data["fingerprint"]:
            return None
        return str(data["sources"]), forms
    except (OSError, ValueError, KeyError, TypeError):
        return None


def compiled_folder(file: Path) -> Path:
    """The folder of compiled templates that goes with the cache `file` (and so with this
    version of rmsite and its dependencies)."""
    return file.parent / f"{file.stem}-templates"


def _load_cache(file: Path) -> Memos:
    try:
        data = json.loads(_read_checked(file))
        if data.get("format") != FORMAT:
            return Memos()
        return Memos(
            guides={str(path): _guide_from_saved(entry) for path, entry in (data.get("guide_sources") or {}).items()},
            cohorts={rel: (str(ref["key"]), _LazyCohort(file.parent / _cohort_name(file, str(ref["key"]))))
                     for rel, ref in data["cohorts"].items()},
            conversions={rel: _guide_from_json(entry) for rel, entry in data["guides"].items()},
            search=_search_blocks(data.get("search") or {}),
            templates=TemplateMemo(references={str(k): tuple(str(r) for r in v)
                                               for k, v in (data.get("templates") or {}).items()}),
            outputs=OutputIndex(
                output=Path(data["output"]) if data["output"] else None,
                keys={path: entry[0] for path, entry in data["pages"].items()},
                stamps={path: (entry[1], entry[2]) for path, entry in data["pages"].items()},
                guard=data["guard"],
                written=frozenset(data["written"]) if data.get("written") is not None else None),
            saved=SavedForms(conversions=data["guides"]),
            guard=GuardMemo(clean={str(key) for key in data.get("clean_guides") or []}),
        )
    except (OSError, ValueError, KeyError, TypeError, IndexError, AttributeError):
        return Memos()


def save_cache(memos: Memos, file: Path) -> bool:
    """Write the memos atomically; False (and nothing written) when the folder can't take them."""
    index = memos.outputs
    data = {
        "format": FORMAT,
        "output": str(index.output) if index.output else "",
        "guard": index.guard,
        "pages": {path: [key, *index.stamps.get(path, (-1, -1))] for path, key in sorted(index.keys.items())},
        "guides": {rel: _saved_or_new(memos, rel, entry) for rel, entry in sorted(memos.conversions.items())},
        "written": sorted(index.written) if index.written is not None else None,
        "cohorts": {rel: {"key": key} for rel, (key, _) in sorted(memos.cohorts.items())},
        "search": memos.search,
        "templates": dict(list(memos.templates.references.items())[-TEMPLATES_KEPT:]),
        "guide_sources": {path: _saved_guide(saved) for path, saved in sorted(memos.guides.items())},
        "clean_guides": sorted(memos.guard.clean),  # guides' HTML the leak guard found clean
    }
    folder = file.parent
    try:
        if not _cache_folder(folder):
            return False  # not ours: leave it alone
        kept = {file, guard_file(file)}
        if memos.guard.forms is not None and memos.guard.forms[0] != memos.saved.guard:
            sources, forms = memos.guard.forms
            _write_json(guard_file(file), {"sources": sources, "forms": forms, "fingerprint": forms_fingerprint(forms)})
            memos.saved.guard = sources
        for key, result in memos.cohorts.values():  # a file each, named by what it was made from
            target = folder / _cohort_name(file, key)
            kept.add(target)
            if not isinstance(result, SavedCohort) and not _kept_in(result, target):  # else read from that
                _write_text(target, _cohort_text(key, result))  # file by this build, or unused
        _write_json(file, data)
        for old in folder.glob("build-*.json"):  # caches of other versions, and of cohort files as they were
            if old not in kept:
                old.unlink(missing_ok=True)
        compiled = compiled_folder(file)
        if compiled.is_symlink() or (compiled.exists() and not compiled.is_dir()):
            compiled.unlink()  # not what a build made: the cache folder is rmsite's own
        compiled.mkdir(exist_ok=True)
        for old in folder.glob("build-*-templates"):  # compiled templates of other versions
            if old != compiled and old.is_dir() and not old.is_symlink():
                shutil.rmtree(old, ignore_errors=True)
        return True
    except OSError:
        return False


def _cache_folder(folder: Path) -> bool:
    """Make the cache folder if it is missing; False if something else is in its place."""
    if folder.is_symlink() or (folder.exists() and not folder.is_dir()):
        return False
    folder.mkdir(exist_ok=True)
    for name, text in (("CACHEDIR.TAG", CACHEDIR_TAG), (".gitignore", "*\n")):
        if not (folder / name).exists():
            (folder / name).write_text(text, encoding="utf-8")
    return True


class CohortSpool:
    """Where a build keeps the cohorts it checks while it runs, a file each in the form the
    build cache keeps them, so that it holds one cohort's model at a time and reads it again
    when it makes that cohort's pages (see architecture.md, "Memory"). In the cache's own
    folder the files are the cache's (not written again when it is saved); a build without
    the cache spools into a temporary folder."""

    def __init__(self, folder: Path, cache: Path) -> None:
        self.folder, self.cache = folder, cache  # cache: the cache file the names are made from

    @classmethod
    def for_cache(cls, file: Path) -> CohortSpool | None:
        """The spool in the cache folder of `file`, made if missing; None if it can't be."""
        try:
            return cls(file.parent, file) if _cache_folder(file.parent) else None
        except OSError:
            return None

    def keep(self, key: str, result: CohortResult) -> CohortResult:
        """Write a checked cohort into the spool and give it back without its model and
        private values, which are read from the file when asked for."""
        entry = result.entry
        if entry is None:
            return result
        file = self.folder / _cohort_name(self.cache, key)
        header, private, model = (part.encode("utf-8") for part in _cohort_parts(key, result))
        text = header + b"\n" + private + b"\n" + model
        checksum = f"{CHECKSUM}{bytes_hash(text)}\n".encode()
        atomic_write(file, checksum + text)
        start = len(checksum) + len(header) + 1
        return CohortResult(CohortFile(entry.id, entry.path, entry.digest, entry.summary,
                                       _Saved(file, start + len(private) + 1, len(checksum) + len(text),
                                              _cohort_model, False),
                                       _Saved(file, start, start + len(private), _private_values, False)),
                            result.problems)


@contextmanager
def cohort_spool(file: Path, use_cache: bool) -> Iterator[CohortSpool]:
    """The spool of one `rmsite build`: in the cache folder of `file` with the cache, once a
    build has made that folder, else (or if that folder cannot be used) in a temporary folder,
    removed when the build is done. So a first build that fails leaves the programme's folder
    as it was."""
    spool = CohortSpool.for_cache(file) if use_cache and file.parent.is_dir() else None
    if spool is not None:
        yield spool
        return
    with temporary_spool() as spool:
        yield spool


@contextmanager
def temporary_spool() -> Iterator[CohortSpool]:
    """A spool in a temporary folder, removed when the build is done."""
    with tempfile.TemporaryDirectory(prefix="rmsite-cohorts-") as folder:
        yield CohortSpool(Path(folder), Path(folder) / "build.json")


def _kept_in(result: CohortResult | SavedCohort, file: Path) -> bool:
    """Whether a checked cohort was spooled into `file` (so that the cache need not write it)."""
    return isinstance(result, CohortResult) and result.entry is not None \
        and isinstance(result.entry.model, _Saved) and result.entry.model.file == file


def _write_json(file: Path, data: Any) -> None:
    """Write JSON to a file atomically: a reader sees the old file or the new one."""
    _write_text(file, json.dumps(data, ensure_ascii=False, separators=(",", ":")))  # dumps: its encoder is C


def _write_text(file: Path, text: str) -> None:
    """Write a text atomically, after a line with its checksum (see _read_checked)."""
    atomic_write(file, f"{CHECKSUM}{text_hash(text)}\n{text}".encode())


def _read_checked(file: Path) -> str:
    """The text of a file the store wrote; ValueError if it is not exactly as written (edited
    by hand, cut short, from an older version), so that the cache is ignored, never trusted."""
    first, _, text = file.read_text(encoding="utf-8").partition("\n")
    if first != CHECKSUM + text_hash(text):
        raise ValueError(f"{file.name} is not as the build cache wrote it")
    return text


def _cohort_name(file: Path, key: str) -> str:
    """The file that holds a checked cohort beside the cache `file`: one per version of the
    cohort file, so that a build writes only the cohorts that changed."""
    return f"{file.stem}-cohort-{digest(key)[:24]}.json"


def _saved_or_new(memos: Memos, rel: str, entry: CachedGuide) -> dict[str, Any]:
    """A guide's saved form: reused as it was loaded when the guide did not change."""
    saved = memos.saved.conversions.get(rel)
    return saved if saved is not None and saved["key"] == entry.key else _guide_to_json(entry)


class _LazyCohort(SavedCohort):
    """A cohort's result in its own file beside the cache, read when a build uses it."""

    def __init__(self, file: Path) -> None:
        self.file = file

    def restore(self) -> CohortResult | None:
        try:
            return _cohort_result(self.file, True)
        except (OSError, ValueError, KeyError, TypeError):  # not as saved: loaded again
            return None


def _cohort_result(file: Path, restored: bool) -> CohortResult:
    """A checked cohort from its file (the cache's, or the build's spool): its summary and
    problems now, its private values and model each read from the file when first asked for
    (`restored`: counted as taken from the build cache), and read again after `release`."""
    data = file.read_bytes()
    checksum_end = data.index(b"\n")
    if data[:checksum_end].decode() != CHECKSUM + bytes_hash(data[checksum_end + 1:]):
        raise ValueError(f"{file.name} is not as the build cache wrote it")
    header_end = data.find(b"\n", checksum_end + 1)
    header = json.loads(data[checksum_end + 1:header_end if header_end >= 0 else len(data)])
    problems = _problems(header["problems"])
    if header["summary"] is None:
        return CohortResult(None, problems)
    private_end = data.index(b"\n", header_end + 1)  # each part is a line of JSON: no newline inside
    summary = header["summary"]
    entry = CohortFile(str(header["id"]), str(header["path"]), str(header["digest"]),
                       CohortSummary(str(summary["name"]),
                                     tuple((str(i), str(name)) for i, name in summary["people"]),
                                     tuple((str(k), str(a), str(b)) for k, a, b in summary["pairs"])),
                       _Saved(file, private_end + 1, len(data), _cohort_model, restored),
                       _Saved(file, header_end + 1, private_end, _private_values, restored))
    return CohortResult(entry, problems)


class _Saved(Reloadable[T]):
    """Part of a checked cohort in a file (JSON text from `start` to `end`), turned back into
    objects by `parse` only when a build asks for it, and again after it was forgotten: its
    model, when a page of the cohort is made; its private values, when the leak guard is made
    anew or finds one of them. It travels between processes as where it is, not as its text."""

    __slots__ = ("file", "start", "end")

    def __init__(self, file: Path, start: int, end: int, parse: Callable[[str], T], counted: bool) -> None:
        super().__init__(functools.partial(_parse_part, file, start, end, parse), counted)
        self.file, self.start, self.end = file, start, end

    def text(self) -> str:
        return _read_part(self.file, self.start, self.end)

    def __getstate__(self) -> tuple[Any, ...]:  # and where it is
        return (*super().__getstate__(), self.file, self.start, self.end)

    def __setstate__(self, state: tuple[Any, ...]) -> None:  # and where it is
        super().__setstate__(state[:4])
        self.file, self.start, self.end = state[4:]


def _read_part(file: Path, start: int, end: int) -> str:
    with file.open("rb") as handle:
        handle.seek(start)
        return handle.read(end - start).decode("utf-8")


def _parse_part(file: Path, start: int, end: int, parse: Callable[[str], T]) -> T:
    return parse(_read_part(file, start, end))


def _cohort_model(text: str) -> Cohort:
    return Cohort.model_validate_json(text)


def _private_values(text: str) -> tuple[PrivateValue, ...]:
    return tuple(PrivateValue(str(f), str(v), Loc(str(path), int(line), int(column)), str(owner))
                 for f, v, path, line, column, owner in json.loads(text))


def _cohort_text(key: str, result: CohortResult) -> str:
    """A cohort's saved form (a CohortResult's): a line of JSON; then its private values, a
    line of JSON, and the model's own JSON, each read only when needed."""
    header, private, model = _cohort_parts(key, result)
    return header + "\n" + private + "\n" + model if result.entry is not None else header + "\n"


def _cohort_parts(key: str, result: CohortResult) -> tuple[str, str, str]:
    """The three lines of a cohort's saved form: its header, private values and model."""
    entry, private, model = result.entry, "", ""
    if entry is not None:
        private = entry.private_values.text() if isinstance(entry.private_values, _Saved) else json.dumps(
            [[v.field, v.value, v.loc.path, v.loc.line, v.loc.column, v.owner] for v in entry.private],
            ensure_ascii=False, separators=(",", ":"))
        model = entry.model.text() if isinstance(entry.model, _Saved) else entry.cohort.model_dump_json()
    return json.dumps(_cohort_header(key, result), ensure_ascii=False, separators=(",", ":")), private, model


def _cohort_header(key: str, result: CohortResult) -> dict[str, Any]:
    entry = result.entry
    return {
        "key": key,
        "id": entry.id if entry else None,
        "path": entry.path if entry else None,
        "digest": entry.digest if entry else None,
        "summary": {"name": entry.summary.name, "people": [list(p) for p in entry.summary.people],
                    "pairs": [list(p) for p in entry.summary.pairs]} if entry else None,
        "problems": _problems_json(result.problems),
    }


def _guide_to_json(entry: CachedGuide) -> dict[str, Any]:
    guide = entry.guide
    return {
        "key": entry.key,
        "lookups": [list(pair) for pair in entry.lookups],
        "html": guide.html,
        "headings": [[h.level, h.id, h.title] for h in guide.headings],
        "anchors": sorted(guide.anchors),
        "links": [[link.loc.path, link.loc.line, link.loc.column, link.target, link.fragment]
                  for link in guide.links],
        "targets": sorted(guide.targets),
        "problems": _problems_json(entry.problems),
    }


def _guide_from_json(data: dict[str, Any]) -> CachedGuide:
    guide = ConvertedGuide(
        None,  # type: ignore[arg-type]  # the build puts the current source back
        str(data["html"]),
        tuple(Heading(int(level), str(id_), str(title)) for level, id_, title in data["headings"]),
        frozenset(str(a) for a in data["anchors"]),
        tuple(GuideLink(Loc(str(path), int(line), int(column)), str(target), str(fragment))
              for path, line, column, target, fragment in data["links"]),
        frozenset(str(t) for t in data["targets"]),
    )
    return CachedGuide(str(data["key"]), tuple((str(t), r) for t, r in data["lookups"]), guide,
                       _problems(data["problems"]))
