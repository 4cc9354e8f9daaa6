"""Quick checks of the benchmark runner itself (not part of rmsite's test suite):

    .venv/bin/python -m pytest -q benchmarks

The comparison with MkDocs and Hugo runs only when their venv has been set up by
an earlier `run.py --peers` (in benchmarks/_work/peers-venv); otherwise it is skipped.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
import yaml

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import generate  # noqa: E402 (after sys.path is set)
import measure  # noqa: E402 (after sys.path is set)
import peers  # noqa: E402 (after sys.path is set)
import run  # noqa: E402 (after sys.path is set)
import scale  # noqa: E402 (after sys.path is set)
import stages  # noqa: E402 (after sys.path is set)

PEERS_VENV = HERE / "_work" / "peers-venv"


@pytest.fixture(scope="module")
def content(tmp_path_factory: pytest.TempPathFactory) -> Path:
    site = tmp_path_factory.mktemp("site")
    generate.generate(site, 1, 1, 25)
    return site / "content"


def markdown_files(folder: Path) -> dict[str, bytes]:
    return {f.relative_to(folder).as_posix(): f.read_bytes() for f in folder.rglob("*.md")}


def test_mkdocs_gets_the_same_guides_and_rmsites_extensions(content: Path, tmp_path: Path) -> None:
    from rmsite.site.markdown import EXTENSION_CONFIGS, EXTENSIONS
    from rmsite.site.markdown_gfm import LIBRARY_CONFIGS, LIBRARY_EXTENSIONS

    config = peers.layout_mkdocs(content, tmp_path / "mkdocs")
    assert markdown_files(tmp_path / "mkdocs" / "docs") == markdown_files(content)
    extensions = yaml.safe_load(config.read_text())["markdown_extensions"]
    names = [e if isinstance(e, str) else next(iter(e)) for e in extensions]
    ours = [e for e in EXTENSIONS if isinstance(e, str)]
    assert names == ours[:-1] + LIBRARY_EXTENSIONS + ours[-1:]  # toc last, as in mkdocs.yml
    settings = {next(iter(e)): next(iter(e.values())) for e in extensions if isinstance(e, dict)}
    assert settings == {**EXTENSION_CONFIGS, **LIBRARY_CONFIGS}


def test_mkdocs_gets_a_theme_of_one_template_and_no_plugins(content: Path, tmp_path: Path) -> None:
    config = yaml.safe_load(peers.layout_mkdocs(content, tmp_path / "mkdocs").read_text())
    assert config["theme"] == {"name": None, "custom_dir": "theme"} and config["plugins"] == []
    assert [p.name for p in (tmp_path / "mkdocs" / "theme").iterdir()] == ["main.html"]


def test_the_one_folder_shape_puts_every_guide_in_one_folder_linking_pages(tmp_path: Path) -> None:
    generate.generate(tmp_path, 1, 1, 60, shape="one-folder")
    guides = sorted((tmp_path / "content").rglob("guide-*.md"))
    assert len(guides) == 60 and {g.parent.name for g in guides} == {"section-01"}
    text = "".join(g.read_text() for g in guides)
    assert "](../guide-" in text and ".md#" not in text


def build_of(seconds: float, all_mib: int) -> peers.Build:
    return peers.Build(seconds, seconds, all_mib * 1024, all_mib * 1024, 10, 1000)


def test_the_report_of_a_large_folder_marks_its_targets() -> None:
    base = [build_of(2.0, 90)] * 3
    met = peers.scale_targets(peers.Scale(10_000, base, [build_of(19.0, 400)] * 3))
    assert [line.count("**met**") for line in met] == [1, 1]
    missed = peers.scale_targets(peers.Scale(10_000, base, [build_of(21.0, 480)] * 3))
    assert [line.count("**missed**") for line in missed] == [1, 1]  # 480 MiB is 503 MB


def test_hugo_gets_the_same_guides_with_its_home_page_name(content: Path, tmp_path: Path) -> None:
    site = peers.layout_hugo(content, tmp_path / "hugo")
    copied = markdown_files(site / "content")
    assert copied.pop("_index.md") == (content / "index.md").read_bytes()
    original = markdown_files(content)
    del original["index.md"]
    assert copied == original
    assert (site / "hugo.toml").is_file() and (site / "layouts" / "_default" / "single.html").is_file()


def test_memory_of_all_processes_counts_a_forked_child(tmp_path: Path) -> None:
    script = ("import os, time\n"
              "pid = os.fork()\n"
              "block = b\"x\" * (64 * 1024 * 1024)\n"  # 64 MiB of its own, written, in each process
              "time.sleep(1)\n"
              "if pid: os.waitpid(pid, 0)\n")
    done = measure.run_process([sys.executable, "-c", script])
    assert 64 * 1024 < done.largest_kb < 2 * 64 * 1024
    assert done.all_kb > 2 * 64 * 1024
    assert done.peaks_kb >= done.all_kb  # each process's own peak, summed: an upper bound
    assert done.cpu_seconds > 0


def test_a_failing_command_is_an_error_with_its_output() -> None:
    with pytest.raises(measure.BenchmarkError, match="no such option"):
        measure.run_process([sys.executable, "-c", "import sys; sys.exit('no such option')"])


def test_peers_mode_sizes() -> None:
    assert run.parse_args(["--peers"]).size == run.Size(1, 1, 1000)
    assert run.parse_args(["--peers", "--quick"]).size == run.Size(1, 1, 100)
    assert run.parse_args(["--peers", "--guides", "300", "--cohorts", "2"]).size == run.Size(2, 1, 300)
    assert run.parse_args(["--quick"]).size == run.QUICK_SIZE
    with pytest.raises(SystemExit):
        run.parse_args(["--hugo", "/usr/bin/hugo"])


@pytest.mark.skipif(not (PEERS_VENV / peers.INSTALLED).is_file(), reason="run `run.py --peers` once first")
def test_compare_builds_the_same_guides_with_each_tool(tmp_path: Path) -> None:
    (tmp_path / "peers-venv").symlink_to(PEERS_VENV)
    result = peers.compare(25, 1, 1, 1, tmp_path, 1, None, lambda line: None)
    for builds in (result.cold, result.warm):
        assert list(builds) == ["rmsite", "MkDocs", "Hugo"]
        assert all(b[0].pages > 25 and b[0].seconds > 0 for b in builds.values())
    text = peers.report(result)
    assert "| cold `rmsite build` at least 1.8× as fast as MkDocs's build |" in text
    assert text.count("**met**") + text.count("**missed**") == 2
    one_folder = peers.compare(25, 1, 1, 1, tmp_path, 1, None, lambda line: None, "one-folder")
    assert all(b[0].pages > 25 for b in one_folder.cold.values())
    whole = peers.report_all([result, one_folder], peers.scale(one_folder, 1, tmp_path, 1, lambda line: None))
    assert whole.count("**met**") + whole.count("**missed**") == 6 and "250 guides in one folder" in whole


def test_scale_options() -> None:
    args = scale.parse_args([])
    assert args.sizes == [20, 80, 200] and args.pairs == 100 and args.guides == 500 and args.runs == 1
    assert scale.parse_args(["--cohorts", "2, 5", "--runs", "3"]).sizes == [2, 5]
    for wrong in (["--cohorts", "two"], ["--cohorts", "0"], ["--runs", "0"]):
        with pytest.raises(SystemExit):
            scale.parse_args(wrong)


def test_scale_builds_each_size_cold_and_reports_the_target_at_200_cohorts(tmp_path: Path) -> None:
    results = [scale.measure_size(n, 1, 3, 1, tmp_path, 1, lambda line: None) for n in (1, 2)]
    assert [r.cohorts for r in results] == [1, 2] and results[1].pages > results[0].pages > 3
    assert all(b.all_kb > 0 and b.largest_kb > 0 and b.seconds > 0 for r in results for b in r.builds)
    assert results[0].output_bytes > 0 and not (tmp_path / "scale-1" / "out").exists()
    text = scale.report(results, 1)
    assert text.count("\n| 1 | 2 | ") == 1 and "| 2 | 4 | " in text and "target" not in text
    stamp = tmp_path / "scale-1" / "site" / scale.STAMP
    before = stamp.stat().st_mtime_ns
    scale.programme(tmp_path / "scale-1" / "site", 1, 1, 3, 1)  # already there: not generated again
    assert stamp.stat().st_mtime_ns == before
    at_target = scale.SizeResult(200, *[getattr(results[1], f) for f in ("pairs", "guides", "source_bytes",
                                                                            "pages", "output_bytes", "builds")])
    assert "| cold build under 3 minutes |" in scale.report([at_target], 1)


def test_the_measured_rmsite_is_byte_compiled_as_an_installed_copy_is():
    import importlib.util

    folder = measure.byte_compile_rmsite()
    assert (folder / "__init__.py").is_file()
    for module in ("__init__.py", "site/markdown.py", "pipeline/build.py"):
        cached = Path(importlib.util.cache_from_source(str(folder / module)))
        assert cached.is_file() and cached.stat().st_mtime >= (folder / module).stat().st_mtime


def test_stages_times_every_stage_of_a_cold_build(content: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert stages.main([str(content.parent), "--runs", "1", "--jobs", "1", "--markdown"]) == 0
    table = capsys.readouterr().out
    for _, name, _ in stages.STAGES:
        row = next(line for line in table.splitlines() if line.startswith(f"| `{name}` |"))
        assert row.count(" s |") == 3
    convert = next(line for line in table.splitlines() if line.startswith("| `convert_guides` |"))
    assert float(convert.split("|")[3].strip().removesuffix(" s")) > 0  # 25 guides take some time
    assert "| **build** |" in table and "| start-up |" in table
    assert "| bare Python-Markdown, the same extensions |" in table
