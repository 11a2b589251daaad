"""The print-run ledger: validation, the report, safe writes, and the imprint."""

from __future__ import annotations

import json
import multiprocessing
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import REPO, run_pamphlets
from pamphlet_press.content.catalog import load_catalog
from pamphlet_press.content.ledger import Run
from pamphlet_press.content.ledger_report import report
from pamphlet_press.content.ledger_writer import append_record
from pamphlet_press.leaflets.leaflet import make_leaflet
from pamphlet_press.problems import ContentError
from pamphlet_press.web.project import load_project

LEDGER = "pamphlets/print-runs.yml"


def catalog_of(project: Path):
    settings = load_project(str(project / "mkdocs.yml")).settings
    return load_catalog(settings)


def problems_with(project: Path, text: str) -> list[str]:
    (project / LEDGER).write_text(text, encoding="utf-8")
    with pytest.raises(ContentError) as caught:
        catalog_of(project)
    return [str(problem) for problem in caught.value.problems]


RUN = "  - id: {id}\n    pamphlet: alpha\n    language: ru\n    edition: x\n    quantity: {q}\n    status: delivered\n"  # noqa: E501


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "runs:\n  - id: r1\n    pamphlet: gamma\n    language: ru\n    edition: x\n"
            "    quantity: 5\n    status: planned\n",
            "pamphlets/print-runs.yml:2: r1: there is no pamphlet 'gamma' (there are: alpha, beta)",
        ),
        (
            "runs:\n  - id: r1\n    pamphlet: alpha\n    language: de\n    edition: x\n"
            "    quantity: 5\n    status: planned\n",
            "pamphlets/print-runs.yml:2: r1: 'de' is not a language of this site (en, ru, fa)",
        ),
        (
            "runs:\n" + RUN.format(id="r1", q=0),
            "pamphlets/print-runs.yml:2: r1: 'quantity' must be a positive whole number; got 0",
        ),
        (
            "runs:\n" + RUN.format(id="r1", q="many"),
            "pamphlets/print-runs.yml:6: 'quantity' must be a whole number; got 'many'",
        ),
        (
            "runs:\n" + RUN.format(id="r1", q=5) + "    date: 2026-13-45\n",
            "pamphlets/print-runs.yml:8: 'date' must be a date written as YYYY-MM-DD; "
            "got '2026-13-45'",
        ),
        (
            "runs:\n" + RUN.format(id="r1", q=5) + RUN.format(id="r1", q=5),
            "pamphlets/print-runs.yml:8: id 'r1' is used twice (also on line 2); "
            "give each record its own id",
        ),
        (
            "runs:\n" + RUN.format(id="r1", q=5) + "distributions:\n  - id: d1\n    run: r9\n"
            "    quantity: 1\n    recipient: X\n",
            "pamphlets/print-runs.yml:9: d1: there is no run 'r9'; give the id of a run listed "
            "under runs",
        ),
        (
            "runs:\n" + RUN.format(id="r1", q=5) + "distributions:\n  - id: d1\n    run: r1\n"
            "    quantity: 3\n    recipient: X\n  - id: d2\n    run: r1\n    quantity: 3\n"
            "    recipient: Y\n",
            "pamphlets/print-runs.yml:13: d2: run 'r1' delivered 5 copies, but 6 are handed out "
            "with this record; check the quantities",
        ),
        (
            "runs:\n" + RUN.format(id="r1", q=5).replace("delivered", "ordered")
            + "distributions:\n  - id: d1\n    run: r1\n    quantity: 3\n    recipient: X\n",
            "pamphlets/print-runs.yml:9: d1: run 'r1' is ordered, not delivered; copies can be "
            "handed out once the run is delivered (set its status)",
        ),
    ],
    ids=[
        "unknown pamphlet", "unknown language", "quantity zero", "quantity not a number",
        "date not a date", "duplicate id", "unknown run", "more than delivered", "not delivered",
    ],
)  # fmt: skip
def test_ledger_errors_name_file_line_and_fix(mini: Path, text: str, expected: str) -> None:
    assert problems_with(mini, text) == [expected]


def test_report_figures(mini: Path) -> None:
    ledger = catalog_of(mini).ledger
    rows = {(r.pamphlet, r.language): r for r in report(ledger)}
    alpha, beta = rows[("alpha", "ru")], rows[("beta", "")]
    assert (alpha.printed, alpha.distributed, alpha.in_stock, alpha.on_order) == (
        1000,
        500,
        500,
        2500,
    )
    assert (beta.printed, beta.distributed, beta.in_stock) == (300, 0, 300)
    import datetime

    in_2025 = report(ledger, datetime.date(2025, 1, 1), datetime.date(2025, 12, 31))
    assert [(r.pamphlet, r.printed, r.distributed, r.on_order) for r in in_2025] == [
        ("alpha", 1000, 500, 0),
        ("beta", 0, 0, 0),
    ]


def test_report_command_formats(mini: Path) -> None:
    result = run_pamphlets(mini, "runs", "report", "--format", "json", "--pamphlet", "alpha")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["total"]["printed"] == 1000 and data["total"]["on_order"] == 2500
    csv = run_pamphlets(mini, "runs", "report", "--format", "csv").stdout.splitlines()
    assert csv[0] == "pamphlet,language,printed,distributed,in_stock,on_order"
    assert "alpha,ru,1000,500,500,2500" in csv and csv[-1] == "total,,1300,500,800,2500"
    table = run_pamphlets(mini, "runs", "report").stdout
    assert "total" in table and "1300" in table


def test_commands_append_and_keep_comments_and_order(mini: Path) -> None:
    before = (mini / LEDGER).read_text(encoding="utf-8")
    added = run_pamphlets(
        mini, "runs", "add", "--pamphlet", "beta", "--language", "fa", "--quantity", "700",
        "--status", "delivered", "--date", "2026-12-01", "--printer", "Shop: A",
    )  # fmt: skip
    assert added.returncode == 0, added.stderr
    assert added.stdout.strip() == "run-2026-002"
    handed = run_pamphlets(
        mini, "runs", "distribute", "--run", "run-2026-002", "--quantity", "50", "--to",
        "Migrants' Day", "--date", "2026-12-18",
    )  # fmt: skip
    assert handed.stdout.strip() == "dist-2026-001", handed.stderr
    after = (mini / LEDGER).read_text(encoding="utf-8")
    # Every line that was there is still there, in the same order.
    old_lines = before.splitlines()
    iterator = iter(after.splitlines())
    assert all(line in iterator for line in old_lines)
    assert "# Handed out at two events." in after
    assert '    printer: "Shop: A"' in after
    ledger = catalog_of(mini).ledger
    assert ledger.run("run-2026-002").quantity == 700
    assert ledger.distributed("run-2026-002") == 50


def test_command_refuses_a_bad_record_and_writes_nothing(mini: Path) -> None:
    before = (mini / LEDGER).read_bytes()
    result = run_pamphlets(
        mini, "runs", "distribute", "--run", "run-2025-001", "--quantity", "600", "--to", "X"
    )
    assert result.returncode == 1
    assert "nothing was written" in result.stderr
    assert "run 'run-2025-001' delivered 1000 copies, but 1100 are handed out" in result.stderr
    assert "Traceback" not in result.stderr
    assert (mini / LEDGER).read_bytes() == before


def _writer(project: str, count: int, tag: str) -> None:
    settings = load_project(str(Path(project) / "mkdocs.yml")).settings
    path = settings.pamphlets_dir / "print-runs.yml"
    for number in range(count):

        def make(ledger, number=number):
            return Run(
                id=f"{tag}-{number}", pamphlet="alpha", language="fa", edition="2026-11-28",
                quantity=1, status="planned", notes=f"writer {tag}",
            )  # fmt: skip

        append_record(path, LEDGER, "runs", make, {"alpha", "beta"}, ["en", "ru", "fa"])


@pytest.mark.slow
def test_four_writers_at_once_all_land(mini: Path) -> None:
    context = multiprocessing.get_context("fork")
    writers = [context.Process(target=_writer, args=(str(mini), 50, f"w{n}")) for n in range(4)]
    for writer in writers:
        writer.start()
    for writer in writers:
        writer.join(120)
        assert writer.exitcode == 0
    ledger = catalog_of(mini).ledger
    added = [run for run in ledger.runs if run.notes and run.notes.startswith("writer")]
    assert len(added) == 200
    assert len({run.id for run in added}) == 200
    assert "# Handed out at two events." in (mini / LEDGER).read_text(encoding="utf-8")


@pytest.mark.slow
def test_a_writer_killed_mid_write_leaves_a_valid_ledger(mini: Path) -> None:
    script = (
        "import sys; sys.path.insert(0, sys.argv[2]); from test_ledger import _writer; "
        "_writer(sys.argv[1], 10_000, 'k')"
    )
    for delay in (0.3, 0.55, 0.8, 1.1, 1.4):
        process = subprocess.Popen(
            [sys.executable, "-c", script, str(mini), str(Path(__file__).parent)],
            env=dict(os.environ, PYTHONPATH=str(REPO / "scripts")),
        )
        time.sleep(delay)
        process.send_signal(signal.SIGKILL)
        process.wait()
        ledger = catalog_of(mini).ledger  # raises ContentError if the file is broken
        # What was there before the writers is still there, and every record is whole.
        assert {"run-2025-001", "run-2026-001", "run-2020-001"} <= {r.id for r in ledger.runs}
        assert all(r.quantity == 1 for r in ledger.runs if r.id.startswith("k-"))


EXPECTED_IMPRINT = {
    "az": "Tiraj: 1000 nüsxə",
    "ru": "Тираж: 1000 экз.",
    "uk": "Наклад: 1000 прим.",
    "en": "Print run: 1,000 copies",
    "fa": "شمارگان: ۱۰۰۰ نسخه",
}


def test_imprint_states_the_run_in_each_language(tmp_path: Path) -> None:
    from conftest import copy_repository_sources

    project = copy_repository_sources(tmp_path / "repo")
    settings = (project / "pamphlets/rights-and-duties/pamphlet.yml").read_text(encoding="utf-8")
    edition = re.search(r"^edition: (\S+)", settings, re.M).group(1)
    runs = "".join(
        f"  - id: run-{language}\n    pamphlet: rights-and-duties\n    language: {language}\n"
        f"    edition: '{edition}'\n    quantity: 1000\n    status: ordered\n"
        for language in EXPECTED_IMPRINT
    )
    (project / LEDGER).write_text("runs:\n" + runs, encoding="utf-8")
    catalog = catalog_of(project)
    pamphlet = next(p for p in catalog.pamphlets if p.slug == "rights-and-duties")
    for language, expected in EXPECTED_IMPRINT.items():
        leaflet = make_leaflet(catalog, pamphlet, pamphlet.translations[language])
        assert leaflet.print_run_line == expected
    other = next(p for p in catalog.pamphlets if p.slug == "documents-for-abroad")
    ru = make_leaflet(catalog, other, other.translations["ru"])
    assert ru.print_run_line == "Тираж: не указан"


def test_imprint_in_the_built_leaflet_and_the_page(mini: Path) -> None:
    result = run_pamphlets(mini, "build")
    assert result.returncode == 0, result.stderr
    from pypdf import PdfReader

    reader = PdfReader(mini / "site/pdf/alpha-ru-print.pdf")
    assert "Тираж: 2500 экз." in reader.pages[-1].extract_text()
    page = (mini / "site/ru/print-runs/index.html").read_text(encoding="utf-8")
    assert '<svg class="ledger-chart"' in page
    assert "run-2025-001" in page
    # Recipients are not for the public (no record here says public: true).
    assert "Partner CSO" not in page and "Workshop" not in page
    fa = (mini / "site/fa/print-runs/index.html").read_text(encoding="utf-8")
    assert "۱۳۰۰" in fa  # printed in total, in Persian digits
    chart = page.split('<svg class="ledger-chart"')[1].split("</svg>")[0]
    assert "<script" not in chart and "href" not in chart  # drawn, not scripted or loaded
