"""The guides sidebar on a phone and on a wide screen: after the guide's text on a
phone (so the guide is what a reader sees first), beside it on a wide screen."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("width, below", [(390, True), (1280, False)])
def test_the_sidebar_comes_after_the_guide_on_a_phone_and_beside_it_on_a_wide_screen(chromium, site_url,
                                                                                      width, below):
    base, _ = site_url
    context = chromium.new_context(viewport={"width": width, "height": 800})
    try:
        page = context.new_page()
        page.goto(base + "for-mentors/first-meeting/")
        sidebar = page.locator("nav.sidebar").bounding_box()
        text = page.locator("article.guide h1").bounding_box()
        assert sidebar is not None and text is not None
        if below:
            assert sidebar["y"] > text["y"] + text["height"]
        else:
            assert sidebar["x"] + sidebar["width"] <= text["x"] and sidebar["y"] < text["y"] + text["height"]
    finally:
        context.close()
