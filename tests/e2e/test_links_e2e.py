"""The link check on a built guide with raw HTML: every way of writing a link is checked,
and a link inside an HTML comment is not a link."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from rmsite.cli import main

from minimal import minimal_site

RAW_GUIDE = """---
title: Raw HTML
---
# Raw HTML

<p><a href='single-quoted.html'>single quotes</a></p>
<p><a href=unquoted.html>no quotes</a></p>
<p><A HREF="upper-case.html">upper case</A></p>
<p><a title="a > b" href="after-a-gt.html">after a '>' in a value</a></p>
<p><img alt="" src='missing.png' srcset="small.png 1x, ../pairing/ 2x"></p>

<!-- <a href="in-a-comment.html">an old link, commented out</a> -->

Working ones: <a href='../other/#ground-rules'>quoted</a>, <a href=../pairing/>unquoted</a>,
<a href="#raw-html">to its own heading</a>, and a <a href="../other/#nowhere">missing fragment</a>.
"""


def test_a_broken_link_in_raw_html_is_reported_in_every_form_and_one_in_a_comment_is_not(tmp_path: Path):
    site = minimal_site(tmp_path / "site", content__raw_md=RAW_GUIDE)
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["build", "-s", str(site), "-o", str(out)])
    assert result.exit_code == 1, result.output
    errors = [line for line in result.output.splitlines() if ": error: " in line]

    def at(address: str) -> str:  # where the guide has the address first: each error is there
        index = RAW_GUIDE.index(address)
        line = RAW_GUIDE.count("\n", 0, index) + 1
        return f"content/raw.md:{line}:{index - RAW_GUIDE.rfind(chr(10), 0, index)}: error: the page raw/index.html"
    assert errors == [
        f"{at('single-quoted.html')} links to 'single-quoted.html', which is not a file of the site",
        f"{at('unquoted.html')} links to 'unquoted.html', which is not a file of the site",
        f"{at('upper-case.html')} links to 'upper-case.html', which is not a file of the site",
        f"{at('after-a-gt.html')} links to 'after-a-gt.html', which is not a file of the site",
        f"{at('missing.png')} links to 'missing.png', which is not a file of the site",
        f"{at('small.png')} links to 'small.png', which is not a file of the site",
        f"{at('../other/#nowhere')} links to '../other/#nowhere', but other/index.html has no element with id "
        "'nowhere'",
    ]
    assert errors[0].startswith("content/raw.md:6:13: ")  # <p><a href=' is twelve characters
    assert "in-a-comment.html" not in result.output
    assert "Traceback" not in result.output
    assert not out.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]  # no staging left behind


def test_a_guide_whose_only_broken_link_is_commented_out_builds(tmp_path: Path):
    guide = "---\ntitle: Notes\n---\nKept for later: <!-- <a href='draft-page.html'>x</a> -->\n"
    site = minimal_site(tmp_path / "site", content__notes_md=guide)
    result = CliRunner().invoke(main, ["build", "-s", str(site), "-o", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    assert "<!-- <a href='draft-page.html'>x</a> -->" in (tmp_path / "out/notes/index.html").read_text()
