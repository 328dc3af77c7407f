"""Ionisation readout: Lindhard quenching, thresholds in eVee, observed-energy spectra and rates.

Independent checks: the Lindhard formula written out here from J. Lindhard et al., Mat. Fys. Medd.
Dan. Vid. Selsk. 33, 10 (1963) (k = 0.133 Z^(2/3) A^(-1/2), eps = 11.5 Z^(-7/3) E_R[keV],
g = 3 eps^0.15 + 0.7 eps^0.6 + eps, Q = k g / (1 + k g)); the eVee threshold from a root finder on
that formula; the observed-energy rates against the recoil-energy code path of radcevns.rates with the
mapped window (a second method); the change of variables of the spectrum (Jacobian).
"""

import math

import numpy as np
import pytest
from scipy.optimize import brentq

from radcevns import detector as d
from radcevns import quadrature, rates
from radcevns.constants import ALPHA, MEV2_TO_CM2, MU_B_PER_MEV
from radcevns.flux import Reactor, Site

GE_Z, GE_A = 32.0, 72.63


def lindhard_closed_form(E_keV, Z, A, k=None):
    k = 0.133 * Z ** (2 / 3) / math.sqrt(A) if k is None else k
    eps = 11.5 * Z ** (-7 / 3) * E_keV
    g = 3 * eps**0.15 + 0.7 * eps**0.6 + eps
    return k * g / (1 + k * g)


@pytest.fixture(scope="module")
def flux():
    return Site([Reactor(3.6, 2070.0)])


def ge_detector(threshold_eVee=170.0, sigma_eVee=0.0, k=0.162, **kw):
    ro = d.Readout(
        "ionisation",
        threshold_MeV=threshold_eVee * 1e-6,
        resolution_MeV=sigma_eVee * 1e-6,
        quenching=d.Lindhard(GE_Z, GE_A, k=k),
        **kw,
    )
    return d.Detector((("Ge", 2.0),), readout=ro, reactor_duty=1.0, live_fraction=1.0)


def test_lindhard_k_matches_the_closed_form():
    assert d.lindhard_k(GE_Z, GE_A) == pytest.approx(0.133 * GE_Z ** (2 / 3) / math.sqrt(GE_A), rel=1e-14)
    assert d.lindhard_k(GE_Z, GE_A) == pytest.approx(0.157, abs=5e-4)  # the value quoted for Ge


@pytest.mark.parametrize("k", [None, 0.162, 0.2])
@pytest.mark.parametrize("E_keV", [0.05, 0.3, 1.0, 5.0, 50.0])
def test_lindhard_quenching_matches_the_closed_form(E_keV, k):
    got = d.lindhard_quenching(E_keV * 1e-3, GE_Z, GE_A, k=k)
    assert got == pytest.approx(lindhard_closed_form(E_keV, GE_Z, GE_A, k), rel=1e-13)
    assert d.Lindhard(GE_Z, GE_A, k=k)(E_keV * 1e-3) == pytest.approx(got, rel=1e-15)


def test_observed_energy_inverse_and_jacobian():
    ro = ge_detector().readout
    E_R = np.geomspace(0.1e-3, 20e-3, 17)
    obs = np.array([lindhard_closed_form(e * 1e3, GE_Z, GE_A, 0.162) * e for e in E_R])
    assert np.allclose(ro.observed_energy(E_R), obs, rtol=1e-13)
    assert np.allclose(ro.recoil_energy(obs), E_R, rtol=1e-10)
    h = 1e-6
    fd = [
        (
            lindhard_closed_form(e * (1 + h) * 1e3, GE_Z, GE_A, 0.162) * e * (1 + h)
            - lindhard_closed_form(e * (1 - h) * 1e3, GE_Z, GE_A, 0.162) * e * (1 - h)
        )
        / (2 * h * e)
        for e in E_R
    ]
    assert np.allclose(ro.jacobian(E_R), fd, rtol=1e-6)


@pytest.mark.parametrize("thr_eVee", [160.0, 200.0, 300.0])
def test_evee_threshold_maps_to_the_recoil_threshold(thr_eVee):
    det = ge_detector(thr_eVee, sigma_eVee=25.0)
    root = brentq(
        lambda e: lindhard_closed_form(e, GE_Z, GE_A, 0.162) * e - thr_eVee * 1e-3, 0.01, 100.0, xtol=1e-14
    )
    assert det.recoil_threshold_MeV == pytest.approx(root * 1e-3, rel=1e-9)
    # about 1 keVnr for 170 eVee in Ge (Q ~ 0.18)
    jac = det.readout.jacobian(det.recoil_threshold_MeV)
    assert det.recoil_resolution_MeV == pytest.approx(25e-6 / jac, rel=1e-12)


def test_observed_window_equals_the_mapped_recoil_window(flux):
    det = ge_detector(sigma_eVee=0.0)
    lo, hi = 170e-6, 600e-6
    got = rates.cevns_rate(det, flux=flux, E_R_min=lo, E_R_max=hi)
    R_lo, R_hi = (float(det.readout.recoil_energy(x)) for x in (lo, hi))
    per_kg = rates.cevns_rate("Ge", flux=flux, E_R_min=R_lo, E_R_max=R_hi)
    assert got == pytest.approx(2.0 * per_kg, rel=1e-5)  # two independent quadratures


def test_observed_spectrum_is_the_recoil_spectrum_over_the_jacobian(flux):
    det = ge_detector(sigma_eVee=0.0)
    x = np.array([180e-6, 250e-6, 400e-6])
    R = np.asarray(det.readout.recoil_energy(x))
    expect = 2.0 * np.asarray(rates.cevns_spectrum(R, "Ge", flux=flux)) / np.asarray(det.readout.jacobian(R))
    assert np.allclose(rates.cevns_spectrum(x, det, flux=flux), expect, rtol=1e-10)


def test_smeared_spectrum_integrates_to_the_window_rate(flux):
    det = ge_detector(threshold_eVee=150.0, sigma_eVee=25.0)
    x = np.linspace(200e-6, 500e-6, 601)
    spec = np.asarray(rates.cevns_spectrum(x, det, flux=flux))
    integral = np.sum(0.5 * (spec[1:] + spec[:-1]) * np.diff(x))
    assert integral == pytest.approx(
        rates.cevns_rate(det, flux=flux, E_R_min=200e-6, E_R_max=500e-6), rel=2e-3
    )


def test_efficiency_curve_scales_the_rate(flux):
    half = ge_detector(efficiency=((0.0, 1.0), (0.5, 0.5)))
    full = ge_detector()
    kw = dict(flux=flux, E_R_min=170e-6, E_R_max=1e-3)
    assert rates.cevns_rate(half, **kw) == pytest.approx(0.5 * rates.cevns_rate(full, **kw), rel=1e-12)


def test_tabulated_quenching_reproduces_lindhard(flux):
    E = np.geomspace(1e-5, 0.1, 400)
    table = d.TabulatedQuenching(tuple(E), tuple(d.lindhard_quenching(E, GE_Z, GE_A, k=0.162)))
    ro = d.Readout("ionisation", threshold_MeV=170e-6, resolution_MeV=0.0, quenching=table)
    det = d.Detector((("Ge", 2.0),), readout=ro, reactor_duty=1.0)
    kw = dict(flux=flux, E_R_min=170e-6, E_R_max=1e-3)
    assert rates.cevns_rate(det, **kw) == pytest.approx(rates.cevns_rate(ge_detector(), **kw), rel=1e-4)


def test_calorimetric_readout_is_the_identity():
    plain = d.nucleus_10g()
    with_readout = plain.replace(readout=d.Readout("calorimetric", 20e-6, 3e-6))
    assert with_readout.observed_readout is None
    assert rates.cevns_rate(with_readout) == rates.cevns_rate(plain)
    assert rates.primakoff_rate(1.0, with_readout, 1e-8) == rates.primakoff_rate(1.0, plain, 1e-8)


def test_recoil_nodes_honour_the_observed_threshold(flux):
    """Sum of the node weights = Primakoff rate above the eVee threshold (second method: rates)."""
    det = ge_detector(sigma_eVee=25.0)
    m, mu = 1.0, 1e-9
    nodes = quadrature.recoil_nodes(m, det, flux=flux)
    from_nodes = (
        nodes.weight.sum() * ALPHA * (mu * MU_B_PER_MEV) ** 2 * MEV2_TO_CM2 * det.live_seconds_per_day
    )
    assert from_nodes == pytest.approx(rates.primakoff_rate(m, det, mu, flux=flux), rel=2e-3)


@pytest.mark.parametrize(
    "kwargs, match",
    [
        (dict(kind="phonon"), "kind"),
        (dict(kind="ionisation"), "quenching"),
        (dict(kind="ionisation", quenching=lambda E: 2.0 + 0 * E), "quenching"),
        (dict(threshold_MeV=-1.0), "threshold_MeV"),
        (dict(efficiency=((0.0, 1.0), (0.5, 1.5))), "efficiency"),
    ],
)
def test_bad_readouts_raise(kwargs, match):
    with pytest.raises(ValueError, match=match):
        d.Readout(**kwargs)


def test_observed_energy_paths_reproduce_the_calorimeter():
    """A calorimeter with a flat efficiency of 1 takes the observed-energy code paths (rates, recoil
    nodes, Primakoff bins) and must give the numbers of the plain calorimeter (the original paths)."""
    from radcevns import coincidences, sensitivity

    plain = d.nucleus_10g()
    flat = plain.replace(readout=d.Readout("calorimetric", 20e-6, 3e-6, efficiency=((0.0, 1.0), (1.0, 1.0))))
    assert flat.observed_readout is not None
    assert rates.cevns_rate(flat) == pytest.approx(rates.cevns_rate(plain), rel=1e-6)
    assert coincidences.radiative_rate(2.0, flat, 1e-8) == pytest.approx(
        coincidences.radiative_rate(2.0, plain, 1e-8), rel=1e-10
    )
    for mode in ("primakoff", "radiative"):
        assert sensitivity.limit(2.0, flat, 0.0113, mode=mode) == pytest.approx(
            sensitivity.limit(2.0, plain, 0.0113, mode=mode), rel=1e-8
        )
