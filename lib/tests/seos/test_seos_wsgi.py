"""The WSGI application and the wire shape of the zeep client, without a network."""

import io

import pytest
from lxml import etree
from seos_fixtures import MINISTRY, OFFICIAL

from bg_egov.seos import soap
from bg_egov.seos.client import SubmitClient
from bg_egov.seos.receive import Identity, Limits
from bg_egov.seos.store import MemoryBackend
from bg_egov.seos.wsgi import SubmitApplication

WSDL = "http://schemas.xmlsoap.org/wsdl/"
WSDL_SOAP = "http://schemas.xmlsoap.org/wsdl/soap/"
XSD = "http://www.w3.org/2001/XMLSchema"


@pytest.fixture
def app(signer):
    backend = MemoryBackend()
    application = SubmitApplication(
        Identity(MINISTRY, *signer), backend, limits=Limits(max_request_bytes=1000)
    )
    return application, backend


def _call(application, method, body=b"", length=True):
    environ = {"REQUEST_METHOD": method, "wsgi.input": io.BytesIO(body)}
    if length:
        environ["CONTENT_LENGTH"] = str(len(body))
    seen = {}

    def start_response(status, headers):
        seen["status"], seen["headers"] = status, dict(headers)

    seen["body"] = b"".join(application(environ, start_response))
    return seen


def test_only_post_is_served(app):
    assert _call(app[0], "GET")["status"].startswith("405")


def test_body_without_length_is_refused(app):
    assert _call(app[0], "POST", b"<x/>", length=False)["status"].startswith("411")


def test_oversized_body_is_drained_answered_413_and_its_start_kept(app):
    application, backend = app
    result = _call(application, "POST", b"<s:Envelope" + b"A" * 5000)
    assert result["status"].startswith("413")
    assert b"Fault" in result["body"]
    assert backend.raw == [b"<s:Envelope" + b"A" * 5000]


def test_unreadable_submit_is_answered_with_a_soap_fault(app):
    result = _call(app[0], "POST", soap.submit_request("<Message/>"))
    assert result["status"].startswith("500")
    assert result["headers"]["Content-Type"] == "text/xml; charset=utf-8"


def test_zeep_client_speaks_the_official_contract():
    """Our own WSDL (package data) gives zeep the official operation: same action,
    same element names and namespaces.
    """
    path = OFFICIAL / "EgovEndpoint.wsdl"
    if not path.is_file():
        pytest.skip(f"the official SEOS WSDL is not at {path}")
    official = etree.parse(str(path)).getroot()
    action = official.find(
        f"{{{WSDL}}}binding/{{{WSDL}}}operation/{{{WSDL_SOAP}}}operation"
    ).get("soapAction")
    client = SubmitClient(timeout=1)
    binding = client._zeep.wsdl.bindings[
        "{http://services.egov.bg/messaging/}EGovService"
    ]
    # What the service proxy sends, built without sending it.
    envelope, headers = binding._create(
        "Submit",
        (),
        {"request": "<Message/>"},
        client=client._zeep,
        options={"address": "http://127.0.0.1:9/seos"},
    )
    assert headers["SOAPAction"] == f'"{action}"'
    assert headers["Content-Type"].startswith("text/xml")
    submit = envelope.find("{http://schemas.xmlsoap.org/soap/envelope/}Body")[0]
    schema = official.find(f"{{{WSDL}}}types/{{{XSD}}}schema")
    namespace = schema.get("targetNamespace")
    assert submit.tag == f"{{{namespace}}}Submit"
    assert [child.tag for child in submit] == [f"{{{namespace}}}request"]
    assert submit[0].text == "<Message/>"
    # No WS-Addressing headers, which a WCF basicHttpBinding peer does not expect.
    header = envelope.find("{http://schemas.xmlsoap.org/soap/envelope/}Header")
    assert header is None or len(header) == 0
