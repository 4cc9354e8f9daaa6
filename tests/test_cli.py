from click.testing import CliRunner

from rmsite import __version__
from rmsite.cli import main


def test_version_is_printed():
    result = CliRunner().invoke(main, ["--version"])
    assert result.exit_code == 0
    assert __version__ in result.output


def test_an_internal_error_is_a_short_message_and_exit_3(monkeypatch, tmp_path):
    import rmsite.cli

    def broken(options, cache=None):
        raise RuntimeError("something unexpected")
    monkeypatch.setattr(rmsite.cli, "build", broken)
    result = CliRunner().invoke(main, ["build", "-s", str(tmp_path)], catch_exceptions=False)
    assert result.exit_code == 3
    assert "internal error: RuntimeError: something unexpected" in result.output
    assert "--debug" in result.output and "Traceback" not in result.output
    result = CliRunner().invoke(main, ["build", "-s", str(tmp_path), "--debug"], catch_exceptions=False)
    assert result.exit_code == 3 and "Traceback" in result.output
