"""Test collectors, one package per language, behind one small interface (interface.py).

python/ reads pytest suites with ``ast``; js/, go/, rust/ and java/ read their languages with
tree-sitter; reports/ reads what a test run itself wrote (JUnit XML, pytest report-log).
Every collector gives the same records (``TestItem`` with its ``Skip``s), so skip-set compares
base with head the same way whatever the language.
"""
