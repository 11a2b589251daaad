"""The Jinja templates of the site's generated pages and snippets (`web/templates/`).

The pages are Markdown with HTML blocks, which MkDocs then converts with the site's own
extensions: a template says what a page holds, the code around it computes the values.
Values are HTML-escaped unless a template marks them `safe` (Markdown that the catalog has
checked already, such as a pamphlet's text).
"""

from __future__ import annotations

import html
import re
from functools import cache
from pathlib import Path

import jinja2
from markupsafe import Markup, escape

TEMPLATES = Path(__file__).resolve().parent / "templates"


# Markdown's own punctuation, escaped with a backslash so that a text shows as typed: no
# link, image, emphasis or attribute list can come out of a ledger note or a title.
MARKDOWN_PUNCTUATION = re.compile(r"([\\`*_{}\[\]!])")


def table_cell(text: str | None) -> Markup:
    """Text for a cell of a Markdown table: shown as typed (HTML and Markdown escaped), no
    '|' or line break to break the row."""
    escaped = MARKDOWN_PUNCTUATION.sub(r"\\\1", html.escape(text or "")).replace("|", "&#124;")
    return Markup(" ".join(escaped.splitlines()))


# The two markers below are written by plain string formatting of escaped values, not
# Markup.format: the downloads pages hold 10,000 of them at 50x10, and Markup.format (Python's
# string.Formatter) was a third of the time they took in the profile.


def pages_of(ui, file_name: str) -> Markup:
    """"pages: N" in the reader's language, N filled in after the build (figures.py)."""
    marker = Markup(f'<span data-pdf-pages="{escape(file_name)}"></span>')
    return Markup(html.escape(ui.pages)).replace("{count}", marker)


def size_of(file_name: str, kind: str = "pdf") -> Markup:
    """A file's size, filled in after the build (figures.py) in the reader's language; the
    isolate takes its direction from the size ("68 KB" left to right, "۶۸ کیلوبایت" right to
    left)."""
    return Markup(f'<bdi data-{escape(kind)}-bytes="{escape(file_name)}"></bdi>')


@cache
def environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATES)),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["cell"] = table_cell
    env.globals.update(pages_of=pages_of, size_of=size_of)
    return env


def keep_templates_compiled(folder: Path) -> None:
    """Keep the compiled templates in `folder` (Jinja's bytecode cache, which checks each
    against its source), so that a build does not compile them all again."""
    env = environment()
    if env.bytecode_cache is None:
        folder.mkdir(parents=True, exist_ok=True)
        env.bytecode_cache = jinja2.FileSystemBytecodeCache(str(folder))


def render(name: str, **values) -> str:
    """The template `name` (in web/templates/) filled in with `values`."""
    return environment().get_template(name).render(**values)
