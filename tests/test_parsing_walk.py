"""The fast paths of the Python analysis give what the slow ones gave.

walk.nodes is ``ast.walk`` in the same order (contexts and operators aside); walk.every_node
reuses walked blocks without losing a node; a string marker is still read when the file spells
its method in a way only Python's decoding finds (a utf-7 cookie, an NFKC-equal identifier);
the process pool gives the serial facts in the input's order; the statements module_facts
reads for ``global`` and ``sys.modules`` are those on a line that says the word, as Python reads
the text; a body's key is cut from the lines the parser counts.
"""

from __future__ import annotations

import ast
import os
import pickle
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

import guards
from guards.collect import cache
from guards.collect.model import NotParsable, Undecidable
from guards.collect.python.parsing import parallel
from guards.collect.python.parsing.analyze import analyze
from guards.collect.python.parsing.bodies import (
    _again,
    _defaults,
    _evaluated,
    body_refs,
    import_time,
)
from guards.collect.python.parsing.bound_once import bound_once
from guards.collect.python.parsing.facts import Ref
from guards.collect.python.parsing.fixture_guards import module_facts, said
from guards.collect.python.parsing.options import AnalysisOptions
from guards.collect.python.parsing.passed_runners import passed
from guards.collect.python.parsing.string_marks import METHODS, may_name, rewrite
from guards.collect.python.parsing.symbols import Env
from guards.collect.python.parsing.walk import SKIPPED, every_node, nodes, nodes_of
from guards.errors import GuardsError

EVERY_FORM = '''
import a.b as c
from . import d
from x import *
@deco(1, *args, k=2, **kw)
async def f(p, /, q: int = 1, *r, s, t=2, **u) -> "T":
    global g
    x: list[int] = [i async for i in y if i]
    y = {**base, "k": v, None: w}
    z = {k: v for k, v in items}
    async with m as (n, o):
        await p
    async for q in r:
        yield q
    try:
        pass
    except* E as e:
        raise X from e
    del x[1:2, ::3]
    lambda a, *b, c=1, **d: (a if b else c)
    f"{x!r:>{w}}" "plain"
    match point:
        case [1, *rest] | {"k": _, **others} if rest:
            pass
        case Point(x=0, y=(1 | 2) as y):
            pass
    while not (a and b or c) < d <= e is not f:
        n += -~m @ o
        break
    else:
        nonlocal_ = (yield from g)
    assert x, "message"
class K(Base, metaclass=M):
    """doc"""
    attr: int
'''


def _reference(root: ast.AST) -> list[ast.AST]:
    return [n for n in ast.walk(root) if not isinstance(n, SKIPPED)]


def test_nodes_is_ast_walk_in_order_on_every_form() -> None:
    tree = ast.parse(EVERY_FORM)
    assert [id(n) for n in nodes(tree)] == [id(n) for n in _reference(tree)]
    assert len(nodes(tree)) > 150  # the snippet is walked, not cut short


def test_nodes_is_ast_walk_in_order_on_this_package() -> None:
    files = sorted(Path(guards.__file__).parent.rglob("*.py"))
    assert len(files) > 100
    for path in files:
        tree = ast.parse(path.read_bytes())
        assert [id(n) for n in nodes(tree)] == [id(n) for n in _reference(tree)], path


def test_every_node_takes_a_walked_block_whole() -> None:
    tree = ast.parse(EVERY_FORM)
    func = tree.body[3]
    assert isinstance(func, ast.AsyncFunctionDef)
    body = [n for stmt in func.body for n in nodes(stmt)]
    found = every_node(tree.body, {id(func.body): body})
    assert sorted(map(id, found)) == sorted(id(n) for s in tree.body for n in _reference(s))


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        (b"x = 1\n", False),
        (b"item.add_marker(m)\n", True),
        (b"# coding: utf-7\nitem.+AGE-dd_marker(m)\n", True),  # utf-7 spells an "a"
        ("item.\uff41pplymarker(m)\n".encode(), True),  # a fullwidth "a" is an "a"
        ("x = '\u00e9'\n".encode(), False),  # decoded, normalized, still no method
        (b"# coding: no-such-codec\nx = 1\n", True),  # unreadable: walked to be sure
    ],
)
def test_may_name_reads_identifiers_as_python_does(source: bytes, expected: bool) -> None:
    assert may_name(source, METHODS) is expected


PLAIN = b'import pytest\n\n\ndef test_a(request):\n    request.applymarker("skip")\n'


def test_string_markers_are_rewritten_at_every_depth_with_locations() -> None:
    source = (
        b"def f(item, x):\n"
        b'    item.add_marker(x.applymarker("skip") + "b")\n'
        b'    return [item.add_marker(f"{x}"), item.add_marker(later)]\n'
    )
    tree = rewrite(ast.parse(source), source)
    mark = "getattr(__import__('pytest').mark, "
    assert ast.unparse(tree).splitlines()[1:] == [
        f"    item.add_marker({mark}x.applymarker({mark}'skip')) + 'b'))",
        f"    return [item.add_marker({mark}f'{{x}}')), item.add_marker(later)]",
    ]  # a computed name stays computed (undecidable where read); a name is left as it is
    located = [n.lineno for n in ast.walk(tree) if isinstance(n, ast.expr)]
    assert set(located) == {2, 3}  # the new nodes sit where the string did


@pytest.mark.parametrize(
    "source",
    [
        PLAIN,
        b"# coding: utf-7\n" + PLAIN.replace(b"applymarker", b"+AGE-pplymarker"),
        PLAIN.replace(b"applymarker", "\uff41pplymarker".encode()),
    ],
)
def test_a_string_marker_is_read_however_it_is_spelled(source: bytes) -> None:
    module = analyze("tests/test_a.py", source)
    line = 6 if source.startswith(b"# coding") else 5
    assert module.functions[0].refs == (Ref(line, sym="mark:skip"),)


PACKAGE = Path(guards.__file__).parent
MODULES = sorted(str(p.relative_to(PACKAGE)) for p in PACKAGE.rglob("*.py"))


def _package_trees() -> list[tuple[bytes, ast.Module]]:
    assert len(MODULES) > 100
    return [((PACKAGE / m).read_bytes(), ast.parse((PACKAGE / m).read_bytes())) for m in MODULES]


MARKED = b"""
import pytest

@deco(item.add_marker("a"))
def f(item):
    pass

class T:
    x = item.applymarker("b")

    def test_x(self, request):
        request.applymarker("skip")

    def test_y(self):
        pass

    class Inner:
        @pytest.fixture(params=[item.add_marker(
            "c")])
        def g(self):
            pass

def h(item): item.add_marker("xfail")
"""


def test_a_rewrite_walking_only_the_lines_that_name_a_method_rewrites_the_same() -> None:
    """Only the statements whose lines may name a method are walked (a class's parts one by
    one): the tree comes out as the walk of every node leaves it."""
    for source in [MARKED, PLAIN, *(data for data, _ in _package_trees())]:
        everywhere = ast.dump(rewrite(ast.parse(source)), include_attributes=True)
        assert ast.dump(rewrite(ast.parse(source), source), include_attributes=True) == everywhere


def test_every_marker_method_of_the_narrowed_walk_is_rewritten() -> None:
    text = ast.unparse(rewrite(ast.parse(MARKED), MARKED))
    assert (
        text.count("getattr(__import__('pytest').mark") == 5
    )  # decorator, class, nested, one-line


@pytest.mark.parametrize(
    ("source", "dynamic"),
    [
        (b"import sys\nsetattr(sys.modules[__name__], 'test_x', f)\n", True),
        (b"globals()['test_' + n] = f\n", True),
        (b"exec(code)\n", True),
        (b"class T:\n    vars()['test_x'] = f\n", True),
        (b"def test_a(monkeypatch):\n    monkeypatch.setattr(a, 'b', 1)\n", False),
        (b"x = self.exec\nenvvars = executor = 1\n", False),
        (b"# coding: utf-7\n+AHM-etattr(m, 'test_x', f)\n", True),  # utf-7 spells an "s"
        ("\uff53etattr(m, 'test_x', f)\n".encode(), True),  # a fullwidth "s" is an "s"
        (b"def f():\n    setattr(m, 'test_x', f)\n", False),  # a body does not run at import
        ("import sys\nsys.\uff4dodules[__name__].x = 1\n".encode(), True),  # a fullwidth "m"
        (b"# coding: utf-7\nimport sys\nsys.+AG0-odules[__name__].x = 1\n", True),  # utf-7 "m"
        (b"import sys\nthis = sys.modules[__name__]\n", False),  # read, not written
    ],
)
def test_a_dynamic_call_is_found_however_it_is_spelled(source: bytes, dynamic: bool) -> None:
    """A module whose text spells no dynamic call's name is not walked for one: the fact is
    the same as walking it."""
    assert analyze("tests/test_a.py", source).names_dynamic is dynamic


def test_the_facts_of_a_module_are_the_same_without_its_text() -> None:
    """module_facts with the module's text (a dynamic call looked for only where it is spelled)
    gives what it gives without (every import-time statement walked), on every module of this
    package, some of which call setattr at import."""
    dynamic = 0
    for data, tree in _package_trees():
        stmts = list(import_time(tree.body))
        facts = module_facts(stmts, {}, tree.body)
        assert module_facts(stmts, {}, tree.body, data) == facts
        dynamic += facts["names_dynamic"]
    assert dynamic > 0


SYS_MODULES_PLACES = [  # a write through sys.modules in a body: no call import runs
    b"def outer():\n    @deco(setattr(sys.modules[__name__], 'x', 1))\n    def inner():\n"
    b"        pass\n",  # a decorator above its def
    b"@deco\nclass C(Base):\n    def m(self):\n        sys.modules[__name__].x = 1\n",
    b"try:\n    pass\nexcept Exception:\n    sys.modules[__name__].x = 1\n",
    b"def f(v):\n    match v:\n        case 1:\n            sys.modules[__name__].x = 1\n",
    b"def f():\n    return f'{setattr(sys.modules[__name__], \"x\", 1)}'\n",
    b"def f():\n    y = [\n        setattr(\n            sys\n"
    b"            .modules[__name__], 'x', 1)]\n",  # the word on a line of its own
    b"if a:\n    pass\nelse:\n    for i in r:\n        with c:\n"
    b"            sys.modules[__name__].x = 1\n",
]
GLOBAL_PLACES = [  # a function that declares a name global, however deep its statement sits
    b"x = 0\ndef f():\n    if a:\n        for i in r:\n            global x\n            x = 1\n",
    b"x = 0\nclass C:\n    def m(self):\n        try:\n            pass\n        finally:\n"
    b"            global x\n            x = 1\n",
    b"# coding: utf-7\nx = 0\ndef f():\n    +AGc-lobal x\n    x = 1\n",  # utf-7 "g"
]


@pytest.mark.parametrize("source", SYS_MODULES_PLACES + GLOBAL_PLACES)
def test_the_lines_that_say_a_word_lead_to_every_statement_that_uses_it(source: bytes) -> None:
    """module_facts reads only the statements on a line that says ``modules`` or ``global``
    (as Python reads the text): a decorator above its ``def``, a handler, a match case's
    guard, an f-string's field, a word on a continued line, a block deep in others. Each of
    these is found, and the facts are those of reading every statement."""
    tree = ast.parse(source)
    stmts = list(import_time(tree.body))
    facts = module_facts(stmts, {}, tree.body, source)
    assert facts == module_facts(stmts, {}, tree.body)
    if source in SYS_MODULES_PLACES:
        assert facts["names_dynamic"] is True
    else:
        assert "x" in facts["bound_names"] and "x" not in dict(facts["literals"])


@given(
    st.lists(
        st.sampled_from([b"global", b"glob", b"al", b"\n", b"\r", b"\r\n", b"x "]), max_size=40
    )
)
def test_the_lines_that_say_a_word_are_the_parser_s_lines(parts: list[bytes]) -> None:
    """said() counts lines between the places a word is said; the lines are those the
    parser counts (``\\r\\n``, ``\\r``, ``\\n``), as cutting the whole text gives them."""
    source = b"".join(parts)
    cut = [n for n, line in enumerate(source.splitlines(), 1) if b"global" in line]
    assert said(source, b"global") == cut


def test_one_pass_over_a_body_reads_what_two_passes_read() -> None:
    """body_refs reads a body once as if it bound no skip alias and caught no skip, and again
    only where it does: on every function of this package, and on bodies that do, the
    references are those the two-pass read (_again) gives."""
    sources = [data for data, _ in _package_trees()]
    sources.append(
        b"import pytest\ndef test_a():\n    s = pytest.skip\n    s()\n"
        b"def test_b():\n    with pytest.raises(pytest.skip.Exception):\n        pytest.skip()\n"
        b"def test_c():\n    exec('pytest.skip()')\n    helper()\n"
        b"def test_d():\n    co = compile('pytest.skip()', 'f', 'exec')\n    exec(co)\n"
        b"def test_e(s=pytest.skip, *, t=pytest):\n    s()\n    t.skip()\n"
        b"def test_f():\n    globals()['pytest'].skip()\n    globals().get('pytest').skip()\n"
    )
    seen = 0
    for data in sources:
        tree = ast.parse(data)
        env = Env("guards")
        for stmt in import_time(tree.body):
            if isinstance(stmt, (ast.Import, ast.ImportFrom)):
                env.bind_import(stmt)
        for func in (n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef)):
            nodes = nodes_of(func.body)
            dynamic = passed(func, nodes, env)  # [] where nothing is passed: as body_refs asks
            calls = [node for node in nodes if type(node) is ast.Call and node.args]
            bound = bound_once(func, nodes)
            ran = [c for call in calls if (c := _evaluated(call, env, dynamic, bound)) is not None]
            nodes += [sub for found in ran for sub in found]
            assert body_refs(func, env) == (*dynamic, *_again(nodes, env, _defaults(func, env)))
            seen += 1
    assert seen > 1000


def _facts(answers: list[tuple[str, object]]) -> list[tuple[str, object]]:
    """ANSWERS with each worker's pickle read as the fact cache reads it (cache.adopt)."""
    off = cache.FactCache(None)
    return [(p, off.adopt(p, a) if isinstance(a, bytes) else a) for p, a in answers]


def _pairs(count: int) -> list[tuple[str, bytes]]:
    pairs = [
        (f"tests/test_{i}.py", f"import pytest\n\n\ndef test_{i}():\n    pytest.skip()\n".encode())
        for i in range(count)
    ]
    pairs[7] = ("tests/test_broken.py", b"def (:\n")
    return pairs


def test_the_pool_gives_the_serial_facts_in_order() -> None:
    pairs = _pairs(parallel.THRESHOLD + 13)
    options = AnalysisOptions(with_defs=True)
    items = parallel._items(pairs, options)
    pooled = parallel._pooled(items, parallel._pickled, 2)  # a real pool of two, whatever the cores
    assert all(isinstance(a, (bytes, tuple)) for _, a in pooled)  # pickles, or failures
    assert _facts(pooled) == parallel._chunk(items)
    assert [p for p, _ in pooled] == [p for p, _ in pairs]
    results = dict(_facts(parallel.analyze_all(pairs, options)))
    assert isinstance(results["tests/test_broken.py"], NotParsable)
    assert results["tests/test_3.py"] == analyze("tests/test_3.py", pairs[3][1], options)
    each = dict(_facts(parallel.analyze_each(pairs, options)))
    assert each["tests/test_broken.py"] is None
    assert each["tests/test_4.py"] == results["tests/test_4.py"]


def test_the_largest_files_are_dealt_first_into_shrinking_chunks() -> None:
    """Each chunk takes its share of what is left, so the last ones are small: whichever
    worker is free takes them, and no worker is left with a large one while the other waits."""
    sizes = [5, 900, 40, 7000, 1, 300, 60, 2]
    chunks = parallel._dealt(sizes, 3)
    assert sorted(i for chunk in chunks for i in chunk) == list(range(len(sizes)))
    assert chunks == [[3], [1], [5], [6], [2, 0], [7, 4]]  # 7000, 900, 300 bytes start first
    many = [1_000 + 37 * i for i in range(300)]
    totals = [sum(many[i] for i in chunk) for chunk in parallel._dealt(many, 2)]
    assert totals[0] >= sum(many) / 4  # a worker's first chunk is a quarter of the work ...
    assert max(totals[-5:]) <= sum(many) / 128 + max(many)  # ... its last, a 128th


def test_an_undecidable_module_raises_from_the_batch() -> None:
    deep = b"import pytest\nx = pytest" + b".b" * 1000 + b"\n"  # parses; too deep to resolve
    pairs = [*_pairs(parallel.THRESHOLD), ("tests/test_deep.py", deep)]
    with pytest.raises(Undecidable, match="nested too deeply to analyze"):
        parallel.analyze_all(pairs, AnalysisOptions())
    pooled = dict(parallel._pooled(parallel._items(pairs, AnalysisOptions()), parallel._pickled, 2))
    failure = pooled["tests/test_deep.py"]
    assert isinstance(failure, tuple) and failure[0] == "undecidable"
    assert dict(parallel.analyze_each(pairs, AnalysisOptions()))["tests/test_deep.py"] is None


def test_files_with_their_own_options_share_one_pool() -> None:
    """A change's test modules (ids, definitions) and helpers (defaults) go to one pool, each
    analyzed with its own options, in the order given."""
    pairs = _pairs(parallel.THRESHOLD + 3)
    chosen = [AnalysisOptions(with_defs=i % 2 == 0) for i in range(len(pairs))]
    items = [(p, d, o) for (p, d), o in zip(pairs, chosen, strict=True)]
    pooled = parallel._pooled(items, parallel._pickled, 2)
    assert _facts(pooled) == parallel._chunk(items)
    mixed = dict(_facts(parallel.analyze_items(items)))
    assert mixed["tests/test_2.py"] == analyze("tests/test_2.py", pairs[2][1], chosen[2])
    assert mixed["tests/test_3.py"] == analyze("tests/test_3.py", pairs[3][1], chosen[3])
    assert mixed["tests/test_2.py"] != analyze("tests/test_2.py", pairs[2][1], chosen[3])


def test_analyses_again_from_the_other_side_share_one_pool_in_order() -> None:
    """parsing/incremental.py in the workers: each answer the serial one, in input order."""
    olds = _pairs(parallel.THRESHOLD + 5)
    items = []
    for path, data in olds:
        options = AnalysisOptions(with_defs=True)
        try:
            before = analyze(path, data, options)
        except NotParsable:
            continue
        items.append((path, data + b"\n\ndef test_added():\n    pass\n", options, before, data))
    pooled = parallel._pooled(items, parallel._agains, 2)
    serial = [parallel._again(item) for item in items]
    assert [None if a is None else pickle.loads(a) for a in pooled] == serial
    assert any(answer is not None for answer in serial)
    assert parallel.analyze_again_all(items[:3]) == serial[:3]


def test_a_file_and_its_other_side_go_to_one_worker_in_order() -> None:
    """analyze_chains: each chain's first file in full, the rest again from its facts, in
    full where that cannot serve (a first that does not parse), the serial answers in order."""
    options = AnalysisOptions(with_defs=True)
    added = b"\n\ndef test_added():\n    pytest.skip()\n"
    chains = [
        ((path, data, options), ((path, data + added, options),) * (i % 3))
        for i, (path, data) in enumerate(_pairs(parallel.THRESHOLD + 4))
    ]
    pooled = parallel._pooled(chains, parallel._chains, 2)
    serial = [parallel._chained(chain) for chain in chains]
    assert [[None if a is None else pickle.loads(a) for a in c] for c in pooled] == serial
    for (first, rest), answers in zip(chains, serial, strict=True):
        alone = [dict(parallel.analyze_each([(p, d)], options))[p] for p, d, _ in (first, *rest)]
        assert answers == alone
    broken = serial[7]  # tests/test_broken.py does not parse on either side
    assert broken == [None, None]
    assert serial[5][1] is not None and serial[5][1].functions[-1].name == "test_added"
    assert parallel.analyze_chains(chains[:3]) == serial[:3]


@pytest.mark.parametrize(
    ("count", "size", "pooled"),
    [(3, parallel.MIN_BYTES // 2, True), (3, 100, False), (1, parallel.MIN_BYTES * 2, False),
     (parallel.THRESHOLD, 100, True)],
)  # fmt: skip # -- one case a line would hide the table
def test_a_few_large_modules_go_to_the_pool_a_few_small_ones_do_not(
    monkeypatch: pytest.MonkeyPatch, count: int, size: int, pooled: bool
) -> None:
    """A pool pays for its start-up by bytes as well as by files (ten of sympy's modules)."""
    used: list[int] = []
    real = parallel._pooled
    monkeypatch.setattr(parallel, "workers", lambda: 2)
    monkeypatch.setattr(parallel, "_pooled", lambda *a: used.append(1) or real(*a))
    body = b"import pytest\n" + b"# padding\n" * (size // 10)
    pairs = [(f"tests/test_{i}.py", body) for i in range(count)]
    results = parallel.analyze_each(pairs, AnalysisOptions())
    assert bool(used) is pooled
    assert [p for p, _ in results] == [p for p, _ in pairs] and all(m for _, m in results)


def test_a_module_analyzed_without_spans_has_the_same_facts_but_them() -> None:
    """A whole tree's listing asks for no spans (no other revision reuses its facts): every
    other fact is what a full analysis gives."""
    placed = 0
    for module in MODULES[:60]:
        data = (PACKAGE / module).read_bytes()
        full = analyze(module, data, AnalysisOptions())
        assert analyze(module, data, AnalysisOptions(spans=False)) == replace(full, bodies=())
        placed += len(full.bodies)
    assert placed > 100


def _chains(count: int) -> list[parallel.Chain]:
    options = AnalysisOptions()
    pairs = _pairs(count)
    return [((p, d, options), ((p, d + b"\n# again\n", options),)) for p, d in pairs]


def test_the_parents_own_work_runs_while_the_pool_does() -> None:
    """MEANWHILE runs on a thread of the parent once the workers are forked, and is done when
    the pool returns; the pool's answers are those without it."""
    chains = _chains(parallel.THRESHOLD + 4)
    sizes = [len(first[1]) for first, _ in chains]
    ran: list[int] = []
    pooled = parallel._pooled(chains, parallel._chains, 2, sizes, lambda: ran.append(os.getpid()))
    assert ran == [os.getpid()]  # in the parent, not in a worker, and once
    assert pooled == parallel._pooled(chains, parallel._chains, 2, sizes)


def test_what_the_parents_own_work_raises_is_raised_but_a_guards_error() -> None:
    """A bug in it is raised when the pool returns; a GuardsError is left to the caller's own
    next step, which meets it again where it can say what to fix."""
    chains = _chains(parallel.THRESHOLD + 4)
    sizes = [len(first[1]) for first, _ in chains]

    def bug() -> None:
        raise KeyError("meanwhile")

    def refused() -> None:
        raise GuardsError("git could not read a blob")

    with pytest.raises(KeyError, match="meanwhile"):
        parallel._pooled(chains, parallel._chains, 2, sizes, bug)
    assert len(parallel._pooled(chains, parallel._chains, 2, sizes, refused)) == len(chains)


@pytest.mark.parametrize(
    "above",
    [b"\x0c\n", b"NOTE = 'a\xe2\x80\xa8b'\n", b"X = '\x1c'\n", b"#\x0c\n", b"x = 1\r"],
    ids=["page-break", "U+2028-in-a-string", "x1c-in-a-string", "form-feed-in-a-comment", "CR"],
)
def test_a_body_s_key_is_cut_from_the_lines_the_parser_counts(above: bytes) -> None:
    """A renamed test is found by its body's key (collect/gone.py): the key is the body's text
    from the lines Python's parser counts, so what str.splitlines alone calls a line break
    (a form feed, U+2028, U+001C) above the body changes nothing."""
    body = b"def %s():\n    value = compute(2)\n    assert value == 4\n"
    plain = analyze("t.py", body % b"test_login", AnalysisOptions(with_defs=True))
    moved = analyze("t.py", above + body % b"qq", AnalysisOptions(with_defs=True))
    assert plain.defs[0].body_key and moved.defs[0].body_key == plain.defs[0].body_key
