"""What a build did, for the summary a maintainer reads at the end."""

from __future__ import annotations

import sys
from dataclasses import dataclass, field


@dataclass
class Report:
    """Counts and messages collected by the stages; printed once at the end."""

    pages_read: int = 0
    pages_skipped_unchanged: int = 0
    articles_written: int = 0
    articles_unchanged: int = 0
    edits_kept: list[str] = field(default_factory=list)  # content files a maintainer edited
    backed_up: list[str] = field(default_factory=list)  # edited files saved before regenerating
    pages_ingested: list[str] = field(default_factory=list)  # raw pages (re)ingested this run
    problems: list[str] = field(default_factory=list)  # "file: reason" lines
    html_written: int = 0
    html_unchanged: int = 0
    html_deleted: int = 0
    render_skipped: bool = False  # nothing changed since the last build
    indexed_pages: int = 0
    timings: dict[str, float] = field(default_factory=dict)

    def problem(self, where: str, reason: str) -> None:
        """Record a bad input and tell the maintainer at once; the build goes on."""
        line = f"{where}: {reason}"
        self.problems.append(line)
        print(f"warning: {line}", file=sys.stderr)

    def summary(self) -> str:
        lines = [
            f"pages read: {self.pages_read} (unchanged, skipped: {self.pages_skipped_unchanged})",
            f"articles written: {self.articles_written} (unchanged: {self.articles_unchanged})",
            f"hand edits kept: {len(self.edits_kept)}",
        ]
        lines += [f"  kept {path}" for path in self.edits_kept[:50]]
        if len(self.edits_kept) > 50:
            lines.append(f"  … and {len(self.edits_kept) - 50} more")
        lines += [f"backed up before regenerating: {path}" for path in self.backed_up]
        if self.render_skipped:
            lines.append(f"site unchanged: render and index skipped ({self.html_unchanged} pages)")
        elif self.html_written or self.html_unchanged:
            lines.append(
                f"HTML pages written: {self.html_written} (unchanged, skipped: "
                f"{self.html_unchanged}; removed: {self.html_deleted})"
            )
        if self.indexed_pages:
            lines.append(f"pages in the search index: {self.indexed_pages}")
        lines.append(f"files skipped or with problems: {len(self.problems)}")
        lines += [f"  {p}" for p in self.problems[:100]]
        if self.timings:
            lines.append("time: " + ", ".join(f"{k} {v:.1f}s" for k, v in self.timings.items()))
        return "\n".join(lines)
