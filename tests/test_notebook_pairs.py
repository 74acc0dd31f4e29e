"""Every notebook is a pair whose .md (source) and .ipynb (executed) have the same inputs."""

import json
from pathlib import Path

import pytest
from notebook_tools import WIDGET_PLACEHOLDER, coalesce_streams, input_mismatches

NOTEBOOKS = Path(__file__).resolve().parent.parent / "notebooks"
SOURCES = sorted(NOTEBOOKS.glob("[0-9][0-9]_*.md"))


def test_there_are_notebooks():
    assert SOURCES, "no notebooks/NN_*.md found"


@pytest.mark.parametrize("source", SOURCES, ids=lambda path: path.stem)
def test_md_and_ipynb_inputs_match(source):
    assert input_mismatches(source) == []


def test_every_ipynb_has_its_md():
    orphans = [p.name for p in NOTEBOOKS.glob("[0-9][0-9]_*.ipynb") if not p.with_suffix(".md").exists()]
    assert orphans == []


def test_stored_outputs_merge_split_prints():
    """Where the kernel splits a cell's prints depends on timing; the stored .ipynb must not."""
    outputs = [
        {"output_type": "stream", "name": "stdout", "text": "a\n"},
        {"output_type": "stream", "name": "stdout", "text": ["b\n", "c\n"]},
        {"output_type": "stream", "name": "stderr", "text": "warn\n"},
        {"output_type": "display_data", "data": {}, "metadata": {}},
        {"output_type": "stream", "name": "stdout", "text": "d\n"},
    ]
    merged = coalesce_streams(outputs)
    assert [(o["output_type"], o.get("name")) for o in merged] == [
        ("stream", "stdout"),
        ("stream", "stderr"),
        ("display_data", None),
        ("stream", "stdout"),
    ]
    assert merged[0]["text"] == "a\nb\nc\n"


@pytest.mark.parametrize("source", SOURCES, ids=lambda path: path.stem)
def test_stored_explorers_show_a_hint_not_a_repr(source):
    """Opened without a kernel, an explorer's stored output tells the student to run it."""
    notebook = json.loads(source.with_suffix(".ipynb").read_text())
    texts = [
        "".join(output.get("data", {}).get("text/plain", ""))
        for cell in notebook["cells"]
        for output in cell.get("outputs", [])
    ]
    assert WIDGET_PLACEHOLDER in texts
    assert not [text for text in texts if text.startswith("interactive(")]


def test_seed_is_injected_right_after_the_parameters_cell():
    import nbformat
    from notebook_tools import with_parameters

    notebook = nbformat.v4.new_notebook(
        cells=[
            nbformat.v4.new_code_cell("import numpy"),
            nbformat.v4.new_code_cell("seed = 0", metadata={"tags": ["parameters"]}),
            nbformat.v4.new_code_cell("print(seed)"),
        ]
    )
    injected = with_parameters(notebook, seed=7)
    assert [cell.source for cell in injected.cells] == ["import numpy", "seed = 0", "seed = 7", "print(seed)"]
    assert len(notebook.cells) == 3, "the original notebook is left alone"
    untagged = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("seed = 0")])
    with pytest.raises(ValueError, match="parameters"):
        with_parameters(untagged, seed=1)


def figure_cells(notebook):
    """The code cells of an .ipynb (as JSON) that store an image output, by index."""
    return {
        index: cell
        for index, cell in enumerate(notebook["cells"])
        if cell["cell_type"] == "code"
        and any(key.startswith("image/") for output in cell.get("outputs", []) for key in output.get("data", {}))
    }


@pytest.mark.parametrize("source", SOURCES, ids=lambda path: path.stem)
def test_every_figure_has_alt_text(source):
    """The website takes a figure's alt text from its cell's `mystnb: {image: {alt: ...}}` (myst-nb)."""
    notebook = json.loads(source.with_suffix(".ipynb").read_text())
    cells = figure_cells(notebook)
    assert cells, "no figure found"
    missing = [
        f"cell {index}: {''.join(cell['source'])[:60]!r}"
        for index, cell in cells.items()
        if not str(cell["metadata"].get("mystnb", {}).get("image", {}).get("alt", "")).strip()
    ]
    assert missing == [], "figure cells without `mystnb: {image: {alt: ...}}` in the .md and the .ipynb"


@pytest.mark.parametrize("source", SOURCES, ids=lambda path: path.stem)
def test_md_and_ipynb_mystnb_options_match(source):
    """The cell options the website reads (alt text) are the same in the .md source and the stored .ipynb."""
    import jupytext

    text_cells = jupytext.read(source).cells
    stored_cells = json.loads(source.with_suffix(".ipynb").read_text())["cells"]
    assert len(text_cells) == len(stored_cells)
    differences = [
        index
        for index, (text, stored) in enumerate(zip(text_cells, stored_cells))
        if text.metadata.get("mystnb") != stored["metadata"].get("mystnb")
    ]
    assert differences == [], f"cells whose mystnb options differ between .md and .ipynb: {differences}"
