"""Class breaks and legend labels for choropleths."""

from __future__ import annotations

import math

import pytest

from iplayout.errors import ReportError
from iplayout.reports.classify import class_breaks, class_labels, class_of


def test_quantile_breaks_split_evenly() -> None:
    assert class_breaks(list(range(1, 11)), 2, "quantile") == [1.0, 5.5, 10.0]


def test_equal_interval_breaks() -> None:
    assert class_breaks([0, 3, 10], 5, "equal") == [0.0, 2.0, 4.0, 6.0, 8.0, 10.0]


def test_nan_ignored_and_constant_values_make_one_class() -> None:
    assert class_breaks([math.nan, 4.0, 4.0]) == [4.0, 4.0]
    assert class_breaks([]) == []


def test_class_of_is_right_closed() -> None:
    b = [0.0, 1.0, 2.0, 3.0]
    assert [class_of(v, b) for v in (0.0, 1.0, 1.5, 2.0, 3.0, 99.0)] == [0, 0, 1, 1, 2, 2]


def test_labels_have_enough_decimals() -> None:
    assert class_labels([0.0, 0.25, 0.5]) == ["0.00 – 0.25", "0.25 – 0.50"]
    assert class_labels([0.0, 500.0, 1500.0]) == ["0 – 500", "500 – 1,500"]


def test_unknown_method() -> None:
    with pytest.raises(ReportError):
        class_breaks([1.0, 2.0], 3, "jenks")  # type: ignore[arg-type]
