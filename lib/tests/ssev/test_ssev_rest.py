"""The REST adapter against the sandbox's REST shapes, in-process."""

import pytest
from ssev_testlib import CITIZEN_EGN, COMPANY_EIK, MUNICIPALITY_EIK

from bg_egov.ssev import (
    NotRegisteredError,
    OutgoingDocument,
    OutgoingMessage,
    ProfileType,
    Recipient,
    SsevError,
)
from bg_egov.ssev.rest import RestClient


@pytest.fixture
def ssev_rest(ssev_adapter, ssev_service):
    import requests

    ssev_service.base_url = "http://sandbox.invalid"
    session = requests.Session()
    session.mount("http://sandbox.invalid", ssev_adapter)
    return RestClient(
        base_url="http://sandbox.invalid",
        token_url="http://sandbox.invalid/token",
        client_id="obshtina-testovo",
        scope="edelivery",
        session=session,
        timeout=5,
    )


def test_rest_round(ssev_rest, ssev_service):
    assert ssev_rest.check_legal_entity(COMPANY_EIK).registered
    sent = ssev_rest.send(
        OutgoingMessage(
            title="Писмо",
            text="Текст",
            documents=(OutgoingDocument("a.pdf", b"%PDF-1", "РД-1"),),
        ),
        Recipient(ProfileType.LEGAL_PERSON, COMPANY_EIK),
    )
    assert not ssev_rest.sent_message_status(sent.message_id).delivered
    ssev_service.open(sent.message_id, "Управител")
    assert ssev_rest.sent_message_status(sent.message_id).delivered
    incoming = ssev_service.inject(
        {
            "from": CITIZEN_EGN,
            "to": MUNICIPALITY_EIK,
            "title": "З",
            "text": "т",
            "documents": [{"name": "z.pdf", "content_b64": "JVBERg=="}],
        }
    )
    page = ssev_rest.received_messages()
    assert [i.message_id for i in page.items] == [incoming["id"]]
    with pytest.raises(SsevError, match="not opened"):
        ssev_rest.reply(OutgoingMessage(title="Вх.", text="т"), incoming["id"])
    opened = ssev_rest.open_received_message(incoming["id"])
    assert opened.documents[0].content == b"%PDF" and opened.opened_at
    reply = ssev_rest.reply(OutgoingMessage(title="Вх. № 1", text="т"), incoming["id"])
    assert ssev_service.state()["messages"][-1]["recipient"] == CITIZEN_EGN
    assert reply.message_id


def test_rest_unknown_company_is_not_registered(ssev_rest, ssev_service):
    with pytest.raises(NotRegisteredError):
        ssev_rest.send(
            OutgoingMessage(title="П", text="т"),
            Recipient(ProfileType.LEGAL_PERSON, "831012340"),
        )
    assert ssev_service.state()["messages"] == []
