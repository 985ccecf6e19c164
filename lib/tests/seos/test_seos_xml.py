import datetime

import pytest
from lxml import etree
from seos_fixtures import MINISTRY, MUNICIPALITY, SOFIA, full_document

from bg_egov import safexml, xmldsig
from bg_egov.errors import SchemaError, UnsafeXmlError
from bg_egov.seos import messages as m
from bg_egov.seos import xml as seos_xml

KINDS = ["registration", "status_request", "status_response", "error"]


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("algorithm", ["rsa-sha256", "rsa-sha1"])
def test_every_signed_message_validates_against_the_official_schema(
    every_message, official_schema, signer, kind, algorithm
):
    data = seos_xml.sign(every_message[kind], *signer, algorithm=algorithm)
    root = safexml.parse(data, huge_tree=True)
    assert official_schema.validate(root), official_schema.error_log
    # ... and against our own, which the receiving side uses at run time.
    seos_xml.validate(root)


@pytest.mark.parametrize("kind", KINDS)
def test_round_trip_keeps_every_field(every_message, signer, kind):
    message = every_message[kind]
    parsed, info = seos_xml.loads(seos_xml.sign(message, *signer))
    assert parsed == message
    assert info.serial_number == 0xC0FFEE


def test_minimal_registration_validates_officially(official_schema, signer):
    doc = m.Document(id=m.DocumentId(m.new_guid()), kind="Молба")
    message = m.Message.new(MUNICIPALITY, MINISTRY, m.RegistrationRequest(doc))
    root = safexml.parse(seos_xml.sign(message, *signer))
    assert official_schema.validate(root), official_schema.error_log
    assert seos_xml.parse(root) == message


def test_guids_are_emitted_in_braces_lower_case(every_message):
    root = seos_xml.build(every_message["registration"])
    guid = root.findtext(f".//{{{seos_xml.NS}}}DocumentGUID")
    assert guid == "{aaaaaaaa-0000-4000-8000-000000000001}"


def test_bare_or_upper_case_guid_is_normalised_but_garbage_refused():
    assert (
        m.normalize_guid("AAAAAAAA-0000-4000-8000-00000000000F")
        == "{aaaaaaaa-0000-4000-8000-00000000000f}"
    )
    with pytest.raises(ValueError):
        m.normalize_guid("{not-a-guid}")


def test_dates_are_written_as_the_schema_wants(every_message):
    root = seos_xml.build(every_message["registration"])
    assert root.findtext(f".//{{{seos_xml.NS}}}MessageDate") == (
        "2026-03-04T10:15:00.123+02:00"
    )
    assert root.findtext(f".//{{{seos_xml.NS}}}DocDate") == "2026-03-04"


def test_naive_message_date_is_refused():
    with pytest.raises(ValueError):
        m.Message.new(
            MUNICIPALITY,
            MINISTRY,
            m.StatusRequest(m.DocumentId(m.new_guid())),
            date=datetime.datetime(2026, 1, 1),
        )


@pytest.mark.parametrize(
    "text, expected",
    [
        (
            "2021-08-24T18:07:36.4322045+03:00",
            datetime.datetime(
                2021,
                8,
                24,
                18,
                7,
                36,
                432204,
                datetime.timezone(datetime.timedelta(hours=3)),
            ),
        ),
        (
            "2026-01-02T03:04:05Z",
            datetime.datetime(2026, 1, 2, 3, 4, 5, tzinfo=datetime.timezone.utc),
        ),
    ],
)
def test_parse_datetime_reads_what_peers_write(text, expected):
    assert seos_xml.parse_datetime(text) == expected


def test_datetime_without_offset_is_taken_as_sofia_time():
    value = seos_xml.parse_datetime("2026-07-01T12:00:00")
    assert value.utcoffset() == datetime.timedelta(hours=3)


def test_string_with_foreign_encoding_declaration_and_bom_keeps_cyrillic(signer):
    message = m.Message.new(
        MUNICIPALITY, MINISTRY, m.RegistrationRequest(full_document())
    )
    text = seos_xml.sign(message, *signer).decode("utf-8")
    text = "\ufeff" + text.replace("encoding='UTF-8'", 'encoding="windows-1251"')
    parsed, _info = seos_xml.loads(text)
    assert parsed.body.document.kind == "Писмо"


def test_body_that_does_not_match_the_message_type_is_refused(every_message):
    root = seos_xml.build(every_message["status_request"])
    root.find(f".//{{{seos_xml.NS}}}MessageType").text = "MSG_Error"
    with pytest.raises(SchemaError) as info:
        seos_xml.validate(root)
    assert info.value.code == "type_mismatch"


def test_own_schema_refuses_what_the_official_one_refuses(every_message):
    root = seos_xml.build(every_message["registration"])
    # AttComment after AttMIMEType: the order the schema forbids (§4.1.3).
    attachment = root.find(f".//{{{seos_xml.NS}}}Attachment")
    attachment.append(attachment.find(f"{{{seos_xml.NS}}}AttComment"))
    with pytest.raises(SchemaError):
        seos_xml.validate(root)


@pytest.mark.parametrize(
    "mutate",
    [
        lambda r: setattr(r.find(f".//{{{seos_xml.NS}}}GUID"), "text", "1-2"),
        lambda r: setattr(r.find(f".//{{{seos_xml.NS}}}DocDate"), "text", "4.3.2026"),
        lambda r: r.find(f".//{{{seos_xml.NS}}}Header").append(etree.Element("x")),
    ],
    ids=["guid", "date", "extra element"],
)
def test_own_schema_and_official_schema_agree_on_invalid_input(
    every_message, official_schema, mutate
):
    root = seos_xml.build(every_message["registration"])
    mutate(root)
    assert not official_schema.validate(root)
    with pytest.raises(SchemaError):
        seos_xml.validate(root)


def test_large_attachment_parses_with_huge_text_node(signer):
    body = bytes(range(256)) * (11 * 1024 * 1024 // 256)
    doc = full_document(attachments=(m.Attachment("big.bin", body, "x/y"),))
    message = m.Message.new(MUNICIPALITY, MINISTRY, m.RegistrationRequest(doc))
    parsed, _info = seos_xml.loads(seos_xml.sign(message, *signer))
    assert parsed.body.document.attachments[0].body == body


def test_doctype_in_a_message_is_refused(signer):
    data = (
        b'<?xml version="1.0"?><!DOCTYPE m [<!ENTITY x "y">]>'
        b'<Message xmlns="http://schemas.egov.bg/messaging/v1">&x;</Message>'
    )
    with pytest.raises(UnsafeXmlError) as info:
        seos_xml.parse_bytes(data)
    assert info.value.code == "dtd_forbidden"


def test_signature_shape_is_what_peers_send(every_message, signer):
    root = safexml.parse(seos_xml.sign(every_message["error"], *signer))
    signature = root[-1]
    assert signature.tag == f"{{{xmldsig.DSIG_NS}}}Signature"
    assert signature.prefix is None
    transforms = signature.findall(f".//{{{xmldsig.DSIG_NS}}}Transform")
    assert [t.get("Algorithm") for t in transforms] == [
        "http://www.w3.org/2000/09/xmldsig#enveloped-signature"
    ]
    c14n = signature.find(f".//{{{xmldsig.DSIG_NS}}}CanonicalizationMethod")
    assert c14n.get("Algorithm") == "http://www.w3.org/TR/2001/REC-xml-c14n-20010315"
    serial = signature.findtext(f".//{{{xmldsig.DSIG_NS}}}X509SerialNumber")
    assert int(serial) == 0xC0FFEE


def test_header_date_keeps_its_offset_through_a_round_trip(signer):
    date = datetime.datetime(2026, 3, 4, 10, 15, tzinfo=SOFIA)
    message = m.Message.new(
        MUNICIPALITY, MINISTRY, m.StatusRequest(m.DocumentId(m.new_guid())), date=date
    )
    parsed, _info = seos_xml.loads(seos_xml.sign(message, *signer))
    assert parsed.header.date == date
    assert parsed.header.date.utcoffset() == datetime.timedelta(hours=2)


@pytest.mark.parametrize("garbage", ["@@@", "QUJD!", "QUJ=D"])
def test_invalid_base64_is_refused_although_libxml2_lets_it_pass(
    every_message, garbage
):
    root = seos_xml.build(every_message["registration"])
    root.find(f".//{{{seos_xml.NS}}}AttBody").text = garbage
    with pytest.raises(SchemaError) as info:
        seos_xml.parse(root)
    assert info.value.code == "invalid_base64"


def test_base64_with_line_breaks_is_accepted():
    assert seos_xml.decode_base64("QUJD\nREVG\r\n") == b"ABCDEF"


def test_huge_tree_parsing_still_bounds_the_depth():
    depth = 300
    data = (
        b'<Message xmlns="http://schemas.egov.bg/messaging/v1">'
        + b"<a>" * depth
        + b"</a>" * depth
        + b"</Message>"
    )
    with pytest.raises(UnsafeXmlError) as info:
        seos_xml.parse_bytes(data)
    assert info.value.code == "too_deep"
