"""Pictures in print leaflets: converted to CMYK before WeasyPrint places them.

WeasyPrint converts nothing: an RGB photo or map stays RGB in the print PDF, and the print
shop's RIP converts it with its own idea of black (a phone call, or a muddy picture). So for
the print variant, every picture of the text (a PNG or JPEG in the pamphlet's folder) is
converted here with the print shop's profile (the output intent; perceptual rendering, as for
photographs), its transparency flattened onto white paper, and saved as a CMYK JPEG beside
the rendered PDFs (`.cache/cmyk-images/`, named after what went into it, so that an unchanged
picture is converted once). The leaflet's HTML then points at the converted copy, which the
URL fetcher is told it may read (render.py).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from functools import cache
from pathlib import Path
from urllib.parse import unquote, urlparse

_IMAGE_SOURCE = re.compile(r'(<img\b[^>]*?\bsrc=")([^"]+)(")')
JPEG_QUALITY = 92


@cache
def _transform(profile: Path):
    from PIL import ImageCms

    return ImageCms.buildTransform(
        ImageCms.createProfile("sRGB"), ImageCms.getOpenProfile(str(profile)), "RGB", "CMYK",
        renderingIntent=ImageCms.Intent.PERCEPTUAL,
    )  # fmt: skip


def cmyk_copy(source: Path, folder: Path, profile: Path) -> Path:
    """A CMYK JPEG of the picture at `source`, converted with `profile` (made once)."""
    from PIL import Image, ImageCms

    digest = hashlib.sha256(source.read_bytes() + profile.read_bytes()).hexdigest()[:24]
    target = folder / f"{digest}.jpg"
    if target.exists():
        return target
    folder.mkdir(parents=True, exist_ok=True)
    with Image.open(source) as image:
        dpi = image.info.get("dpi")
        if image.mode == "CMYK":
            converted = image.copy()
        else:
            if image.mode in ("RGBA", "LA") or "transparency" in image.info:
                rgba = image.convert("RGBA")
                paper = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
                image = Image.alpha_composite(paper, rgba)
            converted = ImageCms.applyTransform(image.convert("RGB"), _transform(profile))
    options = {"quality": JPEG_QUALITY}
    if dpi:
        options["dpi"] = dpi
    temporary = target.with_name(f".{target.name}.tmp")
    converted.save(temporary, "JPEG", **options)
    temporary.replace(target)
    return target


def with_cmyk_images(
    body_html: str, base_dir: Path, folder: Path, profile: Path, allowed: Callable[[Path], bool]
) -> tuple[str, list[Path]]:
    """The HTML with each picture of the pamphlet's folder replaced by its CMYK copy, and
    the copies (which the leaflet may then read). A picture `allowed` refuses is left as
    it is, for the URL fetcher to refuse with its reason."""
    copies: list[Path] = []

    def replace(match: re.Match[str]) -> str:
        address = match.group(2)
        if urlparse(address).scheme:
            return match.group(0)  # data: and the like are for the fetcher to judge
        source = base_dir / unquote(address)
        if not source.is_file() or not allowed(source):
            return match.group(0)
        copy = cmyk_copy(source.resolve(), folder, profile)
        copies.append(copy)
        return match.group(1) + copy.as_uri() + match.group(3)

    return _IMAGE_SOURCE.sub(replace, body_html), copies
