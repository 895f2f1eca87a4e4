"""XML bodies read as the dicts JSON gives, hostile XML refused, and rendered back."""

from __future__ import annotations

import pytest

from mockserver.core.errors import MalformedBody
from mockserver.core.xmlwire import parse_xml, render_xml

BUYOFF = (
    b"<job><input><items><code>accepted</code><content> 0 </content></items>"
    b"<items><code>comment</code><content>Too short</content></items></input></job>"
)


def test_repeated_elements_and_attributes_read_like_json() -> None:
    assert parse_xml(BUYOFF, lists=("items",)) == {
        "job": {
            "input": {
                "items": [
                    {"code": "accepted", "content": "0"},
                    {"code": "comment", "content": "Too short"},
                ]
            }
        }
    }


def test_a_single_element_is_still_a_list_where_a_list_is_usual() -> None:
    body = b'<task><link href="/t/1" rel="self" type="application/xml"/></task>'
    assert parse_xml(body, lists=("link",)) == {
        "task": {"link": [{"href": "/t/1", "rel": "self", "type": "application/xml"}]}
    }
    assert parse_xml(body) == {
        "task": {"link": {"href": "/t/1", "rel": "self", "type": "application/xml"}}
    }


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        (
            b'<?xml version="1.0"?><!DOCTYPE a [<!ENTITY x "x"><!ENTITY y "&x;&x;">]><a>&y;</a>',
            "DTD",
        ),
        (
            b'<?xml version="1.0"?><!DOCTYPE a [<!ENTITY e SYSTEM "file:///etc/passwd">]><a>&e;</a>',
            "DTD",
        ),
        (b"<a><b></a>", "Malformed XML"),
        (b"", "Malformed XML"),
        (b"not xml at all", "Malformed XML"),
    ],
)
def test_hostile_or_broken_xml_is_refused_with_a_reason(body: bytes, reason: str) -> None:
    with pytest.raises(MalformedBody) as refused:
        parse_xml(body)
    assert reason in refused.value.detail


def test_render_makes_lists_repeated_elements_and_links_attributes() -> None:
    text = render_xml(
        "job_response",
        {
            "request_status": {"valid": True, "status_code": 200},
            "job": {
                "link": [{"href": "http://h/jobs/1", "rel": "self", "type": None}],
                "items": [{"code": "a", "content": "x<y"}, {"code": "b", "content": None}],
            },
        },
    ).decode()
    assert text.startswith('<?xml version="1.0"?>\n<job_response><request_status>')
    assert "<valid>true</valid><status_code>200</status_code>" in text
    assert '<link href="http://h/jobs/1" rel="self"/>' in text
    assert "<items><code>a</code><content>x&lt;y</content></items>" in text
    assert "<items><code>b</code><content/></items>" in text


def test_what_is_rendered_reads_back_the_same() -> None:
    data = {
        "items": [{"code": "a", "content": "1"}, {"code": "b", "content": "2"}],
        "link": [{"href": "/x", "rel": "self"}],
    }
    assert parse_xml(render_xml("task", data), lists=("items", "link")) == {"task": data}


def test_markup_in_text_and_attributes_is_escaped_and_reads_back() -> None:
    data = {
        "name": 'Tom & Jerry <"live">',
        "count": 3,
        "ratio": 0.5,
        "link": [{"href": "/x?a=1&b=2", "rel": 'say "hi"'}],
    }
    text = render_xml("task", data).decode()
    assert '<name>Tom &amp; Jerry &lt;"live"&gt;</name>' in text
    assert "<count>3</count><ratio>0.5</ratio>" in text
    assert 'href="/x?a=1&amp;b=2" rel=\'say "hi"\'' in text
    expected = {**data, "count": "3", "ratio": "0.5"}
    assert parse_xml(render_xml("task", data), lists=("link",)) == {"task": expected}
