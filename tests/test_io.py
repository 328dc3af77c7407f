"""Tests of the event files (radcevns.io) and of the new generators in radcevns.radiative.

Every format is read back with an independent reader (pyhepmc for HepMC3, pylhe for LHE, pyarrow
for Parquet) and checked for four-momentum conservation at each vertex, the PDG numbers, the
decay vertex and the sum of the weights against the Python API.  The 2->2 Primakoff generator is
checked against the quadrature cross section and rate; the decay positions against the
exponential law (mean flight = lab decay length, analytic mean of the truncated exponential).
"""

import numpy as np
import pyhepmc
import pylhe
import pytest

from radcevns import decay, detector, flux, io, primakoff, radiative, rates

E_NU, M_N, TARGET, MU = 5.0, 1.0, "CaWO4", 3e-8
L_CM = 5.0
KW = dict(decay_length_cm=L_CM, seed=3, batch_size=400)
N = 1000

NUHEPMC_RUN_ATTRIBUTES = [
    "NuHepMC.Version.Major",
    "NuHepMC.Version.Minor",
    "NuHepMC.Version.Patch",
    "NuHepMC.Conventions",
    "NuHepMC.FluxAveragedTotalCrossSection",
    "NuHepMC.Units.CrossSection.Unit",
    "NuHepMC.Units.CrossSection.TargetScale",
    "NuHepMC.ProcessIDs",
    "NuHepMC.ProcessInfo[151].Name",
    "NuHepMC.ProcessInfo[151].Description",
    "NuHepMC.VertexStatusIDs",
    "NuHepMC.VertexStatusInfo[30].Name",
    "NuHepMC.VertexStatusInfo[30].Description",
    "NuHepMC.ParticleStatusIDs",
    "NuHepMC.ParticleStatusInfo[20].Name",
    "NuHepMC.ParticleStatusInfo[20].Description",
    "NuHepMC.AdditionalParticleNumbers",
    f"NuHepMC.AdditionalParticleNumber[{-io.N_PDG}].Name",
]


def _attr(attrs, name, kind=str):
    a = attrs[name]
    return a.astype(kind) if hasattr(a, "astype") else a


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    d = tmp_path_factory.mktemp("events")
    out = {}
    for fmt, suffix in (("hepmc3", "hepmc3"), ("lhe", "lhe"), ("parquet", "parquet")):
        path = d / f"ev.{suffix}"
        out[fmt] = (path, io.write_events(path, N, E_NU, M_N, TARGET, MU, **KW))
    return out


@pytest.fixture(scope="module")
def api_events():
    return radiative.generate(N, E_NU, M_N, TARGET, MU, **KW)


# ---------------------------------------------------------------- generators in radiative


def test_primakoff_generator_weights_sum_to_sigma():
    ev = radiative.generate_primakoff(200_000, E_NU, M_N, "W184", MU, seed=5)
    assert np.all(ev["p_gamma"] == 0) and np.all(ev["p_nu"] == 0)
    w = ev["weight"]
    err = np.sqrt(np.sum(w**2) - w.sum() ** 2 / w.size)
    expected = primakoff.sigma(E_NU, M_N, "W184", MU)
    assert abs(w.sum() - expected) < 4 * err + 1e-3 * expected
    assert err < 0.01 * expected


def test_primakoff_generator_folded_weights_sum_to_rate():
    ev = radiative.generate_primakoff_folded(200_000, 2.0, TARGET, MU, seed=6, recoil_threshold_MeV=20e-6)
    per_kg_day = ev["weight"].sum() * detector.units_per_kg(TARGET) * 86400.0
    expected = rates.primakoff_rate(2.0, TARGET, MU, E_R_min=20e-6)
    assert per_kg_day == pytest.approx(expected, rel=0.02)


def test_primakoff_generator_conserves_momentum_and_sets_the_n_on_shell():
    ev = radiative.generate_primakoff(1000, E_NU, M_N, "W184", MU, seed=1)
    p = ev["p_N"]
    assert np.allclose(p[:, 0] ** 2 - np.sum(p[:, 1:] ** 2, axis=1), M_N**2, rtol=1e-9)


def test_decay_positions_follow_the_exponential_law():
    ev = radiative.generate(20_000, E_NU, M_N, "W184", 1e-6, seed=2)
    pos = radiative.decay_positions(ev, M_N, 1e-6, seed=4)
    d = np.linalg.norm(pos[:, 1:], axis=1)
    lam = decay.mean_decay_length(ev["p_N"][:, 0], M_N, 1e-6)
    # d / lambda is a unit exponential: mean 1, variance 1
    x = d / lam
    assert x.mean() == pytest.approx(1.0, abs=4 / np.sqrt(x.size))
    # along p_N, c t = d / beta
    p = ev["p_N"]
    unit = p[:, 1:] / np.linalg.norm(p[:, 1:], axis=1)[:, None]
    assert np.allclose(pos[:, 1:], d[:, None] * unit, rtol=1e-12, atol=1e-300)
    beta = np.linalg.norm(p[:, 1:], axis=1) / p[:, 0]
    assert np.allclose(pos[:, 0], d / beta)


def test_decay_positions_truncated_to_the_decay_region():
    mu = 2e-6
    ev = radiative.generate(20_000, E_NU, M_N, "W184", mu, decay_length_cm=L_CM, seed=2)
    pos = radiative.decay_positions(ev, M_N, mu, decay_length_cm=L_CM, seed=4)
    d = np.linalg.norm(pos[:, 1:], axis=1)
    assert d.max() <= L_CM
    lam = decay.mean_decay_length(ev["p_N"][:, 0], M_N, mu)
    # analytic mean of the exponential truncated to [0, L]: lam - L / (exp(L / lam) - 1)
    mean = lam - L_CM / np.expm1(L_CM / lam)
    var = lam**2 - L_CM**2 * np.exp(L_CM / lam) / np.expm1(L_CM / lam) ** 2
    assert np.sum(d - mean) == pytest.approx(0.0, abs=4 * np.sqrt(np.sum(var)))
    # reproducible
    again = radiative.decay_positions(ev, M_N, mu, decay_length_cm=L_CM, seed=4)
    assert np.array_equal(pos, again)


def test_decay_positions_reject_other_arrays():
    with pytest.raises(TypeError, match="EVENT_DTYPE"):
        radiative.decay_positions(np.zeros(3), M_N, MU)


# ---------------------------------------------------------------- Parquet


def test_parquet_round_trip(files, api_events):
    path, summary = files["parquet"]
    cols, meta = io.read_columns(path)
    assert set(io.COLUMNS) <= set(cols)
    assert summary.n_written == N == cols["event"].size
    assert np.array_equal(cols["weight"], api_events["weight"])
    assert np.array_equal(cols["N_E"], api_events["p_N"][:, 0])
    assert np.array_equal(cols["gamma_pz"], api_events["p_gamma"][:, 3])
    assert cols["weight"].sum() == pytest.approx(api_events["weight"].sum(), rel=1e-12)
    assert meta["weight_unit"] == "cm^2" and meta["version"]
    d = np.sqrt(cols["decay_x"] ** 2 + cols["decay_y"] ** 2 + cols["decay_z"] ** 2)
    assert d.max() <= L_CM
    assert set(np.unique(cols["nu_pdg"])) == {-12}
    assert set(np.unique(cols["N_pdg"])) == {-io.N_PDG}
    nuclei = {io.nucleus_pdg(20, 40), io.nucleus_pdg(74, 184), io.nucleus_pdg(8, 16)}
    assert nuclei <= set(np.unique(cols["nucleus_pdg"]))


def test_nucleus_pdg_numbers():
    assert io.nucleus_pdg(74, 184) == 1000741840
    assert io.nucleus_pdg(1, 1) == 1000010010
    with pytest.raises(ValueError, match="Z"):
        io.nucleus_pdg(0, 1)


# ---------------------------------------------------------------- HepMC3 (NuHepMC)


def _read_hepmc(path):
    with pyhepmc.open(str(path)) as f:
        events = [ev for ev in f]
    return events


def test_hepmc3_has_every_nuhepmc_run_attribute(files):
    path, summary = files["hepmc3"]
    events = _read_hepmc(path)
    ri = events[0].run_info
    assert ri is not None
    assert [t.name for t in ri.tools] == ["radcevns"] and ri.tools[0].version
    assert list(ri.weight_names) == ["CV"]
    attrs = ri.attributes
    missing = [a for a in NUHEPMC_RUN_ATTRIBUTES if a not in attrs]
    assert not missing, missing
    assert _attr(attrs, "NuHepMC.Version.Major", int) == 1
    assert _attr(attrs, "NuHepMC.Units.CrossSection.Unit") == "pb"
    assert _attr(attrs, "NuHepMC.Units.CrossSection.TargetScale") == "PerMolecule"
    assert "G.C.2" in _attr(attrs, "NuHepMC.Conventions").split()
    fatx = _attr(attrs, "NuHepMC.FluxAveragedTotalCrossSection", float)
    assert fatx == pytest.approx(summary.cross_section_pb, rel=1e-12)
    assert str(io.N_PDG) in _attr(attrs, "NuHepMC.AdditionalParticleNumbers").split()


def test_hepmc3_events_round_trip(files, api_events, tmp_path):
    path, summary = files["hepmc3"]
    events = _read_hepmc(path)
    assert len(events) == N
    cols, _ = io.read_columns(files["parquet"][0])
    cv = []
    for i, ev in enumerate(events):
        assert ev.event_number == i
        assert ev.momentum_unit == pyhepmc.Units.MEV and ev.length_unit == pyhepmc.Units.CM
        assert int(ev.attributes["signal_process_id"].astype(int)) == io.PROCESS_IDS["radiative"]
        assert "lab_pos" in ev.attributes
        cv.append(ev.weight("CV"))
        statuses = sorted(v.status for v in ev.vertices)
        assert statuses == [1, 30]
        pids = sorted(p.pid for p in ev.particles)
        assert 22 in pids and -12 in pids and -io.N_PDG in pids
        beam = [p for p in ev.particles if p.status == 4]
        target = [p for p in ev.particles if p.status == 20]
        assert len(beam) == 1 and len(target) == 1 and beam[0].pid == -12
        assert target[0].pid == cols["nucleus_pdg"][i]
        for v in ev.vertices:
            pin = sum((np.array(p.momentum) for p in v.particles_in), np.zeros(4))
            pout = sum((np.array(p.momentum) for p in v.particles_out), np.zeros(4))
            assert np.allclose(pin, pout, rtol=1e-13, atol=1e-9)
            for p in v.particles_out:
                m2 = p.momentum.m2()
                assert m2 == pytest.approx(p.generated_mass**2, rel=1e-9, abs=1e-6)
        dv = next(v for v in ev.vertices if v.status == 30)
        pos = dv.position
        assert [pos.x, pos.y, pos.z, pos.t] == pytest.approx(
            [cols["decay_x"][i], cols["decay_y"][i], cols["decay_z"][i], cols["decay_ct"][i]], rel=1e-15
        )
    cv = np.array(cv)
    assert cv.sum() == pytest.approx(summary.cross_section_pb, rel=1e-12)
    assert cv.sum() * 1e-36 == pytest.approx(api_events["weight"].sum(), rel=1e-12)


def test_hepmc3_folded_unweighted_weights_give_the_rate(tmp_path):
    path = tmp_path / "f.hepmc3.gz"
    kw = dict(decay_length_cm=L_CM, seed=7, batch_size=500)
    s = io.write_events_folded(path, 3000, 2.0, TARGET, MU, unweight=True, **kw)
    api = radiative.generate_folded(3000, 2.0, TARGET, MU, **kw)
    events = _read_hepmc(path)
    assert len(events) == s.n_written and 0 < s.efficiency < 1
    assert s.efficiency == s.n_written / 3000
    w = np.array([ev.weight("CV") for ev in events])
    assert np.allclose(w, w[0])
    rate = w.sum() * 1e-36 * s.flux_total
    assert rate == pytest.approx(api["weight"].sum(), rel=1e-12)
    assert s.flux_total == pytest.approx(flux.chooz().total())
    # accept-reject keeps sum(w) / max(w) events on average
    expected = api["weight"].sum() / api["weight"].max()
    assert s.n_written == pytest.approx(expected, abs=5 * np.sqrt(expected))


def test_hepmc3_primakoff_events(tmp_path):
    path = tmp_path / "p.hepmc3"
    s = io.write_events(path, 500, E_NU, M_N, "W184", MU, process="primakoff", seed=1)
    events = _read_hepmc(path)
    assert len(events) == 500
    ev = events[0]
    assert len(ev.vertices) == 1 and len(ev.particles) == 4
    assert int(ev.attributes["signal_process_id"].astype(int)) == io.PROCESS_IDS["primakoff"]
    assert sorted(p.status for p in ev.particles) == [1, 1, 4, 20]
    api = radiative.generate_primakoff(500, E_NU, M_N, "W184", MU, seed=1, batch_size=100_000)
    assert s.total == pytest.approx(api["weight"].sum(), rel=1e-12)


# ---------------------------------------------------------------- LHE


def test_lhe_round_trip(files, api_events):
    path, summary = files["lhe"]
    lhe = pylhe.LHEFile.fromfile(str(path))
    init = lhe.init
    assert init.initInfo.beamA == -12
    proc = init.procInfo[0]
    assert proc.procId == io.PROCESS_IDS["radiative"]
    assert proc.xSection == pytest.approx(summary.cross_section_pb, rel=1e-12)
    cols, _ = io.read_columns(files["parquet"][0])
    weights = []
    for i, ev in enumerate(lhe.events):
        weights.append(ev.eventinfo.weight)
        ps = ev.particles
        assert [p.id for p in ps][0] == -12 and ps[1].id == cols["nucleus_pdg"][i]
        assert [p.id for p in ps][2:] == [cols["nucleus_pdg"][i], -io.N_PDG, 22, -12]
        four = lambda p: np.array([p.e, p.px, p.py, p.pz])  # noqa: E731
        incoming = four(ps[0]) + four(ps[1])
        assert np.allclose(incoming, four(ps[2]) + four(ps[3]), rtol=1e-13, atol=1e-12)
        assert np.allclose(four(ps[3]), four(ps[4]) + four(ps[5]), rtol=1e-12, atol=1e-15)
        # the decay point from the proper flight c tau (mm) of N: d = c tau p / m along p_N
        N_ = ps[3]
        p = np.array([N_.px, N_.py, N_.pz])
        x_cm = 0.1 * N_.lifetime * p / N_.m
        assert x_cm == pytest.approx(
            [cols["decay_x"][i], cols["decay_y"][i], cols["decay_z"][i]], rel=1e-9, abs=1e-300
        )
        assert ps[4].mother1 == 4 and ps[5].mother1 == 4
    weights = np.array(weights)
    assert len(weights) == N
    assert weights.sum() * 1e-36 == pytest.approx(api_events["weight"].sum(), rel=1e-12)


# ---------------------------------------------------------------- input checks and streaming


def test_bad_inputs_name_the_parameter(tmp_path):
    with pytest.raises(ValueError, match="format"):
        io.write_events(tmp_path / "x.txt", 10, E_NU, M_N, TARGET, MU)
    with pytest.raises(ValueError, match="format"):
        io.write_events(tmp_path / "x.hepmc3", 10, E_NU, M_N, TARGET, MU, format="root")
    with pytest.raises(ValueError, match="process"):
        io.write_events(tmp_path / "x.hepmc3", 10, E_NU, M_N, TARGET, MU, process="dis")
    with pytest.raises(ValueError, match="m_N"):
        io.write_events(tmp_path / "x.hepmc3", 10, E_NU, -1.0, TARGET, MU)
    with pytest.raises(ValueError, match="n must"):
        io.write_events(tmp_path / "x.hepmc3", 0, E_NU, M_N, TARGET, MU)
    with pytest.raises(ValueError, match="directory"):
        io.write_events(tmp_path / "nope" / "x.hepmc3", 10, E_NU, M_N, TARGET, MU)
    with pytest.raises(TypeError, match="flux"):
        io.write_events_folded(tmp_path / "x.lhe", 10, M_N, TARGET, MU, flux="chooz")
    assert not (tmp_path / "x.hepmc3").exists()


def test_same_seed_same_file_and_batches_stream(tmp_path):
    a, b = tmp_path / "a.lhe", tmp_path / "b.lhe"
    io.write_events(a, 300, E_NU, M_N, TARGET, MU, seed=9, batch_size=50)
    io.write_events(b, 300, E_NU, M_N, TARGET, MU, seed=9, batch_size=50)
    assert a.read_bytes() == b.read_bytes()
    assert a.read_text().count("<event>") == 300


def test_parquet_unweighted_and_lhe_primakoff(tmp_path):
    kw = dict(seed=11, batch_size=700)
    s = io.write_events(tmp_path / "u.parquet", 3000, E_NU, M_N, TARGET, MU, unweight=True, **kw)
    cols, meta = io.read_columns(tmp_path / "u.parquet")
    api = radiative.generate(3000, E_NU, M_N, TARGET, MU, **kw)
    assert cols["event"].size == s.n_written and meta["unweighted"]
    assert np.allclose(cols["weight"], cols["weight"][0])
    assert cols["weight"].sum() == pytest.approx(api["weight"].sum(), rel=1e-12)
    assert s.efficiency == pytest.approx(s.n_written / 3000)
    s = io.write_events(tmp_path / "p.lhe", 400, E_NU, M_N, "W184", MU, process="primakoff", seed=2)
    lhe = pylhe.LHEFile.fromfile(str(tmp_path / "p.lhe"))
    assert lhe.init.procInfo[0].procId == io.PROCESS_IDS["primakoff"]
    n = 0
    for ev in lhe.events:
        n += 1
        assert [p.status for p in ev.particles] == [-1, -1, 1, 1]
        assert ev.particles[3].id == -io.N_PDG and ev.particles[2].id == io.nucleus_pdg(74, 184)
    assert n == 400
