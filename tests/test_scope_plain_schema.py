"""plainly_valid never says valid where jsonschema finds an error (the scope file's fast path).

Generated documents (strings, empty strings, ints, bools, floats, None, lists, mappings with the
schema's own keys and others) against the scope file's schema, guards.yaml's schema and small
generated schemas of the known subset: a True from plainly_valid is a document jsonschema finds
no error in. The plain scope files manifest-scope reads every run take the fast path.
"""

from __future__ import annotations

from typing import Any

import jsonschema
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from guards.config import SCHEMA, SCOPE_SCHEMA, validate
from guards.errors import ConfigError
from guards.plain_schema import plainly_valid

KEYS = ["allow", "deny", "sections", "title", "tests", "other", "manifest-scope", "deny "]
LEAF = st.one_of(st.text(max_size=3), st.integers(-2, 2), st.booleans(), st.none(), st.floats(0, 1))
DOCS = st.recursive(
    LEAF,
    lambda inner: st.one_of(
        st.lists(inner, max_size=3),
        st.dictionaries(st.one_of(st.sampled_from(KEYS), st.integers(0, 1)), inner, max_size=4),
    ),
    max_leaves=12,
)
NAMES = ["object", "array", "string", "boolean", "integer", "number", "null"]
TYPES = st.one_of(st.sampled_from(NAMES), st.lists(st.sampled_from(NAMES), min_size=1, max_size=3))
SCHEMAS = st.recursive(
    st.fixed_dictionaries(
        {},
        optional={"type": TYPES, "minLength": st.integers(0, 2)},
    ),
    lambda inner: st.fixed_dictionaries(
        {},
        optional={
            "type": TYPES,
            "items": inner,
            "properties": st.dictionaries(st.sampled_from(KEYS), inner, max_size=3),
            "additionalProperties": st.one_of(st.booleans(), inner),
            "required": st.lists(st.sampled_from(KEYS), max_size=2, unique=True),
            "enum": st.just(["allow"]),
        },
    ),
    max_leaves=6,
)


def jsonschema_valid(doc: Any, schema: dict[str, Any]) -> bool:
    return not list(jsonschema.Draft202012Validator(schema).iter_errors(doc))


@settings(max_examples=800, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(DOCS, st.sampled_from([SCOPE_SCHEMA, SCHEMA]))
def test_plainly_valid_only_where_jsonschema_agrees(doc: Any, schema: dict[str, Any]) -> None:
    if plainly_valid(doc, schema):
        assert jsonschema_valid(doc, schema)


@settings(max_examples=800, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(DOCS, SCHEMAS)
def test_plainly_valid_under_generated_schemas(doc: Any, schema: dict[str, Any]) -> None:
    if plainly_valid(doc, schema):
        assert jsonschema_valid(doc, schema)


@pytest.mark.parametrize(
    "doc",
    [
        {"allow": ["src/**"]},
        {"allow": ["src/**", "!src/x/"], "deny": ["src/secrets/**"], "title": "t"},
        {"allow": [], "tests": ["tests/test_a.py"], "sections": ["4.2", 7]},
    ],
)
def test_plain_scope_files_take_the_fast_path(doc: dict[str, Any]) -> None:
    assert plainly_valid(doc, SCOPE_SCHEMA)
    validate(doc, SCOPE_SCHEMA, "scope/T-1.yaml")


@pytest.mark.parametrize(
    ("doc", "says"),
    [
        ({"allow": ["src/**", ""]}, "allow"),
        ({"allow": ["a"], "deny": "src/**"}, "deny"),
        ({"deny": ["a"]}, "allow"),
        ({"allow": ["a"], "extra": 1}, "extra"),
        ({"allow": [True]}, "allow"),
        ({"allow": ["a"], "sections": [True]}, "sections"),
    ],
)
def test_an_invalid_scope_file_still_gets_jsonschema_s_message(
    doc: dict[str, Any], says: str
) -> None:
    assert not plainly_valid(doc, SCOPE_SCHEMA)
    with pytest.raises(ConfigError, match=says):
        validate(doc, SCOPE_SCHEMA, "scope/T-1.yaml")
