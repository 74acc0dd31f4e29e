"""Sphinx configuration of the collection's website (`make site`).

The site is built from a staging folder that `make site` fills (build/site-src: this folder's
pages plus notebooks/*.ipynb and their thumbnails), never from the .md sources, and nothing is
executed: the stored outputs are the ones nbval checks in `make test`.
"""

import ast
import os
import sys
from pathlib import Path

try:
    import tomllib
except ImportError:  # Python 3.10
    import tomli as tomllib

SITE = Path(__file__).resolve().parent
ROOT = SITE.parent
sys.path.insert(0, str(SITE / "_ext"))
sys.path.insert(0, str(ROOT))

import deconvlab  # noqa: E402

PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())
# The repository's address is written once, in pyproject.toml's [project.urls]; the launch buttons,
# the repository button and the Binder links are all built from it.
REPOSITORY = PYPROJECT["project"]["urls"]["Repository"]
BRANCH = "main"

project = "deconvlab"
author = "The deconvlab authors"
copyright = "The deconvlab authors. Code: BSD-3-Clause; notebook text and figures: CC-BY-4.0"
release = version = deconvlab.__version__

extensions = [
    "myst_nb",
    "sphinx.ext.autodoc",
    "sphinx.ext.napoleon",
    "sphinx.ext.extlinks",
    "notebook_reader",
    "docstring_text",
]
# {repo}`LICENSE` links to a file of the repository on GitHub.
extlinks = {"repo": (f"{REPOSITORY}/blob/{BRANCH}/%s", "%s")}

root_doc = "index"
exclude_patterns = ["_build", "**/.ipynb_checkpoints"]
# Only notebooks (.ipynb, with their stored outputs) and this folder's MyST pages: never a
# notebook's .md source, which `make site` does not stage in any case.
source_suffix = {".md": "myst-nb", ".ipynb": "myst-nb", ".rst": "restructuredtext"}

# --- notebooks: render what is stored, execute nothing ---
nb_execution_mode = "off"
# The .ipynb reader (site/_ext/notebook_reader.py) folds the cells JupyterLab shows folded.
nb_custom_formats = {".ipynb": "notebook_reader.read_notebook"}
nb_merge_streams = True
myst_enable_extensions = ["dollarmath", "amsmath", "colon_fence"]
myst_heading_anchors = 3

# --- the package's API reference, from its numpydoc docstrings ---
napoleon_google_docstring = False
napoleon_numpy_docstring = True
napoleon_use_rtype = False
autodoc_member_order = "bysource"
autodoc_default_options = {"members": False}

# --- equations: MathJax served from the site itself (copied there by `make site`), no CDN ---
mathjax_path = "mathjax/tex-chtml.js"
MATHJAX_DIR = os.environ.get("DECONVLAB_SITE_STATIC", str(ROOT / "build" / "site-static"))
html_static_path = [MATHJAX_DIR, str(SITE / "_static")]
html_css_files = ["deconvlab.css"]
templates_path = ["_templates"]

# --- look and buttons ---
html_theme = "sphinx_book_theme"
html_title = "deconvlab"
html_last_updated_fmt = None
html_sourcelink_suffix = ""  # the download button serves the .ipynb itself, not a .ipynb.txt
html_theme_options = {
    "repository_url": REPOSITORY,
    "repository_branch": BRANCH,
    "path_to_docs": "",  # the staged tree mirrors the repository: notebooks/NN_topic.ipynb
    "use_repository_button": True,
    "use_download_button": True,
    "use_source_button": False,
    "use_edit_page_button": False,
    "use_issues_button": False,
    "launch_buttons": {"binderhub_url": "https://mybinder.org", "notebook_interface": "jupyterlab"},
    "home_page_in_toc": True,
    "show_toc_level": 2,
}
# The theme's light/dark switch starts from the reader's system setting.
html_context = {"default_mode": "auto"}


def public_api():
    """What ``deconvlab/__init__.py`` imports, grouped by the module it comes from:
    [(module, [names])], in the order of the file. Lazily loaded modules (plotting, widgets)
    come last, documented as modules."""
    tree = ast.parse((ROOT / "deconvlab" / "__init__.py").read_text())
    groups = {}  # a subpackage's modules (barcodes.decoder, barcodes.photos, ...) share one section
    for node in tree.body:
        if isinstance(node, ast.ImportFrom) and node.level == 1 and node.module:
            names = groups.setdefault(node.module.split(".")[0], [])
            names += [alias.asname or alias.name for alias in node.names]
    return list(groups.items())


def _heading(text, underline):
    return [text, underline * len(text), ""]


def write_api_page(app):
    """Write api.rst into the staged source folder: one autodoc entry per public name, always
    through ``deconvlab.<name>`` (so renaming a module does not break a page). reStructuredText,
    not MyST: autodoc emits reST, which a MyST page would show as text."""
    import importlib
    import inspect

    lines = _heading("API reference", "=") + [
        "Everything below comes with ``import deconvlab as dl``: write ``dl.tikhonov(...)``,",
        "``dl.plotting.plot_panels(...)``. Generated from the package's numpydoc docstrings; every",
        "example in them runs in ``make test``.",
        "",
    ]

    def summary_of(module):
        doc = (importlib.import_module(f"deconvlab.{module}").__doc__ or "").strip().splitlines()
        return [doc[0], ""] if doc else []

    for module, names in public_api():
        lines += _heading(module, "-") + summary_of(module)
        for name in names:
            obj = getattr(deconvlab, name)
            if inspect.isclass(obj):
                lines += [f".. autoclass:: deconvlab.{name}", "   :members:", ""]
            elif callable(obj):
                lines += [f".. autofunction:: deconvlab.{name}", ""]
            else:
                lines += [f".. autodata:: deconvlab.{name}", "   :no-value:", ""]
    for module in deconvlab._LAZY_MODULES:
        lines += _heading(f"{module} (loaded on first use)", "-") + summary_of(module)
        lines += [f".. automodule:: deconvlab.{module}", "   :members:", ""]
    target = Path(app.srcdir) / "api.rst"
    text = "\n".join(lines)
    if not target.exists() or target.read_text() != text:
        target.write_text(text)


def setup(app):
    app.connect("builder-inited", write_api_page)
