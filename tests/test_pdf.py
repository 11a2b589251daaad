"""The leaflets, checked by what they contain: boxes, pages, fonts, output intent, text,
imprint and QR code, imposition, reproducibility, and the errors a designer can meet."""

from __future__ import annotations

import hashlib
import json
import re
import subprocess
from pathlib import Path

import pytest
import yaml
from conftest import REPO, run_pamphlets
from pypdf import PdfReader

MM = 72 / 25.4
LANGUAGES = ["az", "ru", "en", "uk", "fa"]
PAMPHLETS = sorted(p.parent.name for p in (REPO / "pamphlets").glob("*/pamphlet.yml"))
BIDI_AND_JOINERS = dict.fromkeys(map(ord, "\u200c\u200d\u2066\u2067\u2068\u2069\u200e\u200f"))


def settings_of(slug: str) -> dict:
    return yaml.safe_load((REPO / "pamphlets" / slug / "pamphlet.yml").read_text())


def front_and_body(slug: str, language: str) -> tuple[dict, str]:
    text = (REPO / "pamphlets" / slug / f"{language}.md").read_text(encoding="utf-8")
    _, front, body = text.split("---", 2)
    return yaml.safe_load(front), body


def ui(language: str) -> dict:
    return yaml.safe_load((REPO / "pamphlets" / "ui" / f"{language}.yml").read_text())


def pdf_path(site: Path, slug: str, language: str, variant: str) -> Path:
    return site / "pdf" / f"{slug}-{language}-{variant}.pdf"


def size_mm(box) -> tuple[float, float]:
    return (round(float(box.width) / MM, 1), round(float(box.height) / MM, 1))


def normalised(text: str) -> str:
    return text.translate(BIDI_AND_JOINERS)


def test_manifest_lists_every_pdf_with_true_figures(repo_site: Path) -> None:
    manifest = json.loads((repo_site / "downloads.json").read_text(encoding="utf-8"))
    entries = manifest["files"]
    assert sorted((e["pamphlet"], e["language"], e["variant"]) for e in entries) == sorted(
        (slug, language, variant)
        for slug in PAMPHLETS
        for language in LANGUAGES
        for variant in ("screen", "print", "print-imposed")
    )
    for entry in entries:
        path = repo_site / entry["path"]
        data = path.read_bytes()
        assert entry["bytes"] == len(data)
        assert entry["sha256"] == hashlib.sha256(data).hexdigest()
        assert entry["pages"] == len(PdfReader(path).pages)
        assert entry["status"] == "draft"
        assert path.name == f"{entry['pamphlet']}-{entry['language']}-{entry['variant']}.pdf"


@pytest.mark.parametrize("slug", PAMPHLETS)
def test_print_pdf_boxes_and_page_count_fit_the_format(repo_site: Path, slug: str) -> None:
    fmt = settings_of(slug)["format"]
    for language in LANGUAGES:
        reader = PdfReader(pdf_path(repo_site, slug, language, "print"))
        widths = []
        for page in reader.pages:
            trim_w, trim_h = size_mm(page.trimbox)
            media_w, media_h = size_mm(page.mediabox)
            widths.append(trim_w)
            assert trim_h == 210
            # 3 mm bleed on each edge; the page holds our marks outside it (3 mm gap, 5 mm
            # marks, 1 mm of paper): 12 mm on each edge.
            assert size_mm(page.bleedbox) == (trim_w + 6, trim_h + 6)
            assert (media_w - trim_w, media_h - trim_h) == (24, 24)
        if fmt == "a5-booklet":
            assert len(reader.pages) % 4 == 0
            assert set(widths) == {148}
        else:
            assert widths == [100, 97, 100, 100, 97, 100]


def test_poppler_sees_the_same_boxes(repo_site: Path) -> None:
    path = pdf_path(repo_site, "rights-and-duties", "fa", "print")
    info = subprocess.run(["pdfinfo", "-box", str(path)], capture_output=True, text=True).stdout
    trim = re.search(r"TrimBox:\s+([\d.-]+)\s+([\d.-]+)\s+([\d.-]+)\s+([\d.-]+)", info)
    assert trim is not None
    x0, y0, x1, y1 = map(float, trim.groups())
    assert round((x1 - x0) / MM, 1) == 148 and round((y1 - y0) / MM, 1) == 210


@pytest.mark.parametrize("language", ["az", "ru", "fa"])
def test_every_font_is_embedded(repo_site: Path, language: str) -> None:
    path = pdf_path(repo_site, "rights-and-duties", language, "print")
    lines = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True).stdout
    rows = lines.strip().splitlines()[2:]
    assert rows
    for row in rows:
        assert row.split()[-5] == "yes", row  # the "emb" column


def test_print_pdf_is_pdfx4_with_a_cmyk_output_intent(repo_site: Path) -> None:
    reader = PdfReader(pdf_path(repo_site, "documents-for-abroad", "uk", "print"))
    intents = reader.trailer["/Root"]["/OutputIntents"]
    intent = intents[0].get_object()
    assert intent["/S"] == "/GTS_PDFX"
    assert intent["/OutputConditionIdentifier"] == "FOGRA39"
    profile = intent["/DestOutputProfile"].get_object().get_data()
    assert profile[16:20] == b"CMYK"
    xmp = reader.trailer["/Root"]["/Metadata"].get_object().get_data().decode()
    assert "PDF/X-4" in xmp


@pytest.mark.parametrize("language", ["az", "ru", "fa"])
def test_leaflet_text_is_the_source_text(repo_site: Path, language: str) -> None:
    slug = "trafficking-and-forced-labour"
    front, body = front_and_body(slug, language)
    for variant in ("print", "screen"):
        reader = PdfReader(pdf_path(repo_site, slug, language, variant))
        text = "\n".join(page.extract_text() for page in reader.pages)
        # Words hyphenated at a line end come back in two pieces: join them.
        extracted = normalised(re.sub(r"[\u00ad\u2010-]\s*\n\s*", "", text))
        source = re.sub(r"\{\{[^}]*\}\}|\(\.\./[^)]*\)", "", body)
        words = set(re.findall(r"\w{4,}", normalised(source)))
        found = {word for word in words if word in extracted}
        assert len(found) / len(words) > 0.97, sorted(words - found)[:20]
        assert normalised(front["title"]).split()[0] in extracted


def test_draft_mark_on_every_page_of_a_draft(mini_pdf_cache: Path) -> None:
    # In the fixture project, alpha is a draft in Russian and in Persian, reviewed in English.
    for language in ("ru", "fa"):
        strings = REPO / f"tests/fixtures/mini/pamphlets/ui/{language}.yml"
        mark = normalised(yaml.safe_load(strings.read_text("utf-8"))["draft_mark"])
        reader = PdfReader(mini_pdf_cache / f"pdf/alpha-{language}-print.pdf")
        for number, page in enumerate(reader.pages, start=1):
            text = normalised(page.extract_text())
            assert mark.split()[0].strip(":") in text, (language, number)
    english = yaml.safe_load((REPO / "tests/fixtures/mini/pamphlets/ui/en.yml").read_text())
    reviewed = PdfReader(mini_pdf_cache / "pdf/alpha-en-print.pdf")
    assert english["draft_mark"] not in "".join(p.extract_text() for p in reviewed.pages)


def test_imprint_on_the_last_page_with_a_qr_code_to_the_same_page(repo_site: Path) -> None:
    path = pdf_path(repo_site, "work-permit-and-residence", "uk", "print")
    reader = PdfReader(path)
    last = normalised(reader.pages[-1].extract_text())
    strings = ui("uk")
    facts = yaml.safe_load((REPO / "pamphlets/facts.yml").read_text(encoding="utf-8"))
    assert strings["free_of_charge"].split(".")[0] in last
    assert strings["print_run"].split("{")[0].strip() in last  # the run, or "not recorded"
    assert str(settings_of("work-permit-and-residence")["edition"]) in last
    assert facts["ngo_phone"]["value"] in last
    png = path.parent.parent.parent / "qr-test"
    subprocess.run(
        ["pdftoppm", "-r", "150", "-png", "-singlefile", "-f", str(len(reader.pages)),
         "-l", str(len(reader.pages)), str(path), str(png)],
        check=True,
    )  # fmt: skip
    decoded = subprocess.run(
        ["zbarimg", "-q", "--raw", f"{png}.png"], capture_output=True, text=True
    ).stdout.strip()
    assert decoded == "https://migrant-rights.example.org/uk/pamphlets/work-permit-and-residence/"


def test_screen_pdf_is_tagged_small_and_clickable(repo_site: Path) -> None:
    path = pdf_path(repo_site, "rights-and-duties", "fa", "screen")
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True).stdout
    assert re.search(r"Tagged:\s+yes", info)
    reader = PdfReader(path)
    front, _ = front_and_body("rights-and-duties", "fa")
    assert reader.metadata.title == front["title"]
    assert reader.trailer["/Root"]["/Lang"] == "fa"
    assert "pdfuaid" in reader.trailer["/Root"]["/Metadata"].get_object().get_data().decode()
    for page in reader.pages:
        assert size_mm(page.mediabox) == (148, 210)  # A5, no bleed
    uris = [
        annotation.get_object()["/A"]["/URI"]
        for page in reader.pages
        for annotation in page.get("/Annots", [])
        if "/URI" in annotation.get_object().get("/A", {})
    ]
    assert "tel:152" in uris and "tel:+994503921331" in uris
    for language in LANGUAGES:
        for slug in PAMPHLETS:
            assert pdf_path(repo_site, slug, language, "screen").stat().st_size < 120_000


def _numbers_left_to_right(imposed: Path, page: int) -> list[str]:
    """The page numbers printed at the foot of an imposed sheet side, left to right."""
    xml = subprocess.run(
        ["pdftotext", "-bbox", "-f", str(page), "-l", str(page), str(imposed), "-"],
        capture_output=True, text=True,
    ).stdout  # fmt: skip
    words = re.findall(r'<word xMin="([\d.]+)" yMin="([\d.]+)"[^>]*>(\d+)</word>', xml)
    # The sheet's MediaBox starts 12 mm (34 pt) above the trim: its foot is below 560 + 34.
    footer = [(float(x), number) for x, y, number in words if float(y) > 560 + 34]
    # Persian pages are numbered in Persian digits.
    latin = str.maketrans("۰۱۲۳۴۵۶۷۸۹", "0123456789")
    return [number.translate(latin) for _x, number in sorted(footer)]


def test_booklet_imposition_is_mirrored_for_persian(repo_site: Path) -> None:
    # The back of the second sheet of an N-page booklet carries pages 4 and N-3 (never
    # padding: at most three blank pages are added, just before the last page).
    for language, in_order in (("ru", True), ("fa", False)):
        print_pdf = pdf_path(repo_site, "rights-and-duties", language, "print")
        pages = len(PdfReader(print_pdf).pages)
        expected = ["4", str(pages - 3)] if in_order else [str(pages - 3), "4"]
        imposed = pdf_path(repo_site, "rights-and-duties", language, "print-imposed")
        assert _numbers_left_to_right(imposed, 4) == expected, language
    rtl = pdf_path(repo_site, "rights-and-duties", "fa", "print-imposed")
    for page in PdfReader(rtl).pages:
        assert size_mm(page.trimbox) == (296, 210)


def test_download_buttons_on_the_pamphlet_page(repo_site: Path) -> None:
    page = (repo_site / "ru/pamphlets/rights-and-duties/index.html").read_text(encoding="utf-8")
    pages = len(PdfReader(pdf_path(repo_site, "rights-and-duties", "ru", "screen")).pages)
    assert 'href="../../../pdf/rights-and-duties-ru-screen.pdf"' in page
    # The print files are for a print shop: on the downloads page, not the reader's page.
    assert "rights-and-duties-ru-print.pdf" not in page
    assert 'href="../../../ru/downloads/#hub-ru"' in page
    text = re.sub(r"<[^>]+>", "", page)  # the figures are filled into marked elements
    assert f"страниц: {pages}" in text


# ------------------------------------------------------------------ builds of the fixture


def test_same_sources_give_the_same_bytes(mini: Path) -> None:
    first = {p.name: p.read_bytes() for p in (mini / ".cache/pdf").glob("*.pdf")}
    import shutil

    shutil.rmtree(mini / ".cache/pdf")
    result = run_pamphlets(mini, "pdf")
    assert result.returncode == 0, result.stderr
    second = {p.name: p.read_bytes() for p in (mini / ".cache/pdf").glob("*.pdf")}
    assert len(first) == 15 and first == second
    bundles = sorted((mini / ".cache/pdf/bundles").glob("*.zip"))
    assert [p.name for p in bundles] == ["leaflets-all.zip", "leaflets-en.zip",
                                         "leaflets-fa.zip", "leaflets-ru.zip"]  # fmt: skip


def test_nothing_renders_again_unless_its_source_changed(mini: Path) -> None:
    result = run_pamphlets(mini, "build")
    assert "PDFs: 0 rendered" in result.stdout  # nothing changed: nothing rebuilt
    path = mini / "pamphlets/alpha/ru.md"
    path.write_text(path.read_text(encoding="utf-8").replace("Сроки", "Сроки и даты"))
    result = run_pamphlets(mini, "build")
    assert "PDFs: 2 rendered, 8 reused, 0 failed" in result.stdout
    assert "rendered alpha-ru-print.pdf" in result.stderr
    assert "rendered alpha-ru-screen.pdf" in result.stderr


def build_fails(mini: Path, relative: str, text: str) -> str:
    (mini / "site").mkdir(exist_ok=True)
    (mini / "site/index.html").write_text("previous site")
    (mini / relative).write_text(text, encoding="utf-8")
    result = run_pamphlets(mini, "build")
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert (mini / "site/index.html").read_text() == "previous site"
    return result.stderr


def ru_text(body: str) -> str:
    return f"---\ntitle: Бета\nsummary: Кратко.\nstatus: draft\n---\n\n{body}\n"


def test_trifold_overflow_names_pamphlet_language_and_how_much(mini: Path) -> None:
    long_text = "\n\n".join(["Работник имеет право на письменный договор и оплату. " * 12] * 20)
    error = build_fails(mini, "pamphlets/beta/ru.md", ru_text(long_text))
    assert re.search(
        r"pamphlets/beta/ru\.md \(beta, ru\): the text does not fit the a4-trifold's 6 panels: "
        r"it needs \d+ panels, \d+ too many",
        error,
    )


def test_character_no_font_has_is_an_error(mini: Path) -> None:
    error = build_fails(mini, "pamphlets/beta/ru.md", ru_text("Текст и эмодзи \U0001f600."))
    assert "pamphlets/beta/ru.md (beta, ru): no configured font (Noto Sans, Noto Naskh Arabic)" in (
        error
    )
    assert "U+1F600" in error


@pytest.mark.parametrize(
    ("image", "message"),
    [
        ("https://example.org/a.png", "image 'https://example.org/a.png' is on the network"),
        ("../../../../etc/hosts.png", "image '../../../../etc/hosts.png' is outside"),
        ("missing.png", "image 'missing.png' does not exist in pamphlets/beta/"),
    ],
)
def test_images_come_only_from_the_pamphlet_folder(mini: Path, image: str, message: str) -> None:
    error = build_fails(mini, "pamphlets/beta/ru.md", ru_text(f"Текст.\n\n![x]({image})"))
    assert f"pamphlets/beta/ru.md:9: {message}" in error


def test_an_image_in_the_pamphlet_folder_reaches_page_and_leaflet(mini: Path) -> None:
    from PIL import Image

    Image.new("RGB", (600, 300), (200, 30, 30)).save(mini / "pamphlets/beta/map.png")
    (mini / "pamphlets/beta/ru.md").write_text(ru_text("Карта:\n\n![Карта](map.png)"))
    result = run_pamphlets(mini, "build")
    assert result.returncode == 0, result.stderr
    assert (mini / "site/ru/pamphlets/beta/map.png").exists() or (
        mini / "site/pamphlets/beta/map.png"
    ).exists()
    reader = PdfReader(mini / "site/pdf/beta-ru-screen.pdf")
    assert any(page.images for page in reader.pages)
