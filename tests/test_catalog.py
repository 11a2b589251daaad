"""The content model and its validation: what loads, and the exact message for each mistake."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest
from conftest import FIXTURES
from pamphlet_press.content.catalog import load_catalog
from pamphlet_press.content.facts import stale_facts
from pamphlet_press.problems import ContentError
from pamphlet_press.web.project import load_project


def catalog_of(project: Path):
    settings = load_project(str(project / "mkdocs.yml")).settings
    return load_catalog(settings)


def problems_of(project: Path) -> list[str]:
    with pytest.raises(ContentError) as caught:
        catalog_of(project)
    return [str(problem) for problem in caught.value.problems]


def write(project: Path, relative: str, text: str) -> None:
    path = project / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def test_languages_come_from_mkdocs_yml(mini: Path) -> None:
    catalog = catalog_of(mini)
    assert [language.code for language in catalog.settings.languages] == ["en", "ru", "fa"]
    assert catalog.settings.default_language == "en"
    assert catalog.language("fa").name == "فارسی"
    assert catalog.ui["fa"].direction == "rtl"


def test_pamphlets_in_order_with_facts_filled_in(mini: Path) -> None:
    catalog = catalog_of(mini)
    assert [pamphlet.slug for pamphlet in catalog.pamphlets] == ["alpha", "beta"]
    alpha = catalog.pamphlets[0]
    assert sorted(alpha.translations) == ["en", "fa", "ru"]
    assert "[152](tel:152)" in alpha.translations["en"].body
    assert "**400 AZN**" in alpha.translations["ru"].body
    assert "{{" not in alpha.translations["fa"].body


def test_fallback_chain_follows_configuration(mini: Path) -> None:
    catalog = catalog_of(mini)
    beta = catalog.pamphlets[1]
    assert catalog.fallback_chain("fa") == ["fa", "ru", "en"]
    shown = catalog.shown(beta, "fa")
    assert shown.is_fallback and shown.translation.language == "ru"
    assert not catalog.shown(beta, "ru").is_fallback


def test_reviewed_and_draft_status(mini: Path) -> None:
    alpha = catalog_of(mini).pamphlets[0]
    assert not alpha.translations["en"].is_draft
    assert alpha.translations["en"].front.reviewed_on == datetime.date(2026, 1, 15)
    assert alpha.translations["ru"].is_draft


def test_stale_facts_are_listed(mini: Path) -> None:
    facts = catalog_of(mini).facts
    stale = stale_facts(facts, datetime.date(2026, 11, 28), 365)
    assert [(name, age) for name, _fact, age in stale] == [("hotline", 2523)]


BAD_INPUTS = [
    (
        "yaml syntax error in front matter",
        "pamphlets/beta/ru.md",
        "---\ntitle: [unclosed\nsummary: x\nstatus: draft\n---\n\nText.\n",
        "pamphlets/beta/ru.md:3: YAML syntax error: ",
    ),
    (
        "status not one of the choices",
        "pamphlets/beta/ru.md",
        "---\ntitle: T\nsummary: S\nstatus: done\n---\n\nText.\n",
        "pamphlets/beta/ru.md:4: 'status' must be one of draft, reviewed, untranslated; got 'done'",
    ),
    (
        "unknown key",
        "pamphlets/beta/ru.md",
        "---\ntitle: T\nsummary: S\nstatus: draft\ncolour: red\n---\n\nText.\n",
        "pamphlets/beta/ru.md:5: 'colour' is not a known key; the known keys are title, "
        "summary, status, reviewed_by, reviewed_on",
    ),
    (
        "missing title",
        "pamphlets/beta/ru.md",
        "---\nsummary: S\nstatus: draft\n---\n\nText.\n",
        "pamphlets/beta/ru.md:1: 'title' is missing; add a line 'title: ...'",
    ),
    (
        "wrong type in pamphlet.yml",
        "pamphlets/beta/pamphlet.yml",
        "order: first\nsource_language: en\nformat: a4-trifold\nedition: 2026-01-01\n",
        "pamphlets/beta/pamphlet.yml:1: 'order' must be a whole number; got 'first'",
    ),
    (
        "yaml syntax error in pamphlet.yml",
        "pamphlets/beta/pamphlet.yml",
        "order: 2\nsource_language: en\n  format: a4-trifold\nedition: 2026-01-01\n",
        "pamphlets/beta/pamphlet.yml:3: YAML syntax error: ",
    ),
    (
        "unknown format",
        "pamphlets/beta/pamphlet.yml",
        "order: 2\nsource_language: en\nformat: poster\nedition: 2026-01-01\n",
        "pamphlets/beta/pamphlet.yml:3: 'format' must be one of a5-booklet, a4-trifold; "
        "got 'poster'",
    ),
    (
        "language not configured",
        "pamphlets/beta/de.md",
        "---\ntitle: T\nsummary: S\nstatus: draft\n---\n\nText.\n",
        "pamphlets/beta/de.md: 'de' is not a language of this site (en, ru, fa); rename the "
        "file, or add the language to plugins.i18n.languages in mkdocs.yml",
    ),
    (
        "unknown fact",
        "pamphlets/beta/ru.md",
        "---\ntitle: T\nsummary: S\nstatus: draft\n---\n\nLine.\n\nCall {{ fact.hotlnie }}.\n",
        "pamphlets/beta/ru.md:9: unknown fact 'hotlnie' (did you mean 'hotline'?); use one of "
        "the names in "
        "pamphlets/facts.yml (hotline, ngo_phone, wage) or add it there",
    ),
    (
        "empty file",
        "pamphlets/beta/ru.md",
        "\n  \n",
        "pamphlets/beta/ru.md: is empty; write its content or delete the file",
    ),
    (
        "no front matter",
        "pamphlets/beta/ru.md",
        "Just text.\n",
        "pamphlets/beta/ru.md:1: must begin with YAML front matter: a line '---', then "
        "'title: ...', 'summary: ...', 'status: draft', then a line '---'",
    ),
    (
        "reviewed without reviewer",
        "pamphlets/beta/ru.md",
        "---\ntitle: T\nsummary: S\nstatus: reviewed\n---\n\nText.\n",
        "pamphlets/beta/ru.md:4: a reviewed text needs 'reviewed_by' (the lawyer's name) and "
        "'reviewed_on' (YYYY-MM-DD); add them or set status: draft",
    ),
    (
        "date that is not a date",
        "pamphlets/beta/ru.md",
        "---\ntitle: T\nsummary: S\nstatus: reviewed\nreviewed_by: X\n"
        "reviewed_on: soon\n---\n\nT.\n",
        "pamphlets/beta/ru.md:6: 'reviewed_on' must be a date written as YYYY-MM-DD; got 'soon'",
    ),
    (
        "raw script",
        "pamphlets/beta/ru.md",
        "---\ntitle: T\nsummary: S\nstatus: draft\n---\n\nHello <script>alert(1)</script>\n",
        "pamphlets/beta/ru.md:7: raw HTML is not allowed in a pamphlet (<script>); write it in "
        "Markdown instead",
    ),
    (
        "event handler through an attribute list",
        "pamphlets/beta/ru.md",
        '---\ntitle: T\nsummary: S\nstatus: draft\n---\n\n## Help { onclick="alert(1)" }\n',
        "pamphlets/beta/ru.md:7: the text would put an event handler attribute 'onclick' into "
        "the page and the leaflet; remove it",
    ),
    (
        "javascript link",
        "pamphlets/beta/ru.md",
        "---\ntitle: T\nsummary: S\nstatus: draft\n---\n\n[click](javascript:alert(1))\n",
        "pamphlets/beta/ru.md:7: the text would put a 'javascript:' address in 'href' into the "
        "page and the leaflet; remove it",
    ),
    (
        "link to a pamphlet that does not exist",
        "pamphlets/beta/ru.md",
        "---\ntitle: T\nsummary: S\nstatus: draft\n---\n\nSee [x](../gamma/ru.md).\n",
        "pamphlets/beta/ru.md:7: link '../gamma/ru.md': there is no pamphlet 'gamma' "
        "(there are: alpha, beta)",
    ),
    (
        "fact without source",
        "pamphlets/facts.yml",
        "hotline:\n  value: '152'\n  verified_on: 2020-01-01\nwage:\n  value: x\n"
        "  source: https://example.org\n  verified_on: 2020-01-01\n",
        "pamphlets/facts.yml:1: 'source' is missing; add a line 'source: ...'",
    ),
    (
        "interface string missing",
        "pamphlets/ui/fa.yml",
        (FIXTURES / "mini/pamphlets/ui/fa.yml").read_text().replace("pamphlets_heading", "#"),
        "pamphlets/ui/fa.yml:1: 'pamphlets_heading' is missing; "
        "add a line 'pamphlets_heading: ...'",
    ),
    (
        "file size without its number",
        "pamphlets/ui/fa.yml",
        (FIXTURES / "mini/pamphlets/ui/fa.yml").read_text().replace(
            'size_kb: "{size} کیلوبایت"', 'size_kb: "کیلوبایت"'
        ),
        "pamphlets/ui/fa.yml:97: 'size_kb' must contain {size}, where the number goes",
    ),
]


@pytest.mark.parametrize(
    ("relative", "text", "expected"),
    [case[1:] for case in BAD_INPUTS],
    ids=[case[0] for case in BAD_INPUTS],
)
def test_bad_input_gives_one_clear_problem(
    mini: Path, relative: str, text: str, expected: str
) -> None:
    write(mini, relative, text)
    problems = problems_of(mini)
    assert len(problems) == 1, problems
    assert problems[0].startswith(expected), problems[0]


def test_file_that_is_not_utf8(mini: Path) -> None:
    (mini / "pamphlets/beta/ru.md").write_bytes(
        "---\ntitle: T\nsummary: S\nstatus: draft\n---\n\nПривет\n".encode("cp1251")
    )
    assert problems_of(mini) == [
        "pamphlets/beta/ru.md:7: is not UTF-8 text (byte 0xcf); save the file with the UTF-8 "
        "encoding"
    ]


def test_bom_and_crlf_are_accepted(mini: Path) -> None:
    text = "---\r\ntitle: T\r\nsummary: S\r\nstatus: draft\r\n---\r\n\r\nText.\r\n"
    (mini / "pamphlets/beta/ru.md").write_bytes(b"\xef\xbb\xbf" + text.encode())
    beta = catalog_of(mini).pamphlets[1]
    assert beta.translations["ru"].front.title == "T"


def test_every_problem_is_reported_at_once(mini: Path) -> None:
    write(mini, "pamphlets/beta/ru.md", "---\ntitle: T\nsummary: S\nstatus: done\n---\n\nX\n")
    write(
        mini,
        "pamphlets/alpha/fa.md",
        "---\ntitle: T\nsummary: S\nstatus: draft\n---\n\n{{ fact.nope }}\n",
    )
    assert len(problems_of(mini)) == 2


def test_fallback_naming_an_unknown_language(mini: Path) -> None:
    config = (mini / "mkdocs.yml").read_text().replace("fa: [ru, en]", "fa: [ru, tr]")
    (mini / "mkdocs.yml").write_text(config)
    assert problems_of(mini) == [
        "mkdocs.yml: plugins.pamphlets.fallback.fa: 'tr' is not a language of the site "
        "(en, ru, fa); use one of those"
    ]


def test_code_may_show_html(mini: Path) -> None:
    write(
        mini,
        "pamphlets/beta/ru.md",
        "---\ntitle: T\nsummary: S\nstatus: draft\n---\n\nWrite `<b>` or:\n\n```\n<script>\n```\n",
    )
    assert catalog_of(mini).pamphlets[1].translations["ru"].front.title == "T"
