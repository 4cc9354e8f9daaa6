"""Templates: the built-in theme, overridable by the site's `templates/`,
rendered with strict undefined variables and autoescaping."""

from __future__ import annotations

import json
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jinja2
from jinja2 import meta
from markupsafe import Markup

from rmsite.core.hashing import bytes_hash, text_hash
from rmsite.core.problems import Problem
from rmsite.core.urls import absolute_url, relative_url, up_and_down_url
from rmsite.site import nav
from rmsite.site.nav import TOP
from rmsite.site.plan import Page
from rmsite.site.views import SectionPageView, SiteView

THEME = Path(__file__).parent.parent / "theme"
THEME_TEMPLATES = THEME / "templates"
THEME_STATIC = THEME / "static"


@dataclass(frozen=True)
class Asset:
    """A theme file published under a content-hashed name."""

    source: Path
    path: str  # output path, e.g. assets/style.3f2a9c1b.css


def theme_assets() -> dict[str, Asset]:
    """Theme static files by name, each with a name that changes with its content."""
    assets = {}
    for file in sorted(THEME_STATIC.iterdir()):
        if file.is_file():
            digest = bytes_hash(file.read_bytes())[:10]
            assets[file.name] = Asset(file, f"assets/{file.stem}.{digest}{file.suffix}")
    return assets


class CompiledTemplates(jinja2.FileSystemBytecodeCache):
    """Templates compiled by an earlier build, kept in the build cache's folder: Jinja
    checks each against its template's source and its own version, and compiles again
    on any difference. A file that cannot be read or written only costs a compile."""

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        try:
            super().load_bytecode(bucket)
        except (OSError, ValueError, EOFError, TypeError):
            bucket.reset()

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        try:
            super().dump_bytecode(bucket)
        except OSError:
            pass


class CountingEnvironment(jinja2.Environment):
    """Jinja's environment, counting the templates it compiles from their source, and noting
    the templates each template text refers to whenever it parses one (for compiling or not),
    so that no template is parsed twice for its references (Renderer.template_digest)."""

    compiled = 0
    references: dict[str, tuple[str, ...]]  # by template_text_key of a template's source

    def compile(self, *args: Any, **kwargs: Any) -> Any:  # Jinja's own signature, overloaded
        self.compiled += 1
        return super().compile(*args, **kwargs)

    def _parse(self, source: str, name: str | None, filename: str | None) -> Any:  # noqa: D102 (Jinja's, noted)
        tree = super()._parse(source, name, filename)
        self.references.setdefault(template_text_key(source),
                                   tuple(sorted(r for r in meta.find_referenced_templates(tree) if r)))
        return tree


def template_text_key(source: str) -> str:
    """What a template's references are kept by: a hash of its text."""
    return text_hash(source)[:32]


def compile_templates(env: CountingEnvironment) -> None:
    """Compile every page template the environment has (the site's, else the theme's), so that
    worker processes forked later share them instead of each compiling its own; a build runs
    this while its guides are converted (load_site's `meanwhile`), when a core is free. A
    template that does not compile is left for rendering to report, at its page."""
    todo = env.list_templates(filter_func=lambda name: name.endswith(".html") and not name.startswith("theme/"))
    done: set[str] = set()
    while todo:
        for name in todo:
            done.add(name)
            try:
                env.get_template(name)
            except (jinja2.TemplateError, RecursionError):
                continue
        # and what they extend, include or import, as "theme/guide.html" from a site's guide.html
        todo = sorted({ref for refs in env.references.values() for ref in refs} - done)


@dataclass
class TemplateMemo:
    """What a build keeps of its templates for the next: the Jinja environment (with the
    templates it compiled) while the same template files exist, the templates each template
    text refers to, and the folder where compiled templates are kept between runs."""

    compiled: Path | None = None
    references: dict[str, tuple[str, ...]] = field(default_factory=dict)
    environment: tuple[object, CountingEnvironment] | None = None  # (its template files, the environment)


def template_environment(folder: Path, memo: TemplateMemo | None) -> CountingEnvironment:
    """The Jinja environment for a site's templates folder; a memo keeps it, with its compiled
    templates (Jinja compiles a template whose file changed again), while the same template
    files exist."""
    key = (str(folder), tuple(sorted(str(p) for p in folder.rglob("*"))) if folder.is_dir() else None)
    if memo is not None and memo.environment is not None and memo.environment[0] == key:
        return memo.environment[1]
    env = make_environment(folder, memo.compiled if memo is not None else None)
    if memo is not None:
        env.references = memo.references
        memo.environment = (key, env)
    return env


def make_environment(site_templates: Path, compiled: Path | None = None) -> CountingEnvironment:
    """A Jinja environment: the site's templates first, then the theme's; with `compiled`,
    an existing folder, compiled templates are kept there between builds."""
    loaders: list[jinja2.BaseLoader] = []
    if site_templates.is_dir():
        loaders.append(jinja2.FileSystemLoader(str(site_templates)))
    loaders.append(jinja2.FileSystemLoader(str(THEME_TEMPLATES)))
    # "theme/base.html" always names the built-in template, so an override can extend it
    loaders.append(jinja2.PrefixLoader({"theme": jinja2.FileSystemLoader(str(THEME_TEMPLATES))}))
    env = CountingEnvironment(
        loader=jinja2.ChoiceLoader(loaders),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        bytecode_cache=CompiledTemplates(str(compiled), "%s.code") if compiled is not None and compiled.is_dir()
        and not compiled.is_symlink() else None,
    )
    env.references = {}
    env.filters["date"] = format_date
    env.filters["number"] = format_number
    env.filters["amount"] = format_amount
    env.filters["tojson_sorted"] = lambda value: json.dumps(value, sort_keys=True)
    return env


def format_date(value: Any) -> str:
    """A date as people read it: 7 Sep 2026."""
    return f"{value.day} {value:%b %Y}"


def format_number(value: float) -> str:
    """12.0 as 12, 2.5 as 2.5."""
    return f"{value:g}" if isinstance(value, float) else str(value)


def format_amount(value: float, unit: str) -> str:
    """A number with its unit: 40%, 3 changes, 1 change (a unit written in the plural is made
    singular for exactly one), 2.5 working days."""
    if unit in ("%", "pp"):
        return f"{format_number(value)}{unit}"
    if not unit:
        return format_number(value)
    return f"{format_number(value)} {singular(unit) if value == 1 else unit}"


IRREGULAR = {"people": "person", "children": "child", "men": "man", "women": "woman", "staff": "staff"}


def singular(unit: str) -> str:
    """A unit as it reads after 1: the first plural word of it made singular ('working days' →
    'working day', 'emails a week' → 'email a week', 'policies' → 'policy'); a unit with no
    plural word is left as it is."""
    words = unit.split(" ")
    for index, word in enumerate(words):
        lower = word.lower()
        if lower in IRREGULAR:
            words[index] = IRREGULAR[lower] if word.islower() else IRREGULAR[lower].capitalize()
            return " ".join(words)
        if len(lower) > 3 and lower.endswith("ies"):
            words[index] = word[:-3] + "y"
        elif lower.endswith(("sses", "shes", "ches", "xes", "zes")):
            words[index] = word[:-2]
        elif len(lower) > 2 and lower.endswith("s") and not lower.endswith(("ss", "us", "is")):
            words[index] = word[:-1]
        else:
            continue
        return " ".join(words)
    return unit


@dataclass(frozen=True)
class Renderer:
    """Renders pages of one build: environment, site view, URLs and assets."""

    env: CountingEnvironment
    site: SiteView
    base_url: str
    assets: dict[str, Asset]
    site_dir: Path
    pretty: bool = True
    as_of: Any = None
    fragments: dict[tuple[object, ...], str] = field(default_factory=dict, compare=False, repr=False)

    @property
    def references(self) -> dict[str, tuple[str, ...]]:
        """The templates each template text refers to (CountingEnvironment.references)."""
        return self.env.references

    def link_maker(self, page_path: str) -> Callable[..., str]:
        """url(path, fragment=''): a link from this page; the 404 page links from the root."""
        absolute = page_path == "404.html"

        def url(path: str, fragment: str = "") -> str:
            if absolute:
                return absolute_url(self.base_url, path, self.pretty) + (f"#{fragment}" if fragment else "")
            return relative_url(page_path, path, self.pretty, fragment)
        return url

    def render(self, page: Page) -> tuple[str | None, list[Problem]]:
        """The page's HTML, or the template problem that stopped it."""
        url = self.link_maker(page.path)
        context = {
            "site": self.site, "page": page, "view": page.view, "url": url,
            "asset": lambda name: url(self.assets[name].path),
            "canonical": (absolute_url(self.base_url, page.path, self.pretty)
                          if self.base_url.startswith(("http://", "https://")) else None),
            "current": page.path, "as_of": self.as_of, "pretty": self.pretty,
            "guide_nav": lambda: self.guide_nav(page),
        }
        try:
            return self.env.get_template(page.template).render(context), []
        except jinja2.TemplateSyntaxError as exc:
            return None, [Problem(self.template_label(exc.filename or exc.name or page.template),
                                  exc.lineno or 1, 1, "error", f"template syntax: {exc.message}")]
        except jinja2.TemplateNotFound as exc:
            return None, [Problem(self.template_label(page.template), 1, 1, "error",
                                  f"template not found: {exc.name} (looked in templates/ and the theme)")]
        except RecursionError:
            return None, [Problem(self.template_label(page.template), 1, 1, "error",
                                  "template extends or includes itself; to build on the built-in "
                                  f"template, extend \"theme/{page.template}\"")]
        except (jinja2.UndefinedError, TypeError, ValueError, AttributeError, KeyError) as exc:
            filename, line = template_frame(exc)
            return None, [Problem(self.template_label(filename or page.template), line, 1, "error",
                                  f"template error while rendering {page.path}: {exc}")]

    def guide_nav(self, page: Page) -> Markup:
        """The guides sidebar (templates/nav.html) for a page, with its own link marked.

        Rendered once per sidebar block and page depth, not once per page: its links
        climb to the site root and back down, so the pages of a block at one depth
        share them (nav.py: what a block is)."""
        view = page.view
        if isinstance(view, SectionPageView):
            open_key, block = view.section.key, nav.block_of(view.first - 1)
        else:
            section = getattr(view, "section", None)
            open_key = section.key if section is not None else TOP
            shown = section if section is not None else next((s for s in self.site.sections if s.key == TOP), None)
            block = nav.block_of(shown.positions.get(page.path) if shown is not None else None)
        absolute = page.path == "404.html"
        key = ("nav", page.path.count("/"), open_key, block, absolute)
        if key not in self.fragments:
            def url(path: str, fragment: str = "") -> str:
                link = (absolute_url(self.base_url, path, self.pretty) if absolute
                        else up_and_down_url(page.path, path, self.pretty))
                return link + (f"#{fragment}" if fragment else "")
            self.fragments[key] = self.env.get_template("nav.html").render(
                site=self.site, open=open_key, url=url, page=page,
                nav=nav.sidebar(self.site.sections, open_key, block))
        own = (absolute_url(self.base_url, page.path, self.pretty) if absolute
               else up_and_down_url(page.path, page.path, self.pretty))
        html = self.fragments[key].replace(f'href="{own}"', f'href="{own}" aria-current="page"', 1)
        return Markup(html)

    def template_digest(self, name: str, memo: dict[str, str]) -> str:
        """A hash of a template and every template it extends, includes or imports."""
        if name in memo:
            return memo[name]
        memo[name] = ""  # guards against cycles
        try:
            source, _, _ = self.env.loader.get_source(self.env, name)  # type: ignore[union-attr]  # make_environment always sets one
            text_key = template_text_key(source)
            if text_key not in self.references:  # parsing is the slow part: once per template text
                self.env.parse(source)  # which notes its references (CountingEnvironment._parse)
        except jinja2.TemplateError:
            memo[name] = "missing"
            return memo[name]
        parts = [source] + [self.template_digest(ref, memo) for ref in self.references[text_key]]
        memo[name] = text_hash("\x00".join(parts))
        return memo[name]

    def template_label(self, filename: str) -> str:
        """A template's path as the user knows it: relative to the site, else the theme's."""
        file = Path(filename)
        if not file.is_absolute():  # a template name: the site's copy wins over the theme's
            own = self.site_dir / "templates" / filename
            return f"templates/{filename}" if own.is_file() else f"<theme>/{filename}"
        for root, label in ((self.site_dir, ""), (THEME_TEMPLATES, "<theme>/")):
            try:
                return label + file.resolve().relative_to(root.resolve()).as_posix()
            except ValueError:
                continue
        return filename


def template_frame(exc: BaseException) -> tuple[str | None, int]:
    """The innermost template file and line in an exception's traceback."""
    found: tuple[str | None, int] = (None, 1)
    for frame in traceback.extract_tb(exc.__traceback__):
        if frame.filename.endswith((".html", ".xml", ".j2", ".jinja")):
            found = (frame.filename, frame.lineno or 1)
    return found
