"""Finding the files of a corpus: what a warm start needs of it.

A corpus is any mix of directories (searched recursively) and single files.
Listing is apart from reading them (spaq.corpus) so a warm start, which lists
the files to see whether its snapshot still holds, does not compile the
patterns that split and clean documents (a millisecond of a 27 ms start).
"""
from __future__ import annotations

import os
import re
import stat
from operator import attrgetter
from pathlib import Path

from .errors import CorpusError

# Files that are certainly not filings; everything else is tried.
# A tuple, for str.endswith: each has one dot, so a name (not starting with one) ends with
# it exactly when it is the name's os.path.splitext suffix.
_SKIP_SUFFIXES = (".pyc", ".zip", ".gz", ".png", ".jpg", ".jpeg", ".gif", ".pdf", ".xlsx", ".xls")

_KINDS = ((stat.S_ISFIFO, "a named pipe"), (stat.S_ISSOCK, "a socket"), (stat.S_ISCHR, "a device"),
          (stat.S_ISBLK, "a device"), (stat.S_ISDIR, "a directory"))


def _not_regular(mode: int) -> str:
    kind = next((name for test, name in _KINDS if test(mode)), None)
    return f"not a regular file ({kind})" if kind else "not a regular file"


_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def display_name(rel: str) -> str:
    """A path as it can be printed: undecodable bytes and control characters escaped."""
    if rel.isascii() and rel.isprintable():
        return rel                     # nearly every name: nothing to escape
    rel = rel.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    return _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", rel)


def find_files(paths) -> tuple[list[tuple[Path | str, str]], list[tuple[str, str]]]:
    """Every file under `paths`, as (path, display name), and what was skipped, with why.
    A path found in a directory is a str (100,000 Path objects weigh 40 MB).

    Display names are relative to the directory given, so a corpus moved
    elsewhere keeps the same names (and the same ids). Links to files are
    read; links to directories are not followed (a link to a parent would
    loop) and are listed as skipped, as are pipes, sockets and devices.
    """
    found: list[tuple[Path, str]] = []
    skipped: list[tuple[str, str]] = []
    for raw in paths:
        root = Path(raw).expanduser()
        try:
            mode = root.stat().st_mode
        except OSError as e:
            why = "no such file or directory" if isinstance(e, FileNotFoundError) else e.strerror or str(e)
            raise CorpusError(f"cannot read corpus: {why}: {raw}") from None
        if stat.S_ISREG(mode):
            found.append((root, display_name(root.name)))
        elif stat.S_ISDIR(mode):
            _walk(str(root), "", found, skipped, top=root)
        else:
            skipped.append((display_name(root.name), _not_regular(mode)))
    return found, skipped


_NAME = attrgetter("name")


def _walk(here: str, prefix: str, found: list, skipped: list, top: Path) -> None:
    """Files of `here` (names sorted), then each subdirectory's in turn, as os.walk
    lists them top-down; `prefix` is `here` relative to the root, with a slash.
    os.scandir rather than os.walk and pathlib: a warm start on 100,000 filings
    spends most of its time listing them."""
    try:
        with os.scandir(here) as it:
            entries = sorted(it, key=_NAME)
    except OSError as e:
        # A directory that cannot be listed is said, not passed over.
        skipped.append((display_name(prefix.rstrip("/")) if prefix else display_name(top.name),
                        f"unreadable directory: {e.strerror or e}"))
        return
    dirs = []
    for entry in entries:
        name = entry.name
        if name.startswith("."):
            continue
        rel = prefix + name
        try:
            is_dir = entry.is_dir(follow_symlinks=False)
            is_link = not is_dir and entry.is_symlink()
        except OSError:
            is_dir = is_link = False
        if is_dir:
            dirs.append(entry)
            continue
        if is_link:
            try:
                if entry.is_dir():     # a link to a directory: not followed
                    skipped.append((display_name(rel), "a link to a directory, not followed"))
                    continue
            except OSError:
                pass
        if name.lower().endswith(_SKIP_SUFFIXES):
            skipped.append((display_name(rel), f"not a text filing ({os.path.splitext(name)[1]})"))
            continue
        try:
            # A plain file is known from the directory listing itself (no stat); a link or
            # anything odd is looked at: what it is decides whether it is read.
            mode = stat.S_IFREG if entry.is_file(follow_symlinks=False) else entry.stat().st_mode
        except OSError:
            mode = stat.S_IFREG        # a broken link, or gone: reading it says why
        if not stat.S_ISREG(mode):
            skipped.append((display_name(rel), _not_regular(mode)))
            continue
        found.append((entry.path, display_name(rel)))       # entry.path: os.path.join(here, name)
    for entry in dirs:
        _walk(entry.path, prefix + entry.name + "/", found, skipped, top)
