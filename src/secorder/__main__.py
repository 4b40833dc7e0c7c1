"""``python -m secorder``: the same as the ``secorder`` command."""

from secorder.cli import main

main()
