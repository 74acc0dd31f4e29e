"""Build and check the notebook pairs (notebooks/NN_topic.md + NN_topic.ipynb).

    python tools/notebook_tools.py execute notebooks/01_convolution.md ...
    python tools/notebook_tools.py thumbnails notebooks/01_convolution.md ...
    python tools/notebook_tools.py seeds 1,2,3 notebooks/01_convolution.md ...

``execute`` re-executes each MyST source top to bottom in a fresh kernel and writes
its ``.ipynb`` normalised, so that a re-run with no change leaves no git diff except
where outputs really changed. ``thumbnails`` then saves one figure per notebook for
the README. ``seeds`` runs each notebook once per seed, the seed injected after the
cell tagged ``parameters`` (papermill's convention), and fails if any cell (any Check)
fails: the claims must hold for every seed, not only for the stored one.
``input_mismatches`` is used by ``tests/test_notebook_pairs.py`` to fail CI when a pair's inputs differ.
"""

import base64
import io
import sys
import tempfile
import time
from pathlib import Path

import jupytext
import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

WIDGET_MIME = "application/vnd.jupyter.widget-view+json"
VOLATILE_CELL_METADATA = ("execution", "collapsed", "scrolled")
# What a stored explorer shows until its cell runs (instead of the widget's repr).
WIDGET_PLACEHOLDER = "[explorer: run this cell to get its controls; widgets need a running kernel]"


def normalise(notebook):
    """Strip what changes from run to run without meaning anything.

    Cell ids become their position, timing metadata and saved widget state go
    (model ids are random; a widget needs a live kernel anyway: its stored
    output becomes a one-line hint to run the cell), the
    interpreter's patch version is dropped from ``language_info``, and
    consecutive prints to the same stream become one output (where the kernel
    splits them depends on timing).
    """
    notebook.metadata.pop("widgets", None)
    notebook.metadata.pop("jupytext", None)
    notebook.metadata.get("language_info", {}).pop("version", None)
    notebook.nbformat, notebook.nbformat_minor = 4, 5
    for index, cell in enumerate(notebook.cells):
        cell["id"] = f"cell-{index:03d}"
        for key in VOLATILE_CELL_METADATA:
            cell.metadata.pop(key, None)
        if "outputs" in cell:
            cell["outputs"] = coalesce_streams(cell["outputs"])
        for output in cell.get("outputs", []):
            if output.get("data", {}).pop(WIDGET_MIME, None) is not None:
                output["data"]["text/plain"] = WIDGET_PLACEHOLDER
            if "metadata" in output:
                output["metadata"] = {k: v for k, v in output["metadata"].items() if k != WIDGET_MIME}
    return notebook


def coalesce_streams(outputs):
    """Merge runs of stream outputs with the same name (stdout, stderr) into one."""
    merged = []
    for output in outputs:
        previous = merged[-1] if merged else None
        if (
            output.get("output_type") == "stream"
            and previous is not None
            and previous.get("output_type") == "stream"
            and previous.get("name") == output.get("name")
        ):
            previous["text"] = "".join(previous["text"]) + "".join(output["text"])
        else:
            merged.append(output)
    return merged


def execute(source, cell_timeout=300):
    """Execute one ``.md`` notebook in a fresh kernel and write the paired ``.ipynb``.

    ``cell_timeout`` (nbval's, in the Makefile) bounds a kernel that stopped answering (it happens,
    rarely, under load: an idle kernel that never reports its cell done). Such a run gets one more
    try in a fresh kernel, and the retry is reported; a failing cell is not retried.
    """
    source = Path(source)
    for attempt in (1, 2):
        notebook = jupytext.read(source)
        started = time.perf_counter()
        client = NotebookClient(
            notebook, timeout=cell_timeout, kernel_name="python3", resources={"metadata": {"path": str(source.parent)}}
        )
        try:
            client.execute()
            break
        except CellExecutionError:
            failed = Path(tempfile.gettempdir()) / f"{source.stem}.failed.ipynb"
            nbformat.write(notebook, failed)
            print(f"{source}: a cell failed; the partly executed notebook is in {failed}", file=sys.stderr)
            raise
        except Exception as error:  # CellTimeoutError, DeadKernelError: the kernel, not a cell
            if attempt == 2:
                raise
            print(f"{source}: retrying in a fresh kernel after {type(error).__name__}: {error}", file=sys.stderr)
    seconds = time.perf_counter() - started
    target = source.with_suffix(".ipynb")
    nbformat.write(normalise(notebook), target)
    print(f"{target}: executed in {seconds:.1f} s")
    return seconds


def with_parameters(notebook, **values):
    """Return a copy of ``notebook`` with a cell setting ``values`` right after its ``parameters`` cell."""
    notebook = nbformat.from_dict(notebook)
    tagged = [i for i, cell in enumerate(notebook.cells) if "parameters" in cell.metadata.get("tags", [])]
    if len(tagged) != 1:
        raise ValueError(f"a notebook needs exactly one cell tagged 'parameters'; found {len(tagged)}")
    source = "\n".join(f"{name} = {value!r}" for name, value in values.items())
    injected = nbformat.v4.new_code_cell(source, metadata={"tags": ["injected-parameters"]})
    notebook.cells.insert(tagged[0] + 1, injected)
    return notebook


def run_with_seed(source, seed, cell_timeout=180):
    """Execute ``source`` (.md) with ``seed`` injected; raise ``CellExecutionError`` if a cell fails.

    No cell takes a minute; ``cell_timeout`` only bounds a kernel that stopped answering.
    """
    source = Path(source)
    notebook = with_parameters(jupytext.read(source), seed=seed)
    started = time.perf_counter()
    NotebookClient(
        notebook, timeout=cell_timeout, kernel_name="python3", resources={"metadata": {"path": str(source.parent)}}
    ).execute()
    print(f"{source.name} with seed={seed}: every cell ran, every Check held ({time.perf_counter() - started:.0f} s)")


def run_seeds(seeds, sources):
    """Run every notebook with every seed; report all failures, then fail if there was one.

    A kernel that stops answering (a timeout, a dead kernel: not a failed Check) gets one more try
    in a fresh kernel, and the retry is reported.
    """
    failures = []
    for source in sources:
        for seed in seeds:
            for attempt in (1, 2):
                try:
                    run_with_seed(source, seed)
                    break
                except CellExecutionError as error:
                    lines = [line for line in str(error).splitlines() if line.strip()]
                    failures.append(f"{Path(source).name} with seed={seed}: {lines[-1] if lines else error}")
                    print(f"FAILED {failures[-1]}", file=sys.stderr)
                    break
                except Exception as error:  # CellTimeoutError, DeadKernelError: the kernel, not a Check
                    message = f"{Path(source).name} with seed={seed}: {type(error).__name__}: {error}"
                    if attempt == 2:
                        failures.append(message)
                        print(f"FAILED {message}", file=sys.stderr)
                    else:
                        print(f"retrying in a fresh kernel after {message}", file=sys.stderr)
            sys.stdout.flush()
    print(f"{len(sources) * len(seeds) - len(failures)} passed, {len(failures)} failed")
    if failures:
        sys.exit("\n".join(failures))


def _cell_inputs(notebook):
    return [(cell.cell_type, cell.source.strip(), sorted(cell.metadata.get("tags", []))) for cell in notebook.cells]


def input_mismatches(source):
    """List the differences between the inputs of ``source`` (.md) and its .ipynb."""
    source = Path(source)
    target = source.with_suffix(".ipynb")
    if not target.exists():
        return [f"{target} is missing (run `make notebooks`)"]
    text_cells = _cell_inputs(jupytext.read(source))
    stored_cells = _cell_inputs(nbformat.read(target, as_version=4))
    problems = []
    if len(text_cells) != len(stored_cells):
        problems.append(f"{source.name}: {len(text_cells)} cells in the .md, {len(stored_cells)} in the .ipynb")
    for index, (text, stored) in enumerate(zip(text_cells, stored_cells)):
        if text != stored:
            problems.append(f"{source.name}: cell {index} differs between .md and .ipynb: {text[1][:60]!r}")
            break
    return problems


def thumbnail(source, width=480):
    """Save the notebook's thumbnail figure as ``notebooks/thumbnails/NN_topic.png`` (``width`` px wide).

    The figure is the output of the first cell tagged ``thumbnail``, else the first figure.
    """
    from PIL import Image

    source = Path(source)
    notebook = nbformat.read(source.with_suffix(".ipynb"), as_version=4)
    cells = [c for c in notebook.cells if c.cell_type == "code"]
    tagged = [c for c in cells if "thumbnail" in c.metadata.get("tags", [])]
    for cell in tagged + cells:
        for output in cell.get("outputs", []):
            if "image/png" in output.get("data", {}):
                image = Image.open(io.BytesIO(base64.b64decode(output["data"]["image/png"])))
                image.thumbnail((width, width))
                target = source.parent / "thumbnails" / f"{source.stem}.png"
                target.parent.mkdir(exist_ok=True)
                image.save(target, optimize=True)
                print(f"{target}: {image.size[0]}x{image.size[1]}")
                return target
    raise ValueError(f"{source}: no figure to make a thumbnail from")


if __name__ == "__main__":
    if len(sys.argv) < 3 or sys.argv[1] not in ("execute", "thumbnails", "seeds"):
        sys.exit(__doc__)
    if sys.argv[1] == "seeds":
        run_seeds([int(seed) for seed in sys.argv[2].split(",")], sys.argv[3:])
        sys.exit(0)
    command = execute if sys.argv[1] == "execute" else thumbnail
    for path in sys.argv[2:]:
        command(path)
