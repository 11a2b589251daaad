# ruff: noqa: E501  (the tables below read best with one case per line)
"""Issue 16: an attacker with write access to one pamphlet, one YAML file or one translation.

Each case reproduces an attack of the issue on a copy of the fixture project and shows it
refused by `pamphlets check` (exit 1, the file and line, what to do, no traceback, in
seconds) or neutralised. The figures at the end of the run count, per numbered point of the
issue, the inputs tried and those handled as they should be.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from conftest import count, run_pamphlets

# The hardening corpus: many builds and checks of bad input (CI runs it; the quick
# subset, -m "not slow and not browser", leaves it out).
pytestmark = pytest.mark.slow

FRONT = "---\ntitle: T\nsummary: S\nstatus: draft\n---\n\n"
RU = "pamphlets/beta/ru.md"
LEDGER = "pamphlets/print-runs.yml"
FACTS = "pamphlets/facts.yml"
UI = "pamphlets/ui/en.yml"
BOMB = "a: &a ['lol','lol','lol','lol','lol','lol','lol','lol','lol']\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\ne: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]\nf: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]\ng: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]\n"


def body(text: str) -> dict:
    return {RU: FRONT + text + "\n"}


def replaced(path: str, old: str, new: str) -> dict:
    return {path: ("REPLACE", old, new)}


# (point of the issue, name, {path: new text, or ("REPLACE", old, new)}, what the message must say)
ATTACKS = [
    # 1. scripts that the old policy allowed (its hashes were read back from the finished page)
    (1, "ledger id with a script", replaced(LEDGER, "id: run-2026-001", 'id: "<script>alert(document.domain)</script>"'),
     "pamphlets/print-runs.yml:11: id '<script>alert(document.domain)</script>' must be letters, digits"),
    (1, "ui string with a script", replaced(UI, 'pamphlets_heading: "Pamphlets"', 'pamphlets_heading: "<script>alert(1)</script>"'),
     "pamphlets/ui/en.yml:4: 'pamphlets_heading' must be plain text; it holds raw HTML (<script>)"),
    (1, "ui string with an image that runs onerror", replaced(UI, 'printed: "Printed"', 'printed: "<img src=x onerror=alert(2)>"'),
     "pamphlets/ui/en.yml:22: 'printed' must be plain text; it holds raw HTML"),
    (1, "ledger notes with a script", replaced(LEDGER, "notes: the language was not recorded", 'notes: "</td><script>alert(1)</script>"'),
     "pamphlets/print-runs.yml:18: run-2020-001: 'notes' must be plain text; it holds raw HTML"),
    # 2. nothing leaves the pamphlet's folder
    (2, "attachment: the project's .git/config by absolute path", body('[config](/project/.git/config){: rel="attachment" }'),
     "pamphlets/beta/ru.md:7: the text would put rel=\"attachment\""),
    (2, "attachment: .git/config by relative path", body('[config](../../.git/config){: rel="attachment" }'),
     "pamphlets/beta/ru.md:7: the text would put rel=\"attachment\""),
    (2, "attachment: an untracked .env", body('See [this](../../.env){ rel=attachment }.'),
     "pamphlets/beta/ru.md:7: the text would put rel=\"attachment\""),
    (2, "attachment on a pamphlet link", body('[x](../alpha/ru.md){: rel="attachment" }'),
     "pamphlets/beta/ru.md:7: the text would put rel=\"attachment\""),
    (2, "link to an absolute path", body("[passwords](/etc/passwd)"),
     "pamphlets/beta/ru.md:7: link '/etc/passwd' is an absolute path"),
    (2, "link to another host without a scheme", body("[x](//evil.example/track)"),
     "pamphlets/beta/ru.md:7: link '//evil.example/track' leads to another host"),
    (2, "link to a file: address", body("[x](file:///etc/passwd)"),
     "pamphlets/beta/ru.md:7: the text would put a 'file:' address in 'href'"),
    (2, "srcset beyond its first address", body('[x](https://example.org){: srcset="a.png 1x, https://evil.example/b.png 2x" }'),
     "pamphlets/beta/ru.md:7: the text would put a 'srcset' attribute"),
    (2, "ping to another host", body('[x](https://example.org){: ping="https://evil.example/p" }'),
     "pamphlets/beta/ru.md:7: the text would put a 'ping' attribute"),
    (2, "poster from another host", body('Text\n{: poster="https://evil.example/p.png" }'),
     "pamphlets/beta/ru.md:8: the text would put an address on the network in 'poster' (https://evil.example/p.png) into the page and the leaflet; remove it"),
    (2, "the theme's id __config", body("## Help {: #__config }"),
     "pamphlets/beta/ru.md:7: the text would put the id '__config'"),
    (2, "the theme's id __search", body("Text\n{: #__search }"),
     "pamphlets/beta/ru.md:8: the text would put the id '__search'"),
    (2, "the theme's data attribute", body('Text\n{: data-md-component="search" }'),
     "pamphlets/beta/ru.md:8: the text would put the attribute 'data-md-component'"),
    # 4. YAML alias bombs and other YAML that costs time
    (4, "alias bomb in front matter", {RU: "---\ntitle: T\nsummary: S\nstatus: draft\n" + BOMB + "---\n\nText.\n"},
     "pamphlets/beta/ru.md:5: an anchor (&a) marks a value to repeat; YAML anchors and aliases are not allowed"),
    (4, "alias bomb in facts.yml", {FACTS: BOMB},
     "pamphlets/facts.yml:1: an anchor (&a) marks a value to repeat"),
    (4, "alias bomb in the ledger", {LEDGER: BOMB},
     "pamphlets/print-runs.yml:1: an anchor (&a) marks a value to repeat"),
    (4, "alias bomb in ui strings", {UI: BOMB},
     "pamphlets/ui/en.yml:1: an anchor (&a) marks a value to repeat"),
    (4, "alias without anchor", replaced(LEDGER, "quantity: 2500", "quantity: *copies"),
     "pamphlets/print-runs.yml:15: an alias (*copies) repeats a value"),
    (4, "deep nesting in facts.yml", {FACTS: "x: " + "[" * 50_000 + "]" * 50_000 + "\n"},
     "pamphlets/facts.yml:1: lists and mappings are nested more than 6 levels deep"),
    (4, "a Python tag", {FACTS: "x: !!python/object/apply:os.system ['id']\n"},
     "pamphlets/facts.yml:1: a YAML tag (tag:yaml.org,2002:python/object/apply:os.system) is not allowed"),
    (4, "a line separator YAML breaks at", replaced(LEDGER, "recipient: Workshop", "recipient: Work\u2028shop"),
     "pamphlets/print-runs.yml:30: the invisible character U+2028 LINE SEPARATOR"),
    # 5. numbers as YAML 1.1 reads them
    (5, "quantity with a leading zero (octal)", replaced(LEDGER, "quantity: 2500", "quantity: 010"),
     "pamphlets/print-runs.yml:15: 'quantity' is written 010: a number must not start with 0 (YAML 1.1 reads it as an octal number); write 10"),
    (5, "order as a time (sexagesimal)", replaced("pamphlets/beta/pamphlet.yml", "order: 2", "order: 18:00"),
     "pamphlets/beta/pamphlet.yml:1: 'order' is written 18:00: YAML 1.1 reads numbers with ':' as base 60"),
    (5, "quantity with a separator", replaced(LEDGER, "quantity: 2500", "quantity: 2_500"),
     "pamphlets/print-runs.yml:15: 'quantity' must be a whole number written with digits only"),
    (5, "quantity of 10^30 copies", replaced(LEDGER, "quantity: 2500", "quantity: 1000000000000000000000000000000"),
     "pamphlets/print-runs.yml:15: 'quantity' is 1000000000000000000000000000000, far too large"),
    (5, "quantity of eleven million copies", replaced(LEDGER, "quantity: 2500", "quantity: 11000000"),
     "pamphlets/print-runs.yml:11: run-2026-001: 'quantity' is 11,000,000 copies, more than any print run"),
    # 6. front matter, ledger text and ui strings are plain text
    (6, "summary with a javascript: link", replaced(RU, "summary: Куда направляет бета.", "summary: '[x](javascript:alert(5))'"),
     "pamphlets/beta/ru.md:3: 'summary' must be plain text; it holds a 'javascript:' address in 'href'"),
    (6, "title with an event handler (attribute list)", replaced(RU, "title: Бета помощь", "title: 'Help { onmouseover=alert(1) }'"),
     "pamphlets/beta/ru.md:2: 'title' must be plain text; it holds an event handler attribute 'onmouseover'"),
    (6, "summary with a remote image", replaced(RU, "summary: Куда направляет бета.", "summary: '![t](https://evil.example/s.png)'"),
     "pamphlets/beta/ru.md:3: 'summary' must be plain text; it holds an address on the network in 'src'"),
    (6, "summary with a link", replaced(RU, "summary: Куда направляет бета.", "summary: '[win](https://evil.example/)'"),
     "pamphlets/beta/ru.md:3: 'summary' must be plain text; it holds a link or an image (https://evil.example/)"),
    (6, "title with the theme's id", replaced(RU, "title: Бета помощь", "title: 'Help {: #__config }'"),
     "pamphlets/beta/ru.md:2: 'title' must be plain text; it holds the id '__config'"),
    (6, "title that breaks out of the link around it", replaced(RU, "title: Бета помощь", "title: 'x](javascript:alert(1)) [y'"),
     "pamphlets/beta/ru.md:2: 'title' must be plain text; it holds a 'javascript:' address in 'href'; '[' or ']' that would break the link around it"),
    (6, "title over two lines", replaced(RU, "title: Бета помощь", 'title: "Help\\n\\n<b>x</b>"'),
     "pamphlets/beta/ru.md:2: 'title' must be one line of text"),
    (6, "ledger notes with a javascript: link", replaced(LEDGER, "notes: the language was not recorded", "notes: '[click](javascript:alert(1))'"),
     "pamphlets/print-runs.yml:18: run-2020-001: 'notes' must be plain text; it holds a 'javascript:' address"),
    (6, "ledger recipient with a remote image", replaced(LEDGER, "recipient: Workshop", "recipient: '![x](https://evil.example/t.png)'"),
     "pamphlets/print-runs.yml:27: dist-2025-001: 'recipient' must be plain text; it holds an address on the network"),
    (6, "ledger printer with an attribute list", replaced(LEDGER, "status: ordered", "status: ordered\n    printer: 'Shop {: onclick=alert(1) }'"),
     "pamphlets/print-runs.yml:11: run-2026-001: 'printer' must be plain text; it holds an event handler attribute 'onclick'"),
    (6, "ui string with a javascript: link", replaced(UI, 'print_runs_intro: "How many', 'print_runs_intro: "[x](javascript:alert(1)) How many'),
     "pamphlets/ui/en.yml:21: 'print_runs_intro' must be plain text; it holds a 'javascript:' address in 'href'"),
    (6, "ui string with a remote image", replaced(UI, 'hub_intro: "Every', 'hub_intro: "![t](https://evil.example/t.png) Every'),
     "pamphlets/ui/en.yml:52: 'hub_intro' must be plain text; it holds an address on the network in 'src'"),
    (6, "fact value with a link", replaced(FACTS, 'value: "400 AZN"', "value: '[400 AZN](https://evil.example/)'"),
     "pamphlets/facts.yml:8: fact 'wage': 'value' must be plain text; it holds a link or an image"),
    # 7. mistyped fact references
    *[(7, f"fact reference {variant!r}", body(f"Call: {variant}"), "pamphlets/beta/ru.md:7: '")
      for variant in ("{{ fact.hotline }", "{ fact.hotline }}", "{{ facts.hotline }}", "{{\u200b fact.hotline }}",
                      "{{ fact.hot\u200bline }}", "{{ Fact.hotline }}", "{{ fact hotline }}", "{{ fact.hotline }}}",
                      "{{{ fact.hotline }}", "{{ fact.hotline }}\u200b}")],
    (7, "fact reference in a title", replaced(RU, "title: Бета помощь", "title: 'Call {{ fact.hotline }}'"),
     "pamphlets/beta/ru.md:2: 'title' must be plain text; it holds '{{' or '}}'"),
    # 8. inputs that cost time
    (8, "20,000 '[' in a body", body("[" * 20_000), "pamphlets/beta/ru.md:7: this paragraph has more than 64 '[' (links, images)"),
    (8, "494 nested '['", body("[" * 494 + "x" + "](y)" * 494), "pamphlets/beta/ru.md:7: this paragraph has more than 64 '['"),
    (8, "2,000 nested emphases", body("*a " * 2000 + "b" + " c*" * 2000), "pamphlets/beta/ru.md:7: this paragraph has more than 200 runs of '*' or '_'"),
    (8, "5,000 runs of '`'", body("``a`" * 5000), "pamphlets/beta/ru.md:7: this paragraph has more than 64 runs of '`'"),
    (8, "a 30,000-word title", replaced(RU, "title: Бета помощь", "title: " + "word " * 30_000),
     "pamphlets/beta/ru.md:2: the front matter is 150,"),
    (8, "a 140-character title", replaced(RU, "title: Бета помощь", "title: " + "слово " * 30),
     "pamphlets/beta/ru.md:2: 'title' is 179 characters long; keep it under 150"),
    (8, "front matter of 100 KB", replaced(RU, "status: draft", "status: draft\n# " + "x" * 100_000),
     "pamphlets/beta/ru.md:2: the front matter is 100,"),
    # 9. what is shown must be what is dialled
    (9, "a phone fact with U+202E", replaced(FACTS, 'value: "152"', 'value: "\u202e251"'),
     "pamphlets/facts.yml:2: fact 'hotline' holds the invisible character U+202E RIGHT-TO-LEFT OVERRIDE"),
    (9, "a phone fact whose digits differ from its tel", replaced(FACTS, 'value: "152"', 'value: "+994 12 1234567"'),
     "pamphlets/facts.yml:2: fact 'hotline' shows the number '+994 12 1234567' but dials '152'"),
    (9, "a fact with a zero-width space", replaced(FACTS, 'value: "400 AZN"', 'value: "400\u200b AZN"'),
     "pamphlets/facts.yml:8: fact 'wage' holds the invisible character U+200B ZERO WIDTH SPACE"),
    (9, "a tel with a line break inside", replaced(FACTS, 'tel: "152"', 'tel: "15\\n2"'),
     "pamphlets/facts.yml:1: fact 'hotline' is a phone: give 'tel' as digits"),
    (9, "a slug with U+202E", {"pamphlets/be\u202eta/pamphlet.yml": "order: 3\nsource_language: en\nformat: a5-booklet\nedition: 2026-01-01\n"},
     "a pamphlet folder name must be lower-case letters, digits and '-'"),
    # 10. one by one
    (10, "a slug of 236 characters", {"pamphlets/" + "a" * 236 + "/pamphlet.yml": "order: 3\nsource_language: en\nformat: a5-booklet\nedition: 2026-01-01\n"},
     "a pamphlet folder name must be lower-case letters, digits and '-' (like work-permit), at most 64"),
    (10, "a slug with a trailing line break", {"pamphlets/gamma\n/pamphlet.yml": "order: 3\nsource_language: en\nformat: a5-booklet\nedition: 2026-01-01\n"},
     "a pamphlet folder name must be lower-case letters, digits and '-'"),
]  # fmt: skip


def apply(project: Path, changes: dict) -> None:
    for relative, change in changes.items():
        path = project / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(change, tuple):
            _, old, new = change
            text = path.read_text(encoding="utf-8")
            assert old in text, (relative, old)
            path.write_text(text.replace(old, new, 1), encoding="utf-8")
        else:
            path.write_text(change, encoding="utf-8")


POINT_NAMES = {
    1: "1 scripts from YAML (ledger, ui strings) refused",
    2: "2 files outside the pamphlet's folder, attachments, URL attributes, theme ids refused",
    4: "4 YAML alias bombs, deep nesting, tags refused",
    5: "5 YAML 1.1 numbers in number fields refused with how to write them",
    6: "6 Markdown/HTML in front matter, ledger and ui strings refused",
    7: "7 mistyped fact references refused",
    8: "8 inputs that cost time refused in seconds",
    9: "9 shown-vs-dialled numbers, bidi and zero-width characters refused",
    10: "10 slugs too long or with a line break refused",
}


@pytest.mark.parametrize(
    ("point", "changes", "expected"), [case[:1] + case[2:] for case in ATTACKS],
    ids=[case[1] for case in ATTACKS],
)  # fmt: skip
def test_attack_is_refused(mini: Path, point: int, changes: dict, expected: str) -> None:
    apply(mini, changes)
    started = time.perf_counter()
    result = run_pamphlets(mini, "check")
    seconds = time.perf_counter() - started
    handled = (
        result.returncode == 1
        and expected in result.stderr
        and "Traceback" not in result.stderr
        and seconds < 10
    )
    count(f"issue 16: {POINT_NAMES[point]}", handled)
    assert result.returncode == 1, result.stdout
    assert "Traceback" not in result.stderr, result.stderr[-3000:]
    assert expected in result.stderr, result.stderr[-3000:]
    assert seconds < 10
