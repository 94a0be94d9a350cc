"""Entropy weights, AHP and min-max normalisation against published or textbook values.

Entropy: Xu Xu (2004) worked example (4 units x 4 indicators) as reproduced in the entropy-weight
literature: rows [30,30,38,29], [19,54,86,29], [19,15,85,28.9], [68,70,60,29] give weights
[0.4630, 0.3992, 0.1378, 0.0000] to four decimals. The published numbers come from proportions of
the raw values (``p_ij = x_ij / sum_i x_ij``), not of min-max normalised values.
AHP: Saaty's three-criterion matrix [[1,3,5],[1/3,1,3],[1/5,1/3,1]] (Saaty 1980; the standard
textbook example) gives weights 0.637, 0.258, 0.105, lambda_max 3.0385, CR 0.033 (RI(3) = 0.58).
"""

from __future__ import annotations

import numpy as np
import pytest

from iplayout.errors import AnalysisError
from iplayout.queries.weighting import ahp, entropy_weights, fixed_weights, minmax

XU = [[30, 30, 38, 29], [19, 54, 86, 29], [19, 15, 85, 28.9], [68, 70, 60, 29]]


def test_xu_2004_entropy_weights() -> None:
    w = entropy_weights(XU)
    np.testing.assert_array_equal(np.round(w, 4), [0.4630, 0.3992, 0.1378, 0.0000])
    assert w.sum() == pytest.approx(1.0)


def test_entropy_minmax_option_differs_and_sums_to_one() -> None:
    w = entropy_weights(XU, normalise="minmax")
    assert w.sum() == pytest.approx(1.0)
    assert not np.allclose(w, entropy_weights(XU))


def test_entropy_zero_column_gets_no_weight() -> None:
    w = entropy_weights([[1, 0], [3, 0], [5, 0]])
    assert w[1] == 0.0 and w[0] == pytest.approx(1.0)


def test_entropy_rejects_negative() -> None:
    with pytest.raises(AnalysisError, match="non-negative"):
        entropy_weights([[1, -1], [2, 3]])


def test_saaty_ahp_example() -> None:
    res = ahp([[1, 3, 5], [1 / 3, 1, 3], [1 / 5, 1 / 3, 1]])
    np.testing.assert_allclose(res.weights, [0.6370, 0.2583, 0.1047], atol=1e-4)
    assert res.lambda_max == pytest.approx(3.0385, abs=1e-4)
    assert res.cr == pytest.approx(0.0332, abs=1e-3)
    assert res.consistent


def test_ahp_inconsistent_matrix_flagged() -> None:
    res = ahp([[1, 9, 1 / 9], [1 / 9, 1, 9], [9, 1 / 9, 1]])
    assert not res.consistent


def test_ahp_rejects_non_reciprocal() -> None:
    with pytest.raises(AnalysisError, match="reciprocal"):
        ahp([[1, 2], [2, 1]])


def test_minmax_directions_and_bounds() -> None:
    np.testing.assert_allclose(minmax([0, 5, 10]), [0, 0.5, 1])
    np.testing.assert_allclose(minmax([0, 5, 10], "negative"), [1, 0.5, 0])
    np.testing.assert_allclose(minmax([5, 20], lo=0, hi=10), [0.5, 1.0])  # clipped at the bound
    np.testing.assert_allclose(minmax([3, 3]), [0, 0])


def test_fixed_weights_normalised() -> None:
    np.testing.assert_allclose(fixed_weights([2, 1, 1]), [0.5, 0.25, 0.25])
    with pytest.raises(AnalysisError):
        fixed_weights([0, 0])
