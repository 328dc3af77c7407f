"""Property-based tests (Hypothesis): random invalid input to the public functions always raises a
ValueError or TypeError whose message names the offending parameter; nothing else escapes
(no exception of numpy or periodictable, no warning, no NaN returned).

Profiles: tests/conftest.py ("ci" by default, HYPOTHESIS_PROFILE=long for hand runs).
"""

import math
import re

import numpy as np
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from radcevns import (
    cevns,
    coincidences,
    conventions,
    decay,
    detector,
    discrimination,
    flux,
    implications,
    nuclear,
    primakoff,
    radiative,
    rates,
    statistics,
)

pytestmark = pytest.mark.filterwarnings("error")

# ------------------------------------------------------------------------------------------------
# strategies of bad values, by the kind of parameter
# ------------------------------------------------------------------------------------------------
_not_a_number = st.one_of(
    st.text(max_size=5),
    st.none(),
    st.dictionaries(st.text(max_size=2), st.integers(), max_size=2),
    st.complex_numbers(allow_nan=False, allow_infinity=False).filter(lambda z: z.imag != 0),
    st.just([[1.0, 2.0], [3.0]]),
    st.just(["a", "b"]),
)
_nonfinite = st.sampled_from([math.nan, math.inf, -math.inf])
_negative = st.floats(max_value=-1e-300, allow_nan=False, allow_infinity=False)

#: energies and masses in MeV (>= 0, at most 1e6)
BAD_ENERGY = st.one_of(
    _not_a_number,
    _nonfinite,
    _negative,
    st.floats(min_value=1.0000001e6, max_value=1e308),
    st.lists(_nonfinite, min_size=1, max_size=3),
)
#: strictly positive masses
BAD_POSITIVE = st.one_of(BAD_ENERGY, st.just(0.0))
#: magnetic moments in mu_B (>= 0, at most 1)
BAD_MOMENT = st.one_of(_not_a_number, _nonfinite, _negative, st.floats(min_value=1.0000001, max_value=1e308))
#: counts (integers in a range)
BAD_COUNT = st.one_of(
    st.text(max_size=3),
    st.none(),
    st.booleans(),
    _nonfinite,
    st.floats(allow_nan=False, allow_infinity=False).filter(lambda x: x != math.floor(x)),
    st.integers(max_value=0),
    st.integers(min_value=10**9, max_value=10**30),
)
#: enumerated options (none of the test values is accepted)
BAD_CHOICE = st.one_of(
    st.text(max_size=12).filter(
        lambda s: (
            s.lower().replace("_", "-")
            not in {"dirac", "majorana", "helm", "klein-nystrand", "none", "free", "total"}
        )
    ),
    st.integers(),
    st.just(["dirac"]),
)
BAD_COS = st.one_of(
    _not_a_number,
    _nonfinite,
    st.floats(min_value=1.0000001, max_value=1e300),
    st.floats(max_value=-1.0000001, min_value=-1e300),
)
BAD_PROB = st.one_of(
    _not_a_number, _nonfinite, st.floats(max_value=0.0), st.floats(min_value=1.0, allow_infinity=False)
)


_DET = detector.nucleus_10g()

# (label, function, valid keyword arguments by parameter name, parameter to spoil, bad strategy, name in message)
CASES = [
    ("primakoff.threshold m_N", primakoff.threshold, dict(m_N=1.0, target="W184"), "m_N", BAD_ENERGY),
    (
        "primakoff.recoil_range E_nu",
        primakoff.recoil_range,
        dict(E_nu=5.0, m_N=1.0, target="W184"),
        "E_nu",
        BAD_ENERGY,
    ),
    (
        "primakoff.momentum_transfer E_R",
        primakoff.momentum_transfer,
        dict(E_R=1e-4, target="W184"),
        "E_R",
        BAD_ENERGY,
    ),
    ("primakoff.n_energy E_nu", primakoff.n_energy, dict(E_nu=5.0, E_R=1e-4), "E_nu", BAD_ENERGY),
    ("primakoff.n_momentum m_N", primakoff.n_momentum, dict(E_nu=5.0, E_R=1e-4, m_N=1.0), "m_N", BAD_ENERGY),
    (
        "primakoff.n_angle E_R",
        primakoff.n_angle,
        dict(E_nu=5.0, E_R=1e-4, m_N=1.0, target="W184"),
        "E_R",
        BAD_ENERGY,
    ),
    (
        "primakoff.dsigma_dER E_nu",
        primakoff.dsigma_dER,
        dict(E_nu=5.0, E_R=1e-4, m_N=1.0, target="W184", mu=3e-8),
        "E_nu",
        BAD_ENERGY,
    ),
    (
        "primakoff.dsigma_dER E_R",
        primakoff.dsigma_dER,
        dict(E_nu=5.0, E_R=1e-4, m_N=1.0, target="W184", mu=3e-8),
        "E_R",
        BAD_ENERGY,
    ),
    (
        "primakoff.dsigma_dER mu",
        primakoff.dsigma_dER,
        dict(E_nu=5.0, E_R=1e-4, m_N=1.0, target="W184", mu=3e-8),
        "mu",
        BAD_MOMENT,
    ),
    (
        "primakoff.dsigma_dER form_factor",
        primakoff.dsigma_dER,
        dict(E_nu=5.0, E_R=1e-4, m_N=1.0, target="W184", mu=3e-8),
        "form_factor",
        BAD_CHOICE,
    ),
    (
        "primakoff.sigma E_nu",
        primakoff.sigma,
        dict(E_nu=5.0, m_N=1.0, target="W184", mu=3e-8),
        "E_nu",
        BAD_ENERGY,
    ),
    (
        "primakoff.sigma m_N",
        primakoff.sigma,
        dict(E_nu=5.0, m_N=1.0, target="W184", mu=3e-8),
        "m_N",
        BAD_ENERGY,
    ),
    (
        "primakoff.sigma mu",
        primakoff.sigma,
        dict(E_nu=5.0, m_N=1.0, target="W184", mu=3e-8),
        "mu",
        BAD_MOMENT,
    ),
    (
        "primakoff.polarisation E_R",
        primakoff.polarisation,
        dict(E_nu=5.0, E_R=1e-4, m_N=1.0, target="W184"),
        "E_R",
        BAD_ENERGY,
    ),
    (
        "primakoff.sigma_heavy_target_closed_form mu",
        primakoff.sigma_heavy_target_closed_form,
        dict(E_nu=5.0, m_N=1.0, target="W184", mu=3e-8),
        "mu",
        BAD_MOMENT,
    ),
    ("cevns.max_recoil E_nu", cevns.max_recoil, dict(E_nu=5.0, target="W184"), "E_nu", BAD_ENERGY),
    (
        "cevns.min_neutrino_energy E_R",
        cevns.min_neutrino_energy,
        dict(E_R=1e-5, target="W184"),
        "E_R",
        BAD_ENERGY,
    ),
    ("cevns.dsigma_dER E_R", cevns.dsigma_dER, dict(E_nu=5.0, E_R=1e-5, target="W184"), "E_R", BAD_ENERGY),
    (
        "cevns.dsigma_dER sin2_theta_w",
        cevns.dsigma_dER,
        dict(E_nu=5.0, E_R=1e-5, target="W184"),
        "sin2_theta_w",
        st.one_of(_not_a_number, _nonfinite, _negative, st.floats(min_value=1.0000001, max_value=1e300)),
    ),
    (
        "cevns.magnetic_moment_dsigma_dER mu",
        cevns.magnetic_moment_dsigma_dER,
        dict(E_nu=5.0, E_R=1e-5, target="W184", mu=1e-10),
        "mu",
        BAD_MOMENT,
    ),
    ("cevns.sigma E_nu", cevns.sigma, dict(E_nu=5.0, target="W184"), "E_nu", BAD_ENERGY),
    ("cevns.sigma n_points", cevns.sigma, dict(E_nu=5.0, target="W184"), "n_points", BAD_COUNT),
    ("decay.width m_N", decay.width, dict(m_N=1.0, mu=3e-8), "m_N", BAD_ENERGY),
    (
        "decay.width mu",
        decay.width,
        dict(m_N=1.0, mu=3e-8),
        "mu",
        BAD_MOMENT.filter(lambda v: not isinstance(v, dict)),
    ),
    ("decay.width nature", decay.width, dict(m_N=1.0, mu=3e-8), "nature", BAD_CHOICE),
    ("decay.lifetime m_N", decay.lifetime, dict(m_N=1.0, mu=3e-8), "m_N", BAD_ENERGY),
    (
        "decay.mean_decay_length E_N",
        decay.mean_decay_length,
        dict(E_N=5.0, m_N=1.0, mu=3e-8),
        "E_N",
        BAD_ENERGY,
    ),
    (
        "decay.decay_probability m_N",
        decay.decay_probability,
        dict(E_N=5.0, m_N=1.0, mu=3e-8, decay_length_cm=None),
        "m_N",
        BAD_POSITIVE,
    ),
    (
        "decay.decay_probability decay_length_cm",
        decay.decay_probability,
        dict(E_N=5.0, m_N=1.0, mu=3e-8, decay_length_cm=1.0),
        "decay_length_cm",
        st.one_of(_negative, st.just(math.nan), st.text(max_size=3)),
    ),
    (
        "radiative.photon_energy_range m_N",
        radiative.photon_energy_range,
        dict(E_nu=5.0, E_R=1e-4, m_N=1.0),
        "m_N",
        BAD_POSITIVE,
    ),
    (
        "radiative.photon_spectrum E_gamma",
        radiative.photon_spectrum,
        dict(E_gamma=1.0, E_nu=5.0, m_N=1.0, target="W184", mu=3e-8),
        "E_gamma",
        BAD_ENERGY,
    ),
    (
        "radiative.photon_spectrum E_nu",
        radiative.photon_spectrum,
        dict(E_gamma=1.0, E_nu=5.0, m_N=1.0, target="W184", mu=3e-8),
        "E_nu",
        BAD_ENERGY,
    ),
    (
        "radiative.photon_spectrum m_N",
        radiative.photon_spectrum,
        dict(E_gamma=1.0, E_nu=5.0, m_N=1.0, target="W184", mu=3e-8),
        "m_N",
        BAD_POSITIVE,
    ),
    (
        "radiative.photon_spectrum mu",
        radiative.photon_spectrum,
        dict(E_gamma=1.0, E_nu=5.0, m_N=1.0, target="W184", mu=3e-8),
        "mu",
        BAD_MOMENT,
    ),
    (
        "radiative.photon_spectrum nature",
        radiative.photon_spectrum,
        dict(E_gamma=1.0, E_nu=5.0, m_N=1.0, target="W184", mu=3e-8),
        "nature",
        BAD_CHOICE,
    ),
    (
        "radiative.photon_spectrum recoil_threshold_MeV",
        radiative.photon_spectrum,
        dict(E_gamma=1.0, E_nu=5.0, m_N=1.0, target="W184", mu=3e-8),
        "recoil_threshold_MeV",
        BAD_ENERGY,
    ),
    (
        "radiative.photon_spectrum_folded n_flux",
        radiative.photon_spectrum_folded,
        dict(E_gamma=1.0, m_N=1.0, target="W184", mu=3e-8),
        "n_flux",
        BAD_COUNT,
    ),
    (
        "radiative.photon_angle cos_theta",
        radiative.photon_angle,
        dict(cos_theta=0.5, E_nu=5.0, m_N=1.0, target="W184", mu=3e-8),
        "cos_theta",
        BAD_COS,
    ),
    (
        "radiative.photon_angle step",
        radiative.photon_angle,
        dict(cos_theta=0.5, E_nu=5.0, m_N=1.0, target="W184", mu=3e-8),
        "step",
        st.one_of(
            _not_a_number,
            _nonfinite,
            st.floats(max_value=9.9e-5),
            st.floats(min_value=2.0000001, allow_infinity=False),
        ),
    ),
    (
        "radiative.photon_angle n_recoil",
        radiative.photon_angle,
        dict(cos_theta=0.5, E_nu=5.0, m_N=1.0, target="W184", mu=3e-8),
        "n_recoil",
        BAD_COUNT,
    ),
    (
        "radiative.photon_angle n_psi",
        radiative.photon_angle,
        dict(cos_theta=0.5, E_nu=5.0, m_N=1.0, target="W184", mu=3e-8),
        "n_psi",
        BAD_COUNT,
    ),
    (
        "radiative.double_differential n_sub",
        radiative.double_differential,
        dict(E_gamma=[0.0, 1.0], cos_theta=[-1.0, 1.0], E_nu=5.0, m_N=1.0, target="W184", mu=3e-8),
        "n_sub",
        BAD_COUNT,
    ),
    (
        "radiative.double_differential cos_theta",
        radiative.double_differential,
        dict(E_gamma=[0.0, 1.0], cos_theta=[-1.0, 1.0], E_nu=5.0, m_N=1.0, target="W184", mu=3e-8),
        "cos_theta",
        st.one_of(BAD_COS, st.just([0.5, 0.2]), st.just([0.1])),
    ),
    (
        "radiative.generate n",
        radiative.generate,
        dict(n=10, E_nu=5.0, m_N=1.0, target="W184", mu=3e-8),
        "n",
        st.one_of(
            BAD_COUNT.filter(lambda v: not (isinstance(v, int) and not isinstance(v, bool) and v == 0)),
            st.integers(max_value=-1),
        ),
    ),
    (
        "radiative.generate batch_size",
        radiative.generate,
        dict(n=10, E_nu=5.0, m_N=1.0, target="W184", mu=3e-8),
        "batch_size",
        BAD_COUNT,
    ),
    (
        "radiative.generate unweight",
        radiative.generate,
        dict(n=10, E_nu=5.0, m_N=1.0, target="W184", mu=3e-8),
        "unweight",
        st.one_of(st.text(max_size=3), st.none(), st.integers()),
    ),
    (
        "rates.cevns_rate n_enu",
        rates.cevns_rate,
        dict(target="CaWO4"),
        "n_enu",
        BAD_COUNT.filter(lambda x: x is not None),  # None: the exact fold (the default)
    ),
    ("rates.cevns_spectrum E_R", rates.cevns_spectrum, dict(E_R=1e-5, target="CaWO4"), "E_R", BAD_ENERGY),
    (
        "rates.primakoff_spectrum mu",
        rates.primakoff_spectrum,
        dict(E_R=1e-5, m_N=1.0, target="CaWO4", mu=1e-8),
        "mu",
        BAD_MOMENT,
    ),
    (
        "rates.primakoff_rate m_N",
        rates.primakoff_rate,
        dict(m_N=1.0, target="CaWO4", mu=1e-8),
        "m_N",
        BAD_ENERGY,
    ),
    (
        "coincidences.radiative_rate m_N",
        coincidences.radiative_rate,
        dict(m_N=1.0, detector=_DET, mu=1e-8),
        "m_N",
        BAD_POSITIVE,
    ),
    (
        "coincidences.radiative_rate mu",
        coincidences.radiative_rate,
        dict(m_N=1.0, detector=_DET, mu=1e-8),
        "mu",
        BAD_MOMENT,
    ),
    (
        "coincidences.radiative_rate n_flux",
        coincidences.radiative_rate,
        dict(m_N=1.0, detector=_DET, mu=1e-8),
        "n_flux",
        BAD_COUNT,
    ),
    (
        "coincidences.radiative_rate_table n_threads",
        coincidences.radiative_rate_table,
        dict(m_N=[1.0], detector=_DET, mu=1e-8),
        "n_threads",
        BAD_COUNT.filter(lambda v: v is not None),
    ),
    (
        "statistics.poisson_upper_limit cl",
        statistics.poisson_upper_limit,
        dict(background=1.0),
        "cl",
        BAD_PROB,
    ),
    (
        "statistics.poisson_upper_limit background",
        statistics.poisson_upper_limit,
        dict(background=1.0),
        "background",
        st.one_of(_not_a_number, _nonfinite, _negative),
    ),
    ("statistics.critical_q cl", statistics.critical_q, dict(cl=0.9), "cl", BAD_PROB),
    (
        "discrimination.default_energy_edges n_bins",
        discrimination.default_energy_edges,
        dict(detector=_DET),
        "n_bins",
        BAD_COUNT,
    ),
    (
        "discrimination.toy_significance n_toys",
        discrimination.toy_significance,
        dict(expected_true=[1.0, 2.0], expected_alt=[2.0, 1.0], n_bootstrap=2),
        "n_toys",
        BAD_COUNT,
    ),
    (
        "discrimination.asimov_statistic normalisation",
        discrimination.asimov_statistic,
        dict(expected_true=[1.0, 2.0], expected_alt=[2.0, 1.0]),
        "normalisation",
        BAD_CHOICE,
    ),
    ("flux.chooz quadrature n", lambda n: flux.chooz().quadrature(n), dict(n=16), "n", BAD_COUNT),
    (
        "flux.chooz sample n",
        lambda n: flux.chooz().sample(n),
        dict(n=16),
        "n",
        st.one_of(BAD_COUNT.filter(lambda v: not (isinstance(v, int) and v == 0))),
    ),
    (
        "implications.majorana_mass_loop Lambda_MeV",
        implications.majorana_mass_loop,
        dict(m_N=1.0, mu_bohr=1e-8, Lambda_MeV=1e6),
        "Lambda_MeV",
        st.one_of(
            _not_a_number,
            _nonfinite,
            _negative,
            st.floats(min_value=1.0000001e25, max_value=1e308),
            st.floats(min_value=0.0, max_value=1.0),
        ),
    ),
    (
        "implications.majorana_mass_loop m_N",
        implications.majorana_mass_loop,
        dict(m_N=1.0, mu_bohr=1e-8, Lambda_MeV=1e6),
        "m_N",
        st.one_of(_not_a_number, _nonfinite, _negative, st.floats(min_value=0.0, max_value=9.9e-13)),
    ),
    (
        "implications.dirac_mass_from_moment Lambda_MeV",
        implications.dirac_mass_from_moment,
        dict(mu_bohr=1e-8, Lambda_MeV=1e6),
        "Lambda_MeV",
        st.one_of(
            _not_a_number,
            _nonfinite,
            st.floats(max_value=0.99),
            st.floats(min_value=1.0000001e25, max_value=1e308),
        ),
    ),
    (
        "implications.lambda_MeV_for_mu C",
        implications.lambda_MeV_for_mu,
        dict(mu_bohr=1e-9),
        "C",
        st.one_of(_not_a_number, _nonfinite, st.floats(min_value=1.0000001e100, max_value=1e308)),
    ),
    (
        "conventions.mu_bohr_to_per_mev",
        conventions.mu_bohr_to_per_mev,
        dict(mu_bohr=1e-8),
        "mu_bohr",
        st.one_of(_not_a_number, _nonfinite),
    ),
]


@pytest.mark.parametrize("label,func,kwargs,param,bad", CASES, ids=[c[0] for c in CASES])
@given(data=st.data())
def test_invalid_input_names_the_parameter(label, func, kwargs, param, bad, data):
    value = data.draw(bad, label=param)
    call = dict(kwargs)
    call[param] = value
    try:
        func(**call)
    except (ValueError, TypeError) as exc:
        assert param in str(exc), f"{label}: message does not name {param!r}: {exc}"
    else:
        raise AssertionError(f"{label}: {param}={value!r} accepted")


# ------------------------------------------------------------------------------------------------
# targets: any string is either a valid isotope/element/formula or refused naming `target`
# ------------------------------------------------------------------------------------------------
_GRAMMAR = re.compile(r"([A-Z][a-z]?)-?\d+|\d+[A-Z][a-z]?|(?:[A-Z][a-z]?(?:[1-9]\d*)?)+")


@given(
    st.one_of(
        st.text(max_size=8),
        st.text(alphabet="CaWOHlN0123456789- ", max_size=7),
        st.from_regex(r"[A-Z][a-z]?[0-9]{0,3}([A-Z][a-z]?[0-9]{0,2})?", fullmatch=True),
    )
)
def test_random_target_strings(s):
    try:
        t = nuclear.as_target(s)
    except ValueError as exc:
        assert "target" in str(exc) and "CaWO4" in str(exc) or "isotope" in str(exc), str(exc)
        return
    assert _GRAMMAR.fullmatch(s), f"{s!r} accepted outside the documented grammar"
    nuclei, weights = t.components()
    assert len(nuclei) >= 1 and np.all(weights > 0)
    # the target works in a cross section
    val = primakoff.sigma(5.0, 1.0, t, 3e-8)
    assert math.isfinite(val) and val >= 0


@given(st.text(max_size=10))
def test_random_nature_strings(s):
    assume(s.lower() not in ("dirac", "majorana"))
    with pytest.raises(ValueError, match="nature"):
        decay.width(1.0, 3e-8, nature=s)
