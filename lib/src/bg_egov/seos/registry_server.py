"""A sandbox register of participants, serving the sandbox nodes' directory file.

Run ``bg-egov-seos-registry --directory participants.json`` (or ``python -m
bg_egov.seos.registry_server``). It answers the five operations of the register (SEOS
reference §8.3) in the RPC/encoded form of §8.4 — SOAP-encoded arrays with
``soapenc:arrayType`` and ``xsi:type`` on every value — so that
:class:`~bg_egov.seos.registry.RegistryClient` is tested against the shape the real
register sends. It prints ``SEOS register ready: <URL>`` and stops on SIGTERM.

Each directory entry becomes one ``Entity`` with one document-exchange ``Service``
whose URI is the entry's ``endpoint``; optional keys ``parent_guid``, ``phone``,
``fax``, ``email`` and ``last_change`` (ISO date-time) fill the other fields.
"""

import argparse
import datetime
import sys

from cryptography import x509
from lxml import etree

from bg_egov import safexml
from bg_egov.errors import ProtocolError, UnsafeXmlError

from . import messages as m
from .codes import DOCUMENT_EXCHANGE_SERVICE_GUID, REGISTRY_NS, SOAP_NS
from .node import Directory, serve
from .registry import SOAPENC_NS, XSD_NS, XSI_NS, parse_certificate_sn
from .xml import format_datetime, parse_datetime

OPERATIONS = {
    "GetAllRecords",
    "GetNewRecords",
    "GetByEntityIdentifier",
    "GetByGuid",
    "GetByCertificateSN",
}


def _typed(parent, name, text, xsd_type="string"):
    node = etree.SubElement(parent, name)
    node.set(f"{{{XSI_NS}}}type", f"xsd:{xsd_type}")
    node.text = text
    return node


def _serial(item):
    if item.get("certificate_pem"):
        return x509.load_pem_x509_certificate(
            item["certificate_pem"].encode()
        ).serial_number
    return parse_certificate_sn(item.get("certificate_sn"))


def _last_change(item, default):
    text = item.get("last_change")
    return parse_datetime(text) if text else default


def _entity(parent, item, default_change):
    entity = etree.SubElement(parent, "item")
    entity.set(f"{{{XSI_NS}}}type", "reg:Entity")
    _typed(entity, "EntityIdentifier", item["eik"])
    _typed(entity, "Guid", m.normalize_guid(item["guid"]))
    _typed(entity, "ParentGuid", item.get("parent_guid") or "")
    _typed(entity, "AdministrativeBodyName", item["name"])
    contact = etree.SubElement(entity, "Contact")
    contact.set(f"{{{XSI_NS}}}type", "reg:Contact")
    _typed(contact, "Phone", item.get("phone") or "")
    _typed(contact, "Fax", item.get("fax") or "")
    _typed(contact, "EmailAddress", item.get("email") or "")
    serial = _serial(item)
    # .NET's rendering: upper-case hex with an even number of digits (§16.6).
    sn = format(serial, "X") if serial is not None else ""
    _typed(entity, "CertificateSN", sn.zfill(len(sn) + len(sn) % 2))
    services = etree.SubElement(entity, "Services")
    services.set(f"{{{XSI_NS}}}type", "soapenc:Array")
    services.set(f"{{{SOAPENC_NS}}}arrayType", "reg:Service[1]")
    service = etree.SubElement(services, "item")
    service.set(f"{{{XSI_NS}}}type", "reg:Service")
    _typed(service, "Guid", DOCUMENT_EXCHANGE_SERVICE_GUID)
    _typed(service, "Name", "Документооборот")
    _typed(service, "URI", item.get("endpoint") or "", "anyURI")
    _typed(service, "Status", "Active" if item.get("endpoint") else "Inactive")
    _typed(service, "Type", "SEOS")
    _typed(service, "Version", "1", "integer")
    _typed(
        entity,
        "LastChange",
        format_datetime(_last_change(item, default_change)),
        "dateTime",
    )
    _typed(entity, "Status", item.get("status", "Active"))


def build_response(operation, items, last_change):
    """Build the RPC/encoded answer of ``operation`` listing ``items`` (directory
    entries).

    :returns: the SOAP envelope as bytes.
    """
    envelope = etree.Element(
        f"{{{SOAP_NS}}}Envelope",
        nsmap={
            "s": SOAP_NS,
            "reg": REGISTRY_NS,
            "xsi": XSI_NS,
            "xsd": XSD_NS,
            "soapenc": SOAPENC_NS,
        },
    )
    body = etree.SubElement(envelope, f"{{{SOAP_NS}}}Body")
    response = etree.SubElement(body, f"{{{REGISTRY_NS}}}{operation}Response")
    response.set(f"{{{SOAP_NS}}}encodingStyle", SOAPENC_NS)
    result = etree.SubElement(response, "return")
    result.set(f"{{{XSI_NS}}}type", "reg:EGovMessageDir")
    entities = etree.SubElement(result, "Entities")
    entities.set(f"{{{XSI_NS}}}type", "soapenc:Array")
    entities.set(f"{{{SOAPENC_NS}}}arrayType", f"reg:Entity[{len(items)}]")
    for item in items:
        _entity(entities, item, last_change)
    _typed(result, "LastChange", format_datetime(last_change), "dateTime")
    return etree.tostring(envelope, xml_declaration=True, encoding="UTF-8")


def _fault(reason):
    envelope = etree.Element(f"{{{SOAP_NS}}}Envelope", nsmap={"s": SOAP_NS})
    body = etree.SubElement(envelope, f"{{{SOAP_NS}}}Body")
    fault = etree.SubElement(body, f"{{{SOAP_NS}}}Fault")
    etree.SubElement(fault, "faultcode").text = "s:Client"
    etree.SubElement(fault, "faultstring").text = reason
    return etree.tostring(envelope, xml_declaration=True, encoding="UTF-8")


class RegistryApplication:
    """WSGI application of the sandbox register over a :class:`~.node.Directory`."""

    def __init__(self, directory):
        self.directory = directory

    def __call__(self, environ, start_response):
        """Serve one register call (PEP 3333)."""
        try:
            length = int(environ.get("CONTENT_LENGTH") or 0)
            call = self._call(environ["wsgi.input"].read(min(length, 1 << 20)))
            status, body = "200 OK", self.answer(*call)
        except (UnsafeXmlError, ProtocolError, ValueError) as exc:
            status, body = "500 Internal Server Error", _fault(str(exc))
        start_response(
            status,
            [
                ("Content-Type", "text/xml; charset=utf-8"),
                ("Content-Length", str(len(body))),
            ],
        )
        return [body]

    @staticmethod
    def _call(data):
        root = safexml.parse(data, max_bytes=1 << 20)
        body = root.find(f"{{{SOAP_NS}}}Body")
        if body is None or not len(body):
            raise ProtocolError("no SOAP body")
        call = body[0]
        operation = etree.QName(call).localname
        if etree.QName(call).namespace != REGISTRY_NS or operation not in OPERATIONS:
            raise ProtocolError(f"unknown operation {operation}")
        argument = (call[0].text or "").strip() if len(call) else None
        return operation, argument

    def answer(self, operation, argument):
        """Select the entries for one operation and build the answer."""
        items = self.directory.raw_entries()
        stamp = self.directory.path.stat().st_mtime
        default_change = datetime.datetime.fromtimestamp(stamp, datetime.timezone.utc)
        if operation == "GetNewRecords":
            since = parse_datetime(argument or "")
            items = [i for i in items if _last_change(i, default_change) >= since]
        elif operation == "GetByEntityIdentifier":
            items = [i for i in items if i["eik"] == argument]
        elif operation == "GetByGuid":
            guid = m.normalize_guid(argument or "")
            items = [i for i in items if m.normalize_guid(i["guid"]) == guid]
        elif operation == "GetByCertificateSN":
            serial = parse_certificate_sn(argument)
            items = [i for i in items if serial is not None and _serial(i) == serial]
        last = max(
            [_last_change(i, default_change) for i in items], default=default_change
        )
        return build_response(operation, items, last)


def main(argv=None):
    """Entry point of ``bg-egov-seos-registry``; returns the exit status."""
    parser = argparse.ArgumentParser(
        prog="bg-egov-seos-registry",
        description="Serve a sandbox SEOS register of participants.",
    )
    parser.add_argument("--directory", required=True, help="participants JSON file")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0)
    args = parser.parse_args(argv)
    app = RegistryApplication(Directory(args.directory))
    serve(app, args.host, args.port, banner="SEOS register ready", path="/service/")
    return 0


if __name__ == "__main__":
    sys.exit(main())
