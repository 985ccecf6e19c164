"""Signatures on received files: CMS (.p7s/.p7m), signed PDF and signed XML.

Everything is signed here, with a CA and signers created by the tests.
"""

import datetime
import re

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding
from cryptography.hazmat.primitives.serialization import pkcs7
from lxml import etree

from bg_egov import signatures, xmldsig
from bg_egov.signatures import (
    CMS_ATTACHED,
    CMS_DETACHED,
    PDF,
    XML,
    find_signatures,
    verify_cms,
    verify_pdf,
    verify_xml,
)

EGN = "7523169263"
EIK = "000696327"
SERIAL_NUMBER = x509.ObjectIdentifier("2.5.4.5")
ORGANIZATION_IDENTIFIER = x509.ObjectIdentifier("2.5.4.97")
NOW = datetime.datetime.now(datetime.timezone.utc)
START = NOW - datetime.timedelta(days=30)
CONTENT = b"%PDF-1.4 not really a PDF\nbut bytes that someone signed\n"


@pytest.fixture(scope="module")
def qualified_ca(certificate_factory):
    return certificate_factory(
        "Тестов квалифициран доставчик CA", ca=True, not_before=START, days=3650
    )


@pytest.fixture(scope="module")
def other_ca(certificate_factory):
    return certificate_factory("Чужд CA", ca=True, not_before=START, days=3650)


@pytest.fixture(scope="module")
def person(certificate_factory, qualified_ca):
    """A Bulgarian qualified certificate of a natural person for a legal entity."""
    return certificate_factory(
        "Иван Петров Иванов",
        issuer=qualified_ca,
        not_before=START,
        extra_subject=[
            (SERIAL_NUMBER, f"PNOBG-{EGN}"),
            (ORGANIZATION_IDENTIFIER, f"NTRBG-{EIK}"),
        ],
    )


@pytest.fixture(scope="module")
def stranger(certificate_factory, other_ca):
    return certificate_factory("Петър Чужденец", issuer=other_ca, not_before=START)


def _sign_cms(
    signer, data, *, detached=True, pss=False, encoding=None, attributes=True
):
    key = serialization.load_pem_private_key(signer[0], None)
    cert = x509.load_pem_x509_certificate(signer[1])
    builder = pkcs7.PKCS7SignatureBuilder().set_data(data)
    if pss:
        builder = builder.add_signer(
            cert,
            key,
            hashes.SHA256(),
            rsa_padding=padding.PSS(mgf=padding.MGF1(hashes.SHA256()), salt_length=32),
        )
    else:
        builder = builder.add_signer(cert, key, hashes.SHA256())
    options = [pkcs7.PKCS7Options.Binary]
    if detached:
        options.append(pkcs7.PKCS7Options.DetachedSignature)
    if not attributes:
        options.append(pkcs7.PKCS7Options.NoAttributes)
    return builder.sign(encoding or serialization.Encoding.DER, options)


# The /M date of the test PDFs, in the signers' validity (whole seconds, local +02:00).
PDF_MOMENT = (NOW - datetime.timedelta(days=1)).replace(microsecond=0)


def _signed_pdf(signer, *, reserve=8192, attributes=True):
    """A minimal one-page PDF with a signature field, signed over its /ByteRange."""
    placeholder = b"/ByteRange [0 0000000000 0000000000 0000000000]"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R "
        b"/AcroForm << /Fields [4 0 R] /SigFlags 3 >> >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] /Annots [4 0 R] >>",
        b"<< /FT /Sig /T (Signature1) /Type /Annot /Subtype /Widget /Rect [0 0 0 0] "
        b"/P 3 0 R /V 5 0 R >>",
        b"<< /Type /Sig /Filter /Adobe.PPKLite /SubFilter /adbe.pkcs7.detached "
        b"/M (D:"
        + PDF_MOMENT.astimezone(datetime.timezone(datetime.timedelta(hours=2)))
        .strftime("%Y%m%d%H%M%S+02'00'")
        .encode()
        + b") "
        + placeholder
        + b" /Contents <"
        + b"0" * (reserve * 2)
        + b"> >>",
    ]
    out = bytearray(b"%PDF-1.7\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    hole_start = out.index(b"/Contents <") + len(b"/Contents ")
    hole_end = out.index(b">", hole_start) + 1
    byte_range = b"/ByteRange [0 %d %d %d]" % (
        hole_start,
        hole_end,
        len(out) - hole_end,
    )
    at = out.index(placeholder)
    out[at : at + len(placeholder)] = byte_range.ljust(len(placeholder))
    signed = bytes(out[:hole_start]) + bytes(out[hole_end:])
    der = _sign_cms(signer, signed, attributes=attributes)
    contents = der.hex().encode().ljust(reserve * 2, b"0")
    out[hole_start + 1 : hole_end - 1] = contents
    return bytes(out)


def _signed_xml(signer):
    root = etree.fromstring(
        "<Application><Applicant>Мария Георгиева</Applicant>"
        "<Subject>Удостоверение за наследници</Subject></Application>".encode()
    )
    xmldsig.sign_enveloped(root, signer[0], signer[1])
    return xmldsig.tostring(root)


# ---------------------------------------------------------------- CMS


def test_detached_cms_reports_the_signer_and_is_qualified(person, qualified_ca):
    result = verify_cms(
        _sign_cms(person, CONTENT), CONTENT, trusted_cas=[qualified_ca[1]]
    )
    assert result.kind == CMS_DETACHED
    assert result.valid, result.error
    assert result.qualified
    assert result.signer == "Иван Петров Иванов"
    assert (result.egn, result.eik) == (EGN, EIK)
    assert result.issuer == "Тестов квалифициран доставчик CA"
    assert result.signing_time is not None
    assert abs(result.signing_time - NOW) < datetime.timedelta(minutes=10)
    assert result.error is None


def test_enveloping_cms_carries_its_content(person, qualified_ca):
    signature = _sign_cms(person, CONTENT, detached=False)
    result = verify_cms(signature, trusted_cas=[qualified_ca[1]])
    assert result.kind == CMS_ATTACHED
    assert result.valid and result.qualified
    assert signatures.cms_content(signature) == CONTENT


def test_pem_and_pss_signatures_verify(person, qualified_ca):
    pem = _sign_cms(person, CONTENT, encoding=serialization.Encoding.PEM)
    assert verify_cms(pem, CONTENT).valid
    pss = _sign_cms(person, CONTENT, pss=True)
    assert verify_cms(pss, CONTENT, trusted_cas=[qualified_ca[1]]).qualified


def test_ecdsa_signature_verifies(certificate_factory, qualified_ca):
    signer = certificate_factory(
        "ECDSA подписващ",
        issuer=qualified_ca,
        not_before=START,
        key=ec.generate_private_key(ec.SECP256R1()),
    )
    result = verify_cms(
        _sign_cms(signer, CONTENT), CONTENT, trusted_cas=[qualified_ca[1]]
    )
    assert result.valid, result.error
    assert result.qualified


def test_tampered_content_is_invalid_with_a_reason(person, qualified_ca):
    signature = _sign_cms(person, CONTENT)
    result = verify_cms(signature, CONTENT + b"!", trusted_cas=[qualified_ca[1]])
    assert not result.valid
    assert not result.qualified
    assert "changed after it was signed" in result.error
    # The signer is still shown, so the clerk knows whom to ask.
    assert result.signer == "Иван Петров Иванов"


def test_tampered_signature_value_does_not_verify(person):
    signature = bytearray(_sign_cms(person, CONTENT))
    signature[-5] ^= 0xFF  # inside the RSA signature value, the last field
    result = verify_cms(bytes(signature), CONTENT)
    assert not result.valid
    assert "does not verify" in result.error


def test_untrusted_ca_is_valid_but_not_qualified(stranger, qualified_ca):
    result = verify_cms(
        _sign_cms(stranger, CONTENT), CONTENT, trusted_cas=[qualified_ca[1]]
    )
    assert result.valid
    assert not result.qualified
    assert result.egn is None and result.eik is None


def test_a_certificate_named_like_the_ca_but_signed_by_another_is_not_qualified(
    certificate_factory, qualified_ca
):
    # Same issuer name as the trusted CA, but signed by a different key.
    impostor_ca = certificate_factory(
        "Тестов квалифициран доставчик CA", ca=True, not_before=START
    )
    signer = certificate_factory("Самозванец", issuer=impostor_ca, not_before=START)
    result = verify_cms(
        _sign_cms(signer, CONTENT), CONTENT, trusted_cas=[qualified_ca[1]]
    )
    assert result.valid
    assert not result.qualified


def test_expired_certificate_is_invalid(certificate_factory, qualified_ca):
    expired = certificate_factory(
        "Изтекъл",
        issuer=qualified_ca,
        not_before=NOW - datetime.timedelta(days=400),
        days=30,
    )
    result = verify_cms(_sign_cms(expired, CONTENT), CONTENT)
    assert not result.valid
    assert "not valid at the time of signing" in result.error


def test_invalid_egn_is_not_reported(certificate_factory, qualified_ca):
    signer = certificate_factory(
        "Грешно ЕГН",
        issuer=qualified_ca,
        not_before=START,
        extra_subject=[(SERIAL_NUMBER, "PNOBG-7523169264")],
    )
    result = verify_cms(_sign_cms(signer, CONTENT), CONTENT)
    assert result.valid
    assert result.egn is None
    assert "ЕГН" in result.warning


@pytest.mark.parametrize(
    "data, message",
    [
        (b"", "empty"),
        (b"\x30\x82\x01\x00garbage", "damaged"),
        (b"this is not a signature!", "neither DER nor base64"),
        (b"-----BEGIN PKCS7-----\n!!!\n-----END PKCS7-----\n", "damaged"),
    ],
)
def test_corrupt_signature_gives_a_clear_message(data, message):
    result = verify_cms(data, CONTENT)
    assert not result.valid
    assert message in result.error


def test_detached_signature_without_its_file(person):
    result = verify_cms(_sign_cms(person, CONTENT))
    assert not result.valid
    assert "detached" in result.error


# ---------------------------------------------------------------- PDF


def test_signed_pdf_is_valid_and_qualified(person, qualified_ca):
    pdf = _signed_pdf(person)
    [result] = verify_pdf(pdf, [qualified_ca[1]], file_name="заявление.pdf")
    assert result.kind == PDF
    assert result.file_name == "заявление.pdf"
    assert result.valid, result.error
    assert result.qualified
    assert result.egn == EGN
    assert result.warning is None


def test_tampered_pdf_is_invalid(person):
    pdf = _signed_pdf(person).replace(
        b"MediaBox [0 0 200 200]", b"MediaBox [0 0 300 200]"
    )
    [result] = verify_pdf(pdf)
    assert not result.valid
    assert "changed after it was signed" in result.error


def test_pdf_changed_after_signing_is_reported(person):
    pdf = _signed_pdf(person) + b"6 0 obj\n(added later)\nendobj\n"
    [result] = verify_pdf(pdf)
    assert result.valid
    assert "changed after this signature" in result.warning


def test_pdf_signing_time_comes_from_the_signature(person):
    [result] = verify_pdf(_signed_pdf(person))
    # cryptography writes signingTime; /M is only a fallback.
    assert abs(result.signing_time - NOW) < datetime.timedelta(minutes=10)


def test_signature_without_signed_attributes_uses_the_pdf_date(person):
    # No signed attributes: the signature is over the content itself, and the time
    # comes from the signature dictionary's /M.
    [result] = verify_pdf(_signed_pdf(person, attributes=False))
    assert result.valid, result.error
    assert result.signing_time == PDF_MOMENT


def test_pdf_date_is_read_when_the_cms_has_none():
    match = signatures._PDF_DATE.search(b"/M (D:20261110093000+02'00')")
    moment = signatures._parse_pdf_date(match)
    assert moment == datetime.datetime(
        2026, 11, 10, 7, 30, tzinfo=datetime.timezone.utc
    )


def test_unsigned_pdf_has_no_signatures():
    assert verify_pdf(b"%PDF-1.4\n1 0 obj\n<< >>\nendobj\n%%EOF\n") == []


def test_cut_pdf_and_damaged_contents_give_clear_messages(person):
    pdf = _signed_pdf(person)
    [cut] = verify_pdf(pdf[: len(pdf) // 2 + 20000] if len(pdf) > 40000 else pdf[:-50])
    assert not cut.valid
    assert "cut short" in cut.error
    damaged = re.sub(rb"/Contents <([0-9a-f]{40})", rb"/Contents <zz\1", pdf, count=1)
    [result] = verify_pdf(damaged)
    assert not result.valid
    assert "/Contents" in result.error
    garbage = re.sub(
        rb"/Contents <[0-9a-f]{40}", b"/Contents <" + b"ab" * 20, pdf, count=1
    )
    [result] = verify_pdf(garbage)
    assert not result.valid
    assert result.error


# ---------------------------------------------------------------- XML


def test_signed_xml_is_valid_and_qualified(person, qualified_ca):
    [result] = verify_xml(_signed_xml(person), [qualified_ca[1]], file_name="a.xml")
    assert result.kind == XML
    assert result.valid, result.error
    assert result.qualified
    assert result.signer == "Иван Петров Иванов"
    assert result.eik == EIK


def test_tampered_xml_is_invalid(person):
    xml = _signed_xml(person).replace("Мария".encode(), "Марин".encode())
    [result] = verify_xml(xml)
    assert not result.valid
    assert "does not verify" in result.error


def test_unsigned_and_broken_xml():
    assert verify_xml(b"<a><b/></a>") == []
    [broken] = verify_xml(b"<a><b></a>")
    assert not broken.valid
    assert "cannot be read" in broken.error


# ---------------------------------------------------------------- finding


def test_find_signatures_among_the_files_of_a_document(person, qualified_ca):
    files = {
        "заявление.pdf": CONTENT,
        "заявление.pdf.p7s": _sign_cms(person, CONTENT),
        "договор.pdf.p7m": _sign_cms(person, b"contract", detached=False),
        "сам.txt.p7s": _sign_cms(person, b"lonely"),
        "подписан.pdf": _signed_pdf(person),
        "данни.xml": _signed_xml(person),
        "бележка.txt": b"plain text",
        "неподписан.xml": b"<a/>",
    }
    results = find_signatures(files, [qualified_ca[1]])
    found = {(r.file_name, r.kind, r.signed_file): r for r in results}
    assert set(found) == {
        ("заявление.pdf.p7s", CMS_DETACHED, "заявление.pdf"),
        ("договор.pdf.p7m", CMS_ATTACHED, "договор.pdf"),
        ("сам.txt.p7s", CMS_ATTACHED, "сам.txt"),
        ("подписан.pdf", PDF, "подписан.pdf"),
        ("данни.xml", XML, "данни.xml"),
    }
    lonely = found[("сам.txt.p7s", CMS_ATTACHED, "сам.txt")]
    assert not lonely.valid
    assert "сам.txt is missing" in lonely.error
    assert all(r.valid and r.qualified for r in results if r.file_name != "сам.txt.p7s")


def test_unreadable_trust_list_entry_is_skipped(person, qualified_ca):
    result = verify_cms(
        _sign_cms(person, CONTENT),
        CONTENT,
        trusted_cas=[b"not a certificate", qualified_ca[1]],
    )
    assert result.qualified


def test_certificate_fingerprint_and_summary(qualified_ca):
    cert = x509.load_pem_x509_certificate(qualified_ca[1])
    der = cert.public_bytes(serialization.Encoding.DER)
    assert signatures.certificate_fingerprint(qualified_ca[1]) == (
        signatures.certificate_fingerprint(der)
    )
    summary = signatures.certificate_summary(der)
    assert "Тестов квалифициран доставчик CA" in summary["subject"]
    with pytest.raises(ValueError):
        signatures.certificate_fingerprint(b"junk")
