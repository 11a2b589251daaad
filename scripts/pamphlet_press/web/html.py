"""What is done to every finished page of the site, after the theme has rendered it.

- Material fetches `sitemap.xml` under every `<link rel="alternate" hreflang>`; those point
  at pages, so a reader's phone would make five failing requests per page: they are dropped
  (the sitemap keeps the alternates for search engines; search.py).
- The search dialog gets an accessible name (its field's own label).
- Pages of a language other than the default point Material's search at their own
  language's index, and every page at the search worker that wraps Material's (search.py).
- Every page ships a Content-Security-Policy (csp.py).
"""

from __future__ import annotations

from .csp import with_policy
from .search import language_search_base, with_named_search_dialog, without_head_alternates


def finish_page(output: str, language: str, default_language: str) -> str:
    output = with_named_search_dialog(without_head_alternates(output))
    output = language_search_base(output, language if language != default_language else None)
    return with_policy(output)
