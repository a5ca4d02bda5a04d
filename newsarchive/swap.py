"""Replace the site folder in one step, so a killed build never leaves it half-written.

On Linux, renameat2(RENAME_EXCHANGE) swaps the new and old folders
atomically; elsewhere two renames leave a window of microseconds in which
the folder is absent, never one in which it is incomplete.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import shutil
import tempfile
from pathlib import Path

_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def _exchange(a: Path, b: Path) -> bool:
    """Atomically swap two paths; False when the platform cannot."""
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    renameat2.argtypes = [
        ctypes.c_int,
        ctypes.c_char_p,
        ctypes.c_int,
        ctypes.c_char_p,
        ctypes.c_uint,
    ]
    result = renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE)
    return result == 0


def staging_dir(target: Path) -> Path:
    """A fresh empty folder beside target (same filesystem, so renames are cheap)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    return Path(tempfile.mkdtemp(prefix=f".{target.name}-new-", dir=target.parent))


def publish(staged: Path, target: Path) -> None:
    """Put the staged folder in target's place and remove the old one."""
    if target.exists() and _exchange(staged, target):
        shutil.rmtree(staged, ignore_errors=True)  # staged now holds the old site
        return
    if target.exists():
        old = target.with_name(f".{target.name}-old-{os.getpid()}")
        os.rename(target, old)
        os.rename(staged, target)
        shutil.rmtree(old, ignore_errors=True)
    else:
        os.rename(staged, target)


def clean_stale(target: Path) -> None:
    """Remove staging folders left by builds that were killed."""
    for stale in target.parent.glob(f".{target.name}-new-*"):
        shutil.rmtree(stale, ignore_errors=True)
    for stale in target.parent.glob(f".{target.name}-old-*"):
        shutil.rmtree(stale, ignore_errors=True)
