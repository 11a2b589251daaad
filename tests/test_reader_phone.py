"""The repository's site on a migrant worker's cheap phone: Chromium at 390 x 844, in
Azerbaijani, Russian and Persian (issue 12). The menu lists the pamphlets in the reader's
language and order, the NGO's number is on the first screen of every kind of page, the 404
page is in the reader's language, the trafficking pamphlet opens with its emergency
numbers, and search finds what people type. Expectations are read from the sources."""

from __future__ import annotations

import re
from urllib.parse import urljoin

import pytest
import yaml
from conftest import REPO

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
READERS = ["az", "ru", "fa"]
PAMPHLETS = sorted(path.parent.name for path in (REPO / "pamphlets").glob("*/pamphlet.yml"))


def language_root(language: str) -> str:
    return "" if language == "az" else f"{language}/"


def front(slug: str, language: str) -> dict:
    text = (REPO / "pamphlets" / slug / f"{language}.md").read_text(encoding="utf-8")
    return yaml.safe_load(text.split("---")[1])


def settings(slug: str) -> dict:
    path = REPO / "pamphlets" / slug / "pamphlet.yml"
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def ui(language: str) -> dict:
    path = REPO / "pamphlets" / "ui" / f"{language}.yml"
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def ordered_slugs() -> list[str]:
    return sorted(PAMPHLETS, key=lambda slug: (settings(slug)["order"], slug))


@pytest.fixture
def phone(browser):
    context = browser.new_context(viewport=PHONE)
    tab = context.new_page()
    yield tab
    context.close()


SEEN = """() => {
  // The menu's entries a reader sees: on screen and not covered by anything else.
  const seen = [];
  for (const item of document.querySelectorAll(
      ".md-sidebar--primary .md-nav__link, .md-sidebar--primary .md-nav__title")) {
    const box = item.getBoundingClientRect();
    if (box.width < 1 || box.height < 1) continue;
    const x = box.left + box.width / 2, y = box.top + box.height / 2;
    if (x < 0 || x > innerWidth || y < 0 || y > innerHeight) continue;
    const top = document.elementFromPoint(x, y);
    if (top && (item === top || item.contains(top) || top.contains(item)))
      seen.push(item.textContent.trim().replace(/\\s+/g, " "));
  }
  return [...new Set(seen)];
}"""


def open_menu(page) -> list[str]:
    page.locator("label.md-header__button[for='__drawer']").click()
    page.wait_for_timeout(500)  # the drawer slides in
    return page.evaluate(SEEN)


@pytest.mark.parametrize("language", READERS)
def test_the_phone_menu_lists_the_pamphlets_in_order_and_language(
    phone, repo_url: str, language: str
) -> None:
    titles = [front(slug, language)["title"] for slug in ordered_slugs()]
    for slug in (ordered_slugs()[-1], ordered_slugs()[0]):
        phone.goto(f"{repo_url}{language_root(language)}pamphlets/{slug}/")
        seen = open_menu(phone)
        assert seen[0] == ui(language)["pamphlets_heading"], seen  # the panel's title
        assert [entry for entry in seen if entry in titles] == titles, seen
    # From the downloads page, the menu's first level: the pamphlets section, in the
    # reader's language, and nothing in English.
    phone.goto(f"{repo_url}{language_root(language)}downloads/")
    seen = open_menu(phone)
    assert ui(language)["pamphlets_heading"] in seen
    assert ui(language)["hub_heading"] in seen and ui(language)["print_runs_heading"] in seen
    for english in ("Pamphlets", "Downloads", "Print runs", "Translation status"):
        assert english not in seen


PAGE_KINDS = ["", "about/", "pamphlets/", "pamphlets/{first}/", "pamphlets/{last}/",
              "downloads/", "print-runs/", "translation-status/", "404.html"]  # fmt: skip


@pytest.mark.parametrize("language", READERS)
def test_the_help_number_is_on_the_first_screen_of_every_kind_of_page(
    phone, repo_url: str, language: str
) -> None:
    facts = yaml.safe_load((REPO / "pamphlets/facts.yml").read_text(encoding="utf-8"))
    number = facts["ngo_phone"]
    for kind in PAGE_KINDS:
        path = kind.format(first=ordered_slugs()[0], last=ordered_slugs()[-1])
        phone.goto(f"{repo_url}{language_root(language)}{path}")
        link = phone.locator(f".help-bar a[href='tel:{number['tel']}']")
        assert link.inner_text() == number["value"], path
        box = link.bounding_box()
        assert box and box["y"] >= 0 and box["y"] + box["height"] <= PHONE["height"], path
        covered = link.evaluate(
            "a => { const b = a.getBoundingClientRect();"
            " const top = document.elementFromPoint(b.left + b.width / 2, b.top + b.height / 2);"
            " return !(top === a || a.contains(top)); }"
        )
        assert not covered, path
        label = phone.locator(".help-bar__label").inner_text()
        assert label == ui(language)["help_bar"]


@pytest.mark.parametrize("language", READERS)
def test_the_404_page_is_in_the_readers_language(phone, repo_url: str, language: str) -> None:
    phone.goto(f"{repo_url}{language_root(language)}404.html")
    assert phone.locator("html").get_attribute("lang") == language
    assert phone.locator("article h1").inner_text() == ui(language)["not_found_heading"]
    links = phone.locator("article .not-found__pamphlets a").all_inner_texts()
    assert links == [front(slug, language)["title"] for slug in ordered_slugs()]


@pytest.mark.parametrize("language", READERS)
def test_the_trafficking_pamphlet_opens_with_its_emergency_numbers(
    phone, repo_url: str, language: str
) -> None:
    slug = next(s for s in PAMPHLETS if settings(s).get("lead_section"))
    lead = settings(slug)["lead_section"]
    text = (REPO / "pamphlets" / slug / f"{language}.md").read_text(encoding="utf-8")
    headings = re.findall(r"^## (.+)$", text, re.M)
    phone.goto(f"{repo_url}{language_root(language)}pamphlets/{slug}/")
    assert phone.locator("article h2").first.inner_text() == headings[lead - 1]
    first_number = phone.locator("article a[href^='tel:']").first
    box = first_number.bounding_box()
    assert box and box["y"] + box["height"] <= PHONE["height"]  # on the first screen


def search(page, words: str) -> list[str]:
    """Search as a reader does; the result pages' addresses."""
    page.wait_for_load_state("networkidle")
    page.wait_for_timeout(300)
    page.locator("label.md-header__button[for='__search']").click()
    field = page.locator("input.md-search__input")
    field.fill(words)
    field.press("End")  # a phone keyboard sends key events; Material searches on keyup
    page.locator(".md-search-result__item").first.wait_for()
    hrefs = page.locator(".md-search-result__item a").evaluate_all("l => l.map(a => a.href)")
    return [urljoin(page.url, href).split("?")[0].split("#")[0] for href in hrefs]


def pamphlets_with(site, language: str, pattern: str) -> set[str]:
    """The pamphlets whose page, as built, holds a word matching `pattern`."""
    found = set()
    for slug in PAMPHLETS:
        html = (site / f"{language_root(language)}pamphlets/{slug}/index.html").read_text("utf-8")
        article = html[html.index("<article") : html.index("</article>")]
        if re.search(pattern, re.sub(r"<[^>]+>", " ", article)):
            found.add(slug)
    return found


def capitalised_only_word() -> str:
    """An Azerbaijani word that the texts write only with a capital İ (at the start of a
    sentence): a reader types it with a small i."""
    words: dict[str, set[str]] = {}
    for slug in PAMPHLETS:
        text = (REPO / "pamphlets" / slug / "az.md").read_text(encoding="utf-8")
        for word in re.findall(r"\w+", text):
            words.setdefault(word.lower().replace("i̇", "i"), set()).add(word)
    for lower, forms in sorted(words.items(), key=lambda item: -len(item[0])):
        if all(form.startswith("İ") for form in forms) and len(lower) > 5:
            return "i" + lower[1:]
    raise AssertionError("no Azerbaijani word is written only with a capital İ")


# (language, what the reader types, what the text holds: a regular expression)
QUERIES = [
    ("ru", "договору", r"(?i)\bдоговор"),  # a case ending the text does not have: stemming
    ("ru", "разрешению", r"(?i)\bразрешени"),
    ("ru", "разрешенного", r"(?i)\bразрешённого"),  # typed without ё
    ("az", "isegoturen", r"(?i)işəgötürən"),  # typed without ş, ə, ö
    ("az", "İCAZƏ", r"(?i)\bicazə"),
    ("fa", "كار", r"کار"),  # Arabic kaf, as an Arabic keyboard types it
    ("fa", "يك", r"یک"),  # Arabic yeh and kaf
    ("fa", "۱۵", r"\b15\b"),  # Persian digits; the facts are written 0-9
    ("fa", "میتوانید", r"می\u200cتوانید"),  # typed without the zero-width non-joiner
    ("uk", "ДОЗВІЛ", r"(?i)\bдозвіл"),
    ("en", "permits", r"(?i)\bpermit\b"),  # stemmed: the text says "permit"
]


@pytest.mark.parametrize(("language", "query", "pattern"), QUERIES)
def test_search_finds_what_people_type(
    phone, repo_site, repo_url: str, language: str, query: str, pattern: str
) -> None:
    expected = pamphlets_with(repo_site, language, pattern)
    assert expected, f"no pamphlet in {language} holds {pattern}"
    phone.goto(repo_url + language_root(language))
    results = search(phone, query)
    base = f"{repo_url}{language_root(language)}pamphlets/"
    found = {href[len(base) :].strip("/") for href in results if href.startswith(base)}
    assert found & expected, (query, sorted(found), sorted(expected))


def test_search_finds_an_azerbaijani_word_written_with_a_capital_i(
    phone, repo_site, repo_url: str
) -> None:
    word = capitalised_only_word()
    expected = pamphlets_with(repo_site, "az", "İ" + re.escape(word[1:]))
    phone.goto(repo_url)
    results = search(phone, word)
    found = {href.split("/pamphlets/")[1].strip("/") for href in results if "/pamphlets/" in href}
    assert found & expected, (word, sorted(found), sorted(expected))
