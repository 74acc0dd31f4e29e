"""Every notebook: every Check cell (a code cell with an assert, not a solution) has its code folded,
the same in the .md and the .ipynb, so the student reads the claim, not the test (issue 28)."""

from pathlib import Path

import jupytext
import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[1]
SOURCES = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.md"))


def check_cells(notebook):
    return [
        cell
        for cell in notebook.cells
        if cell.cell_type == "code" and "assert " in cell.source and "solution" not in cell.metadata.get("tags", [])
    ]


@pytest.mark.parametrize("source", SOURCES, ids=lambda p: p.stem)
def test_check_cells_are_folded_in_both_files(source):
    for notebook in (jupytext.read(source), nbformat.read(source.with_suffix(".ipynb"), as_version=4)):
        cells = check_cells(notebook)
        assert cells, f"{source.name}: no Check cell"
        unfolded = [c.source.splitlines()[0] for c in cells if not c.metadata.get("jupyter", {}).get("source_hidden")]
        assert unfolded == [], f"{source.name}: Check cells with their code shown: {unfolded}"
