"""rmsite: a static-site generator for reverse-mentoring programmes."""

__version__ = "0.1.0"
