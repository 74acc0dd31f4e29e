"""How the site reads a stored notebook (myst-nb's ``nb_custom_formats`` reader for .ipynb).

The notebook is read as it is stored; two things are translated for the page:

- JupyterLab's folds become myst-nb's: a cell with ``jupyter.source_hidden`` and
  ``jupyter.outputs_hidden`` (an exercise solution) gets the tag ``hide-cell``, so the page shows
  a closed "Show code cell content" toggle; ``source_hidden`` alone (a Check cell) gets
  ``hide-input``; ``outputs_hidden`` alone gets ``hide-output``. What the student opens on
  purpose in JupyterLab is opened on purpose on the site too.
- A link to the README (``../README.md``: the collection's index on GitHub) points at the
  site's landing page, which is the index here.

The fold's toggle is myst-nb's, without the aria-label "Toggle hidden content" that hid its visible
text ("Show code cell content") from screen readers (WCAG 2.5.3).

Figures keep whatever alt text the cell gives them (myst-nb's cell metadata
``mystnb: {image: {alt: "..."}}``); nothing is invented here.
"""

from html import escape

import nbformat
from myst_nb.sphinx_ import HideCodeCellNode, depart_HideCellInput

FOLDS = {(True, True): "hide-cell", (True, False): "hide-input", (False, True): "hide-output"}
LINKS = {"](../README.md)": "](../index.md)"}


def read_notebook(text):
    """Parse a stored .ipynb (a string) into the notebook myst-nb renders."""
    notebook = nbformat.reads(text, as_version=4)
    for cell in notebook.cells:
        jupyter = cell.metadata.get("jupyter", {})
        fold = FOLDS.get((bool(jupyter.get("source_hidden")), bool(jupyter.get("outputs_hidden"))))
        if fold and cell.cell_type == "code":
            tags = cell.metadata.setdefault("tags", [])
            if fold not in tags:
                tags.append(fold)
        if cell.cell_type == "markdown":
            for old, new in LINKS.items():
                cell.source = cell.source.replace(old, new)
    return notebook


def visit_fold(self, node):
    """myst-nb's visit_HideCellInput, its <summary> named by its visible text."""
    classes = " ".join(node["classes"])
    self.body.append(f'<details class="admonition hide {classes}">\n<summary>\n')
    self.body.append(f'<p class="collapsed admonition-title">{escape(node["prompt_show"])}</p>\n')
    self.body.append(f'<p class="expanded admonition-title">{escape(node["prompt_hide"])}</p>\n')
    self.body.append("</summary>\n")


def setup(app):
    app.add_node(HideCodeCellNode, override=True, html=(visit_fold, depart_HideCellInput))
    return {"parallel_read_safe": True, "parallel_write_safe": True}
