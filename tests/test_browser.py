"""The built site in a real Chromium, as a reader on a phone uses it."""

from __future__ import annotations

from urllib.parse import urljoin

import pytest
import yaml
from conftest import REPO, copy_fixture, run_pamphlets, serve

pytestmark = pytest.mark.browser

LANGUAGES = ["az", "ru", "en", "uk", "fa"]
PAMPHLETS = sorted(path.parent.name for path in (REPO / "pamphlets").glob("*/pamphlet.yml"))


def language_root(language: str) -> str:
    return "" if language == "az" else f"{language}/"


def title_of(slug: str, language: str) -> str:
    text = (REPO / "pamphlets" / slug / f"{language}.md").read_text(encoding="utf-8")
    return yaml.safe_load(text.split("---")[1])["title"]


def ui_string(language: str, key: str) -> str:
    path = REPO / "pamphlets" / "ui" / f"{language}.yml"
    return yaml.safe_load(path.read_text(encoding="utf-8"))[key]


@pytest.fixture(scope="session")
def mini_url(tmp_path_factory: pytest.TempPathFactory):
    project = copy_fixture("mini", tmp_path_factory.mktemp("mini-browser") / "mini")
    result = run_pamphlets(project, "build")
    assert result.returncode == 0, result.stderr
    url, server = serve(project / "site")
    yield url
    server.shutdown()


def test_language_switcher_leads_to_the_same_pamphlet(page, repo_url: str) -> None:
    slug = "work-permit-and-residence"
    page.goto(f"{repo_url}ru/pamphlets/{slug}/")
    for language in LANGUAGES:
        link = page.locator(f".md-select__link[hreflang='{language}']")
        target = urljoin(page.url, link.get_attribute("href"))
        assert target == f"{repo_url}{language_root(language)}pamphlets/{slug}/"
    # Use it as a reader does: open the language menu, pick Persian.
    page.locator(".md-header__option .md-select").hover()
    page.locator(".md-select__link[hreflang='fa']").click()
    page.wait_for_url(f"{repo_url}fa/pamphlets/{slug}/")
    assert page.locator("h1").first.inner_text() == title_of(slug, "fa")
    assert page.locator("html").get_attribute("lang") == "fa"


def test_persian_pages_are_right_to_left_navigation_included(page, repo_url: str) -> None:
    for path in ["fa/", "fa/about/", *[f"fa/pamphlets/{slug}/" for slug in PAMPHLETS]]:
        page.goto(repo_url + path)
        assert page.locator("body").get_attribute("dir") == "rtl", path
        for selector in ("body", ".md-nav--primary", ".md-content", ".md-header"):
            direction = page.locator(selector).first.evaluate(
                "element => getComputedStyle(element).direction"
            )
            assert direction == "rtl", (path, selector)
    page.goto(repo_url + "ru/")
    assert page.locator("body").get_attribute("dir") == "ltr"


def search(page, words: str) -> None:
    """Open the search and type, as a reader does, once the search index has loaded."""
    page.wait_for_load_state("networkidle")  # the page has fetched the search index
    page.wait_for_timeout(300)  # and the search worker has built it
    page.locator("label.md-header__button[for='__search']").click()
    field = page.locator("input.md-search__input")
    # Playwright enters letters that are not on its US keyboard without key events, but a
    # phone keyboard sends them and Material listens for keyup: send one.
    field.fill(words)
    field.press("End")


def test_no_request_to_another_host(page, repo_url: str) -> None:
    paths = [language_root(language) for language in LANGUAGES]
    paths += [
        f"{language_root(lang)}pamphlets/{slug}/" for lang in ("az", "fa") for slug in PAMPHLETS
    ]
    paths += ["about/", "ru/about/", "fa/pamphlets/"]
    for path in paths:
        page.goto(repo_url + path)
        page.wait_for_load_state("networkidle")
    # Search loads its index and worker on first use: use it too.
    search(page, "152")
    page.locator(".md-search-result__item").first.wait_for()
    others = [url for url in page.requests if not url.startswith(repo_url)]
    assert others == []
    assert len(page.requests) > len(paths)


def heading_word(language: str) -> tuple[str, str]:
    """(a pamphlet, the longest word of its first section heading) in a language, read from
    the sources: what a reader might type, whatever the texts say this year."""
    for slug in PAMPHLETS:
        path = REPO / "pamphlets" / slug / f"{language}.md"
        if not path.exists():
            continue
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.startswith("## "):
                words = [w.strip("*:()«».,") for w in line[3:].split() if "{" not in w]
                return slug, max(words, key=len)
    raise AssertionError(f"no pamphlet in {language} has a section heading")


@pytest.mark.parametrize("language", LANGUAGES)
def test_search_finds_a_word_in_each_language(page, repo_url: str, language: str):
    slug, word = heading_word(language)
    page.goto(repo_url + language_root(language))
    search(page, word.lower())
    results = page.locator(".md-search-result__item a")
    results.first.wait_for()
    hrefs = [urljoin(page.url, href) for href in results.evaluate_all("l => l.map(a => a.href)")]
    expected = f"{repo_url}{language_root(language)}pamphlets/{slug}/"
    assert any(href.startswith(expected) for href in hrefs), (word, hrefs)


def test_draft_notice_is_visible_in_the_readers_language(page, mini_url: str) -> None:
    # In the fixture project, alpha is a draft in Russian and in Persian.
    for language in ("ru", "fa"):
        page.goto(f"{mini_url}{language}/pamphlets/alpha/")
        notice = page.locator(".pamphlet-draft")
        assert notice.is_visible()
        strings = yaml.safe_load(
            (REPO / f"tests/fixtures/mini/pamphlets/ui/{language}.yml").read_text("utf-8")
        )
        # One line at the top, seen without scrolling; what it means is behind it.
        summary = notice.locator("summary")
        assert summary.inner_text().strip() == strings["draft_summary"]
        box = notice.bounding_box()
        assert box is not None and box["y"] < 400 and box["height"] < 80
        assert not notice.locator("p").is_visible()
        summary.click()
        assert notice.locator("p").inner_text().strip() == strings["draft_notice"]
    page.goto(f"{mini_url}pamphlets/alpha/")  # reviewed in English: no notice
    assert page.locator(".pamphlet-draft").count() == 0


def test_phone_numbers_are_links_that_read_left_to_right(page, repo_url: str) -> None:
    phone = yaml.safe_load((REPO / "pamphlets/facts.yml").read_text("utf-8"))["ngo_phone"]
    page.goto(f"{repo_url}fa/about/")
    link = page.locator(f"a[href='tel:{phone['tel']}']").first
    assert link.inner_text() == phone["value"]
    assert link.evaluate("a => getComputedStyle(a).direction") == "ltr"


def test_fallback_notice_and_text(page, mini_url: str) -> None:
    page.goto(f"{mini_url}fa/pamphlets/beta/")
    notice = page.locator(".pamphlet-fallback")
    assert notice.is_visible()
    assert "به زبان Русский" in notice.inner_text()
    text = page.locator("div[lang='ru']").last
    assert "Текст беты по-русски" in text.inner_text()
    assert text.evaluate("d => getComputedStyle(d).direction") == "ltr"
    assert page.locator("body").get_attribute("dir") == "rtl"


def test_home_page_picker_and_list(page, repo_url: str) -> None:
    page.goto(repo_url)
    picker = page.locator(".language-picker a")
    assert picker.all_inner_texts() == ["Azərbaycanca", "Русский", "English", "Українська", "فارسی"]
    cards = page.locator(".pamphlet-list a")
    assert cards.all_inner_texts() == [title_of(slug, "az") for slug in ordered_slugs()]
    page.locator(".language-picker a[hreflang='uk']").click()
    page.wait_for_url(f"{repo_url}uk/")
    assert page.locator(".pamphlet-list a").first.inner_text() == title_of(ordered_slugs()[0], "uk")


def ordered_slugs() -> list[str]:
    def order(slug: str) -> int:
        text = (REPO / "pamphlets" / slug / "pamphlet.yml").read_text(encoding="utf-8")
        return yaml.safe_load(text)["order"]

    return sorted(PAMPHLETS, key=order)


def test_content_security_policy_holds_on_every_page(browser, repo_site, repo_url: str) -> None:
    """Every page of the built site, in a real Chromium: the policy is in force (an injected
    inline script is refused) and the site itself never violates it."""
    from conftest import count

    context = browser.new_context(viewport={"width": 412, "height": 900})
    context.add_init_script(
        "window.__violations = [];"
        "document.addEventListener('securitypolicyviolation',"
        " e => window.__violations.push(e.violatedDirective + ' ' + e.blockedURI));"
    )
    page = context.new_page()
    pages = sorted(p.relative_to(repo_site).as_posix() for p in repo_site.rglob("*.html"))
    for path in pages:
        page.goto(repo_url + path)
        page.wait_for_load_state("networkidle")
        violations = page.evaluate("window.__violations")
        count("pages checked against the Content-Security-Policy", violations == [])
        assert violations == [], (path, violations)
    # The policy is really there: an inline script that is not the site's is refused.
    page.goto(repo_url)
    page.evaluate(
        "() => { const s = document.createElement('script');"
        " s.textContent = 'window.__ran = true'; document.body.appendChild(s); }"
    )
    assert page.evaluate("window.__ran") is None
    assert any("script-src" in v for v in page.evaluate("window.__violations"))
    context.close()
