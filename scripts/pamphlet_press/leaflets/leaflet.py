"""The leaflet of a pamphlet in one language, as HTML for WeasyPrint.

The leaflet is made from the same Markdown as the web page, converted with the same
extensions (content/markdown.py), and laid out by a Jinja template and stylesheets in
`leaflets/templates/`:

    leaflet.html          cover, text, intentional blank pages, imprint (always the last page)
    leaflet.css           what print and screen share
    print.css             CMYK colours, body text 100 % K, the full-bleed cover
    screen.css            RGB colours, A5 pages without bleed
    formats/<name>.css    what one format needs beyond its record in formats.py (optional)

A project can lay out its leaflets its own way: a file of the same name in its templates
folder (`plugins.pamphlets.pdf.templates_dir` in mkdocs.yml) takes the place of the
package's. Nothing of this is published on the website.

`Leaflet` holds everything a render needs as plain values, so that it can be sent to a
worker process and hashed for the cache.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import asdict, dataclass
from functools import cache
from pathlib import Path

import jinja2
import segno

from ..content.catalog import Catalog, Pamphlet, Translation
from ..content.markdown import PAMPHLET_LINK_IN_SOURCE
from ..content.translation_status import is_outdated
from .formats import Format
from .variants import Variant

PACKAGE_TEMPLATES = Path(__file__).resolve().parent / "templates"


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


# Text that must never be hyphenated in print: a hyphen inserted into a web address, an
# e-mail address or an IBAN makes it wrong. Links and code are left alone by the stylesheet
# (leaflet.css); these, written as plain text, get <span class="unhyphenated">.
UNHYPHENATED = re.compile(
    r"\b(?:https?://|www\.)[^\s<]*[^\s<.,;:!?)\]»\"']"  # web addresses
    r"|\b[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+"  # e-mail addresses
    r"|\b[A-Z]{2}[0-9]{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,4})?\b"  # IBANs
    r"|\b[a-z0-9-]+(?:\.[a-z0-9-]+)*\.(?:az|com|org|net|gov|edu|int|info|ru|ua|ir|uz|tj|kg|tr)"
    r"\b(?:/[^\s<]*[^\s<.,;:!?)\]»\"'])?"  # bare domains (evisa.gov.az)
)


def unhyphenated(html: str) -> str:
    """The HTML with every address and IBAN in its text marked unhyphenated."""
    parts = re.split(r"(<[^>]+>)", html)
    return "".join(
        part if part.startswith("<") else UNHYPHENATED.sub(
            lambda m: f'<span class="unhyphenated">{m.group(0)}</span>', part
        )
        for part in parts
    )  # fmt: skip


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
        body_html=unhyphenated(isolate_phone_links(catalog.settings.markdown.convert(body))),
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


def page_css(leaflet: Leaflet, variant: Variant, fmt: Format) -> str:
    """The fonts, and for a variant laid out in the format, the format's page geometry."""
    fonts = ", ".join(f'"{family}"' for family in leaflet.fonts)
    css = f"html {{ font-family: {fonts}; }}\n"
    if not variant.uses_format:
        return css
    return css + fmt.page_css(leaflet.crop_marks)


def template_dirs(project_templates: Path | None) -> list[Path]:
    """Where templates and stylesheets are looked up: the project's folder first."""
    return [path for path in (project_templates, PACKAGE_TEMPLATES) if path]


@cache
def _environment(project_templates: Path | None) -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader([str(path) for path in template_dirs(project_templates)]),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
    )


def leaflet_html(
    leaflet: Leaflet, variant: Variant, project_templates: Path | None = None, blank_pages: int = 0
) -> str:
    template = _environment(project_templates).get_template("leaflet.html")
    return template.render(leaflet=leaflet, variant=variant.name, blank_pages=blank_pages)


def find_template(name: str, project_templates: Path | None) -> Path | None:
    """The file `name` from the project's templates folder, else the package's; None if
    neither has it."""
    for folder in template_dirs(project_templates):
        if (folder / name).is_file():
            return folder / name
    return None


def stylesheet_paths(variant: Variant, fmt: Format, project_templates: Path | None) -> list[Path]:
    """The leaflet's stylesheets, in cascade order: shared, the variant's, the format's."""
    names = ["leaflet.css", variant.stylesheet]
    if variant.uses_format:
        names.append(f"formats/{fmt.name}.css")
    found = [find_template(name, project_templates) for name in names]
    return [path for path in found if path]
