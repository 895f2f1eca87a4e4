"""The request journal: a bounded ring with increasing ids and capped bodies."""

from __future__ import annotations

import tracemalloc

from mockserver.core.journal import (
    BODY_CAP,
    HEADERS_CAP,
    Entry,
    Journal,
    body_text,
    capped,
    capped_headers,
)


def add(journal: Journal, path: str = "/x") -> None:
    """A GET the server answered 200 with an empty body."""
    journal.add(
        0.0, "fake", "fake:k", "GET", path, b"", [(b"x-api-key", b"k")], [], 200, [], [], 0.001
    )


def test_ring_keeps_only_the_newest_entries() -> None:
    journal = Journal(3)
    for n in range(5):
        add(journal, f"/{n}")
    assert len(journal) == 3
    assert [e.path for e in journal] == ["/2", "/3", "/4"]
    assert [e.id for e in journal] == [3, 4, 5]


def test_ids_start_at_one_and_increase() -> None:
    journal = Journal(10)
    for _ in range(4):
        add(journal)
    assert [e.id for e in journal] == [1, 2, 3, 4]


def test_clear_empties_the_ring_and_keeps_recording() -> None:
    journal = Journal(10)
    for _ in range(3):
        add(journal)
    journal.clear()
    assert len(journal) == 0
    assert list(journal) == []
    add(journal, "/after")
    assert [e.path for e in journal] == ["/after"]


def test_size_zero_disables() -> None:
    journal = Journal(0)
    assert not journal.enabled
    add(journal)
    assert len(journal) == 0
    assert Journal(1).enabled


def test_iteration_is_a_snapshot_order_oldest_first() -> None:
    journal = Journal(5)
    for n in range(3):
        add(journal, f"/{n}")
    assert [e.path for e in journal] == ["/0", "/1", "/2"]


def test_entry_as_dict_has_defaults_for_the_response() -> None:
    data = Entry(
        id=1, at=0.0, vendor="fake", tenant="fake:k", method="GET", path="/x", raw_query=b"",
        raw_request_headers=[(b"x-api-key", b"k")],
    ).as_dict()  # fmt: skip
    assert data["status"] == 0
    assert data["response_headers"] == {}
    assert data["response_body"] == ""
    assert data["tenant"] == "fake:k"


def test_an_added_exchange_reads_back_field_for_field() -> None:
    journal = Journal(2)
    journal.add(
        12.5, "fake", "fake:k", "POST", "/items", b"a=1", [(b"content-type", b"text/csv")],
        [b"x,y"], 201, [(b"x-request-id", b"r1")], [b"{}"], 0.0042,
    )  # fmt: skip
    (recorded,) = journal
    assert recorded == Entry(
        id=1, at=12.5, vendor="fake", tenant="fake:k", method="POST", path="/items",
        raw_query=b"a=1", raw_request_headers=((b"content-type", b"text/csv"),),
        raw_request_body=(b"x,y",), status=201, raw_response_headers=((b"x-request-id", b"r1"),),
        raw_response_body=(b"{}",), seconds=0.0042,
    )  # fmt: skip
    assert (recorded.method, recorded.status, recorded.duration_ms) == ("POST", 201, 4.2)
    assert recorded.request_body == "x,y" and recorded.response_headers == {"x-request-id": "r1"}


def test_body_text_joins_chunks_and_caps() -> None:
    assert body_text([b"ab", b"", b"cd"]) == "abcd"
    big = body_text([b"x" * BODY_CAP, b"overflow"])
    assert len(big) == BODY_CAP
    assert "overflow" not in big


def test_body_text_decodes_leniently() -> None:
    assert body_text([b"caf\xc3\xa9 \xff"]) == "café \ufffd"
    assert body_text([]) == ""


def test_an_entry_decodes_what_it_kept_raw_when_read() -> None:
    recorded = Entry(
        id=1, at=0.0, vendor=None, tenant=None, method="POST", path="/x", raw_query=b"a=1",
        raw_request_headers=[(b"content-type", b"application/json")],
        raw_request_body=[b'{"name":', b'"caf\xc3\xa9"}'],
    )  # fmt: skip
    assert recorded.request_headers == {"content-type": "application/json"}
    assert recorded.as_dict()["request_body"] == '{"name":"café"}'


def test_capped_keeps_no_more_than_the_cap() -> None:
    kept: list[bytes] = []
    for _ in range(3):
        capped(kept, b"y" * (BODY_CAP // 2 + 1))
    assert sum(map(len, kept)) == 2 * (BODY_CAP // 2 + 1)
    assert len(body_text(kept)) == BODY_CAP


def test_headers_are_kept_whole_under_the_cap() -> None:
    headers = [(b"x-api-key", b"k"), (b"x-big", b"v" * (HEADERS_CAP - 100))]
    assert capped_headers(headers) is headers


def test_a_header_past_the_cap_is_cut_off_and_those_after_it_dropped() -> None:
    journal = Journal(10)
    big = b"v" * (1024 * 1024)
    journal.add(
        0.0, "fake", "fake:k", "GET", "/x", b"",
        [(b"x-api-key", b"k"), (b"x-big", big), (b"x-after", b"a")], [],
        200, [(b"x-echo", big)], [], 0.001,
    )  # fmt: skip
    (entry,) = journal
    kept = entry.request_headers
    assert list(kept) == ["x-api-key", "x-big"]
    assert len(kept["x-big"]) == HEADERS_CAP - len(b"x-api-key" + b"k" + b"x-big")
    assert len(entry.response_headers["x-echo"]) == HEADERS_CAP - len(b"x-echo")


def test_a_ring_of_entries_with_huge_headers_holds_only_the_caps() -> None:
    """A 1 MiB header on every request kept 1 GB in a ring of 1,000; now each entry keeps
    at most the cap of its headers, path and query, whatever the client sent."""
    journal = Journal(100)
    tracemalloc.start()
    try:
        for n in range(100):
            huge = bytes([65 + n % 26]) * (1024 * 1024)
            journal.add(
                0.0, "fake", "fake:k", "GET", "/" + "p" * 1024 * 1024, huge, [(b"x-big", huge)],
                [], 200, [], [], 0.001,
            )  # fmt: skip
            del huge
        held = tracemalloc.get_traced_memory()[0]
    finally:
        tracemalloc.stop()
    assert held < 100 * 4 * HEADERS_CAP
    assert len(journal) == 100
    assert all(len(e.request_headers["x-big"]) == HEADERS_CAP - 5 for e in journal)
