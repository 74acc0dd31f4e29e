"""Ship the JupyterLab settings the collection needs, for `make lab` and for Binder.

    python tools/lab_settings.py

writes ``<prefix>/share/jupyter/lab/settings/overrides.json`` (default prefix: the running
environment, ``sys.prefix``) so that double-clicking a paired ``NN_topic.md`` opens it as a
notebook (jupytext's "Jupytext Notebook" viewer) instead of a text editor.
"""

import json
import sys
from pathlib import Path

DEFAULT_VIEWERS = {
    "@jupyterlab/docmanager-extension:plugin": {
        "defaultViewers": {"markdown": "Jupytext Notebook", "myst": "Jupytext Notebook"}
    }
}


def overrides_path(prefix=None):
    """Where JupyterLab reads environment-wide setting overrides."""
    return Path(sys.prefix if prefix is None else prefix) / "share" / "jupyter" / "lab" / "settings" / "overrides.json"


def install(prefix=None):
    """Merge :data:`DEFAULT_VIEWERS` into the environment's ``overrides.json``; return its path."""
    path = overrides_path(prefix)
    path.parent.mkdir(parents=True, exist_ok=True)
    settings = json.loads(path.read_text()) if path.exists() else {}
    for plugin, values in DEFAULT_VIEWERS.items():
        settings.setdefault(plugin, {}).update(values)
    path.write_text(json.dumps(settings, indent=2) + "\n")
    return path


if __name__ == "__main__":
    print(f"JupyterLab default viewers written to {install(sys.argv[1] if len(sys.argv) > 1 else None)}")
