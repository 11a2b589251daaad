"""The cover of a print leaflet (issue 11): the draft mark legible (contrast at least 4.5:1,
measured on the cover as Ghostscript prints it to RGB), text on the house colour at least
12 pt, and the colour running 2 mm past the trifold's fold on the imposed sheet."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

from PIL import Image

DPI = 150


def luminance(rgb: tuple[int, int, int]) -> float:
    """Relative luminance (WCAG 2)."""
    channels = []
    for value in rgb:
        value = value / 255
        channels.append(value / 12.92 if value <= 0.03928 else ((value + 0.055) / 1.055) ** 2.4)
    red, green, blue = channels
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def contrast(first: tuple[int, int, int], second: tuple[int, int, int]) -> float:
    lighter, darker = sorted((luminance(first), luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def rendered_page(pdf: Path, page: int, folder: Path) -> Image.Image:
    target = folder / f"page{page}.png"
    subprocess.run(
        ["gs", "-q", "-dNOPAUSE", "-dBATCH", "-sDEVICE=png16m", f"-r{DPI}",
         f"-dFirstPage={page}", f"-dLastPage={page}", f"-sOutputFile={target}", str(pdf)],
        check=True,
    )  # fmt: skip
    return Image.open(target).convert("RGB")


def word_boxes(pdf: Path, page: int) -> list[tuple[str, tuple[float, ...]]]:
    html = subprocess.run(
        ["pdftotext", "-bbox", "-f", str(page), "-l", str(page), str(pdf), "-"],
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    return [
        (word, tuple(float(value) for value in box))
        for *box, word in re.findall(
            r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)',
            html,
        )
    ]


def test_the_draft_mark_on_the_cover_is_legible(mini_pdf_cache: Path, tmp_path: Path) -> None:
    # Russian alpha (a booklet) and English beta (a trifold) are drafts.
    for name, first_word in (("alpha-ru", "ЧЕРНОВИК"), ("beta-en", "DRAFT")):
        pdf = mini_pdf_cache / f"pdf/{name}-print.pdf"
        cover = rendered_page(pdf, 1, tmp_path)
        boxes = [box for word, box in word_boxes(pdf, 1) if word.startswith(first_word)]
        assert boxes, "the cover says it is a draft"
        scale = DPI / 72
        x1, y1, x2, y2 = (round(value * scale) for value in boxes[0])
        data = cover.crop((x1, y1, x2, y2)).tobytes()
        pixels = [tuple(data[index : index + 3]) for index in range(0, len(data), 3)]
        darkest = min(pixels, key=luminance)
        lightest = max(pixels, key=luminance)
        assert contrast(darkest, lightest) >= 4.5, (darkest, lightest)


def test_every_text_on_the_cover_is_large_or_black(mini_pdf_cache: Path) -> None:
    from pamphlet_press.leaflets.pdf_content import Document
    from pypdf import PdfReader

    for language in ("en", "ru", "fa"):
        reader = PdfReader(mini_pdf_cache / f"pdf/alpha-{language}-print.pdf")
        cover = Document(reader).page_contents()[0][0]
        for text in cover.texts:
            for colour in text.colours:
                assert colour.is_pure_k or text.size >= 12, (language, text)
