"""The translation status page: the matrix pamphlet x language, in every language."""

from __future__ import annotations

from ..content.catalog import Catalog
from ..content.translation_status import TranslationStatus
from .pages import suffixed, yaml_front_matter
from .templating import render


def status_page(catalog: Catalog, matrix: list[TranslationStatus], language: str) -> str:
    ui = catalog.ui[language]
    labels = {
        "missing": ui.state_missing,
        # A stub waiting for its translator is, for a reader, not there yet.
        "untranslated": ui.state_missing,
        "draft": ui.state_draft,
        "reviewed": ui.state_reviewed,
        "outdated": ui.state_outdated,
    }
    by_key = {(s.pamphlet, s.language): s for s in matrix}
    rows = []
    for pamphlet in catalog.pamphlets:
        cells = []
        for item in catalog.settings.languages:
            status = by_key[(pamphlet.slug, item.code)]
            cells.append(
                {
                    "state": status.state,
                    "label": labels[status.state],
                    "since": status.outdated_since if status.state == "outdated" else "",
                    "is_source": status.is_source,
                }
            )
        title = catalog.shown(pamphlet, language).translation.front.title
        rows.append({"slug": pamphlet.slug, "title": title, "cells": cells})
    return render(
        "status_page.md",
        front_matter=yaml_front_matter({"title": ui.status_heading}),
        ui=ui,
        languages=catalog.settings.languages,
        rows=rows,
    )


def status_pages(catalog: Catalog, matrix: list[TranslationStatus]) -> dict[str, str]:
    return {
        suffixed("index", language): status_page(catalog, matrix, language)
        for language in catalog.settings.language_codes
    }
