"""Build, sign, validate and parse SEOS ``Message`` documents with lxml.

Building goes from the dataclasses of :mod:`bg_egov.seos.messages` to a tree in the
element order of the schema (SEOS reference §3, §4); parsing goes back, after the tree
has been validated against the library's own schema (``schema/seos-message.xsd``,
written from the protocol facts and loaded from package data, never from the network).

Signing follows §7: one enveloped signature over the whole message (``URI=""``), the
signature as the last child of ``Message``, the certificate in ``KeyInfo``; RSA-SHA256
unless the peer needs RSA-SHA1 (§7.2). Sign the final tree, serialise it once and send
exactly those bytes (§7.6).
"""

import base64
import copy
import datetime
import functools
import importlib.resources
import re
import zoneinfo

from lxml import etree

from bg_egov import safexml, xmldsig
from bg_egov.errors import SchemaError

from . import messages as m
from .codes import BODY_ELEMENTS, DURI_NS, NS, MessageType

#: Upper bound of a message we parse (the SOAP request included): 64 MB on the wire
#: holds about 45 MB of attachments (§12).
DEFAULT_MAX_BYTES = 64 * 1024 * 1024


@functools.lru_cache(maxsize=1)
def _sofia():
    # Loaded when first needed: a host without a time-zone database can still use
    # everything else.
    return zoneinfo.ZoneInfo("Europe/Sofia")


_SCHEMA_FILES = ("seos-message.xsd", "seos-xmldsig.xsd", "seos-document-uri.xsd")


def _q(name):
    return f"{{{NS}}}{name}"


# --- schema ---


class _PackageResolver(etree.Resolver):
    """Serve the imports of our schema from package data and nothing else."""

    def resolve(self, system_url, public_id, context):
        name = system_url.rsplit("/", 1)[-1]
        if name in _SCHEMA_FILES:
            return self.resolve_string(_schema_bytes(name), context)
        raise SchemaError(f"schema import {system_url!r} is not part of the package")


def _schema_bytes(name):
    return importlib.resources.files("bg_egov.seos.schema").joinpath(name).read_bytes()


@functools.lru_cache(maxsize=1)
def schema():
    """Return the compiled own schema of SEOS messages (cached).

    :returns: :class:`lxml.etree.XMLSchema`.
    """
    parser = etree.XMLParser(no_network=True, resolve_entities=False)
    parser.resolvers.add(_PackageResolver())
    doc = etree.fromstring(
        _schema_bytes("seos-message.xsd"),
        parser=parser,
        base_url="package:///seos-message.xsd",
    )
    return etree.XMLSchema(doc)


def validate(root):
    """Validate a ``Message`` tree against the own schema and the type/body rule.

    Attachment bodies are checked as strict base64 by :func:`parse`, not here (see
    the comment in the schema): validate and parse together, as :func:`parse_bytes`
    and :func:`loads` do, are at least as strict as the official schema.

    :param root: the ``Message`` element.
    :raises SchemaError: ``code`` ``schema`` with the first violation, or
        ``type_mismatch`` when ``MessageType`` does not name the ``Body`` child (§3.1).
    """
    compiled = schema()
    if not compiled.validate(root):
        error = compiled.error_log.filter_from_errors()
        first = error[0] if error else None
        text = f"line {first.line}: {first.message}" if first else "invalid message"
        raise SchemaError(text)
    message_type = root.findtext(f"{_q('Header')}/{_q('MessageType')}")
    body = root.find(_q("Body"))
    child = etree.QName(body[0]).localname
    if BODY_ELEMENTS[MessageType(message_type)] != child:
        raise SchemaError(
            f"MessageType {message_type} does not match the body {child}",
            code="type_mismatch",
        )


# --- values ---

_DATETIME = re.compile(
    r"^(\d{4})-(\d\d)-(\d\d)T(\d\d):(\d\d):(\d\d)(?:\.(\d+))?(Z|[+-]\d\d:\d\d)?$"
)
_DATE = re.compile(r"^(\d{4})-(\d\d)-(\d\d)(?:Z|[+-]\d\d:\d\d)?$")


def format_datetime(value):
    """Write an aware datetime as ``xsd:dateTime`` with milliseconds and offset
    (§16.4).

    :raises ValueError: for a naive datetime, which would be ambiguous.
    """
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError("a message date must carry a time zone")
    return value.isoformat(timespec="milliseconds")


def parse_datetime(text):
    """Read ``xsd:dateTime``: any number of fractional digits (e-Delivery writes
    seven), ``Z`` or an offset; without one, Sofia local time is assumed (§16.4).

    :returns: an aware :class:`datetime.datetime`.
    :raises ValueError: when the text is not a dateTime.
    """
    match = _DATETIME.match(text.strip())
    if not match:
        raise ValueError(f"not an xsd:dateTime: {text!r}")
    year, month, day, hour, minute, second, fraction, zone = match.groups()
    micro = int((fraction or "0")[:6].ljust(6, "0"))
    if zone is None:
        tz = _sofia()
    elif zone == "Z":
        tz = datetime.timezone.utc
    else:
        sign = -1 if zone[0] == "-" else 1
        tz = datetime.timezone(
            sign * datetime.timedelta(hours=int(zone[1:3]), minutes=int(zone[4:6]))
        )
    return datetime.datetime(
        int(year), int(month), int(day), int(hour), int(minute), int(second), micro, tz
    )


def format_date(value):
    """Write ``xsd:date`` as ``YYYY-MM-DD`` only (§16.4)."""
    if isinstance(value, datetime.datetime):
        value = value.date()
    return value.isoformat()


def parse_date(text):
    """Read ``xsd:date``; a time-zone suffix is accepted and dropped (§16.4)."""
    match = _DATE.match(text.strip())
    if not match:
        raise ValueError(f"not an xsd:date: {text!r}")
    return datetime.date(*(int(g) for g in match.groups()))


# --- building ---


def _sub(parent, name, text=None, ns=NS):
    node = etree.SubElement(parent, f"{{{ns}}}{name}")
    if text is not None:
        node.text = text
    return node


def _opt(parent, name, value):
    if value is not None:
        _sub(parent, name, value)


def _entity(parent, name, entity):
    node = _sub(parent, name)
    _sub(node, "Identifier", entity.identifier)
    _sub(node, "AdministrativeBodyName", entity.name)
    _sub(node, "GUID", entity.guid)


def _doc_id(parent, name, doc_id):
    node = _sub(parent, name)
    if doc_id.number is not None:
        number = _sub(node, "DocumentNumber")
        _sub(number, "DocNumber", doc_id.number.number)
        _sub(number, "DocDate", format_date(doc_id.number.date))
    elif doc_id.uri is not None:
        uri = _sub(node, "DocumentURI")
        if doc_id.uri.register_index is not None:
            _sub(uri, "RegisterIndex", str(doc_id.uri.register_index), DURI_NS)
        if doc_id.uri.sequence_number is not None:
            _sub(uri, "SequenceNumber", str(doc_id.uri.sequence_number), DURI_NS)
        if doc_id.uri.receipt_or_signing_date is not None:
            _sub(
                uri,
                "ReceiptOrSigningDate",
                format_date(doc_id.uri.receipt_or_signing_date),
                DURI_NS,
            )
    _sub(node, "DocumentGUID", doc_id.guid)


def _additional_data(parent, content):
    node = _sub(parent, "DocAddData")
    # The content is the caller's own XML: parsed with the safe parser, wrapped so
    # that text and several elements are both allowed. Unprefixed names land in the
    # messaging namespace, exactly as they would if written inside the message text.
    wrapper = safexml.parse(f'<w xmlns="{NS}">{content}</w>'.encode())
    node.text = wrapper.text
    for child in wrapper:
        node.append(child)


_CORRESPONDENT_FIELDS = (
    ("address", "CorAddress"),
    ("egn", "CorEGN"),
    ("id_card", "CorIDCard"),
    ("bulstat", "CorBULSTAT"),
    ("email", "CorEMail"),
    ("phone", "CorPhone"),
    ("mobile_phone", "CorMobilePhone"),
    ("mol", "CorMOL"),
    ("comment", "CorComment"),
)


def _document(parent, doc):
    node = _sub(parent, "Document")
    _doc_id(node, "DocID", doc.id)
    if doc.parent_id is not None:
        _doc_id(node, "DocParentID", doc.parent_id)
    _sub(node, "DocKind", doc.kind)
    if doc.correspondents:
        listing = _sub(node, "DocCorrespondentList")
        for cor in doc.correspondents:
            item = _sub(listing, "Corespondent")
            _sub(item, "CorName", cor.name)
            _sub(item, "CorCity", cor.city)
            for attr, name in _CORRESPONDENT_FIELDS:
                _opt(item, name, getattr(cor, attr))
            if cor.kind is not None:
                _sub(item, "CorKind", m.CorrespondentKind(cor.kind).value)
    if doc.attachments:
        listing = _sub(node, "DocAttachmentList")
        for att in doc.attachments:
            item = _sub(listing, "Attachment")
            _sub(item, "AttFileName", att.file_name)
            _sub(item, "AttBody", base64.b64encode(att.body).decode("ascii"))
            _opt(item, "AttComment", att.comment)
            _sub(item, "AttMIMEType", att.mime_type)
    _opt(node, "DocAbout", doc.about)
    if doc.service is not None:
        service = _sub(node, "DocService")
        _sub(service, "ServiceName", doc.service.name)
        _sub(service, "ServiceType", doc.service.type)
        _sub(service, "ServiceCode", doc.service.code)
    _opt(node, "DocComment", doc.comment)
    if doc.additional_data is not None:
        _additional_data(node, doc.additional_data)
    if doc.requested_close_date is not None:
        _sub(node, "DocReqDateClose", format_date(doc.requested_close_date))
    _opt(node, "DocAttentionTo", doc.attention_to)


def build(message):
    """Build the unsigned ``Message`` tree of ``message``.

    :param Message message: the message.
    :returns: the ``Message`` element (lxml), unsigned.
    :raises ValueError: a value the schema cannot hold (naive date, bad XML in
        additional data).
    """
    root = etree.Element(_q("Message"), nsmap={None: NS})
    header = _sub(root, "Header")
    _sub(header, "Version", message.header.version)
    _sub(header, "MessageType", message.header.message_type.value)
    _sub(header, "MessageDate", format_datetime(message.header.date))
    _entity(header, "Sender", message.header.sender)
    _entity(header, "Recipient", message.header.recipient)
    _sub(header, "MessageGUID", message.header.message_guid)
    body = _sub(root, "Body")
    content = message.body
    if isinstance(content, m.RegistrationRequest):
        node = _sub(body, "DocumentRegistrationRequest")
        _document(node, content.document)
        _sub(node, "Comment", content.comment or "")
    elif isinstance(content, m.StatusRequest):
        node = _sub(body, "DocumentStatusRequest")
        _doc_id(node, "DocID", content.doc_id)
    elif isinstance(content, m.StatusResponse):
        node = _sub(body, "DocumentStatusResponse")
        _doc_id(node, "DocID", content.doc_id)
        _sub(node, "DocRegStatus", content.status.value)
        _opt(node, "RejectionReason", content.rejection_reason)
        if content.expected_close_date is not None:
            _sub(node, "DocExpectCloseDate", format_date(content.expected_close_date))
        if content.additional_data is not None:
            _additional_data(node, content.additional_data)
    elif isinstance(content, m.ErrorReport):
        node = _sub(body, "Error")
        _opt(node, "MessageGUID", content.message_guid)
        _sub(node, "ErrorType", content.kind.value)
        _sub(node, "ErrorDescription", content.description)
    else:
        raise TypeError(f"not a message body: {type(content).__name__}")
    return root


def sign(message, key_pem, cert_pem, *, algorithm="rsa-sha256"):
    """Build, sign and serialise ``message``: the exact bytes to send and store.

    The signature follows SEOS reference §7.1/§7.3: enveloped, ``URI=""``, C14N 1.0,
    the enveloped transform only, ``X509IssuerSerial`` and the certificate in
    ``KeyInfo``, the signature element unprefixed.

    :param Message message: the message.
    :param bytes key_pem: our private key, PEM.
    :param bytes cert_pem: our certificate, PEM.
    :param str algorithm: ``rsa-sha256`` (default) or ``rsa-sha1`` for peers that
        verify only what the national hub sends (§7.2).
    :returns: UTF-8 bytes with an XML declaration.
    :raises SignatureError: the key does not load.
    """
    root = build(message)
    xmldsig.sign_enveloped(
        root,
        key_pem,
        cert_pem,
        algorithm=algorithm,
        c14n="inclusive",
        prefix=None,
        issuer_serial=True,
    )
    return xmldsig.tostring(root)


def to_bytes(message):
    """Serialise ``message`` unsigned (for tests and previews; peers need :func:`sign`).

    :returns: UTF-8 bytes with an XML declaration.
    """
    return etree.tostring(build(message), xml_declaration=True, encoding="UTF-8")


# --- parsing ---


def text_to_bytes(text):
    """Turn the message string carried by SOAP into bytes for the parser (§16.2).

    The string is already Unicode, so a declared encoding (possibly windows-1251) no
    longer applies: the text is encoded as UTF-8 and :func:`as_utf8_document` makes
    the declaration agree.

    :param str text: the ``request`` or ``SubmitResult`` string.
    :returns: bytes.
    """
    return as_utf8_document(text.encode("utf-8"))


_DECLARED_ENCODING = re.compile(rb"""encoding\s*=\s*["']([A-Za-z0-9._-]+)["']""")


def as_utf8_document(data):
    """Make UTF-8 bytes decoded from a SOAP string safe to parse (§16.2): drop a
    leading byte-order mark, and drop the XML declaration when it names an encoding
    other than UTF-8 (the text was Unicode already; honouring, say, windows-1251 would
    garble Cyrillic). A UTF-8 declaration is kept, which spares copying a message of
    tens of megabytes.

    :param bytes data: UTF-8 bytes.
    :returns: bytes.
    """
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    if data[:1].isspace():
        data = data.lstrip()
    if data.startswith(b"<?xml"):
        end = data.find(b"?>")
        if end != -1:
            match = _DECLARED_ENCODING.search(data, 0, end)
            if match and match.group(1).lower() not in (b"utf-8", b"utf8"):
                data = data[end + 2 :].lstrip()
    return data


def parse_bytes(data, *, max_bytes=DEFAULT_MAX_BYTES):
    """Parse untrusted message bytes safely and validate them (§9.2 steps 3–5);
    the attachment bodies are checked when :func:`parse` reads the tree.

    :param bytes data: the message as received (a ``str`` goes through
        :func:`text_to_bytes`).
    :param int max_bytes: refused before parsing when larger.
    :returns: the validated ``Message`` element.
    :raises UnsafeXmlError: too large, DTD/entities, not well-formed, too deep.
    :raises SchemaError: the tree does not validate.
    """
    if isinstance(data, str):
        data = text_to_bytes(data)
    elif data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    root = safexml.parse(data, max_bytes=max_bytes, huge_tree=True)
    validate(root)
    return root


def _text(node, name):
    child = node.find(_q(name))
    return None if child is None else (child.text or "")


def _read_entity(node):
    return m.Entity(
        identifier=_text(node, "Identifier").strip(),
        name=_text(node, "AdministrativeBodyName"),
        guid=_text(node, "GUID"),
    )


def _read_doc_id(node):
    number = node.find(_q("DocumentNumber"))
    uri = node.find(_q("DocumentURI"))
    doc_number = doc_uri = None
    if number is not None:
        doc_number = m.DocumentNumber(
            number=_text(number, "DocNumber"),
            date=parse_date(_text(number, "DocDate")),
        )
    elif uri is not None:

        def part(name):
            return uri.findtext(f"{{{DURI_NS}}}{name}")

        index, sequence, when = (
            part("RegisterIndex"),
            part("SequenceNumber"),
            part("ReceiptOrSigningDate"),
        )
        doc_uri = m.DocumentURI(
            register_index=int(index) if index is not None else None,
            sequence_number=int(sequence) if sequence is not None else None,
            receipt_or_signing_date=parse_date(when) if when is not None else None,
        )
    return m.DocumentId(
        guid=_text(node, "DocumentGUID"), number=doc_number, uri=doc_uri
    )


def _read_additional_data(node):
    if node is None:
        return None
    # Serialised inside a wrapper with the same default namespace, so that the string
    # reads as it did inside the message and builds back to the same tree.
    wrapper = etree.Element(_q("w"), nsmap={None: NS})
    wrapper.text = node.text
    for child in node:
        wrapper.append(copy.deepcopy(child))
    text = etree.tostring(wrapper, encoding="unicode")
    start = f'<w xmlns="{NS}">'
    if not text.startswith(start):
        return ""
    return text[len(start) : -len("</w>")]


# Checked with plain substring scans: a regular expression search over a 13 MB value
# costs more than the decoding itself.
_WHITESPACE = tuple(bytes((c,)) for c in b" \t\r\n\f\v")


def decode_base64(value):
    """Decode an ``xsd:base64Binary`` value strictly.

    libxml2's schema validation lets characters outside the base64 alphabet through,
    so the alphabet and padding are checked here; line breaks and spaces, which other
    peers write (§16.7), are allowed.

    :param value: ``bytes`` (as :func:`parse` reads ``AttBody``, without making a
        Python string of it) or ``str``.
    :returns: the decoded bytes.
    :raises SchemaError: ``code`` ``invalid_base64``.
    """
    try:
        data = value.encode("ascii") if isinstance(value, str) else value
        # A scan per character is far cheaper than a copy when, as from e-Delivery,
        # the value has no line breaks at all.
        if any(c in data for c in _WHITESPACE):
            data = data.translate(None, b"".join(_WHITESPACE))
        return base64.b64decode(data, validate=True)
    except (UnicodeEncodeError, ValueError):
        raise SchemaError(
            "an attachment body is not valid base64", code="invalid_base64"
        ) from None


def _opt_date(node, name):
    text = _text(node, name)
    return parse_date(text) if text is not None else None


def _read_document(node, release=False):
    correspondents = []
    for item in node.iterfind(f"{_q('DocCorrespondentList')}/{_q('Corespondent')}"):
        kind = _text(item, "CorKind")
        correspondents.append(
            m.Correspondent(
                name=_text(item, "CorName"),
                city=_text(item, "CorCity"),
                kind=m.CorrespondentKind(kind) if kind is not None else None,
                **{attr: _text(item, name) for attr, name in _CORRESPONDENT_FIELDS},
            )
        )
    attachments = []
    for item in node.iterfind(f"{_q('DocAttachmentList')}/{_q('Attachment')}"):
        body_node = item.find(_q("AttBody"))
        # Read as UTF-8 bytes straight from libxml2: no Python string of the value.
        encoded = etree.tostring(
            body_node, method="text", encoding="utf-8", with_tail=False
        )
        if release:
            # The caller no longer needs the tree: free the text before decoding,
            # so the encoded body is not held twice (the peak memory of a receive).
            body_node.text = None
        attachments.append(
            m.Attachment(
                file_name=_text(item, "AttFileName"),
                body=decode_base64(encoded),
                mime_type=_text(item, "AttMIMEType"),
                comment=_text(item, "AttComment"),
            )
        )
        del encoded
    service = node.find(_q("DocService"))
    parent = node.find(_q("DocParentID"))
    return m.Document(
        id=_read_doc_id(node.find(_q("DocID"))),
        parent_id=_read_doc_id(parent) if parent is not None else None,
        kind=_text(node, "DocKind"),
        correspondents=tuple(correspondents),
        attachments=tuple(attachments),
        about=_text(node, "DocAbout"),
        service=m.Service(
            name=_text(service, "ServiceName"),
            type=_text(service, "ServiceType"),
            code=_text(service, "ServiceCode"),
        )
        if service is not None
        else None,
        comment=_text(node, "DocComment"),
        additional_data=_read_additional_data(node.find(_q("DocAddData"))),
        requested_close_date=_opt_date(node, "DocReqDateClose"),
        attention_to=_text(node, "DocAttentionTo"),
    )


def read_header(root):
    """Read only the header of a ``Message`` tree (for answering a message whose body
    is refused).

    :returns: :class:`~bg_egov.seos.messages.Header`.
    :raises ValueError: a header value cannot be read.
    """
    header = root.find(_q("Header"))
    return m.Header(
        version=_text(header, "Version"),
        message_type=MessageType(_text(header, "MessageType")),
        date=parse_datetime(_text(header, "MessageDate")),
        sender=_read_entity(header.find(_q("Sender"))),
        recipient=_read_entity(header.find(_q("Recipient"))),
        message_guid=_text(header, "MessageGUID"),
    )


def parse(root, *, release_attachments=False):
    """Turn a validated ``Message`` tree into a :class:`~bg_egov.seos.messages.Message`.

    :param root: a tree that passed :func:`validate` (see :func:`parse_bytes`).
    :param bool release_attachments: empty each ``AttBody`` of the tree once read, to
        lower the peak memory; the tree can then no longer be verified or stored, so
        verify the signature first.
    :raises SchemaError: an attachment body is not valid base64.
    :returns: :class:`~bg_egov.seos.messages.Message`; the signature is not read here
        (see :func:`bg_egov.xmldsig.verify_enveloped`).
    """
    header = read_header(root)
    body = root.find(_q("Body"))[0]
    name = etree.QName(body).localname
    if name == "DocumentRegistrationRequest":
        content = m.RegistrationRequest(
            document=_read_document(
                body.find(_q("Document")), release=release_attachments
            ),
            comment=_text(body, "Comment"),
        )
    elif name == "DocumentStatusRequest":
        content = m.StatusRequest(doc_id=_read_doc_id(body.find(_q("DocID"))))
    elif name == "DocumentStatusResponse":
        content = m.StatusResponse(
            doc_id=_read_doc_id(body.find(_q("DocID"))),
            status=_text(body, "DocRegStatus"),
            rejection_reason=_text(body, "RejectionReason"),
            expected_close_date=_opt_date(body, "DocExpectCloseDate"),
            additional_data=_read_additional_data(body.find(_q("DocAddData"))),
        )
    else:
        content = m.ErrorReport(
            kind=_text(body, "ErrorType"),
            description=_text(body, "ErrorDescription"),
            message_guid=_text(body, "MessageGUID"),
        )
    return m.Message(header=header, body=content)


def loads(data, *, max_bytes=DEFAULT_MAX_BYTES, verify=True):
    """Parse, validate, verify and read a message in one call (a client reading an
    answer, or a test).

    :param data: bytes or the SOAP string.
    :param bool verify: check the enveloped signature (§7.5).
    :returns: ``(Message, SignatureInfo | None)``.
    :raises UnsafeXmlError, SchemaError, SignatureError: as the steps do.
    """
    root = parse_bytes(data, max_bytes=max_bytes)
    info = xmldsig.verify_enveloped(root) if verify else None
    return parse(root), info
