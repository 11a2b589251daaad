"""The Content-Security-Policy every page ships: only the site's own origin, and only the
theme's own inline scripts.

Translations may come from volunteers, and the catalog refuses scripts in them; the policy
is the second line: should anything slip through, the browser runs no script and loads
nothing that is not the site's own. Material's few inline scripts are allowed by their
SHA-256 hash. The hashes are computed from the theme's templates (Material's and the
project's `custom_dir`), rendered for the page (the scripts differ by the page's depth),
never read back from the finished page: a script that reached a page from the content
matches none of them, and `untrusted_scripts` names it so that the build fails.

The offline copy is opened from `file://`, where 'self' matches nothing (the origin is
opaque): it gets a policy of its own (`OFFLINE_POLICY`) that allows the files of the copy
(`file:`) and the same inline-script hashes, and no other host.
"""

from __future__ import annotations

import base64
import hashlib
import re
from pathlib import Path

# An inline script: <script> without attributes (a src, or a type such as the JSON of
# Material's __config, is not inline code). Templates and pages write them the same way.
INLINE_SCRIPT = re.compile(r"<script>(.*?)</script>", re.S)
ANY_SCRIPT = re.compile(r"<script\b([^>]*)>(.*?)</script\s*>", re.S | re.I)
NOT_CODE = re.compile(r"""\btype\s*=\s*["']?application/(?:json|ld\+json)""", re.I)

POLICY = (
    "default-src 'self'; script-src 'self' {hashes}; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; worker-src 'self'; object-src 'none'; "
    "base-uri 'self'; form-action 'self'"
)
# From file:// the copy's own files are file: URLs. Search runs in a worker that the
# vendored iframe-worker shim starts in an iframe from a blob.
OFFLINE_POLICY = (
    "default-src 'none'; script-src file: 'self' blob: {hashes}; style-src file: 'self'; "
    "img-src file: 'self' data:; font-src file: 'self'; connect-src file: 'self'; "
    "worker-src file: 'self' blob:; frame-src file: 'self' blob:; child-src file: 'self' "
    "blob:; object-src 'none'; base-uri 'none'; form-action 'none'"
)
POLICY_META = '<meta http-equiv="Content-Security-Policy" content="{policy}">'


def script_hash(body: str) -> str:
    """The CSP source expression that allows the inline script `body`."""
    digest = hashlib.sha256(body.encode("utf-8")).digest()
    return "'sha256-" + base64.b64encode(digest).decode() + "'"


def theme_script_sources(theme_dirs: list[str]) -> list[str]:
    """The Jinja source of every inline script in the theme's templates, in the order the
    theme looks them up (custom_dir first); each is rendered per page (TrustedScripts)."""
    sources: list[str] = []
    for folder in theme_dirs:
        for template in sorted(Path(folder).rglob("*.html")):
            text = template.read_text(encoding="utf-8", errors="replace")
            sources += [body for body in INLINE_SCRIPT.findall(text) if body not in sources]
    return sources


class TrustedScripts:
    """The hashes of the theme's inline scripts as the theme renders them on a page.

    `environment` is the theme's Jinja environment (MkDocs' on_env), `theme_dirs` the folders
    it reads templates from (config.theme.dirs).
    """

    def __init__(self, environment, theme_dirs: list[str]):
        self.templates = []
        for source in theme_script_sources(theme_dirs):
            try:
                self.templates.append(environment.from_string(source))
            except Exception:  # noqa: BLE001 (a template the theme itself cannot compile)
                continue

    def hashes(self, **context) -> frozenset[str]:
        """The hashes of every inline script of the theme rendered with `context` (config,
        page, base_url); a script that cannot be rendered for this page is not on it."""
        found = set()
        for template in self.templates:
            try:
                found.add(script_hash(template.render(**context)))
            except Exception:  # noqa: BLE001, S112 (it needs what this page has not)
                continue
        return frozenset(found)


def policy(hashes: frozenset[str], offline: bool = False) -> str:
    template = OFFLINE_POLICY if offline else POLICY
    return template.format(hashes=" ".join(sorted(hashes))).replace("  ", " ")


def untrusted_scripts(html: str, hashes: frozenset[str]) -> list[str]:
    """The beginnings of the inline scripts in `html` that the policy does not allow (they
    did not come from the theme)."""
    found = []
    for attributes, body in ANY_SCRIPT.findall(html):
        if "src=" in attributes.lower() or NOT_CODE.search(attributes):
            continue
        if attributes.strip() or script_hash(body) not in hashes:
            found.append(f"<script{attributes}>{body[:40]}")
    return found


def with_policy(html: str, hashes: frozenset[str], offline: bool = False) -> str:
    """The page with its policy as the first element of <head> (before any script)."""
    meta = POLICY_META.format(policy=policy(hashes, offline))
    return html.replace("<head>", f"<head>\n    {meta}", 1)
