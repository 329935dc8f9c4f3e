"""A document plainly valid under a simple JSON Schema, decided without loading jsonschema.

The contract: ``plainly_valid(doc, schema)`` is True only when jsonschema (Draft 2020-12) would
find no error; False means "ask jsonschema", which then gives the verdict and the message. So
the answer may be a cautious False, never a wrong True. The subset it knows: ``type`` (object,
array, string, boolean, integer as Python int; one or a list), ``properties``,
``additionalProperties`` (false or a schema), ``required``, ``items`` (one schema) and
``minLength``; a schema with any other keyword, and a value of any other kind (a float, None,
a bool where an integer is asked), is False. Why: a scope file is read on every manifest-scope
run, and importing jsonschema to check a two-key document cost more than judging 20,000 paths
(issue 18).
The trap: JSON Schema types are not Python's: a bool is not an integer, a tuple is not an array.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

_KNOWN = {"type", "properties", "additionalProperties", "required", "items", "minLength"}
_TYPES: dict[str, Any] = {"object": dict, "array": list, "string": str, "boolean": bool}


def plainly_valid(doc: Any, schema: Mapping[str, Any]) -> bool:
    """True only when DOC has no error under SCHEMA (a cautious False: ask jsonschema)."""
    if not isinstance(schema, Mapping) or not _KNOWN.issuperset(schema):
        return False
    if not _typed(doc, schema.get("type")):
        return False
    if isinstance(doc, str):
        return len(doc) >= int(schema.get("minLength", 0))
    if isinstance(doc, list):
        items = schema.get("items", {})
        return all(plainly_valid(x, items) for x in doc)
    if isinstance(doc, dict):
        return _object_valid(doc, schema)
    return True  # a bool or an int of the asked type: no keyword of the subset applies


def _typed(doc: Any, expected: Any) -> bool:
    """DOC is of a type EXPECTED names, one or a list (no type: a string, list, mapping, bool
    or int)."""
    if isinstance(expected, list):
        return any(isinstance(t, str) and _typed(doc, t) for t in expected)
    if expected is None:
        return type(doc) in (str, list, dict, bool, int)
    if expected == "integer":
        return type(doc) is int
    kind = _TYPES.get(expected) if isinstance(expected, str) else None
    return kind is not None and type(doc) is kind


def _object_valid(doc: dict[Any, Any], schema: Mapping[str, Any]) -> bool:
    properties = schema.get("properties", {})
    extra = schema.get("additionalProperties", True)
    if not all(isinstance(k, str) for k in doc) or not set(schema.get("required", ())) <= set(doc):
        return False
    for key, value in doc.items():
        sub = properties.get(key, extra)
        if sub is False or (sub is not True and not plainly_valid(value, sub)):
            return False
    return True
