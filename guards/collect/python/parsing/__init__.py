"""Stage 3, parsing: one ``ast`` parse per module into picklable facts (names, functions,
classes, marks, parametrize ids, skip references, conftest declarations), on every core."""
