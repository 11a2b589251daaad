"""Translations through a translation tool (PO files), word counts, what changed in a source
that was never committed, and a new pamphlet's scaffold: as a translator and an editor use
them, from the command line."""

from __future__ import annotations

import subprocess
from pathlib import Path

import polib
import pytest
from conftest import REPO, copy_fixture, run_pamphlets
from pamphlet_press.content.catalog import load_catalog
from pamphlet_press.content.exchange import export_po, import_po
from pamphlet_press.web.project import load_project


def catalog_of(project: Path):
    return load_catalog(load_project(str(project / "mkdocs.yml")).settings)


def test_export_then_import_gives_back_the_same_file(mini: Path, tmp_path: Path) -> None:
    for slug in ("alpha", "beta"):
        before = (mini / f"pamphlets/{slug}/ru.md").read_bytes()
        po = tmp_path / f"{slug}-ru.po"
        exported = run_pamphlets(mini, "export", slug, "ru", "-o", str(po))
        assert exported.returncode == 0, exported.stderr
        assert "0 to translate" in exported.stdout
        imported = run_pamphlets(mini, "import", str(po))
        assert imported.returncode == 0, imported.stderr
        assert (mini / f"pamphlets/{slug}/ru.md").read_bytes() == before


def test_every_translation_of_the_repository_round_trips(tmp_path: Path) -> None:
    catalog = load_catalog(load_project(str(REPO / "mkdocs.yml")).settings)
    checked = 0
    for pamphlet in catalog.pamphlets:
        for language, translation in pamphlet.translations.items():
            if language == pamphlet.settings.source_language:
                continue
            po = tmp_path / f"{pamphlet.slug}-{language}.po"
            export_po(catalog, pamphlet, language).save(str(po))
            target, text, _notes = import_po(catalog, po, po.name)
            assert text == (REPO / translation.path).read_text(encoding="utf-8"), target
            checked += 1
    assert checked >= 1


def test_a_translator_fills_a_po_file_and_the_markdown_comes_back(mini: Path) -> None:
    assert run_pamphlets(mini, "translate", "beta", "fa").returncode == 0
    po_path = mini / "beta-fa.po"
    assert run_pamphlets(mini, "export", "beta", "fa").returncode == 0
    po = polib.pofile(str(po_path))
    assert [entry.msgid for entry in po] == [
        "Beta help", "Where beta sends you.", "Beta text in English.", "Help", "Ask for help.",
    ]  # fmt: skip
    assert all(entry.msgstr == "" for entry in po)
    words = {
        "Beta help": "راهنمای بتا", "Where beta sends you.": "بتا شما را کجا می‌فرستد.",
        "Beta text in English.": "متن بتا به فارسی.", "Help": "کمک",
    }  # fmt: skip
    for entry in po:
        entry.msgstr = words.get(entry.msgid, "")
    po.save()
    # One entry left: the stub stays unpublished.
    result = run_pamphlets(mini, "import", str(po_path))
    assert result.returncode == 0, result.stderr
    assert "1 of 5 entries are not translated yet" in result.stdout
    assert "status: untranslated" in (mini / "pamphlets/beta/fa.md").read_text("utf-8")
    po.find("Ask for help.").msgstr = "کمک بخواهید."
    po.save()
    assert "status: draft" in run_pamphlets(mini, "import", str(po_path)).stdout
    text = (mini / "pamphlets/beta/fa.md").read_text(encoding="utf-8")
    version = catalog_of(mini).pamphlets[1].translations["en"].version
    assert text == (
        "---\ntitle: راهنمای بتا\nsummary: بتا شما را کجا می‌فرستد.\nstatus: draft\n"
        f"translated_from: {version}\n---\n\nمتن بتا به فارسی.\n\n## کمک\n\nکمک بخواهید.\n"
    )
    assert ("beta", "fa") in {(p.slug, lang) for p in catalog_of(mini).pamphlets
                              for lang in p.translations}  # fmt: skip


def test_an_entry_that_loses_a_fact_reference_is_refused(mini: Path) -> None:
    assert run_pamphlets(mini, "export", "alpha", "ru").returncode == 0
    po_path = mini / "alpha-ru.po"
    po = polib.pofile(str(po_path))
    entry = next(entry for entry in po if "{{ fact.hotline }}" in entry.msgid)
    entry.msgstr = "Звоните на горячую линию 152."
    po.save()
    before = (mini / "pamphlets/alpha/ru.md").read_bytes()
    result = run_pamphlets(mini, "import", str(po_path))
    assert result.returncode == 1
    assert (
        f"{po_path}:{entry.linenum}: entry '{entry.msgctxt}': the translation must keep the "
        "fact references of the source ({{ fact.hotline }}, {{ fact.wage }}); it has "
        "{{ fact.wage }}"
    ) not in result.stderr  # the entry holds only the hotline
    assert "must keep the fact references of the source ({{ fact.hotline }}" in result.stderr
    assert "Traceback" not in result.stderr
    assert (mini / "pamphlets/alpha/ru.md").read_bytes() == before


def git(project: Path, *args: str) -> None:
    env = {"GIT_AUTHOR_NAME": "E", "GIT_AUTHOR_EMAIL": "e@example.org",
           "GIT_COMMITTER_NAME": "E", "GIT_COMMITTER_EMAIL": "e@example.org",
           "PATH": "/usr/bin:/bin"}  # fmt: skip
    subprocess.run(["git", "-C", str(project), *args], check=True, capture_output=True, env=env)


def test_an_outdated_translation_exports_the_changed_entries_as_fuzzy(mini: Path) -> None:
    git(mini, "init", "-q")
    git(mini, "add", "pamphlets")
    git(mini, "commit", "-q", "-m", "texts")
    source = mini / "pamphlets/beta/en.md"
    source.write_text(source.read_text().replace("Ask for help.", "Ask us for help."))
    git(mini, "commit", "-q", "-am", "beta: us")
    assert run_pamphlets(mini, "export", "beta", "ru").returncode == 0
    po = polib.pofile(str(mini / "beta-ru.po"))
    fuzzy = [entry.msgid for entry in po.fuzzy_entries()]
    assert "Ask us for help." in fuzzy and "Beta text in English." not in fuzzy
    before = (mini / "pamphlets/beta/ru.md").read_bytes()
    # Imported as it came, nothing is claimed: the file and its translated_from stay.
    assert run_pamphlets(mini, "import", str(mini / "beta-ru.po")).returncode == 0
    assert (mini / "pamphlets/beta/ru.md").read_bytes() == before


def test_status_shows_what_changed_even_when_the_base_was_never_committed(mini: Path) -> None:
    git(mini, "init", "-q")
    git(mini, "add", "pamphlets")
    git(mini, "commit", "-q", "-m", "texts")
    source = mini / "pamphlets/beta/en.md"
    source.write_text(source.read_text().replace("Ask for help.", "Ask for help today."))
    # The translator catches up with the uncommitted source...
    assert run_pamphlets(mini, "translate", "--done", "beta", "ru").returncode == 0
    # ... which changes again, still uncommitted.
    source.write_text(source.read_text().replace("Ask for help today.", "Ask for help now."))
    result = run_pamphlets(mini, "translate", "beta", "ru")
    assert "is outdated: the source changed on" in result.stdout
    assert "-Ask for help today." in result.stdout and "+Ask for help now." in result.stdout


def test_word_counts_per_language(mini: Path) -> None:
    table = run_pamphlets(mini, "status").stdout
    # beta in English: "Beta help", "Where beta sends you.", "Beta text in English.",
    # "Help", "Ask for help." = 14 words; Persian has no beta yet.
    assert "  fa: " in table and ", 14 to translate" in table.split("  fa: ")[1].split("\n")[0]
    assert ", 0 to translate" in table.split("  ru: ")[1].split("\n")[0]


def test_new_scaffolds_a_pamphlet_that_checks_and_builds(tmp_path: Path) -> None:
    project = copy_fixture("mini", tmp_path / "new")
    result = run_pamphlets(project, "new", "housing-rights")
    assert result.returncode == 0, result.stderr
    assert "Wrote pamphlets/housing-rights/pamphlet.yml" in result.stdout
    assert "Wrote pamphlets/housing-rights/en.md" in result.stdout
    assert "pamphlets check" in result.stdout
    settings = (project / "pamphlets/housing-rights/pamphlet.yml").read_text()
    assert "order: 3\nsource_language: en\nformat: a5-booklet\n" in settings
    assert run_pamphlets(project, "check").returncode == 0
    again = run_pamphlets(project, "new", "housing-rights")
    assert again.returncode == 1
    assert "pamphlets/housing-rights: exists already; choose another name" in again.stderr
    bad = run_pamphlets(project, "new", "Housing_Rights")
    assert "a pamphlet's name must be lower-case letters" in bad.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("translate", "bta", "fa"), "there is no pamphlet 'bta' (did you mean 'beta'?)"),
        (("translate", "beta", "fas"), "'fas' is not a language of this site (did you mean 'fa'?)"),
        (("export", "alpha", "en"), "'en' is the source language of 'alpha'"),
    ],
)
def test_misspelt_names_get_a_suggestion(mini: Path, args: tuple[str, ...], message: str) -> None:
    result = run_pamphlets(mini, *args)
    assert result.returncode != 0
    assert message in result.stderr
