"""Imposition of print PDFs: booklet and trifold sheet sides, checked on real WeasyPrint output.

The source PDFs are made here with WeasyPrint, one page per panel, each with its own full-bleed
background colour and a "PAGE n" label. The imposed sheets are then read back by poppler, not by
pypdf (which wrote them): `pdftotext -bbox` for which page lies where, `pdftoppm` for which
page's colour covers the spine, the folds and the bleed.
"""

from __future__ import annotations

import re
import subprocess
from io import BytesIO
from pathlib import Path

import pytest
from pamphlet_press.leaflets.impose import impose, impose_booklet, impose_trifold
from PIL import Image
from pypdf import PdfReader, PdfWriter
from pypdf.generic import RectangleObject
from weasyprint import HTML

POINTS_PER_MM = 72 / 25.4
BOX_TOLERANCE = 0.1  # points
# The sheet's MediaBox holds the marks: 3 mm bleed, 3 mm gap, 5 mm marks, 1 mm paper; so
# the sheet's bleed box starts 9 mm into the rendered image.
MARKS_MM = 9

# One background colour per source page (page n has COLOURS[n - 1]), all far apart.
COLOURS = [
    (230, 57, 70),
    (244, 162, 97),
    (233, 196, 106),
    (42, 157, 143),
    (38, 70, 83),
    (142, 202, 230),
    (181, 131, 141),
    (109, 89, 122),
]


def make_print_pdf(path: Path, page_widths_mm: list[float], variant: str | None = None) -> Path:
    """A WeasyPrint print PDF: one page per width, 210 mm high, 3 mm bleed, coloured to the edge."""
    page_rules = "".join(
        f"@page :nth({number}) {{ size: {width}mm 210mm; background: rgb{COLOURS[number - 1]} }}\n"
        for number, width in enumerate(page_widths_mm, start=1)
    )
    sections = "".join(
        f"<section>PAGE {number}</section>" for number in range(1, len(page_widths_mm) + 1)
    )
    html = f"""<html lang="ru"><head><title>Imposition test</title><style>
        @page {{ bleed: 3mm; margin: 10mm }}
        {page_rules}
        body {{ margin: 0; font-size: 28pt }}
        section {{ break-after: page }}
    </style></head><body>{sections}</body></html>"""
    options = {"pdf_variant": variant} if variant else {}
    HTML(string=html).write_pdf(path, **options)
    return path


@pytest.fixture(scope="module")
def booklet_source(tmp_path_factory: pytest.TempPathFactory) -> Path:
    # pdf/a-3b only to get an output intent (an sRGB one) into the source to be carried over.
    folder = tmp_path_factory.mktemp("booklet")
    return make_print_pdf(folder / "booklet.pdf", [148] * 8, variant="pdf/a-3b")


@pytest.fixture(scope="module")
def trifold_source(tmp_path_factory: pytest.TempPathFactory) -> Path:
    # Panels 2 (inner flap) and 5 (inside 3) fold in and are narrower.
    folder = tmp_path_factory.mktemp("trifold")
    return make_print_pdf(folder / "trifold.pdf", [100, 97, 100, 100, 97, 100])


def page_labels_left_to_right(pdf: Path) -> list[list[int]]:
    """For every page of `pdf`, the numbers of the "PAGE n" labels on it, ordered by x."""
    bbox_html = subprocess.run(
        ["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    pages = []
    for page in re.findall(r"<page .*?</page>", bbox_html, flags=re.S):
        words = re.findall(r'<word xMin="([\d.]+)"[^>]*>([^<]*)</word>', page)
        labels = [
            (float(x), int(next_word))
            for (x, word), (_, next_word) in zip(words, words[1:], strict=False)
            if word == "PAGE"
        ]
        pages.append([number for _, number in sorted(labels)])
    return pages


def render(pdf: Path, page_number: int, dpi: int = 72) -> Image.Image:
    """Page `page_number` (1-based) rendered at 72 dpi (1 pixel = 1 point), without smoothing."""
    ppm = subprocess.run(
        ["pdftoppm", "-r", str(dpi), "-aa", "no", "-aaVector", "no", "-singlefile"]
        + ["-f", str(page_number), "-l", str(page_number), str(pdf)],
        capture_output=True,
        check=True,
    ).stdout
    return Image.open(BytesIO(ppm)).convert("RGB")


def page_colour_at(image: Image.Image, x_mm: float, y_mm: float = 105 + 3) -> int:
    """Which source page's colour is at (x_mm, y_mm) from the top-left corner of the sheet's
    bleed box."""
    x, y = x_mm + MARKS_MM, y_mm + MARKS_MM
    pixel = image.getpixel((round(x * POINTS_PER_MM), round(y * POINTS_PER_MM)))
    for number, colour in enumerate(COLOURS, start=1):
        if all(abs(got - want) <= 3 for got, want in zip(pixel, colour, strict=True)):
            return number
    raise AssertionError(f"colour {pixel} at {x_mm} mm, {y_mm} mm is no page's background")


def assert_box_mm(box: RectangleObject, left: float, bottom: float, width: float, height: float):
    actual = (box.left, box.bottom, box.width, box.height)
    expected = tuple(value * POINTS_PER_MM for value in (left, bottom, width, height))
    assert actual == pytest.approx(expected, abs=BOX_TOLERANCE), (actual, expected)


def test_booklet_has_one_side_per_two_pages_with_trim_and_bleed(booklet_source, tmp_path):
    target = tmp_path / "booklet-imposed.pdf"

    assert impose_booklet(booklet_source, target) == 4

    sides = PdfReader(target).pages
    assert len(sides) == 4
    for side in sides:
        # Two A5 pages side by side: 2 x 148 = 296 mm (an A4 sheet is 297 mm, A5 rounds down).
        assert_box_mm(side.trimbox, 3, 3, 296, 210)
        # The MediaBox holds the marks, 3 mm outside the bleed box (5 mm long, 1 mm paper).
        assert_box_mm(side.mediabox, -MARKS_MM, -MARKS_MM, 302 + 18, 216 + 18)
        assert_box_mm(side.bleedbox, 0, 0, 302, 216)


def test_booklet_saddle_stitch_order(booklet_source, tmp_path):
    target = tmp_path / "booklet-imposed.pdf"
    impose_booklet(booklet_source, target)

    assert page_labels_left_to_right(target) == [[8, 1], [2, 7], [6, 3], [4, 5]]


def test_booklet_right_to_left_mirrors_each_side(booklet_source, tmp_path):
    target = tmp_path / "booklet-rtl.pdf"
    impose_booklet(booklet_source, target, right_to_left=True)

    assert page_labels_left_to_right(target) == [[1, 8], [7, 2], [3, 6], [5, 4]]


def test_booklet_bleed_kept_outside_and_cut_at_the_spine(booklet_source, tmp_path):
    target = tmp_path / "booklet-imposed.pdf"
    impose_booklet(booklet_source, target)
    front = render(target, 1)  # [8 | 1]
    spine_mm = 3 + 148

    assert page_colour_at(front, 1) == 8  # in the left bleed
    assert page_colour_at(front, 1, y_mm=1) == 8  # in the top bleed
    assert page_colour_at(front, 302 - 1, y_mm=216 - 1) == 1  # in the bottom right bleed
    # Unclipped, page 1's 3 mm bleed would cover the last 3 mm of page 8.
    assert page_colour_at(front, spine_mm - 1.5) == 8
    assert page_colour_at(front, spine_mm + 1.5) == 1


def test_booklet_keeps_title_language_and_output_intent(booklet_source, tmp_path):
    target = tmp_path / "booklet-imposed.pdf"
    impose_booklet(booklet_source, target)

    source, imposed = PdfReader(booklet_source), PdfReader(target)
    assert imposed.metadata.title == "Imposition test"
    assert imposed.root_object["/Lang"] == "ru"
    source_intent = source.root_object["/OutputIntents"][0].get_object()
    imposed_intent = imposed.root_object["/OutputIntents"][0].get_object()
    assert imposed_intent["/S"] == source_intent["/S"]
    assert (
        imposed_intent["/DestOutputProfile"].get_data()
        == source_intent["/DestOutputProfile"].get_data()
    )


def test_booklet_refuses_a_page_count_not_a_multiple_of_4(trifold_source, tmp_path):
    target = tmp_path / "booklet-imposed.pdf"
    target.write_bytes(b"previous output")

    with pytest.raises(ValueError, match=r"multiple of 4 pages, this one has 6 \(add 2 blank"):
        impose_booklet(trifold_source, target)

    # The failed run left the previous output alone, and no temporary file behind.
    assert target.read_bytes() == b"previous output"
    assert [path.name for path in tmp_path.iterdir()] == [target.name]


def test_trifold_has_two_sides_as_wide_as_their_panels(trifold_source, tmp_path):
    target = tmp_path / "trifold-imposed.pdf"

    assert impose_trifold(trifold_source, target) == 2

    sides = PdfReader(target).pages
    assert len(sides) == 2
    for side in sides:
        assert_box_mm(side.trimbox, 3, 3, 297, 210)  # 97 + 100 + 100
        assert_box_mm(side.mediabox, -MARKS_MM, -MARKS_MM, 303 + 18, 216 + 18)
        assert_box_mm(side.bleedbox, 0, 0, 303, 216)
    assert [path.name for path in tmp_path.iterdir()] == [target.name]


def test_trifold_roll_fold_order(trifold_source, tmp_path):
    target = tmp_path / "trifold-imposed.pdf"
    impose_trifold(trifold_source, target)

    assert page_labels_left_to_right(target) == [[2, 6, 1], [3, 4, 5]]


def test_trifold_right_to_left_mirrors_both_sides(trifold_source, tmp_path):
    target = tmp_path / "trifold-rtl.pdf"
    impose_trifold(trifold_source, target, right_to_left=True)

    assert page_labels_left_to_right(target) == [[1, 6, 2], [5, 4, 3]]


def test_trifold_panels_meet_at_the_folds_at_their_own_widths(trifold_source, tmp_path):
    target = tmp_path / "trifold-imposed.pdf"
    impose_trifold(trifold_source, target)
    outside, inside = render(target, 1), render(target, 2)

    # Outside [2 (97 mm) | 6 (100 mm) | 1 (100 mm)]: folds at 3 + 97 and 3 + 197 mm; the
    # cover (1) runs 2 mm past its fold, over the back (6).
    outside_x_mm = (1, 98.5, 101.5, 197.5, 198.5, 201.5, 302)
    assert [page_colour_at(outside, x) for x in outside_x_mm] == [2, 2, 6, 6, 1, 1, 1]
    # Inside [3 (100 mm) | 4 (100 mm) | 5 (97 mm)]: folds at 3 + 100 and 3 + 200 mm.
    inside_x_mm = (1, 101.5, 104.5, 201.5, 204.5, 302)
    assert [page_colour_at(inside, x) for x in inside_x_mm] == [3, 3, 4, 4, 5, 5]


def test_trifold_refuses_other_than_6_pages(booklet_source, tmp_path):
    with pytest.raises(ValueError, match="exactly 6 panels .*this one has 8 pages"):
        impose_trifold(booklet_source, tmp_path / "trifold-imposed.pdf")


def test_trifold_refuses_panels_of_different_widths_back_to_back(trifold_source, tmp_path):
    # Make the inner flap (2) as wide as the other panels: inside 3 (5), behind it, is not.
    writer = PdfWriter(clone_from=trifold_source)
    flap = writer.pages[1]
    flap.trimbox = RectangleObject((0, 0, 100 * POINTS_PER_MM, 210 * POINTS_PER_MM))
    source = tmp_path / "uneven.pdf"
    writer.write(source)

    with pytest.raises(ValueError, match="panels 2 and 5 .* 100.0 mm and 97.0 mm"):
        impose_trifold(source, tmp_path / "trifold-imposed.pdf")


# ------------------------------------------------------------------ issue 11: marks and PDF/X


def dark_runs(line: list[int]) -> list[int]:
    """The lengths of the runs of dark pixels along a line of grey values."""
    runs, length = [], 0
    for value in line:
        if value < 128:
            length += 1
        elif length:
            runs.append(length)
            length = 0
    return runs + ([length] if length else [])


def test_sheet_marks_cut_solid_folds_dashed_all_outside_the_bleed(trifold_source, tmp_path):
    """At 600 dpi, above the sheet: a solid 5 mm cut mark over each outer edge, a dashed
    mark (three 1 mm dashes) over each fold, ending 3 mm outside the bleed."""
    target = tmp_path / "trifold-imposed.pdf"
    impose_trifold(trifold_source, target)
    dpi = 600
    image = render(target, 1, dpi=dpi).convert("L")
    px = dpi / 25.4

    def column(x_mm: float) -> list[int]:
        # From the top of the MediaBox down to the sheet's bleed edge, at x_mm of the trim.
        x = round((MARKS_MM + 3 + x_mm) * px)
        return [
            min(image.getpixel((x + dx, y)) for dx in (-1, 0, 1))
            for y in range(round(MARKS_MM * px))
        ]

    mark_px = 5 * px
    for edge_mm in (0, 297):  # cut: one solid run, 5 mm long
        (run,) = dark_runs(column(edge_mm))
        assert abs(run - mark_px) < 3
    for fold_mm in (97, 197):  # fold: three 1 mm dashes
        runs = dark_runs(column(fold_mm))
        assert len(runs) == 3 and all(abs(run - px) < 3 for run in runs)
    # The marks end 3 mm before the bleed box: the last 3 mm above it are white.
    for x_mm in (0, 97, 197, 297):
        assert min(column(x_mm)[-round(3 * px):]) > 200


def test_trifold_cover_runs_past_its_fold_mirrored_too(trifold_source, tmp_path):
    target = tmp_path / "trifold-rtl.pdf"
    impose_trifold(trifold_source, target, right_to_left=True)
    outside = render(target, 1)
    # Outside, right to left [1 (100 mm) | 6 (100 mm) | 2 (97 mm)]: the cover's fold at
    # 3 + 100 mm; its colour runs 2 mm over the back panel, drawn over it.
    assert [page_colour_at(outside, x) for x in (101.5, 104.5, 105.5)] == [1, 1, 6]


def test_imposed_sheets_are_pdfx4_and_pass_preflight(tmp_path, cmyk_profile):
    """The imposed sheets of a real print PDF are PDF/X-4 themselves and pass the same
    preflight as the print PDF, against the sheet the format describes."""
    from pamphlet_press.leaflets.formats import A4_TRIFOLD, A5_BOOKLET
    from pamphlet_press.leaflets.preflight import preflight
    from test_preflight import TRIFOLD_PAGES_CSS
    from test_preflight import render as render_leaflet

    booklet = render_leaflet(tmp_path, cmyk_profile, name="booklet.pdf")
    trifold = render_leaflet(
        tmp_path, cmyk_profile, pages=6, page_rule="size: 100mm 210mm; bleed: 3mm;",
        extra_css=TRIFOLD_PAGES_CSS, name="trifold.pdf",
    )  # fmt: skip
    for fmt, source, sides in ((A5_BOOKLET, booklet, 4), (A4_TRIFOLD, trifold, 2)):
        target = tmp_path / f"{source.stem}-imposed.pdf"
        impose(fmt, source, target, right_to_left=False)
        reader = PdfReader(target)
        assert reader.pdf_header == "%PDF-1.6"
        assert reader.metadata["/Trapped"] == "/False"
        xmp = reader.root_object["/Metadata"].get_object().get_data().decode()
        assert "<pdfxid:GTS_PDFXVersion>PDF/X-4</pdfxid:GTS_PDFXVersion>" in xmp
        assert "<pdf:Trapped>False</pdf:Trapped>" in xmp
        assert reader.trailer["/ID"][0] != PdfReader(source).trailer["/ID"][0]
        report = preflight(target, fmt.sheet_format(), imposed=True)
        assert report.ok, [check for check in report.checks if not check.ok]
        assert report.check("page count").detail.startswith(f"{sides} pages")
        # The same print PDF gives the same imposed bytes.
        again = tmp_path / "again.pdf"
        impose(fmt, source, again, right_to_left=False)
        assert again.read_bytes() == target.read_bytes()


def test_pdfx1a_sheets_when_the_project_asks(booklet_source, tmp_path):
    target = tmp_path / "x1a.pdf"
    impose_booklet(booklet_source, target, standard="x-1a")
    reader = PdfReader(target)
    assert reader.pdf_header == "%PDF-1.4"
    assert reader.metadata["/GTS_PDFXVersion"] == "PDF/X-1:2003"
    assert reader.metadata["/GTS_PDFXConformance"] == "PDF/X-1a:2003"


def test_no_marks_when_the_project_wants_none(booklet_source, tmp_path):
    target = tmp_path / "plain.pdf"
    impose_booklet(booklet_source, target, draw_marks=False)
    for side in PdfReader(target).pages:
        assert_box_mm(side.mediabox, 0, 0, 302, 216)


def test_crop_marks_false_leaves_every_mark_out(mini):
    """A shop that adds its own marks: `crop_marks: false` in mkdocs.yml, and neither the
    print PDF nor its sheets carry any (the MediaBox is the BleedBox)."""
    from conftest import run_pamphlets

    config = mini / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    option = "  - pamphlets:\n      pdf:\n        crop_marks: false\n"
    config.write_text(text.replace("  - pamphlets:\n", option, 1))
    result = run_pamphlets(mini, "pdf", "-p", "alpha", "-l", "en", "--variant", "print")
    assert result.returncode == 0, result.stderr
    for name in ("alpha-en-print.pdf", "alpha-en-print-imposed.pdf"):
        for page in PdfReader(mini / ".cache/pdf" / name).pages:
            assert page.mediabox == page.bleedbox
