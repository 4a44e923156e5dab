"""``python -m summariser``: the same command line as ``summariser``."""

from summariser.cli import main

main()
