"""Exit codes of every recall command, documented in the README."""

OK = 0
ERROR = 1  # runtime failure: unreadable database, vault missing, a file that cannot be written, ...
USAGE = 2  # bad arguments (typer/click's own code), an output that would overwrite recall's own files
PARTIAL = 3  # import finished, but some files were skipped with a warning
NOT_FOUND = 4  # no highlight with that id
INVALID_STATE = 5  # the highlight cannot take that action (retired, discarded, ...)
INTERRUPTED = 130  # stopped by Ctrl+C or SIGTERM (128 + SIGINT, as shells report it)

