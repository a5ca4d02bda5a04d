"""Replace the site folder in one step, so a killed build never leaves it half-written.

On Linux, renameat2(RENAME_EXCHANGE) swaps the new and old folders
atomically; elsewhere two renames leave a window of microseconds in which
the folder is absent, never one in which it is incomplete.

The replaced site is kept beside it as `.<site>-spare` rather than deleted:
the next build brings that folder up to date in place (incremental.sync_tree)
instead of creating a folder and a hard link for every page again, which on
some disks costs seconds per build, and deleting the old tree costs as much.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import secrets
import shutil
import stat
import subprocess
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
    return new_folder(target.parent, f".{target.name}-new-")


def new_folder(parent: Path, prefix: str) -> Path:
    """A new empty folder with a unique name and the permissions of any folder the user
    makes. (tempfile.mkdtemp's are private, 0700: a site published from one could not
    be read by a web server running as another user, nor copied to a host with rsync -a.)
    """
    while True:
        path = parent / f"{prefix}{secrets.token_hex(4)}"
        try:
            path.mkdir()
            return path
        except FileExistsError:
            continue


def spare_dir(target: Path) -> Path:
    """Where the site a build replaced waits to become the next build's staging folder."""
    return target.parent / f".{target.name}-spare"


def take_spare(target: Path) -> Path | None:
    """The spare site, renamed to a staging name (so a killed build's leftovers are
    cleaned like any staging folder), or None when there is none."""
    spare = spare_dir(target)
    if not spare.is_dir():
        return None
    staged = staging_dir(target)
    usual = stat.S_IMODE(staged.stat().st_mode)
    staged.rmdir()
    os.rename(spare, staged)
    staged.chmod(usual)  # a spare left by an older version may be private (0700)
    return staged


def publish(staged: Path, target: Path) -> None:
    """Put the staged folder in target's place; keep the old one as the spare.

    When a spare is somehow still there, the old site is removed instead, by a
    detached `rm`: deleting tens of thousands of folders can take seconds.
    """
    old = Path(tempfile.mkdtemp(prefix=f".{target.name}-old-", dir=target.parent))
    old.rmdir()
    if target.exists() and _exchange(staged, target):
        os.rename(staged, old)  # staged now holds the old site
    elif target.exists():
        os.rename(target, old)
        os.rename(staged, target)
    else:
        os.rename(staged, target)
        return
    if spare_dir(target).exists():
        discard(old)
    else:
        os.rename(old, spare_dir(target))


def discard(path: Path) -> None:
    """Remove a folder that is not needed, without waiting for it (a detached `rm`)."""
    if shutil.which("rm"):
        try:
            subprocess.Popen(
                ["rm", "-rf", "--", str(path)],
                start_new_session=True,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            return
        except OSError:
            pass
    shutil.rmtree(path, ignore_errors=True)


def clean_stale(target: Path) -> None:
    """Remove staging folders left by builds that were killed."""
    for stale in target.parent.glob(f".{target.name}-new-*"):
        shutil.rmtree(stale, ignore_errors=True)
    for stale in target.parent.glob(f".{target.name}-old-*"):
        shutil.rmtree(stale, ignore_errors=True)
