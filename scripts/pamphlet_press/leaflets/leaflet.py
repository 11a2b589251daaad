"""The leaflet of a pamphlet in one language, as HTML for WeasyPrint.

The leaflet is made from the same Markdown as the web page, converted with the same
extensions (content/markdown.py), and laid out by a Jinja template and stylesheets in
`leaflets/templates/`:

    leaflet.html          cover, text, the deliberate page (hotlines or notes, when the
                          print layout leaves one to fill), imprint (always the last page)
    leaflet.css           what print and screen share
    print.css             CMYK colours, all small text 100 % K, the full-bleed cover
    screen.css            RGB colours, A5 pages without bleed
    formats/<name>.css    what one format needs beyond its record in formats.py (optional)

A project can lay out its leaflets its own way: a file of the same name in its templates
folder (`plugins.pamphlets.pdf.templates_dir` in mkdocs.yml) takes the place of the
package's. Nothing of this is published on the website.

`Leaflet` holds everything a render needs as plain values, so that it can be sent to a
worker process and hashed for the cache. Its text is already typeset for its language
(typesetting.py: bidi isolation, digits, currency); the type size is chosen when it is
laid out (copyfit.py).
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import asdict, dataclass
from functools import cache
from pathlib import Path

import jinja2
import markupsafe
import segno

from ..content.catalog import Catalog, Pamphlet, Translation
from ..content.markdown import PAMPHLET_LINK_IN_SOURCE
from ..content.translation_status import is_outdated
from .copyfit import Typesetting
from .formats import Format
from .typesetting import isolate_ltr, shown_html, typeset_html, typeset_text
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
    # issue 14: the content licence on the imprint, in the leaflet's language: what partners
    # may do, naming the organisation, and the licence's name; its deed's address printed in
    # short form. Empty when the project has chosen no licence.
    licence_line: str
    licence_name: str
    licence_url: str
    licence_short_url: str
    # The QR code in 100 % K for print, in RGB black for the screen PDF.
    fonts: tuple[str, ...]
    crop_marks: bool
    # The deliberate page: the hotlines of the text, set large (label, numbers as shown),
    # with its heading; or, for a text without them, a page for notes.
    hotlines: tuple[tuple[str, tuple[str, ...]], ...]
    hotlines_heading: str
    notes_heading: str
    # The digits the language writes (latin, persian): list and page numbers follow.
    digits: str
    # The language's smallest body size for print, when it needs more than the format's.
    body_min_pt: float | None
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


PAMPHLET_HREF = re.compile(r'href="\.\./([a-z0-9][a-z0-9-]*)/([A-Za-z_-]+)\.md(#[^"]*)?"')


def link_pamphlets_in_html(catalog: Catalog, html: str, language: str) -> str:
    """The same as link_pamphlets_for_print, on the text's HTML (converted once, by the
    catalog): links to other pamphlets lead to their web addresses."""
    return PAMPHLET_HREF.sub(
        lambda m: f'href="{page_url(catalog, m.group(1), language)}{m.group(3) or ""}"', html
    )


def isolate_phone_links(html: str) -> str:
    """Phone numbers read left to right, also in a Persian sentence (typesetting.py)."""
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


# The QR code on the imprint: 4 modules of quiet zone (ISO/IEC 18004), drawn as vector paths
# in 100 % K (segno refuses device-cmyk, so its SVG is rewritten): one plate, so it cannot
# blur out of register. Printed 28 mm wide (at least 15 mm: the stylesheet says so).
QR_QUIET_ZONE = 4
QR_BLACK = "device-cmyk(0 0 0 1)"


@cache
def qr_data_uri(url: str, black: str = QR_BLACK) -> str:
    """A QR code of `url` as an SVG data URI: dark modules only, in `black`."""
    from urllib.parse import quote

    svg = segno.make(url, error="m").svg_inline(
        scale=1, border=QR_QUIET_ZONE, dark="#000", light=None, omitsize=True
    )
    # Its modules are strokes of a path that SVG would also fill (in RGB black, by default).
    svg = svg.replace('stroke="#000"', f'fill="none" stroke="{black}"')
    return "data:image/svg+xml;charset=utf-8," + quote(svg)


# Hotlines as the texts list them: a list item whose number follows a label and a colon,
# "<strong>Police: <a href="tel:102">102</a></strong>.", or a table row "<td>Police</td>
# <td><a href="tel:102">102</a></td>". A step such as "If you are in danger, call 112"
# names no hotline, and is left out.
_LIST_ITEM = re.compile(r"<li>(.*?)</li>", re.S)
_TABLE_ROW = re.compile(r"<tr>(.*?)</tr>", re.S)
_TABLE_CELL = re.compile(r"<t[dh][^>]*>(.*?)</t[dh]>", re.S)
_PHONE_LINK = re.compile(r'<a href="tel:([^"]*)">(.*?)</a>', re.S)
MAX_HOTLINES = 7
MAX_LABEL = 70


def _plain_text(fragment: str) -> str:
    import html as html_module

    return html_module.unescape(re.sub(r"<[^>]+>", "", fragment))


def _plain(fragment: str) -> str:
    return " ".join(_plain_text(fragment).split()).strip(" :：-–—,،")


def hotlines(body_html: str, first: tuple[str, str, str] | None) -> tuple:
    """The phone numbers the text lists with a label, in its order, for the deliberate
    page: ((label, (number, ...)), ...). `first` is (label, tel, number) of the NGO."""
    entries: list[tuple[str, list[str]]] = []
    seen: set[str] = set()
    if first:
        label, tel, number = first
        entries.append((label, [number]))
        seen.add(tel)
    items = [(match.start(), match.group(1), "item") for match in _LIST_ITEM.finditer(body_html)]
    items += [(match.start(), match.group(1), "row") for match in _TABLE_ROW.finditer(body_html)]
    for _start, item, kind in sorted(items):
        links = _PHONE_LINK.findall(item)
        if not links:
            continue
        if kind == "row":
            cells = _TABLE_CELL.findall(item)
            label = _plain(cells[0]) if cells and "tel:" not in cells[0] else ""
        else:
            before = _plain_text(item[: item.index('<a href="tel:')])
            label = _plain(before) if before.rstrip().endswith((":", "：")) else ""
        numbers = [text for tel, text in links if tel not in seen]
        if not label or len(label) > MAX_LABEL or not numbers:
            continue
        seen.update(tel for tel, _text in links)
        entries.append((label, numbers))
    return tuple((label, tuple(numbers)) for label, numbers in entries[: MAX_HOTLINES + 1])


def make_leaflet(catalog: Catalog, pamphlet: Pamphlet, translation: Translation) -> Leaflet:
    ui = catalog.ui[translation.language]
    phone = catalog.facts.get("ngo_phone")
    url = page_url(catalog, pamphlet.slug, translation.language)
    if translation.html:
        converted = link_pamphlets_in_html(catalog, translation.html, translation.language)
    else:
        body = link_pamphlets_for_print(catalog, translation.body, translation.language)
        converted = catalog.settings.markdown.convert(body)
    edition = pamphlet.settings.edition.isoformat()
    folder = (catalog.settings.root / translation.path).parent
    right_to_left = ui.direction == "rtl"
    persian = ui.digits == "persian"

    def typeset(text: str) -> str:
        return typeset_text(text, right_to_left, persian, ui.currency_azn)

    body_html = typeset_html(
        unhyphenated(isolate_phone_links(converted)), right_to_left, persian, ui.currency_azn
    )
    shown_phone = isolate_ltr(phone.value) if phone else ""
    organisation = typeset(ui.organisation)
    return Leaflet(
        slug=pamphlet.slug,
        language=translation.language,
        direction=ui.direction,
        format=pamphlet.settings.format,
        title=typeset(translation.front.title),
        summary=typeset(translation.front.summary),
        body_html=body_html,
        draft_mark=ui.between.join(
            mark
            for mark, applies in (
                (ui.draft_mark, translation.is_draft),
                (ui.outdated_mark, is_outdated(catalog, pamphlet, translation.language)),
            )
            if applies
        ),
        organisation=organisation,
        address=typeset(ui.address),
        phone=shown_phone,
        phone_tel=(phone.tel or "") if phone else "",
        free_of_charge=typeset(ui.free_of_charge),
        edition=edition,
        edition_line=ui.edition.replace(
            "{date}", isolate_ltr(edition.translate(PERSIAN) if persian else edition)
        ),
        print_run_line=print_run_line(catalog, pamphlet, translation),
        read_online=typeset(ui.read_online),
        url=url,
        **licence_fields(catalog, translation.language, typeset),
        fonts=catalog.settings.pdf.fonts,
        crop_marks=catalog.settings.pdf.crop_marks,
        hotlines=hotlines(
            body_html, (organisation, phone.tel or "", shown_phone) if phone else None
        ),
        hotlines_heading=ui.hotlines_heading,
        notes_heading=ui.notes_heading,
        digits=ui.digits,
        body_min_pt=ui.leaflet_body_min_pt,
        source_path=translation.path,
        base_dir=str(folder),
        image_digests=tuple(
            hashlib.sha256((folder / image).read_bytes()).hexdigest()
            for image in translation.images
        ),
    )


PERSIAN = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")


def licence_fields(catalog: Catalog, language: str, typeset) -> dict[str, str]:
    """The imprint's licence line ("... name X as the source. Licence:"), the licence's name
    ("CC BY 4.0") and the deed's address, in the leaflet's language; empty when no licence
    is chosen. The name is a Latin name with Latin digits: isolated left to right in a
    Persian line, and set on one line: no-break spaces, a word joiner after each hyphen, and
    a no-break space before it in the template. (Not `white-space: nowrap`: WeasyPrint 70
    then breaks the line before it word by word when the name falls near the line's end.)"""
    licence = catalog.settings.content_licence
    if licence is None:
        return dict.fromkeys(("licence_line", "licence_name", "licence_url",
                              "licence_short_url"), "")  # fmt: skip
    ui = catalog.ui[language]
    terms = ui.licence_terms(licence).replace("{organisation}", ui.organisation)
    return {
        "licence_line": f"{typeset(terms)} {typeset(ui.licence_label)}",
        "licence_name": isolate_ltr(licence.name.replace(" ", "\u00a0").replace("-", "-\u2060")),
        "licence_url": licence.deed(language),
        "licence_short_url": licence.short_url,
    }


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
    return css + fmt.page_css("persian" if leaflet.digits == "persian" else "decimal")


def template_dirs(project_templates: Path | None) -> list[Path]:
    """Where templates and stylesheets are looked up: the project's folder first."""
    return [path for path in (project_templates, PACKAGE_TEMPLATES) if path]


@cache
def _environment(project_templates: Path | None) -> jinja2.Environment:
    environment = jinja2.Environment(
        loader=jinja2.FileSystemLoader([str(path) for path in template_dirs(project_templates)]),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
    )
    # {{ text | shown(leaflet.direction) }}: a plain string on the page (typesetting.py).
    environment.filters["shown"] = lambda text, direction: markupsafe.Markup(
        shown_html(str(text), direction == "rtl")
    )
    # {{ qr(leaflet.url, variant) }}: made when a leaflet is rendered, not for every leaflet
    # a build looks at (the address decides the code): K only in print, black on screen.
    environment.globals["qr"] = lambda url, variant: (
        qr_data_uri(url) if variant == "print" else qr_data_uri(url, black="#000")
    )
    return environment


# The lines of a page for notes: 11 mm apart (leaflet.css), below a heading of about 25 mm.
NOTES_LINE_MM = 11
NOTES_HEADING_MM = 25


def notes_lines(fmt: Format) -> int:
    """How many lines for notes fit a text page of the format."""
    top, _right, bottom, _left = fmt.margins_mm
    return max(1, int((fmt.height_mm - top - bottom - NOTES_HEADING_MM) // NOTES_LINE_MM))


def leaflet_html(
    leaflet: Leaflet,
    variant: Variant,
    project_templates: Path | None = None,
    typesetting: Typesetting | None = None,
    fmt: Format | None = None,
) -> str:
    """The leaflet's HTML; with the deliberate page that `typesetting` asks for, before or
    after the text as the format places it."""
    template = _environment(project_templates).get_template("leaflet.html")
    return template.render(
        leaflet=leaflet,
        variant=variant.name,
        extra_page=typesetting.extra_page if typesetting else "",
        extra_before_text=bool(fmt and fmt.extra_page_position == "before-text"),
        notes_lines=notes_lines(fmt) if fmt else 0,
        blank_pages=typesetting.blank_pages if typesetting else 0,
    )


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
