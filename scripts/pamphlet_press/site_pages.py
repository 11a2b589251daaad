"""The website's pamphlet pages, written as real Markdown files under the docs folder.

mkdocs-static-i18n only takes pages that are real files under `docs_dir` (a generated
`File` crashes it, a file outside the docs folder is dropped), so every pamphlet becomes
one file per language in a git-ignored folder of the docs tree, in the i18n suffix layout:

    docs/pamphlets/index.az.md                        the list of pamphlets, in Azerbaijani
    docs/pamphlets/rights-and-duties/index.az.md      a pamphlet, in Azerbaijani
    docs/pamphlets/rights-and-duties/index.fa.md      the same pamphlet, for Persian readers

Every language gets every pamphlet at the same path, so the language switcher always leads
to the same pamphlet. A language without its own text shows the first text of its fallback
chain with a notice; a draft says so at the top. Files are rewritten only when their content
changes (so `mkdocs serve` does not loop), and files whose source is gone are removed.
"""

from __future__ import annotations

import html
import posixpath
from pathlib import Path

import yaml

from .catalog import Catalog, Pamphlet, Shown
from .markdown import link_pamphlets_for_site
from .pdf_build import PdfBuildResult, PdfFile
from .status import is_outdated

LIST_MARKER = "<!-- pamphlets:list -->"
LANGUAGES_MARKER = "<!-- pamphlets:languages -->"


def _suffixed(path: str, language: str) -> str:
    return f"{path}.{language}.md"


def site_root(catalog: Catalog, language: str, depth: int) -> str:
    """The relative path from a page `depth` folders below its language's root to the
    site's root (the default language lives at the root, the others one folder down)."""
    extra = 0 if language == catalog.settings.default_language else 1
    return "../" * (depth + extra)


def language_prefix(catalog: Catalog, language: str) -> str:
    return "" if language == catalog.settings.default_language else f"{language}/"


def notices_html(
    catalog: Catalog, shown: Shown, pamphlet: Pamphlet | None = None, directory_urls: bool = True
) -> str:
    """The notices at the top of a pamphlet page: fallback language, outdated, draft."""
    ui = catalog.ui[shown.language]
    parts = []
    if shown.is_fallback:
        name = catalog.language(shown.translation.language).name
        text = ui.fallback_notice.replace("{language}", name)
        parts.append(
            '<div class="admonition info pamphlet-notice pamphlet-fallback" role="note">\n'
            f'<p class="admonition-title">{html.escape(text)}</p>\n</div>'
        )
    if pamphlet and is_outdated(catalog, pamphlet, shown.translation.language):
        source = pamphlet.settings.source_language
        text = ui.outdated_notice.replace("{language}", catalog.language(source).name)
        href = f"{site_root(catalog, shown.language, 2)}{language_prefix(catalog, source)}"
        href += page_link(f"pamphlets/{pamphlet.slug}/", directory_urls)
        parts.append(
            '<div class="admonition note pamphlet-notice pamphlet-outdated" role="note">\n'
            f'<p class="admonition-title">{html.escape(text)}</p>\n'
            f'<p><a href="{href}" hreflang="{source}">{html.escape(ui.outdated_link)}</a></p>\n'
            "</div>"
        )
    if shown.translation.is_draft:
        parts.append(
            '<div class="admonition warning pamphlet-notice pamphlet-draft" role="note">\n'
            f'<p class="admonition-title">{html.escape(ui.draft_notice)}</p>\n</div>'
        )
    return "\n\n".join(parts)


def human_size(size: int) -> str:
    return f"{size / 1024:.0f} KB" if size < 1024 * 1024 else f"{size / 1024 / 1024:.1f} MB"


def downloads_html(catalog: Catalog, shown: Shown, files: list[PdfFile]) -> str:
    """Download links for the PDFs of the text shown, with page count and size.

    The PDFs live once in site/pdf/; a pamphlet page is two folders deep, three in a
    language other than the default.
    """
    if not files:
        return ""
    ui = catalog.ui[shown.language]
    root = site_root(catalog, shown.language, 2)
    labels = {
        "screen": ui.download_screen,
        "print": ui.download_print,
        "print-imposed": ui.download_imposed,
    }
    items = []
    files = [file for file in files if file.variant in labels]
    for file in sorted(files, key=lambda f: list(labels).index(f.variant)):
        pages = ui.pages.replace("{count}", str(file.pages))
        items.append(
            f'<li><a href="{root}{file.path}" download '
            f'class="md-button pamphlet-download pamphlet-download--{file.variant}">'
            f"{html.escape(labels[file.variant])}</a>"
            f'<span class="pamphlet-download__meta">PDF · {html.escape(pages)} · '
            f'<bdi dir="ltr">{human_size(file.bytes)}</bdi></span></li>'
        )
    return (
        '<div class="pamphlet-downloads">\n'
        f'<p class="pamphlet-downloads__heading">{html.escape(ui.downloads_heading)}</p>\n'
        "<ul>\n" + "\n".join(items) + "\n</ul>\n</div>"
    )


def pamphlet_page(
    catalog: Catalog,
    pamphlet: Pamphlet,
    shown: Shown,
    files: list[PdfFile] | None = None,
    directory_urls: bool = True,
) -> str:
    """The Markdown file of one pamphlet page in one language."""
    translation = shown.translation
    front = yaml.safe_dump(
        {"title": translation.front.title, "description": translation.front.summary},
        allow_unicode=True,
        sort_keys=False,
        width=1000,
    )
    title = f"# {translation.front.title}\n"
    body = f"{link_pamphlets_for_site(translation.body).strip()}\n"
    if shown.is_fallback:
        # The text is in another language (maybe another direction) than the page around it.
        direction = catalog.ui[translation.language].direction
        opening = f'<div lang="{translation.language}" dir="{direction}" markdown>\n\n'
        title = f"{opening}{title}\n</div>\n"
        body = f"{opening}{body}\n</div>\n"
    # The title first, then what the reader must know before reading (fallback, draft),
    # then the downloads, then the text.
    return (
        f"---\n{front}---\n\n"
        f"<!-- Generated from {translation.path} by pamphlet_press: edit that file. -->\n\n"
        f"{title}\n{notices_html(catalog, shown, pamphlet, directory_urls)}\n\n"
        f"{downloads_html(catalog, shown, files or [])}\n\n{body}"
    )


def pamphlet_list(catalog: Catalog, language: str, prefix: str) -> str:
    """The pamphlets as Material grid cards, each with its title and summary.

    `prefix` is the path from the page holding the list to the pamphlets folder.
    """
    cards = []
    for pamphlet in catalog.pamphlets:
        shown = catalog.shown(pamphlet, language)
        front = shown.translation.front
        link = posixpath.join(prefix, pamphlet.slug, "index.md")
        attributes = ""
        if shown.is_fallback:
            code = shown.translation.language
            attributes = f'{{ lang="{code}" dir="{catalog.ui[code].direction}" }}'
        cards.append(f"-   **[{front.title}]({link})**{attributes}\n\n    {front.summary}\n")
    return '<div class="grid cards pamphlet-list" markdown>\n\n' + "\n".join(cards) + "\n</div>\n"


def relative_url(target: str, page_url: str) -> str:
    """The link from the page at `page_url` to `target`, both site URLs ("ru/", "ru/x.html")."""
    page_dir = page_url if page_url == "" or page_url.endswith("/") else posixpath.dirname(page_url)
    link = posixpath.relpath("/" + target, "/" + page_dir)
    return link + "/" if target == "" or target.endswith("/") else link


def page_link(directory: str, directory_urls: bool) -> str:
    """A link to a page folder: "x/" on a web server, "x/index.html" from the file system."""
    return directory if directory_urls else directory + "index.html"


def language_picker(catalog: Catalog, language: str, page_url: str) -> str:
    """Links to this page in every language, each language named in its own name and script."""
    default = catalog.settings.default_language
    prefix = "" if language == default else f"{language}/"
    base = page_url[len(prefix) :] if page_url.startswith(prefix) else page_url
    items = []
    for other in catalog.settings.languages:
        target = ("" if other.code == default else f"{other.code}/") + base
        href = relative_url(target, page_url)
        current = ' aria-current="page"' if other.code == language else ""
        direction = catalog.ui[other.code].direction if other.code in catalog.ui else "ltr"
        items.append(
            f'<li><a href="{html.escape(href)}" hreflang="{other.code}" lang="{other.code}" '
            f'dir="{direction}"{current}>{html.escape(other.name)}</a></li>'
        )
    heading = html.escape(catalog.ui[language].languages_heading)
    return (
        f'<nav class="language-picker" aria-label="{heading}">\n'
        f'<p class="language-picker__heading">{heading}</p>\n'
        f"<ul>\n" + "\n".join(items) + "\n</ul>\n</nav>\n"
    )


def generated_pages(
    catalog: Catalog, pdfs: PdfBuildResult | None = None, directory_urls: bool = True
) -> dict[str, str | bytes]:
    """Every generated file (pages, and the images they show), by its path relative to the
    generated folder."""
    pages: dict[str, str | bytes] = {}
    for pamphlet in catalog.pamphlets:
        for translation in pamphlet.translations.values():
            folder = (catalog.settings.root / translation.path).parent
            for image in translation.images:
                pages[f"{pamphlet.slug}/{image}"] = (folder / image).read_bytes()
    for language in catalog.settings.language_codes:
        heading = catalog.ui[language].pamphlets_heading
        pages[_suffixed("index", language)] = (
            f"---\ntitle: {yaml.safe_dump(heading, allow_unicode=True).splitlines()[0]}\n---\n\n"
            f"# {heading}\n\n{pamphlet_list(catalog, language, '')}"
        )
        for pamphlet in catalog.pamphlets:
            shown = catalog.shown(pamphlet, language)
            files = pdfs.for_translation(pamphlet.slug, shown.translation.language) if pdfs else []
            pages[_suffixed(f"{pamphlet.slug}/index", language)] = pamphlet_page(
                catalog, pamphlet, shown, files, directory_urls
            )
    return pages


def write_generated(folder: Path, pages: dict[str, str | bytes]) -> tuple[int, int]:
    """Make `folder` hold exactly `pages`: write what changed, remove what is gone.

    Returns (files written, files removed). Unchanged files keep their modification time, so
    `mkdocs serve` sees no change and does not rebuild in a loop.
    """
    written = removed = 0
    for relative, content in pages.items():
        path = folder / relative
        data = content.encode("utf-8") if isinstance(content, str) else content
        if path.exists() and path.read_bytes() == data:
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_name(path.name + ".tmp")
        temporary.write_bytes(data)
        temporary.replace(path)
        written += 1
    if folder.exists():
        for path in sorted(folder.rglob("*"), reverse=True):
            relative = path.relative_to(folder).as_posix()
            if path.is_file() and relative not in pages:
                path.unlink()
                removed += 1
            elif path.is_dir() and not any(path.iterdir()):
                path.rmdir()
    return written, removed
