"""Guides render as GitHub renders them: every case of tests/corpus/markdown/ is converted by
rmsite's guide converter and by cmark-gfm, GitHub's own renderer, and the two are compared as
structure (elements, their attributes and text), not as bytes."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

import cmarkgfm
import pytest
from cmarkgfm.cmark import Options

from rmsite.model.programme import GuideSource
from rmsite.model.schema import GuideMeta
from rmsite.site.markdown import GuideConverter

CORPUS = Path(__file__).parents[2] / "corpus" / "markdown"
GFM_EXTENSIONS = ["table", "strikethrough", "autolink", "tasklist"]
# raw HTML passes through (guides are trusted, as in rmsite); a table's alignment is written as a
# style, as Python-Markdown writes it, rather than as the old `align` attribute
GFM_OPTIONS = Options.CMARK_OPT_UNSAFE | Options.CMARK_OPT_TABLE_PREFER_STYLE_ATTRIBUTES
AGREEMENT = 0.95

# The cases that still differ from GitHub, each with the reason; docs/format.md lists them too.
KNOWN_DIFFERENCES = {
    "footnotes": "rmsite keeps Python-Markdown's footnote markup (a div of notes with back links); "
                 "GitHub writes a section with its own ids and labels",
    "bullets-changing-marker": "GitHub starts a new list where the bullet changes (`-` to `*`); "
                               "Python-Markdown's lists go on",
    "fence-in-nested-item": "a blank line inside a nested item makes the outer list loose (its items in "
                            "paragraphs): Python-Markdown needs the blank line to end the nested item",
    "details-block": "Markdown inside an HTML block such as <details> stays as it is written; "
                     "GitHub reads it as Markdown after a blank line",
}

VOID = frozenset({"area", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"})
HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
# classes rmsite adds on purpose, for its theme: not structure
OWN_CLASSES = frozenset({"highlight", "task-list", "task-list-item"})


@dataclass
class Node:
    tag: str
    attrs: tuple[tuple[str, str], ...] = ()
    children: list[Node | str] = field(default_factory=list)

    def text(self, indent: str = "") -> str:
        attrs = "".join(f' {k}="{v}"' for k, v in self.attrs)
        lines = [f"{indent}<{self.tag}{attrs}>"]
        for child in self.children:
            lines.append(child.text(indent + "  ") if isinstance(child, Node) else f"{indent}  {child!r}")
        return "\n".join(lines)


class _TreeBuilder(HTMLParser):
    """HTML to a tree of Nodes: whitespace collapsed (kept inside <pre>), attributes sorted,
    and what rmsite adds on purpose left out: heading ids, permalink anchors, its own classes,
    the code blocks' tabindex and the task checkboxes' names."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Node("root")
        self.stack = [self.root]
        self.skipping = 0  # depth inside an element left out (a permalink)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k: v or "" for k, v in attrs}
        if self.skipping or (tag == "a" and values.get("class") == "headerlink"):
            self.skipping += tag not in VOID
            return
        node = Node(tag, _attributes(tag, values))
        self.stack[-1].children.append(node)
        if tag not in VOID:
            self.stack.append(node)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in VOID and not self.skipping:
            self.stack.pop()

    def handle_endtag(self, tag: str) -> None:
        if self.skipping:
            self.skipping -= 1
            return
        if tag in VOID:
            return
        while len(self.stack) > 1:
            if self.stack.pop().tag == tag:
                break

    def handle_data(self, data: str) -> None:
        if self.skipping:
            return
        children = self.stack[-1].children
        last = children[-1] if children else None
        if isinstance(last, str):
            children[-1] = last + data
        else:
            children.append(data)

    def handle_comment(self, data: str) -> None:
        if not self.skipping:
            self.stack[-1].children.append(Node("!--", (("text", " ".join(data.split())),)))


def _attributes(tag: str, values: dict[str, str]) -> tuple[tuple[str, str], ...]:
    if tag in HEADINGS:
        values.pop("id", None)
    if tag == "pre":
        values.pop("tabindex", None)
    if tag == "input":
        values.pop("aria-label", None)
    if "class" in values:
        kept = [c for c in values["class"].split() if c not in OWN_CLASSES]
        values["class"] = " ".join(kept)
        if not kept:
            del values["class"]
    if "style" in values:
        values["style"] = "; ".join(s.strip() for s in values["style"].split(";") if s.strip())
    return tuple(sorted(values.items()))


def _squeeze(node: Node, in_pre: bool = False) -> Node:
    """Whitespace: runs collapsed to one space and trimmed, except inside <pre>."""
    in_pre = in_pre or node.tag == "pre"
    children: list[Node | str] = []
    for child in node.children:
        if isinstance(child, Node):
            children.append(_squeeze(child, in_pre))
        elif in_pre:
            children.append(child.rstrip("\n"))  # the newline that ends a code block, or not
        else:
            text = " ".join(child.split())
            if text:
                children.append(text)
    return Node(node.tag, node.attrs, children)


def structure(html: str) -> Node:
    builder = _TreeBuilder()
    builder.feed(html)
    builder.close()
    return _squeeze(builder.root)


def rmsite_html(text: str) -> str:
    guide = GuideSource("guide.md", GuideMeta(title="Guide"), text, 1)
    converted, problems = GuideConverter({guide.rel: guide.page_path}).convert(guide)
    assert problems == []
    return converted.html


def github_html(text: str) -> str:
    return cmarkgfm.markdown_to_html_with_extensions(text, GFM_OPTIONS, extensions=GFM_EXTENSIONS)


def cases() -> dict[str, str]:
    return {path.stem: path.read_text(encoding="utf-8") for path in sorted(CORPUS.glob("*.md"))}


def differing() -> dict[str, tuple[Node, Node]]:
    out = {}
    for name, text in cases().items():
        ours, theirs = structure(rmsite_html(text)), structure(github_html(text))
        if ours != theirs:
            out[name] = ours, theirs
    return out


def test_the_normaliser_ignores_what_rmsite_adds_on_purpose():
    ours = ('<h2 id="goals">Goals<a class="headerlink" href="#goals" title="Link">#</a></h2>\n'
            '<pre tabindex="0" class="highlight"><code class="language-sh">x\n</code></pre>'
            '<ul class="task-list"><li class="task-list-item"><input type="checkbox" disabled aria-label="a"/> a</li></ul>')
    theirs = ('<h2>Goals</h2><pre><code class="language-sh">x\n</code></pre>'
              '<ul>\n<li><input disabled="" type="checkbox" /> a</li>\n</ul>')
    assert structure(ours) == structure(theirs)


def test_the_normaliser_sees_real_differences():
    assert structure("<p>a - b</p>") != structure("<p>a</p><ul><li>b</li></ul>")
    assert structure("<pre><code>a  b</code></pre>") != structure("<pre><code>a b</code></pre>")
    assert structure('<a href="http://x">x</a>') != structure('<a href="https://x">x</a>')
    assert structure("<p>a<!-- b --></p>") != structure("<p>a</p>")


def test_guides_render_as_github_renders_them():
    all_cases = cases()
    found = differing()
    same = len(all_cases) - len(found)
    report = "\n\n".join(f"{name}:\nrmsite:\n{ours.text()}\ngithub:\n{theirs.text()}"
                         for name, (ours, theirs) in found.items() if name not in KNOWN_DIFFERENCES)
    assert same / len(all_cases) >= AGREEMENT, f"{same} of {len(all_cases)} identical\n{report}"
    assert set(found) - set(KNOWN_DIFFERENCES) == set(), report


@pytest.mark.parametrize("name", sorted(KNOWN_DIFFERENCES))
def test_each_known_difference_is_still_a_difference(name):
    assert name in cases(), f"no case {name}.md in {CORPUS}"
    text = cases()[name]
    assert structure(rmsite_html(text)) != structure(github_html(text)), (
        f"{name} now renders as GitHub does: take it off KNOWN_DIFFERENCES and docs/format.md")


# Each behaviour on its own, with the HTML it must give.

def html_of(text: str) -> str:
    return rmsite_html(text)


def test_a_list_right_after_a_line_of_text_ends_the_paragraph():
    assert html_of("Before the first meeting:\n- agree ground rules\n- book a room\n") == (
        "<p>Before the first meeting:</p>\n<ul>\n<li>agree ground rules</li>\n<li>book a room</li>\n</ul>")


def test_only_a_list_starting_at_one_ends_a_paragraph():
    assert html_of("The room is\n42. Ask at the desk.\n") == "<p>The room is\n42. Ask at the desk.</p>"
    assert "<ol>\n<li>yes</li>" in html_of("Choose:\n1. yes\n2. no\n")


def test_lists_nest_by_the_width_of_the_marker():
    assert html_of("- goals\n  - small ones\n    - one a month\n- rules\n") == (
        "<ul>\n<li>goals<ul>\n<li>small ones<ul>\n<li>one a month</li>\n</ul>\n</li>\n</ul>\n</li>\n"
        "<li>rules</li>\n</ul>")
    assert "<li>Prepare<ul>\n<li>read</li>" in html_of("1. Prepare\n   - read\n2. Meet\n")
    # two spaces under `1. ` are not enough: a list of its own, as on GitHub
    assert html_of("1. Prepare\n  - read\n") == "<ol>\n<li>Prepare</li>\n</ol>\n<ul>\n<li>read</li>\n</ul>"


def test_four_spaces_still_nest():
    assert "<li>outer<ul>\n<li>inner</li>" in html_of("- outer\n    - inner\n")


def test_a_list_item_can_have_paragraphs_indented_by_two_spaces():
    assert html_of("- The first meeting.\n\n  Keep it short.\n- The second.\n") == (
        "<ul>\n<li>\n<p>The first meeting.</p>\n<p>Keep it short.</p>\n</li>\n<li>\n<p>The second.</p>\n</li>\n</ul>")


def test_code_and_quotes_inside_list_items():
    html = html_of("1. Run this:\n\n   ```sh\n   rmsite build\n   ```\n2. Open the site.\n")
    assert '<li>\n<p>Run this:</p>\n<pre tabindex="0" class="highlight"><code class="language-sh">rmsite build</code></pre>' in html
    assert html.count("<ol>") == 1
    assert "<li>A saying:<blockquote>\n<p>Listen first.</p>\n</blockquote>" in html_of("- A saying:\n  > Listen first.\n")


def test_bare_addresses_become_links():
    html = html_of("Book at https://rooms.example.com/book, or see www.example.com.\n")
    assert '<a href="https://rooms.example.com/book">https://rooms.example.com/book</a>,' in html
    assert '<a href="http://www.example.com">www.example.com</a>.' in html


def test_bare_addresses_in_code_and_links_are_left_alone():
    assert html_of("`https://example.com`\n") == "<p><code>https://example.com</code></p>"
    assert html_of("[https://a.example](https://b.example)\n") == (
        '<p><a href="https://b.example">https://a.example</a></p>')


def test_no_autolink_is_a_script():
    for text in ("javascript:alert(1)\n", "see javascript:alert(document.cookie) now\n",
                 "www.javascript:alert(1)\n", "<javascript:alert(1)>\n", "JAVASCRIPT://x%0aalert(1)\n"):
        hrefs = re.findall(r'href="([^"]*)"', html_of(text))
        assert not any(html.unescape(h).strip().lower().startswith("javascript:") for h in hrefs), text


def test_email_addresses_become_mailto_links():
    for text in ("Write to <mentoring@example.org>.\n", "Write to mentoring@example.org.\n"):
        out = html_of(text)
        assert html.unescape(re.search(r'href="([^"]*)"', out).group(1)) == "mailto:mentoring@example.org"
        assert "mentoring@example.org" in html.unescape(out)


def test_strikethrough_with_one_or_two_tildes():
    assert html_of("~~Tuesday~~ Wednesday\n") == "<p><del>Tuesday</del> Wednesday</p>"
    assert html_of("~Tuesday~ Wednesday\n") == "<p><del>Tuesday</del> Wednesday</p>"
    assert html_of("about ~ 30 minutes, 2~3\n") == "<p>about ~ 30 minutes, 2~3</p>"
    assert html_of("\\~kept~ ~~~three~~~\n") == "<p>~kept~ ~~~three~~~</p>"


def test_a_backslash_escapes_any_ascii_punctuation():
    assert html_of("\\$5 \\<b\\> \\@ \\a\n") == "<p>$5 &lt;b&gt; @ \\a</p>"


def test_lists_numbered_with_a_parenthesis():
    assert html_of("1) one\n2) two\n") == "<ol>\n<li>one</li>\n<li>two</li>\n</ol>"
    assert html_of("3) three\n") == '<ol start="3">\n<li>three</li>\n</ol>'
    assert html_of("1. one\n1) another\n").count("<ol>") == 2


def test_a_backslash_at_the_end_of_a_line_breaks_it():
    assert html_of("Ada Lovelace\\\nMentor\n") == "<p>Ada Lovelace<br>\nMentor</p>"
    assert html_of("Ada  \nMentor\n") == "<p>Ada<br>\nMentor</p>"
    assert html_of("A\\\\\nB\n") == "<p>A\\\nB</p>"  # an escaped backslash, then a plain line end


def test_a_table_or_a_fence_right_after_a_line_of_text_ends_the_paragraph():
    assert html_of("The plan:\n| a | b |\n|---|---|\n| 1 | 2 |\n").startswith("<p>The plan:</p>\n<table>")
    assert html_of("Run:\n```sh\nrmsite check\n```\nThen look.\n") == (
        '<p>Run:</p>\n<pre tabindex="0" class="highlight"><code class="language-sh">rmsite check</code></pre>\n<p>Then look.</p>')


def test_quotes_with_a_blank_line_between_are_two_quotes():
    assert html_of("> one\n\n> two\n").count("<blockquote>") == 2
    assert html_of("> one\n>\n> two\n").count("<blockquote>") == 1


def test_a_hash_needs_a_space_to_make_a_heading():
    assert html_of("#mentoring\n") == "<p>#mentoring</p>"


@pytest.mark.parametrize(("source", "expected"), [
    ("- a\n  - b\n    - c\n- d", "- a\n    - b\n        - c\n- d"),
    ("1. a\n   - b\n\n   more\n2. c", "1. a\n    - b\n\n    more\n\n2. c"),
    ("- a\n\n  para\n- b", "- a\n\n    para\n\n- b"),  # the blank line ends Python-Markdown's indented block
    ("- a\nlazy\n- b", "- a\nlazy\n- b"),
    ("text\n\n    code\n    - not an item", "text\n\n    code\n    - not an item"),
    ("```\n- x\n  - y\n```", "```\n- x\n  - y\n```"),
    ("- a\n  ```\n  - x\n  ```", "- a\n```\n- x\n```"),
    ("* * *\n- a", "* * *\n- a"),
])
def test_reindent(source, expected):
    from rmsite.site.markdown_gfm import reindent

    assert "\n".join(reindent(source.split("\n"))) == expected
