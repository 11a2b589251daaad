"""The Content-Security-Policy every page ships: only the site's own origin.

Translations may come from volunteers, and the catalog refuses scripts in them; the policy
is the second line: should anything slip through, the browser runs no script and loads
nothing that is not the site's own. Material's few inline scripts are allowed by their
SHA-256 hash (they differ by page depth, so each page gets its own list).
"""

from __future__ import annotations

import base64
import hashlib
import re

INLINE_SCRIPT = re.compile(r"<script>(.*?)</script>", re.S)

POLICY = (
    "default-src 'self'; script-src 'self' {hashes}; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; worker-src 'self'; object-src 'none'; "
    "base-uri 'self'; form-action 'self'"
)


def policy_for(html: str) -> str:
    hashes = sorted({
        "'sha256-" + base64.b64encode(hashlib.sha256(body.encode("utf-8")).digest()).decode() + "'"
        for body in INLINE_SCRIPT.findall(html)
    })  # fmt: skip
    return POLICY.format(hashes=" ".join(hashes)).replace("  ", " ")


def with_policy(html: str) -> str:
    """The page with its policy as the first element of <head> (before any script)."""
    meta = f'<meta http-equiv="Content-Security-Policy" content="{policy_for(html)}">'
    return html.replace("<head>", f"<head>\n    {meta}", 1)
