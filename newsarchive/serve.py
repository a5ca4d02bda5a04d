"""Preview the built site on localhost, under its base_url like the real host."""

from __future__ import annotations

import functools
import http.server
import socketserver
from pathlib import Path


class _Handler(http.server.SimpleHTTPRequestHandler):
    """Serves site/ at base_url; anything outside it gets the site's 404 page."""

    base_url = "/"
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
    site_dir: Path, base_url: str = "/", host: str = "127.0.0.1", port: int = 8000
) -> _Server:
    handler = type("Handler", (_Handler,), {"base_url": base_url})
    return _Server((host, port), functools.partial(handler, directory=str(site_dir)))


def serve(site_dir: Path, base_url: str, host: str, port: int) -> None:
    server = make_server(site_dir, base_url, host, port)
    print(
        f"serving {site_dir} at http://{host}:{server.server_address[1]}{base_url}  (Ctrl-C stops)"
    )
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
