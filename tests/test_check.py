"""`pamphlets check` catches what `pamphlets build` would fail on (or silently ship),
naming the source file and line, with a suggestion where a name is misspelt."""

from __future__ import annotations

import re
from pathlib import Path

from conftest import run_pamphlets


def edit(project: Path, relative: str, old: str, new: str) -> None:
    path = project / relative
    text = path.read_text(encoding="utf-8")
    assert old in text, (relative, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def check(project: Path):
    return run_pamphlets(project, "check")


def test_a_link_to_a_section_the_reader_does_not_get(mini: Path) -> None:
    edit(mini, "pamphlets/alpha/en.md", "(../beta/en.md#help)", "(../beta/en.md#hepl)")
    result = check(mini)
    assert result.returncode == 1
    assert (
        "pamphlets/alpha/en.md:13: link '../beta/en.md#hepl': beta has no section '#hepl' "
        "(did you mean 'help'?) in the text English readers get (pamphlets/beta/en.md); its "
        "sections are #help"
    ) in result.stderr
    assert "docs/pamphlets" not in result.stderr  # the source, never a generated file


def test_a_section_link_followed_by_the_readers_of_a_fallback(mini: Path) -> None:
    # Persian readers get beta in Russian (fallback): a link from alpha's Persian text to
    # beta's English section name does not exist in the Russian text they get.
    edit(mini, "pamphlets/alpha/fa.md", "(../beta/fa.md)", "(../beta/fa.md#help)")
    result = check(mini)
    assert "pamphlets/alpha/fa.md:12: link '../beta/fa.md#help': beta has no section" in (
        result.stderr
    )
    assert "in the text فارسی readers get (pamphlets/beta/ru.md)" in result.stderr


def test_a_top_level_heading_in_the_text(mini: Path) -> None:
    edit(mini, "pamphlets/beta/ru.md", "## Помощь", "# Помощь")
    result = check(mini)
    assert result.returncode == 1
    assert "pamphlets/beta/ru.md:10: the text has a top-level heading ('# ...')" in result.stderr


def test_a_character_no_font_has(mini: Path) -> None:
    edit(mini, "pamphlets/beta/en.md", "Ask for help.", "Ask for help 中.")
    result = check(mini)
    assert result.returncode == 1
    assert "pamphlets/beta/en.md:11: no configured font" in result.stderr
    assert "U+4E2D '中' (CJK UNIFIED IDEOGRAPH-4E2D)" in result.stderr


def test_a_missing_colour_profile(mini: Path) -> None:
    (mini / "print/icc/FOGRA39L_coated.icc").unlink()
    result = check(mini)
    assert result.returncode == 1
    assert (
        "mkdocs.yml: plugins.pamphlets.pdf.icc_profile: the colour profile "
        "'print/icc/FOGRA39L_coated.icc' does not exist; run scripts/setup.sh"
    ) in result.stderr


def test_a_language_without_its_hand_written_pages(mini: Path) -> None:
    (mini / "docs/index.fa.md").unlink()
    result = check(mini)
    assert result.returncode == 1
    assert "docs/index.fa.md: is missing: readers of 'fa' would get the English page" in (
        result.stderr
    )


def english_strings(result, language: str) -> int:
    """How many interface strings of `language` check says are the English ones."""
    prefix = f"Warning: pamphlets/ui/{language}.yml: "
    line = next((line for line in result.stdout.splitlines() if line.startswith(prefix)), "")
    return int(line.removeprefix(prefix).split()[0]) if line else 0


def test_interface_strings_left_in_english_are_listed(mini: Path) -> None:
    before = english_strings(check(mini), "ru")
    english = (mini / "pamphlets/ui/en.yml").read_text(encoding="utf-8")
    line = next(line for line in english.splitlines() if line.startswith("pamphlets_heading:"))
    russian = mini / "pamphlets/ui/ru.yml"
    lines = [
        line if existing.startswith("pamphlets_heading:") else existing
        for existing in russian.read_text(encoding="utf-8").splitlines()
    ]
    russian.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = check(mini)
    assert result.returncode == 0, result.stderr
    assert english_strings(result, "ru") == before + 1
    assert "strings are the English ones" in result.stdout and "translate them" in result.stdout


def test_misspelt_names_get_a_suggestion(mini: Path) -> None:
    edit(mini, "pamphlets/alpha/en.md", "{{ fact.hotline }}", "{{ fact.hotlnie }}")
    edit(mini, "pamphlets/alpha/ru.md", "(../beta/ru.md)", "(../bta/ru.md)")
    (mini / "pamphlets/beta/ru.md").rename(mini / "pamphlets/beta/rus.md")
    result = check(mini)
    assert "unknown fact 'hotlnie' (did you mean 'hotline'?)" in result.stderr
    assert "there is no pamphlet 'bta' (did you mean 'beta'?)" in result.stderr
    assert "'rus' is not a language of this site (did you mean 'ru'?)" in result.stderr


def test_leaflets_and_covers_need_no_system_tool(tmp_path: Path, mini: Path) -> None:
    """Nothing on the PATH (no pdftoppm, no fc-match): the package renders a leaflet and its
    cover picture through libraries alone, as on Windows or macOS."""
    import os
    import shutil
    import subprocess
    import sys

    from conftest import REPO

    shutil.rmtree(mini / ".cache/pdf")
    empty = tmp_path / "empty-path"
    empty.mkdir()
    env = dict(os.environ, PATH=str(empty), PYTHONPATH=str(REPO / "scripts"))
    result = subprocess.run(
        [sys.executable, "-m", "pamphlet_press", "pdf", "--pamphlet", "beta", "--language", "en"],
        cwd=mini, env=env, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    cover = mini / ".cache/pdf/beta-en-cover.png"
    assert cover.read_bytes().startswith(b"\x89PNG")


def test_a_missing_colour_profile_is_said_once_when_leaflets_are_made(mini: Path) -> None:
    """Every print PDF fails for the same reason: one line says it, with how many."""
    (mini / "print/icc/FOGRA39L_coated.icc").unlink()
    result = run_pamphlets(mini, "pdf")
    assert result.returncode == 1
    message = "the CMYK colour profile"
    assert result.stderr.count(message) == 1, result.stderr
    assert "does not exist; run scripts/setup.sh" in result.stderr
    assert re.search(r"\((\d+) PDFs\)", result.stderr), result.stderr
