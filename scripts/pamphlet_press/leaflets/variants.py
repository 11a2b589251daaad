"""The variants of a leaflet: one text, two PDFs made for different hands.

    screen   for a phone and a messenger: A5 pages without bleed, RGB, tagged (PDF/UA-1)
             so that a screen reader follows it, clickable links; a cover picture
             for the downloads page is made from it.
    print    for the print shop: the pamphlet's format (trim, bleed, marks, panels), CMYK
             with the shop's colour profile as output intent (PDF/X-4), padded to a page
             count the binding takes; imposed on press sheets as well.

Every choice that differs between the two lives in its record here, so that no other
module asks "is this the print variant?".
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Variant:
    name: str
    # The stylesheet of this variant (templates/<name>.css), after leaflet.css.
    stylesheet: str
    # WeasyPrint's pdf_variant.
    pdf_variant: str
    # A tagged PDF (structure for screen readers).
    tagged: bool
    # Colours in CMYK with the print shop's profile as the output intent.
    cmyk: bool
    # Laid out in the pamphlet's format (trim, bleed, marks, panels) and padded to a page
    # count the binding takes; otherwise A5 pages as long as the text needs.
    uses_format: bool
    # Imposed on press sheets too (the print-imposed file).
    imposed: bool
    # A picture of its cover is made for the downloads page (the cover file).
    cover_picture: bool
    # A release build (for a print run) makes it only of reviewed, up-to-date texts.
    release_needs_review: bool


SCREEN = Variant(
    name="screen",
    stylesheet="screen.css",
    pdf_variant="pdf/ua-1",
    tagged=True,
    cmyk=False,
    uses_format=False,
    imposed=False,
    cover_picture=True,
    release_needs_review=False,
)

PRINT = Variant(
    name="print",
    stylesheet="print.css",
    pdf_variant="pdf/x-4",
    tagged=False,
    cmyk=True,
    uses_format=True,
    imposed=True,
    cover_picture=False,
    release_needs_review=True,
)

VARIANTS: dict[str, Variant] = {variant.name: variant for variant in (SCREEN, PRINT)}
