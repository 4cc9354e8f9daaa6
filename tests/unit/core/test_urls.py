"""Output paths as URLs: relative links, safe for any file name."""

from __future__ import annotations

import pytest

from rmsite.core.urls import absolute_url, page_url, relative_url, up_and_down_url


def test_links_between_pages_are_relative():
    assert relative_url("a/b/index.html", "a/c/index.html") == "../c/"
    assert relative_url("index.html", "index.html") == "./"
    assert relative_url("a/index.html", "index.html", fragment="top") == "../#top"


@pytest.mark.parametrize("name, url", [
    ("a#b", "a%23b/"), ("what?", "what%3F/"), ("two words", "two%20words/"), ("100%", "100%25/"),
    ('say "hi"', "say%20%22hi%22/"), ("café", "café/"),
])
def test_characters_that_would_end_or_change_a_url_are_percent_encoded(name: str, url: str):
    assert page_url(f"{name}/index.html") == url
    assert relative_url("index.html", f"{name}/index.html") == url


def test_a_name_that_looks_like_a_scheme_stays_a_path():
    for link in (relative_url("index.html", "javascript:alert(1)/index.html"),
                 up_and_down_url("index.html", "javascript:alert(1)/index.html")):
        assert link == "./javascript:alert(1)/"
    assert relative_url("x/index.html", "javascript:alert(1)/index.html") == "../javascript:alert(1)/"
    assert absolute_url("/mentoring/", "javascript:alert(1)/index.html") == "/mentoring/javascript:alert(1)/"
