"""Generate a synthetic reverse-mentoring programme for benchmarking rmsite.

    python benchmarks/generate.py OUT_DIR --cohorts N --pairs N --guides N [--seed S] [--force]

The programme follows the input format (docs/format.md) with no errors and no
warnings, even under `rmsite check --strict`. The same arguments always give
byte-identical files: every choice comes from one seeded random generator and
nothing depends on the clock, the machine or hash order.

Layout: `site.yml`; `cohorts/cohort-NN.yml` with `--pairs` pairs each (two
people a pair); `content/index.md` plus `--guides` guides of about 1.5 KB,
twenty to a `content/section-NN/` folder, each cross-linking headings of
other guides.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import re
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path

GUIDES_PER_SECTION = 20
COHORT_SPACING_DAYS = 14
COHORT_WEEKS = 26
FIRST_START = dt.date(2026, 1, 5)  # a Monday
OWNED = ("site.yml", "cohorts", "content")  # what --force replaces

FIRST_NAMES = (
    "Aisha", "Ben", "Chloe", "Daniel", "Efua", "Farah", "George", "Hannah", "Imran", "Jade",
    "Kwame", "Laura", "Mei", "Nikhil", "Olivia", "Priya", "Quentin", "Rosa", "Samir", "Tomasz",
    "Uma", "Victor", "Wen", "Ximena", "Yusuf", "Zara", "Amara", "Bilal", "Caitlin", "Dev",
    "Elena", "Finn", "Grace", "Hugo", "Isla", "Jonah", "Kiran", "Leila", "Marcus", "Niamh",
)
LAST_NAMES = (
    "Abbott", "Begum", "Chen", "Doyle", "Evans", "Fernandes", "Green", "Hussain", "Iqbal", "Jones",
    "Kowalski", "Lloyd", "Mensah", "Nowak", "Okafor", "Patel", "Quinn", "Rahman", "Smith", "Thornton",
    "Usman", "Vance", "Walsh", "Xu", "Young", "Zielinski", "Adeyemi", "Brennan", "Costa", "Dunn",
    "Ellis", "Fraser", "Gill", "Hart", "Ingram", "Joshi", "Kerr", "Lam", "Murphy", "Nash",
)
TEAMS = ("Home Claims", "Motor Claims", "Finance", "Technology", "People", "Underwriting",
         "Broker Distribution", "Customer", "Risk", "Marketing", "Legal", "Data")
JUNIOR_TITLES = ("Customer Service Adviser", "Graduate Analyst", "Apprentice", "Trainee Underwriter",
                 "Junior Developer", "Claims Handler", "Data Analyst", "Marketing Assistant")
SENIOR_TITLES = ("Director", "Head of Department", "Chief Officer", "Senior Manager", "General Manager")
DIGITAL_TOPICS = (
    "social media", "customer messaging channels", "data visualisation", "hybrid working",
    "password managers", "phishing awareness", "generative ai", "inclusive language",
    "new joiner experience", "accessibility", "collaboration tools", "neurodiversity at work",
    "mobile apps", "spreadsheet automation", "video calls", "online communities",
)
LEADERSHIP_TOPICS = (
    "stakeholder management", "career planning", "board reporting", "budgeting",
    "presenting to senior audiences", "commercial negotiation", "leading change", "strategy",
)
COORDINATORS = ("Nadia Farouk, Talent and Development Lead", "Samuel Ortiz, Programme Coordinator")
MANAGER_ROLES = ("Team Manager", "Line Manager", "Head of Team")
GROUND_RULES = (
    "Confidential by default; we agree together before anything leaves the room.",
    "Sessions move only when one of us moves them, never an assistant.",
    "Feedback both ways in the last five minutes, every time.",
    "The mentor brings one real example from their week to every session.",
    "We say so when a session is not working, and change the format.",
)
OUTPUTS = (
    "Ground rules written down and shared", "A one-page learning plan", "Three ideas to try before next time",
    "A short list of questions for the team", "Notes on what customers ask most often",
    "A draft proposal for the leadership team", "A practice run of a new tool", "An agreed next step",
)
OBJECTIVES = (
    {"id": "digital-confidence", "title": "Raise senior leaders' confidence with everyday tools",
     "measure": "Share of senior leaders who rate their digital confidence 4 or 5 out of 5",
     "target": 80, "baseline": 35, "unit": "%", "owner": "Talent and Development Lead"},
    {"id": "ideas-adopted", "title": "Put early-career colleagues' ideas into practice",
     "measure": "Changes proposed within a pair and adopted by a senior leader's team",
     "target": 40, "baseline": 0, "unit": "changes", "owner": "Chief People Officer"},
    {"id": "tool-access-days", "title": "Get new joiners working from their first week",
     "measure": "Median working days until a new joiner can use every system their role needs",
     "target": 5, "baseline": 12, "unit": "working days", "owner": "Chief Operating Officer"},
)
EXPECTATIONS = (
    {"id": "ground-rules", "text": "Agree your ground rules and write them down.", "due_week": 1},
    {"id": "learning-plan", "text": "Write a one-page learning plan with two measurable goals.", "due_week": 2},
    {"id": "reverse-shadow", "text": "The mentee spends half a day with the mentor's team.", "due_week": 8},
    {"id": "midpoint-review", "text": "Hold the mid-point check-in and adjust the plan.", "due_week": 12},
    {"id": "close-out", "text": "Hold the close-out review with a final check-in.", "due_week": 25},
)
GOAL_TITLES = {
    "digital-confidence": ("Use the team's messaging tool every day", "Publish posts without help",
                           "Run a meeting from the live dashboard", "Keep every password in the manager"),
    "ideas-adopted": ("Adopt ideas from the front line", "Change one team process",
                      "Try a new way of running the team meeting"),
    "tool-access-days": ("Shorten the wait for new joiners' systems", "Fix the first-week checklist"),
}
COHORT_EXPECTATION = {"id": "showcase", "text": "Share one change at the cohort showcase.", "due_week": 24}
# (cadence, session minutes): 2.2, 3.25 and 1.5 hours a month, within the 4 each person gives.
CADENCES = (("fortnightly", 60), ("weekly", 45), ("monthly", 90))

GUIDE_WORDS = (
    "meetings", "feedback", "goals", "listening", "questions", "trust", "notes", "agendas",
    "pairing", "checklists", "progress", "shadowing", "confidence", "habits", "tools", "reviews",
)
HEADINGS = (
    "Before you start", "Why it matters", "What good looks like", "Common questions", "A plan for the hour",
    "Useful tools", "Next steps", "Things to avoid", "Working with your pair", "Keeping momentum",
    "Measuring progress", "When things go wrong", "Ideas to try", "Preparing together", "Looking back",
    "Sharing what you learned", "Setting the agenda", "Giving feedback", "Agreeing goals", "Closing the loop",
)
SENTENCES = (
    "Reverse mentoring works best when both people arrive with a real example from their week.",
    "Write down what you agreed before you leave the room, even if it is only three lines.",
    "The mentor is the more junior colleague, and that is the point of the programme.",
    "Senior mentees learn fastest when they try the tool themselves instead of watching.",
    "Keep the meeting series in both calendars and move a session rather than cancel it.",
    "A short check-in at the start of each session helps you notice when the plan needs to change.",
    "Measurable goals make the close-out review much easier for everyone involved.",
    "Coordinators can help when a pair struggles to find time, so ask them early.",
    "Feedback in both directions keeps the relationship honest and useful.",
    "Small changes that a team actually adopts are worth more than a long list of ideas.",
    "Confidentiality is the default; agree together before anything leaves the room.",
    "Look back at the learning plan every few weeks and cross off what is done.",
)
# Private fields (session notes and feedback, check-in comments) get text of their own: rmsite refuses
# to build a site where an unpublished private value appears anywhere in the output.
PRIVATE_NOTES = (
    "The mentee's diary moved this session twice; we agreed to book the rest today.",
    "Talked through a hard conversation with a line manager, kept between the two of us.",
    "The mentor was nervous before presenting to the board and asked to rehearse next time.",
    "The mentee admitted they had never opened the team chat tool before this week.",
    "Ran out of time; the second topic moves to the next session.",
)
PRIVATE_FEEDBACK_TO_MENTOR = (
    "Your real examples made the topic click for me in a way reports never do.",
    "Slow down a little when you demonstrate; I lose the thread when the screens change fast.",
    "I appreciated how frankly you described what the front line thinks of our decisions.",
)
PRIVATE_FEEDBACK_TO_MENTEE = (
    "You asked why instead of who, which made it safe to show the messy parts.",
    "Trying the tool yourself between sessions made a visible difference this time.",
    "Please protect the slot; two late changes in a row were hard to plan around.",
)
PRIVATE_COMMENTS = (
    "Both asked to keep the same slot after the cohort ends.",
    "The mentor feels more confident raising ideas in team meetings.",
    "Some frustration about cancelled sessions; the coordinator will follow up.",
)
TASKS = (
    "Book the whole meeting series", "Share your learning plan", "Agree the ground rules",
    "Prepare one real example", "Fill in the check-in survey", "Update your goal progress",
    "Ask for feedback", "Plan the reverse shadow day",
)
CODE_BLOCKS = (
    ("yaml", "focus: [data visualisation, hybrid working]\ncadence: fortnightly\nsession_minutes: 60"),
    ("text", "10 min  catch up\n30 min  the focus topic\n15 min  next steps\n 5 min  feedback both ways"),
    ("bash", "rmsite check --source .\nrmsite build --source . --output _site"),
)


@dataclass(frozen=True)
class Guide:
    """One guide's place in the site, fixed before any body is written so links can point at it."""

    index: int
    section: int
    title: str
    headings: tuple[str, ...]  # h2 and h3 texts, unique within the guide
    page_links: bool = False  # links to other guides in the built pages' form (`../guide-0082/`)

    @property
    def rel(self) -> str:
        """The guide's path under content/."""
        return f"section-{self.section:02d}/guide-{self.index:04d}.md"


def slug(text: str) -> str:
    """The anchor python-markdown's toc extension gives a simple heading."""
    text = re.sub(r"[^\w\s-]", "", text).strip().lower()
    return re.sub(r"[-\s]+", "-", text)


PLAIN = re.compile(r"[A-Za-z][A-Za-z0-9 _@.,;'()?/-]*")
RESERVED = frozenset({"y", "n", "yes", "no", "on", "off", "true", "false", "null"})
FLOW_WIDTH = 80


def scalar(value: object, in_flow: bool = False) -> str:
    """One YAML scalar: plain when that reads back as the same string, else single-quoted."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    text = str(value)
    plain = (PLAIN.fullmatch(text) is not None and text.lower() not in RESERVED
             and not text.endswith(" ") and not (in_flow and "," in text))
    return text if plain else "'" + text.replace("'", "''") + "'"


def is_scalar(value: object) -> bool:
    """True for what `scalar` writes."""
    return isinstance(value, (str, int, float, bool, dt.date))


def flow(value: object) -> str | None:
    """A short list of scalars or a map of numbers (scores) on one line, else None."""
    if isinstance(value, dict) and not value:
        return "{}"
    if isinstance(value, list) and all(is_scalar(v) for v in value):
        text = "[" + ", ".join(scalar(v, in_flow=True) for v in value) + "]"
    elif isinstance(value, dict) and value and all(isinstance(v, int) for v in value.values()):
        text = "{" + ", ".join(f"{scalar(k, True)}: {v}" for k, v in value.items()) + "}"
    else:
        return None
    return text if len(text) <= FLOW_WIDTH or not value else None


def emit(value: object, indent: int) -> list[str]:
    """Block YAML lines for a mapping or list, indented by `indent` spaces."""
    pad = " " * indent
    lines: list[str] = []
    if isinstance(value, dict):
        for key, item in value.items():
            inline = scalar(item) if is_scalar(item) else flow(item)
            if inline is not None:
                lines.append(f"{pad}{scalar(key)}: {inline}")
            else:
                lines.append(f"{pad}{scalar(key)}:")
                lines += emit(item, indent + 2)
    else:
        for item in value:  # type: ignore[attr-defined]  # a list of mappings by construction
            inline = scalar(item) if is_scalar(item) else flow(item)
            if inline is not None:
                lines.append(f"{pad}- {inline}")
            else:
                nested = emit(item, indent + 2)
                lines.append(f"{pad}- {nested[0][indent + 2:]}")
                lines += nested[1:]
    return lines


def dump_yaml(data: dict[str, object]) -> str:
    """Deterministic block YAML, keys in insertion order (PyYAML's emitter is too slow for big cohorts)."""
    return "\n".join(emit(data, 0)) + "\n"


# --- site.yml ------------------------------------------------------------------

def cohort_start(index: int) -> dt.date:
    """Cohorts start a fortnight apart, on Mondays."""
    return FIRST_START + dt.timedelta(days=COHORT_SPACING_DAYS * index)


def cohort_end(start: dt.date) -> dt.date:
    """Cohorts last six months."""
    return start + dt.timedelta(weeks=COHORT_WEEKS, days=-3)  # a Friday


def as_of_date(cohorts: int) -> dt.date:
    """Ten weeks into the last cohort: early cohorts have finished, late ones are under way."""
    return cohort_start(cohorts - 1) + dt.timedelta(weeks=10)


def site_config(cohorts: int) -> dict[str, object]:
    """site.yml: as_of, three objectives and the programme checklist."""
    as_of = as_of_date(cohorts)
    due = max(as_of, cohort_end(cohort_start(cohorts - 1)))
    objectives = [dict(o, due=due) for o in OBJECTIVES]
    return {
        "title": "Benchmark Reverse Mentoring Programme",
        "description": "A generated programme for measuring rmsite.",
        "organisation": "Example Mutual",
        "base_url": "/",
        "language": "en",
        "as_of": as_of,
        "privacy": {"publish": []},
        "programme": {"objectives": objectives, "expectations": [dict(e) for e in EXPECTATIONS]},
    }


# --- cohorts -------------------------------------------------------------------

def people_names(rng: random.Random, count: int) -> list[tuple[str, str]]:
    """(id, name) pairs, unique within a cohort."""
    combos = [(first, last) for first in FIRST_NAMES for last in LAST_NAMES]
    chosen = rng.sample(combos, min(count, len(combos)))
    while len(chosen) < count:  # more people than name combinations: number the extras
        first, last = combos[len(chosen) % len(combos)]
        chosen.append((first, f"{last} {len(chosen) // len(combos) + 1}"))
    return [(slug(f"{first} {last}"), f"{first} {last}") for first, last in chosen]


def person(rng: random.Random, pid: str, name: str, senior: bool,
           offers: list[str], wants: list[str]) -> dict[str, object]:
    """A mentor (level 1-2) or mentee (level 5-7) with four hours a month to give."""
    user = pid.replace("-", ".")
    team = rng.choice(TEAMS)
    return {
        "id": pid,
        "name": name,
        "title": rng.choice(SENIOR_TITLES if senior else JUNIOR_TITLES),
        "level": rng.randint(5, 7) if senior else rng.randint(1, 2),
        "team": team,
        "offers": offers,
        "wants": wants,
        "hours_per_month": 4,
        "email": f"{user}@example.org",
        "phone": f"07700 9{rng.randint(0, 99999):05d}",
        "bio": f"{name.split()[0]} works in {team} and joined the programme to "
               f"{'learn from early-career colleagues' if senior else 'share how work looks from the front line'}.",
    }


def meeting_dates(first: dt.date, cadence: str, until: dt.date) -> list[dt.date]:
    """The pair's meeting series from its first meeting up to `until`."""
    dates: list[dt.date] = []
    if cadence == "monthly":
        for step in range(12):
            month = first.month - 1 + step
            try:
                day = first.replace(year=first.year + month // 12, month=month % 12 + 1)
            except ValueError:  # no such day this month: skipped, as the format says
                continue
            if day > until:
                break
            dates.append(day)
        return dates
    step_days = 7 if cadence == "weekly" else 14
    day = first
    while day <= until:
        dates.append(day)
        day += dt.timedelta(days=step_days)
    return dates


def sessions(rng: random.Random, held: list[dt.date], focus: list[str]) -> list[dict[str, object]]:
    """One session on each date held, about the pair's focus."""
    out: list[dict[str, object]] = []
    for number, day in enumerate(held):
        topics = ["ground rules"] if number == 0 else []
        topics += rng.sample(focus, rng.randint(1, len(focus)))
        session: dict[str, object] = {"date": day, "topics": topics,
                                      "outputs": rng.sample(OUTPUTS, rng.randint(1, 2))}
        if rng.random() < 0.3:
            session["notes"] = rng.choice(PRIVATE_NOTES)
        if rng.random() < 0.2:
            session["feedback"] = {"to_mentor": rng.choice(PRIVATE_FEEDBACK_TO_MENTOR),
                                   "to_mentee": rng.choice(PRIVATE_FEEDBACK_TO_MENTEE)}
        out.append(session)
    return out


def goal(rng: random.Random, gid: str, objective: dict[str, object], start: dt.date, ends: dt.date,
         until: dt.date) -> dict[str, object]:
    """A goal linked to an objective, with ascending progress inside the cohort, up to `until`."""
    rising = float(objective["target"]) > float(objective["baseline"])  # as the objective moves
    baseline = rng.randint(0, 10) if rising else rng.randint(20, 30)
    target = baseline + rng.randint(4, 12) * (1 if rising else -1)
    progress = []
    day, value = start, baseline
    for _ in range(rng.randint(0, 3)):
        day += dt.timedelta(days=rng.randint(14, 35))
        if day > until:
            break
        value += (1 if rising else -1) * rng.randint(1, 3)
        entry: dict[str, object] = {"date": day, "value": value}
        if rng.random() < 0.4:
            entry["note"] = rng.choice(SENTENCES)
        progress.append(entry)
    data: dict[str, object] = {
        "id": gid,
        "title": rng.choice(GOAL_TITLES[str(objective["id"])]),
        "objective": objective["id"],
        "measure": str(objective["measure"]),
        "baseline": baseline,
        "target": target,
        "unit": str(objective["unit"]),
        "due": ends - dt.timedelta(days=rng.randint(0, 14)),
    }
    if progress:
        data["progress"] = progress
    return data


def check_ins(rng: random.Random, start: dt.date, ends: dt.date, until: dt.date) -> list[dict[str, object]]:
    """Before, during and after check-ins, as far as `until` reaches."""
    stages = (("before", start), ("during", start + (ends - start) // 2), ("after", ends))
    out: list[dict[str, object]] = []
    for stage, day in stages:
        if day > until:
            break
        scores = {name: rng.randint(1, 5) for name in ("confidence", "relationship", "usefulness")}
        entry: dict[str, object] = {"stage": stage, "date": day, "scores": scores}
        if rng.random() < 0.3:
            entry["comment"] = rng.choice(PRIVATE_COMMENTS)
        out.append(entry)
    return out


def done_items(rng: random.Random, start: dt.date, until: dt.date,
               extra: list[dict[str, object]]) -> dict[str, dt.date]:
    """Checklist items done so far: most of those already due, on or before as_of."""
    items = [(e["id"], start + dt.timedelta(weeks=int(e["due_week"])))
             for e in (*EXPECTATIONS, COHORT_EXPECTATION)]
    items += [(e["id"], e["due"]) for e in extra]
    done: dict[str, dt.date] = {}
    for item_id, due in items:
        if due <= until and rng.random() < 0.85:
            done[str(item_id)] = min(until, max(start, due - dt.timedelta(days=rng.randint(-7, 7))))
    return done


def pair(rng: random.Random, index: int, mentor: dict[str, object], mentee: dict[str, object],
         focus: list[str], start: dt.date, ends: dt.date, as_of: dt.date) -> dict[str, object]:
    """A pair with checklist, goals, sessions and check-ins up to as_of (or the cohort's end)."""
    cadence, minutes = rng.choice(CADENCES)
    late = index % 7 == 3  # a few pairs start a few weeks after the cohort
    first = start + dt.timedelta(weeks=rng.randint(1, 4)) if late else start
    until = min(as_of, ends)
    series = meeting_dates(first, cadence, until)
    held = [d for n, d in enumerate(series) if n == 0 or rng.random() < 0.85]
    extra = []
    if index % 5 == 0:
        extra.append({"id": "team-demo", "text": "Show the mentee's team one thing the pair changed.",
                      "due": start + dt.timedelta(weeks=rng.randint(6, 20))})
    data: dict[str, object] = {"mentor": mentor["id"], "mentee": mentee["id"], "focus": focus}
    if cadence != "fortnightly":
        data.update(cadence=cadence, session_minutes=minutes)
    if late:
        data["first_meeting"] = first
    data["approved_by"] = [rng.choice(COORDINATORS), f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}, "
                                                     f"{rng.choice(MANAGER_ROLES)}"]
    data["ground_rules"] = rng.sample(GROUND_RULES, 3)
    if extra:
        data["expectations"] = extra
    data["done"] = done_items(rng, first, until, extra)
    data["goals"] = [goal(rng, gid, objective, first, ends, until)
                     for gid, objective in zip(("first-goal", "second-goal"), rng.sample(OBJECTIVES, 2))]
    data["sessions"] = sessions(rng, held, focus)
    data["check_ins"] = check_ins(rng, first, ends, until)
    return data


def cohort(rng: random.Random, index: int, pairs: int, as_of: dt.date) -> dict[str, object]:
    """A cohort file: each pair has its own two people, whose offers and wants cover its focus."""
    start = cohort_start(index)
    ends = cohort_end(start)
    names = people_names(rng, 2 * pairs)
    people: list[dict[str, object]] = []
    pair_list: list[dict[str, object]] = []
    for number in range(pairs):
        digital = rng.sample(DIGITAL_TOPICS, 3)
        leadership = rng.sample(LEADERSHIP_TOPICS, 3)
        focus = digital[:2]
        mentor = person(rng, *names[2 * number], senior=False, offers=digital, wants=leadership[:2])
        mentee = person(rng, *names[2 * number + 1], senior=True, offers=leadership, wants=focus)
        people += [mentor, mentee]
        pair_list.append(pair(rng, number, mentor, mentee, focus, start, ends, as_of))
    return {
        "name": f"Cohort {index + 1} ({start:%B %Y})",
        "pilot": index == 0,
        "starts": start,
        "ends": ends,
        "cadence": "fortnightly",
        "session_minutes": 60,
        "objectives": [o["id"] for o in OBJECTIVES],
        "expectations": [dict(COHORT_EXPECTATION)],
        "people": people,
        "pairs": pair_list,
    }


# --- guides --------------------------------------------------------------------

def plan_guides(rng: random.Random, count: int, shape: str = "folders") -> list[Guide]:
    """Titles and headings of every guide, decided before any body is written."""
    guides = []
    per_section = count if shape == "one-folder" else GUIDES_PER_SECTION
    for index in range(1, count + 1):
        words = rng.sample(GUIDE_WORDS, 2)
        title = f"{words[0].capitalize()} and {words[1]}, part {index}"
        headings = tuple(rng.sample(HEADINGS, 5))
        guides.append(Guide(index, (index - 1) // per_section + 1, title, headings, shape == "one-folder"))
    return guides


def link(source: Guide, target: Guide, heading: str) -> str:
    """A relative link from one guide to a heading of another: to its Markdown file
    (`guide-0082.md`, `../section-05/guide-0082.md`), or with `page_links` to its built
    page, relative to the linking guide's page (`../guide-0082/`)."""
    file = target.rel.split("/")[1]
    if source.page_links:
        stem = file.removesuffix(".md")
        path = f"../{stem}/" if source.section == target.section else f"../../section-{target.section:02d}/{stem}/"
    else:
        path = file if source.section == target.section else f"../{target.rel}"
    return f"[{heading.lower()} in {target.title.split(',')[0].lower()}]({path}#{slug(heading)})"


def paragraph(rng: random.Random, sentences: int) -> str:
    """A paragraph of distinct sentences."""
    return " ".join(rng.sample(SENTENCES, sentences))


def link_targets(rng: random.Random, guide: Guide, guides: list[Guide], count: int = 3) -> list[Guide]:
    """Other guides to link to, chosen at random (none when the guide is alone)."""
    if len(guides) < 2:
        return []
    picks = (rng.randrange(len(guides) - 1) for _ in range(count))
    return [guides[i + 1] if i >= guide.index - 1 else guides[i] for i in picks]  # skip the guide itself


def guide_body(rng: random.Random, guide: Guide, guides: list[Guide]) -> str:
    """About 1.5 KB of Markdown: h2/h3 headings, lists, a task list, a table, code and links."""
    h = guide.headings
    targets = link_targets(rng, guide, guides)
    links = [link(guide, t, rng.choice(t.headings)) for t in targets]
    lang, code = rng.choice(CODE_BLOCKS)
    parts = [
        paragraph(rng, 2),
        f"## {h[0]}",
        paragraph(rng, 2),
        "\n".join(f"- {rng.choice(SENTENCES)}" for _ in range(3)),
        f"### {h[1]}",
        "\n".join(f"- [{'x' if rng.random() < 0.3 else ' '}] {task}" for task in rng.sample(TASKS, 3)),
        f"## {h[2]}",
        "| Week | What to do |\n|---|---|\n" + "\n".join(
            f"| {week} | {rng.choice(TASKS)} |" for week in sorted(rng.sample(range(1, 25), 3))),
        f"### {h[3]}",
        f"```{lang}\n{code}\n```",
        f"## {h[4]}",
        paragraph(rng, 1) + (" See also " + ", ".join(links) + "." if links else ""),
    ]
    return "\n\n".join(parts) + "\n"


def guide_file(rng: random.Random, guide: Guide, guides: list[Guide]) -> str:
    """A guide: front matter and body."""
    front = {
        "title": guide.title,
        "summary": f"Practical advice on {guide.title.split(',')[0].lower()} for reverse-mentoring pairs.",
        "order": guide.index,
        "audience": sorted(rng.sample(["mentors", "mentees", "coordinators"], rng.randint(1, 2))),
        "tags": rng.sample(GUIDE_WORDS, 2),
    }
    return f"---\n{dump_yaml(front)}---\n\n{guide_body(rng, guide, guides)}"


def home_page(guides: list[Guide]) -> str:
    """content/index.md, linking to the first guide of each section."""
    sections = sorted({g.section for g in guides})
    firsts = [next(g for g in guides if g.section == s) for s in sections]
    items = "\n".join(f"- [Section {g.section}]({g.rel})" for g in firsts)
    return ("---\ntitle: Welcome\nsummary: A generated programme for benchmarks.\n---\n\n"
            "This site was generated to measure how fast rmsite builds.\n\n"
            + (f"## Sections\n\n{items}\n" if items else ""))


# --- writing -------------------------------------------------------------------

SHAPES = ("folders", "one-folder")  # twenty guides a folder with links to .md files; or all in one, linking pages


def programme_files(cohorts: int, pairs: int, guides: int, seed: int, shape: str = "folders") -> dict[str, str]:
    """Every file of the programme, by path relative to the site folder."""
    rng = random.Random(seed)
    files = {"site.yml": "# Generated by benchmarks/generate.py\n" + dump_yaml(site_config(cohorts))}
    as_of = as_of_date(cohorts)
    for index in range(cohorts):
        files[f"cohorts/cohort-{index + 1:02d}.yml"] = dump_yaml(cohort(rng, index, pairs, as_of))
    planned = plan_guides(rng, guides, shape)
    for guide in planned:
        files[f"content/{guide.rel}"] = guide_file(rng, guide, planned)
    files["content/index.md"] = home_page(planned)
    return files


def prepare(out: Path, force: bool) -> None:
    """Refuse a non-empty folder unless forced; when forced, clear what the generator owns."""
    if out.exists() and any(out.iterdir()):
        if not force:
            raise SystemExit(f"generate.py: {out} is not empty; use --force to replace its "
                             f"{', '.join(OWNED)}")
        for name in OWNED:
            target = out / name
            if target.is_dir():
                shutil.rmtree(target)
            elif target.exists():
                target.unlink()
    out.mkdir(parents=True, exist_ok=True)


def generate(out: Path, cohorts: int, pairs: int, guides: int, seed: int = 1, force: bool = False,
             shape: str = "folders") -> int:
    """Write the programme into `out`; return the number of files written."""
    files = programme_files(cohorts, pairs, guides, seed, shape)
    prepare(out, force)
    for rel, text in files.items():
        path = out / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(text.encode("utf-8"))
    return len(files)


def positive(value: str) -> int:
    """An argparse type: an integer of at least 1."""
    number = int(value)
    if number < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return number


def programme_arguments(description: str, work: Path, runs: int = 3, guides: int | None = 500) -> argparse.ArgumentParser:
    """The options the benchmarks of one generated programme share: its size (--cohorts,
    --pairs and, unless `guides` is None, --guides), --runs and --work."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--cohorts", type=positive, default=20)
    parser.add_argument("--pairs", type=positive, default=100)
    if guides is not None:
        parser.add_argument("--guides", type=positive, default=guides)
    parser.add_argument("--runs", type=positive, default=runs)
    parser.add_argument("--work", type=Path, default=work)
    return parser


def generated(args: argparse.Namespace, name: str) -> Path:
    """The programme of programme_arguments' size in the work folder, generated when it is not there yet."""
    guides = getattr(args, "guides", 0)
    site = args.work / f"{name}-{args.cohorts}x{args.pairs}" if not guides else \
        args.work / f"{name}-{args.cohorts}x{args.pairs}-{guides}"
    if not site.exists():
        generate(site, args.cohorts, args.pairs, guides)
    return site


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    """The command-line options."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path, metavar="OUT_DIR", help="folder to write the programme into")
    parser.add_argument("--cohorts", type=positive, default=2, help="number of cohorts (default 2)")
    parser.add_argument("--pairs", type=positive, default=10, help="pairs per cohort (default 10)")
    parser.add_argument("--guides", type=int, default=100, help="number of guides (default 100)")
    parser.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    parser.add_argument("--shape", choices=SHAPES, default="folders",
                        help="folders: twenty guides a folder, linking each other's .md files (default); "
                             "one-folder: every guide in content/section-01/, linking each other's pages "
                             "as ../guide-0082/")
    parser.add_argument("--force", action="store_true",
                        help="write into a non-empty folder, replacing its site.yml, cohorts/ and content/")
    args = parser.parse_args(argv)
    if args.guides < 0:
        parser.error("--guides must be 0 or more")
    return args


def main(argv: list[str] | None = None) -> int:
    """Generate the programme the command line describes."""
    args = parse_args(argv)
    count = generate(args.out, args.cohorts, args.pairs, args.guides, args.seed, args.force, args.shape)
    print(f"wrote {count} files into {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
