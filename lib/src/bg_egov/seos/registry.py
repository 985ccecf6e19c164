"""The register of participants (регистър на участниците), SEOS reference §8.3–§8.4.

The register is an old RPC/encoded SOAP 1.1 service (namespace ``uri:egovmsg``) that
zeep cannot load offline (§16.3), so requests are built by hand and answers read with
lxml by local names, tolerating ``xsi:type`` attributes, SOAP-encoded arrays with any
item names, ``href``/``id`` references (multiRef) and missing optional fields.
"""

import dataclasses
import datetime

import requests
from lxml import etree

from bg_egov import safexml
from bg_egov.errors import ProtocolError, TransportError

from . import messages as m
from .codes import DOCUMENT_EXCHANGE_SERVICE_GUID, REGISTRY_NS, SOAP_NS
from .receive import Participant
from .xml import format_datetime, parse_datetime

XSI_NS = "http://www.w3.org/2001/XMLSchema-instance"
XSD_NS = "http://www.w3.org/2001/XMLSchema"
SOAPENC_NS = "http://schemas.xmlsoap.org/soap/encoding/"
_STATUSES = ("Active", "Inactive", "TemporarilyInactive")


@dataclasses.dataclass(frozen=True)
class Contact:
    """``Contact`` of a register entry."""

    phone: str | None = None
    fax: str | None = None
    email: str | None = None


@dataclasses.dataclass(frozen=True)
class RegistryService:
    """``Service`` of a register entry; the document-exchange one carries the SEOS
    endpoint in ``uri`` (§8.3).
    """

    guid: str | None
    name: str | None = None
    uri: str | None = None
    status: str | None = None
    type: str | None = None
    version: int | None = None


@dataclasses.dataclass(frozen=True)
class RegistryEntry:
    """``Entity`` of the register.

    ``certificate_serial`` is the ``CertificateSN`` (hex in the register) as an
    ``int``, ``None`` when absent or unreadable; ``certificate_sn`` keeps the text.
    ``status`` is the register's string (``Active``, ``Inactive``,
    ``TemporarilyInactive``, or whatever new value it may send).
    """

    guid: str
    identifier: str
    name: str
    parent_guid: str | None = None
    contact: Contact = Contact()
    certificate_sn: str | None = None
    certificate_serial: int | None = None
    services: tuple[RegistryService, ...] = ()
    status: str | None = None
    last_change: datetime.datetime | None = None

    @property
    def exchange_service(self):
        """The document-exchange service (GUID of §8.3), or ``None``."""
        for service in self.services:
            if service.guid and _guid_or_none(service.guid) == (
                DOCUMENT_EXCHANGE_SERVICE_GUID
            ):
                return service
        return None

    @property
    def endpoint(self):
        """The SEOS endpoint: the document-exchange service's URI when it is active
        and not empty. Unlike e-Delivery there is no fall-back to another service's
        URI: no endpoint is better than a wrong one (§8.3).
        """
        service = self.exchange_service
        if service is not None and service.status == "Active" and service.uri:
            return service.uri.strip()
        return None

    @property
    def effective_status(self):
        """The entity status, except that an ``Active`` entity takes the status of
        its document-exchange service, or ``Inactive`` without one (§8.3).
        """
        if self.status != "Active":
            return self.status if self.status in _STATUSES else "Inactive"
        service = self.exchange_service
        if service is None or service.status not in _STATUSES:
            return "Inactive"
        return service.status

    def to_participant(self, *, signature_algorithm="rsa-sha256"):
        """This entry as the :class:`~bg_egov.seos.receive.Participant` the receiving
        pipeline checks senders against.
        """
        return Participant(
            guid=self.guid,
            identifier=self.identifier,
            name=self.name,
            status=self.effective_status,
            endpoint=self.endpoint,
            certificate_serial=self.certificate_serial,
            signature_algorithm=signature_algorithm,
        )


@dataclasses.dataclass(frozen=True)
class RegistrySnapshot:
    """An ``EGovMessageDir`` answer: the entries and the register's ``LastChange``."""

    entries: tuple[RegistryEntry, ...]
    last_change: datetime.datetime | None = None


def parse_certificate_sn(text):
    """Read a register ``CertificateSN`` (hex, any case, with or without spaces,
    colons and leading zeros, §16.6) as an ``int``; ``None`` when not hex.
    """
    cleaned = "".join((text or "").replace(":", "").split())
    try:
        return int(cleaned, 16) if cleaned else None
    except ValueError:
        return None


def _guid_or_none(text):
    try:
        return m.normalize_guid(text)
    except ValueError:
        return None


# --- requests ---


def build_request(operation, params=()):
    """Build the RPC/encoded SOAP request of one register operation.

    :param str operation: ``GetAllRecords``, ``GetNewRecords``,
        ``GetByEntityIdentifier``, ``GetByGuid`` or ``GetByCertificateSN``.
    :param params: ``(name, xsd type, text)`` tuples, e.g.
        ``("guid", "string", "{…}")``.
    :returns: the envelope as bytes.
    """
    envelope = etree.Element(
        f"{{{SOAP_NS}}}Envelope",
        nsmap={"s": SOAP_NS, "reg": REGISTRY_NS, "xsi": XSI_NS, "xsd": XSD_NS},
    )
    body = etree.SubElement(envelope, f"{{{SOAP_NS}}}Body")
    call = etree.SubElement(body, f"{{{REGISTRY_NS}}}{operation}")
    call.set(f"{{{SOAP_NS}}}encodingStyle", SOAPENC_NS)
    for name, xsd_type, text in params:
        # RPC style: parts are unqualified elements named after the WSDL parts.
        part = etree.SubElement(call, name)
        part.set(f"{{{XSI_NS}}}type", f"xsd:{xsd_type}")
        part.text = text
    return etree.tostring(envelope, xml_declaration=True, encoding="UTF-8")


# --- answers ---


def _local(element):
    return etree.QName(element).localname


class _Reader:
    """Reads SOAP-encoded values, following ``href`` references inside the body."""

    def __init__(self, body):
        self.ids = {el.get("id"): el for el in body.iter() if el.get("id")}

    def deref(self, element, depth=0):
        href = element.get("href")
        if href and href.startswith("#") and depth < 8:
            target = self.ids.get(href[1:])
            if target is None:
                raise ProtocolError(f"dangling reference {href}", code="bad_answer")
            return self.deref(target, depth + 1)
        return element

    def fields(self, element):
        element = self.deref(element)
        return {_local(child): self.deref(child) for child in element}

    def text(self, fields, name):
        node = fields.get(name)
        if node is None or node.get(f"{{{XSI_NS}}}nil") in ("true", "1"):
            return None
        return (node.text or "").strip() or None

    def items(self, element):
        if element is None:
            return []
        return [self.deref(child) for child in self.deref(element)]


def parse_response(data, *, max_bytes=safexml.DEFAULT_MAX_BYTES):
    """Read a register answer (``EGovMessageDir``) or raise for a SOAP fault.

    :param bytes data: the HTTP response body.
    :returns: :class:`RegistrySnapshot`.
    :raises UnsafeXmlError: unsafe or not well-formed XML.
    :raises ProtocolError: a SOAP fault (``code`` ``soap_fault``) or an answer of
        another shape (``bad_answer``).
    """
    root = safexml.parse(data, max_bytes=max_bytes, huge_tree=True)
    body = root.find(f"{{{SOAP_NS}}}Body")
    if root.tag != f"{{{SOAP_NS}}}Envelope" or body is None or not len(body):
        raise ProtocolError("not a SOAP answer", code="bad_answer")
    response = body[0]
    if response.tag == f"{{{SOAP_NS}}}Fault":
        raise ProtocolError(
            response.findtext("faultstring") or "SOAP fault", code="soap_fault"
        )
    reader = _Reader(body)
    if not len(response):
        raise ProtocolError("the answer carries no value", code="bad_answer")
    directory = reader.fields(response[0])
    entries = tuple(
        _entry(reader, item) for item in reader.items(directory.get("Entities"))
    )
    last_change = reader.text(directory, "LastChange")
    return RegistrySnapshot(
        entries=entries,
        last_change=parse_datetime(last_change) if last_change else None,
    )


def _entry(reader, element):
    fields = reader.fields(element)
    guid = _guid_or_none(reader.text(fields, "Guid"))
    if guid is None:
        raise ProtocolError("a register entry has no valid Guid", code="bad_answer")
    contact_fields = reader.fields(fields["Contact"]) if "Contact" in fields else {}
    services = []
    for item in reader.items(fields.get("Services")):
        sf = reader.fields(item)
        version = reader.text(sf, "Version")
        services.append(
            RegistryService(
                guid=reader.text(sf, "Guid"),
                name=reader.text(sf, "Name"),
                uri=reader.text(sf, "URI"),
                status=reader.text(sf, "Status"),
                type=reader.text(sf, "Type"),
                version=int(version) if version and version.isdigit() else None,
            )
        )
    sn = reader.text(fields, "CertificateSN")
    last_change = reader.text(fields, "LastChange")
    return RegistryEntry(
        guid=guid,
        identifier=reader.text(fields, "EntityIdentifier") or "",
        name=reader.text(fields, "AdministrativeBodyName") or "",
        parent_guid=_guid_or_none(reader.text(fields, "ParentGuid")),
        contact=Contact(
            phone=reader.text(contact_fields, "Phone"),
            fax=reader.text(contact_fields, "Fax"),
            email=reader.text(contact_fields, "EmailAddress"),
        ),
        certificate_sn=sn,
        certificate_serial=parse_certificate_sn(sn),
        services=tuple(services),
        status=reader.text(fields, "Status"),
        last_change=parse_datetime(last_change) if last_change else None,
    )


class RegistryClient:
    """Client of the register of participants (§8.3).

    :param str url: the service address, e.g. ``https://register.obmen.local/service/``.
    :param float timeout: read timeout in seconds for every call.
    :param float connect_timeout: connect timeout in seconds.
    :param client_cert: ``(cert_path, key_path)``: the register wants the participant
        certificate (§8.3).
    :param verify: ``True`` or the path of the exchange CA bundle.
    :param requests.Session session: injected session (tests, proxies).
    """

    def __init__(
        self,
        url,
        *,
        timeout=60.0,
        connect_timeout=10.0,
        client_cert=None,
        verify=True,
        session=None,
    ):
        self.url = url
        self.timeout = timeout
        self.connect_timeout = connect_timeout
        self.session = session or requests.Session()
        if client_cert is not None:
            self.session.cert = client_cert
        if verify is not True or session is None:
            self.session.verify = verify

    def get_all_records(self):
        """``GetAllRecords``: the whole register.

        :returns: :class:`RegistrySnapshot`.
        :raises TransportError: timeout (``timeout=True``), connection, HTTP error.
        :raises ProtocolError: SOAP fault or unreadable answer.
        """
        return self._call("GetAllRecords")

    def get_new_records(self, since):
        """``GetNewRecords``: entries changed since ``since`` (aware datetime)."""
        return self._call("GetNewRecords", ("date", "dateTime", format_datetime(since)))

    def get_by_identifier(self, identifier):
        """``GetByEntityIdentifier``: the entries of one ЕИК (there may be several)."""
        return self._call(
            "GetByEntityIdentifier", ("EntityIdentifier", "string", identifier)
        )

    def get_by_guid(self, guid):
        """``GetByGuid``: one entry (sent with braces, lower case)."""
        return self._call("GetByGuid", ("guid", "string", m.normalize_guid(guid)))

    def get_by_certificate_serial(self, serial):
        """``GetByCertificateSN``: entries using a certificate; ``serial`` is an
        ``int`` (sent as upper-case hex, as the register writes it) or hex text.
        """
        if isinstance(serial, int):
            serial = format(serial, "X")
        return self._call("GetByCertificateSN", ("CertificateSN", "string", serial))

    def _call(self, operation, *params):
        data = build_request(operation, params)
        try:
            response = self.session.post(
                self.url,
                data=data,
                headers={
                    "Content-Type": "text/xml; charset=utf-8",
                    "SOAPAction": f'"uri:egovmsg/{operation}"',
                },
                timeout=(self.connect_timeout, self.timeout),
            )
        except requests.exceptions.ConnectTimeout:
            raise TransportError(
                f"cannot connect to the register {self.url}", code="connect_timeout"
            ) from None
        except requests.exceptions.Timeout:
            raise TransportError(
                f"the register did not answer within {self.timeout} s",
                timeout=True,
                code="timeout",
            ) from None
        except requests.exceptions.ConnectionError as exc:
            raise TransportError(
                f"cannot reach the register: {exc}", code="connection"
            ) from None
        if response.status_code != 200 and b"Fault" not in response.content:
            raise TransportError(
                f"the register answered HTTP {response.status_code}",
                retryable=response.status_code >= 500,
                code=f"http_{response.status_code}",
            )
        return parse_response(response.content)
