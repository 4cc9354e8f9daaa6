"""The build's Jinja environment: templates compiled ahead, and each template's references
noted whenever it is parsed."""

from __future__ import annotations

from pathlib import Path

from rmsite.output.render import compile_templates, make_environment, template_text_key


def test_compiling_notes_each_templates_references_so_they_are_not_parsed_again(tmp_path: Path):
    (tmp_path / "guide.html").write_text('{% extends "theme/guide.html" %}{% block main %}{% include "own.html" %}'
                                         "{% endblock %}", encoding="utf-8")
    (tmp_path / "own.html").write_text("<p>own</p>", encoding="utf-8")
    env = make_environment(tmp_path)
    env.get_template("guide.html")
    source = (tmp_path / "guide.html").read_text(encoding="utf-8")
    assert env.references[template_text_key(source)] == ("own.html", "theme/guide.html")


def test_compile_templates_compiles_the_sites_and_the_themes_and_passes_over_a_broken_one(tmp_path: Path):
    (tmp_path / "guide.html").write_text('{% extends "theme/guide.html" %}', encoding="utf-8")
    (tmp_path / "broken.html").write_text("{% if %}", encoding="utf-8")
    (tmp_path / "notes.txt").write_text("{% if %}", encoding="utf-8")
    env = make_environment(tmp_path)
    compile_templates(env)
    assert env.compiled >= 10  # the theme's page templates, and the site's own guide.html
    before = env.compiled
    env.get_template("guide.html")
    env.get_template("home.html")
    assert env.compiled == before  # compiled already: Jinja's cache has them
    env.get_template("theme/guide.html")
    assert env.compiled == before  # what a site's template extends is compiled too
