"""The release gate (issue 11): `pamphlets build --release` refuses, writing nothing, print
files that would go to press with a placeholder address, old or unconfirmed facts, no
recorded print run, a draft, or a failed preflight; otherwise it writes the print package
into release/ and leaves the public site alone."""

from __future__ import annotations

import datetime
import json
import re
import subprocess
from pathlib import Path

import pytest
from conftest import run_pamphlets
from pypdf import PdfReader

REAL_URL = "https://rights.fixture-ngo.az/"


def set_site_url(project: Path, url: str) -> None:
    config = project / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    config.write_text(re.sub(r"site_url: .*", f"site_url: {url}", text), encoding="utf-8")


def set_pdf_option(project: Path, option: str) -> None:
    config = project / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    config.write_text(
        text.replace("  - pamphlets:\n", f"  - pamphlets:\n      pdf:\n        {option}\n", 1),
        encoding="utf-8",
    )


def facts_checked_today(project: Path, extra: str = "") -> None:
    facts = project / "pamphlets/facts.yml"
    today = datetime.date.today().isoformat()
    text = re.sub(r"verified_on: .*", f"verified_on: {today}", facts.read_text("utf-8"))
    facts.write_text(text + extra, encoding="utf-8")


def keep_previous_site(project: Path) -> None:
    (project / "site").mkdir(exist_ok=True)
    (project / "site/index.html").write_text("previous site")


def refused(project: Path, *args: str) -> str:
    keep_previous_site(project)
    result = run_pamphlets(project, "build", "--release", *args)
    assert result.returncode == 1, result.stdout
    assert "Traceback" not in result.stderr
    assert not (project / "release").exists()
    assert (project / "site/index.html").read_text() == "previous site"
    return result.stderr


def test_the_fixture_as_it_is_is_refused_with_every_reason(mini: Path) -> None:
    error = refused(mini)
    assert "the release is refused; nothing was written" in error
    age = (datetime.date.today() - datetime.date(2020, 1, 1)).days
    assert (
        "  alpha (ru): a draft; its QR code and address would point to "
        "https://fixture.example.org/ru/pamphlets/alpha/ (fixture.example.org is a "
        f"placeholder or local address); fact 'hotline' was checked {age} days ago "
        "(2020-01-01; the limit is 365)"
    ) in error
    # English alpha is reviewed, but its run is not recorded; Russian alpha's is.
    assert "  alpha (en): its QR code" in error
    assert "alpha (en):" in error and "no print run recorded for edition 2026-11-28" in (
        error.split("alpha (en):")[1].splitlines()[0]
    )
    assert "no print run" not in error.split("alpha (ru):")[1].splitlines()[0]
    for fix in ("draft: a lawyer", "address: set site_url", "fact: check the fact",
                "run: record the run: pamphlets runs add"):  # fmt: skip
        assert f"  {fix}" in error


@pytest.mark.parametrize(
    ("url", "placeholder"),
    [
        ("https://example.org/", True),
        ("https://rights.example.com/", True),
        ("http://localhost:8000/", True),
        ("http://127.0.0.1/", True),
        ("http://192.168.1.10/", True),
        ("https://ngo.test/", True),
        (REAL_URL, False),
    ],
)
def test_placeholder_and_local_addresses(url: str, placeholder: bool) -> None:
    from pamphlet_press.release import placeholder_address

    assert (placeholder_address(url + "pamphlets/x/") is not None) is placeholder


def test_an_unconfirmed_fact_is_refused(mini: Path) -> None:
    set_site_url(mini, REAL_URL)
    facts_checked_today(mini)
    facts = mini / "pamphlets/facts.yml"
    text = facts.read_text("utf-8")
    facts.write_text(text.replace('value: "400 AZN"', 'value: "400 AZN"\n  status: unconfirmed'))
    error = refused(mini, "--pamphlet", "alpha", "--language", "en")
    assert "  alpha (en): fact 'wage' is unconfirmed; no print run recorded" in error


def ready(project: Path) -> None:
    set_site_url(project, REAL_URL)
    facts_checked_today(project)
    result = run_pamphlets(
        project, "runs", "add", "--pamphlet", "alpha", "--language", "en",
        "--quantity", "500", "--status", "ordered", "--printer", "Fixture Print",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr


def test_a_ready_leaflet_is_released_into_its_own_folder(mini: Path) -> None:
    ready(mini)
    result = run_pamphlets(mini, "build", "--release", "-p", "alpha", "-l", "en")
    assert result.returncode == 0, result.stderr
    assert "Release: 2 print files passed preflight" in result.stdout
    release = mini / "release"
    assert sorted(path.name for path in release.iterdir()) == [
        "alpha-en-print-imposed.pdf", "alpha-en-print.pdf", "preflight.json",
        "preflight.txt", "release.json",
    ]  # fmt: skip
    assert not (mini / "site").exists()  # the public site is not built or touched
    report = json.loads((release / "preflight.json").read_text())
    assert report["ok"] and len(report["files"]) == 2
    assert all(check["ok"] for entry in report["files"] for check in entry["checks"])
    assert "All checks passed." in (release / "preflight.txt").read_text()
    manifest = json.loads((release / "release.json").read_text())
    runs = {entry["file"]: entry["print_run"] for entry in manifest["files"]}
    assert runs["alpha-en-print.pdf"]["quantity"] == 500
    assert runs["alpha-en-print.pdf"]["printer"] == "Fixture Print"
    # What goes to press: the run on the imprint, and a QR code to the real address.
    pdf = release / "alpha-en-print.pdf"
    last = PdfReader(pdf).pages[-1]
    assert "Print run: 500 copies" in " ".join(last.extract_text().split())
    pages = len(PdfReader(pdf).pages)
    png = mini / "imprint"
    subprocess.run(
        ["pdftoppm", "-r", "200", "-png", "-singlefile", "-f", str(pages), "-l", str(pages),
         str(pdf), str(png)], check=True,
    )  # fmt: skip
    decoded = subprocess.run(
        ["zbarimg", "-q", "--raw", f"{png}.png"], capture_output=True, text=True
    ).stdout.strip()
    assert decoded == f"{REAL_URL}pamphlets/alpha/"


def test_a_failed_preflight_refuses_the_release(mini: Path) -> None:
    ready(mini)
    # A shop whose paper takes at most 150 % ink: the cover's house colour (180 %) is too much.
    set_pdf_option(mini, "max_ink_coverage: 150")
    error = refused(mini, "-p", "alpha", "-l", "en")
    assert "the release is refused; nothing was written: 2 of 2 print files failed preflight" in (
        error
    )
    assert "alpha-en-print.pdf: ink coverage: page 1: fill in DeviceCMYK 0.9 0.3 0.45 0.15 = " in (
        error
    )


def test_choosing_leaflets_is_for_release_only(mini: Path) -> None:
    result = run_pamphlets(mini, "build", "--pamphlet", "alpha")
    assert result.returncode == 2
    assert "--pamphlet and --language choose leaflets for --release only" in result.stderr
