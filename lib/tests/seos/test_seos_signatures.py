"""SEOS signatures checked by an independent implementation, Debian's xmlsec1."""

import datetime
import shutil
import subprocess

import pytest
from lxml import etree
from seos_fixtures import MINISTRY, MUNICIPALITY, full_document

from bg_egov import safexml
from bg_egov.errors import SignatureError
from bg_egov.seos import messages as m
from bg_egov.seos import xml as seos_xml

XMLSEC1 = shutil.which("xmlsec1")
needs_xmlsec1 = pytest.mark.skipif(
    XMLSEC1 is None,
    reason="the independent verifier xmlsec1 (Debian package xmlsec1) is missing",
)

DS = "http://www.w3.org/2000/09/xmldsig#"
_URIS = {
    "rsa-sha1": (
        "http://www.w3.org/2000/09/xmldsig#rsa-sha1",
        "http://www.w3.org/2000/09/xmldsig#sha1",
    ),
    "rsa-sha256": (
        "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256",
        "http://www.w3.org/2001/04/xmlenc#sha256",
    ),
}


def _registration():
    return m.Message.new(
        MUNICIPALITY, MINISTRY, m.RegistrationRequest(full_document(), "СЕОС")
    )


def _xmlsec1(tmp_path, *args):
    return subprocess.run(
        [XMLSEC1, *args],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
    )


@needs_xmlsec1
@pytest.mark.parametrize("algorithm", ["rsa-sha256", "rsa-sha1"])
def test_xmlsec1_verifies_our_seos_signature(signer, tmp_path, algorithm):
    key_pem, cert_pem = signer
    (tmp_path / "cert.pem").write_bytes(cert_pem)
    (tmp_path / "message.xml").write_bytes(
        seos_xml.sign(_registration(), key_pem, cert_pem, algorithm=algorithm)
    )
    result = _xmlsec1(
        tmp_path, "--verify", "--pubkey-cert-pem", "cert.pem", "message.xml"
    )
    assert result.returncode == 0, result.stderr


@needs_xmlsec1
def test_xmlsec1_rejects_our_signature_after_tampering(signer, tmp_path):
    key_pem, cert_pem = signer
    data = seos_xml.sign(_registration(), key_pem, cert_pem)
    (tmp_path / "cert.pem").write_bytes(cert_pem)
    (tmp_path / "message.xml").write_bytes(
        data.replace("Писмо".encode(), "Жалба".encode())
    )
    result = _xmlsec1(
        tmp_path, "--verify", "--pubkey-cert-pem", "cert.pem", "message.xml"
    )
    assert result.returncode != 0


def _template(message, algorithm):
    """A message with a signature template written by hand, the way e-Delivery's
    signature looks (§7.1–7.3), for xmlsec1 to fill in.
    """
    root = seos_xml.build(message)
    sign_uri, digest_uri = _URIS[algorithm]
    template = f"""<Signature xmlns="{DS}"><SignedInfo>
<CanonicalizationMethod Algorithm="http://www.w3.org/TR/2001/REC-xml-c14n-20010315"/>
<SignatureMethod Algorithm="{sign_uri}"/>
<Reference URI=""><Transforms>
<Transform Algorithm="http://www.w3.org/2000/09/xmldsig#enveloped-signature"/>
</Transforms><DigestMethod Algorithm="{digest_uri}"/><DigestValue/></Reference>
</SignedInfo><SignatureValue/><KeyInfo><X509Data><X509Certificate/></X509Data>
</KeyInfo></Signature>"""
    root.append(etree.fromstring(template))
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


@needs_xmlsec1
@pytest.mark.parametrize("algorithm", ["rsa-sha256", "rsa-sha1"])
def test_we_verify_a_seos_message_xmlsec1_signs(signer, tmp_path, algorithm):
    key_pem, cert_pem = signer
    message = _registration()
    (tmp_path / "tmpl.xml").write_bytes(_template(message, algorithm))
    (tmp_path / "key.pem").write_bytes(key_pem)
    (tmp_path / "cert.pem").write_bytes(cert_pem)
    result = _xmlsec1(
        tmp_path,
        "--sign",
        "--privkey-pem",
        "key.pem,cert.pem",
        "--output",
        "out.xml",
        "tmpl.xml",
    )
    assert result.returncode == 0, result.stderr
    parsed, info = seos_xml.loads((tmp_path / "out.xml").read_bytes())
    assert parsed == message
    assert info.algorithm == algorithm
    assert info.serial_number == 0xC0FFEE
    assert info.not_after == datetime.datetime(2027, 1, 1, tzinfo=datetime.timezone.utc)


@needs_xmlsec1
def test_xmlsec1_signature_with_changed_content_is_refused(signer, tmp_path):
    key_pem, cert_pem = signer
    (tmp_path / "tmpl.xml").write_bytes(_template(_registration(), "rsa-sha1"))
    (tmp_path / "key.pem").write_bytes(key_pem)
    (tmp_path / "cert.pem").write_bytes(cert_pem)
    result = _xmlsec1(
        tmp_path,
        "--sign",
        "--privkey-pem",
        "key.pem,cert.pem",
        "--output",
        "out.xml",
        "tmpl.xml",
    )
    assert result.returncode == 0, result.stderr
    data = (
        (tmp_path / "out.xml")
        .read_bytes()
        .replace("Относно".encode(), "Отнасно".encode())
    )
    with pytest.raises(SignatureError) as info:
        seos_xml.loads(data)
    assert info.value.code == "signature_invalid"


def test_pretty_printing_after_signing_breaks_the_signature(signer):
    # Why the library never re-serialises a signed tree (§7.6).
    data = seos_xml.sign(_registration(), *signer)
    root = safexml.parse(data)
    for element in root.iter():
        if element.tail is None and len(element):
            element.tail = "\n"
    with pytest.raises(SignatureError):
        seos_xml.loads(etree.tostring(root))
