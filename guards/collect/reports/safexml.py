"""Parse an untrusted XML report safely: size bounded, depth bounded, no DTD, no entities.

junitparser parses with lxml when it is installed, and lxml resolves external entities and
URLs; so the XML is parsed here with defusedxml (DTDs, entity declarations and external
references refused) and only the resulting root element is handed to junitparser. Depth is
counted while the parser streams, so a deeply nested file stops before its tree is built.
"""

from __future__ import annotations

import io
from typing import cast
from xml.etree.ElementTree import Element, ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import iterparse

from guards.errors import GuardsError

MAX_DEPTH = 64


def parse(data: bytes, name: str) -> Element:
    """The root element of DATA; GuardsError naming NAME when it is not safe, well-formed XML."""
    try:
        return _stream(data, name)
    except (ParseError, DefusedXmlException, ValueError) as exc:
        raise GuardsError(f"test report {name} is not a readable XML report: {exc}") from exc


def _stream(data: bytes, name: str) -> Element:
    depth, root = 0, cast("Element | None", None)
    events = iterparse(io.BytesIO(data), ("start", "end"), forbid_dtd=True)
    for event, elem in events:
        depth += 1 if event == "start" else -1
        root = elem if root is None else root
        if depth > MAX_DEPTH:
            raise GuardsError(f"test report {name} nests XML deeper than {MAX_DEPTH} levels")
    if root is None:
        raise GuardsError(f"test report {name} holds no XML element")
    return root
