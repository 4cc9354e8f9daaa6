"""The quicker inline stage (site/markdown_inline.py) gives exactly Python-Markdown's HTML."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from markdown.treeprocessors import InlineProcessor

import rmsite.site.markdown as guides_markdown
from rmsite.model.programme import GuideSource
from rmsite.model.schema import GuideMeta
from rmsite.site import markdown_inline
from rmsite.site.markdown import GuideConverter
from rmsite.site.markdown_inline import NEEDS, QuickInline

ROOT = Path(__file__).resolve().parents[3]
SOURCES = sorted([*ROOT.glob("tests/corpus/markdown/*.md"), *ROOT.glob("docs/*.md"), *ROOT.glob("content/**/*.md")])

# Each pattern's own syntax at the edges of what its test lets through.
SNIPPETS = [
    "WWW.example.com and Www.Example.org, http://a.b/c, ftp://x.y, https://x.y/a_b_",
    "mail me@example.com or <me@example.com>, <https://example.com/x>, <HTTP://EXAMPLE.COM>",
    "a \\* b \\_ c \\` d \\\\ e\\\nnext line  \nhard break",
    "`code` ``two `ticks` `` \\`not code` and \\\\`code after two backslashes`",
    "&amp; &#35; &#x41; &nosuch; & alone; AT&T",
    "~~struck~~ ~one~ ~~~three~~~ a~b~c ~ ~~ ~~spaced ~~",
    "*em* _em_ **strong** __strong__ ***both*** snake_case_word a*b*c",
    "[link](guide.md) ![img](a.png) [ref][r] ![iref][r] [r] ![r] [^note] [^]\n\n[r]: https://e.x\n[^note]: A note.",
    "<span>html</span> <!-- comment --> <?pi?> <![CDATA[x]]> a < b > c",
    "plain text with nothing to match, but a colon: and a dot.",
]


def guide(body: str, rel: str = "guide.md") -> GuideSource:
    return GuideSource(rel, GuideMeta(title=rel), body, 1)


def both(bodies: list[str], monkeypatch: pytest.MonkeyPatch) -> tuple[list[str], list[str]]:
    """Each body's HTML with the quicker stage and with Python-Markdown's own."""
    pages = {"guide.md": "guide/index.html"}
    quick = GuideConverter(pages)
    assert isinstance(quick.md.treeprocessors["inline"], QuickInline)
    with monkeypatch.context() as patched:
        patched.setattr(guides_markdown, "quicken", lambda md: None)
        plain = GuideConverter(pages)
    assert type(plain.md.treeprocessors["inline"]) is InlineProcessor
    return ([quick.convert(guide(body))[0].html for body in bodies],
            [plain.convert(guide(body))[0].html for body in bodies])


def test_every_corpus_guide_and_doc_converts_as_python_markdown_does(monkeypatch: pytest.MonkeyPatch) -> None:
    assert len(SOURCES) > 80
    bodies = [path.read_text(encoding="utf-8") for path in SOURCES] + SNIPPETS
    quick, plain = both(bodies, monkeypatch)
    for body, ours, theirs in zip(bodies, quick, plain, strict=True):
        assert ours == theirs, body[:200]


def test_random_markup_converts_as_python_markdown_does(monkeypatch: pytest.MonkeyPatch) -> None:
    pieces = ["a", "b", " ", "  ", "\n", "\n\n", "*", "_", "`", "~", "~~", "[", "]", "(", ")", "!", "<", ">", "&",
              ";", "#", "\\", "@", ":", "//", "www.", "WWW.", "http", "x.y", "^", "'", '"', "=", "/", "-", "|",
              "&amp;", "<b>", "</b>", "[^1]", "\n[^1]: n\n", "\n[r]: /u\n", "me@ex.com"]
    rng = random.Random(20261207)
    bodies = ["".join(rng.choice(pieces) for _ in range(rng.randint(1, 40))) for _ in range(600)]
    quick, plain = both(bodies, monkeypatch)
    for body, ours, theirs in zip(bodies, quick, plain, strict=True):
        assert ours == theirs, repr(body)


def test_every_pattern_of_the_converter_has_a_test() -> None:
    """A pattern without one is always tried: right, but slow; an extension that adds a
    pattern should add its test too."""
    patterns = GuideConverter({}).md.inlinePatterns
    assert {item.name for item in patterns._priority} == set(NEEDS)


def test_the_stage_skips_patterns_through_python_markdowns_private_loop(monkeypatch: pytest.MonkeyPatch) -> None:
    """The override works only while Python-Markdown calls its loop by this name; a release
    that renames it would leave the output right and the speed lost, so this fails then."""
    assert hasattr(InlineProcessor, "_InlineProcessor__handleInline")
    assert hasattr(InlineProcessor, "_InlineProcessor__applyPattern")
    asked: list[str] = []

    def needs_ampersand(text: str) -> bool:
        asked.append(text)
        return "&" in text
    monkeypatch.setitem(markdown_inline.NEEDS, "entity", needs_ampersand)
    converter = GuideConverter({})
    html = converter.convert(guide("Fish &amp; chips, and *peas*."))[0].html
    assert "Fish &amp; chips" in html and "<em>peas</em>" in html
    assert any("&" in text for text in asked)  # the entity pattern is tried where it can match
    assert any("&" not in text for text in asked)  # and its test is asked first where it cannot
