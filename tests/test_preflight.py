"""Preflight of print PDFs: real WeasyPrint renders, good and bad, and hand-written PDFs for
what WeasyPrint never produces (unembedded fonts, forms, odd colour spaces, broken files).

Each bad file is bad in one way only, and the test asserts that exactly that check fails, with
its detail. Poppler's `pdfinfo` and `pdffonts` cross-check the boxes and fonts.
"""

from __future__ import annotations

import logging
import re
import shutil
import subprocess
from dataclasses import replace
from pathlib import Path

import pytest
from pamphlet_press.leaflets.formats import A4_TRIFOLD, A5_BOOKLET
from pamphlet_press.leaflets.preflight import (
    CHECK_NAMES,
    POINTS_PER_MM,
    PreflightReport,
    preflight,
)
from pamphlet_press.leaflets.preflight_report import format_table
from PIL import Image, ImageCms
from weasyprint import CSS, HTML

PROFILE_NAME = "profile.icc"

def profile_name(profile: Path) -> str:
    """The name WeasyPrint writes as /OutputConditionIdentifier (its ColorProfile.name)."""
    header = ImageCms.ImageCmsProfile(str(profile)).profile
    return header.model or header.profile_description


def render(
    directory: Path,
    profile: Path | None,
    *,
    pages: int = 8,
    page_rule: str = "size: A5; bleed: 3mm;",
    text_colour: str = "device-cmyk(0 0 0 1)",
    first_page_html: str = "",
    extra_css: str = "",
    name: str = "leaflet.pdf",
) -> Path:
    """A pamphlet rendered by WeasyPrint; PDF/X-4 with an output intent when `profile` is given.

    The defaults make a good A5 booklet: 8 pages, 3 mm bleed, text in pure K, CMYK output
    intent, title and language set.
    """
    css = f"@page {{ {page_rule} }}\nbody {{ color: {text_colour}; }}\n"
    css += "section + section { break-before: page; }\n" + extra_css
    options: dict[str, object] = {}
    color_profiles: dict[str, object] = {}
    if profile is not None:
        shutil.copy(profile, directory / PROFILE_NAME)
        # WeasyPrint writes an output intent only for a declared profile; "components" is
        # required (without it WeasyPrint 70 fails with a TypeError while writing).
        css += (
            f"@color-profile device-cmyk {{ components: c, m, y, k; src: url({PROFILE_NAME}) }}\n"
        )
        # The rule sits in a CSS(string=...): WeasyPrint fills this dict while parsing it
        # and must be handed the same dict when writing.
        options = {"pdf_variant": "pdf/x-4", "color_profiles": color_profiles}
    stylesheet = CSS(string=css, base_url=str(directory), color_profiles=color_profiles)
    sections = [f"<section><h1>Page {number}</h1><p>Text.</p></section>" for number in range(pages)]
    if pages:
        sections[0] = sections[0].replace("</section>", first_page_html + "</section>")
    html = (
        '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Your rights</title>'
        f"</head><body>{''.join(sections)}</body></html>"
    )
    target = directory / name
    HTML(string=html, base_url=str(directory)).write_pdf(
        target, stylesheets=[stylesheet], **options
    )
    return target


def failures(report: PreflightReport) -> dict[str, str]:
    return {check.name: check.detail for check in report.checks if not check.ok}


def details(report: PreflightReport) -> dict[str, str]:
    return {check.name: check.detail for check in report.checks}


def image_html(directory: Path, pixels: int) -> str:
    """A square CMYK JPEG of `pixels` x `pixels`, placed 50 mm wide."""
    Image.new("CMYK", (pixels, pixels), (200, 60, 0, 30)).save(directory / f"photo{pixels}.jpg")
    return f'<img src="photo{pixels}.jpg" style="width: 50mm">'


# --- WeasyPrint renders ----------------------------------------------------------------------


def test_good_booklet_passes_every_check(
    tmp_path: Path, cmyk_profile: Path, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING, logger="weasyprint"):
        pdf = render(tmp_path, cmyk_profile)
    # An ignored @color-profile rule or option is only logged: the render must be silent.
    assert not caplog.records, [record.getMessage() for record in caplog.records]

    report = preflight(pdf, A5_BOOKLET)

    assert report.ok, failures(report)
    assert [check.name for check in report.checks] == list(CHECK_NAMES)
    assert details(report) == {
        "boxes": "A5 booklet 148 x 210 mm, bleed 3 mm, 8 pages",
        # Regular and bold (the heading): as many fonts as pdffonts lists.
        "fonts embedded": f"{len(poppler_fonts(pdf))} fonts, all embedded",
        "output intent": profile_name(cmyk_profile),
        "pdf/x": "PDF/X-4, PDF 1.6, Trapped False",
        "page count": "8 pages (a multiple of 4, at most 16)",
        "empty pages": "none of 8",
        "image resolution": "no images",
        # One heading and one paragraph per page, all in 0 0 0 1.
        "colour spaces": "16 marks, all in CMYK, grey or registration",
        # Headings (24 pt) and paragraphs (12 pt): none under 12 pt.
        "text colour": "0 text runs under 12 pt, all 100 % K; 16 larger",
        "ink coverage": "at most 100 % (limit 300 %)",
        "transparency": "none",
        "annotations": "none inside the bleed box",
        "metadata": 'title "Your rights", lang en',
    }


def test_seven_pages_fail_the_page_count_only(tmp_path: Path, cmyk_profile: Path) -> None:
    report = preflight(render(tmp_path, cmyk_profile, pages=7), A5_BOOKLET)
    assert failures(report) == {
        "page count": "7 pages, expected a multiple of 4, at most 16 (A5 booklet)"
    }


def test_a4_pages_fail_the_boxes_only(tmp_path: Path, cmyk_profile: Path) -> None:
    pdf = render(tmp_path, cmyk_profile, page_rule="size: A4; bleed: 3mm;")
    report = preflight(pdf, A5_BOOKLET)
    assert failures(report) == {
        "boxes": "page 1: TrimBox 210 x 297 mm, expected 148 x 210 mm (and 7 more)"
    }


def test_missing_bleed_fails_the_boxes_only(tmp_path: Path, cmyk_profile: Path) -> None:
    # Without `bleed`, WeasyPrint still writes a BleedBox, equal to the TrimBox.
    report = preflight(render(tmp_path, cmyk_profile, page_rule="size: A5;"), A5_BOOKLET)
    assert failures(report) == {
        "boxes": "page 1: BleedBox extends the TrimBox by 0 mm, expected 3 mm (and 7 more)"
    }


def test_the_bleed_asked_for_is_the_bleed_checked(tmp_path: Path, cmyk_profile: Path) -> None:
    pdf = render(tmp_path, cmyk_profile, page_rule="size: A5; bleed: 2mm;")
    assert preflight(pdf, replace(A5_BOOKLET, bleed_mm=2)).ok
    assert failures(preflight(pdf, A5_BOOKLET)) == {
        "boxes": "page 1: BleedBox extends the TrimBox by 2 mm, expected 3 mm (and 7 more)"
    }


def test_weasyprint_caps_the_bleed_box_at_10_points(tmp_path: Path, cmyk_profile: Path) -> None:
    """WeasyPrint 70 makes the MediaBox as large as the CSS bleed but puts the BleedBox at most
    10 pt (3.53 mm) outside the TrimBox: a 5 mm bleed cannot pass a 5 mm check."""
    pdf = render(tmp_path, cmyk_profile, page_rule="size: A5; bleed: 5mm;")
    assert failures(preflight(pdf, replace(A5_BOOKLET, bleed_mm=5))) == {
        "boxes": "page 1: BleedBox extends the TrimBox by 3.5 mm, expected 5 mm (and 7 more)"
    }
    media, trim = (poppler_boxes(pdf)[1][name] for name in ("MediaBox", "TrimBox"))
    assert (trim[0] - media[0]) / POINTS_PER_MM == pytest.approx(5, abs=0.01)


def test_rgb_text_fails_the_colour_checks(tmp_path: Path, cmyk_profile: Path) -> None:
    pdf = render(
        tmp_path, cmyk_profile,
        first_page_html='<p style="color: rgb(255,0,0); font-size: 9pt">Warning</p>',
    )  # fmt: skip
    report = preflight(pdf, A5_BOOKLET)
    assert failures(report) == {
        "colour spaces": "page 1: text in DeviceRGB 1 0 0: set it in CMYK (device-cmyk(...) "
        "in the stylesheet)",
        "text colour": "page 1: 9 pt text in DeviceRGB 1 0 0, not 100 % K: set text under "
        "12 pt in device-cmyk(0 0 0 1)",
    }


def test_plain_pdf_fails_the_output_intent_and_pdfx(tmp_path: Path) -> None:
    report = preflight(render(tmp_path, profile=None), A5_BOOKLET)
    found = failures(report)
    assert found["output intent"] == "no /OutputIntents in the catalog"
    assert report.check("pdf/x").findings == (
        "PDF 1.7, expected 1.6 for PDF/X-4",
        "no XMP metadata (/Metadata in the catalog)",
        "Info /Trapped is missing: it must be True or False",
        "no file identifier (/ID in the trailer)",
    )
    assert set(found) == {"output intent", "pdf/x"}


def test_low_resolution_image_fails(tmp_path: Path, cmyk_profile: Path) -> None:
    # 30 px over 50 mm (1.97 in) is 15.2 dpi.
    pdf = render(tmp_path, cmyk_profile, first_page_html=image_html(tmp_path, 30))
    report = preflight(pdf, A5_BOOKLET)
    assert failures(report) == {"image resolution": "page 1: 15 dpi (30 x 30 px at 50 x 50 mm)"}


def test_high_resolution_image_passes(tmp_path: Path, cmyk_profile: Path) -> None:
    # 1200 px over 50 mm is 609.6 dpi.
    pdf = render(tmp_path, cmyk_profile, first_page_html=image_html(tmp_path, 1200))
    report = preflight(pdf, A5_BOOKLET)
    assert report.ok, failures(report)
    assert report.check("image resolution").detail == "1 image, lowest 610 dpi (page 1)"


TRIFOLD_PAGES_CSS = """
@page narrow { size: 97mm 210mm; bleed: 3mm; }
section:nth-child(2), section:nth-child(5) { page: narrow; }
"""


def test_trifold_with_a_narrower_fold_in_panel_passes(tmp_path: Path, cmyk_profile: Path) -> None:
    pdf = render(
        tmp_path,
        cmyk_profile,
        pages=6,
        page_rule="size: 100mm 210mm; bleed: 3mm;",
        extra_css=TRIFOLD_PAGES_CSS,
    )
    report = preflight(pdf, A4_TRIFOLD)
    assert report.ok, failures(report)
    assert report.check("boxes").detail == (
        "panels 100/97/100/100/97/100 x 210 mm, bleed 3 mm, 6 pages"
    )
    assert report.check("page count").detail == "6 panels"


def test_trifold_panels_that_do_not_add_up_to_two_a4_widths_fail(
    tmp_path: Path, cmyk_profile: Path
) -> None:
    pdf = render(tmp_path, cmyk_profile, pages=6, page_rule="size: 100mm 210mm; bleed: 3mm;")
    # A format whose panels do not fit its sheet: each panel is as the format says, but six
    # of them are wider than the two sides of an A4 sheet.
    too_wide = replace(A4_TRIFOLD, panels_mm=(100,) * 6)
    assert failures(preflight(pdf, too_wide)) == {
        "boxes": "panel widths add up to 600 mm, expected 594 +-1 mm"
    }


def test_a_booklet_is_not_a_trifold(tmp_path: Path, cmyk_profile: Path) -> None:
    report = preflight(render(tmp_path, cmyk_profile), A4_TRIFOLD)
    assert failures(report) == {
        "boxes": "page 1: TrimBox 148 x 210 mm, expected 100 x 210 mm (panel 1) (and 7 more)",
        "page count": "8 pages, expected exactly 6 (A4 trifold)",
    }


def test_poppler_agrees_on_boxes_and_fonts(tmp_path: Path, cmyk_profile: Path) -> None:
    good = render(tmp_path, cmyk_profile, name="good.pdf")
    a4 = render(tmp_path, cmyk_profile, page_rule="size: A4; bleed: 3mm;", name="a4.pdf")

    good_boxes = poppler_boxes(good)
    assert len(good_boxes) == 8
    for boxes in good_boxes.values():
        trim, bleed = boxes["TrimBox"], boxes["BleedBox"]
        assert size_mm(trim) == pytest.approx((148, 210), abs=0.05)
        margins = [trim[0] - bleed[0], trim[1] - bleed[1], bleed[2] - trim[2], bleed[3] - trim[3]]
        assert [margin / POINTS_PER_MM for margin in margins] == pytest.approx([3] * 4, abs=0.05)
    assert preflight(good, A5_BOOKLET).check("boxes").ok

    # The size our failure names is the size poppler reads.
    a4_trim = size_mm(poppler_boxes(a4)[1]["TrimBox"])
    width, height = (f"{round(length):g}" for length in a4_trim)
    assert (
        preflight(a4, A5_BOOKLET)
        .check("boxes")
        .detail.startswith(f"page 1: TrimBox {width} x {height} mm,")
    )

    # pdffonts' "emb" column says yes for every font, as our check does.
    assert poppler_fonts(good) and all(embedded for _, embedded in poppler_fonts(good))
    assert preflight(good, A5_BOOKLET).check("fonts embedded").ok


def poppler_boxes(pdf: Path) -> dict[int, dict[str, tuple[float, ...]]]:
    """`pdfinfo -box` for every page: {page: {"TrimBox": (x1, y1, x2, y2), ...}}."""
    output = subprocess.run(
        ["pdfinfo", "-box", "-f", "1", "-l", "9999", str(pdf)],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    boxes: dict[int, dict[str, tuple[float, ...]]] = {}
    for page, box, numbers in re.findall(r"^Page\s+(\d+) (\w+Box):\s+(.+)$", output, re.M):
        boxes.setdefault(int(page), {})[box] = tuple(float(number) for number in numbers.split())
    return boxes


def size_mm(box: tuple[float, ...]) -> tuple[float, float]:
    return ((box[2] - box[0]) / POINTS_PER_MM, (box[3] - box[1]) / POINTS_PER_MM)


def poppler_fonts(pdf: Path) -> list[tuple[str, bool]]:
    """`pdffonts`: (name, embedded) for every font, read from the fixed-width columns."""
    lines = subprocess.run(
        ["pdffonts", str(pdf)], check=True, capture_output=True, text=True
    ).stdout.splitlines()
    embedded_column = lines[0].index("emb")
    return [
        (line.split()[0], line[embedded_column : embedded_column + 3] == "yes")
        for line in lines[2:]
    ]


# --- Hand-written PDFs -----------------------------------------------------------------------


def write_pdf(path: Path, objects: list[bytes | tuple[bytes, bytes]]) -> Path:
    """Write a PDF whose object n is objects[n - 1]: a dictionary, or (dictionary, stream data).

    Object 1 must be the catalog. Offsets and /Length are computed, so the file is well-formed
    whatever its content.
    """
    output = bytearray(b"%PDF-1.6\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, item in enumerate(objects, start=1):
        offsets.append(len(output))
        output += f"{number} 0 obj\n".encode()
        if isinstance(item, tuple):
            dictionary, data = item
            output += dictionary[:-2] + f" /Length {len(data)} >>\nstream\n".encode()
            output += data + b"\nendstream"
        else:
            output += item
        output += b"\nendobj\n"
    xref = len(output)
    output += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    output += b"".join(f"{offset:010d} 00000 n \n".encode() for offset in offsets)
    output += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\n".encode()
    output += f"startxref\n{xref}\n%%EOF\n".encode()
    path.write_bytes(bytes(output))
    return path


A5_PAGE_BOXES = b"/MediaBox [0 0 419.528 595.276]"


def one_page_pdf(
    path: Path,
    content: bytes,
    resources: bytes = b"<< >>",
    boxes: bytes = A5_PAGE_BOXES,
    extra_objects: list[bytes | tuple[bytes, bytes]] | None = None,
) -> Path:
    """A one-page PDF; `extra_objects` are numbered from 5 on."""
    return write_pdf(
        path,
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R "
            + boxes
            + b" /Resources "
            + resources
            + b" /Contents 4 0 R >>",
            (b"<< >>", content),
            *(extra_objects or []),
        ],
    )


def test_forms_are_followed_for_fonts_images_and_colour(tmp_path: Path) -> None:
    """A Form XObject, drawn at scale 2 with its own /Matrix 0.5, holds an RGB text in an
    unembedded Type0 font and an image; the page's own text is in an unembedded Type1 font,
    in a colour set to RGB inside q ... Q and so restored to grey before it is shown."""
    page_content = b"q 0 0 1 rg Q BT /F1 12 Tf 10 10 Td (grey) Tj ET\nq 2 0 0 2 0 0 cm /Fm1 Do Q\n"
    form_content = b"1 0 0 rg BT /F2 9 Tf (red) Tj ET\n72 0 0 72 0 0 cm /Im1 Do\n"
    pdf = one_page_pdf(
        tmp_path / "forms.pdf",
        page_content,
        resources=b"<< /Font << /F1 5 0 R >> /XObject << /Fm1 6 0 R >> >>",
        extra_objects=[
            b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
            (
                b"<< /Type /XObject /Subtype /Form /BBox [0 0 500 500] /Matrix [0.5 0 0 0.5 0 0]"
                b" /Resources << /Font << /F2 7 0 R >> /XObject << /Im1 9 0 R >> >> >>",
                form_content,
            ),
            b"<< /Type /Font /Subtype /Type0 /BaseFont /FakeSans /Encoding /Identity-H"
            b" /DescendantFonts [8 0 R] >>",
            b"<< /Type /Font /Subtype /CIDFontType2 /BaseFont /FakeSans"
            b" /CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >>"
            b" /FontDescriptor << /Type /FontDescriptor /FontName /FakeSans >> >>",
            (
                b"<< /Type /XObject /Subtype /Image /Width 100 /Height 100"
                b" /ColorSpace /DeviceGray /BitsPerComponent 8 >>",
                bytes(100 * 100),
            ),
        ],
    )

    found = failures(preflight(pdf, A5_BOOKLET))

    assert found["fonts embedded"] == "not embedded: Helvetica (page 1), FakeSans (page 1)"
    # 72 pt x 0.5 x 2 = 1 inch for 100 px.
    assert found["image resolution"] == "page 1: 100 dpi (100 x 100 px at 25.4 x 25.4 mm)"
    # 9 pt in the form, drawn at 0.5 x 2: 9 pt on the page.
    assert found["text colour"] == (
        "page 1, form /Fm1: 9 pt text in DeviceRGB 1 0 0, not 100 % K: set text under 12 pt "
        "in device-cmyk(0 0 0 1)"
    )
    assert found["colour spaces"].startswith("page 1, form /Fm1: text in DeviceRGB 1 0 0")
    # Poppler finds the same two unembedded fonts.
    assert {name for name, embedded in poppler_fonts(pdf) if not embedded} == {
        "Helvetica",
        "FakeSans",
    }


ICC_COLOUR_SPACES = (
    b"<< /ColorSpace << /CS0 [/ICCBased 5 0 R] /CS1 [/ICCBased 6 0 R] /CS2 /DeviceRGB >> >>"
)
ICC_STREAMS: list[bytes | tuple[bytes, bytes]] = [(b"<< /N 4 >>", b""), (b"<< /N 3 >>", b"")]


@pytest.mark.parametrize(
    ("content", "ok", "detail"),
    [
        # Invisible text (rendering mode 3, e.g. an OCR layer) paints nothing.
        (b"3 Tr 1 0 0 rg BT /F1 9 Tf (ocr) Tj ET", True, "no text"),
        # cs resets the colour to the space's initial colour: black, 0 0 0 1 in CMYK.
        (b"/CS0 cs BT /F1 9 Tf (k) Tj ET", True,
         "1 text runs under 12 pt, all 100 % K; 0 larger"),
        # DeviceGray black prints on the black plate alone; grey does not count as K.
        (b"0 g BT /F1 9 Tf (k) Tj ET 0.5 g BT /F1 9 Tf (grey) Tj ET", False,
         "page 1: 9 pt text in DeviceGray 0.5, not 100 % K: set text under 12 pt in "
         "device-cmyk(0 0 0 1)"),
        # Rich black is CMYK but not pure K; at 14 pt it may be in colour.
        (b"0.6 0.4 0.4 1 k BT /F1 9 Tf (rich) ' ET", False,
         "page 1: 9 pt text in DeviceCMYK 0.6 0.4 0.4 1, not 100 % K: set text under 12 pt "
         "in device-cmyk(0 0 0 1)"),
        (b"0.6 0.4 0.4 1 k BT /F1 14 Tf (heading) Tj ET", True,
         "0 text runs under 12 pt, all 100 % K; 1 larger"),
        # The size is the font size through the text matrix and the CTM: 6 x 2 = 12 pt.
        (b"2 0 0 2 0 0 cm 0.9 0.3 0.45 0.15 k BT /F1 6 Tf (big) Tj ET", True,
         "0 text runs under 12 pt, all 100 % K; 1 larger"),
        (b"0.9 0.3 0.45 0.15 k BT /F1 12 Tf 0.5 0 0 0.5 0 0 Tm (small) Tj ET", False,
         "page 1: 6 pt text in DeviceCMYK 0.9 0.3 0.45 0.15, not 100 % K: set text under "
         "12 pt in device-cmyk(0 0 0 1)"),
        (b"/CS1 cs 0.2 0.3 0.4 scn BT /F1 9 Tf (a) Tj ET", False,
         "page 1: 9 pt text in /CS1 (ICCBased RGB) 0.2 0.3 0.4, not 100 % K: set text "
         "under 12 pt in device-cmyk(0 0 0 1)"),
        # Outline text (mode 1) is painted with the stroke colour.
        (b"1 0 0 rg 0 0 0 1 K 1 Tr BT /F1 9 Tf (a) Tj ET", True,
         "1 text runs under 12 pt, all 100 % K; 0 larger"),
        (b"0 0 1 RG 1 Tr BT /F1 9 Tf (a) Tj (b) Tj ET", False,
         "page 1: 9 pt text in DeviceRGB 0 0 1, not 100 % K: set text under 12 pt in "
         "device-cmyk(0 0 0 1) (and 1 more)"),
    ],
)  # fmt: skip
def test_text_colour_follows_the_colour_state(
    tmp_path: Path, content: bytes, ok: bool, detail: str
) -> None:
    pdf = one_page_pdf(
        tmp_path / "text.pdf", content, resources=ICC_COLOUR_SPACES, extra_objects=ICC_STREAMS
    )
    check = preflight(pdf, A5_BOOKLET).check("text colour")
    assert (check.ok, check.detail) == (ok, detail)


@pytest.mark.parametrize(
    ("boxes", "detail"),
    [
        (A5_PAGE_BOXES, "page 1: no TrimBox or BleedBox"),
        (
            b"/MediaBox [0 0 419.528 595.276] /TrimBox [0 0 419.528 595.276]",
            "page 1: no BleedBox",
        ),
        # The bleed is declared, but the page (MediaBox) stops at the trim: it would be lost.
        (
            b"/MediaBox [0 0 419.528 595.276] /TrimBox [0 0 419.528 595.276]"
            b" /BleedBox [-8.504 -8.504 428.032 603.780]",
            "page 1: MediaBox smaller than the BleedBox",
        ),
    ],
)
def test_boxes_must_be_declared_and_hold_the_bleed(
    tmp_path: Path, boxes: bytes, detail: str
) -> None:
    pdf = one_page_pdf(tmp_path / "boxes.pdf", b"", boxes=boxes)
    assert preflight(pdf, A5_BOOKLET).check("boxes").detail == detail


def test_a_larger_media_box_for_marks_is_accepted(tmp_path: Path) -> None:
    boxes = (
        b"/MediaBox [-30 -30 450 625] /TrimBox [0 0 419.528 595.276]"
        b" /BleedBox [-8.504 -8.504 428.032 603.780]"
    )
    check = preflight(one_page_pdf(tmp_path / "marks.pdf", b"", boxes=boxes), A5_BOOKLET)
    assert check.check("boxes").ok


def test_an_rgb_output_intent_is_not_a_print_intent(tmp_path: Path) -> None:
    rgb_header = bytes(16) + b"RGB " + bytes(108)
    pdf = write_pdf(
        tmp_path / "rgb-intent.pdf",
        [
            b"<< /Type /Catalog /Pages 2 0 R /OutputIntents [<< /Type /OutputIntent"
            b" /S /GTS_PDFX /OutputConditionIdentifier (sRGB) /DestOutputProfile 4 0 R >>] >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R " + A5_PAGE_BOXES + b" >>",
            (b"<< /N 3 >>", rgb_header),
        ],
    )
    check = preflight(pdf, A5_BOOKLET).check("output intent")
    assert (check.ok, check.detail) == (False, "sRGB: profile is RGB, expected CMYK")


def test_malformed_content_never_raises(tmp_path: Path) -> None:
    """Garbage operators, bad operands, unbalanced Q, an unknown XObject and a form that draws
    itself: each is skipped, as a viewer would, and the checks still answer."""
    content = b"Q Q 1 2 cm /Nope Do (x) rg BT /F1 Tf (a) Tj ET q /Fm1 Do 0 0 1 rg Q BT (b) Tj ET"
    pdf = one_page_pdf(
        tmp_path / "odd.pdf",
        content,
        resources=b"<< /XObject << /Fm1 5 0 R >> >>",
        extra_objects=[
            (
                b"<< /Type /XObject /Subtype /Form /BBox [0 0 1 1]"
                b" /Resources << /XObject << /Fm1 5 0 R >> >> >>",
                b"/Fm1 Do 1 0 0 rg BT (c) Tj ET",
            )
        ],
    )
    report = preflight(pdf, A5_BOOKLET)
    assert report.check("image resolution").detail == "no images"
    # Only the text inside the self-drawing form (drawn once) is RGB.
    assert report.check("colour spaces").findings == (
        "page 1, form /Fm1: text in DeviceRGB 1 0 0: set it in CMYK (device-cmyk(...) in the "
        "stylesheet)",
    )


def test_unreadable_files_fail_every_check(tmp_path: Path) -> None:
    garbage = tmp_path / "garbage.pdf"
    garbage.write_bytes(b"this is not a PDF")
    for path in (garbage, tmp_path / "missing.pdf"):
        report = preflight(path, A5_BOOKLET)
        assert not report.ok
        assert [check.name for check in report.checks] == list(CHECK_NAMES)
        assert all(check.detail.startswith("not a readable PDF: ") for check in report.checks)


def test_a_truncated_pdf_gives_checks_not_exceptions(tmp_path: Path, cmyk_profile: Path) -> None:
    whole = render(tmp_path, cmyk_profile).read_bytes()
    truncated = tmp_path / "truncated.pdf"
    truncated.write_bytes(whole[: len(whole) // 3])
    report = preflight(truncated, A5_BOOKLET)
    assert [check.name for check in report.checks] == list(CHECK_NAMES)
    assert not report.ok


def test_format_table(tmp_path: Path, cmyk_profile: Path) -> None:
    good = render(tmp_path, cmyk_profile, name="good.pdf")
    seven = render(tmp_path, cmyk_profile, pages=7, name="seven.pdf")
    garbage = tmp_path / "garbage.pdf"
    garbage.write_bytes(b"not a PDF")
    reports = [preflight(path, A5_BOOKLET) for path in (good, seven, garbage)]

    table = format_table(reports)
    lines = table.splitlines()

    header = [cell.strip() for cell in lines[0].split(" | ")]
    assert header == ["file", *CHECK_NAMES]
    rows = {
        line.split(" | ")[0].strip(): [cell.strip() for cell in line.split(" | ")]
        for line in lines[2:5]
    }
    assert rows["good.pdf"][1:] == ["ok"] * len(CHECK_NAMES)
    assert rows["seven.pdf"][1 + CHECK_NAMES.index("page count")].startswith("FAIL: 7 pages")
    assert all(cell.startswith("FAIL: not a readable PDF") for cell in rows["garbage.pdf"][1:])
    # Below the table, every failure in full; the unreadable file's reason once.
    expected = "  seven.pdf: page count: 7 pages, expected a multiple of 4, at most 16 (A5 booklet)"
    assert expected in lines
    assert sum("garbage.pdf" in line for line in lines[5:]) == 1
    assert format_table([reports[0]]).endswith("All checks passed.\n")
