"""Every key of the JSON Schemas offered to editors has a description, from docs/format.md."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from rmsite.model.schema import SCHEMA_MODELS, json_schema

KINDS = sorted(SCHEMA_MODELS)


SUBSCHEMAS = ("anyOf", "allOf", "oneOf", "prefixItems")  # lists of schemas
SUBSCHEMA = ("items", "additionalProperties", "not")  # one schema


def properties(schema: dict[str, Any], where: str) -> Iterator[tuple[str, dict[str, Any]]]:
    """Every property of an object schema and of the schemas nested in it (a property's own,
    a list's items, a mapping's values, each of anyOf), named `where.key`."""
    for name, prop in schema.get("properties", {}).items():
        yield f"{where}.{name}", prop
        yield from properties(prop, f"{where}.{name}")
    for key in SUBSCHEMAS:
        for sub in schema.get(key, []):
            yield from properties(sub, where)
    for key in SUBSCHEMA:
        if isinstance(schema.get(key), dict):
            yield from properties(schema[key], where)


def every_property(kind: str) -> list[tuple[str, dict[str, Any]]]:
    """The properties of a kind's schema: its root's and those of every model under $defs."""
    schema = json_schema(kind)
    return [*properties(schema, kind), *(found for name, model in schema.get("$defs", {}).items()
                                        for found in properties(model, name))]


def description(kind: str, *path: str) -> str:
    """The hover text of a key: `path` is a $defs name (or the root, for "") and a property."""
    schema = json_schema(kind)
    model = schema if path[0] == "" else schema["$defs"][path[0]]
    text = model["properties"][path[1]]["description"]
    assert isinstance(text, str)
    return text


@pytest.mark.parametrize("kind", KINDS)
def test_every_property_has_a_description(kind: str):
    found = every_property(kind)
    missing = [where for where, prop in found if not str(prop.get("description", "")).strip()]
    assert found and missing == []


def test_every_model_is_walked():
    names = {where.split(".")[0] for kind in KINDS for where, _ in every_property(kind)}
    assert {"Person", "Pair", "Goal", "Session", "CheckIn", "Feedback", "Approval", "Retrospective",
            "Objective", "ExpectationItem", "PairExpectationItem", "ProgressEntry", "Privacy", "Programme",
            "Forms", "Accept"} <= names


def test_descriptions_are_short_sentences():
    for kind in KINDS:
        for where, prop in every_property(kind):
            text = prop["description"]
            assert text[0].isupper() and text.endswith((".", ".\"")), where
            assert len(text) <= 160, where


def test_hover_texts():
    assert "hours a month" in description("cohort", "Person", "hours_per_month")
    assert "time check" in description("cohort", "Person", "hours_per_month")
    assert description("cohort", "", "cadence").endswith("(default: fortnightly).")
    assert "(default: 60)" in description("cohort", "", "session_minutes")
    assert description("cohort", "Person", "email").startswith("Private")
    assert description("cohort", "Pair", "status_reason").startswith("Private")
    assert "more junior" in description("cohort", "Pair", "mentor")
    assert "(default: 2)" in description("site", "Programme", "approvals")
    assert "(default: 3)" in description("site", "Privacy", "min_group")
    assert description("site", "", "title") == "The site's name, in every page title and header."
    assert "--drafts" in description("guide", "", "draft")
