"""The site as a reader and a partner organisation's staff read it, from the built HTML of
the fixture project (en default, ru, fa): navigation in the reader's language and order,
help on every page, a 404 page per language, dated facts, the downloads cards, link
previews, and the print-runs page that names nobody without their consent (issue 12)."""

from __future__ import annotations

import datetime
import re
import shutil
import zipfile
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml
from conftest import FIXTURES, copy_fixture, run_pamphlets

LANGUAGES = ["en", "ru", "fa"]


def ui(language: str) -> dict:
    path = FIXTURES / "mini/pamphlets/ui" / f"{language}.yml"
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def root(language: str) -> str:
    return "" if language == "en" else f"{language}/"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory, mini_pdf_cache: Path) -> Path:
    """The fixture project built once, with alpha placed after beta (order 3), so that the
    reader's order and the alphabet differ, and one distribution made public."""
    project = copy_fixture("mini", tmp_path_factory.mktemp("reader") / "mini")
    shutil.copytree(mini_pdf_cache, project / ".cache")
    settings = project / "pamphlets/alpha/pamphlet.yml"
    settings.write_text(
        settings.read_text(encoding="utf-8").replace("order: 1", "order: 3"), encoding="utf-8"
    )
    ledger = project / "pamphlets/print-runs.yml"
    text = ledger.read_text(encoding="utf-8")
    text = text.replace(
        "    recipient: Workshop\n", "    recipient: Workshop\n    public: true\n", 1
    )
    ledger.write_text(text, encoding="utf-8")
    result = run_pamphlets(project, "build")
    assert result.returncode == 0, result.stderr
    return project / "site"


def read(site: Path, relative: str) -> str:
    return (site / relative).read_text(encoding="utf-8")


class Elements(HTMLParser):
    """The elements of a page, each as (tag, attributes, text inside it)."""

    def __init__(self) -> None:
        super().__init__()
        self.open: list[tuple[str, dict, list[str]]] = []
        self.found: list[tuple[str, dict, str]] = []

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag in ("meta", "link", "img", "input", "br"):
            self.found.append((tag, dict(attrs), ""))
            return
        self.open.append((tag, dict(attrs), []))

    def handle_endtag(self, tag: str) -> None:
        for index in range(len(self.open) - 1, -1, -1):
            if self.open[index][0] == tag:
                name, attrs, text = self.open.pop(index)
                self.found.append((name, attrs, " ".join("".join(text).split())))
                for _n, _a, outer in self.open:
                    outer.extend(text)
                return

    def handle_data(self, data: str) -> None:
        if self.open:
            self.open[-1][2].append(data)


def elements(html: str, tag: str, **attributes: str) -> list[tuple[dict, str]]:
    parser = Elements()
    parser.feed(html)
    return [
        (attrs, text)
        for name, attrs, text in parser.found
        if name == tag
        and all(
            value in (attrs.get(key.rstrip("_")) or "").split()
            or attrs.get(key.rstrip("_")) == value
            for key, value in attributes.items()
        )
    ]


def primary_nav(html: str) -> str:
    start = html.index('class="md-nav md-nav--primary"')
    return html[start : html.index('<div class="md-sidebar md-sidebar--secondary"', start)]


# ------------------------------------------------------------------ navigation


@pytest.mark.parametrize("language", LANGUAGES)
def test_navigation_lists_the_pamphlets_in_their_order_and_the_readers_language(
    site: Path, language: str
) -> None:
    nav = primary_nav(read(site, f"{root(language)}pamphlets/beta/index.html"))
    # The one section of the menu is the pamphlets', titled in the reader's language;
    # no page is a section of its own (an empty panel on a phone).
    sections = re.findall(r'md-nav__item--nested">\s*<input[^>]*>\s*<label[^>]*>\s*'
                          r'<span class="md-ellipsis">\s*([^<]*?)\s*</span>', nav)  # fmt: skip
    assert sections == [ui(language)["pamphlets_heading"]]
    # (The page shown is in the menu twice: as a link, and as the toggle of its contents.)
    titles = list(dict.fromkeys(t for _a, t in elements(nav, "span", class_="md-ellipsis")))
    expected = {
        "en": ["Beta help", "Alpha rights"],
        "ru": ["Бета помощь", "Права альфа"],
        "fa": ["Бета помощь", "حقوق آلفا"],  # beta has no Persian text: its Russian title
    }[language]
    pamphlets = [title for title in titles if title in expected]
    assert pamphlets == expected  # order 2 before order 3, not the alphabet
    for key in ("hub_heading", "print_runs_heading", "status_heading"):
        assert ui(language)[key] in titles


def test_pages_keep_their_addresses(site: Path) -> None:
    for language in LANGUAGES:
        for slug in ("alpha", "beta"):
            assert (site / f"{root(language)}pamphlets/{slug}/index.html").exists()


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_404_page_per_language_with_the_policy(site: Path, language: str) -> None:
    page = read(site, f"{root(language)}404.html")
    assert f'<html lang="{language}"' in page
    assert elements(page, "h1")[0][1] == ui(language)["not_found_heading"]
    assert '<meta http-equiv="Content-Security-Policy"' in page
    links = [attrs["href"] for attrs, _text in elements(page, "a", class_="md-button")]
    assert links == [f"/{root(language)}"]  # served at any address: links from the root
    assert f'href="/{root(language)}pamphlets/alpha/"' in page


def test_help_bar_and_footer_on_every_page_in_its_language(site: Path) -> None:
    facts = yaml.safe_load((FIXTURES / "mini/pamphlets/facts.yml").read_text("utf-8"))
    phone = facts["ngo_phone"]
    pages = sorted(site.rglob("*.html"))
    assert len(pages) > 20
    for path in pages:
        relative = path.relative_to(site).as_posix()
        language = relative.split("/")[0] if relative.split("/")[0] in ("ru", "fa") else "en"
        page = path.read_text(encoding="utf-8")
        bar = elements(page, "p", class_="help-bar")
        assert len(bar) == 1, relative
        assert bar[0][1] == f"{ui(language)['help_bar']} {phone['value']}", relative
        assert f'href="tel:{phone["tel"]}"' in page
        footer = elements(page, "nav", class_="site-footer__links")
        assert footer and footer[0][0]["aria-label"] == ui(language)["footer_label"], relative
        assert ui(language)["organisation"] in page, relative
        assert "Made with" not in page


# ------------------------------------------------------------------ a pamphlet's first screen


def test_dates_under_the_title_in_the_readers_language_and_calendar(site: Path) -> None:
    # alpha (edition 2026-11-28) uses the hotline (checked 2020-01-01) and the wage (2099).
    ru = elements(read(site, "ru/pamphlets/alpha/index.html"), "p", class_="pamphlet-dates")
    assert ru[0][1] == "Издание от 28 ноября 2026 г. · Факты проверены 1 января 2020 г."
    fa = elements(read(site, "fa/pamphlets/alpha/index.html"), "p", class_="pamphlet-dates")
    # The Persian comma between them: a middle dot reads as the Persian zero (۰).
    assert fa[0][1] == "ویرایش ۷ آذر ۱۴۰۵، اطلاعات در تاریخ ۱۱ دی ۱۳۹۸ بررسی شده است"


def test_a_fact_past_its_age_is_flagged_where_it_is_used(site: Path) -> None:
    flagged = elements(read(site, "ru/pamphlets/alpha/index.html"), "div", class_="pamphlet-stale")
    assert len(flagged) == 1
    text = flagged[0][1]
    assert "152 (1 января 2020 г.)" in text and "400 AZN" not in text
    assert "365" in text


def test_the_draft_notice_is_one_line_with_its_details_behind_it(site: Path) -> None:
    page = read(site, "ru/pamphlets/alpha/index.html")
    draft = elements(page, "details", class_="pamphlet-draft")
    assert len(draft) == 1
    assert elements(page, "summary")[0][1] == ui("ru")["draft_summary"]
    assert ui("ru")["draft_notice"] in draft[0][1]
    reviewed = read(site, "pamphlets/alpha/index.html")
    assert not elements(reviewed, "details", class_="pamphlet-draft")


def test_a_pamphlet_page_offers_the_screen_pdf_and_sends_printers_to_the_downloads_page(
    site: Path,
) -> None:
    page = read(site, "ru/pamphlets/alpha/index.html")
    buttons = elements(page, "a", class_="pamphlet-download")
    assert [attrs["href"] for attrs, _text in buttons] == ["../../../pdf/alpha-ru-screen.pdf"]
    assert "-print" not in "".join(re.findall(r'href="([^"]*\.pdf)"', page))
    link = elements(page, "p", class_="pamphlet-downloads__print")
    assert link[0][1] == ui("ru")["print_files_link"]
    assert 'href="../../../ru/downloads/#hub-ru"' in page


def test_lead_section_comes_first_on_the_page_only() -> None:
    from pamphlet_press.web.pages import lead_section_first

    body = "Intro.\n\n## One\n\na\n\n## Two\n\nb\n\n## Three\n\nc\n"
    assert lead_section_first(body, 2) == "## Two\n\nb\n\nIntro.\n\n## One\n\na\n\n## Three\n\nc\n"
    assert lead_section_first(body, None) == body


def test_a_lead_section_that_does_not_exist_is_an_error(mini: Path) -> None:
    settings = mini / "pamphlets/alpha/pamphlet.yml"
    settings.write_text(settings.read_text("utf-8") + "lead_section: 7\n", encoding="utf-8")
    result = run_pamphlets(mini, "check")
    assert result.returncode != 0
    assert (
        "pamphlets/alpha/pamphlet.yml:5: 'lead_section' is 7 but alpha/en.md has 1 '## ' "
        "sections; give the number of the section to show first (1 is the first)"
    ) in result.stderr
    assert "Traceback" not in result.stderr


def test_solar_hijri_dates() -> None:
    from pamphlet_press.content.ui import solar_hijri

    known = {
        datetime.date(2000, 1, 1): (1378, 10, 11),
        datetime.date(2024, 3, 20): (1403, 1, 1),  # Nowruz
        datetime.date(2026, 3, 21): (1405, 1, 1),
        datetime.date(2026, 3, 20): (1404, 12, 29),
        datetime.date(2026, 11, 30): (1405, 9, 9),
    }
    for gregorian, expected in known.items():
        assert solar_hijri(gregorian) == expected, gregorian


def test_a_missing_help_phone_fact_stops_the_build_with_the_fix(mini: Path) -> None:
    facts = mini / "pamphlets/facts.yml"
    text = facts.read_text(encoding="utf-8")
    facts.write_text(text[: text.index("ngo_phone:")], encoding="utf-8")
    result = run_pamphlets(mini, "build", "--no-offline")
    assert result.returncode != 0
    assert (
        "mkdocs.yml: plugins.pamphlets.help_phone: 'ngo_phone' is not a phone fact in "
        "pamphlets/facts.yml; add it there (kind: phone, tel: ...) or name another fact"
    ) in result.stderr
    assert "Traceback" not in result.stderr


# ------------------------------------------------------------------ downloads


def test_download_cards_name_format_pages_and_the_title_in_the_staffers_language(
    site: Path,
) -> None:
    page = read(site, "downloads/index.html")  # an English-speaking staffer
    persian = page[page.index('id="hub-fa"') :]
    card = persian[: persian.index("</article>")]
    assert "حقوق آلفا" in card  # the leaflet's own title
    beside = elements(card, "p", class_="hub-card__translation")
    assert beside == [({"class": "hub-card__translation", "lang": "en"}, "Alpha rights")]
    fmt = elements(card, "p", class_="hub-card__format")[0][1]
    assert re.fullmatch(r"A5 booklet · pages: \d+", fmt)
    trifold = page[page.index('id="hub-ru"') :]
    formats = [text for _, text in elements(trifold, "p", class_="hub-card__format")]
    assert "A4 leaflet, folded in three · pages: 6" in formats
    english = page[page.index('id="hub-en"') : page.index('id="hub-ru"')]
    assert not elements(english, "p", class_="hub-card__translation")


@pytest.mark.parametrize(
    ("language", "size"),
    [
        ("en", r"\d+ KB|\d+\.\d MB"),
        ("ru", r"\d+ КБ|\d+,\d МБ"),
        ("fa", r"[۰-۹]+ کیلوبایت|[۰-۹]+٫[۰-۹] مگابایت"),  # Persian digits and unit
    ],
)
def test_file_sizes_are_written_as_the_readers_language_writes_them(
    site: Path, language: str, size: str
) -> None:
    pamphlet = read(site, f"{root(language)}pamphlets/alpha/index.html")
    downloads = read(site, f"{root(language)}downloads/index.html")
    for page in (pamphlet, downloads):
        sizes = [text for attrs, text in elements(page, "bdi") if "data-pdf-bytes" in attrs]
        sizes += [text for attrs, text in elements(page, "bdi") if "data-bundle-bytes" in attrs]
        assert sizes, "no file size on the page"
        for text in sizes:
            assert re.fullmatch(size, text), text
    # No direction forced on the size: "۶۸ کیلوبایت" reads right to left, "68 KB" left to right.
    assert 'dir="ltr" data-pdf-bytes' not in pamphlet


def test_persian_lines_are_separated_by_the_persian_comma_not_a_dot_read_as_zero(
    site: Path,
) -> None:
    pamphlet = read(site, "fa/pamphlets/alpha/index.html")
    downloads = read(site, "fa/downloads/index.html")
    meta = [text for _, text in elements(pamphlet, "span", class_="pamphlet-download__meta")]
    meta += [text for _, text in elements(downloads, "p", class_="hub-card__format")]
    assert meta
    for text in meta:
        assert "·" not in text and "، " in text, text
    english = read(site, "downloads/index.html")
    assert all(" · " in text for _, text in elements(english, "p", class_="hub-card__format"))


def test_the_offline_copy_links_only_what_it_carries(site: Path) -> None:
    with zipfile.ZipFile(site / "offline-site.zip") as archive:
        names = set(archive.namelist())
        dead = []
        for name in sorted(n for n in names if n.endswith(".html")):
            html = archive.read(name).decode("utf-8")
            folder = Path(name).parent
            for url in re.findall(r'\s(?:href|src)="([^"]*)"', html):
                if re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*:|^#|^/", url):
                    continue
                path = url.split("#")[0].split("?")[0]
                target = Path(*[p for p in (folder / path).parts])
                resolved = str(Path("/", target).resolve())[1:]
                if path and resolved not in names:
                    dead.append((name, url))
    assert dead == []
    assert not any(name.endswith("404.html") for name in names)


# ------------------------------------------------------------------ link previews


def meta(html: str) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for attrs, _text in elements(html, "meta"):
        key = attrs.get("property") or attrs.get("name")
        if key and (key.startswith("og:") or key.startswith("twitter:")):
            found.setdefault(key, []).append(attrs.get("content", ""))
    return found


def test_link_previews_of_a_pamphlet_from_our_own_files(site: Path) -> None:
    tags = meta(read(site, "ru/pamphlets/alpha/index.html"))
    assert tags["og:title"] == ["Права альфа"]
    assert tags["og:description"] == ["О чём говорит альфа."]
    assert tags["og:url"] == ["https://fixture.example.org/ru/pamphlets/alpha/"]
    assert tags["og:image"] == ["https://fixture.example.org/pdf/alpha-ru-cover.png"]
    assert (site / "pdf/alpha-ru-cover.png").exists()
    assert tags["og:locale"] == ["ru_RU"]
    assert sorted(tags["og:locale:alternate"]) == ["en_GB", "fa_IR"]
    assert tags["og:type"] == ["article"]
    assert tags["twitter:card"] == ["summary"]
    # A Persian reader of beta gets the Russian text, and its cover.
    fallback = meta(read(site, "fa/pamphlets/beta/index.html"))
    assert fallback["og:image"] == ["https://fixture.example.org/pdf/beta-ru-cover.png"]
    assert fallback["og:locale"] == ["fa_IR"]


def test_every_page_has_a_preview_in_its_language(site: Path) -> None:
    for path in site.rglob("index.html"):
        relative = path.relative_to(site).as_posix()
        language = relative.split("/")[0] if relative.split("/")[0] in ("ru", "fa") else "en"
        tags = meta(path.read_text(encoding="utf-8"))
        assert tags["og:locale"] == [ui(language)["og_locale"]], relative
        assert tags["og:title"][0] and tags["og:description"][0], relative
        assert tags["og:image"][0].startswith("https://fixture.example.org/pdf/"), relative
    home = meta(read(site, "fa/index.html"))
    assert home["og:description"] == [ui("fa")["site_description"]]


# ------------------------------------------------------------------ the print runs page


def test_print_runs_page_names_only_what_a_record_makes_public(site: Path) -> None:
    for language in LANGUAGES:
        page = read(site, f"{root(language)}print-runs/index.html")
        assert "Partner CSO" not in page  # a recipient, not public
        assert "the language was not recorded" not in page  # a run's notes, not public
        assert "Workshop" in page  # public: true
        assert ui(language)["not_published"] in page
        assert ui(language)["runs_private_note"] in page


def test_the_runs_report_still_counts_everything(site: Path) -> None:
    import json

    result = run_pamphlets(site.parent, "runs", "report", "--format", "json")
    assert result.returncode == 0, result.stderr
    total = json.loads(result.stdout)["total"]
    # Both distributions count, the public one and the one that is not.
    assert (total["printed"], total["distributed"]) == (1300, 500)
