"""The leaflet of a pamphlet in one language, as HTML for WeasyPrint.

The leaflet is made from the same Markdown as the web page, converted with the same
extensions (markdown.py), and laid out by a Jinja template and stylesheets in
`overrides/print/`:

    leaflet.html    cover, text, intentional blank pages, imprint (always the last page)
    leaflet.css     what print and screen share
    print.css       CMYK colours, body text 100 % K, the full-bleed cover
    screen.css      RGB colours, A5 pages without bleed

`Leaflet` holds everything a render needs as plain values, so that it can be sent to a
worker process and hashed for the cache.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Literal

import jinja2
import segno

from .catalog import Catalog, Pamphlet, Translation
from .markdown import PAMPHLET_LINK_IN_SOURCE
from .status import is_outdated

Variant = Literal["print", "screen"]
PRINT_DIR = Path(__file__).resolve().parent.parent.parent / "overrides" / "print"

# The panels of a roll-fold trifold on an A4 sheet (297 mm), in reading order:
# 1 front cover, 2 inner flap, 3-5 inside, 6 back cover. The flap (2) and the inside panel
# behind it (5) fold in, so they are 3 mm narrower than the others (PRINT.md).
TRIFOLD_PANEL_WIDTHS_MM = (100, 97, 100, 100, 97, 100)
TRIFOLD_PANELS = len(TRIFOLD_PANEL_WIDTHS_MM)


@dataclass(frozen=True)
class Leaflet:
    """Everything that goes into one leaflet (one pamphlet, one language)."""

    slug: str
    language: str
    direction: str
    format: str
    title: str
    summary: str
    body_html: str
    # What the reader must be told on every page: draft, outdated (empty for a reviewed,
    # up-to-date text).
    draft_mark: str
    organisation: str
    address: str
    phone: str
    phone_tel: str
    free_of_charge: str
    edition: str
    edition_line: str
    print_run_line: str
    read_online: str
    url: str
    qr_data_uri: str
    fonts: tuple[str, ...]
    crop_marks: bool
    source_path: str
    # The pamphlet's folder: images are given by file name, relative to it.
    base_dir: str
    # What the images hold, so that changing an image renders the leaflet again.
    image_digests: tuple[str, ...]

    @property
    def name(self) -> str:
        """The stem of its file names: pamphlet and language, so downloads stay tellable apart."""
        return f"{self.slug}-{self.language}"

    def fingerprint(self) -> dict:
        """What decides the PDF's content: every field but where the project lies on disk
        (images count through their digests), so that a moved checkout reuses its cache."""
        fields = asdict(self)
        del fields["base_dir"]
        return fields


def page_url(catalog: Catalog, slug: str, language: str, anchor: str = "") -> str:
    """The absolute web address of a pamphlet's page in a language (from site_url)."""
    base = catalog.settings.site_url.rstrip("/") + "/"
    prefix = "" if language == catalog.settings.default_language else f"{language}/"
    return f"{base}{prefix}pamphlets/{slug}/{anchor}"


def link_pamphlets_for_print(catalog: Catalog, text: str, language: str) -> str:
    """Links to other pamphlets become their web addresses in the leaflet's language."""

    def replace(match: re.Match[str]) -> str:
        return page_url(catalog, match.group(1), language)

    # ../slug/xx.md#anchor -> https://site/xx/pamphlets/slug/#anchor
    return re.sub(
        PAMPHLET_LINK_IN_SOURCE.pattern + r"(#[^\s)]*)?",
        lambda m: replace(m) + (m.group(3) or ""),
        text,
    )


# WeasyPrint ignores CSS unicode-bidi, so a phone number or a date inside a Persian
# sentence is isolated with the Unicode characters LEFT-TO-RIGHT ISOLATE ... POP
# DIRECTIONAL ISOLATE, which its text shaping honours ("+994 50 ..." stays in order).
LTR_ISOLATE, POP_ISOLATE = "\u2066", "\u2069"


def isolate_ltr(text: str) -> str:
    return f"{LTR_ISOLATE}{text}{POP_ISOLATE}"


def isolate_phone_links(html: str) -> str:
    return re.sub(
        r'(<a href="tel:[^"]*">)(.*?)(</a>)',
        lambda m: m.group(1) + isolate_ltr(m.group(2)) + m.group(3),
        html,
    )


def qr_data_uri(url: str) -> str:
    """A QR code of `url` as an SVG data URI, black on white, for the imprint."""
    return segno.make(url, error="m").svg_data_uri(scale=4, border=2, dark="#000", light="#fff")


def make_leaflet(catalog: Catalog, pamphlet: Pamphlet, translation: Translation) -> Leaflet:
    ui = catalog.ui[translation.language]
    phone = catalog.facts.get("ngo_phone")
    url = page_url(catalog, pamphlet.slug, translation.language)
    body = link_pamphlets_for_print(catalog, translation.body, translation.language)
    edition = pamphlet.settings.edition.isoformat()
    folder = (catalog.settings.root / translation.path).parent
    return Leaflet(
        slug=pamphlet.slug,
        language=translation.language,
        direction=ui.direction,
        format=pamphlet.settings.format,
        title=translation.front.title,
        summary=translation.front.summary,
        body_html=isolate_phone_links(catalog.settings.markdown.convert(body)),
        draft_mark=" · ".join(
            mark
            for mark, applies in (
                (ui.draft_mark, translation.is_draft),
                (ui.outdated_mark, is_outdated(catalog, pamphlet, translation.language)),
            )
            if applies
        ),
        organisation=ui.organisation,
        address=ui.address,
        phone=isolate_ltr(phone.value) if phone else "",
        phone_tel=(phone.tel or "") if phone else "",
        free_of_charge=ui.free_of_charge,
        edition=edition,
        edition_line=ui.edition.replace("{date}", isolate_ltr(edition)),
        print_run_line=print_run_line(catalog, pamphlet, translation),
        read_online=ui.read_online,
        url=url,
        qr_data_uri=qr_data_uri(url),
        fonts=catalog.settings.pdf.fonts,
        crop_marks=catalog.settings.pdf.crop_marks,
        source_path=translation.path,
        base_dir=str(folder),
        image_digests=tuple(
            hashlib.sha256((folder / image).read_bytes()).hexdigest()
            for image in translation.images
        ),
    )


def print_run_line(catalog: Catalog, pamphlet: Pamphlet, translation: Translation) -> str:
    """The imprint's print run, in the leaflet's language ("Тираж: 1000 экз."), from the
    latest planned or ordered run of this pamphlet, language and edition in the ledger."""
    ui = catalog.ui[translation.language]
    edition = pamphlet.settings.edition.isoformat()
    run = catalog.ledger.current_run(pamphlet.slug, translation.language, edition)
    if run is None:
        return ui.print_run_none
    return ui.print_run.replace("{copies}", ui.number(run.quantity))


def leaflets(catalog: Catalog) -> list[Leaflet]:
    """A leaflet for every translation that exists (a fallback is not a leaflet of its own)."""
    return [
        make_leaflet(catalog, pamphlet, translation)
        for pamphlet in catalog.pamphlets
        for translation in pamphlet.translations.values()
    ]


def page_css(leaflet: Leaflet, variant: Variant) -> str:
    """The page geometry: the format's trim size, bleed and marks for print; A5 for screen."""
    fonts = ", ".join(f'"{family}"' for family in leaflet.fonts)
    css = f"html {{ font-family: {fonts}; }}\n"
    if variant == "screen":
        return css
    marks = "crop cross" if leaflet.crop_marks else "none"
    if leaflet.format == "a4-trifold":
        wide = max(TRIFOLD_PANEL_WIDTHS_MM)
        css += f"@page {{ size: {wide}mm 210mm; bleed: 3mm; marks: {marks}; margin: 12mm 8mm; }}\n"
        for number, width in enumerate(TRIFOLD_PANEL_WIDTHS_MM, start=1):
            if width != wide:
                css += f"@page :nth({number}) {{ size: {width}mm 210mm; }}\n"
        return css
    return css + (
        f"@page {{ size: 148mm 210mm; bleed: 3mm; marks: {marks}; margin: 14mm 12mm 16mm;\n"
        "  @bottom-center { content: counter(page); font-size: 8pt; direction: ltr; } }\n"
        "@page cover { @bottom-center { content: none; } }\n"
        "@page blank { @bottom-center { content: none; } }\n"
        # The imprint is the last page whatever the padding: it carries no number.
        "@page imprint { @bottom-center { content: none; } }\n"
    )


_environment = jinja2.Environment(
    loader=jinja2.FileSystemLoader(PRINT_DIR),
    autoescape=True,
    undefined=jinja2.StrictUndefined,
)


def leaflet_html(leaflet: Leaflet, variant: Variant, blank_pages: int = 0) -> str:
    template = _environment.get_template("leaflet.html")
    return template.render(leaflet=leaflet, variant=variant, blank_pages=blank_pages)


def stylesheet_paths(variant: Variant) -> list[Path]:
    return [PRINT_DIR / "leaflet.css", PRINT_DIR / f"{variant}.css"]
