"""The Rust collector's pure parts (meta items, cfg, features, targets) and the constructs it
cannot decide, which stop the verdict (exit 2) instead of passing."""

from __future__ import annotations

from pathlib import Path

import pytest

from guards.collect import rust
from guards.collect.model import NotParsable, Undecidable
from guards.collect.rust import cfg
from guards.collect.rust.cargo import default_features
from guards.collect.rust.meta import Meta, parse
from testing.git_repo import GitRepo
from tests.lang_support import RevFiles, kinds_of

ENV = cfg.Env(frozenset({"default", "std"}))


def test_meta_items() -> None:
    assert parse("ignore") == Meta("ignore")
    assert parse('ignore = "slow"') == Meta("ignore", "slow")
    assert parse("tokio :: test") == Meta("tokio::test")
    assert parse('cfg_attr(unix, ignore = "x")') == Meta(
        "cfg_attr", None, (Meta("unix"), Meta("ignore", "x"))
    )
    assert parse("cfg(").raw


@pytest.mark.parametrize(
    ("pred", "value"),
    [
        ("unix", True),
        ("windows", False),
        ("test", True),
        ("miri", False),
        ('target_os = "linux"', True),
        ('target_os = "windows"', False),
        ('feature = "std"', True),
        ('feature = "extra"', False),
        ("any()", False),
        ("all()", True),
        ("not(any())", True),
        ('all(unix, target_arch = "x86_64")', True),
        ("not(debug_assertions)", False),
        ("custom_flag", False),
        ("true", True),
    ],
)
def test_cfg_predicates(pred: str, value: bool) -> None:
    assert cfg.evaluate(parse(pred), ENV) is value


def test_build_script_names_are_undecidable() -> None:
    with pytest.raises(cfg.CfgUnknown):
        cfg.evaluate(parse("has_simd"), cfg.Env(frozenset(), build_script=True))
    assert cfg.evaluate(parse("windows"), cfg.Env(frozenset(), build_script=True)) is False


def test_default_features_follow_implications() -> None:
    table = {"default": ["a", "dep:serde"], "a": ["b", "log/std"], "b": [], "c": []}
    assert default_features({"features": table}) == {"default", "a", "b", "log"}


def _repo(tmp_path: Path, files: dict[str, str]) -> RevFiles:
    repo = GitRepo(tmp_path / "r")
    repo.write(files)
    repo.commit()
    return RevFiles(repo.path)


LIB_IGNORED = "#[cfg(test)]\nmod t {\n    #[test]\n    #[ignore]\n    fn a() {}\n}\n"
CARGO = '[package]\nname = "p"\nversion = "0.1.0"\nedition = "2021"\n'


def test_workspace_member_and_test_ids(tmp_path: Path) -> None:
    files = _repo(
        tmp_path,
        {
            "Cargo.toml": '[workspace]\nmembers = ["crates/p"]\n',
            "crates/p/Cargo.toml": CARGO,
            "crates/p/src/lib.rs": LIB_IGNORED,
        },
    )
    assert kinds_of(rust.collect(files, ["crates/p/src/lib.rs"])) == {"p t::a": ["rust-ignore"]}


@pytest.mark.parametrize(
    ("extra", "error"),
    [
        (
            {
                "src/lib.rs": "macro_rules! t {\n    ($(#[$m:meta])* $n:ident) => {\n"
                "        $(#[$m])*\n        #[test]\n        fn $n() {}\n    };\n}\n"
                "t!(#[ignore] a);\n"
            },
            Undecidable,
        ),
        (
            {"build.rs": "fn main() {}\n", "src/lib.rs": "#[test]\n#[cfg(has_simd)]\nfn a() {}\n"},
            Undecidable,
        ),
        ({"src/lib.rs": "#[test]\nfn a( {}\n"}, NotParsable),
        ({"Cargo.toml": "[package\nname = 1\n", "src/lib.rs": "#[test]\nfn a() {}\n"}, NotParsable),
    ],
    ids=["macro-writes-attributes", "build-script-cfg", "syntax-error", "bad-manifest"],
)
def test_undecidable_inputs_stop_the_verdict(
    tmp_path: Path, extra: dict[str, str], error: type[Exception]
) -> None:
    files = _repo(tmp_path, {"Cargo.toml": CARGO, **extra})
    with pytest.raises(error):
        rust.collect(files, ["src/lib.rs"])


MACROS = """
macro_rules! check {
    ($name:ident, $value:expr) => {
        #[test]
        fn $name() {
            assert!($value, "cfg!(x) and .is_ignore() are words, not attributes");
        }
    };
}
macro_rules! off {
    ($name:ident) => {
        #[test]
        #[ignore = "slow"]
        fn $name() {}
    };
}
macro_rules! table {
    ($name:ident, $a:expr) => { table!($name, $a, true); };
    (not, $name:ident, $a:expr) => { table!($name, $a, false); };
    ($name:ident, $a:expr, $b:expr) => {
        #[test]
        fn $name() { assert_eq!($a == 1, $b); }
    };
}
check!(runs, (|a: u8, b: u8| a < b)(1, 2));
off!(ignored);
#[cfg(windows)]
check!(windows_only, true);
table!(yes, 1);
table!(not, no, 2);
mod inner {
    check!(nested, None::<u8>.is_none());
}
macro_rules! trailing {
    ($name:ident, $a:expr $(,)*) => {
        #[test]
        fn $name() { assert!($a); }
    };
}
trailing!(comma, true,);
trailing!(no_comma, true);
macro_rules! words {
    ($name:ident, $([ $line:expr, $count:expr ]),+) => {
        #[test]
        fn $name() { $( assert_eq!($line.len(), $count); )+ }
    };
}
words!(lines, ["a", 1], ["ab", 2]);
macro_rules! replace {
    ($name:ident, $re:expr, $with:expr) => {
        #[test]
        fn $name() { assert!(!$re.is_empty()); let _ = $with; }
    };
}
replace!(cow, "a", std::borrow::Cow::<'_, str>::Borrowed("Z"));
"""


def test_simple_test_macros_are_read_invocation_by_invocation(tmp_path: Path) -> None:
    """ripgrep's rgtest!, ignored!, matched!(not, ...): each invocation is a test named by its
    name argument, with the transcriber's attributes and the invocation's own."""
    files = _repo(tmp_path, {"Cargo.toml": CARGO, "src/lib.rs": MACROS})
    assert kinds_of(rust.collect(files, ["src/lib.rs"])) == {
        "p runs": [],
        "p ignored": ["rust-ignore"],
        "p windows_only": ["rust-cfg"],
        "p yes": [],
        "p no": [],
        "p inner::nested": [],
        "p comma": [],
        "p no_comma": [],
        "p lines": [],
        "p cow": [],
    }


@pytest.mark.parametrize(
    ("macro", "call"),
    [
        ("($n:ident) => { mod $n { #[test] fn it() {} } }", "t!(a);"),  # tests in a module
        ("($n:ident) => { paste! { #[test] fn $n() {} } }", "t!(a);"),  # inside another macro
        ("($($n:ident),*) => { $(#[test] fn $n() {})* }", "t!(a, b);"),  # a repetition
        ("($n:ident) => { #[test] fn $n() {} #[test] fn other() {} }", "t!(a);"),
        ("($n:ident) => { #[test] #[doc = $n] fn $n() {} }", "t!(a);"),  # an attribute's $
        (  # an earlier rule unsure: which one rustc takes cannot be told
            "($n:ident, $v:expr, $w:expr) => { #[test] fn $n() {} };"
            " ($n:ident) => { t!($n, 1, 2); }",
            "t!(a, f::<u8, u8>(), 1);",
        ),
        (
            "($n:ident, $v:vis) => { #[test] fn $n() {} }; ($n:ident) => { t!($n, pub); }",
            "t!(a, pub);",
        ),
        ("($v:expr, $n:ident) => { #[test] fn $n() {} }", "t!(f::<u8, u8>(), a);"),  # name after
        ("($n:ident) => { #[test] fn $n() {} }", 't!("a");'),  # no rule matches
        ("($n:ident) => { t!($n); }; ($n:ident, 1) => { #[test] fn $n() {} }", "t!(a);"),
        # a repetition ends a rule that is not the last: rustc may refuse it and go on
        ("($n:ident $($x:tt)*) => { #[test] fn $n() {} }; ($n:ident) => { t!($n); }", "t!(a);"),
        # a condition from the arguments on the items given, when one is a test or a module
        (
            "(#![$m:meta] $($i:item)*) => { $( #[cfg($m)] $i )* }",
            "t! { #![unix] #[test] fn a() {} }",
        ),
        ("(#![$m:meta] $($i:item)*) => { $( #[cfg($m)] $i )* }", "t! { #![unix] mod a; }"),
        ("($($i:item)*) => { $( #[cfg_attr(unix, $i)] fn f() {} )* }", "t! { ignore }"),
    ],
)
def test_a_test_macro_in_a_shape_not_read_is_undecidable(
    tmp_path: Path, macro: str, call: str
) -> None:
    source = f"macro_rules! t {{\n    {macro};\n}}\n{call}\n"
    files = _repo(tmp_path, {"Cargo.toml": CARGO, "src/lib.rs": source})
    with pytest.raises(Undecidable):
        rust.collect(files, ["src/lib.rs"])


TOKIO_SHAPES = """
macro_rules! feature {
    (#![$meta:meta] $($item:item)*) => {
        $(
            #[cfg($meta)]
            #[cfg_attr(docsrs, doc(cfg($meta)))]
            $item
        )*
    }
}
feature! {
    #![feature = "extra"]
    pub struct Extra;
}
#[cfg(all(loom, test))]
macro_rules! local {
    ($(#[$a:meta])* $vis:vis static $name:ident: $ty:ty = $e:expr) => {
        $(#[$a])* $vis static $name: $ty = $e;
    };
}
#[cfg(not(all(loom, test)))]
macro_rules! local {
    ($($tts:tt)+) => { $($tts)+ };
}
local!(pub static X: u8 = 1;);
pub struct S(u8);
macro_rules! methods {
    (impl $t:ty { $( $(#[$attrs:meta])* fn $f:ident(); )* }) => {
        impl $t { $( $(#[$attrs])* pub fn $f(&self) -> u8 { self.0 } )* }
    };
}
methods! { impl S { #[inline] fn get(); } }
macro_rules! mac {
    (fn $name:ident() $b:block) => {
        #[test]
        pub fn $name() $b
    };
}
mac!(fn made() {});
mac!(fn made_too() { assert!(true); });
"""


def test_macros_that_condition_items_or_write_methods_are_read(tmp_path: Path) -> None:
    """tokio's shapes, each of which made every change to its crate undecidable: ``feature!``
    writes ``#[cfg($meta)]`` on the items it is given (none a test here), a definition whose
    own ``cfg`` is off is none, attributes written on an ``impl``'s methods make no test, and
    a test written ``pub fn $name() $b`` after a literal ``()``. ``cargo test -- --list`` on
    this crate lists ``made`` and ``made_too``."""
    files = _repo(tmp_path, {"Cargo.toml": CARGO, "src/lib.rs": TOKIO_SHAPES})
    assert kinds_of(rust.collect(files, ["src/lib.rs"])) == {"p made": [], "p made_too": []}


AXUM_SHAPES = (
    Path(__file__).parent / "fixtures" / "rust_skip_corpus" / "tests" / "axum_shapes.rs"
).read_text()


def test_macros_that_write_the_attributes_given_or_comment_their_matcher_are_read(
    tmp_path: Path,
) -> None:
    """axum's shapes, each of which made every change to its crate undecidable: a macro that
    writes on its own ``pub fn`` the attributes it is given (``$(#[$m])+``: doc comments, by
    a rule that invokes it again), and a test macro whose matcher comments each binding.
    ``cargo test --lib -- --list`` on this crate lists ``nest_1`` and ``nest_2``; given a test
    attribute, the first is undecidable."""
    files = _repo(tmp_path, {"Cargo.toml": CARGO, "src/lib.rs": AXUM_SHAPES})
    assert kinds_of(rust.collect(files, ["src/lib.rs"])) == {"p nest_1": [], "p nest_2": []}
    given = AXUM_SHAPES + "service_fn!(#[test] made, POST);\n"
    files = _repo(tmp_path / "given", {"Cargo.toml": CARGO, "src/lib.rs": given})
    with pytest.raises(Undecidable, match="service_fn!, given a test"):
        rust.collect(files, ["src/lib.rs"])


UNREADABLE = """macro_rules! table {
    ($($(#[$a:meta])* $name:ident,)*) => { $( $(#[$a])* #[test] fn $name() {} )* };
}
table! { one, #[ignore] two, }
"""


@pytest.mark.parametrize(
    ("changed", "refused"),
    [
        (["tests/plain.rs"], False),  # the change cannot reach tests/table.rs
        (["tests/table.rs"], True),
        (["tests/plain.rs", "Cargo.toml"], True),  # a manifest reaches every target
        (["tests/plain.rs", "tests/gone.rs"], False),  # a file no revision holds hides nothing
        (["src/orphan.rs"], True),  # a file no target reads may hold tests no walk sees
    ],
)
def test_a_target_that_cannot_be_read_stops_only_a_change_that_reaches_it(
    tmp_path: Path, changed: list[str], refused: bool
) -> None:
    """tokio's tests/tcp_accept.rs (a table of tests with their attributes) made every change
    to the crate undecidable; it is the same unknown on both sides of a change that does not
    touch it, where a target that was read answers for every file the change holds."""
    files = _repo(
        tmp_path,
        {
            "Cargo.toml": CARGO,
            "src/lib.rs": "pub fn f() {}\n",
            "tests/table.rs": UNREADABLE,
            "tests/plain.rs": "#[test]\n#[ignore]\nfn plain() {}\n",
            "src/orphan.rs": "#[test]\nfn orphan() {}\n",
        },
    )
    if refused:
        with pytest.raises(Undecidable, match="table!"):
            rust.collect(files, changed)
    else:
        assert kinds_of(rust.collect(files, changed)) == {"p::plain plain": ["rust-ignore"]}


def test_a_test_macro_invoked_before_its_definition_is_read_is_undecidable(tmp_path: Path) -> None:
    """``crate::t!`` reaches a ``#[macro_export]`` macro defined in a module walked later."""
    source = "crate::t!(a);\nmod later;\n"
    later = "#[macro_export]\nmacro_rules! t {\n    ($n:ident) => { #[test] fn $n() {} };\n}\n"
    files = _repo(tmp_path, {"Cargo.toml": CARGO, "src/lib.rs": source, "src/later.rs": later})
    with pytest.raises(Undecidable, match="before the walk read its definition"):
        rust.collect(files, ["src/lib.rs"])


FORWARDS = """
macro_rules! extract {
    ($which:ident, $name:ident, $a:expr) => {
        #[test]
        #[ignore]
        fn $name() { assert!($a); }
    };
}
macro_rules! ext {
    ($($tt:tt)*) => { extract!(ext, $($tt)*); }
}
macro_rules! helper {
    ($name:ident) => { fn $name() { assert!(true); } };
}
ext!(forwarded, true);
helper!(not_a_test);
"""


def test_a_macro_that_passes_its_tokens_to_a_test_macro_writes_its_test(tmp_path: Path) -> None:
    """ripgrep's ``ext!(...)`` is ``extract!(ext, ...)``: its test, with extract!'s ignore; a
    macro that writes no test writes none."""
    files = _repo(tmp_path, {"Cargo.toml": CARGO, "src/lib.rs": FORWARDS})
    assert kinds_of(rust.collect(files, ["src/lib.rs"])) == {"p forwarded": ["rust-ignore"]}


def test_a_macro_that_invokes_a_test_macro_in_a_shape_not_read_is_undecidable(
    tmp_path: Path,
) -> None:
    many = (
        "macro_rules! many {\n    ($($n:ident),*) => { $( ext!($n, true); )* };\n}\nmany!(a, b);\n"
    )
    files = _repo(tmp_path, {"Cargo.toml": CARGO, "src/lib.rs": FORWARDS + many})
    with pytest.raises(Undecidable, match="many! invokes ext!"):
        rust.collect(files, ["src/lib.rs"])


def test_attributes_a_macro_writes_on_a_struct_make_no_test(tmp_path: Path) -> None:
    """regex's ``define_regex_type!``: ``$(#[$doc])* pub struct Regex``; on a function they
    could write ``#[ignore]`` (test_undecidable_inputs_stop_the_verdict)."""
    source = (
        "macro_rules! define {\n    ($(#[$doc:meta])*) => {\n        #[cfg(unix)]\n"
        "        $(#[$doc])*\n        pub struct Regex { a: u8 }\n    };\n}\n"
        "define!(#[derive(Debug)]);\n#[test]\nfn a() {}\n"
    )
    files = _repo(tmp_path, {"Cargo.toml": CARGO, "src/lib.rs": source})
    assert kinds_of(rust.collect(files, ["src/lib.rs"])) == {"p a": []}


def test_docsrs_is_false_even_where_a_build_script_may_set_cfgs(tmp_path: Path) -> None:
    """serde: ``#[cfg(docsrs)] mod crate_root;`` (docs.rs sets it for rustdoc only)."""
    source = "#[cfg(docsrs)]\nmod docs {\n    #[test]\n    fn d() {}\n}\n#[test]\nfn a() {}\n"
    build = {"build.rs": "fn main() {}\n"}
    files = _repo(tmp_path, {"Cargo.toml": CARGO, **build, "src/lib.rs": source})
    assert kinds_of(rust.collect(files, ["src/lib.rs"])) == {"p a": [], "p docs::d": ["rust-cfg"]}


def test_a_cfg_attr_that_adds_nothing_read_is_not_evaluated(tmp_path: Path) -> None:
    """pydantic-core: ``cfg_attr(has_coverage_attribute, coverage(off))``, a cfg its build
    script sets, can skip no test; one that would add ``ignore`` under it still cannot be told."""
    source = (
        "#![cfg_attr(has_coverage_attribute, feature(coverage_attribute))]\n"
        "#[test]\n#[cfg_attr(has_coverage_attribute, coverage(off))]\nfn a() {}\n"
    )
    files = _repo(
        tmp_path, {"Cargo.toml": CARGO, "build.rs": "fn main() {}\n", "src/lib.rs": source}
    )
    assert kinds_of(rust.collect(files, ["src/lib.rs"])) == {"p a": []}
    ignored = source + "#[test]\n#[cfg_attr(has_coverage_attribute, ignore)]\nfn b() {}\n"
    files = _repo(
        tmp_path / "b", {"Cargo.toml": CARGO, "build.rs": "fn main() {}\n", "src/lib.rs": ignored}
    )
    with pytest.raises(Undecidable, match="build script"):
        rust.collect(files, ["src/lib.rs"])


def test_claims() -> None:
    assert rust.claims("src/lib.rs") and rust.claims("crates/a/Cargo.toml")
    assert not rust.claims("target/debug/build/x.rs") and not rust.claims("src/lib.go")
