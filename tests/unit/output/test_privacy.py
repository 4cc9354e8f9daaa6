"""The leak guard: a template that prints a private field fails the build, at the field."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from rmsite.cli import main


def run(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def add_template(site: Path, name: str, text: str) -> None:
    (site / "templates").mkdir(exist_ok=True)
    (site / "templates" / name).write_text(text)


def test_a_guide_quoting_an_email_fails_the_build_at_the_guide(example: Path, tmp_path: Path):
    # person views carry no email unless published, so a value reaches a page through what
    # the programme's own files say: here a guide that quotes someone's address, in capitals
    import yaml
    cohort = yaml.safe_load((example / "cohorts/2026-autumn.yml").read_text())
    email = cohort["people"][0]["email"]
    (example / "content/contacts.md").write_text(f"---\ntitle: Contacts\n---\nWrite to {email.upper()}.\n")
    out = tmp_path / "out"
    result = run("build", "-s", str(example), "-o", str(out))
    assert result.exit_code == 1
    assert "error: private field 'email' of person" in result.output
    assert "appears in the output file contacts/index.html" in result.output
    assert result.output.startswith("content/contacts.md:4:10: error:")  # where the guide has it
    assert result.output.count("error:") == 1  # not again for the search index
    assert email not in result.output and not out.exists()


def test_escaped_forms_of_notes_are_caught(example: Path, tmp_path: Path):
    import yaml
    cohort = example / "cohorts/2026-pilot.yml"
    data = yaml.safe_load(cohort.read_text())
    data["pairs"][0]["sessions"][0]["notes"] = "Spoke about <Q3> & the reorg"
    cohort.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True))
    (example / "content/leak.md").write_text("---\ntitle: Leak\n---\nSpoke about &lt;Q3&gt; &amp; the reorg\n")
    result = run("build", "-s", str(example), "-o", str(tmp_path / "out"))
    assert result.exit_code == 1
    assert "private field 'notes'" in result.output


def test_published_fields_may_appear(example: Path, tmp_path: Path):
    site = example / "site.yml"
    site.write_text(site.read_text().replace("publish: []", "publish: [email, phone]"))
    result = run("build", "-s", str(example), "-o", str(tmp_path / "out"))
    assert result.exit_code == 0, result.output
    assert "mailto:" in (tmp_path / "out/cohorts/2026-autumn").joinpath(
        next(p.name for p in (tmp_path / "out/cohorts/2026-autumn").iterdir() if p.is_dir()), "index.html").read_text()


def test_a_value_escaped_by_a_template_is_caught(tmp_path: Path):
    # Jinja writes ' as &#39; and " as &#34;, unlike Python's html.escape
    from minimal import COHORT_YML, OTHER_MD, minimal_site
    notes = "        notes: \"Don't share the \\\"reorg\\\"\"\n"
    site = minimal_site(tmp_path / "site",
                        cohorts__q1_yml=COHORT_YML.replace("      - date: 2027-02-01\n",
                                                           "      - date: 2027-02-01\n" + notes),
                        content__other_md=OTHER_MD.replace("title: Other", "title: 'Don''t share the \"reorg\"'"))
    result = run("build", "-s", str(site), "-o", str(tmp_path / "out"))
    assert result.exit_code == 1
    assert ("content/other.md:1:1: error: private field 'notes' of a session of pair 'ana-boris' on 2027-02-01 "
            "(cohorts/q1.yml:38) appears in the output file other/index.html") in result.output


def test_every_file_that_reads_as_text_is_checked_whatever_its_name(tmp_path):
    from rmsite.core.problems import Loc
    from rmsite.model.programme import PrivateValue
    from rmsite.output.privacy import LeakGuard
    value = PrivateValue("email", "ana.lima@example.org", Loc("cohorts/q1.yml", 10, 12), "person 'ana'")
    files = {"CNAME": b"ana.lima@example.org\n", "app.webmanifest": b'{"x": "ANA.LIMA@example.org"}',
             "people.vcf": "EMAIL:ana.lima@example.org".encode("utf-16"), "photo.png": b"\x89PNG\r\n\x1a\nana.lima@example.org\xff"}
    for name, data in files.items():
        (tmp_path / name).write_bytes(data)
    found = LeakGuard([value]).check_files((name, tmp_path / name) for name in files)
    assert sorted(p.message.split("output file ")[1].split(";")[0] for p in found) == [
        "CNAME", "app.webmanifest", "people.vcf"]  # an image is not read as text


def test_a_find_is_placed_at_its_line_and_column():
    from rmsite.output.privacy import place
    text = "---\ntitle: T\n---\nSay hi to\nAna.Lima@example.org today\n"
    assert place(text, "ana.lima@example.org") == (5, 1)  # as it is, whatever its case
    assert place("a\nwrite to ana.lima&#64;example.org\n", "ana.lima@example.org") == (2, 10)  # normalised
    assert place("x\nBoris interrupts a lot,\nplease listen\n", "Boris interrupts a lot, please listen") == (2, 1)
    assert place("nothing here\n", "ana.lima@example.org") == (1, 1)


def test_values_the_theme_says_have_no_forms_and_short_ones_are_whole_words():
    from rmsite.output.privacy import WORD, _forms, theme_says
    assert theme_says("meetings") and theme_says("on track") and not theme_says("grumpy")
    assert _forms("Meetings") == _forms("Better") == frozenset()
    assert _forms("Grumpy") == frozenset({WORD + "grumpy"})
    assert "boris interrupts a lot" in _forms("Boris interrupts a lot")


def test_a_value_is_found_whatever_the_case_of_its_letters_accented_or_not():
    from rmsite.core.problems import Loc
    from rmsite.model.programme import PrivateValue
    from rmsite.output.privacy import LeakGuard
    notes = PrivateValue("notes", "Élodie prefers Zoë's plan", Loc("cohorts/q1.yml", 40, 16), "a session")
    short = PrivateValue("comment", "Grumpy", Loc("cohorts/q1.yml", 50, 18), "a check-in")
    guard = LeakGuard([notes, short])
    for page in ("<p>Élodie prefers Zoë's plan</p>", "<p>ÉLODIE PREFERS ZOË'S PLAN</p>",
                 "<p>élodie prefers zoë&#39;s plan</p>", '{"n": "\\u00c9lodie prefers Zo\\u00eb\'s plan"}'):
        assert list(guard.found(page)) == ["cohorts/q1.yml:40:16:notes"], page
    assert guard.found("<p>Élodie prefers Zoe's plan</p>") == {}  # another text
    assert list(guard.found("<p>Very GRUMPY today</p>", normalised=True)) == ["cohorts/q1.yml:50:18:comment"]
    assert guard.found("<p>Grumpyness</p>", normalised=True) == {}  # a whole word only
    assert guard.found("<p>Very grumpy today</p>") == {}  # short values: the programme's own text only
    greek = LeakGuard([PrivateValue("email", "Ζωή Ρίζου", Loc("cohorts/q1.yml", 9, 12), "person 'zoi'")])
    for page in ("Ζωή Ρίζου", "ΖΩΉ ΡΊΖΟΥ", "ζωή ρίζου"):  # no ASCII to look for: as written, in capitals
        assert list(greek.found(f"<td>{page}</td>")) == ["cohorts/q1.yml:9:12:email"], page
