import datetime
import shutil
import subprocess

import pytest
from lxml import etree

from bg_egov import safexml, xmldsig
from bg_egov.errors import SignatureError

XMLSEC1 = shutil.which("xmlsec1")
needs_xmlsec1 = pytest.mark.skipif(
    XMLSEC1 is None,
    reason="the independent verifier xmlsec1 (Debian package xmlsec1) is missing",
)


def _message():
    return safexml.parse(
        "<Message><Header><Sender>Община Тестово</Sender></Header>"
        "<Body><Subject>Заявление за достъп до информация</Subject></Body>"
        "</Message>".encode()
    )


@pytest.mark.parametrize("algorithm", ["rsa-sha256", "rsa-sha1"])
def test_sign_and_verify_round_trip(signer, algorithm):
    key_pem, cert_pem = signer
    root = xmldsig.sign_enveloped(_message(), key_pem, cert_pem, algorithm=algorithm)
    received = safexml.parse(xmldsig.tostring(root))
    info = xmldsig.verify_enveloped(received)
    assert info.algorithm == algorithm
    assert info.serial_number == 0xC0FFEE
    assert "Община Тестово SEOS" in info.subject
    assert info.is_valid_at(datetime.datetime(2026, 6, 1, tzinfo=datetime.timezone.utc))
    assert not info.is_valid_at(
        datetime.datetime(2027, 6, 1, tzinfo=datetime.timezone.utc)
    )


def test_tampered_content_does_not_verify(signer):
    key_pem, cert_pem = signer
    signed = xmldsig.tostring(xmldsig.sign_enveloped(_message(), key_pem, cert_pem))
    tampered = signed.replace("достъп".encode(), "отказ".encode())
    with pytest.raises(SignatureError) as info:
        xmldsig.verify_enveloped(safexml.parse(tampered))
    assert info.value.code == "signature_invalid"


def test_swapped_certificate_does_not_verify(signer, other_signer):
    key_pem, cert_pem = signer
    root = xmldsig.sign_enveloped(_message(), key_pem, cert_pem)
    cert_node = root.find(f".//{{{xmldsig.DSIG_NS}}}X509Certificate")
    other = other_signer[1].decode().splitlines()
    cert_node.text = "".join(line for line in other if "-----" not in line)
    with pytest.raises(SignatureError):
        xmldsig.verify_enveloped(safexml.parse(xmldsig.tostring(root)))


def test_unsigned_message_is_refused():
    with pytest.raises(SignatureError) as info:
        xmldsig.verify_enveloped(_message())
    assert info.value.code == "signature_missing"


def test_signature_over_part_of_the_document_is_refused(signer):
    key_pem, cert_pem = signer
    root = xmldsig.sign_enveloped(_message(), key_pem, cert_pem)
    reference = root.find(f".//{{{xmldsig.DSIG_NS}}}Reference")
    reference.set("URI", "#body")
    with pytest.raises(SignatureError):
        xmldsig.verify_enveloped(root)


def test_second_signature_is_refused(signer):
    key_pem, cert_pem = signer
    root = xmldsig.sign_enveloped(_message(), key_pem, cert_pem)
    header = root.find("Header")
    header.append(
        etree.fromstring(etree.tostring(root.find(f"{{{xmldsig.DSIG_NS}}}Signature")))
    )
    with pytest.raises(SignatureError):
        xmldsig.verify_enveloped(root)


@needs_xmlsec1
def test_xmlsec1_verifies_our_signature(signer, tmp_path):
    key_pem, cert_pem = signer
    (tmp_path / "cert.pem").write_bytes(cert_pem)
    (tmp_path / "signed.xml").write_bytes(
        xmldsig.tostring(xmldsig.sign_enveloped(_message(), key_pem, cert_pem))
    )
    result = subprocess.run(
        [XMLSEC1, "--verify", "--pubkey-cert-pem", "cert.pem", "signed.xml"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert result.returncode == 0, result.stderr


@needs_xmlsec1
def test_we_verify_what_xmlsec1_signs(signer, tmp_path):
    key_pem, cert_pem = signer
    template = _message()
    xmldsig.sign_enveloped(template, key_pem, cert_pem)
    # Turn our signature back into an empty template and let xmlsec1 fill it in.
    for tag in ("DigestValue", "SignatureValue", "X509Certificate"):
        for node in template.iter(f"{{{xmldsig.DSIG_NS}}}{tag}"):
            node.text = ""
    (tmp_path / "tmpl.xml").write_bytes(xmldsig.tostring(template))
    (tmp_path / "key.pem").write_bytes(key_pem)
    (tmp_path / "cert.pem").write_bytes(cert_pem)
    result = subprocess.run(
        [
            XMLSEC1,
            "--sign",
            "--privkey-pem",
            "key.pem,cert.pem",
            "--output",
            "out.xml",
            "tmpl.xml",
        ],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert result.returncode == 0, result.stderr
    info = xmldsig.verify_enveloped(safexml.parse((tmp_path / "out.xml").read_bytes()))
    assert info.serial_number == 0xC0FFEE
