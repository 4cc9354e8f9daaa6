"""rmsite serve: a real server on 127.0.0.1, edited files, bounded waits."""

from __future__ import annotations

import gc
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from rmsite.output.folders import remove_stale_folders
from rmsite.pipeline.options import Options
from rmsite.serve import EVENTS_PATH, PreviewServer

WAIT = 15.0


def wait_for(predicate, timeout: float = WAIT):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.05)
    raise AssertionError("condition not met in time")


def fetch(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


@pytest.fixture
def served(example: Path):
    site = example / "site.yml"
    site.write_text(site.read_text().replace('base_url: "/"', 'base_url: "/mentoring/"')
                    .replace("base_url: /\n", "base_url: /mentoring/\n"))
    assert "/mentoring/" in site.read_text()
    lines: list[str] = []
    server = PreviewServer(Options(example), "127.0.0.1", 0, lines.append)
    server.start()
    try:
        yield server, example, lines
    finally:
        server.stop()


def root(server: PreviewServer) -> str:
    host, port = server.httpd.server_address[:2]
    return f"http://{host}:{port}"


def test_pages_are_served_under_the_base_url_with_the_reload_script(served):
    server, _, _ = served
    assert server.url.endswith("/mentoring/")
    status, body = fetch(server.url + "pairing/")
    assert status == 200 and EVENTS_PATH in body
    assert fetch(root(server) + "/")[0] == 200  # redirected to /mentoring/
    status, body = fetch(server.url + "no-such-page/")
    assert status == 404 and "Page not found" in body


def test_editing_a_guide_serves_the_new_text(served):
    server, site, lines = served
    guide = site / "content/pairing.md"
    guide.write_text(guide.read_text() + "\nA sentence added while previewing.\n")
    wait_for(lambda: "A sentence added while previewing." in fetch(server.url + "pairing/")[1])
    wait_for(lambda: any(line.startswith("rebuilt after") and "content/pairing.md" in line for line in lines))


def test_a_broken_cohort_shows_problems_then_recovers(served):
    server, site, _ = served
    cohort = site / "cohorts/2026-autumn.yml"
    good = cohort.read_text()
    generation = server.state.generation
    cohort.write_text(good.replace("level: ", "level: x", 1))
    problems = wait_for(lambda: server.state.problems)
    assert problems[0].startswith("cohorts/2026-autumn.yml:")
    status, body = fetch(server.url + "cohorts/2026-autumn/")
    assert status == 200  # the last good site stays browsable
    with urllib.request.urlopen(root(server) + EVENTS_PATH, timeout=5) as stream:
        first = stream.readline().decode()
    assert "cohorts/2026-autumn.yml:" in first and "error" in first
    cohort.write_text(good)
    wait_for(lambda: not server.state.problems and server.state.generation > generation)


def test_a_new_guide_appears_and_a_deleted_one_disappears(served):
    server, site, _ = served
    guide = site / "content/new-guide.md"
    guide.write_text("---\ntitle: Brand new\n---\nFresh text.\n")
    wait_for(lambda: "Fresh text." in fetch(server.url + "new-guide/")[1])
    guide.unlink()
    wait_for(lambda: fetch(server.url + "new-guide/")[0] == 404)


def test_an_editor_saving_by_rename_is_seen(served):
    server, site, _ = served
    guide = site / "content/feedback.md"
    temporary = site / "content/.feedback.md.tmp"
    temporary.write_text(guide.read_text() + "\nSaved by renaming a temporary file.\n")
    os.replace(temporary, guide)
    wait_for(lambda: "Saved by renaming a temporary file." in fetch(server.url + "feedback/")[1])


def test_a_renamed_folder_is_seen(served):
    server, site, _ = served
    (site / "content/extra").mkdir()
    (site / "content/extra/notes.md").write_text("---\ntitle: Notes\n---\nIn a folder.\n")
    wait_for(lambda: fetch(server.url + "extra/notes/")[0] == 200)
    (site / "content/extra").rename(site / "content/more")
    wait_for(lambda: fetch(server.url + "more/notes/")[0] == 200)
    assert fetch(server.url + "extra/notes/")[0] == 404


def test_a_burst_of_saves_gives_one_rebuild(served):
    server, site, lines = served
    before = len(lines)
    guide = site / "content/feedback.md"
    for i in range(5):
        guide.write_text(guide.read_text() + f"\nEdit {i}.\n")
        time.sleep(0.02)
    wait_for(lambda: "Edit 4." in fetch(server.url + "feedback/")[1])
    time.sleep(0.5)
    assert len(lines) - before <= 2


def test_build_output_never_contains_the_reload_script(served):
    server, site, _ = served
    assert not (site / "_site").exists()  # serve never touches the configured output
    assert all(EVENTS_PATH not in p.read_text() for p in server.options.output.rglob("*.html"))


def test_port_in_use_gives_a_clear_message(example: Path):
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen()
        port = sock.getsockname()[1]
        result = subprocess.run([sys.executable, "-m", "rmsite", "serve", "-s", str(example), "--port", str(port)],
                                capture_output=True, text=True, timeout=60)
    assert result.returncode == 1
    assert f"port {port} on 127.0.0.1 is already in use" in result.stderr and "--port 0" in result.stderr


def chromium_path() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.mark.browser
def test_an_open_page_reloads_by_itself_after_an_edit(served):
    path = chromium_path()
    if path is None:
        if os.environ.get("RMSITE_REQUIRE_BROWSER"):
            pytest.fail("chromium is required (RMSITE_REQUIRE_BROWSER is set) but was not found")
        pytest.skip("chromium is not installed")
    if os.environ.get("RMSITE_REQUIRE_BROWSER"):
        from playwright import sync_api
    else:
        sync_api = pytest.importorskip("playwright.sync_api")
    server, site, _ = served
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=path, args=["--no-sandbox", "--disable-gpu"])
        try:
            page = browser.new_page()
            page.goto(server.url + "pairing/")
            page.wait_for_function("() => document.querySelector('script') !== null")
            time.sleep(0.3)  # let the event stream connect
            guide = site / "content/pairing.md"
            guide.write_text(guide.read_text() + "\nThe browser saw this without a manual reload.\n")
            page.get_by_text("The browser saw this without a manual reload.").wait_for(timeout=WAIT * 1000)
            cohort = site / "cohorts/2026-pilot.yml"
            good = cohort.read_text()
            cohort.write_text(good.replace("level: ", "level: x", 1))
            page.locator("#rmsite-overlay").wait_for(timeout=WAIT * 1000)
            assert "cohorts/2026-pilot.yml:" in page.locator("#rmsite-overlay").inner_text()
            cohort.write_text(good)
            page.locator("#rmsite-overlay").wait_for(state="detached", timeout=WAIT * 1000)
        finally:
            browser.close()


def test_serve_command_prints_its_url_and_stops_cleanly_on_ctrl_c(example: Path):
    import signal
    process = subprocess.Popen([sys.executable, "-m", "rmsite", "serve", "-s", str(example), "--port", "0"],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        line = process.stdout.readline()
        assert line.startswith("serving ") and "http://127.0.0.1:" in line
        url = line.split(" at ")[1].split()[0]
        assert fetch(url)[0] == 200
        process.send_signal(signal.SIGINT)
        assert process.wait(timeout=15) == 0
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    assert "stopped" in process.stderr.read()
    assert not (example / "_site").exists()


@pytest.mark.parametrize("stop", ["SIGINT", "SIGTERM"])
def test_a_stopped_preview_removes_its_folder(example: Path, tmp_path: Path, stop: str):
    import signal
    env = {**os.environ, "TMPDIR": str(tmp_path)}
    process = subprocess.Popen([sys.executable, "-m", "rmsite", "serve", "-s", str(example), "--port", "0"],
                               stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, env=env)
    try:
        assert process.stdout.readline().startswith("serving ")
        assert [p.name.split("-")[2] for p in tmp_path.glob("rmsite-serve-*")] == [str(process.pid)]
        process.send_signal(getattr(signal, stop))
        assert process.wait(timeout=15) == 0
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    assert list(tmp_path.glob("rmsite-serve-*")) == []


def test_folders_left_by_killed_previews_are_removed_and_running_ones_kept(tmp_path: Path):
    gone = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    dead = tmp_path / f"rmsite-serve-{gone.stdout.strip()}-abc123"
    alive = tmp_path / f"rmsite-serve-{os.getpid()}-def456"
    other = tmp_path / "rmsite-serve-notapid-x"
    for folder in (dead, alive, other):
        (folder / "site").mkdir(parents=True)
    assert remove_stale_folders(tmp_path) == [dead]
    assert not dead.exists() and alive.exists() and other.exists()


def test_work_that_can_wait_waits_for_a_pause_in_requests():
    import threading
    import time as clock

    from rmsite.serve import PreviewState
    state = PreviewState(Path())
    started = clock.monotonic()
    state.wait_until_idle(quiet=0.05, limit=2.0)  # nothing served yet: no wait
    assert clock.monotonic() - started < 0.05
    state.request(started=True)
    threading.Timer(0.2, state.request, kwargs={"started": False}).start()
    started = clock.monotonic()
    state.wait_until_idle(quiet=0.1, limit=2.0)
    assert 0.3 <= clock.monotonic() - started < 1.5  # until the request ended, then a quiet 0.1 s
    state.request(started=True)
    started = clock.monotonic()
    state.wait_until_idle(quiet=0.1, limit=0.3)  # never idle: no longer than the limit
    assert 0.3 <= clock.monotonic() - started < 1.0


def preview_rebuilder(site: Path, tmp_path: Path, lines: list[str]):
    from dataclasses import replace

    from rmsite.serve import PreviewState, Rebuilder
    options = replace(Options(site), output=tmp_path / "preview")
    rebuilder = Rebuilder(options, PreviewState(options.output), lines.append)
    assert rebuilder.rebuild([]).written
    return rebuilder


def failing_once(real, message: str):
    """`real`, but raising RuntimeError(message) the first time it is called."""
    calls: list[int] = []

    def fails_once(*args, **kwargs):
        calls.append(1)
        if len(calls) == 1:
            raise RuntimeError(message)
        return real(*args, **kwargs)
    return fails_once


def test_a_failure_in_an_updates_later_work_gives_a_full_build(example: Path, tmp_path: Path, monkeypatch):
    from rmsite.pipeline import other_files as outputs
    lines: list[str] = []
    rebuilder = preview_rebuilder(example, tmp_path, lines)
    monkeypatch.setattr(outputs, "search_index_text", failing_once(outputs.search_index_text, "a fault in the index"))
    guide = example / "content/feedback.md"
    guide.write_text(guide.read_text() + "\nA word only this edit has: quillwort.\n")
    result = rebuilder.rebuild(["content/feedback.md"])
    assert result.written and not result.updated, "the full build followed"
    assert "quillwort" in (tmp_path / "preview/search/index.json").read_text()
    assert rebuilder.state.problems == []
    gc.unfreeze()


def test_an_internal_error_while_rebuilding_is_logged_and_the_next_change_rebuilds(example: Path, tmp_path: Path,
                                                                                    monkeypatch):
    from rmsite import serve
    lines: list[str] = []
    rebuilder = preview_rebuilder(example, tmp_path, lines)
    monkeypatch.setattr(serve, "update", failing_once(serve.update, "a fault of rmsite's"))
    monkeypatch.setattr(serve, "QUIET_SECONDS", 0.01)
    rebuilder.start()
    try:
        guide = example / "content/feedback.md"
        guide.write_text(guide.read_text() + "\nFirst edit.\n")
        rebuilder.changed("content/feedback.md")
        wait_for(lambda: any("internal error" in line for line in lines))
        assert rebuilder.thread.is_alive()
        guide.write_text(guide.read_text() + "\nSecond edit.\n")
        rebuilder.changed("content/feedback.md")
        wait_for(lambda: "Second edit." in (tmp_path / "preview/feedback/index.html").read_text())
    finally:
        rebuilder.stop()
        gc.unfreeze()
    assert "a fault of rmsite's" in next(line for line in lines if "internal error" in line)


@pytest.mark.parametrize("rel, edit", [
    ("content/feedback.md", lambda t: t + "\nOne more line.\n"),
    ("cohorts/2026-autumn.yml", lambda t: t.replace("name: Aisha Rahman", "name: Aisha Rahman-Quokka")),
])
def test_repeated_updates_do_not_keep_their_garbage(example: Path, tmp_path: Path, rel: str, edit):
    """The preview freezes what it keeps after each rebuild (gc.freeze); an update's own
    cycles are collected first, or each edit would add to what the preview holds for good.
    Automatic collections are kept from running (they could collect them by chance)."""
    lines: list[str] = []
    rebuilder = preview_rebuilder(example, tmp_path, lines)
    source = example / rel
    original = source.read_text()
    counts = []
    thresholds = gc.get_threshold()
    gc.set_threshold(10**9)
    try:
        for round_ in range(12):
            source.write_text(edit(original) if round_ % 2 else original)
            result = rebuilder.rebuild([rel])
            assert result.updated, lines
            counts.append(gc.get_freeze_count())
    finally:
        gc.set_threshold(*thresholds)
        gc.unfreeze()
    assert counts[-1] - counts[3] < 1000, counts


def test_a_request_for_another_host_name_is_refused(served):
    """A page elsewhere that points its own name at 127.0.0.1 (DNS rebinding) reads nothing:
    neither the pages nor the event stream with the build's problems."""
    import http.client
    server, _, _ = served
    host, port = server.httpd.server_address[:2]
    for path in ("/mentoring/", EVENTS_PATH):
        for name, allowed in ((f"127.0.0.1:{port}", True), (f"localhost:{port}", True),
                              (f"[::1]:{port}", True), ("attacker.example", False),
                              (f"attacker.example:{port}", False), ("", False)):
            connection = http.client.HTTPConnection(host, port, timeout=5)
            try:
                connection.putrequest("GET", path, skip_host=True)
                if name:
                    connection.putheader("Host", name)
                connection.endheaders()
                response = connection.getresponse()
                status = response.status
                if path != EVENTS_PATH or not allowed:
                    response.read()
            finally:
                connection.close()
            assert (status == 421) != allowed, (path, name, status)


def test_the_host_rule_serves_every_name_on_a_wildcard_address():
    from rmsite.core.urls import host_allowed
    assert host_allowed("anything.example:8000", "0.0.0.0")
    assert host_allowed("127.0.0.1:8000", "127.0.0.1") and host_allowed("LOCALHOST", "127.0.0.1")
    assert host_allowed("192.168.1.20:8000", "192.168.1.20")
    assert not host_allowed("evil.example", "127.0.0.1") and not host_allowed(None, "127.0.0.1")


def test_head_requests_get_the_headers_of_a_get_and_no_body(served):
    import http.client
    server, _, _ = served
    host, port = server.httpd.server_address[:2]
    for path, status in (("/mentoring/", 200), ("/mentoring/no-such-page/", 404), (EVENTS_PATH, 200)):
        connection = http.client.HTTPConnection(host, port, timeout=5)
        try:
            connection.request("HEAD", path)
            response = connection.getresponse()
            assert response.status == status, path
            assert response.read() == b""
            if path == "/mentoring/":
                assert int(response.getheader("Content-Length")) > 1000
        finally:
            connection.close()


def test_odd_requests_and_vanishing_clients_print_no_traceback(served, capfd):
    import socket
    server, _, _ = served
    host, port = server.httpd.server_address[:2]
    assert fetch(root(server) + "/mentoring/%00")[0] == 404
    assert fetch(root(server) + "/mentoring/a%00b/")[0] == 404
    for _ in range(3):  # ask for a page, then go away before reading the answer
        with socket.create_connection((host, port), timeout=5) as client:
            client.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")
            client.sendall(b"GET /mentoring/ HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
    assert fetch(root(server) + "/mentoring/")[0] == 200  # still serving
    time.sleep(0.2)
    captured = capfd.readouterr()
    assert "Traceback" not in captured.err + captured.out


def test_warnings_are_shown_apart_from_errors_without_blocking_the_page(served):
    server, site, lines = served
    assert server.state.warnings == [] and not any("warning" in line for line in lines)  # the example's are accepted
    cohort = site / "cohorts/2026-autumn.yml"
    text = cohort.read_text(encoding="utf-8")
    cohort.write_text(text.replace("      - Joanne Reece, Home Claims Team Manager\n", "", 1), encoding="utf-8")
    warned = wait_for(lambda: server.state.warnings)
    assert len(warned) == 1 and "[approvals: 2026-autumn/aisha-rahman-rebecca-thornton]" in warned[0]
    assert server.state.problems == [] and server.state.snapshot()["warnings"] == warned
    wait_for(lambda: any("1 warning:" in line for line in lines))
    assert any(line.strip() == warned[0] for line in lines)
    status, body = fetch(server.url + "cohorts/2026-autumn/aisha-rahman-rebecca-thornton/")
    assert status == 200 and "rmsite-warnings" in body  # the page is served, with the panel's script
    cohort.write_text(text, encoding="utf-8")
    wait_for(lambda: server.state.warnings == [])
    wait_for(lambda: any("0 warnings" in line for line in lines))
