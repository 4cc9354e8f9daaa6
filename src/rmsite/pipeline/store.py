"""What a build keeps for the next one, so a rebuild converts and renders only
what changed: converted guides by content, and each output page's render key
and file stamp. `serve` keeps it in memory; `rmsite build` keeps it in
`.rmsite-cache/` in the site folder (ignored by git, safe to delete).
Passed to `build` explicitly; never global."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Any, Callable

from rmsite import __version__
from rmsite.site.markdown import ConvertedGuide, GuideLink, Heading
from rmsite.source.files import split_front_matter
from rmsite.model.programme import CohortFile, CohortSummary, GuideSource, PrivateValue
from rmsite.core.problems import Loc, Problem
from rmsite.output.privacy import forms_fingerprint
from rmsite.model.schema import Cohort, GuideMeta

CACHE_DIR = ".rmsite-cache"
SPARE_SITE = "previous-site"  # in CACHE_DIR: the site a build replaced, which the next one starts from (write.py)
FORMAT = 4  # 2: cohorts saved with their summary, restored when first used; 3: their model after the JSON;
# 4: their private values too, and the leak guard's forms
# libraries whose upgrades can change the output of unchanged input
OUTPUT_LIBRARIES = ("markdown", "pymdown-extensions", "jinja2", "markupsafe", "pydantic")  # pydantic: saved models
CACHEDIR_TAG = ("Signature: 8a477f597d28d172789f06886806bc55\n"
                "# This folder is rmsite's build cache; it is safe to delete.\n")


def digest(*parts: object) -> str:
    """A stable hash of the reprs of some values."""
    h = hashlib.sha256()
    for part in parts:
        h.update(repr(part).encode("utf-8", "surrogatepass"))
        h.update(b"\x00")
    return h.hexdigest()


@dataclass(frozen=True)
class CachedGuide:
    key: str
    lookups: tuple[tuple[str, object], ...]  # each linked guide and what it resolved to
    guide: ConvertedGuide
    problems: tuple[Problem, ...]


@dataclass
class BuildCache:
    """Converted guides by source; the render key and file stamp of each output page."""

    guides: dict[str, CachedGuide] = field(default_factory=dict)
    pages: dict[str, str] = field(default_factory=dict)
    output: Path | None = None
    stamps: dict[str, tuple[int, int]] = field(default_factory=dict)  # page -> (size, mtime_ns)
    guard: str = ""  # what the leak guard looked for when the pages were checked
    saved: dict[str, dict[str, Any]] = field(default_factory=dict, repr=False)  # guides as last saved
    cohorts: dict[str, tuple[str, Any]] = field(default_factory=dict, repr=False)  # path -> (key, CohortResult)
    written: frozenset[str] | None = None  # every file the last build produced
    guards: dict[str, Any] = field(default_factory=dict, repr=False)  # the last leak guard, by its sources
    guard_forms: tuple[str, list[str]] | None = field(default=None, repr=False)  # its sources and forms
    guard_forms_saved: str = ""  # the sources of the forms in the cache folder
    templates: dict[str, tuple[str, ...]] = field(default_factory=dict, repr=False)  # source's hash -> referenced
    views: dict[str, Any] = field(default_factory=dict, repr=False)  # figures and views, by cohort (plan.py)
    guide_sources: dict[str, Any] = field(default_factory=dict, repr=False)  # path -> (text hash, parsed guide)
    environment: Any = field(default=None, repr=False)  # (its templates folder, the Jinja environment)
    search_blocks: dict[str, dict[str, Any]] = field(default_factory=dict, repr=False)  # search.py's memo
    last: Any = field(default=None, repr=False)  # the preview server's last build (quick.LastBuild)
    yaml_lists: dict[str, dict[str, Any]] = field(default_factory=dict, repr=False)  # cohort file -> its items
    compiled: Path | None = None  # where compiled templates are kept between builds (render.CompiledTemplates)

    def guide(self, source: GuideSource, pretty: bool,
              resolve: Callable[[str], object]) -> CachedGuide | None:
        """The cached conversion, if the guide and every guide it links to are unchanged."""
        entry = self.guides.get(source.rel)
        if entry is None or entry.key != guide_key(source, pretty):
            return None
        if any(resolve(target) != result for target, result in entry.lookups):
            return None
        return entry

    def reusable(self, path: str, key: str) -> str | None:
        """The previous output file for `path` when it was rendered from the same
        inputs and has not been touched since (a string: this is asked of every page)."""
        if self.output is None or self.pages.get(path) != key:
            return None
        file = f"{self.output}/{path}"
        try:
            stat = os.stat(file)
        except OSError:
            return None
        stamp = self.stamps.get(path)
        if stamp is not None and stamp != (stat.st_size, stat.st_mtime_ns):
            return None
        return file

    def previous(self, path: str) -> Path | None:
        """The previous output's file for `path`, whatever its key, if there is one."""
        if self.output is None:
            return None
        file = Path(f"{self.output}/{path}")
        return file if file.is_file() else None

    def remember(self, output: Path, pages: dict[str, str], guard: str,
                 linked: frozenset[str] = frozenset()) -> None:
        """After a build: the files now in `output`, with their keys and file stamps.
        Files in `linked` were kept from this cache's output as they were: their stamps stand."""
        same_output = self.output == output.resolve()
        old = self.stamps if same_output else {}
        self.output, self.pages, self.guard = output.resolve(), pages, guard
        self.stamps = {}
        for path in pages:
            if path in linked and path in old:
                self.stamps[path] = old[path]
                continue
            try:
                stat = os.stat(f"{self.output}/{path}")
            except OSError:
                continue
            self.stamps[path] = (stat.st_size, stat.st_mtime_ns)


TEMPLATES_KEPT = 200  # template texts whose references are saved: the latest ones


@dataclass(frozen=True)
class SavedGuide:
    """A guide's checked front matter as saved, made whole again with the guide's text when
    that text is unchanged (parsing front matter is most of the cost of reading a guide)."""

    rel: str
    meta: GuideMeta | None  # None: the front matter had errors
    problems: tuple[Problem, ...]

    def restore(self, text: str) -> tuple[GuideSource | None, list[Problem]]:
        if self.meta is None:
            return None, list(self.problems)
        front, _ = split_front_matter(text)
        return GuideSource(self.rel, self.meta, front.body, front.body_first_line), list(self.problems)


def _saved_guide(text_digest: str, parsed: Any) -> list[Any]:
    if isinstance(parsed, SavedGuide):
        rel, meta, problems = parsed.rel, parsed.meta, parsed.problems
    else:
        source, problems = parsed
        rel, meta = (source.rel, source.meta) if source else ("", None)
    return [text_digest, rel, meta.model_dump_json() if meta else None, _problems_json(problems)]


def _guide_from_saved(entry: list[Any]) -> tuple[str, SavedGuide]:
    text_digest, rel, meta, problems = entry
    return str(text_digest), SavedGuide(str(rel), GuideMeta.model_validate_json(meta) if meta else None,
                                        _problems(problems))


def _search_blocks(data: Any) -> dict[str, dict[str, Any]]:
    """The saved blocks of the search index, checked for their shape (search.make_block's)."""
    for block in data.values():
        if not (isinstance(block["rows"], list) and isinstance(block["terms"], dict)
                and isinstance(block["last"], dict) and block["terms"].keys() == block["last"].keys()
                and all(isinstance(v, list) and len(v) >= 2 for v in block["terms"].values())):
            raise ValueError("a search block of another shape")
    return data


def _problems_json(problems: Any) -> list[list[Any]]:
    return [[p.path, p.line, p.column, p.severity, p.message] for p in problems]


def _problems(data: Any) -> tuple[Problem, ...]:
    return tuple(Problem(str(path), int(line), int(column), severity, str(message))
                 for path, line, column, severity, message in data)


def guide_key(source: GuideSource, pretty: bool) -> str:
    return digest(source.rel, source.body, source.body_first_line, pretty)


def cache_file(site_dir: Path) -> Path:
    """The build cache of this site for this version of rmsite and its libraries. The
    version includes a hash of rmsite's own code, so a changed checkout starts afresh."""
    versions = [__version__, _code_digest()] + [_version(name) for name in OUTPUT_LIBRARIES]
    return site_dir / CACHE_DIR / f"build-{digest(FORMAT, versions)[:20]}.json"


def _code_digest() -> str:
    h = hashlib.sha256()
    package = Path(__file__).parent.parent
    for file in sorted(package.rglob("*.py")):
        h.update(file.relative_to(package).as_posix().encode())
        h.update(file.read_bytes())
    return h.hexdigest()


def _version(name: str) -> str:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "-"


def load_cache(file: Path) -> BuildCache:
    """The cache saved in `file`, or an empty one if it is missing, unreadable or from
    another version. A cache can only save work: a bad one is ignored, never an error."""
    cache = _load_cache(file)
    cache.compiled = compiled_folder(file)
    if cache.output is not None:  # a cache of the same version
        cache.guard_forms = _load_guard_forms(guard_file(file))
        cache.guard_forms_saved = cache.guard_forms[0] if cache.guard_forms is not None else ""
    return cache


def guard_file(file: Path) -> Path:
    """Where the leak guard's forms are kept (privacy.LeakGuard), beside the cache `file`."""
    return file.parent / f"{file.stem}-guard.json"


def _load_guard_forms(file: Path) -> tuple[str, list[str]] | None:
    """The sources and forms of the last leak guard; None unless exactly as a build saved them."""
    try:
        data = json.loads(file.read_text(encoding="utf-8"))
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


def _load_cache(file: Path) -> BuildCache:
    try:
        data = json.loads(file.read_text(encoding="utf-8"))
        if data.get("format") != FORMAT:
            return BuildCache()
        return BuildCache(
            guides={rel: _guide_from_json(rel, entry) for rel, entry in data["guides"].items()},
            saved=data["guides"],
            cohorts={rel: (str(ref["key"]), _LazyCohort(file.parent / _cohort_name(file, str(ref["key"]))))
                     for rel, ref in data["cohorts"].items()},
            written=frozenset(data["written"]) if data.get("written") is not None else None,
            pages={path: entry[0] for path, entry in data["pages"].items()},
            output=Path(data["output"]) if data["output"] else None,
            stamps={path: (entry[1], entry[2]) for path, entry in data["pages"].items()},
            guard=data["guard"],
            search_blocks=_search_blocks(data.get("search") or {}),
            templates={str(k): tuple(str(r) for r in v) for k, v in (data.get("templates") or {}).items()},
            guide_sources={str(path): _guide_from_saved(entry)
                           for path, entry in (data.get("guide_sources") or {}).items()},
        )
    except (OSError, ValueError, KeyError, TypeError, IndexError, AttributeError):
        return BuildCache()


def save_cache(cache: BuildCache, file: Path) -> bool:
    """Write the cache atomically; False (and nothing written) when the folder can't take it."""
    data = {
        "format": FORMAT,
        "output": str(cache.output) if cache.output else "",
        "guard": cache.guard,
        "pages": {path: [key, *cache.stamps.get(path, (-1, -1))] for path, key in sorted(cache.pages.items())},
        "guides": {rel: _saved_or_new(cache, rel, entry) for rel, entry in sorted(cache.guides.items())},
        "written": sorted(cache.written) if cache.written is not None else None,
        "cohorts": {rel: {"key": key} for rel, (key, _) in sorted(cache.cohorts.items())},
        "search": cache.search_blocks,
        "templates": dict(list(cache.templates.items())[-TEMPLATES_KEPT:]),
        "guide_sources": {path: _saved_guide(digest_, parsed) for path, (digest_, parsed) in
                          sorted(cache.guide_sources.items())},
    }
    folder = file.parent
    try:
        if folder.is_symlink() or (folder.exists() and not folder.is_dir()):
            return False  # not ours: leave it alone
        folder.mkdir(exist_ok=True)
        for name, text in (("CACHEDIR.TAG", CACHEDIR_TAG), (".gitignore", "*\n")):
            if not (folder / name).exists():
                (folder / name).write_text(text, encoding="utf-8")
        kept = {file, guard_file(file)}
        if cache.guard_forms is not None and cache.guard_forms[0] != cache.guard_forms_saved:
            sources, forms = cache.guard_forms
            _write_json(guard_file(file), {"sources": sources, "forms": forms, "fingerprint": forms_fingerprint(forms)})
            cache.guard_forms_saved = sources
        for key, result in cache.cohorts.values():  # a file each, named by what it was made from
            kept.add(folder / _cohort_name(file, key))
            if not isinstance(result, _LazyCohort):  # else read from that file by this build, or unused
                _write_text(folder / _cohort_name(file, key), _cohort_text(key, result))
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


def _write_json(file: Path, data: Any) -> None:
    """Write JSON to a file atomically: a reader sees the old file or the new one."""
    _write_text(file, json.dumps(data, ensure_ascii=False, separators=(",", ":")))  # dumps: its encoder is C


def _write_text(file: Path, text: str) -> None:
    fd, temp = tempfile.mkstemp(prefix=".build-", suffix=".tmp", dir=file.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            out.write(text)
        os.replace(temp, file)
    except BaseException:
        os.unlink(temp)
        raise


def _cohort_name(file: Path, key: str) -> str:
    """The file that holds a checked cohort beside the cache `file`: one per version of the
    cohort file, so that a build writes only the cohorts that changed."""
    return f"{file.stem}-cohort-{digest(key)[:24]}.json"


def _saved_or_new(cache: BuildCache, rel: str, entry: CachedGuide) -> dict[str, Any]:
    """A guide's saved form: reused as it was loaded when the guide did not change."""
    saved = cache.saved.get(rel)
    return saved if saved is not None and saved["key"] == entry.key else _guide_to_json(entry)


class _LazyCohort:
    """A saved cohort result, read and turned back into objects only when a build uses it."""

    def __init__(self, file: Path) -> None:
        self.file = file


def restore_cohort(value: Any) -> Any:
    """The CohortResult for a value of BuildCache.cohorts (rebuilt from its saved form if need be);
    None if the saved form cannot be read, so the file is loaded again."""
    if not isinstance(value, _LazyCohort):
        return value
    from rmsite.source.cohorts import CohortResult
    from rmsite.source.yaml_marks import YamlDoc
    try:
        header, _, rest = value.file.read_text(encoding="utf-8").partition("\n")
        data = json.loads(header)
        problems = _problems(data["problems"])
        entry = None
        if data["hash"] is not None:
            if _text_hash(rest) != data["hash"]:
                return None  # not as a build saved it: the file is loaded again
            private, _, model = rest.partition("\n")
            summary = data["summary"]
            entry = CohortFile(str(data["id"]), _Saved(model, _cohort_model),
                               YamlDoc(str(data["path"]), None, digest=str(data["digest"])),
                               _Saved(private, _private_values),
                               CohortSummary(str(summary["name"]),
                                             tuple((str(i), str(name)) for i, name in summary["people"]),
                                             tuple((str(k), str(a), str(b)) for k, a, b in summary["pairs"])))
        return CohortResult(entry, problems)
    except (OSError, ValueError, KeyError, TypeError):
        return None


class _Saved:
    """Part of a checked cohort as the cache saved it (JSON text), turned back into objects
    by `parse` only when a build first asks for it: its model, when a page of the cohort is
    rendered; its private values, when the leak guard is made anew or finds one of them."""

    def __init__(self, text: str, parse: Callable[[str], Any]) -> None:
        self.text, self.parse = text, parse

    def __call__(self) -> Any:
        return self.parse(self.text)


def _cohort_model(text: str) -> Cohort:
    return Cohort.model_validate_json(text)


def _private_values(text: str) -> tuple[PrivateValue, ...]:
    return tuple(PrivateValue(str(f), str(v), Loc(str(path), int(line), int(column)), str(owner))
                 for f, v, path, line, column, owner in json.loads(text))


def _text_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def _cohort_text(key: str, result: Any) -> str:
    """A cohort's saved form (a CohortResult's): a line of JSON; then its private values, a
    line of JSON, and the model's own JSON, each read only when needed."""
    entry, rest = result.entry, ""
    if entry is not None:
        private = entry.private_values.text if isinstance(entry.private_values, _Saved) else json.dumps(
            [[v.field, v.value, v.loc.path, v.loc.line, v.loc.column, v.owner] for v in entry.private],
            ensure_ascii=False, separators=(",", ":"))
        model = entry.model.text if isinstance(entry.model, _Saved) else entry.cohort.model_dump_json()
        rest = private + "\n" + model
    return json.dumps(_cohort_header(key, result, rest), ensure_ascii=False, separators=(",", ":")) + "\n" + rest


def _cohort_header(key: str, result: Any, rest: str) -> dict[str, Any]:
    entry = result.entry
    return {
        "key": key,
        "id": entry.id if entry else None,
        "path": entry.doc.path if entry else None,
        "digest": entry.doc.digest if entry else None,
        "hash": _text_hash(rest) if entry else None,
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


def _guide_from_json(rel: str, data: dict[str, Any]) -> CachedGuide:
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
