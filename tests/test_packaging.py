"""environment.yml (Binder, conda) and pyproject.toml must not drift apart."""

import re
from pathlib import Path

import yaml

try:
    import tomllib
except ImportError:  # Python 3.10
    import tomli as tomllib

ROOT = Path(__file__).resolve().parent.parent


def _name(requirement):
    return re.split(r"[<>=!~ ;\[]", requirement.strip(), maxsplit=1)[0].lower().replace("_", "-")


def test_environment_yml_lists_the_runtime_and_lab_dependencies_of_pyproject():
    """Binder needs the package's runtime dependencies and JupyterLab (the `lab` extra)."""
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text())
    environment = yaml.safe_load((ROOT / "environment.yml").read_text())
    requirements = pyproject["project"]["dependencies"] + pyproject["project"]["optional-dependencies"]["lab"]
    wanted = {_name(r): r.replace(" ", "") for r in requirements}
    conda = [d for d in environment["dependencies"] if isinstance(d, str)]
    pip = [d for entry in environment["dependencies"] if isinstance(entry, dict) for d in entry.get("pip", [])]
    listed = {_name(d): d.replace(" ", "") for d in conda + pip if _name(d) not in ("python", "pip")}
    assert listed == wanted


def test_environment_yml_pins_python_minor_version_and_uses_conda_forge():
    environment = yaml.safe_load((ROOT / "environment.yml").read_text())
    assert environment["channels"] == ["conda-forge"]
    pythons = [d for d in environment["dependencies"] if isinstance(d, str) and _name(d) == "python"]
    assert len(pythons) == 1 and re.fullmatch(r"python=3\.\d+", pythons[0])


def test_binder_installs_the_package():
    post_build = (ROOT / "postBuild").read_text()
    assert "pip install" in post_build and "-e ." in post_build


def test_import_deconvlab_does_not_import_pyplot_until_a_figure_is_asked_for():
    import subprocess
    import sys

    code = (
        "import sys, deconvlab as dl\n"
        "print('matplotlib.pyplot' in sys.modules, 'ipywidgets' in sys.modules)\n"
        "dl.plotting\n"
        "print('matplotlib.pyplot' in sys.modules)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.split() == ["False", "False", "True"]


COMPUTING_MODULES = (
    "signals",
    "operators",
    "inverse",
    "wiener_filter",
    "regularization",
    "total_variation",
    "levels",
    "positivity",
    "metrics",
    "estimation",
    "barcodes",
    "diagnostics",
)
MODULES = (*COMPUTING_MODULES, "plotting", "widgets")


def test_every_module_declares_its_public_names_and_the_package_re_exports_only_those():
    import importlib

    import deconvlab

    declared = set()
    for name in COMPUTING_MODULES:
        module = importlib.import_module(f"deconvlab.{name}")
        assert all(hasattr(module, item) for item in module.__all__), f"{name}.__all__ names a missing object"
        declared |= set(module.__all__)
    exported = {name for name in vars(deconvlab) if not name.startswith("_") and callable(getattr(deconvlab, name))}
    assert exported - declared == set(), "re-exported but declared by no module"


def test_every_package_folder_is_installed():
    """A non-editable install copies only the packages pyproject.toml lists: every folder of deconvlab
    with an __init__.py (the barcodes subpackage) must be one of them."""
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text())
    folders = {".".join(path.parent.relative_to(ROOT).parts) for path in (ROOT / "deconvlab").rglob("__init__.py")}
    assert set(pyproject["tool"]["setuptools"]["packages"]) == folders


def test_one_version_string():
    from importlib.metadata import version

    import deconvlab

    assert version("deconvlab") == deconvlab.__version__


def test_runtime_dependencies_are_what_the_package_imports():
    """Tooling (JupyterLab, jupytext, the notebook and browser tools) is not a runtime dependency."""
    import ast

    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text())
    runtime = {_name(r) for r in pyproject["project"]["dependencies"]}
    imported = set()
    for path in (ROOT / "deconvlab").rglob("*.py"):  # the barcodes subpackage too
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Import):
                imported |= {alias.name.split(".")[0] for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                imported.add(node.module.split(".")[0])
    third_party = {name.lower() for name in imported if name not in __import__("sys").stdlib_module_names}
    distribution_of = {"zxingcpp": "zxing-cpp", "ipython": "ipython", "pil": "pillow"}  # import name -> PyPI name
    assert {distribution_of.get(name, name) for name in third_party} == {name.lower() for name in runtime}


def test_every_solver_has_one_signature_shape():
    """solver(y, h, <its parameter>, *, mode="full", ...): the keyword-only mode everywhere."""
    import inspect

    import deconvlab as dl

    solvers = {
        dl.inverse_filter: "threshold",
        dl.wiener: "nsr",
        dl.tikhonov: "lam",
        dl.tsvd: "k",
        dl.tv: "lam",
        dl.richardson_lucy: "iterations",
        dl.piecewise_constant_fit: "jumps",
        dl.piecewise_refit: "estimate",
        dl.choose_lambda: "rule",
        dl.oracle_nsr: "noise_std",
        dl.picard: None,
    }
    for solver, parameter in solvers.items():
        parameters = list(inspect.signature(solver).parameters.values())
        positional = [p.name for p in parameters if p.kind == p.POSITIONAL_OR_KEYWORD]
        expected = ["x" if solver is dl.oracle_nsr else "y", "h"] + ([parameter] if parameter else [])
        assert positional == expected, f"{solver.__name__}: positional {positional}"
        mode = inspect.signature(solver).parameters["mode"]
        assert mode.kind == mode.KEYWORD_ONLY and mode.default == "full", f"{solver.__name__}: mode"


def test_every_public_function_has_numpydoc_sections_and_a_runnable_example():
    """Parameters (when it takes any), Returns and Examples, in that order; the Examples run
    as doctests in make test (pytest --doctest-modules deconvlab)."""
    import importlib
    import inspect

    missing = []
    for module_name in MODULES:
        module = importlib.import_module(f"deconvlab.{module_name}")
        for name in module.__all__:
            function = getattr(module, name)
            if not inspect.isfunction(function):
                continue
            doc = inspect.getdoc(function) or ""
            sections = ["Returns", "Examples"]
            if inspect.signature(function).parameters:
                sections.insert(0, "Parameters")
            positions = [doc.find(f"\n{section}\n{'-' * len(section)}\n") for section in sections]
            if min(positions) < 0 or positions != sorted(positions) or ">>> " not in doc:
                missing.append(f"{module_name}.{name}")
    assert not missing, f"numpydoc sections missing or out of order: {missing}"


# --- licence, credit and the repository's one address (issue 29) ---

REPOSITORY = "https://github.com/deconvlab/deconvlab"


def _pyproject():
    return tomllib.loads((ROOT / "pyproject.toml").read_text())


def test_the_licence_is_declared_and_its_files_exist():
    project = _pyproject()["project"]
    assert project["license"] == "BSD-3-Clause"
    assert project["license-files"] == ["LICENSE"]
    licence = (ROOT / "LICENSE").read_text()
    assert "BSD 3-Clause License" in licence and "CC-BY-4.0" in licence and "Apache-2.0" in licence
    assert "Copyright (c) 2026, The deconvlab authors" in licence
    for name in ("NOTICE", "CITATION.cff", "CONTRIBUTING.md"):
        assert (ROOT / name).is_file(), f"{name} is missing"


def test_notice_credits_every_shipped_photograph():
    notice = (ROOT / "NOTICE").read_text()
    assert "ZXing" in notice and "Apache License, Version 2.0" in notice
    photos = ROOT / "notebooks" / "data" / "photos"
    assert (photos / "NOTICE").is_file()
    images = sorted(photos.glob("*/*.png"))
    assert images, "no photographs shipped"
    for image in images:
        digits = image.with_suffix(".txt").read_text().strip()
        assert re.fullmatch(r"\d{13}", digits), f"{image.relative_to(ROOT)}: its .txt holds {digits!r}"
        assert image.parent.name in notice


def test_citation_cff_is_valid_against_the_cff_1_2_0_schema():
    import json

    import jsonschema

    schema = json.loads((ROOT / "tests" / "data" / "citation-file-format-1.2.0.schema.json").read_text())
    citation = yaml.safe_load((ROOT / "CITATION.cff").read_text())
    jsonschema.validate(citation, schema, format_checker=jsonschema.Draft7Validator.FORMAT_CHECKER)
    import deconvlab

    assert citation["version"] == deconvlab.__version__
    assert citation["repository-code"] == REPOSITORY
    assert set(citation["license"]) == {"BSD-3-Clause", "CC-BY-4.0"}


def test_the_repository_address_is_written_once_and_no_placeholder_is_left():
    """pyproject.toml's [project.urls] holds it; the site reads it from there; the README's
    Binder badges and CITATION.cff must agree, and no OWNER/REPO placeholder may remain."""
    assert _pyproject()["project"]["urls"]["Repository"] == REPOSITORY
    tracked = __import__("subprocess").run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True)
    offenders = []
    for name in tracked.stdout.split():
        path = ROOT / name
        if path.suffix in {".png", ".ipynb"} or not path.is_file() or name == "tests/test_packaging.py":
            continue
        if "OWNER/REPO" in path.read_text(errors="replace"):
            offenders.append(name)
    assert not offenders, f"OWNER/REPO placeholder left in {offenders}"
    readme = (ROOT / "README.md").read_text()
    badges = re.findall(r"https://mybinder\.org/v2/gh/([^/]+/[^/]+)/", readme)
    assert badges and set(badges) == {"deconvlab/deconvlab"}
    site_conf = (ROOT / "site" / "conf.py").read_text()
    assert "github.com/deconvlab" not in site_conf, "site/conf.py must read the address from pyproject.toml"


def test_the_readme_says_how_to_cite_and_how_to_build_the_site():
    readme = (ROOT / "README.md").read_text()
    assert "CITATION.cff" in readme and "How to cite" in readme
    assert "make site" in readme and "make test-site" in readme
