"""``#[cfg(...)]`` and ``#[cfg_attr(...)]`` on a default ``cargo test`` build on
x86_64-unknown-linux-gnu, with the package's default features (pure).

True: ``test``, ``debug_assertions``, ``overflow_checks``, ``unix``, ``target_os = "linux"``,
``target_family = "unix"``, ``target_arch = "x86_64"``, ``target_pointer_width = "64"``,
``target_endian = "little"``, ``target_env = "gnu"``, ``panic = "unwind"``, the features the
default set enables. False: any other name or value (``windows``, ``miri``, ``doc``, ``docsrs``,
a feature not enabled by default). The trap: a package with a build script can set its own cfg
names (``cargo:rustc-cfg``), so an unknown name there is Undecidable, not false; the names
cargo and docs.rs set (``docsrs``: only for rustdoc) are known even there.
"""

from __future__ import annotations

from guards.collect.rust.meta import Meta
from guards.core.records import record

FLAGS = frozenset({"test", "debug_assertions", "overflow_checks", "unix", "ub_checks"})
KNOWN_FALSE = frozenset(
    {"windows", "miri", "doc", "docsrs", "doctest", "proc_macro", "clippy", "rustfmt"}
)  # docsrs: docs.rs passes it to rustdoc, never to `cargo test` (serde's #[cfg(docsrs)] mod)
VALUES = {
    "target_os": {"linux"},
    "target_family": {"unix"},
    "target_arch": {"x86_64"},
    "target_pointer_width": {"64"},
    "target_endian": {"little"},
    "target_env": {"gnu"},
    "target_vendor": {"unknown"},
    "target_abi": {""},
    "panic": {"unwind"},
    "target_has_atomic": {"8", "16", "32", "64", "ptr"},
    "target_feature": {"sse", "sse2", "fxsr"},
    "relocation_model": {"pic"},
}


# Attributes that make, drop, skip or move a test (a module's file), or bring a test macro in
MATTERS = frozenset(
    {"test", "ignore", "should_panic", "cfg", "cfg_attr", "path", "macro_use", "macro_export"}
)


class CfgUnknown(ValueError):
    """A cfg name the build script may set: its value cannot be known statically."""


@record
class Env:
    features: frozenset[str]
    build_script: bool = False


def evaluate(meta: Meta, env: Env) -> bool:
    """The value of a cfg predicate; CfgUnknown when it depends on the build script."""
    if meta.raw:
        raise CfgUnknown(f"cannot read the cfg predicate {meta.path}")
    if meta.args is not None:
        return _combine(meta, env)
    if meta.value is not None:
        if meta.path == "feature":
            return meta.value in env.features
        if meta.path in VALUES:
            return meta.value in VALUES[meta.path]
        return _unknown(meta.path, env)
    if meta.path in {"true", "false"}:
        return meta.path == "true"
    if meta.path in FLAGS or meta.path in KNOWN_FALSE:
        return meta.path in FLAGS
    return _unknown(meta.path, env)


def _combine(meta: Meta, env: Env) -> bool:
    args = meta.args or ()
    if meta.path == "any":
        return any(evaluate(a, env) for a in args)
    if meta.path == "all":
        return all(evaluate(a, env) for a in args)
    if meta.path == "not" and len(args) == 1:
        return not evaluate(args[0], env)
    raise CfgUnknown(f"cannot read the cfg predicate {meta.path}(...)")


def _unknown(name: str, env: Env) -> bool:
    if env.build_script:
        raise CfgUnknown(f"cfg {name} may be set by the package's build script")
    return False


def expand(attrs: list[Meta], env: Env) -> list[Meta]:
    """ATTRS with every ``cfg_attr(pred, a, b)`` replaced by ``a, b`` when pred holds. One
    that can add no attribute the collector reads (pydantic-core's ``cfg_attr(
    has_coverage_attribute, coverage(off))``, a build script's cfg) is dropped unread: which
    way its predicate goes changes no test."""
    out: list[Meta] = []
    for attr in attrs:
        if attr.path == "cfg_attr" and attr.args:
            if _matters(attr.args[1:]) and evaluate(attr.args[0], env):
                out.extend(expand(list(attr.args[1:]), env))
            continue
        out.append(attr)
    return out


def _matters(attrs: tuple[Meta, ...]) -> bool:
    """Whether ATTRS hold an attribute that decides a test (MATTERS, by its last name: a
    ``tokio::test``), or one not read as an attribute at all (raw tokens)."""
    return any(a.raw or a.name in MATTERS for a in attrs)


def cfg_false(attrs: list[Meta], env: Env) -> Meta | None:
    """The first ``cfg(...)`` among ATTRS (already expanded) that is false, if any."""
    for attr in attrs:
        args = attr.args or ()
        if attr.path == "cfg" and len(args) == 1 and not evaluate(args[0], env):
            return attr
    return None
