"""Small facts about the text being typed, shared by completion and the Enter key."""
from __future__ import annotations


def open_quote(text: str) -> int | None:
    """Position of a quote that is still open at the end of `text`, or None."""
    open_at = None
    for i, ch in enumerate(text):
        if open_at is None and ch in "\"'":
            open_at = i
        elif open_at is not None and ch == text[open_at]:
            open_at = None
    return open_at
