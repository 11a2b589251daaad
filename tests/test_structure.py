"""The seams of the code, checked where a user or a newcomer would meet them: a project adds
a leaflet format with a record and a stylesheet only; the print templates and the colour
profile stay out of the published site; the MkDocs plugin stays a thin adapter."""

from __future__ import annotations

import ast
import zipfile
from pathlib import Path

import pytest
import yaml
from conftest import REPO, copy_fixture, run_pamphlets
from pamphlet_press.leaflets.preflight import preflight
from pamphlet_press.web.project import load_project
from pypdf import PdfReader

MM = 72 / 25.4

CARD_FORMAT = """
        templates_dir: print/templates
        formats:
          a6-card:
            description: A6 card, folded once
            trim: [105, 148]
            page_counts: [4]
            margin: 8mm 7mm
            body_size: [7, 9]
            label: A6 card
"""

CARD_CSS = """/* The A6 card: small type, no running head. */
html { font-size: 8pt; }
"""


@pytest.mark.slow
def test_a_project_adds_a_format_with_a_record_and_a_stylesheet(tmp_path: Path) -> None:
    project = copy_fixture("mini", tmp_path / "card")
    config = (project / "mkdocs.yml").read_text(encoding="utf-8")
    config = config.replace("  - pamphlets:\n", "  - pamphlets:\n      pdf:" + CARD_FORMAT, 1)
    (project / "mkdocs.yml").write_text(config, encoding="utf-8")
    (project / "print/templates/formats").mkdir(parents=True)
    (project / "print/templates/formats/a6-card.css").write_text(CARD_CSS, encoding="utf-8")
    settings = project / "pamphlets/beta/pamphlet.yml"
    data = yaml.safe_load(settings.read_text(encoding="utf-8"))
    settings.write_text(yaml.safe_dump(dict(data, format="a6-card")), encoding="utf-8")

    result = run_pamphlets(project, "pdf", "--pamphlet", "beta", "--variant", "print")
    assert result.returncode == 0, result.stderr
    pdf = project / ".cache/pdf/beta-en-print.pdf"
    pages = PdfReader(pdf).pages
    assert len(pages) == 4
    for page in pages:
        assert (round(float(page.trimbox.width) / MM), round(float(page.trimbox.height) / MM)) == (
            105,
            148,
        )
    # A format without imposition makes no imposed sheets.
    assert not (project / ".cache/pdf/beta-en-print-imposed.pdf").exists()
    report = run_pamphlets(project, "preflight", "--pamphlet", "beta")
    assert report.returncode == 0, report.stdout + report.stderr
    assert "All 2 print files passed preflight." in report.stdout
    card = load_project(str(project / "mkdocs.yml")).settings.pdf.formats["a6-card"]
    detail = preflight(pdf, card).check("boxes").detail
    assert detail == "A6 card 105 x 148 mm, bleed 3 mm, 4 pages"

    # An unknown format names the ones there are.
    settings.write_text(yaml.safe_dump(dict(data, format="a7-card")), encoding="utf-8")
    result = run_pamphlets(project, "check")
    assert result.returncode != 0
    assert (
        "pamphlets/beta/pamphlet.yml:2: 'format' must be one of a5-booklet, a4-trifold, "
        "a6-card; got 'a7-card'" in result.stderr
    )


def test_print_templates_and_colour_profile_are_not_published(repo_site: Path) -> None:
    published = [path.relative_to(repo_site).as_posix() for path in repo_site.rglob("*")]
    with zipfile.ZipFile(repo_site / "offline-site.zip") as archive:
        published += archive.namelist()
    leaked = [
        name
        for name in published
        if name.endswith((".icc", "leaflet.css", "print.css", "screen.css", "leaflet.html"))
    ]
    assert leaked == []
    assert len(published) > 100  # the site and its copy are there


def imported_modules(path: Path) -> set[str]:
    """The project modules a file imports (relative imports resolved to dotted names)."""
    package = path.parent.relative_to(REPO / "scripts").as_posix().replace("/", ".")
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.level:
            base = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
            found.add(f"{base}.{node.module}" if node.module else base)
    return found


def test_the_plugin_imports_only_the_web_side_and_the_content() -> None:
    plugin = REPO / "scripts/pamphlet_press/web/plugin.py"
    outside = {
        name
        for name in imported_modules(plugin)
        if not name.startswith(("pamphlet_press.web", "pamphlet_press.content"))
        and name != "pamphlet_press.problems"
    }
    assert outside == set()


def test_the_web_side_does_not_import_the_pdf_builder() -> None:
    web = REPO / "scripts/pamphlet_press/web"
    for path in web.glob("*.py"):
        builder = {
            name
            for name in imported_modules(path)
            if name.startswith("pamphlet_press.leaflets")
            and name != "pamphlet_press.leaflets.formats"
        }
        assert builder == set(), path.name
