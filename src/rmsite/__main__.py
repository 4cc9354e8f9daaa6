"""`python -m rmsite` runs the command line."""

from rmsite.cli import run

run()
