"""Reading the files of a corpus, read-only (spaq.listing finds them).

Each file is read as bytes, decoded, and split into documents: a full EDGAR
submission holds several `<DOCUMENT>`s, a plain exhibit is one. Line numbers
are kept as they are in the file so every extracted value can cite its line.
Nothing here ever opens a file for writing.

A corpus folder may hold anything, so reading is bounded: only regular files
are opened (a named pipe would block forever, a device never ends), at most
MAX_FILE_BYTES of a file are read, at most MAX_DOCUMENT_CHARS of a document
and MAX_LINE_CHARS of a line are given to extraction, and each cut is said in
the filing's warnings. Whatever cannot be read is a reason, never an exception.
"""
from __future__ import annotations

import codecs
import itertools
import operator
import os
import re
import stat
from pathlib import Path

from .listing import _not_regular

TYPE_CHECKING = False
if TYPE_CHECKING:                      # `typing` costs a warm start 0.6 MB: for the checkers only
    from typing import Iterator

# The limits. Reading and decoding are cheap; extraction costs about 2.5 s per
# MB of prose and a few hundred bytes of memory per line, and some of its
# line-anchored patterns cost the square of a line's length. A purchase
# agreement is well under 1 MB and its lines are short (an HTML paragraph as
# rendered is one line of a few thousand characters), so these cut only what
# no filing needs, and keep any one file to seconds and a few hundred MB.
MAX_FILE_BYTES = 20 * 2**20            # a full submission with its exhibits fits
MAX_DOCUMENT_CHARS = 2_000_000         # one document of a file: an exhibit, a report
MAX_LINE_CHARS = 10_000                # one line as extraction sees it
# Warnings that say spaq read less than the whole file start so; the CLI repeats them.
CUT = "cut: "


class Document:
    """One document of one file: its lines (1-based numbering kept) and form hint.

    (This module's two classes are written out, not dataclasses: a warm start
    lists the corpus through this module and needs nothing of `dataclasses`,
    which would cost it 2.7 MB.)"""
    __slots__ = ("file", "lines", "first_line", "number", "type_hint", "warnings")

    def __init__(self, file: str, lines: list[str], first_line: int = 1, number: int = 1,
                 type_hint: str | None = None, warnings: list[str] | None = None):
        self.file = file               # path as shown to the user (relative to the corpus root)
        self.lines = lines             # the file's lines; lines[0] is line `first_line`
        self.first_line = first_line
        self.number = number           # position of the document in its file
        self.type_hint = type_hint     # <TYPE> of a submission document
        self.warnings = warnings if warnings is not None else []

    def numbered(self) -> Iterator[tuple[int, str]]:
        for i, line in enumerate(self.lines):
            yield self.first_line + i, line


# --- reading one file ------------------------------------------------------------------------

class Read:
    """The bytes of a file as read (at most MAX_FILE_BYTES), or why none were."""
    __slots__ = ("data", "size", "mtime_ns", "problem", "truncated")

    def __init__(self, data: bytes | None, size: int = -1, mtime_ns: int = -1, problem: str | None = None,
                 truncated: bool = False):
        self.data, self.size, self.mtime_ns = data, size, mtime_ns
        self.problem, self.truncated = problem, truncated

    def __repr__(self) -> str:
        return f"Read({len(self.data) if self.data is not None else None} bytes, problem={self.problem!r})"


def read_file(path: Path) -> Read:
    """A file's bytes, opened without blocking (a pipe put in place of a file
    after it was listed is refused, not waited on) and read up to the limit."""
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    try:
        fd = os.open(path, flags)
    except FileNotFoundError:
        try:
            return Read(None, problem=f"unreadable: a link to nothing ({os.readlink(path)})")
        except OSError:                # not a link: the file went between listing and reading
            return Read(None, problem="unreadable: no longer there (removed while spaq was reading?)")
    except OSError as e:
        return Read(None, problem=f"unreadable: {e.strerror or e}")
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            return Read(None, problem=_not_regular(st.st_mode))
        # The size the file has now, and a byte more, is asked for at once, on the descriptor
        # itself: no file object, and no bytes object of a fixed large chunk to fill (an
        # unbuffered read makes one of the size asked). A file that grows is read on.
        # A read that gives the size fstat said, and less than was asked, has met the end: the
        # empty read that would say so again is not made (a system call a file). A size that says
        # nothing (procfs' 0) or a short read before it (some network or user-space file
        # systems) is read on as before.
        chunks, left, want = [], MAX_FILE_BYTES, st.st_size + 1
        while left > 0:
            asked = min(left, want)
            chunk = os.read(fd, asked)
            if not chunk:
                break
            chunks.append(chunk)
            left -= len(chunk)
            if len(chunk) < asked and MAX_FILE_BYTES - left == st.st_size:
                break
            want = 1 << 20
        data = b"".join(chunks)
        truncated = left <= 0 and bool(os.read(fd, 1))
    except OSError as e:
        return Read(None, problem=f"unreadable: {e.strerror or e}")
    finally:
        os.close(fd)
    return Read(data, st.st_size, st.st_mtime_ns, truncated=truncated)


def _size(n: int) -> str:
    return f"{n / 2**20:g} MB" if n >= 2**20 else f"{n:,} bytes"


def decode(data: bytes, truncated: bool = False) -> tuple[str | None, list[str]]:
    """Text of a file's bytes, or None when it is not text; with warnings."""
    if not data or data.isspace():     # (not data.strip(), a copy of the file to tell it)
        return None, ["empty file"]
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        text, warnings = data[:len(data) // 2 * 2].decode("utf-16", errors="replace"), ["decoded as UTF-16"]
    elif b"\x00" in data[:4096]:
        encoding = _utf16_without_bom(data[:4096])
        if encoding is None:
            return None, ["binary file (NUL bytes)"]
        text = data[:len(data) // 2 * 2].decode(encoding, errors="replace")
        warnings = ["decoded as UTF-16 (no byte-order mark)"]
    else:
        try:
            # Incremental when cut, so a multi-byte character cut at the read limit does
            # not make a UTF-8 file look like Windows-1252. (A whole file of three bytes or more
            # decodes at once as the incremental decoder decodes it, without making one.)
            # (utf-8-sig's codec is Python code around utf-8's: the C one is called at once
            # when there is no byte-order mark to drop)
            if truncated or len(data) < 3:
                text = codecs.getincrementaldecoder("utf-8-sig")().decode(data, final=not truncated)
            else:
                text = data.decode("utf-8" if not data.startswith(codecs.BOM_UTF8) else "utf-8-sig")
            warnings = []
        except UnicodeDecodeError:
            # EDGAR's older filings are often Latin-1 or cp1252; cp1252 maps the
            # smart quotes they use, and latin-1 never fails as the last resort.
            try:
                text, warnings = data.decode("cp1252"), ["decoded as Windows-1252"]
            except UnicodeDecodeError:
                text, warnings = data.decode("latin-1"), ["decoded as Latin-1"]
    if _looks_binary(text[:4096]):
        return None, ["binary file (control characters)"]
    if "\x00" in text:
        text = text.replace("\x00", "")
        warnings.append("NUL characters removed")
    if truncated:
        warnings.append(f"{CUT}only the first {_size(MAX_FILE_BYTES)} of the file were read")
    return text, warnings


def _utf16_without_bom(sample: bytes) -> str | None:
    """UTF-16 of mostly ASCII text has a NUL in every other byte; binary has them anywhere."""
    even, odd = sample[0::2], sample[1::2]
    if not even or not odd:
        return None
    zeros_even, zeros_odd = even.count(0) / len(even), odd.count(0) / len(odd)
    if zeros_odd > 0.3 and zeros_even < 0.02:
        return "utf-16-le"
    if zeros_even > 0.3 and zeros_odd < 0.02:
        return "utf-16-be"
    return None


# Control characters no text uses (tab, line and page breaks are text; so is one ^Z at the end),
# and the mark of a byte that did not decode.
_NOT_TEXT = re.compile(r"[\x00-\x08\x0e-\x1b\x1f\x7f-\x9f\ufffd]")
# The Latin-1 characters that are text: all but _NOT_TEXT's.
_TEXT_BYTES = bytes(c for c in range(256) if not _NOT_TEXT.match(chr(c)))


def _not_text(sample: str) -> int:
    """len(_NOT_TEXT.findall(sample)), counted in C without re, which tests a character class
    at every character (a tenth of the cost of reading a small file): the sample's Latin-1
    characters (all but those beyond it dropped) with the text ones deleted, and each U+FFFD,
    the one character of _NOT_TEXT beyond Latin-1."""
    return len(sample.encode("latin-1", "ignore").translate(None, _TEXT_BYTES)) + sample.count("\ufffd")


def _looks_binary(sample: str) -> bool:
    """Text has few control characters; bytes that decoded to many are not text."""
    return _not_text(sample) > len(sample) // 50


_HTML = re.compile(r"<(?:html|body|div|p|table|font|td|br)\b[^<>]*>", re.I)
_TEXT_START = re.compile(r"^\s*<TEXT>\s*$", re.I)
_TEXT_END = re.compile(r"^\s*</TEXT>\s*$", re.I)


def is_html(text: str) -> bool:
    """Whether the first 20,000 characters hold three HTML tags. (Looked for from the first "<",
    found in C, and no further than the third: HTML has them at its start.)"""
    first = text.find("<", 0, 20000)
    if first < 0:
        return False
    # (each match holds one "<" of its own: a text with fewer than three, as a plain text's
    # <PAGE> tags often are, is told by two more finds in C, without trying the pattern)
    second = text.find("<", first + 1, 20000)
    if second < 0 or text.find("<", second + 1, 20000) < 0:
        return False
    return next(itertools.islice(_HTML.finditer(text, first, 20000), 2, None), None) is not None


# Tags are matched up to the next < as well as >: "<<<<..." costs one pass, not one per <.
_BLOCK = re.compile(r"<(?:/?(?:p|div|tr|li|h\d|table|center)|br)\b[^<>]*>", re.I)
_TAG = re.compile(r"<[^<>]*>")
_HIDDEN = re.compile(r"<(script|style)\b|<!--", re.I)


def _without_hidden(markup: str) -> str:
    """Markup without scripts, styles and comments. Each end is looked for once:
    one unclosed <script> hides the rest, as in a browser."""
    out, pos = [], 0
    while (m := _HIDDEN.search(markup, pos)) is not None:
        out.append(markup[pos:m.start()])
        end = re.compile(rf"</{m.group(1)}\s*>" if m.group(1) else "-->", re.I).search(markup, m.end())
        if end is None:
            return "".join(out)
        out.append(" ")
        pos = end.end()
    out.append(markup[pos:])
    return "".join(out)


def _stripped(markup: str) -> str:
    """The words of markup, without tags: a block tag ends a line, runs of blanks are one."""
    import html
    text = _TAG.sub(" ", _BLOCK.sub("\n", _without_hidden(markup)))
    text = re.sub(r"[ \t]+", " ", html.unescape(text))
    return re.sub(r"\n(?:[ \t]*\n)+", "\n\n", text)


def _most_words(markup: str) -> int:
    """At least as many words as _stripped(markup) holds, counted without stripping: each of
    its steps puts a blank (or a line break) in place of something that starts with a "<"
    (a tag, a script, a comment) or an "&" (an entity), and so splits at most one word
    in two; none joins two words."""
    return len(markup.split()) + markup.count("<") + markup.count("&")


def html_lines(markup: str) -> tuple[list[str], list[str]]:
    """The text of an HTML document as a reader sees it, tables laid out in columns.

    inscriptis keeps a table's cells in aligned columns (html2text gives
    markdown pipes and bold marks), which is what the schedule reader needs.
    lxml gives up quietly on markup nested thousands deep, or after a first
    </html>: when the rendering holds much less text than the markup, the
    markup's words are read with the tags stripped instead.
    """
    try:
        from . import htmltext
        text = htmltext.render(markup)
        if text is None:                # what spaq does not lay out itself, inscriptis does
            from inscriptis import get_text
            text = get_text(markup, htmltext.CONFIG)
        note = "HTML: line numbers count the lines of the text as rendered"
    except Exception as e:  # lxml rejects some broken markup; the words are still worth reading
        text = _stripped(markup)
        note = f"HTML could not be rendered ({type(e).__name__}); tags were stripped"
    else:
        rendered = 2 * len(text.split())
        if rendered < _most_words(markup) and rendered < len(_stripped(markup).split()):
            text = _stripped(markup)
            note = "HTML rendered only in part (nested too deep, or text after its end); tags were stripped"
    return text.splitlines(), [note]


# --- splitting a file into documents -----------------------------------------------------------

_DOCUMENT = re.compile(r"<DOCUMENT>", re.I)
_DOC_START = re.compile(r"^\s*<DOCUMENT>\s*$", re.I)
_DOC_END = re.compile(r"^\s*</DOCUMENT>\s*$", re.I)
_TYPE = re.compile(r"^\s*<TYPE>\s*([^<\n]*[^<\s])", re.I)
# Lines are split a chunk of about this many characters at a time: str.splitlines is
# fast, and a chunk's lines are all that is held besides the document's own.
_CHUNK = 1 << 16
# A uuencoded attachment (GRAPHIC, ZIP, PDF of a submission): no words in it.
_UUENCODED = re.compile(r"^begin [0-7]{3,4} \S")


def iter_lines(text: str) -> Iterator[str]:
    """The lines of `text`, as `text.splitlines()` gives them, one at a time."""
    for chunk in _line_chunks(text):
        yield from chunk


def _line_chunks(text: str) -> Iterator[list[str]]:
    """text.splitlines(), a list of lines at a time: each chunk is cut just after a "\n",
    so no line (nor a "\r\n") is split between two."""
    pos, n = 0, len(text)
    while pos < n:
        cut = text.find("\n", pos + _CHUNK)
        end = n if cut < 0 else cut + 1
        yield text[pos:end].splitlines()
        pos = end


class _Open:
    """A <DOCUMENT> being read: its <TYPE>, and its lines up to the limit."""

    def __init__(self, index: int):
        self.first = index + 2             # line number after the <DOCUMENT> line
        self.head = 11                     # lines after <DOCUMENT> where <TYPE> may be
        self.type_hint: str | None = None
        self.lines: list[str] = []
        self.chars = 0
        self.cut = False
        self.in_text = self.text_done = False

    def add(self, line: str) -> None:
        if self.cut:
            return
        room = MAX_DOCUMENT_CHARS - self.chars
        if len(line) > room:
            self.cut = True
            line = line[:room]
            if not line:
                return
        self.lines.append(line)
        self.chars += len(line) + 1

    def add_all(self, lines: list[str]) -> None:
        """add() each line; at once when they all fit (then no line is cut)."""
        size = sum(map(len, lines)) + len(lines)
        if not self.cut and self.chars + size <= MAX_DOCUMENT_CHARS:
            self.lines.extend(lines)
            self.chars += size
        else:
            for line in lines:
                self.add(line)


def iter_documents(name: str, text: str, warnings: list[str] = ()) -> Iterator[Document]:
    """The documents of one file, one at a time: each <DOCUMENT> of a submission
    (its text inside <TEXT>), else the whole file; each with `warnings` added."""
    first = text.find("<")              # (found in C: a tag starts there, and nothing before it)
    if first >= 0 and _DOCUMENT.search(text, first):
        count = 0
        for count, doc in enumerate(_submission(name, text, warnings), 1):
            yield doc
        if count:
            return
    whole = _Open(-1)
    for lines in _line_chunks(text):
        whole.add_all(lines)
    yield _finish(Document(name, whole.lines), whole.cut, warnings)


def _submission(name: str, text: str, warnings) -> Iterator[Document]:
    # The envelope around the documents (<SEC-HEADER> and the like) is no document.
    doc: _Open | None = None
    number = 0

    def done(d: _Open) -> Document:
        return _finish(Document(name, d.lines, first_line=d.first, number=number, type_hint=d.type_hint),
                       d.cut, warnings)

    # Every line that marks something holds a tag: the others, a document's text, are found in C
    # (a chunk's lines that hold no "<"), and taken a run at a time.
    base = 0                               # the number (from 0) of the chunk's first line
    for chunk in _line_chunks(text):
        pos = 0
        for t in itertools.chain(itertools.compress(itertools.count(), map(operator.contains, chunk, itertools.repeat("<"))),
                                 (len(chunk),)):
            if t > pos and doc is not None and not doc.text_done:     # the lines pos..t, none a tag
                doc.head = max(0, doc.head - (t - pos))
                doc.add_all(chunk[pos:t])
            if t == len(chunk):
                break
            pos, line, i = t + 1, chunk[t], base + t
            if _DOC_START.match(line):
                if doc is not None:        # no </DOCUMENT>: it ends where the next begins
                    yield done(doc)
                number += 1
                doc = _Open(i)
                continue
            if doc is None:
                continue
            if _DOC_END.match(line):
                yield done(doc)
                doc = None
                continue
            if doc.text_done:
                continue
            if doc.head > 0:
                doc.head -= 1
                if doc.type_hint is None and (m := _TYPE.match(line)):
                    doc.type_hint = m.group(1).upper()
            # The document's own text is inside <TEXT>; <TYPE>, <FILENAME> and the like are its envelope.
            if not doc.in_text and _TEXT_START.match(line):
                doc.in_text, doc.first, doc.lines, doc.chars, doc.cut = True, i + 2, [], 0, False
                continue
            if doc.in_text and _TEXT_END.match(line):
                doc.text_done = True
                continue
            doc.add(line)
        base += len(chunk)
    if doc is not None:
        yield done(doc)


def _finish(doc: Document, cut: bool, warnings) -> Document:
    """The lines extraction is given: HTML rendered, attachments dropped, long lines cut."""
    if doc.lines and _UUENCODED.match(doc.lines[0]):
        doc.lines = []
        doc.warnings.append("a uuencoded attachment, not text: not read")
    text = "\n".join(doc.lines)
    # (no line is longer than the lines joined: a short document's need not be measured)
    short = len(text) <= MAX_LINE_CHARS
    if is_html(text):
        short = False
        doc.lines, notes = html_lines(text)
        doc.first_line = 1
        doc.warnings.extend(notes)
        # (the lines are walked for where to cut only when their total, found in C, is too long)
        if sum(map(len, doc.lines)) + len(doc.lines) > MAX_DOCUMENT_CHARS:
            chars = 0
            for kept, line in enumerate(doc.lines):
                chars += len(line) + 1
                if chars > MAX_DOCUMENT_CHARS:
                    del doc.lines[kept:]
                    cut = True
                    break
    del text
    doc.warnings.extend(warnings)
    if cut:
        doc.warnings.append(f"{CUT}only the first {MAX_DOCUMENT_CHARS:,} characters of the document were read")
    # (the longest line's length is found in C; only a document with a long line is walked)
    long = [i for i, line in enumerate(doc.lines) if len(line) > MAX_LINE_CHARS] \
        if doc.lines and not short and max(map(len, doc.lines)) > MAX_LINE_CHARS else []
    for i in long:
        doc.lines[i] = doc.lines[i][:MAX_LINE_CHARS]
    if long:
        first = doc.first_line + long[0]
        doc.warnings.append(f"{CUT}{len(long):,} line{'s' if len(long) > 1 else ''} longer than "
                            f"{MAX_LINE_CHARS:,} characters read only that far (the first: line {first:,})")
    return doc


def split_documents(name: str, text: str) -> list[Document]:
    """The documents of one file: each <DOCUMENT> of a submission, else the whole file."""
    return list(iter_documents(name, text))


def documents(path: Path, name: str) -> tuple[Read, Iterator[Document] | None, str | None]:
    """What was read of a file, its documents (made as they are iterated), or why there are none."""
    read = read_file(path)
    if read.data is None:
        return read, None, read.problem
    text, warnings = decode(read.data, read.truncated)
    if text is None:
        return read, None, "; ".join(warnings)
    return read, iter_documents(name, text, warnings), None


def read_documents(path: Path, name: str) -> tuple[list[Document], list[str]]:
    """The documents of one file, or none with the reason it was not read."""
    _, docs, why = documents(path, name)
    return (list(docs), []) if docs is not None else ([], [why])
