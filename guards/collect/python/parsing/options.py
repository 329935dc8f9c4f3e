"""How a module is analyzed: the settings of the pytest configuration that shape its facts.

Apart from analyze.py so that a run can hold, compare and key the cache by options without
importing the parser: a change that reaches no Python source never loads it.
"""

from __future__ import annotations

from guards.core.records import record


@record
class AnalysisOptions:
    """Settings of the pytest configuration that shape facts: id strategy, defs wanted."""

    long_strategy: str = "short"
    with_defs: bool = False
    lazy_bodies: bool = False  # read only bodies whose text can reach a skip (see hot.py)
    known: tuple[str, ...] = ()  # names that skip when imported from the repository
    modules: tuple[str, ...] = ()  # the repository's modules named like one (reach.modules_named)
    as_conftest: bool = False  # a plugin module (pytest_plugins, -p): read like a conftest
    spans: bool = True  # where each function sits, for another revision's (incremental.py)


DEFAULT_OPTIONS = AnalysisOptions()
PLUGIN_OPTIONS = AnalysisOptions(as_conftest=True)  # a module pytest loads as a plugin
