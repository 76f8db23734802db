"""``python -m checker`` is the same as the ``checker`` command."""
from .cli import main

main()
