"""The hostile corpus, sent over real HTTP to a sandbox node scanning with a real
clamd. Each input gets the protocol's answer within a bounded time and memory, is
stored raw, and creates no document.
"""

import base64
import datetime
import http.client
import time
import urllib.parse

import pytest
import requests
from bg_egov import xmldsig
from bg_egov.malware import EICAR
from bg_egov.seos import messages as m
from bg_egov.seos import soap
from bg_egov.seos import xml as seos_xml
from bg_egov.seos.codes import (
    DocumentStatus,
    ErrorKind,
    MessageType,
    Situation,
    situation_text,
)
from seos_nodes import Node, Party, write_directory

BOUND_SECONDS = 15


@pytest.fixture(scope="module")
def target(tmp_path_factory, clamd_socket):
    base = tmp_path_factory.mktemp("seos-hostile")
    directory = base / "participants.json"
    sender = Party(base, "Община Тестово", "000056789", 0x0A01)
    receiver = Party(base, "Министерство на тестовете", "121212121", 0x0B02)
    inactive = Party(base, "Закрита община", "181818181", 0x1208, status="Inactive")
    write_directory(directory, [sender, receiver, inactive])
    node = Node(
        receiver,
        directory,
        base / "storage",
        behaviour="accept",
        extra=["--clamd-socket", clamd_socket, "--max-request-bytes", str(64 << 20)],
    )
    yield {"node": node, "sender": sender, "receiver": receiver, "inactive": inactive}
    node.stop()


def _registration(target, *, sender=None, recipient=None, attachment=b"%PDF-1.4"):
    sender = sender or target["sender"]
    recipient = recipient or target["receiver"]
    doc = m.Document(
        id=m.DocumentId(
            m.new_guid(), number=m.DocumentNumber("ОБ-7", datetime.date(2026, 3, 4))
        ),
        kind="Писмо",
        attachments=(m.Attachment("писмо.pdf", attachment, "application/pdf"),),
    )
    return m.Message.new(
        sender.entity, recipient.entity, m.RegistrationRequest(doc, "")
    )


def _signed(target, message, party=None):
    party = party or target["sender"]
    return seos_xml.sign(message, party.key_pem, party.cert_pem)


def _post(target, body):
    """POST a body; returns (HTTP response, elapsed seconds), checking that it was
    stored raw and created no document.
    """
    node = target["node"]
    before = node.state()
    started = time.monotonic()
    response = requests.post(
        node.url,
        data=body,
        headers={
            "Content-Type": soap.CONTENT_TYPE,
            "SOAPAction": '"http://services.egov.bg/messaging/IEGovService/Submit"',
        },
        timeout=60,
    )
    elapsed = time.monotonic() - started
    after = node.state()
    assert after["raw_count"] == before["raw_count"] + 1, "not stored raw"
    assert after["received"] == before["received"], "a document was created"
    assert elapsed < BOUND_SECONDS
    return response


def _answer(target, response):
    assert response.status_code == 200, response.text[:500]
    text = soap.read_submit_response(response.content, max_bytes=10**8)
    message, signature = seos_xml.loads(text)
    assert signature.serial_number == 0x0B02
    assert message.header.sender == target["receiver"].entity
    return message


def _assert_error(target, response, situation, failed_guid):
    answer = _answer(target, response)
    assert answer.header.message_type is MessageType.ERROR
    assert answer.body.kind is ErrorKind.EXTERNAL
    assert answer.body.description.startswith(situation_text(situation))
    assert answer.body.message_guid == failed_guid


def _assert_fault(response):
    assert response.status_code == 500
    with pytest.raises(Exception) as info:
        soap.read_submit_response(response.content, max_bytes=10**6)
    assert getattr(info.value, "code", None) == "soap_fault"


def test_external_entity_is_a_fault_and_not_read(target):
    inner = (
        '<?xml version="1.0"?><!DOCTYPE Message [<!ENTITY x SYSTEM '
        '"file:///etc/passwd">]><Message xmlns="http://schemas.egov.bg/messaging/v1">'
        "&x;</Message>"
    )
    response = _post(target, soap.submit_request(inner))
    _assert_fault(response)
    assert b"root:" not in response.content


def test_billion_laughs_is_a_fault(target):
    entities = "".join(
        f'<!ENTITY l{i} "{("&l%d;" % (i - 1)) * 10}">' for i in range(1, 10)
    )
    inner = (
        f'<?xml version="1.0"?><!DOCTYPE Message [<!ENTITY l0 "lol">{entities}]>'
        '<Message xmlns="http://schemas.egov.bg/messaging/v1">&l9;</Message>'
    )
    _assert_fault(_post(target, soap.submit_request(inner)))


def test_dtd_in_the_soap_envelope_is_a_fault(target):
    body = (
        b'<?xml version="1.0"?><!DOCTYPE e [<!ENTITY a "b">]>'
        b'<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/">'
        b"<s:Body>&a;</s:Body></s:Envelope>"
    )
    _assert_fault(_post(target, body))


class _Filler:
    """A 200 MB body produced on the fly, so the test itself stays small."""

    def __init__(self, size):
        self.size = size
        self.prefix = soap.submit_request("<Message>").split(b"&lt;Message")[0]
        self.sent = 0

    def read(self, amount=65536):
        if self.sent >= self.size:
            return b""
        if self.sent == 0:
            chunk = self.prefix
        else:
            chunk = b"A" * min(amount, self.size - self.sent)
        self.sent += len(chunk)
        return chunk


def test_200_mb_body_gets_413_in_bounded_time_and_memory(target):
    node = target["node"]
    size = 200 * 1024 * 1024
    before_raw = node.state()["raw_count"]
    url = urllib.parse.urlsplit(node.url)
    connection = http.client.HTTPConnection(url.hostname, url.port, timeout=60)
    started = time.monotonic()
    connection.request(
        "POST",
        url.path,
        body=_Filler(size),
        headers={"Content-Type": soap.CONTENT_TYPE, "Content-Length": str(size)},
    )
    response = connection.getresponse()
    body = response.read()
    connection.close()
    assert response.status == 413
    assert b"Fault" in body
    assert time.monotonic() - started < 30
    assert node.state()["raw_count"] == before_raw + 1
    # The node drained the body in chunks: its peak resident memory stays far below
    # the 200 MB it was sent.
    assert node.peak_memory_kb() < 160 * 1024


def test_invalid_base64_is_a_schema_error(target):
    message = _registration(target)
    root = seos_xml.build(message)
    root.find(f".//{{{seos_xml.NS}}}AttBody").text = "!!!!not*base64"
    xmldsig.sign_enveloped(
        root,
        target["sender"].key_pem,
        target["sender"].cert_pem,
        c14n="inclusive",
        prefix=None,
    )
    response = _post(target, soap.submit_request(xmldsig.tostring(root)))
    _assert_error(target, response, Situation.SCHEMA, message.header.message_guid)


def test_missing_signature_is_e4(target):
    message = _registration(target)
    response = _post(target, soap.submit_request(seos_xml.to_bytes(message)))
    _assert_error(target, response, Situation.SIGNATURE, message.header.message_guid)


def test_broken_signature_is_e4(target):
    message = _registration(target)
    data = _signed(target, message).replace("ОБ-7".encode(), "ОБ-8".encode())
    response = _post(target, soap.submit_request(data))
    _assert_error(target, response, Situation.SIGNATURE, message.header.message_guid)


def test_certificate_that_is_not_the_senders_is_e5(target):
    message = _registration(target)
    # Signed with the inactive party's (valid, registered) key: not the sender's.
    data = _signed(target, message, target["inactive"])
    response = _post(target, soap.submit_request(data))
    _assert_error(target, response, Situation.CERTIFICATE, message.header.message_guid)


def test_unknown_sender_is_e7(target, tmp_path):
    stranger = Party(tmp_path, "Непознат", "191919191", 0x1309)
    message = _registration(target, sender=stranger)
    response = _post(target, soap.submit_request(_signed(target, message, stranger)))
    _assert_error(
        target, response, Situation.UNKNOWN_SENDER, message.header.message_guid
    )


def test_inactive_sender_is_e7(target):
    inactive = target["inactive"]
    message = _registration(target, sender=inactive)
    response = _post(target, soap.submit_request(_signed(target, message, inactive)))
    _assert_error(
        target, response, Situation.UNKNOWN_SENDER, message.header.message_guid
    )


def test_message_for_another_recipient_is_e6(target):
    message = _registration(target, recipient=target["inactive"])
    response = _post(target, soap.submit_request(_signed(target, message)))
    _assert_error(
        target, response, Situation.WRONG_RECIPIENT, message.header.message_guid
    )


def test_replayed_message_guid_with_new_content_is_e8(target):
    node = target["node"]
    first = _registration(target)
    accepted = requests.post(
        node.url, data=soap.submit_request(_signed(target, first)), timeout=30
    )
    assert _answer(target, accepted).body.status is DocumentStatus.WAIT_REGISTRATION
    replay = m.Message(first.header, _registration(target).body)
    response = _post(target, soap.submit_request(_signed(target, replay)))
    _assert_error(
        target, response, Situation.DUPLICATE_MESSAGE, first.header.message_guid
    )


def test_eicar_attachment_is_rejected_by_the_real_clamd(target):
    message = _registration(target, attachment=b"%PDF-1.4\n" + EICAR + b"\n%%EOF")
    response = _post(target, soap.submit_request(_signed(target, message)))
    answer = _answer(target, response)
    assert answer.body.status is DocumentStatus.REJECTED
    assert "Eicar-Test-Signature" in answer.body.rejection_reason
    assert answer.body.doc_id.guid == message.body.document.id.guid


def test_the_same_node_still_accepts_a_clean_document(target):
    # After the corpus the node works normally: the refusals left nothing behind.
    node = target["node"]
    message = _registration(target, attachment=base64.b64encode(b"clean"))
    response = requests.post(
        node.url, data=soap.submit_request(_signed(target, message)), timeout=30
    )
    assert _answer(target, response).body.status is DocumentStatus.WAIT_REGISTRATION
