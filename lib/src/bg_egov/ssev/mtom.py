"""MTOM/XOP packaging of SOAP 1.1 messages, both ways (W3C SOAP MTOM, XOP 1.0).

The e-Delivery binding uses ``messageEncoding="Mtom"`` (reference README §2.1): the
envelope travels as the root part of ``multipart/related; type="application/xop+xml"``
and binary content may be moved to further parts referenced by ``xop:Include``. The
client and the sandbox both use these two functions, so a request is packed and read
exactly like a response.
"""

import base64
import re
import uuid

from lxml import etree

from bg_egov import safexml

from .errors import MalformedResponseError

XOP_NS = "http://www.w3.org/2004/08/xop/include"
_CRLF = b"\r\n"


def pack(envelope, *, optimize=()):
    """Return ``(body, content_type)`` of an MTOM message carrying ``envelope``.

    :param envelope: the SOAP envelope (lxml element); not modified.
    :param optimize: local names of elements whose base64 text is moved to binary
        parts (e.g. ``Content``); empty elements stay as they are.
    :returns: ``(bytes, str)``.
    """
    envelope = _copy(envelope)
    parts = []
    for element in envelope.iter():
        if not isinstance(element.tag, str):
            continue
        if etree.QName(element).localname in optimize and (element.text or "").strip():
            data = base64.b64decode("".join(element.text.split()))
            cid = f"{uuid.uuid4().hex}@bg-egov"
            element.text = None
            etree.SubElement(
                element,
                f"{{{XOP_NS}}}Include",
                {"href": f"cid:{cid}"},
                nsmap={"xop": XOP_NS},
            )
            parts.append((cid, data))
    boundary = f"uuid:{uuid.uuid4()}+id=1"
    root_cid = "http://tempuri.org/0"
    out = [
        b"--" + boundary.encode(),
        b"Content-ID: <" + root_cid.encode() + b">",
        b"Content-Transfer-Encoding: 8bit",
        b'Content-Type: application/xop+xml;charset=utf-8;type="text/xml"',
        b"",
        etree.tostring(envelope, encoding="utf-8", xml_declaration=False),
    ]
    for cid, data in parts:
        out += [
            b"--" + boundary.encode(),
            b"Content-ID: <" + cid.encode() + b">",
            b"Content-Transfer-Encoding: binary",
            b"Content-Type: application/octet-stream",
            b"",
            data,
        ]
    body = _CRLF.join(out) + _CRLF + b"--" + boundary.encode() + b"--" + _CRLF
    content_type = (
        f'multipart/related; type="application/xop+xml"; boundary="{boundary}"; '
        f'start="<{root_cid}>"; start-info="text/xml"'
    )
    return body, content_type


def is_mtom(content_type):
    """True for a ``multipart/related`` XOP content type."""
    lowered = (content_type or "").lower()
    return lowered.startswith("multipart/related") and "application/xop+xml" in lowered


def unpack(body, content_type, *, max_bytes=safexml.DEFAULT_MAX_BYTES):
    """Read an MTOM message (or plain ``text/xml``) and return the envelope element
    with every ``xop:Include`` replaced by the base64 text of its part.

    :param bytes body: the HTTP body.
    :param str content_type: the HTTP ``Content-Type``.
    :returns: the ``Envelope`` element, parsed by :func:`bg_egov.safexml.parse`.
    :raises MalformedResponseError: broken multipart, missing root or part, an
        ``xop:Include`` to nothing.
    :raises UnsafeXmlError: the root part is not safe, well-formed XML.
    """
    if not is_mtom(content_type):
        if (
            (content_type or "")
            .lower()
            .startswith(("text/xml", "application/soap+xml"))
        ):
            return safexml.parse(body, max_bytes=max_bytes)
        raise MalformedResponseError(f"unexpected content type {content_type!r}")
    boundary = _param(content_type, "boundary")
    if not boundary:
        raise MalformedResponseError("the MTOM message has no boundary")
    start = _param(content_type, "start")
    parts = _split(body, boundary.encode())
    if not parts:
        raise MalformedResponseError("the MTOM message has no parts")
    root_data = None
    by_cid = {}
    for headers, data in parts:
        cid = headers.get("content-id", "").strip().strip("<>")
        by_cid[cid] = data
        if root_data is None and (not start or cid == start.strip("<>")):
            if "application/xop+xml" not in headers.get("content-type", "").lower():
                raise MalformedResponseError(
                    "the MTOM root part is not application/xop+xml"
                )
            root_data = data
    if root_data is None:
        raise MalformedResponseError("the MTOM root part is missing")
    envelope = safexml.parse(root_data, max_bytes=max_bytes)
    for include in list(envelope.iter(f"{{{XOP_NS}}}Include")):
        href = include.get("href") or ""
        cid = _unquote_cid(href)
        if cid not in by_cid:
            raise MalformedResponseError(f"the MTOM part {href!r} is missing")
        parent = include.getparent()
        parent.remove(include)
        parent.text = base64.b64encode(by_cid[cid]).decode("ascii")
    return envelope


def _copy(element):
    return etree.fromstring(etree.tostring(element), parser=safexml.make_parser())


def _param(content_type, name):
    match = re.search(rf'{name}\s*=\s*("([^"]*)"|[^;\s]+)', content_type, re.IGNORECASE)
    if not match:
        return None
    return match.group(2) if match.group(2) is not None else match.group(1)


def _unquote_cid(href):
    from urllib.parse import unquote

    return unquote(href[4:]) if href.lower().startswith("cid:") else href


def _split(body, boundary):
    delimiter = b"--" + boundary
    if delimiter not in body:
        raise MalformedResponseError("the MTOM boundary does not occur in the body")
    chunks = body.split(delimiter)
    parts = []
    for chunk in chunks[1:]:
        if chunk.startswith(b"--"):
            break
        chunk = chunk[2:] if chunk.startswith(_CRLF) else chunk
        head, sep, data = chunk.partition(_CRLF + _CRLF)
        if not sep:
            raise MalformedResponseError("an MTOM part has no header end")
        if data.endswith(_CRLF):
            data = data[:-2]
        headers = {}
        for line in head.split(_CRLF):
            name, colon, value = line.decode("latin-1").partition(":")
            if not colon:
                raise MalformedResponseError("an MTOM part header is malformed")
            headers[name.strip().lower()] = value.strip()
        parts.append((headers, data))
    else:
        raise MalformedResponseError("the MTOM message is truncated")
    return parts
