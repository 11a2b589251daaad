"""What is the same in every print PDF is compressed once, not once per PDF.

Every print PDF embeds the print shop's colour profile (about 250 KB) for its output intent
and its CMYK colour space, and pydyf compresses each stream at the highest level when the
PDF is written: profiling one print render showed 0.34 s of its 0.79 s in compressing that
profile (twice). A stream whose content, dictionary and compression are the same gives the
same bytes, so the bytes are kept (per process: each PDF worker compresses the profile once)
and the PDF is byte for byte what it was.
"""

from __future__ import annotations

import hashlib

import pydyf

# Smaller streams (page contents, subset fonts) differ from one PDF to the next.
LARGE_STREAM = 64 * 1024
_COMPRESSED: dict[bytes, bytes] = {}


class _RememberedStream(pydyf.Stream):
    """A pydyf stream whose written bytes are computed once per process."""

    @property
    def data(self) -> bytes:
        content = b"\n".join(pydyf._to_bytes(item) for item in self.stream)
        key = hashlib.sha256(
            content + repr(sorted(self.extra.items())).encode() + bytes([self.compress])
        ).digest()
        if key not in _COMPRESSED:
            _COMPRESSED[key] = pydyf.Stream.data.fget(self)
        return _COMPRESSED[key]


def remember_large_streams(pdf: pydyf.PDF) -> None:
    """Make the large streams of `pdf` (the colour profiles) compress once per process."""
    for item in pdf.objects:
        if type(item) is pydyf.Stream and sum(
            len(pydyf._to_bytes(part)) for part in item.stream
        ) >= LARGE_STREAM:
            item.__class__ = _RememberedStream
