"""Guides: each Markdown file under content/ read, its front matter checked, its body kept
for conversion. A guide whose text is unchanged since an earlier build is not parsed again."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from rmsite.core.problems import Loc, Problem
from rmsite.core.stats import BuildStats
from rmsite.model.programme import GuideSource
from rmsite.model.schema import GuideMeta
from rmsite.source import rules
from rmsite.source.files import read_text, source_files, split_front_matter
from rmsite.source.schema_errors import validate_doc
from rmsite.source.yaml_marks import parse_yaml

Parsed = tuple[GuideSource | None, list[Problem]]


@dataclass(frozen=True)
class SavedGuide:
    """A guide's checked front matter, made whole again with the guide's text while that text
    is unchanged (parsing front matter is most of the cost of reading a guide)."""

    digest: str  # of the guide's text
    rel: str
    meta: GuideMeta | None  # None: the front matter had errors
    problems: tuple[Problem, ...]

    @classmethod
    def of(cls, digest: str, rel: str, parsed: Parsed) -> SavedGuide:
        guide, problems = parsed
        return cls(digest, rel, guide.meta if guide is not None else None, tuple(problems))

    def restore(self, text: str) -> Parsed:
        if self.meta is None:
            return None, list(self.problems)
        front, _ = split_front_matter(text)
        return GuideSource(self.rel, self.meta, front.body, front.body_first_line), list(self.problems)


GuideMemo = dict[str, SavedGuide]  # by source path (content/...)


def load_guides(site_dir: Path, memo: GuideMemo | None = None, stats: BuildStats | None = None
                ) -> tuple[list[GuideSource], list[Problem]]:
    """Every guide's front matter and body; with a memo, a guide whose text is unchanged is
    not parsed again."""
    guides: list[GuideSource] = []
    files, problems = source_files(site_dir, "content")
    for file in files:
        if not file.rel.endswith(".md"):
            continue
        guide, found = load_guide(file.path, file.rel, memo, stats)
        problems += found
        if guide is not None:
            guides.append(guide)
    return guides, problems


def load_guide(file: Path, source: str, memo: GuideMemo | None = None, stats: BuildStats | None = None) -> Parsed:
    """One guide, read from `file` (its path in the site is `source`, content/...)."""
    rel = source.removeprefix("content/")
    found = rules.check_guide_path(rel)
    if found:
        return None, found
    text, problems = read_text(file, source)
    if text is None:
        return None, problems
    known = memo.get(source) if memo is not None else None
    if known is not None and known.digest == text.digest:
        guide, found = known.restore(text.text)
    else:
        guide, found = parse_guide(text.text, source, rel)
        if stats is not None:
            stats.parsed.append(source)
        if memo is not None:
            memo[source] = SavedGuide.of(text.digest, rel, (guide, found))
    return guide, problems + found


def parse_guide(text: str, source: str, rel: str) -> Parsed:
    """A guide's front matter, checked, and its body; or the problems that stop it."""
    problems: list[Problem] = []
    front, found = split_front_matter(text)
    if found:
        return None, [Loc(source, p.line, p.column).error(p.message) for p in found]
    if front.yaml_text is None:
        return None, [Loc(source).error(
            "a guide starts with front matter between '---' lines, with at least a title")]
    doc, found = parse_yaml(front.yaml_text, source, front.yaml_first_line)
    problems += found
    if doc is None:
        return None, problems
    if not isinstance(doc.data, dict):
        return None, problems + [doc.loc().error("front matter must be a mapping with at least a title")]
    meta, found = validate_doc(GuideMeta, doc)
    problems += found
    if meta is None:
        return None, problems
    return GuideSource(rel, meta, front.body, front.body_first_line), problems
