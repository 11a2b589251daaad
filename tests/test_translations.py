"""Translation status on fixture histories, the translate command, outdated notices, and
the release build."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
from conftest import run_pamphlets
from pamphlet_press.content.catalog import load_catalog
from pamphlet_press.content.translation_status import status_matrix
from pamphlet_press.web.project import load_project
from pypdf import PdfReader


def git(project: Path, *args: str, date: str = "2026-03-01T12:00:00") -> None:
    env = {
        "GIT_AUTHOR_DATE": date, "GIT_COMMITTER_DATE": date, "GIT_AUTHOR_NAME": "Editor",
        "GIT_AUTHOR_EMAIL": "editor@example.org", "GIT_COMMITTER_NAME": "Editor",
        "GIT_COMMITTER_EMAIL": "editor@example.org", "PATH": "/usr/bin:/bin",
    }  # fmt: skip
    subprocess.run(["git", "-C", str(project), *args], check=True, capture_output=True, env=env)


@pytest.fixture
def history(mini: Path) -> Path:
    """The fixture project as a git repository: the sources committed on 1 March, then the
    English source of alpha changed on 15 April (its translations are now behind)."""
    git(mini, "init", "-q")
    git(mini, "add", "pamphlets", "docs", "mkdocs.yml")
    git(mini, "commit", "-q", "-m", "first texts")
    source = mini / "pamphlets/alpha/en.md"
    source.write_text(source.read_text().replace("Register within fifteen days.",
                      "Register within fifteen days, at the address where you live."))  # fmt: skip
    git(mini, "commit", "-q", "-am", "alpha: say where to register", date="2026-04-15T09:00:00")
    return mini


def matrix_of(project: Path) -> dict[tuple[str, str], object]:
    settings = load_project(str(project / "mkdocs.yml")).settings
    return {(s.pamphlet, s.language): s for s in status_matrix(load_catalog(settings))}


def test_status_before_any_change(mini: Path) -> None:
    states = {key: item.state for key, item in matrix_of(mini).items()}
    assert states == {
        ("alpha", "en"): "reviewed", ("alpha", "ru"): "draft", ("alpha", "fa"): "draft",
        ("beta", "en"): "draft", ("beta", "ru"): "draft", ("beta", "fa"): "missing",
    }  # fmt: skip
    assert matrix_of(mini)[("alpha", "en")].is_source


def test_a_changed_source_makes_its_translations_outdated(history: Path) -> None:
    matrix = matrix_of(history)
    ru = matrix[("alpha", "ru")]
    assert ru.state == "outdated" and ru.review == "draft"
    assert ru.outdated_since == "2026-04-15"
    assert "-Register within fifteen days." in ru.source_changes
    assert "+Register within fifteen days, at the address where you live." in ru.source_changes
    assert matrix[("alpha", "fa")].state == "outdated"
    assert matrix[("beta", "ru")].state == "draft"  # its source did not change


def test_an_uncommitted_change_counts_too(history: Path) -> None:
    source = history / "pamphlets/beta/en.md"
    source.write_text(source.read_text().replace("Ask for help.", "Ask for help at once."))
    beta = matrix_of(history)[("beta", "ru")]
    assert beta.state == "outdated"
    assert "+Ask for help at once." in beta.source_changes


def test_a_translation_that_does_not_say_its_base_is_outdated(mini: Path) -> None:
    path = mini / "pamphlets/beta/ru.md"
    path.write_text("\n".join(line for line in path.read_text().splitlines()
                              if not line.startswith("translated_from")) + "\n")  # fmt: skip
    beta = matrix_of(mini)[("beta", "ru")]
    assert beta.state == "outdated"
    assert beta.reason.startswith("it does not say which version of the source")


def test_status_command_table_and_json(history: Path) -> None:
    table = run_pamphlets(history, "status")
    assert table.returncode == 0, table.stderr
    assert "alpha" in table.stdout and "outdated 2026-04-15" in table.stdout
    assert "reviewed (source)" in table.stdout and "missing" in table.stdout
    rows = json.loads(run_pamphlets(history, "status", "--format", "json").stdout)
    ru = next(row for row in rows if (row["pamphlet"], row["language"]) == ("alpha", "ru"))
    assert ru["state"] == "outdated" and "at the address" in ru["source_changes"]


def test_translate_starts_a_stub_that_is_not_published(mini: Path) -> None:
    result = run_pamphlets(mini, "translate", "beta", "fa")
    assert result.returncode == 0, result.stderr
    assert "Wrote pamphlets/beta/fa.md (14 words to translate)" in result.stdout
    text = (mini / "pamphlets/beta/fa.md").read_text(encoding="utf-8")
    assert "status: untranslated" in text and "Beta text in English." in text
    assert matrix_of(mini)[("beta", "fa")].state == "untranslated"
    assert run_pamphlets(mini, "check").returncode == 0
    # Persian readers still get the fallback, and no Persian leaflet is made of the stub.
    assert run_pamphlets(mini, "build", "--no-offline").returncode == 0
    page = (mini / "site/fa/pamphlets/beta/index.html").read_text(encoding="utf-8")
    assert "pamphlet-fallback" in page
    assert not (mini / "site/pdf/beta-fa-screen.pdf").exists()
    manifest = json.loads((mini / "site/downloads.json").read_text(encoding="utf-8"))
    assert ("beta", "fa") not in {(f["pamphlet"], f["language"]) for f in manifest["files"]}


def test_translate_done_publishes_a_stub_and_records_the_source_version(mini: Path) -> None:
    run_pamphlets(mini, "translate", "beta", "fa")
    stub = mini / "pamphlets/beta/fa.md"
    stub.write_text(
        stub.read_text(encoding="utf-8").replace("Beta text in English.", "متن بتا."),
        encoding="utf-8",
    )
    result = run_pamphlets(mini, "translate", "--done", "beta", "fa")
    assert result.returncode == 0, result.stderr
    source = matrix_of(mini)  # the catalog's view after the change
    text = stub.read_text(encoding="utf-8")
    assert "status: draft" in text and "# Translate the title" not in text
    assert source[("beta", "fa")].state == "draft"
    version = load_catalog(load_project(str(mini / "mkdocs.yml")).settings).pamphlets[1]
    assert f"translated_from: {version.translations['en'].version}" in text


def test_translate_shows_what_changed_for_an_outdated_translation(history: Path) -> None:
    result = run_pamphlets(history, "translate", "alpha", "ru")
    assert result.returncode == 0, result.stderr
    assert "is outdated: the source changed on 2026-04-15" in result.stdout
    assert "+Register within fifteen days, at the address where you live." in result.stdout
    assert "pamphlets translate --done alpha ru" in result.stdout


def test_outdated_pages_and_leaflets_say_so(history: Path) -> None:
    result = run_pamphlets(history, "build", "--no-offline")
    assert result.returncode == 0, result.stderr
    page = (history / "site/ru/pamphlets/alpha/index.html").read_text(encoding="utf-8")
    assert "pamphlet-outdated" in page
    assert 'href="../../../pamphlets/alpha/" hreflang="en"' in page  # the English original
    fresh = (history / "site/ru/pamphlets/beta/index.html").read_text(encoding="utf-8")
    assert "pamphlet-outdated" not in fresh
    reader = PdfReader(history / "site/pdf/alpha-ru-print.pdf")
    for page_pdf in reader.pages:
        assert "The original text has changed" in " ".join(page_pdf.extract_text().split())


def test_release_build_refuses_drafts_and_outdated_texts(history: Path) -> None:
    # (tests/test_release.py has the rest of the release gate.)
    result = run_pamphlets(history, "build", "--release", "-p", "alpha", "-l", "ru")
    assert result.returncode == 1
    assert "alpha (ru): a draft; outdated (its original changed since)" in result.stderr
    assert "draft: a lawyer who reads the language reviews the text" in result.stderr
    assert not (history / "release").exists() and not (history / "site").exists()
