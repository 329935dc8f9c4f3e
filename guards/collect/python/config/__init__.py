"""Stage 1, configuration: which files pytest collects and which items it selects (ini files,
addopts, testpaths, python_files, norecursedirs, -k/-m expressions)."""
