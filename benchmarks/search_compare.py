"""Compare rmsite's own search index with lunr (lunr.py's index for lunr.js) and
Pagefind, by result quality and by what a reader downloads.

    .venv/bin/python benchmarks/search_compare.py [--guides 500 --cohorts 20 --pairs 100]

1. Set up the competitors once, in WORK/search-venv (PyPI `lunr` and `pagefind-bin`,
   which ships Pagefind's binary) and WORK/search-npm (npm `lunr`, for lunr.min.js's
   size). They are benchmark tools only, never dependencies of rmsite.
2. Quality: a corpus of real prose, the repo's example programme plus rmsite's own
   docs/ (but docs/search.md, which quotes the queries) as a section of guides, built
   with rmsite. Each engine answers QUERIES, whose
   expected page was chosen by reading the pages, not by trying the engines; the report
   gives how often that page comes first, and the mean reciprocal rank (top ten).
   rmsite and Pagefind are queried in headless Chromium through their own JavaScript;
   lunr through lunr.py, a port of lunr.js that reads and writes the same index.
   Every engine indexes the same text of each page: lunr gets the fields rmsite's
   index is made from, with the same field weights; Pagefind reads each built page's
   <main>.
3. Size: a generated programme (benchmarks/generate.py) of the size asked for, built
   with rmsite; for each engine, the bytes on disk, the bytes a reader downloads to
   see the first results for one query (gzip-compressed, as web servers send them;
   measured in Chromium for rmsite and Pagefind), and the time to build the index.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path[:0] = [str(REPO / "src"), str(REPO / "tests")]

from rmsite.pipeline.check import load_site  # noqa: E402 (after sys.path is set)
from rmsite.pipeline.options import Loaded, Options  # noqa: E402 (after sys.path is set)
from rmsite.site.nav import Section, make_sections  # noqa: E402 (after sys.path is set)
from rmsite.site.search import cohort_docs, dump, guide_doc, site_index  # noqa: E402 (after sys.path is set)

from conftest import copy_example, http_server  # noqa: E402  (after the path is set)

WORK = HERE / "_work"
VENV = WORK / "search-venv"
NPM = WORK / "search-npm"
REQUIREMENTS = ("lunr==0.8.0", "pagefind-bin==1.5.2")
LUNR_JS = "lunr@2.3.9"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser") or "chromium"
RESULTS_SHOWN = 8  # results a reader sees at once (rmsite's search box shows eight)

# (query, the page a person reading the corpus would want first). Short and partial
# queries are what people type into a search box before they finish a word.
QUERIES = (
    ("ground rules", "expectations/"),
    ("first meeting", "for-mentors/first-meeting/"),
    ("smart objectives", "objectives/"),
    ("running a pilot", "running-a-pilot/"),
    ("feedback upwards", "feedback/"),
    ("two sign-offs", "pairing/"),
    ("meeting rhythm", "expectations/"),
    ("confidentiality", ""),
    ("cross teams", "pairing/"),
    ("what to listen for", "for-mentors/first-meeting/"),
    ("check-ins before during after", "tracking-progress/"),
    ("groun", "expectations/"),
    ("feedb", "feedback/"),
    ("objec", "objectives/"),
    ("objectives", "objectives/"),
    ("autumn", "cohorts/2026-autumn/"),
    ("phishing", "cohorts/2026-autumn/jordan-blake-martin-drummond/"),
    ("kwame asante", "cohorts/2026-pilot/kwame-asante-graham-whitlock/"),
    ("spreadsheet automation", "cohorts/2026-pilot/priya-nair-fiona-mcallister/"),
    ("neurodiversity", "cohorts/2026-autumn/dan-kowalski-olu-adeyemi/"),
    ("github pages", "rmsite-docs/hosting/"),
    ("leak guard", "rmsite-docs/privacy/"),
    ("symbolic links", "rmsite-docs/privacy/"),
    ("intranet sub-path", "rmsite-docs/hosting/"),
    ("override templates", "rmsite-docs/templates/"),
    ("unpaired volunteers", "rmsite-docs/pairing/"),
    ("validation rules", "rmsite-docs/format/"),
    ("regenerating screenshots", "rmsite-docs/dashboards/"),
    ("live reload", "rmsite-docs/commands/"),
    ("templ", "rmsite-docs/templates/"),
)
SIZE_QUERY = "feedback"

# Run in WORK/search-venv: builds a lunr index from rmsite's documents and answers the queries.
LUNR_SCRIPT = r"""
import json, sys, time
from lunr import lunr
docs, queries = json.load(sys.stdin)
weights = {"title": 3, "headings": 1.5, "summary": 1.5, "body": 1}
started = time.perf_counter()
idx = lunr(ref="url", fields=[{"field_name": n, "boost": w} for n, w in weights.items()], documents=docs)
seconds = time.perf_counter() - started
def answer(query):
    found = idx.search(query)
    if not found:  # as search boxes built on lunr do: finish the last word
        try:
            found = idx.search(query.strip() + "*")
        except Exception:
            found = []
    return [r["ref"] for r in found[:10]]
json.dump({"seconds": seconds, "index": json.dumps(idx.serialize(), separators=(",", ":")),
           "answers": [answer(q) for q in queries]}, sys.stdout)
"""


def setup() -> Path:
    """The competitors' tools, installed once; returns Pagefind's binary."""
    python = VENV / "bin/python"
    if not python.exists():
        subprocess.run([sys.executable, "-m", "venv", str(VENV)], check=True)
    marker = VENV / "installed.txt"
    if not marker.exists() or marker.read_text() != "\n".join(REQUIREMENTS):
        subprocess.run([str(python), "-m", "pip", "install", "--quiet", *REQUIREMENTS], check=True)
        marker.write_text("\n".join(REQUIREMENTS))
    if not (NPM / "node_modules/lunr/lunr.min.js").exists():
        subprocess.run(["npm", "install", "--silent", "--no-save", "--prefix", str(NPM), LUNR_JS], check=True)
    found = list(VENV.glob("lib/python*/site-packages/pagefind_bin/pagefind"))
    if not found:
        raise SystemExit("pagefind-bin did not install its binary")
    return found[0]


def quality_site(target: Path) -> Path:
    """The example programme plus rmsite's docs as a section of guides."""
    if target.exists():
        shutil.rmtree(target)
    copy_example(target)
    docs = target / "content/rmsite-docs"
    docs.mkdir()
    for page in sorted((REPO / "docs").glob("*.md")):
        if page.name == "search.md":  # it quotes the queries and their answers
            continue
        lines = page.read_text(encoding="utf-8").splitlines()
        title = next(line[2:] for line in lines if line.startswith("# "))
        body = "\n".join(line for line in lines if line != f"# {title}")
        body = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", body)  # the docs' own links lead nowhere here
        (docs / page.name).write_text(f"---\ntitle: {json.dumps(title)}\n---\n{body}\n", encoding="utf-8")
    return target


def rmsite_build(site: Path, output: Path) -> None:
    subprocess.run([str(REPO / ".venv/bin/rmsite"), "build", "--source", str(site), "--output", str(output),
                    "--no-cache"], check=True, capture_output=True)


def lunr_docs(site: Path, output: Path) -> list[dict[str, str]]:
    """The fields rmsite's index is made from, for lunr."""
    loaded, sections = load_with_sections(site, output)
    by_key = {s.key: s for s in sections}
    docs = [guide_doc(g, by_key, True) for g in loaded.guides]
    for entry in loaded.programme.cohorts:
        docs += cohort_docs(entry, True)
    return [{"url": d.url, "title": d.title, "kind": d.kind, "context": d.context, "snippet": d.snippet,
             **{name: text for name, text in d.fields}} for d in docs]


def load_with_sections(site: Path, output: Path) -> tuple[Loaded, tuple[Section, ...]]:
    """A site as `rmsite check` loads it, and its guides' sections."""
    loaded = load_site(Options(site, output))
    assert loaded.programme is not None, [p.format() for p in loaded.problems]
    return loaded, make_sections([g.source for g in loaded.guides if g.source.rel != "index.md"])


def run_lunr(docs: list[dict[str, str]], queries: list[str]) -> dict:
    fields = ("url", "title", "headings", "summary", "body")
    run = subprocess.run([str(VENV / "bin/python"), "-c", LUNR_SCRIPT], check=True, capture_output=True,
                         text=True, input=json.dumps([[{k: d.get(k, "") for k in fields} for d in docs], queries]))
    return json.loads(run.stdout)


def run_pagefind(binary: Path, output: Path) -> float:
    started = time.perf_counter()
    subprocess.run([str(binary), "--site", str(output), "--root-selector", "main"], check=True,
                   capture_output=True)
    return time.perf_counter() - started


RMSITE_QUERY = """async ([index, queries]) => {
  const data = await rmsiteSearch.load(index);
  return queries.map(q => rmsiteSearch.search(data, q).results.slice(0, 10).map(r => data.docs[r.doc][0]));
}"""
PAGEFIND_QUERY = """async ([base, queries, shown]) => {
  const pagefind = await import(base + "pagefind/pagefind.js");
  await pagefind.options({baseUrl: "/"});
  const answers = [];
  for (const q of queries) {
    const found = await pagefind.search(q);
    const data = await Promise.all(found.results.slice(0, 10).map(r => r.data()));
    answers.push(data.map(d => d.url));
  }
  return answers;
}"""


def browser_answers(output: Path, queries: list[str]) -> tuple[list[list[str]], list[list[str]]]:
    """rmsite's and Pagefind's answers, from their own JavaScript in Chromium."""
    from playwright.sync_api import sync_playwright
    with http_server(output) as base, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        page = browser.new_page()
        page.goto(base)
        mine = page.evaluate(RMSITE_QUERY, ["search/index.json", queries])
        theirs = page.evaluate(PAGEFIND_QUERY, [base, queries, RESULTS_SHOWN])
        browser.close()
    strip = lambda url: url.lstrip("/").removesuffix("index.html")  # noqa: E731 (a one-line helper)
    return [[strip(u) for u in a] for a in mine], [[strip(u) for u in a] for a in theirs]


def score(answers: list[list[str]]) -> tuple[int, float, list[str]]:
    """How many queries found the expected page first, the mean reciprocal rank, and the misses."""
    first, reciprocal, misses = 0, 0.0, []
    for (query, expected), answer in zip(QUERIES, answers):
        rank = answer.index(expected) + 1 if expected in answer else None
        first += rank == 1
        reciprocal += 1 / rank if rank else 0.0
        if rank != 1:
            misses.append(f"`{query}`: {'rank ' + str(rank) if rank else 'not in the top ten'}"
                          f" (first: `{answer[0] if answer else 'nothing'}`)")
    return first, reciprocal / len(QUERIES), misses


def gz(data: bytes) -> int:
    return len(gzip.compress(data, 6))


def first_query_bytes(output: Path, engine: str) -> int:
    """Gzipped bytes a reader's browser fetches for the search and its first results."""
    from playwright.sync_api import sync_playwright
    fetched: list[str] = []
    with http_server(output) as base, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        page = browser.new_page()
        page.goto(base)
        page.on("request", lambda request: fetched.append(request.url[len(base):]))
        if engine == "rmsite":
            box = page.locator("#site-search-q")
            box.fill(SIZE_QUERY)
            page.wait_for_selector(".search-result")
        else:
            page.evaluate(PAGEFIND_QUERY.replace("slice(0, 10)", f"slice(0, {RESULTS_SHOWN})"),
                          [base, [SIZE_QUERY], RESULTS_SHOWN])
        browser.close()
    files = {rel.split("?")[0] for rel in fetched}
    return sum(gz((output / rel).read_bytes()) for rel in files if (output / rel).is_file())


def folder_bytes(folder: Path) -> int:
    return sum(f.stat().st_size for f in folder.rglob("*") if f.is_file())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--guides", type=int, default=500)
    parser.add_argument("--cohorts", type=int, default=20)
    parser.add_argument("--pairs", type=int, default=100)
    args = parser.parse_args()
    pagefind = setup()
    work = WORK / "search"
    work.mkdir(parents=True, exist_ok=True)
    lines = ["# Search: rmsite's own index, lunr and Pagefind", ""]

    site, output = quality_site(work / "quality-site"), work / "quality-out"
    rmsite_build(site, output)
    run_pagefind(pagefind, output)
    queries = [q for q, _ in QUERIES]
    mine, theirs = browser_answers(output, queries)
    lunr = run_lunr(lunr_docs(site, output), queries)
    lines += [f"## Quality: {len(QUERIES)} queries over the example programme and rmsite's docs", "",
              "| engine | expected page first | mean reciprocal rank |", "|---|---|---|"]
    misses = {}
    for name, answers in (("rmsite", mine), ("lunr", lunr["answers"]), ("Pagefind", theirs)):
        first, mrr, misses[name] = score(answers)
        lines.append(f"| {name} | {first} of {len(QUERIES)} | {mrr:.2f} |")
    lines.append("")
    for name, missed in misses.items():
        lines += [f"{name} misses: " + ("; ".join(missed) or "none"), ""]

    generated, big_out = work / "generated", work / "generated-out"
    if generated.exists():
        shutil.rmtree(generated)
    subprocess.run([sys.executable, str(HERE / "generate.py"), str(generated), "--guides", str(args.guides),
                    "--cohorts", str(args.cohorts), "--pairs", str(args.pairs)], check=True, capture_output=True)
    rmsite_build(generated, big_out)
    loaded, sections = load_with_sections(generated, big_out)
    started = time.perf_counter()
    index = dump(site_index(list(loaded.guides), sections, loaded.programme.cohorts, "en", True)).encode()
    mine_seconds = time.perf_counter() - started
    lunr_big = run_lunr(lunr_docs(generated, big_out), [SIZE_QUERY])
    store = json.dumps([[d["url"], d["title"], d["kind"], d["context"], d["snippet"]]
                        for d in lunr_docs(generated, big_out)], separators=(",", ":")).encode()
    lunr_js = (NPM / "node_modules/lunr/lunr.min.js").read_bytes()
    pagefind_seconds = run_pagefind(pagefind, big_out)
    js = next((big_out / "assets").glob("search.*.js")).read_bytes()
    pages = len(list(big_out.rglob("*.html")))
    lines += [f"## Size: {args.guides} generated guides, {args.cohorts} cohorts of {args.pairs} pairs "
              f"({pages} pages)", "",
              "| engine | on disk | a reader downloads for the first results (gzipped) | index build |",
              "|---|---|---|---|",
              f"| rmsite | {(len(index) + len(js)) / 1e6:.2f} MB | {first_query_bytes(big_out, 'rmsite') / 1e3:.0f} KB"
              f" | {mine_seconds:.2f} s |",
              f"| lunr | {(len(lunr_big['index']) + len(store) + len(lunr_js)) / 1e6:.2f} MB"
              f" | {(gz(lunr_big['index'].encode()) + gz(store) + gz(lunr_js)) / 1e3:.0f} KB"
              f" | {lunr_big['seconds']:.2f} s |",
              f"| Pagefind | {folder_bytes(big_out / 'pagefind') / 1e6:.2f} MB"
              f" | {first_query_bytes(big_out, 'pagefind') / 1e3:.0f} KB | {pagefind_seconds:.2f} s |", ""]
    report = "\n".join(lines)
    (work / "report.md").write_text(report, encoding="utf-8")
    print(report)


if __name__ == "__main__":
    os.environ.setdefault("PYTHONHASHSEED", "0")
    main()
