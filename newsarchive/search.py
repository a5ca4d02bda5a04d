"""The full-text search index: the only module that knows Pagefind.

Article pages mark their searchable text with `data-pagefind-body`; this
module feeds the rendered article pages to Pagefind's extended build (which
segments Chinese) through its Python API and writes site/pagefind/.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

from pagefind.index import IndexConfig, PagefindIndex

INDEX_DIR = "pagefind"


async def _build_index(site_dir: Path, html_files: list[Path]) -> int:
    out = str(site_dir / INDEX_DIR)
    config = IndexConfig(root_selector="html", force_language="zh-cn", output_path=out)
    count = 0
    async with PagefindIndex(config=config) as index:
        for path in html_files:
            rel = path.relative_to(site_dir).as_posix()
            await index.add_html_file(content=path.read_text(encoding="utf-8"), source_path=rel)
            count += 1
    return count  # leaving the context writes the index to `out`


def index_site(site_dir: Path) -> int:
    """Index every article page under site_dir; return how many pages went in."""
    files = sorted((site_dir / "articles").glob("*/index.html"))
    return asyncio.run(_build_index(site_dir, files))
