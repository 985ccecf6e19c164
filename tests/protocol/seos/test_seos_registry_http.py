"""The register client against the sandbox register over real HTTP."""

import datetime

import pytest
from bg_egov.errors import TransportError
from bg_egov.seos.registry import RegistryClient
from seos_nodes import Node, Party, Process, write_directory


@pytest.fixture(scope="module")
def register(tmp_path_factory):
    base = tmp_path_factory.mktemp("seos-register")
    directory = base / "participants.json"
    municipality = Party(base, "Община Тестово", "000056789", 0x00A1B2)
    ministry = Party(base, "Министерство", "121212121", 0x0B02, status="Inactive")
    municipality.endpoint = "http://127.0.0.1:9/seos"
    write_directory(directory, [municipality, ministry])
    process = Process(
        "bg_egov.seos.registry_server",
        ["--directory", str(directory)],
        banner="SEOS register ready",
    )
    yield {
        "client": RegistryClient(process.url, timeout=10),
        "municipality": municipality,
        "ministry": ministry,
        "base": base,
    }
    assert process.stop() == 0


def test_all_records(register):
    snapshot = register["client"].get_all_records()
    by_guid = {e.guid: e for e in snapshot.entries}
    municipality = by_guid[register["municipality"].guid]
    assert municipality.name == "Община Тестово"
    assert municipality.certificate_serial == 0x00A1B2
    assert municipality.endpoint == "http://127.0.0.1:9/seos"
    assert municipality.to_participant().status.value == "Active"
    assert by_guid[register["ministry"].guid].effective_status == "Inactive"
    assert snapshot.last_change is not None


def test_by_guid_identifier_and_serial(register):
    client, municipality = register["client"], register["municipality"]
    (by_guid,) = client.get_by_guid(municipality.guid.upper()).entries
    (by_eik,) = client.get_by_identifier("000056789").entries
    (by_serial,) = client.get_by_certificate_serial(0xA1B2).entries
    (by_hex,) = client.get_by_certificate_serial("00a1b2").entries
    assert by_guid == by_eik == by_serial == by_hex
    assert client.get_by_guid("{00000000-0000-4000-8000-000000000000}").entries == ()


def test_new_records_since(register):
    client = register["client"]
    past = datetime.datetime(2000, 1, 1, tzinfo=datetime.timezone.utc)
    future = datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(days=1)
    assert len(client.get_new_records(past).entries) == 2
    assert client.get_new_records(future).entries == ()


def test_register_that_does_not_answer_is_a_timeout(tmp_path):
    party = Party(tmp_path, "Бавен регистър", "141414141", 0x0D04)
    directory = tmp_path / "participants.json"
    write_directory(directory, [party])
    silent = Node(party, directory, tmp_path / "s", behaviour="timeout")
    try:
        with pytest.raises(TransportError) as info:
            RegistryClient(silent.url, timeout=1).get_all_records()
        assert info.value.timeout
    finally:
        silent.stop()


def test_register_that_is_not_running_is_retryable_not_a_timeout():
    with pytest.raises(TransportError) as info:
        RegistryClient("http://127.0.0.1:9/service/", timeout=2).get_all_records()
    assert info.value.retryable and not info.value.timeout
