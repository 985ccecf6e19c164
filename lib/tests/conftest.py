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


def make_certificate(common_name, *, serial=None, days=365, not_before=None):
    """Generate a throwaway RSA key and a self-signed certificate, both PEM."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "BG"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Община Тестово"),
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
        ]
    )
    start = not_before or datetime.datetime(2026, 1, 1, tzinfo=datetime.timezone.utc)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(serial or x509.random_serial_number())
        .not_valid_before(start)
        .not_valid_after(start + datetime.timedelta(days=days))
        .sign(key, hashes.SHA256())
    )
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
