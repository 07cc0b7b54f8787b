"""Key bindings of the prompt, and the one decision behind Enter.

Enter runs the query unless it is visibly unfinished (an open quote or
parenthesis), so long queries can be typed over several lines without a
terminator; Alt-Enter (Esc Enter) always starts a new line. Enter while a
completion is selected takes the completion and keeps editing, as in pgcli.
"""
from __future__ import annotations

from .text import open_quote


def should_accept(text: str) -> bool:
    """Whether Enter runs `text` (True) or starts a new line in it (False)."""
    if open_quote(text) is not None:
        return False
    depth = 0
    quote = None
    for ch in text:
        if quote:
            quote = None if ch == quote else quote
        elif ch in "\"'":
            quote = ch
        elif ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
    return depth <= 0


def key_bindings():
    from prompt_toolkit.enums import DEFAULT_BUFFER
    from prompt_toolkit.filters import completion_is_selected, has_focus
    from prompt_toolkit.key_binding import KeyBindings

    bindings = KeyBindings()
    editing = has_focus(DEFAULT_BUFFER)

    @bindings.add("enter", filter=editing & completion_is_selected)
    def _take_completion(event) -> None:
        event.current_buffer.complete_state = None

    @bindings.add("enter", filter=editing & ~completion_is_selected)
    def _enter(event) -> None:
        buffer = event.current_buffer
        if should_accept(buffer.text):
            buffer.validate_and_handle()
        else:
            buffer.insert_text("\n")

    @bindings.add("escape", "enter", filter=editing)
    def _new_line(event) -> None:
        event.current_buffer.insert_text("\n")

    return bindings
