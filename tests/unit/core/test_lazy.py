"""Values made on first use."""

from __future__ import annotations

import functools
import pickle

from rmsite.core.lazy import Lazy, Reloadable


def test_a_lazy_value_is_made_once_on_first_use():
    made: list[int] = []
    value = Lazy(lambda: made.append(1) or 42)
    assert made == [] and not value.made
    assert value.get() == 42 and value.get() == 42
    assert made == [1] and value.made and value.made_later


def test_a_known_value_is_not_made_later():
    value = Lazy.known("ready")
    assert value.made and value.get() == "ready" and not value.made_later


def test_a_made_value_travels_to_another_process_as_it_is():
    value = Lazy.known((1, 2))
    assert pickle.loads(pickle.dumps(value)).get() == (1, 2)


def test_a_reloadable_value_is_forgotten_and_made_again_on_next_use():
    made: list[int] = []
    value = Reloadable(lambda: made.append(1) or [len(made)])
    assert value.get() == [1] and value.get() == [1] and value.made
    value.forget()
    assert not value.made and value.get() == [2] and made == [1, 1]


def test_a_known_value_is_kept_when_forgotten():
    value = Lazy.known([1])
    value.forget()
    assert value.made and value.get() == [1]


def test_a_reloadable_value_travels_as_how_to_make_it_not_as_the_value():
    value = Reloadable(functools.partial(list, (1, 2)), counted=False)
    assert value.get() == [1, 2]
    copy = pickle.loads(pickle.dumps(value))
    assert not copy.made and copy.get() == [1, 2] and not copy.made_later
