"""Valid files of the minimal site changed a few times over, for property-based tests
(hypothesis) of the loaders and the whole build."""

from __future__ import annotations

from typing import Any

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

from minimal import COHORT_YML, GUIDE_MD, SITE_YML

BUDGET = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])

FILES = {"cohorts/q1.yml": COHORT_YML, "site.yml": SITE_YML, "content/pairing.md": GUIDE_MD}
SYNTAX_CHARACTERS = list(":-[]{}\"'\t \n&*!%@`|>#,?a0.\\")
ODD_CHARACTERS = ["\x00", "\x07", "\r", "\ufeff", "\u200b", "\u202e", "\x85", "\u2028", "é", "\U0001f600"]
OTHER_VALUES = ["[]", "{}", "~", "true", "1.5", "-3", "'text'", "2027-13-45", "2027-02-30", "*x", "&a x",
                "!!binary aGk=", "!!python/name:os.system", "1e400", ".nan", "[1, [2, [3]]]", "{a: {b: c}}",
                "2027-01-04T10:00:00", "99999999999999999999", "|\n  block\n  text", "\"\\x00\"", "<<: *x", ""]


@st.composite
def mutations(draw: Any) -> tuple[str, str]:
    """A file of the minimal site, changed a few times over."""
    rel = draw(st.sampled_from(["cohorts/q1.yml", "site.yml", "content/pairing.md", "cohorts/q1.yml"]))
    text = FILES[rel].lstrip("\n")
    for _ in range(draw(st.integers(1, 3))):
        lines = text.split("\n")
        kind = draw(st.sampled_from(["delete", "insert", "odd", "swap", "repeat", "drop", "value", "indent"]))
        at = draw(st.integers(0, max(0, len(text) - 1)))
        line = draw(st.integers(0, len(lines) - 1))
        other = draw(st.integers(0, len(lines) - 1))
        if kind == "delete":
            text = text[:at] + text[at + 1:]
        elif kind in ("insert", "odd"):
            odd = st.one_of(st.sampled_from(ODD_CHARACTERS), st.characters(exclude_categories=("Cs",)))
            text = text[:at] + draw(st.sampled_from(SYNTAX_CHARACTERS) if kind == "insert" else odd) + text[at:]
        elif kind == "swap":
            lines[line], lines[other] = lines[other], lines[line]
            text = "\n".join(lines)
        elif kind == "repeat":  # a repeated key, or a repeated list item
            text = "\n".join(lines[:line + 1] + [lines[line]] + lines[line + 1:])
        elif kind == "drop":
            text = "\n".join(lines[:line] + lines[line + 1:])
        elif kind == "value":  # a value of another type, or no value at all
            keyed = [index for index, line in enumerate(lines) if ": " in line] or [0]
            line = draw(st.sampled_from(keyed))
            lines[line] = lines[line].split(": ", 1)[0] + ": " + draw(st.sampled_from(OTHER_VALUES))
            text = "\n".join(lines)
        elif kind == "indent":
            lines[line] = draw(st.sampled_from(["  ", " ", "\t"])) + lines[line]
            text = "\n".join(lines)
    return rel, text
