"""Fixtures of the e-Delivery library tests (tier 1)."""

import pytest
import requests
import ssev_contract
from ssev_testlib import (
    CLERK_EGN,
    SERVICE_URL,
    SandboxAdapter,
    make_certificate,
    sandbox_profiles,
)

from bg_egov.ssev import sandbox
from bg_egov.ssev.soap import SoapClient


@pytest.fixture(scope="session")
def ssev_municipality_cert():
    return make_certificate("Община Тестово ССЕВ")


@pytest.fixture(scope="session")
def ssev_stranger_cert():
    return make_certificate("Непознат")


@pytest.fixture
def ssev_service(ssev_municipality_cert):
    return sandbox.SandboxService(
        sandbox.load_profiles(sandbox_profiles(ssev_municipality_cert[1]))
    )


@pytest.fixture
def ssev_adapter(ssev_service):
    return SandboxAdapter(ssev_service)


@pytest.fixture(scope="session")
def ssev_live_like_documents():
    return ssev_contract.live_like_documents()


@pytest.fixture
def ssev_make_client(ssev_adapter, ssev_municipality_cert, ssev_live_like_documents):
    def make(cert=None, **kwargs):
        key_pem, cert_pem = cert or ssev_municipality_cert
        session = requests.Session()
        session.mount("http://sandbox.invalid", ssev_adapter)
        kwargs.setdefault("operator_egn", CLERK_EGN)
        return SoapClient(
            wsdl=ssev_contract.BASE + "?wsdl",
            wsdl_documents=ssev_live_like_documents,
            endpoint=SERVICE_URL,
            key_pem=key_pem,
            cert_pem=cert_pem,
            session=session,
            timeout=5,
            **kwargs,
        )

    return make


@pytest.fixture
def ssev_client(ssev_make_client):
    return ssev_make_client()
