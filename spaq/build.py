"""Build an Index from a corpus: read, extract, reconcile, derive.

    paths ──corpus──> Documents ──extract──> DocFacts ──reconcile──> Tables

From the cache when it can: the finished index of an unchanged corpus
(spaq.snapshot), else each unchanged file's facts (spaq.cache), so only new
and changed files are read. Extraction and reconciliation are imported only
when a build needs them: a warm start loads neither.
"""
from __future__ import annotations

import gc
import os
import sys
import time
from pathlib import Path

from . import snapshot
from .cache import Entry, FactsCache, Pack, protect, read_entry, read_entry_encoded
from .listing import find_files
from .errors import CorpusError
from .index import Index
from .model import collector_paused

TYPE_CHECKING = False
if TYPE_CHECKING:                      # `typing` costs a warm start 0.6 MB: for the checkers only
    from typing import Iterable, Iterator


def _say(level: str, message: str) -> None:
    """Tell the user through the "spaq" logger (standard error unless an embedding program
    configures it). `logging` is imported only then: a warm start with nothing to say
    spares its megabyte and 5 ms."""
    import logging
    getattr(logging.getLogger("spaq"), level)("spaq: %s", message)


def bundled_corpus() -> Path:
    """The corpus shipped with spaq: inside the installed package, else the checkout's."""
    here = Path(__file__).resolve().parent
    for candidate in (here / "corpus", here.parent / "corpus"):
        if candidate.is_dir():
            return candidate
    raise CorpusError("the bundled corpus is missing from this installation")


def build_index(paths: Iterable[str | Path] = (), cache: bool = True, workers: int | None = None) -> Index:
    """Read, extract (from the cache when a file is unchanged), reconcile.

    `cache=False` reads every file and writes no cache; `workers` caps the
    processes that extract (default: one per CPU, when there are enough files).
    """
    paths = tuple(Path(p) for p in paths) or (bundled_corpus(),)
    for root in paths:
        protect(root)
    # Reading, building and saving make millions of objects and free few of them.
    with collector_paused():
        return _build(paths, cache, workers)


def _build(paths: tuple[Path, ...], cache: bool, workers: int | None) -> Index:
    store = FactsCache() if cache else None
    roots = [(root, *find_files([root])) for root in paths]
    if store is not None:
        found = snapshot.find(store.directory, paths, roots)
        if found is not None:
            del roots                  # the listing is not kept through the reading
            index = found.read()
            if index is not None:
                return index
            roots = [(root, *find_files([root])) for root in paths]
    entries: list[Entry | None] = []
    todo: list[tuple[int, Path, str, Pack | None]] = []
    packs: list[Pack] = []
    skipped: list[tuple[str, str]] = []
    for root, files, skip in roots:
        skipped.extend(skip)
        pack = store.pack(root) if store is not None else None
        if pack is not None:
            packs.append(pack)
        for path, name in files:
            entry = pack.lookup(path, name) if pack is not None else None
            if entry is None:
                todo.append((len(entries), path, name, pack))
            entries.append(entry)
    # Imported before any worker is forked, which then has the facts' classes and value parsers already.
    from .reconcile import Builder
    builder = Builder()
    fed = 0

    def feed_builder() -> None:
        """Hand the builder each entry it has not had, in corpus order, up to the first
        not yet read: it does its share as the workers read, not after them."""
        nonlocal fed
        while fed < len(entries) and (entry := entries[fed]) is not None:
            if entry.facts:
                for doc in entry.facts:
                    builder.add(doc)
            else:
                builder.add_unread(entry.name, entry.unread or "no documents")
            fed += 1

    feed_builder()
    cores = workers if workers is not None else (os.cpu_count() or 1)
    # (The reading first: zip asks it for one more, which lets it finish.)
    for entry, (i, _, _, pack) in zip(_read_all([(p, n) for _, p, n, _ in todo], store is not None, cores), todo):
        entries[i] = entry
        if pack is not None:
            pack.store(entry)
        feed_builder()
    for pack in packs:
        pack.close()
        for problem in pack.problems:
            _say("warning", problem)
    if not builder.facts and not builder.unread:
        raise CorpusError("cannot read corpus: no files found in " + ", ".join(map(str, paths)))
    index = builder.index(paths, skipped)
    # A file that could not be read at all is tried again next time: no snapshot then.
    if store is not None and all(e.size >= 0 for e in entries):
        # With more than one core to use, a second process encodes half of it meanwhile.
        problem = snapshot.save(store.directory, paths, roots, entries, index, cores > 1)
        if problem:
            _say("warning", problem)
    return index


# With fewer files than this to read, starting worker processes costs more than
# it saves (benchmarks/run.py measures both sides of it).
PARALLEL_MIN_FILES = 100


def _read_all(jobs: list[tuple[Path, str]], encode: bool, workers: int) -> Iterator[Entry]:
    """Every job's Entry, in order, each as soon as it is read: across processes when
    there are many, else here."""
    progress = _Progress(len(jobs))
    done = 0
    if len(jobs) >= PARALLEL_MIN_FILES and workers > 1:
        from concurrent.futures import ProcessPoolExecutor
        from concurrent.futures.process import BrokenProcessPool
        chunk = max(1, min(32, len(jobs) // (workers * 16)))
        try:
            # Forked with the collector paused (build_index): the workers' own garbage is theirs to collect.
            with ProcessPoolExecutor(max_workers=workers, initializer=gc.enable) as pool:
                # Left early (the build failed), map's results cancel the chunks not yet begun.
                for entry in pool.map(read_entry_encoded, [(p, n, encode) for p, n in jobs], chunksize=chunk):
                    yield entry.with_facts()
                    done += 1
                    progress.step()
        except (OSError, BrokenProcessPool, PermissionError, NotImplementedError) as e:
            # No processes here (a sandbox, no /dev/shm): the rest is read in this one.
            _say("info", f"reading in one process ({e})")
    for path, name in jobs[done:]:
        yield read_entry(path, name)
        progress.step()
    progress.close()


class _Progress:
    """A progress line on standard error, only when it is a terminal (silence otherwise)."""

    def __init__(self, total: int, minimum: int = 50):
        stream = sys.stderr
        self.total, self.count, self.shown = total, 0, 0.0
        self.stream = stream if total >= minimum and stream is not None and stream.isatty() else None

    def step(self) -> None:
        self.count += 1
        if self.stream is None:
            return
        now = time.monotonic()
        if now - self.shown >= 0.1 or self.count == self.total:
            self.shown = now
            width = 30
            filled = width * self.count // self.total
            self.stream.write(f"\rspaq: reading [{'#' * filled}{'.' * (width - filled)}] "
                              f"{self.count:,}/{self.total:,} files")
            self.stream.flush()

    def close(self) -> None:
        if self.stream is not None and self.count:
            self.stream.write("\r\x1b[K")
            self.stream.flush()
