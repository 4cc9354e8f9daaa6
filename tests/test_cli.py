from click.testing import CliRunner

from rmsite import __version__
from rmsite.cli import main


def test_version_is_printed():
    result = CliRunner().invoke(main, ["--version"])
    assert result.exit_code == 0
    assert __version__ in result.output
