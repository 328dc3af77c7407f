"""Events for detector simulations: HepMC3 (NuHepMC), LHE and Parquet files, written in batches.

:func:`write_events` (one neutrino energy) and :func:`write_events_folded` (a reactor flux) generate
events of

* ``process="radiative"``: nu A -> N A followed by N -> nu gamma at a displaced vertex
  (:func:`radcevns.radiative.generate`), or
* ``process="primakoff"``: the 2->2 upscattering nu A -> N A alone
  (:func:`radcevns.radiative.generate_primakoff`),

and stream them to a file, ``batch_size`` events at a time (10^7 events never sit in memory).
The decay point of N is drawn from the exponential of the lab decay length
(:func:`radcevns.decay.mean_decay_length`), truncated to the decay region ``decay_length_cm``
(:func:`radcevns.radiative.decay_positions`); the production vertex is the origin, the beam runs
along +z.  Same inputs and seed, same file.

Formats (chosen by ``format=`` or the file suffix):

``"hepmc3"`` (``.hepmc3``, ``.hepmc``)
    HepMC3 ASCII following the NuHepMC 1.0 conventions (S. Gardiner, J. Isaacson, L. Pickering,
    arXiv:2310.13211): the run information (tool, NuHepMC version, the "CV" weight, process,
    vertex-status, particle-status and additional-particle metadata, the flux-averaged total cross
    section G.C.2 in pb per target unit) is written by ``pyhepmc``; the events are formatted by a
    vectorised writer in the same ASCII v3 layout (``pyhepmc`` builds one event in ~60 us, too
    slow for 10^6 events) and the tests read them back with ``pyhepmc``.  Units MEV and CM.
``"lhe"`` (``.lhe``)
    Les Houches Event file (version 3.0): GeV and mm as the format demands; ``VTIMUP`` of N is
    its proper flight ``c tau`` in mm, so the decay point is ``c tau p_N / m_N`` along ``p_N``.
``"parquet"`` (``.parquet``)
    One row per event, the columns of :data:`COLUMNS` (MeV, cm) with the units and the run
    parameters in the schema metadata; read with :func:`read_columns`.

Weights: the sum of the weights of a file is the cross section (or rate) of the Python API.
In Parquet ``weight`` is in cm^2 (:func:`write_events`) or s^-1 per target unit
(:func:`write_events_folded`); in HepMC3 and LHE the weights are in pb per target unit and sum
to the (flux-averaged) cross section, ``<sigma> = rate / Phi`` with ``Phi`` the total flux in
cm^-2 s^-1 (stored in the header).  With ``unweight=True`` events are kept with probability
``w / w_max`` and all carry ``sum(w) / n_kept``; the efficiency ``n_kept / n`` is reported.
Events of weight 0 (a kinematically closed point, or a recoil below ``recoil_threshold_MeV``) are
not written: they change no sum.

Units: MeV, cm, cm^2, s; ``mu`` in Bohr magnetons (convention A).
"""

from __future__ import annotations

import gzip
import json
import os
import tempfile
from collections.abc import Iterator, Mapping
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np

from . import __version__
from . import radiative as _rad
from ._validate import as_array, as_nature
from .flux import Flux, chooz
from .nuclear import Compound, as_target, target_arrays

__all__ = [
    "FORMATS",
    "PROCESSES",
    "PROCESS_IDS",
    "N_PDG",
    "COLUMNS",
    "WriteSummary",
    "nucleus_pdg",
    "write_events",
    "write_events_folded",
    "read_columns",
]

#: File formats and their suffixes.
FORMATS = {"hepmc3": (".hepmc3", ".hepmc"), "lhe": (".lhe",), "parquet": (".parquet",)}

#: Processes that can be written.
PROCESSES = ("radiative", "primakoff")

#: NuHepMC process ids (E.C.1: 100-199 low-energy nuclear scattering, X50-X99 neutral current).
PROCESS_IDS = {"primakoff": 150, "radiative": 151}

_PROCESS_INFO = {
    150: ("Primakoff upscattering", "nu A -> N A through a transition magnetic moment (no decay)"),
    151: (
        "Radiative upscattering",
        "nu A -> N A through a transition magnetic moment, then N -> nu gamma at a displaced vertex",
    ),
}

#: PDG number of the sterile neutrino N (the heavy-neutral-lepton number of common BSM models;
#: not in the PDG scheme, so declared as an additional particle); an N' daughter gets 9900014.
N_PDG = 9900012
_NPRIME_PDG = 9900014
_FLAVOUR_PDG = {"e": 12, "mu": 14, "tau": 16}
_BEAM_PDG = -12  # reactor electron antineutrinos
_DECAY_VERTEX_STATUS = 30

#: Parquet columns (MeV, cm; ``weight`` in the unit of the Python API).
COLUMNS = (
    "event",
    "process_id",
    "E_nu",
    "E_R",
    "N_E",
    "N_px",
    "N_py",
    "N_pz",
    "gamma_E",
    "gamma_px",
    "gamma_py",
    "gamma_pz",
    "nu_E",
    "nu_px",
    "nu_py",
    "nu_pz",
    "cos_theta_gamma",
    "cos_theta_star",
    "isotope",
    "nucleus_pdg",
    "nu_pdg",
    "N_pdg",
    "decay_ct",
    "decay_x",
    "decay_y",
    "decay_z",
    "weight",
)

_PB_CM2 = 1e-36


def nucleus_pdg(Z: int, A: int) -> int:
    """PDG number ``100ZZZAAA0`` of a nucleus (Z protons, A nucleons).

    Examples
    --------
    >>> from radcevns import io
    >>> io.nucleus_pdg(74, 184)
    1000741840
    """
    Z, A = int(Z), int(A)
    if not (0 < Z <= A < 1000):
        raise ValueError(f"nucleus_pdg needs 0 < Z <= A < 1000, got Z={Z}, A={A}")
    return 1000000000 + 10000 * Z + 10 * A


@dataclass(frozen=True)
class WriteSummary:
    """What :func:`write_events` wrote.

    Attributes
    ----------
    path, format : str
        The file and its format.
    process : str
        ``"radiative"`` or ``"primakoff"``.
    n_generated, n_written : int
        Weighted events generated and events in the file.
    efficiency : float
        ``n_written / n_generated`` of the accept-reject unweighting (1 for weighted files).
    total, total_error : float
        Sum of the weights and its Monte Carlo error, in ``unit``.
    unit : str
        ``"cm^2"`` (one energy) or ``"s^-1 per target unit"`` (flux).
    cross_section_pb, cross_section_error_pb : float
        (Flux-averaged) cross section in pb per target unit (the NuHepMC G.C.2 value).
    flux_total : float or None
        Total flux in cm^-2 s^-1 that divides the rate (None for one energy).
    """

    path: str
    format: str
    process: str
    n_generated: int
    n_written: int
    efficiency: float
    total: float
    total_error: float
    unit: str
    cross_section_pb: float
    cross_section_error_pb: float
    flux_total: float | None

    def as_dict(self) -> dict:
        return asdict(self)


# --------------------------------------------------------------------------------------------------
# the run: inputs, event source, particle numbers
# --------------------------------------------------------------------------------------------------
class _Run:
    def __init__(
        self, n, E_nu, flux, m_N, target, mu, *, process, nature, decay_length_cm, seed, batch_size, options
    ):
        n = int(as_array(n, "n", nonnegative=True))
        if n < 1:
            raise ValueError("n must be >= 1")
        if process not in PROCESSES:
            raise ValueError(f"process must be one of {PROCESSES}, got {process!r}")
        self.n, self.E_nu, self.flux, self.process = n, E_nu, flux, process
        self.m_N = float(as_array(m_N, "m_N", positive=True))
        self.mu = float(as_array(mu, "mu", nonnegative=True))
        self.target = as_target(target)
        self.nature = as_nature(nature)
        self.decay_length_cm = decay_length_cm
        self.seed = int(seed)
        self.batch_size = int(as_array(batch_size, "batch_size", positive=True))
        self.options = dict(options)
        Z, A, M, _ = target_arrays(self.target)
        self.Z, self.A, self.M = Z.astype(int), A.astype(int), M
        self.pdg_nucleus = np.array([nucleus_pdg(z, a) for z, a in zip(self.Z, self.A, strict=True)])
        moments = self.options.get("decay_moments") or {"e": self.mu}
        masses = self.options.get("daughter_masses") or {}
        self.channel_pdg = np.array(
            [_NPRIME_PDG if masses.get(key, 0.0) > 0 else _FLAVOUR_PDG.get(str(key), 12) for key in moments]
        )
        self.flux_total = None if flux is None else float(flux.total())
        self.unit = "cm^2" if flux is None else "s^-1 per target unit"
        # first pass validates every input before a file is opened
        next(iter(self.batches(min(self.n, 1))), None)

    def batches(self, n=None) -> Iterator[np.ndarray]:
        n = self.n if n is None else n
        kw = dict(seed=self.seed, batch_size=self.batch_size)
        keys = ("form_factor", "recoil_threshold_MeV", "recoil_resolution_MeV")
        common = {k: self.options[k] for k in keys}
        if self.process == "primakoff":
            if self.flux is None:
                return _rad.iter_events_primakoff(
                    n, self.E_nu, self.m_N, self.target, self.mu, **kw, **common
                )
            return _rad.iter_events_primakoff_folded(
                n, self.m_N, self.target, self.mu, flux=self.flux, **kw, **common
            )
        opts = dict(nature=self.nature, decay_length_cm=self.decay_length_cm, **self.options)
        if self.flux is None:
            return _rad.iter_events(n, self.E_nu, self.m_N, self.target, self.mu, **kw, **opts)
        return _rad.iter_events_folded(n, self.m_N, self.target, self.mu, flux=self.flux, **kw, **opts)

    def to_pb(self, w):
        """API weights (cm^2, or s^-1 per target unit) -> pb per target unit (flux-averaged)."""
        scale = 1.0 / _PB_CM2 if self.flux_total is None else 1.0 / (self.flux_total * _PB_CM2)
        return w * scale

    def positions(self, ev, rng):
        if self.process == "primakoff":
            return np.zeros((ev.size, 4))
        return _rad.decay_positions(
            ev,
            self.m_N,
            self.mu,
            nature=self.nature,
            decay_length_cm=self.decay_length_cm,
            decay_moments=self.options.get("decay_moments"),
            daughter_masses=self.options.get("daughter_masses"),
            seed=rng,
        )

    def nu_pdg(self, ev, rng):
        """Daughter numbers: antineutrinos from a Dirac N-bar, either sign (50/50) from a Majorana N."""
        base = self.channel_pdg[ev["channel"]]
        if self.process == "primakoff":
            return np.zeros(ev.size, dtype=np.int64)
        if self.nature == "dirac":
            return -base
        sign = np.where(rng.random(ev.size) < 0.5, -1, 1)
        return sign * base

    @property
    def n_pdg(self):
        return -N_PDG if self.nature == "dirac" else N_PDG

    def target_scale(self):
        return "PerMolecule" if isinstance(self.target, Compound) else "PerAtom"

    def describe(self) -> dict:
        return {
            "tool": "radcevns",
            "version": __version__,
            "process": self.process,
            "process_id": PROCESS_IDS[self.process],
            "E_nu_MeV": self.E_nu,
            "flux": None if self.flux is None else repr(self.flux),
            "flux_total_cm-2_s-1": self.flux_total,
            "m_N_MeV": self.m_N,
            "target": self.target.name,
            "mu_bohr": self.mu,
            "nature": self.nature,
            "decay_length_cm": self.decay_length_cm,
            "seed": self.seed,
            "n_generated": self.n,
            "weight_unit": self.unit,
            **{k: (dict(v) if isinstance(v, Mapping) else v) for k, v in self.options.items()},
        }


def _stats(run, progress, desc):
    """First pass: sum, sum of squares and maximum of the weights (generation only)."""
    s = s2 = 0.0
    wmax = 0.0
    for ev in _progress(run.batches(), run.n, progress, desc):
        w = ev["weight"]
        s += float(w.sum())
        s2 += float((w * w).sum())
        if w.size:
            wmax = max(wmax, float(w.max()))
    # the weights are sigma_i / n: the error of the mean estimate is sqrt(sum w^2 - (sum w)^2 / n)
    err = float(np.sqrt(max(s2 - s * s / run.n, 0.0)))
    return s, err, wmax


def _progress(it, total, progress, desc):
    if not progress:
        yield from it
        return
    from tqdm.auto import tqdm

    with tqdm(total=total, desc=desc, unit="ev", unit_scale=True, leave=False) as bar:
        for ev in it:
            bar.update(ev.size)
            yield ev


def _kept_batches(run, wmax, unweight, progress, desc):
    """Yield (events, decay positions (ct, x, y, z) cm, daughter pdg) of the events to write."""
    rng_keep = np.random.default_rng(np.random.SeedSequence([run.seed, 1]))
    rng_pos = np.random.default_rng(np.random.SeedSequence([run.seed, 2]))
    for ev in _progress(run.batches(), run.n, progress, desc):
        pos = run.positions(ev, rng_pos)
        pdg = run.nu_pdg(ev, rng_pos)
        keep = ev["weight"] > 0
        if unweight:
            keep &= rng_keep.random(ev.size) * wmax < ev["weight"]
        if not keep.all():
            ev, pos, pdg = ev[keep], pos[keep], pdg[keep]
        yield ev, pos, pdg


# --------------------------------------------------------------------------------------------------
# HepMC3 (NuHepMC)
# --------------------------------------------------------------------------------------------------
def _run_info(run, xs_pb, xs_err_pb):
    import pyhepmc

    ri = pyhepmc.GenRunInfo()
    ri.tools = [
        pyhepmc.GenRunInfo.ToolInfo(
            "radcevns", __version__, "radiative CEvNS: nu A -> N A (-> nu gamma A), convention A"
        )
    ]
    ri.weight_names = ["CV"]
    a = ri.attributes
    a["NuHepMC.Version.Major"] = 1
    a["NuHepMC.Version.Minor"] = 0
    a["NuHepMC.Version.Patch"] = 0
    a["NuHepMC.Conventions"] = ["G.C.2", "G.C.4", "G.C.5", "E.C.1"]
    a["NuHepMC.FluxAveragedTotalCrossSection"] = float(xs_pb)
    a["NuHepMC.FluxAveragedTotalCrossSectionUncertainty"] = float(xs_err_pb)
    a["NuHepMC.Units.CrossSection.Unit"] = "pb"
    a["NuHepMC.Units.CrossSection.TargetScale"] = run.target_scale()
    pid = PROCESS_IDS[run.process]
    a["NuHepMC.ProcessIDs"] = [pid]
    a[f"NuHepMC.ProcessInfo[{pid}].Name"] = _PROCESS_INFO[pid][0]
    a[f"NuHepMC.ProcessInfo[{pid}].Description"] = _PROCESS_INFO[pid][1]
    vstat = {1: ("PrimaryVertex", "nu A -> N A at the origin")}
    if run.process == "radiative":
        vstat[_DECAY_VERTEX_STATUS] = ("NDecay", "N -> nu gamma at the decay point of N (cm)")
    a["NuHepMC.VertexStatusIDs"] = list(vstat)
    for k, (name, desc) in vstat.items():
        a[f"NuHepMC.VertexStatusInfo[{k}].Name"] = name
        a[f"NuHepMC.VertexStatusInfo[{k}].Description"] = desc
    pstat = {
        1: ("UndecayedPhysical", "final-state particle"),
        2: ("DecayedPhysical", "N that decays at the displaced vertex"),
        4: ("IncomingBeam", "reactor electron antineutrino"),
        20: ("Target", "target nucleus at rest"),
    }
    a["NuHepMC.ParticleStatusIDs"] = list(pstat)
    for k, (name, desc) in pstat.items():
        a[f"NuHepMC.ParticleStatusInfo[{k}].Name"] = name
        a[f"NuHepMC.ParticleStatusInfo[{k}].Description"] = desc
    extra = {
        N_PDG: ("N", f"sterile neutrino N, m_N = {run.m_N:g} MeV, {run.nature}"),
        -N_PDG: ("Nbar", f"anti-N, m_N = {run.m_N:g} MeV (Dirac N from an antineutrino beam)"),
    }
    if _NPRIME_PDG in set(np.abs(run.channel_pdg)):
        extra[_NPRIME_PDG] = ("Nprime", "lighter sterile neutrino N' (daughter of N -> N' gamma)")
        extra[-_NPRIME_PDG] = ("Nprimebar", "anti-N'")
    a["NuHepMC.AdditionalParticleNumbers"] = list(extra)
    for k, (name, desc) in extra.items():
        a[f"NuHepMC.AdditionalParticleNumber[{k}].Name"] = name
        a[f"NuHepMC.AdditionalParticleInfo[{k}].Description"] = desc
    if run.flux is None:
        a[f"NuHepMC.Beam[{_BEAM_PDG}].Type"] = "MonoEnergetic"
        a[f"NuHepMC.Beam[{_BEAM_PDG}].MonoEnergetic.Energy"] = float(run.E_nu)
    else:
        edges = np.linspace(run.flux.e_min, run.flux.e_max, 101)
        centres = 0.5 * (edges[1:] + edges[:-1])
        a[f"NuHepMC.Beam[{_BEAM_PDG}].Type"] = "Histogram"
        a[f"NuHepMC.Beam[{_BEAM_PDG}].Histogram.BinEdges"] = [float(x) for x in edges]
        a[f"NuHepMC.Beam[{_BEAM_PDG}].Histogram.BinContent"] = [
            float(x) for x in np.asarray(run.flux(centres), dtype=float)
        ]
        a[f"NuHepMC.Beam[{_BEAM_PDG}].Histogram.ContentIsPerWidth"] = 1
        a["NuHepMC.Beam.FluxUnit"] = "cm-2 s-1 MeV-1"
        a["radcevns.Flux.Total"] = float(run.flux_total)
    a["NuHepMC.Beam.EnergyUnit"] = "MEV"
    a["NuHepMC.Provenance.radcevns.Parameters"] = json.dumps(run.describe(), default=str)
    return ri


def _hepmc_header(run_info) -> str:
    """The header and run information exactly as pyhepmc writes them (no events)."""
    import pyhepmc

    fd, tmp = tempfile.mkstemp(suffix=".hepmc3")
    os.close(fd)
    try:
        w = pyhepmc.io.WriterAscii(tmp, run_info)
        w.close()
        text = Path(tmp).read_text()
    finally:
        os.unlink(tmp)
    return text.replace("HepMC::Asciiv3-END_EVENT_LISTING\n", "")


_HEPMC_END = "HepMC::Asciiv3-END_EVENT_LISTING\n\n"
# numbers are formatted with %.17g (exact round trip of a double); constants are written literally
_F = "%.17g"


def _hepmc_template(run):
    pid = PROCESS_IDS[run.process]
    radiative = run.process == "radiative"
    m = repr(run.m_N)
    lines = [
        f"E %d {2 if radiative else 1} {6 if radiative else 4}",
        "U MEV CM",
        f"W {_F}",
        "A 0 lab_pos 0.000000 0.000000 0.000000",
        f"A 0 signal_process_id {pid}",
        f"P 1 0 {_BEAM_PDG} 0 0 {_F} {_F} 0 4",
        f"P 2 0 %d 0 0 0 {_F} {_F} 20",
        "V -1 1 [1,2]",
        f"P 3 -1 %d {_F} {_F} {_F} {_F} {_F} 1",
        f"P 4 -1 {run.n_pdg} {_F} {_F} {_F} {_F} {m} {2 if radiative else 1}",
    ]
    if radiative:
        lines += [
            f"V -2 {_DECAY_VERTEX_STATUS} [4] @ {_F} {_F} {_F} {_F}",
            f"P 5 -2 22 {_F} {_F} {_F} {_F} 0 1",
            f"P 6 -2 %d {_F} {_F} {_F} {_F} {_F} 1",
        ]
    return "\n".join(lines) + "\n"


def _recoil(run, ev):
    """Four-momentum (E, px, py, pz) of the recoiling nucleus (momentum conservation) and its mass."""
    M = run.M[ev["isotope"]]
    p = ev["p_N"]
    return np.column_stack([M + ev["E_R"], -p[:, 1], -p[:, 2], ev["E_nu"] - p[:, 3]]), M


def _xyzE(p):
    return [p[:, 1], p[:, 2], p[:, 3], p[:, 0]]


def _event_columns(run, ev, pos, pdg, first, weights_pb):
    """One row of numbers per event, in the order of the HepMC3 template."""
    E = ev["E_nu"]
    pA, M = _recoil(run, ev)
    pdgA = run.pdg_nucleus[ev["isotope"]]
    cols = [np.arange(first, first + ev.size), weights_pb, E, E, pdgA, M, M, pdgA, *_xyzE(pA), M]
    cols += _xyzE(ev["p_N"])
    if run.process == "radiative":
        cols += [pos[:, 1], pos[:, 2], pos[:, 3], pos[:, 0]]
        cols += _xyzE(ev["p_gamma"])
        cols += [pdg, *_xyzE(ev["p_nu"]), _daughter_masses(run, ev)]
    return np.column_stack(cols)


def _daughter_masses(run, ev):
    masses = run.options.get("daughter_masses") or {}
    moments = run.options.get("decay_moments") or {"e": run.mu}
    table = np.array([float(masses.get(key, 0.0)) for key in moments])
    return table[ev["channel"]]


def _open_text(path):
    return gzip.open(path, "wt") if str(path).endswith(".gz") else open(path, "w")  # noqa: SIM115


def _write_hepmc3(path, run, stats, unweight, progress):
    total, err, wmax, n_kept = stats
    xs, xs_err = float(run.to_pb(total)), float(run.to_pb(err))
    template = _hepmc_template(run)
    first = 0
    with _open_text(path) as f:
        f.write(_hepmc_header(_run_info(run, xs, xs_err)))
        for ev, pos, pdg in _kept_batches(run, wmax, unweight, progress, "writing HepMC3"):
            if not ev.size:
                continue
            w = np.full(ev.size, xs / n_kept) if unweight else run.to_pb(ev["weight"])
            rows = _event_columns(run, ev, pos, pdg, first, w)
            f.write("".join([template % tuple(r) for r in rows.tolist()]))
            first += ev.size
        f.write(_HEPMC_END)
    return first, total, err


# --------------------------------------------------------------------------------------------------
# LHE
# --------------------------------------------------------------------------------------------------
def _lhe_template(run):
    pid = PROCESS_IDS[run.process]
    radiative = run.process == "radiative"
    m = repr(run.m_N * 1e-3)
    lines = [
        "<event>",
        f"{6 if radiative else 4} {pid} {_F} -1 -1 -1",
        f"{_BEAM_PDG} -1 0 0 0 0 0 0 {_F} {_F} 0 0 9",
        f"%d -1 0 0 0 0 0 0 0 {_F} {_F} 0 9",
        f"%d 1 1 2 0 0 {_F} {_F} {_F} {_F} {_F} 0 9",
    ]
    if radiative:
        lines += [
            f"{run.n_pdg} 2 1 2 0 0 {_F} {_F} {_F} {_F} {m} {_F} 9",
            f"22 1 4 4 0 0 {_F} {_F} {_F} {_F} 0 0 9",
            f"%d 1 4 4 0 0 {_F} {_F} {_F} {_F} {_F} 0 9",
        ]
    else:
        lines += [f"{run.n_pdg} 1 1 2 0 0 {_F} {_F} {_F} {_F} {m} 0 9"]
    lines += ["</event>"]
    return "\n".join(lines) + "\n"


def _lhe_columns(run, ev, pos, pdg, weights_pb):
    g = 1e-3  # MeV -> GeV
    E = ev["E_nu"] * g
    pA, M = _recoil(run, ev)
    pdgA = run.pdg_nucleus[ev["isotope"]]
    cols = [weights_pb, E, E, pdgA, M * g, M * g, pdgA, *[c * g for c in _xyzE(pA)], M * g]
    cols += [c * g for c in _xyzE(ev["p_N"])]
    if run.process == "radiative":
        pN = np.sqrt(np.sum(ev["p_N"][:, 1:] ** 2, axis=1))
        d = np.sqrt(np.sum(pos[:, 1:] ** 2, axis=1))
        with np.errstate(invalid="ignore", divide="ignore"):
            ctau_mm = np.where(pN > 0, 10.0 * d * run.m_N / pN, 0.0)
        cols += [ctau_mm]
        cols += [c * g for c in _xyzE(ev["p_gamma"])]
        cols += [pdg, *[c * g for c in _xyzE(ev["p_nu"])], _daughter_masses(run, ev) * g]
    return np.column_stack(cols)


def _write_lhe(path, run, stats, unweight, progress):
    total, err, wmax, n_kept = stats
    xs, xs_err = float(run.to_pb(total)), float(run.to_pb(err))
    pid = PROCESS_IDS[run.process]
    e_beam = run.E_nu if run.flux is None else run.flux.e_max
    xmax = xs / n_kept if unweight else float(run.to_pb(wmax))
    meta = json.dumps(run.describe(), default=str, indent=1)
    header = (
        '<LesHouchesEvents version="3.0">\n<header>\n'
        f"<radcevns>\n<!--\n{meta}\n-->\n</radcevns>\n"
        "<!-- units: GeV and mm (LHE); XWGTUP in pb per target unit, the weights sum to XSECUP;"
        " VTIMUP of N is its proper flight c tau in mm -->\n</header>\n"
        "<init>\n"
        f"{_BEAM_PDG} {run.pdg_nucleus[0]} {e_beam * 1e-3:.16e} 0.0 -1 -1 -1 -1 {3 if unweight else 4} 1\n"
        f"{xs:.16e} {xs_err:.16e} {xmax:.16e} {pid}\n"
        f'<generator name="radcevns" version="{__version__}">{_PROCESS_INFO[pid][1]}</generator>\n'
        "</init>\n"
    )
    template = _lhe_template(run)
    written = 0
    with _open_text(path) as f:
        f.write(header)
        for ev, pos, pdg in _kept_batches(run, wmax, unweight, progress, "writing LHE"):
            if not ev.size:
                continue
            w = np.full(ev.size, xs / n_kept) if unweight else run.to_pb(ev["weight"])
            rows = _lhe_columns(run, ev, pos, pdg, w)
            f.write("".join([template % tuple(r) for r in rows.tolist()]))
            written += ev.size
        f.write("</LesHouchesEvents>\n")
    return written, total, err


# --------------------------------------------------------------------------------------------------
# Parquet
# --------------------------------------------------------------------------------------------------
def _write_parquet(path, run, stats, unweight, progress):
    """Write Parquet; ``stats`` None (weighted files): one pass, the sums are taken while writing."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    total, err, wmax, n_kept = stats if stats is not None else (0.0, 0.0, np.inf, run.n)
    s = s2 = 0.0
    first = 0
    writer = None
    try:
        for ev, pos, pdg in _kept_batches(run, wmax, unweight, progress, "writing Parquet"):
            k = ev.size
            data = {
                "event": np.arange(first, first + k, dtype=np.int64),
                "process_id": np.full(k, PROCESS_IDS[run.process], dtype=np.int32),
                "E_nu": ev["E_nu"],
                "E_R": ev["E_R"],
            }
            for name, key in (("N", "p_N"), ("gamma", "p_gamma"), ("nu", "p_nu")):
                for j, comp in enumerate(("E", "px", "py", "pz")):
                    data[f"{name}_{comp}"] = np.ascontiguousarray(ev[key][:, j])
            data["cos_theta_gamma"] = ev["cos_theta_gamma"]
            data["cos_theta_star"] = ev["cos_theta_star"]
            data["isotope"] = ev["isotope"]
            data["nucleus_pdg"] = run.pdg_nucleus[ev["isotope"]].astype(np.int64)
            data["nu_pdg"] = pdg.astype(np.int64)
            data["N_pdg"] = np.full(k, run.n_pdg, dtype=np.int64)
            for j, comp in enumerate(("ct", "x", "y", "z")):
                data[f"decay_{comp}"] = np.ascontiguousarray(pos[:, j])
            w = np.full(k, total / n_kept) if unweight else ev["weight"]
            data["weight"] = w
            s += float(w.sum())
            s2 += float((w * w).sum())
            table = pa.table(data)
            if writer is None:
                writer = pq.ParquetWriter(str(path), table.schema, compression="snappy")
            writer.write_table(table)
            first += k
        if writer is None:  # no event: an empty file with the columns
            writer = pq.ParquetWriter(str(path), pa.table({c: np.zeros(0) for c in COLUMNS}).schema)
        if stats is None:
            total, err = s, float(np.sqrt(max(s2 - s * s / run.n, 0.0)))
        meta = run.describe()
        meta.update(
            units="MeV; cm; weight in " + run.unit,
            total=total,
            total_error=err,
            unweighted=bool(unweight),
            n_written=first,
            columns_doc=_COLUMN_DOC,
        )
        writer.add_key_value_metadata({"radcevns": json.dumps(meta, default=str)})
    finally:
        if writer is not None:
            writer.close()
    return first, total, err


_COLUMN_DOC = (
    "event: event number; process_id: 150 Primakoff nu A -> N A, 151 radiative (N -> nu gamma); "
    "E_nu: antineutrino energy [MeV]; E_R: nuclear recoil kinetic energy [MeV]; "
    "N_*, gamma_*, nu_*: four-momenta (E, px, py, pz) [MeV] of N, the photon and the light neutrino, "
    "beam along +z (0 for the Primakoff process); cos_theta_gamma: photon polar angle; "
    "cos_theta_star: photon direction in the N rest frame w.r.t. the N direction; isotope: index into "
    "target.components(); nucleus_pdg: 100ZZZAAA0; nu_pdg, N_pdg: PDG numbers; "
    "decay_ct, decay_x, decay_y, decay_z: decay point of N [cm] (c t = flight / beta); "
    "weight: cm^2 (one energy) or s^-1 per target unit (flux); the weights sum to the cross section or rate"
)


def read_columns(path: str | os.PathLike) -> tuple[dict, dict]:
    """Read a Parquet file of :func:`write_events`: ``(columns, metadata)``.

    Parameters
    ----------
    path : str or path-like
        A ``.parquet`` file written by radcevns.

    Returns
    -------
    (dict of ndarray, dict)
        The columns of :data:`COLUMNS` (MeV, cm, weights in the unit ``metadata["weight_unit"]``)
        and the run metadata (tool, version, inputs, units, total of the weights).
    """
    import pyarrow.parquet as pq

    table = pq.read_table(str(path))
    raw = (pq.read_metadata(str(path)).metadata or {}).get(b"radcevns")
    if raw is None:
        raise ValueError(f"{path} is not a Parquet file written by radcevns (no 'radcevns' metadata)")
    return {name: table.column(name).to_numpy() for name in table.column_names}, json.loads(raw)


# --------------------------------------------------------------------------------------------------
# public entry points
# --------------------------------------------------------------------------------------------------
_WRITERS = {"hepmc3": _write_hepmc3, "lhe": _write_lhe, "parquet": _write_parquet}


def _format_of(path, format):
    if format is not None:
        if format not in FORMATS:
            raise ValueError(f"format must be one of {tuple(FORMATS)}, got {format!r}")
        return format
    name = str(path).lower()
    if name.endswith(".gz"):
        name = name[:-3]
    for fmt, suffixes in FORMATS.items():
        if name.endswith(suffixes):
            return fmt
    raise ValueError(
        f"cannot tell the format of {str(path)!r} from its suffix; use one of "
        f"{[s for v in FORMATS.values() for s in v]} or format=..."
    )


def _write(path, run, format, unweight, progress):
    fmt = _format_of(path, format)
    if fmt == "parquet" and str(path).endswith(".gz"):
        raise ValueError("Parquet files are compressed internally: drop the .gz suffix")
    parent = Path(path).resolve().parent
    if not parent.is_dir():
        raise ValueError(f"the directory {str(parent)!r} does not exist")
    if fmt == "parquet" and not unweight:
        # the sums go into the file footer: one pass over the events is enough
        written, total, err = _write_parquet(path, run, None, False, progress)
        return _summary(path, fmt, run, written, total, err)
    total, err, wmax = _stats(run, progress, "weights")
    n_kept = run.n
    if unweight:
        if wmax <= 0:
            raise ValueError("all weights vanish (no kinematically allowed event): nothing to unweight")
        rng_keep = np.random.default_rng(np.random.SeedSequence([run.seed, 1]))
        n_kept = 0
        for ev in _progress(run.batches(), run.n, progress, "unweighting"):
            n_kept += int(np.count_nonzero(rng_keep.random(ev.size) * wmax < ev["weight"]))
        if n_kept == 0:
            raise ValueError("no event kept by the unweighting: generate more events")
    elif wmax <= 0:
        n_kept = 1  # nothing written; avoids 0/0 below
    written, total, err = _WRITERS[fmt](path, run, (total, err, wmax, n_kept), unweight, progress)
    return _summary(path, fmt, run, written, total, err)


def _summary(path, fmt, run, written, total, err):
    xs, xs_err = float(run.to_pb(total)), float(run.to_pb(err))
    return WriteSummary(
        path=str(path),
        format=fmt,
        process=run.process,
        n_generated=run.n,
        n_written=written,
        efficiency=written / run.n,
        total=total,
        total_error=err,
        unit=run.unit,
        cross_section_pb=xs,
        cross_section_error_pb=xs_err,
        flux_total=run.flux_total,
    )


_WRITE_DOC = """process : {"radiative", "primakoff"}
        nu A -> (N -> nu gamma) A with a displaced decay vertex, or the 2->2 nu A -> N A alone.
    format : {"hepmc3", "lhe", "parquet"} or None
        None: from the suffix of ``path`` (``.hepmc3``/``.hepmc``, ``.lhe``, ``.parquet``; a
        ``.gz`` suffix compresses HepMC3 and LHE files).
    nature : {"dirac", "majorana"}
    decay_length_cm : float or None
        Decay region in cm (as in :func:`radcevns.radiative.generate`); the decay points lie within it.
    seed : int
        Seed of the generation, the unweighting and the decay points: same inputs, same file.
    unweight : bool
        Accept-reject with probability ``w / w_max``; every kept event carries ``sum(w) / n_kept``.
    batch_size : int
        Events held in memory at once.
    progress : bool
        Show a progress bar (tqdm).
    decay_moments, daughter_masses, form_factor, recoil_threshold_MeV, recoil_resolution_MeV
        As in :func:`radcevns.radiative.generate` (the Primakoff process uses the last three)."""


def write_events(
    path: str | os.PathLike,
    n: int,
    E_nu: float,
    m_N: float,
    target,
    mu: float,
    *,
    process: str = "radiative",
    format: str | None = None,
    nature: str = "dirac",
    decay_length_cm: float | None = None,
    seed: int = 0,
    unweight: bool = False,
    batch_size: int = 100_000,
    progress: bool = False,
    decay_moments: Mapping | None = None,
    daughter_masses: Mapping | None = None,
    form_factor: str = "helm",
    recoil_threshold_MeV: float = 0.0,
    recoil_resolution_MeV: float = 0.0,
) -> WriteSummary:
    """Generate ``n`` events at one neutrino energy and write them to ``path``; weights sum to sigma.

    Parameters
    ----------
    path : str or path-like
        Output file (overwritten).
    n : int
        Number of weighted events to generate (the file holds fewer if ``unweight``).
    E_nu : float
        Antineutrino energy in MeV.
    m_N : float
        Sterile-neutrino mass in MeV.
    target : str or Nucleus or Element or Compound
        Target, e.g. ``"CaWO4"`` or ``"W184"``.
    mu : float
        Transition magnetic moment mu_{nu_e N} in Bohr magnetons (convention A).
    {options}

    Returns
    -------
    WriteSummary
        Events generated and written, the efficiency, the sum of the weights in cm^2 and the
        cross section in pb per target unit.

    Examples
    --------
    >>> import tempfile, os
    >>> from radcevns import io
    >>> path = os.path.join(tempfile.mkdtemp(), "ev.parquet")
    >>> s = io.write_events(path, 1000, 5.0, 1.0, "W184", 3e-8, seed=1)
    >>> s.n_written, f"{{s.total:.2e}} {{s.unit}}"
    (1000, '9.99e-36 cm^2')
    """
    E = float(as_array(E_nu, "E_nu", positive=True))
    options = dict(
        decay_moments=decay_moments,
        daughter_masses=daughter_masses,
        form_factor=form_factor,
        recoil_threshold_MeV=recoil_threshold_MeV,
        recoil_resolution_MeV=recoil_resolution_MeV,
    )
    run = _Run(
        n,
        E,
        None,
        m_N,
        target,
        mu,
        process=process,
        nature=nature,
        decay_length_cm=decay_length_cm,
        seed=seed,
        batch_size=batch_size,
        options=options,
    )
    return _write(path, run, format, unweight, progress)


def write_events_folded(
    path: str | os.PathLike,
    n: int,
    m_N: float,
    target,
    mu: float,
    *,
    flux: Flux | None = None,
    process: str = "radiative",
    format: str | None = None,
    nature: str = "dirac",
    decay_length_cm: float | None = None,
    seed: int = 0,
    unweight: bool = False,
    batch_size: int = 100_000,
    progress: bool = False,
    decay_moments: Mapping | None = None,
    daughter_masses: Mapping | None = None,
    form_factor: str = "helm",
    recoil_threshold_MeV: float = 0.0,
    recoil_resolution_MeV: float = 0.0,
) -> WriteSummary:
    """Generate ``n`` events with energies drawn from a flux and write them; weights sum to the rate.

    Parameters
    ----------
    path, n, m_N, target, mu
        As in :func:`write_events`.
    flux : radcevns.flux.Flux or None
        The antineutrino flux; None: :func:`radcevns.flux.chooz`.
    {options}

    Returns
    -------
    WriteSummary
        As :func:`write_events`; ``total`` is the rate in s^-1 per target unit and
        ``cross_section_pb`` the flux-averaged cross section ``rate / flux_total``.
    """
    if flux is None:
        flux = chooz()
    if not isinstance(flux, Flux):
        raise TypeError(f"flux must be a radcevns.flux.Flux instance (or None for Chooz), got {flux!r}")
    options = dict(
        decay_moments=decay_moments,
        daughter_masses=daughter_masses,
        form_factor=form_factor,
        recoil_threshold_MeV=recoil_threshold_MeV,
        recoil_resolution_MeV=recoil_resolution_MeV,
    )
    run = _Run(
        n,
        None,
        flux,
        m_N,
        target,
        mu,
        process=process,
        nature=nature,
        decay_length_cm=decay_length_cm,
        seed=seed,
        batch_size=batch_size,
        options=options,
    )
    return _write(path, run, format, unweight, progress)


for _f in (write_events, write_events_folded):
    if _f.__doc__:
        _f.__doc__ = _f.__doc__.replace("{options}", _WRITE_DOC).replace("{{", "{").replace("}}", "}")
del _f
