"""Property-based tests (hypothesis): whatever an editor types, the parsers answer with
problems, never with an unhandled exception; and the ledger round-trips."""

from __future__ import annotations

import datetime
import string
from pathlib import Path

from conftest import count
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pamphlet_press.content.catalog import FrontMatter
from pamphlet_press.content.ledger import Distribution, Run, load_ledger
from pamphlet_press.content.ledger_writer import _insert_record
from pamphlet_press.content.markdown import MarkdownSettings, find_unsafe_text
from pamphlet_press.content.sources import record_from_mapping, split_front_matter
from pamphlet_press.problems import ProblemList

SLUGS = {"alpha", "beta"}
LANGUAGES = ["en", "ru", "fa"]
yaml_like = st.text(
    alphabet=st.sampled_from(list(string.printable) + list("ёəшء\u200c\ufeff—«»")), max_size=300
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(yaml_like, st.builds(lambda t: "---\n" + t + "\n---\nBody\n", yaml_like)))
def test_front_matter_parser_never_crashes(text: str) -> None:
    problems = ProblemList()
    record = None
    parts = split_front_matter(text, "x.md", problems)
    if parts is not None:
        matter, _body, _line = parts
        record = record_from_mapping(FrontMatter, matter, "x.md", problems)
    # Every text gets an answer: a record, or at least one problem that names the file.
    answered = (record is not None and not problems) or (
        record is None and bool(problems) and all(p.path == "x.md" and p.message for p in problems)
    )
    count("front matter texts answered with a record or a located problem", answered)
    assert answered, (text, problems)


@settings(max_examples=300, deadline=None)
@given(st.one_of(yaml_like, st.builds(lambda t: "runs:\n  - id: " + t, yaml_like)))
def test_ledger_parser_never_crashes(text: str) -> None:
    problems = ProblemList()
    ledger = load_ledger(Path("x.yml"), "x.yml", SLUGS, LANGUAGES, problems, text=text or "{}")
    # A ledger with problems names them (file and line); one without has its records.
    answered = all(p.path == "x.yml" and p.message for p in problems) and (
        bool(problems) or isinstance(ledger.runs, tuple)
    )
    count("ledger texts answered with records or located problems", answered)
    assert answered, (text, problems)


# Texts the ledger accepts (plain text: markdown.find_unsafe_text refuses HTML, links, ...).
words = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=40
).filter(lambda w: not find_unsafe_text(w, MarkdownSettings()))
runs = st.builds(
    Run,
    id=st.just("x"),
    pamphlet=st.sampled_from(sorted(SLUGS)),
    edition=words.filter(lambda w: w.strip() == w),
    quantity=st.integers(1, 10**6),
    status=st.sampled_from(["planned", "ordered", "delivered"]),
    language=st.sampled_from([None, *LANGUAGES]),
    date=st.one_of(st.none(), st.dates(datetime.date(2000, 1, 1), datetime.date(2100, 1, 1))),
    printer=st.one_of(st.none(), words.filter(lambda w: w.strip() == w)),
    notes=st.one_of(st.none(), words.filter(lambda w: w.strip() == w)),
)


@settings(max_examples=150, deadline=None)
@given(st.lists(runs, min_size=1, max_size=6), st.booleans())
def test_ledger_round_trips(records: list[Run], with_comment: bool) -> None:
    """Records appended to the text come back equal, and the file's comment stays."""
    text = "# the ledger\nruns: []\n" if with_comment else ""
    written = []
    for number, record in enumerate(records):
        record = Run(**{**record.__dict__, "id": f"run-{number}"})
        text = _insert_record(text, "runs", record)
        written.append(record)
    delivered = next((r for r in written if r.status == "delivered"), None)
    if delivered:
        text = _insert_record(text, "distributions", Distribution(
            id="d-1", run=delivered.id, quantity=1, recipient="Workshop: Baku"))  # fmt: skip
    problems = ProblemList()
    ledger = load_ledger(Path("x.yml"), "x.yml", SLUGS, LANGUAGES, problems, text=text)
    same = not problems and list(ledger.runs) == written
    kept = text.startswith("# the ledger\n") or not with_comment
    count("ledgers round-tripped with every record and the comment", same and kept)
    assert not problems, (text, problems)
    assert list(ledger.runs) == written
    assert kept
