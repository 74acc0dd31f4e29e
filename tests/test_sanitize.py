"""The nbval sanitizer (tests/nbval_sanitize.cfg) replaces what it means to, and nothing else."""

import configparser
import json
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CONFIG = ROOT / "tests" / "nbval_sanitize.cfg"


def rules():
    parser = configparser.ConfigParser()
    parser.read(CONFIG)
    return {
        section: (re.compile(parser[section]["regex"]), parser[section]["replace"]) for section in parser.sections()
    }


def sanitize(text):
    """What nbval does with the config: apply every rule, in order."""
    for pattern, replacement in rules().values():
        text = pattern.sub(replacement, text)
    return text


REPLACED = [
    ("<function f at 0x7f3a2b1c9d30>", "<function f at 0xADDRESS>"),
    ("<deconvlab.SVDFactorization object at 0x7F3A2B1C>", "<deconvlab.SVDFactorization object at 0xADDRESS>"),
]
KEPT = [
    "<Figure size 1000x540 with 2 Axes>",  # a figure size is not an address
    "<Figure size 640x480 with 1 Axes>",
    "threshold 1e-10: cut-off 3.40 Hz",
    "0x1f",  # too short to be a pointer
    "RMSE 0.4 s",
]


def test_there_is_exactly_the_address_rule():
    assert list(rules()) == ["memory addresses, as in <function f at 0x7f3a2b1c9d30>"]


@pytest.mark.parametrize("text, expected", REPLACED)
def test_addresses_are_replaced(text, expected):
    assert sanitize(text) == expected


@pytest.mark.parametrize("text", KEPT)
def test_other_text_is_left_alone(text):
    assert sanitize(text) == text


def test_stored_outputs_change_only_where_an_address_is():
    """Every stored text output that the sanitizer changes holds an address (no rule eats data)."""
    for path in sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb")):
        for cell in json.loads(path.read_text())["cells"]:
            for output in cell.get("outputs", []):
                text = "".join(output.get("text", "")) + "".join(output.get("data", {}).get("text/plain", ""))
                if sanitize(text) != text:
                    assert " at 0x" in text, f"{path.name}: the sanitizer changed {text[:80]!r}"
