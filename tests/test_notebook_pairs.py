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
