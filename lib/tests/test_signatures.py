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
    [result] = verify_cms(
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
    [result] = verify_cms(signature, trusted_cas=[qualified_ca[1]])
    assert result.kind == CMS_ATTACHED
    assert result.valid and result.qualified
    assert signatures.cms_content(signature) == CONTENT


def test_pem_and_pss_signatures_verify(person, qualified_ca):
    pem = _sign_cms(person, CONTENT, encoding=serialization.Encoding.PEM)
    [result] = verify_cms(pem, CONTENT)
    assert result.valid
    pss = _sign_cms(person, CONTENT, pss=True)
    [result] = verify_cms(pss, CONTENT, trusted_cas=[qualified_ca[1]])
    assert result.qualified


def test_ecdsa_signature_verifies(certificate_factory, qualified_ca):
    signer = certificate_factory(
        "ECDSA подписващ",
        issuer=qualified_ca,
        not_before=START,
        key=ec.generate_private_key(ec.SECP256R1()),
    )
    [result] = verify_cms(
        _sign_cms(signer, CONTENT), CONTENT, trusted_cas=[qualified_ca[1]]
    )
    assert result.valid, result.error
    assert result.qualified


def test_tampered_content_is_invalid_with_a_reason(person, qualified_ca):
    signature = _sign_cms(person, CONTENT)
    [result] = verify_cms(signature, CONTENT + b"!", trusted_cas=[qualified_ca[1]])
    assert not result.valid
    assert not result.qualified
    assert "changed after it was signed" in result.error
    assert result.error_code == "digest_mismatch"
    # The signer is still shown, so the clerk knows whom to ask.
    assert result.signer == "Иван Петров Иванов"


def test_tampered_signature_value_does_not_verify(person):
    signature = bytearray(_sign_cms(person, CONTENT))
    signature[-5] ^= 0xFF  # inside the RSA signature value, the last field
    [result] = verify_cms(bytes(signature), CONTENT)
    assert not result.valid
    assert "does not verify" in result.error
    assert result.error_code == "bad_signature"


def test_untrusted_ca_is_valid_but_not_qualified(stranger, qualified_ca):
    [result] = verify_cms(
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
    [result] = verify_cms(
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
    [result] = verify_cms(_sign_cms(expired, CONTENT), CONTENT)
    assert not result.valid
    assert "not valid at the time of signing" in result.error
    assert result.error_code == "expired"


def test_certificate_not_yet_valid_has_its_own_code(certificate_factory, qualified_ca):
    future = certificate_factory(
        "Бъдещ",
        issuer=qualified_ca,
        not_before=NOW + datetime.timedelta(days=10),
    )
    [result] = verify_cms(_sign_cms(future, CONTENT), CONTENT)
    assert not result.valid
    assert result.error_code == "not_yet_valid"


def test_invalid_egn_is_not_reported(certificate_factory, qualified_ca):
    signer = certificate_factory(
        "Грешно ЕГН",
        issuer=qualified_ca,
        not_before=START,
        extra_subject=[(SERIAL_NUMBER, "PNOBG-7523169264")],
    )
    [result] = verify_cms(_sign_cms(signer, CONTENT), CONTENT)
    assert result.valid
    assert result.egn is None
    assert "ЕГН" in result.warning
    assert result.warning_codes == ("invalid_egn",)
    assert result.error_code is None


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
    [result] = verify_cms(data, CONTENT)
    assert not result.valid
    assert message in result.error
    assert result.error_code == "corrupt"


def test_detached_signature_without_its_file(person):
    [result] = verify_cms(_sign_cms(person, CONTENT))
    assert not result.valid
    assert "detached" in result.error
    assert result.error_code == "content_missing"


def test_every_code_is_documented():
    assert set(signatures.ERROR_CODES).isdisjoint(signatures.WARNING_CODES)
    assert {"digest_mismatch", "bad_signature", "corrupt", "revoked"} <= set(
        signatures.ERROR_CODES
    )


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
    assert result.error_code == "digest_mismatch"


def test_pdf_changed_after_signing_is_reported(person):
    pdf = _signed_pdf(person) + b"6 0 obj\n(added later)\nendobj\n"
    [result] = verify_pdf(pdf)
    assert result.valid
    assert "changed after this signature" in result.warning
    assert result.warning_codes == ("changed_after_signing",)


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
    assert result.error_code == "bad_signature"


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
    assert lonely.error_code == "content_missing"
    assert all(r.valid and r.qualified for r in results if r.file_name != "сам.txt.p7s")


def test_unreadable_trust_list_entry_is_skipped(person, qualified_ca):
    [result] = verify_cms(
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


# ---------------------------------------------------------------- several signers


def _cosigned(signers, data, *, detached=True):
    builder = pkcs7.PKCS7SignatureBuilder().set_data(data)
    for key_pem, cert_pem in signers:
        builder = builder.add_signer(
            x509.load_pem_x509_certificate(cert_pem),
            serialization.load_pem_private_key(key_pem, None),
            hashes.SHA256(),
        )
    options = [pkcs7.PKCS7Options.Binary]
    if detached:
        options.append(pkcs7.PKCS7Options.DetachedSignature)
    return builder.sign(serialization.Encoding.DER, options)


def _by_signer(results):
    # SignerInfos are a DER SET OF: their order in the file is not the signing order.
    return sorted(results, key=lambda r: r.signer or "")


def test_every_signer_of_a_cms_is_reported(person, stranger, qualified_ca):
    signature = _cosigned([person, stranger], CONTENT)
    results = verify_cms(signature, CONTENT, trusted_cas=[qualified_ca[1]])
    assert sorted(r.signer_index for r in results) == [0, 1]
    first, second = _by_signer(results)
    assert first.signer == "Иван Петров Иванов"
    assert first.valid and first.qualified
    assert first.egn == EGN
    assert second.signer == "Петър Чужденец"
    assert second.valid and not second.qualified
    # A changed file breaks both signatures, and both say so.
    changed = verify_cms(signature, CONTENT + b"!", trusted_cas=[qualified_ca[1]])
    assert [r.error_code for r in changed] == ["digest_mismatch"] * 2
    assert [r.signer for r in _by_signer(changed)] == [
        "Иван Петров Иванов",
        "Петър Чужденец",
    ]


def test_a_cosigned_p7m_gives_one_result_per_signer(person, stranger, qualified_ca):
    files = {
        "договор.pdf.p7m": _cosigned([person, stranger], b"contract", detached=False)
    }
    results = _by_signer(find_signatures(files, [qualified_ca[1]]))
    assert [(r.file_name, r.signed_file, r.kind) for r in results] == [
        ("договор.pdf.p7m", "договор.pdf", CMS_ATTACHED)
    ] * 2
    assert [r.qualified for r in results] == [True, False]


def test_a_signer_without_its_certificate_does_not_hide_the_other(
    person, stranger, qualified_ca
):
    signature = _cosigned([person, stranger], CONTENT)
    info = signatures._load_cms(signature)
    certificates = info["content"]["certificates"]
    # Keep only the first signer's certificate.
    keep = [c for c in certificates if "Иван" in c.chosen.subject.human_friendly]
    info["content"]["certificates"] = keep
    results = verify_cms(info.dump(force=True), CONTENT)
    assert [r.valid for r in results].count(True) == 1
    [found] = [r for r in results if r.valid]
    assert found.signer == "Иван Петров Иванов"
    [lost] = [r for r in results if not r.valid]
    assert lost.error_code == "certificate_missing"


# ---------------------------------------------------------------- revocation


def _crl(ca, revoked=(), *, signed_by=None, pem=False):
    """A CRL in ``ca``'s name, signed by ``signed_by`` (by ``ca`` itself unless
    given); ``revoked`` holds ``(serial_number, revocation_date)`` pairs."""
    key = serialization.load_pem_private_key((signed_by or ca)[0], None)
    builder = (
        x509.CertificateRevocationListBuilder()
        .issuer_name(x509.load_pem_x509_certificate(ca[1]).subject)
        .last_update(NOW - datetime.timedelta(hours=2))
        .next_update(NOW + datetime.timedelta(days=7))
    )
    for serial, moment in revoked:
        builder = builder.add_revoked_certificate(
            x509.RevokedCertificateBuilder()
            .serial_number(serial)
            .revocation_date(moment)
            .build()
        )
    crl = builder.sign(key, hashes.SHA256())
    encoding = serialization.Encoding.PEM if pem else serialization.Encoding.DER
    return crl.public_bytes(encoding)


def _serial(signer):
    return x509.load_pem_x509_certificate(signer[1]).serial_number


def test_certificate_revoked_before_signing_is_invalid(person, qualified_ca):
    revoked_at = (NOW - datetime.timedelta(days=2)).replace(microsecond=0)
    crl = _crl(qualified_ca, [(_serial(person), revoked_at)])
    [result] = verify_cms(
        _sign_cms(person, CONTENT),
        CONTENT,
        trusted_cas=[qualified_ca[1]],
        crls=[crl],
    )
    assert not result.valid
    assert not result.qualified
    assert result.error_code == "revoked"
    assert result.revoked_on == revoked_at
    assert revoked_at.strftime("%Y-%m-%d %H:%M") in result.error
    # The signer is still shown.
    assert result.egn == EGN


def test_a_pem_crl_counts_as_well(person, qualified_ca):
    revoked_at = NOW - datetime.timedelta(days=2)
    crl = _crl(qualified_ca, [(_serial(person), revoked_at)], pem=True)
    [result] = verify_pdf(_signed_pdf(person), [qualified_ca[1]], crls=[crl])
    assert result.error_code == "revoked"


def test_certificate_revoked_after_signing_stays_valid_with_a_warning(
    person, qualified_ca
):
    # Without signed attributes the signing time is the PDF's /M: yesterday.
    revoked_at = (NOW - datetime.timedelta(hours=1)).replace(microsecond=0)
    crl = _crl(qualified_ca, [(_serial(person), revoked_at)])
    [result] = verify_pdf(
        _signed_pdf(person, attributes=False), [qualified_ca[1]], crls=[crl]
    )
    assert result.signing_time == PDF_MOMENT
    assert result.valid and result.qualified
    assert result.error_code is None
    assert result.warning_codes == ("revoked_after_signing",)
    assert result.revoked_on == revoked_at
    assert "after the signing time" in result.warning


def test_a_crl_not_signed_by_its_ca_is_ignored_with_a_warning(
    person, qualified_ca, other_ca
):
    forged = _crl(
        qualified_ca,
        [(_serial(person), NOW - datetime.timedelta(days=2))],
        signed_by=other_ca,
    )
    [result] = verify_cms(
        _sign_cms(person, CONTENT),
        CONTENT,
        trusted_cas=[qualified_ca[1]],
        crls=[forged],
    )
    assert result.valid and result.qualified
    assert result.revoked_on is None
    assert result.warning_codes == ("crl_not_signed",)


def test_crls_of_other_cas_and_unreadable_ones_do_not_matter(
    person, stranger, qualified_ca, other_ca
):
    # The stranger's serial on another CA's list does not revoke the person.
    crls = [b"not a CRL", _crl(other_ca, [(_serial(person), START)])]
    [result] = verify_cms(
        _sign_cms(person, CONTENT), CONTENT, trusted_cas=[qualified_ca[1]], crls=crls
    )
    assert result.valid and result.qualified
    assert result.warning_codes == ()
    # An untrusted CA's list cannot be checked: ignored, and said so.
    [result] = verify_cms(
        _sign_cms(stranger, CONTENT),
        CONTENT,
        trusted_cas=[qualified_ca[1]],
        crls=[_crl(other_ca, [(_serial(stranger), START)])],
    )
    assert result.valid
    assert result.warning_codes == ("crl_not_signed",)


def test_crl_summary(person, qualified_ca, other_ca):
    crl = _crl(qualified_ca, [(_serial(person), START)])
    summary = signatures.crl_summary(crl, qualified_ca[1])
    assert "Тестов квалифициран доставчик CA" in summary["issuer"]
    assert summary["revoked"] == 1
    assert summary["signed_by_ca"] is True
    assert abs(summary["next_update"] - (NOW + datetime.timedelta(days=7))) < (
        datetime.timedelta(seconds=1)
    )
    assert summary["last_update"] < summary["next_update"]
    assert signatures.crl_summary(crl, other_ca[1])["signed_by_ca"] is False
    assert signatures.crl_summary(crl)["signed_by_ca"] is None
    with pytest.raises(ValueError):
        signatures.crl_summary(b"junk")
