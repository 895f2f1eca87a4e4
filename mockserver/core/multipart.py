"""Reading ``multipart/form-data`` bodies: their parts, and the form fields among them.

Form-era APIs take the same fields as a urlencoded body or as the parts of a multipart
one (Rack reads both alike), and clients pick either: an HTTP library posting a form
that holds a file, or told to, sends every field as a part. Parsing is
``python-multipart``'s (what Starlette itself uses); a body it cannot read, or one
with no boundary, is :class:`MalformedBody`, each vendor's own 400.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from python_multipart.exceptions import MultipartParseError
from python_multipart.multipart import MultipartParser, parse_options_header

from .contract import MULTIPART
from .errors import MalformedBody

if TYPE_CHECKING:
    from python_multipart.multipart import MultipartCallbacks

__all__ = ["MULTIPART", "Part", "form_fields", "parts", "text_fields"]


@dataclass(slots=True)
class Part:
    """One part: its headers (names lower-cased) and its bytes."""

    headers: dict[bytes, bytes] = field(default_factory=dict)
    chunks: list[bytes] = field(default_factory=list)
    kept: bool = True  # whether its bytes are kept as they are read
    complete: bool = False

    @property
    def data(self) -> bytes:
        return b"".join(self.chunks)

    @property
    def disposition(self) -> dict[bytes, bytes]:
        """The ``Content-Disposition`` options (``name``, ``filename``)."""
        _, options = parse_options_header(self.headers.get(b"content-disposition", b""))
        return options

    @property
    def is_file(self) -> bool:
        return b"filename" in self.disposition

    @property
    def name(self) -> str:
        return self.disposition.get(b"name", b"").decode("utf-8", "replace")


def parts(content_type: str, body: bytes, *, file_data: bool = True) -> list[Part]:
    """The complete parts of a multipart body, in order.

    Without ``file_data`` the bytes of file parts are skipped rather than kept: reading
    the form fields beside a file of hundreds of megabytes then copies none of it.
    """
    _, options = parse_options_header(content_type)
    boundary = options.get(b"boundary")
    if not boundary:
        raise MalformedBody("the multipart body has no boundary")
    found: list[Part] = []
    name: list[bytes] = []
    value: list[bytes] = []

    def header_end() -> None:
        found[-1].headers[b"".join(name).strip().lower()] = b"".join(value).strip()
        name.clear()
        value.clear()

    def headers_end() -> None:
        found[-1].kept = file_data or not found[-1].is_file

    def part_data(data: bytes, start: int, end: int) -> None:
        if found[-1].kept:
            found[-1].chunks.append(data[start:end])

    def part_end() -> None:
        found[-1].complete = True

    callbacks: MultipartCallbacks = {
        "on_part_begin": lambda: found.append(Part()),
        "on_header_field": lambda data, start, end: name.append(data[start:end]),
        "on_header_value": lambda data, start, end: value.append(data[start:end]),
        "on_header_end": header_end,
        "on_headers_finished": headers_end,
        "on_part_data": part_data,
        "on_part_end": part_end,
    }
    try:
        parser = MultipartParser(boundary, callbacks)
        parser.write(body)
        parser.finalize()
    except MultipartParseError as exc:
        raise MalformedBody(f"the multipart body cannot be read: {exc}") from None
    return [p for p in found if p.complete]


def text_fields(found: list[Part]) -> list[tuple[str, str]]:
    """``(name, value)`` of every part that is not a file, in order, as UTF-8 text."""
    return [(p.name, p.data.decode("utf-8", "replace")) for p in found if not p.is_file]


def form_fields(content_type: str, body: bytes) -> list[tuple[str, str]]:
    """The form fields of a multipart body (its file parts left out, unread)."""
    return text_fields(parts(content_type, body, file_data=False))
