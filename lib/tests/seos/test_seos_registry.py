"""The register of participants: requests against the official WSDL, answers in the
RPC/encoded shapes of §8.4."""

import datetime

import pytest
from lxml import etree
from seos_fixtures import OFFICIAL

from bg_egov.errors import ProtocolError
from bg_egov.seos import registry
from bg_egov.seos.codes import DOCUMENT_EXCHANGE_SERVICE_GUID, ParticipantStatus
from bg_egov.seos.registry_server import build_response

WSDL = "http://schemas.xmlsoap.org/wsdl/"
WSDL_SOAP = "http://schemas.xmlsoap.org/wsdl/soap/"

# Written for this test in the multiRef style of .NET/Axis RPC services: the return
# value and the entities are references to top-level elements with ids.
MULTIREF_ANSWER = f"""<?xml version="1.0" encoding="utf-8"?>
<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"
  xmlns:soapenc="http://schemas.xmlsoap.org/soap/encoding/"
  xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
  xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:tns="uri:egovmsg">
 <soap:Body soap:encodingStyle="http://schemas.xmlsoap.org/soap/encoding/">
  <tns:GetAllRecordsResponse><return href="#id1"/></tns:GetAllRecordsResponse>
  <multiRef id="id1" xsi:type="tns:EGovMessageDir">
   <LastChange xsi:type="xsd:dateTime">2026-03-01T08:00:00.1234567+02:00</LastChange>
   <Entities xsi:type="soapenc:Array" soapenc:arrayType="tns:Entity[2]">
    <Entity href="#id2"/>
    <Entity href="#id3"/>
   </Entities>
  </multiRef>
  <multiRef id="id2" xsi:type="tns:Entity">
   <Status xsi:type="xsd:string">Active</Status>
   <Guid xsi:type="xsd:string">{{ABCDEF01-0000-4000-8000-000000000001}}</Guid>
   <EntityIdentifier xsi:type="xsd:string">000056789</EntityIdentifier>
   <AdministrativeBodyName xsi:type="xsd:string">Община Тестово</AdministrativeBodyName>
   <ParentGuid xsi:nil="true"/>
   <Contact xsi:type="tns:Contact"><Phone>078 55 00 00</Phone><Fax/>
    <EmailAddress>obshtina@example.bg</EmailAddress></Contact>
   <CertificateSN xsi:type="xsd:string">00 c0:ff:ee</CertificateSN>
   <Services xsi:type="soapenc:Array" soapenc:arrayType="tns:Service[2]">
    <item xsi:type="tns:Service"><Guid>{{11111111-2222-4333-8444-555555555555}}</Guid>
     <Name>Друга услуга</Name><URI>https://wrong.example/</URI>
     <Status>Active</Status><Type>X</Type><Version>1</Version></item>
    <item xsi:type="tns:Service"><Guid>{DOCUMENT_EXCHANGE_SERVICE_GUID.upper()}</Guid>
     <Name>Документооборот</Name><URI> https://seos.testovo.example/Submit </URI>
     <Status>Active</Status><Type>SEOS</Type><Version>2</Version></item>
   </Services>
   <LastChange xsi:type="xsd:dateTime">2026-02-27T10:00:00Z</LastChange>
  </multiRef>
  <multiRef id="id3" xsi:type="tns:Entity">
   <Guid>{{abcdef01-0000-4000-8000-000000000002}}</Guid>
   <EntityIdentifier>121212121</EntityIdentifier>
   <AdministrativeBodyName>Министерство</AdministrativeBodyName>
   <Status>Active</Status>
   <Services xsi:type="soapenc:Array" soapenc:arrayType="tns:Service[1]">
    <item><Guid>{DOCUMENT_EXCHANGE_SERVICE_GUID}</Guid><URI>https://m.example/</URI>
     <Status>TemporarilyInactive</Status></item>
   </Services>
  </multiRef>
 </soap:Body>
</soap:Envelope>""".encode()


def test_multiref_answer_is_read_into_typed_records():
    snapshot = registry.parse_response(MULTIREF_ANSWER)
    first, second = snapshot.entries
    assert snapshot.last_change == datetime.datetime(
        2026, 3, 1, 6, 0, 0, 123456, tzinfo=datetime.timezone.utc
    )
    assert first.guid == "{abcdef01-0000-4000-8000-000000000001}"
    assert first.identifier == "000056789"
    assert first.name == "Община Тестово"
    assert first.parent_guid is None
    assert first.contact == registry.Contact(
        "078 55 00 00", None, "obshtina@example.bg"
    )
    assert first.certificate_serial == 0xC0FFEE
    assert first.endpoint == "https://seos.testovo.example/Submit"
    assert first.exchange_service.version == 2
    assert first.last_change == datetime.datetime(
        2026, 2, 27, 10, tzinfo=datetime.timezone.utc
    )
    assert first.effective_status == "Active"
    # An active entity whose exchange service is suspended is suspended (§8.3).
    assert second.effective_status == "TemporarilyInactive"
    assert second.endpoint is None
    participant = second.to_participant()
    assert participant.status is ParticipantStatus.TEMPORARILY_INACTIVE


def test_entry_without_exchange_service_has_no_endpoint_and_is_inactive():
    entry = registry.RegistryEntry(
        guid="{abcdef01-0000-4000-8000-000000000009}",
        identifier="1",
        name="x",
        status="Active",
        services=(registry.RegistryService(guid=None, uri="https://other/"),),
    )
    assert entry.endpoint is None
    assert entry.effective_status == "Inactive"


@pytest.mark.parametrize(
    "text, value",
    [("115BB578AA583303", 1250792851384054531), ("00a1", 0xA1), ("zz", None)],
)
def test_certificate_sn_is_compared_as_a_number(text, value):
    assert registry.parse_certificate_sn(text) == value


def test_fault_is_a_protocol_error():
    fault = (
        b'<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body>'
        b"<s:Fault><faultcode>s:Server</faultcode><faultstring>down</faultstring>"
        b"</s:Fault></s:Body></s:Envelope>"
    )
    with pytest.raises(ProtocolError) as info:
        registry.parse_response(fault)
    assert info.value.code == "soap_fault"


def test_sandbox_answer_reads_back_with_the_client_parser(signer):
    item = {
        "guid": "{abcdef01-0000-4000-8000-000000000003}",
        "eik": "000056789",
        "name": "Община Тестово",
        "endpoint": "http://127.0.0.1:1/seos",
        "certificate_pem": signer[1].decode(),
        "status": "Active",
        "phone": "078",
    }
    now = datetime.datetime(2026, 1, 1, tzinfo=datetime.timezone.utc)
    (entry,) = registry.parse_response(
        build_response("GetAllRecords", [item], now)
    ).entries
    assert entry.certificate_sn == "C0FFEE"
    assert entry.to_participant().certificate_serial == 0xC0FFEE
    assert entry.endpoint == "http://127.0.0.1:1/seos"
    assert entry.contact.phone == "078"


@pytest.fixture(scope="module")
def official_registry_wsdl():
    path = OFFICIAL / "EgovRegistry.wsdl"
    if not path.is_file():
        pytest.skip(f"the official register WSDL is not at {path}")
    return etree.parse(str(path)).getroot()


@pytest.mark.parametrize(
    "operation, params",
    [
        ("GetAllRecords", ()),
        ("GetNewRecords", (("date", "dateTime", "2026-01-01T00:00:00Z"),)),
        ("GetByEntityIdentifier", (("EntityIdentifier", "string", "000056789"),)),
        ("GetByGuid", (("guid", "string", "{abcdef01-0000-4000-8000-000000000001}"),)),
        ("GetByCertificateSN", (("CertificateSN", "string", "C0FFEE"),)),
    ],
)
def test_requests_follow_the_official_rpc_binding(
    official_registry_wsdl, operation, params
):
    wsdl = official_registry_wsdl
    binding_op = wsdl.find(
        f"{{{WSDL}}}binding/{{{WSDL}}}operation[@name='{operation}']"
    )
    action = binding_op.find(f"{{{WSDL_SOAP}}}operation").get("soapAction")
    assert action == f"uri:egovmsg/{operation}"
    message = wsdl.find(f"{{{WSDL}}}message[@name='{operation}Request']")
    expected_parts = [p.get("name") for p in message.findall(f"{{{WSDL}}}part")]
    request = etree.fromstring(registry.build_request(operation, params))
    call = request[0][0]
    namespace = binding_op.find(f"{{{WSDL}}}input/{{{WSDL_SOAP}}}body").get("namespace")
    assert etree.QName(call).namespace == namespace
    assert etree.QName(call).localname == operation
    assert [child.tag for child in call] == expected_parts
