"""Guides: Markdown to HTML with heading anchors and a table of contents, and
relative `.md` links rewritten to the built pages' URLs."""

from __future__ import annotations

import html
import posixpath
import re
import xml.etree.ElementTree as etree  # noqa: N813 (Python-Markdown's own name for it)
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any
from urllib.parse import unquote, urlsplit

import markdown
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor
from markdown.util import AMP_SUBSTITUTE

from rmsite.core.hashing import text_digest
from rmsite.core.problems import Loc, Problem, did_you_mean
from rmsite.core.urls import relative_url
from rmsite.model.programme import GuideSource
from rmsite.site.markdown_gfm import GithubMarkdown
from rmsite.site.markdown_inline import quicken

EXTENSIONS: list[Any] = [
    "tables", "sane_lists", "def_list", "footnotes", "abbr", "attr_list", "admonition",
    "pymdownx.highlight", "pymdownx.superfences", "pymdownx.tasklist", "toc",
]
EXTENSION_CONFIGS: dict[str, dict[str, Any]] = {
    # no [TOC] marker: GitHub shows it as text; rmsite lays out its own table of contents
    "toc": {"permalink": "#", "permalink_title": "Link to this section", "toc_depth": "2-3", "marker": ""},
    "pymdownx.highlight": {"use_pygments": False},
}
TOC_MIN_HEADINGS = 4


@dataclass(frozen=True)
class Heading:
    level: int
    id: str
    title: str


@dataclass(frozen=True)
class GuideLink:
    """A link from one guide to another guide (or its own headings), to check."""

    loc: Loc
    target: str  # content-relative path of the target guide
    fragment: str


@dataclass(frozen=True)
class ConvertedGuide:
    source: GuideSource
    html: str
    headings: tuple[Heading, ...]
    anchors: frozenset[str]
    links: tuple[GuideLink, ...]
    targets: frozenset[str] = frozenset()  # every guide path a link looked up

    @cached_property
    def inputs(self) -> tuple[str, str]:
        """Hashes of what the guide's page is made from: its source, and its HTML (which also
        depends on the pages its links point at). Asked by the page plan and the search index."""
        return self.source.digest, text_digest(self.html)

    @property
    def toc(self) -> tuple[Heading, ...]:
        """Headings for a table of contents, for guides long enough to need one."""
        shown = tuple(h for h in self.headings if h.level in (2, 3))
        return shown if len(shown) >= TOC_MIN_HEADINGS else ()


@dataclass
class _Conversion:
    """What the link processor needs for, and learns from, one guide."""

    guide: GuideSource
    pages: dict[str, str]  # content-relative .md path -> output page path
    pretty: bool
    unbuilt: frozenset[str]
    guide_at: dict[str, str] = field(default_factory=dict)  # output page path -> content-relative .md path
    links: list[GuideLink] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    anchors: set[str] = field(default_factory=set)
    targets: set[str] = field(default_factory=set)
    search_from: dict[str, int] = field(default_factory=dict)

    def locate(self, href: str) -> Loc:
        """The source line and column of a link target in the guide's body."""
        body = self.guide.body
        start = body.find(href, self.search_from.get(href, 0))
        if start < 0:
            start = body.find(href)
        if start < 0:
            return Loc(self.guide.source_path, self.guide.body_first_line, 1)
        self.search_from[href] = start + len(href)
        line = body.count("\n", 0, start)
        column = start - (body.rfind("\n", 0, start) + 1) + 1
        return Loc(self.guide.source_path, self.guide.body_first_line + line, column)


class _LinkProcessor(Treeprocessor):
    def __init__(self, md: markdown.Markdown, owner: GuideConverter) -> None:
        super().__init__(md)
        self.owner = owner

    def run(self, root: etree.Element) -> None:
        job = self.owner.current
        if job is None:
            return
        for element in root.iter():
            anchor = element.get("id")
            if anchor:
                job.anchors.add(anchor)
        for element in root.iter("a"):
            href = element.get("href")
            if href and AMP_SUBSTITUTE in href:  # an email autolink, obfuscated as entities: a mailto: link
                href = html.unescape(href.replace(AMP_SUBSTITUTE, "&"))
                if href.startswith("mailto:"):
                    continue
            if href and element.get("class") != "headerlink":
                new = _rewrite(job, href)
                if new is not None:
                    element.set("href", new)
        for element in root.iter("img"):
            src = element.get("src")
            if src and not src.endswith(".md"):
                new = _rewrite(job, src)
                if new is not None:
                    element.set("src", new)


TASK_CHECKBOX = re.compile(r'(<li class="task-list-item">(?:<p>)?<input type="checkbox" disabled(?: checked)?)/>([^<]*)')


def name_task_checkboxes(text: str) -> str:
    """Give each task list checkbox an accessible name, the start of its item's text
    (pymdownx.tasklist writes them as bare inputs, which screen readers cannot name)."""
    def named(match: re.Match[str]) -> str:
        label = " ".join(html.unescape(match.group(2)).split())[:120] or (
            "done" if "checked" in match.group(1) else "not done")
        return f'{match.group(1)} aria-label="{html.escape(label)}"/>{match.group(2)}'
    return TASK_CHECKBOX.sub(named, text)


PRE = re.compile(r"<pre(\s[^>]*)?>")


def focusable_code(text: str) -> str:
    """Code blocks can scroll sideways on a phone: tabindex lets keyboard users scroll them."""
    return PRE.sub(lambda m: m.group(0) if "tabindex" in m.group(0) else f'<pre tabindex="0"{m.group(1) or ""}>', text)


def _rewrite(job: _Conversion, href: str) -> str | None:
    try:
        parts = urlsplit(href)
    except ValueError:  # a bracketed host that is no IP address: 'http://[x'
        job.problems.append(job.locate(href).error(f"link to '{href}', which is not a valid address"))
        return None
    if parts.scheme or parts.netloc or href.startswith("/"):
        return None
    path = unquote(parts.path)
    if not path:
        if parts.fragment:
            job.links.append(GuideLink(job.locate(href), job.guide.rel, unquote(parts.fragment)))
        return None
    target = posixpath.normpath(posixpath.join(posixpath.dirname(job.guide.rel), path))
    if not path.endswith(".md"):
        page_target = _page_link(job, path)
        if page_target is not None:  # written as a link between built pages, as `../other-guide/`
            job.targets.add(page_target)
            fragment = unquote(parts.fragment)
            if fragment:
                job.links.append(GuideLink(job.locate(href), page_target, fragment))
            return relative_url(job.guide.page_path, job.pages[page_target], job.pretty, parts.fragment)
        # a file such as static/files/plan.pdf, written relative to the guide's source folder;
        # the built page sits one folder deeper, so point at the same file from there
        if target.startswith("../"):
            return None
        return relative_url(job.guide.page_path, target, job.pretty, parts.fragment)
    job.targets.add(target)
    if target in job.unbuilt:
        job.problems.append(job.locate(href).error(
            f"link to the draft guide '{path}', which is only built with --drafts"))
        return None
    if target not in job.pages:
        job.problems.append(job.locate(href).error(
            f"link to a guide that does not exist: '{path}'" + did_you_mean(target, job.pages)))
        return None
    fragment = unquote(parts.fragment)
    if fragment:
        job.links.append(GuideLink(job.locate(href), target, fragment))
    return relative_url(job.guide.page_path, job.pages[target], job.pretty, parts.fragment)


def _page_link(job: _Conversion, path: str) -> str | None:
    """The guide whose built page a link points at when it is written relative to the
    page rather than to the Markdown file (`../other-guide/`, `../other-guide/index.html`,
    `../other-guide`), as links in MkDocs or Hugo sites are; None when it points at no page."""
    last = path.rsplit("/", 1)[-1]
    if last and last != "index.html" and "." in last.strip("."):
        return None  # a file, such as plan.pdf
    folder = posixpath.normpath(posixpath.join(posixpath.dirname(job.guide.page_path), path))
    if folder.startswith("../"):
        return None
    page = folder if folder.endswith("index.html") else "index.html" if folder == "." else f"{folder}/index.html"
    return job.guide_at.get(page)


class GuideConverter(Extension):
    """One Markdown converter for a whole build, reset between guides."""

    def __init__(self, pages: dict[str, str], pretty: bool = True,
                 unbuilt: frozenset[str] = frozenset()) -> None:
        super().__init__()
        self.pages = pages
        self.guide_at = {page: rel for rel, page in pages.items()}
        self.unbuilt = unbuilt
        self.pretty = pretty
        self.current: _Conversion | None = None
        self.md = markdown.Markdown(extensions=EXTENSIONS + [GithubMarkdown(), self], extension_configs=EXTENSION_CONFIGS,
                                    output_format="html")

    def extendMarkdown(self, md: markdown.Markdown) -> None:  # noqa: N802 (Markdown's API)
        md.treeprocessors.register(_LinkProcessor(md, self), "rmsite-links", 1)
        quicken(md)
        # rmsite makes its table of contents from md.toc_tokens, never from md.toc, the HTML
        # that the toc extension builds and serialises for every guide: a seventh of converting it
        md.treeprocessors["toc"].build_toc_div = _no_toc_div  # type: ignore[attr-defined]
        md.is_block_level = _block_level(md.block_level_elements)  # type: ignore[method-assign]

    def convert(self, guide: GuideSource) -> tuple[ConvertedGuide, list[Problem]]:
        """Convert one guide; broken guide links are problems at their line."""
        self.current = job = _Conversion(guide, self.pages, self.pretty, self.unbuilt, self.guide_at)
        try:
            self.md.reset()
            html = focusable_code(name_task_checkboxes(self.md.convert(guide.body)))
            headings = tuple(_flatten(getattr(self.md, "toc_tokens", [])))
        finally:
            self.current = None
        converted = ConvertedGuide(guide, html, headings, frozenset(job.anchors), tuple(job.links),
                                   frozenset(job.targets))
        return converted, job.problems


def _no_toc_div(toc_tokens: list[dict[str, Any]]) -> etree.Element:
    """The toc extension's table of contents, left empty (md.toc: unused)."""
    return etree.Element("div")


def _block_level(names: list[str]) -> Any:
    """Markdown.is_block_level with a set for its list of names (the same answers, without
    a walk through fifty names for each of the hundreds of elements of a guide). Set once
    every extension has added its names."""
    known = frozenset(names)

    def is_block_level(tag: Any) -> bool:
        return isinstance(tag, str) and tag.lower().rstrip("/") in known
    return is_block_level


def _flatten(tokens: list[dict[str, Any]]) -> list[Heading]:
    out: list[Heading] = []
    for token in tokens:
        out.append(Heading(token["level"], token["id"], _plain(token["name"])))
        out.extend(_flatten(token.get("children", [])))
    return out


def _plain(name: str) -> str:
    """toc token names are HTML-escaped text; templates escape again, so unescape."""
    return html.unescape(name)


def check_anchors(guides: list[ConvertedGuide]) -> list[Problem]:
    """A link to a heading that does not exist is an error at the link."""
    anchors = {g.source.rel: g.anchors for g in guides}
    problems = []
    for guide in guides:
        for link in guide.links:
            known = anchors.get(link.target)
            if known is not None and link.fragment not in known:
                problems.append(link.loc.error(
                    f"no heading '#{link.fragment}' in '{link.target}'" + did_you_mean(link.fragment, known)))
    return problems
