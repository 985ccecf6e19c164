"""The SOAP 1.1 envelopes of the participant endpoint's ``Submit`` (SEOS reference
§8.1), built and read with lxml.

The client side normally uses zeep (:mod:`bg_egov.seos.client`); these helpers serve
the receiving side, which needs no SOAP framework (§16.3), and tests that need to send
exactly the bytes they mean.
"""

from lxml import etree

from bg_egov import safexml
from bg_egov.errors import ProtocolError

from .codes import SERVICE_NS, SOAP_NS
from .xml import as_utf8_document

CONTENT_TYPE = "text/xml; charset=utf-8"


def _envelope(body_child):
    envelope = etree.Element(f"{{{SOAP_NS}}}Envelope", nsmap={"s": SOAP_NS})
    body = etree.SubElement(envelope, f"{{{SOAP_NS}}}Body")
    body.append(body_child)
    return etree.tostring(envelope, xml_declaration=True, encoding="UTF-8")


def submit_request(message):
    """Build the ``Submit`` request carrying ``message`` as a string (§8.1).

    :param message: the signed message, ``bytes`` (UTF-8) or ``str``.
    :returns: the SOAP envelope as bytes.
    """
    if isinstance(message, bytes):
        message = message.decode("utf-8")
    submit = etree.Element(f"{{{SERVICE_NS}}}Submit", nsmap={None: SERVICE_NS})
    etree.SubElement(submit, f"{{{SERVICE_NS}}}request").text = message
    return _envelope(submit)


def submit_response(result):
    """Build the ``SubmitResponse`` (§8.1): qualified ``SubmitResult``, because a WCF
    caller reads an unqualified one as "no answer".

    :param result: the signed answer (``bytes`` or ``str``), or ``None``/empty for the
        empty answer of asynchronous notifications (§8.2).
    :returns: the SOAP envelope as bytes.
    """
    if isinstance(result, bytes):
        result = result.decode("utf-8")
    response = etree.Element(
        f"{{{SERVICE_NS}}}SubmitResponse", nsmap={None: SERVICE_NS}
    )
    etree.SubElement(response, f"{{{SERVICE_NS}}}SubmitResult").text = result or ""
    return _envelope(response)


def fault(reason, *, code="s:Client"):
    """Build a SOAP 1.1 fault, the answer when no ``Message`` can be formed (§9.3).

    :param str reason: a short reason (no internal details).
    :param str code: ``s:Client`` (the request is at fault) or ``s:Server``.
    :returns: the SOAP envelope as bytes.
    """
    node = etree.Element(f"{{{SOAP_NS}}}Fault")
    etree.SubElement(node, "faultcode").text = code
    etree.SubElement(node, "faultstring").text = reason
    return _envelope(node)


def _body_child(data, *, max_bytes):
    root = safexml.parse(data, max_bytes=max_bytes, huge_tree=True, max_depth=32)
    if root.tag != f"{{{SOAP_NS}}}Envelope":
        raise ProtocolError("not a SOAP 1.1 envelope", code="not_soap")
    body = root.find(f"{{{SOAP_NS}}}Body")
    if body is None or len(body) != 1:
        raise ProtocolError("the SOAP body must hold one element", code="not_soap")
    return body[0]


def read_submit_request(data, *, max_bytes):
    """Return the message string of a ``Submit`` request (§8.1).

    :param bytes data: the HTTP request body.
    :param int max_bytes: refused before parsing when larger.
    :returns: ``str`` (may be empty).
    :raises UnsafeXmlError: unsafe or not well-formed envelope.
    :raises ProtocolError: ``code`` ``not_soap`` or ``not_submit``.
    """
    child = _body_child(data, max_bytes=max_bytes)
    if child.tag != f"{{{SERVICE_NS}}}Submit":
        raise ProtocolError("the SOAP body is not a Submit call", code="not_submit")
    return child.findtext(f"{{{SERVICE_NS}}}request") or ""


def read_submit_request_bytes(data, *, max_bytes):
    """Like :func:`read_submit_request`, but return the message as UTF-8 bytes ready
    for the parser (see :func:`bg_egov.seos.xml.as_utf8_document`, §16.2), without
    making a Python string of a message that may be tens of megabytes.

    :returns: ``bytes`` (may be empty).
    :raises UnsafeXmlError, ProtocolError: as :func:`read_submit_request`.
    """
    child = _body_child(data, max_bytes=max_bytes)
    if child.tag != f"{{{SERVICE_NS}}}Submit":
        raise ProtocolError("the SOAP body is not a Submit call", code="not_submit")
    request = child.find(f"{{{SERVICE_NS}}}request")
    if request is None:
        return b""
    text = etree.tostring(request, method="text", encoding="utf-8", with_tail=False)
    return as_utf8_document(text)


def read_submit_response(data, *, max_bytes):
    """Return the ``SubmitResult`` string of a response, ``""`` when empty.

    :raises ProtocolError: a SOAP fault (``code`` ``soap_fault``, ``faultstring`` as
        text) or anything else than ``SubmitResponse``.
    """
    child = _body_child(data, max_bytes=max_bytes)
    if child.tag == f"{{{SOAP_NS}}}Fault":
        raise ProtocolError(child.findtext("faultstring") or "", code="soap_fault")
    if child.tag != f"{{{SERVICE_NS}}}SubmitResponse":
        raise ProtocolError("not a SubmitResponse", code="not_submit")
    return child.findtext(f"{{{SERVICE_NS}}}SubmitResult") or ""
