"""The pinned versions of the constraints files, from pyproject.toml's dependencies.

    python .ci/pins.py lowest PACKAGE...   prints each runtime dependency at its lowest declared
                                           version (name==version), then each PACKAGE at its pin
                                           in constraints.txt: what `make constraints` installs to
                                           write constraints-lowest.txt
    python .ci/pins.py check               fails, saying what to do, when constraints.txt leaves a
                                           declared dependency unpinned or constraints-lowest.txt
                                           holds other versions than the declared lower bounds

Standard library only: it runs before anything is installed."""

from __future__ import annotations

import re
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LOWER_BOUND = re.compile(r"([A-Za-z0-9][A-Za-z0-9._-]*)\s*>=\s*([0-9][0-9.]*)")
PIN = re.compile(r"([A-Za-z0-9][A-Za-z0-9._-]*)==(\S+)")


def normal(name: str) -> str:
    """A package name as the index compares them: case and runs of '-', '_', '.' do not matter."""
    return re.sub(r"[-_.]+", "-", name).lower()


def release(version: str) -> tuple[int, ...]:
    """'3.1' and '3.1.0' are one release."""
    parts = [int(part) for part in version.split(".")]
    while len(parts) > 1 and parts[-1] == 0:
        parts.pop()
    return tuple(parts)


def project() -> dict:
    with open(ROOT / "pyproject.toml", "rb") as file:
        return tomllib.load(file)["project"]


def lower_bounds(requirements: list[str]) -> dict[str, tuple[str, str]]:
    """Each requirement's name and lowest version; every one must be 'name>=version'."""
    bounds = {}
    for requirement in requirements:
        match = LOWER_BOUND.fullmatch(requirement.strip())
        if match is None:
            sys.exit(f"pyproject.toml: '{requirement}' is not of the form 'name>=version', which CI installs "
                     "at its lowest version; write it so, or change .ci/pins.py")
        bounds[normal(match[1])] = (match[1], match[2])
    return bounds


def pins(file: Path) -> dict[str, str]:
    """The name==version lines of a constraints file, by normalised name."""
    found = {}
    for line in file.read_text(encoding="utf-8").splitlines():
        match = PIN.fullmatch(line.split("#", 1)[0].strip())
        if match:
            found[normal(match[1])] = match[2]
    return found


def lowest(packages: list[str]) -> None:
    latest = pins(ROOT / "constraints.txt")
    for name, version in lower_bounds(project()["dependencies"]).values():
        print(f"{name}=={version}")
    for package in packages:
        if normal(package) not in latest:
            sys.exit(f"constraints.txt: no pin for {package}")
        print(f"{package}=={latest[normal(package)]}")


def check() -> None:
    spec = project()
    runtime = lower_bounds(spec["dependencies"])
    declared = dict(runtime)
    for extra in spec.get("optional-dependencies", {}).values():
        declared.update(lower_bounds(extra))
    problems = []
    latest = pins(ROOT / "constraints.txt")
    problems += [f"constraints.txt: no pin for {name}" for key, (name, _) in declared.items() if key not in latest]
    low = pins(ROOT / "constraints-lowest.txt")
    for key, (name, version) in runtime.items():
        if key not in low:
            problems.append(f"constraints-lowest.txt: no pin for {name}")
        elif release(low[key]) != release(version):
            problems.append(f"constraints-lowest.txt: {name}=={low[key]}, but pyproject.toml declares {name}>={version}")
    if problems:
        sys.exit("\n".join(problems) + "\nrun: make constraints")
    print(f"constraints.txt pins all {len(declared)} declared dependencies; "
          f"constraints-lowest.txt holds the {len(runtime)} runtime ones at their lower bounds")


if __name__ == "__main__":
    if sys.argv[1:2] == ["lowest"]:
        lowest(sys.argv[2:])
    elif sys.argv[1:] == ["check"]:
        check()
    else:
        sys.exit(__doc__)
