"""Images without what they tell about who took them: EXIF, XMP, IPTC, comments.

A photo from a phone carries where it was taken (GPS), the camera, its owner's name and
the time; a PNG from an editor may carry text chunks with the author or a path of their
computer. The site and the leaflets publish images without any of it: the image data is
kept byte for byte (no re-encoding, no loss), only metadata segments are left out.

- JPEG: APP1 (EXIF, XMP), APP3 to APP13 (IPTC, Photoshop), APP15 and comments are left
  out; the JFIF header (APP0), the colour profile (APP2 "ICC_PROFILE") and Adobe's colour
  transform marker (APP14) stay. A photo that EXIF says to show rotated is turned by
  Pillow and saved again (quality 95), since without EXIF it would show on its side.
- PNG: text chunks (tEXt, zTXt, iTXt), EXIF (eXIf) and the time (tIME) are left out;
  everything that decides how the image looks stays.
"""

from __future__ import annotations

import io
import struct
from pathlib import Path

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
PNG_DROPPED = {b"tEXt", b"zTXt", b"iTXt", b"eXIf", b"tIME"}
# Markers without a length: SOI, EOI, RST0-7, TEM.
JPEG_STANDALONE = {0xD8, 0xD9, 0x01, *range(0xD0, 0xD8)}
EXIF_ORIENTATION = 0x0112


def without_metadata(data: bytes) -> bytes:
    """The image `data` (JPEG or PNG) without its metadata; anything else as it is."""
    try:
        if data.startswith(b"\xff\xd8"):
            return _jpeg_without_metadata(data)
        if data.startswith(PNG_SIGNATURE):
            return _png_without_metadata(data)
    except (ValueError, struct.error, IndexError):
        pass  # a broken file: the catalog refuses it (Pillow cannot read it); leave it be
    return data


def _png_without_metadata(data: bytes) -> bytes:
    kept = [PNG_SIGNATURE]
    position = len(PNG_SIGNATURE)
    while position < len(data):
        (length,) = struct.unpack(">I", data[position : position + 4])
        kind = data[position + 4 : position + 8]
        end = position + 12 + length
        if end > len(data):
            raise ValueError("a PNG chunk runs past the end of the file")
        if kind not in PNG_DROPPED:
            kept.append(data[position:end])
        position = end
        if kind == b"IEND":
            break
    return b"".join(kept)


def _keeps_app_segment(marker: int, payload: bytes) -> bool:
    if marker == 0xE0:
        return payload.startswith((b"JFIF\0", b"JFXX\0"))
    if marker == 0xE2:
        return payload.startswith(b"ICC_PROFILE\0")
    if marker == 0xEE:
        return payload.startswith(b"Adobe")
    return False


def _jpeg_without_metadata(data: bytes) -> bytes:
    if _exif_orientation(data) not in (None, 1):
        return _turned_jpeg(data)
    kept = [data[:2]]
    position = 2
    while position < len(data):
        if data[position] != 0xFF:
            raise ValueError("not a JPEG marker")
        marker = data[position + 1]
        if marker == 0xFF:  # fill byte
            position += 1
            continue
        if marker in JPEG_STANDALONE:
            kept.append(data[position : position + 2])
            position += 2
            continue
        (length,) = struct.unpack(">H", data[position + 2 : position + 4])
        end = position + 2 + length
        segment = data[position:end]
        if marker == 0xDA:  # start of scan: the image data follows, to the end
            kept.append(data[position:])
            break
        is_metadata = marker == 0xFE or 0xE0 <= marker <= 0xEF
        if not is_metadata or _keeps_app_segment(marker, segment[4:]):
            kept.append(segment)
        position = end
    return b"".join(kept)


def _exif_orientation(data: bytes) -> int | None:
    from PIL import Image

    with Image.open(io.BytesIO(data)) as image:
        return image.getexif().get(EXIF_ORIENTATION)


def _turned_jpeg(data: bytes) -> bytes:
    """A JPEG that EXIF says to show turned, turned and saved again without metadata."""
    from PIL import Image, ImageOps

    with Image.open(io.BytesIO(data)) as image:
        profile = image.info.get("icc_profile")
        turned = ImageOps.exif_transpose(image)
        output = io.BytesIO()
        options = {"icc_profile": profile} if profile else {}
        turned.save(output, "JPEG", quality=95, **options)
    return output.getvalue()


def strip_folder_images(folder: Path, skip: tuple[str, ...] = ()) -> int:
    """Take the metadata out of every JPEG and PNG under `folder` (but the subfolders named
    in `skip`), in place; returns how many files changed."""
    changed = 0
    for path in folder.rglob("*"):
        if path.suffix.lower() not in (".jpg", ".jpeg", ".png") or not path.is_file():
            continue
        if any(part in skip for part in path.relative_to(folder).parts[:-1]):
            continue
        data = path.read_bytes()
        clean = without_metadata(data)
        if clean != data:
            # A new file, not written into: it may be a hard link to the previous site's.
            temporary = path.with_name(f".{path.name}.clean")
            temporary.write_bytes(clean)
            temporary.replace(path)
            changed += 1
    return changed
