"""Shared fixtures: fixture projects copied to a temporary folder, the `pamphlets` command
run as a user runs it, the repository's own site built once, and a real Chromium."""

from __future__ import annotations

import contextlib
import filecmp
import functools
import http.server
import os
import shutil
import subprocess
import sys
import threading
import traceback
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")

# Test the code of this checkout, whichever checkout `pip install -e` pointed at last.
sys.path.insert(0, str(REPO / "scripts"))


def run_pamphlets(
    project: Path, *args: str, in_process: bool = True
) -> subprocess.CompletedProcess[str]:
    """Run the `pamphlets` command in `project`, as an editor would.

    In this process through click's CliRunner (quick: no new interpreter), or, for what
    needs a process of its own (killing it, running two at once), as a subprocess. Either
    way the result reads like a finished process: exit code, stdout, stderr; an exception
    that escaped the command shows as the traceback a user would see.
    """
    if not in_process:
        env = dict(os.environ, NO_MKDOCS_2_WARNING="1", PYTHONPATH=str(REPO / "scripts"))
        return subprocess.run(
            [sys.executable, "-m", "pamphlet_press", *args],
            cwd=project, capture_output=True, text=True, env=env, timeout=600,
        )  # fmt: skip
    from click.testing import CliRunner
    from pamphlet_press.cli import main

    with contextlib.chdir(project):
        result = CliRunner().invoke(main, list(args), catch_exceptions=True)
    stderr = result.stderr
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        stderr += "".join(traceback.format_exception(result.exception))
    return subprocess.CompletedProcess(
        ["pamphlets", *args], result.exit_code, result.stdout, stderr
    )


ICC_PROFILE = Path("print/icc/FOGRA39L_coated.icc")


# Made by `pamphlets build` only (MkDocs' own build does not make them).
BUILD_ONLY = {"downloads.json", "offline-site.zip"}


def site_files(site: Path) -> dict[str, Path]:
    return {
        str(path.relative_to(site)): path
        for path in sorted(site.rglob("*"))
        if path.is_file() and path.name not in BUILD_ONLY
    }


def differences(one: Path, other: Path) -> list[str]:
    """The files that are in one site and not the other, or differ in content (a site
    compared file for file with another made the long way round)."""
    mine, theirs = site_files(one), site_files(other)
    found = sorted(set(mine) ^ set(theirs))
    for name in sorted(set(mine) & set(theirs)):
        if not filecmp.cmp(mine[name], theirs[name], shallow=False):
            found.append(name)
    return found


def copy_fixture(name: str, target: Path) -> Path:
    """A fixture project, with the CMYK profile that scripts/setup.sh made for the repository."""
    shutil.copytree(FIXTURES / name, target)
    (target / ICC_PROFILE).parent.mkdir(parents=True, exist_ok=True)
    shutil.copy2(REPO / ICC_PROFILE, target / ICC_PROFILE)
    return target


def without_leaflets(project: Path) -> Path:
    """The project with its leaflets switched off (plugins.pamphlets.pdf.enabled: false):
    for tests of the pages alone, and of a preview that makes no leaflet."""
    config = project / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    config.write_text(
        text.replace("  - pamphlets:\n", "  - pamphlets:\n      pdf:\n        enabled: false\n", 1),
        encoding="utf-8",
    )
    return project


# A CMYK profile made by Argyll from the FOGRA39 characterisation data Debian ships: the
# one the set-up script made for the project, when it is there.
PREBUILT_PROFILE = REPO / ICC_PROFILE
FOGRA39_DATA = Path("/usr/share/color/icc/FOGRA39L.ti3")


@pytest.fixture(scope="session")
def cmyk_profile(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A CMYK ICC profile: the prebuilt one when present, else made once with colprof (~15 s)."""
    if PREBUILT_PROFILE.is_file():
        return PREBUILT_PROFILE
    directory = tmp_path_factory.mktemp("icc")
    shutil.copy(FOGRA39_DATA, directory / "FOGRA39L.ti3")
    subprocess.run(
        ["colprof", "-qm", "-O", str(directory / "FOGRA39L_coated.icc"), "FOGRA39L"],
        cwd=directory,
        check=True,
        capture_output=True,
    )
    return directory / "FOGRA39L_coated.icc"


@pytest.fixture(scope="session")
def mini_pdf_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The fixture project's PDFs, rendered once, so that each test's build reuses them."""
    project = copy_fixture("mini", tmp_path_factory.mktemp("mini-cache") / "mini")
    result = run_pamphlets(project, "pdf")
    assert result.returncode == 0, result.stderr
    return project / ".cache"


@pytest.fixture
def mini(tmp_path: Path, mini_pdf_cache: Path) -> Path:
    """A fresh copy of the small fixture project (en, ru, fa; one missing translation)."""
    target = copy_fixture("mini", tmp_path / "mini")
    shutil.copytree(mini_pdf_cache, target / ".cache")
    return target


@pytest.fixture(scope="session")
def mini_site(tmp_path_factory: pytest.TempPathFactory, mini_pdf_cache: Path) -> Path:
    """The fixture project's site, built once, for tests that only read it."""
    project = copy_fixture("mini", tmp_path_factory.mktemp("mini-site") / "mini")
    shutil.copytree(mini_pdf_cache, project / ".cache")
    result = run_pamphlets(project, "build")
    assert result.returncode == 0, result.stderr
    return project / "site"


def copy_repository_sources(target: Path) -> Path:
    for name in ("docs", "pamphlets", "overrides", "print", "mkdocs.yml", ".cache"):
        if not (REPO / name).exists():
            continue
        source = REPO / name
        if source.is_dir():
            shutil.copytree(source, target / name, ignore=shutil.ignore_patterns("pamphlets"))
        else:
            shutil.copy2(source, target / name)
    # docs/pamphlets is generated: the ignore above skipped it, but pamphlets/ is a source.
    shutil.rmtree(target / "pamphlets", ignore_errors=True)
    shutil.copytree(REPO / "pamphlets", target / "pamphlets")
    return target


@pytest.fixture(scope="session")
def repo_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The repository's own content, built once with `pamphlets build` (in a copy)."""
    project = copy_repository_sources(tmp_path_factory.mktemp("repo"))
    result = run_pamphlets(project, "build")
    assert result.returncode == 0, result.stderr
    return project / "site"


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


def serve(directory: Path) -> tuple[str, http.server.ThreadingHTTPServer]:
    handler = functools.partial(_QuietHandler, directory=str(directory))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{server.server_address[1]}/", server


@pytest.fixture(scope="session")
def repo_url(repo_site: Path):
    url, server = serve(repo_site)
    yield url
    server.shutdown()


@pytest.fixture(scope="session")
def browser():
    playwright_api = pytest.importorskip("playwright.sync_api")
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium is not installed at {CHROMIUM}; run the set-up command")
    with playwright_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser):
    """A phone-sized page that records every request it makes."""
    context = browser.new_context(viewport={"width": 412, "height": 900})
    tab = context.new_page()
    tab.requests = []  # type: ignore[attr-defined]
    tab.on("request", lambda request: tab.requests.append(request.url))  # type: ignore[attr-defined]
    yield tab
    context.close()


# Tests are marked by what they need, so that `pytest -m "not slow and not browser"` is a
# quick loop for a developer (the full suite is what CI runs).
BROWSER_FIXTURES = {"browser", "page"}
SLOW_FIXTURES = {"repo_site", "repo_url", "offline_site"}


def pytest_collection_modifyitems(items) -> None:
    for item in items:
        fixtures = set(getattr(item, "fixturenames", ()))
        if fixtures & BROWSER_FIXTURES:
            item.add_marker(pytest.mark.browser)
        if fixtures & SLOW_FIXTURES:
            item.add_marker(pytest.mark.slow)


# What the hardening and accessibility suites tried, printed at the end of the run:
# kind -> [tried, handled].
FIGURES: dict[str, list[int]] = {}


def count(kind: str, handled: bool, amount: int = 1) -> None:
    tried_handled = FIGURES.setdefault(kind, [0, 0])
    tried_handled[0] += amount
    tried_handled[1] += amount if handled else 0


def pytest_terminal_summary(terminalreporter) -> None:
    if not FIGURES:
        return
    terminalreporter.section("figures")
    for kind, (tried, handled) in FIGURES.items():
        if kind.startswith("found: "):
            terminalreporter.write_line(f"{kind.removeprefix('found: ')}: {tried}")
        else:
            terminalreporter.write_line(
                f"{kind}: {tried} tried, {handled} handled as they should be"
            )
