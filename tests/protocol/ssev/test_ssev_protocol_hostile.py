"""Bad input of issue 8 over real HTTP against the sandbox: each case is a typed
error with a clear message, nothing is sent twice and nothing is opened by mistake."""

import pytest
import requests
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
    Recipient,
    ServiceFault,
    SsevError,
    mtom,
)
from lxml import etree
from ssev_testlib import (
    CITIZEN_EGN,
    CLOSED_COMPANY_EIK,
    COMPANY_EIK,
    MUNICIPALITY_EIK,
    UNKNOWN_EIK,
)

LETTER = OutgoingMessage(title="Писмо", text="Текст")


def _sends(ssev_sandbox):
    return ssev_sandbox.state()["requests"].get("SendMessage", 0)


def _inject(ssev_sandbox, title="Заявление"):
    return ssev_sandbox.control(
        "messages",
        {"from": CITIZEN_EGN, "to": MUNICIPALITY_EIK, "title": title, "text": "т"},
    )["id"]


@pytest.mark.parametrize("eik", [UNKNOWN_EIK, CLOSED_COMPANY_EIK])
def test_unknown_deactivated_or_profileless_company(
    ssev_http_client, ssev_sandbox, eik
):
    with pytest.raises(NotRegisteredError, match="no activated e-Delivery profile"):
        ssev_http_client.send(LETTER, Recipient(ProfileType.LEGAL_PERSON, eik))
    assert _sends(ssev_sandbox) == 0 and ssev_sandbox.state()["messages"] == []


def test_unknown_institution_refused_by_the_service_keeps_its_text(
    ssev_http_client, ssev_sandbox
):
    with pytest.raises(NotRegisteredError) as caught:
        ssev_http_client.send(
            LETTER,
            Recipient(ProfileType.INSTITUTION, UNKNOWN_EIK),
            require_registration=False,
        )
    assert "does not exist or is deactivated" in caught.value.service_text
    assert ssev_sandbox.state()["messages"] == []


@pytest.mark.parametrize("identifier", ["1215811%", "12158113_", "%"])
def test_identifier_with_wildcards_never_leaves(
    ssev_http_client, ssev_sandbox, identifier
):
    with pytest.raises(IdentifierError):
        ssev_http_client.check_legal_entity(identifier)
    with pytest.raises(IdentifierError):
        ssev_http_client.send(LETTER, Recipient(ProfileType.LEGAL_PERSON, identifier))
    assert ssev_sandbox.state()["requests"] == {}


@pytest.mark.parametrize(
    ("message", "error", "text"),
    [
        (
            OutgoingMessage(title="Я" * 256, text="т"),
            InvalidMessageError,
            "256 characters",
        ),
        (
            OutgoingMessage(
                title="Т",
                documents=tuple(OutgoingDocument(f"{i}.pdf", b"x") for i in range(11)),
            ),
            LimitExceededError,
            "11 files",
        ),
        (
            OutgoingMessage(
                title="Т", documents=(OutgoingDocument("a.pdf", b"x" * 10_240_001),)
            ),
            LimitExceededError,
            "bytes",
        ),
        (
            OutgoingMessage(title="Т", documents=(OutgoingDocument("заповед", b"x"),)),
            InvalidMessageError,
            "extension",
        ),
    ],
)
def test_bad_messages_are_refused_before_sending(
    ssev_http_client, ssev_sandbox, message, error, text
):
    with pytest.raises(error, match=text):
        ssev_http_client.send(message, Recipient(ProfileType.LEGAL_PERSON, COMPANY_EIK))
    assert ssev_sandbox.state()["requests"] == {}


@pytest.mark.parametrize("cert", ["stranger", "expired"])
def test_wrong_or_expired_certificate(ssev_http_make_client, ssev_sandbox, cert):
    with pytest.raises(AuthenticationError) as caught:
        ssev_http_make_client(cert=cert).check_legal_entity(COMPANY_EIK)
    assert caught.value.service_text == "Invalid client certificate"


def test_unsigned_request_is_refused_by_the_sandbox(ssev_sandbox):
    envelope = etree.fromstring(
        b'<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body>'
        b'<GetRegisteredInstitutions xmlns="https://edelivery.egov.bg/services/integration"/>'
        b"</s:Body></s:Envelope>"
    )
    body, content_type = mtom.pack(envelope)
    response = requests.post(
        ssev_sandbox.url, data=body, headers={"Content-Type": content_type}, timeout=5
    )
    assert response.status_code == 500
    assert b"verifying security" in response.content


def test_plain_soap_without_mtom_gets_415(ssev_sandbox):
    response = requests.post(
        ssev_sandbox.url, data=b"<x/>", headers={"Content-Type": "text/xml"}, timeout=5
    )
    assert response.status_code == 415


def test_fault_in_the_middle_of_a_paged_list(ssev_http_client, ssev_sandbox):
    for i in range(3):
        _inject(ssev_sandbox, f"З{i}")
    ssev_sandbox.control(
        "faults",
        {
            "operation": "GetReceivedMessagesListPaged",
            "skip": 1,
            "text": "Service busy",
        },
    )
    first = ssev_http_client.received_messages(page=1, page_size=2)
    assert len(first.items) == 2 and first.has_more
    with pytest.raises(ServiceFault) as caught:
        ssev_http_client.received_messages(page=2, page_size=2)
    assert caught.value.service_text == "Service busy"
    assert [m["date_received"] for m in ssev_sandbox.state()["messages"]] == [None] * 3


def test_malformed_mtom_answer(ssev_http_client, ssev_sandbox):
    message_id = _inject(ssev_sandbox)
    ssev_sandbox.control(
        "faults",
        {"operation": "GetReceivedMessagesListPaged", "kind": "malformed_mtom"},
    )
    with pytest.raises(MalformedResponseError):
        ssev_http_client.received_messages()
    assert ssev_sandbox.message(message_id)["date_received"] is None


def test_timeout_after_the_request_was_sent_is_not_resent(
    ssev_http_make_client, ssev_sandbox
):
    ssev_http_client = ssev_http_make_client(timeout=1)
    ssev_sandbox.control(
        "faults", {"operation": "SendMessage", "kind": "delay", "delay": 3}
    )
    with pytest.raises(TransportError) as caught:
        ssev_http_client.send(LETTER, Recipient(ProfileType.LEGAL_PERSON, COMPANY_EIK))
    assert caught.value.timeout and "may have been processed" in str(caught.value)
    # The service acted on it: one request, one message, and no second attempt.
    assert _sends(ssev_sandbox) == 1 and len(ssev_sandbox.state()["messages"]) == 1


def test_service_unavailable_is_retryable_not_a_timeout(ssev_http_client, ssev_sandbox):
    ssev_sandbox.control(
        "faults", {"operation": "GetRegisteredInstitutions", "kind": "http500"}
    )
    with pytest.raises(TransportError) as caught:
        ssev_http_client.institutions()
    assert caught.value.retryable and not caught.value.timeout


def test_unreachable_service_is_a_refusal_not_a_timeout(
    ssev_http_make_client, ssev_sandbox
):
    # Port 9 (discard) on loopback: nothing listens, the connection is refused.
    ssev_http_client = ssev_http_make_client(
        endpoint="http://127.0.0.1:9/Services/EDeliveryIntegrationService.svc"
    )
    with pytest.raises(TransportError) as caught:
        ssev_http_client.institutions()
    assert not caught.value.timeout


def test_status_call_never_opens_a_received_message(ssev_http_client, ssev_sandbox):
    message_id = _inject(ssev_sandbox)
    ssev_http_client.received_messages()
    with pytest.raises(SsevError, match="would open it"):
        ssev_http_client.sent_message_status(message_id)
    assert ssev_sandbox.message(message_id)["date_received"] is None


def test_reply_to_a_message_we_did_not_receive(ssev_http_client, ssev_sandbox):
    sent = ssev_http_client.send(
        LETTER, Recipient(ProfileType.LEGAL_PERSON, COMPANY_EIK)
    )
    with pytest.raises(ServiceFault) as caught:
        ssev_http_client.reply(
            OutgoingMessage(title="Отговор", text="т"), sent.message_id
        )
    assert caught.value.service_text == "Can't reply to this message!"
