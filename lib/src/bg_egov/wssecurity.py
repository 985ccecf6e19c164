"""WS-Security X.509 signature over the message timestamp (OASIS WSS 1.0).

The e-Delivery SOAP service (WCF, ``TransportWithMessageCredential``, algorithm suite
``Basic256``, reference README §2.1) wants in ``wsse:Security``:

* a ``wsu:Timestamp`` with ``Created`` and ``Expires`` (UTC);
* a ``wsse:BinarySecurityToken`` carrying the caller's X.509v3 certificate;
* one ``ds:Signature`` whose only ``Reference`` is the Timestamp, exclusive C14N,
  SHA-1 digest and RSA-SHA1 (Basic256 admits nothing stronger), ``KeyInfo`` pointing
  at the token through ``wsse:SecurityTokenReference``.

The body is not signed (the token is an endorsing supporting token over TLS), which is
also why MTOM packaging after signing is safe. This differs from the enveloped
signatures of :mod:`bg_egov.xmldsig`; both use python-xmlsec the same way.
"""

import base64
import dataclasses
import datetime
import hashlib
import uuid

import xmlsec
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from lxml import etree

from .errors import SignatureError

SOAP11_NS = "http://schemas.xmlsoap.org/soap/envelope/"
WSSE_NS = (
    "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd"
)
WSU_NS = (
    "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd"
)
DSIG_NS = "http://www.w3.org/2000/09/xmldsig#"
X509V3 = (
    "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-x509-token-profile-1.0"
    "#X509v3"
)
BASE64 = (
    "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-soap-message-security-1.0"
    "#Base64Binary"
)
RSA_SHA1 = "http://www.w3.org/2000/09/xmldsig#rsa-sha1"
_TIME_FORMAT = "%Y-%m-%dT%H:%M:%S.%fZ"


@dataclasses.dataclass(frozen=True)
class SecurityInfo:
    """What a verified WS-Security header tells: the caller's certificate and the
    timestamp window it signed."""

    certificate_der: bytes
    thumbprint_sha1: str
    created: datetime.datetime
    expires: datetime.datetime

    @property
    def certificate(self):
        """The caller's certificate as a ``cryptography`` object."""
        return x509.load_der_x509_certificate(self.certificate_der)


def thumbprint(certificate_der):
    """SHA-1 thumbprint in upper-case hex, as e-Delivery registers certificates."""
    return hashlib.sha1(certificate_der).hexdigest().upper()  # noqa: S324


def sign_envelope(
    envelope, key_pem, cert_pem, *, key_password=None, ttl_seconds=300, now=None
):
    """Add a signed ``wsse:Security`` header to a SOAP 1.1 envelope, in place.

    :param envelope: the ``soap:Envelope`` element (lxml).
    :param bytes key_pem: the private key, PEM.
    :param bytes cert_pem: its certificate, PEM; sent as the BinarySecurityToken.
    :param int ttl_seconds: ``Expires`` − ``Created``; WCF accepts ±5 minutes of skew.
    :param datetime now: the creation time (tests); default the current UTC time.
    :returns: ``envelope``.
    :raises SignatureError: a key or certificate that does not load.
    (OASIS WSS 1.0 SOAP Message Security §6, §8, §10; X.509 Token Profile 1.0 §3.)
    """
    try:
        certificate = x509.load_pem_x509_certificate(cert_pem)
    except ValueError:
        raise SignatureError("the certificate cannot be read") from None
    header = envelope.find(f"{{{SOAP11_NS}}}Header")
    if header is None:
        header = etree.Element(f"{{{SOAP11_NS}}}Header")
        envelope.insert(0, header)
    security = etree.SubElement(
        header,
        f"{{{WSSE_NS}}}Security",
        {f"{{{SOAP11_NS}}}mustUnderstand": "1"},
        nsmap={"wsse": WSSE_NS, "wsu": WSU_NS},
    )
    created = now or datetime.datetime.now(datetime.timezone.utc)
    timestamp_id = f"_{uuid.uuid4().hex}"
    token_id = f"uuid-{uuid.uuid4()}"
    timestamp = etree.SubElement(
        security, f"{{{WSU_NS}}}Timestamp", {f"{{{WSU_NS}}}Id": timestamp_id}
    )
    etree.SubElement(timestamp, f"{{{WSU_NS}}}Created").text = _format(created)
    etree.SubElement(timestamp, f"{{{WSU_NS}}}Expires").text = _format(
        created + datetime.timedelta(seconds=ttl_seconds)
    )
    token = etree.SubElement(
        security,
        f"{{{WSSE_NS}}}BinarySecurityToken",
        {f"{{{WSU_NS}}}Id": token_id, "ValueType": X509V3, "EncodingType": BASE64},
    )
    token.text = base64.b64encode(
        certificate.public_bytes(serialization.Encoding.DER)
    ).decode("ascii")
    signature = xmlsec.template.create(
        envelope, xmlsec.Transform.EXCL_C14N, xmlsec.Transform.RSA_SHA1, ns="ds"
    )
    security.append(signature)
    reference = xmlsec.template.add_reference(
        signature, xmlsec.Transform.SHA1, uri=f"#{timestamp_id}"
    )
    xmlsec.template.add_transform(reference, xmlsec.Transform.EXCL_C14N)
    key_info = xmlsec.template.ensure_key_info(signature)
    reference_holder = etree.SubElement(
        key_info, f"{{{WSSE_NS}}}SecurityTokenReference"
    )
    etree.SubElement(
        reference_holder,
        f"{{{WSSE_NS}}}Reference",
        {"URI": f"#{token_id}", "ValueType": X509V3},
    )
    try:
        ctx = xmlsec.SignatureContext()
        ctx.key = xmlsec.Key.from_memory(key_pem, xmlsec.KeyFormat.PEM, key_password)
        ctx.register_id(timestamp, "Id", WSU_NS)
        ctx.sign(signature)
    except xmlsec.Error as exc:
        header.remove(security)
        raise SignatureError(f"cannot sign the SOAP header: {exc}") from None
    return envelope


def verify_envelope(envelope, *, now=None, max_skew_seconds=300):
    """Verify the ``wsse:Security`` header of a SOAP 1.1 envelope.

    Only the shape :func:`sign_envelope` makes is accepted: one Security header, one
    Timestamp, one signature with one Reference that is that Timestamp, RSA-SHA1,
    key given by a reference to a BinarySecurityToken of the same header.

    :param envelope: the ``soap:Envelope`` element.
    :param datetime now: the check time (tests); default now, UTC.
    :param int max_skew_seconds: tolerated clock difference (WCF default 5 minutes).
    :returns: :class:`SecurityInfo`; the caller decides whether the certificate is
        registered.
    :raises SignatureError: missing or malformed header, expired or future timestamp,
        or a signature that does not verify (code ``signature_missing``,
        ``signature_invalid``, ``timestamp_expired`` or ``signature``).
    """
    securities = envelope.findall(f"{{{SOAP11_NS}}}Header/{{{WSSE_NS}}}Security")
    if len(securities) != 1:
        raise SignatureError(
            "the request has no WS-Security header", code="signature_missing"
        )
    security = securities[0]
    timestamps = security.findall(f"{{{WSU_NS}}}Timestamp")
    signatures = security.findall(f"{{{DSIG_NS}}}Signature")
    if len(timestamps) != 1 or len(signatures) != 1:
        raise SignatureError(
            "the WS-Security header needs one Timestamp and one Signature",
            code="signature_missing",
        )
    timestamp, signature = timestamps[0], signatures[0]
    timestamp_id = timestamp.get(f"{{{WSU_NS}}}Id")
    references = signature.findall(f"{{{DSIG_NS}}}SignedInfo/{{{DSIG_NS}}}Reference")
    if (
        not timestamp_id
        or len(references) != 1
        or references[0].get("URI") != f"#{timestamp_id}"
    ):
        raise SignatureError("the signature must cover exactly the Timestamp")
    method = signature.find(f"{{{DSIG_NS}}}SignedInfo/{{{DSIG_NS}}}SignatureMethod")
    if method is None or method.get("Algorithm") != RSA_SHA1:
        raise SignatureError("the Basic256 suite requires RSA-SHA1")
    certificate_der = _referenced_token(security, signature)
    try:
        certificate = x509.load_der_x509_certificate(certificate_der)
    except ValueError:
        raise SignatureError("the security token is not a certificate") from None
    cert_pem = certificate.public_bytes(serialization.Encoding.PEM)
    try:
        ctx = xmlsec.SignatureContext()
        ctx.key = xmlsec.Key.from_memory(cert_pem, xmlsec.KeyFormat.CERT_PEM, None)
        ctx.register_id(timestamp, "Id", WSU_NS)
        ctx.verify(signature)
    except xmlsec.Error:
        raise SignatureError(
            "the WS-Security signature does not verify", code="signature_invalid"
        ) from None
    created = _parse_time(timestamp.findtext(f"{{{WSU_NS}}}Created"))
    expires = _parse_time(timestamp.findtext(f"{{{WSU_NS}}}Expires"))
    now = now or datetime.datetime.now(datetime.timezone.utc)
    skew = datetime.timedelta(seconds=max_skew_seconds)
    if created - skew > now or expires + skew < now:
        raise SignatureError(
            "the WS-Security timestamp is expired or in the future",
            code="timestamp_expired",
        )
    return SecurityInfo(
        certificate_der=certificate_der,
        thumbprint_sha1=thumbprint(certificate_der),
        created=created,
        expires=expires,
    )


def _referenced_token(security, signature):
    refs = signature.findall(
        f"{{{DSIG_NS}}}KeyInfo/{{{WSSE_NS}}}SecurityTokenReference/{{{WSSE_NS}}}Reference"
    )
    if len(refs) != 1 or not (refs[0].get("URI") or "").startswith("#"):
        raise SignatureError("the signature does not reference a security token")
    token_id = refs[0].get("URI")[1:]
    for token in security.findall(f"{{{WSSE_NS}}}BinarySecurityToken"):
        if token.get(f"{{{WSU_NS}}}Id") == token_id:
            if token.get("ValueType") != X509V3:
                raise SignatureError("the security token is not an X.509v3 token")
            try:
                return base64.b64decode(
                    "".join((token.text or "").split()), validate=True
                )
            except ValueError:
                raise SignatureError("the security token is not base64") from None
    raise SignatureError("the referenced security token is missing")


def _format(moment):
    return moment.astimezone(datetime.timezone.utc).strftime(_TIME_FORMAT)[:-4] + "Z"


def _parse_time(text):
    try:
        value = datetime.datetime.fromisoformat(
            (text or "").strip().replace("Z", "+00:00")
        )
    except ValueError:
        raise SignatureError("the WS-Security timestamp is malformed") from None
    if value.tzinfo is None:
        raise SignatureError("the WS-Security timestamp has no time zone")
    return value
