"""Guides: Markdown features, heading anchors, link rewriting and checking."""

from __future__ import annotations

from rmsite.core.urls import relative_url
from rmsite.model.programme import GuideSource
from rmsite.model.schema import GuideMeta
from rmsite.site.markdown import GuideConverter, check_anchors


def guide(rel: str, body: str, first_line: int = 4) -> GuideSource:
    return GuideSource(rel, GuideMeta(title=rel), body, first_line)


def convert(*guides: GuideSource):
    converter = GuideConverter({g.rel: g.page_path for g in guides})
    results, problems = [], []
    for g in guides:
        converted, found = converter.convert(g)
        results.append(converted)
        problems += found
    return results, [p.format() for p in problems + check_anchors(results)]


def test_tables_fenced_code_task_lists_and_anchors():
    body = "## Ground rules\n\n|a|b|\n|-|-|\n|1|2|\n\n```yaml\nx: <1>\n```\n\n- [ ] open\n- [x] done\n"
    (result,), problems = convert(guide("a.md", body))
    assert problems == []
    assert '<h2 id="ground-rules">' in result.html
    assert "<table>" in result.html
    assert '<code class="language-yaml">x: &lt;1&gt;</code>' in result.html
    assert 'type="checkbox" disabled checked' in result.html


def test_relative_md_links_point_at_built_pages():
    a = guide("a.md", "[b](dir/b.md#part) [home](index.md)\n")
    b = guide("dir/b.md", "## Part\n\n[a](../a.md)\n")
    home = guide("index.md", "[a](a.md)\n")
    (ra, rb, rh), problems = convert(a, b, home)
    assert problems == []
    assert 'href="../dir/b/#part"' in ra.html and 'href="../"' in ra.html
    assert 'href="../../a/"' in rb.html
    assert 'href="a/"' in rh.html


def test_link_to_a_missing_guide_is_an_error_at_its_line():
    _, problems = convert(guide("a.md", "Intro.\n\nSee [x](pairng.md) and more.\n", first_line=5),
                          guide("pairing.md", "text\n"))
    assert problems == ["content/a.md:7:9: error: link to a guide that does not exist: 'pairng.md' "
                        "(did you mean 'pairing.md'?)"]


def test_link_to_a_missing_anchor_is_an_error_at_its_line():
    _, problems = convert(guide("a.md", "[x](b.md#ground-rule)\n"), guide("b.md", "## Ground rules\n"))
    assert problems == ["content/a.md:4:5: error: no heading '#ground-rule' in 'b.md' "
                        "(did you mean 'ground-rules'?)"]


def test_same_page_anchor_is_checked():
    _, problems = convert(guide("a.md", "## One\n\n[x](#two)\n"))
    assert problems == ["content/a.md:6:5: error: no heading '#two' in 'a.md'"]


def test_external_links_are_left_alone_and_file_links_follow_the_page():
    (result, nested), problems = convert(
        guide("a.md", "[w](https://example.org/x.md) [f](files/plan.pdf) [m](mailto:a@b.c) [r](/wiki/)\n"),
        guide("dir/b.md", "![logo](../img/logo.png)\n"))
    assert problems == []
    assert 'href="https://example.org/x.md"' in result.html and 'href="mailto:a@b.c"' in result.html
    assert 'href="../files/plan.pdf"' in result.html and 'href="/wiki/"' in result.html
    assert 'src="../../img/logo.png"' in nested.html


def test_long_guides_get_a_table_of_contents():
    long = "".join(f"## Part {i}\n\ntext\n\n" for i in range(5))
    (result, short), _ = convert(guide("a.md", long), guide("b.md", "## Only\n"))
    assert [h.id for h in result.toc] == [f"part-{i}" for i in range(5)]
    assert short.toc == ()


def test_relative_urls():
    assert relative_url("a/b/index.html", "index.html") == "../../"
    assert relative_url("index.html", "index.html") == "./"
    assert relative_url("index.html", "cohorts/x/progress.json") == "cohorts/x/progress.json"
    assert relative_url("a/index.html", "a/index.html", fragment="f") == "./#f"
    assert relative_url("a/index.html", "b/index.html", pretty=False) == "../b/index.html"


def test_relative_urls_match_posixpath_on_many_shapes():
    import posixpath
    paths = ["index.html", "a/index.html", "a/b/index.html", "a/c/index.html", "b/index.html",
             "cohorts/x/progress.json", "assets/style.1.css", "404.html", "a/b/c/index.html"]
    for source in paths:
        for target in paths:
            got = relative_url(source, target)
            expected_target = target[: -len("index.html")] if target.endswith("index.html") else target
            expected = posixpath.relpath(expected_target or ".", posixpath.dirname(source) or ".")
            if expected_target == "" or expected_target.endswith("/"):
                expected = "./" if expected == "." else expected + "/"
            assert got == expected, (source, target)


def test_task_list_checkboxes_are_named_by_their_item():
    from rmsite.site.markdown import name_task_checkboxes

    html = ('<li class="task-list-item"><input type="checkbox" disabled/> Agree the &amp; rules</li>\n'
            '<li class="task-list-item"><input type="checkbox" disabled checked/><a href="x">link only</a></li>')
    assert name_task_checkboxes(html) == (
        '<li class="task-list-item"><input type="checkbox" disabled aria-label="Agree the &amp; rules"/>'
        ' Agree the &amp; rules</li>\n'
        '<li class="task-list-item"><input type="checkbox" disabled checked aria-label="done"/>'
        '<a href="x">link only</a></li>')


def test_code_blocks_can_be_scrolled_from_the_keyboard():
    from rmsite.site.markdown import focusable_code

    assert focusable_code('<div class="highlight"><pre><code>x</code></pre></div>') == (
        '<div class="highlight"><pre tabindex="0"><code>x</code></pre></div>')
    assert focusable_code('<pre class="highlight"><code>x</code></pre>') == (
        '<pre tabindex="0" class="highlight"><code>x</code></pre>')


def test_rmsite_s_own_additions_still_work_beside_github_s_rendering():
    body = ('## Ground rules {#rules .key}\n\n!!! note "Before you start"\n    Read:\n    - the guide\n\n'
            "A claim.[^1]\n\nTerm\n:   its meaning\n\n*[HTML]: Hyper Text Markup Language\n\nHTML here.\n\n"
            "[^1]: The source.\n")
    (result,), problems = convert(guide("a.md", body))
    assert problems == []
    assert '<h2 class="key" id="rules">Ground rules<a class="headerlink" href="#rules"' in result.html
    assert ('<div class="admonition note">\n<p class="admonition-title">Before you start</p>\n<p>Read:</p>\n'
            '<ul>\n<li>the guide</li>\n</ul>\n</div>') in result.html
    assert '<a class="footnote-ref" href="#fn:1">1</a>' in result.html and '<div class="footnote">' in result.html
    assert "<dt>Term</dt>\n<dd>its meaning</dd>" in result.html
    assert '<abbr title="Hyper Text Markup Language">HTML</abbr>' in result.html


def test_links_in_lists_nested_the_github_way_are_rewritten_and_checked():
    body = "Before:\n- read\n  - [b](b.md#part)\n  - [x](pairng.md)\n"
    _, problems = convert(guide("a.md", body, first_line=5), guide("b.md", "## Part\n"))
    assert problems == ["content/a.md:8:9: error: link to a guide that does not exist: 'pairng.md' (did you mean 'a.md'?)"]
    (ra, _), problems = convert(guide("a.md", "Before:\n- read\n  - [b](b.md#part)\n"), guide("b.md", "## Part\n"))
    assert problems == []
    assert '<li>read<ul>\n<li><a href="../b/#part">b</a></li>' in ra.html


def test_bare_addresses_are_not_taken_for_guides():
    (result,), problems = convert(guide("a.md", "See www.example.com/plan.md and https://example.org/x.md.\n"))
    assert problems == []
    assert 'href="http://www.example.com/plan.md"' in result.html and 'href="https://example.org/x.md"' in result.html


def test_an_email_autolink_builds_and_the_leak_guard_reads_it():
    from rmsite.output.privacy import normalise

    (result,), problems = convert(guide("a.md", "Write to <ada@example.org> or bob@example.org.\n"))
    assert problems == []
    assert "ada@example.org" in normalise(result.html) and "bob@example.org" in normalise(result.html)


def test_a_link_to_an_address_no_browser_can_follow_is_an_error_at_the_link():
    (result,), problems = convert(guide("a.md", "Text.\n\nSee [odd](http://[x) here.\n", first_line=4))
    assert problems == ["content/a.md:6:11: error: link to 'http://[x', which is not a valid address"]
    assert 'href="http://[x"' in result.html


def test_the_converters_block_level_test_answers_as_python_markdowns_does():
    import markdown

    plain = markdown.Markdown()
    quick = GuideConverter({}).md
    assert quick.is_block_level is not plain.is_block_level
    for tag in [*plain.block_level_elements, "P", "Div/", "span", "a", "em", "", "x-custom", None, 3, object()]:
        assert quick.is_block_level(tag) == plain.is_block_level(tag), tag


def test_a_toc_marker_stays_text_and_the_headings_still_make_the_table_of_contents():
    (result,), problems = convert(guide("a.md", "[TOC]\n\n" + "".join(f"## Part {n}\n\nText.\n\n" for n in range(4))))
    assert problems == [] and "<p>[TOC]</p>" in result.html
    assert [h.title for h in result.toc] == ["Part 0", "Part 1", "Part 2", "Part 3"]
