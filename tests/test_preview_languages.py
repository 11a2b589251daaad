"""The live preview rebuilds only the languages a save changed (web/preview_languages.py),
and what it serves is what a rebuild of every language would serve.

The builds run in this process as `mkdocs serve` runs them: the configuration loaded again
for each rebuild, the plugin kept between them, one served folder.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path

import pytest
from conftest import copy_fixture, differences, without_leaflets
from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.exceptions import Abort

SERVE_URL = "http://127.0.0.1:8000/"


class InProcessServe:
    """What `mkdocs serve` does around each build, without the HTTP server."""

    def __init__(self, project: Path, site: Path) -> None:
        self.project, self.site = project, site
        site.mkdir()
        config = self._config()
        config.plugins.on_startup(command="serve", dirty=False)
        self.plugin = config.plugins["pamphlets"]
        build(config, serve_url=SERVE_URL)

    def _config(self):
        config = load_config(str(self.project / "mkdocs.yml"), site_dir=str(self.site))
        config.site_url = SERVE_URL
        return config

    def rebuild(self) -> None:
        build(self._config(), serve_url=SERVE_URL)

    def stop(self) -> None:
        self.plugin.on_shutdown()

    def __enter__(self) -> InProcessServe:
        return self

    def __exit__(self, *_exception) -> None:
        self.stop()


@pytest.fixture
def preview_project(tmp_path: Path) -> Path:
    # No leaflets in the background: the pages are the point here.
    return without_leaflets(copy_fixture("mini", tmp_path / "preview"))


def test_a_save_rebuilds_its_language_and_the_site_is_as_a_full_rebuild(
    preview_project: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    with InProcessServe(preview_project, tmp_path / "served") as served:
        persian_page = served.site / "fa/pamphlets/alpha/index.html"
        russian_page = served.site / "ru/pamphlets/alpha/index.html"
        persian_before = os.stat(persian_page).st_ino
        source = preview_project / "pamphlets/alpha/ru.md"
        source.write_text(source.read_text("utf-8") + "\nНовая фраза.\n", encoding="utf-8")
        caplog.clear()
        caplog.set_level(logging.INFO)
        served.rebuild()
        assert "Новая фраза." in russian_page.read_text("utf-8")
        assert "Languages rebuilt: ru; unchanged, kept: fa" in caplog.text
        # The Persian folder was put back, not built again.
        assert os.stat(persian_page).st_ino == persian_before
        assert not (served.site / ".pamphlets-languages").exists()

    # A preview started now builds every language: it must serve the same files.
    fresh = InProcessServe(preview_project, tmp_path / "fresh")
    fresh.stop()
    assert differences(served.site, fresh.site) == []
    index = (served.site / "fa/search/search_index.json").read_text("utf-8")
    assert '"location": "pamphlets/alpha/"' in index  # Persian is still searchable


def test_a_change_every_language_shares_rebuilds_them_all(
    preview_project: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    with InProcessServe(preview_project, tmp_path / "served") as served:
        facts = preview_project / "pamphlets/facts.yml"
        facts.write_text(facts.read_text("utf-8") + "\n", encoding="utf-8")
        caplog.clear()
        caplog.set_level(logging.INFO)
        served.rebuild()
        assert "Languages rebuilt: ru, fa; unchanged, kept: none" in caplog.text


def test_a_rebuild_that_fails_halfway_is_built_whole_next_time(
    preview_project: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    with InProcessServe(preview_project, tmp_path / "served") as served:
        # The Russian home page is refused while the Russian pages are built, after the
        # default language's build, with the Persian folder still held aside.
        source = preview_project / "docs/index.ru.md"
        good = source.read_text("utf-8")
        source.write_text(good + "\n<script>alert(1)</script>\n", encoding="utf-8")
        caplog.clear()
        with pytest.raises(Abort):
            served.rebuild()
        assert "docs/index.ru.md:7: raw HTML is not allowed" in caplog.text
        source.write_text(good + "\nИсправлено.\n", encoding="utf-8")
        caplog.clear()
        caplog.set_level(logging.INFO)
        served.rebuild()
        assert "Исправлено." in (served.site / "ru/index.html").read_text("utf-8")
        assert "Languages rebuilt: ru; unchanged, kept: fa" in caplog.text
        assert (served.site / "fa/pamphlets/alpha/index.html").exists()
