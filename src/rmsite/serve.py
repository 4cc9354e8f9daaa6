"""Live preview: build into a temporary folder, serve it under its base_url
path, rebuild when a source file changes, and tell open pages to reload.

The reload script is injected into served HTML only; `rmsite build` output
never contains it. A failed rebuild keeps the last good site and shows every
problem in an overlay until the files are fixed."""

from __future__ import annotations

import gc
import json
import mimetypes
import os
import shutil
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit

from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers import Observer

from rmsite.core.problems import problem_lines
from rmsite.core.urls import host_allowed
from rmsite.output.folders import preview_folder
from rmsite.output.report import render_report
from rmsite.pipeline.build import build
from rmsite.pipeline.memo import Memos
from rmsite.pipeline.options import IN_PLACE, BuildResult, Options
from rmsite.pipeline.update import Updated, finish_later, update
from rmsite.site.report import report_view

WATCHED = ("content", "cohorts", "templates", "static")
EVENTS_PATH = "/__rmsite/events"
REPORT_PATH = "/__rmsite/report/"  # serve --report: the coordinator's report, held in memory, never written
QUIET_SECONDS = 0.05  # a burst of saves (an editor's write-then-rename) settles within this
IDLE_SECONDS = 0.1  # after a rebuild, a pause in requests this long means the pages have reloaded
IDLE_LIMIT_SECONDS = 1.0  # and work that could wait waits no longer than this
# the page's half of the live reload, injected into each served page (never into a built site);
# %s is the event stream's path
RELOAD_SCRIPT = "<script>" + (Path(__file__).parent / "theme/preview/live-reload.js").read_text(encoding="utf-8") + "</script>\n"


@dataclass
class PreviewState:
    """The served folder and the outcome of the latest build, shared with the server threads."""

    root: Path
    base_path: str = "/"
    generation: int = 0
    problems: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)  # of the last good build; shown apart, never blocking
    css_only: bool = False
    changed: threading.Condition = field(default_factory=threading.Condition)
    serving: int = 0  # requests being answered (the reload channel's aside)
    report: bytes | None = None  # serve --report: the latest report's HTML
    last_request: float = 0.0  # when the latest of them ended (time.monotonic)

    def request(self, started: bool) -> None:
        with self.changed:
            self.serving += 1 if started else -1
            self.last_request = time.monotonic()

    def wait_until_idle(self, quiet: float = IDLE_SECONDS, limit: float = IDLE_LIMIT_SECONDS) -> None:
        """Wait until no request has been answered for `quiet` seconds, or `limit` has passed:
        pages that reload after a rebuild are served before work that can wait."""
        deadline = time.monotonic() + limit
        while (now := time.monotonic()) < deadline and (self.serving or now - self.last_request < quiet):
            time.sleep(0.01)

    def publish(self, result: BuildResult, css_only: bool = False) -> None:
        with self.changed:
            self.problems = problem_lines([p for p in result.problems if p.severity == "error"])
            if result.written:
                self.warnings = problem_lines([p for p in result.problems if p.severity == "warning"])
                self.base_path = urlsplit(result.base_url).path or "/"
                self.generation += 1
                self.css_only = css_only
            self.changed.notify_all()

    def snapshot(self) -> dict[str, object]:
        return {"generation": self.generation, "problems": self.problems, "warnings": self.warnings,
                "css_only": self.css_only}


def relevant(source: Path, path: str) -> str | None:
    """The source-relative path of a changed file that affects the site, else None."""
    try:
        rel = Path(path).resolve().relative_to(source.resolve()).as_posix()
    except ValueError:
        return None
    name = rel.rsplit("/", 1)[-1]
    if name.startswith((".#", "#")) or name.endswith(("~", ".swp", ".swx", ".tmp")):
        return None
    if rel == "site.yml" or rel.split("/", 1)[0] in WATCHED:
        return rel
    return None


class _Watcher(FileSystemEventHandler):
    def __init__(self, source: Path, notify: Callable[[str], None]) -> None:
        self.source = source
        self.notify = notify

    def on_any_event(self, event: FileSystemEvent) -> None:
        if event.event_type in ("opened", "closed_no_write"):
            return
        if event.is_directory and event.event_type == "modified":
            return  # a file in it was added, removed or renamed: that file's own event says which
        for path in (event.src_path, getattr(event, "dest_path", "")):
            rel = relevant(self.source, os.fsdecode(path)) if path else None
            if rel:
                self.notify(rel)


class Rebuilder:
    """Collects change events, waits for a quiet moment, then rebuilds once."""

    def __init__(self, options: Options, state: PreviewState, log: Callable[[str], None],
                 report: bool = False) -> None:
        self.options = options
        self.state = state
        self.log = log
        self.report = report
        self.pending: set[str] = set()
        self.warned: list[str] | None = None  # the warnings last printed: printed again only when they change
        self.events = 0
        self.memos = Memos()
        self.lock = threading.Condition()
        self.stopped = False
        self.thread = threading.Thread(target=self._run, name="rmsite-rebuild", daemon=True)

    def start(self) -> None:
        self.thread.start()

    def stop(self) -> None:
        with self.lock:
            self.stopped = True
            self.lock.notify_all()
        self.thread.join(timeout=5)

    def changed(self, rel: str) -> None:
        with self.lock:
            self.pending.add(rel)
            self.events += 1
            self.lock.notify_all()

    def _run(self) -> None:
        while True:
            with self.lock:
                while not self.pending and not self.stopped:
                    self.lock.wait()
                if self.stopped:
                    return
            with self.lock:  # let a burst of saves settle: wait for a quiet moment
                while True:
                    seen = self.events
                    self.lock.wait(QUIET_SECONDS)
                    if self.events == seen or self.stopped:
                        break
                changes, self.pending = sorted(self.pending), set()
            try:
                self.rebuild(changes)
            except Exception as exc:  # noqa: BLE001 (a fault of rmsite's: say so, keep serving, start afresh)
                self.memos = Memos()
                self.log(f"internal error while rebuilding: {type(exc).__name__}: {exc}; serving the last "
                         "good site (the next change rebuilds everything; please report this)")

    def rebuild(self, changes: list[str]) -> BuildResult:
        """Build for `changes` (all of the site when empty), publish the outcome, and log it.
        An update's later work (the search index) follows the publication of its pages."""
        started = time.perf_counter()
        updated = update(self.options, self.memos, changes) if changes else None
        result = updated.result if updated is not None else build(self.options, self.memos, IN_PLACE)
        css_only = bool(changes) and all(c.startswith("static/") and c.endswith(".css") for c in changes)
        if self.report:
            self._report(result)
        self.state.publish(result, css_only)
        shown = time.perf_counter()
        later = ""
        if updated is not None and updated.later:
            self.state.wait_until_idle()  # requests would wait for the interpreter lock that this work holds
            begun = time.perf_counter()
            if self._later(updated):
                later = f"; search index updated after them ({(time.perf_counter() - begun) * 1000:.0f} ms)"
            else:  # a problem in what followed: the full build reports it
                result = build(self.options, self.memos, IN_PLACE)
                self.state.publish(result)
                shown = time.perf_counter()
        if not result.updated:  # once the pages are served: the full rebuild's garbage, then freeze
            self.state.wait_until_idle()
            gc.unfreeze()
        gc.collect()  # after an update, only its own objects: what was frozen before is not walked
        gc.freeze()  # what the preview keeps lives on: the collector need not walk it at every rebuild
        what = ", ".join(changes[:3]) + (f" and {len(changes) - 3} more" if len(changes) > 3 else "")
        if result.written:
            self.log(f"rebuilt after {what or 'start'}: {result.pages} pages written, "
                     f"{result.reused} unchanged, in {(shown - started) * 1000:.0f} ms{later}")
            if self.state.warnings != self.warned:
                count = sum(1 for p in result.problems if p.severity == "warning" and not p.accepted)
                if count or self.warned:
                    self.log(f"  {count} warning{'s' * (count != 1)}" + (":" if count else ""))
                for line in self.state.warnings:
                    self.log(f"  {line}")
                self.warned = list(self.state.warnings)
        else:
            errors = sum(1 for p in result.problems if p.severity == "error")
            self.log(f"build failed after {what or 'start'} ({errors} error{'s' * (errors != 1)}); "
                     "serving the last good site")
            for line in self.state.problems:
                self.log(f"  {line}")
        return result

    def _report(self, result: BuildResult) -> None:
        """Make the report again from the programme just built, with the build's problems; after a
        failed build the last good report stays (the overlay says why)."""
        last = self.memos.last
        programme = last.loaded.programme if last is not None else None
        if not result.written or programme is None:
            return
        html, problems = render_report(report_view(programme, result.problems), self.options.source,
                                       programme.site.config.language, RELOAD_SCRIPT % EVENTS_PATH,
                                       self.memos.templates)
        if html is not None:
            self.state.report = html.encode("utf-8")
        for problem in problems:
            self.log(f"  report: {problem.format()}")

    def _later(self, updated: Updated) -> bool:
        """Do an update's later work; False (the full build follows) if it fails in any way."""
        try:
            return finish_later(self.memos, updated)
        except Exception:  # noqa: BLE001 (the full build that follows does it again, or reports why)
            self.memos.last = None
            return False


def bound_host(server: object) -> str:
    """The address a server listens on (an IP server's address is a tuple of host and port)."""
    address = getattr(server, "server_address", ("",))
    return str(address[0]) if isinstance(address, tuple) else ""


def make_handler(state: PreviewState) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        server_version = "rmsite-serve"

        def log_message(self, format: str, *args: object) -> None:  # quiet: one line per rebuild only
            return

        def handle(self) -> None:
            try:
                super().handle()
            except (ConnectionError, TimeoutError):  # the browser went away mid-answer: nothing to say
                return

        def do_HEAD(self) -> None:  # noqa: N802 (http.server's API)
            self.do_GET()  # respond() and the event stream send no body for HEAD

        def do_GET(self) -> None:  # noqa: N802 (http.server's API)
            if not host_allowed(self.headers.get("Host"), bound_host(self.server)):
                self.send_error(HTTPStatus.MISDIRECTED_REQUEST, "not a host this preview serves")
                return None
            path = unquote(urlsplit(self.path).path)
            if "\x00" in path:  # never a file name
                return self.not_found()
            if path == EVENTS_PATH:
                return self.events()
            if path == REPORT_PATH.rstrip("/"):
                return self.redirect(REPORT_PATH)
            if path == REPORT_PATH:
                return self.send_report()
            state.request(started=True)
            try:
                self.answer(path)
            finally:
                state.request(started=False)

        def answer(self, path: str) -> None:
            base = state.base_path
            if not path.startswith(base):
                if path.rstrip("/") + "/" == base:
                    return self.redirect(base)
                if path == "/":
                    return self.redirect(base)
                return self.not_found()
            self.send_file(path[len(base):])

        def redirect(self, location: str) -> None:
            self.send_response(HTTPStatus.FOUND)
            self.send_header("Location", location)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def send_file(self, rel: str) -> None:
            root = state.root.resolve()
            file = (root / rel).resolve()
            if not file.is_relative_to(root):
                return self.not_found()
            if file.is_dir():
                if rel and not rel.endswith("/"):
                    return self.redirect(state.base_path + rel + "/")
                file = file / "index.html"
            if not file.is_file():
                return self.not_found()
            self.respond(HTTPStatus.OK, file)

        def send_report(self) -> None:
            data = state.report
            if data is None:
                return self.not_found()
            self.send_response(HTTPStatus.OK)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(data)))
            self.send_header("Cache-Control", "no-store")
            self.send_header("X-Robots-Tag", "noindex")
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(data)

        def not_found(self) -> None:
            page = state.root / "404.html"
            if state.generation == 0 and state.problems:  # nothing built yet: show why
                body = (b"<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Build failed"
                        b"</title></head><body><h1>The site did not build yet</h1></body></html>")
                self.send_response(HTTPStatus.SERVICE_UNAVAILABLE)
                data = inject(body)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                if self.command != "HEAD":
                    self.wfile.write(data)
            elif page.is_file():
                self.respond(HTTPStatus.NOT_FOUND, page)
            else:
                self.send_error(HTTPStatus.NOT_FOUND)

        def respond(self, status: HTTPStatus, file: Path) -> None:
            data = file.read_bytes()
            kind = mimetypes.guess_type(file.name)[0] or "application/octet-stream"
            if kind == "text/html":
                data = inject(data)
            if kind.startswith("text/") or kind in ("application/json", "application/xml"):
                kind += "; charset=utf-8"
            self.send_response(status)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(data)))
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(data)

        def events(self) -> None:
            self.send_response(HTTPStatus.OK)
            self.send_header("Content-Type", "text/event-stream")
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            if self.command == "HEAD":
                return
            last = None
            try:
                while not getattr(self.server, "stopping", False):
                    with state.changed:
                        snapshot = state.snapshot()
                        if snapshot == last:
                            state.changed.wait(timeout=1.0)
                            snapshot = state.snapshot()
                    if snapshot != last:
                        self.wfile.write(f"data: {json.dumps(snapshot)}\n\n".encode())
                        last = snapshot
                    else:
                        self.wfile.write(b": keep-alive\n\n")
                    self.wfile.flush()
            except (BrokenPipeError, ConnectionResetError):
                return

    return Handler


def inject(html: bytes) -> bytes:
    """The page with the live-reload script before </body>."""
    script = (RELOAD_SCRIPT % EVENTS_PATH).encode()
    index = html.rfind(b"</body>")
    return html[:index] + script + html[index:] if index >= 0 else html + script


class PreviewServer:
    """A running preview: the first build, the HTTP server and the watcher."""

    def __init__(self, options: Options, host: str, port: int, log: Callable[[str], None],
                 report: bool = False) -> None:
        self.state = PreviewState(Path())
        self.httpd = ThreadingHTTPServer((host, port), make_handler(self.state))  # fails first if the port is taken
        self.folder = preview_folder(Path(tempfile.gettempdir()))
        self.state.root = self.folder / "site"
        self.options = replace(options, output=self.state.root)
        self.rebuilder = Rebuilder(self.options, self.state, log, report)
        self.httpd.daemon_threads = True
        self.observer = Observer()
        self.thread = threading.Thread(target=self.httpd.serve_forever, name="rmsite-http", daemon=True)

    @property
    def url(self) -> str:
        host, port = self.httpd.server_address[:2]
        return f"http://{host!s}:{port}{self.state.base_path}"

    @property
    def report_url(self) -> str:
        host, port = self.httpd.server_address[:2]
        return f"http://{host!s}:{port}{REPORT_PATH}"

    def start(self) -> BuildResult:
        result = self.rebuilder.rebuild([])
        self.observer.schedule(_Watcher(self.options.source, self.rebuilder.changed),
                               str(self.options.source), recursive=True)
        self.observer.start()
        self.rebuilder.start()
        self.thread.start()
        return result

    def stop(self) -> None:
        self.httpd.stopping = True  # type: ignore[attr-defined]  # read by the handler, see make_handler
        self.observer.stop()
        self.rebuilder.stop()
        self.httpd.shutdown()
        self.httpd.server_close()
        self.observer.join(timeout=5)
        shutil.rmtree(self.folder, ignore_errors=True)
