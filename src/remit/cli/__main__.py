"""``python -m remit.cli``: the remit command line."""

from remit.cli import main

main()
