"""Benchmark: skip-set on Go, Rust, Java (and JS) follows the change. Prints figures; not a test.

    python -m benchmarks.skip_set_languages [--files 20000] [--runs 3]

For each language a repository of FILES test files (five tests each), built by one
``git fast-import`` (guards/probe/repo.py ``build_pair``), and a PR that edits 10 of them, one
adding a skip in that language (``t.Skip()``, ``#[ignore]``, ``@Disabled``, ``it.skip``).
Printed per language: the tree size, the wall time of ``guards run --only skip-set`` as a new
process (median of RUNS), its exit code and verdict, and the files the collectors read at base
and at head, counted by wrapping ``RevisionFiles.read`` in one more, instrumented run (distinct
paths per revision: measured, not inferred). ``git diff --name-status`` on the same two commits
is timed as the reference floor, and ``guards --version`` as the start-up every run pays.

Test files sit PER_MODULE to a Go package, Rust crate, Maven module or JS folder, the 10
changed ones in 10 different modules. Go reads every ``_test.go`` of a changed file's package
(a helper in any of them can skip any test there), Rust the test targets of its crate, Java the
tests of its Maven module (a base class or composed annotation there can skip it): the work
follows the change at that granularity, and is the same at 2,000 and at 20,000 files.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from guards.core.git import isolated_env
from guards.probe.repo import Tree, build_pair

PER_MODULE = 20  # test files per Go package / Rust crate / Maven module / JS folder
TOUCHED = 10

# Runs guards in process with RevisionFiles.read (every collector's reads of a revision) and
# Git.read_many (every blob the gateway fetches, configs included) counted; prints the counts
# as one JSON line on stderr.
COUNT = (
    "import json, runpy, sys\n"
    "from guards.collect.files import RevisionFiles\n"
    "from guards.core.git import Git\n"
    "paths, blobs = {}, [0]\n"
    "real_read, real_many = RevisionFiles.read, Git.read_many\n"
    "def read(self, path):\n"
    "    data = real_read(self, path)\n"
    "    paths.setdefault(self.rev, {})[path] = data is not None\n"
    "    return data\n"
    "def read_many(self, specs):\n"
    "    blobs[0] += len(specs)\n"
    "    return real_many(self, specs)\n"
    "RevisionFiles.read, Git.read_many = read, read_many\n"
    "sys.argv = ['guards', *sys.argv[1:]]\n"
    "try:\n"
    "    runpy.run_module('guards', run_name='__main__')\n"
    "finally:\n"
    "    counts = {rev: sorted(p for p, ok in got.items() if ok) for rev, got in paths.items()}\n"
    "    absent = {rev: sum(not ok for ok in got.values()) for rev, got in paths.items()}\n"
    "    found = {'paths': counts, 'absent': absent, 'blobs': blobs[0]}\n"
    "    print('COUNTS ' + json.dumps(found), file=sys.stderr)\n"
)


def go_file(i: int, skip: bool = False) -> str:
    cases = "".join(
        f"func TestCase{i}_{k}(t *testing.T) {{\n"
        + ('\tt.Skip("flaky")\n' if skip and k == 4 else "")
        + f'\tif {i} + {k} != {i + k} {{\n\t\tt.Fatal("sum")\n\t}}\n}}\n\n'
        for k in range(5)
    )
    return f'package bench\n\nimport "testing"\n\n{cases}'


def rust_file(i: int, skip: bool = False) -> str:
    cases = "".join(
        "#[test]\n"
        + ("#[ignore]\n" if skip and k == 4 else "")
        + f"fn case_{k}() {{\n    assert_eq!({i} + {k}, {i + k});\n}}\n\n"
        for k in range(5)
    )
    return cases


def java_file(i: int, skip: bool = False) -> str:
    cases = "".join(
        "    @Test\n"
        + ('    @Disabled("flaky")\n' if skip and k == 4 else "")
        + f"    void case{k}() {{\n        assertEquals({i + k}, {i} + {k});\n    }}\n\n"
        for k in range(5)
    )
    return (
        "package bench;\n\n"
        "import static org.junit.jupiter.api.Assertions.assertEquals;\n\n"
        "import org.junit.jupiter.api.Disabled;\nimport org.junit.jupiter.api.Test;\n\n"
        f"class M{i}Test {{\n{cases}}}\n"
    )


def js_file(i: int, skip: bool = False) -> str:
    cases = "".join(
        f"  {'it.skip' if skip and k == 4 else 'it'}('case {k}', () => {{\n"
        f"    expect({i} + {k}).toBe({i + k});\n  }});\n"
        for k in range(5)
    )
    return f"describe('module {i}', () => {{\n{cases}}});\n"


def pom(artifact: str, modules: list[str] | None = None) -> str:
    listed = "".join(f"<module>{m}</module>" for m in modules or [])
    packaging = "<packaging>pom</packaging>" if modules else ""
    return (
        '<project xmlns="http://maven.apache.org/POM/4.0.0">\n'
        "  <modelVersion>4.0.0</modelVersion>\n"
        f"  <groupId>bench</groupId><artifactId>{artifact}</artifactId>"
        f"<version>1</version>{packaging}\n"
        f"  <modules>{listed}</modules>\n</project>\n"
    )


def cargo(name: str) -> str:
    return f'[package]\nname = "{name}"\nversion = "0.1.0"\nedition = "2021"\n'


Layout = Callable[[int], str]


class Language:
    """Where test I lives, its text, and the configuration files of the tree."""

    def __init__(
        self,
        name: str,
        path: Layout,
        text: Callable[[int, bool], str],
        configs: dict[str, str],
        skip: str,
    ) -> None:
        self.name, self.path, self.text, self.configs, self.skip = name, path, text, configs, skip


def languages(files: int) -> list[Language]:
    """Test I lives in module I % MODULES: the 10 changed tests in 10 different modules."""
    modules = max(files // PER_MODULE, TOUCHED)
    crates = [f"c{m:04d}" for m in range(modules)]
    mods = [f"m{m:04d}" for m in range(modules)]
    return [
        Language(
            "go",
            lambda i: f"pkg{i % modules:04d}/m{i}_test.go",
            go_file,
            {"go.mod": "module example.com/bench\n\ngo 1.21\n"},
            "t.Skip()",
        ),
        Language(
            "rust",
            lambda i: f"{crates[i % modules]}/tests/t{i}.rs",
            rust_file,
            {
                "Cargo.toml": "[workspace]\nmembers = ["
                + ", ".join(f'"{c}"' for c in crates)
                + ']\nresolver = "2"\n',
                **{f"{c}/Cargo.toml": cargo(c) for c in crates},
                **{f"{c}/src/lib.rs": "pub fn id(x: u32) -> u32 {\n    x\n}\n" for c in crates},
            },
            "#[ignore]",
        ),
        Language(
            "java",
            lambda i: f"{mods[i % modules]}/src/test/java/bench/M{i}Test.java",
            java_file,
            {"pom.xml": pom("root", mods), **{f"{m}/pom.xml": pom(m) for m in mods}},
            "@Disabled",
        ),
        Language(
            "js",
            lambda i: f"pkg{i % modules:04d}/src/m{i}.test.ts",
            js_file,
            {"package.json": '{ "name": "bench", "jest": { "testPathIgnorePatterns": [] } }\n'},
            "it.skip",
        ),
    ]


def build(lang: Language, root: Path, files: int) -> tuple[str, str]:
    """BASE: the configs and FILES tests; HEAD: TOUCHED of them edited, the first with a skip."""
    base: Tree = {p: ("100644", t.encode()) for p, t in lang.configs.items()}
    base |= {lang.path(i): ("100644", lang.text(i, False).encode()) for i in range(files)}
    head = dict(base)
    for i in range(TOUCHED):
        edited = lang.text(i, i == 0) + ("\n// edited\n" if lang.name != "rust" else "\n")
        head[lang.path(i)] = ("100644", edited.encode())
    return build_pair(root, base, head, "feature")


def timed(argv: list[str], cwd: Path, runs: int) -> tuple[float, subprocess.CompletedProcess[str]]:
    times, proc = [], None
    for _ in range(runs):
        started = time.perf_counter()
        proc = subprocess.run(
            argv, cwd=cwd, env=isolated_env(), capture_output=True, text=True, check=False
        )
        times.append(time.perf_counter() - started)
    assert proc is not None
    return statistics.median(times), proc


def verdict(stdout: str) -> str:
    """The guard's status and the first finding's test, from ``--format json``."""
    try:
        doc = json.loads(stdout)
    except ValueError:
        return "unparsed output"
    text = json.dumps(doc)
    status = "fail" if '"status": "fail"' in text else "pass" if '"pass"' in text else "?"
    found = _findings(doc)
    named = f"; {found[0]}" if found else ""
    return status + named


def _findings(doc: object) -> list[str]:
    out: list[str] = []
    if isinstance(doc, dict):
        if "rule" in doc and "message" in doc:
            out.append(f"{doc['rule']}: {str(doc['message'])[:90]}")
        for v in doc.values():
            out += _findings(v)
    elif isinstance(doc, list):
        for v in doc:
            out += _findings(v)
    return out


def measure(lang: Language, files: int, runs: int) -> None:
    with tempfile.TemporaryDirectory(ignore_cleanup_errors=True) as tmp:
        root = Path(tmp) / "repo"
        t0 = time.perf_counter()
        base, head = build(lang, root, files)
        built = time.perf_counter() - t0
        tree = len(
            subprocess.run(
                ["git", "-C", str(root), "ls-tree", "-r", "--name-only", head],
                env=isolated_env(), capture_output=True, text=True, check=True,
            ).stdout.splitlines()
        )  # fmt: skip # -- a packed call reads better here
        diff, _ = timed(["git", "diff", "--name-status", base, head], root, runs)
        args = ["run", "--repo", str(root), "--base", base, "--head", head]
        args += ["--only", "skip-set", "--format", "json"]
        wall, proc = timed([sys.executable, "-m", "guards", *args], root, runs)
        counted = subprocess.run(
            [sys.executable, "-c", COUNT, *args],
            cwd=root, env=isolated_env(), capture_output=True, text=True, check=False,
        )  # fmt: skip # -- a packed call reads better here
        line = next(s for s in counted.stderr.splitlines() if s.startswith("COUNTS "))
        counts = json.loads(line.removeprefix("COUNTS "))
        changed = {lang.path(i) for i in range(TOUCHED)}
        sides = []
        for rev in (base, head):
            got = counts["paths"].get(rev, [])
            tests = sum(p in changed for p in got)
            configs = sum(p in lang.configs for p in got)
            others = len(got) - tests - configs
            sides.append(
                f"{len(got)} files = {tests} changed tests + {others} other tests + "
                f"{configs} configs ({counts['absent'].get(rev, 0)} absent paths probed)"
            )
        print(
            f"{lang.name:<5} {lang.skip:<10} tree {tree:>6} files (built {built:4.1f}s) | "
            f"guards run --only skip-set {wall:5.2f}s, exit {proc.returncode} "
            f"({verdict(proc.stdout)})"
        )
        print(f"      read at base: {sides[0]}")
        print(f"      read at head: {sides[1]}")
        print(
            f"      gateway blob reads {counts['blobs']} | "
            f"git diff --name-status {diff * 1000:.0f} ms (reference)"
        )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--files", type=int, default=20_000)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--only", choices=["go", "rust", "java", "js"], action="append")
    opts = ap.parse_args()
    startup, _ = timed([sys.executable, "-m", "guards", "--version"], Path.cwd(), opts.runs)
    print(
        f"{opts.files} test files per language, {PER_MODULE} per package/crate/module, "
        f"{TOUCHED} touched; {os.cpu_count()} cores, load {os.getloadavg()[0]:.1f}; "
        f"guards --version (interpreter + imports, every run pays it) {startup:.2f}s"
    )
    for lang in languages(opts.files):
        if not opts.only or lang.name in opts.only:
            measure(lang, opts.files, opts.runs)


if __name__ == "__main__":
    main()
