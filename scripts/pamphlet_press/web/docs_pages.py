"""The hand-written pages of the site (`docs/index.<lang>.md`, `docs/about.<lang>.md`, ...).

They follow the same rules as pamphlets (no raw HTML, nothing that could run a script,
facts as `{{ fact.NAME }}`), checked as MkDocs reads them, with errors that name the line
in the file. Two markers are replaced by what the catalog knows:

    <!-- pamphlets:languages -->    links to this page in every language
    <!-- pamphlets:list -->         the pamphlets, as cards with title and summary
"""

from __future__ import annotations

import posixpath
from pathlib import Path

from ..content.catalog import Catalog
from ..content.facts import expand_facts
from ..content.markdown import (
    find_costly_markdown,
    find_raw_html,
    line_of_any,
    locate_unsafe_html,
)
from ..content.sources import source_problem
from ..problems import ProblemList
from ..settings import ProjectSettings
from .pages import GeneratedFolders, language_picker, pamphlet_list

# What may lie under docs/ besides the pages: files that are published as they are and
# that a browser only shows (an HTML or SVG file, a script or a stylesheet can carry code).
PUBLISHED_AS_IS = (".png", ".jpg", ".jpeg", ".gif", ".webp", ".ico", ".pdf", ".txt")
LIST_MARKER = "<!-- pamphlets:list -->"
LANGUAGES_MARKER = "<!-- pamphlets:languages -->"


def check_docs_files(files, docs_dir: Path, folders: GeneratedFolders, settings: ProjectSettings):
    """Every file under docs/ that MkDocs would publish: pages (.md) and files a browser
    only shows (PUBLISHED_AS_IS), each a regular file inside the project (not a pipe, not a
    link to a file elsewhere). Raises ContentError naming each other file."""
    problems = ProblemList()
    docs = docs_dir.resolve()
    for file in files:
        source = Path(file.abs_src_path) if file.abs_src_path else None
        if source is None or docs not in source.absolute().parents and docs not in (
            source.resolve().parents
        ):
            continue  # the theme's own files
        if folders.owns(source) or file.inclusion.is_excluded():
            continue  # generated pages; files MkDocs leaves out (.gitkeep, drafts)
        shown = settings.shown(source)
        problem = source_problem(source, within=settings.root)
        if problem:
            problems.add(shown, None, problem)
        elif source.suffix.lower() not in (".md", *PUBLISHED_AS_IS):
            problems.add(
                shown,
                None,
                f"a '{source.suffix or source.name}' file under docs/ would be published as it "
                "is, and such a file can carry a script; only Markdown pages and "
                f"{', '.join(PUBLISHED_AS_IS)} files may be there: convert it or move it out",
            )
    problems.raise_if_any()


def first_body_line(source: Path, markdown: str) -> int:
    """The file line of the first line of a page's Markdown. MkDocs has taken the front
    matter (and the blank lines after it) off the text the plugin sees: line the two up by
    their first line with content."""
    try:
        lines = source.read_text(encoding="utf-8-sig").replace("\r\n", "\n").split("\n")
    except OSError:
        return 1
    start = 0
    if lines and lines[0].strip() == "---":
        start = next((i + 1 for i in range(1, len(lines)) if lines[i].strip() in ("---", "...")), 0)
    in_file = next((i for i in range(start, len(lines)) if lines[i].strip()), start)
    page_lines = markdown.split("\n")
    in_page = next((i for i, line in enumerate(page_lines) if line.strip()), 0)
    return in_file - in_page + 1


def check_docs_page(markdown: str, source: Path, catalog: Catalog) -> str:
    """The page's Markdown with its facts filled in; raises ContentError naming the file and
    line of anything the rules refuse."""
    settings = catalog.settings
    shown = settings.shown(source)
    first = first_body_line(source, markdown)
    problems = ProblemList()
    for line, snippet in find_raw_html(markdown):
        problems.add(
            shown, first + line - 1, f"raw HTML is not allowed ({snippet}); write Markdown"
        )
    expanded = expand_facts(markdown, catalog.facts, shown, first, problems)
    for line, message in find_costly_markdown(expanded):
        problems.add(shown, first + line - 1, message)
    problems.raise_if_any()
    markdown = expanded
    try:
        html = settings.markdown.convert(markdown)
    except RecursionError:
        html = ""
        problems.add(shown, None, "the Markdown is nested too deeply to convert; flatten it")
    for what, needle in locate_unsafe_html(html):
        problems.add(
            shown, line_of_any(markdown, needle, first), f"the page would contain {what}; remove it"
        )
    problems.raise_if_any()
    return markdown


def expand_markers(
    markdown: str,
    catalog: Catalog,
    language: str,
    src_uri: str,
    page_url: str,
    folders: GeneratedFolders,
) -> str:
    """Replace the markers of a page (see the module's docstring) in the reader's language."""
    if LIST_MARKER in markdown:
        page_dir = posixpath.dirname(src_uri)
        prefix = posixpath.relpath(folders.pamphlets_name, page_dir or ".")
        markdown = markdown.replace(LIST_MARKER, pamphlet_list(catalog, language, prefix))
    if LANGUAGES_MARKER in markdown:
        markdown = markdown.replace(LANGUAGES_MARKER, language_picker(catalog, language, page_url))
    return markdown
