"""What a message may show of a private value: never the value itself."""

from __future__ import annotations

from typing import Any

# fields whose values never appear in a message, not even quoted back as the user's own line
PRIVATE_KEYS = frozenset({"email", "phone", "notes", "feedback", "comment", "to_mentor", "to_mentee",
                          "status_reason"})


class Redacted:
    """A value of a private field as a message may show it: its first and last characters
    and its length, never the value (`'b…n' (12 characters)`)."""

    def __init__(self, value: Any) -> None:
        self.value = value

    def __str__(self) -> str:
        text = str(self.value)
        shown = f"'{text[0]}…{text[-1]}' " if len(text) >= 4 else ""
        return f"{shown}({len(text)} character{'s' * (len(text) != 1)})"


def is_private(path: tuple[str | int, ...]) -> bool:
    """Whether the value at a key path may be private: a private key anywhere on the path."""
    return any(part in PRIVATE_KEYS for part in path)
