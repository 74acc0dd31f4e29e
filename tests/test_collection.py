"""The collection as a whole: navigation, template, README, Binder readiness."""

import ast
import inspect
import json
import re
import sys
from pathlib import Path

import jupytext
import lab_settings
import pytest
import yaml

import deconvlab as dl

ROOT = Path(__file__).resolve().parent.parent
SOURCES = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.md"))
README = (ROOT / "README.md").read_text()
# import name -> conda-forge / PyPI package name, where they differ
PACKAGE_OF = {"PIL": "pillow", "yaml": "pyyaml", "skimage": "scikit-image", "zxingcpp": "zxing-cpp"}


def markdown_of(source):
    return "\n".join(c.source for c in jupytext.read(source).cells if c.cell_type == "markdown")


@pytest.mark.parametrize("source", SOURCES, ids=lambda p: p.stem)
def test_notebook_follows_the_template(source):
    notebook = jupytext.read(source)
    text = markdown_of(source)
    assert notebook.cells[0].source.startswith("# "), "a title first"
    for heading in ("**What you will learn**", "**What you need**", "## Summary", "**Next**"):
        assert heading in text, f"missing {heading}"
    code = [c for c in notebook.cells if c.cell_type == "code"]
    assert any("assert" in c.source for c in code), "a Check cell"
    explorers = [c for c in code if "explorer()" in c.source]
    assert explorers and all("nbval-ignore-output" in c.metadata.get("tags", []) for c in explorers)
    solutions = [c for c in code if "solution" in c.metadata.get("tags", [])]
    assert len(solutions) >= 3, "3+ exercises with solutions"
    for cell in solutions:
        assert cell.metadata["jupyter"] == {"source_hidden": True, "outputs_hidden": True}


@pytest.mark.parametrize("source", SOURCES, ids=lambda p: p.stem)
def test_navigation_links_point_to_existing_earlier_and_next_notebooks(source):
    text = markdown_of(source)
    need = text.split("**What you need**", 1)[1].split("\n\n", 1)[0]
    next_part = text.split("**Next**", 1)[1]
    number = int(source.name[:2])
    for link in re.findall(r"\((\d\d_[a-z_]+)\.ipynb\)", need):
        assert (ROOT / "notebooks" / f"{link}.md").exists() and int(link[:2]) < number
    if number > 1:
        assert re.search(r"\(\d\d_[a-z_]+\.ipynb\)", need), "links to earlier notebooks"
    following = sorted(p for p in SOURCES if int(p.name[:2]) > number)
    if following:
        assert f"({following[0].stem}.ipynb)" in next_part
    else:
        assert "README" in next_part


def imported_modules(source):
    modules = set()
    for cell in jupytext.read(source).cells:
        if cell.cell_type != "code":
            continue
        code = "\n".join(line for line in cell.source.splitlines() if not line.lstrip().startswith(("%", "!")))
        for node in ast.walk(ast.parse(code)):
            if isinstance(node, ast.Import):
                modules.update(alias.name.split(".")[0] for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module:
                modules.add(node.module.split(".")[0])
    return modules


def test_every_notebook_import_is_satisfied_by_environment_yml():
    environment = yaml.safe_load((ROOT / "environment.yml").read_text())
    conda = [d for d in environment["dependencies"] if isinstance(d, str)]
    pip = [d for entry in environment["dependencies"] if isinstance(entry, dict) for d in entry.get("pip", [])]
    packages = {re.split(r"[<>=! ]", d, maxsplit=1)[0].lower() for d in conda + pip}
    used = set().union(*(imported_modules(source) for source in SOURCES))
    assert {"numpy", "deconvlab"} <= used
    for module in sorted(used):
        if module in sys.stdlib_module_names or module == "deconvlab":  # deconvlab: postBuild installs it
            continue
        assert PACKAGE_OF.get(module, module).lower() in packages, f"{module} is imported but not in environment.yml"


def test_readme_lists_every_notebook_with_binder_badge_and_generated_thumbnail():
    for source in SOURCES:
        assert f"notebooks/{source.stem}.ipynb" in README
        assert f"urlpath=lab/tree/notebooks/{source.stem}.ipynb" in README
        thumbnail = f"notebooks/thumbnails/{source.stem}.png"
        assert thumbnail in README and (ROOT / thumbnail).exists()
    badges = re.findall(r"https://mybinder\.org/v2/gh/([^/]+/[^/]+)/HEAD\?urlpath=lab/tree/notebooks/", README)
    repository = re.search(r'^Repository = "https://github\.com/([^"]+)"', (ROOT / "pyproject.toml").read_text(), re.M)
    assert set(badges) == {repository.group(1)}, "every badge opens the repository pyproject.toml names"
    assert "make test-browser" in README and "chromium" in README.lower()


def test_lab_settings_open_markdown_as_notebooks(tmp_path):
    path = lab_settings.install(tmp_path)
    settings = json.loads(path.read_text())
    viewers = settings["@jupyterlab/docmanager-extension:plugin"]["defaultViewers"]
    assert viewers == {"markdown": "Jupytext Notebook", "myst": "Jupytext Notebook"}
    path.write_text(json.dumps({"other": {"kept": True}}))
    assert json.loads(lab_settings.install(tmp_path).read_text())["other"] == {"kept": True}
    assert "tools/lab_settings.py" in (ROOT / "postBuild").read_text()
    assert "tools/lab_settings.py" in (ROOT / "Makefile").read_text()


def code_cells(source):
    return [cell for cell in jupytext.read(source).cells if cell.cell_type == "code"]


def parsed(cell):
    """The cell's code as an AST, without IPython magics."""
    return ast.parse("\n".join(line for line in cell.source.splitlines() if not line.lstrip().startswith(("%", "!"))))


@pytest.mark.parametrize("source", SOURCES, ids=lambda p: p.stem)
def test_every_assert_says_what_failed(source):
    bare = [
        cell.source.splitlines()[0]
        for cell in code_cells(source)
        for node in ast.walk(parsed(cell))
        if isinstance(node, ast.Assert) and node.msg is None
    ]
    assert bare == [], f"asserts without a message in cells starting {bare}"


@pytest.mark.parametrize("source", SOURCES, ids=lambda p: p.stem)
def test_one_parameters_cell_sets_the_seed_and_every_draw_uses_it(source):
    cells = code_cells(source)
    tagged = [i for i, cell in enumerate(cells) if "parameters" in cell.metadata.get("tags", [])]
    assert len(tagged) == 1, "exactly one code cell tagged `parameters` (papermill's convention)"
    assigned = {
        target.id
        for node in ast.walk(parsed(cells[tagged[0]]))
        if isinstance(node, ast.Assign)
        for target in node.targets
        if isinstance(target, ast.Name)
    }
    assert "seed" in assigned, "the parameters cell sets `seed`"
    assert tagged[0] <= 2, "the parameters cell comes near the top"
    code = "\n".join(cell.source for cell in cells)
    fixed = re.findall(r"rng=\d|default_rng\(\d|np\.random\.seed\(|seed=\d", code)
    assert fixed == [], f"random draws with a fixed seed instead of `seed`: {fixed}"
    calls = [
        node
        for cell in cells
        for node in ast.walk(parsed(cell))
        if isinstance(node, ast.Call) and getattr(node.func, "attr", "").endswith(("add_noise", "_view"))
    ]

    def draws(call):  # a view without a seed parameter draws nothing (photo_view shows a stored photo)
        function = getattr(dl.widgets, call.func.attr, None)
        return function is None or "seed" in inspect.signature(function).parameters

    unseeded = [
        ast.unparse(call)[:60] for call in calls if draws(call) and not {"rng", "seed"} & {k.arg for k in call.keywords}
    ]
    assert unseeded == [], f"draws that fall back to the default seed: {unseeded}"
