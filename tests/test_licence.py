"""The content licence (issue 14): chosen in mkdocs.yml by its SPDX id, stated in the reader's
language in the footer of every page, on the downloads page and on every leaflet's imprint,
and in downloads.json; a licence the project cannot use is a clear error, none at all a
warning of `pamphlets check`."""

from __future__ import annotations

import json
import re
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml
from conftest import FIXTURES, REPO, run_pamphlets
from pypdf import PdfReader

LANGUAGES = ["en", "ru", "fa"]
# Joiners and direction controls, which pdftotext also inserts (U+202A-U+202E) into mixed lines.
BIDI_AND_JOINERS = dict.fromkeys(
    map(ord, "\u200c\u200d\u2066\u2067\u2068\u2069\u200e\u200f\u202a\u202b\u202c\u202d\u202e")
)
DEED = "https://creativecommons.org/licenses/by/4.0/"


def ui(language: str, project: Path = FIXTURES / "mini") -> dict:
    path = project / "pamphlets/ui" / f"{language}.yml"
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def terms(language: str, key: str = "licence_terms_by", project: Path = FIXTURES / "mini") -> str:
    """What the footer and imprint should say: the terms with the organisation's name."""
    strings = ui(language, project)
    return strings[key].replace("{organisation}", strings["organisation"])


def words(text: str) -> str:
    return " ".join(text.translate(BIDI_AND_JOINERS).split())


def bare_words(text: str) -> list[str]:
    """The words of a text without punctuation (pdftotext moves Persian commas around)."""
    return re.sub(r"[،؛:;,.()]", " ", words(text)).split()


def root(language: str) -> str:
    return "" if language == "en" else f"{language}/"


class Paragraphs(HTMLParser):
    """The <p class="..."> elements of a page with the class asked for: their text and links."""

    def __init__(self, css_class: str) -> None:
        super().__init__()
        self.css_class = css_class
        self.depth = 0
        self.found: list[dict] = []

    def handle_starttag(self, tag: str, attrs: list) -> None:
        attributes = dict(attrs)
        if tag == "p" and self.css_class in (attributes.get("class") or "").split():
            self.depth = 1
            self.found.append({"text": "", "links": []})
        elif self.depth and tag == "a":
            self.found[-1]["links"].append(attributes)

    def handle_endtag(self, tag: str) -> None:
        if self.depth and tag == "p":
            self.depth = 0

    def handle_data(self, data: str) -> None:
        if self.depth:
            self.found[-1]["text"] += data


def paragraphs(html: str, css_class: str) -> list[dict]:
    parser = Paragraphs(css_class)
    parser.feed(html)
    return parser.found


def last_page_text(pdf: Path) -> str:
    pages = len(PdfReader(pdf).pages)
    result = subprocess.run(
        ["pdftotext", "-f", str(pages), "-l", str(pages), str(pdf), "-"],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    # A word hyphenated at a line end, whole again.
    return words(re.sub(r"(\w)[-\u2010\u00ad]\n(\w)", r"\1\2", result.stdout))


# ------------------------------------------------------------------ the table and the setting


def test_the_licences_a_project_may_choose() -> None:
    from pamphlet_press.content.licences import LICENCES, licence_named

    assert {spdx: licence.name for spdx, licence in LICENCES.items()} == {
        "CC-BY-4.0": "CC BY 4.0",
        "CC-BY-SA-4.0": "CC BY-SA 4.0",
        "CC-BY-NC-4.0": "CC BY-NC 4.0",
        "CC-BY-NC-SA-4.0": "CC BY-NC-SA 4.0",
    }
    by_sa = licence_named("cc-by-sa-4.0")  # SPDX ids match whatever their case
    assert by_sa is LICENCES["CC-BY-SA-4.0"]
    assert by_sa.deed("fa") == "https://creativecommons.org/licenses/by-sa/4.0/deed.fa"
    # A language Creative Commons has no deed in gets the English one.
    assert by_sa.deed("tg") == "https://creativecommons.org/licenses/by-sa/4.0/deed.en"
    assert by_sa.short_url == "creativecommons.org/licenses/by-sa/4.0"
    assert licence_named(None) is None and licence_named("  ") is None


def test_an_unknown_licence_is_an_error_naming_the_key_the_ids_and_a_close_one(
    mini: Path,
) -> None:
    config = mini / "mkdocs.yml"
    config.write_text(
        config.read_text(encoding="utf-8").replace("CC-BY-4.0", "CC-BY-4"), encoding="utf-8"
    )
    result = run_pamphlets(mini, "check")
    assert result.returncode == 1
    assert result.stderr == (
        "Error: mkdocs.yml: plugins.pamphlets.content_licence: 'CC-BY-4' is not a licence this "
        "project knows (did you mean 'CC-BY-4.0'?); set one of CC-BY-4.0, CC-BY-SA-4.0, "
        "CC-BY-NC-4.0, CC-BY-NC-SA-4.0 (SPDX ids), or leave it out to show no licence\n"
    )
    # A real licence that forbids translations says why it is not offered.
    config.write_text(
        config.read_text(encoding="utf-8").replace("CC-BY-4", "CC BY-ND 4.0"), encoding="utf-8"
    )
    result = run_pamphlets(mini, "check")
    assert "'CC BY-ND 4.0' is not offered: it forbids translations and adaptations" in (
        result.stderr
    )
    assert "Traceback" not in result.stderr


def test_an_unknown_licence_fails_the_build_and_keeps_the_previous_site(mini: Path) -> None:
    assert run_pamphlets(mini, "build", "--no-offline").returncode == 0
    before = {p: p.read_bytes() for p in (mini / "site").rglob("*") if p.is_file()}
    config = mini / "mkdocs.yml"
    config.write_text(
        config.read_text(encoding="utf-8").replace("CC-BY-4.0", "CC-BY-NC-ND-4.0"),
        encoding="utf-8",
    )
    result = run_pamphlets(mini, "build", "--no-offline")
    assert result.returncode == 1
    assert "mkdocs.yml: plugins.pamphlets.content_licence: 'CC-BY-NC-ND-4.0'" in result.stderr
    assert "Traceback" not in result.stderr
    assert {p: p.read_bytes() for p in (mini / "site").rglob("*") if p.is_file()} == before


def test_no_licence_shows_none_and_check_warns(mini: Path) -> None:
    from pamphlet_press.content.catalog import load_catalog
    from pamphlet_press.leaflets.leaflet import make_leaflet
    from pamphlet_press.web.chrome import SitePaths, footer_html
    from pamphlet_press.web.project import load_project

    config = mini / "mkdocs.yml"
    config.write_text(
        config.read_text(encoding="utf-8").replace("      content_licence: CC-BY-4.0\n", ""),
        encoding="utf-8",
    )
    result = run_pamphlets(mini, "check")
    assert result.returncode == 0, result.stderr
    assert (
        "Warning: mkdocs.yml: plugins.pamphlets.content_licence is not set: the site and the "
        "leaflets state no licence, so partner organisations cannot know whether they may "
        "reprint, share or translate them; set one of CC-BY-4.0, CC-BY-SA-4.0, CC-BY-NC-4.0, "
        "CC-BY-NC-SA-4.0"
    ) in result.stdout
    catalog = load_catalog(load_project(str(config)).settings)
    footer = footer_html(
        catalog, "fa", catalog.facts["ngo_phone"], SitePaths("p", "d", "r", "s"), lambda t: t
    )
    assert "site-footer__organisation" in footer and "licence" not in footer
    alpha = catalog.pamphlets[0]
    leaflet = make_leaflet(catalog, alpha, alpha.translations["fa"])
    assert (leaflet.licence_line, leaflet.licence_url) == ("", "")


def test_the_terms_must_name_the_organisation(mini: Path) -> None:
    strings = mini / "pamphlets/ui/ru.yml"
    text = strings.read_text(encoding="utf-8")
    line = next(
        number
        for number, content in enumerate(text.splitlines(), start=1)
        if content.startswith("licence_terms_by_nc:")
    )
    strings.write_text(
        re.sub(r"(licence_terms_by_nc: .*?)\{organisation\}", r"\1нас", text), encoding="utf-8"
    )
    result = run_pamphlets(mini, "check")
    assert result.returncode == 1
    assert (
        f"pamphlets/ui/ru.yml:{line}: 'licence_terms_by_nc' must contain {{organisation}}, "
        "where the name of the organisation partners must credit goes"
    ) in result.stderr


def test_every_language_says_each_licences_terms_in_its_own_words() -> None:
    """The repository's interface strings: every licence's terms in every language, naming
    the organisation, none of them English outside en.yml, and different per licence."""
    from pamphlet_press.content.licences import LICENCES

    english = ui("en", REPO)
    for language in ("az", "ru", "en", "uk", "fa"):
        strings = ui(language, REPO)
        texts = [strings[licence.terms_key] for licence in LICENCES.values()]
        assert all("{organisation}" in text for text in texts), language
        assert len(set(texts)) == len(texts), language
        if language != "en":
            assert strings["licence_label"] != english["licence_label"]
            assert not any(text == english[key] for key, text in strings.items()
                           if key.startswith("licence_terms"))  # fmt: skip
        if language == "fa":
            assert not re.search(r"[A-Za-z]", "".join(texts).replace("{organisation}", ""))


# ------------------------------------------------------------------ on the site


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_footer_states_the_licence_and_links_its_deed(mini_site: Path, language: str) -> None:
    for page in ("index.html", "pamphlets/alpha/index.html", "downloads/index.html"):
        html = (mini_site / root(language) / page).read_text(encoding="utf-8")
        found = paragraphs(html, "site-footer__licence")
        assert len(found) == 1, page
        label = ui(language)["licence_label"]
        assert words(found[0]["text"]) == words(f"{terms(language)} {label} CC BY 4.0"), page
        [link] = found[0]["links"]
        assert link["href"] == f"{DEED}deed.{language}"
        assert link["rel"] == "license" and link["dir"] == "ltr"


def test_the_persian_footer_is_right_to_left_and_persian(mini_site: Path) -> None:
    html = (mini_site / "fa/index.html").read_text(encoding="utf-8")
    assert '<body dir="rtl"' in html  # Material sets the direction on the body
    [line] = paragraphs(html, "site-footer__licence")
    text = words(line["text"])
    assert text.startswith(words(ui("fa")["licence_terms_by"].split("{organisation}")[0]))
    assert "You may" not in html and "Licence" not in text
    # The organisation's name and the licence's name are isolated from the Persian around them.
    assert f"<bdi>{ui('fa')['organisation']}</bdi>" in html
    assert 'dir="ltr">CC BY 4.0</a>' in html


def test_the_downloads_page_and_manifest_state_the_licence_once(mini_site: Path) -> None:
    manifest = json.loads((mini_site / "downloads.json").read_text(encoding="utf-8"))
    assert list(manifest)[0] == "licence"
    assert manifest["licence"] == {"id": "CC-BY-4.0", "name": "CC BY 4.0", "url": DEED}
    assert all("licence" not in entry for entry in manifest["files"])
    for language in LANGUAGES:
        html = (mini_site / root(language) / "downloads/index.html").read_text(encoding="utf-8")
        [line] = paragraphs(html, "hub-licence")
        assert words(terms(language)) in words(line["text"])
        assert line["links"][0]["href"] == f"{DEED}deed.{language}"


# ------------------------------------------------------------------ on the leaflets


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_imprint_states_the_licence_in_the_leaflets_language(
    mini_pdf_cache: Path, language: str
) -> None:
    pdf = mini_pdf_cache / f"pdf/alpha-{language}-print.pdf"
    text = last_page_text(pdf)
    assert ui(language)["licence_label"].rstrip(":") in text and "CC BY 4.0" in text
    assert "creativecommons.org/licenses/by/4.0" in text
    # The terms, naming the organisation (pdftotext drops the zero-width non-joiner).
    found = bare_words(text)
    for word in bare_words(terms(language)):
        assert word in found, word
    # The screen PDF's address is a link to the deed in the leaflet's language.
    screen = PdfReader(mini_pdf_cache / f"pdf/alpha-{language}-screen.pdf")
    links = [
        annotation.get_object()["/A"].get("/URI")
        for annotation in screen.pages[-1].get("/Annots", [])
        if "/A" in annotation.get_object()
    ]
    assert f"{DEED}deed.{language}" in links


def test_the_persian_imprint_keeps_the_licence_name_left_to_right(mini_pdf_cache: Path) -> None:
    pdf = mini_pdf_cache / "pdf/alpha-fa-print.pdf"
    pages = len(PdfReader(pdf).pages)
    bbox = subprocess.run(
        ["pdftotext", "-bbox", "-f", str(pages), "-l", str(pages), str(pdf), "-"],
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    placed = [
        (float(x), float(y), word.translate(BIDI_AND_JOINERS))
        for x, y, word in re.findall(r'xMin="([\d.]+)" yMin="([\d.]+)"[^>]*>([^<]+)</word>', bbox)
    ]
    where = {word: (x, y) for x, y, word in placed}
    cc, by, version = where["CC"], where["BY"], where["4.0"]
    # One line, read left to right: "CC BY 4.0", at the left end of its right-to-left line,
    # after (to the left of) the Persian label that introduces it.
    assert cc[1] == by[1] == version[1]
    assert cc[0] < by[0] < version[0]
    persian = [x for x, y, word in placed if y == cc[1] and re.search("[\u0600-\u06ff]", word)]
    assert persian and min(persian) > version[0]


# ------------------------------------------------------------------ another licence, whole builds


@pytest.mark.slow
def test_a_non_commercial_share_alike_licence_reaches_every_output(mini: Path) -> None:
    """Renders the fixture's ten PDFs again: the terms differ per licence."""
    config = mini / "mkdocs.yml"
    config.write_text(
        config.read_text(encoding="utf-8").replace("CC-BY-4.0", "CC-BY-NC-SA-4.0"),
        encoding="utf-8",
    )
    result = run_pamphlets(mini, "build", "--no-offline")
    assert result.returncode == 0, result.stderr
    site = mini / "site"
    for language in LANGUAGES:
        text = last_page_text(site / f"pdf/alpha-{language}-print.pdf")
        found = bare_words(text)
        assert all(word in found for word in bare_words(terms(language, "licence_terms_by_nc_sa")))
        assert "CC BY-NC-SA 4.0" in text and "creativecommons.org/licenses/by-nc-sa/4.0" in text
        html = (site / root(language) / "index.html").read_text(encoding="utf-8")
        [line] = paragraphs(html, "site-footer__licence")
        assert line["links"][0]["href"] == (
            f"https://creativecommons.org/licenses/by-nc-sa/4.0/deed.{language}"
        )
    manifest = json.loads((site / "downloads.json").read_text(encoding="utf-8"))
    assert manifest["licence"]["id"] == "CC-BY-NC-SA-4.0"
    # (The fixture's beta is too short for its format: preflight reports its padded page.)
    result = run_pamphlets(mini, "preflight", "--pamphlet", "alpha")
    assert result.returncode == 0, result.stdout + result.stderr


def test_every_leaflet_of_the_repository_ends_with_its_licence(repo_site: Path) -> None:
    """The imprint, licence included, still fits the last page of every print leaflet (the
    build's copyfit passed, or there would be no site)."""
    manifest = json.loads((repo_site / "downloads.json").read_text(encoding="utf-8"))
    for entry in manifest["files"]:
        if entry["variant"] != "print":
            continue
        pdf = repo_site / entry["path"]
        text = last_page_text(pdf)
        strings = ui(entry["language"], REPO)
        assert words(strings["organisation"]) in text, entry["file"]
        assert "CC BY 4.0" in text and "creativecommons.org/licenses/by/4.0" in text, entry["file"]
        # The licence's lines are filled: no line of one word (WeasyPrint broke the line
        # before a `white-space: nowrap` name word by word in the Azerbaijani trifold).
        pages = len(PdfReader(pdf).pages)
        lines = subprocess.run(
            ["pdftotext", "-f", str(pages), "-l", str(pages), str(pdf), "-"],
            capture_output=True, text=True, check=True,
        ).stdout.translate(BIDI_AND_JOINERS).splitlines()  # fmt: skip
        first = bare_words(strings["licence_terms_by"])[0]
        start = next(n for n, line in enumerate(lines) if first in bare_words(line))
        end = next(n for n, line in enumerate(lines) if "creativecommons.org" in line)
        assert all(len(line.split()) > 1 for line in lines[start:end] if line), lines[start:end]
