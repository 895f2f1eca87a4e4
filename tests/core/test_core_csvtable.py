"""The checks every uploaded CSV goes through before a vendor reads its rows."""

from __future__ import annotations

import pytest

from mockserver.core import csvtable
from mockserver.core.errors import MalformedBody


def test_a_byte_order_mark_is_dropped_and_the_header_stripped() -> None:
    rows = csvtable.reader(csvtable.decode("\ufeffa, b ,c\n1,2,3\n".encode()))
    assert csvtable.header(rows) == ["a", "b", "c"]
    assert next(rows) == ["1", "2", "3"]


def test_invalid_utf8_names_its_line() -> None:
    with pytest.raises(MalformedBody) as refused:
        csvtable.decode(b"a,b\n1,2\n\xff,3\n")
    assert refused.value.detail == "line 3: the file is not valid UTF-8"


@pytest.mark.parametrize(
    ("text", "required", "message"),
    [
        ("", False, "line 1: the file is empty; a header row is required"),
        (" , \n1,2\n", False, "line 1: the file is empty; a header row is required"),
        ("a,a,b\n", False, "line 1: duplicate column a"),
        ("a,,b\n", True, "line 1: column 2 has no name"),
    ],
)
def test_a_header_that_cannot_name_the_columns_is_refused(
    text: str, required: bool, message: str
) -> None:
    with pytest.raises(MalformedBody) as refused:
        csvtable.header(csvtable.reader(text), names_required=required)
    assert refused.value.detail == message


def test_an_unnamed_column_is_allowed_unless_names_are_required() -> None:
    assert csvtable.header(csvtable.reader("a,,b\n")) == ["a", "", "b"]
