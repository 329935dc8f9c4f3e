"""The resolver's text-first pruning (guards/collect/python/sources/reach.py), on real git
repositories: what it rules out, that pruning never changes what the collector finds (every
skip-set probe about helpers, both sides, pruned and unpruned), its bounds, and its cache record."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from guards.collect.model import Undecidable
from guards.collect.python import skip_sets
from guards.collect.python.collector import Collector, Request
from guards.collect.python.sources import attribute_owners, reach, revision
from guards.collect.python.sources.revision import Revision
from guards.core.git import Git
from guards.errors import GuardsError
from guards.probe.model import load_probe, shipped_dir
from guards.probe.run import build
from testing.git_repo import ScratchRepo, guards_cli, pr_repo
from testing.strategies import json_values

LIBRARY = {
    "lib/__init__.py": "",
    "lib/algebra.py": "def compute(x):\n    return x * 2\n",
    "tests/__init__.py": "",
    "tests/helpers.py": (
        "import pytest\n\n\ndef needs_db():\n    pytest.skip('no database')\n\n\n"
        "def harmless():\n    return 1\n"
    ),
    "tests/test_a.py": (
        "from lib.algebra import compute\nfrom tests.helpers import needs_db\n\n\n"
        "def test_compute():\n    assert compute(2) == 4\n\n\n"
        "def test_db():\n    needs_db()\n"
    ),
}
HELPER_PROBES = ("helper", "reexport", "alias", "getattr", "reach", "import", "conftest")


def _repo(tmp_path: Path, files: dict[str, str]) -> tuple[Git, str]:
    repo = ScratchRepo(tmp_path / "repo")
    repo.write(files)
    return Git(str(repo.path)), repo.commit()


def _skips(git: Git, rev: str) -> list[tuple[str, list[str]]] | str:
    """Each skipped test's kinds, or what made the tree undecidable."""
    try:
        found = skip_sets.skipped(git, rev, ())
    except Undecidable as exc:
        return f"undecidable: {exc}"
    return [(t.nodeid, sorted(s.kind for s in t.skips)) for t in found]


def test_a_library_module_without_a_root_word_is_ruled_out(tmp_path: Path) -> None:
    git, rev = _repo(tmp_path, LIBRARY)
    found = reach.reaching(Revision(git, rev))
    assert found is not None
    assert found.allows("tests.helpers.needs_db")
    assert not found.allows("lib.algebra.compute")
    assert not found.allows("tests.helpers.harmless")
    assert found.allows("pytest.skip") and found.allows("anything.skipif")
    assert "lib/algebra.py" not in found.read


def test_a_pruned_module_is_never_analyzed_and_the_skip_is_still_found(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    git, rev = _repo(tmp_path, LIBRARY)
    revision = Revision(git, rev, git.list_files(rev))
    analyzed: list[str] = []
    real = revision.analyzed

    def spy(path: str, *args: object) -> object:
        analyzed.append(path)
        return real(path)

    monkeypatch.setattr(revision, "analyzed", spy)  # counts what the collector reads

    results = Collector(revision).collect(Request(("tests/test_a.py",)))
    skipped = {t.nodeid: [s.kind for s in t.skips] for t in results["tests/test_a.py"].tests}
    assert skipped == {
        "tests/test_a.py::test_compute": [],
        "tests/test_a.py::test_db": ["runtime-skip"],
    }
    assert "lib/algebra.py" not in analyzed and "tests/helpers.py" in analyzed


def _helper_probes() -> list[Path]:
    folder = shipped_dir() / "skip-set"
    other = ("go-", "js-", "rust-", "java-")  # other languages' collectors prune nothing
    return sorted(
        p
        for p in folder.glob("*.yaml")
        if any(w in p.stem for w in HELPER_PROBES) and not p.stem.startswith(other)
    )


@pytest.mark.parametrize("held", [True, False], ids=["held", "grepped"])
@pytest.mark.parametrize("probe_path", _helper_probes(), ids=lambda p: p.stem)
def test_pruning_never_changes_what_is_found(
    tmp_path: Path, probe_path: Path, held: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Whether the searches run on the held tree or by git (sources/words.py)."""
    probe = load_probe(probe_path)
    base, head = build(probe, tmp_path / "repo")
    git = Git(str(tmp_path / "repo"))
    if not held:
        monkeypatch.setattr(revision, "MAX_HELD_FILES", 0)
    pruned = [_skips(git, rev) for rev in (base, head)]
    monkeypatch.setattr(reach.Reach, "allows", lambda self, sym: True)  # prunes nothing
    assert pruned == [_skips(git, rev) for rev in (base, head)]


def test_past_its_rounds_nothing_is_pruned_and_every_file_is_parsed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    chain = {
        "tests/__init__.py": "",
        "tests/one.py": "import pytest\n\n\ndef first():\n    pytest.skip('x')\n",
        "tests/two.py": "from tests.one import first\n\n\ndef second():\n    first()\n",
        "tests/three.py": "from tests.two import second\n\n\ndef third():\n    second()\n",
        "tests/test_a.py": "from tests.three import third\n\n\ndef test_a():\n    third()\n",
    }
    git, rev = _repo(tmp_path, chain)
    assert reach.reaching(Revision(git, rev)) is not None
    monkeypatch.setattr(reach, "MAX_ROUNDS", 2)
    assert reach.reaching(Revision(git, rev)) is None
    assert _skips(git, rev) == [("tests/test_a.py::test_a", ["runtime-skip"])]


def test_the_cache_record_round_trips(tmp_path: Path) -> None:
    git, rev = _repo(tmp_path, LIBRARY)
    found = reach.reaching(Revision(git, rev))
    assert found is not None
    assert reach.decode(reach.encode(found)) == found


@pytest.mark.parametrize(
    "raw",
    [b"", b"[]", b"{}", b'{"pairs": "abc", "read": [], "imports": null}',
     b'{"pairs": [["a", "b"]], "read": [], "imports": null}',
     b'{"pairs": [], "read": [1], "imports": null}',
     b'{"pairs": [], "read": [], "imports": [["a"]]}', b"[" * 100_000],
)  # fmt: skip # -- one hostile record a line would hide the list
def test_a_record_this_code_did_not_write_is_a_miss(raw: bytes) -> None:
    assert reach.decode(raw) is None


@settings(max_examples=200)
@given(json_values)
def test_decoding_any_json_never_raises(doc: object) -> None:
    found = reach.decode(json.dumps(doc).encode())
    assert found is None or isinstance(found, reach.Reach)


def test_the_base_side_is_cached_by_commit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    git, rev = _repo(tmp_path, LIBRARY)
    monkeypatch.setenv("GUARDS_CACHE_DIR", str(tmp_path / "cache"))
    first = reach.cached(Revision(git, rev))
    monkeypatch.setattr(reach, "reaching", lambda *_a: pytest.fail("computed again"))
    assert reach.cached(Revision(git, rev)) == first


def _framework(library: int = 0) -> dict[str, str]:
    """A tree whose library is a testing framework (every module says ``pytest`` and some
    skip: 40 modules, 400 KB), its tests, and LIBRARY bytes of plain code beside it."""
    body = "".join(
        f"\n\ndef helper_{n}(x):\n    return x + {n}  # {'.' * 60}\n" for n in range(100)
    )
    files = {"fw/__init__.py": "", "tests/__init__.py": ""}
    for m in range(40):
        files[f"fw/part{m}.py"] = (
            f"import pytest\n\n\ndef gate_{m}():\n    pytest.skip('x')\n{body}"
        )
    files["tests/test_fw.py"] = "from fw.part3 import gate_3\n\n\ndef test_gated():\n    gate_3()\n"
    plain = "\n".join(f"def plain_{n}(): return {n}  # {'.' * 70}" for n in range(library // 100))
    if library:
        files["lib/plain.py"] = plain + "\n"
    return files


def test_a_reach_that_cannot_pay_is_not_computed_and_finds_the_same(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """pytest's own tree: the first round (the framework, 400 KB) is more than the library the
    reach could prune (none): no reach, nothing pruned, the same skips found."""
    git, rev = _repo(tmp_path, _framework())
    assert reach.reaching(Revision(git, rev)) is None
    unpruned = _skips(git, rev)
    assert unpruned == [("tests/test_fw.py::test_gated", ["runtime-skip"])]
    monkeypatch.setattr(reach, "_pays", lambda *_a: True)
    monkeypatch.setattr(reach, "_outweighed", lambda *_a: False)
    assert reach.reaching(Revision(git, rev)) is not None and _skips(git, rev) == unpruned


def test_a_reach_that_cannot_pay_is_known_from_the_plain_files_alone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The framework's plain files (ASCII, no cookie: their bytes are their text) outweigh all
    the rest: no word is searched in the files Python decodes otherwise (a fullwidth p in
    ``pytest``, non-ASCII comments), whatever they say."""
    wide = {"fw/wide.py": "import \uff50ytest  # é\n", "lib/accents.py": "x = 'é'\n"}
    files = _framework() | wide
    git, rev = _repo(tmp_path, files)
    monkeypatch.setattr(reach.words, "saying", lambda *_a: pytest.fail("words searched"))
    assert reach.reaching(Revision(git, rev)) is None


def test_files_whose_text_is_not_their_bytes_weigh_with_what_may_be_pruned(
    tmp_path: Path,
) -> None:
    """600 KB of library whose text is decoded (a non-ASCII comment) may be pruned: the plain
    files alone cannot say the reach does not pay, and the whole search says it does."""
    files = _framework()
    files["lib/plain.py"] = "# é\n" + _framework(library=600_000)["lib/plain.py"]
    git, rev = _repo(tmp_path, files)
    held = Revision(git, rev)
    held.hold()
    assert held.held is not None and not reach._outweighed(held, held.held)
    found = reach.reaching(Revision(git, rev))
    assert found is not None and "gate_3" in found.names


def test_a_reach_that_prunes_more_than_it_reads_is_computed(tmp_path: Path) -> None:
    git, rev = _repo(tmp_path, _framework(library=600_000))
    found = reach.reaching(Revision(git, rev))
    assert found is not None and "gate_3" in found.names


def test_test_modules_no_import_names_never_weigh_against_the_reach(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """900 KB of test modules say ``pytest`` but no import line names them: they are not in the
    first round (the framework's 400 KB is), so 600 KB of library still pays; the answer asked
    before import lines are read is the same. Pruning is decided without them only where the
    framework alone outweighs the library (import lines never asked: pytest's own tree)."""
    files = _framework(library=600_000)
    big = "".join(f"def test_{n}():\n    pytest.skip('x')  # {'.' * 60}\n\n\n" for n in range(9000))
    files |= {f"tests/test_big{n}.py": f"import pytest\n\n\n{big}" for n in range(1)}
    git, rev = _repo(tmp_path, files)
    found = reach.reaching(Revision(git, rev))
    assert found is not None and "gate_3" in found.names
    git, rev = _repo(tmp_path / "fw", _framework())
    monkeypatch.setattr(reach, "_import_lines", lambda _rev: pytest.fail("import lines read"))
    assert reach.reaching(Revision(git, rev)) is None


def test_a_first_round_too_small_to_weigh_keeps_its_reach(tmp_path: Path) -> None:
    git, rev = _repo(tmp_path, LIBRARY)  # helpers.py: a few bytes, against lib's fewer
    assert reach.reaching(Revision(git, rev)) is not None


def test_a_head_whose_base_prunes_nothing_prunes_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = ScratchRepo(tmp_path / "repo")
    repo.write(_framework())
    base_rev = repo.commit()
    repo.write({"fw/part5.py": "import pytest\n\n\ndef gate_5():\n    pytest.skip('y')\n"})
    git, head_rev = Git(str(repo.path)), repo.commit()
    base, head = Revision(git, base_rev), Revision(git, head_rev)
    head.share_reach(base, ["fw/part5.py"])
    monkeypatch.setattr(reach, "reaching", lambda rev, *_a: None if rev is base else pytest.fail())
    assert base.reach is None and head.reach is None  # the head's tree is never searched


def test_no_reach_is_cached_by_commit_too(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    git, rev = _repo(tmp_path, _framework())
    monkeypatch.setenv("GUARDS_CACHE_DIR", str(tmp_path / "cache"))
    assert reach.cached(Revision(git, rev)) is None
    monkeypatch.setattr(reach, "reaching", lambda *_a: pytest.fail("computed again"))
    assert reach.cached(Revision(git, rev)) is None


def test_import_lines_survive_odd_paths(tmp_path: Path) -> None:
    odd = {"tests/we ird\nname.py": "import os\n", "tests/plain.py": "x = 1  # import\n"}
    git, rev = _repo(tmp_path, odd)
    assert sorted(git.grep_lines(rev, "import")) == [
        ("tests/plain.py", "x = 1  # import"),
        ("tests/we ird\nname.py", "import os"),
    ]


NAMED = {
    "lib/__init__.py": "",
    "lib/checks.py": "import unittest\n\n\ndef gate():\n    raise unittest.SkipTest('off')\n",
    "tests/__init__.py": "",
    "tests/test_base.py": "import pytest\n\n\ndef needs_net():\n    pytest.skip('net')\n",
    "tests/sub/__init__.py": "",
    "tests/sub/test_gpu.py": "import pytest\n\n\ndef needs_gpu():\n    pytest.skip('gpu')\n",
    "tests/Test_upper.py": "import pytest\n\n\ndef needs_x():\n    pytest.skip('x')\n",
    "tests/check_mod.py": "import pytest\n\n\ndef needs_y():\n    pytest.skip('y')\n",
    "tests/test_unnamed.py": "import pytest\n\n\ndef never():\n    pytest.skip('z')\n",
    "tests/test_user.py": (
        "from tests.test_base import needs_net\nfrom tests.sub import (\n    test_gpu,\n)\n"
        "from tests.Test_upper import needs_x\nfrom tests.check_mod import needs_y\n"
        "from lib.checks import gate\n\n\ndef test_all():\n    needs_net()\n"
    ),
}


@pytest.mark.parametrize(
    "ini",
    ["", "python_files = check_*.py\n", "python_files = test_*.py *_test.py check_*.py\n",
     "python_files = test_[ab]*.py\n", "python_files = *.py\n", "python_files = tests/test_*.py\n"],
)  # fmt: skip # -- one configuration a line would hide the list
@pytest.mark.parametrize("icase", [False, True])
def test_the_narrow_root_search_finds_what_searching_everything_does(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, ini: str, icase: bool
) -> None:
    """Where git searches (a tree too large to hold: sources/words.py), test modules are left
    out of the root search and then searched only where an import line names them
    (reach._roots); the answer is the whole search's, and the held tree's, for plain and odd
    python_files and with a variable that would make git's pathspecs case-insensitive."""
    git, rev = _repo(tmp_path, {**NAMED, "pytest.ini": f"[pytest]\n{ini}"})
    if icase:
        monkeypatch.setenv("GIT_ICASE_PATHSPECS", "1")
        git = Git(str(git.root))
    held = reach.reaching(Revision(git, rev, whole=True))  # reads the test modules named
    monkeypatch.setattr(revision, "MAX_HELD_FILES", 0)  # git searches
    narrow = reach.reaching(Revision(git, rev, whole=True))
    monkeypatch.setattr(reach, "_named_specs", lambda *_a: None)  # search everything
    whole = reach.reaching(Revision(git, rev, whole=True))
    assert narrow is not None and narrow == whole == held
    assert narrow.allows("lib.checks.gate")


def test_a_test_module_no_import_line_names_is_not_read(tmp_path: Path) -> None:
    """A listing reads the test modules an import line names (its prefilter must know their
    helpers' names); a change's gate reads those a file that is no test module imports, and
    never prunes a name a test module may hold: the resolver reads it where a name leads."""
    git, rev = _repo(tmp_path, NAMED)
    listed = reach.reaching(Revision(git, rev, whole=True))
    assert listed is not None and not listed.tests
    assert {"tests/test_base.py", "tests/sub/test_gpu.py"} <= listed.read
    assert "tests/test_unnamed.py" not in listed.read
    assert listed.allows("tests.test_base.needs_net") and not listed.allows("tests.x.never")
    assert not listed.allows("tests.test_unnamed.never")
    gated = reach.reaching(Revision(git, rev))
    assert gated is not None and gated.tests == ("test_*.py", "*_test.py")
    assert not {"tests/test_base.py", "tests/sub/test_gpu.py"} & gated.read
    assert "lib/checks.py" in gated.read and "needs_net" not in gated.names
    assert gated.allows("tests.test_base.needs_net") and gated.allows("tests.test_unnamed.never")
    assert not gated.allows("tests.x.never") and not gated.allows("tests.check_mod.other")


SKIPPING = "import pytest\n\n\ndef {0}():\n    pytest.skip('{0}')\n"
CALLING = "{0}\n\n\ndef {1}():\n    return {2}()\n"  # not first on its line: no attribute
FOLDERS = {
    "pyproject.toml": '[tool.pytest.ini_options]\npythonpath = ["./vendor"]\n',
    "lib/__init__.py": "",
    "lib/checks/__init__.py": "",
    "lib/checks/util.py": SKIPPING.format("needs_net"),
    "lib/checks/net/__init__.py": SKIPPING.format("needs_dns"),
    "lib/checks/gates.py": CALLING.format("from .util import needs_net", "gate", "needs_net"),
    "lib/algebra/__init__.py": "",
    "lib/algebra/util.py": "def needs_net():\n    return 1\n",  # the same names, elsewhere
    "lib/algebra/solver.py": CALLING.format(
        "from lib.algebra.util import needs_net", "solve", "needs_net"
    ),
    "vendor/netutil.py": SKIPPING.format("needs_vpn"),
    "src/gadgets.py": SKIPPING.format("needs_gpu"),
    "tests/__init__.py": "",
    # one helper a module: each is read for its own import alone
    "tests/net.py": CALLING.format("from lib.checks.util import needs_net as nn", "online", "nn"),
    "tests/dns.py": CALLING.format("from lib.checks.net import needs_dns", "resolving",
                                   "needs_dns"),
    "tests/vpn.py": CALLING.format("from netutil import needs_vpn", "over_vpn", "needs_vpn"),
    "tests/gpu.py": CALLING.format("from gadgets import needs_gpu", "on_gpu", "needs_gpu"),
    "tests/test_all.py": "from lib.algebra.solver import solve\nfrom lib.checks.gates import gate\n"
    "from tests.net import online\nfrom tests.dns import resolving\n"
    "from tests.vpn import over_vpn\nfrom tests.gpu import on_gpu\n\n\n"
    + "\n\n".join(
        f"def test_{f}():\n    {f}()\n"
        for f in ("solve", "gate", "online", "resolving", "over_vpn", "on_gpu")
    ),
}  # fmt: skip # -- a tree reads better as its files


def test_a_module_is_imported_only_where_its_folder_is_named_or_needs_no_name(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A user of ``lib/checks/util.py`` says ``checks``, or sits below ``lib/checks``; a module
    in a pythonpath folder or ``src`` needs no folder name. ``lib/algebra/solver.py`` says
    ``needs_net`` and ``util`` about another module, and is not read."""
    git, rev = _repo(tmp_path, FOLDERS)
    found = reach.reaching(Revision(git, rev))
    assert found is not None and "lib/algebra/solver.py" not in found.read
    assert {"lib/checks/gates.py", "tests/net.py", "tests/dns.py", "tests/vpn.py"} <= found.read
    pruned = _skips(git, rev)
    skipped = [f"tests/test_all.py::test_{f}" for f in ("gate", "on_gpu", "online", "over_vpn",
                                                         "resolving")]  # fmt: skip # -- a list
    assert pruned == [(t, ["runtime-skip"]) for t in skipped]
    monkeypatch.setattr(reach.Reach, "allows", lambda self, sym: True)  # prunes nothing
    assert _skips(git, rev) == pruned


# The attribute rule as it was written with lookbehinds for Python's engine: the oracle of the
# RE2 form, whose group 1 is the word before the dot (self and cls are ruled out after it; which
# other names count is attribute_owners.py's, tests/test_attribute_owners.py).
def _lookbehind_oracle(words: list[str]) -> re.Pattern[bytes]:
    alternatives = "|".join(re.escape(w) for w in sorted(set(words)))
    after_dot = r"(?<!\bself)(?<!\bcls)\.(?:[ \t\r\n\f\\]|#[^\r\n]*[\r\n])*"
    return re.compile(rf"{after_dot}(?:{alternatives})\b".encode())


ATTRIBUTE_PIECES = [
    "self.", "cls.", "cls .", "myself.", "xcls.", "g.", "a.b.", ".", "(g).", "\\\n", "\n", "  ",
    "\t", "\f", "# why\n", "# a.", "#", "needs_net", "needs_netx", "skip", "x_skip", "ß", "self",
    "=",
]  # fmt: skip # -- packed pieces read better than one a line


@settings(max_examples=500)
@given(st.lists(st.sampled_from(ATTRIBUTE_PIECES), max_size=16))
@example(["self.", "\n", "skip"])  # a method's use across a line break: none
@example(["x = ", "myself.", "needs_net"])
@example(["g.", "# why\n", "  ", "needs_net"])  # a comment between the dot and the name
@example(["\n", "skip", "=", "needs_netx"])  # first on its line, no dot: none
@example(["g.", "\n", "#", "  ", "skip", "\n"])  # the name inside a comment: none
def test_the_attribute_rule_matches_where_its_lookbehind_form_does(pieces: list[str]) -> None:
    data = "".join(pieces).encode()
    words = ["needs_net", "skip"]
    expected = _lookbehind_oracle(words).search(data) is not None
    assert _attribute_matches(data, words) == expected


def _attribute_matches(data: bytes, words: list[str]) -> bool:
    pattern, at = reach._attributes_re(words), 0
    while (found := pattern.search(data, at)) is not None:
        if found.group(1) not in attribute_owners.METHOD_OWNERS:
            return True
        at = found.end(1) + 1
    return False


# A change's reach leaves the test modules that only tests import to the resolver (reach.py's
# _follows_tests): what they export matters to tests alone, and a name that may be theirs is
# never pruned. Where a file that is no test module imports one, every named test module is
# read as before; a change that makes one import a test module reads them anew at its head.
HELPER_TESTS = {
    "lib/__init__.py": "",
    "lib/plain.py": "def solve():\n    return 1\n",
    "tests/__init__.py": "",
    "tests/test_one.py": "import pytest\n\n\ndef needs():\n    pytest.skip('one')\n",
    "tests/test_two.py": "from tests.test_one import needs\n\n\ndef gate():\n    needs()\n",
}
CALLS = "from {0} import {1}\n\n\ndef test_it():\n    {1}()\n"


def _newly_skipped(tmp_path: Path, base: dict[str, str], head: dict[str, str]) -> set[str]:
    _, base_sha, head_sha = pr_repo(tmp_path, base, head)
    result = guards_cli(
        "run", "--repo", str(tmp_path), "--base", base_sha, "--head", head_sha,
        "--only", "skip-set", "--format", "json",
    )  # fmt: skip # -- a packed argument list reads better than one item a line
    assert result.code in (0, 1), result.stderr
    return {f["test"] for g in result.json()["guards"] for f in g["findings"] if "test" in f}


def test_a_change_s_reach_leaves_tests_imported_by_tests_to_the_resolver(
    tmp_path: Path,
) -> None:
    repo = ScratchRepo(tmp_path / "tree")
    repo.write(HELPER_TESTS)
    git, rev = Git(str(repo.path)), repo.commit()
    gated = reach.reaching(Revision(git, rev))
    assert gated is not None and gated.tests and "tests/test_one.py" not in gated.read
    assert gated.allows("tests.test_two.gate") and not gated.allows("lib.plain.solve")
    listed = reach.reaching(Revision(git, rev, whole=True))
    assert listed is not None and "needs" in listed.names and not listed.tests
    head = {"tests/test_use.py": CALLS.format("tests.test_two", "gate")}
    found = _newly_skipped(tmp_path / "pr", {**HELPER_TESTS, "tests/test_use.py": ""}, head)
    assert found == {"tests/test_use.py::test_it"}


def test_a_test_module_a_library_imports_is_read_as_before(tmp_path: Path) -> None:
    files = {**HELPER_TESTS, "lib/x.py": CALLS.format("tests.test_two", "gate").split("\n\n\n")[0]}
    files["lib/x.py"] += "\n\n\ndef solve():\n    gate()\n"
    repo = ScratchRepo(tmp_path / "tree")
    repo.write(files)
    git, rev = Git(str(repo.path)), repo.commit()
    gated = reach.reaching(Revision(git, rev))
    assert gated is not None and not gated.tests and "solve" in gated.names
    head = {"tests/test_use.py": CALLS.format("lib.x", "solve")}
    found = _newly_skipped(tmp_path / "pr", {**files, "tests/test_use.py": ""}, head)
    assert found == {"tests/test_use.py::test_it"}


def test_a_change_that_makes_a_library_import_a_test_module_reads_them_anew(
    tmp_path: Path,
) -> None:
    """At base no file but a test imports one (the base's reach leaves them unread); the change
    makes lib/x.py import tests/test_two.py and a new test call lib/x.py's function: the head's
    reach reads them (not only the changed files from the base's), or it would prune solve."""
    lib_x = "from tests.test_two import gate\n\n\ndef solve():\n    gate()\n"
    head = {"lib/x.py": lib_x, "tests/test_use.py": CALLS.format("lib.x", "solve")}
    found = _newly_skipped(tmp_path, {**HELPER_TESTS, "tests/test_use.py": ""}, head)
    assert found == {"tests/test_use.py::test_it"}


def test_the_searches_a_reach_starts_with_run_ahead_and_answer_the_same(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``prepare`` gives a change's pool the held tree's first searches to run meanwhile (root
    words, import lines, the texts of its disguised files): the reach computed after them is
    the one computed without, and those searches are not run again."""
    files = {**LIBRARY, "tests/wide.py": "import \uff50ytest  # é\n"}
    git, rev = _repo(tmp_path, files)
    monkeypatch.setenv("GUARDS_CACHE_DIR", "off")
    fresh = reach.reaching(Revision(git, rev))
    ahead = Revision(git, rev)
    warm = reach.prepare(ahead)
    assert warm is not None
    warm()
    assert {key[0] for key in ahead.searched} == {"bytes", "import_lines"}
    assert ahead.disguised == frozenset({"tests/wide.py"})
    searched = reach.words._on_threads
    asked: list[int] = []
    monkeypatch.setattr(reach.words, "_on_threads", lambda *a: asked.append(1) or searched(*a))
    found = reach.reaching(ahead)
    assert found == fresh and found is not None and "needs_db" in found.names
    assert len(asked) == 1  # only the search for the names the first round found


def test_a_reach_the_cache_holds_runs_nothing_ahead(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    git, rev = _repo(tmp_path, LIBRARY)
    monkeypatch.setenv("GUARDS_CACHE_DIR", str(tmp_path / "cache"))
    reach.cached(Revision(git, rev))
    assert reach.prepare(Revision(git, rev)) is None


def test_a_listing_begins_reading_its_tree_before_deciding_its_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``skips list`` starts git reading the tree its reach searches, decides which files
    pytest collects meanwhile (that needs no reach), and only then asks for the reach: the
    same skips as before."""
    from guards.collect.python.config import paths

    git, rev = _repo(tmp_path, LIBRARY)
    monkeypatch.setenv("GUARDS_CACHE_DIR", "off")
    expected = _skips(git, rev)
    order: list[str] = []
    prepare, reaching, decide = reach.prepare, reach.reaching, paths.decide
    monkeypatch.setattr(reach, "prepare", lambda r: order.append("prepare") or prepare(r))
    monkeypatch.setattr(reach, "reaching", lambda *a: order.append("reach") or reaching(*a))
    monkeypatch.setattr(paths, "decide", lambda *a: order.append("decide") or decide(*a))
    assert _skips(git, rev) == expected and expected
    assert order.index("prepare") < order.index("decide") < order.index("reach")


def test_a_listing_begun_on_an_unreadable_configuration_says_so_where_it_reads_it(
    tmp_path: Path,
) -> None:
    """``listed`` begins git's reading before guards.yaml is read; a pytest configuration it
    cannot read is left for the listing itself, which says what to fix."""
    git, rev = _repo(tmp_path, {**LIBRARY, "pyproject.toml": "[tool.pytest.ini_options\n"})
    listing = skip_sets.listed(git, rev)
    with pytest.raises(GuardsError, match=r"pyproject\.toml"):
        skip_sets.skipped(git, rev, (), listing)


TOUCHED_TEST = {"tests/test_a.py": LIBRARY["tests/test_a.py"] + "\n"}


@pytest.mark.parametrize(
    ("changed", "holds"), [({"README.md": "Read me again.\n"}, False), (TOUCHED_TEST, True)]
)
def test_a_change_without_a_python_file_reads_no_tree(
    tmp_path: Path, changed: dict[str, str], holds: bool
) -> None:
    """The whole tree is read (``ls-tree -r -l``, then every blob) only for a reach, and a
    reach only where a Python file changed: a documentation change of sympy cost 0.48 s
    reading 27 MB it never searched, 0.13 s without. GIT_TRACE says what git was asked."""
    repo = ScratchRepo(tmp_path / "repo")
    repo.write({**LIBRARY, "README.md": "Read me.\n"})
    base = repo.commit()
    repo.write(changed)
    head = repo.commit()
    trace = tmp_path / "trace"
    env = {"GIT_TRACE": str(trace), "GUARDS_CACHE_DIR": "off"}
    result = guards_cli(
        "run", "--only", "skip-set", "--base", base, "--head", head, cwd=repo.path, env=env
    )
    assert result.code == 0, result.stderr
    held = [line for line in trace.read_text().splitlines() if "ls-tree -r -z -l" in line]
    assert bool(held) is holds, held
