"""pamphlet_press: one set of Markdown pamphlets, per language, becomes a multilingual
rights website (MkDocs + Material + mkdocs-static-i18n) and, later, print-ready leaflets.

The work is done by plain functions (catalog, facts, markdown checks, page generation);
`plugin.py` is the thin MkDocs adapter and `cli.py` the thin command line over them.
"""
