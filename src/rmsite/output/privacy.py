"""The leak guard: private values (contacts, notes, feedback, comments) that
site.yml does not publish must not appear in any output file, in any of the
forms a template or serializer could give them."""

from __future__ import annotations

import codecs
import functools
import html
import json
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import get_args
from urllib.parse import unquote

import ahocorasick_rs
import markupsafe

import rmsite.site
from rmsite.core.hashing import digest, text_hash
from rmsite.core.problems import Loc, Problem
from rmsite.model.programme import CohortFile, PrivateValue, Programme
from rmsite.model.schema import PrivateField
from rmsite.output.render import THEME_TEMPLATES

MIN_LENGTH = 6  # shorter values are never looked for: too many words and numbers are that short
WEAK_LENGTH = 8  # shorter values are looked for as whole words, in the programme's own text


PUBLISHABLE = frozenset(get_args(PrivateField))  # the private fields privacy.publish can name


def private_values(cohorts: tuple[CohortFile, ...], published: set[str]) -> Iterator[PrivateValue]:
    """Every private value of 6+ characters whose field is not published, cohort by cohort;
    a cohort's values that can be read again (from a build's spool) are dropped once listed."""
    for entry in cohorts:
        yield from (v for v in entry.private if v.field not in published and len(v.value.strip()) >= MIN_LENGTH)
        entry.private_values.forget()


def forget_forms() -> None:
    """Drop the forms remembered for the values seen (for a process that makes no other guard)."""
    _forms.cache_clear()


@functools.lru_cache(maxsize=100_000)  # a pure function; a preview rebuild meets the same values again
def _forms(value: str) -> frozenset[str]:
    """The value as it could appear in output: raw, HTML-escaped (as Python and as Jinja
    escape it), JSON-escaped; in lower case. A short value has one form: its normalised text, as
    a whole word. A value the theme itself says (a note that is just "Meetings", a comment
    "Better") has none: every site says it, so finding it would tell nothing about anyone."""
    text = value.strip()
    normal = normalise(text)
    if theme_says(normal):
        return frozenset()
    if len(text) < WEAK_LENGTH:
        return frozenset({WORD + normal} if len(normal) >= MIN_LENGTH else ())
    forms = {text, html.escape(text), html.escape(text, quote=False), str(markupsafe.escape(text)),
             json.dumps(text)[1:-1], json.dumps(text, ensure_ascii=False)[1:-1]}
    return frozenset({f.lower() for f in forms if f} | ({NORMAL + normal} if len(normal) >= MIN_LENGTH else set()))


NORMAL = "\x00"  # marks a form that is looked for in a file's normalised text
WORD = "\x01"  # a short value's form: a whole word of a file's normalised text
TAG = re.compile(r"<[^>]*>")
SPACE = re.compile(r"\s+")
BETWEEN_DIGITS = re.compile(r"(?<=\d)[ ().\-/]+(?=\d)")  # 07700 900-123 is 07700900123


ATTRIBUTE_VALUE = re.compile(r"""=\s*(?:"([^"]*)"|'([^']*)')""")


def normalise(text: str) -> str:
    """Text as a reader sees it, so that ordinary Markdown and HTML cannot hide a value: tags
    out, HTML entities and percent-escapes decoded, white space collapsed (line breaks,
    non-breaking spaces), case folded, and the spaces and dashes between digits dropped. The
    values of the tags' attributes (a link's address, a title) follow the text, each apart,
    so that a value is found in them, and in text that a link or a title runs through."""
    if "<" in text:
        moved: list[str] = []

        def attribute_values(tag: re.Match[str]) -> str:  # a callback per tag: for the programme's text only
            if "=" in tag[0]:
                moved.extend(double or single for double, single in ATTRIBUTE_VALUE.findall(tag[0]))
            return " "
        text = TAG.sub(attribute_values, text)
        if moved:
            text = f"{text} {' '.join(moved)}"
    if "&" in text:
        text = html.unescape(text)
    if "%" in text:
        text = unquote(text)
    return BETWEEN_DIGITS.sub("", SPACE.sub(" ", text).casefold())


JINJA = re.compile(r"\{([{%#])(.*?)[}%#]\}", re.S)
QUOTED = re.compile(r"""(?<![\w\\])(?:"([^"\\\n]*)"|'([^'\\\n]*)')""")
DOCSTRING = re.compile(r'"""(.*?)"""', re.S)


@functools.cache
def theme_text() -> str:
    """The built-in theme's own words, normalised: its templates' text and the strings
    they are given (labels such as "Meetings", "on track" or "lower is better"), from the
    templates and from the modules that make the pages' views."""
    parts: list[str] = []

    def strings(block: re.Match[str]) -> str:
        if block[1] != "#":
            parts.extend(double or single for double, single in QUOTED.findall(block[2]))
        return " "

    for template in sorted(THEME_TEMPLATES.glob("*.html")):
        parts.append(JINJA.sub(strings, template.read_text(encoding="utf-8")))
    for module in sorted(Path(rmsite.site.__file__).parent.glob("*.py")):
        code = DOCSTRING.sub(" ", module.read_text(encoding="utf-8"))
        parts.extend(double or single for double, single in QUOTED.findall(code))
    return " " + normalise("\n".join(parts)) + " "


@functools.lru_cache(maxsize=100_000)
def theme_says(normal: str) -> bool:
    """Whether a normalised value is a word or phrase of the theme's own text (a substring
    search, then a look at each place's ends: a value is tried once, and most are not there)."""
    text = theme_text()
    at = text.find(normal) if normal else -1
    while at >= 0:
        if whole_word(text, at + len(normal) - 1, len(normal)):
            return True
        at = text.find(normal, at + 1)
    return False


def forms_fingerprint(forms: list[str]) -> str:
    """A hash of what a leak guard looks for (its sorted forms)."""
    return text_hash("\x00".join(forms))


class LeakGuard:
    """Looks for every form of every private value in one pass over a text (an
    Aho-Corasick automaton), so the cost grows with the output, not output × values.

    `values` may be a function that lists them, with `forms`, every form of them as
    an earlier guard had them (`forms`, kept in the build cache): the values are then
    listed only if a form is found, to say where it came from."""

    def __init__(self, values: Iterable[PrivateValue] | Callable[[], Iterable[PrivateValue]],
                 forms: Iterable[str] | None = None) -> None:
        if callable(values):
            self._values: Callable[[], Iterable[PrivateValue]] = values
        else:
            listed = tuple(values)
            self._values = lambda: listed
        self._by_form: dict[str, list[PrivateValue]] | None = None  # listed only to report a find
        self.forms = sorted({form for value in self._values() for form in _forms(value.value)}
                            if forms is None else forms)
        self.raw = RawFinder([form for form in self.forms if not form.startswith((NORMAL, WORD))])
        self.normal = Finder([(form[1:], form) for form in self.forms if form.startswith(NORMAL)])
        self.words = Finder([(form[1:], form) for form in self.forms if form.startswith(WORD)])
        self.fingerprint = forms_fingerprint(self.forms)
        self.root: Path | None = None  # the programme's folder, where a find's source file is read to locate it

    @property
    def by_form(self) -> dict[str, list[PrivateValue]]:
        """Each form, with the values that have it."""
        if self._by_form is None:
            self._by_form = {}
            for value in self._values():
                for form in _forms(value.value):
                    self._by_form.setdefault(form, []).append(value)
        return self._by_form

    def check_text(self, rel: str | None, text: str, normalised: bool = False, source: str | None = None,
                   skip: frozenset[str] = frozenset()) -> list[Problem]:
        """A problem, at the value's source, for each private value in the output file `rel`.
        With `normalised`, for text the programme's own files put there (a guide's HTML, a
        static file, a template of the programme's), also in its normalised form, which ordinary
        Markdown cannot hide a value from, and the short values as whole words; the theme's own
        markup (every page's navigation, the charts) is checked as it is, for the other values,
        which keeps the check's cost to the programme's own text. With `source`, the file that
        put the text there (a guide, a static file, a template), the problem is located there,
        at the value's line and column when `root` is set; with no `rel`, that file is the
        template of many output files. The values whose `key` is in `skip` are not reported
        (they were, at a guide or a template); a text held in several places (the same note
        in several sessions) is reported once, at the first of them."""
        problems = []
        groups: dict[tuple[str, str], list[PrivateValue]] = {}
        found = self.found(text, normalised)
        for k in sorted(found, key=lambda k: (found[k].loc.path, found[k].loc.line, found[k].loc.column, k)):
            value = found[k]
            if k not in skip:
                groups.setdefault((value.field, value.value.strip().casefold()), []).append(value)
        for value, *others in groups.values():
            where = self.locate(source, value) if source is not None else None
            publish = (f", or list '{value.field}' under privacy.publish in site.yml to publish it"
                       if value.field in PUBLISHABLE else " (it is only ever in the coordinator's report)")
            kept = f"{value.loc.path}:{value.loc.line}" + (
                f", and {len(others)} other place{'s' if len(others) > 1 else ''}" if others else "")
            if rel is None and where is not None:
                problems.append(where.error(
                    f"private field '{value.field}' of {value.owner} ({kept}) appears "
                    f"in {source}, which pages are made from; remove it{publish}"))
            elif where is None:
                problems.append(value.loc.error(
                    f"private field '{value.field}' of {value.owner} appears in the output file {rel}; "
                    f"remove it from the template{publish}"))
            else:  # never the value itself: which field of whom, and where the value is kept
                problems.append(where.error(
                    f"private field '{value.field}' of {value.owner} ({kept}) appears "
                    f"in the output file {rel}; remove it from {source}{publish}"))
        return problems

    def locate(self, source: str, value: PrivateValue) -> Loc:
        """Where in the source file `source` (relative to the programme's folder) the value is:
        the line and column of its text as it is, else the first line whose normalised text (or
        with the next line's: a value hard-wrapped in a guide) has it; else the file."""
        text = source_text(self.root / source) if self.root is not None else None
        if text is None:
            return Loc(source)
        return Loc(source, *place(text, value.value.strip()))

    def found(self, text: str, normalised: bool = False) -> dict[str, PrivateValue]:
        """The private values in `text`, by their `key`, each once though several of its forms
        are found; `normalised` as for check_text."""
        if not self.forms:
            return {}
        found = self.raw.forms(text)
        if normalised and (self.normal or self.words):
            normal = normalise(text)
            found |= self.normal.forms(normal)
            found |= self.words.forms(normal, whole_words=True)
        values: dict[str, PrivateValue] = {}
        for form in sorted(found):
            for value in self.by_form.get(form, ()):
                values.setdefault(key(value), value)
        return values

    def check_files(self, files: Iterable[tuple[str, Path]], normalised: bool = False,
                    sources: Mapping[str, str] | None = None, skip: frozenset[str] = frozenset()) -> list[Problem]:
        """check_text over output files, given as (output path, file on disk); `sources` names
        the source file of an output path, where its problems are located."""
        if not self.forms:
            return []
        problems: list[Problem] = []
        for rel, file in sorted(files):
            if file.is_file():
                text = as_text(file.read_bytes())
                if text is not None:
                    problems += self.check_text(rel, text, normalised, (sources or {}).get(rel), skip=skip)
        return problems


class Finder:
    """Every pattern found in a normalised text, in one pass (an Aho-Corasick automaton, from
    the ahocorasick-rs library), as the forms the patterns stand for."""

    def __init__(self, patterns: list[tuple[str, str]]) -> None:
        self.of = [form for _, form in patterns]
        self.automaton = ahocorasick_rs.AhoCorasick([p for p, _ in patterns]) if patterns else None

    def __bool__(self) -> bool:
        return self.automaton is not None

    def forms(self, text: str, whole_words: bool = False) -> set[str]:
        """The forms whose patterns are in `text` (with `whole_words`, as whole words or phrases)."""
        if self.automaton is None:
            return set()
        found = self.automaton.find_matches_as_indexes(text, overlapping=True)
        if whole_words:
            return {self.of[i] for i, start, end in found if whole_word(text, end - 1, end - start)}
        return {self.of[i] for i, _, _ in found}


ANCHOR = 3  # the fewest letters of a form's longest ASCII run that are looked for in its place


class RawFinder:
    """The forms (in lower case) in a file's text as it is, whatever the case of its letters, in
    one pass over its UTF-8 bytes with their ASCII letters lowered (much faster than folding the
    text's case). A form with letters outside ASCII is looked for by its longest ASCII run, and
    where that is found, the text around it is lowered and searched for the form; one whose runs
    are all shorter than 3, as written in lower case, upper case or with capitals."""

    def __init__(self, forms: list[str]) -> None:
        self.of: list[tuple[str, bytes | None]] = []  # a pattern's form, and the form's bytes to confirm it by
        patterns: list[bytes] = []
        for form in forms:
            data = form.encode("utf-8", "surrogatepass")
            if form.isascii() or all(c.isascii() or c.lower() == c.upper() for c in form):
                patterns.append(data)
                self.of.append((form, None))
                continue
            run = max(re.findall(r"[\x00-\x7f]+", form), key=len, default="")
            if len(run.strip()) >= ANCHOR:
                patterns.append(run.encode())
                self.of.append((form, data))
                continue
            for variant in sorted({form, _upper(form), _ascii_lower(form.title())}):
                patterns.append(variant.encode("utf-8", "surrogatepass"))
                self.of.append((form, None))
        self.automaton = ahocorasick_rs.BytesAhoCorasick(patterns) if patterns else None

    def forms(self, text: str) -> set[str]:
        if self.automaton is None:
            return set()
        data = text.encode("utf-8", "surrogatepass").lower()
        found: set[str] = set()
        for i, start, end in self.automaton.find_matches_as_indexes(data, overlapping=True):
            form, confirm = self.of[i]
            if form in found:
                continue
            if confirm is not None:
                around = data[max(0, start - 4 * len(confirm)):end + 4 * len(confirm)]
                if confirm not in around.decode("utf-8", "ignore").lower().encode("utf-8", "surrogatepass"):
                    continue
            found.add(form)
        return found


def _ascii_lower(text: str) -> str:
    return "".join(c.lower() if c.isascii() else c for c in text)


def _upper(form: str) -> str:
    """A form with its letters outside ASCII in upper case, where that keeps them outside ASCII."""
    return "".join(c if c.isascii() or c.upper().isascii() else c.upper() for c in form)


def source_text(path: Path) -> str | None:
    """A source file's text, for locating a find in it (read when a value is found: rare,
    and a find fails the build)."""
    try:
        return as_text(path.read_bytes()) if path.is_file() else None
    except OSError:
        return None


def place(text: str, value: str) -> tuple[int, int]:
    """The (line, column) of value in text, as `locate` finds it; (1, 1) if not found."""
    found = re.search(re.escape(value), text, re.IGNORECASE)
    if found is not None:
        before = text[:found.start()]
        return before.count("\n") + 1, found.start() - (before.rfind("\n") + 1) + 1
    normal = normalise(value)
    lines = text.splitlines()
    first = re.search(r"\w+", value)

    def column(line: str) -> int:  # where the value's first word is in the line, else its start
        at = re.search(re.escape(first[0]), line, re.IGNORECASE) if first is not None else None
        return at.start() + 1 if at is not None else 1

    def has(line: str) -> bool:  # in the line as a reader sees it: Markdown's marks and links' addresses out
        return normal in normalise(line) or MARKS.sub("", normal) in normalise(MARKS.sub("", LINK.sub(r"\1", line)))
    for number, line in enumerate(lines, 1):
        if has(line):
            return number, column(line)
    for number, line in enumerate(lines, 1):
        if has(line + " " + (lines[number] if number < len(lines) else "")):
            return number, column(line)
    return 1, 1


MARKS = re.compile(r"[*_~`]+")  # Markdown's emphasis, strikethrough and code marks
LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")  # a Markdown link or image: [its text](its address)


def whole_word(text: str, end: int, length: int) -> bool:
    """Whether text[end - length + 1:end + 1] is a whole word or phrase of text."""
    start = end - length + 1
    return (start == 0 or not text[start - 1].isalnum()) and (end + 1 == len(text) or not text[end + 1].isalnum())


def key(value: PrivateValue) -> str:
    """A value's identity, the same in every worker process: which field, where it is kept."""
    return f"{value.loc.path}:{value.loc.line}:{value.loc.column}:{value.field}"


def as_text(data: bytes) -> str | None:
    """A file's bytes as text, whatever its name (a `.yml`, a `CNAME`, a `.webmanifest`), when
    they decode as UTF-8 or as UTF-16 with a byte-order mark; None for anything else (an image)."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            return None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return None


@dataclass
class GuardMemo:
    """The last leak guard, by the sources of its values, and its forms (which the build cache
    keeps, so that a later run need not list the private values to check its pages)."""

    guards: dict[str, LeakGuard] = field(default_factory=dict)
    forms: tuple[str, list[str]] | None = None  # (its sources, its forms)
    # guides' HTML searched (normalised) and found to hold no private value, each by clean_key:
    # the same text searched for the same forms finds the same, so it is not searched again
    clean: set[str] = field(default_factory=set)


def clean_key(guard: LeakGuard, html_digest: str) -> str:
    """What a guide's clean search result is kept by: the guard's forms and the HTML's hash."""
    return digest(guard.fingerprint, html_digest)


def guard_sources(programme: Programme) -> str:
    """What a programme's leak guard is made from: what site.yml publishes, and each cohort."""
    publish = programme.site.config.privacy.publish
    return digest(sorted(publish), [(entry.id, entry.digest) for entry in programme.cohorts])


def leak_guard(programme: Programme, memo: GuardMemo | None, root: Path | None = None) -> LeakGuard:
    """The leak guard for the programme's private values; a memo keeps it while they stay the same."""
    sources = guard_sources(programme)
    if memo is not None and sources in memo.guards:
        memo.guards[sources].root = root
        return memo.guards[sources]
    saved = memo.forms if memo is not None else None
    published: set[str] = set(programme.site.config.privacy.publish)
    guard = LeakGuard(lambda: private_values(programme.cohorts, published),
                      saved[1] if saved is not None and saved[0] == sources else None)
    guard.root = root
    if memo is not None:
        memo.guards = {sources: guard}
        memo.forms = (sources, guard.forms)
    return guard
