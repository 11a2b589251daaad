"""Persian typesetting in the leaflets (issue 11): Latin runs isolated and kept whole, Persian
digits (not in phone numbers, addresses or Latin), the currency in the language, list and page
numbers in Persian digits; read back from the PDF as a reader's tools read it."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
from conftest import run_pamphlets
from pamphlet_press.leaflets.typesetting import typeset_html, typeset_text

LRI, PDI, NBSP = "\u2066", "\u2069", "\u00a0"
BIDI_MARKS = dict.fromkeys(map(ord, "\u202a\u202b\u202c\u2066\u2069\u200e\u200f"))


def shown(text: str) -> str:
    """Isolates as ⟨ ⟩ and no-break spaces as ~, to read the expectations."""
    return text.replace(LRI, "⟨").replace(PDI, "⟩").replace(NBSP, "~")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("خیابان زردابی (Zardabi str.) 78b، طبقه 3",
         "خیابان زردابی ⟨(Zardabi~str.)⟩ ⟨78b⟩، طبقه ۳"),
        ("این (Legal Analysis and Research Public Union) است",
         "این ⟨(Legal~Analysis~and~Research~Public~Union)⟩ است"),
        # A sentence that ends with a Latin word: the full stop stays outside, on the left.
        ("نشانی AHB Business Center.", "نشانی ⟨AHB~Business~Center⟩."),
        ("حداقل دستمزد 400 AZN است و 300–400 AZN جریمه",
         "حداقل دستمزد ۴۰۰ منات است و ۳۰۰–۴۰۰ منات جریمه"),
        ("وبگاه https://migration.gov.az را ببینید", "وبگاه ⟨https://migration.gov.az⟩ را ببینید"),
    ],
)  # fmt: skip
def test_persian_text(text: str, expected: str) -> None:
    assert shown(typeset_text(text, True, True, "منات")) == expected


def test_phone_links_keep_their_digits_and_persian_brackets_get_their_font() -> None:
    html = (
        '<li>پلیس (در خطر): <a href="tel:102">' + LRI + "102" + PDI + "</a>، 24 ساعت</li>"
        '<li><a href="https://migration.gov.az">migration.gov.az</a></li>'
    )
    assert shown(typeset_html(html, True, True, "منات")) == (
        '<li>پلیس <span class="bracket">(</span>در خطر<span class="bracket">)</span>: '
        '<a href="tel:102">⟨102⟩</a>، ۲۴ ساعت</li>'
        '<li><a href="https://migration.gov.az">⟨migration.gov.az⟩</a></li>'
    )


def test_left_to_right_languages_only_get_their_currency() -> None:
    assert typeset_text("Минимальная зарплата 400 AZN (2024).", False, False, "ман.") == (
        "Минимальная зарплата 400 ман. (2024)."
    )


FA_TEXT = """---
title: حقوق آلفا
summary: آنچه آلفا به شما می‌گوید.
status: draft
---

با خط تلفن {{ fact.hotline }} تماس بگیرید. حداقل دستمزد **{{ fact.wage }}** است.

## مهلت‌ها

حقوق‌دانان این سازمان (Legal Analysis and Research Public Union) در باکو، خیابان زردابی
(Zardabi str.) 78b، طبقه 3، مشاوره رایگان می‌دهند. آمبودزمان (کمیسر حقوق بشر) هم کمک می‌کند.

1. ظرف 15 روز ثبت‌نام کنید.
2. قرارداد را بخوانید.
3. از حقوق‌دان بپرسید.
"""


@pytest.fixture(scope="module")
def persian_leaflet(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from conftest import copy_fixture

    project = copy_fixture("mini", tmp_path_factory.mktemp("fa") / "mini")
    (project / "pamphlets/alpha/fa.md").write_text(FA_TEXT, encoding="utf-8")
    result = run_pamphlets(project, "pdf", "-p", "alpha", "-l", "fa", "--variant", "print")
    assert result.returncode == 0, result.stderr
    return project / ".cache/pdf/alpha-fa-print.pdf"


def read_back(pdf: Path, *options: str) -> str:
    text = subprocess.run(
        ["pdftotext", *options, str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    return text.translate(BIDI_MARKS)


def test_latin_phrases_read_back_whole_and_in_order(persian_leaflet: Path) -> None:
    """`pdftotext -raw` gives each line as it is drawn, left to right: a right-to-left line
    reads from its end. The Latin phrases are whole, their brackets the right way round,
    and the Persian words that come before them stand to their right."""
    lines = read_back(persian_leaflet, "-raw").splitlines()
    for phrase, before in (
        ("(Legal Analysis and Research Public Union)", "سازمان"),
        ("(Zardabi str.)", "زردابی"),
    ):
        line = next((line for line in lines if phrase in line), None)
        assert line is not None, (phrase, [line for line in lines if phrase[1:5] in line])
        # On the same line, the Persian word written before the phrase is drawn to its right
        # (unless the phrase begins the line).
        if before in line:
            assert line.index(before) > line.index(phrase)


def test_persian_digits_currency_and_list_numbers(persian_leaflet: Path) -> None:
    # pdftotext moves spaces and full stops around numbers in right-to-left lines: the
    # patterns allow for that.
    text = read_back(persian_leaflet)
    assert re.search(r"۴۰۰\s*منات", text)  # the fact "400 AZN", in the language
    assert "AZN" not in text
    assert "152" in text  # a phone number keeps its digits
    assert "78b" in text  # and so does a house number in Latin
    assert re.search(r"۱۵\s*روز", text)  # a number in the text
    for number in "۱۲۳":  # list numbers
        assert re.search(rf"^\s*(\.\s*{number}|{number}\s*\.)", text, re.M), number
    # The page number and the edition's date too.
    assert "۲۰۲۶-۱۱-۲۸" in text
    assert re.search(r"^\s*۲\s*$", text, re.M)
