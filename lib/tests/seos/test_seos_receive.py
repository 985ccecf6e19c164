"""The receiving pipeline: every check, in the reference's order, with its answer."""

import datetime

import pytest
from seos_fixtures import MINISTRY, MUNICIPALITY, full_document

from bg_egov import safexml, xmldsig
from bg_egov.malware import MalwareScanner, ScanError, ScanResult
from bg_egov.seos import messages as m
from bg_egov.seos import soap
from bg_egov.seos import xml as seos_xml
from bg_egov.seos.codes import DocumentStatus, ErrorKind, ParticipantStatus, Situation
from bg_egov.seos.receive import Identity, Limits, Participant, receive
from bg_egov.seos.store import MemoryBackend

NOW = datetime.datetime(2026, 6, 1, tzinfo=datetime.timezone.utc)


@pytest.fixture
def parties(certificate_factory, signer):
    """We are the ministry; the municipality sends to us."""
    sender_key, sender_cert = signer
    our_key, our_cert = certificate_factory("Министерство SEOS", serial=0xBEEF)
    municipality = Participant(
        MUNICIPALITY.guid,
        MUNICIPALITY.identifier,
        MUNICIPALITY.name,
        certificate_serial=0xC0FFEE,
    )
    ministry = Participant(
        MINISTRY.guid, MINISTRY.identifier, MINISTRY.name, certificate_serial=0xBEEF
    )
    backend = MemoryBackend([municipality, ministry])
    identity = Identity(MINISTRY, our_key, our_cert)
    return {
        "backend": backend,
        "identity": identity,
        "sender_key": sender_key,
        "sender_cert": sender_cert,
        "our_cert": our_cert,
    }


def _registration(**doc):
    return m.Message.new(
        MUNICIPALITY, MINISTRY, m.RegistrationRequest(full_document(**doc), "СЕОС")
    )


def _send(parties, message=None, *, data=None, scanner=None, limits=None, key=None):
    if data is None:
        data = seos_xml.sign(
            message, key or parties["sender_key"], parties["sender_cert"]
        )
    request = soap.submit_request(data)
    receipt = receive(
        request,
        identity=parties["identity"],
        backend=parties["backend"],
        scanner=scanner,
        limits=limits,
        now=NOW,
    )
    return receipt, data


def _answer(receipt):
    text = soap.read_submit_response(receipt.body, max_bytes=10**8)
    if not text:
        return None, None
    return seos_xml.loads(text)


def test_new_document_is_answered_wait_registration(parties):
    message = _registration()
    receipt, _ = _send(parties, message)
    answer, info = _answer(receipt)
    assert receipt.outcome == "accepted"
    assert answer.body.status is DocumentStatus.WAIT_REGISTRATION
    assert answer.body.doc_id.guid == message.body.document.id.guid
    assert answer.header.sender == MINISTRY
    assert answer.header.recipient == MUNICIPALITY
    assert info.serial_number == 0xBEEF
    assert len(parties["backend"].incoming) == 1


def test_raw_request_is_stored_before_any_check(parties):
    receipt, _ = _send(parties, data=b"not xml at all")
    assert receipt.outcome == "fault"
    assert receipt.http_status == 500
    assert b"not xml at all" in parties["backend"].raw[0]


def test_identical_retry_gets_the_same_answer_and_no_second_document(parties):
    message = _registration()
    data = seos_xml.sign(message, parties["sender_key"], parties["sender_cert"])
    first, _ = _send(parties, data=data)
    again, _ = _send(parties, data=data)
    assert again.outcome == "replayed"
    assert again.body == first.body
    assert len(parties["backend"].incoming) == 1


def test_same_document_in_a_new_message_is_already_received(parties):
    _send(parties, _registration())
    receipt, _ = _send(parties, _registration())
    answer, _ = _answer(receipt)
    assert receipt.outcome == "already_received"
    assert answer.body.status is DocumentStatus.ALREADY_RECEIVED
    assert len(parties["backend"].incoming) == 1


def test_same_document_after_registration_gets_its_current_status(parties):
    _send(parties, _registration())
    backend = parties["backend"]
    doc_guid = full_document().id.guid
    registered = backend.documents[(MUNICIPALITY.guid, doc_guid)]
    backend.set_state(
        MUNICIPALITY.guid,
        doc_guid,
        type(registered)(
            m.DocumentId(
                doc_guid, number=m.DocumentNumber("МТ-1", datetime.date(2026, 6, 1))
            ),
            DocumentStatus.REGISTERED,
        ),
    )
    receipt, _ = _send(parties, _registration())
    answer, _ = _answer(receipt)
    assert answer.body.status is DocumentStatus.REGISTERED
    assert answer.body.doc_id.number.number == "МТ-1"


def _error_of(receipt):
    answer, _ = _answer(receipt)
    assert answer.header.message_type.value == "MSG_Error"
    return answer


def test_message_for_another_recipient_is_e6_in_our_own_name(parties):
    other = m.Entity("999999999", "Друг", "{44444444-4444-4444-4444-444444444444}")
    message = m.Message.new(
        MUNICIPALITY, other, m.RegistrationRequest(full_document(), "")
    )
    receipt, _ = _send(parties, message)
    answer = _error_of(receipt)
    assert receipt.situation is Situation.WRONG_RECIPIENT
    assert answer.header.sender == MINISTRY
    assert answer.body.kind is ErrorKind.EXTERNAL
    assert answer.body.message_guid == message.header.message_guid
    assert parties["backend"].incoming == {}


def test_unknown_sender_is_e7(parties):
    stranger = m.Entity(
        "888888888", "Непознат", "{55555555-5555-5555-5555-555555555555}"
    )
    message = m.Message.new(
        stranger, MINISTRY, m.RegistrationRequest(full_document(), "")
    )
    receipt, _ = _send(parties, message)
    _error_of(receipt)
    assert receipt.situation is Situation.UNKNOWN_SENDER


def test_inactive_sender_is_e7(parties):
    backend = parties["backend"]
    active = backend.participants[MUNICIPALITY.guid]
    backend.participants[MUNICIPALITY.guid] = Participant(
        active.guid,
        active.identifier,
        active.name,
        status=ParticipantStatus.TEMPORARILY_INACTIVE,
        certificate_serial=active.certificate_serial,
    )
    receipt, _ = _send(parties, _registration())
    assert receipt.situation is Situation.UNKNOWN_SENDER


def test_broken_signature_is_e4(parties):
    data = seos_xml.sign(_registration(), parties["sender_key"], parties["sender_cert"])
    receipt, _ = _send(parties, data=data.replace("Писмо".encode(), "Жалба".encode()))
    _error_of(receipt)
    assert receipt.situation is Situation.SIGNATURE


def test_unsigned_message_is_e4(parties):
    receipt, _ = _send(parties, data=seos_xml.to_bytes(_registration()))
    assert receipt.situation is Situation.SIGNATURE


def test_certificate_that_is_not_the_senders_is_e5(parties, other_signer):
    data = seos_xml.sign(_registration(), *other_signer)
    receipt, _ = _send(parties, data=data)
    _error_of(receipt)
    assert receipt.situation is Situation.CERTIFICATE


def test_expired_certificate_is_refused(parties, certificate_factory):
    key, cert = certificate_factory("Стар", serial=0xC0FFEE, days=30)
    receipt, _ = _send(parties, data=seos_xml.sign(_registration(), key, cert))
    assert receipt.situation is Situation.SIGNATURE


def test_replayed_guid_with_other_content_is_e8(parties):
    first = _registration()
    _send(parties, first)
    doc = full_document(id=m.DocumentId(m.new_guid()))
    second = m.Message(first.header, m.RegistrationRequest(doc, "друго съдържание"))
    receipt, _ = _send(parties, second)
    _error_of(receipt)
    assert receipt.situation is Situation.DUPLICATE_MESSAGE
    assert len(parties["backend"].incoming) == 1


def test_schema_violation_with_readable_header_is_e2(parties):
    data = seos_xml.sign(_registration(), parties["sender_key"], parties["sender_cert"])
    data = data.replace(b"<DocKind>", b"<DocSort>").replace(
        b"</DocKind>", b"</DocSort>"
    )
    receipt, _ = _send(parties, data=data)
    _error_of(receipt)
    assert receipt.situation is Situation.SCHEMA


def test_invalid_base64_is_e2(parties):
    root = seos_xml.build(_registration())
    root.find(f".//{{{seos_xml.NS}}}AttBody").text = "!!!!"
    xmldsig.sign_enveloped(
        root, parties["sender_key"], parties["sender_cert"], c14n="inclusive"
    )
    receipt, _ = _send(parties, data=xmldsig.tostring(root))
    assert receipt.situation is Situation.SCHEMA


@pytest.mark.parametrize(
    "data",
    [
        b'<?xml version="1.0"?><!DOCTYPE m [<!ENTITY a "aaaa">]><m>&a;</m>',
        b"<Message xmlns='http://schemas.egov.bg/messaging/v1'><Header>",
    ],
    ids=["dtd", "not well-formed"],
)
def test_unreadable_message_is_a_soap_fault(parties, data):
    receipt, _ = _send(parties, data=data)
    assert receipt.http_status == 500
    assert receipt.outcome == "fault"
    with pytest.raises(Exception) as info:
        soap.read_submit_response(receipt.body, max_bytes=10**6)
    assert getattr(info.value, "code", None) == "soap_fault"


def test_request_above_the_limit_is_refused_before_parsing(parties):
    receipt, _ = _send(parties, _registration(), limits=Limits(max_request_bytes=1000))
    assert receipt.http_status == 413


def test_attachment_above_the_limit_is_rejected_with_a_reason(parties):
    receipt, _ = _send(parties, _registration(), limits=Limits(max_attachment_bytes=4))
    answer, _ = _answer(receipt)
    assert receipt.outcome == "rejected"
    assert answer.body.status is DocumentStatus.REJECTED
    assert "размер" in answer.body.rejection_reason
    assert parties["backend"].incoming == {}


class _Verdicts(MalwareScanner):
    def __init__(self, result=None, error=None):
        self.result, self.error, self.names = result, error, []

    def scan(self, data, *, name=None):
        self.names.append(name)
        if self.error:
            raise self.error
        return self.result


def test_malware_is_rejected_and_not_stored_as_a_document(parties):
    scanner = _Verdicts(ScanResult(clean=False, signature="Eicar-Signature"))
    receipt, _ = _send(parties, _registration(), scanner=scanner)
    answer, _ = _answer(receipt)
    assert answer.body.status is DocumentStatus.REJECTED
    assert "Eicar-Signature" in answer.body.rejection_reason
    assert scanner.names == ["писмо.pdf"]
    assert parties["backend"].incoming == {}


def test_scanner_failure_is_our_internal_error(parties):
    scanner = _Verdicts(error=ScanError("clamd down"))
    receipt, _ = _send(parties, _registration(), scanner=scanner)
    answer = _error_of(receipt)
    assert answer.body.kind is ErrorKind.INTERNAL
    assert "clamd" not in answer.body.description
    assert parties["backend"].incoming == {}


def test_status_request_from_the_sender_and_from_someone_else(parties):
    message = _registration()
    _send(parties, message)
    doc_id = m.DocumentId(message.body.document.id.guid)
    receipt, _ = _send(
        parties, m.Message.new(MUNICIPALITY, MINISTRY, m.StatusRequest(doc_id))
    )
    answer, _ = _answer(receipt)
    assert answer.body.status is DocumentStatus.WAIT_REGISTRATION
    unknown = m.DocumentId(m.new_guid())
    receipt, _ = _send(
        parties, m.Message.new(MUNICIPALITY, MINISTRY, m.StatusRequest(unknown))
    )
    answer, _ = _answer(receipt)
    assert answer.body.status is DocumentStatus.NOT_FOUND


def test_async_status_response_about_our_document_gets_an_empty_answer(parties):
    backend = parties["backend"]
    doc_guid = m.new_guid()
    backend.expect(doc_guid)
    registered = m.StatusResponse(
        m.DocumentId(doc_guid, number=m.DocumentNumber("ОБ-5", datetime.date.today())),
        DocumentStatus.REGISTERED,
    )
    receipt, _ = _send(parties, m.Message.new(MUNICIPALITY, MINISTRY, registered))
    assert receipt.outcome == "status_applied"
    assert _answer(receipt) == (None, None)
    assert backend.sent[doc_guid] == [registered]


def test_async_status_response_about_an_unknown_document_is_e11(parties):
    response = m.StatusResponse(m.DocumentId(m.new_guid()), DocumentStatus.REJECTED)
    receipt, _ = _send(parties, m.Message.new(MUNICIPALITY, MINISTRY, response))
    _error_of(receipt)
    assert receipt.situation is Situation.DOCUMENT_NOT_FOUND


def test_async_error_is_applied_with_an_empty_answer(parties):
    report = m.ErrorReport(ErrorKind.EXTERNAL, "грешка", m.new_guid())
    receipt, _ = _send(parties, m.Message.new(MUNICIPALITY, MINISTRY, report))
    assert receipt.outcome == "error_applied"
    assert parties["backend"].errors == [report]


def test_every_answer_validates_against_the_official_schema(parties, official_schema):
    receipts = [_send(parties, _registration())[0]]
    receipts.append(_send(parties, data=seos_xml.to_bytes(_registration()))[0])
    for receipt in receipts:
        text = soap.read_submit_response(receipt.body, max_bytes=10**8)
        root = safexml.parse(seos_xml.text_to_bytes(text))
        assert official_schema.validate(root), official_schema.error_log


def test_guids_in_upper_case_from_a_peer_are_understood(parties):
    root = seos_xml.build(_registration())
    for element in root.iter():
        if element.text and element.text.startswith("{"):
            element.text = element.text.upper()
    xmldsig.sign_enveloped(
        root,
        parties["sender_key"],
        parties["sender_cert"],
        c14n="inclusive",
        prefix=None,
    )
    receipt, _ = _send(parties, data=xmldsig.tostring(root))
    assert receipt.outcome == "accepted"
    answer, _ = _answer(receipt)
    assert answer.body.doc_id.guid == full_document().id.guid


def test_request_that_cannot_be_stored_is_not_processed(parties):
    backend = parties["backend"]

    def broken_store(data, *, received_at):
        raise OSError("disk full")

    backend.store_raw = broken_store
    receipt, _ = _send(parties, _registration())
    assert receipt.http_status == 500
    assert receipt.situation is Situation.INTERNAL
    assert b"disk" not in receipt.body
    assert backend.incoming == {}
