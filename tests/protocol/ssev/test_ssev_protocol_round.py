"""The full round of issue 8 over HTTP: check, send, status before and after the
recipient opens, receive list, open, reply — every request signed."""

import hashlib
import json
import time

import pytest
from bg_egov.ssev import (
    OutgoingDocument,
    OutgoingMessage,
    ProfileType,
    PushEvent,
    Recipient,
    parse_push_notification,
)
from bg_egov.ssev.timestamp import stamped_digest
from ssev_testlib import (
    CITIZEN_EGN,
    COMPANY_EIK,
    MUNICIPALITY_EIK,
    OPENS_QUICKLY_EIK,
)

PDF = b"%PDF-1.7\n" + bytes(range(256)) * 40


def test_full_round_over_http(ssev_http_client, ssev_sandbox, ssev_push_receiver):
    check = ssev_http_client.check_legal_entity(COMPANY_EIK)
    assert check.registered and check.name == "Фирма ЕООД"

    letter = OutgoingMessage(
        title="Заповед № РД-09-15",
        text="Изпращаме заповедта.",
        documents=(OutgoingDocument("заповед.pdf", PDF, "РД-09-15"),),
    )
    sent = ssev_http_client.send(
        letter, Recipient(ProfileType.LEGAL_PERSON, COMPANY_EIK)
    )

    before = ssev_http_client.sent_message_status(sent.message_id)
    assert before.sent_at is not None and before.title == "Заповед № РД-09-15"
    assert not before.delivered and before.delivered_at is None
    assert (
        stamped_digest(before.documents[0].time_stamp.data)
        == hashlib.sha256(PDF).digest()
    )

    ssev_sandbox.control("open", {"message_id": sent.message_id, "login": "Управител"})
    after = ssev_http_client.sent_message_status(sent.message_id)
    assert after.delivered and after.recipients[0].opened_by.name == "Управител"
    assert after.delivered_at >= after.sent_at
    push = parse_push_notification(ssev_push_receiver.received.get(timeout=10))
    assert (push.event, push.message_id) == (PushEvent.DELIVERED, sent.message_id)

    incoming = ssev_sandbox.control(
        "messages",
        {
            "from": CITIZEN_EGN,
            "to": MUNICIPALITY_EIK,
            "title": "Заявление за удостоверение",
            "text": "Моля да ми бъде издадено удостоверение.",
            "documents": [{"name": "заявление.pdf", "content_b64": "JVBERi0xLjcK"}],
        },
    )
    push = parse_push_notification(ssev_push_receiver.received.get(timeout=10))
    assert (push.event, push.message_id) == (PushEvent.RECEIVED, incoming["id"])

    page = ssev_http_client.received_messages(only_new=True)
    assert [m.message_id for m in page.items] == [incoming["id"]]
    assert ssev_sandbox.message(incoming["id"])["date_received"] is None  # not opened

    opened = ssev_http_client.open_received_message(incoming["id"])
    assert (
        opened.text.startswith("Моля") and opened.documents[0].content == b"%PDF-1.7\n"
    )
    assert opened.opened_at is not None and opened.nrd and opened.nro
    assert ssev_sandbox.message(incoming["id"])["opened_by"] == "Мария Петрова"
    assert ssev_http_client.received_messages(only_new=True).items == ()

    reply = ssev_http_client.reply(
        OutgoingMessage(title="Вх. № 94-00-7", text="Заявлението е регистрирано."),
        incoming["id"],
    )
    stored = ssev_sandbox.message(reply.message_id)
    assert (stored["recipient"], stored["reply_to"]) == (CITIZEN_EGN, incoming["id"])

    requests_made = ssev_sandbox.state()["requests"]
    assert (
        requests_made["SendMessage"] == 1 and requests_made["SendMessageInReplyTo"] == 1
    )


def test_recipient_opening_after_n_seconds_is_seen_by_polling(
    ssev_http_client, ssev_sandbox, ssev_push_receiver
):
    sent = ssev_http_client.send(
        OutgoingMessage(title="Покана", text="Заповядайте."),
        Recipient(ProfileType.LEGAL_PERSON, OPENS_QUICKLY_EIK),
    )
    assert not ssev_http_client.sent_message_status(sent.message_id).delivered
    push = parse_push_notification(ssev_push_receiver.received.get(timeout=10))
    assert (push.event, push.message_id) == (PushEvent.DELIVERED, sent.message_id)
    # The push is a hint only: the status call is the source of truth.
    deadline = time.monotonic() + 10
    while not ssev_http_client.sent_message_status(sent.message_id).delivered:
        assert time.monotonic() < deadline
        time.sleep(0.2)


def test_institutions_and_subject_check(ssev_http_client):
    institutions = ssev_http_client.institutions()
    assert [i.identifier for i in institutions] == [MUNICIPALITY_EIK]
    subject = ssev_http_client.check_subject(MUNICIPALITY_EIK)
    assert subject.registered and subject.profile_type is ProfileType.INSTITUTION


def test_person_check(ssev_http_client):
    assert ssev_http_client.check_person(CITIZEN_EGN).registered


@pytest.mark.parametrize("page_size", [1, 2])
def test_paged_receive_walks_every_message(ssev_http_client, ssev_sandbox, page_size):
    ids = {
        ssev_sandbox.control(
            "messages",
            {
                "from": CITIZEN_EGN,
                "to": MUNICIPALITY_EIK,
                "title": f"З{i}",
                "text": "т",
            },
        )["id"]
        for i in range(3)
    }
    seen, page = set(), 1
    while True:
        result = ssev_http_client.received_messages(page=page, page_size=page_size)
        seen |= {m.message_id for m in result.items}
        if not result.has_more:
            break
        page += 1
    assert seen == ids
    assert json.dumps(
        [m["date_received"] for m in ssev_sandbox.state()["messages"]]
    ) == ("[null, null, null]")
