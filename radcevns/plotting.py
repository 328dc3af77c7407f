"""Plotting and prose helpers shared by the chapters of the book.

* :func:`plot_existing_limits` and :func:`plot_projection` draw the (m_N [MeV], mu [mu_B]) plane in
  the style of the paper: existing limits as grey filled regions with solid edges, each with its own
  hatch pattern and label (:mod:`radcevns.limits`), projections as dashed lines.
* :func:`mass_axis` puts plain tick labels on a logarithmic m_N axis.
* :func:`sci`, :func:`glue_number` and :func:`glue_float` turn numbers into the text glued into the
  prose of the chapters (``myst_nb.glue``).
* One figure style for the whole book: :func:`use_book_style` (sizes that fit the text column, fonts
  legible at 1280 px, the colour-blind-safe Okabe-Ito palette), :func:`book_figure` (a figure of
  the column width), :data:`NATURE_STYLE` and :data:`MODE_STYLE` (Dirac/Majorana and
  Primakoff/radiative told apart by line style as well as colour).

matplotlib and myst_nb are imported inside the functions that need them, so that importing this
module stays cheap.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import ArrayLike

from ._validate import as_array, as_float, as_int
from .limits import DEFAULT_M_RANGE_MEV, DEFAULT_MU_RANGE_BOHR, ExistingLimit, existing_limits

if TYPE_CHECKING:  # pragma: no cover - for type checkers only
    from matplotlib.axes import Axes
    from matplotlib.lines import Line2D

__all__ = [
    "COLUMN_WIDTH_IN",
    "PALETTE",
    "NATURE_STYLE",
    "MODE_STYLE",
    "book_style",
    "use_book_style",
    "book_figure",
    "light_log_ticks",
    "MASS_TICKS_MEV",
    "LIMIT_HATCHES",
    "plot_existing_limits",
    "plot_projection",
    "mass_axis",
    "sci",
    "glue_number",
    "glue_float",
]

#: Default tick positions of :func:`mass_axis`, in MeV.
MASS_TICKS_MEV = (0.1, 0.2, 0.5, 1, 2, 5)

_SUPERSCRIPT = str.maketrans("0123456789-", "⁰¹²³⁴⁵⁶⁷⁸⁹⁻")

# --------------------------------------------------------------------------------------------------
# The book's figure style
# --------------------------------------------------------------------------------------------------
#: Width of a full-column figure in inches: the text column of the book is about 7 in at 100 dpi
#: on a 1280 px screen, so a figure of this width is shown at its natural size (no shrinking).
COLUMN_WIDTH_IN = 7.0
#: The Okabe-Ito palette (M. Okabe and K. Ito, "Color Universal Design", 2008): distinguishable
#: with every common form of colour blindness.
PALETTE = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#F0E442", "#000000")
#: Dirac and Majorana N: different colours *and* line styles.
NATURE_STYLE = {
    "dirac": {"color": PALETTE[0], "linestyle": "-"},
    "majorana": {"color": PALETTE[1], "linestyle": "--"},
}
#: Primakoff (recoil only) and radiative (recoil + photon) searches: different line styles.
MODE_STYLE = {
    "primakoff": {"linestyle": ":", "linewidth": 2.0},
    "radiative": {"linestyle": "-", "linewidth": 1.8},
}


def book_style() -> dict[str, Any]:
    """The matplotlib rcParams of the book's figures (see :func:`use_book_style`).

    Examples
    --------
    >>> from radcevns.plotting import book_style
    >>> book_style()["font.size"]
    11.0
    """
    from cycler import cycler

    return {
        "figure.figsize": (COLUMN_WIDTH_IN, 0.62 * COLUMN_WIDTH_IN),
        "figure.dpi": 100.0,
        "savefig.dpi": 150.0,
        "figure.constrained_layout.use": True,
        "font.size": 11.0,
        "axes.titlesize": 11.0,
        "axes.labelsize": 11.0,
        "xtick.labelsize": 10.0,
        "ytick.labelsize": 10.0,
        "legend.fontsize": 9.5,
        "legend.frameon": False,
        "lines.linewidth": 1.8,
        "axes.grid": True,
        "grid.alpha": 0.3,
        "axes.prop_cycle": cycler(color=list(PALETTE[:6]))
        + cycler(linestyle=["-", "--", "-.", ":", "-", "--"]),
    }


def use_book_style() -> None:
    """Apply :func:`book_style` to matplotlib (call once at the top of a chapter)."""
    import matplotlib as mpl

    mpl.rcParams.update(book_style())


def light_log_ticks(ax: Axes) -> None:
    """Plain-text major tick labels (10⁻⁶ with Unicode superscripts) and no minor ticks on the log axes.

    Mathtext tick labels and minor ticks make up most of the time matplotlib needs to draw a small
    figure with log axes; an explorer that redraws on every slider move uses this to stay fast.
    """
    from matplotlib.ticker import FuncFormatter, NullLocator

    def label(value: float, _pos: int) -> str:
        if value <= 0:
            return ""
        exponent = np.log10(value)
        if abs(exponent - round(exponent)) > 1e-9:
            return f"{value:g}"
        return "10" + str(int(round(exponent))).translate(_SUPERSCRIPT)

    for axis in (ax.xaxis, ax.yaxis):
        if axis.get_scale() == "log":
            axis.set_major_formatter(FuncFormatter(label))
            axis.set_minor_locator(NullLocator())


def book_figure(nrows: int = 1, ncols: int = 1, *, aspect: float = 0.62, **subplots_kw: Any):
    """``plt.subplots`` with the column width and a height of ``aspect`` x width per row of panels.

    Figures never get wider than the text column, so their fonts are shown at their natural size;
    more than two panels side by side are too small to read and should be split into rows.
    """
    import matplotlib.pyplot as plt

    height = aspect * COLUMN_WIDTH_IN * nrows / max(1, ncols) ** 0.5
    return plt.subplots(nrows, ncols, figsize=(COLUMN_WIDTH_IN, height), **subplots_kw)


# --------------------------------------------------------------------------------------------------
# The (m_N, mu) plane
# --------------------------------------------------------------------------------------------------


def _label_position(lim, xlim, ylim):
    hint = lim.label_xy
    if hint is not None and xlim[0] <= hint[0] <= xlim[1] and ylim[0] <= hint[1] <= ylim[1]:
        return hint
    m, mu = lim.m_N_MeV, lim.mu_bohr
    visible = (m >= xlim[0]) & (m <= xlim[1]) & (mu >= ylim[0]) & (mu <= ylim[1])
    if not np.any(visible):
        return None
    i = np.flatnonzero(visible)[np.argmin(mu[visible])]
    return m[i], mu[i] * 1.4


#: Hatch patterns of :func:`plot_existing_limits`, one per limit in catalogue order (cycled).
LIMIT_HATCHES = ("/", "\\", "|", "-", "x", ".", "+", "o", "//", "\\\\")


def plot_existing_limits(
    ax: Axes,
    limits: Sequence[ExistingLimit] | None = None,
    *,
    flavour: str = "e",
    labels: bool = True,
    xlim: tuple[float, float] | None = DEFAULT_M_RANGE_MEV,
    ylim: tuple[float, float] | None = DEFAULT_MU_RANGE_BOHR,
    facecolor: Any = "0.86",
    astro_facecolor: Any = "0.94",
    edgecolor: Any = "0.25",
    linewidth: float = 1.0,
    fontsize: float = 8,
    hatches: Sequence[str] | None = LIMIT_HATCHES,
    hatch_alpha: float = 0.3,
    legend_labels: bool = False,
    **style: Any,
) -> list[ExistingLimit]:
    """Draw existing limits as light-grey regions with solid edges, each with its own hatch and label.

    Laboratory limits are filled with ``facecolor``, astrophysical and cosmological ones (which rest
    on stellar or cosmological modelling) with the lighter ``astro_facecolor`` underneath, so that the
    region excluded only by astrophysics or cosmology stays distinguishable. On top of the fill every
    limit gets its own hatch pattern (``hatches``, cycled in catalogue order), so that overlapping
    regions stay distinct without colour, and its ``label`` is written next to it. Every edge is a
    solid line (paper style: limits solid, projections dashed with :func:`plot_projection`).

    Parameters
    ----------
    ax : matplotlib.axes.Axes
        Axes to draw on; set to log-log with m_N [MeV] on x and mu [mu_B] on y.
    limits : sequence of ExistingLimit, optional
        Default: ``radcevns.limits.existing_limits(flavour)``.
    flavour : {"e", "mu", "tau"}
        Used when ``limits`` is None.
    labels : bool
        Write each limit's ``label`` next to it (at its ``label_xy`` if that is inside the axes).
    xlim, ylim : (float, float) or None
        Axis ranges in MeV and mu_B (default 0.01-10 MeV and 1e-12-1e-5 mu_B); None leaves the axis
        range alone.
    facecolor, astro_facecolor, edgecolor, linewidth, fontsize
        Style of fills, edges (line width in points) and labels (font size in points). Further keyword
        arguments go to the edge lines.
    hatches : sequence of str or None
        Hatch patterns, one per limit (cycled); None or empty draws plain fills (the older style).
    hatch_alpha : float
        Opacity of the hatch lines (0-1), drawn in ``edgecolor``.
    legend_labels : bool
        Give each hatched region a legend label (its ``label``, or its name when the label is empty),
        so that ``ax.legend()`` lists the limits; default False (the text labels name them).

    Returns
    -------
    list of ExistingLimit
        The limits drawn.

    Examples
    --------
    >>> from matplotlib.figure import Figure
    >>> ax = Figure().add_subplot()
    >>> drawn = plot_existing_limits(ax, labels=False)
    >>> ax.get_xscale(), ax.get_yscale()
    ('log', 'log')
    """
    from matplotlib.colors import to_rgba

    if not 0.0 <= hatch_alpha <= 1.0:
        raise ValueError(f"hatch_alpha must be in [0, 1], got {hatch_alpha}")
    if limits is None:
        limits = existing_limits(flavour)
    limits = list(limits)
    hatch_of = {}
    if hatches:
        hatch_of = {id(lim): hatches[i % len(hatches)] for i, lim in enumerate(limits)}
    ax.set_xscale("log")
    ax.set_yscale("log")
    if xlim is not None:
        ax.set_xlim(*xlim)
    if ylim is not None:
        ax.set_ylim(*ylim)
    x_range = ax.get_xlim()
    y_range = ax.get_ylim()
    top = 10.0 * max(y_range[1], 1.0)
    ordered = [lim for lim in limits if lim.category != "laboratory"] + [
        lim for lim in limits if lim.category == "laboratory"
    ]
    outline = {}
    for lim in ordered:
        m, mu = lim.m_N_MeV, lim.mu_bohr
        if lim.kind == "upper":
            px = np.concatenate([[m[0]], m, [m[-1]]])
            py = np.concatenate([[top], mu, [top]])
        else:
            px, py = m, mu
        outline[id(lim)] = (px, py)
        face = facecolor if lim.category == "laboratory" else astro_facecolor
        ax.fill(px, py, facecolor=face, edgecolor="none", zorder=1)
    hatch_colour = to_rgba(edgecolor, hatch_alpha)
    for lim in ordered:
        hatch = hatch_of.get(id(lim))
        if hatch is None:
            continue
        px, py = outline[id(lim)]
        name = (lim.label or lim.name) if legend_labels else "_nolegend_"
        ax.fill(
            px,
            py,
            facecolor="none",
            edgecolor=hatch_colour,
            linewidth=0.0,
            hatch=hatch,
            zorder=1.2,
            label=name,
        )
    for lim in limits:
        line_style = dict(color=edgecolor, linewidth=linewidth, linestyle="-", zorder=2)
        line_style.update(style)
        if lim.kind == "upper":
            ax.plot(lim.m_N_MeV, lim.mu_bohr, **line_style)
        else:
            ax.plot(
                np.append(lim.m_N_MeV, lim.m_N_MeV[0]), np.append(lim.mu_bohr, lim.mu_bohr[0]), **line_style
            )
    if labels:
        for lim in limits:
            if not lim.label:
                continue
            pos = _label_position(lim, x_range, y_range)
            if pos is not None:
                ax.text(
                    pos[0],
                    pos[1],
                    lim.label,
                    fontsize=fontsize,
                    color="0.1",
                    zorder=3,
                    bbox=dict(boxstyle="round,pad=0.15", facecolor="white", edgecolor="none", alpha=0.75),
                )
    ax.set_xlim(*x_range)
    ax.set_ylim(*y_range)
    if not ax.get_xlabel():
        ax.set_xlabel(r"$m_N$ [MeV]")
    if not ax.get_ylabel():
        ax.set_ylabel(r"$\mu_{\nu N}$ [$\mu_B$]")
    return limits


def plot_projection(
    ax: Axes, m_N: ArrayLike, mu: ArrayLike, label: str | None = None, **style: Any
) -> Line2D:
    """Draw a projected sensitivity as a dashed line (paper style: projections dashed, limits solid).

    Parameters
    ----------
    ax : matplotlib.axes.Axes
        Axes to draw on.
    m_N : array_like
        Masses in MeV (> 0).
    mu : array_like
        Moments in mu_B (> 0; ``np.inf`` allowed where there is no sensitivity, not drawn), same shape
        as ``m_N``.
    label : str, optional
        Legend label.
    **style
        Passed to ``ax.plot``; ``linestyle`` defaults to ``"--"``.

    Returns
    -------
    matplotlib.lines.Line2D
        The line drawn.

    Examples
    --------
    >>> from matplotlib.figure import Figure
    >>> ax = Figure().add_subplot()
    >>> plot_projection(ax, [0.1, 1.0, 10.0], [1e-9, 3e-10, np.inf]).get_linestyle()
    '--'
    """
    m = as_array(m_N, "m_N", positive=True)
    y = as_array(mu, "mu", positive=True, finite=False)
    if m.shape != y.shape:
        raise ValueError("m_N and mu must have the same shape")
    style.setdefault("linestyle", "--")
    (line,) = ax.plot(m, np.where(np.isfinite(y), y, np.nan), label=label, **style)
    return line


def mass_axis(ax: Axes, ticks: Sequence[float] = MASS_TICKS_MEV) -> None:
    """Put plain tick labels (``0.1``, ``0.2``, ..., ``5``) on a logarithmic m_N axis.

    Parameters
    ----------
    ax : matplotlib.axes.Axes
        Axes whose x axis is the sterile-neutrino mass in MeV (log scale).
    ticks : sequence of float
        Major tick positions in MeV (default :data:`MASS_TICKS_MEV`); minor ticks keep no label.

    Examples
    --------
    >>> from matplotlib.figure import Figure
    >>> ax = Figure().add_subplot(xscale="log")
    >>> mass_axis(ax)
    >>> [t.get_text() for t in ax.get_xticklabels()]
    ['0.1', '0.2', '0.5', '1', '2', '5']
    """
    from matplotlib.ticker import NullFormatter

    ticks = list(ticks)
    ax.set_xticks(ticks, [f"{t:g}" for t in ticks])
    ax.xaxis.set_minor_formatter(NullFormatter())


# --------------------------------------------------------------------------------------------------
# Numbers in the prose
# --------------------------------------------------------------------------------------------------


def sci(
    x: float,
    digits: int = 3,
    *,
    plain_range: tuple[float, float] = (1e-3, 1e4),
    round_plain: bool = False,
) -> str:
    """Format a number for the prose as plain text, e.g. ``'1.26 × 10⁷'``.

    Numbers with ``plain_range[0] <= |x| < plain_range[1]`` (and 0) are written without exponent, the
    others as a mantissa with ``digits`` significant digits times a power of ten with a Unicode
    superscript exponent.

    Parameters
    ----------
    x : float
        The number (any unit; the unit is written in the prose).
    digits : int
        Significant digits (>= 1).
    plain_range : (float, float)
        Range of ``|x|`` written without exponent, lower bound included.
    round_plain : bool
        How numbers in ``plain_range`` are written. False (default): ``digits`` significant digits,
        but an integer part longer than ``digits`` is written in full (``1234.6 -> '1235'``). True:
        always rounded to ``digits`` significant digits (``1234.6 -> '1230'`` for ``digits=3``).

    Returns
    -------
    str
        The formatted number.

    Examples
    --------
    >>> sci(1.26e7)
    '1.26 × 10⁷'
    >>> sci(-4.2e-12, 2)
    '-4.2 × 10⁻¹²'
    >>> sci(0.5), sci(1234.6), sci(0.0)
    ('0.5', '1235', '0')
    >>> sci(1234.6, plain_range=(1e-3, 1e5), round_plain=True)
    '1230'
    >>> sci(0.004, plain_range=(1e-2, 1e4))
    '4.00 × 10⁻³'
    """
    digits = as_int(digits, "digits", minimum=1, maximum=17)
    x = as_float(x, "x", finite=False)
    if not np.isfinite(x):
        return str(x).replace("inf", "∞")
    if x == 0 or plain_range[0] <= abs(x) < plain_range[1]:
        if round_plain:
            return f"{float(f'{x:.{digits}g}'):g}"
        text = f"{x:.{digits}g}"
        return f"{x:.0f}" if "e" in text else text
    mantissa, exponent = f"{x:.{digits - 1}e}".split("e")
    return f"{mantissa} × 10{str(int(exponent)).translate(_SUPERSCRIPT)}"


def glue_number(name: str, value: float, digits: int | None = None, **sci_options: Any) -> None:
    """Glue a number for the prose with ``myst_nb.glue`` (not displayed).

    Parameters
    ----------
    name : str
        Glue name, unique in the book (prefix it with the chapter, e.g. ``"ch02_"``).
    value : float
        The number (a NumPy scalar is converted to a Python float).
    digits : int, optional
        None (default): glue the float, to be formatted in the text (``{glue:text}`name:.3g```).
        An int: glue the ready string ``sci(value, digits, **sci_options)``.
    **sci_options
        ``plain_range`` and ``round_plain`` of :func:`sci`.

    Examples
    --------
    Outside a notebook the glued value is not shown anywhere:

    >>> glue_number("ch00_example", 1.26e7, digits=3)
    >>> glue_number("ch00_example_float", np.float64(0.25))
    """
    from myst_nb import glue

    glue(name, float(value) if digits is None else sci(float(value), digits, **sci_options), display=False)


def glue_float(name: str, value: float) -> None:
    """Glue a number for the prose as a plain Python float (NumPy scalars do not format in the book).

    Same as ``glue_number(name, value)``.

    Parameters
    ----------
    name : str
        Glue name, unique in the book.
    value : float
        The number, formatted in the text, e.g. ``{glue:text}`name:.2g```.

    Examples
    --------
    >>> glue_float("ch00_example_ratio", np.float64(1.5))
    """
    glue_number(name, value)
