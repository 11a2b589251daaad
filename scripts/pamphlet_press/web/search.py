"""One search index per language, so that a reader downloads only the language they read.

MkDocs and mkdocs-static-i18n write one search index for the whole site. A reader of the
Persian pages would download every language's text with it, and it grows with every
language the site adds. After the build, the index is split: each language gets
`<lang>/search/search_index.json` (the default language keeps the one at the root), with
the result locations relative to that language's root; pages of a language point
Material's search at their language's root (see `language_search_base`).
"""

from __future__ import annotations

import json
import re
from pathlib import Path


def split_search_index(site: Path, languages: list[str], default: str) -> dict[str, int]:
    """Split site/search/search_index.json by language; returns the bytes of each index."""
    index_path = site / "search" / "search_index.json"
    if not index_path.exists():
        return {}
    index = json.loads(index_path.read_text(encoding="utf-8"))
    others = [code for code in languages if code != default]
    parts: dict[str, list[dict]] = {code: [] for code in languages}
    for doc in index["docs"]:
        location = doc["location"]
        code = next((c for c in others if location.startswith(f"{c}/")), default)
        if code != default:
            doc = dict(doc, location=location[len(code) + 1 :])
        parts[code].append(doc)
    sizes = {}
    for code, docs in parts.items():
        folder = site / "search" if code == default else site / code / "search"
        folder.mkdir(parents=True, exist_ok=True)
        data = json.dumps({"config": index["config"], "docs": docs}, ensure_ascii=False)
        (folder / "search_index.json").write_text(data, encoding="utf-8")
        if (site / "search" / "search_index.js").exists():
            # The offline copy reads the index from a script (file:// cannot fetch JSON).
            (folder / "search_index.js").write_text(f"var __index = {data}", encoding="utf-8")
        sizes[code] = len(data.encode("utf-8"))
    return sizes


CONFIG_SCRIPT = re.compile(
    r'(<script id="__config" type="application/json">)(.*?)(</script>)', re.S
)


def language_search_base(html: str, language: str) -> str:
    """Point Material's search on a page at its language's own index: the page's
    configuration gets `base` + '/ru', the folder of the Russian index."""

    def rewrite(match: re.Match[str]) -> str:
        config = json.loads(match.group(2))
        config["base"] = f"{config['base'].rstrip('/')}/{language}/"
        return match.group(1) + json.dumps(config) + match.group(3)

    return CONFIG_SCRIPT.sub(rewrite, html, count=1)


HEAD_ALTERNATE = re.compile(r'\s*<link rel="alternate" href="[^"]*" hreflang="[^"]*">')


def without_head_alternates(html: str) -> str:
    """Drop the page's <link rel="alternate" hreflang> tags.

    Material fetches `sitemap.xml` under every such link; with mkdocs-static-i18n they
    point at the page in each language, where no sitemap is, so a reader's phone would
    make five requests that fail on every page. The language switcher links the pages
    directly, and sitemap.xml lists the same alternates for search engines.
    """
    return HEAD_ALTERNATE.sub("", html)


SEARCH_DIALOG = re.compile(r'(<div class="md-search" data-md-component="search" role="dialog")')
SEARCH_PLACEHOLDER = re.compile(r'class="md-search__input"[^>]*placeholder="([^"]*)"')


def with_named_search_dialog(html: str) -> str:
    """Give Material's search dialog an accessible name (its search field's own label):
    a screen reader announces a dialog by its name."""
    placeholder = SEARCH_PLACEHOLDER.search(html)
    if not placeholder:
        return html
    return SEARCH_DIALOG.sub(rf'\1 aria-label="{placeholder.group(1)}"', html, count=1)
