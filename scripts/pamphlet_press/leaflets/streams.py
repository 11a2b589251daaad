"""What is the same in every print PDF is compressed once, not once per PDF.

Every print PDF embeds the print shop's colour profile (about 250 KB) for its output intent
and its CMYK colour space, and pydyf compresses each stream at the highest level when the
PDF is written: profiling one print render showed 0.34 s of its 0.79 s in compressing that
profile (twice). A stream whose content, dictionary and compression are the same gives the
same bytes, so the bytes are kept (per process: each PDF worker compresses the profile once)
and the PDF is byte for byte what it was.

A build's workers also keep them on disk (`keep_on_disk`, in .cache/streams): a new worker,
such as the one that renders the edited leaflet in a one-edit rebuild, takes the compressed
profile from there (about 0.17 s saved per worker). A file there is used only if it
decompresses to exactly the stream's content, so a damaged one is computed again.
"""

from __future__ import annotations

import hashlib
import os
import zlib
from pathlib import Path

import pydyf

# Smaller streams (page contents, subset fonts) differ from one PDF to the next.
LARGE_STREAM = 64 * 1024
_COMPRESSED: dict[bytes, bytes] = {}
_FOLDER: list[Path] = []  # where compressed streams are kept between processes, if set


def keep_on_disk(folder: Path) -> None:
    """Keep compressed large streams in `folder` too, for the next processes."""
    _FOLDER[:] = [folder]


def _from_disk(key: bytes, content: bytes) -> bytes | None:
    """The written stream of `content` kept on disk (its dictionary, then `stream`, the
    compressed bytes, `endstream`), if it is there and its bytes decompress to `content`."""
    if not _FOLDER:
        return None
    try:
        data = (_FOLDER[0] / key.hex()).read_bytes()
        head, rest = data.split(b"\nstream\n", 1)
        compressed, tail = rest.rsplit(b"\nendstream", 1)
        right = (
            tail == b""
            and f"/Length {len(compressed)}".encode() in head
            and zlib.decompress(compressed) == content
        )
        return data if right else None
    except (OSError, ValueError, zlib.error):
        return None


def _to_disk(key: bytes, data: bytes) -> None:
    if not _FOLDER:
        return
    folder = _FOLDER[0]
    temporary = folder / f".{key.hex()}.{os.getpid()}"
    try:
        folder.mkdir(parents=True, exist_ok=True)
        temporary.write_bytes(data)
        os.replace(temporary, folder / key.hex())
    except OSError:  # a cache only: the PDF is right without it
        temporary.unlink(missing_ok=True)


class _RememberedStream(pydyf.Stream):
    """A pydyf stream whose written bytes are computed once per process."""

    @property
    def data(self) -> bytes:
        content = b"\n".join(pydyf._to_bytes(item) for item in self.stream)
        key = hashlib.sha256(
            content + repr(sorted(self.extra.items())).encode() + bytes([self.compress])
        ).digest()
        if key not in _COMPRESSED:
            kept = _from_disk(key, content) if self.compress else None
            if kept is None:
                kept = pydyf.Stream.data.fget(self)
                if self.compress:
                    _to_disk(key, kept)
            _COMPRESSED[key] = kept
        return _COMPRESSED[key]


def remember_large_streams(pdf: pydyf.PDF) -> None:
    """Make the large streams of `pdf` (the colour profiles) compress once per process."""
    for item in pdf.objects:
        if type(item) is pydyf.Stream and sum(
            len(pydyf._to_bytes(part)) for part in item.stream
        ) >= LARGE_STREAM:
            item.__class__ = _RememberedStream
