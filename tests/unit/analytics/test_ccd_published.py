"""Coupling coordination degree against published worked examples.

Source: R package ``coupling`` 0.1 (Lyu 2026, doi:10.32614/CRAN.package.coupling), vignette/article
"ccd": the first six rows of the min-max normalised Guangzhou ``gzma`` data (PS, EL, OH, IL scores)
with ``ccd(dt)``, ``ccd(dt, method = "wang")`` and ``ccd(dt, method = "fan")``. Formulas: Wang et al.
2021, Journal of Natural Resources 36(3):793-810; Fan, Ke & Cao 2024, Statistics and Decision
40(22):41-46. The inputs are printed to 7 d.p., hence the tolerance of 1e-6.
"""

from __future__ import annotations

import numpy as np
import pytest

from iplayout.errors import AnalysisError
from iplayout.queries.ccd import GRADES, coordination, coupling_degree, grade

U = np.array([
    [0.8179733, 0.3246648, 0.6590316, 0.1308531],
    [0.3020233, 0.1318888, 0.4046987, 0.5173794],
    [0.9209903, 0.3353516, 0.6921477, 0.3141320],
    [0.9604095, 0.3914758, 0.7099999, 0.4316421],
    [0.9061589, 0.3473603, 0.7297774, 0.6909494],
    [0.9456379, 0.4391423, 0.7304117, 0.4792905],
])

PUBLISHED = {
    "standard": ([0.8051958, 0.8914577, 0.8999423, 0.9346128, 0.9440912, 0.9519923],
                 [0.6237105, 0.5497290, 0.7134825, 0.7632959, 0.7944703, 0.7858001]),
    "wang2021": ([0.4722274, 0.6211236, 0.5375842, 0.5861986, 0.6640321, 0.6319211],
                 [0.4776480, 0.4588675, 0.5514412, 0.6045044, 0.6662930, 0.6402164]),
    "fan2024": ([0.4593785, 0.7164548, 0.4915051, 0.5399620, 0.5951898, 0.5907777],
                [0.4711049, 0.4928249, 0.5272784, 0.5801746, 0.6308098, 0.6190239]),
}


@pytest.mark.parametrize("variant", list(PUBLISHED))
def test_published_rows(variant: str) -> None:
    c_pub, d_pub = PUBLISHED[variant]
    out = coordination(U, variant)  # type: ignore[arg-type]
    np.testing.assert_allclose(out["C"], c_pub, atol=1e-6)
    np.testing.assert_allclose(out["D"], d_pub, atol=1e-6)
    np.testing.assert_allclose(out["T"], U.mean(axis=1), atol=1e-12)


def test_first_row_exact_to_seven_places() -> None:
    row = U[:1]
    assert round(float(coupling_degree(row, "standard")[0]), 7) == 0.8051958
    assert round(float(coupling_degree(row, "wang2021")[0]), 7) == 0.4722274
    assert round(float(coupling_degree(row, "fan2024")[0]), 7) == 0.4593785


def test_equal_subsystems_couple_fully() -> None:
    out = coordination([[0.5, 0.5, 0.5]], "standard")
    assert out["C"][0] == pytest.approx(1.0)
    for variant in ("wang2021", "fan2024"):
        assert coupling_degree([[0.5, 0.5, 0.5]], variant)[0] == pytest.approx(1.0)  # type: ignore[arg-type]


def test_weights_change_t_only() -> None:
    eq = coordination(U[:1])
    w = coordination(U[:1], weights=[0.4, 0.2, 0.2, 0.2])
    assert w["C"][0] == pytest.approx(eq["C"][0])
    assert w["T"][0] == pytest.approx(0.4 * U[0, 0] + 0.2 * U[0, 1:].sum())


def test_zero_row_is_zero_not_nan() -> None:
    out = coordination([[0.0, 0.0]], "wang2021")
    assert out["C"][0] == 0.0 and out["D"][0] == 0.0
    assert out["grade"][0] == "极度失调"


def test_grades_boundaries() -> None:
    assert len(GRADES) == 10
    assert grade(0.0).zh == "极度失调"
    assert grade(0.0999).level == 1
    assert grade(0.1).zh == "严重失调"
    assert grade(0.6237105).zh == "初级协调"
    assert grade(0.9).zh == "优质协调"
    assert grade(1.0).zh == "优质协调"


@pytest.mark.parametrize("bad", [[[1.2, 0.3]], [[-0.1, 0.3]], [[0.2]], [[np.nan, 0.2]]])
def test_rejects_bad_input(bad: list[list[float]]) -> None:
    with pytest.raises(AnalysisError):
        coordination(bad)


def test_unknown_variant() -> None:
    with pytest.raises(AnalysisError, match="unknown CCD variant"):
        coupling_degree(U, "nope")  # type: ignore[arg-type]
