"""The ``radcevns`` command line: rates, limit curves, event files and the experiment presets.

::

    radcevns rate --m-N 2 --mu 3e-8                      # events per day at NUCLEUS-1kg
    radcevns limit --m-N-min 0.1 --m-N-max 8 -o limit.csv --plot limit.png
    radcevns generate -n 1000000 --m-N 2 --mu 3e-8 --target CaWO4 --decay-length-cm 5 -o ev.hepmc3
    radcevns experiments list
    radcevns experiments show NUCLEUS-10g

Each subcommand prints the same numbers as the Python API it calls
(:func:`radcevns.coincidences.radiative_rate`, :func:`radcevns.rates.primakoff_rate`,
:func:`radcevns.sensitivity.limit_curve`, :func:`radcevns.io.write_events`).  Units: MeV, cm,
kg yr, Bohr magnetons (convention A); every ``--help`` states them.  Bad input ends with one line
``radcevns <command>: error: ...`` on stderr and exit status 2.  ``python -m radcevns.cli`` is the
same program as the ``radcevns`` console script.
"""

from __future__ import annotations

import argparse
import csv
import importlib
import json
import math
import sys
from collections.abc import Callable, Sequence

import numpy as np

from . import __version__

__all__ = ["main", "experiment_presets", "build_parser"]

_EXIT_USAGE = 2


class _CliError(Exception):
    """Bad input detected by the command line (reported in one line, exit status 2)."""


# --------------------------------------------------------------------------------------------------
# experiments: the registry when it exists, the NUCLEUS presets otherwise
# --------------------------------------------------------------------------------------------------
def experiment_presets() -> dict[str, Callable]:
    """``{name: factory}`` of the experiments the command line knows.

    Uses the registry :mod:`radcevns.experiments` (``names()``, ``get(name)``) when it is importable,
    otherwise the NUCLEUS presets :func:`radcevns.detector.nucleus_10g` and
    :func:`radcevns.detector.nucleus_1kg`.  Each factory returns the experiment object (a
    :class:`radcevns.detector.Detector` or an object with a ``detector``).
    """
    try:
        registry = importlib.import_module(f"{__package__}.experiments")
    except ModuleNotFoundError as exc:
        if exc.name != f"{__package__}.experiments":
            raise
        registry = None
    if registry is not None and hasattr(registry, "names") and hasattr(registry, "get"):
        return {str(name): (lambda name=name: registry.get(name)) for name in registry.names()}
    from .detector import nucleus_1kg, nucleus_10g

    return {"NUCLEUS-10g": nucleus_10g, "NUCLEUS-1kg": nucleus_1kg}


def _lookup(name: str):
    presets = experiment_presets()
    folded = {k.lower(): k for k in presets}
    key = folded.get(name.lower())
    if key is None:
        raise _CliError(f"unknown experiment {name!r}; known: {', '.join(presets)}")
    return presets[key]()


def _detector_and_flux(name: str):
    """(Detector, flux or None) of an experiment preset."""
    from .detector import Detector

    obj = _lookup(name)
    if isinstance(obj, Detector):
        return obj, None
    det = getattr(obj, "detector", None)
    det = det() if callable(det) and not isinstance(det, Detector) else det
    if not isinstance(det, Detector):
        raise _CliError(f"experiment {name!r} has no detector model")
    flux = getattr(obj, "flux", None)
    flux = flux() if callable(flux) and not hasattr(flux, "total") else flux
    return det, flux


def _describe(obj) -> dict:
    from .detector import Detector

    if isinstance(obj, Detector):
        return obj.describe()
    if hasattr(obj, "describe"):
        return dict(obj.describe())
    det = getattr(obj, "detector", None)
    return det.describe() if isinstance(det, Detector) else {"experiment": repr(obj)}


# --------------------------------------------------------------------------------------------------
# argument types with units
# --------------------------------------------------------------------------------------------------
def _number(kind: str, unit: str, *, positive=False, nonnegative=False, integer=False):
    def convert(text: str):
        try:
            value = int(text) if integer else float(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"expected a {kind} in {unit}, got {text!r}") from None
        if not integer and not math.isfinite(value):
            raise argparse.ArgumentTypeError(f"expected a finite {kind} in {unit}, got {text!r}")
        if positive and value <= 0:
            raise argparse.ArgumentTypeError(f"must be > 0 ({unit}), got {text!r}")
        if nonnegative and value < 0:
            raise argparse.ArgumentTypeError(f"must be >= 0 ({unit}), got {text!r}")
        return value

    convert.__name__ = kind
    return convert


_MEV = _number("number", "MeV", positive=True)
_MEV0 = _number("number", "MeV", nonnegative=True)
_CM = _number("length", "cm", positive=True)
_MU_B = _number("moment", "Bohr magnetons", positive=True)
_KG_YR = _number("exposure", "kg yr", positive=True)
_COUNT = _number("whole number", "events", positive=True, integer=True)
_POINTS = _number("whole number", "masses", positive=True, integer=True)
_SEED = _number("whole number", "(seed)", nonnegative=True, integer=True)


class _Parser(argparse.ArgumentParser):
    """An ArgumentParser whose errors are one line on stderr and exit status 2."""

    def error(self, message: str):
        self.exit(_EXIT_USAGE, f"{self.prog}: error: {message} (see {self.prog} --help)\n")


# --------------------------------------------------------------------------------------------------
# subcommands
# --------------------------------------------------------------------------------------------------
def _cmd_rate(args) -> int:
    from .coincidences import radiative_rate
    from .rates import primakoff_rate

    det, flux = _detector_and_flux(args.experiment)
    if args.decay_length_cm is not None:
        det = det.replace(decay_length_cm=args.decay_length_cm)
    natures = ("dirac", "majorana") if args.nature == "both" else (args.nature,)
    out = {
        "experiment": det.name,
        "m_N_MeV": args.m_N,
        "mu_bohr": args.mu,
        "primakoff_per_day": float(primakoff_rate(args.m_N, det, args.mu, flux=flux)),
    }
    for nature in natures:
        out[f"radiative_{nature}_per_day"] = float(
            radiative_rate(args.m_N, det, args.mu, nature=nature, flux=flux)
        )
    if args.json:
        print(json.dumps(out))
        return 0
    print(f"{det.name}: m_N = {args.m_N:g} MeV, mu = {args.mu:g} mu_B (events per calendar day)")
    print(f"  Primakoff upscatterings, recoil above threshold: {out['primakoff_per_day']:.6g}")
    for nature in natures:
        print(f"  radiative coincidences, {nature} N: {out[f'radiative_{nature}_per_day']:.6g}")
    return 0


def _masses(args) -> np.ndarray:
    if args.m_N is not None:
        return np.asarray(args.m_N, dtype=float)
    if args.m_N_min >= args.m_N_max:
        raise _CliError(f"--m-N-min ({args.m_N_min:g} MeV) must be below --m-N-max ({args.m_N_max:g} MeV)")
    return np.geomspace(args.m_N_min, args.m_N_max, args.points)


def _cmd_limit(args) -> int:
    from .sensitivity import limit_curve

    det, flux = _detector_and_flux(args.experiment)
    m = _masses(args)
    exposure = args.exposure if args.exposure is not None else det.mass_kg * det.exposure_days / 365.25
    if not args.output.lower().endswith(".csv"):
        raise _CliError(f"--output must be a .csv file, got {args.output!r}")
    if args.plot is not None and not args.plot.lower().endswith(".png"):
        raise _CliError(f"--plot must be a .png file, got {args.plot!r}")
    kw = dict(mode=args.mode, nature=args.nature, flux=flux, cl=args.cl)
    chunks = np.array_split(m, max(1, math.ceil(m.size / 4)))
    values = []
    from tqdm.auto import tqdm

    with tqdm(total=m.size, desc="limit", unit="mass", disable=not args.progress, leave=False) as bar:
        for chunk in chunks:
            values.append(np.atleast_1d(limit_curve(chunk, det, exposure, **kw)))
            bar.update(chunk.size)
    mu = np.concatenate(values)
    with open(args.output, "w", newline="") as f:
        f.write(
            f"# radcevns {__version__} median expected {args.cl:g} CL upper limit on mu_(nu_e N)\n"
            f"# experiment={det.name} mode={args.mode} nature={args.nature} exposure_kg_yr={exposure:g}\n"
        )
        w = csv.writer(f)
        w.writerow(["m_N_MeV", "mu_limit_bohr"])
        for mi, ui in zip(m, mu, strict=True):
            w.writerow([repr(float(mi)), repr(float(ui))])
    if args.plot:
        _plot_limit(args.plot, m, mu, det.name, args, exposure)
    print(f"wrote {m.size} masses to {args.output}" + (f" and {args.plot}" if args.plot else ""))
    return 0


def _plot_limit(path, m, mu, name, args, exposure):
    from .plotting import book_figure, mass_axis, use_book_style

    use_book_style()
    fig, ax = book_figure()
    ok = np.isfinite(mu)
    ax.loglog(m[ok], mu[ok], "--", label=f"{name}, {args.mode}, {args.nature}, {exposure:g} kg yr")
    ax.set_xlabel(r"$m_N$ [MeV]")
    ax.set_ylabel(r"$\mu_{\nu_e N}$ [$\mu_B$], " + f"{args.cl:g} CL")
    if m[ok].size and m[ok].min() < m[ok].max():
        mass_axis(ax)
        ax.set_xlim(m[ok].min(), m[ok].max())
    ax.legend()
    fig.savefig(path, dpi=150, bbox_inches="tight")
    import matplotlib.pyplot as plt

    plt.close(fig)


def _generate_setup(args):
    """(target, decay_length_cm, recoil_threshold_MeV, flux, label) from the options and --experiment."""
    target, L, thr, flux = args.target, args.decay_length_cm, args.recoil_threshold_MeV, None
    label = "Chooz reactor flux"
    if args.experiment is not None:
        det, flux = _detector_and_flux(args.experiment)
        if target is None:
            names = [c.name for c in det.crystals]
            if len(names) != 1:
                raise _CliError(
                    f"{det.name} has several crystals ({', '.join(names)}): choose one with --target"
                )
            target = det.crystals[0].target
        L = det.decay_length_cm if L is None else L
        thr = det.recoil_threshold_MeV if thr is None else thr
        label = f"{det.name} flux" if flux is not None else label
    target = "CaWO4" if target is None else target
    return target, L, (0.0 if thr is None else thr), flux, label


def _cmd_generate(args) -> int:
    from .io import write_events, write_events_folded

    target, L, thr, flux, label = _generate_setup(args)
    kw = dict(
        process=args.process,
        format=args.format,
        nature=args.nature,
        decay_length_cm=L,
        seed=args.seed,
        unweight=args.unweight,
        batch_size=args.batch_size,
        progress=args.progress,
        recoil_threshold_MeV=thr,
    )
    if args.E_nu is not None:
        s = write_events(args.output, args.n, args.E_nu, args.m_N, target, args.mu, **kw)
        beam = f"E_nu = {args.E_nu:g} MeV"
    else:
        s = write_events_folded(args.output, args.n, args.m_N, target, args.mu, flux=flux, **kw)
        beam = label
    name = getattr(target, "name", target)
    print(f"wrote {s.n_written} {s.process} events ({s.format}) to {s.path}: {beam}, target {name}")
    if args.unweight:
        print(f"  unweighting efficiency {s.efficiency:.4g} ({s.n_written} of {s.n_generated})")
    print(f"  sum of weights {s.total:.6g} +- {s.total_error:.2g} {s.unit}")
    print(f"  cross section {s.cross_section_pb:.6g} +- {s.cross_section_error_pb:.2g} pb per target unit")
    return 0


def _cmd_experiments(args) -> int:
    if args.action == "show":
        if not args.name:
            raise _CliError("experiments show needs a NAME (see radcevns experiments list)")
        info = _describe(_lookup(args.name))
        width = max(len(k) for k in info)
        for key, value in info.items():
            print(f"{key:<{width}}  {value}")
        return 0
    for name in experiment_presets():
        print(name)
    return 0


# --------------------------------------------------------------------------------------------------
# the parser
# --------------------------------------------------------------------------------------------------
def build_parser() -> argparse.ArgumentParser:
    """The argparse parser of the ``radcevns`` command (all subcommands)."""
    p = _Parser(
        prog="radcevns",
        description="Radiative CEvNS through a transition magnetic moment: rates, limits and event files. "
        "Units: MeV, cm, kg yr, s; mu in Bohr magnetons (convention A).",
    )
    p.add_argument("--version", action="version", version=f"radcevns {__version__}")
    sub = p.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    def experiment_arg(q):
        q.add_argument(
            "--experiment",
            default="NUCLEUS-1kg",
            help="experiment preset (see 'radcevns experiments list'; default NUCLEUS-1kg)",
        )

    def nature_arg(q, both=False):
        choices = ("dirac", "majorana", "both") if both else ("dirac", "majorana")
        q.add_argument("--nature", choices=choices, default="dirac", help="nature of N (default dirac)")

    r = sub.add_parser(
        "rate",
        help="Primakoff and radiative-coincidence rates per day",
        description="Events per calendar day at an experiment: Primakoff upscatterings with a recoil "
        "above threshold and radiative coincidences (recoil + photon seen).",
    )
    experiment_arg(r)
    r.add_argument("--m-N", dest="m_N", type=_MEV, required=True, help="sterile-neutrino mass in MeV")
    r.add_argument("--mu", type=_MU_B, required=True, help="transition moment mu_(nu_e N) in Bohr magnetons")
    nature_arg(r, both=True)
    r.add_argument(
        "--decay-length-cm", type=_CM, default=None, help="decay region in cm (default: the experiment's)"
    )
    r.add_argument("--json", action="store_true", help="print one JSON object instead of text")
    r.set_defaults(func=_cmd_rate)

    lim = sub.add_parser(
        "limit",
        help="expected upper limit on mu versus m_N, to CSV (and PNG)",
        description="Median expected upper limit on mu_(nu_e N) in Bohr magnetons versus m_N in MeV; "
        "writes a CSV (m_N_MeV, mu_limit_bohr) and optionally a PNG.",
    )
    experiment_arg(lim)
    lim.add_argument(
        "--exposure",
        type=_KG_YR,
        default=None,
        help="exposure in kg yr (default: the detector mass times one year)",
    )
    lim.add_argument(
        "--mode", choices=("radiative", "primakoff"), default="radiative", help="default radiative"
    )
    nature_arg(lim)
    lim.add_argument("--m-N", dest="m_N", type=_MEV, nargs="+", default=None, help="masses in MeV")
    lim.add_argument("--m-N-min", dest="m_N_min", type=_MEV, default=0.1, help="lowest mass in MeV (0.1)")
    lim.add_argument("--m-N-max", dest="m_N_max", type=_MEV, default=8.0, help="highest mass in MeV (8)")
    lim.add_argument("--points", type=_POINTS, default=16, help="masses, log-spaced (16)")
    lim.add_argument(
        "--cl", type=_number("number", "(fraction)", positive=True), default=0.9, help="CL (0.9)"
    )
    lim.add_argument("-o", "--output", required=True, help="CSV file to write")
    lim.add_argument("--plot", default=None, help="PNG file for a figure of the curve")
    lim.set_defaults(func=_cmd_limit)

    g = sub.add_parser(
        "generate",
        help="events for a detector simulation (HepMC3/NuHepMC, LHE, Parquet)",
        description="Generate events nu A -> (N -> nu gamma) A or nu A -> N A and write them, in batches, "
        "to HepMC3 (NuHepMC; MeV, cm), LHE (GeV, mm) or Parquet (MeV, cm). Weights in pb per target unit "
        "(HepMC3, LHE; they sum to the flux-averaged cross section) or in the unit of the Python API "
        "(Parquet: cm^2 at one energy, s^-1 per target unit for the flux).",
    )
    g.add_argument("-n", type=_COUNT, required=True, help="number of weighted events to generate")
    g.add_argument("--m-N", dest="m_N", type=_MEV, required=True, help="sterile-neutrino mass in MeV")
    g.add_argument("--mu", type=_MU_B, required=True, help="transition moment mu_(nu_e N) in Bohr magnetons")
    g.add_argument(
        "--target",
        default=None,
        help="isotope (W184), element (W) or formula (CaWO4); default CaWO4 or the crystal of --experiment",
    )
    g.add_argument(
        "--experiment",
        default=None,
        help="take the target, decay region (cm), recoil threshold (MeV) and flux from this preset",
    )
    g.add_argument(
        "--E-nu",
        dest="E_nu",
        type=_MEV,
        default=None,
        help="one antineutrino energy in MeV (default: Chooz flux)",
    )
    g.add_argument(
        "--process", choices=("radiative", "primakoff"), default="radiative", help="default radiative"
    )
    nature_arg(g)
    g.add_argument(
        "--decay-length-cm",
        type=_CM,
        default=None,
        help="decay region in cm (default: the experiment's, else every N decays)",
    )
    g.add_argument(
        "--recoil-threshold-MeV",
        dest="recoil_threshold_MeV",
        type=_MEV0,
        default=None,
        help="recoil threshold in MeV (default: the experiment's, else 0)",
    )
    g.add_argument("--seed", type=_SEED, default=0, help="random seed (same seed, same file)")
    g.add_argument(
        "--unweight", action="store_true", help="accept-reject to equal weights (efficiency printed)"
    )
    g.add_argument("--batch-size", type=_COUNT, default=100_000, help="events in memory at once (100000)")
    g.add_argument(
        "--format", choices=("hepmc3", "lhe", "parquet"), default=None, help="default: from the suffix"
    )
    g.add_argument(
        "-o", "--output", required=True, help="file (.hepmc3, .lhe, .parquet; .gz compresses text)"
    )
    g.set_defaults(func=_cmd_generate)

    e = sub.add_parser(
        "experiments", help="list the experiment presets or show one", description="Experiment presets."
    )
    e.add_argument(
        "action", nargs="?", choices=("list", "show"), default="list", help="list (default) or show"
    )
    e.add_argument("name", nargs="?", default=None, help="experiment to show")
    e.set_defaults(func=_cmd_experiments)

    for q in (lim, g):
        q.add_argument("--quiet", dest="progress", action="store_false", help="no progress bar")
        q.set_defaults(progress=True)
    return p


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line with ``argv`` (default ``sys.argv[1:]``); returns the exit status."""
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # --help, --version, usage errors
        return int(exc.code or 0)
    if args.command is None:
        parser.print_help()
        return _EXIT_USAGE
    if getattr(args, "progress", False):
        args.progress = sys.stderr.isatty()
    try:
        return int(args.func(args))
    except (_CliError, ValueError, TypeError, KeyError, OSError) as exc:
        message = exc.args[0] if isinstance(exc, KeyError) and exc.args else exc
        print(f"radcevns {args.command}: error: {message}", file=sys.stderr)
        return _EXIT_USAGE
    except KeyboardInterrupt:
        print(f"radcevns {args.command}: interrupted", file=sys.stderr)
        return 130
    except Exception as exc:  # noqa: BLE001 (one line, never a traceback)
        print(f"radcevns {args.command}: error: {type(exc).__name__}: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
