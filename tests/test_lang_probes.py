"""The Go and Rust skip-set probes, judged with the collectors directly.

Until the shared wiring (skip-set over guards.collect.languages) lands, ``guards probe`` cannot
judge tests/probes/skip-set/go-*.yaml and rust-*.yaml; this test builds each probe's real
repository exactly as the probe runner does, collects the files the change touches at base and
at head through git, and applies skip-set's own comparison (guards.collect.compare): a
must-fail probe grows the skip set (naming the tests its findings name), a must-pass one does not.
(The same probes pass through ``guards probe`` once merged with the JS branch's wiring.)
"""

from __future__ import annotations

import importlib
import subprocess
from pathlib import Path
from types import ModuleType

import pytest

from guards.collect.compare import Side, compare
from guards.collect.languages import LANGUAGES
from guards.collect.model import FileResult, Undecidable
from guards.probe.model import Probe, load_probe
from guards.probe.run import build
from tests.lang_support import RevFiles

ROOT = Path(__file__).parent / "probes" / "skip-set"
PROBES = sorted([*ROOT.glob("go-*.yaml"), *ROOT.glob("rust-*.yaml")])


def changed(root: Path, base: str, head: str) -> list[str]:
    out = subprocess.run(
        ["git", "diff", "--no-renames", "--name-only", "-z", base, head],
        cwd=root,
        capture_output=True,
        check=True,
    ).stdout.decode()
    return [p for p in out.split("\0") if p]


def collector(language: str) -> ModuleType:
    return importlib.import_module(LANGUAGES[language])


def widened(module: ModuleType, base: RevFiles, head: RevFiles, paths: list[str]) -> list[str]:
    """PATHS plus the files under every folder a changed path widens to (as the wiring does)."""
    widens = getattr(module, "widens", None)
    folders = {f for f in (widens(p, base, head) for p in paths) if f is not None} if widens else ()
    more = [q for f in folders for side in (base, head) for q in side.below(f)]
    return sorted({*paths, *more})


def side(root: Path, rev: str, language: str, paths: list[str]) -> list[FileResult]:
    module = collector(language)
    return list(module.collect(RevFiles(root, rev), [p for p in paths if module.claims(p)]))


def grown(probe: Probe, tmp: Path) -> set[str]:
    root = tmp / "repo"
    base, head = build(probe, root)
    language = "go" if Path(probe.path).name.startswith("go-") else "rust"
    paths = widened(
        collector(language), RevFiles(root, base), RevFiles(root, head), changed(root, base, head)
    )
    before = Side.of(side(root, base, language, paths))
    after = Side.of(side(root, head, language, paths))
    return {g.test.nodeid for g in compare(before, after, {}, True).grown}


@pytest.mark.parametrize("path", PROBES, ids=lambda p: p.stem)
def test_lang_probe(path: Path, tmp_path: Path) -> None:
    probe = load_probe(path)
    rules = {f.get("rule") for f in probe.doc.get("findings", [])}
    if probe.expect == "fail" and "skip_set_decidable" in rules:
        with pytest.raises(Undecidable):  # the guard fails it as skip_set_decidable
            grown(probe, tmp_path)
        return
    found = grown(probe, tmp_path)
    if probe.expect == "pass":
        assert not found, f"{probe.title}: flagged {sorted(found)}"
        return
    assert found, f"{probe.title}: not caught"
    wanted = {f["test"] for f in probe.doc.get("findings", []) if "test" in f}
    assert wanted <= found, f"{probe.title}: missing {sorted(wanted - found)} in {sorted(found)}"


def test_probe_counts() -> None:
    for language in ("go", "rust"):
        probes = [load_probe(p) for p in PROBES if p.name.startswith(f"{language}-")]
        fails = [p for p in probes if p.expect == "fail"]
        assert len(fails) >= 40, language
        assert len(probes) - len(fails) >= 15, language
