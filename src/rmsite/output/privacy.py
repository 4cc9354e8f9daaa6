"""The leak guard: private values (contacts, notes, feedback, comments) that
site.yml does not publish must not appear in any output file, in any of the
forms a template or serializer could give them."""

from __future__ import annotations

import codecs
import functools
import html
import json
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote

import ahocorasick
import markupsafe

from rmsite.core.hashing import digest, text_hash
from rmsite.core.problems import Loc, Problem
from rmsite.model.programme import CohortFile, PrivateValue, Programme

MIN_LENGTH = 6


def private_values(cohorts: tuple[CohortFile, ...], published: set[str]) -> list[PrivateValue]:
    """Every private value of 6+ characters whose field is not published."""
    return [v for entry in cohorts for v in entry.private
            if v.field not in published and len(v.value.strip()) >= MIN_LENGTH]


@functools.lru_cache(maxsize=100_000)  # a pure function; a preview rebuild meets the same values again
def _forms(value: str) -> frozenset[str]:
    """The value as it could appear in output: raw, HTML-escaped (as Python and as Jinja
    escape it), JSON-escaped; case-folded."""
    text = value.strip()
    forms = {text, html.escape(text), html.escape(text, quote=False), str(markupsafe.escape(text)),
             json.dumps(text)[1:-1], json.dumps(text, ensure_ascii=False)[1:-1]}
    normal = normalise(text)
    return frozenset({f.casefold() for f in forms if f} | ({NORMAL + normal} if len(normal) >= MIN_LENGTH else set()))


NORMAL = "\x00"  # marks a form that is looked for in a file's normalised text
TAG = re.compile(r"<[^>]*>")
SPACE = re.compile(r"\s+")
BETWEEN_DIGITS = re.compile(r"(?<=\d)[ ().\-/]+(?=\d)")  # 07700 900-123 is 07700900123


ATTRIBUTE_VALUE = re.compile(r"""=\s*(?:"([^"]*)"|'([^']*)')""")


def _attribute_values(tag: re.Match[str]) -> str:
    values = ATTRIBUTE_VALUE.findall(tag[0]) if "=" in tag[0] else ()
    return " " + " ".join(double or single for double, single in values) + " "


def normalise(text: str) -> str:
    """Text as a reader sees it, so that ordinary Markdown and HTML cannot hide a value: tags
    out, HTML entities and percent-escapes decoded, white space collapsed (line breaks,
    non-breaking spaces), case folded, and the spaces and dashes between digits dropped."""
    if "<" in text:  # a tag gives way to the values of its attributes (a link's address)
        text = TAG.sub(_attribute_values, text)  # a callback per tag: for the programme's text only
    if "&" in text:
        text = html.unescape(text)
    if "%" in text:
        text = unquote(text)
    return BETWEEN_DIGITS.sub("", SPACE.sub(" ", text).casefold())


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
        self._by_form: dict[str, list[PrivateValue]] | None = None
        self.forms = sorted(self.by_form if forms is None else forms)
        self.automaton = ahocorasick.Automaton()  # over the file's text as it is
        self.normal = ahocorasick.Automaton()  # over its normalised text
        for form in self.forms:
            if form.startswith(NORMAL):
                self.normal.add_word(form[1:], form)
            else:
                self.automaton.add_word(form, form)
        for automaton in (self.automaton, self.normal):
            if len(automaton):
                automaton.make_automaton()
        self.fingerprint = forms_fingerprint(self.forms)

    @property
    def by_form(self) -> dict[str, list[PrivateValue]]:
        """Each form, with the values that have it."""
        if self._by_form is None:
            self._by_form = {}
            for value in self._values():
                for form in _forms(value.value):
                    self._by_form.setdefault(form, []).append(value)
        return self._by_form

    def check_text(self, rel: str, text: str, normalised: bool = False, source: str | None = None) -> list[Problem]:
        """A problem, at the value's source, for each private value in the output file `rel`.
        With `normalised`, for text the programme's own files put there (a guide's HTML, a
        static file), also in its normalised form, which ordinary Markdown cannot hide a value
        from; the theme's own markup (every page's navigation, the charts) is checked as it is,
        which keeps the check's cost to the programme's own text. With `source`, the file that
        put the text there (a guide, a static file, a template), the problem is located there."""
        if not self.forms:
            return []
        problems = []
        found = {form for _, form in self.automaton.iter(text.casefold())} if len(self.automaton) else set()
        if normalised and len(self.normal):
            found |= {form for _, form in self.normal.iter(normalise(text))}
        values: dict[int, PrivateValue] = {}  # each value once, though several of its forms are found
        for form in sorted(found):
            for value in self.by_form.get(form, ()):
                values.setdefault(id(value), value)
        for value in values.values():
            if source is None:
                problems.append(value.loc.error(
                    f"private field '{value.field}' of {value.owner} appears in the output file {rel}; "
                    f"remove it from the template, or list '{value.field}' under privacy.publish in site.yml "
                    "to publish it"))
            else:  # never the value itself: which field of whom, and where the value is kept
                problems.append(Loc(source).error(
                    f"private field '{value.field}' of {value.owner} ({value.loc.path}:{value.loc.line}) appears "
                    f"in the output file {rel}; remove it from {source}, or list '{value.field}' under "
                    "privacy.publish in site.yml to publish it"))
        return problems

    def check_files(self, files: Iterable[tuple[str, Path]], normalised: bool = False,
                    sources: Mapping[str, str] | None = None) -> list[Problem]:
        """check_text over output files, given as (output path, file on disk); `sources` names
        the source file of an output path, where its problems are located."""
        if not self.forms:
            return []
        problems: list[Problem] = []
        for rel, file in sorted(files):
            if file.is_file():
                text = as_text(file.read_bytes())
                if text is not None:
                    problems += self.check_text(rel, text, normalised, (sources or {}).get(rel))
        return problems


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


def guard_sources(programme: Programme) -> str:
    """What a programme's leak guard is made from: what site.yml publishes, and each cohort."""
    publish = programme.site.config.privacy.publish
    return digest(sorted(publish), [(entry.id, entry.digest) for entry in programme.cohorts])


def leak_guard(programme: Programme, memo: GuardMemo | None) -> LeakGuard:
    """The leak guard for the programme's private values; a memo keeps it while they stay the same."""
    sources = guard_sources(programme)
    if memo is not None and sources in memo.guards:
        return memo.guards[sources]
    saved = memo.forms if memo is not None else None
    published: set[str] = set(programme.site.config.privacy.publish)
    guard = LeakGuard(lambda: private_values(programme.cohorts, published),
                      saved[1] if saved is not None and saved[0] == sources else None)
    if memo is not None:
        memo.guards = {sources: guard}
        memo.forms = (sources, guard.forms)
    return guard
