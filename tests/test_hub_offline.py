"""The downloads hub against the manifest and the bundles, and the offline copy opened
from file:// in a real Chromium."""

from __future__ import annotations

import json
import re
import zipfile
from pathlib import Path
from urllib.parse import urljoin

import pytest
from conftest import REPO

LANGUAGES = ["az", "ru", "en", "uk", "fa"]


def manifest(site: Path) -> dict:
    return json.loads((site / "downloads.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("language", ["az", "fa"])
def test_hub_links_every_pdf_and_bundle_of_the_manifest(repo_site: Path, language: str) -> None:
    prefix = "" if language == "az" else f"{language}/"
    page_path = repo_site / prefix / "downloads/index.html"
    page = page_path.read_text(encoding="utf-8")
    base = "http://x/" + prefix + "downloads/"
    links = {urljoin(base, href) for href in re.findall(r'href="([^"#]+)"', page)}
    data = manifest(repo_site)
    for entry in data["files"]:
        assert "http://x/" + entry["path"] in links, entry["path"]
        assert entry["sha256"] in page
    for bundle in data["bundles"]:
        assert "http://x/" + bundle["path"] in links
    covers = re.findall(r'<img class="hub-card__cover" src="([^"]+)"', page)
    assert len(covers) == len([e for e in data["files"] if e["variant"] == "screen"])
    for cover in covers:
        assert (repo_site / urljoin(base, cover).removeprefix("http://x/")).exists()


def test_bundles_hold_what_the_manifest_says(repo_site: Path) -> None:
    data = manifest(repo_site)
    assert sorted(b["language"] for b in data["bundles"]) == sorted([*LANGUAGES, "all"])
    for bundle in data["bundles"]:
        with zipfile.ZipFile(repo_site / bundle["path"]) as archive:
            names = sorted(archive.namelist())
            assert names == bundle["contents"]
            # The licence travels with the leaflets, in their language (issue 14).
            assert "LICENCE.txt" in names
            notice = archive.read("LICENCE.txt").decode("utf-8")
            assert "CC BY 4.0" in notice and data["licence"]["url"] in notice
            if bundle["language"] == "ru":
                assert "Legal Analysis and Research Public Union" in notice
                assert "deed.ru" in notice and "You may" not in notice
            if bundle["language"] == "all":
                assert all(f"deed.{code}" in notice for code in LANGUAGES)
            names.remove("LICENCE.txt")
            expected = [e for e in data["files"] if e["variant"] in ("screen", "print")
                        and bundle["language"] in ("all", e["language"])]  # fmt: skip
            assert len(names) == len(expected)
            for entry in expected:
                name = (
                    entry["file"]
                    if bundle["language"] != "all"
                    else (f"{entry['language']}/{entry['file']}")
                )
                assert archive.read(name) == (repo_site / entry["path"]).read_bytes()


def test_hub_narrows_to_one_language_without_javascript(browser, repo_url: str) -> None:
    context = browser.new_context(java_script_enabled=False, viewport={"width": 412, "height": 900})
    page = context.new_page()
    page.goto(f"{repo_url}ru/downloads/")
    assert page.locator(".hub-language:visible").count() == len(LANGUAGES)
    page.locator(".hub-filter a[hreflang='fa']").click()
    visible = page.locator(".hub-language:visible")
    assert visible.count() == 1 and visible.get_attribute("id") == "hub-fa"
    persian = len(list((REPO / "pamphlets").glob("*/fa.md")))
    assert page.locator("#hub-fa .hub-card").count() == persian
    page.locator(".hub-filter a[href='#hub']").click()
    assert page.locator(".hub-language:visible").count() == len(LANGUAGES)
    context.close()


@pytest.fixture(scope="session")
def offline_site(repo_site: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    data = manifest(repo_site)
    assert data["offline"]["path"] == "offline-site.zip"
    folder = tmp_path_factory.mktemp("usb-stick")
    with zipfile.ZipFile(repo_site / "offline-site.zip") as archive:
        archive.extractall(folder)
    return folder / "site"


def test_offline_copy_works_from_the_file_system(browser, offline_site: Path) -> None:
    context = browser.new_context(viewport={"width": 412, "height": 900})
    page = context.new_page()
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto((offline_site / "index.html").as_uri())
    page.locator(".language-picker a[hreflang='uk']").click()
    page.wait_for_url("**/uk/index.html")
    page.locator(".pamphlet-list a").first.click()
    page.wait_for_url("**/uk/pamphlets/*/index.html")
    assert page.locator("h1").count() == 1
    # The language switcher leads to the same pamphlet, in Persian, right to left.
    target = page.locator(".md-select__link[hreflang='fa']").get_attribute("href")
    page.goto(urljoin(page.url, target))
    assert page.locator("body").get_attribute("dir") == "rtl"
    assert page.url.endswith("/fa/pamphlets/rights-and-duties/index.html")
    # Search works without a server.
    page.wait_for_load_state("networkidle")
    page.locator("label.md-header__button[for='__search']").click()
    field = page.locator("input.md-search__input")
    field.fill("هشدار")
    field.press("End")
    page.locator(".md-search-result__item").first.wait_for()
    # The PDFs are in the copy too.
    link = page.locator("a.pamphlet-download--screen").get_attribute("href")
    assert Path(urljoin(page.url, link).removeprefix("file://")).exists()
    assert [url for url in requests if not url.startswith("file://")] == []
    context.close()
