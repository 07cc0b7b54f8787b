"""One error root, one class per stage.

Every error spaq raises on purpose is a `SpaqError`, which is a `ValueError`,
so an embedding script can catch bad input with one `except ValueError`.
A query error carries the query text and the span it points at, and its
`str()` is exactly what the CLI prints: the query, a caret line, the message.
Whatever the query holds, the caret lands under the offending text: only the
line it is on is shown, control characters are drawn as visible symbols
(a terminal never receives them), wide characters count two columns, and a
very long line is cut to a window around the span.
"""
from __future__ import annotations


# How much of a long line an error shows around the offending span.
_WINDOW = 100


def closest(word: str, options, cutoff: float = 0.6) -> list[str]:
    """The one option most like `word` (difflib's ratio at least `cutoff`), or none: what
    a suggestion offers. difflib is imported here, when there is a mistake to suggest for:
    a query without one does not pay for it."""
    import difflib
    return difflib.get_close_matches(word, list(options), n=1, cutoff=cutoff)


class SpaqError(ValueError):
    """Root of every error spaq raises on purpose."""


class QueryError(SpaqError):
    """A query that cannot be run: unknown names, wrong types, bad regex."""

    def __init__(self, message: str, query: str = "", start: int | None = None,
                 end: int | None = None, suggestion: str | None = None):
        self.message = message
        self.query = query
        self.start = start
        self.end = end if end is not None else (None if start is None else start + 1)
        self.suggestion = suggestion
        super().__init__(str(self))

    @property
    def position(self) -> int | None:
        return self.start

    def caret(self) -> str:
        """The caret line under the offending span (empty when no position)."""
        return self._excerpt()[1]

    def _excerpt(self) -> tuple[str, str]:
        """The query line the span is on, drawn safely, and the caret line under it."""
        if self.start is None or not self.query:
            return "", ""
        query = self.query
        start = min(max(self.start, 0), len(query))
        end = min(max(self.end or start + 1, start + 1), len(query) + 1)
        line_start = query.rfind("\n", 0, start) + 1
        line_end = query.find("\n", start)
        line_end = len(query) if line_end < 0 else line_end
        end = min(end, max(line_end, start + 1))          # the caret stays on this line
        end = min(end, start + _WINDOW)                   # and within the window
        if line_end - line_start > 2 * _WINDOW:
            # A long line: a window around the span, marked where it was cut.
            lo = max(line_start, start - _WINDOW // 2)
            hi = min(line_end, max(end, start + 1) + _WINDOW // 2)
        else:
            lo, hi = line_start, line_end
        before = "".join(map(_visible, query[lo:start]))
        marked = "".join(map(_visible, query[start:end]))
        after = "".join(map(_visible, query[end:hi]))
        head = "…" if lo > line_start else ""
        tail = "…" if hi < line_end else ""
        line = head + before + marked + after + tail
        caret = " " * _width(head + before) + "^" * max(1, _width(marked))
        return line, caret

    def __str__(self) -> str:
        text = self.message
        if self.suggestion:
            text += f" — did you mean {self.suggestion}?"
        # The message may quote the query (`unexpected '…'`): drawn as safely.
        text = "\n".join("".join(map(_visible, part)) for part in text.split("\n"))
        line, caret = self._excerpt()
        if not caret:
            return text
        return f"{line}\n{caret}\n{text}"


class QuerySyntaxError(QueryError):
    """The query does not parse."""


class CorpusError(SpaqError):
    """The corpus cannot be read at all (no such path, nothing readable)."""


def _visible(ch: str) -> str:
    """A character as an error draws it: controls as their Unicode pictures
    (NUL as ␀, ESC as ␛), so an echoed query never drives the terminal."""
    code = ord(ch)
    if ch == "\t":
        return " "
    if code < 0x20:
        return chr(0x2400 + code)
    if code == 0x7F:
        return "\u2421"
    import unicodedata                  # only an error draws characters: 0.1 MB not loaded otherwise
    category = unicodedata.category(ch)
    if category in ("Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"):
        return "\ufffd"
    return ch


def _width(text: str) -> int:
    """Terminal columns: wide (East Asian) characters two, combining marks none."""
    import unicodedata
    return sum(0 if unicodedata.combining(ch) else
               2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1 for ch in text)
