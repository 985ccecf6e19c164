import datetime
import pathlib

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID

# The official specifications live beside the project, never inside it; tests that
# compare with them skip with this message in a clone without them.
REFERENCE = pathlib.Path(__file__).resolve().parents[2].parent / "shared" / "reference"


def make_certificate(
    common_name,
    *,
    serial=None,
    days=365,
    not_before=None,
    issuer=None,
    extra_subject=(),
    ca=False,
    key=None,
):
    """Generate a throwaway key (RSA unless ``key`` is given) and a certificate, both
    PEM: self-signed, or signed by ``issuer`` (a ``(key_pem, cert_pem)`` pair).

    ``extra_subject`` adds ``(oid, value)`` pairs to the subject (the ``PNOBG-``
    serial number of a Bulgarian qualified certificate, for example); ``ca`` marks a
    certificate authority.
    """
    key = key or rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "BG"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Община Тестово"),
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
        ]
        + [x509.NameAttribute(oid, value) for oid, value in extra_subject]
    )
    signing_key, issuer_name = key, name
    if issuer is not None:
        signing_key = serialization.load_pem_private_key(issuer[0], None)
        issuer_name = x509.load_pem_x509_certificate(issuer[1]).subject
    start = not_before or datetime.datetime(2026, 1, 1, tzinfo=datetime.timezone.utc)
    builder = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(issuer_name)
        .public_key(key.public_key())
        .serial_number(serial or x509.random_serial_number())
        .not_valid_before(start)
        .not_valid_after(start + datetime.timedelta(days=days))
    )
    if ca:
        builder = builder.add_extension(
            x509.BasicConstraints(ca=True, path_length=None), critical=True
        )
    cert = builder.sign(signing_key, hashes.SHA256())
    key_pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.TraditionalOpenSSL,
        serialization.NoEncryption(),
    )
    return key_pem, cert.public_bytes(serialization.Encoding.PEM)


@pytest.fixture(scope="session")
def signer():
    return make_certificate("Община Тестово SEOS", serial=0x00C0FFEE)


@pytest.fixture(scope="session")
def other_signer():
    return make_certificate("Чужда администрация")


@pytest.fixture(scope="session")
def certificate_factory():
    """:func:`make_certificate` for tests in sub-folders, which cannot import it."""
    return make_certificate
