"""The fixture project built end to end with the `pamphlets` command, as an editor runs it."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import run_pamphlets

EXPECTED_PAGES = sorted(
    f"{prefix}{page}"
    for prefix in ("", "ru/", "fa/")
    for page in (
        "index.html",
        "pamphlets/index.html",
        "pamphlets/alpha/index.html",
        "pamphlets/beta/index.html",
        "print-runs/index.html",
        "downloads/index.html",
        "translation-status/index.html",
        "404.html",  # a 404 page per language
    )
)


@pytest.fixture
def built(mini: Path) -> Path:
    result = run_pamphlets(mini, "build")
    assert result.returncode == 0, result.stderr
    assert "Built" in result.stdout
    return mini / "site"


def html(site: Path, relative: str) -> str:
    return (site / relative).read_text(encoding="utf-8")


def test_every_language_has_every_page(mini_site: Path) -> None:
    built = mini_site
    pages = sorted(path.relative_to(built).as_posix() for path in built.rglob("*.html"))
    assert pages == sorted(EXPECTED_PAGES)


def test_pamphlet_page_has_title_facts_and_tel_links(mini_site: Path) -> None:
    built = mini_site
    page = html(built, "ru/pamphlets/alpha/index.html")
    assert "<h1" in page and "Права альфа" in page
    assert '<a href="tel:152">152</a>' in page
    assert "400 AZN" in page


def test_link_between_pamphlets_stays_in_the_language(mini_site: Path) -> None:
    built = mini_site
    assert 'href="../beta/"' in html(built, "ru/pamphlets/alpha/index.html")
    assert 'href="../beta/#help"' in html(built, "pamphlets/alpha/index.html")


def test_persian_pages_are_right_to_left(mini_site: Path) -> None:
    built = mini_site
    for relative in ("fa/index.html", "fa/pamphlets/alpha/index.html"):
        assert '<body dir="rtl"' in html(built, relative)
    assert '<body dir="ltr"' in html(built, "ru/index.html")


def test_missing_translation_falls_back_with_a_notice(mini_site: Path) -> None:
    built = mini_site
    page = html(built, "fa/pamphlets/beta/index.html")
    assert "این جزوه هنوز به فارسی نیست؛ متن به زبان Русский نمایش داده می‌شود." in page
    # The Russian text is marked as Russian, left to right, inside the Persian page.
    assert re.search(r'<div dir="ltr" lang="ru">|<div lang="ru" dir="ltr">', page)
    assert "Текст беты по-русски" in page


def test_draft_notice_in_the_readers_language(mini_site: Path) -> None:
    built = mini_site
    assert "Черновик: юрист ещё не проверил этот текст." in html(
        built, "ru/pamphlets/alpha/index.html"
    )
    assert "Draft: not yet checked by a lawyer." not in html(built, "pamphlets/alpha/index.html")
    assert "Draft: not yet checked by a lawyer." in html(built, "pamphlets/beta/index.html")


def test_home_lists_pamphlets_and_languages(mini_site: Path) -> None:
    built = mini_site
    page = html(built, "fa/index.html")
    assert "حقوق آلفا" in page and "آنچه آلفا به شما می‌گوید." in page
    assert 'href="pamphlets/alpha/"' in page
    # Beta has no Persian text: the list shows its Russian title, marked as Russian.
    assert "Бета помощь" in page
    for name, href in (("English", "../"), ("Русский", "../ru/"), ("فارسی", "./")):
        assert re.search(rf'<a href="{re.escape(href)}" hreflang="[a-z]+"[^>]*>{name}</a>', page)
    assert 'href="tel:152"' in html(built, "index.html")


def test_language_switcher_leads_to_the_same_pamphlet(mini_site: Path) -> None:
    built = mini_site
    page = html(built, "ru/pamphlets/beta/index.html")
    assert re.search(r'href="\.\./\.\./\.\./fa/pamphlets/beta/"\s+hreflang="fa"', page)
    assert re.search(r'href="\.\./\.\./\.\./pamphlets/beta/"\s+hreflang="en"', page)


def test_no_address_of_another_host_is_loaded(mini_site: Path) -> None:
    built = mini_site
    for path in built.rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        for tag in re.findall(r"<(?:script|link|img|iframe)\b[^>]*>", text):
            if re.search(r'rel="(?:canonical|alternate)"', tag):
                continue  # names the page's address; the browser loads nothing from it
            assert not re.search(r'(?:src|href)="(?:https?:)?//', tag), (path, tag)


def test_removed_pamphlet_page_disappears(mini: Path, built: Path) -> None:
    import shutil

    text = (mini / "pamphlets/alpha/en.md").read_text()
    (mini / "pamphlets/alpha/en.md").write_text(text.replace("[beta](../beta/en.md#help)", "x"))
    for language in ("ru", "fa"):
        path = mini / f"pamphlets/alpha/{language}.md"
        path.write_text(path.read_text().split("Прочитайте")[0].split("[بتا]")[0])
    shutil.rmtree(mini / "pamphlets/beta")
    (mini / "pamphlets/print-runs.yml").unlink()  # it records a run of beta
    result = run_pamphlets(mini, "build")
    assert result.returncode == 0, result.stderr
    assert not (mini / "docs/pamphlets/beta").exists()
    assert not (mini / "site/pamphlets/beta").exists()


def break_and_build(mini: Path, relative: str, text: str):
    before = {p: p.read_bytes() for p in (mini / "site").rglob("*") if p.is_file()}
    (mini / relative).write_text(text, encoding="utf-8")
    result = run_pamphlets(mini, "build")
    after = {p: p.read_bytes() for p in (mini / "site").rglob("*") if p.is_file()}
    return result, before, after


def test_bad_input_fails_clearly_and_keeps_the_previous_site(built: Path, mini: Path) -> None:
    result, before, after = break_and_build(
        mini, "pamphlets/beta/ru.md", "---\ntitle: T\nsummary: S\nstatus: done\n---\n\nText\n"
    )
    assert result.returncode == 1
    assert (
        "pamphlets/beta/ru.md:4: 'status' must be one of draft, reviewed, untranslated; "
        "got 'done'"
    ) in result.stderr
    assert "Traceback" not in result.stderr
    assert after == before


def test_broken_anchor_fails_the_build_and_names_the_file(built: Path, mini: Path) -> None:
    text = (mini / "pamphlets/alpha/en.md").read_text().replace("#help", "#no-such-section")
    result, before, after = break_and_build(mini, "pamphlets/alpha/en.md", text)
    assert result.returncode == 1
    # The source file and line, not the generated page MkDocs would have named.
    assert "pamphlets/alpha/en.md:13: link '../beta/en.md#no-such-section'" in result.stderr
    assert "index.en.md" not in result.stderr
    assert "Traceback" not in result.stderr
    assert after == before


def test_raw_html_in_a_docs_page_is_refused(built: Path, mini: Path) -> None:
    result, before, after = break_and_build(
        mini, "docs/index.ru.md", "# Главная\n\n<img src=x onerror=alert(1)>\n"
    )
    assert result.returncode == 1
    assert "docs/index.ru.md:3: raw HTML is not allowed (<img src=x onerror=alert(1)>)" in (
        result.stderr
    )
    assert after == before


def test_check_writes_nothing(mini: Path) -> None:
    result = run_pamphlets(mini, "check")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("OK: 2 pamphlets, 5 translations, 3 facts, 3 languages")
    assert "hotline: 152 (checked 2020-01-01" in result.stdout
    assert not (mini / "site").exists()
    assert not (mini / "docs/pamphlets").exists()


def test_check_reports_problems_without_traceback(mini: Path) -> None:
    (mini / "pamphlets/alpha/en.md").write_bytes(b"\xff\xfe broken")
    result = run_pamphlets(mini, "check")
    assert result.returncode == 1
    assert "pamphlets/alpha/en.md:1: is not UTF-8 text (byte 0xff)" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_docs_page_error_names_the_line_in_the_file(built: Path, mini: Path) -> None:
    text = "---\ntitle: Главная\n---\n\n# Главная\n\nЗвоните {{ fact.hotlnie }}.\n"
    result, before, after = break_and_build(mini, "docs/index.ru.md", text)
    assert result.returncode == 1
    assert "docs/index.ru.md:7: unknown fact 'hotlnie'" in result.stderr
    assert after == before
