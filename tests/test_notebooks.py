"""Execute every chapter notebook with papermill and ``fast=True``.

Each notebook in ``notebooks/`` runs in a fresh ``python3`` kernel from its own folder; the
executed copy goes to ``_build/papermill/``. A failing cell raises
``PapermillExecutionError`` naming the cell. The full-quality run happens in the book build
(tests/test_book.py), which uses the notebooks' default parameters.
"""

from pathlib import Path

import nbformat
import papermill as pm
import pytest

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
OUTPUT_DIR = ROOT / "_build" / "papermill"

pytestmark = pytest.mark.notebooks


def _image_outputs(nb):
    return sum(
        1
        for cell in nb.cells
        if cell.cell_type == "code"
        for out in cell.get("outputs", [])
        if out.get("output_type") in ("display_data", "execute_result") and "image/png" in out.get("data", {})
    )


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_notebook_runs_with_fast_parameters(path):
    OUTPUT_DIR.mkdir(parents=True, exist_ok=True)
    out = OUTPUT_DIR / path.name
    pm.execute_notebook(
        str(path),
        str(out),
        parameters={"fast": True},
        kernel_name="python3",
        cwd=str(path.parent),
        progress_bar=False,
        execution_timeout=900,
    )
    nb = nbformat.read(out, as_version=4)
    tags = [tag for cell in nb.cells for tag in cell.get("metadata", {}).get("tags", [])]
    assert "injected-parameters" in tags, f"{path.name}: papermill found no cell tagged 'parameters'"
    errors = [
        out_.get("ename")
        for cell in nb.cells
        if cell.cell_type == "code"
        for out_ in cell.get("outputs", [])
        if out_.get("output_type") == "error"
    ]
    assert not errors, f"{path.name}: error outputs {errors}"
    assert _image_outputs(nb) >= 1, (
        f"{path.name}: no PNG figure in the executed notebook (is MPLBACKEND set to a non-inline backend?)"
    )
