# ruff: noqa: E501  (the tables below read best with one case per line)
"""Hardening across the whole pipeline: malformed inputs, hostile content, faults.

Every malformed input must give a non-zero exit, one clear message naming the file (and
the line where there is one), no traceback, and leave the previous site/ exactly as it was.
The figures (inputs tried and handled, vectors tried and blocked, faults survived) are
printed at the end of the test run.
"""

from __future__ import annotations

import hashlib
import io
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import REPO, copy_fixture, count, run_pamphlets

# The hardening corpus: many builds and checks of bad input (CI runs it; the quick
# subset, -m "not slow and not browser", leaves it out).
pytestmark = pytest.mark.slow

FRONT = "---\ntitle: T\nsummary: S\nstatus: draft\n---\n\n"
PNG_BYTES: dict[str, bytes] = {}


def png(width: int, height: int) -> bytes:
    from PIL import Image

    key = f"{width}x{height}"
    if key not in PNG_BYTES:
        buffer = io.BytesIO()
        Image.new("L", (width, height), 200).save(buffer, "PNG")
        PNG_BYTES[key] = buffer.getvalue()
    return PNG_BYTES[key]


def ru(body: str) -> tuple[str, str]:
    return ("pamphlets/beta/ru.md", FRONT + body)


# (name, {path: text, bytes or None to delete}, what the message must say)
BAD_INPUTS = [
    # front matter
    ("front matter: YAML syntax", {"pamphlets/beta/ru.md": "---\ntitle: [x\n---\n\nT\n"},
     "pamphlets/beta/ru.md:2: YAML syntax error"),
    ("front matter: unknown key", {"pamphlets/beta/ru.md": FRONT.replace("status", "colour: red\nstatus") + "T"},
     "pamphlets/beta/ru.md:4: 'colour' is not a known key"),
    ("front matter: title is a list", {"pamphlets/beta/ru.md": FRONT.replace("title: T", "title: [a, b]") + "T"},
     "pamphlets/beta/ru.md:2: 'title' must be text; got a list"),
    ("front matter: missing title", {"pamphlets/beta/ru.md": FRONT.replace("title: T\n", "") + "T"},
     "pamphlets/beta/ru.md:1: 'title' is missing"),
    ("front matter: missing summary", {"pamphlets/beta/ru.md": FRONT.replace("summary: S\n", "") + "T"},
     "pamphlets/beta/ru.md:1: 'summary' is missing"),
    ("front matter: bad status", {"pamphlets/beta/ru.md": FRONT.replace("draft", "final") + "T"},
     "pamphlets/beta/ru.md:4: 'status' must be one of draft, reviewed, untranslated; got 'final'"),
    ("front matter: reviewed without reviewer", {"pamphlets/beta/ru.md": FRONT.replace("draft", "reviewed") + "T"},
     "pamphlets/beta/ru.md:4: a reviewed text needs 'reviewed_by'"),
    ("front matter: review date not a date", {"pamphlets/beta/ru.md": FRONT.replace("draft", "reviewed\nreviewed_by: X\nreviewed_on: 2026-02-30") + "T"},
     "pamphlets/beta/ru.md:6: 'reviewed_on' must be a date written as YYYY-MM-DD"),
    ("front matter: missing", {"pamphlets/beta/ru.md": "Just text\n"},
     "pamphlets/beta/ru.md:1: must begin with YAML front matter"),
    ("front matter: not closed", {"pamphlets/beta/ru.md": "---\ntitle: T\n\nText\n"},
     "pamphlets/beta/ru.md:1: the front matter has no closing '---' line"),
    ("front matter: a list, not a mapping", {"pamphlets/beta/ru.md": "---\n- a\n- b\n---\n\nT\n"},
     "pamphlets/beta/ru.md:2: must be a YAML mapping"),
    ("front matter: key twice", {"pamphlets/beta/ru.md": FRONT.replace("summary: S", "summary: S\nsummary: S2") + "T"},
     "pamphlets/beta/ru.md:4: 'summary' is given twice"),
    ("front matter: HTML in the title", {"pamphlets/beta/ru.md": FRONT.replace("title: T", "title: <b>T</b>") + "T"},
     "pamphlets/beta/ru.md:2: 'title' must be plain text"),
    ("file: empty", {"pamphlets/beta/ru.md": "  \n"}, "pamphlets/beta/ru.md: is empty"),
    ("file: not UTF-8", {"pamphlets/beta/ru.md": (FRONT + "Привет").encode("cp1251")},
     "pamphlets/beta/ru.md:7: is not UTF-8 text"),
    ("file: language not configured", {"pamphlets/beta/de.md": FRONT + "T"},
     "pamphlets/beta/de.md: 'de' is not a language of this site"),
    ("file: empty body", {"pamphlets/beta/ru.md": FRONT}, "pamphlets/beta/ru.md:6: the text after the front matter is empty"),
    # pamphlet.yml
    ("pamphlet.yml: missing", {"pamphlets/beta/pamphlet.yml": None}, "pamphlets/beta/pamphlet.yml: is missing"),
    ("pamphlet.yml: order not a number", {"pamphlets/beta/pamphlet.yml": "order: two\nsource_language: en\nformat: a4-trifold\nedition: 2026-01-01\n"},
     "pamphlets/beta/pamphlet.yml:1: 'order' must be a whole number; got 'two'"),
    ("pamphlet.yml: unknown format", {"pamphlets/beta/pamphlet.yml": "order: 2\nsource_language: en\nformat: poster\nedition: 2026-01-01\n"},
     "pamphlets/beta/pamphlet.yml:3: 'format' must be one of a5-booklet, a4-trifold"),
    ("pamphlet.yml: unknown source language", {"pamphlets/beta/pamphlet.yml": "order: 2\nsource_language: xx\nformat: a4-trifold\nedition: 2026-01-01\n"},
     "pamphlets/beta/pamphlet.yml:2: 'source_language' must be one of en, ru, fa; got 'xx'"),
    ("pamphlet.yml: source text missing", {"pamphlets/beta/pamphlet.yml": "order: 2\nsource_language: fa\nformat: a4-trifold\nedition: 2026-01-01\n"},
     "pamphlets/beta/pamphlet.yml:2: the source language is 'fa' but beta/fa.md does not exist"),
    ("pamphlet.yml: edition not a date", {"pamphlets/beta/pamphlet.yml": "order: 2\nsource_language: en\nformat: a4-trifold\nedition: soon\n"},
     "pamphlets/beta/pamphlet.yml:4: 'edition' must be a date"),
    ("pamphlet.yml: YAML syntax", {"pamphlets/beta/pamphlet.yml": "order: 2\n format: [\n"},
     "pamphlets/beta/pamphlet.yml:2: YAML syntax error"),
    ("pamphlet folder: bad name", {"pamphlets/Beta_2/pamphlet.yml": "order: 3\nsource_language: en\nformat: a5-booklet\nedition: 2026-01-01\n"},
     "pamphlets/Beta_2: a pamphlet folder name must be lower-case"),
    # facts.yml
    ("facts: unknown fact", dict([ru("Call {{ fact.hotlnie }}.")]), "pamphlets/beta/ru.md:7: unknown fact 'hotlnie'"),
    ("facts: no source", {"pamphlets/facts.yml": "hotline:\n  value: '152'\n  kind: phone\n  tel: '152'\n  verified_on: 2020-01-01\nwage:\n  value: x\n  source: https://e.org\n  verified_on: 2020-01-01\n"},
     "pamphlets/facts.yml:1: 'source' is missing"),
    ("facts: phone without tel", {"pamphlets/facts.yml": "hotline:\n  value: '152'\n  kind: phone\n  source: https://e.org\n  verified_on: 2020-01-01\nwage:\n  value: x\n  source: https://e.org\n  verified_on: 2020-01-01\n"},
     "pamphlets/facts.yml:1: fact 'hotline' is a phone: give 'tel'"),
    ("facts: bad name", {"pamphlets/facts.yml": "Hot-line:\n  value: x\n  source: https://e.org\n  verified_on: 2020-01-01\n"},
     "pamphlets/facts.yml:1: fact name 'Hot-line' must be lower-case"),
    ("facts: verified_on not a date", {"pamphlets/facts.yml": "hotline:\n  value: '152'\n  kind: phone\n  tel: '152'\n  source: https://e.org\n  verified_on: yesterday\nwage:\n  value: x\n  source: https://e.org\n  verified_on: 2020-01-01\n"},
     "pamphlets/facts.yml:6: 'verified_on' must be a date"),
    ("facts: a list, not a mapping", {"pamphlets/facts.yml": "- hotline\n- wage\n"}, "pamphlets/facts.yml:1: must be a YAML mapping"),
    # the ledger
    ("ledger: unknown pamphlet", {"pamphlets/print-runs.yml": "runs:\n  - id: r\n    pamphlet: gamma\n    edition: x\n    quantity: 5\n    status: planned\n"},
     "pamphlets/print-runs.yml:2: r: there is no pamphlet 'gamma'"),
    ("ledger: negative quantity", {"pamphlets/print-runs.yml": "runs:\n  - id: r\n    pamphlet: alpha\n    edition: x\n    quantity: -5\n    status: planned\n"},
     "pamphlets/print-runs.yml:2: r: 'quantity' must be a positive whole number; got -5"),
    ("ledger: duplicate id", {"pamphlets/print-runs.yml": "runs:\n" + "  - id: r\n    pamphlet: alpha\n    edition: x\n    quantity: 5\n    status: planned\n" * 2},
     "pamphlets/print-runs.yml:7: id 'r' is used twice"),
    ("ledger: more handed out than delivered", {"pamphlets/print-runs.yml": "runs:\n  - id: r\n    pamphlet: alpha\n    edition: x\n    quantity: 5\n    status: delivered\ndistributions:\n  - id: d\n    run: r\n    quantity: 6\n    recipient: X\n"},
     "pamphlets/print-runs.yml:8: d: run 'r' delivered 5 copies, but 6 are handed out"),
    ("ledger: YAML syntax", {"pamphlets/print-runs.yml": "runs:\n  - id: r\n   pamphlet: [\n"}, "pamphlets/print-runs.yml:3: YAML syntax error"),
    ("ledger: runs not a list", {"pamphlets/print-runs.yml": "runs: many\n"}, "pamphlets/print-runs.yml:1: must be a list of records"),
    # interface strings
    ("ui: key missing", {"pamphlets/ui/fa.yml": "draft_notice: x\n"}, "pamphlets/ui/fa.yml:1: 'fallback_notice' is missing"),
    ("ui: file missing", {"pamphlets/ui/fa.yml": None}, "pamphlets/ui/fa.yml: the interface strings of 'fa' are missing"),
    # images
    ("image: corrupt", {"pamphlets/beta/map.png": b"\x89PNG\r\n\x1a\nnot really", **dict([ru("![m](map.png)")])},
     "pamphlets/beta/ru.md:7: image 'map.png' cannot be read as PNG or JPEG"),
    ("image: huge", {"pamphlets/beta/map.png": "HUGE_PNG", **dict([ru("![m](map.png)")])},
     "pamphlets/beta/ru.md:7: image 'map.png' is 7000 x 7000 pixels"),
    ("image: SVG with a script", {"pamphlets/beta/x.svg": "<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>", **dict([ru("![x](x.svg)")])},
     "pamphlets/beta/ru.md:7: image 'x.svg' must be a PNG or JPEG file"),
    ("image: remote", dict([ru("![x](https://example.org/x.png)")]), "pamphlets/beta/ru.md:7: image 'https://example.org/x.png' is on the network"),
    ("image: outside the project", dict([ru("![x](../../../../etc/passwd.png)")]), "pamphlets/beta/ru.md:7: image '../../../../etc/passwd.png' is outside"),
    # Markdown
    ("markdown: raw HTML", dict([ru("<div onclick=x>hi</div>")]), "pamphlets/beta/ru.md:7: raw HTML is not allowed"),
    ("markdown: deep nesting", dict([ru("\n".join("  " * i + "- item" for i in range(40)))]),
     "pamphlets/beta/ru.md:20: lists or quotes are nested 13 levels deep"),
    ("markdown: deep quotes", dict([ru(">" * 500 + " deep")]), "pamphlets/beta/ru.md:7: lists or quotes are nested 500 levels deep"),
    ("markdown: a 1 MB paragraph", dict([ru("word " * 210_000)]), "pamphlets/beta/ru.md:6: the text is 1050 thousand characters long"),
    ("markdown: a character no font has", dict([ru("Text \U0001F600.")]), "U+1F600"),
    ("markdown: link to a missing pamphlet", dict([ru("[x](../gamma/ru.md)")]), "pamphlets/beta/ru.md:7: link '../gamma/ru.md': there is no pamphlet"),
    ("markdown: broken anchor", dict([ru("[x](../alpha/ru.md#nowhere)")]), "pamphlets/beta/ru.md:7: link '../alpha/ru.md#nowhere': alpha has no section '#nowhere'"),
    # mkdocs.yml
    ("mkdocs.yml: fallback to an unknown language", {"mkdocs.yml": "FALLBACK_TR"}, "mkdocs.yml: plugins.pamphlets.fallback.fa: 'tr' is not a language"),
    ("mkdocs.yml: option of the wrong type", {"mkdocs.yml": "AGE_SOON"}, "Plugin 'pamphlets' option 'facts_max_age_days': Expected type"),
    ("mkdocs.yml: unknown option", {"mkdocs.yml": "COLOUR"}, "Plugin 'pamphlets' option 'colour': Unrecognised configuration name"),
    ("mkdocs.yml: font not installed", {"mkdocs.yml": "FONT"}, "the font 'No Such Sans' (plugins.pamphlets.pdf.fonts in mkdocs.yml) is not installed"),
]  # fmt: skip

MKDOCS_EDITS = {
    "FALLBACK_TR": ("fa: [ru, en]", "fa: [ru, tr]"),
    "AGE_SOON": ("  - pamphlets:\n", "  - pamphlets:\n      facts_max_age_days: soon\n"),
    "COLOUR": ("  - pamphlets:\n", "  - pamphlets:\n      colour: red\n"),
    "FONT": ("  - pamphlets:\n", "  - pamphlets:\n      pdf:\n        fonts: [No Such Sans]\n"),
}


@pytest.fixture(scope="module")
def built_mini(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = copy_fixture("mini", tmp_path_factory.mktemp("hardening") / "mini")
    result = run_pamphlets(project, "build", "--no-offline")
    assert result.returncode == 0, result.stderr
    return project


def site_digest(site: Path) -> dict[str, str]:
    return {p.relative_to(site).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(site.rglob("*")) if p.is_file()}  # fmt: skip


@pytest.mark.parametrize(
    ("changes", "expected"), [c[1:] for c in BAD_INPUTS], ids=[c[0] for c in BAD_INPUTS]
)
def test_malformed_input(built_mini: Path, tmp_path: Path, changes: dict, expected: str) -> None:
    project = tmp_path / "mini"
    shutil.copytree(built_mini, project)
    before = site_digest(project / "site")
    for relative, content in changes.items():
        path = project / relative
        if content is None:
            path.unlink()
        elif content == "HUGE_PNG":
            path.write_bytes(png(7000, 7000))
        elif relative == "mkdocs.yml":
            old, new = MKDOCS_EDITS[content]
            path.write_text(path.read_text().replace(old, new, 1))
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(content if isinstance(content, bytes) else content.encode())
    result = run_pamphlets(project, "build", "--no-offline")
    handled = (
        result.returncode != 0
        and expected in result.stderr
        and "Traceback" not in result.stderr
        and site_digest(project / "site") == before
    )
    count("malformed inputs", handled)
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    assert expected in result.stderr, result.stderr[-2000:]
    assert site_digest(project / "site") == before


TOLERATED = [
    ("a byte-order mark", b"\xef\xbb\xbf" + (FRONT + "Текст.\n").encode()),
    ("CRLF line ends", (FRONT + "Текст.\n\n## Раздел\n\nЕщё.\n").replace("\n", "\r\n").encode()),
    ("mixed scripts", (FRONT + "Azərbaycan, Русский, فارسی and English in one line.\n").encode()),
]


@pytest.mark.parametrize(("content",), [(c[1],) for c in TOLERATED], ids=[c[0] for c in TOLERATED])
def test_tolerated_input_builds(built_mini: Path, tmp_path: Path, content: bytes) -> None:
    project = tmp_path / "mini"
    shutil.copytree(built_mini, project)
    (project / "pamphlets/beta/ru.md").write_bytes(content)
    result = run_pamphlets(project, "build", "--no-offline")
    count("tolerated inputs (BOM, CRLF, mixed scripts)", result.returncode == 0)
    assert result.returncode == 0, result.stderr


# ------------------------------------------------------------------ hostile content

XSS_VECTORS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "<svg onload=alert(1)>",
    "<iframe src=javascript:alert(1)>",
    '<a href="javascript:alert(1)">x</a>',
    "[x](javascript:alert(1))",
    "[x](JaVaScRiPt:alert(1))",
    "[x]( javascript:alert(1))",
    "[x](java&#x09;script:alert(1))",
    "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "[x](vbscript:msgbox(1))",
    "![x](javascript:alert(1))",
    '## Title { onclick="alert(1)" }',
    "Para\n{: onmouseover=alert(1) }",
    "[x](https://example.org){ onclick=alert(1) }",
    "<details open ontoggle=alert(1)>",
    "<math><mtext><script>alert(1)</script></mtext></math>",
    "<style>body{background:url(javascript:alert(1))}</style>",
    "<object data=javascript:alert(1)>",
    "<embed src=javascript:alert(1)>",
    "<form action=javascript:alert(1)><input type=submit>",
    "<base href=javascript:alert(1)//>",
    '<meta http-equiv=refresh content="0;url=javascript:alert(1)">',
    "<!--><script>alert(1)</script>-->",
    "`code` <script>alert(1)</script>",
    "[x][r]\n\n[r]: javascript:alert(1)",
    '<https://example.org" onmouseover="alert(1)>',
    "x <scr<script>ipt>alert(1)</script>",
]


def unsafe_in_content(site: Path) -> list[str]:
    """What could run a script inside the content of any built page (the theme's own
    scripts, outside the article, are not the pamphlet's)."""
    from pamphlet_press.content.markdown import find_unsafe_html

    found = []
    for path in site.rglob("*.html"):
        text = path.read_text(encoding="utf-8", errors="ignore")
        if '<article class="md-content__inner' not in text:
            continue
        article = text.split('<article class="md-content__inner', 1)[1].split("</article>", 1)[0]
        # Material draws its icons as inline SVG: an <svg> is not a script by itself (its
        # event handlers and links are still checked).
        found += [f"{path.name}: {what}" for what in find_unsafe_html("<article " + article)
                  if what != "a <svg> element"]  # fmt: skip
    return found


@pytest.mark.parametrize("vector", XSS_VECTORS)
def test_script_vectors_are_blocked(built_mini: Path, tmp_path: Path, vector: str) -> None:
    """A vector is refused with an error, or neutralised (escaped): no script reaches a page."""
    project = tmp_path / "mini"
    shutil.copytree(built_mini, project)
    (project / "pamphlets/beta/ru.md").write_text(FRONT + f"Text.\n\n{vector}\n", encoding="utf-8")
    result = run_pamphlets(project, "build", "--no-offline")
    reached = unsafe_in_content(project / "site")
    count("script vectors in Markdown, refused or neutralised", not reached)
    assert "Traceback" not in result.stderr
    assert not reached


FRONT_VECTORS = [
    "title: <script>alert(1)</script>",
    "title: '\"><img src=x onerror=alert(1)>'",
    "summary: <svg onload=alert(1)>",
    'summary: "</textarea><script>alert(1)</script>"',
]


@pytest.mark.parametrize("line", FRONT_VECTORS)
def test_script_vectors_in_front_matter_are_blocked(
    built_mini: Path, tmp_path: Path, line: str
) -> None:
    project = tmp_path / "mini"
    shutil.copytree(built_mini, project)
    key = line.split(":")[0]
    text = FRONT.replace(f"{key}: {'T' if key == 'title' else 'S'}", line) + "Text.\n"
    (project / "pamphlets/beta/ru.md").write_text(text, encoding="utf-8")
    result = run_pamphlets(project, "build", "--no-offline")
    count("script vectors in front matter", result.returncode != 0)
    assert result.returncode != 0 and f"'{key}' must be plain text" in result.stderr


# ------------------------------------------------------------------ faults


@pytest.mark.slow
def test_the_build_needs_no_network(tmp_path: Path) -> None:
    """The whole build in a network namespace with no interface at all."""
    if shutil.which("unshare") is None or os.geteuid() != 0:
        pytest.skip("needs root and unshare for a network namespace")
    project = copy_fixture("mini", tmp_path / "mini")
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", PYTHONPATH=str(REPO / "scripts"))
    result = subprocess.run(
        ["unshare", "--net", sys.executable, "-m", "pamphlet_press", "build"],
        cwd=project, capture_output=True, text=True, env=env, timeout=600,
    )  # fmt: skip
    count("builds without network", result.returncode == 0)
    assert result.returncode == 0, result.stderr
    assert (project / "site/offline-site.zip").exists()


@pytest.mark.slow
def test_killed_builds_leave_the_previous_site_whole(built_mini: Path, tmp_path: Path) -> None:
    project = tmp_path / "mini"
    shutil.copytree(built_mini, project)
    assert run_pamphlets(project, "build").returncode == 0  # a whole site, offline copy too
    before = site_digest(project / "site")
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", PYTHONPATH=str(REPO / "scripts"))
    randomness = random.Random(7)
    for attempt in range(6):
        # A change each time, so that the build has PDFs to render and a site to write.
        path = project / "pamphlets/alpha/en.md"
        path.write_text(path.read_text().replace("Deadlines", f"Deadlines {attempt}", 1))
        process = subprocess.Popen(
            [sys.executable, "-m", "pamphlet_press", "build"], cwd=project, env=env,
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        time.sleep(randomness.uniform(0.5, 6.0))
        if process.poll() is None:
            process.send_signal(signal.SIGKILL)
        process.wait()
        after = site_digest(project / "site")
        # Either the old site, or a whole new one: the same files (the edit changes contents).
        whole = after == before or set(after) == set(before)
        count("builds killed at a random moment", whole)
        assert whole
        before = after
    result = run_pamphlets(project, "build")
    assert result.returncode == 0, result.stderr
    assert not list(project.glob(".site-building-*"))
