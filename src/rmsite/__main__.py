"""`python -m rmsite` runs the command line."""

from rmsite.cli import run

if __name__ == "__main__":
    run()
