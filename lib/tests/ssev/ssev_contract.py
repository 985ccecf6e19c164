"""The SOAP contract for tests: the reference snapshot, and a "live-like" copy of it.

The snapshot (2020, reference README §4.2) declares 13 of the service's 26 operations;
the registration checks, the reply and the access-code send are missing. Production
stores the live WSDL, which has them. For tests, :func:`live_like_documents` adds those
five operations to copies of the snapshot files, written from the operation and data
contract tables of README §4.2–4.3 by WCF convention (§4.1). Requests of the 13
snapshot operations are validated against the UNCHANGED snapshot schemas; only the five
additions are validated against the augmented copies.

The reference files are never copied into the project: they are read from beside it.
"""

import pathlib

import pytest
from lxml import etree

REFERENCE = (
    pathlib.Path(__file__).resolve().parents[3].parent / "shared" / "reference" / "ssev"
)
BASE = "https://edelivery.egov.bg/Services/EDeliveryIntegrationService.svc"
FILES = {
    f"{BASE}?wsdl": "EDeliveryIntegrationService21.wsdl",
    f"{BASE}?wsdl=wsdl0": "EDeliveryIntegrationService2.wsdl",
    f"{BASE}?xsd=xsd0": "EDeliveryIntegrationService54.xsd",
    f"{BASE}?xsd=xsd1": "EDeliveryIntegrationService5.xsd",
    f"{BASE}?xsd=xsd2": "EDeliveryIntegrationService53.xsd",
    f"{BASE}?xsd=xsd3": "EDeliveryIntegrationService52.xsd",
    f"{BASE}?xsd=xsd4": "EDeliveryIntegrationService51.xsd",
}
SNAPSHOT_OPERATIONS = {
    "GetRegisteredInstitutions",
    "SendElectronicDocument",
    "SendMessage",
    "GetSentDocumentStatusByRegNum",
    "GetSentDocumentContentByRegNum",
    "GetSentDocumentsContent",
    "GetSentDocumentContent",
    "GetSentMessageStatus",
    "GetSentMessagesList",
    "GetSentMessagesListPaged",
    "GetReceivedMessagesList",
    "GetReceivedMessagesListPaged",
    "GetReceivedMessageContent",
}
DC = "http://schemas.datacontract.org/2004/07/EDelivery.Common.DataContracts"
ES = DC + ".ESubject"
EN = "http://schemas.datacontract.org/2004/07/EDelivery.Common.Enums"
ACTION = "https://edelivery.egov.bg/services/integration/IEDeliveryIntegrationService/"


def require_reference():
    """Skip the calling test when the reference folder is not beside the project."""
    if not (REFERENCE / "EDeliveryIntegrationService21.wsdl").is_file():
        pytest.skip(
            f"the e-Delivery contract snapshot is not at {REFERENCE} "
            "(../shared/reference/ssev beside the repository)"
        )


def snapshot_documents():
    """URL → bytes of the unchanged snapshot."""
    require_reference()
    return {url: (REFERENCE / name).read_bytes() for url, name in FILES.items()}


def _string(name):
    return (
        f'<xs:element minOccurs="0" name="{name}" nillable="true" type="xs:string" />'
    )


def _wrapper(operation, params, result_type):
    return (
        f'<xs:element name="{operation}"><xs:complexType><xs:sequence>{params}'
        f"</xs:sequence></xs:complexType></xs:element>"
        f'<xs:element name="{operation}Response"><xs:complexType><xs:sequence>'
        f'<xs:element minOccurs="0" name="{operation}Result" {result_type} />'
        f"</xs:sequence></xs:complexType></xs:element>"
    )


_MESSAGE = (
    f'<xs:element xmlns:q="{DC}" minOccurs="0" name="message" nillable="true" '
    'type="q:DcMessageDetails" />'
)
_ADDED_ELEMENTS = "".join(
    [
        _wrapper(
            "CheckPersonHasRegistration",
            _string("personId"),
            f'xmlns:q="{DC}" nillable="true" type="q:DcPersonRegistrationInfo"',
        ),
        _wrapper(
            "CheckLegalPersonHasRegistration",
            _string("eik"),
            f'xmlns:q="{DC}" nillable="true" type="q:DcLegalPersonRegistrationInfo"',
        ),
        _wrapper(
            "CheckSubjectHasRegistration",
            _string("identificator"),
            f'xmlns:q="{DC}" nillable="true" type="q:DcSubjectRegistrationInfo"',
        ),
        _wrapper(
            "SendMessageInReplyTo",
            _MESSAGE
            + '<xs:element minOccurs="0" name="replyToMessageId" type="xs:int" />'
            + _string("serviceOID")
            + _string("operatorEGN"),
            'type="xs:int"',
        ),
        _wrapper(
            "SendMessageWithAccessCode",
            _MESSAGE + f'<xs:element xmlns:q="{ES}" minOccurs="0" name="receiver" '
            'nillable="true" type="q:DcMessageWithCodeReceiver" />'
            + _string("serviceOID")
            + _string("operatorEGN"),
            'type="xs:int"',
        ),
    ]
)
_BOOL = '<xs:element minOccurs="0" name="{}" type="xs:boolean" />'
_ADDED_DC_TYPES = (
    f'<xs:import schemaLocation="{BASE}?xsd=xsd2" namespace="{ES}" />'
    '<xs:complexType name="DcSubjectShortInfo"><xs:sequence>'
    + _string("EGN")
    + _string("EIK")
    + _string("Name")
    + f'<xs:element xmlns:q="{EN}" minOccurs="0" name="ProfileType" '
    'type="q:eProfileType" />'
    "</xs:sequence></xs:complexType>"
    '<xs:complexType name="ArrayOfDcSubjectShortInfo"><xs:sequence>'
    '<xs:element minOccurs="0" maxOccurs="unbounded" name="DcSubjectShortInfo" '
    'nillable="true" type="tns:DcSubjectShortInfo" /></xs:sequence></xs:complexType>'
    '<xs:complexType name="DcPersonRegistrationInfo"><xs:sequence>'
    '<xs:element minOccurs="0" name="AccessibleProfiles" nillable="true" '
    'type="tns:ArrayOfDcSubjectShortInfo" />'
    + _BOOL.format("HasRegistration")
    + _string("Name")
    + _string("PersonIdentificator")
    + "</xs:sequence></xs:complexType>"
    '<xs:complexType name="DcLegalPersonRegistrationInfo"><xs:sequence>'
    + _string("EIK")
    + _string("Email")
    + _BOOL.format("HasRegistration")
    + _string("Name")
    + _string("Phone")
    + '<xs:element minOccurs="0" name="ProfilesWithAccess" nillable="true" '
    'type="tns:ArrayOfDcSubjectShortInfo" /></xs:sequence></xs:complexType>'
    f'<xs:complexType name="DcRegisteredSubjectInfo" xmlns:e="{ES}">'
    '<xs:complexContent mixed="false"><xs:extension base="e:DcSubjectPublicInfo">'
    "<xs:sequence>"
    + _string("InstitutionType")
    + "</xs:sequence></xs:extension></xs:complexContent></xs:complexType>"
    '<xs:complexType name="DcSubjectRegistrationInfo"><xs:sequence>'
    + _BOOL.format("HasRegistration")
    + _string("Identificator")
    + '<xs:element minOccurs="0" name="SubjectInfo" nillable="true" '
    'type="tns:DcRegisteredSubjectInfo" /></xs:sequence></xs:complexType>'
)
_ADDED_ES_TYPES = (
    '<xs:complexType name="DcMessageWithCodeReceiver"><xs:sequence>'
    + "".join(
        _string(n)
        for n in ("EGNorLNCH", "Email", "FirstName", "LastName", "MiddleName", "Phone")
    )
    + "</xs:sequence></xs:complexType>"
)
ADDED_OPERATIONS = (
    "CheckPersonHasRegistration",
    "CheckLegalPersonHasRegistration",
    "CheckSubjectHasRegistration",
    "SendMessageInReplyTo",
    "SendMessageWithAccessCode",
)


def _insert_before(text, marker, addition):
    index = text.rindex(marker)
    return text[:index] + addition + text[index:]


def _insert_after_imports(text, addition):
    # xs:import must come first in a schema; put additions after the last import.
    index = text.rindex("<xs:import")
    index = text.index("/>", index) + 2
    return text[:index] + addition + text[index:]


def live_like_documents():
    """URL → bytes of the snapshot plus the five operations of the live contract that
    the snapshot lacks (see the module docstring)."""
    documents = {
        url: data.decode("utf-8") for url, data in snapshot_documents().items()
    }
    xsd0, xsd2, xsd4 = (f"{BASE}?xsd=xsd{i}" for i in (0, 2, 4))
    documents[xsd0] = _insert_before(documents[xsd0], "</xs:schema>", _ADDED_ELEMENTS)
    documents[xsd4] = _insert_after_imports(documents[xsd4], _ADDED_DC_TYPES)
    documents[xsd2] = _insert_before(documents[xsd2], "</xs:schema>", _ADDED_ES_TYPES)
    messages, port_ops, binding_ops = [], [], []
    for op in ADDED_OPERATIONS:
        for kind, suffix in (("Input", ""), ("Output", "Response")):
            messages.append(
                f'<wsdl:message name="IEDeliveryIntegrationService_{op}_{kind}Message">'
                f'<wsdl:part name="parameters" element="tns:{op}{suffix}" />'
                "</wsdl:message>"
            )
        port_ops.append(
            f'<wsdl:operation name="{op}">'
            f'<wsdl:input wsaw:Action="{ACTION}{op}" '
            f'message="tns:IEDeliveryIntegrationService_{op}_InputMessage" />'
            f'<wsdl:output wsaw:Action="{ACTION}{op}Response" '
            f'message="tns:IEDeliveryIntegrationService_{op}_OutputMessage" />'
            "</wsdl:operation>"
        )
        binding_ops.append(
            f'<wsdl:operation name="{op}">'
            f'<soap:operation soapAction="{ACTION}{op}" style="document" />'
            '<wsdl:input><soap:body use="literal" /></wsdl:input>'
            '<wsdl:output><soap:body use="literal" /></wsdl:output>'
            "</wsdl:operation>"
        )
    wsdl0 = f"{BASE}?wsdl=wsdl0"
    documents[wsdl0] = _insert_before(
        documents[wsdl0], "<wsdl:portType", "".join(messages)
    )
    documents[wsdl0] = _insert_before(
        documents[wsdl0], "</wsdl:portType>", "".join(port_ops)
    )
    root = f"{BASE}?wsdl"
    documents[root] = _insert_before(
        documents[root], "</wsdl:binding>", "".join(binding_ops)
    )
    return {url: text.encode("utf-8") for url, text in documents.items()}


class _Resolver(etree.Resolver):
    def __init__(self, documents):
        super().__init__()
        self.documents = documents

    def resolve(self, url, public_id, context):
        if url in self.documents:
            return self.resolve_string(self.documents[url], context)
        raise OSError(f"schema {url} is not in the contract set")


def request_schema(documents):
    """An ``etree.XMLSchema`` of the operation wrappers (xsd0 and its imports)."""
    parser = etree.XMLParser(no_network=True, resolve_entities=False)
    parser.resolvers.add(_Resolver(documents))
    xsd0 = f"{BASE}?xsd=xsd0"
    root = etree.fromstring(documents[xsd0], parser=parser, base_url=xsd0)
    return etree.XMLSchema(root)


class ContractValidator:
    """Validates SOAP body payloads: snapshot operations against the unchanged
    snapshot, the five additions against the augmented copy."""

    def __init__(self):
        self.snapshot = request_schema(snapshot_documents())
        self.live_like = request_schema(live_like_documents())

    def validate(self, payload):
        """Assert-style: raise ``etree.DocumentInvalid`` if ``payload`` is invalid."""
        operation = etree.QName(payload).localname
        if operation.endswith("Response"):
            operation = operation[: -len("Response")]
        schema = self.snapshot if operation in SNAPSHOT_OPERATIONS else self.live_like
        schema.assertValid(etree.ElementTree(_copy(payload)))
        return operation in SNAPSHOT_OPERATIONS


def _copy(element):
    return etree.fromstring(etree.tostring(element))
