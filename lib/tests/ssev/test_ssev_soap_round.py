"""The SOAP adapter against the sandbox, in-process: the round of the issue, every
request validated against the contract snapshot's schemas."""

import hashlib

import pytest
import ssev_contract
from lxml import etree
from ssev_testlib import (
    CITIZEN_EGN,
    CLERK_EGN,
    COMPANY_EIK,
    MUNICIPALITY_EIK,
    payload_names,
)

from bg_egov.ssev import (
    OutgoingDocument,
    OutgoingMessage,
    ProfileType,
    Recipient,
)
from bg_egov.ssev.timestamp import stamped_digest

LETTER = OutgoingMessage(
    title="Уведомление за акт",
    text="Приложено е уведомлението.",
    documents=(OutgoingDocument("уведомление.pdf", b"%PDF-1.7 test", "РД-12-34"),),
)


@pytest.fixture(scope="module")
def ssev_validator():
    return ssev_contract.ContractValidator()


def _round(ssev_client, ssev_service):
    registration = ssev_client.check_legal_entity(COMPANY_EIK)
    sent = ssev_client.send(LETTER, Recipient(ProfileType.LEGAL_PERSON, COMPANY_EIK))
    before = ssev_client.sent_message_status(sent.message_id)
    ssev_service.open(sent.message_id, "Управител")
    after = ssev_client.sent_message_status(sent.message_id)
    incoming = ssev_service.inject(
        {
            "from": CITIZEN_EGN,
            "to": MUNICIPALITY_EIK,
            "title": "Заявление",
            "text": "Моля за удостоверение.",
            "documents": [{"name": "заявление.pdf", "content_b64": "JVBERi0x"}],
        }
    )
    page = ssev_client.received_messages()
    opened = ssev_client.open_received_message(incoming["id"])
    reply = ssev_client.reply(
        OutgoingMessage(title="Вх. № 94-00-1", text="Регистрирано."), incoming["id"]
    )
    return registration, sent, before, after, page, opened, reply


def test_full_round_returns_typed_results(ssev_client, ssev_service):
    registration, sent, before, after, page, opened, reply = _round(
        ssev_client, ssev_service
    )
    assert registration.registered and registration.name == "Фирма ЕООД"
    assert sent.recipient == COMPANY_EIK and sent.message_id > 0
    assert before.sent_at is not None and not before.delivered
    assert before.documents[0].registration_number == "РД-12-34"
    assert (
        stamped_digest(before.documents[0].time_stamp.data)
        == hashlib.sha256(b"%PDF-1.7 test").digest()
    )
    assert before.nro is not None and before.summary.data.startswith(b"<Message>")
    assert after.delivered and after.delivered_at >= after.sent_at
    assert after.recipients[0].opened_by.name == "Управител"
    assert [i.message_id for i in page.items] == [opened.message_id]
    assert page.items[0].opened_at is None
    assert opened.opened_at is not None and opened.nrd is not None
    assert opened.documents[0].content == b"%PDF-1"
    assert opened.opened_by.name == "Мария Петрова"  # the operator ЕГН's login
    replies = [m for m in ssev_service.state()["messages"] if m["reply_to"]]
    assert replies == [{**replies[0], "id": reply.message_id, "recipient": CITIZEN_EGN}]


def test_every_request_validates_against_the_contract(
    ssev_client, ssev_service, ssev_adapter, ssev_validator
):
    _round(ssev_client, ssev_service)
    ssev_client.check_person(CITIZEN_EGN)
    ssev_client.check_subject(MUNICIPALITY_EIK)
    ssev_client.institutions()
    assert set(payload_names(ssev_adapter)) >= {
        "CheckLegalPersonHasRegistration",
        "CheckPersonHasRegistration",
        "CheckSubjectHasRegistration",
        "GetRegisteredInstitutions",
        "SendMessage",
        "GetSentMessageStatus",
        "GetReceivedMessagesListPaged",
        "GetReceivedMessageContent",
        "SendMessageInReplyTo",
    }
    in_snapshot = [ssev_validator.validate(p) for p in ssev_adapter.payloads]
    assert any(in_snapshot)  # SendMessage and the lists: the unchanged snapshot


def test_operator_egn_travels_on_every_call_that_takes_it(
    ssev_client, ssev_service, ssev_adapter
):
    _round(ssev_client, ssev_service)
    for payload in ssev_adapter.payloads:
        names = {etree.QName(c).localname: c.text for c in payload}
        if "operatorEGN" in names:
            assert names["operatorEGN"] == CLERK_EGN, etree.QName(payload).localname


def test_sandbox_answers_validate_against_the_contract(
    ssev_service, ssev_validator, ssev_client, ssev_adapter
):
    responses = []
    original = ssev_service.handle_soap

    def recording(envelope):
        operation, payload = original(envelope)
        responses.append(payload)
        return operation, payload

    ssev_service.handle_soap = recording
    _round(ssev_client, ssev_service)
    ssev_client.institutions()
    for payload in responses:
        ssev_validator.validate(payload)
    assert len(responses) >= 8


def test_access_code_send_needs_the_operators_permission(
    ssev_client, ssev_service, ssev_adapter
):
    from bg_egov.ssev import AccessCodeNotAllowedError, AccessCodeRecipient

    person = AccessCodeRecipient(
        identifier=CITIZEN_EGN,
        first_name="Иван",
        last_name="Иванов",
        email="ivan@example.bg",
        phone="+359888000000",
    )
    with pytest.raises(AccessCodeNotAllowedError):
        ssev_client.send_with_access_code(LETTER, person)
    ssev_service.profiles[0].access_code_allowed = True
    sent = ssev_client.send_with_access_code(LETTER, person)
    assert sent.recipient == CITIZEN_EGN
    ssev_contract.ContractValidator().validate(ssev_adapter.payloads[-1])


def test_unregistered_person_may_be_addressed_for_a_passive_profile(
    ssev_client, ssev_service
):
    stranger = "8001010008"  # a valid ЕГН with no profile in the sandbox
    sent = ssev_client.send(
        LETTER,
        Recipient(ProfileType.PERSON, stranger, email="new@example.bg"),
        require_registration=False,
    )
    stored = ssev_service.state()["messages"][-1]
    assert stored["id"] == sent.message_id and stored["recipient_passive"]
