"""`build.py serve`: rebuild on change and reload the open page, with nothing added to site/."""

from __future__ import annotations

import threading
import time
import urllib.request
from pathlib import Path

from newsarchive.serve import RELOAD_PATH, Generation, make_server, watch


def _site(tmp: Path) -> Path:
    site = tmp / "site"
    (site / "a").mkdir(parents=True)
    (site / "a" / "index.html").write_text("<html><body><p>甲</p></body></html>", "utf-8")
    return site


def _get(url: str, timeout: float = 10) -> str:
    with urllib.request.urlopen(url, timeout=timeout) as resp:
        return resp.read().decode("utf-8")


def test_served_pages_get_the_reload_script_and_files_do_not(tmp_path: Path) -> None:
    site = _site(tmp_path)
    generation = Generation()
    server = make_server(site, "/archive/", port=0, generation=generation)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}/archive/"
    try:
        html = _get(base + "a/")
        assert "<p>甲</p><script>" in html and RELOAD_PATH in html
        assert "script" not in (site / "a" / "index.html").read_text("utf-8")

        assert _get(base + RELOAD_PATH) == "0"  # first poll answers at once
        answer: list[str] = []
        waiter = threading.Thread(
            target=lambda: answer.append(_get(base + RELOAD_PATH + "?since=0"))
        )
        waiter.start()
        time.sleep(0.3)
        assert not answer  # long poll: waits for the next rebuild
        generation.bump()
        waiter.join(5)
        assert answer == ["1"]
    finally:
        server.shutdown()
        server.server_close()


def test_plain_server_adds_nothing(tmp_path: Path) -> None:
    site = _site(tmp_path)
    server = make_server(site, "/", port=0)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        html = _get(f"http://127.0.0.1:{server.server_address[1]}/a/")
        assert "<script>" not in html
    finally:
        server.shutdown()
        server.server_close()


def test_watch_rebuilds_after_an_input_changes(tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "p.txt").write_text("一", "utf-8")
    builds: list[float] = []
    generation, stop = Generation(), threading.Event()
    thread = threading.Thread(
        target=watch, args=([raw], lambda: builds.append(time.time()), generation, stop, 0.05)
    )
    thread.start()
    try:
        time.sleep(0.2)
        assert not builds
        (raw / "q.txt").write_text("二", "utf-8")
        deadline = time.time() + 5
        while generation.value == 0 and time.time() < deadline:
            time.sleep(0.05)
        assert len(builds) == 1 and generation.value == 1
    finally:
        stop.set()
        thread.join(2)
