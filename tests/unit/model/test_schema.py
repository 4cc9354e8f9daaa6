"""rmsite schema: JSON Schema from the validator's own models."""

from __future__ import annotations

import datetime as dt
import json

import jsonschema
import yaml
from click.testing import CliRunner

from rmsite.cli import main
from rmsite.model.schema import json_schema

from conftest import REPO


def plain(value):
    """YAML data as a JSON editor sees it: dates as ISO text."""
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain(v) for v in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def unwrapped(schema):
    """A schema as pydantic 2.9 and later print it: older releases wrap a `$ref` that has sibling keys
    (a description, a default) in a one-item `allOf`, which means the same."""
    if isinstance(schema, list):
        return [unwrapped(item) for item in schema]
    if not isinstance(schema, dict):
        return schema
    schema = {key: unwrapped(value) for key, value in schema.items()}
    wrapped = schema.get("allOf")
    if isinstance(wrapped, list) and len(wrapped) == 1 and set(wrapped[0]) == {"$ref"} and "$ref" not in schema:
        del schema["allOf"]
        schema["$ref"] = wrapped[0]["$ref"]
    return schema


def validator(kind: str) -> jsonschema.Draft202012Validator:
    schema = json_schema(kind)
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())


def test_the_example_programme_satisfies_the_schemas():
    assert list(validator("site").iter_errors(plain(yaml.safe_load((REPO / "site.yml").read_text())))) == []
    for file in sorted((REPO / "cohorts").glob("*.yml")):
        assert list(validator("cohort").iter_errors(plain(yaml.safe_load(file.read_text())))) == [], file


def test_the_schema_rejects_bad_files():
    cohort = plain(yaml.safe_load((REPO / "cohorts/2026-pilot.yml").read_text()))
    bad = dict(cohort, cadance="weekly")
    assert any("cadance" in e.message for e in validator("cohort").iter_errors(bad))
    bad = dict(cohort, people=[dict(cohort["people"][0], id="Not An Id")])
    assert list(validator("cohort").iter_errors(bad))
    bad = dict(cohort, starts="2027-02-30")
    assert list(validator("cohort").iter_errors(bad))
    assert list(validator("site").iter_errors({"description": "no title"}))


def test_schema_command_prints_draft_2020_12_and_the_committed_copies_are_current():
    for kind in ("site", "cohort", "guide"):
        result = CliRunner().invoke(main, ["schema", kind])
        assert result.exit_code == 0
        printed = json.loads(result.output)
        assert printed["$schema"] == "https://json-schema.org/draft/2020-12/schema"
        committed = json.loads((REPO / "schemas" / f"{kind}.schema.json").read_text())
        assert committed == unwrapped(printed), f"run: rmsite schema {kind} > schemas/{kind}.schema.json"
