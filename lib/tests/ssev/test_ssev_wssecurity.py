"""WS-Security signature over the timestamp (reference README §2.1)."""

import datetime
import shutil
import subprocess

import pytest
from lxml import etree

from bg_egov import wssecurity
from bg_egov.errors import SignatureError

ENVELOPE = (
    b'<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body>'
    b'<SendMessage xmlns="https://edelivery.egov.bg/services/integration">'
    b"<operatorEGN>8001010008</operatorEGN></SendMessage></s:Body></s:Envelope>"
)
NOW = datetime.datetime(2026, 6, 1, 9, 0, tzinfo=datetime.timezone.utc)


def _signed(signer, now=NOW):
    envelope = etree.fromstring(ENVELOPE)
    wssecurity.sign_envelope(envelope, *signer, now=now)
    return etree.fromstring(etree.tostring(envelope))


def test_signed_header_has_the_shape_wcf_demands(signer):
    envelope = _signed(signer)
    ns = {"w": wssecurity.WSSE_NS, "u": wssecurity.WSU_NS, "d": wssecurity.DSIG_NS}
    security = envelope.find("*/w:Security", ns)
    assert security.get(f"{{{wssecurity.SOAP11_NS}}}mustUnderstand") == "1"
    timestamp = security.find("u:Timestamp", ns)
    assert timestamp.findtext("u:Created", namespaces=ns) == "2026-06-01T09:00:00.000Z"
    assert timestamp.findtext("u:Expires", namespaces=ns) == "2026-06-01T09:05:00.000Z"
    references = security.findall("d:Signature/d:SignedInfo/d:Reference", ns)
    assert [r.get("URI") for r in references] == [
        "#" + timestamp.get(f"{{{wssecurity.WSU_NS}}}Id")
    ]
    algorithms = {e.get("Algorithm") for e in security.iter() if e.get("Algorithm")}
    assert algorithms == {
        "http://www.w3.org/2001/10/xml-exc-c14n#",
        "http://www.w3.org/2000/09/xmldsig#rsa-sha1",
        "http://www.w3.org/2000/09/xmldsig#sha1",
    }
    token_ref = security.find(
        "d:Signature/d:KeyInfo/w:SecurityTokenReference/w:Reference", ns
    )
    token = security.find("w:BinarySecurityToken", ns)
    assert token_ref.get("URI") == "#" + token.get(f"{{{wssecurity.WSU_NS}}}Id")


def test_verification_returns_the_callers_thumbprint(signer):
    info = wssecurity.verify_envelope(_signed(signer), now=NOW)
    assert info.thumbprint_sha1 == wssecurity.thumbprint(info.certificate_der)
    assert info.created == NOW


@pytest.mark.skipif(
    not shutil.which("xmlsec1"), reason="Debian's xmlsec1 is not installed"
)
def test_independent_verifier_accepts_the_signature(signer, tmp_path):
    (tmp_path / "m.xml").write_bytes(etree.tostring(_signed(signer)))
    (tmp_path / "c.pem").write_bytes(signer[1])
    result = subprocess.run(
        [
            "xmlsec1",
            "--verify",
            "--pubkey-cert-pem",
            str(tmp_path / "c.pem"),
            "--id-attr:Id",
            f"{wssecurity.WSU_NS}:Timestamp",
            str(tmp_path / "m.xml"),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr


def test_changed_timestamp_fails(signer):
    envelope = _signed(signer)
    created = next(envelope.iter(f"{{{wssecurity.WSU_NS}}}Expires"))
    created.text = "2026-06-01T10:05:00.000Z"
    with pytest.raises(SignatureError) as caught:
        wssecurity.verify_envelope(envelope, now=NOW)
    assert caught.value.code == "signature_invalid"


def test_expired_timestamp_fails(signer):
    envelope = _signed(signer)
    with pytest.raises(SignatureError) as caught:
        wssecurity.verify_envelope(envelope, now=NOW + datetime.timedelta(minutes=11))
    assert caught.value.code == "timestamp_expired"


def test_a_token_swapped_for_another_certificate_fails(signer, other_signer):
    envelope = _signed(signer)
    other = _signed(other_signer)
    tag = f"{{{wssecurity.WSSE_NS}}}BinarySecurityToken"
    next(envelope.iter(tag)).text = next(other.iter(tag)).text
    with pytest.raises(SignatureError):
        wssecurity.verify_envelope(envelope, now=NOW)


def test_missing_header_is_refused():
    with pytest.raises(SignatureError) as caught:
        wssecurity.verify_envelope(etree.fromstring(ENVELOPE), now=NOW)
    assert caught.value.code == "signature_missing"
