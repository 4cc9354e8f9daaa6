"""Property-based tests (hypothesis), with a bounded budget:

- any valid programme builds, and its progress.json agrees with the format's
  definitions, recomputed here independently of rmsite.model.figures;
- any mutation of a valid file (a character deleted or inserted, lines
  swapped, a value of another type, a key repeated, …) either builds or fails
  with located problems; it never raises."""

from __future__ import annotations

import datetime as dt
import json
import re
import tempfile
from pathlib import Path
from typing import Any

import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from rmsite.pipeline.build import build
from rmsite.pipeline.check import load_site
from rmsite.pipeline.options import Options
from rmsite.source import yaml_marks as yamlmarks
from rmsite.source.yaml_marks import parse_yaml

from minimal import minimal_site
from mutations import BUDGET, mutations

LOCATED = re.compile(r"^[^:]+:\d+:\d+: (error|warning): ")
CADENCES = ("weekly", "fortnightly", "monthly")
SCORES = ("confidence", "relationship", "trust")

# --- generating valid programmes ----------------------------------------------

dates = st.dates(dt.date(2020, 1, 1), dt.date(2030, 12, 31))
# text of any script, but no control characters: an escape that makes one is an error (tests/corpus)
names = st.text(st.characters(exclude_categories=("Cc", "Cs")), min_size=1, max_size=20).filter(
    lambda s: s.strip() != "")
numbers = st.one_of(st.integers(-1000, 1000), st.floats(-1e6, 1e6, allow_nan=False, allow_infinity=False))


def later(day: dt.date, low: int, high: int) -> st.SearchStrategy[dt.date]:
    return st.integers(low, high).map(lambda n: day + dt.timedelta(days=n))


@st.composite
def expectation_items(draw: Any, prefix: str, allow_due: bool, starts: dt.date | None = None) -> list[dict]:
    items = []
    for index in range(draw(st.integers(0, 3))):
        item: dict[str, Any] = {"id": f"{prefix}{index}", "text": draw(names)}
        kind = draw(st.sampled_from(["none", "week", "date"] if allow_due else ["none", "week"]))
        if kind == "week":
            item["due_week"] = draw(st.integers(0, 30))
        elif kind == "date":
            item["due"] = draw(later(starts, -20, 250))
        items.append(item)
    return items


@st.composite
def goals(draw: Any, starts: dt.date, ends: dt.date) -> list[dict]:
    found = []
    for index in range(draw(st.integers(0, 3))):
        given_baseline = draw(st.booleans())
        baseline, target = (draw(numbers) if given_baseline else 0), draw(numbers)
        if target == baseline:
            target = baseline + 1
        progress = []
        day = draw(later(starts, -10, 30))
        for _ in range(draw(st.integers(0, 4))):
            progress.append({"date": day, "value": draw(numbers)})
            day = draw(later(day, 0, 40))
        goal = {"id": f"g{index}", "title": draw(names), "measure": "things", "target": target,
                "due": draw(later(starts, -5, (ends - starts).days + 30)), "progress": progress}
        if given_baseline:
            goal["baseline"] = baseline
        found.append(goal)
    return found


@st.composite
def programmes(draw: Any) -> tuple[dict, dict]:
    """(site.yml, one cohort file) as data: valid, possibly with warnings."""
    starts = draw(dates)
    ends = draw(later(starts, 1, 400))
    as_of = draw(later(starts, -30, (ends - starts).days + 60))
    site = {"title": "Property programme", "as_of": as_of,
            "programme": {"expectations": draw(expectation_items("p", False))},
            "privacy": {"publish": draw(st.sampled_from([[], ["scores"]]))}}
    people = [{"id": f"u{i}", "name": draw(names), "level": draw(st.integers(1, 9))}
              for i in range(draw(st.integers(2, 6)))]
    candidates = [(a["id"], b["id"]) for a in people for b in people if a["level"] < b["level"]]
    chosen = draw(st.lists(st.sampled_from(candidates), unique=True, max_size=4)) if candidates else []
    pairs = []
    for mentor, mentee in chosen:
        pair: dict[str, Any] = {"mentor": mentor, "mentee": mentee, "approved_by": ["A", "B"]}
        if draw(st.booleans()):
            pair["cadence"] = draw(st.sampled_from(CADENCES))
        if draw(st.booleans()):
            pair["first_meeting"] = draw(later(starts, 0, 45))
        pair["expectations"] = draw(expectation_items("x", True, starts))
        pair["goals"] = draw(goals(starts, ends))
        pair["sessions"] = [{"date": d, "notes": f"private note {i} {draw(names)}"}
                            for i, d in enumerate(sorted(draw(st.lists(later(starts, 0, (ends - starts).days),
                                                                       max_size=8))))]
        status = draw(st.sampled_from(["active", "active", "paused", "ended", "proposed"]))
        if status != "active":
            pair["status"] = status
        if status in ("paused", "ended") or draw(st.booleans()):
            pair["status_date"] = draw(later(starts, -10, (ends - starts).days + 30))
        pair["check_ins"] = [{"stage": draw(st.sampled_from(["before", "during", "after"])),
                              "date": draw(later(starts, 0, (ends - starts).days)),
                              "scores": draw(st.dictionaries(st.sampled_from(SCORES), st.integers(1, 5))),
                              **({"by": by} if (by := draw(st.sampled_from([None, "mentor", "mentee"]))) else {})}
                             for _ in range(draw(st.integers(0, 4)))]
        pairs.append(pair)
    cohort = {"name": draw(names), "starts": starts, "ends": ends,
              "cadence": draw(st.sampled_from(CADENCES)), "session_minutes": draw(st.integers(15, 120)),
              "expectations": draw(expectation_items("c", False)), "people": people, "pairs": pairs}
    ids = [e["id"] for e in site["programme"]["expectations"] + cohort["expectations"]]
    for pair in pairs:
        own = ids + [e["id"] for e in pair["expectations"]]
        pair["done"] = {key: draw(later(starts, 0, 100)) for key in draw(st.lists(st.sampled_from(own), unique=True))
                        } if own else {}
    return site, cohort


# --- the format's definitions, written out again -------------------------------

def clamp(value: float) -> float:
    return max(0.0, min(1.0, value))


def planned_meetings(first: dt.date, cadence: str, until: dt.date) -> int:
    if cadence != "monthly":
        step = 7 if cadence == "weekly" else 14
        return 0 if until < first else (until - first).days // step + 1
    count, month = 0, 0
    while True:
        year, index = divmod(first.month - 1 + month, 12)
        try:
            day = dt.date(first.year + year, index + 1, first.day)
        except ValueError:  # this month has no such day: skipped
            month += 1
            continue
        if day > until:
            return count
        count += 1
        month += 1


def expected_pair(site: dict, cohort: dict, pair: dict, as_of: dt.date) -> dict:
    pair_status = pair.get("status", "active")
    if pair_status in ("paused", "ended"):  # measured at the day the status took effect, when earlier
        as_of = min(as_of, pair["status_date"])
    start = pair.get("first_meeting", cohort["starts"])
    cadence = pair.get("cadence", cohort["cadence"])
    planned = planned_meetings(start, cadence, min(as_of, cohort["ends"]))
    held = sum(1 for s in pair["sessions"] if s["date"] <= as_of)
    items = site["programme"]["expectations"] + cohort["expectations"] + pair["expectations"]
    overdue = []
    for item in items:
        due = item.get("due")
        if due is None and "due_week" in item:
            due = cohort["starts"] + dt.timedelta(days=7 * item["due_week"])
        if item["id"] not in pair["done"] and due is not None and due < as_of:
            overdue.append(item["id"])
    goal_rows = []
    for goal in pair["goals"]:
        baseline = goal.get("baseline", 0)
        values = [entry["value"] for entry in goal["progress"] if entry["date"] <= as_of]
        latest = values[-1] if values else baseline
        p = clamp((latest - baseline) / (goal["target"] - baseline))
        e = 1.0 if goal["due"] <= start else clamp((as_of - start).days / (goal["due"] - start).days)
        status = ("done" if p == 1 else "overdue" if as_of > goal["due"] else "on track" if p >= e - 0.10
                  else "at risk" if p >= e - 0.25 else "behind")
        goal_rows.append({"id": goal["id"], "progress": p, "expected": e, "status": status})
    def change_of(side: str | None) -> dict[str, float]:
        scores: dict[str, dict[str, list[int]]] = {"before": {}, "after": {}}
        for check_in in pair["check_ins"]:
            if side is None or check_in.get("by") == side:
                for name, score in check_in["scores"].items():
                    scores.get(check_in["stage"], {}).setdefault(name, []).append(score)
        return {name: sum(scores["after"][name]) / len(scores["after"][name]) - sum(values) / len(values)
                for name, values in scores["before"].items() if name in scores["after"]}
    row = {"id": f"{pair['mentor']}-{pair['mentee']}", "mentor": pair["mentor"], "mentee": pair["mentee"],
           "status": pair_status, **({"status_date": pair["status_date"].isoformat()} if "status_date" in pair else {}),
           "meetings": {"planned": planned, "held": held, "compliance": held / planned if planned else None},
           "checklist": {"done": len(pair["done"]), "total": len(items), "overdue": overdue},
           "goals": goal_rows}
    if "scores" in site["privacy"]["publish"]:  # a pair's changes are public only with its scores
        row["check_in_change"] = change_of(None)
        row["check_in_change_by"] = {side: change_of(side) for side in ("mentor", "mentee")}
    return row


def close(a: Any, b: Any) -> bool:
    """Equal, with floats compared to a relative 1e-9."""
    if isinstance(a, float) or isinstance(b, float):
        return a is not None and b is not None and abs(a - b) <= 1e-9 * max(1.0, abs(a), abs(b))
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(close(a[k], b[k]) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(map(close, a, b))
    return a == b


def write(root: Path, site: dict, cohort: dict) -> Path:
    dump = lambda data: yaml.safe_dump(data, sort_keys=False, allow_unicode=True)  # noqa: E731 (a one-line helper)
    return minimal_site(root, site_yml=dump(site), cohorts__q1_yml=dump(cohort))


@BUDGET
@given(programmes())
def test_any_valid_programme_builds_and_its_figures_follow_the_format(data: tuple[dict, dict]):
    site, cohort = data
    with tempfile.TemporaryDirectory() as tmp:
        root = write(Path(tmp) / "site", site, cohort)
        result = build(Options(source=root, output=Path(tmp) / "out"))
        assert result.written, [p.format() for p in result.problems]
        assert all(p.severity == "warning" for p in result.problems)
        progress = json.loads((Path(tmp) / "out/cohorts/q1/progress.json").read_text())
    assert progress["cohort"] == "q1" and progress["as_of"] == site["as_of"].isoformat()
    expected = [expected_pair(site, cohort, pair, site["as_of"]) for pair in cohort["pairs"]
                if pair.get("status") != "proposed"]  # a proposed pair is in no public figure
    assert close(progress["pairs"], expected), (progress["pairs"], expected)


# --- mutating valid files ---------------------------------------------------------

@settings(BUDGET, max_examples=150)
@given(mutations())
def test_a_mutated_file_builds_or_fails_with_located_problems(change: tuple[str, str]):
    rel, text = change
    with tempfile.TemporaryDirectory() as tmp:
        root = minimal_site(Path(tmp) / "site")
        (root / rel).write_bytes(text.encode("utf-8", "surrogatepass"))
        loaded = load_site(Options(source=root))
        problems = loaded.problems
        if loaded.programme is not None:  # it still checks: it must build too
            result = build(Options(source=root, output=Path(tmp) / "out"))
            problems = result.problems
            assert result.written or any(p.severity == "error" for p in problems)
    assert loaded.programme is not None or any(p.severity == "error" for p in problems)
    line_count = text.count("\n") + text.count("\r") + 2
    for problem in problems:
        assert LOCATED.match(problem.format()), problem.format()
        assert "\n" not in problem.format()
        assert problem.line >= 1 and problem.column >= 1
        if problem.path == rel:
            assert problem.line <= line_count, problem.format()


def composed(text: str) -> Any:
    """parse_yaml's result by the composer alone, without the one-pass reader of plain documents."""
    original = yamlmarks.plain_document
    yamlmarks.plain_document = lambda text, offset, depth=0: None
    try:
        return parse_yaml(text, "f.yml")
    finally:
        yamlmarks.plain_document = original


@settings(BUDGET, max_examples=300)
@given(mutations())
def test_the_one_pass_reader_and_the_composer_agree_on_every_plain_document(change: tuple[str, str]):
    rel, text = change
    if rel.endswith(".md"):
        text = text.split("---")[1] if text.count("---") >= 2 else text
    fast = yamlmarks.plain_document(text, 0)
    doc, problems = composed(text)
    if fast is None:
        return  # not plain: parse_yaml uses the composer
    assert not problems and doc is not None
    assert (fast[0], fast[1], fast[2]) == (doc.data, doc.value_marks, doc.key_marks)
    assert parse_yaml(text, "f.yml") == (doc, [])
