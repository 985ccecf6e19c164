"""Helpers of the e-Delivery tests shared by tier 1 and tier 2: identifiers of the
sandbox profiles, the profile file, certificates, and an in-process route to the
sandbox service (a requests adapter: no socket, no network)."""

import importlib.util
import pathlib

import requests
from lxml import etree

from bg_egov.ssev import mtom, sandbox


def _library_conftest():
    # The library suite's own conftest (make_certificate), loaded under another name:
    # every conftest module is named "conftest", so import it would pick any one.
    path = pathlib.Path(__file__).resolve().parents[1] / "conftest.py"
    spec = importlib.util.spec_from_file_location("bg_egov_tests_conftest", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


make_certificate = _library_conftest().make_certificate

MUNICIPALITY_EIK = "000696327"
COMPANY_EIK = "121581136"
CLOSED_COMPANY_EIK = "202175032"
UNKNOWN_EIK = "831012340"
OPENS_QUICKLY_EIK = "175400109"
CITIZEN_EGN = "7501020018"
CLERK_EGN = "8001010008"
SERVICE_URL = "http://sandbox.invalid" + sandbox.SERVICE_PATH


def sandbox_profiles(cert_pem):
    return {
        "profiles": [
            {
                "identifier": MUNICIPALITY_EIK,
                "type": "Institution",
                "name": "Община Тестово",
                "certificates": [cert_pem.decode()],
                "operators": {CLERK_EGN: "Мария Петрова"},
                "rest_client_id": "obshtina-testovo",
            },
            {"identifier": CITIZEN_EGN, "type": "Person", "name": "Иван Иванов"},
            {
                "identifier": COMPANY_EIK,
                "type": "LegalPerson",
                "name": "Фирма ЕООД",
                "rest_client_id": "firma-bus-client",
            },
            {
                "identifier": CLOSED_COMPANY_EIK,
                "type": "LegalPerson",
                "name": "Закрита ЕООД",
                "activated": False,
            },
        ]
    }


class SandboxAdapter(requests.adapters.BaseAdapter):
    """Routes requests to an in-process :class:`SandboxService` and records every
    request body payload (the operation element) for schema checks."""

    def __init__(self, service):
        super().__init__()
        self.service = service
        self.payloads = []
        self.raise_on_send = None

    def send(self, request, **kwargs):
        if self.raise_on_send is not None:
            raise self.raise_on_send
        body = request.body if isinstance(request.body, bytes) else b""
        if isinstance(request.body, str):
            body = request.body.encode("utf-8")
        content_type = request.headers.get("Content-Type", "")
        if request.path_url.startswith(("/api/", "/token", "/sandbox/blob/")):
            status, ctype, data = self.service.handle_rest(
                request.method, request.path_url, request.headers, body
            )
            return self._response(request, status, ctype, data)
        if mtom.is_mtom(content_type):
            envelope = mtom.unpack(body, content_type)
            self.payloads.append(envelope.find(f"{{{sandbox.SOAP_NS}}}Body")[0])
        status, ctype, data = self.service.handle_http(
            request.path_url, content_type, body
        )
        return self._response(request, status, ctype, data)

    def _response(self, request, status, ctype, data):
        response = requests.Response()
        response.status_code = status
        response.headers["Content-Type"] = ctype
        response._content = data
        response.url = request.url
        response.request = request
        return response

    def close(self):
        pass


def payload_names(adapter):
    return [etree.QName(p).localname for p in adapter.payloads]
