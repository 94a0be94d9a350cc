"""Location quotient, RTA, HHI and growth on textbook examples.

* LQ: Lightcast/Emsi "Understanding Location Quotient" (2020): breweries are 8% of regional jobs and
  5% of national jobs -> LQ 1.6; nurses 10% vs 9% -> 1.11. Definition as BEA FAQ 478.
* HHI: US Department of Justice, "Herfindahl-Hirschman Index" (Antitrust Division): four firms with
  30, 30, 20 and 20 percent have HHI 2,600 (0.26 on the 0-1 scale).
* RTA: OECD STI Outlook definition: a country's share of patents in a field over its share in all
  fields; 0 without patents in the field, 1 without specialisation.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from iplayout.queries.indices import cagr, growth_rate, hhi, location_quotient, lq_table, rta_table


def test_lq_breweries_and_nurses() -> None:
    assert location_quotient(8, 100, 5, 100) == pytest.approx(1.6)
    assert location_quotient(10, 100, 9, 100) == pytest.approx(1.1111111)
    assert math.isnan(location_quotient(1, 0, 1, 1))


def test_lq_table_against_external_benchmark() -> None:
    counts = pd.DataFrame({"breweries": [8], "other": [92]}, index=["boise"])
    bench = pd.Series({"breweries": 5.0, "other": 95.0})
    assert lq_table(counts, bench).loc["boise", "breweries"] == pytest.approx(1.6)


def test_rta_definition_properties() -> None:
    counts = pd.DataFrame({"H01M": [30, 10, 0], "B60L": [20, 40, 0], "G06F": [0, 50, 100]},
                          index=["A", "B", "C"])
    rta = rta_table(counts)
    # A: 30/50 of its patents in H01M; the region: 40/250 -> (0.6)/(0.16) = 3.75
    assert rta.loc["A", "H01M"] == pytest.approx(3.75)
    assert rta.loc["A", "G06F"] == 0.0
    balanced = pd.DataFrame({"x": [1, 2], "y": [2, 4]})
    np.testing.assert_allclose(rta_table(balanced).to_numpy(), 1.0)


def test_hhi_doj_example() -> None:
    assert hhi([30, 30, 20, 20]) * 10_000 == pytest.approx(2600)
    assert hhi([1]) == pytest.approx(1.0)
    assert math.isnan(hhi([]))


def test_growth() -> None:
    assert growth_rate(100, 120) == pytest.approx(0.2)
    assert math.isnan(growth_rate(0, 5))
    assert cagr(100, 121, 2) == pytest.approx(0.1)
    assert math.isnan(cagr(0, 5, 3))
