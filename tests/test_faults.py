# ruff: noqa: E501  (long checks read best on one line)
"""Issue 16, point 10: the small faults, each reproduced on a copy of the fixture project
and shown handled: site/ readable by everyone, docs/ files that could carry a script,
sources linked from outside or that are pipes, photo metadata, site/ as a link, broken
cache records, `pamphlets pdf` during `pamphlets build`, hyphens inside addresses."""

from __future__ import annotations

import hashlib
import io
import os
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import REPO, copy_fixture, count, run_pamphlets

# The hardening corpus: many builds and checks of bad input (CI runs it; the quick
# subset, -m "not slow and not browser", leaves it out).
pytestmark = pytest.mark.slow

FRONT = "---\ntitle: T\nsummary: S\nstatus: draft\n---\n\n"
KIND = "issue 16: 10 "


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory, mini_pdf_cache: Path) -> Path:
    project = copy_fixture("mini", tmp_path_factory.mktemp("faults") / "mini")
    shutil.copytree(mini_pdf_cache, project / ".cache")
    result = run_pamphlets(project, "build", "--no-offline")
    assert result.returncode == 0, result.stderr
    return project


@pytest.fixture
def project(built: Path, tmp_path: Path) -> Path:
    target = tmp_path / "mini"
    shutil.copytree(built, target, symlinks=True)
    return target


def digest(site: Path) -> dict[str, str]:
    return {p.relative_to(site).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(site.rglob("*")) if p.is_file()}  # fmt: skip


def edit(project: Path, text: str = "Edited.") -> None:
    path = project / "pamphlets/alpha/en.md"
    path.write_text(path.read_text(encoding="utf-8") + f"\n{text}\n", encoding="utf-8")


def test_site_is_readable_by_everyone(project: Path) -> None:
    edit(project)
    result = run_pamphlets(project, "build", "--no-offline")
    site = project / "site"
    closed = [p for p in [site, *site.rglob("*")]
              if not stat.S_IMODE(p.stat().st_mode) & (0o005 if p.is_dir() else 0o004)]  # fmt: skip
    count(KIND + "site/ readable by everyone after a build", result.returncode == 0 and not closed)
    assert result.returncode == 0, result.stderr
    assert stat.S_IMODE(site.stat().st_mode) == 0o755
    assert closed == []


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("logo.svg", "<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>"),
        ("offer.html", "<html><body><script>alert(1)</script></body></html>"),
        ("extra.js", "alert(1)"),
        ("assets/extra.css", "body { background: url(https://evil.example/x.png) }"),
        ("feed.xml", "<x/>"),
    ],
)
def test_docs_files_that_could_carry_a_script(project: Path, name: str, content: str) -> None:
    before = digest(project / "site")
    (project / "docs" / name).parent.mkdir(parents=True, exist_ok=True)
    (project / "docs" / name).write_text(content, encoding="utf-8")
    result = run_pamphlets(project, "build", "--no-offline")
    refused = (
        result.returncode == 1 and f"docs/{name}: a '" in result.stderr
        and "Traceback" not in result.stderr and digest(project / "site") == before
    )  # fmt: skip
    count(KIND + "docs/ files published as they are (SVG, HTML, JS, CSS) refused", refused)
    assert result.returncode == 1
    assert f"docs/{name}: a '" in result.stderr, result.stderr[-2000:]
    assert digest(project / "site") == before


@pytest.mark.parametrize("relative", ["pamphlets/beta/ru.md", "pamphlets/facts.yml",
                                      "pamphlets/ui/ru.yml", "pamphlets/beta/pamphlet.yml"])
def test_sources_linked_from_outside(project: Path, tmp_path: Path, relative: str) -> None:
    outside = tmp_path / "outside" / Path(relative).name
    outside.parent.mkdir()
    shutil.copy2(project / relative, outside)
    (project / relative).unlink()
    (project / relative).symlink_to(outside)
    result = run_pamphlets(project, "check")
    refused = result.returncode == 1 and f"{relative}: is a link to '{outside}', outside the project" in result.stderr
    count(KIND + "sources linked from outside the project refused", refused)
    assert refused, result.stderr


@pytest.mark.parametrize("relative", ["pamphlets/beta/ru.md", "pamphlets/facts.yml",
                                      "pamphlets/print-runs.yml", "docs/extra.en.md"])
def test_pipes_as_sources(project: Path, relative: str) -> None:
    """A named pipe used to stall the build for ever."""
    path = project / relative
    path.unlink(missing_ok=True)
    os.mkfifo(path)
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", PYTHONPATH=str(REPO / "scripts"))
    try:
        result = subprocess.run(
            [sys.executable, "-m", "pamphlet_press", "build", "--no-offline"], cwd=project,
            capture_output=True, text=True, env=env, timeout=120,
        )  # fmt: skip
        refused = result.returncode == 1 and f"{relative}: is not a regular file" in result.stderr
    except subprocess.TimeoutExpired:
        refused, result = False, None
    count(KIND + "named pipes as sources refused, no hang", refused)
    assert refused, result and result.stderr[-2000:]


def photo(owner: str) -> bytes:
    from PIL import Image

    exif = Image.Exif()
    exif[0x013B] = owner  # Artist
    exif[0x8298] = owner  # Copyright
    exif[0x8825] = {1: "N", 2: (40.0, 22.0, 51.0), 3: "E", 4: (49.0, 52.0, 3.0)}  # GPS
    buffer = io.BytesIO()
    Image.new("RGB", (300, 200), (40, 120, 60)).save(
        buffer, "JPEG", exif=exif.tobytes(), comment=owner.encode()
    )
    return buffer.getvalue()


def test_photo_metadata_is_not_published(project: Path) -> None:
    owner = "Owner Name, Baku 40.3777 49.8920"
    data = photo(owner)
    assert owner.encode() in data
    (project / "pamphlets/beta/photo.jpg").write_bytes(data)
    (project / "docs/photo.jpg").write_bytes(data)
    text = (project / "pamphlets/beta/ru.md").read_text(encoding="utf-8")
    (project / "pamphlets/beta/ru.md").write_text(text + "\n\n![Карта](photo.jpg)\n", "utf-8")
    result = run_pamphlets(project, "build", "--no-offline")
    assert result.returncode == 0, result.stderr
    published = [project / "site/pamphlets/beta/photo.jpg", project / "site/photo.jpg",
                 *sorted((project / "site/pdf").glob("beta-ru-*.pdf"))]  # fmt: skip
    assert len(published) >= 4
    for path in published:
        clean = b"Owner Name" not in path.read_bytes() and b"GPS" not in path.read_bytes()
        count(KIND + "photos published without owner and GPS metadata", clean)
        assert clean, path
    from PIL import Image

    with Image.open(project / "site/pamphlets/beta/photo.jpg") as image:
        assert image.size == (300, 200) and not image.getexif()


def test_site_as_a_link(project: Path, tmp_path: Path) -> None:
    public = tmp_path / "www" / "public"
    public.parent.mkdir()
    shutil.move(project / "site", public)
    (project / "site").symlink_to(public)
    edit(project, "Through the link.")
    result = run_pamphlets(project, "build", "--no-offline")
    ok = (
        result.returncode == 0 and (project / "site").is_symlink()
        and "Through the link." in (public / "pamphlets/alpha/index.html").read_text("utf-8")
        and not list(public.parent.glob(".site-building-*"))
    )  # fmt: skip
    count(KIND + "site/ as a link: built through it, still a link", ok)
    assert result.returncode == 0, result.stderr
    assert ok


def test_broken_cache_records_mean_build_again(project: Path) -> None:
    cache = project / ".cache"
    stamp = cache / "last-build.json"
    stamp.write_text(stamp.read_text()[:9])  # a build killed while writing it
    records = sorted((cache / "pdf").glob("beta-*.json"))
    for record, broken in zip(records, ["", "{}", '{"key": 1, "files": "x"}', "[1]"], strict=False):
        record.write_text(broken)
    result = run_pamphlets(project, "build", "--no-offline")
    ok = result.returncode == 0 and "Traceback" not in result.stderr
    count(KIND + "a cut last-build.json and empty PDF cache records: built again", ok)
    assert ok, result.stderr
    assert "rendered" in result.stdout and "0 rendered" not in result.stdout


@pytest.mark.slow
def test_pdf_during_build(project: Path) -> None:
    """`pamphlets pdf` while `pamphlets build` runs: both finish, every PDF whole."""
    edit(project, "Both at once.")
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", PYTHONPATH=str(REPO / "scripts"))
    command = [sys.executable, "-m", "pamphlet_press"]
    build = subprocess.Popen([*command, "build", "--no-offline", "--jobs", "1"], cwd=project,
                             env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)  # fmt: skip
    pdf = subprocess.run([*command, "pdf", "--pamphlet", "alpha", "--jobs", "1"], cwd=project,
                         env=env, capture_output=True, text=True, timeout=600)  # fmt: skip
    out, err = build.communicate(timeout=600)
    from pypdf import PdfReader

    whole = all(len(PdfReader(path).pages) > 0 for path in (project / ".cache/pdf").glob("*.pdf"))
    leftovers = list((project / ".cache/pdf").glob(".*.tmp"))
    ok = build.returncode == 0 and pdf.returncode == 0 and whole and not leftovers
    count(KIND + "pamphlets pdf during pamphlets build: both finish, PDFs whole", ok)
    assert build.returncode == 0, err
    assert pdf.returncode == 0, pdf.stderr
    assert whole and not leftovers


URL = "https://migration.gov.az/en/information/internationalorganisations"
IBAN = "AZ21NABZ00000000137010001944"


def test_addresses_and_ibans_are_not_hyphenated_in_print(project: Path) -> None:
    (project / "pamphlets/beta/en.md").write_text(
        FRONT + f"Read the regulations at {URL} or write to informationdepartment@migration.gov.az. "
        f"Donations: {IBAN}, recipient organisation.\n\n" + "The employer must pay. " * 40
        + "\n\n## Help\n\nAsk for help.\n",  # alpha links this section
        encoding="utf-8",
    )  # fmt: skip
    result = run_pamphlets(project, "pdf", "--pamphlet", "beta", "--language", "en",
                           "--variant", "print")  # fmt: skip
    assert result.returncode == 0, result.stderr
    pdf = project / ".cache/pdf/beta-en-print.pdf"
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout  # fmt: skip
    joined = text.replace("\n", "")
    whole = URL in joined and IBAN in joined and "informationdepartment@migration.gov.az" in joined
    count(KIND + "addresses and IBANs in print not hyphenated", whole)
    subprocess.run(["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "1", str(pdf),
                    str(project / "beta-en-print")], check=True)  # fmt: skip
    assert whole, text
