"""Values made on first use."""

from __future__ import annotations

import pickle

from rmsite.core.lazy import Lazy


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
