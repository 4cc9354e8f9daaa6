"""Numbers with their units, as pages show them: one change, three changes."""

from __future__ import annotations

import pytest

from rmsite.output.render import format_amount


@pytest.mark.parametrize("value, unit, shown", [
    (1, "executives", "1 executive"), (2, "executives", "2 executives"), (0, "executives", "0 executives"),
    (1.0, "working days", "1 working day"), (1, "emails a week", "1 email a week"), (1, "people", "1 person"),
    (1, "policies", "1 policy"), (1, "boxes", "1 box"), (1, "processes", "1 process"), (1, "closes", "1 close"),
    (1, "status", "1 status"), (1, "GBP", "1 GBP"), (1, "%", "1%"), (12.5, "%", "12.5%"), (3, "", "3"),
    (1, "Directors", "1 Director"), (1.5, "hours", "1.5 hours"),
])
def test_a_unit_in_the_plural_is_singular_for_exactly_one(value, unit, shown):
    assert format_amount(value, unit) == shown
