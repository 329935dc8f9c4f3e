"""A module analyzed with its cold top-level bodies left unparsed
(guards/collect/python/parsing/skeleton.py) must be, field for field, the analysis of its whole
parse. Each case says also how many bodies were cut, so that "never cut" could not pass: a body
the skeleton must serve is cut, and one it must refuse (its text could end in an open string,
a fact reads it, a hook) is not. Then random modules from every kind of body the listing meets,
and the six real trees' modules in benchmarks (measured, not tested here).
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from guards.collect.model import NotParsable, Undecidable
from guards.collect.python.parsing import skeleton
from guards.collect.python.parsing.analyze import analyze
from guards.collect.python.parsing.facts import Module
from guards.collect.python.parsing.options import AnalysisOptions

PATH = "tests/test_m.py"
LAZY = AnalysisOptions(lazy_bodies=True, spans=False, known=("check",))
HEAD = "import os\nimport sys\nimport pytest\nfrom tests.helpers import check\n\n\n"
COLD = "def test_cold():\n    words = ['a', 'b']\n    assert '-'.join(words) == 'a-b'\n"
FILLER = "".join(f"\n\ndef test_filler_{n}():\n    total = sum(range({n}))\n" for n in range(6))


def whole(data: bytes, options: AnalysisOptions = LAZY) -> Module:
    """The analysis of DATA's whole parse (the skeleton turned away)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(skeleton, "cut", lambda *_: None)
        return analyze(PATH, data, options)


def cut_count(text: str, options: AnalysisOptions = LAZY) -> int:
    """How many bodies of TEXT (HEAD and FILLER around it) the skeleton cuts, once its analysis
    is held to the whole parse's: field for field, and in every field's text."""
    data = (HEAD + text + FILLER).encode()
    got, full = analyze(PATH, data, options), whole(data, options)
    assert got == full
    assert repr(got) == repr(full)
    found = skeleton.cut(PATH, data, options)
    return 0 if found is None else len(found.cut)


def cut_names(text: str) -> set[str]:
    data = (HEAD + text + FILLER).encode()
    cut_count(text)
    found = skeleton.cut(PATH, data, LAZY)
    assert found is not None
    return {getattr(n, "name", "") for n in found.nodes.values()}


def uncut(text: str, name: str) -> bool:
    """Whether the function NAME of TEXT is not cut (and the analysis is the whole parse's)."""
    data = (HEAD + text + FILLER).encode()
    cut_count(text)
    found = skeleton.cut(PATH, data, LAZY)
    return found is None or name not in {getattr(n, "name", "") for n in found.nodes.values()}


def test_cold_bodies_are_cut_and_the_facts_are_the_whole_parses() -> None:
    assert cut_names(COLD) == {"test_cold"} | {f"test_filler_{n}" for n in range(6)}


def test_a_hot_body_is_parsed_and_read() -> None:
    text = COLD + "\n\ndef test_hot():\n    if os.name == 'nt':\n        pytest.skip('nt')\n"
    module = analyze(PATH, (HEAD + text + FILLER).encode(), LAZY)
    hot = next(f for f in module.functions if f.name == "test_hot")
    assert [r.sym for r in hot.refs] == ["pytest.skip"]
    assert "test_hot" in cut_names(text)  # cut, then grafted back where it was hot


def test_a_body_that_calls_a_name_known_to_skip_is_read() -> None:
    text = "def test_helper():\n    value = check()\n    assert value\n"
    module = analyze(PATH, (HEAD + text + FILLER).encode(), LAZY)
    assert any(f.refs for f in module.functions if f.name == "test_helper")
    cut_count(text)


@pytest.mark.parametrize(
    "text",
    [
        # A string the body opens goes on past the line the text ends the body at.
        'def helper():\n    x = """\n"""\npytestmark = pytest.mark.skip\n',
        "def helper():\n    x = '''\ndef test_x(): pass\n'''\n",
        # A line continued by a backslash, in a string or in code, into a line at column 0.
        "def helper():\n    x = 'a\\\nb'\npytestmark = pytest.mark.skip\n",
        "def helper():\n    x = 1 + \\\n2\npytestmark = pytest.mark.skip\n",
        # An f-string (3.12 reads quotes and line breaks inside its braces), a t-string.
        "def helper():\n    x = f'{1}'\n",
        "def helper():\n    x = t'{1}'\n",
    ],
)
def test_a_body_whose_text_may_not_end_where_it_seems_is_not_cut(text: str) -> None:
    data = (HEAD + text + FILLER).encode()
    found = skeleton.cut(PATH, data, LAZY)
    cut = {getattr(n, "name", "") for n in found.nodes.values()} if found else ()
    assert "helper" not in cut
    try:
        full = whole(data)
    except NotParsable:  # a t-string before 3.14: the module does not parse, cut or not
        with pytest.raises(NotParsable):
            analyze(PATH, data, LAZY)
    else:
        assert analyze(PATH, data, LAZY) == full
        assert found is not None  # the fillers are cut


def test_a_bracket_left_open_into_a_line_at_column_0_gives_up_the_skeleton() -> None:
    text = "def helper():\n    x = (\n1)\n" + COLD
    assert cut_count(text) == 0  # the skeleton does not parse: the whole module is parsed


@pytest.mark.parametrize(
    "body",
    [
        "    global LATER\n    LATER = 1\n",
        "    sys.modules[__name__].disabled = True\n",
        "    setattr(sys.modules[__name__], 'disabled', True)\n",
        "    ｓys.ｍodules[__name__].disabled = True\n",  # noqa: RUF001 -- fullwidth on purpose
    ],
)
def test_a_body_that_module_facts_read_is_not_cut(body: str) -> None:
    text = "disabled = False\n\n\ndef helper():\n" + body
    assert "helper" not in cut_names(text + "\n\n" + COLD)


def test_hooks_and_fixtures_that_take_request_are_not_cut() -> None:
    text = (
        "def pytest_generate_tests(metafunc):\n    metafunc.parametrize('x', [])\n\n\n"
        "@pytest.fixture\ndef db(request):\n    value = request.param\n    assert value\n\n\n"
    )
    assert cut_names(text + COLD) == {"test_cold"} | {f"test_filler_{n}" for n in range(6)}


@pytest.mark.parametrize(
    ("body", "told"),
    [
        ("    return 1\n", True),
        ("    return\n", True),
        ("    return None\n", True),
        ("    return (None)  # nothing\n", True),
        ("    if os.name: return func\n", True),
        ("    x = 'return 1'  # return 2\n", True),
        ("    x = 1; return x\n", True),
        ('    """Return the value."""\n    return None if os.name else func\n', True),
        ("    yield 1\n", True),
        ("    def inner():\n        return 1\n    inner()\n", False),
        ("    return (\n        None\n    )\n", False),
        ("    return func(\n        1)\n", False),
    ],
)
@pytest.mark.parametrize("head", ["def", "async def"])
def test_whether_a_cold_decorator_gives_a_function_is_the_parses(
    body: str, told: bool, head: str
) -> None:
    """gives_no_function reads every body: the skeleton says it from the text, or refuses."""
    text = f"{head} deco(func):\n{body}\n\n@deco\ndef test_decorated():\n    pass\n"
    assert ("deco" in cut_names(text)) is told


def test_a_constant_changed_in_a_cold_body_is_no_literal() -> None:
    text = (
        "CASES = [1, 2]\n\n\ndef helper():\n    CASES.clear()\n\n\n"
        "@pytest.mark.parametrize('x', CASES)\ndef test_p(x):\n    assert x\n"
    )
    data = (HEAD + text + FILLER).encode()
    assert analyze(PATH, data, LAZY) == whole(data)
    found = skeleton.cut(PATH, data, LAZY)
    assert found is not None and len(found.cut) > 0  # helper is cut, and grafted for the walk


def test_a_syntax_error_in_a_body_read_is_reported() -> None:
    text = "def test_hot():\n    pytest.skip('x') +\n"
    with pytest.raises(NotParsable):
        analyze(PATH, (HEAD + text + COLD + FILLER).encode(), LAZY)


def test_a_syntax_error_in_a_body_not_read_is_pytests_to_report() -> None:
    """As a file the prefilter does not read is not checked (README, skip-set)."""
    data = (HEAD + "def test_broken():\n    x = = 1\n" + COLD + FILLER).encode()
    with pytest.raises(NotParsable):
        whole(data)
    assert [f.name for f in analyze(PATH, data, LAZY).functions][:2] == ["test_broken", "test_cold"]


@pytest.mark.parametrize("ending", ["\r\n", "\n"])
def test_line_endings_are_counted_as_the_parser_counts_them(ending: str) -> None:
    text = (HEAD + "def test_hot():\n    pytest.skip('x')\n" + COLD + FILLER).replace("\n", ending)
    data = text.encode()
    assert analyze(PATH, data, LAZY) == whole(data)
    assert skeleton.cut(PATH, data, LAZY) is not None


@pytest.mark.parametrize(
    "data",
    [
        # A lone carriage return is a line break: a line at column 0 the search would miss.
        (HEAD + "def helper():\n    x = 1\rpytestmark = pytest.mark.skip\n" + FILLER).encode(),
        b"# -*- coding: latin-1 -*-\n" + (HEAD + COLD + FILLER).encode(),
        b"from __future__ import barry_as_FLUFL\n" + (HEAD + COLD + FILLER).encode(),
        (HEAD + COLD + FILLER).encode(),  # a conftest (PATH below)
    ],
)
def test_what_the_skeleton_never_serves(data: bytes) -> None:
    path = "tests/conftest.py" if data == (HEAD + COLD + FILLER).encode() else PATH
    assert skeleton.cut(path, data, LAZY) is None
    assert skeleton.cut(PATH, (HEAD + COLD + FILLER).encode(), LAZY) is not None


def test_a_lone_carriage_return_is_read_as_the_parser_reads_it() -> None:
    data = (HEAD + "def helper():\n    x = 1\rpytestmark = pytest.mark.skip\n" + FILLER).encode()
    module = analyze(PATH, data, LAZY)
    assert module == whole(data)
    assert module.marks  # the module-level mark is seen


def test_a_body_the_parse_does_not_place_as_cut_is_parsed_whole() -> None:
    """A form feed starts a comment line the search takes for the body's end; the parse puts
    the line after it back in the body: that body is not cut, the others are."""
    text = "def helper():\n a = 1\n\x0c# c\n pytest.skip('x')\n\n\n" + COLD
    assert "helper" not in cut_names(text)
    module = analyze(PATH, (HEAD + text + FILLER).encode(), LAZY)
    assert next(f for f in module.functions if f.name == "helper").refs


def test_a_marker_added_by_name_in_a_body_read_is_the_mark() -> None:
    text = "def helper(item):\n    item.add_marker('skip')\n\n\n" + COLD
    assert "helper" in cut_names(text)
    module = analyze(PATH, (HEAD + text + FILLER).encode(), LAZY)
    refs = next(f for f in module.functions if f.name == "helper").refs
    assert [r.sym for r in refs] == ["mark:skip"]


def test_bodies_read_in_full_are_never_cut() -> None:
    data = (HEAD + COLD + FILLER).encode()
    assert skeleton.cut(PATH, data, AnalysisOptions()) is None
    assert skeleton.cut(PATH, data, AnalysisOptions(lazy_bodies=True, with_defs=True)) is None


def test_a_def_at_column_0_inside_a_string_is_no_definition() -> None:
    text = 'DOC = """\ndef test_fake():\n    pass\n"""\n' + COLD
    assert cut_count(text) > 0


def test_a_header_on_many_lines_and_a_docstring_are_cut() -> None:
    text = (
        "def test_long(\n    a: int = 1,\n    b: dict = {'k': 1},\n) -> None:\n"
        '    r"""A docstring with \\d and \\""" in it,\n    on two lines."""\n    assert a\n'
    )
    assert "test_long" in cut_names(text)
    at_column_0 = text.replace("    on two", "on two")  # the text ends the body in the string
    assert "test_long" not in cut_names(at_column_0)


KLASS = (
    'class TestK:\n    """A class."""\n\n    value = [1]\n\n    def test_cold(self):\n'
    "        total = sum(range(9))\n        assert total\n\n    @property\n"
    "    def prop(self):\n        return 1\n\n    def test_hot(self):\n"
    "        pytest.skip('x')\n\n    def test_self(self):\n        self.helper()\n"
)


def test_methods_of_a_top_level_class_are_cut_and_read_where_hot() -> None:
    assert {"test_cold", "prop", "test_hot", "test_self"} <= cut_names(KLASS + "\n\n" + COLD)
    module = analyze(PATH, (HEAD + KLASS + FILLER).encode(), LAZY)
    methods = {m.name: m for m in module.classes[0].methods}
    assert methods["test_hot"].refs and not methods["test_cold"].refs
    assert methods["prop"].gives_no_function is False


@pytest.mark.parametrize(
    "text",
    [
        # Tabs: the width a line's indentation has is not its count of bytes.
        "class TestTabs:\n\tdef test_a(self):\n\t\tx = 1\n",
        # Not a method of a top-level class: a nested class's, one under an ``if``.
        "class TestOuter:\n    class TestInner:\n        def test_a(self):\n            x = 1\n",
        "class TestIf:\n    if os.name:\n        def test_a(self):\n            x = 1\n",
        # A bracket closed on a line indented as the method: the text ends the body too soon.
        "class TestOpen:\n    def test_a(self):\n        x = (\n    1)\n        assert x\n",
    ],
)
def test_a_method_the_text_cannot_place_is_not_cut(text: str) -> None:
    assert uncut(text + "\n\n" + COLD, "test_a")


PIECES = st.sampled_from(
    [
        COLD,
        "def test_hot():\n    pytest.skip('x')\n",
        "def test_helper():\n    check()\n",
        "@pytest.mark.slow\ndef test_marked():\n    pass\n",
        "def deco(f):\n    return f\n",
        "def gen():\n    yield 1\n    return None\n",
        "CASES = [1]\n",
        "def mutate():\n    CASES.append(2)\n",
        "@pytest.mark.parametrize('x', CASES)\ndef test_p(x):\n    pass\n",
        "class TestK:\n    def test_m(self):\n        check()\n",
        KLASS,
        "class TestInit:\n    def __init__(self):\n        self.x = 1\n",
        "class Open(Base):\n    def test_b(self):\n        self.needs()\n",
        "class TestTabs:\n\tdef test_t(self):\n\t\tx = 1\n",
        'def doc():\n    """a\ndef test_in_doc(): pass\n"""\n',
        "def opened():\n    x = (\n        1)\n",
        "def joined():\n    x = 1 + \\\n        2\n",
        "def strings():\n    s = 'it''s' \"#\" r'\\d'  # don't\n",
        "if os.name == 'nt':\n    def test_nt():\n        pass\n",
        "pytestmark = pytest.mark.skipif(os.name == 'nt', reason='x')\n",
        "async def test_async():\n    await check()\n",
        "def flagged():\n    global FLAG\n    FLAG = 1\n",
        "def fed():\n    a = 1\n    \x0cpytestmark = pytest.mark.skip\n",
        "def continued():\n \\\n   # check\n    return continued()\n",
        "def stub(\n    a,\n) -> int: ...\n",
        "def commented(a):  # check\n    x = 1\n",
    ]
)


@settings(max_examples=150, deadline=None)
@given(st.lists(PIECES, min_size=1, max_size=10))
def test_random_modules_read_as_the_whole_parse(pieces: list[str]) -> None:
    text = "\n\n".join(pieces)
    try:
        whole((HEAD + text + FILLER).encode())
    except (NotParsable, Undecidable):
        return  # a module the pieces break: nothing to compare
    cut_count(text)


def test_a_form_feed_in_a_lines_indentation_is_read_as_the_parser_reads_it() -> None:
    """A form feed sets the column back to 0: the line after it is at column 0 whatever
    spaces come before it, and ends the function above (a module-level mark here)."""
    text = "def helper():\n    a = 1\n    \x0cpytestmark = pytest.mark.skip\n\n\n" + COLD
    module = analyze(PATH, (HEAD + text + FILLER).encode(), LAZY)
    assert module.marks
    assert "helper" not in cut_names(text)


def test_the_text_offers_only_top_level_functions_and_methods() -> None:
    """A def nested in a class of a class, under an ``if``, or in a function is not offered
    (the parse would not place it as cut: a second parse for nothing)."""
    text = (
        "class TestOuter:\n    class TestInner:\n        def test_n(self):\n            x = 1\n\n"
        "    if os.name:\n        def test_i(self):\n            x = 1\n\n"
        "    def test_m(self):\n        x = 1\n\n\n"
        "def test_f():\n    def inner():\n        x = 1\n    inner()\n\n\n"
        "def test_commented(a):  # the colon ends the header, not the line\n    x = 1\n\n\n"
        "def stub(\n    a: int,\n) -> int: ...\n\n\n"
        "def test_after_stub():\n    if a:\n        x = 1\n"
    )
    data = (HEAD + text + FILLER).encode()
    offered = {data[c.at :].split(b"(")[0].split()[-1] for c in skeleton._candidates(data)}
    fillers = {f"test_filler_{n}".encode() for n in range(6)}
    assert offered == {b"test_m", b"test_f", b"test_commented", b"test_after_stub"} | fillers
    found = skeleton.cut(PATH, data, LAZY)
    assert found is not None and len(found.cut) == len(offered)  # one parse placed them all


def test_a_body_that_begins_with_a_continued_line_is_not_cut() -> None:
    """A line of a backslash alone joins the next: the first statement (whose line the
    listing's word search starts at) is further down than the first line that is no comment."""
    text = "def helper(e):\n \\\n   # a comment that says check\n    return helper(e)\n\n\n" + COLD
    assert "helper" not in cut_names(text)
