"""Finding and reading the files of a corpus, read-only.

A corpus is any mix of directories (searched recursively) and single files.
Each file is read as bytes, decoded, and split into documents: a full EDGAR
submission holds several `<DOCUMENT>`s, a plain exhibit is one. Line numbers
are kept as they are in the file so every extracted value can cite its line.
Nothing here ever opens a file for writing.
"""
from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator

from .errors import CorpusError

# Files that are certainly not filings; everything else is tried.
_SKIP_SUFFIXES = {".pyc", ".zip", ".gz", ".png", ".jpg", ".jpeg", ".gif", ".pdf", ".xlsx", ".xls"}


@dataclass
class Document:
    """One document of one file: its lines (1-based numbering kept) and form hint."""
    file: str                      # path as shown to the user (relative to the corpus root)
    lines: list[str]               # the file's lines; lines[0] is line `first_line`
    first_line: int = 1
    number: int = 1                # position of the document in its file
    type_hint: str | None = None   # <TYPE> of a submission document
    warnings: list[str] = field(default_factory=list)

    def numbered(self) -> Iterator[tuple[int, str]]:
        for i, line in enumerate(self.lines):
            yield self.first_line + i, line


def find_files(paths) -> tuple[list[tuple[Path, str]], list[tuple[str, str]]]:
    """Every file under `paths`, as (path, display name), and what was skipped.

    Display names are relative to the directory given, so a corpus moved
    elsewhere keeps the same names (and the same ids).
    """
    found: list[tuple[Path, str]] = []
    skipped: list[tuple[str, str]] = []
    for raw in paths:
        root = Path(raw).expanduser()
        if root.is_file():
            found.append((root, root.name))
        elif root.is_dir():
            for dirpath, dirnames, filenames in os.walk(root, followlinks=False):
                dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
                for name in sorted(filenames):
                    p = Path(dirpath) / name
                    rel = p.relative_to(root).as_posix()
                    if name.startswith("."):
                        continue
                    if p.suffix.lower() in _SKIP_SUFFIXES:
                        skipped.append((rel, f"not a text filing ({p.suffix})"))
                        continue
                    found.append((p, rel))
        else:
            raise CorpusError(f"cannot read corpus: no such file or directory: {raw}")
    return found, skipped


def decode(data: bytes) -> tuple[str | None, list[str]]:
    """Text of a file's bytes, or None when it is not text; with warnings."""
    if not data.strip():
        return None, ["empty file"]
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", errors="replace"), ["decoded as UTF-16"]
    if b"\x00" in data[:4096]:
        return None, ["binary file (NUL bytes)"]
    try:
        return data.decode("utf-8"), []
    except UnicodeDecodeError:
        # EDGAR's older filings are often Latin-1 or cp1252; cp1252 maps the
        # smart quotes they use, and latin-1 never fails as the last resort.
        try:
            return data.decode("cp1252"), ["decoded as Windows-1252"]
        except UnicodeDecodeError:
            return data.decode("latin-1"), ["decoded as Latin-1"]


_HTML = re.compile(r"<(?:html|body|div|p|table|font|td|br)\b[^>]*>", re.I)
_TEXT_START = re.compile(r"^\s*<TEXT>\s*$", re.I)
_TEXT_END = re.compile(r"^\s*</TEXT>\s*$", re.I)


def is_html(text: str) -> bool:
    return len(_HTML.findall(text[:20000])) >= 3


def html_lines(markup: str) -> tuple[list[str], list[str]]:
    """The text of an HTML document as a reader sees it, tables laid out in columns.

    inscriptis keeps a table's cells in aligned columns (html2text gives
    markdown pipes and bold marks), which is what the schedule reader needs.
    """
    try:
        from inscriptis import get_text
        from inscriptis.css_profiles import CSS_PROFILES
        from inscriptis.model.config import ParserConfig
        text = get_text(markup, ParserConfig(css=CSS_PROFILES["strict"], display_links=False))
        note = "HTML: line numbers count the lines of the text as rendered"
    except Exception as e:  # lxml rejects some broken markup; the words are still worth reading
        text = re.sub(r"<[^>]+>", " ", markup)
        note = f"HTML could not be rendered ({type(e).__name__}); tags were stripped"
    return text.splitlines(), [note]


_DOC_START = re.compile(r"^\s*<DOCUMENT>\s*$", re.I)
_DOC_END = re.compile(r"^\s*</DOCUMENT>\s*$", re.I)
_TYPE = re.compile(r"^\s*<TYPE>\s*([^<\n]*[^<\s])", re.I)


def split_documents(name: str, text: str) -> list[Document]:
    """The documents of one file: each <DOCUMENT> of a submission, else the whole file."""
    lines = text.splitlines()
    starts = [i for i, line in enumerate(lines) if _DOC_START.match(line)]
    if not starts:
        return [_rendered(Document(name, lines))]
    docs = []
    for n, start in enumerate(starts, 1):
        end = next((i for i in range(start + 1, len(lines)) if _DOC_END.match(lines[i])), len(lines))
        head = lines[start + 1:min(end, start + 12)]
        type_hint = next((m.group(1).upper() for m in map(_TYPE.match, head) if m), None)
        # The document's own text is inside <TEXT>; <TYPE>, <FILENAME> and the like are its envelope.
        body_start = next((i + 1 for i in range(start + 1, end) if _TEXT_START.match(lines[i])), start + 1)
        body_end = next((i for i in range(body_start, end) if _TEXT_END.match(lines[i])), end)
        doc = Document(name, lines[body_start:body_end], first_line=body_start + 1, number=n, type_hint=type_hint)
        docs.append(_rendered(doc))
    return docs


def _rendered(doc: Document) -> Document:
    """An HTML document's lines become the lines of its rendered text."""
    text = "\n".join(doc.lines)
    if is_html(text):
        doc.lines, notes = html_lines(text)
        doc.first_line = 1
        doc.warnings.extend(notes)
    return doc


def read_documents(path: Path, name: str) -> tuple[list[Document], list[str]]:
    """The documents of one file, or none with the reason it was not read."""
    try:
        data = path.read_bytes()
    except OSError as e:
        return [], [f"unreadable: {e.strerror or e}"]
    text, warnings = decode(data)
    if text is None:
        return [], warnings
    docs = split_documents(name, text)
    for d in docs:
        d.warnings.extend(warnings)
    return docs, []
