"""radcevns side by side with DarkNews 0.4.8: cross sections, widths, threshold, NaN events, speed.

Run through ``run.sh`` (it builds the virtual environment with DarkNews and radcevns); the
tables go to ``results/`` next to this file. Not part of CI: the tables are committed and
read by the appendix chapter ``notebooks/A1_darknews.ipynb`` and by
``tests/test_darknews_comparison.py``.

Mapping of the couplings (derived from the DarkNews source, see the appendix chapter):
DarkNews' transition moment ``mu_tr_e4`` (GeV^-1) enters its amplitudes as the dipole
``t = mu_tr / 2`` of ``L = t nubar sigma N F``; radcevns' convention A is
``L = (mu/2) nubar sigma N F``. Hence ``mu_tr_e4 [GeV^-1] = mu [mu_B] x mu_B [GeV^-1]``.
(DarkNews' ``d_e4`` etc. of the generic model are vector couplings to a Z', not dipoles.)

Units: DarkNews works in GeV and cm^2; the tables are in MeV and cm^2 like radcevns.
"""

from __future__ import annotations

import csv
import datetime
import importlib.metadata as md
import logging
import math
import os
import platform
import sys
import time
import warnings
from pathlib import Path

import numpy as np

warnings.filterwarnings("ignore")
logging.disable(logging.WARNING)

import DarkNews as dn  # noqa: E402
import vegas as vg  # noqa: E402
from DarkNews import MC, integrands, pdg  # noqa: E402
from DarkNews import amplitudes as dn_amps  # noqa: E402
from DarkNews import phase_space as dn_ps  # noqa: E402
from DarkNews.decay_rates import diff_gamma_Ni_to_Nj_gamma, gamma_Ni_to_Nj_gamma  # noqa: E402

from radcevns import constants, decay, primakoff  # noqa: E402

OUT = Path(__file__).resolve().parent / "results"

# ------------------------------------------------------------------------------------------ settings
SEED = 20260
MU_BOHR = 1e-8  # transition moment, convention A, Bohr magnetons
MU_TR_GEV = MU_BOHR * constants.MU_B_PER_MEV * 1e3  # DarkNews mu_tr in GeV^-1
TARGETS = ("O16", "Al27", "Ca40", "Ge74", "W184")
MASSES = (0.01, 0.1, 0.5, 1.0, 3.0, 8.0)  # MeV
ENERGIES = (1.0, 2.0, 3.0, 5.0, 7.0, 10.0)  # MeV
DSIG_TARGETS = TARGETS
DSIG_MASSES = (0.1, 1.0, 4.0)  # MeV
DSIG_ENERGIES = (3.0, 8.0)  # MeV
DSIG_FRACTIONS = (0.05, 0.25, 0.5, 0.75, 0.95)  # E_R = lo (hi/lo)^f over the kinematic range
MAJORANA_POINTS = (("O16", 1.0, 5.0), ("O16", 3.0, 7.0), ("W184", 1.0, 5.0), ("W184", 3.0, 7.0))
THR_TARGETS = ("O16", "W184")
THR_MASSES = (1.0, 4.0)  # MeV
THR_EPS = tuple(float(x) for x in np.logspace(-4, 0, 9))  # E_nu = E_thr (1 + eps)
WIDTH_MASSES = (0.01, 0.1, 1.0, 3.0, 8.0)  # MeV
GEN_TARGET = "W184"
GEN_MASSES = (0.5, 2.0, 4.0, 8.0)  # MeV
GEN_ERANGE = (1.0, 10.0)  # MeV, flat flux
# DarkNews' own vegas defaults (MC.NINT, MC.NEVAL, and the warm-up ones), used unchanged
VEGAS = {"NINT": MC.NINT, "NEVAL": MC.NEVAL, "NINT_warmup": MC.NINT_warmup, "NEVAL_warmup": MC.NEVAL_warmup}
HELM = "Lewin-Smith Helm, c = 1.23 A^(1/3) - 0.60 fm, a = 0.52 fm, s = 0.9 fm (radcevns form_factor='helm')"


# ------------------------------------------------------------------------------------------ helpers
def header(title, settings):
    lines = [
        f"# {title}",
        f"# date (UTC): {datetime.datetime.now(datetime.UTC).strftime('%Y-%m-%d %H:%M:%S')}",
        f"# DarkNews {md.version('DarkNews')}; vegas {md.version('vegas')}; "
        f"radcevns {md.version('radcevns')}; numpy {np.__version__}; numba {md.version('numba')}; "
        f"python {platform.python_version()}",
        f"# machine: {platform.platform()}; {platform.processor() or platform.machine()}; "
        f"cpu_count {os.cpu_count()}; numba threads {radcevns_threads()}",
        f"# seed {SEED}; mu = {MU_BOHR:g} mu_B (convention A) = DarkNews mu_tr_e4 {MU_TR_GEV:.10g} GeV^-1; "
        "projectile nuebar; coherent regime",
        f"# DarkNews vegas settings (its defaults): {VEGAS}",
    ]
    lines += [f"# {s}" for s in settings]
    return lines


def radcevns_threads():
    import numba

    return numba.get_num_threads()


def write(name, title, settings, columns, rows):
    OUT.mkdir(parents=True, exist_ok=True)
    path = OUT / name
    with path.open("w", newline="") as f:
        for line in header(title, settings):
            f.write(line + "\n")
        w = csv.writer(f, lineterminator="\n")
        w.writerow(columns)
        for row in rows:
            w.writerow([f"{v:.10g}" if isinstance(v, float) else v for v in row])
    print(f"wrote {path.relative_to(OUT.parent)} ({len(rows)} rows)")


def helm_gev(A):
    """radcevns' Helm form factor as a DarkNews form-factor function of Q2 (GeV^2)."""
    c = 1.23 * A ** (1.0 / 3.0) - 0.60
    r1 = math.sqrt(c * c + 7.0 / 3.0 * math.pi**2 * 0.52**2 - 5.0 * 0.9**2)  # fm
    hbarc = constants.HBARC_MEV_FM * 1e-3  # GeV fm

    def F(Q2):
        q = np.sqrt(np.asarray(Q2, dtype=float)) / hbarc  # fm^-1
        x = np.maximum(q * r1, 1e-12)
        j1x = np.where(x < 1e-3, 1.0 / 3.0 - x * x / 30.0, (np.sin(x) / x**2 - np.cos(x) / x) / x)
        return 3.0 * j1x * np.exp(-0.5 * (q * 0.9) ** 2)

    return F


_TARGETS = {}


def dn_target(name, ff):
    """DarkNews nucleus with its own form factor ('native') or radcevns' Helm form factor ('helm')."""
    key = (name, ff)
    if key not in _TARGETS:
        t = dn.detector.NuclearTarget(name)
        if ff == "helm":
            t.F1_EM = helm_gev(t.A)
            t.F1_NC = t.F1_EM
        _TARGETS[key] = t
    return _TARGETS[key]


def dn_model(m_mev, nature="dirac"):
    return dn.model.ThreePortalModel(
        m4=m_mev * 1e-3, Umu4=0.0, Ue4=0.0, UD4=0.0, epsilon=0.0, gD=0.0, mu_tr_e4=MU_TR_GEV, HNLtype=nature
    )


def dn_processes(target, model):
    return [
        dn.UpscatteringProcess(
            nu_projectile=pdg.nuebar,
            nu_upscattered=model.neutrino4,
            nuclear_target=target,
            scattering_regime="coherent",
            TheoryModel=model,
            helicity=h,
        )
        for h in ("conserving", "flipping")
    ]


def dn_sigma(procs, E_mev):
    """DarkNews total cross section (cm^2) and its vegas error, summed over both N helicities.

    Mirrors ``UpscatteringProcess.scalar_total_xsec`` (same integrand, integrator and settings),
    which returns the mean only.
    """
    E = E_mev * 1e-3
    mean = var = 0.0
    for p in procs:
        if E < p.Ethreshold:
            continue
        f = integrands.UpscatteringXsec(dim=1, Enu=E, ups_case=p, diagram="total")
        integ = vg.Integrator([[0.0, 1.0]])
        r = MC.run_vegas(f, integ, adapt_to_errors=True, **VEGAS)["diff_xsec"]
        mean += r.mean * f.norm["diff_xsec"] * p.target_multiplicity
        var += (r.sdev * f.norm["diff_xsec"] * p.target_multiplicity) ** 2
    return mean, math.sqrt(var)


def dn_integrand(p, Enu, Q2):
    """dsigma/dQ2 (cm^2/GeV^2) exactly as DarkNews' integrands evaluate it (massless projectile)."""
    s = 2.0 * Enu * p.MA + p.MA**2
    u = 2.0 * p.MA**2 + p.m_ups**2 - s + Q2
    return dn_amps.upscattering_dxsec_dQ2([s, -Q2, u], p) * p.target_multiplicity


def q2min_exact_gev(Enu, mHNL, M):
    """Exact Q^2_min = 2 M E_R^min in GeV^2 (radcevns' cancellation-free recoil range)."""
    Enu, mHNL, M = (np.asarray(x, dtype=float) for x in (Enu, mHNL, M))
    lo = np.empty(np.broadcast(Enu, mHNL, M).shape)
    for idx in np.ndindex(lo.shape):
        e, m, mm = (float(np.broadcast_to(x, lo.shape)[idx]) for x in (Enu, mHNL, M))
        lo[idx] = primakoff.recoil_range_kernel(e * 1e3, m * 1e3, mm * 1e3)[0] * 1e-3
    return 2.0 * M * lo


# ------------------------------------------------------------------------------------------ tables
def total_cross_sections():
    rows = []
    t_dn = 0.0
    n_dn = 0
    for tname in TARGETS:
        for m in MASSES:
            for nature in ("dirac",):
                model = dn_model(m, nature)
                pn = dn_processes(dn_target(tname, "native"), model)
                ph = dn_processes(dn_target(tname, "helm"), model)
                for E in ENERGIES:
                    above = E > primakoff.threshold(m, tname)
                    t0 = time.perf_counter()
                    sn, en = dn_sigma(pn, E)
                    if above:
                        t_dn += time.perf_counter() - t0
                        n_dn += 1
                    sh, eh = dn_sigma(ph, E)
                    rc = primakoff.sigma(E, m, tname, MU_BOHR, form_factor="helm")
                    rows.append((tname, nature, m, E, sn, en, sh, eh, rc))
    for tname, m, E in MAJORANA_POINTS:
        model = dn_model(m, "majorana")
        sn, en = dn_sigma(dn_processes(dn_target(tname, "native"), model), E)
        sh, eh = dn_sigma(dn_processes(dn_target(tname, "helm"), model), E)
        rc = primakoff.sigma(E, m, tname, MU_BOHR, form_factor="helm")
        rows.append((tname, "majorana", m, E, sn, en, sh, eh, rc))
    write(
        "sigma.csv",
        "total cross section of nuebar A -> N A, both codes on one grid (cm^2)",
        [
            "dn_native: DarkNews with its own nuclear charge form factor (Fourier-Bessel fit to the measured "
            "charge density where tabulated, symmetrized Fermi otherwise, i.e. for W184)",
            f"dn_helm: DarkNews with its form factor replaced by {HELM}",
            "*_err: vegas standard deviation of the DarkNews value; "
            "rc_helm: radcevns.primakoff.sigma(E_nu, m_N, target, mu, form_factor='helm'); "
            "sums over both N helicities; 0 below threshold",
        ],
        [
            "target",
            "nature",
            "m_N_MeV",
            "E_nu_MeV",
            "dn_native",
            "dn_native_err",
            "dn_helm",
            "dn_helm_err",
            "rc_helm",
        ],
        rows,
    )
    return t_dn / max(n_dn, 1)


def differential():
    rows = []
    for tname in DSIG_TARGETS:
        for m in DSIG_MASSES:
            model = dn_model(m)
            pn = dn_processes(dn_target(tname, "native"), model)
            ph = dn_processes(dn_target(tname, "helm"), model)
            M = pn[0].MA  # GeV
            for E in DSIG_ENERGIES:
                lo, hi = primakoff.recoil_range(E, m, tname)
                if hi <= 0:
                    continue
                for f in DSIG_FRACTIONS:
                    ER = lo * (hi / lo) ** f
                    Q2 = np.array([2.0 * M * ER * 1e-3])  # GeV^2, Q^2 = -t = 2 M E_R exactly
                    # dsigma/dQ2 in cm^2/GeV^2 -> dsigma/dE_R = 2M dsigma/dQ2 in cm^2/GeV -> cm^2/MeV
                    dn_n = sum(float(p.diff_xsec_Q2(E * 1e-3, Q2)[0]) for p in pn) * 2.0 * M * 1e-3
                    dn_h = sum(float(p.diff_xsec_Q2(E * 1e-3, Q2)[0]) for p in ph) * 2.0 * M * 1e-3
                    dn_i = sum(float(dn_integrand(p, E * 1e-3, Q2)[0]) for p in ph) * 2.0 * M * 1e-3
                    rc = primakoff.dsigma_dER(E, ER, m, tname, MU_BOHR, form_factor="helm")
                    rows.append((tname, m, E, ER, dn_n, dn_h, dn_i, rc))
    write(
        "dsigma_dER.csv",
        "differential cross section dsigma/dE_R of nuebar A -> N A (cm^2/MeV), Dirac N, both helicities",
        [
            "E_R_MeV = lo (hi/lo)^f, f in "
            + str(DSIG_FRACTIONS)
            + ", (lo, hi) = radcevns.primakoff.recoil_range",
            "dn_native, dn_helm_api: 2 M x sum over helicities of "
            "UpscatteringProcess.diff_xsec_Q2(E_nu, Q2 = 2 M E_R) with DarkNews' own form factor and with "
            "radcevns' Helm form factor (no integration)",
            "dn_helm: the same from DarkNews.amplitudes.upscattering_dxsec_dQ2 with "
            "u = 2M^2 + m_N^2 - s + Q2, "
            "as its total-cross-section and event integrands call it "
            "(diff_xsec_Q2 passes u = 2M^2 + m_N - s + Q2)",
            f"Helm: {HELM}; "
            "rc_helm: radcevns.primakoff.dsigma_dER(E_nu, E_R, m_N, target, mu, form_factor='helm')",
        ],
        ["target", "m_N_MeV", "E_nu_MeV", "E_R_MeV", "dn_native", "dn_helm_api", "dn_helm", "rc_helm"],
        rows,
    )


def threshold_scan():
    rows = []
    original = dn_ps.upscattering_Q2min
    for tname in THR_TARGETS:
        for m in THR_MASSES:
            model = dn_model(m)
            pn = dn_processes(dn_target(tname, "native"), model)
            ph = dn_processes(dn_target(tname, "helm"), model)
            M = pn[0].MA
            Eth_dn = pn[0].Ethreshold * 1e3
            for eps in THR_EPS:
                E = Eth_dn * (1.0 + eps)
                sn, en = dn_sigma(pn, E)
                sh, eh = dn_sigma(ph, E)
                dn_ps.upscattering_Q2min = q2min_exact_gev  # the integrand looks it up at call time
                try:
                    sx, ex = dn_sigma(ph, E)
                finally:
                    dn_ps.upscattering_Q2min = original
                q_dn = float(original(E * 1e-3, m * 1e-3, M))
                q_ex = float(q2min_exact_gev(E * 1e-3, m * 1e-3, M))
                qmax_dn = float(dn_ps.upscattering_Q2max(E * 1e-3, m * 1e-3, M))
                qmax_ex = 2.0 * M * primakoff.recoil_range_kernel(E, m, M * 1e3)[1] * 1e-3
                rc = primakoff.sigma(E, m, tname, MU_BOHR, form_factor="helm")
                rows.append(
                    (
                        tname,
                        m,
                        eps,
                        E,
                        sn,
                        en,
                        sh,
                        eh,
                        sx,
                        ex,
                        rc,
                        q_dn * 1e6,
                        q_ex * 1e6,
                        qmax_dn * 1e6,
                        qmax_ex * 1e6,
                    )
                )
    write(
        "threshold.csv",
        "cross sections as E_nu approaches the threshold E_thr = m_N + m_N^2/(2M) (DarkNews' nuclear mass)",
        [
            "E_nu_MeV = E_thr (1 + eps); dn_native, dn_helm as in sigma.csv",
            "dn_helm_exactQ2: dn_helm with DarkNews' phase_space.upscattering_Q2min replaced by the exact "
            "2 M E_R^min (radcevns recoil range)",
            "Q2min_dn_MeV2: DarkNews' lower limit (its small-r branch, m_N^4/(4 E^2)); "
            "Q2min_exact_MeV2: exact",
            "Q2max_dn_MeV2: DarkNews' upper limit (phase_space.upscattering_Q2max); "
            "Q2max_exact_MeV2: 2 M E_R^max",
        ],
        [
            "target",
            "m_N_MeV",
            "eps",
            "E_nu_MeV",
            "dn_native",
            "dn_native_err",
            "dn_helm",
            "dn_helm_err",
            "dn_helm_exactQ2",
            "dn_helm_exactQ2_err",
            "rc_helm",
            "Q2min_dn_MeV2",
            "Q2min_exact_MeV2",
            "Q2max_dn_MeV2",
            "Q2max_exact_MeV2",
        ],
        rows,
    )


class FlatFluxExperiment:
    """The minimum of a DarkNews detector that MC_events needs (flat nuebar flux, sparse output)."""

    def __init__(self, target):
        self.NAME = "flat-flux"
        self.ERANGE = (GEN_ERANGE[0] * 1e-3, GEN_ERANGE[1] * 1e-3)
        self.NUCLEAR_TARGETS = [target]
        self.NUMBER_OF_TARGETS = {target.name: 1.0}
        self.POTS = 1.0

    def neutrino_flux(self, nu):
        return lambda E: np.ones_like(E)


def generator():
    """NaN kinematics and decay width of DarkNews' event generator; speed of both generators."""
    rows = []
    target = dn_target(GEN_TARGET, "native")
    for nature in ("dirac", "majorana"):
        for m in GEN_MASSES:
            model = dn_model(m, nature)
            for hel in ("conserving", "flipping"):
                t0 = time.perf_counter()
                mc = MC.MC_events(
                    FlatFluxExperiment(target),
                    model,
                    rng=np.random.default_rng(SEED).random,
                    sparse=3,
                    nuclear_target=target,
                    nu_projectile=pdg.nuebar,
                    nu_upscattered=model.neutrino4,
                    nu_outgoing=pdg.nulight,
                    decay_product="photon",
                    helicity=hel,
                )
                df = mc.get_MC_events()
                dt = time.perf_counter() - t0
                mom = df["P_decay_N_parent"].to_numpy(dtype=float)
                nan = ~np.all(np.isfinite(mom), axis=1)
                w = df["w_event_rate"].to_numpy(dtype=float).ravel()
                ctau0 = df.attrs["N4_ctau0"]  # cm, from the generator's own decay integral
                gamma_gen = constants.HBARC_MEV_CM / ctau0  # MeV
                # DarkNews' generator starts the flux at max(ERANGE[0], 1.05 E_thr)
                emin = max(GEN_ERANGE[0], 1.05 * mc.ups_case.Ethreshold * 1e3)
                rows.append(
                    (
                        nature,
                        m,
                        hel,
                        len(w),
                        int(nan.sum()),
                        float(nan.mean()),
                        float(w[nan].sum() / w.sum()),
                        emin,
                        gamma_gen,
                        dt,
                    )
                )
    write(
        "generator.csv",
        f"DarkNews event generator (MC_events, N -> nu gamma) on {GEN_TARGET}, flat nuebar flux",
        [
            f"flux flat in E_nu over {GEN_ERANGE} MeV; "
            "DarkNews starts it at emin_MeV = max(1 MeV, 1.05 E_thr)",
            "n_nan: events whose N four-momentum is NaN; frac_nan: n_nan/n_events; wfrac_nan: their share of "
            "sum(w_event_rate)",
            "gamma_gen_MeV: width behind the generator's proper decay length N4_ctau0 (hbar c / ctau0)",
            "seconds: wall time of MC_events(...).get_MC_events() including its vegas adaptation",
        ],
        [
            "nature",
            "m_N_MeV",
            "helicity",
            "n_events",
            "n_nan",
            "frac_nan",
            "wfrac_nan",
            "emin_MeV",
            "gamma_gen_MeV",
            "seconds",
        ],
        rows,
    )
    return rows


def widths():
    rows = []
    for nature in ("dirac", "majorana"):
        for m in WIDTH_MASSES:
            t = 0.5 * MU_TR_GEV  # the dipole DarkNews puts in its vertices (t_aj = mu_tr/2)
            g_fun = gamma_Ni_to_Nj_gamma(t, m * 1e-3, 0.0, HNLtype=nature) * 1e3  # MeV
            # what the generator integrates: dGamma/dcos over cos in [-1, 1] (both parent helicities agree)
            c = np.linspace(-1.0, 1.0, 2001)
            d = diff_gamma_Ni_to_Nj_gamma(c, t, m * 1e-3, 0.0, HNLtype=nature, h=-1)
            g_gen = float(np.sum((d[1:] + d[:-1]) * np.diff(c)) / 2.0) * 1e3
            g_rc = decay.width(m, MU_BOHR, nature=nature)
            rows.append((nature, m, g_fun, g_gen, g_rc))
    write(
        "widths.csv",
        "width Gamma(N -> nu gamma) in MeV, both codes, same coupling",
        [
            "dn_function: DarkNews.decay_rates.gamma_Ni_to_Nj_gamma(t, m_N, 0, HNLtype) with t = mu_tr/2 "
            "as in its FermionSinglePhotonDecay.total_width",
            "dn_generator: integral over cos in [-1, 1] of diff_gamma_Ni_to_Nj_gamma, the integrand of "
            "its event generator (its N4_ctau0 comes from this integral)",
            "rc: radcevns.decay.width(m_N, mu, nature=nature)",
        ],
        ["nature", "m_N_MeV", "dn_function", "dn_generator", "rc"],
        rows,
    )


def timing(dn_per_sigma, gen_rows):
    rows = []
    # radcevns: compile outside the clock, then time a vector call and scalar calls
    E = np.linspace(2.0, 10.0, 1000)
    primakoff.sigma(E, 1.0, "W184", MU_BOHR)
    primakoff.dsigma_dER(5.0, np.linspace(1e-6, 1e-4, 10), 1.0, "W184", MU_BOHR)
    t0 = time.perf_counter()
    for _ in range(20):
        primakoff.sigma(E, 1.0, "W184", MU_BOHR)
    rc_vec = (time.perf_counter() - t0) / (20 * E.size)
    t0 = time.perf_counter()
    for e in E[:200]:
        primakoff.sigma(float(e), 1.0, "W184", MU_BOHR)
    rc_scalar = (time.perf_counter() - t0) / 200
    rows.append(("sigma", "DarkNews", dn_per_sigma, "dn_sigma (vegas, both helicities), mean over sigma.csv"))
    rows.append(("sigma", "radcevns", rc_scalar, "primakoff.sigma, one scalar call"))
    rows.append(("sigma", "radcevns", rc_vec, "primakoff.sigma, vector of 1000 energies, per value"))
    # per event: DarkNews generator (vegas + four-momenta) vs radcevns.radiative.generate
    n_dn = sum(r[3] for r in gen_rows)
    t_dn = sum(r[9] for r in gen_rows)
    rows.append(
        ("event", "DarkNews", t_dn / n_dn, f"MC_events.get_MC_events, {n_dn} events in generator.csv")
    )
    from radcevns import radiative

    radiative.generate(1000, 5.0, 1.0, "W184", MU_BOHR, seed=SEED)
    n = 200_000
    t0 = time.perf_counter()
    ev = radiative.generate(n, 5.0, 1.0, "W184", MU_BOHR, seed=SEED)
    rc_ev = (time.perf_counter() - t0) / n
    nan_rc = int(np.sum(~np.isfinite(ev["weight"])))
    rows.append(
        ("event", "radcevns", rc_ev, f"radiative.generate, {n} weighted events (E_nu 5 MeV), {nan_rc} NaN")
    )
    write(
        "timing.csv",
        "wall time per value / per event, both codes in the same run (seconds)",
        ["radcevns timed after numba compilation; DarkNews per-event time includes its vegas adaptation"],
        ["quantity", "code", "seconds", "how"],
        rows,
    )


def main():
    np.random.seed(SEED)  # noqa: NPY002 -- vegas and DarkNews' normalisation throws use numpy's global generator
    t0 = time.perf_counter()
    print(
        f"radcevns {md.version('radcevns')}, DarkNews {md.version('DarkNews')}, "
        f"python {sys.version.split()[0]}"
    )
    widths()
    differential()
    dn_per_sigma = total_cross_sections()
    threshold_scan()
    gen_rows = generator()
    timing(dn_per_sigma, gen_rows)
    print(f"total run time {time.perf_counter() - t0:.0f} s")


if __name__ == "__main__":
    main()
