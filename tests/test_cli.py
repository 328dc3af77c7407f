"""Tests of the ``radcevns`` command line (radcevns.cli).

The CLI must print the numbers of the Python API it calls (rates, limit curves, event files),
document units in every ``--help``, and end bad input with one line on stderr and exit status 2.
"""

import json
import subprocess
import sys

import numpy as np
import pytest

from radcevns import cli, coincidences, detector, io, rates, sensitivity


def run(argv, capsys):
    code = cli.main(argv)
    out = capsys.readouterr()
    return code, out.out, out.err


def test_help_of_every_subcommand_states_units(capsys):
    code, out, _ = run(["--help"], capsys)
    assert code == 0
    for command in ("rate", "limit", "generate", "experiments"):
        assert command in out
    units = {
        "rate": ["MeV", "Bohr magnetons", "cm"],
        "limit": ["MeV", "kg yr", "Bohr"],
        "generate": ["MeV", "cm", "pb"],
    }
    for command, needed in units.items():
        code, text, _ = run([command, "--help"], capsys)
        assert code == 0
        for unit in needed:
            assert unit in text, (command, unit)
    code, text, _ = run(["experiments", "--help"], capsys)
    assert code == 0 and "show" in text


def test_version(capsys):
    code, out, _ = run(["--version"], capsys)
    assert code == 0 and "radcevns" in out


def _preset(name):
    """(detector, flux) of a preset, through the public factory the CLI uses."""
    obj = cli.experiment_presets()[name]()
    if isinstance(obj, detector.Detector):
        return obj, None
    det = obj.detector() if callable(obj.detector) else obj.detector
    flux = getattr(obj, "flux", None)
    return det, (flux() if callable(flux) and not hasattr(flux, "total") else flux)


def test_rate_matches_the_python_api(capsys):
    name = "NUCLEUS-10g"
    code, out, _ = run(["rate", "--m-N", "2", "--mu", "3e-8", "--experiment", name, "--json"], capsys)
    assert code == 0
    got = json.loads(out)
    det, flux = _preset(name)
    expected = coincidences.radiative_rate(2.0, det, 3e-8, flux=flux)
    assert got["radiative_dirac_per_day"] == pytest.approx(expected, rel=1e-12)
    assert got["primakoff_per_day"] == pytest.approx(
        rates.primakoff_rate(2.0, det, 3e-8, flux=flux), rel=1e-12
    )


def test_limit_curve_matches_the_python_api(capsys, tmp_path):
    csv_path, png = tmp_path / "lim.csv", tmp_path / "lim.png"
    argv = ["limit", "--experiment", "NUCLEUS-1kg", "--exposure", "1", "--m-N", "1", "3", "-o", str(csv_path)]
    code, out, err = run([*argv, "--plot", str(png), "--quiet"], capsys)
    assert code == 0, err
    data = np.loadtxt(csv_path, delimiter=",", comments="#", skiprows=3)
    det, flux = _preset("NUCLEUS-1kg")
    expected = sensitivity.limit_curve(np.array([1.0, 3.0]), det, 1.0, flux=flux)
    assert np.allclose(data[:, 1], expected, rtol=1e-12)
    assert png.stat().st_size > 1000


def test_generate_matches_the_python_api(capsys, tmp_path):
    path = tmp_path / "ev.parquet"
    argv = ["generate", "-n", "2000", "--m-N", "1", "--mu", "3e-8", "--E-nu", "5", "--target", "W184"]
    code, out, err = run([*argv, "--seed", "4", "--decay-length-cm", "5", "-o", str(path)], capsys)
    assert code == 0, err
    cols, meta = io.read_columns(path)
    api = io.write_events(tmp_path / "api.parquet", 2000, 5.0, 1.0, "W184", 3e-8, seed=4, decay_length_cm=5.0)
    assert cols["weight"].sum() == pytest.approx(api.total, rel=1e-12)
    assert f"{api.total:.6g}" in out


@pytest.mark.parametrize(
    "argv, fragment",
    [
        (["rate", "--m-N", "-1", "--mu", "3e-8"], "--m-N"),
        (["rate", "--m-N", "two", "--mu", "3e-8"], "MeV"),
        (["rate", "--m-N", "2"], "--mu"),
        (["rate", "--m-N", "2", "--mu", "3e-8", "--experiment", "LHC"], "unknown experiment"),
        (["limit", "-o", "x.csv", "--m-N-min", "5", "--m-N-max", "1"], "--m-N-min"),
        (["limit", "-o", "x.txt"], ".csv"),
        (["generate", "-n", "10", "--m-N", "1", "--mu", "1e-8", "-o", "x.root"], "format"),
        (["generate", "-n", "10", "--m-N", "1", "--mu", "1e-8", "--target", "Qq", "-o", "x.lhe"], "Qq"),
        (["generate", "-n", "0", "--m-N", "1", "--mu", "1e-8", "-o", "x.lhe"], "-n"),
        (["experiments", "show"], "NAME"),
        (["frobnicate"], "invalid choice"),
    ],
)
def test_bad_input_gives_one_line_and_status_2(argv, fragment, capsys, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    code, out, err = run(argv, capsys)
    assert code == 2
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert "error" in lines[0] and fragment in lines[0]
    assert "Traceback" not in err


def test_experiments_list_and_show(capsys):
    code, out, _ = run(["experiments", "list"], capsys)
    assert code == 0
    names = out.split()
    assert names == list(cli.experiment_presets())
    code, out, _ = run(["experiments", "show", names[0]], capsys)
    assert code == 0 and out.strip()


def test_experiment_presets_fall_back_to_nucleus():
    presets = cli.experiment_presets()
    try:
        import radcevns.experiments  # noqa: F401
    except ModuleNotFoundError:
        assert set(presets) == {"NUCLEUS-10g", "NUCLEUS-1kg"}
        assert presets["NUCLEUS-10g"]() == detector.nucleus_10g()
    assert presets


def test_subprocess_module_entry_point(tmp_path):
    out = subprocess.run(
        [sys.executable, "-m", "radcevns.cli", "rate", "--m-N", "2", "--mu", "3e-8", "--json"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert out.returncode == 0, out.stderr
    got = json.loads(out.stdout)
    det, flux = _preset("NUCLEUS-1kg")
    assert got["radiative_dirac_per_day"] == pytest.approx(
        coincidences.radiative_rate(2.0, det, 3e-8, flux=flux), rel=1e-12
    )
    bad = subprocess.run(
        [sys.executable, "-m", "radcevns.cli", "rate", "--m-N", "x", "--mu", "1"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert bad.returncode == 2 and len(bad.stderr.strip().splitlines()) == 1


def test_generate_takes_target_region_and_threshold_from_an_experiment(capsys, tmp_path):
    det, flux = _preset("NUCLEUS-1kg")
    path = tmp_path / "e.parquet"
    argv = ["generate", "-n", "1500", "--m-N", "2", "--mu", "3e-8", "--experiment", "NUCLEUS-1kg"]
    code, out, err = run([*argv, "--seed", "2", "-o", str(path)], capsys)
    assert code == 0, err
    _, meta = io.read_columns(path)
    assert meta["decay_length_cm"] == det.decay_length_cm
    assert meta["recoil_threshold_MeV"] == det.recoil_threshold_MeV
    api = io.write_events_folded(
        tmp_path / "api.parquet",
        1500,
        2.0,
        det.crystals[0].target,
        3e-8,
        flux=flux,
        seed=2,
        decay_length_cm=det.decay_length_cm,
        recoil_threshold_MeV=det.recoil_threshold_MeV,
    )
    assert meta["total"] == pytest.approx(api.total, rel=1e-12)
