import datetime

import pytest
from lxml import etree
from seos_fixtures import MINISTRY, MUNICIPALITY, OFFICIAL, SOFIA, full_document

from bg_egov.seos import messages as m

_NAMESPACES = {
    "http://schemas.egov.bg/messaging/v1": "EGovMessaging.xsd",
    "http://www.w3.org/2000/09/xmldsig#": "xmldsig-core-schema.xsd",
    "http://ereg.egov.bg/segment/0009-000001": "0009-000001_DocumentURI.xsd",
    "http://ereg.egov.bg/value/0008-000001": "0008-000001_BatchNumber.xsd",
    "http://ereg.egov.bg/value/0008-000002": "0008-000002_RegisterIndex.xsd",
    "http://ereg.egov.bg/value/0008-000003": "0008-000003_DocumentSequenceNumber.xsd",
    "http://ereg.egov.bg/value/0008-000004": (
        "0008-000004_DocumentReceiptOrSigningDate.xsd"
    ),
}


@pytest.fixture(scope="session")
def official_schema():
    """The official EGovMessaging.xsd, loaded as the reference's §16.1 explains: a
    wrapper that imports every namespace with a location in the reference folder.
    """
    if not (OFFICIAL / "EGovMessaging.xsd").is_file():
        pytest.skip(f"the official SEOS schemas are not at {OFFICIAL}")
    imports = "".join(
        f'<xsd:import namespace="{ns}" schemaLocation="{name}"/>'
        for ns, name in _NAMESPACES.items()
    )
    wrapper = (
        '<xsd:schema xmlns:xsd="http://www.w3.org/2001/XMLSchema" '
        f'targetNamespace="urn:test:wrapper">{imports}</xsd:schema>'
    )
    doc = etree.fromstring(
        wrapper.encode(),
        parser=etree.XMLParser(no_network=True),
        base_url=(OFFICIAL / "wrapper.xsd").as_uri(),
    )
    return etree.XMLSchema(doc)


@pytest.fixture(scope="session")
def official_wsdl():
    path = OFFICIAL / "EgovEndpoint.wsdl"
    if not path.is_file():
        pytest.skip(f"the official SEOS WSDL is not at {path}")
    return path


@pytest.fixture
def every_message():
    """One message of each type, each with every optional field it can carry."""
    date = datetime.datetime(2026, 3, 4, 10, 15, 0, 123000, tzinfo=SOFIA)
    doc_id = full_document().id
    return {
        "registration": m.Message.new(
            MUNICIPALITY,
            MINISTRY,
            m.RegistrationRequest(full_document(), comment="Изпращане по СЕОС"),
            date=date,
        ),
        "status_request": m.Message.new(
            MUNICIPALITY, MINISTRY, m.StatusRequest(doc_id), date=date
        ),
        "status_response": m.Message.new(
            MINISTRY,
            MUNICIPALITY,
            m.StatusResponse(
                m.DocumentId(
                    doc_id.guid,
                    number=m.DocumentNumber("МТ-99", datetime.date(2026, 3, 5)),
                ),
                m.DocumentStatus.REJECTED,
                rejection_reason="Липсва подпис",
                expected_close_date=datetime.date(2026, 5, 1),
                additional_data="<note>текст</note>",
            ),
            date=date,
        ),
        "error": m.Message.new(
            MINISTRY,
            MUNICIPALITY,
            m.ErrorReport(
                m.ErrorKind.EXTERNAL,
                "Неуспешно",
                "{33333333-3333-3333-3333-333333333333}",
            ),
            date=date,
        ),
    }
