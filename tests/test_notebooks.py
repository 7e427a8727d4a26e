"""The notebooks in notebooks/ run top to bottom without error, warnings or stored outputs.

Each notebook is executed with nbclient in a fresh kernel that runs *this* interpreter
(``sys.executable``) and imports the same geoprestatie as the tests: the kernelspec is
written to a temporary folder, so no system or user kernelspec named ``python3`` can send
the notebook to another Python.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

import geoprestatie

nbformat = pytest.importorskip("nbformat")
nbclient = pytest.importorskip("nbclient")
pytest.importorskip("ipykernel")

NOTEBOOKS = Path(__file__).resolve().parents[1] / "notebooks"
ALL = sorted(NOTEBOOKS.glob("*.ipynb"))
CELL_TIMEOUT_S = 120
#: the package folder's parent, so that the kernel imports the geoprestatie under test
PACKAGE_ROOT = Path(geoprestatie.__file__).resolve().parents[1]


def test_the_notebooks_are_there() -> None:
    assert [p.name for p in ALL] == [
        "01_quickstart_sia_dia.ipynb",
        "02_prognose_en_monitor.ipynb",
        "03_eigen_data.ipynb",
        "04_adaptief_programmeren.ipynb",
    ]


@pytest.mark.parametrize("path", ALL, ids=lambda p: p.stem)
def test_committed_without_outputs(path: Path) -> None:
    book = json.loads(path.read_text(encoding="utf-8"))
    code = [c for c in book["cells"] if c["cell_type"] == "code"]
    assert code, "a notebook without code"
    stored = [i for i, c in enumerate(code) if c.get("outputs") or c.get("execution_count")]
    assert not stored, f"{path.name}: code cells {stored} have outputs; clear them before commit"
    assert book["metadata"]["kernelspec"]["name"] == "python3"


def _kernel_manager_class(spec_dir: Path) -> type:
    """A kernel manager that only knows one kernelspec, ``python3`` = this interpreter."""
    from jupyter_client.kernelspec import KernelSpecManager
    from jupyter_client.manager import AsyncKernelManager
    from traitlets import default

    kernel = spec_dir / "python3"
    kernel.mkdir(parents=True)
    spec = {
        "argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": "geoprestatie test kernel",
        "language": "python",
        "env": {"PYTHONPATH": str(PACKAGE_ROOT)},
    }
    (kernel / "kernel.json").write_text(json.dumps(spec), encoding="utf-8")

    class OnlyThisPython(AsyncKernelManager):  # type: ignore[misc]
        @default("kernel_spec_manager")
        def _only_ours(self) -> KernelSpecManager:
            return KernelSpecManager(kernel_dirs=[str(spec_dir)], ensure_native_kernel=False)

    return OnlyThisPython


@pytest.mark.parametrize("path", ALL, ids=lambda p: p.stem)
def test_notebook_runs(path: Path, tmp_path: Path) -> None:
    book = nbformat.read(path, as_version=4)
    work = tmp_path / "work"  # the kernel's working folder: nothing lands in the repo
    work.mkdir()
    client = nbclient.NotebookClient(
        book,
        kernel_manager_class=_kernel_manager_class(tmp_path / "kernels"),
        kernel_name="python3",
        timeout=CELL_TIMEOUT_S,
        allow_errors=False,
        resources={"metadata": {"path": str(work)}},
    )
    # a last cell reports which Python and which geoprestatie the kernel ran
    book.cells.append(
        nbformat.v4.new_code_cell(
            "import sys, geoprestatie; print(sys.executable, geoprestatie.__file__)"
        )
    )
    client.execute()  # raises CellExecutionError naming the cell on any error
    probe = book.cells.pop()
    assert probe.outputs[0]["text"].split() == [sys.executable, geoprestatie.__file__]
    noise = [
        (i, out.get("text", "")[:300])
        for i, cell in enumerate(book.cells)
        if cell.cell_type == "code"
        for out in cell.get("outputs", [])
        if out.get("output_type") == "stream" and out.get("name") == "stderr"
    ]
    assert not noise, f"{path.name}: output on stderr (warnings?) in cells {noise}"
    assert not list(work.iterdir()), "the notebook wrote into its working folder"
