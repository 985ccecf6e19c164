"""Checks made before anything is sent, fault mapping, timeouts, push hints."""

import pytest
import requests
from ssev_testlib import (
    CITIZEN_EGN,
    CLOSED_COMPANY_EIK,
    COMPANY_EIK,
    UNKNOWN_EIK,
    payload_names,
)

from bg_egov.errors import IdentifierError, TransportError
from bg_egov.ssev import (
    AuthenticationError,
    InvalidMessageError,
    LimitExceededError,
    MalformedResponseError,
    NotRegisteredError,
    OutgoingDocument,
    OutgoingMessage,
    ProfileType,
    PushEvent,
    Recipient,
    ServiceFault,
    SsevError,
    TemplateNotSupportedError,
    parse_push_notification,
)
from bg_egov.ssev.errors import fault_to_error

TO_COMPANY = Recipient(ProfileType.LEGAL_PERSON, COMPANY_EIK)


def _message(**kwargs):
    kwargs.setdefault("title", "Писмо")
    kwargs.setdefault("text", "Текст")
    return OutgoingMessage(**kwargs)


@pytest.mark.parametrize("identifier", ["12158113%", "1215811_6", "%", "121 581 13_"])
def test_wildcards_never_reach_the_service(ssev_client, ssev_adapter, identifier):
    for call in (
        ssev_client.check_legal_entity,
        ssev_client.check_subject,
        ssev_client.check_person,
    ):
        with pytest.raises(IdentifierError):
            call(identifier)
    with pytest.raises(IdentifierError):
        ssev_client.send(_message(), Recipient(ProfileType.LEGAL_PERSON, identifier))
    assert ssev_adapter.payloads == []


@pytest.mark.parametrize(
    ("message", "error"),
    [
        (_message(title="Я" * 256), InvalidMessageError),
        (_message(title="  "), InvalidMessageError),
        (_message(text="", documents=()), InvalidMessageError),
        (_message(documents=(OutgoingDocument("договор", b"x"),)), InvalidMessageError),
        (
            _message(documents=(OutgoingDocument("../a.pdf", b"x"),)),
            InvalidMessageError,
        ),
        (_message(documents=(OutgoingDocument("a.pdf", b""),)), InvalidMessageError),
        (
            _message(documents=(OutgoingDocument("a.pdf", b"x", "№" * 256),)),
            InvalidMessageError,
        ),
        (
            _message(
                documents=tuple(OutgoingDocument(f"{i}.pdf", b"x") for i in range(11))
            ),
            LimitExceededError,
        ),
        (
            _message(documents=(OutgoingDocument("a.pdf", b"x" * (10_240_001)),)),
            LimitExceededError,
        ),
        (
            _message(
                documents=(
                    OutgoingDocument("a.pdf", b"x" * 6_000_000),
                    OutgoingDocument("b.pdf", b"x" * 6_000_000),
                )
            ),
            LimitExceededError,
        ),
    ],
)
def test_messages_the_service_would_refuse_are_not_sent(
    ssev_client, ssev_adapter, message, error
):
    with pytest.raises(error):
        ssev_client.send(message, TO_COMPANY)
    assert ssev_adapter.payloads == []


def test_title_of_255_characters_is_accepted(ssev_client):
    assert ssev_client.send(_message(title="Я" * 255), TO_COMPANY).message_id


def test_unregistered_or_deactivated_addressee_is_refused_before_sending(
    ssev_client, ssev_adapter
):
    for eik in (UNKNOWN_EIK, CLOSED_COMPANY_EIK):
        with pytest.raises(NotRegisteredError):
            ssev_client.send(_message(), Recipient(ProfileType.LEGAL_PERSON, eik))
    assert "SendMessage" not in payload_names(ssev_adapter)


def test_service_refusal_of_an_unknown_entity_is_typed_and_keeps_the_text(ssev_client):
    with pytest.raises(NotRegisteredError) as caught:
        ssev_client.send(
            _message(),
            Recipient(ProfileType.LEGAL_PERSON, UNKNOWN_EIK),
            require_registration=False,
        )
    assert caught.value.service_text == (
        "The requested receiver profile does not exist or is deactivated!"
    )


def test_unknown_certificate_is_an_authentication_error(
    ssev_make_client, ssev_stranger_cert
):
    with pytest.raises(AuthenticationError) as caught:
        ssev_make_client(cert=ssev_stranger_cert).check_person(CITIZEN_EGN)
    assert "Invalid client certificate" in caught.value.service_text


def test_unknown_operator_is_an_authentication_error(ssev_make_client):
    with pytest.raises(AuthenticationError):
        ssev_make_client(operator_egn=CITIZEN_EGN).received_messages()


def test_operator_egn_is_validated_when_the_client_is_built(ssev_make_client):
    with pytest.raises(IdentifierError):
        ssev_make_client(operator_egn="80010100%")


@pytest.mark.parametrize(
    ("text", "cls"),
    [
        (
            "The requested receiver profile does not exist or is deactivated!",
            NotRegisteredError,
        ),
        (
            "This integrations works with messages with templateId = 1",
            TemplateNotSupportedError,
        ),
        ("Invalid client certificate", AuthenticationError),
        ("Attempted to perform an unauthorized operation.", AuthenticationError),
        (
            "Document name with extension is missing or in invalid format",
            InvalidMessageError,
        ),
        ("Something else entirely", ServiceFault),
    ],
)
def test_fault_texts_map_to_typed_errors(text, cls):
    error = fault_to_error(text)
    assert type(error) is cls
    assert error.service_text == text and text in str(error)


def test_timeout_after_sending_is_a_timeout_and_is_not_retried(
    ssev_client, ssev_adapter
):
    ssev_adapter.raise_on_send = requests.exceptions.ReadTimeout()
    with pytest.raises(TransportError) as caught:
        ssev_client.institutions()
    assert caught.value.timeout and caught.value.retryable


def test_refused_connection_is_not_a_timeout(ssev_client, ssev_adapter):
    ssev_adapter.raise_on_send = requests.exceptions.ConnectionError("refused")
    with pytest.raises(TransportError) as caught:
        ssev_client.institutions()
    assert not caught.value.timeout


def test_fault_in_the_middle_of_a_paged_list(ssev_client, ssev_service):
    for i in range(3):
        ssev_service.inject(
            {"from": CITIZEN_EGN, "to": "000696327", "title": f"З{i}", "text": "т"}
        )
    ssev_service.add_fault(
        {"operation": "GetReceivedMessagesListPaged", "skip": 1, "text": "Boom"}
    )
    first = ssev_client.received_messages(page=1, page_size=2)
    assert first.has_more and len(first.items) == 2
    with pytest.raises(ServiceFault) as caught:
        ssev_client.received_messages(page=2, page_size=2)
    assert caught.value.service_text == "Boom"
    assert all(m["date_received"] is None for m in ssev_service.state()["messages"])


def test_malformed_mtom_answer_is_typed(ssev_client, ssev_service):
    ssev_service.add_fault(
        {"operation": "GetRegisteredInstitutions", "kind": "malformed_mtom"}
    )
    with pytest.raises(MalformedResponseError):
        ssev_client.institutions()


def test_status_of_a_received_message_is_refused_so_it_is_not_opened(
    ssev_client, ssev_service
):
    incoming = ssev_service.inject(
        {"from": CITIZEN_EGN, "to": "000696327", "title": "З", "text": "т"}
    )
    ssev_client.received_messages()
    with pytest.raises(SsevError) as caught:
        ssev_client.sent_message_status(incoming["id"])
    assert caught.value.code == "received_message"
    assert ssev_service.state()["messages"][0]["date_received"] is None


def test_listing_received_messages_opens_nothing(ssev_client, ssev_service):
    ssev_service.inject(
        {"from": CITIZEN_EGN, "to": "000696327", "title": "З", "text": "т"}
    )
    page = ssev_client.received_messages()
    assert page.total == 1 and page.items[0].title.endswith("З")
    assert ssev_service.state()["messages"][0]["date_received"] is None


def test_push_notification_is_parsed_as_a_hint():
    push = parse_push_notification(b'{"EventType":"Delivered","MessageId":1042}')
    assert push.event is PushEvent.DELIVERED and push.message_id == 1042


@pytest.mark.parametrize(
    "body",
    [
        b"",
        b"[]",
        b'{"EventType":"Hacked","MessageId":1}',
        b'{"EventType":"Received"}',
        b'{"EventType":"Received","MessageId":true}',
    ],
)
def test_anything_else_is_not_a_push_notification(body):
    with pytest.raises(MalformedResponseError):
        parse_push_notification(body)
