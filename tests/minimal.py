"""A small valid programme, written as text so tests can change one line."""

from __future__ import annotations

from pathlib import Path

from rmsite.pipeline.check import load_site
from rmsite.pipeline.options import Loaded, Options

from conftest import write_files

SITE_YML = """
title: Test programme
as_of: 2027-02-20
programme:
  objectives:
    - id: adoption
      title: Leaders use the new tools
      measure: leaders using the tools weekly
      target: 10
      due: 2027-06-30
  expectations:
    - id: ground-rules
      text: Agree ground rules
      due_week: 1
    - id: learning-plan
      text: Write a learning plan
      due_week: 4
"""

COHORT_YML = """
name: Spring 2027
starts: 2027-01-04
ends: 2027-06-25
objectives: [adoption]
people:
  - id: ana
    name: Ana Lima
    level: 1
    team: Support
    offers: [Data tools, Customer voice]
    hours_per_month: 4
  - id: boris
    name: Boris Petrov
    level: 5
    team: Finance
    wants: [data tools]
    hours_per_month: 4
pairs:
  - mentor: ana
    mentee: boris
    focus: [Data  Tools]
    approved_by: [Coordinator, Head of People]
    done:
      ground-rules: 2027-01-08
    goals:
      - id: first-report
        title: Build a first report
        measure: reports built
        target: 4
        due: 2027-03-31
        progress:
          - {date: 2027-01-20, value: 1}
          - {date: 2027-02-10, value: 2}
    sessions:
      - date: 2027-01-04
      - date: 2027-01-18
      - date: 2027-02-01
    check_ins:
      - {stage: before, date: 2027-01-04, scores: {confidence: 2}}
      - {stage: after, date: 2027-02-15, scores: {confidence: 4}}
"""

GUIDE_MD = """
---
title: Pairing
order: 1
---
# Pairing

## Choosing pairs

See [ground rules](other.md#ground-rules).
"""

OTHER_MD = """
---
title: Other
order: 2
---
## Ground rules

Be kind.
"""


def minimal_site(root: Path, **overrides: str) -> Path:
    """Write the minimal site; keyword arguments replace files by relative path
    (use '__' for '/' and '_' for '.': cohorts__q1_yml)."""
    files = {"site.yml": SITE_YML, "cohorts/q1.yml": COHORT_YML,
             "content/pairing.md": GUIDE_MD, "content/other.md": OTHER_MD}
    for key, text in overrides.items():
        files[key.replace("__", "/").replace("_yml", ".yml").replace("_md", ".md")] = text
    return write_files(root, files)


def check(root: Path, **options) -> Loaded:
    return load_site(Options(source=root, **options))


def messages(loaded: Loaded) -> list[str]:
    return [p.format() for p in loaded.problems]
