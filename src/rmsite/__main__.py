"""`python -m rmsite` runs the command line."""

from .cli import run

run()
