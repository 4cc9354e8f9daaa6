"""site.yml, read and checked, and the date a build measures its figures at."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

from rmsite.core.problems import Problem
from rmsite.model.programme import ConfigFile
from rmsite.model.schema import SiteConfig
from rmsite.source import rules
from rmsite.source.files import load_yaml_file, source_file
from rmsite.source.schema_errors import validate_doc


def default_as_of(environ: dict[str, str] | None = None) -> dt.date:
    """SOURCE_DATE_EPOCH (for reproducible builds) when set, else today."""
    env = os.environ if environ is None else environ
    epoch = env.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), dt.UTC).date()
    return dt.date.today()


def site_as_of(as_of: dt.date | None, site: ConfigFile) -> dt.date:
    """The date a build's figures are measured at: --as-of, else site.yml's as_of, else today."""
    return as_of or site.config.as_of or default_as_of()


def load_config(site_dir: Path) -> tuple[ConfigFile | None, list[Problem]]:
    """site.yml, checked against the schema and the site-wide rules."""
    file, problems = source_file(site_dir, "site.yml")
    if file is None:
        return None, problems
    doc, problems = load_yaml_file(file.path, file.rel)
    if doc is None:
        return None, problems
    config, schema_problems = validate_doc(SiteConfig, doc)
    problems += schema_problems
    if config is None:
        return None, problems
    site = ConfigFile(config, doc)
    return site, problems + rules.check_site(site)
