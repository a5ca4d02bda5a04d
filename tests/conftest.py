"""Shared fixtures: a sample site built once per session, a local server, a browser.

Browser tests skip when Chromium or Playwright is missing, except under
CI=true, where a missing browser fails the run instead.
"""

from __future__ import annotations

import os
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from newsarchive.config import load_config
from newsarchive.pipeline import build
from newsarchive.report import Report
from newsarchive.serve import make_server

REPO = Path(__file__).resolve().parent.parent
RAW = REPO / "raw"
CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-gpu",
    "--no-first-run",
    "--disable-sync",
]


def build_sample(tmp: Path, base_url: str = "/", **settings: object) -> tuple[Path, Report]:
    """Build the sample pages into tmp/{content,site} with the repo's config (plus settings)."""
    config = load_config(REPO / "archive.yaml").with_paths(
        raw_dir=RAW, content_dir=tmp / "content", site_dir=tmp / "site"
    )
    if base_url != "/" or settings:
        from dataclasses import replace

        config = replace(config, base_url=base_url, **settings)
    report = Report()
    build(config, report)
    return tmp / "site", report


@pytest.fixture(scope="session")
def sample_build(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Report]:
    return build_sample(tmp_path_factory.mktemp("sample"))


@pytest.fixture(scope="session")
def sample_site(sample_build: tuple[Path, Report]) -> Path:
    return sample_build[0]


def serve_dir(site: Path, base_url: str = "/") -> tuple[str, callable]:
    server = make_server(site, base_url, port=0)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{server.server_address[1]}{base_url}"

    def stop() -> None:
        server.shutdown()
        server.server_close()

    return url, stop


@pytest.fixture(scope="session")
def site_url(sample_site: Path) -> Iterator[str]:
    url, stop = serve_dir(sample_site)
    yield url
    stop()


def _browser_unavailable(reason: str) -> None:
    if os.environ.get("CI") == "true":
        pytest.fail(f"browser tests cannot run under CI=true: {reason}")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def browser():  # type: ignore[no-untyped-def]
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _browser_unavailable("playwright is not installed (pip install -e '.[test]')")
    if not CHROMIUM.exists() and not shutil.which("chromium"):
        _browser_unavailable(f"{CHROMIUM} not found (apt-get install -y chromium)")
    executable = str(CHROMIUM if CHROMIUM.exists() else shutil.which("chromium"))
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):  # type: ignore[no-untyped-def]
    context = browser.new_context(locale="zh-CN")
    page = context.new_page()
    yield page
    context.close()
