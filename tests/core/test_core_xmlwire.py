"""XML bodies read as the dicts JSON gives, hostile XML refused, and rendered back."""

from __future__ import annotations

from typing import Any

import defusedxml.ElementTree as safe_tree
import pytest
import xmltodict
from defusedxml import DefusedXmlException
from hypothesis import given, settings
from hypothesis import strategies as st

from mockserver.core.errors import MalformedBody
from mockserver.core.xmlwire import parse_xml, render_fragment, render_xml

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
        (b'<!DOCTYPE a [<!ENTITY % p SYSTEM "http://evil.example/p">%p;]><a/>', "DTD"),
        (b'<!DOCTYPE a SYSTEM "http://evil.example/a.dtd"><a/>', "DTD"),
        (b"<a><b></a>", "Malformed XML"),
        (b"", "Malformed XML"),
        (b"not xml at all", "Malformed XML"),
        (b'<?xml version="1.0" encoding="no-such-encoding"?><a/>', "unknown encoding"),
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


def test_a_namespaced_document_keeps_its_prefixes_and_declarations() -> None:
    body = b'<p:task xmlns:p="urn:p" xml:lang="en"><p:items>1</p:items><code>2</code></p:task>'
    assert parse_xml(body, lists=("p:items",)) == {
        "p:task": {"xmlns:p": "urn:p", "xml:lang": "en", "p:items": ["1"], "code": "2"}
    }


def test_an_unbound_prefix_is_malformed() -> None:
    with pytest.raises(MalformedBody) as refused:
        parse_xml(b"<p:task/>")
    assert refused.value.detail == "Malformed XML: unbound prefix: line 1, column 0"


# -- one pass reads and refuses as defusedxml's check and xmltodict's parse together -----------

_NAMES = ("task", "items", "code", "text", "link", "content", "p:item", "xml:lang")
_ATTRIBUTES = ("href", "rel", "text", "xmlns", "xmlns:p", "p:at", "xml:lang")
_VALUES = ("", "x", "urn:p", "a&amp;b", "&quot;", "http://www.w3.org/XML/1998/namespace")
_TEXTS = ("", "  ", "word", " a b ", "&amp;&lt;", "&#65;", "<![CDATA[<x> & y]]>",
          "<!-- note -->", "<?pi x?>", "&undefined;", "<", "\u00e9")  # fmt: skip
_PROLOGS = ("", '<?xml version="1.0"?>\n', "<!-- first -->", "  ", '<!DOCTYPE a [<!ENTITY e "x">]>')

_attribute_lists = st.lists(
    st.tuples(st.sampled_from(_ATTRIBUTES), st.sampled_from(_VALUES)),
    max_size=3,
    unique_by=lambda attribute: attribute[0],
)


def _element(name: str, attributes: list[tuple[str, str]], parts: list[str]) -> str:
    written = "".join(f' {key}="{value}"' for key, value in attributes)
    return f"<{name}{written}>{''.join(parts)}</{name}>" if parts else f"<{name}{written}/>"


_elements = st.recursive(
    st.builds(_element, st.sampled_from(_NAMES), _attribute_lists, st.just([])),
    lambda inner: st.builds(
        _element,
        st.sampled_from(_NAMES),
        _attribute_lists,
        st.lists(st.one_of(st.sampled_from(_TEXTS), inner), max_size=4),
    ),
    max_leaves=12,
)
_documents = st.builds(
    lambda prolog, root, cut: (prolog + root).encode()[:cut],
    st.sampled_from(_PROLOGS),
    _elements,
    st.one_of(st.none(), st.none(), st.none(), st.integers(0, 200)),  # now and then cut short
)


def _as_check_and_parse(body: bytes, lists: tuple[str, ...]) -> Any:
    """What defusedxml's check, then xmltodict's parse make of a document: the reading
    that :func:`parse_xml` does in one pass."""
    try:
        safe_tree.fromstring(body, forbid_dtd=True)
    except DefusedXmlException as exc:
        return f"XML refused: {type(exc).__name__} (DTDs and entities are not allowed)"
    except safe_tree.ParseError as exc:
        return f"Malformed XML: {exc}"
    return xmltodict.parse(
        body, attr_prefix="", cdata_key="text", force_list=lists, disable_entities=True
    )


def _as_one_pass(body: bytes, lists: tuple[str, ...]) -> Any:
    try:
        return parse_xml(body, lists=lists)
    except MalformedBody as refused:
        return refused.detail


@settings(max_examples=400, deadline=None)
@given(_documents, st.sampled_from([(), ("items", "text"), ("task", "p:item", "code")]))
def test_one_pass_reads_and_refuses_as_defusedxml_and_xmltodict_together(
    body: bytes, lists: tuple[str, ...]
) -> None:
    assert _as_one_pass(body, lists) == _as_check_and_parse(body, lists)


@pytest.mark.parametrize(
    "data",
    [
        {"link": [{"href": "/t/1", "rel": "self"}], "name": "a<b", "items": [{"code": "c"}]},
        {},
        {"items": []},
    ],
)
def test_a_fragment_is_embedded_as_the_data_would_be_written(data: dict[str, Any]) -> None:
    embedded = render_xml("answer", {"id": 1, "task": render_fragment("task", data)})
    assert embedded == render_xml("answer", {"id": 1, "task": data})


def test_a_fragment_stands_only_where_it_was_written_for() -> None:
    with pytest.raises(ValueError, match="<task> was written, not <job>"):
        render_xml("answer", {"job": render_fragment("task", {"id": 1})})
