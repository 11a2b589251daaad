"""Accessibility: axe-core in a real Chromium on the main kinds of page, in a left-to-right
and a right-to-left language; and the screen PDFs' tags."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import REPO, count
from pypdf import PdfReader

# Where scripts/setup.sh installs axe-core (.venv/node), or where a checkout set up before
# the virtual environment has it.
AXE = next(
    (
        path
        for path in (
            REPO / ".venv/node/node_modules/axe-core/axe.min.js",
            REPO / ".cache/npm/node_modules/axe-core/axe.min.js",
        )
        if path.exists()
    ),
    REPO / ".venv/node/node_modules/axe-core/axe.min.js",
)
PAGES = ["", "pamphlets/rights-and-duties/", "pamphlets/trafficking-and-forced-labour/",
         "downloads/", "translation-status/", "print-runs/", "404.html"]  # fmt: skip
LANGUAGES = ["az", "ru", "fa"]


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("path", PAGES)
def test_no_serious_accessibility_violation(browser, repo_url: str, language: str, path: str):
    if not AXE.exists():
        pytest.fail("axe-core is not installed: run scripts/setup.sh")
    # The site's Content-Security-Policy (rightly) refuses the injected axe script.
    context = browser.new_context(bypass_csp=True, viewport={"width": 412, "height": 900})
    page = context.new_page()
    prefix = "" if language == "az" else f"{language}/"
    page.goto(repo_url + prefix + path)
    page.add_script_tag(path=str(AXE))
    results = page.evaluate(
        "async () => (await axe.run(document, {runOnly: ['wcag2a', 'wcag2aa', 'wcag21aa', "
        "'best-practice']})).violations.map(v => ({id: v.id, impact: v.impact, "
        "nodes: v.nodes.length, help: v.help}))"
    )
    context.close()
    grave = [v for v in results if v["impact"] in ("serious", "critical")]
    count("accessibility checks (page x language), without a serious violation", not grave)
    count("found: accessibility violations of moderate or minor impact", False,
          amount=len(results) - len(grave))  # fmt: skip
    assert grave == [], grave


def _headings(node, found: list[str]) -> None:
    node = node.get_object()
    role = node.get("/S")
    if role in ("/H1", "/H2", "/H3", "/H4", "/H5", "/H6"):
        found.append(str(role)[1:])
    kids = node.get("/K")
    if kids is None:
        return
    for kid in kids if isinstance(kids, list) else [kids]:
        kid = kid.get_object() if hasattr(kid, "get_object") else kid
        if isinstance(kid, dict) or hasattr(kid, "get"):
            try:
                _headings(kid, found)
            except AttributeError:
                continue


@pytest.mark.parametrize("language", LANGUAGES)
def test_screen_pdfs_are_tagged_with_headings_in_order(repo_site: Path, language: str) -> None:
    path = repo_site / f"pdf/rights-and-duties-{language}-screen.pdf"
    reader = PdfReader(path)
    root = reader.trailer["/Root"]
    assert bool(root["/MarkInfo"]["/Marked"])
    assert root["/Lang"] == language and reader.metadata.title
    headings: list[str] = []
    _headings(root["/StructTreeRoot"], headings)
    assert headings[0] == "H1" and "H2" in headings
    levels = [int(h[1]) for h in headings]
    jumps = [(a, b) for a, b in zip(levels, levels[1:], strict=False) if b > a + 1]
    assert jumps == [], headings  # never from H1 straight to H3
