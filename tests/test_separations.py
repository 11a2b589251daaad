"""The plates a print shop would make of our print files (issue 11), with Ghostscript's
`tiffsep`: one greyscale image per ink and page. For one booklet and one trifold in
Azerbaijani, Russian and Persian, print PDF and imposed sheets:

- every page separates into cyan, magenta, yellow and black only (no RGB to convert, no
  spot colour that would make a plate of its own);
- every word of body text is on the black plate only (read with `pdftotext -bbox`); only
  the house-coloured headings and the cover use the other inks;
- the QR code is on the black plate only: the imprint page has no other ink inside the
  trim, the QR code decodes from the black plate alone, it is vector (no image), at least
  15 mm wide, with a quiet zone of 4 modules;
- every page has text (no blank page), the body is at least 10 pt (11 pt in Persian).
"""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import pytest
import segno
from conftest import REPO
from pamphlet_press.leaflets.pdf_content import Document
from PIL import Image
from pypdf import PdfReader

DPI = 72
PLATES = ("Cyan", "Magenta", "Yellow", "Black")
LEAFLETS = [
    (slug, language)
    for slug in ("rights-and-duties", "trafficking-and-forced-labour")
    for language in ("az", "ru", "fa")
]
ZWNJ_AND_MARKS = dict.fromkeys(map(ord, "\u200c\u200d\u2066\u2069\u202a\u202b\u202c\u00ad"))


def separate(pdf: Path, folder: Path, dpi: int = DPI, page: int | None = None):
    """{page: {ink: plate}}; a plate's pixel is 255 where the ink is not laid down."""
    folder.mkdir(parents=True, exist_ok=True)
    pages = [f"-dFirstPage={page}", f"-dLastPage={page}"] if page else []
    subprocess.run(
        ["gs", "-q", "-dNOPAUSE", "-dBATCH", "-sDEVICE=tiffsep", f"-r{dpi}", *pages,
         f"-sOutputFile={folder}/p%d.tif", str(pdf)], check=True, capture_output=True,
    )  # fmt: skip
    plates: dict[int, dict[str, Image.Image]] = {}
    for path in folder.glob("p*(*).tif"):
        page, ink = re.fullmatch(r"p(\d+)\((.+)\)\.tif", path.name).groups()
        plates.setdefault(int(page), {})[ink] = Image.open(path).convert("L")
    return plates


def inked(plate: Image.Image, box: tuple[float, float, float, float], dpi: int = DPI) -> bool:
    """Whether any ink lies on the plate within the box (points, from the top left)."""
    scale = dpi / 72
    x1, y1, x2, y2 = (round(value * scale) for value in box)
    return plate.crop((x1, y1, max(x2, x1 + 1), max(y2, y1 + 1))).getextrema()[0] < 200


def words(pdf: Path) -> dict[int, list[tuple[str, tuple[float, float, float, float]]]]:
    html = subprocess.run(
        ["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    pages = {}
    for number, page in enumerate(re.findall(r"<page .*?</page>", html, re.S), start=1):
        pages[number] = [
            (word, tuple(float(value) for value in box))
            for *box, word in re.findall(
                r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">'
                r"([^<]*)</word>", page,
            )
        ]  # fmt: skip
    return pages


def coloured_words(slug: str, language: str) -> set[str]:
    """Words that may be printed in colour: the headings (## ...) and the extra page's."""
    source = (REPO / "pamphlets" / slug / f"{language}.md").read_text(encoding="utf-8")
    ui = (REPO / "pamphlets/ui" / f"{language}.yml").read_text(encoding="utf-8")
    lines = re.findall(r"^## (.+)$", source, re.M)
    lines += re.findall(r'^(?:hotlines|notes)_heading: "(.+)"$', ui, re.M)
    found = set()
    for line in lines:
        for word in re.findall(r"\w+", line.translate(ZWNJ_AND_MARKS)):
            found |= {word, word[::-1]}  # pdftotext gives Persian words in visual order
    return found


def word_key(word: str) -> list[str]:
    return re.findall(r"\w+", word.translate(ZWNJ_AND_MARKS))


@pytest.mark.parametrize(("slug", "language"), LEAFLETS)
def test_plates_are_cmyk_with_text_on_black(
    repo_site: Path, tmp_path: Path, slug: str, language: str
) -> None:
    headings = coloured_words(slug, language)
    print_pdf = repo_site / "pdf" / f"{slug}-{language}-print.pdf"
    cover_words = {key for word, _ in words(print_pdf)[1] for key in word_key(word)}
    for variant in ("print", "print-imposed"):
        pdf = repo_site / "pdf" / f"{slug}-{language}-{variant}.pdf"
        plates = separate(pdf, tmp_path / variant)
        assert len(plates) == len(PdfReader(pdf).pages)
        for page, inks in plates.items():
            assert sorted(inks) == sorted(PLATES), (variant, page, sorted(inks))
        checked = 0
        for page, page_words in words(pdf).items():
            if variant == "print" and page == 1:
                continue  # the cover: knocked out of the house colour
            for word, box in page_words:
                keys = word_key(word)
                if not keys or (variant != "print" and set(keys) & cover_words):
                    continue
                colour = [ink for ink in PLATES[:3] if inked(plates[page][ink], box)]
                if colour:
                    assert set(keys) <= headings, (variant, page, word, colour)
                else:
                    assert inked(plates[page]["Black"], box), (variant, page, word)
                    checked += 1
        assert checked > 100, checked


@pytest.mark.parametrize(("slug", "language"), LEAFLETS)
def test_qr_code_on_black_only_vector_15mm_with_its_quiet_zone(
    repo_site: Path, tmp_path: Path, slug: str, language: str
) -> None:
    pdf = repo_site / "pdf" / f"{slug}-{language}-print.pdf"
    reader = PdfReader(pdf)
    last = len(reader.pages)
    dpi = 300
    plates = separate(pdf, tmp_path, dpi, last)[1]
    trim = reader.pages[-1].trimbox
    media = reader.pages[-1].mediabox
    top = float(media.top) - float(trim.top)
    left = float(trim.left) - float(media.left)
    trim_box = (left, top, left + float(trim.width), top + float(trim.height))
    for ink in PLATES[:3]:
        assert not inked(plates[ink], trim_box, dpi), ink  # only black on the imprint page
    # It decodes from the black plate alone.
    black = tmp_path / "black.png"
    plates["Black"].save(black)
    decoded = subprocess.run(
        ["zbarimg", "-q", "--raw", str(black)], capture_output=True, text=True
    ).stdout.strip()
    url = f"https://migrant-rights.example.org/{'' if language == 'az' else language + '/'}"
    assert decoded == f"{url}pamphlets/{slug}/"
    # Vector: drawn as paths (its modules a stroked path in 100 % K), no image on the page.
    content = Document(reader).page_contents()[0][last - 1]
    assert not content.images
    qr = max(
        (paint for paint in content.paints if paint.kind == "stroke" and paint.box),
        key=lambda paint: (paint.box[2] - paint.box[0]) * (paint.box[3] - paint.box[1]),
    )
    assert qr.colour.is_pure_k
    modules = segno.make(decoded, error="m").symbol_size(border=0)[0]
    width_mm = (qr.box[2] - qr.box[0]) / 72 * 25.4
    assert width_mm >= 15
    # Four modules around the symbol are blank on the black plate.
    module = (qr.box[2] - qr.box[0]) / modules
    x1, x2 = qr.box[0] - float(media.left), qr.box[2] - float(media.left)
    y1 = float(media.top) - qr.box[3] - module / 2  # the path runs through module centres
    y2 = float(media.top) - qr.box[1] + module / 2
    quiet = 4 * module - 1
    ring = [
        (x1 - quiet, y1 - quiet, x2 + quiet, y1 - 1), (x1 - quiet, y2 + 1, x2 + quiet, y2 + quiet),
        (x1 - quiet, y1, x1 - 1, y2), (x2 + 1, y1, x2 + quiet, y2),
    ]  # fmt: skip
    for band in ring:
        assert not inked(plates["Black"], band, dpi), band


def test_bodies_are_readable_and_no_page_is_blank(repo_site: Path) -> None:
    """Over every print PDF the build made: body size within bounds, per script; and
    preflight's empty-page check (pages with nothing inside the margins) passes."""
    from pamphlet_press.leaflets.formats import BUILT_IN
    from pamphlet_press.leaflets.preflight import preflight

    manifest = json.loads((repo_site / "downloads.json").read_text(encoding="utf-8"))
    printed = [entry for entry in manifest["files"] if entry["variant"] == "print"]
    assert printed
    for entry in printed:
        smallest = 11 if entry["language"] == "fa" else 10
        assert smallest <= entry["body_pt"] <= smallest + 3, entry
        report = preflight(repo_site / entry["path"], BUILT_IN[entry["format"]])
        assert report.check("empty pages").ok, (entry["file"], report.check("empty pages"))
