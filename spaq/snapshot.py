"""The finished index, cached: a warm start on an unchanged corpus reads one file.

The facts cache (spaq.cache) spares extraction, but a warm start from it
still decodes every value's source and reconciles every deal again: most of
the time of a warm start at 10,000 filings. So the index itself is kept too,
one snapshot per set of corpus roots loaded together,
`index/<hash of the roots>.spaq` in the cache directory:

    {"magic": "spaq-index", "format": 7, "spaq": ..., "code": ..., "key": ..., ...}\\n
    payload: parts one after another, their lengths in the header

The snapshot is used only when all of these hold, else the index is built
(from the facts cache, which reads only what changed) and the snapshot
written again:

- the spaq version and a hash of the code that builds an index (the
  extractor's and this module's, spaq/build.py's, spaq/reconcile.py's...) are
  the ones running;
- the roots are the same, and so is their listing: every file's name, size
  and mtime_ns, in order, and what the walk skipped (`key`, a hash of it all);
- a file modified too close to when the snapshot was made for its mtime to
  be trusted (spaq.cache.RACY_NS) still has the bytes it had (`racy`);
- the payload's CRC-32 is right and it decodes.

Tables are stored by column. Each distinct value (text, number, date, list
of text) is written once, in a pool, and columns cite it by position, so
reading it back makes each value once, shared by every column and table
that holds it, without a dictionary of them all; a column None throughout
is not written at all. A table's sources, which only `show` and `export`
read, are compressed blocks of `BLOCK` rows citing Sources by number, and
blocks of the Sources, each written once for the whole index (see
`_encode_sources`), read again from the snapshot (kept open) and decoded when a
row's are asked for: the warm index of 100,000 filings holds its values, not
a copy of every line they came from. JSON and plain numbers, for the same
reason as the facts cache: nothing in a cache directory can run code.
Written to a temporary file and `os.replace`d.
"""
from __future__ import annotations

import datetime as dt
import json
import os
import sys
import time
import zlib
from collections.abc import Sequence
from itertools import accumulate, chain, compress, count, islice, repeat
from operator import attrgetter, itemgetter, rshift
from pathlib import Path

from . import cache
from .cache import RACY_NS, _version, content_hash, decode_value, digest, encode_value, hasher, inside
from .errors import CorpusError
from .model import ABSENT, Source, Table

TYPE_CHECKING = False
if TYPE_CHECKING:                      # `typing` costs a warm start 0.6 MB: for the checkers only
    from typing import Any

MAGIC = "spaq-index"
FORMAT = 7
BLOCK = 256                    # rows per compressed block of the Sources they cite
SOURCES = 1024                 # Sources per compressed block of them
_SHIFT, _MASK = SOURCES.bit_length() - 1, SOURCES - 1      # a Source's block and place in it
_HERE = Path(__file__).resolve().parent
# What else decides what an index holds, besides the extractor (spaq.cache.extractor_fingerprint).
_BUILDERS = ("build.py", "reconcile.py", "index.py", "model.py", "schema.py", "snapshot.py")


def code_fingerprint() -> str:
    h = hasher()
    h.update(cache.extractor_fingerprint().encode())
    for name in _BUILDERS:
        h.update(name.encode())
        try:
            h.update((_HERE / name).read_bytes())
        except OSError:
            h.update(b"?")
    return h.hexdigest()


def snapshot_path(directory: Path, roots: tuple[Path, ...]) -> Path | None:
    """Where the snapshot of these roots lives; None when that would be inside one of them."""
    resolved = []
    for root in roots:
        if inside(directory, root):
            return None
        try:
            resolved.append(str(root.resolve()))
        except (OSError, RuntimeError):
            return None
    key = digest("\0".join(resolved).encode("utf-8", "surrogatepass"), 12)
    return directory / "index" / f"{key}.spaq"


def _listing_key(roots: list, sizes: list[tuple[int, int]]) -> str:
    """A hash of the roots, their files' names with each one's (size, mtime_ns), and what was skipped."""
    h = hasher(32)
    files = iter(sizes)
    for root, found, skipped in roots:
        h.update(b"\1" + str(root).encode("utf-8", "surrogatepass"))
        for _, name in found:
            size, mtime = next(files)
            h.update(b"\2%s\0%d\0%d" % (name.encode("utf-8", "surrogatepass"), size, mtime))
        for name, why in skipped:
            h.update(b"\3%s\0%s" % (name.encode("utf-8", "surrogatepass"), why.encode("utf-8", "surrogatepass")))
    return h.hexdigest()


# --- writing ---------------------------------------------------------------------------------

def save(directory: Path, paths: tuple[Path, ...], roots: list, entries: list, index,
         beside: bool = False) -> str | None:
    """Write the snapshot of `index`, built from `entries` (one per listed file, in order).
    With `beside`, the sources are encoded by a second process while this one encodes the
    columns (`_Beside`): for a build that may use more than one core. Returns a problem to
    report, or None."""
    path = snapshot_path(directory, paths)
    if path is None:
        return None
    made = time.time_ns()
    sizes = [(e.size, e.mtime_ns) for e in entries]
    racy = [[k, e.hash] for k, e in enumerate(entries) if e.mtime_ns + RACY_NS >= made]
    parts: list[bytes] = []
    tables = {}
    with _Beside(list(index.tables.values()), beside) as sources:
        pool = _Pool()
        encoded = [[(field, *_encode_column(values, pool, number)) for field, values in table.columns.items()]
                   for number, table in enumerate(index.tables.values())]
        pool.seal(len(index.tables))
        column_data = [[_positions(pool.positions(data)) if kind == "values" else data for _, kind, data in columns]
                       for columns in encoded]
        pooled = [_FLAT_JSON(pool.values).encode(), _BLOCK_JSON(pool.dates).encode(), _BLOCK_JSON(pool.lists).encode()]
        key = _listing_key(roots, sizes)
        row_blocks, source_blocks = sources.result()
    for number, ((name, table), columns, datas, blocks) in enumerate(zip(index.tables.items(), encoded, column_data,
                                                                          row_blocks)):
        parts.extend(data for data in datas if data is not None)
        parts.extend(blocks)
        tables[name] = {"count": table.count, "columns": [[field, kind] for field, kind, _ in columns],
                        "blocks": len(blocks), "done": pool.last_cited_by[number]}
    parts.extend(source_blocks)
    meta = json.dumps({"tables": tables, "lists_done": pool.last_cited_by[-1], "sources": len(source_blocks),
                       "findings": [encode_value(f) for f in index.findings()],
                       "skipped": [list(s) for s in index.skipped]}).encode()
    parts[:0] = [meta, *pooled]
    payload = b"".join(parts)
    header = json.dumps({"magic": MAGIC, "format": FORMAT, "positions": _POSITIONS, "spaq": _version(),
                         "code": code_fingerprint(),
                         "roots": [str(r) for r in paths], "key": key, "made_ns": made,
                         "racy": racy, "parts": [len(p) for p in parts], "crc": zlib.crc32(payload)}).encode()
    try:
        import tempfile                        # only a build that writes needs it
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=path.name + ".", suffix=".tmp", dir=path.parent)
        try:
            with os.fdopen(fd, "wb") as out:
                out.write(header + b"\n")
                out.write(payload)
            os.replace(tmp, path)
        except BaseException:
            os.unlink(tmp)
            raise
    except OSError as e:
        return f"cannot write the cache {path}: {e.strerror or e}"
    return None


_JSON_SAYS = frozenset((str, int, float, bool, type(None)))
# Encoders for lists this module makes of scalars (and of lists of them), which hold no
# cycle to look for: the check costs a tenth of the encoding.
_FLAT_JSON = json.JSONEncoder(check_circular=False).encode
_BLOCK_JSON = json.JSONEncoder(check_circular=False, separators=(",", ":")).encode


def _encode_column(values: list, pool: "_Pool", table: int) -> tuple[str, "bytes | tuple | None"]:
    """(kind, data). 'none': every row None, no data. 'values': text, numbers and booleans
    (and None), 'dates' and 'lists' (of text): each row a position in the pool of its kind,
    0 for None, written as native unsigned ints (see `_POSITIONS`); for 'values', what
    `_Pool.positions` needs once the pool is sealed. Else 'tagged', a JSON list of each
    value as the facts cache writes it.

    By position: a file's name, a company, a deal's id, an amount recur across rows and
    tables, and a deal's list of filings across its purchasers; each is made once when read
    back, as the pool is read, with no lookup. Unsigned ints rather than JSON: read without
    making an int object per row, and a column comes out a list of just its length."""
    types = set(map(type, values))
    types.discard(type(None))
    if not types:
        return "none", None
    if types.issubset(_POOLED):
        return "values", pool.cite(values, types, table)
    if types == {dt.date}:
        return "dates", _positions(pool.date_positions(values))
    if types == {list} and all(type(x) is str for v in values if v is not None for x in v):
        list_at = pool.list_at
        return "lists", _positions([0 if v is None else list_at(v) for v in values])
    lists = [v for v in values if type(v) is list]
    if types <= _JSON_SAYS | {list, type(ABSENT)} and set(map(type, chain.from_iterable(lists))) <= _JSON_SAYS:
        # Lists of what JSON says as it is (numbers, or text mixed with them): encode_value
        # would give each back as it is, item by item.
        return "tagged", _FLAT_JSON([_ABSENT_JSON if v is ABSENT else v for v in values]
                                    if type(ABSENT) in types else values).encode()
    return "tagged", json.dumps([_ABSENT_JSON if v is ABSENT else encode_value(v) for v in values]).encode()


_ABSENT_JSON = {"$a": 1}       # a row without the field, in a tagged column
_POOLED = (str, int, float, bool)      # in this order in each share of the pool
# Positions are written as C unsigned ints, in this machine's byte order: a snapshot is read
# where it was written, and the header says which (one from elsewhere is built again).
_POSITIONS = f"I {memoryview(bytes(8)).cast('I').itemsize} {sys.byteorder}"


def _positions(positions: list[int]) -> bytes:
    from array import array                    # only a build that writes needs it
    return array("I", positions).tobytes()


class _Pool:
    """Every distinct value of the columns that JSON says as it is (text, numbers,
    booleans), every distinct date, and every distinct list of text (as its items'
    positions among the values), numbered from 1, 0 standing for None.

    The values are ordered by the last table that cites them, last table first, and
    those only lists cite at the end, so that the reader cuts each table's share off the
    end of the pool once it has read that table (`last_cited_by`), and the positions
    before it stay as they were: the pool's list (100,000 values at 10,000 filings) is
    then nearly gone by the time the last column is made, instead of adding its megabyte
    to the warm load's peak.

    Values are kept apart by type (1 == 1.0 == True), each type in a dict of its own
    keyed by the value itself, so that a column of one type is looked up by C loops;
    a float zero is keyed by its text, for 0.0 == -0.0."""
    __slots__ = ("values", "_cited_by", "_at", "last_cited_by", "dates", "_date_at", "lists", "_list_keys",
                 "_list_at")

    def __init__(self):
        self.values: list = [None]                  # as JSON says them; None at 0; see `seal`
        # type -> {key: the last table citing it (-1: only lists)}, then {key: position}
        self._cited_by: dict[type, dict] = {kind: {} for kind in _POOLED}
        self._at: dict[type, dict] = {}
        self.last_cited_by: list[int] = []          # how many values each table cites last; [-1]: lists
        self.dates: list[int] = []                  # ordinals, from 1
        self._date_at: dict = {None: 0}
        self.lists: list[list[int]] = []            # from 1, once sealed
        self._list_keys: list[tuple[str, ...]] = []
        self._list_at: dict[tuple[str, ...], int] = {}

    def cite(self, column: list, types: set, table: int) -> tuple:
        """What `positions` needs of a column, its values noted as cited by `table` (tables
        come in order: the last to cite a value is the last noted)."""
        if len(types) == 1:
            (kind,) = types
            keys = column if kind is not float or 0.0 not in column else list(map(_key, column))
            self._cited_by[kind].update(dict.fromkeys(keys, table))
            return kind, keys
        for v in column:                            # text mixed with numbers: rare
            if v is not None:
                self._cited_by[type(v)][_key(v)] = table
        return None, column

    def seal(self, tables: int) -> None:
        """Number the values: each of the `tables`' share, the last table's first, then the
        share only lists cite; each share by type, then as first met."""
        from bisect import bisect_left, bisect_right    # only a build that writes needs them
        ordered = {}
        for kind, cited_by in self._cited_by.items():
            cited_by.pop(None, None)
            keys = sorted(cited_by, key=cited_by.__getitem__)     # stable: as first met within a table
            ordered[kind] = keys, list(map(cited_by.__getitem__, keys))
            self._at[kind] = {None: 0}
        shares = self.last_cited_by = [0] * (tables + 1)         # [-1]: only lists
        values = self.values
        for table in [*range(tables - 1, -1, -1), -1]:
            for kind, (keys, cited_by) in ordered.items():
                share = keys[bisect_left(cited_by, table):bisect_right(cited_by, table)]
                shares[table] += len(share)
                self._at[kind].update(zip(share, count(len(values))))
                values.extend(map(float, share) if kind is float else share)     # a zero's key is its text
        self.lists = [[self._at[str][t] for t in key] for key in self._list_keys]

    def positions(self, cited: tuple) -> list[int]:
        """The positions of a column's values (`cite`'s)."""
        kind, keys = cited
        if kind is None:
            return [0 if v is None else self._at[type(v)][_key(v)] for v in keys]
        return list(map(self._at[kind].__getitem__, keys))

    def date_positions(self, column: list) -> list[int]:
        at = self._date_at
        new = [d for d in dict.fromkeys(column) if d not in at]
        at.update(zip(new, count(len(self.dates) + 1)))
        self.dates.extend(d.toordinal() for d in new)
        return list(map(at.__getitem__, column))

    def list_at(self, texts: list[str]) -> int:
        key = tuple(texts)
        found = self._list_at.get(key)
        if found is None:
            cited_by = self._cited_by[str]
            for text in key:                        # cited when the lists are read, before any table
                cited_by.setdefault(text, -1)
            self._list_keys.append(key)
            found = self._list_at[key] = len(self._list_keys)
        return found


def _key(v):
    """A value's key in its type's dict of the pool: itself, but a float zero its text."""
    return v if v or type(v) is not float else str(v)


def _encode_sources(tables: list[Table]) -> tuple[list[list[bytes]], list[bytes]]:
    """The tables' sources: for each table, its blocks of BLOCK rows (`_RowBlock`), and the
    blocks of the Sources they cite (`_SourceBlock`), each compressed (level 1: a cold
    build writes this once, and the text compresses well enough at once).

    Each Source is written once for the whole index, numbered in the order first cited
    (the inputs of derived ones after all of those): a deal's agreement row, its
    purchasers' rows and its company's cite the same lines, which blocks of rows of
    each table would write and compress again (225,000 Sources for 142,000 at 10k)."""
    numbers, number, written = _numbered(tables)
    return _row_blocks(tables, numbers), _source_blocks(number, written)


def _rows_of(table: Table) -> list[dict[str, Source]]:
    """A table's rows of sources, as many as it has rows."""
    sources = table.sources
    if type(sources) is not list or len(sources) != table.count:
        sources = list(sources[:table.count])
        sources += [{}] * (table.count - len(sources))   # a table whose sources stop short
    return sources


def _numbered(tables: list[Table]) -> tuple[bytes, dict[int, int], list[Source]]:
    """The numbers of the Sources the tables' rows cite, row after row, table after table,
    as native unsigned ints; and `number` and `written` (`_SourceBlock.numbers`)."""
    from array import array                    # only a build that writes needs it
    number: dict[int, int] = {}
    written: list[Source] = []
    numbers = array("I")
    for table in tables:
        cited = list(chain.from_iterable(map(dict.values, _rows_of(table))))
        numbers.extend(_SourceBlock.numbers(cited, number, written))
    return numbers.tobytes(), number, written


def _row_blocks(tables: list[Table], numbers: bytes) -> list[list[bytes]]:
    """Each table's blocks of rows (`_RowBlock`), compressed, citing `numbers` (`_numbered`'s)."""
    row_blocks = []
    at = 0
    for table in tables:
        sources = _rows_of(table)
        blocks = []
        for start in range(0, len(sources), BLOCK):
            rows = sources[start:start + BLOCK]
            end = at + _UINT * sum(map(len, rows))
            blocks.append(zlib.compress(_RowBlock(rows, numbers[at:end]).encode(), 1))
            at = end
        row_blocks.append(blocks)
    if at != len(numbers):
        raise ValueError("numbers that do not fit the rows")
    return row_blocks


def _source_blocks(number: dict[int, int], written: list[Source]) -> list[bytes]:
    """The blocks of the Sources `written` (`_SourceBlock.blocks`), compressed."""
    return [zlib.compress(block.encode(), 1) for block in _SourceBlock.blocks(number, written)]


_UINT = memoryview(bytes(8)).cast("I").itemsize     # bytes of a native unsigned int


class _Beside:
    """`_encode_sources(tables)`, made in part by a forked process while this one goes on,
    when `wanted` and this is a Linux process with one thread, another CPU to run on and
    enough rows to pay for the fork (a few milliseconds); else, or when that process
    fails, here by `result`.

    The child sees the index as it is at the fork. It numbers the Sources the rows cite
    and hands those numbers over (`_send`), then makes the blocks of Sources (`_write`);
    this process, done with the columns, makes the blocks of rows from the numbers
    meanwhile (`result`): the numbering is most of what the child does, and the columns
    take less than all of the rest. Both go through an unnamed temporary file, the
    numbers first, then the blocks' count, every block's length and their bytes; the
    numbers' length comes through a pipe once they are written. The child leaves by
    `os._exit`, running none of the parent's exit handlers nor flushing its buffers.
    Leaving the `with` block reaps it, whatever happened meanwhile."""
    MIN_ROWS = 1000

    def __init__(self, tables: list[Table], wanted: bool):
        self.tables, self.pid, self.out, self.ready = tables, 0, None, -1
        if wanted and sum(t.count for t in tables) >= self.MIN_ROWS and _can_fork():
            self._start()

    def _start(self) -> None:
        import tempfile                        # only a build that writes needs it
        try:
            self.out = tempfile.TemporaryFile()
            self.ready, signal = os.pipe()
        except OSError:
            self.close()
            return
        try:
            self.pid = os.fork()
        except OSError:
            os.close(signal)
            self.close()
            return
        if self.pid:
            os.close(signal)                   # the child's: at its end, the pipe says so
        else:                                  # the child
            status = 1
            try:
                os.close(self.ready)
                numbers, number, written = _numbered(self.tables)
                self._send(numbers, signal)
                self._write(_source_blocks(number, written))
                status = 0
            finally:
                os._exit(status)

    def _send(self, numbers: bytes, signal: int) -> None:
        self.out.write(numbers)
        self.out.flush()
        os.write(signal, len(numbers).to_bytes(8, "little"))

    def _write(self, source_blocks: list[bytes]) -> None:
        from array import array
        self.out.write(array("Q", [len(source_blocks), *map(len, source_blocks)]).tobytes())
        self.out.write(b"".join(source_blocks))
        self.out.flush()

    def result(self) -> tuple[list[list[bytes]], list[bytes]]:
        """What `_encode_sources` gives: the blocks of rows made here from the child's
        numbers and its blocks of Sources, once it has ended well; else made here."""
        if self.pid:
            try:
                numbers = self._numbers()
                if numbers is not None:
                    row_blocks = _row_blocks(self.tables, numbers)
                    if self._wait() == 0:
                        return row_blocks, self._read(len(numbers))
            except (OSError, ValueError):
                pass
        return _encode_sources(self.tables)

    def _numbers(self) -> bytes | None:
        """The numbers the child sends, or None when it ends before it has."""
        said = b""
        while len(said) < 8:
            try:
                more = os.read(self.ready, 8 - len(said))
            except InterruptedError:
                continue
            if not more:
                return None
            said += more
        n = int.from_bytes(said, "little")
        numbers = os.pread(self.out.fileno(), n, 0)
        if len(numbers) != n or n % _UINT:
            raise ValueError("numbers cut short")
        return numbers

    def _read(self, start: int) -> list[bytes]:
        self.out.seek(start)
        data = self.out.read()
        width = 8
        (n,) = memoryview(data[:width]).cast("Q")
        begin = width * (1 + n)
        lengths = memoryview(data[width:begin]).cast("Q").tolist()
        if len(lengths) != n or begin + sum(lengths) != len(data):
            raise ValueError("blocks cut short")
        ends = list(accumulate(lengths, initial=begin))
        return list(map(data.__getitem__, map(slice, ends, ends[1:])))

    def _wait(self) -> int:
        """The child's exit status (reaped), 0 when it exited well."""
        pid, self.pid = self.pid, 0
        while True:
            try:
                return os.waitpid(pid, 0)[1]
            except InterruptedError:
                continue
            except ChildProcessError:
                return -1

    def close(self) -> None:
        if self.pid:
            self._wait()
        if self.ready >= 0:
            os.close(self.ready)
            self.ready = -1
        if self.out is not None:
            self.out.close()
            self.out = None

    def __enter__(self) -> "_Beside":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def _can_fork() -> bool:
    """Whether forking here is safe and pays: Linux (where a forked process is what the
    facts' worker processes already are), one thread in this process (a fork copies only
    the calling one, so a lock another thread holds would be held forever in the child),
    and more than one CPU this process may run on."""
    threading = sys.modules.get("threading")
    return (sys.platform.startswith("linux") and hasattr(os, "fork")
            and (threading is None or threading.active_count() == 1)
            and len(os.sched_getaffinity(0)) > 1)


class _RowBlock:
    """Which Sources each of a block of rows cites. A line of JSON, then native unsigned
    ints (as `_POSITIONS` says):

        [shapes]

    then each row's list of field names as a position in `shapes`, then the numbers of
    the Sources of each row's fields, row after row (see `_SourceBlock`)."""
    __slots__ = ("rows", "cites")

    def __init__(self, rows: list[dict[str, Source]], cites: bytes):
        """`cites`: the numbers, as native unsigned ints."""
        self.rows, self.cites = rows, cites

    def encode(self) -> bytes:
        from array import array                    # only a build that writes needs it
        shapes = list(map(tuple, self.rows))
        shape_list = list(dict.fromkeys(shapes))
        ints = array("I", map(dict(zip(shape_list, count())).__getitem__, shapes))
        ints.frombytes(self.cites)
        return _BLOCK_JSON([shape_list]).encode() + b"\n" + ints.tobytes()

    @staticmethod
    def decode(data: bytes, rows: int, sources: "_SourcePool") -> list[dict[str, Source]]:
        """The rows of sources of a block (`encode`'s, decompressed) of `rows` rows."""
        end = data.index(b"\n")
        (shapes,) = json.loads(data[:end])
        ints = memoryview(data[end + 1:]).cast("I").tolist()
        shape, cites = ints[:rows], ints[rows:]
        if len(shape) != rows:
            raise ValueError("a block that does not fit its table")
        made = sources.get(cites)
        out, at = [], 0
        for fields in map(shapes.__getitem__, shape):
            end = at + len(fields)
            out.append(dict(zip(fields, made[at:end])))
            at = end
        if at != len(cites):
            raise ValueError("a block that does not fit its table")
        return out


class _SourceBlock:
    """SOURCES of the Sources a snapshot's rows cite, from the `first`, written by column
    so that the work is done by C loops (map, zip, dict) rather than a Python call per
    Source and field. A line of JSON, then native unsigned ints (as `_POSITIONS` says),
    then the texts:

        [files, kinds, sizes, lines, texts]

    The ints are, one list after another (their lengths in `sizes`):

        file      each Source's file, a position in `files`
        line      its line, `_NO_LINE` for None (absent when `lines` is the list)
        derived   the Sources that are not plain stated lines, by position in the block
        kind      each one's [derived, note], a position in `kinds`
        inputs    how many inputs each one has
        input     their numbers (in the whole snapshot), one Source's after another's

    Ints rather than JSON: writing an int as JSON text costs twenty times what an
    array's does. The texts, lines of the filings, follow newline-separated and as
    UTF-8, unescaped; `texts` is null then, or the list when one of them holds a
    newline."""
    __slots__ = ("sources", "made", "derived", "counts", "cites")

    def __init__(self, sources: list[Source], made: list[int], derived: list[Source], counts: list[int],
                 cites: list[int]):
        """`made`: the positions in the block of the Sources that are not plain stated
        lines, `derived` those Sources, `counts` how many inputs each has, and `cites`
        the numbers of those inputs, one Source's after another's."""
        self.sources, self.made, self.derived, self.counts, self.cites = sources, made, derived, counts, cites

    @classmethod
    def blocks(cls, number: dict[int, int], written: list[Source]):
        """The blocks of the Sources `written`, in order, numbered by `number` (`numbers`).
        The inputs of the derived ones not yet numbered (not cited by a row) are numbered
        as met, after all of those, and written too: each derived Source is met in the
        order of its number, so the inputs of those of one block get theirs before those
        of the next, as a walk of them level by level would give. By C loops, a block's
        Sources at a time: a derived value's inputs are nearly always stated lines,
        already numbered, and each input is looked up once, for both."""
        numbers = cls.numbers
        first = 0
        while first < len(written):
            end = first + SOURCES
            made: list[int] = []
            derived: list[Source] = []
            counts: list[int] = []
            cites: list[int] = []
            at = first
            while at < len(written) and at < end:       # again for inputs numbered into this block
                level = written[at:end]
                shaped = list(map(_PLAIN.__ne__, map(_SHAPE, level)))
                these = list(compress(level, shaped))
                made += compress(count(at - first), shaped)
                derived += these
                inputs = list(map(_INPUTS, these))
                counts += map(len, inputs)
                at += len(level)
                cites += numbers(list(chain.from_iterable(inputs)), number, written)
            yield cls(written[first:end], made, derived, counts, cites)
            first = end

    def encode(self) -> bytes:
        from array import array                    # only a build that writes needs it
        written = self.sources
        names = list(map(_FILE, written))
        files = list(dict.fromkeys(names))
        texts = list(map(_TEXT, written))
        joined = "\n".join(texts)
        inline = joined.count("\n") != max(0, len(texts) - 1)
        kinds = list(map(_KIND, self.derived))
        kind_list = list(dict.fromkeys(kinds))
        ints = array("I", map(dict(zip(files, count())).__getitem__, names))
        lines = list(map(_LINE, written))
        try:
            if not set(map(type, lines)) <= _LINE_TYPES or _NO_LINE in lines:
                raise TypeError("a line that is not a number")
            # None becomes _NO_LINE, and a number stays itself: dict.get's default, in a C loop.
            ints += array("I", map(_NONE_AS_NO_LINE.get, lines, lines))
        except (TypeError, OverflowError):
            pass                                    # written in the JSON
        else:
            lines = None
        ints.extend(self.made)
        ints.extend(map(dict(zip(kind_list, count())).__getitem__, kinds))
        ints.extend(self.counts)
        ints.extend(self.cites)
        head = _BLOCK_JSON([files, kind_list, [len(written), len(self.made), len(ints)], lines,
                            texts if inline else None]).encode()
        block = head + b"\n" + ints.tobytes()
        return block if inline else block + joined.encode("utf-8", "surrogatepass")

    @staticmethod
    def numbers(cited: list[Source], number: dict[int, int], written: list[Source]) -> list[int]:
        """The number of each of `cited`: a Source met before keeps its own, one met for
        the first time is given the next, noted in `number` (by the object: every Source
        written is held by a table, so no id is reused meanwhile) and added to `written`.

        One dict operation per Source cited, in a C loop: setdefault's default is how many
        Sources have numbers so far, read (by `iter(number.__len__, ...)`) just before it
        is called. With a million Sources the dict outgrows the CPU's caches, and each
        operation on it is a cache miss or two; noting them all in one dict, then numbering
        them in a second, then looking each cited one up, took three per Source cited."""
        known = len(number)
        numbers = list(map(number.setdefault, map(id, cited), iter(number.__len__, -1)))
        if len(number) > known:
            # Those given numbers here, by number (numbers hash to consecutive slots: no misses).
            written += map(dict(zip(numbers, cited)).__getitem__, range(known, len(number)))
        return numbers

    @staticmethod
    def decode(data: bytes) -> tuple[list[Source], dict[int, tuple]]:
        """A block's Sources (`encode`'s, decompressed), the derived ones still plain, and
        what makes those: {position: (derived, note, [inputs' numbers])}."""
        end = data.index(b"\n")
        files, kinds, (n, n_derived, n_ints), lines, texts = json.loads(data[:end])
        start = end + 1
        ints = memoryview(data[start:start + 4 * n_ints]).cast("I").tolist()
        if len(ints) != n_ints:
            raise ValueError("a block cut short")
        if texts is None:
            texts = data[start + 4 * n_ints:].decode("utf-8", "surrogatepass").split("\n") if n else []
        file, at = ints[:n], n
        if lines is None:
            lines = list(map(_NO_LINE_AS_NONE.get, ints[n:2 * n], ints[n:2 * n]))
            at = 2 * n
        derived, kind, counts = (ints[at + k * n_derived:at + (k + 1) * n_derived] for k in range(3))
        inputs = iter(ints[at + 3 * n_derived:])
        if not (len(file) == len(lines) == len(texts) == n and len(counts) == n_derived):
            raise ValueError("a block that does not fit its sources")
        made = list(map(Source, map(files.__getitem__, file), lines, texts))
        todo = {k: (*kinds[kind], list(islice(inputs, m))) for k, kind, m in zip(derived, kind, counts)}
        if next(inputs, None) is not None:
            raise ValueError("a block that does not fit its sources")
        return made, todo


class _SourcePool:
    """The Sources a snapshot's rows cite (see `_SourceBlock`), decoded a block at a time
    when asked for; the blocks read last are kept, as the rows of a table and of the
    next one cite the same in much the same order."""
    __slots__ = ("blocks", "_recent")
    RECENT = 64

    def __init__(self, blocks: Sequence[bytes]):
        self.blocks = blocks
        self._recent: dict[int, tuple[list[Source], dict]] = {}

    def get(self, numbers: list[int]) -> list[Source]:
        """The Sources of these numbers."""
        made = {block: self._resolved(block) for block in set(map(rshift, numbers, repeat(_SHIFT)))}
        return [made[n >> _SHIFT][n & _MASK] for n in numbers]

    def _source(self, number: int) -> Source:
        made, todo = self._decoded(number >> _SHIFT)
        k = number & _MASK
        found = todo.pop(k, None)
        if found is not None:               # a derived one, made once its inputs are (popped
            is_derived, note, inputs = found    # first: a block written over cannot loop)
            s = made[k]
            made[k] = Source(s.file, s.line, s.text, is_derived, note, tuple(map(self._source, inputs)))
        return made[k]

    def _resolved(self, block: int) -> list[Source]:
        """A block's Sources, the derived ones made."""
        made, todo = self._decoded(block)
        while todo:                         # each after its inputs (in any block); made here, in
            k, (is_derived, note, inputs) = todo.popitem()   # the list returned, even if reading
            s = made[k]                                     # them lets the block go from `_recent`
            made[k] = Source(s.file, s.line, s.text, is_derived, note, tuple(map(self._source, inputs)))
        return made

    def _decoded(self, block: int) -> tuple[list[Source], dict]:
        """A block decoded, its derived Sources still to be made, each when it is asked
        for: an input's block is not made whole, or blocks citing inputs in the next
        ones would be made one inside another, as deep as the index has blocks."""
        recent = self._recent
        found = recent.get(block)
        if found is None:
            found = _SourceBlock.decode(zlib.decompress(self.blocks[block]))
            if len(recent) >= self.RECENT:
                del recent[next(iter(recent))]          # the one used longest ago
        else:
            del recent[block]
        recent[block] = found
        return found


_FILE, _LINE, _TEXT, _INPUTS = (attrgetter(name) for name in ("file", "line", "text", "inputs"))
_KIND = attrgetter("derived", "note")
_SHAPE, _PLAIN = attrgetter("derived", "note", "inputs"), (False, "", ())   # a plain stated line's
_NO_LINE = 0xFFFF_FFFF                 # a Source without a line, among a block's ints
_NONE_AS_NO_LINE, _NO_LINE_AS_NONE = {None: _NO_LINE}, {_NO_LINE: None}
_LINE_TYPES = frozenset((int, type(None)))


# --- reading ---------------------------------------------------------------------------------

def load(directory: Path, paths: tuple[Path, ...], roots: list):
    """The cached index of these roots as they are listed now, or None (build it)."""
    found = find(directory, paths, roots)
    return found.read() if found is not None else None


def find(directory: Path, paths: tuple[Path, ...], roots: list) -> "Found | None":
    """The snapshot of these roots, if it was made of them as they are listed now (and by
    this spaq), opened and not yet read; else None (build the index)."""
    path = snapshot_path(directory, paths)
    if path is None:
        return None
    try:
        f = open(path, "rb")
    except OSError:
        return None
    try:
        header = json.loads(f.readline())
        if not (isinstance(header, dict) and header.get("magic") == MAGIC and header.get("format") == FORMAT
                and header.get("positions") == _POSITIONS and header.get("spaq") == _version()
                and header.get("code") == code_fingerprint()):
            f.close()
            return None
        files = [p for _, found, _ in roots for p, _ in found]
        # Each file stat'ed now, not as the walk saw it: one gone or changed since the
        # listing must not be answered from the snapshot.
        sizes = []
        for p in files:
            st = os.stat(p)
            sizes.append((st.st_size, st.st_mtime_ns))
        if header["key"] == _listing_key(roots, sizes) and _still_the_same(files, header["racy"]):
            return Found(f, header, paths)
    except (OSError, ValueError, KeyError, IndexError, TypeError, AttributeError):
        pass                           # damaged or foreign: built again, and rewritten
    f.close()
    return None


class Found:
    """A snapshot that fits the corpus, opened. Reading it is a second step, so that the
    caller can let go of its listing first (100,000 names are a tenth of a warm start's
    peak memory)."""

    def __init__(self, f, header: dict, paths: tuple[Path, ...]):
        self.f, self.header, self.paths = f, header, paths

    def read(self):
        """The index, or None when the payload is damaged (build it)."""
        try:
            with self.f:
                return _decode(_Parts(self.f, self.header["parts"]), self.paths, self.header["crc"])
        except (OSError, ValueError, KeyError, IndexError, TypeError, AttributeError, StopIteration, zlib.error):
            return None


class _Parts:
    """The payload's parts, read one at a time (a part is decoded and let go before
    the next is read: the peak is one column, not the file), checksummed as read."""

    def __init__(self, f, lengths: list[int]):
        self.f, self.lengths, self.crc = f, iter(lengths), 0
        self.at = f.tell()
        # The sources are read again from the file when asked for, through a descriptor of
        # their own: the file may be replaced (os.replace) by another spaq, never changed in
        # place, so it keeps reading the snapshot it checked. Without pread, kept in memory.
        self.file = _Opened(f) if hasattr(os, "pread") else None

    def blocks(self, n: int) -> Sequence[bytes]:
        """The next `n` parts, blocks of sources: read again from the file when asked for
        (`_Blocks`), or kept (without pread)."""
        if self.file is None:
            return [next(self) for _ in range(n)]
        starts = [self.at]
        for _ in range(n):
            next(self)
            starts.append(self.at)
        return _Blocks(self.file, starts)


    def __iter__(self):
        return self

    def __next__(self) -> bytes:
        n = next(self.lengths)
        part = self.f.read(n)
        if len(part) != n:
            raise ValueError("truncated")
        self.crc = zlib.crc32(part, self.crc)
        self.at += n
        return part

    def finish(self, crc: int) -> None:
        if next(self.lengths, None) is not None or self.f.read(1) or self.crc != crc:
            raise ValueError("checksum")


class _Blocks(Sequence):
    """Parts of the snapshot one after another, each read again from it when asked for.
    Where each starts is kept as plain ints, not an (offset, length) tuple per block: a
    warm start makes its index with the collector paused, and 300 objects more are
    enough for it to walk the whole index once when that is over."""
    __slots__ = ("file", "starts")

    def __init__(self, file: "_Opened", starts: list[int]):
        self.file, self.starts = file, starts

    def __len__(self) -> int:
        return len(self.starts) - 1

    def __getitem__(self, i: int) -> bytes:
        if not 0 <= i < len(self.starts) - 1:
            raise IndexError("no such block")
        return self.file.read(self.starts[i], self.starts[i + 1] - self.starts[i])


def _still_the_same(files: list[Path], racy: list) -> bool:
    """Files whose mtime could not be trusted when the snapshot was made hold the same bytes."""
    if not racy:
        return True                    # (nearly always: then the reader is not even imported)
    from .corpus import read_file
    for k, hash_ in racy:
        data = read_file(files[k]).data
        if data is None or content_hash(data) != hash_:
            return False
    return True


def _decode(parts: _Parts, paths: tuple[Path, ...], crc: int):
    from .index import Index
    meta = json.loads(next(parts))
    pools = _Pools(json.loads(next(parts)), json.loads(next(parts)), json.loads(next(parts)))
    pools.done(meta["lists_done"])
    sources = _SourcePool([])
    tables = {}
    for name, t in meta["tables"].items():
        count = t["count"]
        columns = {}
        nones = None
        for field, kind in t["columns"]:
            if kind == "none":
                # One list for every column of the table that is None throughout (a field
                # the corpus never states): values are not to be changed, and a table
                # that grows gives each column its own list first (Table.add).
                if nones is None:
                    nones = [None] * count
                columns[field] = nones
                continue
            values = _decode_column(kind, next(parts), pools)
            if len(values) != count:
                raise ValueError("column length")
            columns[field] = values
        pools.done(t["done"])
        blocks = parts.blocks(t["blocks"])
        table = Table(name, sources=PackedSources(blocks, count, sources), columns=columns, count=count)
        table.mark_gaps([field for field, kind in t["columns"] if kind == "tagged"])
        tables[name] = table
    sources.blocks = parts.blocks(meta["sources"])
    parts.finish(crc)
    findings = [decode_value(f) for f in meta["findings"]]
    return Index(tables, paths, findings, [tuple(s) for s in meta["skipped"]])


def _decode_column(kind: str, data: bytes, pools: "_Pools") -> list:
    """A column's values from its part (see `_encode_column`)."""
    if kind == "values":
        return _picked(pools.values, memoryview(data).cast("I"))
    if kind == "dates":
        return _picked(pools.dates, memoryview(data).cast("I"))
    if kind == "lists":
        return _picked(pools.lists, memoryview(data).cast("I"))
    if kind == "tagged":
        return [ABSENT if type(v) is dict and v.get("$a") == 1 else decode_value(v) for v in json.loads(data)]
    raise ValueError(f"unknown column kind {kind!r}")


def _picked(pool: list, positions) -> list:
    """`[pool[i] for i in positions]`, in a list of just that length: a list grown item by
    item keeps room for up to an eighth more, which the columns of 100,000 rows would pay
    for in megabytes (and 10,000 deals' lists of one filing in room for four)."""
    n = len(positions)
    if n > 1:
        return list(itemgetter(*positions)(pool))
    return [pool[positions[0]]] if n else []


class _Pools:
    """The pools the columns cite (see `_Pool`), read: equal values are one object across
    every column and table (JSON would make a new object of every occurrence)."""
    __slots__ = ("values", "dates", "lists")

    def __init__(self, values: list, dates: list, lists: list):
        if not (type(values) is list and values and values[0] is None and set(map(type, values)) <= _JSON_SAYS):
            raise ValueError("a pool of values that is not one")
        self.values = values
        self.dates = [None]
        self.dates += map(dt.date.fromordinal, dates)
        self.lists = [None]
        self.lists += (_picked(values, positions) for positions in lists)

    def done(self, n: int) -> None:
        """Let go of the last `n` values, which no column still to be read cites (see `_Pool`)."""
        if type(n) is not int or not 0 <= n < len(self.values):
            raise ValueError("a share of the pool that is not one")
        if n:
            self.values = self.values[:-n]      # a copy, so that the list's memory goes too


class _Opened:
    """A descriptor of the snapshot read, closed when the last table using it goes.
    By `__del__`, not weakref.finalize: it holds nothing that could make a cycle, and
    `weakref` would cost a warm start 144 KB."""
    __slots__ = ("fd",)

    def __init__(self, f):
        self.fd = -1
        self.fd = os.dup(f.fileno())

    def __del__(self, close=os.close) -> None:   # os.close kept: modules may be gone at exit
        if self.fd >= 0:
            close(self.fd)
            self.fd = -1

    def read(self, at: int, n: int) -> bytes:
        data = os.pread(self.fd, n, at)
        if len(data) != n:
            raise ValueError("the snapshot was cut short while in use")
        return data


class PackedSources(Sequence):
    """A table's sources, one dict per row, decoded when asked for from compressed blocks
    (read from the snapshot file, or kept as bytes), citing the Sources of `sources`."""
    __slots__ = ("_blocks", "_count", "_sources", "_open", "_rows")

    def __init__(self, blocks: Sequence[bytes], count: int, sources: _SourcePool):
        self._blocks, self._count, self._sources = blocks, count, sources
        self._open, self._rows = -1, []

    def __len__(self) -> int:
        return self._count

    def __getitem__(self, i):
        if isinstance(i, slice):
            return [self[j] for j in range(*i.indices(self._count))]
        if i < 0:
            i += self._count
        if not 0 <= i < self._count:
            raise IndexError("row index out of range")
        block, at = divmod(i, BLOCK)
        if block != self._open:
            self._rows = self._unpack(block)
            self._open = block
        return dict(self._rows[at])

    def _unpack(self, block: int) -> list[dict[str, Any]]:
        """A block's rows of sources (see `_RowBlock`)."""
        try:
            data = zlib.decompress(self._blocks[block])
            return _RowBlock.decode(data, min(BLOCK, self._count - block * BLOCK), self._sources)
        except (OSError, ValueError, TypeError, IndexError, AttributeError, zlib.error) as e:
            # Only if the cache file was written over in place (spaq never does): say so.
            raise CorpusError(f"the sources of this index can no longer be read from the cache ({e}); "
                              "load the corpus again") from None

    def __eq__(self, other) -> bool:
        if isinstance(other, (PackedSources, list, tuple)):
            return len(self) == len(other) and all(a == b for a, b in zip(self, other))
        return NotImplemented

    __hash__ = None

    def __iter__(self):
        for block in range(len(self._blocks)):
            yield from self._unpack(block)
