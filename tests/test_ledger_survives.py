# ruff: noqa: E501  (ledgers written out one per line read best)
"""Issue 16, point 3 (and the ledger's items of point 10): `pamphlets runs add` and `runs
distribute` never lose a record, whatever the ledger's layout, and keep the file's mode, its
link, its line ends; their lock and temporary files stay out of git."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import count, run_pamphlets
from pamphlet_press.content.ledger import load_ledger
from pamphlet_press.problems import ProblemList

# The hardening corpus: many builds and checks of bad input (CI runs it; the quick
# subset, -m "not slow and not browser", leaves it out).
pytestmark = pytest.mark.slow

LEDGER = "pamphlets/print-runs.yml"
SLUGS = {"alpha", "beta"}
LANGUAGES = ["en", "ru", "fa"]
RUN_A = "id: run-2025-001, pamphlet: alpha, language: ru, edition: '2026-11-28', quantity: 1000, status: delivered"
RUN_B = "id: run-2020-001, pamphlet: beta, edition: '2020', quantity: 300, status: delivered"


def records(text: str) -> tuple[list, list]:
    problems = ProblemList()
    ledger = load_ledger(Path("x"), "x", SLUGS, LANGUAGES, problems, text=text)
    assert not problems, problems
    return list(ledger.runs), list(ledger.distributions)


def add_run(project: Path, *extra: str):
    return run_pamphlets(
        project, "runs", "add", "--pamphlet", "beta", "--language", "fa", "--quantity", "700",
        "--date", "2026-12-01", *extra,
    )  # fmt: skip


# Ledgers an editor may write that a line-by-line append cannot extend: refused, untouched.
REFUSED_LAYOUTS = {
    "flow-style list": f"runs: [{{{RUN_A}}}, {{{RUN_B}}}]\n",
    "flow-style list over lines": f"# runs\nruns: [\n  {{{RUN_A}}},\n  {{{RUN_B}}}\n]\n",
    "flow-style file": f"{{runs: [{{{RUN_A}}}]}}\n",
}

# Odd but block-style layouts: the record is appended, every record stays.
EXTENDED_LAYOUTS = {
    "records as flow mappings": f"runs:\n  - {{{RUN_A}}}\n  - {{{RUN_B}}}\n",
    "an indentless list": "runs:\n- id: run-2020-001\n  pamphlet: beta\n  edition: '2020'\n  quantity: 300\n  status: delivered\n",
    "comments between records": "runs:\n  # first\n  - id: a1\n    pamphlet: beta\n    edition: x\n    quantity: 1\n    status: planned\n  # second\n\n  - id: a2\n    pamphlet: beta\n    edition: x\n    quantity: 2\n    status: planned\n# the end\n",
    "runs after distributions": "distributions: []\nruns:\n  - id: a1\n    pamphlet: beta\n    edition: x\n    quantity: 1\n    status: planned\n",
    "no line break at the end": "runs:\n  - id: a1\n    pamphlet: beta\n    edition: x\n    quantity: 1\n    status: planned",
    "wide indentation": "runs:\n    -   id: a1\n        pamphlet: beta\n        edition: x\n        quantity: 1\n        status: planned\n",
    "empty list": "# nothing yet\nruns: []\n",
    "a multi-line note last": "runs:\n  - id: a1\n    pamphlet: beta\n    edition: x\n    quantity: 1\n    status: planned\n    notes: |\n      line one\n      line two\n\n",
}


@pytest.mark.parametrize("layout", list(REFUSED_LAYOUTS))
def test_a_layout_that_cannot_be_extended_is_refused_untouched(mini: Path, layout: str) -> None:
    path = mini / LEDGER
    path.write_text(REFUSED_LAYOUTS[layout], encoding="utf-8")
    before = path.read_bytes()
    result = add_run(mini)
    refused = (
        result.returncode == 1
        and "flow style" in result.stderr
        and "nothing was written" in result.stderr
        and f"{LEDGER}:" in result.stderr
        and "Traceback" not in result.stderr
        and path.read_bytes() == before
    )
    count("issue 16: 3 ledger layouts runs add cannot extend: refused, file untouched", refused)
    assert result.returncode == 1, result.stdout
    assert "Traceback" not in result.stderr
    assert "flow style" in result.stderr and "nothing was written" in result.stderr
    assert path.read_bytes() == before


@pytest.mark.parametrize("layout", list(EXTENDED_LAYOUTS))
def test_odd_layouts_keep_every_record(mini: Path, layout: str) -> None:
    path = mini / LEDGER
    path.write_text(EXTENDED_LAYOUTS[layout], encoding="utf-8")
    runs_before, distributions_before = records(path.read_text(encoding="utf-8"))
    result = add_run(mini)
    runs_after, distributions_after = records(path.read_text(encoding="utf-8"))
    kept = (
        result.returncode == 0
        and runs_after[:-1] == runs_before
        and runs_after[-1].id == result.stdout.strip()
        and distributions_after == distributions_before
    )
    count("issue 16: 3 odd ledger layouts extended with every record kept", kept)
    assert result.returncode == 0, result.stderr
    assert runs_after[:-1] == runs_before
    assert runs_after[-1].id == result.stdout.strip()
    assert distributions_after == distributions_before


@pytest.mark.parametrize("separator", ["\u2028", "\u2029", "\x85"])
def test_line_separators_in_notes_round_trip(mini: Path, separator: str) -> None:
    """A U+2028 in --notes used to break every later `runs add`."""
    path = mini / LEDGER
    first = add_run(mini, "--notes", f"line one{separator}line two")
    second = add_run(mini, "--notes", "after it")
    third = run_pamphlets(
        mini, "runs", "distribute", "--run", "run-2025-001", "--quantity", "5", "--to",
        f"Shop{separator}two", "--date", "2026-12-02",
    )  # fmt: skip
    runs, distributions = records(path.read_text(encoding="utf-8"))
    notes = [run.notes for run in runs[-2:]]
    handled = (
        first.returncode == second.returncode == third.returncode == 0
        and notes == [f"line one{separator}line two", "after it"]
        and distributions[-1].recipient == f"Shop{separator}two"
        and len(runs) == 5
        and separator not in path.read_text(encoding="utf-8")
    )
    count("issue 16: 3 line separators in free text written escaped and read back", handled)
    assert first.returncode == 0, first.stderr
    assert second.returncode == 0, second.stderr
    assert third.returncode == 0, third.stderr
    assert notes == [f"line one{separator}line two", "after it"]
    assert separator not in path.read_text(encoding="utf-8")


def test_mode_link_line_ends_and_git(mini: Path) -> None:
    """runs add kept to its file: mode 0644 stays, a linked ledger stays a link, CRLF stays,
    the lock is under .cache/, no temporary file is left, git sees nothing new."""
    subprocess.run(["git", "init", "-q", str(mini)], check=True)
    (mini / ".gitignore").write_text((Path(__file__).parent.parent / ".gitignore").read_text())
    real = mini / "records" / "print-runs.yml"
    real.parent.mkdir()
    text = (mini / LEDGER).read_text(encoding="utf-8")
    real.write_bytes(text.replace("\n", "\r\n").encode())
    real.chmod(0o644)
    (mini / LEDGER).unlink()
    (mini / LEDGER).symlink_to(Path("..") / "records" / "print-runs.yml")
    subprocess.run(["git", "-C", str(mini), "add", "-A"], check=True)
    subprocess.run(
        ["git", "-C", str(mini), "-c", "user.email=t@example.org", "-c", "user.name=t",
         "commit", "-qm", "fixture"], check=True,
    )  # fmt: skip
    result = add_run(mini)
    after = real.read_bytes()
    untracked = subprocess.run(
        ["git", "-C", str(mini), "status", "--porcelain", "--untracked-files=all"],
        capture_output=True, text=True, check=True,
    ).stdout.split("\n")  # fmt: skip
    checks = {
        "added": result.returncode == 0,
        "still a link": (mini / LEDGER).is_symlink(),
        "mode kept": stat.S_IMODE(real.stat().st_mode) == 0o644,
        "CRLF kept": b"\r\n" in after and b"\n" not in after.replace(b"\r\n", b""),
        "lock under .cache": (mini / ".cache/locks/print-runs.yml.lock").exists()
        and not list((mini / "pamphlets").glob(".*lock")),
        "no temporary file": not list(real.parent.glob(".*.tmp")),
        "git sees only the ledger": [line for line in untracked if line] == [" M records/print-runs.yml"],
    }  # fmt: skip
    for ok in checks.values():
        count("issue 16: 3/10 ledger file kept (mode, link, line ends, lock, git)", ok)
    assert result.returncode == 0, result.stderr
    assert all(checks.values()), checks


def test_files_import_without_fcntl() -> None:
    """The package must import on Windows, which has no fcntl."""
    code = (
        "import sys; sys.modules['fcntl'] = None\n"
        "from pamphlet_press import files, build, cli\n"
        "from pamphlet_press.content import ledger\n"
        "print('ok')"
    )
    env = dict(os.environ, PYTHONPATH=str(Path(__file__).parent.parent / "scripts"))
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env)
    count("issue 16: 3 the package imports without fcntl (Windows)", result.stdout.strip() == "ok")
    assert result.stdout.strip() == "ok", result.stderr


@pytest.mark.parametrize(
    ("arguments", "expected"),
    [
        (("--date", "2026-W01"), "'2026-W01' is not a date written as YYYY-MM-DD"),
        (("--date", "20261201"), "'20261201' is not a date written as YYYY-MM-DD"),
        (("--date", "2026-12-01T10:00"), "is not a date written as YYYY-MM-DD"),
        (("--quantity", str(10**30)), "is not in the range 1<=x<=10000000"),
        (("--quantity", "0"), "is not in the range 1<=x<=10000000"),
    ],
)
def test_dates_and_quantities_are_checked(mini: Path, arguments: tuple, expected: str) -> None:
    before = (mini / LEDGER).read_bytes()
    options = {"--date": "2026-12-01", "--quantity": "700"}
    options.update(dict(zip(arguments[::2], arguments[1::2], strict=True)))
    result = run_pamphlets(
        mini, "runs", "add", "--pamphlet", "beta", "--language", "fa",
        *[item for pair in options.items() for item in pair],
    )  # fmt: skip
    refused = (
        result.returncode == 2 and expected in result.stderr
        and (mini / LEDGER).read_bytes() == before
    )  # fmt: skip
    count("issue 16: 10 --date and --quantity out of shape refused", refused)
    assert result.returncode == 2 and expected in result.stderr, result.stderr
    assert (mini / LEDGER).read_bytes() == before
