"""Starting points: a new programme folder, a new cohort file, a new guide.

Never overwrites: every function refuses a file or folder that exists."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

from rmsite.model.schema import ID_PATTERN, json_schema
from rmsite.source.config import load_config
from rmsite.source.yaml_lines import quoted


class ScaffoldError(Exception):
    """Why a starting point could not be written (shown to the user as is)."""


SITE_YML = """\
# yaml-language-server: $schema=schemas/site.schema.json
# Programme settings. The line above gives editors completion and checks (refresh
# the schemas with `rmsite schema site > schemas/site.schema.json` after upgrading).
title: {title}
description: Early-career colleagues mentoring senior leaders, one conversation at a time.
organisation: ""
base_url: /
programme:
  objectives:
    - id: leaders-confident
      title: Senior leaders use the team's everyday digital tools with confidence
      measure: leaders who rate their confidence 4 or 5 out of 5
      baseline: 0
      target: 6
      unit: leaders
      due: {objective_due}
      rationale: Leaders who use the tools make better decisions about them.
      owner: Programme coordinator
  expectations:
    - id: ground-rules
      text: Agree and write down ground rules at the first meeting
      due_week: 1
    - id: learning-plan
      text: Write a one-page learning plan with one or two measurable goals
      due_week: 3
    - id: close-out
      text: Hold a close-out review with a final check-in
      due_week: 25
"""

COHORT_YML = """\
# yaml-language-server: $schema=../schemas/cohort.schema.json
# A cohort: its people, and the pairs they form. The file name is the cohort id.
name: {name}
pilot: {pilot}
starts: {starts}
ends: {ends}
cadence: fortnightly
session_minutes: 60
objectives: [leaders-confident]
people:
  - id: sam-mentor
    name: Sam Mentor
    title: Graduate Analyst
    level: 1
    team: Operations
    offers: [collaboration tools]
    hours_per_month: 4
  - id: alex-leader
    name: Alex Leader
    title: Director of Operations
    level: 6
    team: Leadership
    wants: [collaboration tools]
    hours_per_month: 4
pairs:{pairs}
"""

PAIR_YML = """
  - mentor: sam-mentor
    mentee: alex-leader
    focus: [collaboration tools]
    approved_by: [Programme coordinator, Head of People]
    ground_rules:
      - What we discuss stays between us unless we agree otherwise.
      - Either of us can move a meeting, with a day's notice.
    goals:
      - id: shared-notes
        title: Run team meetings from shared notes
        objective: leaders-confident
        measure: team meetings a month run from shared notes
        target: 4
        due: {goal_due}
"""

GUIDES = {
    "index.md": """\
---
title: Welcome
summary: What this reverse-mentoring programme is and how to take part.
---
In this programme, early-career colleagues mentor senior leaders: the mentor
teaches, the leader learns. Start with [how pairs work](how-pairs-work.md).
""",
    "how-pairs-work.md": """\
---
title: How pairs work
summary: Meeting rhythm, ground rules and what each meeting produces.
order: 1
audience: [mentors, mentees]
---
## Meeting rhythm

Pairs meet every two weeks for an hour. Each meeting ends with one agreed
output: a note, a change tried, or a question for next time.

## Ground rules

Agree them at the first meeting and write them on your pair's page.
""",
    "setting-goals.md": """\
---
title: Setting goals
summary: One or two measurable goals per pair, linked to the programme's objectives.
order: 2
audience: [mentors, mentees]
---
A good goal says what will be counted, from what to what, and by when.
See [how pairs work](how-pairs-work.md#ground-rules) for the first meeting.
""",
    "for-coordinators.md": """\
---
title: For coordinators
summary: Pairing people, signing pairs off and tracking check-ins.
order: 3
audience: [coordinators]
---
- [ ] Pair people whose offers match what the leader wants to learn
- [ ] Have two people approve each pair
- [ ] Record a check-in before, during and after the cohort
""",
}

GITIGNORE = "_site/\n.rmsite-cache/\n_private/\n"  # _private/: the coordinator's report (rmsite report)

README = """\
# {title}

This folder is a reverse-mentoring programme built with rmsite.

- `site.yml`: the programme's title, objectives and the checklist every pair starts with.
- `cohorts/`: one file per cohort, with its people and pairs. Add one with `rmsite new cohort ID`.
- `content/`: the guides, in Markdown. Add one with `rmsite new guide PATH`.

Edit these files, then run `rmsite serve` to preview with live reload, or
`rmsite build` to write the site into `_site/`. `rmsite check` lists every
problem with its file, line and column.
"""


def init_programme(folder: Path, today: dt.date) -> list[Path]:
    """Create a new programme folder that builds at once; refuses a non-empty folder."""
    if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        raise ScaffoldError(f"{folder} is not empty; rmsite init only writes into a new or empty folder")
    title = (folder.resolve().name.replace("-", " ").replace("_", " ").strip() or "Reverse mentoring").title()
    starts = today
    files = {
        "site.yml": SITE_YML.format(title=quoted(title), objective_due=starts + dt.timedelta(weeks=26)),
        f"cohorts/{starts.year}-first.yml": cohort_text(f"First cohort {starts.year}", starts, pilot=True,
                                                        with_pair=True),
        ".gitignore": GITIGNORE,
        "schemas/site.schema.json": json.dumps(json_schema("site"), indent=2, sort_keys=True) + "\n",
        "schemas/cohort.schema.json": json.dumps(json_schema("cohort"), indent=2, sort_keys=True) + "\n",
        "README.md": README.format(title=title),
        **{f"content/{name}": text for name, text in GUIDES.items()},
    }
    return [_write_new(folder / rel, text) for rel, text in files.items()]


def cohort_text(name: str, starts: dt.date, pilot: bool = False, with_pair: bool = False) -> str:
    ends = starts + dt.timedelta(weeks=25)
    pairs = PAIR_YML.format(goal_due=starts + dt.timedelta(weeks=20)) if with_pair else " []"
    return COHORT_YML.format(name=quoted(name), pilot=str(pilot).lower(), starts=starts, ends=ends, pairs=pairs)


NEW_COHORT_YML = """\
# yaml-language-server: $schema=../schemas/cohort.schema.json
# A cohort: its people and the pairs they form. The file name is the cohort's id.
# Fill it in part by part; `rmsite check` says what is missing or wrong, and where.
name: {name}
pilot: false             # true for a trial run: its pages say so
starts: {starts}
ends: {ends}
cadence: fortnightly     # how often pairs meet: weekly, fortnightly or monthly
session_minutes: 60      # how long a meeting lasts
objectives: []           # ids of the objectives in site.yml this cohort serves, e.g. [{objective}]

# One entry per volunteer, from the questionnaire (`rmsite import` reads a form's export):
#   - id: sam-okafor                 # lowercase letters, digits and hyphens
#     name: Sam Okafor
#     title: Claims Handler          # job title
#     level: 1                       # seniority; a mentor is more junior than their mentee
#     team: Motor Claims
#     offers: [customer messaging]   # what they can teach
#     wants: []                      # what they want to learn
#     hours_per_month: 4             # the time they can give
#     email: sam@example.org         # private: never on the site unless site.yml publishes it
people: []

# One entry per pair, once the people are in: `rmsite match {cohort_id}` suggests them.
#   - mentor: sam-okafor
#     mentee: alex-morgan
#     focus: [customer messaging]
#     approved_by: [{{name: Head of People, date: {starts}}}]
pairs: []
"""

NEW_GUIDE_MD = """\
---
title: {title}
summary: ""          # one line: shown under the title, in lists and in search results
# audience: [mentors, mentees, coordinators]
# order: 1           # place in the navigation, before guides with a higher number
---
Write the guide here, in Markdown. The title above is the page's heading:
start with text, and use `##` headings for its sections.
"""


def new_cohort(site: Path, cohort_id: str, today: dt.date) -> Path:
    """A cohort file to fill in, cohorts/<id>.yml, starting today: no people or pairs, each key with
    a comment, and commented examples of a person and a pair."""
    if not re.match(ID_PATTERN, cohort_id):
        raise ScaffoldError(f"'{cohort_id}' is not a valid cohort id: use lowercase letters, digits and hyphens")
    objective = _first_objective(site) or "an-objective-id"
    text = NEW_COHORT_YML.format(name=quoted(cohort_id.replace("-", " ").title()), starts=today,
                                 ends=today + dt.timedelta(weeks=25), objective=objective, cohort_id=cohort_id)
    return _write_new(site / "cohorts" / f"{cohort_id}.yml", text)


def _first_objective(site: Path) -> str | None:
    """The id of site.yml's first objective, for the comment that shows how to name one (none when
    site.yml does not check: `rmsite check` says why)."""
    config, _ = load_config(site)
    objectives = config.config.programme.objectives if config is not None else []
    return objectives[0].id if objectives else None


def new_guide(site: Path, path: str) -> Path:
    """A guide to fill in at content/<path>.md: its title in the front matter (pages show it as
    the heading, so the body does not repeat it) and the optional keys as comments."""
    rel = path.strip("/").removeprefix("content/")
    rel = rel if rel.endswith(".md") else rel + ".md"
    if ".." in Path(rel).parts or not rel[:-3]:
        raise ScaffoldError(f"'{path}' is not a guide path inside content/")
    title = Path(rel).stem.replace("-", " ").replace("_", " ").capitalize()
    return _write_new(site / "content" / rel, NEW_GUIDE_MD.format(title=quoted(title)))


def _write_new(file: Path, text: str) -> Path:
    if file.exists():
        raise ScaffoldError(f"{file} already exists; nothing was written")
    file.parent.mkdir(parents=True, exist_ok=True)
    with file.open("x", encoding="utf-8") as handle:
        handle.write(text)
    return file
