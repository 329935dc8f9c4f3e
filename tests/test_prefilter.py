"""The prefilter of ``guards skips list`` (guards/collect/python/sources/prefilter.py): which files
can hold a skip at all, decided from text. Here: a test defined only under a top-level ``if``.
git searches the top-level ``if``; the files that have one are read for an indented definition.
The answer must be what one ``git grep --all-match`` of both patterns gives, on real repositories
with every spelling of the indentation. And the names known to skip, hundreds of them: the files
named one by one (or every ``*.py`` past a bound), each search reading only what the earlier
ones left; the answer must be what one word search per name gives (tests/test_git_grep.py holds
that search to a Python oracle)."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import given, settings

from guards.collect.python import skip_sets
from guards.collect.python.config.addopts import Selection
from guards.collect.python.sources import held_grep, prefilter
from guards.collect.python.sources.prefilter import TOP_LEVEL_IF, Prefilter
from guards.collect.python.sources.revision import Revision
from guards.core import git as git_module
from guards.core.git import Git
from testing.git_repo import ScratchRepo
from testing.strategies import json_values

INDENTED = r"^[[:space:]]+(async[[:space:]]+)?(def|class)[[:space:]]"
BODY = "import sys\n\n"
FILES = {
    "tests/test_if_def.py": BODY + "if sys.platform == 'linux':\n    def test_a():\n        pass\n",
    "tests/test_else_class.py": BODY
    + "if sys.version_info < (3,):\n    X = 1\nelse:\n\tclass TestB:\n"
    "\t\tdef test_b(self):\n\t\t\tpass\n",
    "tests/test_elif_async.py": BODY
    + "if sys.maxsize:\n    X = 1\nelif X:\n  async def test_c():\n"
    "      pass\n",
    "tests/test_formfeed.py": BODY + "if(sys.maxsize):\n\f def test_d():\n   pass\n",
    "tests/test_if_only.py": BODY + "if sys.maxsize:\n    X = 1\n\n\ndef test_e():\n    assert X\n",
    "tests/test_def_only.py": BODY + "class TestF:\n    def test_f(self):\n        pass\n",
    "tests/test_ifdef_word.py": BODY + "ifdef = 1\n\n\nclass TestG:\n    def test_g(self):\n"
    "        pass\n",
    "tests/test_crlf.py": BODY.replace("\n", "\r\n") + "if sys.maxsize:\r\n    def test_h():\r\n"
    "        pass\r\n",
}


@pytest.fixture(scope="module")
def repo(tmp_path_factory: pytest.TempPathFactory) -> tuple[Git, str]:
    return _committed(tmp_path_factory, "prefilter", FILES)


def _committed(
    factory: pytest.TempPathFactory, name: str, files: dict[str, str]
) -> tuple[Git, str]:
    scratch = ScratchRepo(factory.mktemp(name) / "repo")
    scratch.write(files)
    return Git(str(scratch.path)), scratch.commit()


Committed = Callable[[dict[str, str]], tuple[Git, str]]


@pytest.fixture(scope="module")
def committed(tmp_path_factory: pytest.TempPathFactory) -> Committed:
    """A repository of each table of files, made once for the module."""
    made: dict[int, tuple[Git, str]] = {}

    def commit(files: dict[str, str]) -> tuple[Git, str]:
        if id(files) not in made:
            made[id(files)] = _committed(tmp_path_factory, "prefilter-table", files)
        return made[id(files)]

    return commit


def test_the_conditional_search_answers_what_one_all_match_search_does(
    repo: tuple[Git, str],
) -> None:
    git, rev = repo
    oracle = git.grep_files(rev, [TOP_LEVEL_IF, INDENTED], fixed=False, all_match=True)
    revision = Revision(git, rev, git.list_files(rev))
    chosen = Prefilter(revision, Selection()).select(FILES)
    assert oracle <= chosen
    assert {
        "tests/test_if_only.py",
        "tests/test_def_only.py",
        "tests/test_ifdef_word.py",
    }.isdisjoint(chosen)
    assert oracle == {p for p in FILES if "_only" not in p and "word" not in p}


def test_a_test_defined_under_a_condition_is_listed(repo: tuple[Git, str]) -> None:
    git, rev = repo
    listed = {t.nodeid for t in skip_sets.skipped(git, rev, ())}
    assert {"tests/test_if_def.py::test_a", "tests/test_formfeed.py::test_d"} <= listed
    assert "tests/test_def_only.py::TestF::test_f" not in listed


NAMES = [f"Helper{i}" for i in range(600)] + ["Cache", "CacheFoo", "my-fixture", "a.b"]
TEXTS = {
    "t/test_longer_then_shorter.py": "x = CacheFooBar or Cache\n",
    "t/test_inside_a_word.py": "x = CacheFooBar + xHelper1 + Helper1_ + Helper59900\n",
    "t/test_last_chunk.py": "x = (Helper599)\n",
    "t/test_first_chunk.py": "x = [Helper0]\n",
    "t/test_not_identifier.py": "x = request.getfixturevalue('my-fixture')\n",
    "t/test_dotted.py": "x = a.b\n",
    "t/test_dot_elsewhere.py": "x = a_b + ab\n",
    "t/test_skip_word.py": "pytest.skip('also found by the first search')  # Helper3\n",
}


@pytest.fixture(scope="module")
def named(tmp_path_factory: pytest.TempPathFactory) -> tuple[Git, str]:
    return _committed(tmp_path_factory, "prefilter-names", TEXTS)


@pytest.mark.parametrize("max_named", [git_module.MAX_PATHSPECS, 1])
def test_the_name_search_answers_what_one_word_search_per_name_does(
    named: tuple[Git, str], max_named: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(git_module, "MAX_PATHSPECS", max_named)
    monkeypatch.setenv("GUARDS_CACHE_DIR", "off")  # the search is the subject, not its record
    git, rev = named
    oracle = git.grep_files(rev, NAMES, words=True) | git.grep_files(rev, ["skip"])
    revision = Revision(git, rev, git.list_files(rev))
    chosen = Prefilter(revision, Selection(), NAMES).select(TEXTS)
    assert chosen == oracle
    assert oracle == set(TEXTS) - {"t/test_inside_a_word.py", "t/test_dot_elsewhere.py"}


def test_a_choice_is_kept_by_commit_paths_and_names(
    named: tuple[Git, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A second run over the same commit reads the record; other paths or other names search
    again (a commit's reach may be kept with a change's other side's names too)."""
    git, rev = named
    monkeypatch.setenv("GUARDS_CACHE_DIR", str(tmp_path / "cache"))
    first = Prefilter(Revision(git, rev), Selection(), NAMES).select(TEXTS)
    searched = _searches(monkeypatch)
    assert Prefilter(Revision(git, rev), Selection(), NAMES).select(TEXTS) == first
    assert searched == []
    fewer = set(TEXTS) - {"t/test_dotted.py"}
    assert Prefilter(Revision(git, rev), Selection(), NAMES).select(fewer) == first & fewer
    assert Prefilter(Revision(git, rev), Selection(), ["Cache"]).select(TEXTS) != first
    assert searched == [fewer, set(TEXTS)]


def test_a_side_of_a_change_keeps_no_record(
    named: tuple[Git, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    git, rev = named
    monkeypatch.setenv("GUARDS_CACHE_DIR", str(tmp_path / "cache"))
    head = Revision(git, rev)
    head.share_reach(Revision(git, rev), [])
    first = Prefilter(head, Selection(), NAMES).select(TEXTS)
    searched = _searches(monkeypatch)
    assert Prefilter(Revision(git, rev), Selection(), NAMES).select(TEXTS) == first
    assert searched == [set(TEXTS)]


def _searches(monkeypatch: pytest.MonkeyPatch) -> list[set[str]]:
    """The paths of each search the prefilter runs from now on (a record read runs none)."""
    searched: list[set[str]] = []
    search = Prefilter._select
    monkeypatch.setattr(Prefilter, "_select", lambda s, p: searched.append(p) or search(s, p))
    return searched


@pytest.mark.parametrize(
    "raw",
    [b"", b"{}", b'"t/test_dotted.py"', b'["t/test_dotted.py", 1]', b'["t/elsewhere.py"]',
     b"[" * 100_000, b"\xff\xfe["],
)  # fmt: skip # -- one hostile record a line would hide the list
def test_a_record_this_code_did_not_write_is_a_miss(raw: bytes) -> None:
    assert prefilter.decode(raw, set(TEXTS)) is None


@settings(max_examples=200)
@given(json_values)
def test_decoding_any_json_never_raises(doc: object) -> None:
    found = prefilter.decode(json.dumps(doc).encode(), set(TEXTS))
    assert found is None or found <= set(TEXTS)


# A conftest whose hook skips the node ids a JSON list names and the files named test_net*,
# and whose autouse fixture skips a module that sets ``offline``: only the files they may reach
# are parsed, and what is listed is what parsing every file lists.
HOOKED = {
    "conftest.py": (
        "import json\nimport os\n\nimport pytest\n\n"
        "LISTED = json.load(open(os.path.join(os.path.dirname(__file__), 'skips.json')))\n\n\n"
        "def pytest_runtest_setup(item):\n"
        "    if item.nodeid in LISTED:\n        pytest.skip('listed')\n"
        "    if item.path.name.startswith('test_net'):\n        pytest.skip('no network')\n\n\n"
        "@pytest.fixture(autouse=True)\ndef offline_guard(request):\n"
        "    if getattr(request.module, 'offline', False):\n        pytest.skip('offline')\n"
    ),
    "skips.json": '["tests/test_listed.py::test_a"]\n',
    "tests/__init__.py": "",
    "tests/flags.py": "offline = True\n",
    "tests/test_listed.py": "def test_a():\n    pass\n",
    "tests/test_plain.py": "def test_b():\n    pass\n",
    "tests/test_net_io.py": "def test_c():\n    pass\n",
    "tests/test_offline.py": "offline = True\n\n\ndef test_d():\n    pass\n",
    "tests/test_online.py": "offline = False\n\n\ndef test_g():\n    pass\n",
    "tests/test_star.py": "from tests.flags import *  # noqa: F403 -- the point\n\n\n"
    "def test_e():\n    pass\n",
    "tests/test_star_continued.py": "from tests.flags import \\\n    *\n\n\ndef test_h():\n"
    "    pass\n",
}


def test_a_hook_and_an_autouse_fixture_send_only_the_files_they_may_skip(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    scratch = ScratchRepo(tmp_path / "repo")
    scratch.write(HOOKED)
    git, rev = Git(str(scratch.path)), scratch.commit()
    tests = sorted(p for p in HOOKED if p.startswith("tests/test_"))
    revision = Revision(git, rev, git.list_files(rev))
    chosen = Prefilter(revision, Selection()).select(tests)
    assert chosen == set(tests) - {"tests/test_plain.py"}
    filtered = _listed(git, rev)
    monkeypatch.setattr(Prefilter, "select", lambda self, paths: set(paths))
    assert filtered == _listed(git, rev)
    assert {n for n, _ in filtered} >= {
        "tests/test_listed.py::test_a",
        "tests/test_net_io.py::test_c",
        "tests/test_offline.py::test_d",
        "tests/test_star.py::test_e",
    }
    assert "tests/test_online.py::test_g" not in {n for n, _ in filtered}


def _listed(git: Git, rev: str) -> list[tuple[str, tuple[str, ...]]]:
    return [(t.nodeid, tuple(s.kind for s in t.skips)) for t in skip_sets.skipped(git, rev, ())]


def test_an_autouse_fixture_is_asked_of_each_module_not_of_its_conftest(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without a hook above them, the files the fixture may skip are still parsed: its
    condition reads the test module's ``offline``, which the conftest itself never sets."""
    conftest = HOOKED["conftest.py"]
    hook = conftest[conftest.index("def pytest_runtest_setup") : conftest.index("@pytest.fixture")]
    files = {**HOOKED, "conftest.py": conftest.replace(hook, "")}
    scratch = ScratchRepo(tmp_path / "repo")
    scratch.write(files)
    git, rev = Git(str(scratch.path)), scratch.commit()
    revision = Revision(git, rev, git.list_files(rev))
    chosen = Prefilter(revision, Selection()).select([p for p in files if "/test_" in p])
    assert "tests/test_offline.py" in chosen and "tests/test_star.py" in chosen
    assert "tests/test_listed.py" not in chosen and "tests/test_plain.py" not in chosen
    filtered = _listed(git, rev)
    monkeypatch.setattr(Prefilter, "select", lambda self, paths: set(paths))
    assert filtered == _listed(git, rev)
    assert "tests/test_offline.py::test_d" in {n for n, _ in filtered}


# addopts -m keeps unmarked tests: only files that can give a test the mark are parsed.
MARKED = {
    "pytest.ini": "[pytest]\naddopts = -m 'not slow'\n",
    "tests/__init__.py": "",
    "tests/marks.py": "import pytest\n\nheavy = pytest.mark.slow\n",
    "tests/bases.py": "import pytest\n\n\n@pytest.mark.slow\nclass SlowBase:\n    pass\n",
    "tests/test_direct.py": "import pytest\n\n\n@pytest.mark.slow\ndef test_a():\n    pass\n",
    "tests/test_alias.py": "from tests.marks import heavy\n\n\n@heavy\ndef test_b():\n    pass\n",
    "tests/test_inherits.py": "from tests.bases import SlowBase\n\n\nclass TestC(\n"
    "    SlowBase,\n):\n    def test_c(self):\n        pass\n",
    "tests/test_plain.py": "def test_d():\n    pass\n",
}


@pytest.mark.parametrize(
    ("markexpr", "plain_read"), [("not slow", False), ("slow", True), ("not (slow", True)]
)
def test_a_mark_expression_sends_the_files_that_can_give_its_marks(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, markexpr: str, plain_read: bool
) -> None:
    files = {**MARKED, "pytest.ini": f"[pytest]\naddopts = -m '{markexpr}'\n"}
    scratch = ScratchRepo(tmp_path / "repo")
    scratch.write(files)
    git, rev = Git(str(scratch.path)), scratch.commit()
    revision = Revision(git, rev, git.list_files(rev))
    tests = [p for p in files if "/test_" in p]
    chosen = Prefilter(revision, revision.selection, sorted(revision.reach.names)).select(tests)
    assert ("tests/test_plain.py" in chosen) is plain_read
    assert chosen >= {"tests/test_direct.py", "tests/test_alias.py", "tests/test_inherits.py"}
    if markexpr.count("(") != markexpr.count(")"):
        return  # the collector reports the expression; every file was sent
    filtered = _listed(git, rev)
    monkeypatch.setattr(Prefilter, "select", lambda self, paths: set(paths))
    assert filtered == _listed(git, rev)
    if markexpr == "not slow":
        assert {n for n, _ in filtered} == {
            "tests/test_direct.py::test_a",
            "tests/test_alias.py::test_b",
            "tests/test_inherits.py::TestC::test_c",
        }


# Code run from a string: ``eval``/``exec``/``compile`` by a name that is no attribute, or any
# mention of ``builtins``. Each file below says nothing else the prefilter searches for.
RUNNERS = {
    "t/test_alias.py": "run = eval\n\n\ndef test_a():\n    run(make())\n",
    "t/test_call.py": "def test_b():\n    exec(make())\n",
    "t/test_bracketed.py": "run = (\n    compile\n)\n",
    "t/test_tab.py": "run =\texec\n",
    "t/test_continued.py": "x = obj.\\\n    eval\n",  # the dot is a line above: read anyway
    "t/test_builtins.py": "import builtins as b\n\n\ndef test_c():\n    b.exec(make())\n",
    "t/test_from_builtins.py": "from builtins import eval as run\n",
    "t/test_methods.py": "x = expr.eval()\ny = re.compile('a')\nz = expr .exec\nw = a.\teval\n",
    "t/test_longer_words.py": "evaluate = 1\ncompiled = 2\nmy_eval = 3\nexec_ = 4\n",
}


def test_code_run_by_a_name_that_is_no_attribute_sends_its_file(
    committed: Committed, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GUARDS_CACHE_DIR", "off")
    git, rev = committed(RUNNERS)
    chosen = Prefilter(Revision(git, rev, git.list_files(rev)), Selection()).select(RUNNERS)
    assert chosen == set(RUNNERS) - {"t/test_methods.py", "t/test_longer_words.py"}


def test_an_aliased_runner_in_a_body_is_listed(committed: Committed) -> None:
    """The body says ``run``, no skip word: the module's alias of ``eval`` makes it hot."""
    git, rev = committed(RUNNERS)
    listed = {t.nodeid: {s.kind for s in t.skips} for t in skip_sets.skipped(git, rev, ())}
    assert listed == {
        "t/test_alias.py::test_a": {"dynamic-skip"},
        "t/test_call.py::test_b": {"dynamic-skip"},
        "t/test_builtins.py::test_c": {"dynamic-skip"},
    }


# Regex searches narrowed by a fixed word every matching line holds, and the parametrize search
# split in two: each must answer what the plain search does.
SHAPES = {
    "s/test_base.py": "class TestA(Base):\n    pass\n",
    "s/test_no_base.py": "class TestB():\n    pass\nclass TestC:\n    pass\n",
    "s/test_continued_base.py": "class TestD \\\n    (Base):\n    pass\n",
    "s/test_open_base.py": "  class TestE(\n      Base):\n    pass\n",
    "s/test_word_elsewhere.py": "subclass = 1\nx = f(a)\n# a class(\n",
    "s/test_star.py": "from lib import *\n",
    "s/test_star_continued.py": "from lib import \\\n    *\n",
    "s/test_no_star.py": "from lib import a\nimportant = (x * y)\n",
    "s/test_empty_list.py": "import pytest\n\n\n@pytest.mark.parametrize('x', [ ])\ndef t(x): 0\n",
    "s/test_empty_tuple.py": "P = parametrize\nQ = f(())\n",
    "s/test_empty_elsewhere.py": "X = []\n",
    "s/test_params_full.py": "@pytest.mark.parametrize('x', [1])\ndef t(x): 0\n",
}


@pytest.mark.parametrize(
    ("patterns", "within", "expected"),
    [
        (prefilter.CLASS_WITH_BASE, ("class",), {"base", "continued_base", "open_base"}),
        ([prefilter.STAR_IMPORT], ("import",), {"star", "star_continued"}),
        ([prefilter.RUNS_CODE], prefilter.RUNNERS, set()),
    ],
)
def test_a_regex_search_within_a_word_answers_what_the_plain_search_does(
    committed: Committed, patterns: list[str], within: tuple[str, ...], expected: set[str]
) -> None:
    git, rev = committed(SHAPES)
    plain = git.grep_files(rev, patterns, fixed=False)
    assert git.grep_files(rev, patterns, fixed=False, within=within) == plain
    assert plain == {f"s/test_{name}.py" for name in expected}


def test_the_empty_parameters_search_answers_what_one_all_match_search_does(
    committed: Committed,
) -> None:
    git, rev = committed(SHAPES)
    oracle = git.grep_files(rev, ["parametrize", prefilter.EMPTY], fixed=False, all_match=True)
    searched = Prefilter(Revision(git, rev), Selection())._empty_parameters(["*.py"])
    assert searched == oracle == {"s/test_empty_list.py", "s/test_empty_tuple.py"}


# Files each of which one search alone chooses (or none does).
ONE_SEARCH_EACH = {
    "u/test_skip.py": "def test_a():\n    pytest.skip('x')\n",
    "u/test_init.py": "class A:\n    def __init__(self):\n        self.x = 1\n",
    "u/test_exec.py": "def test_b():\n    exec(code)\n",
    "u/test_empty.py": "@pytest.mark.parametrize('x', [])\ndef test_c(x):\n    pass\n",
    "u/test_named.py": "def test_d():\n    needs_net()\n",
    "u/test_if.py": "if X:\n    def test_e():\n        pass\n",
    "u/test_base.py": "class TestF(Base):\n    def test_f(self):\n        pass\n",
    "u/test_plain.py": "def test_g():\n    assert needs_netty()\n",
}


@pytest.mark.parametrize(
    ("table", "names"),
    [
        (ONE_SEARCH_EACH, ("needs_net",)),
        (FILES, ()),
        (TEXTS, NAMES),
        (HOOKED, ()),
        (RUNNERS, ()),
        (SHAPES, ()),
    ],
    ids=["each", "conditional", "names", "hooked", "runners", "shapes"],
)
def test_a_held_tree_is_searched_in_memory_as_git_searches_it(
    committed: Committed,
    table: dict[str, str],
    names: tuple[str, ...],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Where the revision holds its tree (Revision.hold), the searches run in memory
    (held_grep.py) and choose what the ``git grep``s choose."""
    monkeypatch.setenv("GUARDS_CACHE_DIR", "off")  # the searches are the subject, not a record
    git, rev = committed(table)
    paths = [p for p in table if p.endswith(".py")]
    by_git = Revision(git, rev, git.list_files(rev))
    held = Revision(git, rev, git.list_files(rev))
    held.hold()
    assert held.held is not None and by_git.held is None
    chosen = Prefilter(held, Selection(), names).select(paths)
    assert chosen == Prefilter(by_git, Selection(), names).select(paths)
    if table is ONE_SEARCH_EACH:
        assert chosen == set(paths) - {"u/test_plain.py"}


@pytest.mark.parametrize(
    "patterns",
    [prefilter.CLASS_WITH_BASE, [prefilter.STAR_IMPORT], [prefilter.EMPTY], [TOP_LEVEL_IF]],
)
def test_each_regex_finds_in_memory_what_git_finds(
    committed: Committed, patterns: list[str]
) -> None:
    git, rev = committed(SHAPES)
    held = {p: git.read(rev, p) or b"" for p in SHAPES}
    found = held_grep.extended(held, patterns)(set(SHAPES))
    assert found == git.grep_files(rev, patterns, fixed=False)


def test_memory_may_choose_more_than_git_never_less() -> None:
    """A class that admits a line feed joins two lines git reads apart; a path the tree does
    not hold is chosen (nothing judged it)."""
    held = {"a.py": b"x = [\n]\n", "b.py": b"x = []\n", "c.py": b"x = 1\n"}
    empty = held_grep.extended(held, [prefilter.EMPTY])
    assert empty({"a.py", "b.py", "c.py", "gone.py"}) == {"a.py", "b.py", "gone.py"}
    assert held_grep.words(held, [])({"a.py"}) == set()
    assert held_grep.fixed(held, ["x = 1"])({"a.py", "c.py"}) == {"c.py"}
