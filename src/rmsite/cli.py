"""Command line: parses options and calls one function per command."""

from __future__ import annotations

import click

from . import __version__


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="rmsite")
def main() -> None:
    """rmsite: build the site of a reverse-mentoring programme."""
