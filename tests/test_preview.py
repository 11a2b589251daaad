"""The live preview as an editor uses it: `mkdocs serve` on a project, a page in the
browser's place (HTTP), a save, the page again."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

import pytest
from conftest import REPO, copy_fixture, without_leaflets

pytestmark = pytest.mark.slow


class Serve:
    """`mkdocs serve` on a project, its output collected with the time of each line."""

    def __init__(self, project: Path) -> None:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        self.url = f"http://127.0.0.1:{port}/"
        env = dict(os.environ, PYTHONPATH=str(REPO / "scripts"), NO_MKDOCS_2_WARNING="1")
        self.started = time.monotonic()
        self.process = subprocess.Popen(
            [sys.executable, "-m", "mkdocs", "serve", "-a", f"127.0.0.1:{port}"],
            cwd=project, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        )  # fmt: skip
        self.lines: list[tuple[float, str]] = []
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.append((time.monotonic(), line.rstrip()))

    def page(self, path: str) -> str:
        with urllib.request.urlopen(self.url + path, timeout=5) as response:
            return response.read().decode("utf-8")

    def wait_for(self, path: str, wanted, timeout: float = 90) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                html = self.page(path)
                if wanted(html):
                    return html
            except OSError:
                pass
            time.sleep(0.2)
        raise AssertionError(f"{path} never showed what was wanted:\n" + self.log())

    def builds_since(self, moment: float) -> int:
        built = [line for at, line in self.lines if at >= moment]
        return sum("Building documentation" in line for line in built)

    def log(self) -> str:
        return "\n".join(line for _at, line in self.lines)

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(30)


@pytest.fixture
def served(tmp_path: Path):
    project = copy_fixture("mini", tmp_path / "preview")
    server = Serve(project)
    yield project, server
    server.stop()


def test_first_page_quickly_leaflets_in_the_background_one_rebuild_per_save(served) -> None:
    project, server = served
    page = "ru/pamphlets/alpha/"
    server.wait_for(page, lambda html: "<h1" in html)
    first_page_seconds = time.monotonic() - server.started
    assert first_page_seconds < 30, first_page_seconds  # the issue asks < 10 s on its machine
    # The leaflets come from the background, then the page links them.
    server.wait_for(page, lambda html: "pamphlet-download--screen" in html)
    assert "Making the leaflets in the background" in server.log()
    # Settled: every leaflet made, no page says otherwise.
    for settled in (page, "pamphlets/alpha/", "fa/pamphlets/alpha/"):
        server.wait_for(settled, lambda html: "being made in the background" not in html)
    time.sleep(3)

    saved = time.monotonic()
    source = project / "pamphlets/alpha/ru.md"
    source.write_text(source.read_text(encoding="utf-8") + "\nНовая фраза.\n", encoding="utf-8")
    server.wait_for(page, lambda html: "Новая фраза." in html)
    # Only the Russian leaflets are made again: only their page says so, and the save
    # rebuilt the Russian pages alone (web/preview_languages.py).
    assert "being made in the background" not in server.page("pamphlets/alpha/")
    assert "Languages rebuilt: ru; unchanged, kept: fa" in server.log()
    # The new leaflets are made in the background, and linked by one more build.
    server.wait_for(page, lambda html: "being made in the background" not in html)
    time.sleep(4)
    # One build for the save, one when its leaflets are ready; none for the pages the
    # first build wrote into docs/.
    assert server.builds_since(saved) == 2, server.log()
    assert "Traceback" not in server.log()


def test_a_preview_without_leaflets_rebuilds_once_per_save(tmp_path: Path) -> None:
    project = without_leaflets(copy_fixture("mini", tmp_path / "preview"))
    server = Serve(project)
    try:
        server.wait_for("pamphlets/beta/", lambda html: "<h1" in html)
        time.sleep(3)
        saved = time.monotonic()
        source = project / "pamphlets/beta/en.md"
        source.write_text(source.read_text(encoding="utf-8") + "\nA new line.\n", "utf-8")
        server.wait_for("pamphlets/beta/", lambda html: "A new line." in html)
        time.sleep(5)
        assert server.builds_since(saved) == 1, server.log()
    finally:
        server.stop()


def test_a_preview_whose_leaflets_are_made_already_stops_saying_they_are_being_made(
    mini: Path,
) -> None:
    # Every leaflet is in the cache: the background run ends while the first build runs,
    # before MkDocs watches its stamp; the pages must still lose the notice.
    server = Serve(mini)
    try:
        for page in ("pamphlets/alpha/", "ru/pamphlets/alpha/", "fa/pamphlets/alpha/"):
            server.wait_for(page, lambda html: "being made in the background" not in html
                            and "pamphlet-download--screen" in html, timeout=60)  # fmt: skip
    finally:
        server.stop()
