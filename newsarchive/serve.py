"""Preview the built site on localhost, under its base_url like the real host.

With `reload`, the dev server also answers `<base_url>__reload__` by long
polling: the request waits until the next rebuild, then the page reloads
itself. The small script that does this is added to HTML as it is *served*;
files in site/ never contain it. `watch` polls the inputs' mtimes (no extra
dependency) and rebuilds when one changes.
"""

from __future__ import annotations

import functools
import http.server
import os
import socketserver
import threading
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

RELOAD_PATH = "__reload__"
RELOAD_SCRIPT = """<script>/* dev server only: reload after a rebuild */
(function(){var seen=null;function poll(){fetch(%s+"?since="+(seen===null?"":seen))
.then(function(r){return r.text()})
.then(function(g){if(seen!==null&&g!==seen){location.reload();return}seen=g;poll()}).catch(function(){setTimeout(poll,2000)})}poll()})();</script>"""


class Generation:
    """A counter of finished rebuilds that long-polling requests wait on."""

    def __init__(self) -> None:
        self.value = 0
        self._cond = threading.Condition()

    def bump(self) -> None:
        with self._cond:
            self.value += 1
            self._cond.notify_all()

    def wait_past(self, seen: int | None, timeout: float) -> int:
        with self._cond:
            if seen is not None:
                self._cond.wait_for(lambda: self.value != seen, timeout=timeout)
            return self.value


class _Handler(http.server.SimpleHTTPRequestHandler):
    """Serves site/ at base_url; anything outside it gets the site's 404 page."""

    base_url = "/"
    generation: Generation | None = None  # set when live reload is on
    poll_timeout = 25.0
    extensions_map = {  # noqa: RUF012 - class-level map, as in the stdlib
        **http.server.SimpleHTTPRequestHandler.extensions_map,
        ".js": "text/javascript",
        ".mjs": "text/javascript",
        ".json": "application/json",
        ".wasm": "application/wasm",
        ".pf_meta": "application/octet-stream",
    }

    def translate_path(self, path: str) -> str:
        if self.base_url != "/" and path.startswith(self.base_url):
            path = "/" + path[len(self.base_url) :]
        elif self.base_url != "/":
            path = "/__outside_base__"
        return super().translate_path(path)

    def do_GET(self) -> None:
        if self.generation is not None and self._reload_request():
            return
        if self.generation is not None and self._send_html_with_script():
            return
        super().do_GET()

    def _reload_request(self) -> bool:
        parts = urlsplit(self.path)
        if parts.path != self.base_url + RELOAD_PATH:
            return False
        since = parse_qs(parts.query).get("since", [""])[0]
        seen = int(since) if since.isdigit() else None
        assert self.generation is not None
        body = str(self.generation.wait_past(seen, self.poll_timeout)).encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Cache-Control", "no-store")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
        return True

    def _send_html_with_script(self) -> bool:
        path = Path(self.translate_path(urlsplit(self.path).path))
        if path.is_dir() and self.path.split("?")[0].endswith("/"):
            path = path / "index.html"
        if path.suffix != ".html" or not path.is_file():
            return False
        script = RELOAD_SCRIPT % repr(self.base_url + RELOAD_PATH).replace("'", '"')
        html = path.read_text(encoding="utf-8")
        at = html.rfind("</body>")
        html = html[:at] + script + html[at:] if at >= 0 else html + script
        body = html.encode("utf-8")
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Cache-Control", "no-store")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
        return True

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        page = Path(self.directory) / "404.html"
        if code == 404 and page.exists():
            body = page.read_bytes()
            self.send_response(404)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(body)
            return
        super().send_error(code, message, explain)

    def log_message(self, format: str, *args: object) -> None:
        pass


class _Server(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True
    allow_reuse_address = True


def make_server(
    site_dir: Path,
    base_url: str = "/",
    host: str = "127.0.0.1",
    port: int = 8000,
    generation: Generation | None = None,
) -> _Server:
    """A threaded preview server; with a Generation, pages reload after each rebuild."""
    handler = type("Handler", (_Handler,), {"base_url": base_url, "generation": generation})
    return _Server((host, port), functools.partial(handler, directory=str(site_dir)))


def snapshot(paths: Iterable[Path]) -> tuple[tuple[str, int, int], ...]:
    """(path, size, mtime_ns) of every file under the given files and folders."""
    rows = []
    for root in paths:
        if root.is_file():
            st = root.stat()
            rows.append((str(root), st.st_size, st.st_mtime_ns))
            continue
        for folder, dirs, files in os.walk(root):
            dirs[:] = [d for d in dirs if not d.startswith(".")]
            for name in files:
                path = os.path.join(folder, name)
                try:
                    st = os.stat(path)
                except OSError:
                    continue
                rows.append((path, st.st_size, st.st_mtime_ns))
    return tuple(sorted(rows))


def watch(
    paths: list[Path],
    rebuild: Callable[[], None],
    generation: Generation,
    stop: threading.Event,
    interval: float = 0.5,
) -> None:
    """Poll paths; after a change settles, rebuild and wake the waiting pages."""
    last = snapshot(paths)
    while not stop.wait(interval):
        now = snapshot(paths)
        if now == last:
            continue
        time.sleep(interval / 2)  # let an editor finish writing
        last = snapshot(paths)
        try:
            rebuild()
        except Exception as exc:  # a broken edit must not stop the preview
            print(f"rebuild failed: {exc}")
        generation.bump()


def serve(
    site_dir: Path,
    base_url: str,
    host: str,
    port: int,
    watch_paths: list[Path] | None = None,
    rebuild: Callable[[], None] | None = None,
) -> None:
    generation = Generation() if rebuild is not None else None
    server = make_server(site_dir, base_url, host, port, generation)
    stop = threading.Event()
    if generation is not None and rebuild is not None:
        threading.Thread(
            target=watch, args=(watch_paths or [], rebuild, generation, stop), daemon=True
        ).start()
    print(
        f"serving {site_dir} at http://{host}:{server.server_address[1]}{base_url}"
        + ("  (rebuilds on change; " if generation else "  (")
        + "Ctrl-C stops)",
        flush=True,
    )
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        stop.set()
        server.server_close()
