"""Enveloped XML signatures (XMLDSig) with python-xmlsec.

SEOS signs the whole ``Message`` with one enveloped signature whose ``KeyInfo`` carries
the sender's X.509 certificate (XML Signature Syntax and Processing, W3C, §6.6.4 for the
enveloped transform, §4.5 for ``X509Data``). The receiver verifies with the certificate
found in the message and then checks that this certificate is the one the register of
participants gives for the sender; this module does the first half and returns what the
second half needs.

Only the shape the exchange protocols use is accepted on verification: one ``Signature``
element, a direct child of the document element, with one ``Reference`` to the whole
document (``URI=""``). Anything else is refused, which rules out signature-wrapping
tricks where a valid signature covers a different part of the tree than the one that is
processed.
"""

import base64
import dataclasses
import datetime

import xmlsec
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from lxml import etree

from .errors import SignatureError

DSIG_NS = "http://www.w3.org/2000/09/xmldsig#"

ALGORITHMS = {
    "rsa-sha256": (xmlsec.Transform.RSA_SHA256, xmlsec.Transform.SHA256),
    # What the national SEOS hub still sends; kept as a per-peer choice, never the
    # default.
    "rsa-sha1": (xmlsec.Transform.RSA_SHA1, xmlsec.Transform.SHA1),
}
_SIGNATURE_METHODS = {
    "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256": "rsa-sha256",
    "http://www.w3.org/2000/09/xmldsig#rsa-sha1": "rsa-sha1",
}


@dataclasses.dataclass(frozen=True)
class SignatureInfo:
    """What a verified signature tells about its signer.

    ``serial_number`` is an ``int`` so that callers compare it numerically: registers
    write the same serial in decimal or in hex with or without leading zeros.
    """

    algorithm: str
    serial_number: int
    subject: str
    issuer: str
    not_before: datetime.datetime
    not_after: datetime.datetime
    certificate_pem: bytes

    def is_valid_at(self, moment):
        """True when ``moment`` (an aware datetime) is within the validity period."""
        return self.not_before <= moment <= self.not_after


def sign_enveloped(
    root,
    key_pem,
    cert_pem,
    *,
    algorithm="rsa-sha256",
    key_password=None,
    c14n="exclusive",
    prefix="ds",
    issuer_serial=False,
):
    """Sign ``root`` in place with an enveloped signature appended as its last child.

    :param root: the document element (lxml ``_Element``).
    :param bytes key_pem: the private key, PEM.
    :param bytes cert_pem: the matching certificate, PEM; put in ``KeyInfo/X509Data``.
    :param str algorithm: ``rsa-sha256`` (default) or ``rsa-sha1``.
    :param str c14n: ``exclusive`` (default: Exclusive C14N, also as a transform) or
        ``inclusive``: C14N 1.0 and the enveloped transform alone, the shape SEOS peers
        send and expect (SEOS reference §7.1).
    :param str prefix: namespace prefix of the signature elements; ``None`` writes them
        with a default namespace declaration, as e-Delivery does (§2).
    :param bool issuer_serial: also write ``X509IssuerSerial`` before the certificate
        (XMLDSig §4.5; SEOS reference §7.3).
    :returns: ``root``.
    :raises SignatureError: unknown algorithm, or a key that does not load.
    """
    if algorithm not in ALGORITHMS:
        raise SignatureError(f"unsupported signature algorithm {algorithm!r}")
    if c14n not in ("exclusive", "inclusive"):
        raise SignatureError(f"unsupported canonicalisation {c14n!r}")
    sign_method, digest_method = ALGORITHMS[algorithm]
    c14n_method = (
        xmlsec.Transform.EXCL_C14N if c14n == "exclusive" else xmlsec.Transform.C14N
    )
    signature = xmlsec.template.create(root, c14n_method, sign_method, ns=prefix)
    root.append(signature)
    reference = xmlsec.template.add_reference(signature, digest_method, uri="")
    xmlsec.template.add_transform(reference, xmlsec.Transform.ENVELOPED)
    if c14n == "exclusive":
        xmlsec.template.add_transform(reference, xmlsec.Transform.EXCL_C14N)
    key_info = xmlsec.template.ensure_key_info(signature)
    x509_data = xmlsec.template.add_x509_data(key_info)
    if issuer_serial:
        # libxmlsec leaves these empty when it signs; the schema wants an issuer name
        # and a decimal serial, so they are written here from the certificate.
        try:
            certificate = x509.load_pem_x509_certificate(cert_pem)
        except ValueError:
            root.remove(signature)
            raise SignatureError("the certificate cannot be read") from None
        node = xmlsec.template.x509_data_add_issuer_serial(x509_data)
        xmlsec.template.x509_issuer_serial_add_issuer_name(
            node, certificate.issuer.rfc4514_string()
        )
        xmlsec.template.x509_issuer_serial_add_serial_number(
            node, str(certificate.serial_number)
        )
        xmlsec.template.x509_data_add_certificate(x509_data)
    try:
        key = xmlsec.Key.from_memory(key_pem, xmlsec.KeyFormat.PEM, key_password)
        key.load_cert_from_memory(cert_pem, xmlsec.KeyFormat.CERT_PEM)
        ctx = xmlsec.SignatureContext()
        ctx.key = key
        ctx.sign(signature)
    except xmlsec.Error as exc:
        root.remove(signature)
        raise SignatureError(f"cannot sign: {exc}") from None
    return root


def verify_enveloped(root):
    """Verify the enveloped signature of ``root`` with the certificate it carries.

    :returns: :class:`SignatureInfo` of the signing certificate.
    :raises SignatureError: no signature, more than one, a reference to anything but the
        whole document, an unknown algorithm, no certificate, or a signature that does
        not verify.
    """
    signatures = root.findall(f"{{{DSIG_NS}}}Signature")
    if not signatures:
        raise SignatureError("the message is not signed", code="signature_missing")
    all_signatures = root.findall(f".//{{{DSIG_NS}}}Signature")
    if len(signatures) != 1 or len(all_signatures) != 1:
        raise SignatureError("exactly one enveloped signature is expected")
    signature = signatures[0]
    references = signature.findall(f"{{{DSIG_NS}}}SignedInfo/{{{DSIG_NS}}}Reference")
    if len(references) != 1 or references[0].get("URI") != "":
        raise SignatureError(
            'the signature must cover the whole message (Reference URI="")'
        )
    method = signature.find(f"{{{DSIG_NS}}}SignedInfo/{{{DSIG_NS}}}SignatureMethod")
    algorithm = _SIGNATURE_METHODS.get(
        method.get("Algorithm") if method is not None else None
    )
    if algorithm is None:
        raise SignatureError("unsupported signature method")
    cert_node = signature.find(
        f"{{{DSIG_NS}}}KeyInfo/{{{DSIG_NS}}}X509Data/{{{DSIG_NS}}}X509Certificate"
    )
    if cert_node is None or not (cert_node.text or "").strip():
        raise SignatureError("the signature carries no X.509 certificate")
    try:
        der = base64.b64decode("".join(cert_node.text.split()), validate=True)
        certificate = x509.load_der_x509_certificate(der)
    except ValueError:
        raise SignatureError("the signing certificate cannot be read") from None
    cert_pem = certificate.public_bytes(serialization.Encoding.PEM)
    try:
        ctx = xmlsec.SignatureContext()
        ctx.key = xmlsec.Key.from_memory(cert_pem, xmlsec.KeyFormat.CERT_PEM, None)
        ctx.verify(signature)
    except xmlsec.Error:
        raise SignatureError(
            "the signature does not verify", code="signature_invalid"
        ) from None
    return SignatureInfo(
        algorithm=algorithm,
        serial_number=certificate.serial_number,
        subject=certificate.subject.rfc4514_string(),
        issuer=certificate.issuer.rfc4514_string(),
        not_before=_validity(certificate, "not_valid_before"),
        not_after=_validity(certificate, "not_valid_after"),
        certificate_pem=cert_pem,
    )


def _validity(certificate, name):
    # cryptography 42 adds aware "_utc" accessors and deprecates the naive ones; 3.4.8
    # has only the naive ones. Both versions are among Odoo 18's pins.
    aware = getattr(certificate, f"{name}_utc", None)
    if aware is not None:
        return aware
    return getattr(certificate, name).replace(tzinfo=datetime.timezone.utc)


def tostring(root):
    """Serialise a signed tree as it is: pretty-printing would break the signature."""
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")
