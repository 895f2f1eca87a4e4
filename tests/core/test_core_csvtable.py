"""The checks every uploaded CSV goes through before a vendor reads its rows."""

from __future__ import annotations

import tracemalloc

import pytest

from mockserver.core import csvtable
from mockserver.core.errors import MalformedBody


def _header(data: bytes, *, required: bool = False) -> list[str]:
    with csvtable.reading(data) as rows:
        return csvtable.header(rows, names_required=required)


def test_a_byte_order_mark_is_dropped_and_the_header_stripped() -> None:
    with csvtable.reading("\ufeffa, b ,c\n1,2,3\n".encode()) as rows:
        assert csvtable.header(rows) == ["a", "b", "c"]
        assert next(rows) == ["1", "2", "3"]


def test_invalid_utf8_names_its_line() -> None:
    with pytest.raises(MalformedBody) as refused, csvtable.reading(b"a,b\n1,2\n\xff,3\n") as rows:
        list(rows)
    assert refused.value.detail == "line 3: the file is not valid UTF-8"


def test_invalid_utf8_far_into_a_file_names_its_line() -> None:
    """The file is decoded as it is read, chunk by chunk: the line is the file's own."""
    data = b"a,b\n" + b"1,2\n" * 50_000 + b"\xff,3\n"
    with pytest.raises(MalformedBody) as refused, csvtable.reading(data) as rows:
        list(rows)
    assert refused.value.detail == "line 50002: the file is not valid UTF-8"


def test_a_malformed_quote_names_its_line() -> None:
    with (
        pytest.raises(MalformedBody, match=r'^line 2: .*"'),
        csvtable.reading(b'a\n"x"y\n') as rows,
    ):
        list(rows)


@pytest.mark.parametrize(
    ("data", "required", "message"),
    [
        (b"", False, "line 1: the file is empty; a header row is required"),
        (b" , \n1,2\n", False, "line 1: the file is empty; a header row is required"),
        (b"a,a,b\n", False, "line 1: duplicate column a"),
        (b"a,,b\n", True, "line 1: column 2 has no name"),
    ],
)
def test_a_header_that_cannot_name_the_columns_is_refused(
    data: bytes, required: bool, message: str
) -> None:
    with pytest.raises(MalformedBody) as refused:
        _header(data, required=required)
    assert refused.value.detail == message


def test_an_unnamed_column_is_allowed_unless_names_are_required() -> None:
    assert _header(b"a,,b\n") == ["a", "", "b"]


def test_a_header_of_100000_columns_is_read_and_its_repeats_found() -> None:
    """Repeats are counted in one pass (a pairwise check took minutes at this width);
    the refusal names the first ten and counts the rest."""
    names = [f"c{i}" for i in range(100_000)]
    assert _header(",".join(names).encode()) == names
    with pytest.raises(MalformedBody) as refused:
        _header(",".join(names + names[:12]).encode())
    assert refused.value.detail == (
        "line 1: duplicate column c0, c1, c10, c11, c2, c3, c4, c5, c6, c7 and 2 more"
    )


def test_a_file_is_decoded_as_it_is_read_not_copied_whole() -> None:
    """A whole-text copy cost five times the file (``io.StringIO`` keeps four bytes a
    character) before the first row was read."""
    data = b"a,b\n" + b"12345678,abcdefgh\n" * 500_000
    tracemalloc.start()
    try:
        with csvtable.reading(data) as rows:
            assert sum(1 for _ in rows) == 500_001
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < len(data) / 10
