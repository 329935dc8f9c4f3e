"""The static pytest collector: the node ids pytest would collect at a revision, and every way
each of them is kept from running. Stdlib ``ast`` only: nothing is imported or run.

Data flow (one revision; base and head are two runs of the same pipeline)::

    config/   pytest.ini | pyproject | setup.cfg | tox.ini -> PytestConfig, addopts selection
       |      (python_files, testpaths, norecursedirs, -k/-m/--deselect, --ignore)
    sources/  Revision: files read in bulk through core/git.py; change_scope picks the files a
       |      change can affect; prefilter: which files can hold a skip at all; lookahead: a
       |      child analyzing the change's class bases on the idle core
    parsing/  one parse per module -> picklable facts (facts.py): symbols resolved through
       |      imports and aliases, marks, parametrize ids, bodies' skip references, conftests
    linking/  facts -> TestItems with their Skips: marks, bodies and helpers (resolve.py),
       |      fixtures, class members, conftest hooks, then -k/-m/--deselect (select.py)
    skip_sets.py  what skip-set and ``guards skips list`` ask: both sides of a change, or the
                  whole tree's skip set; compared in guards/collect/compare.py

``skip_forms.py`` is the one table of skip forms (symbol -> kind -> phrase -> where it applies)
that every stage reads. ``oracle/`` runs real ``pytest --collect-only`` on a ``git archive`` of
the revision: the static collector's oracle (``--collector pytest``).

The trap: a construct whose effect cannot be decided statically is an ``Undecidable`` (a
``skip_set_decidable`` failure), never a guess and never a silent pass.
"""
