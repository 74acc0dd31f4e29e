"""Every notebook is a pair whose .md (source) and .ipynb (executed) have the same inputs."""

from pathlib import Path

import pytest
from notebook_tools import input_mismatches

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
