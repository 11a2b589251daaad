"""Each preflight rule of issue 11 proven by a PDF made to break it (and one that keeps it).

Hand-written PDFs put the offending mark where a shop's preflight must still find it: in the
page, in a form XObject, in a tiling pattern, in a shading, in an image, in an annotation's
appearance stream. Every finding names the page, the object and what to change. The last
tests feed preflight a leaflet made the way the leaflets were made before this issue
(WeasyPrint's RGB marks, an RGB QR code, links, a blank page, an imposed file that is not
PDF/X): each defect the issue lists is reported.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from pamphlet_press.leaflets.formats import A5_BOOKLET
from pamphlet_press.leaflets.preflight import preflight
from PIL import Image
from pypdf import PdfReader, PdfWriter
from test_preflight import failures, one_page_pdf, render
from weasyprint import HTML

# A5 with 3 mm bleed: trim 0..419.5 x 0..595.3, bleed -8.5 .. +8.5 around it; the MediaBox
# leaves room for marks outside the bleed.
PRINT_BOXES = (
    b"/MediaBox [-34 -34 453.5 629.3] /TrimBox [0 0 419.528 595.276]"
    b" /BleedBox [-8.504 -8.504 428.032 603.780]"
)
CMYK_SPACES = b"/ColorSpace << /Lab0 [/Lab << /WhitePoint [0.9642 1 0.8249] >>] >>"


def check(pdf: Path, name: str, **options):
    found = preflight(pdf, A5_BOOKLET, **options).check(name)
    return found.ok, found.findings


# --- colour spaces: no RGB, Lab or spot colour anywhere ---------------------------------------


@pytest.mark.parametrize(
    ("content", "resources", "extra", "finding"),
    [
        (b"1 0 0 rg 10 10 50 50 re f", b"<< >>", [],
         "page 1: fill in DeviceRGB 1 0 0: set it in CMYK (device-cmyk(...) in the stylesheet)"),
        (b"/Lab0 CS 50 20 20 SCN 10 10 m 100 100 l S", b"<< " + CMYK_SPACES + b" >>", [],
         "page 1: stroke in /Lab0 (Lab) 50 20 20: set it in CMYK (device-cmyk(...) in the "
         "stylesheet)"),
        # Inside a form XObject.
        (b"/Fm0 Do", b"<< /XObject << /Fm0 5 0 R >> >>",
         [(b"<< /Type /XObject /Subtype /Form /BBox [0 0 400 400] >>",
           b"0 0 1 RG 10 10 m 100 100 l S")],
         "page 1, form /Fm0: stroke in DeviceRGB 0 0 1: set it in CMYK (device-cmyk(...) in "
         "the stylesheet)"),
        # A tiling pattern whose cell paints in RGB.
        (b"/Pattern cs /P0 scn 0 0 100 100 re f", b"<< /Pattern << /P0 5 0 R >> >>",
         [(b"<< /Type /Pattern /PatternType 1 /PaintType 1 /TilingType 1 /BBox [0 0 10 10]"
           b" /XStep 10 /YStep 10 /Resources << >> >>", b"0 1 0 rg 0 0 5 5 re f")],
         "page 1, pattern /P0: fill in DeviceRGB 0 1 0: set it in CMYK (device-cmyk(...) in "
         "the stylesheet)"),
        # A shading painted with sh.
        (b"/Sh0 sh", b"<< /Shading << /Sh0 5 0 R >> >>",
         [b"<< /ShadingType 2 /ColorSpace /DeviceRGB /Coords [0 0 100 0] /Function << "
          b"/FunctionType 2 /Domain [0 1] /C0 [1 0 0] /C1 [0 0 1] /N 1 >> >>"],
         "page 1, shading /Sh0: shading in DeviceRGB: set it in CMYK (device-cmyk(...) in "
         "the stylesheet)"),
        # An RGB image.
        (b"q 100 0 0 100 0 0 cm /Im0 Do Q", b"<< /XObject << /Im0 5 0 R >> >>",
         [(b"<< /Type /XObject /Subtype /Image /Width 2 /Height 2 /ColorSpace /DeviceRGB"
           b" /BitsPerComponent 8 >>", bytes(12))],
         "page 1, image /Im0: DeviceRGB image: convert the image to CMYK with the print "
         "shop's profile before placing it"),
        # A spot colour: a plate of its own.
        (b"/Spot CS 1 SCN 10 10 m 100 100 l S",
         b"<< /ColorSpace << /Spot [/Separation /PANTONE#20485#20C /DeviceCMYK 5 0 R] >> >>",
         [b"<< /FunctionType 2 /Domain [0 1] /C0 [0 0 0 0] /C1 [0 1 1 0] /N 1 >>"],
         "page 1: stroke in /Spot (Separation PANTONE 485 C) 1: a spot colour (PANTONE 485 C) "
         "prints on a plate of its own: use CMYK instead"),
    ],
)  # fmt: skip
def test_a_mark_outside_cmyk_is_found_where_it_is(tmp_path, content, resources, extra, finding):
    pdf = one_page_pdf(tmp_path / "colour.pdf", content, resources, PRINT_BOXES, extra)
    assert check(pdf, "colour spaces") == (False, (finding,))


def test_an_annotation_appearance_is_checked_too(tmp_path: Path) -> None:
    # A form field's appearance drawn in RGB (and the annotation itself inside the bleed).
    pdf = one_page_pdf(
        tmp_path / "widget.pdf", b"", b"<< >>", PRINT_BOXES + b" /Annots [5 0 R]",
        [b"<< /Type /Annot /Subtype /Widget /Rect [10 10 110 40] /AP << /N 6 0 R >> >>",
         (b"<< /Type /XObject /Subtype /Form /BBox [0 0 100 30] >>", b"1 0 0 rg 0 0 100 30 re f")],
    )  # fmt: skip
    ok, findings = check(pdf, "colour spaces")
    assert (ok, findings) == (False, (
        "page 1, annotation 1 (Widget) appearance: fill in DeviceRGB 1 0 0: set it in CMYK "
        "(device-cmyk(...) in the stylesheet)",
    ))  # fmt: skip
    assert check(pdf, "annotations") == (False, (
        "page 1: annotation 1 (Widget) inside the bleed box (at 4-39 x 4-14 mm): a print PDF "
        "carries no links or comments; remove it",
    ))  # fmt: skip


def test_cmyk_grey_and_registration_marks_outside_the_bleed_pass(tmp_path: Path) -> None:
    content = (
        b"0.9 0.3 0.45 0.15 k 0 0 419.5 595.3 re f 0.4 g 10 10 100 100 re f "
        # Registration hairlines 6 mm outside the trim (3 mm outside the bleed box).
        b"/Reg CS 1 SCN 0.25 w -31 0 m -17 0 l S 0 -31 m 0 -17 l S"
    )
    resources = b"<< /ColorSpace << /Reg [/Separation /All /DeviceCMYK 5 0 R] >> >>"
    tint = b"<< /FunctionType 2 /Domain [0 1] /C0 [0 0 0 0] /C1 [1 1 1 1] /N 1 >>"
    pdf = one_page_pdf(tmp_path / "good.pdf", content, resources, PRINT_BOXES, [tint])
    report = preflight(pdf, A5_BOOKLET)
    assert report.check("colour spaces").detail == "4 marks, all in CMYK, grey or registration"
    assert report.check("ink coverage").detail == "at most 180 % (limit 300 %)"


# --- ink coverage: at most 300 % (configurable); registration only outside the bleed ----------


def test_ink_over_the_limit_is_found_and_the_limit_is_configurable(tmp_path: Path) -> None:
    pdf = one_page_pdf(
        tmp_path / "ink.pdf", b"/Fm0 Do", b"<< /XObject << /Fm0 5 0 R >> >>", PRINT_BOXES,
        [(b"<< /Type /XObject /Subtype /Form /BBox [0 0 400 400] >>",
          b"0.9 0.9 0.9 0.9 k 0 0 100 100 re f")],
    )  # fmt: skip
    assert check(pdf, "ink coverage") == (False, (
        "page 1, form /Fm0: fill in DeviceCMYK 0.9 0.9 0.9 0.9 = 360 % ink, over 300 %: take "
        "out cyan, magenta and yellow under the black",
    ))  # fmt: skip
    assert check(pdf, "ink coverage", max_ink=360)[0]
    assert not check(pdf, "ink coverage", max_ink=340)[0]


def test_registration_colour_inside_the_bleed_box_is_found(tmp_path: Path) -> None:
    resources = b"<< /ColorSpace << /Reg [/Separation /All /DeviceCMYK 5 0 R] >> >>"
    tint = b"<< /FunctionType 2 /Domain [0 1] /C0 [0 0 0 0] /C1 [1 1 1 1] /N 1 >>"
    # A crop mark as WeasyPrint drew it: inside the bleed, 1.5 mm long.
    content = b"/Reg CS 1 SCN 0.25 w -8 0 m -4 0 l S"
    pdf = one_page_pdf(tmp_path / "reg.pdf", content, resources, PRINT_BOXES, [tint])
    assert check(pdf, "ink coverage") == (False, (
        "page 1: stroke in the registration colour (400 % ink) inside the bleed box: it is for "
        "marks outside the bleed; use 100 % K",
    ))  # fmt: skip


def test_ink_of_a_cmyk_image_is_measured(tmp_path: Path) -> None:
    pixels = bytes([250, 250, 250, 250]) + bytes(12)  # one 392 % pixel, three blank ones
    pdf = one_page_pdf(
        tmp_path / "image.pdf", b"q 10 0 0 10 0 0 cm /Im0 Do Q", b"<< /XObject << /Im0 5 0 R >> >>",
        PRINT_BOXES,
        [(b"<< /Type /XObject /Subtype /Image /Width 2 /Height 2 /ColorSpace /DeviceCMYK"
          b" /BitsPerComponent 8 >>", pixels)],
    )  # fmt: skip
    ok, findings = check(pdf, "ink coverage")
    assert not ok and findings[0].startswith("page 1, image /Im0: image in DeviceCMYK = 392 % ink")


# --- annotations: none inside the bleed box -----------------------------------------------------


@pytest.mark.parametrize(
    ("annotation", "ok"),
    [
        (b"<< /Type /Annot /Subtype /Link /Rect [50 50 150 70] /A << /URI (tel:152) >> >>", False),
        # Printer's marks may sit anywhere; anything outside the bleed box is not printed.
        (b"<< /Type /Annot /Subtype /PrinterMark /Rect [50 50 150 70] >>", True),
        (b"<< /Type /Annot /Subtype /Link /Rect [-30 -30 -12 -12] >>", True),
    ],
)
def test_annotations_inside_the_bleed_box(tmp_path: Path, annotation: bytes, ok: bool) -> None:
    pdf = one_page_pdf(
        tmp_path / "annot.pdf", b"", b"<< >>", PRINT_BOXES + b" /Annots [5 0 R]", [annotation]
    )
    assert check(pdf, "annotations")[0] is ok


# --- transparency: none --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "resources", "extra", "finding"),
    [
        (b"/Fm0 Do", b"<< /XObject << /Fm0 5 0 R >> >>",
         [(b"<< /Type /XObject /Subtype /Form /BBox [0 0 100 100] /Group << /Type /Group"
           b" /S /Transparency /CS /DeviceRGB >> >>", b"0 0 0 1 k 0 0 10 10 re f")],
         "page 1, form /Fm0: transparency group"),
        (b"/G0 gs 0 0 0 1 k 0 0 10 10 re f", b"<< /ExtGState << /G0 << /ca 0.5 >> >> >>", [],
         "page 1, graphics state /G0: fill opacity 0.5"),
        (b"/G0 gs 0 0 0 1 k 0 0 10 10 re f",
         b"<< /ExtGState << /G0 << /BM /Multiply >> >> >>", [],
         "page 1, graphics state /G0: blend mode Multiply"),
        (b"/G0 gs", b"<< /ExtGState << /G0 << /SMask << /S /Luminosity /G 5 0 R >> >> >> >>",
         [(b"<< /Type /XObject /Subtype /Form /BBox [0 0 1 1] >>", b"")],
         "page 1, graphics state /G0: soft mask"),
        (b"q 100 0 0 100 0 0 cm /Im0 Do Q", b"<< /XObject << /Im0 5 0 R >> >>",
         [(b"<< /Type /XObject /Subtype /Image /Width 1 /Height 1 /ColorSpace /DeviceCMYK"
           b" /BitsPerComponent 8 /SMask 6 0 R >>", bytes(4)),
          (b"<< /Type /XObject /Subtype /Image /Width 1 /Height 1 /ColorSpace /DeviceGray"
           b" /BitsPerComponent 8 >>", b"\x80")],
         "page 1, image /Im0: soft mask (alpha channel)"),
    ],
)  # fmt: skip
def test_transparency_is_found(tmp_path, content, resources, extra, finding) -> None:
    pdf = one_page_pdf(tmp_path / "transparent.pdf", content, resources, PRINT_BOXES, extra)
    ok, findings = check(pdf, "transparency")
    assert not ok
    assert findings == (
        f"{finding}: remove it (no opacity, rgba colours or masks in print leaflets), or "
        "flatten the file",
    )


# --- empty pages --------------------------------------------------------------------------------


def test_a_page_with_only_the_running_head_is_empty(tmp_path: Path, cmyk_profile: Path) -> None:
    head = (
        "@page { @top-center { content: 'DRAFT'; font-size: 8pt; "
        "color: device-cmyk(0 0 0 1) } margin: 14mm 12mm 16mm }"
        "section.blank { height: 1px } section.blank h1 { display: none }"
    )
    pdf = render(tmp_path, cmyk_profile, pages=8, extra_css=head)
    # Empty the third page's section: only the running head is left on it.
    html_pdf = render(
        tmp_path, cmyk_profile, pages=8, name="blank.pdf",
        extra_css=head + "section:nth-child(3) { visibility: hidden }",
    )  # fmt: skip
    assert preflight(pdf, A5_BOOKLET).check("empty pages").ok
    ok, findings = check(html_pdf, "empty pages")
    assert not ok and findings[0].startswith("page 3: no text or picture inside the margins")


# --- the PDF/X a project chose ----------------------------------------------------------------


def test_pdfx1a_is_checked_as_pdfx1a(tmp_path: Path, cmyk_profile: Path) -> None:
    from pamphlet_press.leaflets.pdfx import STANDARDS, finish_print_pdf

    shutil.copy(cmyk_profile, tmp_path / "profile.icc")
    html = (
        '<html lang="en"><head><title>T</title><style>@color-profile device-cmyk '
        "{ components: c, m, y, k; src: url(profile.icc) } @page { size: A5; bleed: 3mm } "
        "body { color: device-cmyk(0 0 0 1) }</style></head><body><p>Text</p></body></html>"
    )

    def finish(_document, pdf_objects):
        finish_print_pdf(pdf_objects, A5_BOOKLET, STANDARDS["x-1a"], "FOGRA39", False, False)

    pdf = tmp_path / "x1a.pdf"
    HTML(string=html, base_url=str(tmp_path)).write_pdf(
        pdf, pdf_variant="pdf/x-1a", finisher=finish
    )
    assert preflight(pdf, A5_BOOKLET, standard="x-1a").check("pdf/x").detail == (
        "PDF/X-1:2003, PDF 1.4, Trapped False"
    )
    assert preflight(pdf, A5_BOOKLET, standard="x-4").check("pdf/x").findings[:2] == (
        "PDF 1.4, expected 1.6 for PDF/X-4",
        "XMP pdfxid:GTS_PDFXVersion is 'PDF/X-1:2003', expected 'PDF/X-4'",
    )


# --- the defects the issue found in the leaflets made before it --------------------------------


def test_the_old_leaflets_defects_are_all_reported(tmp_path: Path, cmyk_profile: Path) -> None:
    """WeasyPrint's own crop marks (RGB, inside the bleed), an RGB QR code, link annotations,
    a page with only the draft line, small text in colour; and the imposed file written
    without PDF/X identification."""
    import segno

    qr = segno.make("https://example.org/fa/pamphlets/x/").svg_data_uri(scale=4, border=2)
    first = (
        f'<p style="color: device-cmyk(0 0.85 0.9 0); font-size: 7.5pt">DRAFT</p>'
        f'<p><a href="tel:152">152</a></p><img src="{qr}" style="width: 28mm">'
    )
    pdf = render(
        tmp_path, cmyk_profile, page_rule="size: A5; bleed: 3mm; marks: crop cross;",
        first_page_html=first, extra_css="section:nth-child(4) { visibility: hidden }",
    )  # fmt: skip
    report = preflight(pdf, A5_BOOKLET)
    found = failures(report)
    assert set(found) == {
        "colour spaces", "text colour", "transparency", "annotations", "empty pages",
    }  # fmt: skip
    assert any("DeviceRGB 0 0 0" in item for item in report.check("colour spaces").findings)
    assert "Link" in found["annotations"]
    assert found["empty pages"].startswith("page 4: ")
    assert "7.5 pt text in DeviceCMYK 0 0.85 0.9 0" in found["text colour"]

    # The imposed file as it was written before: pages copied, version 1.3, no XMP, no Trapped.
    writer = PdfWriter(clone_from=pdf)
    del writer.root_object["/Metadata"]
    writer.pdf_header = "%PDF-1.3"
    old = tmp_path / "old-imposed.pdf"
    writer._info = None
    writer.write(old)
    assert PdfReader(old).pdf_header == "%PDF-1.3"
    assert preflight(old, A5_BOOKLET).check("pdf/x").findings == (
        "PDF 1.3, expected 1.6 for PDF/X-4",
        "no XMP metadata (/Metadata in the catalog)",
        "Info /Trapped is missing: it must be True or False",
    )


def test_an_rgb_photo_in_a_leaflet_is_found(tmp_path: Path, cmyk_profile: Path) -> None:
    Image.new("RGB", (1200, 1200), (30, 90, 160)).save(tmp_path / "photo.png")
    image = '<img src="photo.png" style="width: 50mm">'
    pdf = render(tmp_path, cmyk_profile, first_page_html=image)
    ok, findings = check(pdf, "colour spaces")
    assert not ok and findings[0].endswith(
        "DeviceRGB image: convert the image to CMYK with the print shop's profile before "
        "placing it"
    )


def test_every_rule_is_a_check() -> None:
    from pamphlet_press.leaflets.preflight import CHECK_NAMES

    rules = {"boxes", "fonts embedded", "output intent", "pdf/x", "page count", "empty pages",
             "image resolution", "colour spaces", "text colour", "ink coverage", "transparency",
             "annotations", "metadata"}  # fmt: skip
    assert set(CHECK_NAMES) == rules



def test_a_photo_in_a_pamphlet_is_printed_in_cmyk(mini: Path) -> None:
    """A pamphlet's RGB picture (with transparency) is converted with the shop's profile
    for the print PDF, and stays RGB in the screen PDF."""
    from conftest import run_pamphlets

    image = Image.new("RGBA", (1200, 600), (200, 30, 30, 255))
    image.paste((0, 0, 0, 0), (0, 0, 300, 600))  # a transparent strip
    image.save(mini / "pamphlets/beta/map.png")
    text = (mini / "pamphlets/beta/en.md").read_text(encoding="utf-8")
    (mini / "pamphlets/beta/en.md").write_text(text + "\n![Map](map.png)\n", encoding="utf-8")
    result = run_pamphlets(mini, "pdf", "-p", "beta", "-l", "en")
    assert result.returncode == 0, result.stderr
    from pamphlet_press.leaflets.formats import A4_TRIFOLD

    report = preflight(mini / ".cache/pdf/beta-en-print.pdf", A4_TRIFOLD)
    assert report.check("colour spaces").ok, report.check("colour spaces")
    assert report.check("transparency").ok, report.check("transparency")
    assert report.check("ink coverage").ok
    screen = PdfReader(mini / ".cache/pdf/beta-en-screen.pdf")
    spaces = {
        str(xobject.get_object().get("/ColorSpace"))
        for page in screen.pages
        for xobject in page["/Resources"].get("/XObject", {}).values()
    }
    assert "/DeviceRGB" in spaces
