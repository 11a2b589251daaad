"""Search: one index per language, and search that forgives what readers type.

MkDocs and mkdocs-static-i18n write one search index for the whole site. A reader of the
Persian pages would download every language's text with it, and it grows with every
language the site adds. After the build, the index is split: each language gets
`<lang>/search/search_index.json` (the default language keeps the one at the root), with
the result locations relative to that language's root; pages of a language point
Material's search at their language's root (see `language_search_base`).

Each index carries its own lunr configuration: a language for which Material ships a lunr
stemmer (lunr-languages: Russian here; English is lunr's own) is stemmed; the others (az,
uk, fa: lunr-languages has no Azerbaijani, Ukrainian or Persian stemmer, and its Turkish
one is not for Azerbaijani) get no language pipeline at all (the multi-language trimmer
would delete Persian words). Material's worker is wrapped (`templates/search_worker.js`,
written as `assets/javascripts/workers/pamphlets-search.js`) so that the text is
normalised the same way when the index is built and when a reader searches: Azerbaijani
İ/ı, Latin letters without their marks, Arabic ي/ك as Persian ی/ک, Persian and Arabic-
Indic digits as 0-9, zero-width characters removed; and the query is stemmed as the index.
"""

from __future__ import annotations

import json
import posixpath
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
    return {
        code: write_language_index(site, code, default, docs, index["config"])
        for code, docs in parts.items()
    }


def write_language_index(
    site: Path, code: str, default: str, docs: list[dict], config: dict
) -> int:
    """Write one language's search index (locations relative to the language's root) with
    its own lunr configuration; returns its size in bytes."""
    folder = site / "search" if code == default else site / code / "search"
    folder.mkdir(parents=True, exist_ok=True)
    data = json.dumps({"config": index_config(config, code, site), "docs": docs},
                      ensure_ascii=False)  # fmt: skip
    (folder / "search_index.json").write_text(data, encoding="utf-8")
    return len(data.encode("utf-8"))


LUNR_LANGUAGES = "assets/javascripts/lunr/min"
WORKERS = "assets/javascripts/workers"
WORKER = "pamphlets-search.js"
WORKER_TEMPLATE = Path(__file__).resolve().parent / "templates" / "search_worker.js"


def index_config(config: dict, language: str, site: Path) -> dict:
    """The lunr configuration of one language's index: stemmed where Material ships a
    stemmer for the language (lunr.<lang>.min.js; English is built in), else no pipeline."""
    stemmed = language == "en" or (site / LUNR_LANGUAGES / f"lunr.{language}.min.js").exists()
    return dict(
        config,
        lang=[language] if stemmed else ["en"],
        pipeline=["stemmer"] if stemmed else [],
    )


def write_search_worker(site: Path) -> Path | None:
    """Write the worker that wraps Material's (see the module's docstring) beside it."""
    material = sorted((site / WORKERS).glob("search.*.min.js"))
    if not material:
        return None
    target = site / WORKERS / WORKER
    script = WORKER_TEMPLATE.read_text(encoding="utf-8")
    target.write_text(script.replace("MATERIAL_WORKER", material[0].name), encoding="utf-8")
    return target


CONFIG_SCRIPT = re.compile(
    r'(<script id="__config" type="application/json">)(.*?)(</script>)', re.S
)


def language_search_base(html: str, language: str | None) -> str:
    """Point Material's search on a page at its language's own index (for a language other
    than the default, the page's configuration gets `base` + '/ru', the folder of the
    Russian index), and at the worker that wraps Material's."""

    def rewrite(match: re.Match[str]) -> str:
        config = json.loads(match.group(2))
        if language:
            config["base"] = f"{config['base'].rstrip('/')}/{language}/"
        if config.get("search"):
            config["search"] = posixpath.join(posixpath.dirname(config["search"]), WORKER)
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
