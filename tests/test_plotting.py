"""Tests of radcevns.plotting: limit plots, the log mass axis and the numbers glued into the prose."""

import doctest
import math
import sys

import numpy as np
import pytest

from radcevns import plotting as P

_SUPERSCRIPT = str.maketrans("0123456789-", "⁰¹²³⁴⁵⁶⁷⁸⁹⁻")


# The three formatters the chapters used to define, copied verbatim: the shared `sci` must give
# the same text for every number.
def _sci_ch01_ch02(x, digits=3):
    if x == 0 or 1e-3 <= abs(x) < 1e4:
        return f"{x:.0f}" if abs(x) >= 10**digits else f"{x:.{digits}g}"
    mantissa, exponent = f"{x:.{digits - 1}e}".split("e")
    return f"{mantissa} × 10{str(int(exponent)).translate(_SUPERSCRIPT)}"


def _sci_ch03(x, digits=2):
    if x == 0 or 1e-3 <= abs(x) < 1e5:
        return f"{float(f'{x:.{digits}g}'):g}"
    mantissa, exponent = f"{x:.{digits - 1}e}".split("e")
    return f"{mantissa} × 10{str(int(exponent)).translate(_SUPERSCRIPT)}"


def _sci_ch05(x, digits=3):
    if x == 0 or 1e-2 <= abs(x) < 1e4:
        text = f"{x:.{digits}g}"
        return f"{x:.0f}" if "e" in text else text
    mantissa, exponent = f"{x:.{digits - 1}e}".split("e")
    return f"{mantissa} × 10{str(int(exponent)).translate(_SUPERSCRIPT)}"


def _numbers():
    rng = np.random.default_rng(20240611)
    x = 10.0 ** rng.uniform(-25, 25, 20_000) * rng.choice([-1.0, 1.0], 20_000)
    special = [0.0, 1e-3, 1e-2, 0.1, 1.0, 9.96, 99.96, 999.4, 1e3, 1e4, 1e5, 12345.6, 9999.6, 2.5e-12]
    return [float(v) for v in np.concatenate([x, special, -np.asarray(special)])]


@pytest.mark.parametrize("digits", [1, 2, 3, 4])
def test_sci_reproduces_the_chapter_formatters(digits):
    for x in _numbers():
        assert P.sci(x, digits, plain_range=(1e-2, 1e4)) == _sci_ch05(x, digits)
        assert P.sci(x, digits, plain_range=(1e-3, 1e5), round_plain=True) == _sci_ch03(x, digits)
        # chapters 1 and 2 wrote '1e+03' for 999.5 <= |x| < 1000 (digits=3): the shared one writes '1000'
        if not 10**digits - 0.5 <= abs(x) < 10**digits:
            assert P.sci(x, digits) == _sci_ch01_ch02(x, digits)


def test_sci_examples_and_bad_digits():
    assert P.sci(1.26e7) == "1.26 × 10⁷"
    assert P.sci(3e-8, 1) == "3 × 10⁻⁸"
    assert P.sci(999.7) == "1000"
    with pytest.raises(ValueError, match="digits"):
        P.sci(1.0, 0)


def test_doctests():
    result = doctest.testmod(P, optionflags=doctest.ELLIPSIS)
    assert result.attempted >= 8 and result.failed == 0


def test_glue_helpers_glue_floats_and_strings(monkeypatch):
    import myst_nb

    glued = []
    monkeypatch.setattr(
        myst_nb, "glue", lambda name, value, display=True: glued.append((name, value, display))
    )
    P.glue_number("a", np.float64(0.25))
    P.glue_number("b", 1.26e7, digits=3)
    P.glue_number("c", 1234.6, digits=3, plain_range=(1e-3, 1e5), round_plain=True)
    P.glue_float("d", np.float32(2.0))
    assert glued == [("a", 0.25, False), ("b", "1.26 × 10⁷", False), ("c", "1230", False), ("d", 2.0, False)]
    assert all(type(v) in (float, str) for _, v, _ in glued)


def test_plotting_module_does_not_import_matplotlib_or_myst_nb():
    import subprocess

    code = "import sys, radcevns.plotting; assert 'myst_nb' not in sys.modules"
    subprocess.run([sys.executable, "-c", code], check=True)


def test_mass_axis_plain_labels():
    from matplotlib.figure import Figure

    ax = Figure().add_subplot(xscale="log")
    P.mass_axis(ax, ticks=[0.5, 1, 3])
    assert [t.get_text() for t in ax.get_xticklabels()] == ["0.5", "1", "3"]


def test_plot_existing_limits_and_projection(tmp_path):
    pytest.importorskip("HNLimits")
    from matplotlib.figure import Figure

    from radcevns import limits as L

    fig = Figure(figsize=(7, 5))
    ax = fig.add_subplot()
    drawn = P.plot_existing_limits(ax)
    assert [lim.name for lim in drawn] == L.available_limits("e")
    assert ax.get_xscale() == "log" and ax.get_yscale() == "log"
    assert ax.get_xlim() == pytest.approx(L.DEFAULT_M_RANGE_MEV)
    assert ax.get_ylim() == pytest.approx(L.DEFAULT_MU_RANGE_BOHR)
    solid = [line for line in ax.get_lines() if line.get_linestyle() == "-"]
    assert len(solid) == len(drawn)
    texts = {t.get_text(): t.get_position() for t in ax.texts}
    assert texts["BBN"] == pytest.approx((0.02, 3e-12))  # label_xy of the catalogue
    m = np.geomspace(0.01, 10.0, 30)
    line = P.plot_projection(ax, m, np.full_like(m, 3e-9), label="projection")
    assert line.get_linestyle() == "--"
    with pytest.raises(ValueError, match="mu"):
        P.plot_projection(ax, m, -np.ones_like(m), label="bad")
    with pytest.raises(ValueError, match="shape"):
        P.plot_projection(ax, m, m[:-1])
    ax.legend(fontsize=7)
    target = tmp_path / "limits.png"
    fig.savefig(target, dpi=110)
    assert target.stat().st_size > 10_000
    assert math.isfinite(target.stat().st_size)


def test_plot_existing_limits_distinct_hatches():
    pytest.importorskip("HNLimits")
    from matplotlib.figure import Figure

    ax = Figure().add_subplot()
    drawn = P.plot_existing_limits(ax, labels=False, legend_labels=True)
    hatched = [p for p in ax.patches if p.get_hatch()]
    assert len(hatched) == len(drawn)
    n_distinct = min(len(drawn), len(P.LIMIT_HATCHES))
    assert len({p.get_hatch() for p in hatched}) == n_distinct  # one pattern per limit (cycled)
    labels = {p.get_label() for p in hatched}
    assert {lim.label or lim.name for lim in drawn} <= labels  # legend entries name the limits
    plain = Figure().add_subplot()
    P.plot_existing_limits(plain, labels=False, hatches=None)
    assert not any(p.get_hatch() for p in plain.patches)
    with pytest.raises(ValueError, match="hatch_alpha"):
        P.plot_existing_limits(plain, hatch_alpha=2.0)


def test_light_log_ticks_writes_plain_powers_of_ten():
    from matplotlib.figure import Figure

    ax = Figure().subplots()
    ax.set_yscale("log")
    ax.set_xscale("linear")
    P.light_log_ticks(ax)
    fmt = ax.yaxis.get_major_formatter()
    assert fmt(1e-6, 0) == "10⁻⁶" and fmt(100.0, 0) == "10²" and fmt(3e-3, 0) == "0.003"
    assert ax.yaxis.get_minor_locator().__class__.__name__ == "NullLocator"
