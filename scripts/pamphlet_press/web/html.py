"""What is done to every finished page of the site, after the theme has rendered it.

- Material fetches `sitemap.xml` under every `<link rel="alternate" hreflang>`; those point
  at pages, so a reader's phone would make five failing requests per page: they are dropped
  (the sitemap keeps the alternates for search engines; search.py).
- The search dialog gets an accessible name (its field's own label).
- Pages of a language other than the default point Material's search at their own
  language's index, and every page at the search worker that wraps Material's (search.py).
- Every page ships a Content-Security-Policy (csp.py) that allows the theme's own inline
  scripts, by the hashes of the theme's templates; a page holding any other inline script
  is an error (UntrustedScript), not a page to publish.
"""

from __future__ import annotations

from .csp import untrusted_scripts, with_policy
from .search import language_search_base, with_named_search_dialog, without_head_alternates


class UntrustedScript(Exception):
    """A finished page holds an inline script that is not the theme's."""


def finish_page(
    output: str, language: str, default_language: str, trusted: frozenset[str] = frozenset()
) -> str:
    """The finished page; `trusted` holds the hashes of the theme's inline scripts as
    rendered for this page (csp.TrustedScripts)."""
    output = with_named_search_dialog(without_head_alternates(output))
    output = language_search_base(output, language if language != default_language else None)
    untrusted = untrusted_scripts(output, trusted)
    if untrusted:
        raise UntrustedScript(
            f"the page holds a script that is not the theme's ({untrusted[0]}...); it is not "
            "published: find what brought it in"
        )
    return with_policy(output, trusted)
