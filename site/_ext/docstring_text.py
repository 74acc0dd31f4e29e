"""Docstrings are written for readers of ``help()``: ``|H|`` there is a magnitude, not a reST
substitution reference. Escape such bars before Sphinx parses the docstring (after napoleon has
turned the numpydoc sections into reST), outside inline literals, roles, doctests and literal blocks.
"""

import re

# |x| that reST would take for a substitution reference: bars around text with no space inside them.
BARS = re.compile(r"\|(?=\S)([^|`]*?\S)\|")
LITERAL = re.compile(r"(``.*?``|`[^`]*`)")


def escape_line(line):
    parts = LITERAL.split(line)
    return "".join(part if index % 2 else BARS.sub(r"\\|\1\\|", part) for index, part in enumerate(parts))


def escape_bars(app, what, name, obj, options, lines):
    in_doctest, literal_indent = False, None
    for index, line in enumerate(lines):
        stripped = line.strip()
        indent = len(line) - len(line.lstrip())
        if literal_indent is not None and stripped and indent <= literal_indent:
            literal_indent = None  # the literal block after a "::" ends where the text comes back
        if stripped.startswith(">>>"):
            in_doctest = True
        elif not stripped:
            in_doctest = False
        if stripped and not in_doctest and literal_indent is None:
            lines[index] = escape_line(line)
            if stripped.endswith("::"):
                literal_indent = indent


def setup(app):
    app.connect("autodoc-process-docstring", escape_bars, priority=600)  # after napoleon (500)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
