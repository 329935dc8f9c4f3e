"""Section numbers: ``4``, ``4.2``, ``4.2.1`` as tuples of ints, and how they relate."""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable

Number = tuple[int, ...]

# ASCII digits only: fullwidth or other Unicode digits are look-alikes, not section numbers.
NUMBER = r"[0-9]{1,6}(?:\.[0-9]{1,6}){0,7}"
_EXACT = re.compile(NUMBER + r"\.?")


@functools.lru_cache(maxsize=4096)
def parse(text: str) -> Number | None:
    """``"4.2"`` -> (4, 2); a trailing dot is allowed (``"6."``); anything else -> None."""
    text = text.strip()
    if not _EXACT.fullmatch(text):
        return None
    return tuple(int(part) for part in text.rstrip(".").split("."))


def show(number: Number) -> str:
    return ".".join(str(part) for part in number)


def cite(number: Number) -> str:
    return "§" + show(number)


def within(inner: Number, outer: Number) -> bool:
    """INNER is OUTER or one of its subsections (4.2.1 is within 4.2 and within 4)."""
    return inner[: len(outer)] == outer


def related(a: Number, b: Number) -> bool:
    """One of A and B is within the other."""
    return within(a, b) or within(b, a)


def parent(number: Number) -> Number | None:
    return number[:-1] or None


def in_range(number: Number, first: Number, last: Number) -> bool:
    """NUMBER is a sibling of FIRST and LAST lying between them (``§§4.1-4.3`` holds 4.2)."""
    if len(first) != len(last) or first[:-1] != last[:-1]:
        return number in (first, last)
    low, high = sorted((first[-1], last[-1]))
    return number[:-1] == first[:-1] and len(number) == len(first) and low <= number[-1] <= high


def listing(numbers: Iterable[Number], limit: int = 12, *, sign: bool = False) -> str:
    """``4.1, 4.2`` or ``§4.1, §4.2`` (at most LIMIT, then how many more)."""
    items = list(numbers)  # only the shown ones are formatted: a level may hold thousands
    head = ", ".join(cite(n) if sign else show(n) for n in items[:limit])
    return head + (f" and {len(items) - limit} more" if len(items) > limit else "")
