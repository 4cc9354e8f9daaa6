from click.testing import CliRunner

from rmsite import __version__
from rmsite.cli import main


def test_version_is_printed():
    result = CliRunner().invoke(main, ["--version"])
    assert result.exit_code == 0
    assert result.output.splitlines()[0] == f"rmsite, version {__version__}"


def test_version_names_python_and_the_libraries_for_bug_reports():
    import platform
    from importlib import metadata

    lines = CliRunner().invoke(main, ["--version"]).output.splitlines()
    assert lines[1] == f"Python {platform.python_version()} ({platform.python_implementation()}) on {platform.system()}"
    assert lines[2:] == [f"{name} {metadata.version(name)}" for name in ("Markdown", "pymdown-extensions", "Jinja2", "PyYAML")]


def test_version_says_when_a_library_is_missing(monkeypatch):
    import rmsite.cli

    monkeypatch.setattr(rmsite.cli, "VERSION_LIBRARIES", ("Jinja2", "no-such-library"))
    assert CliRunner().invoke(main, ["--version"]).output.splitlines()[-1] == "no-such-library not installed"


def test_an_internal_error_is_a_short_message_and_exit_3(monkeypatch, tmp_path):
    import rmsite.pipeline.build

    def broken(options, use_cache=True):
        raise RuntimeError("something unexpected")
    monkeypatch.setattr(rmsite.pipeline.build, "build_with_cache", broken)
    result = CliRunner().invoke(main, ["build", "-s", str(tmp_path)], catch_exceptions=False)
    assert result.exit_code == 3
    assert "internal error: RuntimeError: something unexpected" in result.output
    assert "--debug" in result.output and "Traceback" not in result.output
    result = CliRunner().invoke(main, ["build", "-s", str(tmp_path), "--debug"], catch_exceptions=False)
    assert result.exit_code == 3 and "Traceback" in result.output


def test_the_console_command_exits_with_the_commands_code_and_flushes_its_output(tmp_path):
    import subprocess
    import sys
    from pathlib import Path

    src = str(Path(__file__).resolve().parents[2] / "src")
    env = {"PYTHONPATH": src, "PATH": "/usr/bin:/bin"}
    ok = subprocess.run([sys.executable, "-m", "rmsite", "--version"], capture_output=True, text=True, env=env)
    assert ok.returncode == 0 and ok.stdout.splitlines()[0] == f"rmsite, version {__version__}"
    (tmp_path / "site.yml").write_text("title: [unclosed\n")
    bad = subprocess.run([sys.executable, "-m", "rmsite", "check", "-s", str(tmp_path)],
                         capture_output=True, text=True, env=env)
    assert bad.returncode == 1
    assert bad.stderr.startswith("site.yml:") and "1 error" in bad.stderr
    usage = subprocess.run([sys.executable, "-m", "rmsite", "no-such-command"], capture_output=True, text=True, env=env)
    assert usage.returncode == 2 and "No such command" in usage.stderr
