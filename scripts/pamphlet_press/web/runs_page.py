"""The "print runs and reach" page of the site, in every language, from the ledger.

A chart (inline SVG, drawn at build time: no JavaScript, nothing loaded from elsewhere),
the totals, a table per pamphlet and language, and the runs and distributions themselves.
Right-to-left languages get the chart mirrored (bars grow from the right).

The page is public: the names of print shops, funders and recipients (shelters, people)
and the notes stay out of it unless a record says `public: true`; `pamphlets runs report`
shows everything to the person who runs it.
"""

from __future__ import annotations

from markupsafe import Markup

from ..content.catalog import Catalog
from ..content.ledger_report import report, report_totals
from ..content.ui import UIStrings
from .pages import suffixed, yaml_front_matter
from .templating import render

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
    totals: dict[str, list[int]] = {}
    for row in report(catalog.ledger):
        counts = totals.setdefault(row.pamphlet, [0, 0])
        counts[0] += row.printed
        counts[1] += row.distributed
    if not totals:
        return ""
    largest = max(max(values) for values in totals.values()) or 1
    rtl = ui.direction == "rtl"
    height = ROW_HEIGHT * len(totals) + 30
    rows = []
    for index, (slug, (printed, distributed)) in enumerate(sorted(totals.items())):
        top = index * ROW_HEIGHT
        bars = []
        for offset, (value, kind, label) in enumerate(
            ((printed, "printed", ui.printed), (distributed, "distributed", ui.distributed))
        ):
            length = round((WIDTH - 70) * value / largest)
            y = top + LABEL_HEIGHT + offset * BAR_HEIGHT
            bars.append(
                {
                    "x": WIDTH - length if rtl else 0,
                    "y": y,
                    "length": length,
                    "height": BAR_HEIGHT - 2,
                    "kind": kind,
                    "label": label,
                    "value": ui.number(value),
                    "value_x": (WIDTH - length - 6) if rtl else (length + 6),
                    "value_y": y + BAR_HEIGHT - 3,
                }
            )
        rows.append(
            {"title": _title(catalog, slug, language), "label_x": WIDTH if rtl else 0,
             "label_y": top + 12, "bars": bars}
        )  # fmt: skip
    legend_y = height - 8
    legend = []
    kinds = (("printed", ui.printed), ("distributed", ui.distributed))
    for offset, (kind, label) in enumerate(kinds):
        x = WIDTH - 14 - offset * 150 if rtl else offset * 150
        legend.append(
            {"x": x, "y": legend_y - 10, "kind": kind, "label": label,
             "text_x": x - 6 if rtl else x + 18, "text_y": legend_y}
        )  # fmt: skip
    return render(
        "runs_chart.svg",
        width=WIDTH,
        height=height,
        label=ui.print_runs_heading,
        anchor="end" if rtl else "start",
        rows=rows,
        legend=legend,
    ).strip()


def runs_page(catalog: Catalog, language: str) -> str:
    """The Markdown of the print runs and reach page in one language."""
    ui = catalog.ui[language]
    rows = report(catalog.ledger)
    statuses = {
        "planned": ui.status_planned,
        "ordered": ui.status_ordered,
        "delivered": ui.status_delivered,
    }
    return render(
        "runs_page.md",
        front_matter=yaml_front_matter({"title": ui.print_runs_heading}),
        ui=ui,
        total=report_totals(rows),
        chart=Markup(chart_svg(catalog, language)),
        rows=[
            {"title": _title(catalog, row.pamphlet, language),
             "language": _language_name(catalog, row.language, ui), "printed": row.printed,
             "distributed": row.distributed, "in_stock": row.in_stock, "on_order": row.on_order}
            for row in rows
        ],
        runs=[
            {"id": run.id, "title": _title(catalog, run.pamphlet, language),
             "language": _language_name(catalog, run.language or "", ui),
             "quantity": run.quantity, "date": ui.date(run.date) if run.date else "",
             "status": statuses[run.status],
             "notes": " ".join(filter(None, [run.printer, run.funder, run.notes]))
             if run.public else ""}
            for run in catalog.ledger.runs
        ],
        distributions=[
            {"id": item.id, "recipient": item.recipient if item.public else ui.not_published,
             "quantity": item.quantity, "date": ui.date(item.date) if item.date else "",
             "notes": item.notes if item.public else ""}
            for item in catalog.ledger.distributions
        ],
    )  # fmt: skip


def runs_pages(catalog: Catalog) -> dict[str, str]:
    return {
        suffixed("index", language): runs_page(catalog, language)
        for language in catalog.settings.language_codes
    }
