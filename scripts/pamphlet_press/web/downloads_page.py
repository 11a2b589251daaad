"""The downloads page, for partner organisations: every leaflet in every language.

For each language a section with a ZIP of all its leaflets, then a card per leaflet: a
picture of its cover (rendered from the PDF at build time), its title in its own language
and, beside it, in the staffer's language (a staffer who serves Persian readers may not read
Persian), its format and page count in the staffer's language (A5 booklet, 8 pages), its
files with pages and size, the edition date, and SHA-256 checksums. Under its introduction,
the content licence: what partners may do with the leaflets. The page can be
narrowed to one language without leaving it and without JavaScript: each language's section
is a link target, and CSS shows only the targeted section.
"""

from __future__ import annotations

from ..content.catalog import Catalog
from ..outputs import FILE_KINDS, LeafletOutputs
from .pages import language_prefix, page_link, site_root, suffixed, yaml_front_matter
from .templating import pages_of, render


def downloads_page(
    catalog: Catalog, outputs: LeafletOutputs, language: str, directory_urls: bool = True
) -> str:
    """The Markdown of the downloads page in one language."""
    ui = catalog.ui[language]
    root = site_root(catalog, language, 1)  # the page is <language>/downloads/
    order = list(FILE_KINDS)
    sections = []
    for other in catalog.settings.languages:
        code = other.code
        cards = []
        for pamphlet in catalog.pamphlets:
            translation = pamphlet.translations.get(code)
            files = outputs.for_translation(pamphlet.slug, code)
            if translation is None or not files:
                continue
            folder = f"{language_prefix(catalog, code)}pamphlets/{pamphlet.slug}/"
            staffers = catalog.shown(pamphlet, language).translation
            # The print file's pages (the leaflet as printed); else the screen PDF's.
            counted = next((f for f in files if f.variant == "print"), None) or next(
                f for f in files if f.kind.label
            )
            cards.append(
                {
                    "title": translation.front.title,
                    # The title in the staffer's language, when the leaflet is in another.
                    "title_for_staff": staffers.front.title if staffers.language != code else "",
                    "staff_language": staffers.language,
                    "format": ui.format_name(pamphlet.settings.format),
                    "pages": pages_of(ui, counted.file),
                    "page": root + page_link(folder, directory_urls),
                    "edition": ui.date(pamphlet.settings.edition),
                    "state": ui.state_draft if translation.is_draft else ui.state_reviewed,
                    "cover": next((f for f in files if f.variant == "cover"), None),
                    "files": sorted(
                        (f for f in files if f.kind.label), key=lambda f: order.index(f.variant)
                    ),
                }
            )
        sections.append(
            {
                "code": code,
                "name": other.name,
                "direction": catalog.ui[code].direction,
                "bundle": outputs.bundle(code),
                "cards": cards,
            }
        )
    return render(
        "downloads_page.md",
        front_matter=yaml_front_matter({"title": ui.hub_heading}),
        ui=ui,
        root=root,
        everything=outputs.bundle("all"),
        sections=sections,
        # Near the top, for the partners the page is for (issue 14).
        licence=catalog.settings.content_licence,
        language=language,
        css_class="hub-licence",
        rel_license=False,
    )


def downloads_pages(
    catalog: Catalog, outputs: LeafletOutputs, directory_urls: bool = True
) -> dict[str, str]:
    return {
        suffixed("index", language): downloads_page(catalog, outputs, language, directory_urls)
        for language in catalog.settings.language_codes
    }
