"""A reader on a prepaid mobile connection: what a first visit to a pamphlet page costs."""

from __future__ import annotations

import gzip
from pathlib import Path
from urllib.parse import unquote, urlparse

import pytest

BUDGET = 150 * 1024  # bytes, counted at their gzip size


def first_visit_bytes(browser, site: Path, url: str) -> tuple[int, list[str]]:
    """Every resource a first visit loads (in a fresh browser profile), at its gzip size."""
    context = browser.new_context(viewport={"width": 412, "height": 900})
    page = context.new_page()
    loaded: list[str] = []
    failed: list[str] = []
    page.on("requestfinished", lambda request: loaded.append(request.url))
    page.on("requestfailed", lambda request: failed.append(request.url))
    page.goto(url)
    page.wait_for_load_state("networkidle")
    page.wait_for_timeout(500)
    context.close()
    total = 0
    for resource in loaded:
        path = site / unquote(urlparse(resource).path).lstrip("/")
        if path.is_dir():
            path = path / "index.html"
        total += len(gzip.compress(path.read_bytes(), 6))
    return total, failed + [
        r for r in loaded if not (site / unquote(urlparse(r).path).lstrip("/")).exists()
    ]


@pytest.mark.parametrize(
    "path",
    [
        "ru/pamphlets/rights-and-duties/",
        "fa/pamphlets/work-permit-and-residence/",
        "pamphlets/documents-for-abroad/",
    ],
)
def test_a_pamphlet_page_stays_within_the_budget(
    browser, repo_site: Path, repo_url: str, path: str
) -> None:
    total, failed = first_visit_bytes(browser, repo_site, repo_url + path)
    assert failed == []  # nothing requested in vain (no 404s on a slow connection)
    assert total <= BUDGET, f"{total / 1024:.0f} KB"


def test_search_index_holds_only_the_readers_language(repo_site: Path) -> None:
    import json

    for language in ("ru", "fa"):
        index = json.loads((repo_site / language / "search/search_index.json").read_text())
        assert index["docs"]
        assert all(
            not doc["location"].startswith(("ru/", "fa/", "en/", "uk/")) for doc in index["docs"]
        )
    root = json.loads((repo_site / "search/search_index.json").read_text())
    assert all(not doc["location"].startswith(("ru/", "fa/", "en/", "uk/")) for doc in root["docs"])
