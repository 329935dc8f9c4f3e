"""A changed module analyzed again from its other revision's facts
(guards/collect/python/parsing/incremental.py) must be, field for field, the full analysis of
its bytes. Each case here says also whether the bodies were reused, so that "always fall back"
could not pass: an edit the reuse must serve is served, and an edit it must refuse (a cookie,
a conftest) is refused. Then random edits of a module built from every kind of body the
analysis reads, and a change's two sides analyzed through real git revisions, cold and primed.
"""

from __future__ import annotations

import re
import textwrap

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from guards.collect.model import NotParsable, Undecidable
from guards.collect.python.parsing.analyze import analyze
from guards.collect.python.parsing.facts import Func, Module
from guards.collect.python.parsing.incremental import MAX_SAME_LINE, WORD, analyze_again
from guards.collect.python.parsing.options import DEFAULT_OPTIONS, AnalysisOptions
from guards.collect.python.sources.revision import Revision, analyze_sides
from guards.core.git import Git
from testing.git_repo import ScratchRepo

TESTS = AnalysisOptions(with_defs=True)
PATH = "tests/test_m.py"

HEAD = "import os\nimport pytest\nfrom tests.helpers import check\n\n\n"
BODIES = {
    "plain": 'def test_plain():\n    words = ["a", "b"]\n    assert "-".join(words) == "a-b"\n',
    "skips": "def test_skips():\n    if os.name == 'nt':\n        pytest.skip('windows')\n"
    "    assert True\n",
    "helper": "def test_helper():\n    value = check()\n    assert value\n",
    "nested": "def test_nested():\n    def inner():\n        total = 1\n        return total\n"
    "    assert inner() == 1\n",
    "fixture": "@pytest.fixture\ndef db(request):\n"
    "    if getattr(request.module, 'offline', False):\n        pytest.skip('offline')\n"
    "    return 1\n",
    "stores": "def test_stores():\n    global LATER\n    LATER = 1\n    first, second = 1, 2\n"
    "    assert first < second\n",
    "decorated": "@pytest.mark.slow\ndef test_decorated():\n    result = sum(range(4))\n"
    "    assert result == 6\n",
    "exec": "def test_exec():\n    exec('check()')\n    assert True\n",
    "unicode": "def test_unicode():\n    text = 'naïve'\n    assert text\n",
    "klass": "class TestK:\n    def test_m(self):\n        check()\n\n    @property\n"
    "    def value(self):\n        return 1\n\n    @value.setter\n    def value(self, v):\n"
    "        self.v = v\n\n    @pytest.fixture\n    def db(self, request):\n"
    "        if getattr(request.module, 'offline', False):\n            pytest.skip('off')\n",
    "other": "class TestOther:\n    def test_o(self):\n        result = sum(range(3))\n"
    "        assert result == 3\n",
}


def module(*names: str, head: str = HEAD) -> bytes:
    return (head + "\n\n".join(BODIES[n] for n in names)).encode()


def again(old: bytes, new: bytes) -> Module | None:
    """analyze_again of NEW from OLD, held to the full analysis of NEW when it answers."""
    got = analyze_again(PATH, new, TESTS, analyze(PATH, old, TESTS), old)
    if got is not None:
        full = analyze(PATH, new, TESTS)
        assert got == full
        assert repr(got) == repr(full)  # fields that do not compare too (Def.body_key)
    return got


def reused(old: bytes, new: bytes, name: str) -> Func:
    """The function NAME of NEW analyzed again from OLD, which must be reused."""
    got = again(old, new)
    assert got is not None
    return next(f for f in got.functions if f.name == name)


ALL = tuple(BODIES)


def test_a_test_added_at_the_end_reuses_the_others_as_they_are() -> None:
    old = module(*ALL)
    assert again(old, old + b"\n\ndef test_new():\n    assert 1\n") is not None


def test_lines_added_above_move_every_reused_fact_down() -> None:
    old = module(*ALL)
    new = module(*ALL, head=HEAD + "import sys\nimport re\n\n\n")
    got = again(old, new)
    assert got is not None
    lines = [
        [r.line for f in m.functions if f.name == "test_skips" for r in f.refs if r.sym]
        for m in (analyze(PATH, old, TESTS), got)
    ]
    assert lines == [[13], [17]]


def test_a_decorator_added_above_an_unchanged_body_is_read() -> None:
    old = module(*ALL)
    new = old.replace(b"def test_plain", b"@pytest.mark.skip\ndef test_plain")
    assert [m.name for m in reused(old, new, "test_plain").marks] == ["skip"]


def test_an_import_that_rebinds_a_name_a_body_spells_has_that_body_parsed() -> None:
    old = module(*ALL)
    new = old.replace(b"from tests.helpers import check", b"from pytest import skip as check")
    assert [r.sym for r in reused(old, new, "test_helper").refs] == ["pytest.skip"]


def test_a_class_member_rebound_has_the_bodies_that_name_its_class_parsed() -> None:
    """``Gate.check`` bound to ``pytest.skip``: a body says ``Gate.check(...)``, whose words are
    ``Gate`` and ``check``, never the member's dotted name, and was reused with its old refs."""
    old = module(*ALL, head=HEAD + "class Gate:\n    check = staticmethod(print)\n\n\n")
    old += b"\n\ndef test_gate():\n    Gate.check('x')\n"
    new = old.replace(b"check = staticmethod(print)", b"check = pytest.skip")
    assert [r.sym for r in reused(old, new, "test_gate").refs] == ["pytest.skip"]


@pytest.mark.parametrize(
    ("body", "spelled"),
    [
        ("def test_x():\n    exec('sk' + 'ip()')\n", "computed code names no word"),
        ("def test_x():\n    \uff53kip()\n", "an NFKC spelling of skip"),
        ("def test_x():\n    getattr(builtins, 'ex' 'ec')('skip()')\n", "getattr runs it"),
    ],
)
def test_a_body_whose_names_the_text_hides_is_parsed_when_names_change(
    body: str, spelled: str
) -> None:
    filler = "".join(BODIES[n] + "\n\n" for n in ("plain", "decorated", "nested", "stores"))
    old = f"import builtins\nimport pytest\n\n\ndef skip():\n    pass\n\n\n{filler}{body}".encode()
    new = old.replace(b"def skip():\n    pass\n", b"from pytest import skip\n")
    assert reused(old, new, "test_x").refs != analyze(PATH, old, TESTS).functions[-1].refs, spelled


def test_a_string_opened_above_unchanged_functions_is_not_read_through_them() -> None:
    """The reduced parse, not the text, says where the functions are: the second quote sits in
    a reused body's comment, so without the body the string would swallow the module."""
    old = module("plain", "decorated").replace(
        b"    assert result", b"    # '''\n    assert result"
    )
    new = old.replace(b"@pytest.mark.slow", b"NOTES = '''\n@pytest.mark.slow")
    with pytest.raises(NotParsable):
        analyze(PATH, new, TESTS)
    before = analyze(PATH, old, TESTS)
    assert analyze_again(PATH, new, TESTS, before, old) is None


def test_a_string_closed_by_a_later_quote_keeps_the_full_reading() -> None:
    old = module("plain", "decorated", "nested", "stores") + b"\n\nTAIL = '''x'''\n"
    new = old.replace(b"@pytest.mark.slow", b"NOTES = '''\n@pytest.mark.slow").replace(
        b"TAIL = '''x'''", b"TAIL = 'x'\n'''"
    )
    again(old, new)  # whatever it answers is the full reading (or nothing)


def test_a_line_indented_into_an_unchanged_function_is_read_with_it() -> None:
    old = module(*ALL)
    new = old.replace(
        b"    assert inner() == 1\n", b"    assert inner() == 1\n    pytest.skip('now')\n"
    )
    assert "pytest.skip" in [r.sym for r in reused(old, new, "test_nested").refs]


def test_a_body_edited_in_place_below_an_unchanged_def_line_is_read() -> None:
    old = module(*ALL)
    new = old.replace(b"    value = check()\n", b"    value = pytest.skip('x')\n")
    assert [r.sym for r in reused(old, new, "test_helper").refs] == ["pytest.skip"]


def test_the_methods_of_a_class_are_reused() -> None:
    methods = "".join(
        f"    def test_{n}(self):\n        total = sum(range({n}))\n        assert total >= 0\n\n"
        for n in range(8)
    )
    old = f"import pytest\n\n\nclass TestMany:\n{methods}".encode()
    assert again(old, old + b"\n\nclass TestNew:\n    def test_n(self):\n        pass\n")


@pytest.mark.parametrize(("classes", "reused_at_all"), [(MAX_SAME_LINE, True), (40, False)])
def test_a_def_line_the_module_repeats_past_the_bound_is_not_looked_up(
    classes: int, reused_at_all: bool
) -> None:
    """Each class's ``def test_x(self):`` would be compared with every other's: quadratic."""
    old = "".join(
        f"class Test{n}:\n    def test_x(self):\n        assert {n} >= 0\n\n\n"
        for n in range(classes)
    ).encode()
    assert (again(old, old + b"X = 1\n") is not None) is reused_at_all


def test_a_method_moved_to_another_class_is_read_where_it_went() -> None:
    """Its lines are found once in NEW, in another class: the reduced parse places it there."""
    old = module(*ALL)
    method = b"    def test_m(self):\n        check()\n\n"
    new = old.replace(method, b"").replace(b"class TestOther:\n", b"class TestOther:\n" + method)
    got = again(old, new)
    assert got is not None
    moved = [m.name for k in got.classes if k.name == "TestOther" for m in k.methods]
    assert moved == ["test_m", "test_o"]


def test_a_method_reads_a_rebound_name_again() -> None:
    old = module(*ALL)
    new = old.replace(b"from tests.helpers import check", b"from pytest import skip as check")
    got = again(old, new)
    assert got is not None
    test_m = [m for k in got.classes for m in k.methods if m.name == "test_m"]
    assert [r.sym for f in test_m for r in f.refs] == ["pytest.skip"]


def test_a_second_definition_of_a_reused_name_is_read() -> None:
    old = module(*ALL)
    new = old + b"\n\ndef test_plain():\n    pytest.skip('again')\n"
    got = again(old, new)
    plain = [f for f in (got or analyze(PATH, new, TESTS)).functions if f.name == "test_plain"]
    assert [r.sym for f in plain for r in f.refs] == ["pytest.skip"]


def test_nested_definitions_and_assigned_names_come_back_moved() -> None:
    old = module(*ALL)
    new = module(*ALL, head="import re\n" + HEAD)
    got = again(old, new)
    assert got is not None
    assert "inner" in [d.name for d in got.defs]
    assert {"LATER", "first"} <= set(got.bound_names)  # test_stores says ``global``
    assert "total" not in got.bound_names  # a local of test_nested's inner(), no module name
    assert got == analyze(PATH, new, TESTS)


def test_line_endings_are_counted_as_the_parser_counts_them() -> None:
    for ending in (b"\r\n", b"\r"):
        old = module(*ALL).replace(b"\n", ending)
        new = old + ending + b"def test_new():" + ending + b"    assert 1" + ending
        assert again(old, new) is not None


def test_a_changed_encoding_cookie_is_never_reused() -> None:
    old = b"# -*- coding: utf-8 -*-\n" + module(*ALL)
    new = b"# -*- coding: latin-1 -*-\n" + module(*ALL)
    assert analyze_again(PATH, new, TESTS, analyze(PATH, old, TESTS), old) is None


def test_a_conftest_and_a_lazy_analysis_are_never_reused() -> None:
    old = module(*ALL)
    new = old + b"\n\nX = 1\n"
    conftest = "tests/conftest.py"
    before = analyze(conftest, old, DEFAULT_OPTIONS)
    assert analyze_again(conftest, new, DEFAULT_OPTIONS, before, old) is None
    lazy = AnalysisOptions(lazy_bodies=True)
    assert analyze_again(PATH, new, lazy, analyze(PATH, old, lazy), old) is None


def test_a_hook_read_by_name_is_parsed() -> None:
    hook = "def pytest_generate_tests(metafunc):\n    metafunc.parametrize('x', [])\n\n\n"
    old = (HEAD + hook).encode() + module(*ALL, head="")
    got = again(old, old + b"\n\nX = 1\n")
    assert got is not None
    assert got.empty_generated == (("x", 7),)


@pytest.mark.parametrize("side", ["old", "new", "both"])
def test_a_star_import_on_either_side_is_never_reused(side: str) -> None:
    """``check`` resolves through the last star import when no name binds it."""
    plain = module(*ALL).replace(b"from tests.helpers import check\n", b"")
    star = plain.replace(b"import os\n", b"import os\nfrom tests.shared import *\n")
    pairs = {"old": (star, plain), "new": (plain, star), "both": (star, star.replace(b"sh", b"x"))}
    old, new = pairs[side]
    assert analyze_again(PATH, new, TESTS, analyze(PATH, old, TESTS), old) is None


def test_an_undecidable_body_is_never_reused() -> None:
    """Which body an undecidable construct sits in is not recorded: none may be reused."""
    dynamic = b"@getattr(pytest.mark, os.name)\ndef test_dynamic():\n    pass\n"
    old = module(*ALL) + b"\n\n" + dynamic
    new = old + b"\n\nX = 1\n"
    assert analyze(PATH, new, TESTS).undecidable
    assert analyze_again(PATH, new, TESTS, analyze(PATH, old, TESTS), old) is None


def test_a_grammar_future_on_either_side_is_never_reused() -> None:
    """``barry_as_FLUFL`` makes ``<>`` the inequality where a parser honours it in the source
    (Python 3.11's ``ast.parse`` does not; another may): a body's tokens would read otherwise."""
    plain, future = module(*ALL), b"from __future__ import barry_as_FLUFL\n" + module(*ALL)
    for old, new in ((plain, future), (future, plain)):
        assert analyze_again(PATH, new, TESTS, analyze(PATH, old, TESTS), old) is None


PIECES = st.sampled_from(ALL)
EDITS = st.sampled_from(
    [
        ("", "import sys\n"),
        ("import pytest\n", "import pytest as check\n"),
        ("import os\n", "from os import path as check\n"),
        ("    assert True\n", "    assert True\n    check()\n"),
        ("def test_plain", "@pytest.mark.xfail\ndef test_plain"),
        ("    return 1\n", "    return 2\n"),
        ('"a", "b"', '"a", "b", "c"'),
        ("def test_stores", "x = '''\ndef test_stores"),
        ("    assert first < second\n", "    assert first < second\n'''\n"),
        ("\n\n\ndef", "\n\n\nif True:\n    pass\n\n\ndef"),
        ("def db(request)", "def db(req)"),
        ("global LATER", "global LATER, check"),
        ("    def test_m(self):\n", "    def test_m(self):\n        pytest.skip('m')\n"),
        ("class TestOther:\n", "class TestOther(TestK):\n    def test_m(self):\n        pass\n\n"),
        (
            "    @value.setter\n",
            "    @value.deleter\n    def value(self):\n        pass\n\n    @value.setter\n",
        ),
        ("class TestK:\n", "class TestK:\n    pytestmark = pytest.mark.skip\n\n"),
    ]
)


@settings(max_examples=150, deadline=None)
@given(st.lists(PIECES, min_size=2, max_size=8), st.lists(EDITS, min_size=1, max_size=3))
def test_random_edits_of_a_module_read_as_the_full_analysis(
    names: list[str], edits: list[tuple[str, str]]
) -> None:
    old = module(*names)
    new = old.decode()
    for before, after in edits:
        new = new.replace(before, after, 1) if before else after + new
    try:
        analyze(PATH, new.encode(), TESTS)
    except (NotParsable, Undecidable):
        return  # an edit that breaks the module: nothing to compare
    again(old, new.encode())


@pytest.fixture(scope="module")
def sides(tmp_path_factory: pytest.TempPathFactory) -> tuple[Git, str, str]:
    scratch = ScratchRepo(tmp_path_factory.mktemp("incremental") / "repo")
    scratch.write({PATH: module(*ALL).decode(), "tests/helpers.py": "def check():\n    pass\n"})
    base = scratch.commit()
    scratch.write({PATH: module(*ALL, head=HEAD + "import sys\n\n\n").decode() + "\nX = 1\n"})
    return Git(str(scratch.path)), base, scratch.commit()


@pytest.mark.parametrize("primed", [False, True])
def test_a_changes_head_side_is_the_full_analysis_of_its_bytes(
    sides: tuple[Git, str, str], primed: bool
) -> None:
    git, base, head = sides
    base_rev, head_rev = Revision(git, base), Revision(git, head)
    head_rev.share_reach(base_rev, [PATH])
    if primed:
        base_rev.analyzed(PATH)
    analyze_sides([(base_rev, [PATH]), (head_rev, [PATH])])
    data = head_rev.read(PATH)
    assert data is not None
    assert head_rev.analyzed(PATH) == analyze(PATH, data, head_rev.options(PATH))
    assert base_rev.analyzed(PATH) == analyze(PATH, base_rev.read(PATH) or b"", TESTS)


def test_bodies_record_only_what_can_be_reused() -> None:
    source = textwrap.dedent(
        """\
        def one_line(): return 1


        def twice():
            pass


        def twice():
            pass


        def continued_inside():
            x = 1 + \\
                2


        def kept():
            y = 2
        """
    ).encode()
    assert [b.name for b in analyze(PATH, source, TESTS).bodies] == ["continued_inside", "kept"]


EXEC_HEAD = HEAD + 'ENV = {}\nexec("from os import *", ENV)\n\n\n'
REBIND = "def rebind():\n    global ENV\n    ENV = globals()\n    return ENV\n\n\n"


def test_a_reused_body_that_rebinds_an_exec_namespace_keeps_the_names_dynamic() -> None:
    """exec_namespaces.py's trap: the body that makes ENV the module's globals is not parsed
    again, and its assignments, put back, make the names dynamic as the full analysis says."""
    old = (EXEC_HEAD + REBIND + BODIES["plain"]).encode()
    got = again(old, old + b"\n\ndef test_new():\n    assert 1\n")
    assert got is not None and got.names_dynamic and got.exec_namespaces == ()
    plain = (EXEC_HEAD + BODIES["plain"]).encode()
    got = again(plain, plain + b"\n\ndef test_new():\n    assert 1\n")
    assert got is not None and not got.names_dynamic and got.exec_namespaces == ("ENV",)


def test_a_word_is_a_run_of_word_characters_or_non_ascii_ones_for_every_code_point() -> None:
    """WORD spells its set by the ASCII characters it leaves out (a charset of the whole
    Unicode range took milliseconds to compile): the same set as ``[\\w\\u0080-\\U0010ffff]``."""
    spelled = re.compile(r"[\w\u0080-\U0010ffff]")
    differ = [
        c for c in range(0x110000) if bool(WORD.fullmatch(chr(c))) != bool(spelled.match(chr(c)))
    ]
    assert differ == []


def test_a_lambda_that_rebinds_an_unchanged_def_is_what_the_name_means() -> None:
    """``check = lambda: pytest.skip()`` below an unchanged ``def check``: the lambda is the
    later definition (lambdas.py), so the def is not reused under the name it lost."""
    old = module("plain", "helper") + b"\n\ndef check():\n    return 1\n"
    new = old + b"\n\ncheck = lambda: pytest.skip('now')\n"
    got = again(old, new)
    facts = got if got is not None else analyze(PATH, new, TESTS)
    check = next(f for f in facts.functions if f.name == "check")
    assert [r.sym for r in check.refs if r.sym] == ["pytest.skip"]


def test_a_reused_function_keeps_whether_it_returns_a_value() -> None:
    """A reused body is ``pass`` in the reduced module, which returns nothing: whether the
    function gives no function (a decorator that returns None) is the body's, put back."""
    old = module("plain") + b"\n\ndef keeping(func):\n    return func\n"
    new = module("plain", "helper") + b"\n\ndef keeping(func):\n    return func\n"
    assert not reused(old, new, "keeping").gives_no_function
