"""The sources of the pamphlets, read and validated once into a Catalog.

sources.py (text, YAML with line numbers, typed records) -> facts.py, ui.py, markdown.py
(what a text may contain) -> catalog.py (pamphlets, translations, fallback) ->
translation_status.py (missing, draft, reviewed, outdated) and ledger.py (print runs).
Nothing here knows about MkDocs or WeasyPrint.
"""
