"""Parse with tree-sitter within a time bound.

Contract: ``parse(parser, data, path)`` is ``parser.parse(data)``, the tree for any input that
parses in BASE_SECONDS plus a second per BYTES_PER_SECOND of it; past that the parse is halted
and a GuardsError names the file: it cannot be judged, exit 2. A normal file parses two orders
of magnitude inside its bound (eslint's 49 KB linter.js: 5 ms of a 1.5 s bound).

The trap: tree-sitter's error recovery is super-linear on some inputs, and a pull request
chooses its files: ``-{`` repeated parses as JavaScript in 0.3 s at 2 KB, 18.6 s at 16 KB and
340 s at 60 KB (found by a fuzz of the ESLint flat-config reader). A bound on size alone does
not stop that; only time does. tree-sitter checks a progress callback while it parses, but only
for input it reads through a callback, so the bytes are handed over that way, in CHUNK pieces.
A tree parsed so holds no bytes: a node's ``text`` calls the reader again (20,000 comments read
that way took 7 s), so the tree returned is the same parse done again from the bytes with the
timed tree as its old tree: every node is reused (6% of a parse). A parser halted midway would
resume that parse on its next call: it is reset first.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from guards.errors import GuardsError

if TYPE_CHECKING:
    from tree_sitter import Parser, Tree

BASE_SECONDS = 1.0
BYTES_PER_SECOND = 100_000  # tree-sitter parses source at tens of MB/s: this is far below
CHUNK = 1 << 16  # bytes the parser reads at a time


def parse(parser: Parser, data: bytes, path: str) -> Tree:
    """The tree-sitter Tree of DATA (the file PATH) by PARSER, within the bound above."""
    budget = BASE_SECONDS + len(data) / BYTES_PER_SECOND
    deadline = time.monotonic() + budget

    def read(offset: int, _point: object) -> bytes:
        return data[offset : offset + CHUNK]

    try:
        timed = parser.parse(read, progress_callback=lambda *_: time.monotonic() > deadline)
    except ValueError:  # halted by the callback (tree-sitter says "Parsing failed")
        parser.reset()
        raise GuardsError(
            f"{path}: tree-sitter could not parse it within {budget:.1f} s (its error recovery "
            "is super-linear on some malformed input); fix the file's syntax"
        ) from None
    return parser.parse(data, old_tree=timed)  # the same tree, every node reused, with its bytes
