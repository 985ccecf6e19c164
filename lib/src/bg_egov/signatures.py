"""Electronic signatures on received files: found, verified and described.

Three shapes reach a municipality:

* CMS ``SignedData`` (RFC 5652) — detached beside the file (``x.pdf`` + ``x.pdf.p7s``),
  or enveloping the file (``x.pdf.p7m``, or a ``.p7s`` that carries its content);
* signed PDF (ISO 32000-1 §12.8): a CMS over the ``/ByteRange`` of the file, the
  signature itself sitting in the hole between the ranges as ``/Contents <hex>``;
* signed XML: an enveloped XMLDSig checked with :mod:`bg_egov.xmldsig`.

Every check returns a :class:`SignatureCheck`: who signed (common name, and the ЕГН or
ЕИК that Bulgarian qualified certificates carry in the subject as ``serialNumber``
``PNOBG-<ЕГН>`` and ``organizationIdentifier`` ``NTRBG-<ЕИК>``, ETSI EN 319 412-1
§5.1.3), the issuer, when, whether the signature verifies and whether it is qualified:
the signer's certificate was issued and signed by one of the trusted qualified CAs the
caller gives and was valid when the file was signed. Every signer of a CMS is
reported, one result each.

Revocation is checked against the CRLs the caller gives (``crls=``): a certificate
revoked before the signing time makes the signature invalid, one revoked after it
leaves it valid with a warning, and a CRL that its CA did not sign is ignored with a
warning. Nothing is fetched: downloading CRLs and asking OCSP responders needs the
network and belongs to the caller.

Corrupt input never raises: it gives an invalid result whose ``error`` says what is
wrong, so a caller can keep the file and show the reason. Besides the English
``error``/``warning`` text every result carries stable codes (``error_code``,
``warning_codes``, see :data:`ERROR_CODES` and :data:`WARNING_CODES`) for a caller
that shows its own, translated messages.

Parsing is done with ``asn1crypto`` (which Odoo 18 pins) and the arithmetic with
``cryptography``, using only APIs that exist from cryptography 3.4.8 on.
"""

import base64
import binascii
import dataclasses
import datetime
import hashlib
import re

from asn1crypto import cms, pem
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.exceptions import InvalidSignature, UnsupportedAlgorithm
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa

from . import identifiers, safexml, xmldsig
from .errors import BgEgovError

CMS_DETACHED = "cms_detached"
CMS_ATTACHED = "cms_attached"
PDF = "pdf"
XML = "xml"

#: ``SignatureCheck.error_code``: why a signature is not valid.
ERROR_CODES = {
    "corrupt": "the signature (or the PDF or XML around it) cannot be read",
    "signature_field_empty": "a PDF signature field that was never signed",
    "content_missing": "a detached signature whose signed file is not there",
    "content_mismatch": "an enveloping signature whose content is not the file",
    "certificate_missing": "the signature does not carry the signer's certificate",
    "digest_mismatch": "the file was changed after it was signed",
    "bad_signature": "the signature value does not verify with the certificate",
    "unsupported": "an algorithm this module does not know",
    "expired": "the certificate had expired when the file was signed",
    "not_yet_valid": "the certificate was not yet valid when the file was signed",
    "revoked": "the certificate was revoked before the file was signed",
}
#: ``SignatureCheck.warning_codes``: caveats of a valid signature.
WARNING_CODES = {
    "changed_after_signing": "the PDF was changed after this signature",
    "invalid_egn": "the ЕГН in the certificate does not check",
    "invalid_eik": "the ЕИК in the certificate does not check",
    "revoked_after_signing": "the certificate was revoked after the signing time",
    "crl_not_signed": "a CRL of the issuer is not signed by that CA: ignored",
}

_HASHES = {
    "sha1": hashes.SHA1,
    "sha224": hashes.SHA224,
    "sha256": hashes.SHA256,
    "sha384": hashes.SHA384,
    "sha512": hashes.SHA512,
}
# ETSI EN 319 412-1 §5.1.3: semantics identifier prefixes of natural and legal persons.
_OID_SERIAL_NUMBER = x509.ObjectIdentifier("2.5.4.5")
_OID_ORGANIZATION_IDENTIFIER = x509.ObjectIdentifier("2.5.4.97")
_BYTE_RANGE = re.compile(rb"/ByteRange\s*\[\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*\]")
_PDF_DATE = re.compile(
    rb"/M\s*\(D:(\d{4})(\d{2})?(\d{2})?(\d{2})?(\d{2})?(\d{2})?"
    rb"(?:([Zz+-])(\d{2})?'?(\d{2})?'?)?\)"
)
_XADES_SIGNING_TIME = re.compile(
    rb"<(?:\w+:)?SigningTime>([^<]+)</(?:\w+:)?SigningTime>"
)


class _Invalid(Exception):
    """A reason for an invalid result, raised inside this module only."""

    def __init__(self, message, code="corrupt"):
        super().__init__(message)
        self.code = code


@dataclasses.dataclass(frozen=True)
class SignatureCheck:
    """One signature found on a file, and what verifying it showed.

    :ivar str kind: ``cms_detached``, ``cms_attached``, ``pdf`` or ``xml``.
    :ivar str file_name: the file that carries the signature (the ``.p7s`` itself for a
        detached one).
    :ivar str signed_file: the file the signature covers.
    :ivar str signer: the common name of the signer's certificate.
    :ivar str egn: the signer's ЕГН (``PNOBG-`` serial number), when valid.
    :ivar str eik: the organisation's ЕИК (``NTRBG-`` identifier), when valid.
    :ivar str subject: the whole subject (RFC 4514).
    :ivar str issuer: the issuer's common name, or the whole issuer name.
    :ivar datetime.datetime signing_time: aware; from the signed ``signingTime``
        attribute, XAdES ``SigningTime`` or the PDF's ``/M``; ``None`` if none.
    :ivar bool valid: the signature verifies over the file and the certificate was
        valid at signing time.
    :ivar bool qualified: valid, and the certificate was issued by a trusted CA.
    :ivar str error: why it is not valid (``None`` when it is), English.
    :ivar str warning: a valid signature's caveats (a PDF changed after signing,
        an ЕГН that does not check), English, joined with ``"; "``.
    :ivar int serial_number: the certificate's serial number.
    :ivar str error_code: one of :data:`ERROR_CODES` (``None`` when valid).
    :ivar tuple warning_codes: codes of :data:`WARNING_CODES`, in the order of
        ``warning``.
    :ivar datetime.datetime revoked_on: aware; when a CRL says the certificate was
        revoked (before signing: invalid; after: a warning).
    :ivar int signer_index: the position of the ``SignerInfo`` in its CMS.
    """

    kind: str
    file_name: str
    signed_file: str | None = None
    signer: str | None = None
    egn: str | None = None
    eik: str | None = None
    subject: str | None = None
    issuer: str | None = None
    signing_time: datetime.datetime | None = None
    valid: bool = False
    qualified: bool = False
    error: str | None = None
    warning: str | None = None
    serial_number: int | None = None
    error_code: str | None = None
    warning_codes: tuple = ()
    revoked_on: datetime.datetime | None = None
    signer_index: int = 0


# ---------------------------------------------------------------- public functions


def verify_cms(
    signature,
    content=None,
    *,
    trusted_cas=(),
    crls=(),
    file_name=None,
    signed_file=None,
):
    """Verify a CMS ``SignedData`` (RFC 5652 §5), detached or enveloping.

    For each signer, the ``messageDigest`` signed attribute must be the digest of the
    content, and the signature is checked over the DER ``SET OF`` signed attributes
    (§5.4) with the signer certificate's key: RSA PKCS#1 v1.5, RSA-PSS or ECDSA.

    :param bytes signature: DER, PEM (``-----BEGIN PKCS7-----``/``CMS``) or base64.
    :param bytes content: the signed file for a detached signature; ``None`` when the
        content is inside the CMS.
    :param trusted_cas: certificates (PEM/DER bytes or ``cryptography`` objects) of
        the trusted qualified CAs.
    :param crls: certificate revocation lists (PEM/DER bytes or ``cryptography``
        objects) of those CAs; unreadable ones are skipped.
    :returns: a list of :class:`SignatureCheck`, one per ``SignerInfo`` in their
        order; a CMS that cannot be read gives one invalid result (never raises on
        bad input).
    """
    kind = CMS_DETACHED if content is not None else CMS_ATTACHED
    base = {"kind": kind, "file_name": file_name, "signed_file": signed_file}
    try:
        content_info = _load_cms(signature)
        return _check_signed_data(
            content_info, content, _load_trusted(trusted_cas), _load_crls(crls), base
        )
    except _Invalid as exc:
        return [_failed(base, exc)]


def cms_content(signature):
    """Return the content enveloped in a CMS ``SignedData`` (a ``.p7m``'s file), or
    ``None`` when it is detached or cannot be read."""
    try:
        info = _load_cms(signature)
        return info["content"]["encap_content_info"]["content"].native
    except (_Invalid, ValueError, TypeError, KeyError):
        return None


def verify_pdf(data, trusted_cas=(), *, crls=(), file_name=None):
    """Verify every signature of a PDF (ISO 32000-1 §12.8.1).

    For each ``/ByteRange [a b c d]`` the bytes ``[a, a+b)`` and ``[c, c+d)`` are the
    signed content, and the hole between them holds ``/Contents <hex>``, the CMS. A
    signature whose ranges do not reach the end of the file was followed by changes
    (an incremental update): it stays valid for what it covers, with a warning.

    :param bytes data: the PDF.
    :param crls: as for :func:`verify_cms`.
    :returns: a list of :class:`SignatureCheck` (one per signer of each signature),
        empty for an unsigned PDF; a corrupt signature gives an invalid result, never
        an exception.
    """
    trusted = _load_trusted(trusted_cas)
    revocations = _load_crls(crls)
    results = []
    for match in _BYTE_RANGE.finditer(data):
        base = {"kind": PDF, "file_name": file_name, "signed_file": file_name}
        try:
            start1, length1, start2, length2 = (int(g) for g in match.groups())
            if not (
                start1 < start1 + length1 < start2 <= start2 + length2 <= len(data)
            ):
                raise _Invalid(
                    "the signature's byte ranges do not fit the file: the PDF is "
                    "damaged or was cut short"
                )
            hole = data[start1 + length1 : start2].strip()
            if not (hole.startswith(b"<") and hole.endswith(b">")):
                raise _Invalid("the signature value (/Contents) cannot be read")
            try:
                der = binascii.unhexlify(re.sub(rb"\s", b"", hole[1:-1]))
            except (binascii.Error, ValueError):
                raise _Invalid("the signature value (/Contents) is not hex") from None
            if not der.strip(b"\0"):
                raise _Invalid(
                    "the signature field is empty (not signed yet)",
                    "signature_field_empty",
                )
            signed = data[start1 : start1 + length1] + data[start2 : start2 + length2]
            changed = start1 != 0 or start2 + length2 != len(data)
            content_info = _load_cms(der, padded=True)
            # Without a signed signingTime, the signature dictionary's /M is the
            # claimed time of signing (for validity and revocation as well).
            moment = _pdf_signature_date(data, match.start())
            for result in _check_signed_data(
                content_info, signed, trusted, revocations, base, moment
            ):
                if result.signing_time is None:
                    result = dataclasses.replace(result, signing_time=moment)
                if changed and result.valid:
                    result = _with_warning(
                        result,
                        "changed_after_signing",
                        "the PDF was changed after this signature: the signature "
                        "covers only a part of the file",
                    )
                results.append(result)
        except _Invalid as exc:
            results.append(_failed(base, exc))
    return results


def verify_xml(data, trusted_cas=(), *, crls=(), file_name=None):
    """Verify the enveloped XMLDSig signature of an XML file.

    The XML is parsed with :func:`bg_egov.safexml.parse`; the signature is checked by
    :func:`bg_egov.xmldsig.verify_enveloped` with the certificate in its ``KeyInfo``.

    :param crls: as for :func:`verify_cms`.
    :returns: a list with one :class:`SignatureCheck`, or empty when the XML carries
        no signature; unreadable XML gives an invalid result.
    """
    base = {"kind": XML, "file_name": file_name, "signed_file": file_name}
    try:
        root = safexml.parse(data)
    except (BgEgovError, ValueError) as exc:
        return [
            SignatureCheck(
                **base, error=f"the XML cannot be read: {exc}", error_code="corrupt"
            )
        ]
    if root.find(f".//{{{xmldsig.DSIG_NS}}}Signature") is None:
        return []
    moment = _xades_signing_time(data)
    try:
        info = xmldsig.verify_enveloped(root)
    except BgEgovError as exc:
        code = "bad_signature" if exc.code == "signature_invalid" else "corrupt"
        return [
            SignatureCheck(**base, signing_time=moment, error=str(exc), error_code=code)
        ]
    certificate = x509.load_pem_x509_certificate(info.certificate_pem)
    return [
        _describe(
            certificate,
            _load_trusted(trusted_cas),
            _load_crls(crls),
            moment,
            base,
        )
    ]


def find_signatures(files, trusted_cas=(), crls=()):
    """Find and verify the signatures among the files of one document.

    * ``x.p7s`` beside ``x``: a detached CMS over ``x``;
    * ``x.p7s`` alone or ``x.p7m``: a CMS that must carry its content;
    * a PDF with ``/ByteRange``: its signatures;
    * an XML with a ``ds:Signature``: its enveloped signature.

    :param dict files: file name → content (bytes).
    :param crls: as for :func:`verify_cms`.
    :returns: a list of :class:`SignatureCheck`, in the order of ``files`` (and of
        the signers within a file).
    """
    trusted = _load_trusted(trusted_cas)
    revocations = _load_crls(crls)
    results = []
    for name, data in files.items():
        lower = name.lower()
        if lower.endswith((".p7s", ".p7m")):
            target = name[:-4]
            if target in files and lower.endswith(".p7s"):
                results.extend(
                    verify_cms(
                        data,
                        files[target],
                        trusted_cas=trusted,
                        crls=revocations,
                        file_name=name,
                        signed_file=target,
                    )
                )
                continue
            for result in verify_cms(
                data,
                trusted_cas=trusted,
                crls=revocations,
                file_name=name,
                signed_file=target,
            ):
                if result.error_code == "content_missing":
                    result = dataclasses.replace(
                        result,
                        error=f"the signed file {target} is missing beside the "
                        "signature",
                    )
                results.append(result)
        elif data[:1024].lstrip().startswith(b"%PDF") or lower.endswith(".pdf"):
            if b"/ByteRange" in data:
                results.extend(
                    verify_pdf(data, trusted, crls=revocations, file_name=name)
                )
        elif (lower.endswith(".xml") or data[:64].lstrip().startswith(b"<")) and (
            xmldsig.DSIG_NS.encode() in data
        ):
            results.extend(verify_xml(data, trusted, crls=revocations, file_name=name))
    return results


def certificate_fingerprint(certificate):
    """The SHA-256 fingerprint of a PEM or DER certificate, as lowercase hex.

    :raises ValueError: the bytes are not a certificate.
    """
    return _load_certificate(certificate).fingerprint(hashes.SHA256()).hex()


def certificate_summary(certificate):
    """Subject, issuer and validity of a PEM or DER certificate, as a dict of text
    and aware datetimes (for showing a trust-list entry).

    :raises ValueError: the bytes are not a certificate.
    """
    cert = _load_certificate(certificate)
    return {
        "subject": cert.subject.rfc4514_string(),
        "issuer": cert.issuer.rfc4514_string(),
        "not_before": _validity(cert, "not_valid_before"),
        "not_after": _validity(cert, "not_valid_after"),
        "fingerprint": cert.fingerprint(hashes.SHA256()).hex(),
    }


def crl_summary(crl, ca=None):
    """Issuer, dates and size of a PEM or DER certificate revocation list (RFC 5280
    §5), for showing it beside its CA.

    :param ca: the CA's certificate (PEM/DER bytes or object): when given,
        ``signed_by_ca`` tells whether that CA issued and signed the list.
    :returns: a dict: ``issuer`` (text), ``last_update`` and ``next_update`` (aware
        datetimes; ``next_update`` may be ``None``), ``revoked`` (how many entries),
        ``signed_by_ca`` (``None`` without ``ca``).
    :raises ValueError: the bytes are not a CRL, or ``ca`` is not a certificate.
    """
    revocation_list = _load_crl(crl)
    signed = None
    if ca is not None:
        signed = _crl_signed_by(revocation_list, _load_certificate(ca))
    return {
        "issuer": revocation_list.issuer.rfc4514_string(),
        "last_update": _aware(revocation_list, "last_update"),
        "next_update": _aware(revocation_list, "next_update"),
        "revoked": len(revocation_list),
        "signed_by_ca": signed,
    }


# ---------------------------------------------------------------- CMS

_DETACHED_WITHOUT_CONTENT = "the signature is detached and its file is missing"


def _load_cms(signature, padded=False):
    data = signature if isinstance(signature, bytes) else bytes(signature or b"")
    if not data.strip():
        raise _Invalid("the signature file is empty")
    stripped = data.strip()
    if pem.detect(stripped):
        try:
            _type, _headers, data = pem.unarmor(stripped)
        except ValueError:
            raise _Invalid("the PEM signature cannot be read") from None
    elif stripped[:1] != b"\x30":
        try:
            data = base64.b64decode(b"".join(stripped.split()), validate=True)
        except (binascii.Error, ValueError):
            raise _Invalid(
                "the signature is not CMS (neither DER nor base64)"
            ) from None
    try:
        # A PDF reserves more room than the CMS needs: trailing bytes are allowed.
        info = cms.ContentInfo.load(data, strict=not padded)
        content_type = info["content_type"].native
        if content_type != "signed_data":
            raise _Invalid(f"the CMS is {content_type}, not signed data")
        signed_data = info["content"]
        # Parse lazily loaded parts now, so damage shows here and not later.
        signed_data["signer_infos"].native  # noqa: B018
    except _Invalid:
        raise
    except (ValueError, TypeError, KeyError, OverflowError) as exc:
        raise _Invalid(f"the signature is damaged: {exc}") from None
    return info


def _check_signed_data(content_info, content, trusted, crls, base, moment=None):
    """One result per ``SignerInfo``; a signer that cannot be checked gives an
    invalid result without hiding the others."""
    try:
        signed_data = content_info["content"]
        encapsulated = signed_data["encap_content_info"]["content"].native
        if content is None:
            if encapsulated is None:
                raise _Invalid(_DETACHED_WITHOUT_CONTENT, "content_missing")
            content = encapsulated
        elif encapsulated is not None and encapsulated != content:
            raise _Invalid(
                "the signature carries content different from the file",
                "content_mismatch",
            )
        signer_infos = list(signed_data["signer_infos"])
    except (ValueError, TypeError, KeyError, OverflowError) as exc:
        raise _Invalid(f"the signature is damaged: {exc}") from None
    if not signer_infos:
        raise _Invalid("the CMS has no signer")
    results = []
    for index, signer_info in enumerate(signer_infos):
        signer_base = dict(base, signer_index=index)
        try:
            results.append(
                _check_signer(
                    signed_data,
                    signer_info,
                    content,
                    trusted,
                    crls,
                    signer_base,
                    moment,
                )
            )
        except _Invalid as exc:
            results.append(_failed(signer_base, exc))
        except (ValueError, TypeError, KeyError, OverflowError) as exc:
            results.append(
                _failed(signer_base, _Invalid(f"the signature is damaged: {exc}"))
            )
    return results


def _check_signer(
    signed_data, signer_info, content, trusted, crls, base, fallback_time
):
    certificate = _signer_certificate(signed_data, signer_info)
    digest_name = signer_info["digest_algorithm"]["algorithm"].native
    if digest_name not in _HASHES:
        raise _Invalid(f"unsupported digest algorithm {digest_name}", "unsupported")
    signed_attrs = signer_info["signed_attrs"]
    moment = fallback_time
    if isinstance(signed_attrs, cms.CMSAttributes) and len(signed_attrs):
        attributes = {a["type"].native: a["values"] for a in signed_attrs}
        digest = attributes.get("message_digest")
        if digest is None:
            raise _Invalid("the signed attributes carry no message digest")
        moment = _signing_time(attributes) or fallback_time
        expected = hashlib.new(digest_name, content).digest()
        if digest[0].native != expected:
            return _describe(
                certificate,
                trusted,
                crls,
                moment,
                base,
                failure=(
                    "digest_mismatch",
                    "the file was changed after it was signed "
                    "(its digest does not match the signature)",
                ),
            )
        # RFC 5652 §5.4: the signature covers the DER of the attributes with the
        # SET OF tag, not the [0] IMPLICIT tag they carry in SignerInfo.
        raw = signed_attrs.dump()
        to_verify = b"\x31" + raw[1:]
    else:
        to_verify = content
    failure = _verify_signature(certificate, signer_info, digest_name, to_verify)
    return _describe(certificate, trusted, crls, moment, base, failure=failure)


def _failed(base, exc):
    return SignatureCheck(**base, error=str(exc), error_code=exc.code)


def _with_warning(result, code, text):
    return dataclasses.replace(
        result,
        warning="; ".join(filter(None, (result.warning, text))),
        warning_codes=(*result.warning_codes, code),
    )


def _signer_certificate(signed_data, signer_info):
    candidates = [
        choice.chosen
        for choice in (signed_data["certificates"] or [])
        if choice.name == "certificate"
    ]
    sid = signer_info["sid"]
    for candidate in candidates:
        if sid.name == "issuer_and_serial_number":
            wanted = sid.chosen
            if (
                candidate.issuer == wanted["issuer"]
                and candidate.serial_number == wanted["serial_number"].native
            ):
                return _to_cryptography(candidate)
        elif candidate.key_identifier == sid.chosen.native:
            return _to_cryptography(candidate)
    raise _Invalid(
        "the signature does not carry the signer's certificate", "certificate_missing"
    )


def _to_cryptography(certificate):
    try:
        return x509.load_der_x509_certificate(certificate.dump())
    except ValueError:
        raise _Invalid("the signer's certificate cannot be read") from None


def _verify_signature(certificate, signer_info, digest_name, data):
    """Return ``None`` when the signature over ``data`` verifies, else the reason as
    ``(error_code, text)``."""
    algorithm = signer_info["signature_algorithm"]
    signature = signer_info["signature"].native
    try:
        algo = algorithm.signature_algo
    except ValueError:
        # Some signers write the bare key algorithm (rsaEncryption) here.
        algo = algorithm["algorithm"].native
    try:
        hash_name = algorithm.hash_algo
    except ValueError:
        hash_name = digest_name
    if hash_name not in _HASHES:
        return "unsupported", f"unsupported digest algorithm {hash_name}"
    hash_algorithm = _HASHES[hash_name]()
    key = certificate.public_key()
    try:
        if algo in ("rsassa_pkcs1v15", "rsa") and isinstance(key, rsa.RSAPublicKey):
            key.verify(signature, data, padding.PKCS1v15(), hash_algorithm)
        elif algo == "rsassa_pss" and isinstance(key, rsa.RSAPublicKey):
            params = algorithm["parameters"]
            pss_hash = _HASHES.get(params["hash_algorithm"]["algorithm"].native)
            mgf_hash = _HASHES.get(
                params["mask_gen_algorithm"]["parameters"]["algorithm"].native
            )
            if pss_hash is None or mgf_hash is None:
                return "unsupported", "unsupported RSA-PSS parameters"
            key.verify(
                signature,
                data,
                padding.PSS(
                    mgf=padding.MGF1(mgf_hash()),
                    salt_length=params["salt_length"].native,
                ),
                pss_hash(),
            )
        elif algo in ("ecdsa", "ec") and isinstance(key, ec.EllipticCurvePublicKey):
            key.verify(signature, data, ec.ECDSA(hash_algorithm))
        else:
            return "unsupported", f"unsupported signature algorithm {algo}"
    except InvalidSignature:
        return (
            "bad_signature",
            "the signature does not verify with the signer's certificate",
        )
    except (UnsupportedAlgorithm, ValueError, TypeError) as exc:
        return "unsupported", f"the signature cannot be checked: {exc}"
    return None


def _signing_time(attributes):
    values = attributes.get("signing_time")
    if not values:
        return None
    moment = values[0].native
    if isinstance(moment, datetime.datetime):
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=datetime.timezone.utc)
        return moment
    return None


# ---------------------------------------------------------------- certificates


def _load_certificate(value):
    if isinstance(value, x509.Certificate):
        return value
    if isinstance(value, asn1_x509.Certificate):
        return x509.load_der_x509_certificate(value.dump())
    data = bytes(value)
    if b"-----BEGIN" in data:
        return x509.load_pem_x509_certificate(data)
    return x509.load_der_x509_certificate(data)


def _load_trusted(trusted_cas):
    trusted = []
    for value in trusted_cas or ():
        try:
            trusted.append(_load_certificate(value))
        except (ValueError, TypeError):
            # One unreadable entry of a trust list must not hide the others.
            continue
    return tuple(trusted)


def _issued_by(certificate, ca):
    """True when ``ca`` signed ``certificate`` (names match and the signature
    verifies with the CA's key)."""
    if certificate.issuer != ca.subject:
        return False
    key = ca.public_key()
    try:
        hash_algorithm = certificate.signature_hash_algorithm
        if isinstance(key, rsa.RSAPublicKey):
            key.verify(
                certificate.signature,
                certificate.tbs_certificate_bytes,
                padding.PKCS1v15(),
                hash_algorithm,
            )
        elif isinstance(key, ec.EllipticCurvePublicKey):
            key.verify(
                certificate.signature,
                certificate.tbs_certificate_bytes,
                ec.ECDSA(hash_algorithm),
            )
        else:
            return False
    except (InvalidSignature, UnsupportedAlgorithm, ValueError, TypeError):
        return False
    return True


def _validity(certificate, name):
    aware = getattr(certificate, f"{name}_utc", None)
    if aware is not None:
        return aware
    return getattr(certificate, name).replace(tzinfo=datetime.timezone.utc)


def _within(certificate, moment):
    return (
        _validity(certificate, "not_valid_before")
        <= moment
        <= _validity(certificate, "not_valid_after")
    )


def _attribute(name, oid):
    values = name.get_attributes_for_oid(oid)
    return values[0].value if values else None


def _describe(certificate, trusted, crls, moment, base, *, failure=None):
    """Build the result from the signer's certificate and the verification outcome
    (``failure``: ``(error_code, text)`` when the signature does not verify)."""
    warnings = []
    egn = eik = None
    serial = _attribute(certificate.subject, _OID_SERIAL_NUMBER) or ""
    if serial.upper().startswith("PNOBG-"):
        try:
            egn = identifiers.validate_egn(serial[6:])
        except BgEgovError:
            warnings.append(
                (
                    "invalid_egn",
                    f"the ЕГН in the certificate ({serial[6:]}) is not valid",
                )
            )
    organization = _attribute(certificate.subject, _OID_ORGANIZATION_IDENTIFIER) or ""
    if organization.upper().startswith("NTRBG-"):
        try:
            eik = identifiers.validate_eik(organization[6:])
        except BgEgovError:
            warnings.append(
                (
                    "invalid_eik",
                    f"the ЕИК in the certificate ({organization[6:]}) is not valid",
                )
            )
    issuer_cn = _attribute(certificate.issuer, x509.NameOID.COMMON_NAME)
    at = moment or datetime.datetime.now(datetime.timezone.utc)
    error_code, error = failure or (None, None)
    if error is None and not _within(certificate, at):
        if at < _validity(certificate, "not_valid_before"):
            error_code = "not_yet_valid"
        else:
            error_code = "expired"
        error = (
            "the signer's certificate was not valid at the time of signing"
            if moment
            else "the signer's certificate is not valid now"
        )
    revoked_on = None
    if error is None:
        revoked_on, crl_warnings = _revocation(certificate, trusted, crls)
        warnings.extend(crl_warnings)
        if revoked_on is not None:
            when = revoked_on.astimezone(datetime.timezone.utc)
            if revoked_on <= at:
                error_code = "revoked"
                error = (
                    f"the signer's certificate was revoked on {when:%Y-%m-%d %H:%M} "
                    "UTC, before the signing time"
                    if moment
                    else f"the signer's certificate was revoked on "
                    f"{when:%Y-%m-%d %H:%M} UTC"
                )
            else:
                warnings.append(
                    (
                        "revoked_after_signing",
                        f"the signer's certificate was revoked on "
                        f"{when:%Y-%m-%d %H:%M} UTC, after the signing time",
                    )
                )
    qualified = error is None and any(
        _issued_by(certificate, ca) and _within(ca, at) for ca in trusted
    )
    return SignatureCheck(
        **base,
        signer=_attribute(certificate.subject, x509.NameOID.COMMON_NAME)
        or certificate.subject.rfc4514_string(),
        egn=egn,
        eik=eik,
        subject=certificate.subject.rfc4514_string(),
        issuer=issuer_cn or certificate.issuer.rfc4514_string(),
        signing_time=moment,
        valid=error is None,
        qualified=qualified,
        error=error,
        error_code=error_code,
        warning="; ".join(text for _code, text in warnings) or None,
        warning_codes=tuple(code for code, _text in warnings),
        serial_number=certificate.serial_number,
        revoked_on=revoked_on,
    )


# ---------------------------------------------------------------- revocation


def _load_crl(value):
    if isinstance(value, x509.CertificateRevocationList):
        return value
    data = bytes(value)
    if b"-----BEGIN" in data:
        return x509.load_pem_x509_crl(data)
    return x509.load_der_x509_crl(data)


def _load_crls(crls):
    loaded = []
    for value in crls or ():
        try:
            loaded.append(_load_crl(value))
        except (ValueError, TypeError):
            # As for the trust list: one unreadable CRL must not hide the others.
            continue
    return tuple(loaded)


def _crl_signed_by(crl, ca):
    if crl.issuer != ca.subject:
        return False
    try:
        return crl.is_signature_valid(ca.public_key())
    except (UnsupportedAlgorithm, ValueError, TypeError):
        return False


def _revocation(certificate, trusted, crls):
    """When a CRL signed by the certificate's (trusted) CA lists it: the revocation
    date, and the warnings about CRLs that had to be ignored."""
    warnings = []
    if not crls:
        return None, warnings
    issuers = [ca for ca in trusted if _issued_by(certificate, ca)]
    for crl in crls:
        if crl.issuer != certificate.issuer:
            continue
        if not any(_crl_signed_by(crl, ca) for ca in issuers):
            # Anyone can write a CRL: one its CA did not sign proves nothing.
            warnings.append(
                (
                    "crl_not_signed",
                    "a revocation list of the certificate's issuer is not signed by "
                    "a trusted CA and was ignored",
                )
            )
            continue
        entry = crl.get_revoked_certificate_by_serial_number(certificate.serial_number)
        if entry is not None:
            return _aware(entry, "revocation_date"), warnings
    return None, warnings


def _aware(value, name):
    # cryptography 42 adds "_utc" accessors and deprecates the naive ones.
    if hasattr(value, f"{name}_utc"):
        return getattr(value, f"{name}_utc")
    naive = getattr(value, name)
    return naive.replace(tzinfo=datetime.timezone.utc) if naive else None


# ---------------------------------------------------------------- dates


def _pdf_signature_date(data, byte_range_at):
    """The ``/M`` date of the signature dictionary around ``byte_range_at`` (the
    signature value in between is hex, so it cannot hold a false match)."""
    start = data.rfind(b"obj", 0, byte_range_at)
    end = data.find(b"endobj", byte_range_at)
    start = 0 if start < 0 else start
    end = len(data) if end < 0 else end
    match = _PDF_DATE.search(data, start, end)
    return _parse_pdf_date(match) if match else None


def _parse_pdf_date(match):
    groups = match.groups()
    try:
        year = int(groups[0])
        month, day, hour, minute, second = (
            int(g) if g else default
            for g, default in zip(groups[1:6], (1, 1, 0, 0, 0), strict=True)
        )
        sign, off_hours, off_minutes = groups[6], groups[7], groups[8]
        offset = datetime.timedelta(
            hours=int(off_hours or 0), minutes=int(off_minutes or 0)
        )
        if sign == b"-":
            offset = -offset
        zone = datetime.timezone(offset) if sign else datetime.timezone.utc
        return datetime.datetime(year, month, day, hour, minute, second, tzinfo=zone)
    except (ValueError, OverflowError):
        return None


def _xades_signing_time(data):
    match = _XADES_SIGNING_TIME.search(data)
    if not match:
        return None
    text = match.group(1).decode("ascii", "replace").strip().replace("Z", "+00:00")
    try:
        moment = datetime.datetime.fromisoformat(text)
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=datetime.timezone.utc)
