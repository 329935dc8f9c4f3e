"""The oracle: real ``pytest --collect-only`` on an exported revision, with a small plugin that
reports every item and the skip marks pytest sees (``--collector pytest``)."""
