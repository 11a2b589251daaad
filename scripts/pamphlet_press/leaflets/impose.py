"""Imposition: putting the single pages of a print PDF onto the sheets a print shop runs.

The print PDF (made by WeasyPrint with `@page { bleed: 3mm }`) has one page per page of the
pamphlet, in reading order. Every page's TrimBox is the trimmed page and its MediaBox (= BleedBox)
is that page grown by the bleed. Imposition places those pages side by side on A4 landscape
sheet sides, in the order that gives the right reading order once the sheets are printed on both
sides, folded (and for a booklet, nested and stapled).

Booklet (saddle stitch), A5 pages two to a side. Sheet k (k = 0, 1, ...) of an N-page booklet:

    front [N-2k | 2k+1]      back [2k+2 | N-2k-1]

    8 pages:  sheet 0  front [8 | 1]  back [2 | 7]
              sheet 1  front [6 | 3]  back [4 | 5]

A right-to-left booklet (Persian) is bound on the right, so each pair is mirrored: [1 | 8], [7 | 2].

Trifold (roll fold), six panels in reading order 1 front cover, 2 inner flap, 3-5 inside,
6 back cover, on one sheet printed on both sides:

    outside [2 inner flap | 6 back cover | 1 front cover]
    inside  [3 inside 1   | 4 inside 2   | 5 inside 3   ]

Right-to-left mirrors both sides: outside [1 | 6 | 2], inside [5 | 4 | 3]. Panels 2 and 5 fold
in and are 2-3 mm narrower; each panel's width is read from its TrimBox. Printed back to back
(turned on the long edge), the first panel of one side lies behind the last panel of the other,
so those must be equally wide.

Placing one page: its TrimBox lands on its slot on the sheet. Where two pages meet (the spine,
the folds) each page is cut at its trim edge, so its bleed does not run over its neighbour; on
the sheet's outer edges the page keeps its bleed, which becomes the sheet's bleed. The one
exception is a folded leaflet's cover: its colour runs 2 mm past its fold onto the back panel
(the format's `cover_past_fold_mm`), so that a fold a millimetre off shows no white edge:

    +---------------------------+   sheet MediaBox = BleedBox
    |  +-----------+---------+  |   sheet TrimBox = the row of trimmed pages
    |  |  page 8   | page 1  |  |   outer bleed: from the pages
    |  +-----------+---------+  |   spine: each page cut at its trim edge
    +---------------------------+

Each sheet side gets its own marks (marks.py) outside its bleed: cut marks at its outer
edges, dashed fold marks at the spine or the folds. The imposed file is PDF/X itself, as the
print PDF is (pdfx.py): the same version, output intent, title and language, an XMP packet
naming the standard, Trapped, and a file identifier of its own; preflight checks it as it
checks the print PDF, against the sheet the format describes.
"""

from __future__ import annotations

import hashlib
import os
import secrets
from collections.abc import Sequence
from pathlib import Path

from pypdf import PageObject, PdfReader, PdfWriter
from pypdf.generic import (
    ArrayObject,
    ByteStringObject,
    DecodedStreamObject,
    DictionaryObject,
    NameObject,
    NumberObject,
    RectangleObject,
    TextStringObject,
)

from .formats import Format
from .marks import REGISTRATION, REGISTRATION_TINT_TRANSFORM, Trim, margin_mm, marks_content
from .pdfx import STANDARDS, Standard, iso_date, uuid_like, xmp_packet

POINTS_PER_MM = 72 / 25.4
SHEET_BLEED = 3 * POINTS_PER_MM
# Two trim sizes closer than this (about 0.2 mm) count as the same: WeasyPrint writes millimetre
# sizes as rounded points, and a shop's guillotine is not more precise than that either.
SIZE_TOLERANCE = 0.5

TRIFOLD_PANELS = 6
# Trifold sides as (outside, inside), 1-based page numbers, left to right on the sheet.
TRIFOLD_SIDES_LEFT_TO_RIGHT = ((2, 6, 1), (3, 4, 5))
COVER_PAST_FOLD_MM = 2.0


def impose(
    fmt: Format,
    source: Path,
    target: Path,
    right_to_left: bool,
    standard: str = "x-4",
    draw_marks: bool = True,
) -> int:
    """Impose a print PDF as its format says (formats.py: `imposition`); returns the number
    of sheet sides written."""
    if fmt.imposition == "saddle-stitch":
        return impose_booklet(
            source, target, right_to_left, standard=standard, draw_marks=draw_marks
        )
    return impose_trifold(
        source, target, right_to_left, standard=standard, draw_marks=draw_marks,
        sides=fmt.sides or TRIFOLD_SIDES_LEFT_TO_RIGHT,
        cover_past_fold_mm=fmt.cover_past_fold_mm,
    )  # fmt: skip


def impose_booklet(
    source: Path,
    target: Path,
    right_to_left: bool = False,
    *,
    standard: str = "x-4",
    draw_marks: bool = True,
) -> int:
    """Impose an A5 print PDF as a saddle-stitched booklet on A4 landscape sheet sides.

    `source` must have a multiple of 4 pages, all of one trim size. Writes `target` atomically
    and returns the number of sheet sides written (pages / 2): front, back, front, back, ...
    """
    source = Path(source)
    # The reader stays open until the output is written: pypdf copies page objects lazily.
    with PdfReader(source) as reader:
        pages = list(reader.pages)
        page_count = len(pages)
        if page_count == 0 or page_count % 4:
            missing = -page_count % 4 or 4
            raise ValueError(
                f"{source.name}: a saddle-stitched booklet needs a multiple of 4 pages, "
                f"this one has {page_count} (add {missing} blank page(s) or shorten it)"
            )
        _check_same_trim_size(source, pages, compare_widths=True)

        writer = PdfWriter()
        registration = _registration(writer) if draw_marks else None
        for left_number, right_number in _booklet_sides(page_count, right_to_left):
            _add_sheet_side(
                writer, [pages[left_number - 1], pages[right_number - 1]], registration
            )
        _make_pdfx(reader, writer, STANDARDS[standard])
        _write_atomically(writer, target)
        return len(writer.pages)


def impose_trifold(
    source: Path,
    target: Path,
    right_to_left: bool = False,
    *,
    standard: str = "x-4",
    draw_marks: bool = True,
    sides: tuple[tuple[int, ...], ...] = TRIFOLD_SIDES_LEFT_TO_RIGHT,
    cover_past_fold_mm: float = COVER_PAST_FOLD_MM,
) -> int:
    """Impose a 6-panel print PDF as a roll-fold trifold on two A4 landscape sheet sides.

    `source` has one page per panel in reading order (1 front cover ... 6 back cover); panel
    widths may differ (the folding-in panels are narrower) but panels printed back to back must
    be equally wide. Writes `target` atomically and returns 2 (outside, then inside).
    """
    source = Path(source)
    sides = [tuple(reversed(side)) if right_to_left else side for side in sides]
    # The reader stays open until the output is written: pypdf copies page objects lazily.
    with PdfReader(source) as reader:
        pages = list(reader.pages)
        if len(pages) != TRIFOLD_PANELS:
            raise ValueError(
                f"{source.name}: a trifold has exactly {TRIFOLD_PANELS} panels (one page "
                f"each), this one has {len(pages)} pages"
            )
        _check_same_trim_size(source, pages, compare_widths=False)
        _check_back_to_back_widths(source, pages, sides)

        writer = PdfWriter()
        registration = _registration(writer) if draw_marks else None
        for side in sides:
            # The cover (page 1) runs past its fold onto its neighbour.
            overhang = {side.index(1): cover_past_fold_mm} if 1 in side else {}
            _add_sheet_side(
                writer, [pages[number - 1] for number in side], registration, overhang
            )
        _make_pdfx(reader, writer, STANDARDS[standard])
        _write_atomically(writer, target)
        return len(writer.pages)


def _booklet_sides(page_count: int, right_to_left: bool) -> list[tuple[int, int]]:
    """(left, right) 1-based page numbers of every sheet side, in printing order."""
    sides = []
    for sheet in range(page_count // 4):
        sides.append((page_count - 2 * sheet, 2 * sheet + 1))  # front
        sides.append((2 * sheet + 2, page_count - 2 * sheet - 1))  # back
    if right_to_left:
        # Bound on the right: the same pages share a side, in the other order.
        sides = [(right, left) for left, right in sides]
    return sides


def _check_same_trim_size(source: Path, pages: Sequence[PageObject], compare_widths: bool) -> None:
    """Refuse pages that cannot share a sheet: different heights (or widths, for a booklet).

    Also refuses rotated pages: the placement below works in unrotated page coordinates, and
    WeasyPrint never writes /Rotate.
    """
    first_trim = pages[0].trimbox
    for number, page in enumerate(pages, start=1):
        if page.rotation % 360:
            raise ValueError(f"{source.name}: page {number} is rotated ({page.rotation}°)")
        trim = page.trimbox
        if abs(trim.height - first_trim.height) > SIZE_TOLERANCE or (
            compare_widths and abs(trim.width - first_trim.width) > SIZE_TOLERANCE
        ):
            raise ValueError(
                f"{source.name}: page {number} is {_size_mm(trim)}, page 1 is "
                f"{_size_mm(first_trim)}; all pages must have the same trim "
                f"{'size' if compare_widths else 'height'}"
            )


def _check_back_to_back_widths(
    source: Path, pages: Sequence[PageObject], sides: Sequence[Sequence[int]]
) -> None:
    """Refuse a trifold whose panels would not line up with the panels printed behind them.

    Turned over on the long edge, the left panel of one side is behind the right panel of the
    other: its folds would otherwise not coincide.
    """
    outside, inside = sides
    for front_number, back_number in zip(outside, reversed(inside), strict=True):
        front_width = pages[front_number - 1].trimbox.width
        back_width = pages[back_number - 1].trimbox.width
        if abs(front_width - back_width) > SIZE_TOLERANCE:
            raise ValueError(
                f"{source.name}: panels {front_number} and {back_number} are printed back to "
                f"back and must be equally wide, but are {front_width / POINTS_PER_MM:.1f} mm "
                f"and {back_width / POINTS_PER_MM:.1f} mm"
            )


def _add_sheet_side(
    writer: PdfWriter,
    row: Sequence[PageObject],
    registration=None,
    overhang_mm: dict[int, float] | None = None,
) -> PageObject:
    """Add one sheet side to `writer` with the pages of `row` side by side, left to right.

    Each page becomes a Form XObject whose bounding box is the part of the page to show (the
    box clips it) and is drawn once, moved into its slot. Unlike merging pages, this copies
    the pages' content streams as they are, without parsing them: several times faster.
    `overhang_mm` lets a page (by its place in the row) run that far past its inner edges;
    it is drawn last, over its neighbour. With a `registration` colour space, the side
    gets cut marks at its outer edges and fold marks between its pages (marks.py).
    """
    overhang_mm = overhang_mm or {}
    trim_width = sum(float(page.trimbox.width) for page in row)
    trim_height = float(row[0].trimbox.height)
    sheet_width = trim_width + 2 * SHEET_BLEED
    sheet_height = trim_height + 2 * SHEET_BLEED
    sheet = writer.add_blank_page(width=sheet_width, height=sheet_height)

    forms = DictionaryObject()
    placed = []
    slot_left = SHEET_BLEED
    folds_x = []
    for index, page in enumerate(row):
        trim = page.trimbox
        visible = _visible_rectangle(
            page, index == 0, index == len(row) - 1, overhang_mm.get(index, 0.0)
        )
        name = NameObject(f"/Page{index}")
        forms[name] = _page_as_form(writer, page, visible)
        tx = slot_left - float(trim.left)
        ty = SHEET_BLEED - float(trim.bottom)
        placed.append((index in overhang_mm, f"q 1 0 0 1 {tx:.4f} {ty:.4f} cm {name} Do Q"))
        slot_left += float(trim.width)
        if index < len(row) - 1:
            folds_x.append(slot_left)
    # Pages that run over their neighbours are drawn after them.
    drawing = [operators for _over, operators in sorted(placed, key=lambda item: item[0])]
    resources = DictionaryObject({NameObject("/XObject"): forms})
    trim_box = Trim(SHEET_BLEED, SHEET_BLEED, sheet_width - SHEET_BLEED, sheet_height - SHEET_BLEED)
    media = RectangleObject((0, 0, sheet_width, sheet_height))
    if registration is not None:
        resources[NameObject("/ColorSpace")] = DictionaryObject(
            {NameObject(f"/{REGISTRATION}"): registration}
        )
        bleed_mm = SHEET_BLEED / POINTS_PER_MM
        marks = marks_content(trim_box, bleed_mm, [trim_box.left, trim_box.right], folds_x)
        drawing.append(marks.decode("ascii"))
        media = RectangleObject(trim_box.grown(margin_mm(bleed_mm)))
    sheet[NameObject("/Resources")] = resources
    content = DecodedStreamObject()
    content.set_data("\n".join(drawing).encode("ascii"))
    sheet[NameObject("/Contents")] = writer._add_object(content.flate_encode())

    sheet.mediabox = media
    sheet.bleedbox = RectangleObject((0, 0, sheet_width, sheet_height))
    sheet.trimbox = RectangleObject(
        (trim_box.left, trim_box.bottom, trim_box.right, trim_box.top)
    )
    return sheet


def _registration(writer: PdfWriter):
    """The registration colour space (marks.py), one object for every sheet side."""
    function = DictionaryObject()
    for key, value in REGISTRATION_TINT_TRANSFORM.items():
        function[NameObject(f"/{key}")] = (
            ArrayObject(NumberObject(item) for item in value)
            if isinstance(value, list)
            else NumberObject(value)
        )
    colour_space = ArrayObject(
        [
            NameObject("/Separation"),
            NameObject("/All"),
            NameObject("/DeviceCMYK"),
            writer._add_object(function),
        ]
    )
    return writer._add_object(colour_space)


def _page_as_form(writer: PdfWriter, page: PageObject, visible: RectangleObject):
    """A Form XObject (in `writer`) drawing `page`, clipped to `visible` (page coordinates)."""
    contents = page.get_contents()
    form = DecodedStreamObject()
    form.set_data(contents.get_data() if contents is not None else b"")
    form.update(
        {
            NameObject("/Type"): NameObject("/XObject"),
            NameObject("/Subtype"): NameObject("/Form"),
            NameObject("/BBox"): RectangleObject(visible),
            # Cloning into the same writer maps each source object once: the fonts and the
            # colour profile the pages share are written once.
            NameObject("/Resources"): page["/Resources"].get_object().clone(writer),
        }
    )
    return writer._add_object(form.flate_encode())


def _visible_rectangle(
    page: PageObject, keeps_left_bleed: bool, keeps_right_bleed: bool, overhang_mm: float = 0.0
) -> RectangleObject:
    """The part of `page` (its own coordinates) to show on the sheet.

    Its trim, grown into its bleed on the sides that are the sheet's outer edges (always top and
    bottom), but never beyond the sheet's own bleed nor beyond the page's BleedBox; on its
    inner sides, grown by `overhang_mm` (within its bleed).
    """
    trim = page.trimbox
    bleed = page.bleedbox
    outer_left = max(float(bleed.left), float(trim.left) - SHEET_BLEED)
    outer_right = min(float(bleed.right), float(trim.right) + SHEET_BLEED)
    over = overhang_mm * POINTS_PER_MM
    inner_left = max(float(bleed.left), float(trim.left) - over)
    inner_right = min(float(bleed.right), float(trim.right) + over)
    return RectangleObject(
        (
            outer_left if keeps_left_bleed else inner_left,
            max(float(bleed.bottom), float(trim.bottom) - SHEET_BLEED),
            outer_right if keeps_right_bleed else inner_right,
            min(float(bleed.top), float(trim.top) + SHEET_BLEED),
        )
    )


def _make_pdfx(reader: PdfReader, writer: PdfWriter, standard: Standard) -> None:
    """Make the imposed file PDF/X as its source is (pdfx.py): the source's title, language
    and output intent; the standard's PDF version, an XMP packet naming it, Info with
    Trapped, and a file identifier of its own (derived from the source's, so that the same
    print PDF gives the same imposed bytes)."""
    info = reader.metadata or {}
    title = str(info.get("/Title", "") or "")
    created = str(info.get("/CreationDate", "") or "")
    modified = str(info.get("/ModDate", "") or created)
    source_id = reader.trailer.get("/ID")
    seed = bytes(source_id[0].original_bytes if source_id else b"") + title.encode()
    digest = hashlib.sha256(seed + b"imposed" + standard.name.encode()).hexdigest()
    producer = f"pamphlet_press imposition (pypdf); {info.get('/Producer', '')}".strip("; ")
    info_entries = {"/Title": title, "/Producer": producer}
    if created:
        info_entries["/CreationDate"] = created
    if modified:
        info_entries["/ModDate"] = modified
    info_entries["/GTS_PDFXVersion"] = standard.version_name
    if standard.conformance:
        info_entries["/GTS_PDFXConformance"] = standard.conformance
    writer.add_metadata(info_entries)
    writer._info[NameObject("/Trapped")] = NameObject("/False")  # type: ignore[index]
    now = "1970-01-01T00:00:00Z"
    xmp = xmp_packet(
        title, iso_date(created) or now, iso_date(modified) or iso_date(created) or now,
        producer, standard, uuid_like(digest),
    )  # fmt: skip
    metadata = DecodedStreamObject()
    metadata.set_data(xmp)
    metadata.update(
        {NameObject("/Type"): NameObject("/Metadata"), NameObject("/Subtype"): NameObject("/XML")}
    )
    writer.root_object[NameObject("/Metadata")] = writer._add_object(metadata)
    source_catalog = reader.root_object
    if "/Lang" in source_catalog:
        writer.root_object[NameObject("/Lang")] = TextStringObject(str(source_catalog["/Lang"]))
    if "/OutputIntents" in source_catalog:
        # clone() copies the embedded ICC profile (/DestOutputProfile) along with the array.
        writer.root_object[NameObject("/OutputIntents")] = (
            source_catalog["/OutputIntents"].get_object().clone(writer)
        )
    writer.pdf_header = f"%PDF-{standard.pdf_version}"
    identifier = ByteStringObject(bytes.fromhex(digest[:32]))
    writer._ID = ArrayObject([identifier, identifier])


def _write_atomically(writer: PdfWriter, target: Path) -> None:
    """Write the PDF to a new file beside `target`, then swap it in.

    A reader of `target` (or a failed run) never sees a half-written file. The temporary name is
    unique so that two runs writing the same target do not write into one file.
    """
    target = Path(target)
    # Each page's resources are copied on their own, so the fonts and the colour profile the
    # pages share would be written once per page: keep one of each.
    writer.compress_identical_objects()
    temporary = target.with_name(f".{target.name}.{os.getpid()}.{secrets.token_hex(4)}.tmp")
    try:
        with open(temporary, "xb") as stream:
            writer.write(stream)
        os.replace(temporary, target)
    finally:
        temporary.unlink(missing_ok=True)


def _size_mm(rectangle: RectangleObject) -> str:
    width = float(rectangle.width) / POINTS_PER_MM
    height = float(rectangle.height) / POINTS_PER_MM
    return f"{width:.1f} x {height:.1f} mm"
