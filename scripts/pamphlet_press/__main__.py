"""`python -m pamphlet_press` is the `pamphlets` command."""

from .cli import main

main()
