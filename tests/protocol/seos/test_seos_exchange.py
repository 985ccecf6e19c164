"""Two (and more) sandbox SEOS nodes exchanging messages over real HTTP."""

import base64

import pytest
from seos_nodes import Node, Party, write_directory


@pytest.fixture(scope="module")
def network(tmp_path_factory):
    base = tmp_path_factory.mktemp("seos-network")
    directory = base / "participants.json"
    municipality = Party(base, "Община Тестово", "000056789", 0x0A01)
    ministry = Party(base, "Министерство на тестовете", "121212121", 0x0B02)
    agency = Party(base, "Агенция за откази", "131313131", 0x0C03)
    slow = Party(base, "Бавна агенция", "141414141", 0x0D04)
    broken = Party(base, "Счупена агенция", "151515151", 0x0E05)
    closed = Party(base, "Затворена агенция", "161616161", 0x0F06)
    parties = [municipality, ministry, agency, slow, broken, closed]
    write_directory(directory, parties)
    nodes = {
        "municipality": Node(
            municipality, directory, base / "m", extra=["--timeout", "3"]
        ),
        "ministry": Node(
            ministry,
            directory,
            base / "b",
            behaviour="register",
            extra=["--register-after", "1", "--number-prefix", "МТ"],
        ),
        "agency": Node(
            agency,
            directory,
            base / "c",
            behaviour="reject",
            extra=["--reject-reason", "Не е по компетентност"],
        ),
        "slow": Node(slow, directory, base / "d", behaviour="timeout"),
        "broken": Node(broken, directory, base / "e", behaviour="garbage"),
        "closed": Node(closed, directory, base / "f", behaviour="down"),
    }
    # Endpoints are known only now; the nodes re-read the directory when it changes.
    write_directory(directory, parties)
    yield nodes
    for node in nodes.values():
        node.stop()


def _letter(to, **document):
    return {
        "to": to.party.guid,
        "type": "registration",
        "comment": "Изпращане по СЕОС",
        "document": {
            "kind": "Писмо",
            "about": "Относно: тест",
            "number": "ОБ-1",
            "date": "2026-03-04",
            "attachments": [
                {
                    "name": "писмо.txt",
                    "mime": "text/plain",
                    "base64": base64.b64encode("Текст".encode()).decode(),
                }
            ],
            **document,
        },
    }


def test_registration_then_registered_comes_back_with_a_number(network):
    municipality, ministry = network["municipality"], network["ministry"]
    sent = municipality.send(_letter(ministry))
    assert sent["ok"], sent
    assert sent["answer"]["status"] == "DS_WAIT_REGISTRATION"
    doc = sent["document_guid"]
    received = ministry.state()["received"]
    assert [r["document_guid"] for r in received if r["document_guid"] == doc]
    state = municipality.wait_for(
        lambda s: any(r["status"] == "DS_REGISTERED" for r in s["sent"].get(doc, []))
    )
    (registered,) = state["sent"][doc]
    assert registered["number"].startswith("МТ-")


def test_status_request_and_answer(network):
    municipality, ministry = network["municipality"], network["ministry"]
    doc = municipality.send(_letter(ministry))["document_guid"]
    municipality.wait_for(lambda s: s["sent"].get(doc))
    asked = municipality.send(
        {"to": ministry.party.guid, "type": "status", "document_guid": doc}
    )
    assert asked["ok"], asked
    assert asked["answer"]["status"] == "DS_REGISTERED"
    assert asked["answer"]["number"].startswith("МТ-")


def test_status_request_for_an_unknown_document_is_not_found(network):
    municipality, ministry = network["municipality"], network["ministry"]
    asked = municipality.send(
        {
            "to": ministry.party.guid,
            "type": "status",
            "document_guid": "{99999999-9999-4999-8999-999999999999}",
        }
    )
    assert asked["answer"]["status"] == "DS_NOT_FOUND"


def test_same_document_again_is_already_received(network):
    municipality, agency = network["municipality"], network["agency"]
    guid = "{12345678-1234-4234-8234-123456789abc}"
    first = network["municipality"].send(_letter(network["ministry"], guid=guid))
    assert first["answer"]["status"] == "DS_WAIT_REGISTRATION"
    again = municipality.send(_letter(network["ministry"], guid=guid))
    assert again["answer"]["status"] in ("DS_ALREADY_RECEIVED", "DS_REGISTERED")
    assert agency is not None


def test_rejection_comes_back_with_the_reason(network):
    municipality, agency = network["municipality"], network["agency"]
    sent = municipality.send(_letter(agency))
    doc = sent["document_guid"]
    state = municipality.wait_for(
        lambda s: any(r["status"] == "DS_REJECTED" for r in s["sent"].get(doc, []))
    )
    assert state["sent"][doc][0]["rejection_reason"] == "Не е по компетентност"


def test_timeout_is_reported_as_a_timeout(network):
    sent = network["municipality"].send(_letter(network["slow"]))
    assert not sent["ok"]
    assert sent["error"] == "timeout"
    assert sent["timeout"] is True


def test_garbage_answer_is_a_protocol_error_not_a_timeout(network):
    sent = network["municipality"].send(_letter(network["broken"]))
    assert not sent["ok"]
    assert sent["error"] == "bad_answer"
    assert "timeout" not in sent


def test_endpoint_that_is_down_is_retryable_and_not_a_timeout(network):
    sent = network["municipality"].send(_letter(network["closed"]))
    assert sent == {**sent, "ok": False, "error": "http_503", "timeout": False}
    assert sent["retryable"] is True


def test_node_stops_cleanly_on_sigterm(tmp_path):
    party = Party(tmp_path, "Кратка община", "171717171", 0x1107)
    directory = tmp_path / "participants.json"
    write_directory(directory, [party])
    node = Node(party, directory, tmp_path / "storage")
    assert node.state()["received"] == []
    assert node.stop() == 0
