"""A sandbox e-Delivery (ССЕВ) service on localhost, for tests, demos and integrators.

It serves the SOAP integration service's wire format (reference README §2.1, §4):
SOAP 1.1 in MTOM packaging both ways (a plain ``text/xml`` request gets ``415`` like
the WCF endpoint), a WS-Security signature over the timestamp checked on every request
against the certificates registered for the profiles, data contracts in wire order,
faults with the service's texts (§11). Its behaviour follows the 2022 server code as
the reference describes it:

* recipients are looked up with SQL ``LIKE`` semantics, so ``%`` and ``_`` match other
  profiles exactly as in the real service (§3) — the client must never send them;
* a person without a profile gets a passive profile (§5.1); a legal entity or
  institution without one is a fault; a deactivated profile is found anyway and simply
  never opens (§5.2);
* opening (``GetReceivedMessageContent``, and — as the service does — a
  ``GetSentMessageStatus`` by the recipient, §5.3) records the first opening time and
  login and makes the NRD stamp; time stamps are :mod:`bg_egov.ssev.timestamp`
  sandbox stamps, clearly not real ones (§7);
* push notifications ``Received``/``Delivered`` go to the profiles' ``push_url`` (§5.7).

Profiles come from a JSON file (see :func:`load_profiles`). Control endpoints under
``/sandbox/`` (no authentication: the sandbox listens on loopback) let tests inject
incoming messages, open messages, order faults, delays and broken answers, and read
request counters. Start it with ``bg-egov-ssev-sandbox --profiles FILE`` or
``python -m bg_egov.ssev.sandbox``; it prints the service URL when ready.
"""

import argparse
import base64
import dataclasses
import datetime
import email.parser
import email.policy
import hashlib
import http.server
import json
import re
import sys
import threading
import time
import urllib.parse
import uuid
import zoneinfo

import requests
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from lxml import etree

from bg_egov import identifiers, wssecurity
from bg_egov.errors import BgEgovError, IdentifierError, SignatureError

from . import mtom
from .timestamp import sandbox_stamp

SOAP_NS = wssecurity.SOAP11_NS
SERVICE_NS = "https://edelivery.egov.bg/services/integration"
DC_NS = "http://schemas.datacontract.org/2004/07/EDelivery.Common.DataContracts"
ES_NS = DC_NS + ".ESubject"
XSI_NS = "http://www.w3.org/2001/XMLSchema-instance"
SERVICE_PATH = "/Services/EDeliveryIntegrationService.svc"
SOFIA = zoneinfo.ZoneInfo("Europe/Sofia")
UNAUTHORIZED = "Attempted to perform an unauthorized operation."
CANNOT_READ = (
    'Status(StatusCode="InvalidArgument", Detail="Profile can\'t read messsage")'
)
CANNOT_OPEN = (
    'Status(StatusCode="InvalidArgument", Detail="Profile can\'t open messsage")'
)
BINARY_ELEMENTS = ("Content", "TimeStampData")


class Fault(Exception):
    """A SOAP fault the sandbox answers with its ``faultstring``."""


@dataclasses.dataclass
class Profile:
    """A profile of the sandbox (README §1): person, legal entity or institution."""

    identifier: str
    profile_type: str
    name: str
    activated: bool = True
    passive: bool = False
    email: str | None = None
    phone: str | None = None
    thumbprints: set = dataclasses.field(default_factory=set)
    operators: dict = dataclasses.field(default_factory=dict)
    open_after: float | None = None
    access_code_allowed: bool = False
    push_url: str | None = None
    rest_client_id: str | None = None
    profile_id: int = 0
    subject_id: str = dataclasses.field(default_factory=lambda: str(uuid.uuid4()))


@dataclasses.dataclass
class Document:
    document_id: int
    name: str
    content: bytes
    registration_number: str | None
    stamp: bytes


@dataclasses.dataclass
class Message:
    message_id: int
    sender: Profile
    sender_login: str
    recipient: Profile
    title: str
    text: str | None
    documents: list
    date_sent: datetime.datetime
    summary: bytes
    nro: bytes
    reply_to: int | None = None
    date_received: datetime.datetime | None = None
    opened_by: str | None = None
    nrd: bytes | None = None


def load_profiles(data):
    """Build profiles from the JSON structure of the ``--profiles`` file.

    ``{"profiles": [{"identifier": "…", "type": "Person|LegalPerson|Institution",
    "name": "…", "activated": true, "passive": false, "email": …, "phone": …,
    "certificates": ["<PEM text or path>"], "operators": {"<ЕГН>": "<name>"},
    "open_after": <seconds or null = never>, "access_code_allowed": false,
    "push_url": "http://…"}]}``

    :returns: list of :class:`Profile`.
    :raises ValueError: an unknown profile type or unreadable certificate.
    """
    profiles = []
    for index, item in enumerate(data.get("profiles", []), start=1):
        kind = item["type"]
        if kind not in ("Person", "LegalPerson", "Institution"):
            raise ValueError(f"unknown profile type {kind!r}")
        thumbprints = set(item.get("certificate_thumbprints", []))
        for cert in item.get("certificates", []):
            pem = (
                cert.encode()
                if "BEGIN CERTIFICATE" in cert
                else open(cert, "rb").read()
            )
            der = x509.load_pem_x509_certificate(pem).public_bytes(
                serialization.Encoding.DER
            )
            thumbprints.add(wssecurity.thumbprint(der))
        profiles.append(
            Profile(
                identifier=str(item["identifier"]),
                profile_type=kind,
                name=item.get("name", ""),
                activated=item.get("activated", True),
                passive=item.get("passive", False),
                email=item.get("email"),
                phone=item.get("phone"),
                thumbprints={t.upper() for t in thumbprints},
                operators=dict(item.get("operators", {})),
                open_after=item.get("open_after"),
                access_code_allowed=item.get("access_code_allowed", False),
                push_url=item.get("push_url"),
                rest_client_id=item.get("rest_client_id"),
                profile_id=index,
            )
        )
    return profiles


class SandboxService:
    """The state and operations of the sandbox, independent of HTTP."""

    def __init__(self, profiles, *, clock=None):
        self.profiles = list(profiles)
        self.messages = {}
        self.lock = threading.RLock()
        self.requests = {}
        self.faults = []
        self.pushes = []
        self.tokens = {}
        self.blobs = {}
        self.download_tokens = {}
        # Where download links point (README §5.4); the server sets its own address.
        self.base_url = "http://127.0.0.1"
        self._next_message = 1000
        self._next_document = 5000
        self.clock = clock or (lambda: datetime.datetime.now(SOFIA))

    # -- control --------------------------------------------------------------------
    def add_fault(self, spec):
        """Queue an abnormal answer: ``{"operation", "kind": "fault" | "delay" |
        "malformed_mtom" | "http500", "text", "delay", "skip", "times"}``."""
        with self.lock:
            self.faults.append(
                {
                    "operation": spec["operation"],
                    "kind": spec.get("kind", "fault"),
                    "text": spec.get("text", "Sandbox fault on demand"),
                    "delay": float(spec.get("delay", 0)),
                    "skip": int(spec.get("skip", 0)),
                    "times": int(spec.get("times", 1)),
                }
            )

    def take_fault(self, operation):
        with self.lock:
            for fault in self.faults:
                if fault["operation"] != operation or fault["times"] <= 0:
                    continue
                if fault["skip"] > 0:
                    fault["skip"] -= 1
                    return None
                fault["times"] -= 1
                return dict(fault)
        return None

    def state(self):
        """Counters and messages, for tests (``GET /sandbox/state``)."""
        with self.lock:
            return {
                "requests": dict(self.requests),
                "pushes": list(self.pushes),
                "messages": [
                    {
                        "id": m.message_id,
                        "title": m.title,
                        "sender": m.sender.identifier,
                        "recipient": m.recipient.identifier,
                        "recipient_passive": m.recipient.passive,
                        "date_sent": m.date_sent.isoformat(),
                        "date_received": m.date_received
                        and m.date_received.isoformat(),
                        "opened_by": m.opened_by,
                        "reply_to": m.reply_to,
                        "documents": [
                            {
                                "name": d.name,
                                "registration_number": d.registration_number,
                            }
                            for d in m.documents
                        ],
                    }
                    for m in sorted(self.messages.values(), key=lambda m: m.message_id)
                ],
            }

    def inject(self, spec):
        """A message from one sandbox profile to another (``POST /sandbox/messages``),
        e.g. a citizen's application to the municipality."""
        sender = self._by_identifier(spec["from"])
        recipient = self._by_identifier(spec["to"])
        documents = [
            (
                d["name"],
                base64.b64decode(d["content_b64"]),
                d.get("registration_number"),
            )
            for d in spec.get("documents", [])
        ]
        message = self._store(
            sender, sender.name, recipient, spec["title"], spec.get("text"), documents
        )
        return {"id": message.message_id}

    def open(self, message_id, login=None):
        """The recipient opens a message (first time only), README §5.4."""
        with self.lock:
            message = self.messages[int(message_id)]
            if message.date_received is None:
                message.date_received = self.clock()
                message.opened_by = login or f"{message.recipient.name} (integration)"
                summary = message.summary + message.date_received.isoformat().encode()
                message.nrd = sandbox_stamp(summary)
                self._push(message.sender, "Delivered", message.message_id)
            return message

    # -- HTTP -----------------------------------------------------------------------
    def handle_http(self, path, content_type, body):
        """Answer one HTTP POST: ``(status, content type, body)``.

        Used by the HTTP server and, without sockets, by the library's own tests.
        """
        if path.startswith("/sandbox/"):
            return self._control(path, body)
        if not path.startswith(SERVICE_PATH):
            return 404, "text/plain", b"Not Found"
        if not mtom.is_mtom(content_type):
            # A WCF endpoint with messageEncoding="Mtom" refuses plain SOAP (§2.1).
            return (
                415,
                "text/plain",
                b"Cannot process the message because the content type is not the "
                b"expected type 'multipart/related; type=\"application/xop+xml\"'.",
            )
        try:
            envelope = mtom.unpack(body, content_type)
        except BgEgovError as exc:
            return _soap(500, _fault_envelope(f"Bad request: {exc}"))
        operation = _operation_name(envelope)
        fault = self.take_fault(operation)
        if fault and fault["kind"] in ("fault", "http500"):
            with self.lock:
                self.requests[operation] = self.requests.get(operation, 0) + 1
            if fault["kind"] == "http500":
                return 503, "text/html", b"Service Unavailable"
            return _soap(500, _fault_envelope(fault["text"]))
        try:
            _operation, payload = self.handle_soap(envelope)
        except Fault as exc:
            return _soap(500, _fault_envelope(str(exc)))
        if fault and fault["kind"] == "delay":
            # Processed, then silent: the client times out after sending (README §6).
            time.sleep(fault["delay"])
        if fault and fault["kind"] == "malformed_mtom":
            status, ctype, data = _soap(200, _envelope(payload))
            return status, ctype, data[: len(data) // 2]
        return _soap(200, _envelope(payload))

    def _control(self, path, body):
        try:
            data = json.loads(body or b"{}")
            if path == "/sandbox/messages":
                return _json(200, self.inject(data))
            if path == "/sandbox/open":
                message = self.open(data["message_id"], data.get("login"))
                return _json(200, {"id": message.message_id})
            if path == "/sandbox/faults":
                self.add_fault(data)
                return _json(200, {"ok": True})
        except (KeyError, ValueError, TypeError) as exc:
            return _json(400, {"error": str(exc)})
        return _json(404, {"error": "not found"})

    # -- REST shapes (README §2.3, §5) ---------------------------------------------
    def handle_rest(self, method, target, headers, body):
        """Answer one REST request of the API behind the service bus: ``(status,
        content type, body)``. The sandbox plays e-Delivery and a minimal bus token
        endpoint (``POST /token``); mutual TLS is the bus's business and is not
        simulated. Profiles with ``rest_client_id`` may obtain tokens.
        """
        url = urllib.parse.urlsplit(target)
        query = dict(urllib.parse.parse_qsl(url.query))
        path = url.path
        if path.startswith("/sandbox/blob/") and method == "GET":
            blob = self.download_tokens.get(path.rsplit("/", 1)[1])
            if blob is None:
                return 404, "text/plain", b"link expired"
            return 200, "application/octet-stream", blob.content
        if path == "/token" and method == "POST":
            return self._rest_token(query)
        caller = self.tokens.get(
            (headers.get("Authorization") or "").removeprefix("Bearer ").strip()
        )
        if caller is None:
            return 401, "text/plain", b""
        with self.lock:
            key = f"REST {method} {re.sub(r'/[0-9]+', '/{id}', path)}"
            self.requests[key] = self.requests.get(key, 0) + 1
        try:
            return self._rest_route(method, path, query, headers, body, caller)
        except Fault as exc:
            return _json(400, {"title": "Bad Request", "detail": str(exc)})
        except (KeyError, ValueError) as exc:
            return _json(400, {"title": "Bad Request", "detail": str(exc)})

    def _rest_token(self, query):
        for profile in self.profiles:
            client_id = query.get("client_id")
            if client_id and profile.rest_client_id == client_id and profile.activated:
                token = uuid.uuid4().hex
                with self.lock:
                    self.tokens[token] = profile
                return _json(
                    200,
                    {
                        "token_type": "Bearer",
                        "access_token": token,
                        "expires_in": 3600,
                        "scope": query.get("scope"),
                        "grant_type": "client_credentials",
                    },
                )
        return _json(401, {"error": "invalid_client"})

    def _rest_route(self, method, path, query, headers, body, caller):  # noqa: C901
        parts = path.strip("/").split("/")
        if parts[:2] != ["api", "v1"]:
            return 404, "text/plain", b""
        parts = parts[2:]
        if method == "GET" and parts == ["profiles", "check"]:
            rows = [
                x
                for x in self._like(query.get("identifier", ""), ("Person",))
                if x.activated or x.passive
            ]
            return _json(
                200,
                {"result": [_profile_json(x, True) for x in rows], "length": len(rows)},
            )
        if method == "GET" and parts == ["profiles", "search"]:
            kinds = _GROUPS[int(query["targetGroupId"])]
            rows = [
                x for x in self._like(query.get("identifier", ""), kinds) if x.activated
            ]
            if len(rows) != 1:
                return 404, "text/plain", b""
            return _json(200, _profile_json(rows[0], False))
        if method == "GET" and parts == ["profiles"]:
            kinds = _GROUPS[int(query["targetGroupId"])]
            rows = [x for x in self.profiles if x.profile_type in kinds and x.activated]
            offset, limit = int(query.get("offset", 0)), int(query.get("limit", 100))
            return _json(
                200,
                {
                    "result": [
                        _profile_json(x, False) for x in rows[offset : offset + limit]
                    ],
                    "length": len(rows),
                },
            )
        if method == "POST" and parts == ["blobs"]:
            return self._rest_upload(caller, headers, body)
        if method == "POST" and parts == ["messages"]:
            return self._rest_send(caller, json.loads(body))
        if method == "GET" and parts == ["messages", "inbox"]:
            rows = sorted(
                (m for m in self.messages.values() if m.recipient is caller),
                key=lambda m: (m.date_received is not None, -m.message_id),
            )
            offset, limit = int(query.get("offset", 0)), int(query.get("limit", 100))
            return _json(
                200,
                {
                    "result": [_row_json(m) for m in rows[offset : offset + limit]],
                    "length": len(rows),
                },
            )
        if len(parts) == 3 and parts[0] == "messages" and method == "GET":
            message = self.messages.get(int(parts[1]))
            if parts[2] == "view" and message and message.sender is caller:
                return _json(200, _view_json(message))
            if parts[2] == "open" and message and message.recipient is caller:
                self.open(message.message_id, f"{caller.name} (ESB)")
                return _json(200, self._open_json(message))
            return 404, "text/plain", b""
        return 404, "text/plain", b""

    def _rest_upload(self, caller, headers, body):
        content_type = headers.get("Content-Type", "")
        if not content_type.startswith("multipart/form-data"):
            return _json(400, {"title": "Bad Request", "detail": "multipart expected"})
        message = email.parser.BytesParser(policy=email.policy.default).parsebytes(
            b"Content-Type: " + content_type.encode() + b"\r\n\r\n" + body
        )
        parts = [p for p in message.iter_parts() if p.get_filename()]
        if not parts:
            return _json(400, {"title": "Bad Request", "detail": "no file part"})
        name, content = parts[0].get_filename(), parts[0].get_payload(decode=True)
        with self.lock:
            self._next_document += 1
            blob = Document(
                self._next_document, name, content, None, sandbox_stamp(content)
            )
            self.blobs[blob.document_id] = (caller, blob)
        return _json(
            200,
            {
                "name": name,
                "size": len(content),
                "hashAlgorithm": "SHA256",
                "hash": hashlib.sha256(content).hexdigest(),
                "blobId": blob.document_id,
                "malwareScanStatus": "NotMalicious",
                "signatureStatus": "None",
                "errorStatus": "None",
            },
        )

    def _rest_send(self, caller, data):
        if not (data.get("subject") or "").strip():
            raise Fault("'Subject' must not be empty.")
        if len(data["subject"]) > 255:
            raise Fault("The length of 'Subject' must be 255 characters or fewer.")
        if int(data.get("templateId") or 0) != 1:
            raise Fault("Invalid fields according to template")
        by_id = {x.profile_id: x for x in self.profiles}
        recipients = [by_id.get(i) for i in data.get("recipientProfileIds") or []]
        if not recipients or None in recipients:
            raise Fault("Can not send to recipients")
        fields = data.get("fields") or {}
        documents = []
        for blob_id in fields.get(_REST_FILES) or []:
            owner, blob = self.blobs.get(int(blob_id), (None, None))
            if owner is not caller:
                raise Fault(f"Blob {blob_id} not found")
            documents.append((blob.name, blob.content, None))
        text = fields.get(_REST_TEXT)
        if not text and not documents:
            raise Fault("Invalid fields according to template")
        ids = [
            self._store(
                caller, f"{caller.name} (ESB)", r, data["subject"], text, documents
            )
            for r in recipients
        ]
        return _json(200, ids[0].message_id)

    def _open_json(self, m):
        files = []
        for d in m.documents:
            token = uuid.uuid4().hex
            with self.lock:
                self.download_tokens[token] = d
            files.append(
                {
                    "blobId": d.document_id,
                    "fileName": d.name,
                    "size": len(d.content),
                    "documentRegistrationNumber": d.registration_number,
                    "isMalicious": False,
                    "hash": hashlib.sha256(d.content).hexdigest(),
                    "hashAlgorithm": "SHA256",
                    "downloadLink": f"{self.base_url}/sandbox/blob/{token}",
                    "signatures": [],
                }
            )
        return {
            "messageId": m.message_id,
            "dateSent": m.date_sent.isoformat(),
            "sender": {"profileId": m.sender.profile_id, "name": m.sender.name},
            "dateReceived": m.date_received and m.date_received.isoformat(),
            "recipientLogin": {"loginId": m.recipient.profile_id, "name": m.opened_by},
            "subject": m.title,
            "rnu": str(uuid.uuid4()),
            "templateId": 1,
            "fields": {_REST_TEXT: m.text, _REST_FILES: files},
            "forwardedMessageId": None,
        }

    # -- SOAP -----------------------------------------------------------------------
    def handle_soap(self, envelope):
        """Run one SOAP request and return ``(operation, response payload)``.

        :raises Fault: the fault the service would answer.
        """
        body = envelope.find(f"{{{SOAP_NS}}}Body")
        if body is None or len(body) != 1:
            raise Fault("The message has no SOAP body")
        request = body[0]
        operation = etree.QName(request).localname
        with self.lock:
            self.requests[operation] = self.requests.get(operation, 0) + 1
        caller = self._authenticate(envelope)
        params = {etree.QName(child).localname: child for child in request}
        login = self._operator_login(caller, _text(params.get("operatorEGN")))
        handler = getattr(self, f"op_{operation}", None)
        if handler is None or etree.QName(request).namespace != SERVICE_NS:
            raise Fault(f"The operation {operation} is not supported by the sandbox")
        return operation, handler(caller, login, params)

    def _authenticate(self, envelope):
        try:
            info = wssecurity.verify_envelope(envelope)
        except SignatureError as exc:
            raise Fault(
                f"An error occurred when verifying security for the message. ({exc})"
            ) from None
        now = datetime.datetime.now(datetime.timezone.utc)
        cert = info.certificate
        not_before = getattr(
            cert, "not_valid_before_utc", None
        ) or cert.not_valid_before.replace(tzinfo=datetime.timezone.utc)
        not_after = getattr(
            cert, "not_valid_after_utc", None
        ) or cert.not_valid_after.replace(tzinfo=datetime.timezone.utc)
        if not not_before <= now <= not_after:
            raise Fault("Invalid client certificate")
        for profile in self.profiles:
            if info.thumbprint_sha1 in profile.thumbprints and profile.activated:
                return profile
        raise Fault("Invalid client certificate")

    def _operator_login(self, caller, operator_egn):
        if not operator_egn:
            return f"{caller.name} (integration)"
        if operator_egn not in caller.operators:
            raise Fault(UNAUTHORIZED)
        return caller.operators[operator_egn]

    # registration (README §5.1)
    def op_CheckPersonHasRegistration(self, caller, login, p):
        identifier = _text(p.get("personId")) or ""
        found = [
            x
            for x in self._like(identifier, ("Person",))
            if x.activated and not x.passive
        ]
        el = _result("CheckPersonHasRegistration", DC_NS)
        _add(el, DC_NS, "AccessibleProfiles", None)
        _add(el, DC_NS, "HasRegistration", bool(found))
        _add(el, DC_NS, "Name", found[0].name if found else None)
        _add(el, DC_NS, "PersonIdentificator", identifier)
        return el.getparent()

    def op_CheckLegalPersonHasRegistration(self, caller, login, p):
        identifier = _text(p.get("eik")) or ""
        found = [x for x in self._like(identifier, ("LegalPerson",)) if x.activated]
        first = found[0] if found else None
        el = _result("CheckLegalPersonHasRegistration", DC_NS)
        _add(el, DC_NS, "EIK", identifier)
        _add(el, DC_NS, "Email", first and first.email)
        _add(el, DC_NS, "HasRegistration", bool(found))
        _add(el, DC_NS, "Name", first and first.name)
        _add(el, DC_NS, "Phone", first and first.phone)
        _add(el, DC_NS, "ProfilesWithAccess", None)
        return el.getparent()

    def op_CheckSubjectHasRegistration(self, caller, login, p):
        identifier = _text(p.get("identificator")) or ""
        found = sorted(
            (x for x in self._like(identifier, None) if not x.passive),
            key=lambda x: not x.activated,
        )
        first = found[0] if found else None
        el = _result("CheckSubjectHasRegistration", DC_NS)
        _add(el, DC_NS, "HasRegistration", bool(found))
        _add(el, DC_NS, "Identificator", identifier)
        if first is None:
            _add(el, DC_NS, "SubjectInfo", None)
        else:
            info = etree.SubElement(el, f"{{{DC_NS}}}SubjectInfo")
            self._public_info(info, first)
            _add(info, DC_NS, "InstitutionType", None)
        return el.getparent()

    def op_GetRegisteredInstitutions(self, caller, login, p):
        el = _result("GetRegisteredInstitutions", ES_NS)
        for x in self.profiles:
            if x.profile_type == "Institution" and x.activated:
                info = etree.SubElement(el, f"{{{ES_NS}}}DcInstitutionInfo")
                self._public_info(info, x)
                _add(info, ES_NS, "Address", None)
                _add(info, ES_NS, "UniqueSubjectIdentifier", x.identifier)
                _add(info, ES_NS, "VerificationInfo", None)
                _add(info, ES_NS, "HeadInstitution", None)
                _add(info, ES_NS, "Name", x.name)
                _add(info, ES_NS, "SubInstitutions", None)
        return el.getparent()

    # sending (README §5.2)
    def op_SendMessage(self, caller, login, p):
        title, text, documents = self._read_message(p.get("message"))
        recipient = self._resolve_recipient(
            _text(p.get("receiverType")),
            _text(p.get("receiverUniqueIdentifier")) or "",
            _text(p.get("receiverEmail")),
        )
        message = self._store(caller, login, recipient, title, text, documents)
        return _int_response("SendMessage", message.message_id)

    def op_SendElectronicDocument(self, caller, login, p):
        content = _bytes(p.get("docBytes"))
        name = _text(p.get("docNameWithExtension"))
        documents = [(name, content, _text(p.get("docRegNumber")))]
        self._check_documents(documents)
        title = _text(p.get("subject"))
        if not title:
            raise Fault(
                "Message does not have all required fields: Title, Text or at least "
                "one Attached Document"
            )
        recipient = self._resolve_recipient(
            _text(p.get("receiverType")),
            _text(p.get("receiverUniqueIdentifier")) or "",
            _text(p.get("receiverEmail")),
        )
        message = self._store(caller, login, recipient, title, None, documents)
        return _int_response("SendElectronicDocument", message.message_id)

    def op_SendMessageInReplyTo(self, caller, login, p):
        title, text, documents = self._read_message(p.get("message"))
        reply_to = int(_text(p.get("replyToMessageId")) or 0)
        if not reply_to:
            raise Fault(
                "Mandatory parameter replyToMessageId is missing or is equal to zero!"
            )
        original = self.messages.get(reply_to)
        if original is None or original.recipient is not caller:
            raise Fault("Can't reply to this message!")
        message = self._store(caller, login, original.sender, title, text, documents)
        message.reply_to = reply_to
        return _int_response("SendMessageInReplyTo", message.message_id)

    def op_SendMessageWithAccessCode(self, caller, login, p):
        if not caller.access_code_allowed:
            raise Fault("The profile is not allowed to send messages with access code!")
        title, text, documents = self._read_message(p.get("message"))
        receiver = {
            etree.QName(c).localname: _text(c)
            for c in (p["receiver"] if p.get("receiver") is not None else [])
        }
        for field, label in (
            ("FirstName", "FirstName and LastName"),
            ("LastName", "FirstName and LastName"),
            ("Email", "Email"),
            ("Phone", "Phone"),
        ):
            if not receiver.get(field):
                raise Fault(
                    f"Receiver's {label} {'are' if 'and' in label else 'is'} required!"
                )
        recipient = self._resolve_recipient(
            "Person", receiver.get("EGNorLNCH") or "", receiver.get("Email")
        )
        message = self._store(caller, login, recipient, title, text, documents)
        return _int_response("SendMessageWithAccessCode", message.message_id)

    # tracking (README §5.3)
    def op_GetSentMessageStatus(self, caller, login, p):
        message = self.messages.get(int(_text(p.get("messageId")) or 0))
        if message is None:
            raise Fault(CANNOT_READ)
        if message.recipient is caller and message.sender is not caller:
            # Carried over from the old service (README §5.3): the recipient asking
            # for the status OPENS the message. The sandbox does it too, so that a
            # client which asks would be caught.
            self.open(message.message_id, login)
        elif message.sender is not caller:
            raise Fault(CANNOT_READ)
        el = _result("GetSentMessageStatus", DC_NS)
        self._details(el, message, plain_title=True, content=False, nrd=False)
        return el.getparent()

    # receiving (README §5.4)
    def op_GetReceivedMessagesListPaged(self, caller, login, p):
        only_new = _text(p.get("onlyNew")) == "true"
        page = int(_text(p.get("pageNumber")) or 0)
        size = int(_text(p.get("pageSize")) or 0)
        if page < 1 or size < 1:
            raise Fault("pageNumber and pageSize must be positive")
        with self.lock:
            rows = [
                m
                for m in self.messages.values()
                if m.recipient is caller and not (only_new and m.date_received)
            ]
        rows.sort(key=lambda m: (m.date_received is not None, -m.message_id))
        el = _result("GetReceivedMessagesListPaged", DC_NS)
        _add(el, DC_NS, "AllItemsCount", len(rows))
        items = etree.SubElement(el, f"{{{DC_NS}}}Items")
        for message in rows[(page - 1) * size : page * size]:
            row = etree.SubElement(items, f"{{{DC_NS}}}DcMessage")
            self._message(row, message, plain_title=False)
        return el.getparent()

    def op_GetReceivedMessageContent(self, caller, login, p):
        message = self.messages.get(int(_text(p.get("messageId")) or 0))
        if message is None or message.recipient is not caller:
            raise Fault(CANNOT_OPEN)
        self.open(message.message_id, login)
        el = _result("GetReceivedMessageContent", DC_NS)
        self._details(el, message, plain_title=False, content=True, nrd=True)
        return el.getparent()

    # -- helpers --------------------------------------------------------------------
    def _by_identifier(self, identifier):
        for profile in self.profiles:
            if profile.identifier == identifier:
                return profile
        raise KeyError(identifier)

    def _like(self, pattern, types):
        # SQL LIKE, as the service's lookups (README §3): % any run, _ one character.
        regex = re.compile(
            "".join(
                ".*" if c == "%" else "." if c == "_" else re.escape(c) for c in pattern
            ),
            re.DOTALL,
        )
        return [
            x
            for x in self.profiles
            if (types is None or x.profile_type in types)
            and regex.fullmatch(x.identifier)
        ]

    def _resolve_recipient(self, kind, identifier, email):
        if not identifier:
            raise Fault("Receiver is missing")
        kinds = ("Institution",) if kind == "Institution" else (kind,)
        found = sorted(self._like(identifier, kinds), key=lambda x: not x.activated)
        if found:
            return found[0]
        if kind != "Person":
            raise Fault(
                "The requested receiver profile does not exist or is deactivated!"
            )
        try:
            identifiers.validate_person(identifier)
        except IdentifierError:
            raise Fault("Invalid identifier") from None
        if not email or not re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", email):
            raise Fault("Invalid Email")
        with self.lock:
            profile = Profile(
                identifier=identifier,
                profile_type="Person",
                name=f"Passive profile {identifier[:4]}…",
                passive=True,
                activated=False,
                email=email,
                profile_id=len(self.profiles) + 1,
            )
            self.profiles.append(profile)
        return profile

    def _read_message(self, element):
        if element is None:
            raise Fault(
                "Message does not have all required fields: Title, Text or at least "
                "one Attached Document"
            )
        fields = {etree.QName(c).localname: c for c in element}
        title = _text(fields.get("Title"))
        text = _text(fields.get("MessageText"))
        documents = []
        attached = fields.get("AttachedDocuments")
        for doc in attached if attached is not None else []:
            parts = {etree.QName(c).localname: c for c in doc}
            documents.append(
                (
                    _text(parts.get("DocumentName")),
                    _bytes(parts.get("Content")),
                    _text(parts.get("DocumentRegistrationNumber")),
                )
            )
        if not title or (not text and not documents):
            raise Fault(
                "Message does not have all required fields: Title, Text or at least "
                "one Attached Document"
            )
        if len(title) > 255:
            # The database column holds 255 characters (README §8).
            raise Fault(
                "String or binary data would be truncated in table 'Messages', "
                "column 'Subject'."
            )
        self._check_documents(documents)
        return title, text, documents

    def _check_documents(self, documents):
        for name, content, number in documents:
            if not content:
                raise Fault("Document bytes must be provided")
            if (
                not name
                or not re.fullmatch(r".+\.[A-Za-z0-9]+", name)
                or len(name) > 500
            ):
                raise Fault(
                    "Document name with extension is missing or in invalid format"
                )
            if number and len(number) > 255:
                raise Fault(
                    "String or binary data would be truncated in table 'Blobs', "
                    "column 'DocumentRegistrationNumber'."
                )

    def _store(self, sender, login, recipient, title, text, documents):
        with self.lock:
            self._next_message += 1
            message_id = self._next_message
            stored = []
            for name, content, number in documents:
                self._next_document += 1
                stored.append(
                    Document(
                        self._next_document,
                        name,
                        content,
                        number,
                        sandbox_stamp(content),
                    )
                )
            now = self.clock()
            summary = _summary(message_id, sender, recipient, now, title, text, stored)
            message = Message(
                message_id=message_id,
                sender=sender,
                sender_login=login,
                recipient=recipient,
                title=title,
                text=text,
                documents=stored,
                date_sent=now,
                summary=summary,
                nro=sandbox_stamp(summary),
            )
            self.messages[message_id] = message
        self._push(recipient, "Received", message_id)
        if recipient.open_after is not None and recipient.activated:
            timer = threading.Timer(
                float(recipient.open_after), self.open, args=(message_id,)
            )
            timer.daemon = True
            timer.start()
        return message

    def _push(self, profile, event, message_id):
        if not profile.push_url:
            return
        url = profile.push_url
        body = {"EventType": event, "MessageId": message_id}

        def deliver():
            # Up to five attempts like the service's job (README §5.7), quicker.
            for _attempt in range(5):
                try:
                    if requests.post(url, json=body, timeout=5).ok:
                        with self.lock:
                            self.pushes.append({"url": url, **body})
                        return
                except requests.RequestException:
                    pass
                time.sleep(0.5)

        threading.Thread(target=deliver, daemon=True).start()

    def _public_info(self, el, profile):
        # DcSubjectPublicInfo members live in the ESubject namespace (README §4.3),
        # also when a DataContracts type extends it.
        _add(el, ES_NS, "ElectronicSubjectId", profile.subject_id)
        _add(el, ES_NS, "ElectronicSubjectName", profile.name)
        _add(el, ES_NS, "Email", profile.email)
        _add(el, ES_NS, "IsActivated", profile.activated)
        _add(el, ES_NS, "PhoneNumber", profile.phone)
        _add(el, ES_NS, "ProfileType", profile.profile_type)

    def _profile(self, parent, name, profile):
        el = etree.SubElement(parent, f"{{{DC_NS}}}{name}")
        _add(el, DC_NS, "ElectronicSubjectId", profile.subject_id)
        _add(el, DC_NS, "ElectronicSubjectName", profile.name)
        _add(el, DC_NS, "Email", profile.email)
        _add(el, DC_NS, "Id", profile.profile_id)
        _add(el, DC_NS, "IsDefault", True)
        _add(el, DC_NS, "Phone", profile.phone)
        _add(el, DC_NS, "ProfileType", profile.profile_type)

    def _login(self, parent, name, login, profile):
        if login is None:
            _add(parent, DC_NS, name, None)
            return
        el = etree.SubElement(parent, f"{{{DC_NS}}}{name}")
        _add(el, DC_NS, "ElectronicSubjectId", profile.subject_id)
        _add(el, DC_NS, "ElectronicSubjectName", login)
        _add(el, DC_NS, "Id", profile.profile_id)
        _add(el, DC_NS, "IsActive", True)

    def _message(self, el, m, *, plain_title):
        _add(el, DC_NS, "DateCreated", m.date_sent)
        _add(el, DC_NS, "DateReceived", m.date_received)
        _add(el, DC_NS, "DateSent", m.date_sent)
        _add(el, DC_NS, "Id", m.message_id)
        _add(el, DC_NS, "IsDraft", False)
        self._login(el, "ReceiverLogin", m.opened_by, m.recipient)
        self._profile(el, "ReceiverProfile", m.recipient)
        self._login(el, "SenderLogin", m.sender_login, m.sender)
        self._profile(el, "SenderProfile", m.sender)
        title = m.title
        if not plain_title:
            # List rows and received details carry "<id>/<dd.MM.yyyy> - <subject>".
            title = f"{m.message_id}/{m.date_sent:%d.%m.%Y} - {m.title}"
        _add(el, DC_NS, "Title", title)

    def _details(self, el, m, *, plain_title, content, nrd):
        self._message(el, m, plain_title=plain_title)
        docs = etree.SubElement(el, f"{{{DC_NS}}}AttachedDocuments")
        for d in m.documents:
            doc = etree.SubElement(docs, f"{{{DC_NS}}}DcDocument")
            _add(doc, DC_NS, "Content", d.content if content else None)
            _add(doc, DC_NS, "ContentEncodingCodePage", None)
            _add(doc, DC_NS, "ContentType", "application/octet-stream")
            _add(doc, DC_NS, "DocumentName", d.name)
            _add(doc, DC_NS, "DocumentRegistrationNumber", d.registration_number)
            _add(doc, DC_NS, "Id", d.document_id)
            self._stamp(doc, "TimeStamp", f"{d.name}.tsr", d.stamp)
        _add(el, DC_NS, "MessageText", m.text)
        prefix = f"{m.date_sent:%Y%m%d}_{m.sender.subject_id}_{m.message_id}"
        tsc = etree.SubElement(el, f"{{{DC_NS}}}TimeStampContent")
        _add(tsc, DC_NS, "Content", m.summary)
        _add(tsc, DC_NS, "ContentType", "application/xml")
        _add(tsc, DC_NS, "FileName", f"{prefix}.xml")
        # The sender never gets the NRD stamp through the API (README §5.3).
        if nrd and m.nrd:
            self._stamp(
                el, "TimeStampNRD", f"{prefix}_{m.recipient.subject_id}_NRD.tsr", m.nrd
            )
        else:
            _add(el, DC_NS, "TimeStampNRD", None)
        self._stamp(el, "TimeStampNRO", f"{prefix}_NRO.tsr", m.nro)

    def _stamp(self, parent, name, file_name, data):
        el = etree.SubElement(parent, f"{{{DC_NS}}}{name}")
        _add(el, DC_NS, "FileName", file_name)
        _add(el, DC_NS, "TimeStampData", data)


def _summary(message_id, sender, recipient, date_sent, title, text, documents):
    root = etree.Element("Message")
    etree.SubElement(root, "MessageId").text = str(message_id)
    etree.SubElement(root, "Sandbox").text = "bg_egov sandbox summary, no legal value"
    s = etree.SubElement(root, "Sender")
    etree.SubElement(s, "ProfileId").text = str(sender.profile_id)
    etree.SubElement(s, "Name").text = sender.name
    r = etree.SubElement(etree.SubElement(root, "Recipients"), "Recipient")
    etree.SubElement(r, "ProfileId").text = str(recipient.profile_id)
    etree.SubElement(root, "DateSent").text = date_sent.isoformat()
    etree.SubElement(root, "Subject").text = title
    etree.SubElement(root, "Body").text = hashlib.sha256(
        (text or "").encode()
    ).hexdigest()
    etree.SubElement(root, "TemplateId").text = "1"
    attachments = etree.SubElement(root, "Attachments")
    for d in documents:
        a = etree.SubElement(attachments, "Attachment")
        etree.SubElement(a, "Hash").text = hashlib.sha256(d.content).hexdigest()
        etree.SubElement(a, "HashAlgorithm").text = "SHA256"
        etree.SubElement(a, "FileName").text = d.name
    return etree.tostring(root, method="c14n", with_comments=True)


def _result(operation, ns):
    response = etree.Element(
        f"{{{SERVICE_NS}}}{operation}Response",
        nsmap={None: SERVICE_NS, "a": ns, "i": XSI_NS},
    )
    return etree.SubElement(response, f"{{{SERVICE_NS}}}{operation}Result")


def _int_response(operation, value):
    response = etree.Element(
        f"{{{SERVICE_NS}}}{operation}Response", nsmap={None: SERVICE_NS}
    )
    etree.SubElement(response, f"{{{SERVICE_NS}}}{operation}Result").text = str(value)
    return response


def _add(parent, ns, name, value):
    el = etree.SubElement(parent, f"{{{ns}}}{name}")
    if value is None:
        el.set(f"{{{XSI_NS}}}nil", "true")
    elif isinstance(value, bool):
        el.text = "true" if value else "false"
    elif isinstance(value, datetime.datetime):
        el.text = value.isoformat(timespec="milliseconds")
    elif isinstance(value, bytes):
        el.text = base64.b64encode(value).decode("ascii")
    else:
        el.text = str(value)
    return el


def _text(element):
    if element is None or element.get(f"{{{XSI_NS}}}nil") == "true":
        return None
    return element.text


def _bytes(element):
    text = _text(element)
    if not text:
        return b""
    try:
        return base64.b64decode("".join(text.split()), validate=True)
    except ValueError:
        raise Fault("The content is not valid base64") from None


def _envelope(payload):
    envelope = etree.Element(f"{{{SOAP_NS}}}Envelope", nsmap={"s": SOAP_NS})
    etree.SubElement(envelope, f"{{{SOAP_NS}}}Body").append(payload)
    return envelope


def _fault_envelope(text):
    envelope = etree.Element(f"{{{SOAP_NS}}}Envelope", nsmap={"s": SOAP_NS})
    fault = etree.SubElement(
        etree.SubElement(envelope, f"{{{SOAP_NS}}}Body"), f"{{{SOAP_NS}}}Fault"
    )
    etree.SubElement(fault, "faultcode").text = "s:Client"
    etree.SubElement(
        fault, "faultstring", {"{http://www.w3.org/XML/1998/namespace}lang": "en-US"}
    ).text = text
    return envelope


class _Handler(http.server.BaseHTTPRequestHandler):
    server_version = "bg-egov-ssev-sandbox"
    protocol_version = "HTTP/1.1"

    def log_message(self, format, *args):  # noqa: A002 - BaseHTTPRequestHandler API
        if self.server.verbose:
            super().log_message(format, *args)

    def _reply(self, status, body, content_type):
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _json(self, status, data):
        self._reply(status, json.dumps(data).encode(), "application/json")

    def _body(self):
        length = int(self.headers.get("Content-Length") or 0)
        if length > 52_428_800:
            raise ValueError("request too large")
        return self.rfile.read(length)

    def do_GET(self):  # noqa: N802 - BaseHTTPRequestHandler API
        service = self.server.service
        if self.path == "/sandbox/state":
            return self._json(200, service.state())
        status, content_type, data = service.handle_rest(
            "GET", self.path, self.headers, b""
        )
        return self._reply(status, data, content_type)

    def do_POST(self):  # noqa: N802 - BaseHTTPRequestHandler API
        try:
            body = self._body()
        except ValueError:
            return self._reply(413, b"Request Entity Too Large", "text/plain")
        service = self.server.service
        if self.path.startswith(("/api/", "/token")):
            status, content_type, data = service.handle_rest(
                "POST", self.path, self.headers, body
            )
        else:
            status, content_type, data = service.handle_http(
                self.path, self.headers.get("Content-Type", ""), body
            )
        try:
            self._reply(status, data, content_type)
        except (BrokenPipeError, ConnectionResetError):
            # The client gave up (its timeout): nothing to tell it any more.
            pass


_GROUPS = {1: ("Person",), 2: ("LegalPerson",), 3: ("Institution",), 4: ()}
_REST_TEXT = "179ea4dc-7879-43ad-8073-72b263915656"
_REST_FILES = "e2135802-5e34-4c60-b36e-c86d910a571a"


def _profile_json(profile, check):
    data = {
        "profileId": profile.profile_id,
        "identifier": profile.identifier,
        "name": profile.name,
        "email": profile.email,
        "phone": profile.phone,
    }
    if check:
        data.update(
            {
                "address": None,
                "isActivated": profile.activated,
                "isPassive": profile.passive,
                "targetGroupId": {"Person": 1, "LegalPerson": 2}.get(
                    profile.profile_type, 3
                ),
                "targetGroupName": profile.profile_type,
            }
        )
    return data


def _row_json(m):
    return {
        "messageId": m.message_id,
        "dateSent": m.date_sent.isoformat(),
        "dateReceived": m.date_received and m.date_received.isoformat(),
        "subject": m.title,
        "senderProfileName": m.sender.name,
        "senderLoginName": m.sender_login,
        "recipientProfileName": m.recipient.name,
        "recipientLoginName": m.opened_by,
        "url": None,
        "rnu": None,
        "templateId": 1,
    }


def _view_json(m):
    return {
        "messageId": m.message_id,
        "dateSent": m.date_sent.isoformat(),
        "recipients": [
            {
                "profileId": m.recipient.profile_id,
                "name": m.recipient.name,
                "dateReceived": m.date_received and m.date_received.isoformat(),
            }
        ],
        "subject": m.title,
        "rnu": None,
        "templateId": 1,
        "fields": {_REST_TEXT: m.text},
        "forwardedMessageId": None,
    }


def _soap(status, envelope):
    data, content_type = mtom.pack(envelope, optimize=BINARY_ELEMENTS)
    return status, content_type, data


def _json(status, data):
    return status, "application/json", json.dumps(data).encode()


def _operation_name(envelope):
    body = envelope.find(f"{{{SOAP_NS}}}Body")
    if body is None or len(body) == 0:
        return ""
    return etree.QName(body[0]).localname


class SandboxServer(http.server.ThreadingHTTPServer):
    """The HTTP server of the sandbox; ``service`` holds the state."""

    daemon_threads = True

    def __init__(self, address, service, *, verbose=False):
        super().__init__(address, _Handler)
        self.service = service
        self.verbose = verbose
        host, port = self.server_address[:2]
        service.base_url = f"http://{host}:{port}"

    @property
    def url(self):
        """The SOAP endpoint URL."""
        host, port = self.server_address[:2]
        return f"http://{host}:{port}{SERVICE_PATH}"


def service_base(server):
    """The root URL of the REST shapes and the token endpoint."""
    return server.service.base_url


def main(argv=None):
    """Console entry point ``bg-egov-ssev-sandbox``.

    :param list argv: arguments (default ``sys.argv[1:]``): ``--profiles FILE``,
        ``--host`` (default 127.0.0.1), ``--port`` (default 0 = any free port),
        ``--verbose``.
    """
    parser = argparse.ArgumentParser(
        prog="bg-egov-ssev-sandbox",
        description="Sandbox e-Delivery (ССЕВ) SOAP service for tests and demos. "
        "Time stamps and data it produces have no legal value.",
    )
    parser.add_argument("--profiles", required=True, help="JSON file of profiles")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--verbose", action="store_true")
    args = parser.parse_args(argv)
    with open(args.profiles, encoding="utf-8") as handle:
        profiles = load_profiles(json.load(handle))
    server = SandboxServer(
        (args.host, args.port), SandboxService(profiles), verbose=args.verbose
    )
    print(f"e-Delivery sandbox listening on {server.url}", flush=True)
    print(f"REST API (service bus shapes) at {service_base(server)}/api/v1", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
