"""Site search: the tokeniser, the index's scores and format, and the index and
search page a build writes (what it holds, what it never holds)."""

from __future__ import annotations

import json
from pathlib import Path

import yaml

from rmsite.pipeline.build import build
from rmsite.pipeline.memo import Memos
from rmsite.pipeline.options import IN_PLACE, Options
from rmsite.site.search import SearchDoc, html_text, make_block, merge_blocks, snippet, stem, tokens

from conftest import write_files

STOP = frozenset({"the", "and"})


def doc(url: str, title: str, body: str = "", kind: str = "guide") -> SearchDoc:
    return SearchDoc(url, title, kind, "", "", (), (("title", title), ("body", body)))


def index_of(docs: list[SearchDoc], stop: frozenset[str] = STOP) -> dict:
    """The index of some documents, as one block."""
    return merge_blocks([make_block(docs, stop)], stop)


def postings(index: dict, term: str) -> dict[int, int]:
    """A term's documents and scores, its gaps decoded."""
    out, number = {}, 0
    values = index["terms"][term]
    for gap, score in zip(values[::2], values[1::2]):
        number += gap
        out[number] = score
    return out


def test_tokens_fold_case_and_accents_split_on_punctuation_and_drop_stop_words():
    assert tokens("The Zoë-Café MEETINGS, and 2027's plans", STOP) == ["zoe", "cafe", "meeting", "2027", "s", "plan"]


def test_stem_strips_plurals_only():
    assert [stem(w) for w in ["meetings", "policies", "classes", "focus", "basis", "glass", "bus", "goal"]] == [
        "meeting", "policy", "class", "focus", "basis", "glass", "bus", "goal"]


def test_html_text_drops_tags_and_heading_permalinks():
    html = '<h2 id="a">Ground rules<a class="headerlink" href="#a" title="Link">#</a></h2><p>Tea &amp; cake</p>'
    assert html_text(html) == "Ground rules Tea & cake"


def test_snippet_cuts_at_a_word():
    assert snippet("one two three four", 10) == "one two…"
    assert snippet("short", 10) == "short"


def test_a_word_in_the_title_scores_more_than_the_same_word_in_the_body():
    index = index_of([doc("a/", "Feedback", "we talk about many other things here"),
                      doc("b/", "Other things", "feedback we talk about here"),
                      doc("c/", "Unrelated", "nothing to see")])
    scores = postings(index, "feedback")
    assert set(scores) == {0, 1}
    assert scores[0] > scores[1] > 0


def test_a_documents_scores_do_not_depend_on_the_others():
    # so that a rebuild scores only the documents that changed (the browser adds rarity)
    alone = index_of([doc("a/", "Feedback", "two way feedback")])
    among = index_of([doc("b/", "Other", "feedback " * 50), doc("a/", "Feedback", "two way feedback")])
    assert postings(alone, "feedback")[0] == postings(among, "feedback")[1]


def test_blocks_join_into_one_index_with_the_same_gaps():
    docs = [doc(f"d{i}/", "t", "word" if i in (1, 4, 5, 7) else "other") for i in range(9)]
    whole = index_of(docs)
    joined = merge_blocks([make_block(docs[:3], STOP), make_block(docs[3:5], STOP), make_block(docs[5:], STOP)], STOP)
    assert joined == whole
    assert set(postings(joined, "word")) == {1, 4, 5, 7}



def test_postings_are_gaps_between_document_numbers():
    docs = [doc(f"d{i}/", "t", "word" if i in (1, 4, 5) else "other") for i in range(6)]
    index = index_of(docs)
    assert index["terms"]["word"][::2] == [1, 3, 1]
    assert set(postings(index, "word")) == {1, 4, 5}


def test_the_index_lists_documents_and_sorted_terms_and_its_stop_words():
    index = index_of([doc("b/", "Beta and gamma"), doc("a/", "Alpha")])
    assert index["docs"][0][:3] == ["b/", "Beta and gamma", "guide"]
    assert list(index["terms"]) == sorted(index["terms"]) == ["alpha", "beta", "gamma"]
    assert index["stop"] == ["and", "the"]


def built_index(out: Path) -> dict:
    return json.loads((out / "search/index.json").read_text(encoding="utf-8"))


def test_the_example_builds_an_index_of_every_guide_cohort_and_pair_page(example: Path, tmp_path: Path):
    out = tmp_path / "out"
    assert build(Options(example, out)).written
    index = built_index(out)
    urls = {d[0]: d[2] for d in index["docs"]}
    for url in urls:
        assert (out / url / "index.html").is_file(), url
    pages = {p.parent.relative_to(out).as_posix() + "/" for p in out.rglob("index.html")}
    # lists of pages are not searched: the cohorts, the search page, each folder's list of guides
    pages = {"" if p == "./" else p for p in pages} - {"cohorts/", "search/", "for-mentors/"}
    assert set(urls) == pages
    assert urls["cohorts/2026-pilot/"] == "cohort"
    assert urls["expectations/"] == "guide"
    assert urls["cohorts/2026-autumn/jordan-blake-martin-drummond/"] == "pair"
    assert (out / "search/index.html").is_file()


def test_links_in_the_index_follow_directory_urls_false(example: Path, tmp_path: Path):
    site = example / "site.yml"
    site.write_text(site.read_text() + "directory_urls: false\n")
    out = tmp_path / "out"
    assert build(Options(example, out)).written
    for entry in built_index(out)["docs"]:
        assert entry[0] == "index.html" or entry[0].endswith("/index.html")
        assert (out / entry[0]).is_file()


def test_no_private_field_reaches_the_index(example: Path, tmp_path: Path):
    out = tmp_path / "out"
    assert build(Options(example, out)).written
    text = (out / "search/index.json").read_text(encoding="utf-8").casefold()
    private = []
    for cohort in (example / "cohorts").glob("*.yml"):
        data = yaml.safe_load(cohort.read_text())
        private += [p[k] for p in data["people"] for k in ("email", "phone") if p.get(k)]
        for pair in data.get("pairs", []):
            for session in pair.get("sessions", []):
                private += [session[k] for k in ("notes",) if session.get(k)]
                private += list((session.get("feedback") or {}).values())
            private += [c["comment"] for c in pair.get("check_ins", []) if c.get("comment")]
    assert len(private) > 10
    assert [value for value in private if value.casefold() in text] == []


def test_a_private_value_quoted_in_a_public_field_fails_the_build_at_the_index(tmp_path: Path):
    # the index writes '"' as '\\"', a form of the value the guard also looks for
    site = write_files(tmp_path / "site", {
        "site.yml": "title: T\n",
        "cohorts/c.yml": """
            name: C
            starts: 2026-01-05
            ends: 2026-06-30
            people:
              - {id: ann, name: Ann, level: 1}
              - {id: bob, name: Bob, level: 3}
            pairs:
              - mentor: ann
                mentee: bob
                approved_by: [x, y]
                focus: ['Bob said "the reorg is off"']
                sessions:
                  - date: 2026-01-05
                    notes: 'Bob said "the reorg is off"'
            """,
    })
    result = build(Options(site, tmp_path / "out"))
    messages = [p.format() for p in result.problems]
    assert not result.written
    assert any("private field 'notes'" in m and "search/index.json" in m for m in messages), messages


def test_drafts_are_not_indexed_unless_built(example: Path, tmp_path: Path):
    (example / "content/draft.md").write_text("---\ntitle: Secret plans\ndraft: true\n---\nZebra crossing.\n")
    assert build(Options(example, tmp_path / "out")).written
    assert "zebra" not in built_index(tmp_path / "out")["terms"]
    assert build(Options(example, tmp_path / "drafts", drafts=True)).written
    assert "zebra" in built_index(tmp_path / "drafts")["terms"]


def test_search_false_leaves_out_the_box_the_page_and_the_index(example: Path, tmp_path: Path):
    site = example / "site.yml"
    site.write_text(site.read_text() + "search: false\n")
    out = tmp_path / "out"
    assert build(Options(example, out)).written
    assert not (out / "search").exists()
    home = (out / "index.html").read_text()
    assert "data-search" not in home and "search." not in home


def test_every_page_but_the_search_page_has_the_search_box(example: Path, tmp_path: Path):
    out = tmp_path / "out"
    assert build(Options(example, out, base_url="/deep/sub/path/")).written
    for page in out.rglob("*.html"):
        text = page.read_text()
        if page.relative_to(out).as_posix() == "search/index.html":
            assert 'id="search-page-q"' in text and 'id="site-search-q"' not in text
        else:
            assert 'id="site-search-q"' in text, page
    home, pair = (out / "index.html").read_text(), (out / "cohorts/2026-pilot/index.html").read_text()
    assert 'data-index="search/index.json"' in home and 'data-root="./"' in home
    assert 'data-index="../../search/index.json"' in pair and 'data-root="../../"' in pair
    assert 'data-index="/deep/sub/path/search/index.json"' in (out / "404.html").read_text()


def test_an_unchanged_index_is_kept_and_an_edited_guide_changes_it(example: Path, tmp_path: Path):
    cache, out = Memos(), tmp_path / "out"
    assert build(Options(example, out), cache, IN_PLACE).written
    index = out / "search/index.json"
    inode = index.stat().st_ino
    assert build(Options(example, out), cache, IN_PLACE).written
    assert index.stat().st_ino == inode
    guide = example / "content/feedback.md"
    guide.write_text(guide.read_text() + "\nA word like xylophone.\n")
    assert build(Options(example, out), cache, IN_PLACE).written
    assert "xylophone" in built_index(out)["terms"]


def test_only_changed_blocks_are_made_again_and_the_cache_keeps_them(example: Path, tmp_path: Path):
    from rmsite.pipeline.store import load_cache, save_cache
    cache = Memos()
    assert build(Options(example, tmp_path / "out"), cache).written
    assert len(cache.search) == 4  # guides at the top, for-mentors/, and the two cohorts
    for block in cache.search.values():  # mark every block as made before
        block["terms"]["remembered"] = [0, 5]
        block["last"]["remembered"] = 0
    cohort = example / "cohorts/2026-pilot.yml"
    cohort.write_text(cohort.read_text().replace("name: Spring 2026 pilot", "name: Spring 2026 trial run"))
    assert build(Options(example, tmp_path / "out"), cache).written
    index = built_index(tmp_path / "out")
    assert "trial" in index["terms"]
    assert len(index["terms"]["remembered"]) == 2 * 3  # one document in each unchanged block
    save_cache(cache, tmp_path / "cache.json")
    assert load_cache(tmp_path / "cache.json").search == cache.search


def test_blocks_made_in_worker_processes_give_the_same_index(example: Path, tmp_path: Path):
    assert build(Options(example, tmp_path / "one", jobs=1)).written
    assert build(Options(example, tmp_path / "two", jobs=2)).written
    assert (tmp_path / "one/search/index.json").read_bytes() == (tmp_path / "two/search/index.json").read_bytes()


def test_a_guide_at_the_search_pages_address_is_an_error_that_says_what_to_do(tmp_path: Path):
    site = write_files(tmp_path / "site", {"site.yml": "title: T\n",
                                           "content/search.md": "---\ntitle: Search tips\n---\nHi.\n"})
    result = build(Options(site, tmp_path / "out"))
    assert not result.written
    assert [p.format() for p in result.problems] == [
        "content/search.md:1:1: error: search/index.html would be written twice (by content/search.md and the "
        "search page); rename the guide, or set 'search: false' in site.yml"]
    (site / "site.yml").write_text("title: T\nsearch: false\n")
    assert build(Options(site, tmp_path / "out")).written


def test_a_large_section_is_cut_into_blocks_that_join_into_the_same_index(tmp_path: Path, monkeypatch):
    """Blocks of at most BLOCK_GUIDES guides are made in parallel and kept apart in the
    memo; how a section is cut does not change the index."""
    from rmsite.site import search

    from minimal import minimal_site
    files = {f"content__guides__g{n:02}_md": f"---\ntitle: Guide {n}\n---\nAbout topic{n} and meetings.\n"
             for n in range(9)}
    site = minimal_site(tmp_path / "site", **files)

    def index(block_guides: int) -> tuple[bytes, int]:
        monkeypatch.setattr(search, "BLOCK_GUIDES", block_guides)
        memos = Memos()
        result = build(Options(site, tmp_path / f"out-{block_guides}"), memos)
        assert not result.problems, [p.format() for p in result.problems]
        return (tmp_path / f"out-{block_guides}" / "search/index.json").read_bytes(), len(memos.search)
    (whole, one_block), (cut, blocks) = index(100), index(2)
    assert whole == cut
    assert blocks == one_block + 4  # the folder's nine guides in five blocks, not one
