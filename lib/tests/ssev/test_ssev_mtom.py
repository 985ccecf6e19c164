"""MTOM packaging both ways (reference README §2.1)."""

import pytest
from lxml import etree

from bg_egov.ssev import mtom
from bg_egov.ssev.errors import MalformedResponseError

ENVELOPE = (
    b'<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body>'
    b'<r xmlns="urn:t"><Content>JVBERi0xLjcgAAEC/w==</Content><Content/></r>'
    b"</s:Body></s:Envelope>"
)


def test_binary_content_travels_as_a_part_and_comes_back_inline():
    body, content_type = mtom.pack(etree.fromstring(ENVELOPE), optimize=("Content",))
    assert content_type.startswith('multipart/related; type="application/xop+xml"')
    assert b"%PDF-1.7 \x00\x01\x02\xff" in body  # raw bytes, not base64
    assert b"xop:Include" in body
    envelope = mtom.unpack(body, content_type)
    assert envelope.findtext(".//{urn:t}Content") == "JVBERi0xLjcgAAEC/w=="


def test_truncated_message_is_malformed():
    body, content_type = mtom.pack(etree.fromstring(ENVELOPE), optimize=("Content",))
    with pytest.raises(MalformedResponseError):
        mtom.unpack(body[: len(body) // 2], content_type)


def test_include_of_a_missing_part_is_malformed():
    body, content_type = mtom.pack(etree.fromstring(ENVELOPE), optimize=("Content",))
    head, _, rest = body.partition(b"Content-ID: <")
    second = rest.index(b"Content-ID: <") if b"Content-ID: <" in rest else -1
    assert second > 0
    broken = (
        head
        + b"Content-ID: <"
        + rest[:second]
        + b"Content-ID: <x"
        + rest[second + 13 :]
    )
    with pytest.raises(MalformedResponseError):
        mtom.unpack(broken, content_type)


def test_other_content_types_are_refused():
    with pytest.raises(MalformedResponseError):
        mtom.unpack(b"<html/>", "text/html")
