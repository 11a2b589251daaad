"""PDF/X for the print shop: what a print PDF needs beyond what WeasyPrint writes.

Two standards can be chosen per project (`plugins.pamphlets.pdf.standard` in mkdocs.yml):

    x-4     PDF/X-4 (ISO 15930-7), PDF 1.6: the default; transparency would be allowed,
            but our leaflets have none
    x-1a    PDF/X-1a:2003 (ISO 15930-4), PDF 1.4 with the rules of PDF 1.3 (no transparency,
            only CMYK, grey and spot colours), for shops whose workflow needs it

Both need: the output intent (the shop's CMYK profile), the version named in the metadata
(the XMP packet's pdfxid:GTS_PDFXVersion; the Info dictionary's GTS_PDFXVersion and
GTS_PDFXConformance for X-1a), Trapped (True or False, in Info and XMP), a title, a file
identifier, TrimBox and BleedBox on every page, every font embedded, and no annotation
inside the bleed box. WeasyPrint writes most of that for `pdf_variant="pdf/x-4"` or
`"pdf/x-1a"`; `finish_print_pdf` (a WeasyPrint finisher, on the pydyf objects before they
are written) adds the rest: our marks (marks.py) with the MediaBox grown to hold them, no
link annotations, the output condition's standard name, and for X-1a the version names.

The imposed sheets are written by pypdf (impose.py) and made PDF/X the same way with
`pdfx_metadata`: version, XMP packet, Info and file identifier.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .formats import Format
from .marks import (
    REGISTRATION,
    REGISTRATION_TINT_TRANSFORM,
    Trim,
    margin_mm,
    marks_content,
    page_edges,
)


@dataclass(frozen=True)
class Standard:
    """A PDF/X standard: what WeasyPrint calls it and what the file must say it is."""

    name: str
    weasyprint_variant: str
    pdf_version: str
    # The value of pdfxid:GTS_PDFXVersion (XMP) and of Info /GTS_PDFXVersion (X-1a).
    version_name: str
    # Info /GTS_PDFXConformance (X-1a); None for X-4.
    conformance: str | None
    transparency_allowed: bool


STANDARDS = {
    "x-4": Standard("x-4", "pdf/x-4", "1.6", "PDF/X-4", None, True),
    "x-1a": Standard("x-1a", "pdf/x-1a", "1.4", "PDF/X-1:2003", "PDF/X-1a:2003", False),
}


def _number(reference) -> int:
    """The object number of a pydyf reference (b"12 0 R")."""
    return int(bytes(reference).split()[0])


def finish_print_pdf(
    pdf,
    fmt: Format,
    standard: Standard,
    output_condition: str,
    draw_marks: bool,
    right_to_left: bool,
    identifier: str = "",
) -> None:
    """Finish a print PDF on WeasyPrint's pydyf objects, just before they are written.
    `identifier` (uuid-like, from the content) replaces the XMP's random DocumentID."""
    import pydyf

    metadata = pdf.catalog.get("Metadata")
    if metadata is not None:
        stream = pdf.objects[_number(metadata)]
        xmp = b"".join(
            part if isinstance(part, bytes) else str(part).encode() for part in stream.stream
        )
        stream.stream = [fix_xmp(xmp, identifier)]

    # A shop reads the standard's name (FOGRA39, ...); WeasyPrint names the intent after
    # the profile's file.
    for intent in pdf.catalog.get("OutputIntents", []):
        intent["OutputConditionIdentifier"] = pydyf.String(output_condition)
        intent["Info"] = pydyf.String(output_condition)
    # The Info keys name the standard too (required for X-1a; older RIPs look there for X-4).
    pdf.info["GTS_PDFXVersion"] = pydyf.String(standard.version_name)
    if standard.conformance:
        pdf.info["GTS_PDFXConformance"] = pydyf.String(standard.conformance)
    pdf.info["Trapped"] = "/False"

    pages = [pdf.objects[number] for number in pdf.pages["Kids"][::3]]
    for page in pages:
        # PDF/X allows no annotation inside the bleed box: the links of the print variant
        # are text (their addresses are printed).
        page.pop("Annots", None)
    if not draw_marks:
        return

    # The registration colour, in the colour spaces every page's resources share.
    function = pydyf.Dictionary({
        key: pydyf.Array(value) if isinstance(value, list) else value
        for key, value in REGISTRATION_TINT_TRANSFORM.items()
    })  # fmt: skip
    pdf.add_object(function)
    registration = pydyf.Array(["/Separation", "/All", "/DeviceCMYK", function.reference])
    for resources_reference in {bytes(page["Resources"]) for page in pages}:
        resources = pdf.objects[_number(resources_reference)]
        colour_spaces = pdf.objects[_number(resources["ColorSpace"])]
        colour_spaces[REGISTRATION] = registration

    opening = pydyf.Stream([b"q"])
    pdf.add_object(opening)
    for number, page in enumerate(pages, start=1):
        x1, y1, x2, y2 = (float(value) for value in page["TrimBox"])
        trim = Trim(min(x1, x2), min(y1, y2), max(x1, x2), max(y1, y2))
        left_fold, right_fold = fmt.fold_edges(number, len(pages), right_to_left)
        cuts, folds = page_edges(trim, left_fold, right_fold)
        closing = pydyf.Stream([b"Q\n" + marks_content(trim, fmt.bleed_mm, cuts, folds)])
        pdf.add_object(closing)
        # The page's own drawing runs inside q ... Q, so that the marks start from the
        # untransformed page.
        page["Contents"] = pydyf.Array([opening.reference, page["Contents"], closing.reference])
        page["MediaBox"] = pydyf.Array(trim.grown(margin_mm(fmt.bleed_mm)))


def fix_xmp(xmp: bytes, identifier: str) -> bytes:
    """WeasyPrint's XMP packet with its DocumentID (random in PDF/X-4) set to one made from
    the content, so that the same sources give the same bytes; and for PDF/X-1a the version
    named as the standard names it (WeasyPrint writes the conformance level there)."""
    if identifier:
        xmp = re.sub(rb"xmp\.did:[0-9a-zA-Z-]+", f"xmp.did:{identifier}".encode(), xmp)
    return re.sub(
        rb"(<pdfxid:GTS_PDFXVersion>|<pdfx:GTS_PDFXVersion>)PDF/X-1a:2003", rb"\1PDF/X-1:2003", xmp
    )


def xmp_packet(
    title: str, created: str, modified: str, producer: str, standard: Standard, identifier: str
) -> bytes:
    """An XMP metadata packet for a PDF/X file (written by pypdf, not WeasyPrint: the
    imposed sheets). Dates in ISO 8601 ("2026-11-30T00:00:00Z")."""
    from xml.sax.saxutils import escape

    conformance = (
        f"<pdfx:GTS_PDFXConformance>{standard.conformance}</pdfx:GTS_PDFXConformance>"
        if standard.conformance
        else ""
    )
    return f"""<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/">
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
<rdf:Description rdf:about=""
 xmlns:dc="http://purl.org/dc/elements/1.1/"
 xmlns:pdf="http://ns.adobe.com/pdf/1.3/"
 xmlns:xmp="http://ns.adobe.com/xap/1.0/"
 xmlns:xmpMM="http://ns.adobe.com/xap/1.0/mm/"
 xmlns:pdfxid="http://www.npes.org/pdfx/ns/id/"
 xmlns:pdfx="http://ns.adobe.com/pdfx/1.3/">
<dc:format>application/pdf</dc:format>
<dc:title><rdf:Alt><rdf:li xml:lang="x-default">{escape(title)}</rdf:li></rdf:Alt></dc:title>
<pdf:Producer>{escape(producer)}</pdf:Producer>
<pdf:Trapped>False</pdf:Trapped>
<xmp:CreateDate>{created}</xmp:CreateDate>
<xmp:ModifyDate>{modified}</xmp:ModifyDate>
<xmp:MetadataDate>{modified}</xmp:MetadataDate>
<xmpMM:DocumentID>xmp.did:{identifier}</xmpMM:DocumentID>
<xmpMM:InstanceID>xmp.iid:{identifier}</xmpMM:InstanceID>
<xmpMM:RenditionClass>default</xmpMM:RenditionClass>
<xmpMM:VersionID>1</xmpMM:VersionID>
<pdfxid:GTS_PDFXVersion>{standard.version_name}</pdfxid:GTS_PDFXVersion>
<pdfx:GTS_PDFXVersion>{standard.version_name}</pdfx:GTS_PDFXVersion>
{conformance}
</rdf:Description>
</rdf:RDF>
</x:xmpmeta>
<?xpacket end="r"?>""".encode()


def iso_date(pdf_date: str | None) -> str | None:
    """A PDF date ("D:20261130000000Z", "D:20261130120000+04'00'") in ISO 8601."""
    match = re.match(
        r"D:(\d{4})(\d{2})?(\d{2})?(\d{2})?(\d{2})?(\d{2})?(Z|[+-]\d{2}'?\d{2}'?)?",
        pdf_date or "",
    )
    if not match:
        return None
    year, month, day, hour, minute, second, zone = match.groups()
    zone = (zone or "Z").replace("'", "")
    if zone != "Z":
        zone = f"{zone[:3]}:{zone[3:5]}"
    return (
        f"{year}-{month or '01'}-{day or '01'}T{hour or '00'}:{minute or '00'}:"
        f"{second or '00'}{zone}"
    )


def uuid_like(digest: str) -> str:
    return f"{digest[:8]}-{digest[8:12]}-{digest[12:16]}-{digest[16:20]}-{digest[20:32]}"


# ---------------------------------------------------------------- checking a file


def _xmp_value(xmp: str, name: str) -> str | None:
    """A simple property of an XMP packet, as element or as attribute ("pdf:Trapped")."""
    match = re.search(rf"<{name}>\s*([^<]*?)\s*</{name}>", xmp) or re.search(
        rf'{name}="([^"]*)"', xmp
    )
    return match.group(1) if match else None


def check_pdfx(reader, standard: Standard):
    """Preflight's "pdf/x" check of a PDF (a pypdf reader): the file is the PDF/X it must
    be: version, XMP naming it, Trapped in Info and XMP, a file identifier."""
    from .pdf_content import resolve
    from .preflight_content import Check

    findings = []
    header = reader.pdf_header.removeprefix("%PDF-")
    if standard.name == "x-4":
        if header != standard.pdf_version:
            findings.append(f"PDF {header}, expected {standard.pdf_version} for PDF/X-4")
    elif not "1.3" <= header <= standard.pdf_version:
        findings.append(f"PDF {header}, expected 1.3 to {standard.pdf_version} for PDF/X-1a")
    metadata = resolve(reader.root_object.get("/Metadata"))
    xmp = ""
    if metadata is None or not hasattr(metadata, "get_data"):
        findings.append("no XMP metadata (/Metadata in the catalog)")
    else:
        xmp = metadata.get_data().decode("utf-8", "replace")
        version = _xmp_value(xmp, "pdfxid:GTS_PDFXVersion")
        if version != standard.version_name:
            found = f"'{version}'" if version else "nothing"
            findings.append(
                f"XMP pdfxid:GTS_PDFXVersion is {found}, expected '{standard.version_name}'"
            )
    info = reader.metadata or {}
    trapped = str(resolve(info.get("/Trapped", "")) or "")
    if trapped not in ("/True", "/False"):
        findings.append(
            f"Info /Trapped is {trapped.lstrip('/') or 'missing'}: it must be True or False"
        )
    elif xmp and _xmp_value(xmp, "pdf:Trapped") != trapped.lstrip("/"):
        findings.append(f"XMP pdf:Trapped does not say {trapped.lstrip('/')} as Info does")
    if standard.conformance:
        for key, expected in (
            ("/GTS_PDFXVersion", standard.version_name),
            ("/GTS_PDFXConformance", standard.conformance),
        ):
            found = str(info.get(key, "") or "")
            if found != expected:
                findings.append(f"Info {key} is '{found}', expected '{expected}'")
    if not reader.trailer.get("/ID"):
        findings.append("no file identifier (/ID in the trailer)")
    if findings:
        more = f" (and {len(findings) - 1} more)" if len(findings) > 1 else ""
        return Check("pdf/x", False, findings[0] + more, tuple(findings))
    return Check(
        "pdf/x", True, f"{standard.version_name}, PDF {header}, Trapped {trapped.lstrip('/')}"
    )
