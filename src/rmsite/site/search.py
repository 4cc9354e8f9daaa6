"""Site search: a compact inverted index built with the site, read by the theme's
search.js in the browser, so search works on any static host without a server.

Each term maps to the documents it occurs in with a precomputed BM25F score
(title, headings, summary and tags weigh more than body text), so the browser
only adds numbers up. The tokeniser here and `tokens()` in search.js must agree;
a browser test checks that they do."""

from __future__ import annotations

import functools
import html
import json
import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from rmsite.core.hashing import digest
from rmsite.core.parallel import fork_map, worker_count
from rmsite.core.urls import cohort_page, page_url, pair_page
from rmsite.model.programme import CohortFile
from rmsite.model.schema import pair_name
from rmsite.site.markdown import ConvertedGuide
from rmsite.site.nav import Section, section_key

INDEX_PATH = "search/index.json"
SCRIPT_PATH = "search/index.js"  # the same index as a script, for a site opened from disk (directory_urls: false)
PAGE_PATH = "search/index.html"
FORMAT = 1
BLOCK_GUIDES = 100  # guides a block of the index holds at most: blocks are made in parallel and kept apart

# Field weights: a word in a title says more about a page than a word in its body.
WEIGHTS = {"title": 3.0, "headings": 1.5, "summary": 1.5, "body": 1.0}
K1, B = 1.2, 0.75  # BM25's term-frequency saturation and length normalisation
TYPICAL_LENGTH = {"title": 6, "headings": 30, "summary": 20, "body": 300}  # words, for B's normalisation
KIND_BOOST = {"guide": 1.0, "cohort": 0.9, "pair": 0.8}  # guides first when all else is equal
SNIPPET_CHARS = 160

# Words too common to help, for English sites; shipped in the index so that the
# browser drops the same ones from queries.
ENGLISH_STOP_WORDS = frozenset("""
a an and are as at be but by for from has have in is it its of on or that the
their this to was were will with you your we our they them he she his her i
""".split())

_SPLIT = re.compile(r"[\W_]+")
_TAGS = re.compile(r"<[^>]+>")
_SPACE = re.compile(r"\s+")
_PERMALINK = re.compile(r'<a class="headerlink"[^>]*>.*?</a>')


@dataclass(frozen=True)
class SearchDoc:
    """One page as search sees it: what it shows in a result and the text of each field."""

    url: str  # relative to the site root, as page_url gives it
    title: str
    kind: str  # guide, cohort or pair
    context: str  # where it belongs: a guide's section, a pair's cohort
    snippet: str  # shown under the title
    headings: tuple[tuple[str, str], ...]  # (anchor id, text) of a guide's headings
    fields: tuple[tuple[str, str], ...]  # (field name in WEIGHTS, text)


def as_script(index_json: str) -> str:
    """The index as a script that sets `window.rmsiteSearchIndex`: what search.js loads on a page
    opened from disk (file://), where browsers refuse to fetch the JSON file."""
    return "window.rmsiteSearchIndex = " + index_json.rstrip("\n").replace("</", "<\\/") + ";\n"


def fold(text: str) -> str:
    """Lower case without accents: 'Zoë' and 'zoe' are the same word."""
    if text.isascii():
        return text.lower()
    lowered = unicodedata.normalize("NFKD", text).lower()  # as search.js: normalize("NFKD").toLowerCase()
    return "".join(c for c in lowered if c.isascii() or not unicodedata.category(c).startswith("M"))


@functools.lru_cache(maxsize=65536)  # a pure function, met with the same words again and again
def stem(word: str) -> str:
    """A light English plural stripper, the same as search.js's: 'meetings' → 'meeting'.

    Deliberately small: the browser also matches every query word as a prefix,
    which covers most other endings ('meet' finds 'meeting')."""
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 4 and word.endswith("sses"):
        return word[:-2]
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def tokens(text: str, stop_words: frozenset[str] = frozenset()) -> list[str]:
    """The words of a text, folded and stemmed, without stop words."""
    return [stem(word) for word in _SPLIT.split(fold(text)) if word and word not in stop_words]


def stop_words_for(language: str) -> frozenset[str]:
    """The stop words for a site's language: English ones for 'en…', else none."""
    return ENGLISH_STOP_WORDS if language.lower().startswith("en") else frozenset()


def html_text(markup: str) -> str:
    """The text of a guide's HTML, without tags or heading permalinks."""
    return _SPACE.sub(" ", html.unescape(_TAGS.sub(" ", _PERMALINK.sub("", markup)))).strip()


def snippet(text: str, limit: int = SNIPPET_CHARS) -> str:
    """The start of a text, cut at a word boundary."""
    if len(text) <= limit:
        return text
    return text[:limit].rsplit(" ", 1)[0].rstrip(",;:.") + "…"


def guide_doc(guide: ConvertedGuide, sections: dict[str, Section], pretty: bool) -> SearchDoc:
    meta, source = guide.source.meta, guide.source
    body = html_text(guide.html)
    section = sections.get(section_key(source.rel))
    headings = tuple((h.id, h.title) for h in guide.headings if h.level >= 2)
    return SearchDoc(page_url(source.page_path, pretty), meta.title, "guide",
                     section.title if section is not None and section.key else "",
                     meta.summary or snippet(body), headings,
                     (("title", meta.title), ("headings", " ".join(t for _, t in headings)),
                      ("summary", " ".join([meta.summary, *meta.tags])), ("body", body)))


def guide_docs(guides: list[ConvertedGuide], sections: dict[str, Section], pretty: bool) -> list[SearchDoc]:
    return [guide_doc(guide, sections, pretty) for guide in guides]


def cohort_docs(entry: CohortFile, pretty: bool) -> list[SearchDoc]:
    """The cohort page and its pair pages: names, job titles, teams, topics and goal titles
    (what those pages show to everyone; no private field)."""
    cohort = entry.public
    people = {p.id: p for p in cohort.people}
    topics = sorted({t for pair in cohort.pairs for t in pair.focus}, key=str.casefold)
    when = f"{cohort.starts:%b %Y} to {cohort.ends:%b %Y}"
    docs = [SearchDoc(
        page_url(cohort_page(entry.id), pretty), cohort.name, "cohort", "Pilot cohort" if cohort.pilot else "Cohort",
        f"{when}; {len(cohort.pairs)} pair{'s' if len(cohort.pairs) != 1 else ''}"
        + (f": {', '.join(topics)}" if topics else ""), (),
        (("title", f"{cohort.name} {entry.id}"), ("summary", " ".join(topics)),
         ("body", " ".join(f"{p.name} {p.title} {p.team}" for p in cohort.people))))]
    for pair in cohort.pairs:
        mentor, mentee = people[pair.mentor], people[pair.mentee]
        title = pair_name(mentor.name, mentee.name)
        docs.append(SearchDoc(
            page_url(pair_page(entry.id, pair.key), pretty), title, "pair", cohort.name,
            "; ".join(filter(None, [", ".join(pair.focus), mentee.title and f"{mentee.name}, {mentee.title}"])),
            (), (("title", title), ("summary", " ".join(pair.focus)),
                 ("body", " ".join([mentor.title, mentor.team, mentee.title, mentee.team,
                                    *(goal.title for goal in pair.goals)])))))
    return docs


def doc_scores(doc: SearchDoc, stop_words: frozenset[str]) -> dict[str, int]:
    """Each term of a document with its score there, in whole tenths: the weighted sum of
    the term's BM25 term-frequency part in each field, scaled by the kind of page.

    Fields are normalised by a fixed typical length rather than the site's average, so a
    document's scores depend on it alone: a rebuild scores only the documents that changed.
    The browser multiplies by each term's rarity (BM25's idf), which it counts from the index."""
    scores: dict[str, float] = {}
    for name, text in doc.fields:
        words = tokens(text, stop_words)
        norm = K1 * (1 - B + B * len(words) / TYPICAL_LENGTH[name])
        weight = WEIGHTS[name] * (K1 + 1)
        for word, tf in Counter(words).items():
            scores[word] = scores.get(word, 0.0) + weight * tf / (tf + norm)
    boost = KIND_BOOST[doc.kind] * 10
    return {word: max(1, round(score * boost)) for word, score in scores.items()}


Block = dict[str, Any]  # {"rows": [...], "terms": {term: [gap, score, ...]}, "last": {term: row}}
BlockMemo = dict[str, Block]  # by a hash of the block's sources; kept in the build cache


def doc_row(doc: SearchDoc) -> list[object]:
    """A document as the index lists it: what a result shows."""
    return [doc.url, doc.title, doc.kind, doc.context, doc.snippet, [list(h) for h in doc.headings]]


def make_block(docs: list[SearchDoc], stop_words: frozenset[str]) -> Block:
    """The index of a few documents: their rows, and each term's documents and scores
    ([gap, score, ...], numbered within the block)."""
    terms: dict[str, list[int]] = {}
    last: dict[str, int] = {}
    for number, doc in enumerate(docs):
        for word, score in doc_scores(doc, stop_words).items():
            terms.setdefault(word, []).extend((number - last.get(word, 0), score))
            last[word] = number
    return {"rows": [doc_row(d) for d in docs], "terms": terms, "last": last}


def merge_blocks(blocks: list[Block], stop_words: frozenset[str]) -> dict[str, object]:
    """The index the browser reads, from blocks of documents in order: the documents, and for
    each term the documents it is in with its score there. To keep the file small, a term's
    documents are listed as [gap, score, gap, score, ...]: a document's number is the previous
    one's plus its gap. Joining a block's list to the site's changes only its first gap, so
    the cost grows with the number of terms per block, not with the number of postings."""
    postings: dict[str, list[int]] = {}
    last: dict[str, int] = {}
    offset = 0
    for block in blocks:
        ends = block["last"]
        for word, local in block["terms"].items():
            target = postings.get(word)
            if target is None:
                target = postings[word] = []
            start = len(target)
            target += local
            target[start] = offset + local[0] - last.get(word, 0)
            last[word] = offset + ends[word]
        offset += len(block["rows"])
    return {
        "format": FORMAT,
        "stop": sorted(stop_words),
        "docs": [row for block in blocks for row in block["rows"]],
        "terms": {word: postings[word] for word in sorted(postings)},
    }


def cohort_block_key(entry: CohortFile, language: str, pretty: bool) -> str:
    """What a cohort's block of the index is kept by in a memo: what it is made from."""
    return digest(FORMAT, "cohort", language, pretty, entry.id, entry.digest)


def cohort_block(entry: CohortFile, language: str, pretty: bool) -> tuple[str, Block]:
    """A cohort's block of the index, by its key: a build makes it with the cohort's pages and
    hands it to site_index in the memo."""
    return cohort_block_key(entry, language, pretty), make_block(cohort_docs(entry, pretty), stop_words_for(language))


def site_index(guides: list[ConvertedGuide], sections: tuple[Section, ...], cohorts: tuple[CohortFile, ...],
               language: str, pretty: bool, memo: BlockMemo | None = None,
               jobs: int | None = None) -> dict[str, object]:
    """The index of a site: its guides (the home page's own text included) a block per
    section, or per BLOCK_GUIDES guides of a larger one, then a block per cohort with its
    pairs; the blocks are joined in order, so how they are cut does not change the index. With a memo (kept in the build cache),
    a block whose sources did not change is not made again; the others are made in worker
    processes when there are enough of them (see parallel.py)."""
    stop = stop_words_for(language)
    by_key = {s.key: s for s in sections}
    grouped: dict[str, list[ConvertedGuide]] = {}
    for guide in guides:
        grouped.setdefault(section_key(guide.source.rel), []).append(guide)
    parts: list[tuple[str, int, Callable[[], list[SearchDoc]]]] = []  # (key, documents, make them)
    for key, guides_of in grouped.items():
        title = by_key[key].title if key in by_key else ""
        for first in range(0, len(guides_of), BLOCK_GUIDES):
            members = guides_of[first:first + BLOCK_GUIDES]
            parts.append((digest(FORMAT, "guides", language, pretty, title, [g.inputs for g in members]),
                          len(members), functools.partial(guide_docs, members, by_key, pretty)))
    for entry in cohorts:
        parts.append((cohort_block_key(entry, language, pretty), 1 + len(entry.summary.pairs),
                      functools.partial(cohort_docs, entry, pretty)))
    fresh: BlockMemo = {key: memo[key] for key, _, _ in parts if memo is not None and key in memo}
    todo = [(key, make_docs) for key, _, make_docs in parts if key not in fresh]

    def make(share: Sequence[tuple[str, Callable[[], list[SearchDoc]]]]) -> list[tuple[str, Block]]:
        return [(key, make_block(make_docs(), stop)) for key, make_docs in share]
    documents = sum(count for key, count, _ in parts if key not in fresh)
    for made in fork_map(make, todo, min(len(todo), worker_count(documents, jobs))):
        fresh.update(made)
    blocks = [fresh[key] for key, _, _ in parts]
    if memo is not None:  # keep this build's blocks only
        memo.clear()
        memo.update(fresh)
    return merge_blocks(blocks, stop)


def dump(index: dict[str, object]) -> str:
    """search/index.json's text."""
    return json.dumps(index, ensure_ascii=False, separators=(",", ":")) + "\n"
