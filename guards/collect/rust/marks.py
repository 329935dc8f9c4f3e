"""The skips a test's attributes give it: a false ``#[cfg]``, ``#[ignore]``,
``#[should_panic]``, written back as Rust source for the finding (pure).

The trap: after ``cfg_attr`` expansion an ``ignore`` no longer shows where it came from, so the
detail names the ``cfg_attr`` it was written in.
"""

from __future__ import annotations

from guards.collect.model import Skip, Undecidable
from guards.collect.rust import cfg
from guards.collect.rust.meta import Meta


def cfg_skip(metas: list[tuple[Meta, int]], env: cfg.Env, path: str) -> Skip | None:
    for meta, at in metas:
        try:
            false = cfg.cfg_false([meta], env)
        except cfg.CfgUnknown as error:
            raise Undecidable(path, at, str(error)) from error
        if false is not None:
            return Skip("rust-cfg", at, f"#[{show(false)}] is false on a default build", path)
    return None


def marks(metas: list[tuple[Meta, int]]) -> list[Skip]:
    skips: list[Skip] = []
    for meta, at in metas:
        if meta.path == "ignore":
            skips.append(Skip("rust-ignore", at, f"#[{show(meta)}]{_origin(meta)}"))
        elif meta.path == "should_panic":
            skips.append(
                Skip("should-panic", at, f"#[{show(meta)}]{_origin(meta)}: it passes by panicking")
            )
    return skips


def show(meta: Meta) -> str:
    """A meta item written back as Rust source."""
    if meta.value is not None:
        return f'{meta.path} = "{meta.value}"'
    if meta.args is not None:
        return f"{meta.path}({', '.join(show(a) for a in meta.args)})"
    return meta.path


def _origin(meta: Meta) -> str:
    return f" from #[{meta.source}]" if meta.source else ""
