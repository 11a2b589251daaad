"""One Markdown pipeline for the web page and the leaflet of a pamphlet.

Both outputs convert a pamphlet's Markdown with the extensions configured in mkdocs.yml
(`markdown_extensions`), so a list, a heading id or a table looks the same on the page and
in print. This module also decides what a pamphlet's Markdown may contain: translations may
come from volunteers, so raw HTML is refused (HTML comments and entities aside), and the
converted HTML is checked for scripts, event-handler attributes and script URLs, whatever
Markdown syntax (attribute lists, links) tried to bring them in.

Links between pamphlets are written as the files are laid out in the repository, relative
to the pamphlet's folder: `[work permit](../work-permit-and-residence/ru.md#deadlines)`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any

import markdown as python_markdown

# A raw HTML tag, processing instruction or CDATA in Markdown source. Autolinks such as
# <https://example.org> and <name@example.org> are Markdown, not HTML, and do not match.
RAW_HTML = re.compile(
    r"<(?:/?[A-Za-z][A-Za-z0-9-]*(?=[\s/>])|/?[A-Za-z][A-Za-z0-9-]*$|!\[CDATA\[|\?)"
)
HTML_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
CODE_SPAN = re.compile(r"(`+).+?\1")
FENCE = re.compile(r"^\s*(```|~~~)")

# ../<slug>/<lang>.md, optionally followed by #anchor: a link to another pamphlet.
PAMPHLET_LINK = re.compile(r"^\.\./([a-z0-9][a-z0-9-]*)/([A-Za-z_-]+)\.md(#[^\s]*)?$")
PAMPHLET_LINK_IN_SOURCE = re.compile(r"\.\./([a-z0-9][a-z0-9-]*)/([A-Za-z_-]+)\.md(?=[#)\s\"'>]|$)")

FORBIDDEN_ELEMENTS = {
    "script", "style", "iframe", "frame", "frameset", "object", "embed", "applet", "form",
    "input", "button", "textarea", "select", "base", "meta", "link", "svg", "math", "template",
}  # fmt: skip
URL_ATTRIBUTES = {
    "href",
    "src",
    "action",
    "formaction",
    "xlink:href",
    "poster",
    "background",
    "data",
}
ALLOWED_SCHEMES = {"http", "https", "mailto", "tel"}
URL_SCHEME = re.compile(r"^([a-z][a-z0-9+.-]*):")


@dataclass(frozen=True)
class MarkdownSettings:
    """The Markdown extensions (and their options) that mkdocs.yml configures."""

    extensions: tuple[str, ...] = ()
    extension_configs: dict[str, dict[str, Any]] = field(default_factory=dict)

    def convert(self, text: str) -> str:
        """Markdown to HTML with the configured extensions."""
        converter = python_markdown.Markdown(
            extensions=list(self.extensions), extension_configs=self.extension_configs
        )
        return converter.convert(text)


def _without_code(lines: list[str]) -> list[str]:
    """The lines with fenced code blocks and code spans blanked out (they show HTML as text)."""
    result = []
    fence: str | None = None
    for line in lines:
        match = FENCE.match(line)
        if fence:
            if match and match.group(1) == fence:
                fence = None
            result.append("")
        elif match:
            fence = match.group(1)
            result.append("")
        else:
            result.append(CODE_SPAN.sub("", line))
    return result


def find_raw_html(text: str) -> list[tuple[int, str]]:
    """Raw HTML in Markdown source: (line number from 1, the tag's start) for each line."""
    without_comments = HTML_COMMENT.sub(lambda m: "\n" * m.group(0).count("\n"), text)
    found = []
    for number, line in enumerate(_without_code(without_comments.split("\n")), start=1):
        match = RAW_HTML.search(line)
        if match:
            snippet = line[match.start() : match.start() + 30].split(">")[0] + ">"
            found.append((number, snippet))
    return found


class _UnsafeHtmlFinder(HTMLParser):
    """Collects what in converted HTML could run a script in a reader's browser."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in FORBIDDEN_ELEMENTS:
            self.found.append(f"a <{tag}> element")
        for name, value in attrs:
            if name.startswith("on"):
                self.found.append(f"an event handler attribute '{name}'")
            elif name in URL_ATTRIBUTES or name == "srcset":
                scheme = url_scheme(value or "")
                if scheme and scheme not in ALLOWED_SCHEMES:
                    self.found.append(f"a '{scheme}:' address in '{name}'")
            elif name == "style" and value and re.search(r"url\(|expression\(", value, re.I):
                self.found.append("a style attribute that loads an address")


def url_scheme(url: str) -> str | None:
    """The scheme of a URL as a browser reads it (it ignores spaces and control characters)."""
    cleaned = re.sub(r"[\x00-\x20\x7f]", "", url).lower()
    match = URL_SCHEME.match(cleaned)
    return match.group(1) if match else None


def find_unsafe_html(html: str) -> list[str]:
    """What in converted HTML could run a script: elements, event handlers, script URLs."""
    finder = _UnsafeHtmlFinder()
    finder.feed(html)
    finder.close()
    return finder.found


class _LinkCollector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[tuple[str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("a", "img"):
            for name, value in attrs:
                if name in ("href", "src") and value:
                    self.links.append((tag, value))


def links_in(html: str) -> list[tuple[str, str]]:
    """Every (a, href) and (img, src) in converted HTML, in document order."""
    collector = _LinkCollector()
    collector.feed(html)
    collector.close()
    return collector.links


def line_of(text: str, needle: str, first_line: int) -> int:
    """The file line on which `needle` first appears in `text` (or the first line)."""
    index = text.find(needle)
    return first_line + (text.count("\n", 0, index) if index >= 0 else 0)


def link_pamphlets_for_site(text: str) -> str:
    """Rewrite ../<slug>/<lang>.md to the generated page ../<slug>/index.md.

    mkdocs-static-i18n then points the link to the same pamphlet in the language of the
    page it appears on, and MkDocs validates the link and its anchor.
    """
    return PAMPHLET_LINK_IN_SOURCE.sub(lambda m: f"../{m.group(1)}/index.md", text)
