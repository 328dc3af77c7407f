"""Photon acceptance of a detector, tabulated once on one photon-energy grid.

The radiative coincidences need, at every recoil node, the integral of the photon-energy
distribution of the N decay against the detector's photon acceptance ``A(E_gamma)`` (efficiency
times the probability that the *measured* energy falls in the photon window,
:meth:`radcevns.detector.Detector.photon_acceptance`). In the lab the photon spectrum of a decay
N -> nu gamma at fixed N momentum is a box on ``[a (E_N - p_N), a (E_N + p_N)]``, ``a = E*/m_N``,
linear in ``E_gamma`` (flat for a Majorana N, tilted by the polarisation for a Dirac N), so the
integral needs only

.. math::
    I_0 = \\int_{\\rm box} A(E)\\, dE, \\qquad I_1 = \\int_{\\rm box} E\\, A(E)\\, dE .

:class:`PhotonAcceptance` holds ``A`` at both ends of every cell of one log-spaced grid
(:func:`photon_grid`, :data:`N_CELLS` cells from :data:`E_CELL_MIN` up to the largest photon
energy, plus nodes at the window edges and wherever the caller needs them), linear inside each
cell (kept as its left value and slope), and the cumulative integrals ``C0 = int_0 A dE`` and
``C1 = int_0 E A dE`` at the cell edges;
:func:`box_kernel` then returns ``I_0`` and ``I_1 - a E_N I_0`` with two table look-ups. Every
module that integrates against the photon acceptance (:mod:`radcevns.coincidences`,
:mod:`radcevns.sensitivity`, :mod:`radcevns.discrimination`) uses this one grid.

Units: MeV.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numba import njit

from ._validate import MAX_ENERGY_MEV, as_float
from .detector import Detector

__all__ = [
    "N_CELLS",
    "E_CELL_MIN",
    "PhotonAcceptance",
    "photon_grid",
    "cell_index_kernel",
    "cumulative_kernel",
    "box_kernel",
]

#: Cells of the photon-energy grid (log spaced).
N_CELLS = 3000
#: Lowest photon energy resolved by the grid (MeV); lower photons fall into the first cell [0, E_CELL_MIN].
E_CELL_MIN = 1e-8


def photon_grid(detector: Detector, top_MeV: float, nodes=()) -> np.ndarray:
    """Cell edges in MeV: 0, :data:`N_CELLS` log-spaced edges up to ``top_MeV``, the photon-window
    edges of ``detector`` and the extra ``nodes`` (kept where they lie inside ``(0, top_MeV)``)."""
    top = as_float(top_MeV, "top_MeV", minimum=2.0 * E_CELL_MIN, maximum=MAX_ENERGY_MEV)
    lo, hi = detector.photon_window_MeV
    edges = [0.0, *np.geomspace(E_CELL_MIN, top, N_CELLS)]
    edges += [x for x in (lo, hi, *nodes) if 0.0 < x < top]
    return np.ascontiguousarray(np.unique(np.array(edges, dtype=np.float64)))


@dataclass(frozen=True)
class PhotonAcceptance:
    """Acceptance tables on a photon-energy grid (see the module docstring).

    Attributes
    ----------
    edges : ndarray
        Cell edges in MeV.
    AL, AR : ndarray
        Acceptance at the left and right end of every cell (one-sided, so a sharp window edge at a
        node stays sharp).
    C0, C1 : ndarray
        ``int_0^x A dE`` and ``int_0^x E A dE`` (MeV, MeV^2) at every edge, ``A`` linear in each cell.
    slope : ndarray
        ``(AR - AL) / (cell width)`` in MeV^-1: the kernels use it instead of ``AR`` (no division per
        look-up).
    """

    edges: np.ndarray
    AL: np.ndarray
    AR: np.ndarray
    C0: np.ndarray
    C1: np.ndarray
    slope: np.ndarray

    @classmethod
    def of_detector(cls, detector: Detector, top_MeV: float, nodes=()) -> PhotonAcceptance:
        """Tables of ``detector.photon_acceptance`` on :func:`photon_grid` ``(detector, top_MeV, nodes)``."""
        edges = photon_grid(detector, top_MeV, nodes)
        x0, x1 = edges[:-1], edges[1:]
        AL = np.asarray(detector.photon_acceptance(np.nextafter(x0, x1)), dtype=np.float64)
        AR = np.asarray(detector.photon_acceptance(np.nextafter(x1, x0)), dtype=np.float64)
        h = x1 - x0
        slope = (AR - AL) / h
        cell0 = 0.5 * (AL + AR) * h
        cell1 = x0 * AL * h + 0.5 * (AL + x0 * slope) * h * h + slope * h**3 / 3.0
        C0 = np.concatenate([[0.0], np.cumsum(cell0)])
        C1 = np.concatenate([[0.0], np.cumsum(cell1)])
        slope = np.ascontiguousarray((AR - AL) / h)
        return cls(edges, np.ascontiguousarray(AL), np.ascontiguousarray(AR), C0, C1, slope)

    def tables(self) -> tuple[np.ndarray, ...]:
        """``(edges, AL, slope, C0, C1)``, the table arguments of the kernels of this module."""
        return self.edges, self.AL, self.slope, self.C0, self.C1


@njit(cache=True, nogil=True, error_model="numpy")
def cell_index_kernel(edges, x):
    """Index of the cell of ``edges`` that holds ``x`` (clamped to the first and last cell)."""
    n = edges.shape[0] - 1
    i = np.searchsorted(edges, x, side="right") - 1
    if i < 0:
        i = 0
    if i > n - 1:
        i = n - 1
    return i


@njit(cache=True, nogil=True, error_model="numpy")
def cumulative_kernel(edges, AL, slope, C0, C1, x):
    """(int_0^x A dE, int_0^x E A dE) for an acceptance ``AL + slope (E - edge)`` in each cell (clamped)."""
    n = edges.shape[0] - 1
    if x >= edges[n]:
        return C0[n], C1[n]
    if x <= edges[0]:
        return 0.0, 0.0
    i = np.searchsorted(edges, x, side="right") - 1  # edges[0] < x < edges[n]: a cell of the grid
    x0 = edges[i]
    t = x - x0
    a0 = AL[i]
    s = slope[i]
    return C0[i] + a0 * t + 0.5 * s * t * t, C1[i] + x0 * a0 * t + 0.5 * (
        a0 + x0 * s
    ) * t * t + s * t * t * t / 3.0


@njit(cache=True, nogil=True, error_model="numpy")
def box_kernel(edges, AL, slope, C0, C1, a, m, E_N, p):
    """``(I0, I1 - a E_N I0)`` over the photon box ``[a m^2 / (E_N + p), a (E_N + p)]`` (MeV).

    ``a = E*/m_N``, ``E_N`` and ``p`` the energy and momentum of N; the lower edge is
    ``a (E_N - p)`` written without cancellation.
    """
    elo = a * m * m / (E_N + p)
    ehi = a * (E_N + p)
    c0a, c1a = cumulative_kernel(edges, AL, slope, C0, C1, elo)
    c0b, c1b = cumulative_kernel(edges, AL, slope, C0, C1, ehi)
    I0 = c0b - c0a
    return I0, (c1b - c1a) - a * E_N * I0
