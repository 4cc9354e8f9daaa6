"""A value made the first time it is asked for."""

from __future__ import annotations

from collections.abc import Callable
from typing import Generic, TypeVar

T = TypeVar("T")


class Lazy(Generic[T]):
    """A value that is either known or made by `make` on first use, then kept.

    The build cache restores a checked cohort this way: its model and its private values
    are parsed only when a build renders one of its pages or lists them."""

    __slots__ = ("_make", "_value", "made_later")

    def __init__(self, make: Callable[[], T]) -> None:
        self._make: Callable[[], T] | None = make
        self._value: T | None = None
        self.made_later = False  # made on first use, rather than known from the start

    @classmethod
    def known(cls, value: T) -> Lazy[T]:
        """A value that is already made."""
        lazy: Lazy[T] = cls(lambda: value)
        lazy._make, lazy._value = None, value
        return lazy

    @property
    def made(self) -> bool:
        """Whether the value has been made (or was known from the start)."""
        return self._make is None

    def get(self) -> T:
        """The value, made now if it was not yet."""
        if self._make is not None:
            self._value, self._make, self.made_later = self._make(), None, True
        return self._value  # type: ignore[return-value]  # made above: T itself may include None

    def forget(self) -> None:
        """Drop the value if it can be made again (see Reloadable); a known value is kept."""

    def __getstate__(self) -> tuple[Callable[[], T] | None, T | None, bool]:
        return self._make, self._value, self.made_later

    def __setstate__(self, state: tuple[Callable[[], T] | None, T | None, bool]) -> None:
        self._make, self._value, self.made_later = state


class Reloadable(Lazy[T]):
    """A value made from a source that stays (a file), which `forget` drops and the next
    `get` makes again: a build holds one cohort's model at a time this way. It travels to
    another process as its source, never as its value."""

    __slots__ = ("_source", "counted")

    def __init__(self, make: Callable[[], T], counted: bool = True) -> None:
        super().__init__(make)
        self._source = make
        self.counted = counted  # whether making it sets made_later (a restore worth counting)

    def get(self) -> T:
        if self._make is not None:
            self._value, self._make = self._source(), None
            self.made_later = self.made_later or self.counted
        return self._value  # type: ignore[return-value]  # made above: T itself may include None

    def forget(self) -> None:
        self._make, self._value = self._source, None

    def __getstate__(self) -> tuple[Callable[[], T], None, bool, bool]:  # type: ignore[override]  # and counted
        return self._source, None, self.made_later, self.counted

    def __setstate__(self, state: tuple[Callable[[], T], None, bool, bool]) -> None:  # type: ignore[override]
        self._source, self._value, self.made_later, self.counted = state
        self._make = self._source
