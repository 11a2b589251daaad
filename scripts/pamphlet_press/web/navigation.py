"""The site's navigation, as Material builds it from the files, put in the reader's order
and language.

MkDocs makes a section of every folder. The generated pages each live in a folder of their
own (`docs/pamphlets/<slug>/index.<lang>.md`, `docs/downloads/index.<lang>.md`), so every
one of them became a section holding a single page: on a phone, Material's drawer opens at
the section of the page shown, which was that empty section, titled with the folder's name
in English. Here every one-page section becomes its page (the URLs stay as they are), the
pamphlets section is titled in the reader's language and lists the pamphlets in their
`order`, right after the home page:

    Home                      (docs/index.<lang>.md)
    Pamphlets                 (ui: pamphlets_heading; its index page is the list)
      Rights and duties       (each pamphlet's own title, in pamphlet.yml's order)
      ...
    About us, Downloads, Print runs, Translation status   (their own titles)
"""

from __future__ import annotations

from pathlib import Path

from mkdocs.structure.nav import Navigation, Section
from mkdocs.structure.pages import Page

from ..content.catalog import Catalog


def _source(page: Page) -> Path:
    return Path(page.file.abs_src_path or page.file.src_path)


def _is_under(page: Page, folder: Path) -> bool:
    return folder in _source(page).parents


def _flatten(items: list, parent: Section | None) -> list:
    """The items with every section that holds a single page replaced by that page."""
    flat = []
    for item in items:
        if isinstance(item, Section):
            item.children = _flatten(item.children, item)
            if len(item.children) == 1 and isinstance(item.children[0], Page):
                item = item.children[0]
        item.parent = parent
        flat.append(item)
    return flat


def _pages_in_order(items: list) -> list[Page]:
    pages = []
    for item in items:
        if isinstance(item, Page):
            pages.append(item)
        elif isinstance(item, Section):
            pages.extend(_pages_in_order(item.children))
    return pages


def arrange_navigation(
    nav: Navigation, pamphlets_folder: Path, catalog: Catalog, language: str
) -> Navigation:
    """The navigation of one language, as the module's docstring describes it."""
    nav.items = _flatten(nav.items, None)
    order = {pamphlet.slug: index for index, pamphlet in enumerate(catalog.pamphlets)}
    for position, item in enumerate(nav.items):
        if not isinstance(item, Section):
            continue
        if not any(isinstance(c, Page) and _is_under(c, pamphlets_folder) for c in item.children):
            continue
        item.title = catalog.ui[language].pamphlets_heading

        def place(child, section: Section = item) -> tuple[int, int]:
            if not isinstance(child, Page):
                return (2, 0)
            source = _source(child)
            if source.parent == pamphlets_folder:  # the list of pamphlets: the section's index
                return (0, 0)
            return (1, order.get(source.parent.name, len(order)))

        item.children.sort(key=place)
        # Readers come for the pamphlets: their section right after the home page.
        nav.items.insert(min(1, len(nav.items) - 1), nav.items.pop(position))
        break
    pages = _pages_in_order(nav.items)
    for index, page in enumerate(pages):
        page.previous_page = pages[index - 1] if index else None
        page.next_page = pages[index + 1] if index + 1 < len(pages) else None
    nav.pages = pages
    return nav
