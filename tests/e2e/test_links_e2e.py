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
    prefix = "content/raw.md:1:1: error: the page raw/index.html links to"
    assert errors == [
        f"{prefix} '../other/#nowhere', but other/index.html has no element with id 'nowhere'",
        f"{prefix} 'after-a-gt.html', which is not a file of the site",
        f"{prefix} 'missing.png', which is not a file of the site",
        f"{prefix} 'single-quoted.html', which is not a file of the site",
        f"{prefix} 'small.png', which is not a file of the site",
        f"{prefix} 'unquoted.html', which is not a file of the site",
        f"{prefix} 'upper-case.html', which is not a file of the site",
    ]
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
