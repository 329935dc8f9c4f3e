"""Package names: each ecosystem's own normalization, and look-alike detection.

normalize() is what the registry treats as the same package (PEP 503 for PyPI; crates.io
folds case and ``-``/``_``; npm, Go, RubyGems and Maven names are exact: ``Lodash`` is
not ``lodash``). fold() goes
further, to what a reader cannot tell apart: Unicode compatibility forms and confusables
(Cyrillic ``\u0430`` for ``a``), ``0``/``1`` for ``o``/``l``, case and separators. A new name
imitates a known one when it folds to the same text while being a different package, or is
within a small edit distance (transpositions count as one edit: ``lodahs`` -> ``lodash``).
A name that is a known one with whole words added before or after it (``pre-commit-uv``,
``jsonschema-rs``: a plugin's or a port's name) is read as another name, not a misspelling:
a reader sees the separator and the word; the words are compared folded, so ``lodash-merge``
still imitates ``lodash.merge``.
The trap: short names collide by chance, so names under MIN_LENGTH are only compared folded.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

from packaging.utils import canonicalize_name
from rapidfuzz.distance import OSA

MIN_LENGTH = 5
SEPARATORS = re.compile(r"[-_.\s]+")
CONFUSABLES = str.maketrans(
    "\u0430\u0435\u043e\u0440\u0441\u0443\u0445\u0456\u0458\u0455\u0501\u051b\u051d\u0261\u03bf\u03b1\u03c1\u03c4\u03b9\u03ba\u03c5\u03bd\u0475\u057d\u0585\u04cf\u026901",
    "aeopcyxijsdqwgoaptikuvvuoliol",
)


def normalize(ecosystem: str, name: str) -> str:
    if ecosystem == "pypi" and name.isascii():
        return str(canonicalize_name(name))
    if ecosystem == "cargo":
        return name.lower().replace("_", "-")
    return name.strip()


def fold(name: str) -> str:
    text = unicodedata.normalize("NFKC", name).casefold().translate(CONFUSABLES)
    text = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    return SEPARATORS.sub("", text)


def imitated(ecosystem: str, name: str, known: Iterable[str], max_distance: int) -> str | None:
    """The known name NAME imitates, or None (a known name never imitates itself)."""
    mine, folded = normalize(ecosystem, name), fold(name)
    best: tuple[int, str] | None = None
    for other in known:
        if normalize(ecosystem, other) == mine:
            return None
        if _extends(name, other):
            continue
        distance = _distance(folded, fold(other), max_distance)
        if distance is not None and (best is None or distance < best[0]):
            best = (distance, other)
    return best[1] if best else None


def _extends(name: str, other: str) -> bool:
    """Whether NAME is OTHER with whole words before or after it (words: between separators,
    each folded)."""
    mine, theirs = _words(name), _words(other)
    size = len(theirs)
    return len(mine) > size and theirs in (mine[:size], mine[-size:])


def _words(name: str) -> list[str]:
    return [fold(w) for w in SEPARATORS.split(unicodedata.normalize("NFKC", name)) if w]


def _distance(a: str, b: str, max_distance: int) -> int | None:
    if a == b:
        return 0
    if min(len(a), len(b)) < MIN_LENGTH:
        return None
    allowed = min(max_distance, 1 if min(len(a), len(b)) < 9 else 2)
    distance = OSA.distance(a, b, score_cutoff=allowed)
    return distance if distance <= allowed else None
