"""The `pamphlets` command (see shell.py for the group and what the commands share).

    building.py        build, pdf, preflight, check, bench
    ledger.py          runs add, distribute, deliver, report
    translations.py    status, translate, export, import, new
"""

from . import building, ledger, translations  # noqa: F401  (they add their commands)
from .shell import main

__all__ = ["main"]
