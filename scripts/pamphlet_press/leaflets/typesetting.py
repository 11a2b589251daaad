"""Typesetting a leaflet's text for its language: bidi isolation, digits, currency.

WeasyPrint ignores CSS `unicode-bidi`, so in a right-to-left (Persian) leaflet a Latin phrase
is at the mercy of the Unicode bidi algorithm: "(Zardabi str.)" prints as "(.Zardabi str",
and a parenthesised English name broken at a line end flips its brackets. Like phone numbers,
such runs are wrapped in the Unicode characters LEFT-TO-RIGHT ISOLATE ... POP DIRECTIONAL
ISOLATE, which WeasyPrint's text shaping honours:

    خیابان زردابی (Zardabi str.) 78b     ->   ... ⁦(Zardabi str.)⁩ ⁦78b⁩ ...

A language that writes its own digits (`digits: persian` in its interface strings) gets them
in the running text, dates and amounts included ("15 روز" -> "۱۵ روز"), but not in phone
numbers, web addresses or Latin runs ("78b" stays); its list numbers and page numbers are
set in the same digits by the stylesheets. The currency code AZN, as facts.yml writes amounts,
is written the way the language writes it (`currency_azn`: منات, manat, ман.). A Latin run
of a few words is also kept on one line (its spaces made no-break): broken at a line end, it
would read in pieces from the right-hand and left-hand ends of two lines.

Brackets in the right-to-left text itself are mirrored by the shaper: the glyph drawn for
"(" is the one of ")". A PDF maps each glyph to one character only, so a leaflet with both
Persian and Latin brackets would read back (copied, searched, read aloud) with the Latin ones
swapped. The Persian text's brackets are therefore set in a font of their own (the class
`bracket`, see leaflet.css), so that each glyph stands for one character.

The functions work on the HTML the Markdown became (only on text between tags, never on tags
or attributes) and on plain strings (titles, the imprint's lines).
"""

from __future__ import annotations

import html
import re

LTR_ISOLATE, POP_ISOLATE = "\u2066", "\u2069"
PERSIAN_DIGITS = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")

# A Latin word: letters and digits with inner punctuation, at least one Latin letter
# ("Zardabi", "str.", "78b", "e-visa", "migration.gov.az").
_WORD = r"[A-Za-z0-9]*[A-Za-z][A-Za-z0-9'’&.\-/:]*"
# A run: Latin words separated by spaces; or a parenthesised phrase with Latin and no
# Arabic-script letters ("(Legal Analysis and Research Public Union)").
_LATIN_RUN = re.compile(
    r"\([^()\u0600-\u06ff]*[A-Za-z][^()\u0600-\u06ff]*\)" rf"|{_WORD}(?:[ \u00a0]+{_WORD})*"
)
# A lower-case abbreviation keeps its full stop inside the run ("str."); any other final full
# stop ends the sentence, which in a right-to-left line belongs on the left.
_ABBREVIATION = re.compile(r"(?:^|\s)[a-z]{1,4}\.$")
_ISOLATED = re.compile(f"({LTR_ISOLATE}.*?{POP_ISOLATE})", re.S)
# A Latin run up to this long is kept on one line (longer ones must be able to break).
KEEP_WHOLE = 48
_TAG = re.compile(r"(<[^>]+>)")
_BRACKET = re.compile(r"[()\[\]]")
_CURRENCY = re.compile(r"\bAZN\b")


def isolate_ltr(text: str) -> str:
    return f"{LTR_ISOLATE}{text}{POP_ISOLATE}"


def _isolate_latin_runs(text: str) -> str:
    def wrap(match: re.Match[str]) -> str:
        run = match.group(0)
        tail = ""
        if run.endswith(".") and not run.startswith("(") and not _ABBREVIATION.search(run):
            run, tail = run[:-1], "."
        if len(run) <= KEEP_WHOLE:
            run = run.replace(" ", "\u00a0")
        return isolate_ltr(run) + tail

    # Parts already isolated (phone numbers) are left as they are.
    parts = _ISOLATED.split(text)
    return "".join(
        part if part.startswith(LTR_ISOLATE) else _LATIN_RUN.sub(wrap, part) for part in parts
    )


def _persian_digits(text: str) -> str:
    parts = _ISOLATED.split(text)
    return "".join(
        part if part.startswith(LTR_ISOLATE) else part.translate(PERSIAN_DIGITS) for part in parts
    )


def typeset_text(
    text: str, right_to_left: bool, persian_digits: bool, currency: str | None
) -> str:
    """A plain string (not HTML) typeset for its language."""
    if currency:
        text = _CURRENCY.sub(currency, text)
    if right_to_left:
        text = _isolate_latin_runs(text)
    if persian_digits:
        text = _persian_digits(text)
    return text


def typeset_html(
    markup: str, right_to_left: bool, persian_digits: bool, currency: str | None
) -> str:
    """The HTML of a leaflet's text typeset for its language: every text between tags,
    except inside links to phone numbers and web addresses (which stay as dialled and typed,
    isolated left to right in a right-to-left text) and code."""
    pieces = _TAG.split(markup)
    verbatim = 0  # depth inside <a href="tel:|http...">, <code>, <pre>
    output = []
    for piece in pieces:
        if piece.startswith("<"):
            name = re.match(r"</?\s*([a-zA-Z0-9]+)", piece)
            tag = name.group(1).lower() if name else ""
            closing = piece.startswith("</")
            if tag in ("code", "pre") or (
                tag == "a" and re.search(r'href="(tel:|https?:)', piece)
            ):
                verbatim += 1
                output.append(piece)
                continue
            if closing and tag in ("code", "pre", "a") and verbatim:
                verbatim -= 1
            output.append(piece)
            continue
        if not piece:
            continue
        if verbatim:
            if right_to_left and not piece.startswith(LTR_ISOLATE) and piece.strip():
                piece = isolate_ltr(piece)
            output.append(piece)
            continue
        text = typeset_text(html.unescape(piece), right_to_left, persian_digits, currency)
        text = html.escape(text, quote=False)
        if right_to_left:
            text = _mark_brackets(text)
        output.append(text)
    return "".join(output)


def shown_html(text: str, right_to_left: bool) -> str:
    """A typeset plain string as HTML for the page: escaped, with the brackets of
    right-to-left text in their own span (the template's `shown` filter)."""
    escaped = html.escape(text, quote=False)
    return _mark_brackets(escaped) if right_to_left else escaped


def _mark_brackets(escaped: str) -> str:
    """Brackets of right-to-left text (not of isolated Latin runs) in their own span."""
    parts = _ISOLATED.split(escaped)
    return "".join(
        part if part.startswith(LTR_ISOLATE)
        else _BRACKET.sub(lambda m: f'<span class="bracket">{m.group(0)}</span>', part)
        for part in parts
    )  # fmt: skip
