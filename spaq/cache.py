"""A persistent cache of what was extracted from each file, and of the parsed grammar.

The second start of spaq on the same corpus reads no filing: each file's
facts (`DocFacts`, values with their sources) come from here when the file is
unchanged, and only changed or new files are read and extracted again.

Where: `$SPAQ_CACHE_DIR`, else the user cache directory (platformdirs), never
inside a corpus: a cache directory inside a corpus root turns the cache off
for that root.

One pack per corpus root (a directory or a single file given to `load`),
`facts/<hash of the root's path>.jsonl`:

    {"magic": "spaq-facts", "format": 3, "spaq": "0.1.0", "extractor": "<hash>", "root": "..."}
    <crc32 of the rest, 8 hex> ["name", size, mtime_ns, "hash", made_ns, unread]<TAB>[DocFacts, ...]<TAB>texts
    ...

(the texts of the lines cited, tab-separated and unescaped: see `Entry.encode`).

The header ties the whole pack to a spaq version and to the extractor (a hash
of the source of spaq/corpus.py, spaq/extract/*.py, spaq/model.py and this
module): a change to either invalidates every entry. An entry is one file,
keyed by its name under the root, size and mtime_ns; it also holds a hash of
the file's bytes (those read: at most `corpus.MAX_FILE_BYTES`), made and checked
only when the modification time is too close to the time the entry was made to be
trusted (else it is "") (a file rewritten within the filesystem's timestamp granularity keeps
its mtime: git's "racily clean" problem). A line whose checksum or JSON is
wrong, or a header that is not ours, is ignored and rebuilt; nothing in a
cache file can make spaq crash.

JSON, not pickle: a cache directory may hold files someone else wrote, and
unpickling runs code. Values are tagged where JSON has no type of their own
(dates, tuples, Decimals); each Source keeps file, line, text, and for a
derived value its note and inputs, so every value still cites its source
after a round trip. One pack per root, not one file per filing: a warm start
on 100,000 filings opens one file instead of 100,000.

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
from itertools import repeat
from pathlib import Path

TYPE_CHECKING = False
if TYPE_CHECKING:                      # `typing` costs a warm start 0.6 MB: for the checkers only
    from typing import Any, Iterable

MAGIC = "spaq-facts"
FORMAT = 3
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
    return [_HERE / name for name in ("corpus.py", "htmltext.py", "model.py", "cache.py")] + \
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


def encode_source(s, file: str) -> Any:
    """[line, text] for a stated value of the document's own file; a dict otherwise."""
    if not s.derived and s.file == file and not s.note and not s.inputs:
        return [s.line, s.text]
    out: dict[str, Any] = {"f": s.file, "l": s.line, "t": s.text}
    if s.derived:
        out["d"] = True
    if s.note:
        out["n"] = s.note
    if s.inputs:
        out["i"] = [encode_source(x, file) for x in s.inputs]
    return out


def decode_source(e: Any, file: str):
    from .model import Source
    if type(e) is list:
        return Source(file, e[0], e[1])
    return Source(e["f"], e["l"], e["t"], e.get("d", False), e.get("n", ""),
                  tuple(decode_source(x, file) for x in e.get("i", ())))


class _Decoder:
    """Turns one document's JSON back into objects (see `encode_facts`). The classes are
    looked up once; a Source cited by several values of the document is made once and shared."""

    def __init__(self):
        from .extract import DealFacts, DocFacts
        from .extract.facts import Bag
        from .model import Source
        self.DealFacts, self.DocFacts, self.Bag, self.Source = DealFacts, DocFacts, Bag, Source
        # json's C scanner, called directly: json.loads wraps it in three Python calls and two
        # regular expressions, for each line of a pack (10,000 at 10,000 filings).
        self._scan = json.JSONDecoder().scan_once

    def json(self, text: str):
        """json.loads(text), of text with no space around it (as `Entry.encode` writes it)."""
        try:
            value, end = self._scan(text, 0)
        except StopIteration:
            raise ValueError("not JSON") from None
        if end != len(text):
            raise ValueError("not JSON")
        return value

    def facts(self, e: dict, texts: Iterable[str] = ()):
        """`texts` gives, in order, the texts of the lines in "lines" (written apart from the JSON)."""
        file = sys.intern(e["file"])
        lines = e["lines"]
        made = list(map(self.Source, repeat(file), lines, texts))
        if len(made) != len(lines):
            raise ValueError("fewer texts than lines")
        for i, x in e["sources"]:          # by position, in order: each lands where it was cited
            made.insert(i, decode_source(x, file))
        cited = made.__getitem__
        Bag = self.Bag

        def bag(b):
            values = b["v"]
            for k in b.get("t", ()):
                values[k] = decode_value(values[k])
            s = b["s"]
            return Bag(values, dict(zip(s, map(cited, s.values()))))

        return self.DocFacts(file, e["number"], e["form"], bag(e["filing"]), [
            self.DealFacts(d["kind"], bag(d["terms"]), [bag(r) for r in d["rows"]], d["source"],
                           [(n, made[i]) for n, i in d["names"]])
            for d in e["deals"]], e["warnings"])


# The types JSON says as they are: their values need no encode_value.
_PLAIN = frozenset((str, int, float, bool, type(None)))
_DATE = dt.date


def encode_facts(f, texts: list | None = None) -> dict:
    """One DocFacts as JSON-ready data; TypeError when it holds what JSON cannot say.

    Its Sources are numbered in the order first cited and each is written once:
    values found on one line share a Source. The stated Sources of the document's
    own file, nearly all of them, are "lines", their line numbers in that order,
    made back by one `map`; given `texts`, their texts are appended to it rather
    than written (see `Entry.encode`). "sources" has the others as [number, Source].
    A bag's values are written as they are; "t" names those that JSON cannot say
    and `encode_value` tags (dates...), so that decoding looks at those alone."""
    file = f.file
    lines: list = []
    others: list = []
    at: dict[int, int] = {}            # by the object: all of them are held by `f` meanwhile
    number = at.get

    def cite(s) -> int:
        """The number of a Source not cited before (one cited before is looked up in `at`
        where it is cited: most are, and a call costs more than the lookup)."""
        i = at[id(s)] = len(at)
        if texts is not None and type(s.line) is int and s.file == file and not s.derived \
                and not s.note and not s.inputs:
            lines.append(s.line)
            texts.append(s.text)
        else:
            others.append([i, encode_source(s, file)])
        return i

    def bag(b) -> dict:
        values = b.values
        out = {"v": values, "s": {k: i if (i := number(id(s))) is not None else cite(s)
                                  for k, s in b.sources.items()}}
        tagged = [k for k, v in values.items() if type(v) not in _PLAIN]
        if tagged:
            out["v"] = values = dict(values)
            for k in tagged:
                v = values[k]
                values[k] = {"$d": v.isoformat()} if type(v) is _DATE else encode_value(v)   # (dates, mostly)
            out["t"] = tagged
        return out

    return {
        "file": file, "number": f.number, "form": f.form, "warnings": list(f.warnings),
        "filing": bag(f.filing),
        "deals": [{"kind": d.kind, "source": d.source, "terms": bag(d.terms), "rows": [bag(r) for r in d.rows],
                   "names": [[n, i if (i := number(id(s))) is not None else cite(s)] for n, s in d.names]}
                  for d in f.deals],
        "lines": lines, "sources": others,
    }


def decode_facts(e: dict, texts: Iterable[str] = ()):
    return _decoder().facts(e, texts)


@functools.lru_cache(maxsize=1)
def _decoder() -> _Decoder:
    return _Decoder()


# --- one file's entry ---------------------------------------------------------------------

# What json.dumps makes with these options, made once: json.dumps makes a new encoder each call.
_KEY_JSON = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))
# Facts are trees of bags, lists and values, made afresh from a file's text: no cycle to look
# for (the check costs a tenth of the encoding); one too deep fails with RecursionError.
_DOCS_JSON = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), allow_nan=False, check_circular=False)


class Entry:
    """What one file gave: its documents' facts, or why it was not read; with its key."""
    __slots__ = ("name", "size", "mtime_ns", "hash", "made_ns", "facts", "unread", "line")

    def __init__(self, name: str, size: int, mtime_ns: int, hash_: str, made_ns: int,
                 facts: list | None, unread: str | None, line: bytes | None = None):
        self.name, self.size, self.mtime_ns, self.hash, self.made_ns = name, size, mtime_ns, hash_, made_ns
        self.facts, self.unread, self.line = facts, unread, line

    def key(self) -> list:
        return [self.name, self.size, self.mtime_ns, self.hash, self.made_ns, self.unread]

    def encode(self) -> bytes:
        """The entry as one line of a pack: checksum, space, key (JSON), tab, documents
        (JSON), then, when its documents cite any, a tab and the texts of their Sources.

        The key stands apart so a pack can be indexed without parsing every
        document; JSON escapes tabs and newlines inside strings, so neither
        can occur in either part. The texts, lines of the filings and two thirds
        of the bytes, are joined by tabs and written as they are: escaping them
        for JSON costs more than all the rest of the encoding. When one of them
        holds a tab or a newline, the entry keeps all its texts in the JSON."""
        if self.line is None:
            key = _KEY_JSON.encode(self.key())
            texts: list[str] = []
            docs = [encode_facts(f, texts) for f in self.facts or ()]
            joined = "\t".join(texts)
            if texts and (joined.count("\t") != len(texts) - 1 or "\n" in joined):
                docs, texts, joined = [encode_facts(f) for f in self.facts or ()], [], ""
            docs = _DOCS_JSON.encode(docs)
            body = (f"{key}\t{docs}\t{joined}" if joined or texts else f"{key}\t{docs}").encode("utf-8")
            self.line = b"%08x " % zlib.crc32(body) + body
        return self.line

    def with_facts(self) -> "Entry":
        """The entry, its facts decoded from its line when it came without them."""
        if self.facts is None:
            self.facts = _facts_of(self.line)
        return self


def _facts_of(line: bytes) -> list:
    """The DocFacts of a pack's line (its checksum checked by the caller, if at all)."""
    body = line[9:]
    docs, tab, joined = body[body.index(b"\t") + 1:].decode("utf-8").partition("\t")
    texts = iter(joined.split("\t") if tab else ())
    decoder = _decoder()
    facts = [decoder.facts(d, texts) for d in decoder.json(docs)]
    if next(texts, None) is not None:
        raise ValueError("more texts than the documents cite")
    return facts


def read_entry(path: Path, name: str) -> Entry:
    """Read and extract one file: the work a cache entry saves. Runs in worker processes too.

    Never raises for what a file holds: a document that makes extraction fail
    becomes a filing of form `unknown` with the failure in its warnings, and
    the rest of the file and the corpus are still read."""
    from .corpus import documents
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
        facts.append(_extract(doc))
        doc.lines = []
    return Entry(name, read.size, read.mtime_ns, hash_, made, facts, None)


def _extract(doc):
    from .extract import DocFacts, extract_document
    from .extract.facts import Bag
    try:
        return extract_document(doc)
    except Exception as e:         # RecursionError and MemoryError too: one document, not the run
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
        return json.dumps({"magic": MAGIC, "format": FORMAT, "spaq": _version(),
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
            end = data.find(b"\n", pos)
            if end < 0:
                end = len(data)            # a last line without its newline: truncated, skipped below
            try:
                tab = data.index(b"\t", pos, end)
                key = json.loads(data[pos + 9:tab])
                if end == len(data) or not (isinstance(key, list) and len(key) == 6 and isinstance(key[0], str)):
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
            body = line[9:]
            if line[8:9] != b" " or int(line[:8], 16) != zlib.crc32(body):
                raise ValueError("checksum")
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
        """Remove the temporary files of runs that died writing this pack. An hour
        old: a run still writing one touches it far more often than that."""
        cutoff = time.time() - STALE_SECONDS
        for tmp in self.path.parent.glob(glob.escape(self.path.name) + ".*.tmp"):
            try:
                if tmp.stat().st_mtime < cutoff:
                    tmp.unlink()
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
        return Pack(root, self.directory / "facts" / f"{key}.jsonl")


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
    return sorted((directory / "facts").glob("*.jsonl"))
