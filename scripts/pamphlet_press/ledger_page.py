"""The "print runs and reach" page of the site, in every language, from the ledger.

A chart (inline SVG, drawn at build time: no JavaScript, nothing loaded from elsewhere),
the totals, a table per pamphlet and language, and the runs and distributions themselves.
Right-to-left languages get the chart mirrored (bars grow from the right).
"""

from __future__ import annotations

import html

import yaml

from .catalog import Catalog, UIStrings
from .ledger import report, report_totals

BAR_HEIGHT = 14
ROW_HEIGHT = 46
WIDTH = 400
LABEL_HEIGHT = 16


def _title(catalog: Catalog, slug: str, language: str) -> str:
    pamphlet = next((p for p in catalog.pamphlets if p.slug == slug), None)
    if pamphlet is None:
        return slug
    return catalog.shown(pamphlet, language).translation.front.title


def _language_name(catalog: Catalog, code: str, ui: UIStrings) -> str:
    return catalog.language(code).name if code else ui.language_unknown


def chart_svg(catalog: Catalog, language: str) -> str:
    """Printed and handed-out copies per pamphlet, as horizontal bars."""
    ui = catalog.ui[language]
    rows: dict[str, list[int]] = {}
    for row in report(catalog.ledger):
        totals = rows.setdefault(row.pamphlet, [0, 0])
        totals[0] += row.printed
        totals[1] += row.distributed
    if not rows:
        return ""
    largest = max(max(values) for values in rows.values()) or 1
    rtl = ui.direction == "rtl"
    height = ROW_HEIGHT * len(rows) + 30
    parts = [
        # direction="ltr": the mirroring for right-to-left is done here, on the coordinates.
        f'<svg class="ledger-chart" role="img" viewBox="0 0 {WIDTH} {height}" direction="ltr" '
        f'width="100%" aria-label="{html.escape(ui.print_runs_heading)}">'
    ]
    for index, (slug, (printed, distributed)) in enumerate(sorted(rows.items())):
        top = index * ROW_HEIGHT
        anchor = "end" if rtl else "start"
        x_label = WIDTH if rtl else 0
        parts.append(
            f'<text x="{x_label}" y="{top + 12}" text-anchor="{anchor}" '
            f'class="ledger-chart__label">{html.escape(_title(catalog, slug, language))}</text>'
        )
        for offset, (value, css_class, label) in enumerate(
            ((printed, "printed", ui.printed), (distributed, "distributed", ui.distributed))
        ):
            length = round((WIDTH - 70) * value / largest)
            y = top + LABEL_HEIGHT + offset * BAR_HEIGHT
            x = WIDTH - length if rtl else 0
            parts.append(
                f'<rect x="{x}" y="{y}" width="{length}" height="{BAR_HEIGHT - 2}" '
                f'class="ledger-chart__bar ledger-chart__bar--{css_class}">'
                f"<title>{html.escape(label)}: {ui.number(value)}</title></rect>"
            )
            x_value = (WIDTH - length - 6) if rtl else (length + 6)
            parts.append(
                f'<text x="{x_value}" y="{y + BAR_HEIGHT - 3}" text-anchor="{anchor}" '
                f'class="ledger-chart__value">{ui.number(value)}</text>'
            )
    legend_y = height - 8
    for offset, (css_class, label) in enumerate(
        (("printed", ui.printed), ("distributed", ui.distributed))
    ):
        x = WIDTH - 14 - offset * 150 if rtl else offset * 150
        parts.append(
            f'<rect x="{x}" y="{legend_y - 10}" width="12" height="12" '
            f'class="ledger-chart__bar ledger-chart__bar--{css_class}"/>'
        )
        text_x = x - 6 if rtl else x + 18
        parts.append(
            f'<text x="{text_x}" y="{legend_y}" text-anchor="{"end" if rtl else "start"}" '
            f'class="ledger-chart__legend">{html.escape(label)}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


def _table(header: list[str], rows: list[list[str]]) -> str:
    head = "| " + " | ".join(header) + " |\n|" + "---|" * len(header) + "\n"
    return head + "".join("| " + " | ".join(row) + " |\n" for row in rows)


def _cell(text: str | None) -> str:
    return html.escape(text or "").replace("|", "&#124;").replace("\n", " ")


def ledger_page(catalog: Catalog, language: str) -> str:
    """The Markdown of the print runs and reach page in one language."""
    ui = catalog.ui[language]
    rows = report(catalog.ledger)
    total = report_totals(rows)
    summary = (
        f"**{ui.printed}:** {ui.number(total.printed)} · "
        f"**{ui.distributed}:** {ui.number(total.distributed)} · "
        f"**{ui.in_stock}:** {ui.number(total.in_stock)} · "
        f"**{ui.on_order}:** {ui.number(total.on_order)}"
    )
    table = _table(
        [ui.pamphlet_column, ui.language_column, ui.printed, ui.distributed, ui.in_stock,
         ui.on_order],
        [
            [_cell(_title(catalog, row.pamphlet, language)),
             _cell(_language_name(catalog, row.language, ui)), ui.number(row.printed),
             ui.number(row.distributed), ui.number(row.in_stock), ui.number(row.on_order)]
            for row in rows
        ]
        + [[f"**{ui.total}**", "", ui.number(total.printed), ui.number(total.distributed),
            ui.number(total.in_stock), ui.number(total.on_order)]],
    )  # fmt: skip
    statuses = {
        "planned": ui.status_planned,
        "ordered": ui.status_ordered,
        "delivered": ui.status_delivered,
    }
    runs = _table(
        [ui.id_column, ui.pamphlet_column, ui.language_column, ui.quantity_column,
         ui.date_column, ui.status_column, ui.notes_column],
        [
            [run.id, _cell(_title(catalog, run.pamphlet, language)),
             _cell(_language_name(catalog, run.language or "", ui)), ui.number(run.quantity),
             run.date.isoformat() if run.date else "", statuses[run.status],
             _cell(" ".join(filter(None, [run.printer, run.funder, run.notes])))]
            for run in catalog.ledger.runs
        ],
    )  # fmt: skip
    distributions = _table(
        [ui.id_column, ui.recipient_column, ui.quantity_column, ui.date_column, ui.notes_column],
        [
            [d.id, _cell(d.recipient), ui.number(d.quantity),
             d.date.isoformat() if d.date else "", _cell(d.notes)]
            for d in catalog.ledger.distributions
        ],
    )  # fmt: skip
    return (
        f"---\n{yaml.safe_dump({'title': ui.print_runs_heading}, allow_unicode=True)}---\n\n"
        "<!-- Generated from pamphlets/print-runs.yml by pamphlet_press. -->\n\n"
        f"# {ui.print_runs_heading}\n\n{ui.print_runs_intro}\n\n{summary}\n\n"
        f"{chart_svg(catalog, language)}\n\n{table}\n"
        f"## {ui.runs_heading}\n\n{runs}\n## {ui.distributions_heading}\n\n{distributions}"
    )


def ledger_pages(catalog: Catalog) -> dict[str, str]:
    return {
        f"index.{language}.md": ledger_page(catalog, language)
        for language in catalog.settings.language_codes
    }
