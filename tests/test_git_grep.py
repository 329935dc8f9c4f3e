"""``Git.grep_files`` with many words (guards/core/git.py): git tries each ``-e`` pattern on a line
apart, so words of word characters are searched as extended-regex alternations, a few hundred to a
pattern. The answer must be what a search for each word alone gives: the oracle here is Python's
own word match with git's word characters (ASCII letters, digits, ``_``), over seeded random texts
built so that words overlap, nest and touch each other's edges."""

from __future__ import annotations

import random
import re

import pytest

from guards.core import git as git_module
from guards.core.git import Git
from testing.git_repo import ScratchRepo

WORDS = ["a", "ab", "abc", "b", "bc", "Cache", "CacheFoo", "x_y", "y", "Z9", "_", "__init__"]
ODD = ["a-b", "b.c", "é", "a b"]  # not plain words: searched as fixed strings with -w
GLUE = ["", "", " ", "_", ".", "-", "(", "\t", "é", "0", "\n"]


def _texts(seed: int, count: int) -> dict[str, str]:
    rnd = random.Random(seed)
    pieces = [*WORDS, *ODD, "q", "zz"]
    return {
        f"src/f{i}.py": "".join(rnd.choice(pieces) + rnd.choice(GLUE) for _ in range(6)) + "\n"
        for i in range(count)
    }


def _oracle(texts: dict[str, str], words: list[str]) -> set[str]:
    edge = "A-Za-z0-9_"
    found = set()
    for path, text in texts.items():
        for word in words:
            if re.search(f"(?<![{edge}]){re.escape(word)}(?![{edge}])", text, re.ASCII):
                found.add(path)
    return found


@pytest.fixture(scope="module")
def scattered(tmp_path_factory: pytest.TempPathFactory) -> tuple[Git, str, dict[str, str]]:
    texts = _texts(7, 300)
    scratch = ScratchRepo(tmp_path_factory.mktemp("grep") / "repo")
    scratch.write(texts)
    return Git(str(scratch.path)), scratch.commit(), texts


@pytest.mark.parametrize("alternation", [git_module.ALTERNATION, 1, 3])
@pytest.mark.parametrize("seed", range(8))
def test_many_words_find_what_each_word_alone_finds(
    scattered: tuple[Git, str, dict[str, str]],
    alternation: int,
    seed: int,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(git_module, "ALTERNATION", alternation)
    git, rev, texts = scattered
    rnd = random.Random(seed)
    words = rnd.sample(WORDS + ODD, rnd.randint(2, len(WORDS) + len(ODD)))
    found = git.grep_files(rev, words, words=True)
    assert found == _oracle(texts, words)
    assert found, "the seeded texts hold some of every sample"


def test_one_word_is_a_plain_fixed_search(scattered: tuple[Git, str, dict[str, str]]) -> None:
    git, rev, texts = scattered
    for word in [*WORDS, *ODD]:
        assert git.grep_files(rev, [word], words=True) == _oracle(texts, [word])
