"""The site's navigation, as Material builds it from the files, put in the reader's order."""

from __future__ import annotations

from pathlib import Path

from mkdocs.structure.nav import Navigation, Section
from mkdocs.structure.pages import Page


def pamphlets_after_home(nav: Navigation, pamphlets_folder: Path) -> Navigation:
    """Readers come for the pamphlets: put their section right after the home page."""
    for index, item in enumerate(nav.items):
        if isinstance(item, Section) and any(
            isinstance(child, Page)
            and pamphlets_folder in Path(child.file.abs_src_path or "").parents
            for child in item.children
        ):
            nav.items.insert(min(1, len(nav.items) - 1), nav.items.pop(index))
            break
    return nav
