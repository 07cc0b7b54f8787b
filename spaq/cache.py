"""A persistent cache of what was extracted from each file, and of the parsed grammar.

The second start of spaq on the same corpus reads no filing: each file's
facts (`DocFacts`, values with their sources) come from here when the file is
unchanged, and only changed or new files are read and extracted again.

Where: `$SPAQ_CACHE_DIR`, else the user cache directory (platformdirs), never
inside a corpus: a cache directory inside a corpus root turns the cache off
for that root.

One pack per corpus root (a directory or a single file given to `load`),
`facts/<hash of the root's path>.pack`: a line of JSON, then a record per file

    {"magic": "spaq-facts", "format": 4, "python": "3.11", "pickle": 5, "spaq": "0.1.0", "extractor": "<hash>", "root": "..."}
    <crc32 of the body, 8 hex> <length of the body> ["name", size, mtime_ns, "hash", made_ns, unread]<TAB><DocFacts pickled>
    ...

(each record ends with a newline, after the length its header gives: a pickle may hold newlines).

The header ties the whole pack to a spaq version and to the extractor (a hash
of the source of spaq/corpus.py, spaq/extract/*.py, spaq/model.py and this
module), and to the Python and pickle protocol that wrote it: a change to any
invalidates every entry. An entry is one file,
keyed by its name under the root, size and mtime_ns; it also holds a hash of
the file's bytes (those read: at most `corpus.MAX_FILE_BYTES`), made and checked
only when the modification time is too close to the time the entry was made to be
trusted (else it is ""; a file rewritten within the filesystem's timestamp granularity
keeps its mtime: git's "racily clean" problem). A record whose checksum or
contents are wrong, or a header that is not ours, is ignored and rebuilt (a
record whose length is wrong, with every record after it); nothing in a cache
file can make spaq crash.

The facts are pickled, every type and every shared Source kept as it is, but
read back by an unpickler that makes nothing but the classes of facts
(`_facts_unpickler`): a cache directory may hold files someone else wrote,
and plain unpickling runs code. Pickling takes one pass in C where JSON took
a walk in Python on either side (to tag dates and tuples, number the Sources)
that cost more than the JSON itself. One pack per root, not one file per
filing: a warm start on 100,000 filings opens one file instead of 100,000.

Packs are written whole, to a temporary file beside them and `os.replace`d,
so a reader sees the old pack or the new one, never half of one; the
checksums catch what a crash or a full disk could still leave. A temporary
file left by a run that was killed is removed by the next run that writes the
pack, once it is an hour old.
"""
from __future__ import annotations

import datetime as dt
import functools
import glob
import json
import os
import sys
import time
import zlib
from pathlib import Path

TYPE_CHECKING = False
if TYPE_CHECKING:                      # `typing` costs a warm start 0.6 MB: for the checkers only
    from typing import Any, Iterable

MAGIC = "spaq-facts"
FORMAT = 4
# A file modified less than this before its entry was made may have changed
# since without its mtime changing (FAT keeps 2 s, some network filesystems 1 s).
RACY_NS = 2_000_000_000
# A pack's temporary file older than this was left by a run that died writing it.
STALE_SECONDS = 3600

_HERE = Path(__file__).resolve().parent

try:
    # hashlib's own BLAKE2, taken without hashlib: importing hashlib loads OpenSSL
    # (3.7 MB, a fifth of a warm start's memory) for digests spaq does not use.
    from _blake2 import blake2b
except ImportError:                    # an interpreter built without it
    from hashlib import blake2b


def hasher(size: int = 16):
    """A BLAKE2b of `size` bytes, for every key and fingerprint spaq makes."""
    return blake2b(digest_size=size)


def digest(data: bytes, size: int = 16) -> str:
    return blake2b(data, digest_size=size).hexdigest()


def cache_dir() -> Path:
    """$SPAQ_CACHE_DIR, else the user cache directory of spaq."""
    env = os.environ.get("SPAQ_CACHE_DIR")
    if env:
        return Path(env).expanduser()
    import platformdirs
    return Path(platformdirs.user_cache_dir("spaq", appauthor=False))


def extractor_files() -> list[Path]:
    """The source of the code that turns a file into facts (tests/test_cache.py checks that
    every spaq module reading a file loads is among them)."""
    return [_HERE / name for name in ("corpus.py", "listing.py", "htmltext.py", "model.py", "cache.py")] + \
        sorted((_HERE / "extract").glob("*.py"))


@functools.lru_cache(maxsize=1)
def extractor_fingerprint() -> str:
    """A hash of the code that turns a file into facts; once per process."""
    h = hasher()
    for path in extractor_files():
        h.update(path.name.encode())
        try:
            h.update(path.read_bytes())
        except OSError:
            h.update(b"?")
    return h.hexdigest()


def _version() -> str:
    from . import __version__
    return __version__


def content_hash(data: bytes) -> str:
    return digest(data)


# The corpus roots this process has read. Nothing is cached inside one: not the
# facts (`FactsCache.pack`), and not the grammar either, which is parsed later.
_corpora: set[Path] = set()


def protect(root: Path) -> None:
    """Never write into `root`: it is a corpus."""
    try:
        _corpora.add(Path(root).resolve())
    except (OSError, RuntimeError):    # RuntimeError: a link loop, before Python 3.13
        pass


def in_a_corpus(path: Path) -> bool:
    return any(inside(path, root) for root in list(_corpora))


def inside(path: Path, root: Path) -> bool:
    """Whether `path` is the directory `root` or under it (a file root holds nothing)."""
    try:
        root = root.resolve()
        return root.is_dir() and path.resolve().is_relative_to(root)
    except (OSError, RuntimeError):
        return False


# --- encoding values, sources and facts as JSON ---------------------------------------------

def encode_value(v: Any) -> Any:
    if v is None or isinstance(v, (bool, int, float, str)):
        return v
    if isinstance(v, list):
        return [encode_value(x) for x in v]
    if isinstance(v, dt.datetime):
        return {"$dt": v.isoformat()}
    if isinstance(v, dt.date):
        return {"$d": v.isoformat()}
    if isinstance(v, tuple):
        return {"$t": [encode_value(x) for x in v]}
    # `decimal` (0.6 MB) is not imported to be told that a value is not a Decimal: there is
    # none to encode unless something has imported it.
    decimal = sys.modules.get("decimal")
    if decimal is not None and isinstance(v, decimal.Decimal):
        return {"$n": str(v)}
    if isinstance(v, dict):
        if all(isinstance(k, str) for k in v):
            return {"$m": {k: encode_value(x) for k, x in v.items()}}
        return {"$kv": [[encode_value(k), encode_value(x)] for k, x in v.items()]}
    raise TypeError(f"cannot cache a value of type {type(v).__name__}")


def decode_value(v: Any) -> Any:
    t = type(v)
    if t is dict:
        if "$d" in v:
            return dt.date.fromisoformat(v["$d"])
        if "$dt" in v:
            return dt.datetime.fromisoformat(v["$dt"])
        if "$t" in v:
            return tuple(decode_value(x) for x in v["$t"])
        if "$n" in v:
            from decimal import Decimal
            return Decimal(v["$n"])
        if "$m" in v:
            return {k: decode_value(x) for k, x in v["$m"].items()}
        if "$kv" in v:
            return {decode_value(k): decode_value(x) for k, x in v["$kv"]}
        raise ValueError(f"unknown tag {sorted(v)}")
    if t is list:
        return [decode_value(x) for x in v]
    return v


# --- one file's entry ---------------------------------------------------------------------

# JSON's quoting of a string (as an encoder with ensure_ascii=False quotes it), in C.
_JSON_STRING = json.encoder.encode_basestring
# Facts are pickled at a protocol every Python spaq runs on reads (3.8 and later).
PICKLE_PROTOCOL = 5


@functools.lru_cache(maxsize=1)
def _fact_classes() -> dict[tuple[str, str], type]:
    """The classes a pack's facts are made of, by (module, name) as pickle names them:
    the only ones `_facts_unpickler` makes (Decimal is added when it is asked for)."""
    from .extract.facts import Bag, DealFacts, DocFacts
    from .model import Source
    return {(c.__module__, c.__qualname__): c for c in (Bag, DealFacts, DocFacts, Source, dt.date, dt.datetime)}


class Entry:
    """What one file gave: its documents' facts, or why it was not read; with its key."""
    __slots__ = ("name", "size", "mtime_ns", "hash", "made_ns", "facts", "unread", "line")

    def __init__(self, name: str, size: int, mtime_ns: int, hash_: str, made_ns: int,
                 facts: list | None, unread: str | None, line: bytes | None = None):
        self.name, self.size, self.mtime_ns, self.hash, self.made_ns = name, size, mtime_ns, hash_, made_ns
        self.facts, self.unread, self.line = facts, unread, line

    def key(self) -> list:
        return [self.name, self.size, self.mtime_ns, self.hash, self.made_ns, self.unread]

    def key_json(self) -> str:
        """`key()` as compact JSON, written out: a JSONEncoder's `encode` costs twice as much
        for a list this small (tests/test_cache.py checks the two agree)."""
        unread = "null" if self.unread is None else _JSON_STRING(self.unread)
        return (f"[{_JSON_STRING(self.name)},{self.size:d},{self.mtime_ns:d},{_JSON_STRING(self.hash)},"
                f"{self.made_ns:d},{unread}]")

    def encode(self) -> bytes:
        """The entry as one record of a pack (without its newline): checksum and length
        of the body, then the body, its key as JSON, a tab and its facts pickled.

        The key stands apart so a pack can be indexed without reading every
        entry's facts (JSON escapes tabs, so the first tab ends the key). The
        facts are pickled as they are: one pass in C that keeps every type and
        every Source shared by several values, where encoding them as JSON took
        a walk in Python to tag the types JSON lacks and number the Sources, and
        another, as dear, to make the objects again. What reading them back may
        make is limited to the classes of facts (`_facts_unpickler`)."""
        if self.line is None:
            import pickle
            try:
                facts = pickle.dumps(self.facts or [], PICKLE_PROTOCOL)
            except (pickle.PicklingError, AttributeError) as e:     # (what facts never hold)
                raise TypeError(f"cannot cache these facts: {e}") from None
            body = self.key_json().encode("utf-8") + b"\t" + facts
            self.line = b"%08x %d " % (zlib.crc32(body), len(body)) + body
        return self.line

    def with_facts(self) -> "Entry":
        """The entry, its facts decoded from its line when it came without them."""
        if self.facts is None:
            self.facts = _facts_of(self.line)
        return self


def _check(record: bytes) -> None:
    """ValueError when a record's body (`Entry.encode`) does not match its checksum."""
    if int(record[:8], 16) != zlib.crc32(memoryview(record)[record.index(b" ", 9) + 1:]):
        raise ValueError("checksum")


@functools.lru_cache(maxsize=1)
def _facts_unpickler() -> type:
    """An Unpickler limited to the classes of facts: a pickle that names any other global
    (a function to call, a class that does something when made) is refused, so a pack
    someone else wrote can give wrong values at worst, as a JSON one could, never run code
    (the way the documentation of `pickle` gives, "Restricting Globals"). Made on first
    use: a warm start from the snapshot reads no pack and need not import pickle."""
    import pickle

    class FactsUnpickler(pickle.Unpickler):
        def find_class(self, module: str, name: str) -> type:
            found = _fact_classes().get((module, name))
            if found is not None:
                return found
            if (module, name) == ("decimal", "Decimal"):
                from decimal import Decimal     # (not imported until a fact holds one)
                return Decimal
            raise pickle.UnpicklingError(f"not a class of facts: {module}.{name}")
    return FactsUnpickler


def _facts_of(line: bytes) -> list:
    """The DocFacts of a pack's record (its checksum checked by the caller, if at all);
    ValueError when it holds anything else, or anything after them."""
    import io
    from .extract.facts import DocFacts
    body = line[line.index(b" ", 9) + 1:]
    data = io.BytesIO(body)
    data.seek(body.index(b"\t") + 1)
    try:
        facts = _facts_unpickler()(data).load()
    except Exception as e:
        # Bytes that are not a pickle of facts fail in as many ways as the unpickler has
        # checks (UnpicklingError, EOFError, KeyError, MemoryError...): each is a bad entry.
        raise ValueError(f"not the facts of a file ({type(e).__name__})") from None
    if data.tell() != len(body) or type(facts) is not list or any(type(f) is not DocFacts for f in facts):
        raise ValueError("not the facts of a file")
    return facts


def read_entry(path: Path, name: str) -> Entry:
    """Read and extract one file: the work a cache entry saves. Runs in worker processes too.

    Never raises for what a file holds: a document that makes extraction fail
    becomes a filing of form `unknown` with the failure in its warnings, and
    the rest of the file and the corpus are still read."""
    documents, extract_document = _READERS or _readers()
    made = time.time_ns()
    read, docs, why = documents(path, name)
    # The hash of the bytes is looked at only when the mtime is too close to `made` to be
    # trusted (`Pack.lookup`; a snapshot, made later, trusts even more): of an older file,
    # nearly every one, it would never be read, and hashing costs as much as reading the file.
    hash_ = content_hash(read.data) if read.data is not None and read.mtime_ns + RACY_NS >= made else ""
    if docs is None:
        return Entry(name, read.size, read.mtime_ns, hash_, made, [], why)
    facts = []
    for doc in docs:                   # one at a time: a file's documents are never all in memory
        try:
            facts.append(extract_document(doc))
        except Exception as e:         # RecursionError and MemoryError too: one document, not the run
            facts.append(_failed(doc, e))
        doc.lines = []
    return Entry(name, read.size, read.mtime_ns, hash_, made, facts, None)


_READERS = None


def _readers() -> tuple:
    """corpus.documents and extract_document, imported when the first file is read (a warm
    start imports neither) and kept here: a `from . import` in read_entry would look them up
    again for every file and document (for a package, with a Python call: 4 us a document)."""
    global _READERS
    from .corpus import documents
    from .extract import extract_document
    _READERS = (documents, extract_document)
    return _READERS


def _failed(doc, e: Exception):
    """The facts of a document whose extraction raised: none, and a warning that says why."""
    from .extract import DocFacts
    from .extract.facts import Bag
    warning = f"extraction failed ({type(e).__name__}: {str(e)[:200]}); nothing was extracted"
    return DocFacts(doc.file, doc.number, doc.type_hint or "unknown", Bag(), warnings=doc.warnings + [warning])


def read_entry_encoded(job: tuple[Path, str, bool]) -> Entry:
    """read_entry for a worker process. With `encode`, the cache line is made there too,
    in parallel, and sent back without the facts: pickling the line is nearly free, and
    `with_facts` makes the facts again from it as cheaply as unpickling them would."""
    path, name, encode = job
    entry = read_entry(path, name)
    if encode:
        try:
            entry.encode()
            entry.facts = None
        except (TypeError, ValueError, RecursionError):
            entry.line = None
    return entry


# --- a pack: the entries of one corpus root --------------------------------------------------

class Pack:
    """The cached entries of one corpus root: `lookup` each file, `store` what was
    read afresh, then `close`.

    New lines go straight to a temporary file, so a cold run over many files
    keeps no encoded copy of them in memory; the entries still valid are
    copied over from the old pack when (and only when) anything changed.
    """

    def __init__(self, root: Path, path: Path | None):
        self.root = root
        self.path = path                   # None: not cached (disabled, or it would be inside the corpus)
        self.data = b""                    # the pack on disk
        self.index: dict[str, tuple[list, int, int]] = {}   # name -> (key, start, end) in data
        self.kept: list[str] = []          # names whose old line stays valid
        self.out = None                    # (file object, temp path) once anything changed
        self.changed = False
        self.problems: list[str] = []
        if path is not None:
            self._load()

    def _header(self) -> bytes:
        return json.dumps({"magic": MAGIC, "format": FORMAT, "python": "%d.%d" % sys.version_info[:2],
                           "pickle": PICKLE_PROTOCOL, "spaq": _version(),
                           "extractor": extractor_fingerprint(), "root": str(self.root)}).encode() + b"\n"

    def _load(self) -> None:
        try:
            data = self.path.read_bytes()
        except FileNotFoundError:
            return
        except OSError as e:
            self.problems.append(f"cannot read {self.path}: {e.strerror or e}")
            return
        header = self._header()
        if not data.startswith(header):
            # Foreign, written by another spaq or for another extractor, or not ours at all.
            self.changed = True
            return
        self.data = data
        pos = len(header)
        while pos < len(data):
            # A record: checksum (8 hex digits), a space, the body's length, a space, the body, a newline.
            space = data.find(b" ", pos + 9, pos + 30)
            length = data[pos + 9:space] if space > 0 and data[pos + 8:pos + 9] == b" " else b""
            end = space + 1 + int(length) if length.isdigit() else -1
            if not 0 < end < len(data) or data[end] != 0x0A:
                # Cut short or damaged where no length can be trusted: the records from here
                # on are lost (their files are read again), the ones before still good.
                self.changed = True
                return
            try:
                start = space + 1
                key = json.loads(data[start:data.index(b"\t", start, end)])
                if not (isinstance(key, list) and len(key) == 6 and isinstance(key[0], str)):
                    raise ValueError("entry")
                self.index[key[0]] = (key, pos, end)
            except ValueError:
                self.changed = True
            pos = end + 1

    def lookup(self, path: Path, name: str) -> Entry | None:
        """The cached entry of an unchanged file, else None (read it, then `store`)."""
        found = self.index.get(name)
        if found is None:
            return None
        (_, size, mtime_ns, hash_, made, unread), start, end = found
        try:
            st = os.stat(path)
            if st.st_size != size or st.st_mtime_ns != mtime_ns:
                return None
            line = self.data[start:end]
            _check(line)
            racy = st.st_mtime_ns + RACY_NS >= made
            if racy:
                # Too close to the entry's making to trust the mtime: compare the bytes.
                checked = time.time_ns()
                from .corpus import read_file
                data = read_file(path).data
                if data is None or content_hash(data) != hash_:
                    return None
            facts = _facts_of(line)
        except (OSError, KeyError, IndexError, TypeError, ValueError, AttributeError):
            self.changed = True
            return None
        if racy:
            # Trusted from now on: the entry is made again with the time of this check.
            self.store(Entry(name, size, mtime_ns, hash_, checked, facts, unread))
        else:
            self.kept.append(name)
        return Entry(name, size, mtime_ns, hash_, made, facts, unread)

    def store(self, entry: Entry) -> None:
        """Cache what was read from a file (not an unreadable one: that is tried again)."""
        if self.path is None or entry.size < 0:
            return
        try:
            line = entry.encode()
        except (TypeError, ValueError, RecursionError):
            self.changed = True                # not cacheable: read again next time
            return
        entry.line = None                      # written now; not kept in memory
        self.changed = True
        try:
            self._open().write(line + b"\n")
        except OSError as e:
            self._fail(e)

    def _open(self):
        if self.out is None:
            import tempfile                    # only a build that writes needs it
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=self.path.name + ".", suffix=".tmp", dir=self.path.parent)
            self.out = (os.fdopen(fd, "wb"), tmp)
            self.out[0].write(self._header())
        return self.out[0]

    def close(self) -> None:
        """Replace the pack when anything changed (a file new, changed, gone, or a bad line)."""
        try:
            if self.path is not None and (self.changed or len(self.kept) != len(self.index)):
                out = self._open()
                for name in self.kept:
                    _, start, end = self.index[name]
                    out.write(self.data[start:end + 1])
                out.close()
                os.replace(self.out[1], self.path)
                self.out = None
                self._sweep()
        except OSError as e:
            self._fail(e)
        finally:
            self.data, self.index, self.kept = b"", {}, []

    def _sweep(self) -> None:
        """Remove the temporary files of runs that died writing this pack (an hour
        old: a run still writing one touches it far more often than that), and the
        pack of the same root in the JSON lines of spaq before format 4, never read again."""
        cutoff = time.time() - STALE_SECONDS
        for tmp in self.path.parent.glob(glob.escape(self.path.name) + ".*.tmp"):
            try:
                if tmp.stat().st_mtime < cutoff:
                    tmp.unlink()
            except OSError:
                pass
        try:
            self.path.with_suffix(".jsonl").unlink(missing_ok=True)
        except OSError:
            pass

    def _fail(self, e: OSError) -> None:
        # A read-only or full cache directory costs speed, not correctness.
        self.problems.append(f"cannot write the cache {self.path}: {e.strerror or e}")
        if self.out is not None:
            try:
                self.out[0].close()
                os.unlink(self.out[1])
            except OSError:
                pass
        self.path, self.out = None, None


class FactsCache:
    """The packs of the roots of one load."""

    def __init__(self, directory: Path | None = None):
        self.directory = Path(directory) if directory is not None else cache_dir()

    def pack(self, root: Path) -> Pack:
        if inside(self.directory, root):
            return Pack(root, None)              # never write into a corpus
        key = digest(str(root.resolve()).encode("utf-8", "surrogateescape"), 12)
        return Pack(root, self.directory / "facts" / f"{key}.pack")


# --- the grammar ---------------------------------------------------------------------------

def cached_lark(grammar: str, directory: Path | None = None, **options):
    """Lark(grammar, **options), its tables read from the cache when built before.

    Lark's own `cache=` option pickles (and by default into the shared temp
    directory); this keeps the same serialized tables (`memo_serialize`, what
    lark's standalone generator writes out) as JSON in spaq's cache directory.
    Any problem reading or writing falls back to building the parser.
    """
    import lark
    from lark import Lark
    from lark.grammar import Rule
    from lark.lexer import TerminalDef
    key = digest(json.dumps([grammar, lark.__version__, _version(), sorted(options.items())],
                            default=str).encode(), 12)
    path = cache_file(directory, f"grammar-{key}.json")
    payload = read_sealed(path)
    if payload is not None:
        try:
            saved = json.loads(payload, object_hook=_untag)
            if saved.get("magic") == "spaq-grammar" and saved.get("key") == key:
                return Lark._load_from_dict(saved["data"], saved["memo"])
        except Exception:
            pass                       # corrupt, foreign or from another lark: build it
    parser = Lark(grammar, **options)
    try:
        data, memo = parser.memo_serialize([TerminalDef, Rule])
        write_sealed(path, json.dumps({"magic": "spaq-grammar", "key": key, "data": _tag(data),
                                       "memo": _tag(memo)}, separators=(",", ":")).encode())
    except Exception:
        pass
    return parser


def cache_file(directory: Path | None, name: str) -> Path | None:
    """`name` in `directory`, else in spaq's cache directory; None when there is none
    to be had (then nothing is read or written: the cache is only a cache)."""
    try:
        return (Path(directory) if directory is not None else cache_dir()) / name
    except Exception:
        return None


def read_sealed(path: Path | None) -> bytes | None:
    """The payload `write_sealed` wrote to `path`; None when there is none, or it is
    cut short or damaged (its CRC-32 does not match)."""
    if path is None:
        return None
    try:
        crc, _, payload = path.read_bytes().partition(b" ")
        return payload if int(crc, 16) == zlib.crc32(payload) else None
    except (OSError, ValueError):
        return None


def write_sealed(path: Path | None, payload: bytes) -> None:
    """`payload` after its CRC-32 (8 hex digits and a space), written to a temporary file
    beside `path` and `os.replace`d over it; nothing when `path` is None or in a corpus,
    and no error when the directory cannot be written (the cache is only a cache)."""
    if path is None or in_a_corpus(path.parent):
        return
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        import tempfile
        fd, tmp = tempfile.mkstemp(prefix=path.name + ".", suffix=".tmp", dir=path.parent)
        with os.fdopen(fd, "wb") as out:
            out.write(b"%08x " % zlib.crc32(payload) + payload)
        os.replace(tmp, path)
    except OSError:
        pass


def _tag(v: Any) -> Any:
    """Lark's tables as JSON: tuples and integer-keyed dicts tagged, str-keyed dicts as they are."""
    if isinstance(v, tuple):
        return {"$t": [_tag(x) for x in v]}
    if isinstance(v, list):
        return [_tag(x) for x in v]
    if isinstance(v, dict):
        if all(isinstance(k, str) and not k.startswith("$") for k in v):
            return {k: _tag(x) for k, x in v.items()}
        return {"$kv": [[_tag(k), _tag(x)] for k, x in v.items()]}
    if v is None or isinstance(v, (bool, int, float, str)):
        return v
    raise TypeError(f"cannot save a {type(v).__name__} in the grammar cache")


def _untag(d: dict) -> Any:
    """json's object_hook: undoes `_tag` as the JSON is parsed (inner objects first)."""
    if len(d) == 1:
        if "$t" in d:
            return tuple(d["$t"])
        if "$kv" in d:
            return {(tuple(k) if type(k) is list else k): v for k, v in d["$kv"]}
    return d


def packs_of(directory: Path) -> Iterable[Path]:
    return sorted((directory / "facts").glob("*.pack"))
