"""The package as it would be published: `python -m build` makes the sdist and, from it, the
wheel; both pass `twine check`; the wheel, installed into a fresh virtual environment outside
the repository, starts, builds and checks a new programme.

The build runs on a copy of the checkout, so the checkout gets no build/ or egg-info folder.
Installing takes rmsite's dependencies at the versions of constraints.txt, from pip's cache
when it has them, else from the package index."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tarfile
import zipfile
from email.parser import Parser
from pathlib import Path

import pytest

from rmsite import __version__

from conftest import REPO

pytestmark = pytest.mark.packaging

SKIPPED = {".git", ".venv", ".venv-lowest", ".constraints-venvs", "_site", "_private", ".rmsite-cache", "build",
           "dist", "__pycache__", ".pytest_cache", ".tools", "_work", ".mypy_cache", ".ruff_cache"}


def run(*command: str | Path, cwd: Path, timeout: float = 300) -> str:
    """Runs a command with no PYTHONPATH (the wheel, not the checkout, must be imported); its stdout."""
    env = {key: value for key, value in os.environ.items() if key not in ("PYTHONPATH", "PYTHONHOME")}
    env["PIP_DISABLE_PIP_VERSION_CHECK"] = "1"
    done = subprocess.run([str(part) for part in command], cwd=cwd, env=env, capture_output=True, text=True,
                          timeout=timeout)
    assert done.returncode == 0, f"{command}\n{done.stdout}\n{done.stderr}"
    return done.stdout


def copy_checkout(target: Path) -> Path:
    """The files of the checkout that git tracks or would track (all of them, less generated ones,
    outside a git checkout)."""
    try:
        listed = subprocess.run(["git", "-C", str(REPO), "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
                                capture_output=True, check=True, timeout=60).stdout.decode().split("\0")
    except (OSError, subprocess.CalledProcessError):
        shutil.copytree(REPO, target, ignore=lambda folder, names: [n for n in names if n in SKIPPED or n.endswith(".egg-info")])
        return target
    for rel in filter(None, listed):
        if (REPO / rel).is_file():
            (target / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(REPO / rel, target / rel)
    return target


@pytest.fixture(scope="module")
def dists(tmp_path_factory) -> dict[str, Path]:
    """The sdist and the wheel, built by `python -m build` from a copy of the checkout."""
    root = tmp_path_factory.mktemp("packaging")
    source = copy_checkout(root / "source")
    run(sys.executable, "-m", "build", "--outdir", root / "dist", source, cwd=root)
    sdist, = (root / "dist").glob("rmsite-*.tar.gz")
    wheel, = (root / "dist").glob("rmsite-*-py3-none-any.whl")
    return {"sdist": sdist, "wheel": wheel}


def test_sdist_and_wheel_pass_twine_check(dists, tmp_path):
    output = run(sys.executable, "-m", "twine", "check", "--strict", dists["sdist"], dists["wheel"], cwd=tmp_path)
    assert output.count("PASSED") == 2, output


def test_metadata_names_the_licence_the_project_urls_and_absolute_readme_links(dists):
    with zipfile.ZipFile(dists["wheel"]) as wheel:
        metadata = Parser().parsestr(wheel.read(f"rmsite-{__version__}.dist-info/METADATA").decode())
    assert metadata["Version"] == __version__
    assert metadata["License-Expression"] == "MIT" and metadata["License-File"] == "LICENSE"
    urls = dict(url.split(", ", 1) for url in metadata.get_all("Project-URL"))
    assert set(urls) >= {"Homepage", "Documentation", "Source", "Issues"}
    assert all(url.startswith("https://github.com/rmsite/rmsite") for url in urls.values())
    assert "Programming Language :: Python :: 3.11" in metadata.get_all("Classifier")
    description = metadata.get_payload()
    assert "](https://github.com/rmsite/rmsite/blob/main/docs/index.md)" in description
    assert "](docs/" not in description and "](benchmarks/" not in description


def test_sdist_carries_the_licence_and_the_sources_and_no_tests(dists):
    """No tests: the suite needs the example programme at the repository's root, docs/ and npm's
    tools, so it runs from a checkout; an sdist with half of it would only fail."""
    with tarfile.open(dists["sdist"]) as sdist:
        names = {name.split("/", 1)[1] for name in sdist.getnames() if "/" in name}
    assert {"LICENSE", "PKG-INFO", "README.md", "pyproject.toml", "src/rmsite/cli.py",
            "src/rmsite/theme/templates/base.html"} <= names
    assert not any(name.startswith(("tests/", "docs/", "cohorts/", "benchmarks/")) for name in names)


def test_wheel_carries_the_licence_the_theme_and_the_command(dists):
    with zipfile.ZipFile(dists["wheel"]) as wheel:
        names = set(wheel.namelist())
        entry_points = wheel.read(f"rmsite-{__version__}.dist-info/entry_points.txt").decode()
    assert f"rmsite-{__version__}.dist-info/licenses/LICENSE" in names
    assert "rmsite/theme/templates/base.html" in names and "rmsite/__main__.py" in names
    assert any(name.startswith("rmsite/theme/static/") for name in names)
    assert "rmsite = rmsite.cli:run" in entry_points
    assert not any(name.startswith("tests/") for name in names)


def test_the_wheel_in_a_fresh_venv_starts_builds_and_checks_a_new_programme(dists, tmp_path):
    work = tmp_path / "outside"
    work.mkdir()
    run(sys.executable, "-m", "venv", tmp_path / "venv", cwd=work)
    bin_dir = tmp_path / "venv" / ("Scripts" if os.name == "nt" else "bin")
    constraints = ["-c", REPO / "constraints.txt"] if (REPO / "constraints.txt").is_file() else []
    run(bin_dir / "python", "-m", "pip", "install", "--quiet", *constraints, dists["wheel"], cwd=work)
    installed = run(bin_dir / "python", "-c", "import rmsite; print(rmsite.__file__)", cwd=work)
    assert Path(installed.strip()).is_relative_to(tmp_path / "venv")
    rmsite = bin_dir / "rmsite"
    assert run(rmsite, "--version", cwd=work).splitlines()[0] == f"rmsite, version {__version__}"
    run(rmsite, "init", "programme", cwd=work)
    run(rmsite, "build", "-s", "programme", cwd=work)
    assert (work / "programme/_site/index.html").is_file()
    run(rmsite, "check", "--strict", "-s", "programme", cwd=work)
