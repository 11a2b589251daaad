"""Issue 15: the quick build makes the same site as the slow one.

`pamphlets build` builds the languages in parallel processes, takes the languages whose
inputs did not change from the previous site, and takes texts that did not change from a
cache. Each shortcut is checked against the long way round: MkDocs' own serial build, a
full build from nothing, a text loaded from its file. How fast it is, is measured by
scripts/bench.py, not here.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import REPO, differences, run_pamphlets, site_files


def built_languages(stderr: str) -> tuple[list[str], int]:
    """The languages a build says it built, and how many it says it reused."""
    match = re.search(r"Building the site: (.*) \((\d+) unchanged, reused\)", stderr)
    assert match, stderr
    return match.group(1).split(", "), int(match.group(2))


@pytest.mark.slow
def test_the_parallel_build_makes_the_site_mkdocs_makes_file_for_file(mini: Path) -> None:
    result = run_pamphlets(mini, "build")
    assert result.returncode == 0, result.stderr
    assert built_languages(result.stderr) == (["en", "ru", "fa"], 0)
    # MkDocs' own build: mkdocs-static-i18n builds the languages one after the other.
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", PYTHONPATH=str(REPO / "scripts"))
    serial = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--quiet", "-d", "serial-site"],
        cwd=mini, capture_output=True, text=True, env=env, timeout=600,
    )  # fmt: skip
    assert serial.returncode == 0, serial.stderr
    assert len(site_files(mini / "site")) > 50
    assert differences(mini / "site", mini / "serial-site") == []
    # A page a Russian reader gets in English (no Russian version) is in the Russian search
    # index: mkdocs-static-i18n would drop it as a duplicate of the English one.
    russian = json.loads((mini / "site/ru/search/search_index.json").read_text())
    assert "print-runs/" in {doc["location"] for doc in russian["docs"]}


@pytest.mark.slow
@pytest.mark.parametrize(
    "edited, rebuilt, page",
    [
        # Persian readers get beta in Russian (fallback fa: [ru, en]): both change.
        ("pamphlets/beta/ru.md", ["ru", "fa"], "ru/pamphlets/beta/index.html"),
        ("docs/index.ru.md", ["ru"], "ru/index.html"),
        # The default language, at the site's root, built while the others are copied.
        ("docs/index.en.md", ["en"], "index.html"),
    ],
)
def test_an_edit_builds_again_only_the_languages_it_changes(
    mini: Path, tmp_path: Path, edited: str, rebuilt: list[str], page: str
) -> None:
    assert run_pamphlets(mini, "build").returncode == 0
    with (mini / edited).open("a", encoding="utf-8") as text:
        text.write("\nЕщё одна строка.\n")
    result = run_pamphlets(mini, "build")
    assert result.returncode == 0, result.stderr
    assert built_languages(result.stderr) == (rebuilt, 3 - len(rebuilt))
    assert "Ещё одна строка." in (mini / "site" / page).read_text()
    # The same site as a build from nothing (no previous site, no cache of texts or pages).
    fresh = tmp_path / "fresh"
    shutil.copytree(mini, fresh, ignore=shutil.ignore_patterns("site", "texts"))
    shutil.rmtree(fresh / ".cache/site", ignore_errors=True)
    result = run_pamphlets(fresh, "build")
    assert built_languages(result.stderr) == (["en", "ru", "fa"], 0)
    assert differences(mini / "site", fresh / "site") == []


def test_an_unchanged_text_comes_from_the_cache_and_a_changed_one_from_its_file(
    mini: Path,
) -> None:
    from pamphlet_press.content.catalog import load_catalog
    from pamphlet_press.web.project import load_project

    settings = load_project(str(mini / "mkdocs.yml")).settings

    def russian_beta():
        catalog = load_catalog(settings)
        return next(p for p in catalog.pamphlets if p.slug == "beta").translations["ru"]

    first = russian_beta()
    cached = sorted((mini / ".cache/texts").iterdir())
    assert cached  # every text that loaded without a problem is kept
    assert russian_beta() == first
    assert russian_beta().html == first.html

    source = mini / "pamphlets/beta/ru.md"
    source.write_text(source.read_text().replace("Просите помощи.", "Просите помощи сразу."))
    assert "Просите помощи сразу." in russian_beta().html
    # The old version of the text is forgotten: the cache does not grow with every edit.
    assert len(list((mini / ".cache/texts").iterdir())) == len(cached)


@pytest.mark.parametrize(
    "source, typed, mistyped, reported",
    [
        ("pamphlets/beta/ru.md", "status: draft", "status: done",
         "pamphlets/beta/ru.md:4: 'status' must be one of"),
        ("pamphlets/ui/ru.yml", "{copies} экз.", "экз.",
         "pamphlets/ui/ru.yml:10: 'print_run' must contain {copies}"),
    ],
)  # fmt: skip
def test_a_file_with_a_problem_is_reported_again_from_the_file(
    mini: Path, source: str, typed: str, mistyped: str, reported: str
) -> None:
    """A text or a language's interface strings, kept in the cache while they were right."""
    assert run_pamphlets(mini, "check").returncode == 0  # the file is cached now
    path = mini / source
    path.write_text(path.read_text().replace(typed, mistyped))
    for _ in range(2):  # the second time, nothing cached hides the problem
        result = run_pamphlets(mini, "check")
        assert result.returncode == 1
        assert reported in result.stderr


def test_a_damaged_cache_of_texts_is_read_again_from_the_files(mini: Path) -> None:
    assert run_pamphlets(mini, "check").returncode == 0
    for kept in (mini / ".cache/texts").iterdir():
        kept.write_text('{"front": {"title": "Injected"', encoding="utf-8")
    result = run_pamphlets(mini, "build", "--no-pdf")
    assert result.returncode == 0, result.stderr
    assert "Injected" not in (mini / "site/ru/pamphlets/beta/index.html").read_text()
    assert "Бета помощь" in (mini / "site/ru/pamphlets/beta/index.html").read_text()


def test_interface_strings_come_from_the_cache_until_their_file_changes(mini: Path) -> None:
    from pamphlet_press.content.catalog import load_catalog
    from pamphlet_press.web.project import load_project

    settings = load_project(str(mini / "mkdocs.yml")).settings
    first = load_catalog(settings).ui["ru"]
    kept = set((mini / ".cache/texts").iterdir())
    # Kept: the next build does not parse and check them again.
    assert any('"downloads_heading": "Скачать"' in path.read_text() for path in kept)
    assert load_catalog(settings).ui["ru"] == first
    source = mini / "pamphlets/ui/ru.yml"
    source.write_text(source.read_text().replace('"Скачать"', '"Скачать всё"'))
    assert load_catalog(settings).ui["ru"].downloads_heading == "Скачать всё"
    # The strings as they were are forgotten, the ones as they are kept in their place.
    assert len(set((mini / ".cache/texts").iterdir())) == len(kept)


def test_a_kept_compressed_profile_gives_the_pdf_byte_for_byte(tmp_path: Path) -> None:
    """The colour profile compressed by one worker and kept on disk (streams.py) makes the
    same PDF bytes as compressing it again; a damaged kept file is computed again."""
    import io
    import zlib

    import pydyf
    from pamphlet_press.leaflets import streams

    profile = bytes(range(256)) * 400  # a stream the size of a colour profile

    def written(remember: bool) -> bytes:
        pdf = pydyf.PDF()
        pdf.add_object(pydyf.Stream([profile], {"N": 4}, compress=True))
        if remember:
            streams.remember_large_streams(pdf)
        output = io.BytesIO()
        pdf.write(output, identifier=b"0" * 32)
        return output.getvalue()

    try:
        streams._COMPRESSED.clear()
        streams.keep_on_disk(tmp_path)
        plain = written(remember=False)
        assert written(remember=True) == plain
        kept = list(tmp_path.iterdir())
        assert len(kept) == 1  # the profile, compressed once
        streams._COMPRESSED.clear()  # a new worker: the bytes come from the disk
        assert written(remember=True) == plain
        # Proof that they do: a kept copy compressed otherwise (still the same content) is
        # what the next PDF carries.
        original = kept[0].read_bytes()
        head, rest = original.split(b"\nstream\n", 1)
        compressed = rest.rsplit(b"\nendstream", 1)[0]
        other = zlib.compress(profile, 1)
        assert other != compressed
        head = head.replace(f"/Length {len(compressed)}".encode(),
                            f"/Length {len(other)}".encode())  # fmt: skip
        kept[0].write_bytes(head + b"\nstream\n" + other + b"\nendstream")
        streams._COMPRESSED.clear()
        assert other in written(remember=True)
        kept[0].write_bytes(original)
        damaged = bytearray(kept[0].read_bytes())
        damaged[len(damaged) // 2] ^= 0xFF
        kept[0].write_bytes(bytes(damaged))
        streams._COMPRESSED.clear()
        assert written(remember=True) == plain
        assert kept[0].read_bytes() != bytes(damaged)  # written again, right
    finally:
        streams._COMPRESSED.clear()
        streams._FOLDER.clear()


def test_leaflets_share_one_font_configuration_unless_their_stylesheets_declare_fonts(
    tmp_path: Path,
) -> None:
    """One WeasyPrint font configuration per process (render.py: a new one per document
    cost time and memory WeasyPrint never gave back); a stylesheet with @font-face gets a
    fresh one per document, so that its fonts are not collected again and again."""
    from pamphlet_press.leaflets.render import font_configuration

    plain = tmp_path / "plain.css"
    plain.write_text("body { font-family: serif }", encoding="utf-8")
    fonts = tmp_path / "fonts.css"
    fonts.write_text("@FONT-FACE { font-family: X; src: url(x.woff2) }", encoding="utf-8")
    assert font_configuration([plain]) is font_configuration([plain])
    assert font_configuration([plain, fonts]) is not font_configuration([plain, fonts])
    plain.write_text("@font-face { font-family: Y; src: url(y.woff2) }", encoding="utf-8")
    assert font_configuration([plain]) is not font_configuration([plain])  # edited since


@pytest.mark.slow
def test_one_translations_leaflets_take_one_worker_and_more_work_starts_the_others(
    mini: Path, tmp_path: Path
) -> None:
    """RenderWorkers: an edit's two PDFs are rendered by the one worker started at once;
    more PDFs start the others, which take their share of the work."""
    from pamphlet_press.content.catalog import load_catalog
    from pamphlet_press.leaflets.pdfs import RenderWorkers, build_pdfs
    from pamphlet_press.web.project import load_project

    class TakeJobs:
        """Stands in for the workers once, to get the build's real jobs."""

        def render(self, jobs, finished) -> None:
            self.jobs = jobs

    catalog = load_catalog(load_project(str(mini / "mkdocs.yml")).settings)
    taken = TakeJobs()
    build_pdfs(catalog, tmp_path / "pdf", 2, workers=taken)  # an empty cache: every job
    jobs = taken.jobs
    assert len(jobs) >= 4

    workers = RenderWorkers(2, at_once=1)
    try:
        outcomes: list[dict] = []
        workers.render(jobs[:2], outcomes.append)
        assert workers.started == 1
        assert [o["stem"] for o in outcomes if "error" not in o] == [j.stem for j in jobs[:2]]
        outcomes.clear()
        workers.render(jobs[2:], outcomes.append)
        assert workers.started == 2
        assert sorted(o["stem"] for o in outcomes if "error" not in o) == sorted(
            j.stem for j in jobs[2:]
        )
    finally:
        workers.shutdown()
    for job in jobs:
        assert (tmp_path / "pdf" / f"{job.stem}.pdf").stat().st_size > 1000


def test_the_files_of_a_translation_follow_the_list_of_files_as_it_grows() -> None:
    """LeafletOutputs.for_translation answers from an index; a file added later is found."""
    from pamphlet_press.outputs import LeafletFile, LeafletOutputs

    def leaflet_file(slug: str, language: str, variant: str) -> LeafletFile:
        name = f"{slug}-{language}-{variant}.pdf"
        return LeafletFile(slug, language, variant, name, 4, 1000, "", "draft", "2026-01-01",
                           "a5-booklet")  # fmt: skip

    outputs = LeafletOutputs([leaflet_file("alpha", "ru", "screen")])
    assert [f.variant for f in outputs.for_translation("alpha", "ru")] == ["screen"]
    assert outputs.for_translation("alpha", "fa") == []
    outputs.files.append(leaflet_file("alpha", "ru", "print"))
    outputs.files.append(leaflet_file("alpha", "fa", "screen"))
    assert [f.variant for f in outputs.for_translation("alpha", "ru")] == ["screen", "print"]
    assert [f.language for f in outputs.for_translation("alpha", "fa")] == ["fa"]
    outputs.files = [leaflet_file("beta", "ru", "screen")]
    assert outputs.for_translation("alpha", "ru") == []


@pytest.mark.slow
def test_the_manifest_checksums_follow_a_cached_file_changed_after_it_was_rendered(
    mini: Path,
) -> None:
    """The cache records keep each file's size and checksum, so that a build need not read
    every file again; a file changed since (same size, new bytes) is read again."""
    import hashlib
    import time

    assert run_pamphlets(mini, "build", "--no-offline").returncode == 0
    name = "alpha-en-screen.pdf"
    cached = mini / ".cache/pdf" / name
    data = bytearray(cached.read_bytes())
    data[-40:-20] = b"%" * 20  # same size, other bytes (inside the PDF's trailer comment)
    time.sleep(0.01)
    replacement = cached.with_name(".replacement")
    replacement.write_bytes(bytes(data))
    replacement.replace(cached)
    # A ZIP damaged in the cache (same size): it is written again, not published as it is.
    bundle = mini / ".cache/pdf/bundles/leaflets-ru.zip"
    damaged = bytearray(bundle.read_bytes())
    damaged[100:120] = b"\0" * 20
    bundle.unlink()  # a new file: the site's copy is a hard link to the old one
    bundle.write_bytes(bytes(damaged))
    (mini / "docs/index.en.md").write_text(
        (mini / "docs/index.en.md").read_text() + "\nOne more line.\n"
    )  # something changed: the build is not a no-op
    assert run_pamphlets(mini, "build", "--no-offline").returncode == 0
    manifest = json.loads((mini / "site/downloads.json").read_text())
    entry = next(f for f in manifest["files"] if f["file"] == name)
    assert entry["sha256"] == hashlib.sha256(data).hexdigest()
    assert entry["bytes"] == len(data)
    published = (mini / "site/pdf/bundles/leaflets-ru.zip").read_bytes()
    assert published != bytes(damaged)
    zipped = next(b for b in manifest["bundles"] if b["file"] == "leaflets-ru.zip")
    assert zipped["sha256"] == hashlib.sha256(published).hexdigest()
