"""One module per CLI command, each a plain function returning the exit code.

``guards/main.py`` is click wiring only: it parses the arguments and forwards them here. A
command builds what it needs (git, policy, context), runs the pure parts, hands the result to
``guards/report`` to print, and returns 0 (pass), 1 (violation) or 2 (could not evaluate).
The trap: a command raises GuardsError for exit 2; main.py turns it into the message, so no
command prints an error itself.
"""
