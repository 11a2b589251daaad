"""The figures of the leaflet files (pages, size, checksum), filled into the built pages.

The pages say how many pages a leaflet has and how large its file is: the pamphlet pages
(the download button) and every language's downloads page (every leaflet of every
language). If those figures were part of the pages' sources, a change to one translation
would change its leaflets, hence the downloads page of every language, and every language
would have to be built again. So the pages carry empty marked elements instead,

    <span data-pdf-pages="rights-and-duties-ru-print.pdf"></span>
    <bdi data-pdf-bytes="rights-and-duties-ru-print.pdf"></bdi>
    <code data-pdf-sha256="rights-and-duties-ru-print.pdf"></code>
    <bdi data-bundle-bytes="leaflets-ru.zip"></bdi>

and they are filled in once the site is put together, in every page, from the files the
build made (outputs.py), the numbers and sizes written as the page's language writes them
(۶۸ کیلوبایت on a Persian page: the size's <bdi> takes its direction from its content).
"""

from __future__ import annotations

import re
from pathlib import Path

from ..content.catalog import Catalog
from ..outputs import LeafletOutputs

# A marked element (templating.py writes them, the attribute after one space): its start
# tag up to the end, the kind, the figure, the file's name, what it holds (text only), and
# its end tag. Matched from the attribute, a literal the regular expression engine finds
# at once: scanning from every "<" of 105 pages took 0.05 s, this 0.005 s.
MARKED = re.compile(r'( data-(pdf|bundle)-(pages|bytes|sha256)="([^"]+)"[^>]*>)[^<]*(</\w+>)')


class Figures:
    """The figures of a build's files as each language writes them, worked out once each:
    a downloads page holds the same 5,000 figures in every language at 50x10."""

    def __init__(self, outputs: LeafletOutputs, catalog: Catalog) -> None:
        self.files = {file.file: file for file in outputs.files}
        self.bundles = {bundle.file: bundle for bundle in outputs.bundles}
        self.catalog = catalog
        self.written: dict[tuple[str, str, str, str], str] = {}

    def value(self, language: str, kind: str, field: str, name: str) -> str:
        key = (language, kind, field, name)
        if key not in self.written:
            item = (self.files if kind == "pdf" else self.bundles).get(name)
            ui = self.catalog.ui[language]
            if item is None:  # a file the build did not make keeps its element empty
                value = ""
            elif field == "pages":
                value = ui.number(item.pages)
            elif field == "bytes":
                value = ui.file_size(item.bytes)
            else:
                value = item.sha256
            self.written[key] = value
        return self.written[key]

    def fill(self, html: str, language: str) -> str:
        """The page with every marked element holding its figure."""

        def figure(match: re.Match[str]) -> str:
            value = self.value(language, match.group(2), match.group(3), match.group(4))
            return match.group(1) + value + match.group(5)

        return MARKED.sub(figure, html)


def fill_site_figures(site: Path, outputs: LeafletOutputs | None, catalog: Catalog) -> int:
    """Fill the figures into every page of the built site; returns the pages changed."""
    if outputs is None:
        return 0
    settings = catalog.settings
    others = set(settings.language_codes) - {settings.default_language}
    figures = Figures(outputs, catalog)
    changed = 0
    for page in site.rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        if "data-pdf-" not in html and "data-bundle-" not in html:
            continue
        first = page.relative_to(site).parts[0]
        language = first if first in others else settings.default_language
        filled = figures.fill(html, language)
        if filled != html:
            # A new file, never written into: a page kept from the previous site may be a
            # hard link to it (site_build.py), and that site must stay as it was.
            temporary = page.with_name(f".{page.name}.filling")
            temporary.write_text(filled, encoding="utf-8")
            temporary.replace(page)
            changed += 1
    return changed
