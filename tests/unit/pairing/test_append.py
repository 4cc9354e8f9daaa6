"""Appending suggested pairs to a cohort file: every byte outside the new
block stays, the result validates, and unsafe edits are refused."""

from __future__ import annotations

import random
import shutil
from pathlib import Path

import pytest
import yaml

from rmsite.pairing.append import AppendError, append_pairs, pairs_block, write_pairs
from rmsite.pairing.suggest import SuggestedPair, suggest_pairs
from rmsite.pipeline.check import load_site
from rmsite.pipeline.options import Options

from conftest import SITES, write_files
from random_cohorts import random_cohort

MATCHING = SITES / "matching"
ANA_DORA = SuggestedPair("ana", "dora", ("data tools", "customer voice"), 23, "Support", "Finance", 2.17, 1.8, None)
BEN_EMIL = SuggestedPair("ben", "emil", ("ai: basics",), 10, "Sales", "Sales", 2.17, 0.8, 2.8)
NEW = (ANA_DORA, BEN_EMIL)


def inserted_block(old: str, new: str) -> str:
    """The one contiguous block `new` adds to `old`; fails if anything else changed."""
    start = 0
    while start < len(old) and old[start] == new[start]:
        start += 1
    added = len(new) - len(old)
    assert added > 0 and new[:start] == old[:start] and new[start + added:] == old[start:], \
        "bytes outside the appended block changed"
    return new[start:start + added]


def new_pairs(old: str, new: str) -> list[dict]:
    before, after = yaml.safe_load(old), yaml.safe_load(new)
    assert {k: v for k, v in after.items() if k != "pairs"} == {k: v for k, v in before.items() if k != "pairs"}
    assert after["pairs"][:len(before.get("pairs") or [])] == (before.get("pairs") or [])
    return after["pairs"][len(before.get("pairs") or []):]


ENTRIES = [{"mentor": "ana", "mentee": "dora", "focus": ["data tools", "customer voice"], "status": "proposed",
            "approved_by": []},
           {"mentor": "ben", "mentee": "emil", "focus": ["ai: basics"], "status": "proposed",
            "approved_by": []}]


def test_appending_keeps_every_other_byte_of_a_file_full_of_comments():
    old = (MATCHING / "cohorts" / "volunteers.yml").read_text(encoding="utf-8")
    new = append_pairs(old, NEW)
    block = inserted_block(old, new)
    assert new.index(block) == old.index("People]\n") + len("People]\n")  # right after the last pair
    assert block.startswith("  # suggested by rmsite match, score 23: 2 shared topics")
    assert "  - mentor: ana\n    mentee: dora\n    focus: [data tools, customer voice]\n    status: proposed\n    approved_by: []\n" in block
    assert "    focus: ['ai: basics']\n" in block
    assert new_pairs(old, new) == ENTRIES


def test_new_items_copy_the_indentation_of_the_last_pair():
    old = "name: x\npairs:\n-     mentor: a\n      mentee: b\n"
    block = inserted_block(old, append_pairs(old, (ANA_DORA,)))
    assert "-     mentor: ana\n      mentee: dora\n" in block and block.startswith("# suggested")


def test_a_missing_pairs_key_is_added_after_the_last_key_indented_like_people():
    old = "# top\nname: x\npeople:\n    - id: a\n      level: 1\nobjectives: [o]   # last key\n\n# the end"
    new = append_pairs(old, NEW)
    block = inserted_block(old, new)
    assert block.startswith("pairs:\n    # suggested") and "    - mentor: ana\n      mentee: dora\n" in block
    assert new.endswith("objectives: [o]   # last key\n" + block + "\n# the end")
    assert new_pairs(old, new) == ENTRIES


def test_a_file_without_a_final_line_break_gets_one_before_the_block():
    old = "name: x\npairs:\n  - {mentor: a, mentee: b}"
    new = append_pairs(old, NEW)
    assert inserted_block(old, new).startswith("\n  # suggested")
    assert new_pairs(old, new) == ENTRIES


def test_an_empty_flow_list_becomes_a_block_list_and_keeps_its_comment():
    old = "name: x\npeople:\n  - id: a\npairs: []   # none yet\nobjectives: []\n"
    new = append_pairs(old, NEW)
    assert new.startswith("name: x\npeople:\n  - id: a\npairs:   # none yet\n  # suggested")
    assert new.endswith("    approved_by: []\nobjectives: []\n")
    assert new_pairs(old, new) == ENTRIES


def test_a_flow_list_of_pairs_gets_flow_entries_in_place():
    old = "name: x\npairs: [ {mentor: a, mentee: b} ]  # flow\n"
    new = append_pairs(old, NEW)
    assert inserted_block(old, new) == (", {mentor: ana, mentee: dora, focus: [data tools, customer voice], "
                                        "status: proposed, approved_by: []}, {mentor: ben, mentee: emil, focus: ['ai: basics'], "
                                        "status: proposed, approved_by: []}")
    assert new_pairs(old, new) == ENTRIES


def test_windows_line_endings_and_a_byte_order_mark_are_kept(tmp_path: Path):
    file = tmp_path / "q1.yml"
    old = "\ufeff# c\r\nname: x\r\npairs:\r\n  - mentor: a\r\n    mentee: b   # c\r\n# end\r\n"
    file.write_bytes(old.encode("utf-8"))
    assert write_pairs(file, NEW)
    raw = file.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf# c\r\nname: x\r\npairs:\r\n  - mentor: a\r\n    mentee: b   # c\r\n  # sugg")
    assert raw.endswith(b"    approved_by: []\r\n# end\r\n") and b"\n" not in raw.replace(b"\r\n", b"")


def test_ids_that_yaml_would_read_as_numbers_are_quoted():
    pair = SuggestedPair("007", "yes", ("1.5",), 10, "", "", 2.17, None, None, id="007-yes-2")
    [entry] = new_pairs("name: x\n", append_pairs("name: x\n", (pair,)))
    assert entry == {"id": "007-yes-2", "mentor": "007", "mentee": "yes", "focus": ["1.5"], "status": "proposed",
                     "approved_by": []}


def test_an_edit_that_would_change_other_values_is_refused(tmp_path: Path):
    # the last item is an alias, whose marks point back at the anchor
    old = "name: x\npairs:\n  - &first {mentor: a, mentee: b}\n  - mentor: c\n    mentee: d\n  - *first\n"
    with pytest.raises(AppendError):
        append_pairs(old, NEW)
    file = tmp_path / "q1.yml"
    file.write_text(old, encoding="utf-8")
    with pytest.raises(AppendError):
        write_pairs(file, NEW)
    assert file.read_text(encoding="utf-8") == old and [p.name for p in tmp_path.iterdir()] == ["q1.yml"]


def test_a_top_level_that_is_not_a_block_mapping_is_refused():
    with pytest.raises(AppendError):
        append_pairs("{name: x, pairs: []}\n", NEW)


def test_nothing_to_add_leaves_the_file_untouched(tmp_path: Path):
    file = tmp_path / "q1.yml"
    file.write_text("name: x  # c\n", encoding="utf-8")
    stamp = file.stat().st_mtime_ns
    assert write_pairs(file, ()) is False
    assert file.read_text(encoding="utf-8") == "name: x  # c\n" and file.stat().st_mtime_ns == stamp


def test_writing_replaces_the_file_and_keeps_its_mode(tmp_path: Path):
    file = tmp_path / "q1.yml"
    file.write_text("name: x\n", encoding="utf-8")
    file.chmod(0o640)
    write_pairs(file, NEW)
    assert file.stat().st_mode & 0o777 == 0o640
    assert [p.name for p in tmp_path.iterdir()] == ["q1.yml"]


def test_the_pasteable_block_is_a_valid_pairs_list():
    assert yaml.safe_load("pairs:\n" + "\n".join(pairs_block(NEW))) == {"pairs": ENTRIES}


def warnings(site: Path) -> list[str]:
    loaded = load_site(Options(site))
    assert loaded.programme is not None, [p.format() for p in loaded.problems]
    return [p.format() for p in loaded.problems]


def test_after_writing_check_passes_with_only_the_sign_off_warnings(tmp_path: Path):
    site = tmp_path / "site"
    shutil.copytree(MATCHING, site)
    assert warnings(site) == []
    entry = load_site(Options(site)).programme.cohorts[0]
    suggestion = suggest_pairs(entry.cohort)
    assert write_pairs(site / entry.path, suggestion.pairs)
    assert [w.split(": ", 2)[2] for w in warnings(site)] == [
        f"pair '{pair.key}' is approved by 0 people; a pairing should be signed off by 2 (programme.approvals)"
        f" [approvals: {entry.id}/{pair.key}]" for pair in suggestion.pairs]


@pytest.mark.parametrize("seed", range(25))
def test_random_cohorts_written_back_gain_only_sign_off_warnings(tmp_path: Path, seed: int):
    rng = random.Random(9000 + seed)
    cohort = random_cohort(rng, rng.randint(2, 12))
    data = cohort.model_dump(exclude_none=True, exclude_defaults=True)
    data.update(starts=cohort.starts, ends=cohort.ends, people=[p.model_dump(exclude_none=True)
                                                                for p in cohort.people])
    text = "# generated\n" + yaml.safe_dump(data, sort_keys=bool(seed % 2), allow_unicode=True)
    site = write_files(tmp_path, {"site.yml": "title: T\nas_of: 2027-02-01\n", "cohorts/q1.yml": text})
    before = [w.split(": ", 2)[2] for w in warnings(site)]  # lines move, messages stay
    suggestion = suggest_pairs(load_site(Options(site)).programme.cohorts[0].cohort)
    assert write_pairs(site / "cohorts/q1.yml", suggestion.pairs) == bool(suggestion.pairs)
    after = [w.split(": ", 2)[2] for w in warnings(site)]
    assert sorted(after) == sorted(before + [
        f"pair '{pair.key}' is approved by 0 people; a pairing should be signed off by 2 (programme.approvals)"
        f" [approvals: q1/{pair.key}]" for pair in suggestion.pairs])
    assert suggest_pairs(load_site(Options(site)).programme.cohorts[0].cohort).pairs == ()


def test_writing_through_a_symbolic_link_changes_the_file_it_names_and_keeps_the_link(tmp_path: Path):
    import os
    real = tmp_path / "shared/q1.yml"
    real.parent.mkdir()
    real.write_text("name: x\n", encoding="utf-8")
    link = tmp_path / "q1.yml"
    os.symlink(real, link)
    assert write_pairs(link, NEW)
    assert link.is_symlink() and os.readlink(link) == str(real)
    assert "mentor: ana" in real.read_text() and sorted(p.name for p in real.parent.iterdir()) == ["q1.yml"]
