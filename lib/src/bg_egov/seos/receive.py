"""The receiving side of a SEOS participant, as one function from the HTTP request
body of ``Submit`` to the HTTP response (SEOS reference §9).

:func:`receive` stores the raw request first, then checks, in this order: safe parse,
schema, recipient is us (E6), sender known and active (E7), signature (E4), signing
certificate is the sender's registered one (E5), duplicate message GUID (E8, or an
idempotent replay), size limits, malware scan; and answers each failure the way §9.3
prescribes. Everything it needs from the outside — the register copy, the stored
messages and documents — comes through a :class:`Backend` the caller provides (the
Odoo addon implements one on its models; the sandbox node on a folder).

Answers are signed messages inside a ``SubmitResponse``, built in our own name (header
``Sender`` = us, ``Recipient`` = whoever sent the failed message, §9.3), except when no
message can be formed at all (not XML, not SOAP, too large): then a SOAP fault.
"""

import abc
import dataclasses
import datetime
import hashlib

from bg_egov import safexml, xmldsig
from bg_egov.errors import (
    ProtocolError,
    SchemaError,
    SignatureError,
    TransportError,
    UnsafeXmlError,
)
from bg_egov.malware import NoScanner

from . import messages as m
from . import soap
from . import xml as seos_xml
from .codes import (
    DocumentStatus,
    ErrorKind,
    ParticipantStatus,
    Situation,
    situation_text,
)


@dataclasses.dataclass(frozen=True)
class Participant:
    """A participant as the register describes it (§8.3).

    ``certificate_serial`` is an ``int``: the register writes hex, signatures carry
    decimal, and only numbers compare reliably (§16.6). ``signature_algorithm`` is the
    per-peer choice of what we sign messages to it with (§7.2).
    """

    guid: str
    identifier: str
    name: str
    status: ParticipantStatus = ParticipantStatus.ACTIVE
    endpoint: str | None = None
    certificate_serial: int | None = None
    signature_algorithm: str = "rsa-sha256"

    def __post_init__(self):
        object.__setattr__(self, "guid", m.normalize_guid(self.guid))
        object.__setattr__(self, "status", ParticipantStatus(self.status))

    @property
    def entity(self):
        """The participant as a header :class:`~bg_egov.seos.messages.Entity`."""
        return m.Entity(self.identifier, self.name, self.guid)


@dataclasses.dataclass(frozen=True)
class Identity:
    """Who we are: our header entity and the key and certificate we sign with."""

    entity: m.Entity
    key_pem: bytes
    cert_pem: bytes
    signature_algorithm: str = "rsa-sha256"


@dataclasses.dataclass(frozen=True)
class DocumentState:
    """What a receiver knows about a document it received: the status and the
    ``DocID`` to answer with (original GUID + our number once registered, §4.3).
    """

    doc_id: m.DocumentId
    status: DocumentStatus
    rejection_reason: str | None = None
    expected_close_date: datetime.date | None = None

    def response(self, status=None):
        """The :class:`~bg_egov.seos.messages.StatusResponse` telling this state."""
        return m.StatusResponse(
            doc_id=self.doc_id,
            status=status or self.status,
            rejection_reason=self.rejection_reason,
            expected_close_date=self.expected_close_date,
        )


@dataclasses.dataclass(frozen=True)
class StoredAnswer:
    """What we answered to one message GUID, for idempotent replays (§10.3, §11)."""

    fingerprint: str
    sender_guid: str
    document_guid: str | None
    answer: bytes


@dataclasses.dataclass(frozen=True)
class Limits:
    """Size limits (§12): ``max_request_bytes`` is checked before parsing; the
    attachment limits decide a ``DS_REJECTED`` answer (municipal rules list content
    above the allowed size as a reason not to register).
    """

    max_request_bytes: int = 64 * 1024 * 1024
    max_attachment_bytes: int = 25 * 1024 * 1024
    max_total_attachment_bytes: int = 40 * 1024 * 1024
    max_attachments: int = 100


class Backend(abc.ABC):
    """What :func:`receive` needs from the application. Every method may raise; an
    exception is answered as our own failure (``ERR_INTERNAL``, §9.3) and retried by
    the sender.
    """

    @abc.abstractmethod
    def store_raw(self, data, *, received_at):
        """Keep the request exactly as received, before any check (§9.2 step 2).

        :param bytes data: the HTTP request body.
        :param datetime.datetime received_at: aware.
        :returns: a reference the application can show (e.g. a file name), or None.
        """

    @abc.abstractmethod
    def participant(self, guid):
        """Return the register entry with this GUID, or ``None``.

        :param str guid: normalised ``{lower-case}``.
        :returns: :class:`Participant` or ``None``.
        """

    @abc.abstractmethod
    def answered(self, message_guid):
        """Return the :class:`StoredAnswer` of a message GUID seen before, or None."""

    @abc.abstractmethod
    def remember_answer(self, message_guid, answer):
        """Keep :class:`StoredAnswer` ``answer`` for ``message_guid``."""

    @abc.abstractmethod
    def incoming_document(self, sender_guid, document_guid):
        """Return the :class:`DocumentState` of a document this sender sent us before,
        or ``None`` (documents are keyed by sender and document GUID, §11).
        """

    @abc.abstractmethod
    def accept_document(self, message, raw_ref, signature):
        """Record a new incoming document and return its :class:`DocumentState`,
        normally ``DS_WAIT_REGISTRATION`` (§9.1 step 12).

        :param Message message: the registration request.
        :param raw_ref: what :meth:`store_raw` returned for this request: the stored
            request is the evidence to link the document to (§16.8); the exact signed
            message is ``soap.read_submit_request_bytes(stored request)``. (Not the
            bytes themselves: releasing them early keeps the peak memory of a receive
            under three times the message size.)
        :param SignatureInfo signature: the verified signer.
        """

    @abc.abstractmethod
    def status_for(self, requester_guid, document_guid):
        """Return the :class:`DocumentState` of a document ``requester_guid`` sent us,
        or ``None``; others get ``DS_NOT_FOUND`` so statuses do not leak (§4.2).
        """

    @abc.abstractmethod
    def apply_status(self, message):
        """Apply an asynchronous status response about a document we sent (§4.3).

        :returns: ``True`` when the document is known, ``False`` for E11.
        """

    @abc.abstractmethod
    def apply_error(self, message):
        """Apply an asynchronous error about a message we sent (§4.4); unknown GUIDs
        are ignored.
        """


@dataclasses.dataclass(frozen=True)
class Receipt:
    """The outcome of :func:`receive`: the HTTP answer and what happened.

    ``outcome`` is one of ``accepted``, ``already_received``, ``replayed``,
    ``status_answered``, ``status_applied``, ``error_applied``, ``rejected`` (size or
    malware: ``DS_REJECTED`` answered), ``refused`` (``MSG_Error`` answered) or
    ``fault`` (SOAP fault). ``situation`` names the §6.2 error situation of a refusal.
    """

    http_status: int
    body: bytes
    outcome: str
    situation: Situation | None = None
    detail: str | None = None
    message: m.Message | None = None
    answer: m.Message | None = None
    raw_ref: object = None
    content_type: str = soap.CONTENT_TYPE


class _Refusal(Exception):
    def __init__(self, situation, detail=None, kind=ErrorKind.EXTERNAL):
        super().__init__(detail)
        self.situation = situation
        self.detail = detail
        self.kind = kind


def receive(
    request,
    *,
    identity,
    backend,
    scanner=None,
    limits=None,
    now=None,
):
    """Process one ``Submit`` request and return the answer (§9).

    :param bytes request: the HTTP request body (SOAP 1.1 envelope).
    :param Identity identity: who we are; answers are signed with its key.
    :param Backend backend: register copy and storage of the application.
    :param MalwareScanner scanner: scans attachments of registration requests;
        default :class:`~bg_egov.malware.NoScanner`.
    :param Limits limits: size limits; default :class:`Limits`.
    :param datetime.datetime now: aware "now" for certificate validity; default the
        current time.
    :returns: :class:`Receipt`; ``http_status`` 200 for every ``SubmitResponse``
        (errors included, as WCF peers expect), 500 for a SOAP fault, 413 for a request
        above ``max_request_bytes``.
    """
    limits = limits or Limits()
    scanner = scanner or NoScanner()
    now = now or datetime.datetime.now(datetime.timezone.utc)
    try:
        raw_ref = backend.store_raw(bytes(request), received_at=now)
    except (OSError, RuntimeError, LookupError, ValueError, TransportError):
        # Nothing is processed without its evidence: the sender gets a server fault
        # and tries again later.
        return Receipt(
            500,
            soap.fault("the receiver cannot store the request", code="s:Server"),
            "fault",
            situation=Situation.INTERNAL,
        )
    if len(request) > limits.max_request_bytes:
        return Receipt(
            413,
            soap.fault("the request exceeds the size limit"),
            "fault",
            detail="too_large",
            raw_ref=raw_ref,
        )
    # Steps that cannot name a sender end in a SOAP fault (§9.3, first row).
    try:
        message_bytes = soap.read_submit_request_bytes(
            request, max_bytes=limits.max_request_bytes
        )
        root = safexml.parse(
            message_bytes, max_bytes=limits.max_request_bytes, huge_tree=True
        )
    except (UnsafeXmlError, ProtocolError) as exc:
        return Receipt(
            500,
            soap.fault(f"not a SEOS message: {exc.code}"),
            "fault",
            detail=exc.code,
            raw_ref=raw_ref,
        )
    # The raw request is stored; dropping the message bytes now lowers the peak.
    del message_bytes
    state = _State(identity, backend, scanner, limits, now, raw_ref)
    return state.run(root)


class _State:
    def __init__(self, identity, backend, scanner, limits, now, raw_ref):
        self.identity = identity
        self.backend = backend
        self.scanner = scanner
        self.limits = limits
        self.now = now
        self.raw_ref = raw_ref
        self.header = None
        self.message = None
        self.sender = None
        self.signature_value = None

    def run(self, root):
        try:
            return self._checks(root)
        except _Refusal as refusal:
            return self._refuse(refusal)
        except (TransportError, OSError, RuntimeError, LookupError, ValueError):
            # Our own failure (storage, scanner, signing key): the sender may retry,
            # and learns nothing about our internals (§9.3).
            return self._refuse(_Refusal(Situation.INTERNAL, kind=ErrorKind.INTERNAL))

    def _checks(self, root):
        try:
            seos_xml.validate(root)
        except SchemaError as exc:
            self._header_or_fault(root)
            raise _Refusal(Situation.SCHEMA, exc.message) from None
        self.header = seos_xml.read_header(root)
        if self.header.recipient.guid != self.identity.entity.guid:
            raise _Refusal(Situation.WRONG_RECIPIENT)
        self.sender = self.backend.participant(self.header.sender.guid)
        if (
            self.sender is None
            or self.sender.status is not ParticipantStatus.ACTIVE
            or self.sender.identifier.strip() != self.header.sender.identifier
        ):
            raise _Refusal(Situation.UNKNOWN_SENDER)
        try:
            signature = xmldsig.verify_enveloped(root)
        except SignatureError:
            raise _Refusal(Situation.SIGNATURE) from None
        if not signature.is_valid_at(self.now):
            raise _Refusal(Situation.SIGNATURE, "сертификатът не е валиден към момента")
        if signature.serial_number != self.sender.certificate_serial:
            raise _Refusal(Situation.CERTIFICATE)
        self.signature_value = "".join(
            root.findtext(
                f"{{{xmldsig.DSIG_NS}}}Signature/{{{xmldsig.DSIG_NS}}}SignatureValue"
            ).split()
        )
        # Attachment bodies are decoded (and strictly checked as base64, an E2 like
        # the schema) only now, once the signature no longer needs the tree.
        try:
            self.message = seos_xml.parse(root, release_attachments=True)
        except SchemaError as exc:
            raise _Refusal(Situation.SCHEMA, exc.message) from None
        replay = self._duplicate()
        if replay is not None:
            return replay
        receipt = self._dispatch(signature)
        self.backend.remember_answer(
            self.header.message_guid,
            StoredAnswer(
                fingerprint=self._fingerprint(),
                sender_guid=self.header.sender.guid,
                document_guid=self._document_guid(),
                answer=receipt.body,
            ),
        )
        return receipt

    def _header_or_fault(self, root):
        # A schema violation can still be answered with MSG_Error when the header
        # names the sender (§9.3); otherwise there is no one to address.
        try:
            self.header = seos_xml.read_header(root)
        except (AttributeError, TypeError, ValueError):
            self.header = None

    def _fingerprint(self):
        # The verified signature value stands for the whole signed content (it signs
        # the digest of the entire message), so hashing it is as good as hashing 13 MB.
        return hashlib.sha256(self.signature_value.encode("ascii")).hexdigest()

    def _document_guid(self):
        body = self.message.body
        if isinstance(body, m.RegistrationRequest):
            return body.document.id.guid
        if isinstance(body, m.StatusRequest | m.StatusResponse):
            return body.doc_id.guid
        return None

    def _duplicate(self):
        seen = self.backend.answered(self.header.message_guid)
        if seen is None:
            return None
        if seen.fingerprint == self._fingerprint():
            # The sender's retry of a message that did arrive: the same answer, so a
            # delivered document never turns into a failure (§10.3).
            return Receipt(
                200,
                seen.answer,
                "replayed",
                message=self.message,
                raw_ref=self.raw_ref,
            )
        body = self.message.body
        if (
            isinstance(body, m.RegistrationRequest)
            and seen.sender_guid == self.header.sender.guid
            and seen.document_guid == body.document.id.guid
        ):
            state = self.backend.incoming_document(
                self.header.sender.guid, body.document.id.guid
            )
            if state is not None:
                return self._answer(self._already(state), "already_received")
        raise _Refusal(Situation.DUPLICATE_MESSAGE)

    @staticmethod
    def _already(state):
        if state.status is DocumentStatus.WAIT_REGISTRATION:
            return state.response(DocumentStatus.ALREADY_RECEIVED)
        return state.response()

    def _dispatch(self, signature):
        body = self.message.body
        if isinstance(body, m.RegistrationRequest):
            return self._registration(body, signature)
        if isinstance(body, m.StatusRequest):
            state = self.backend.status_for(self.header.sender.guid, body.doc_id.guid)
            if state is None:
                response = m.StatusResponse(
                    m.DocumentId(body.doc_id.guid), DocumentStatus.NOT_FOUND
                )
            else:
                response = state.response()
            return self._answer(response, "status_answered")
        if isinstance(body, m.StatusResponse):
            if not self.backend.apply_status(self.message):
                raise _Refusal(Situation.DOCUMENT_NOT_FOUND)
            return self._empty("status_applied")
        self.backend.apply_error(self.message)
        return self._empty("error_applied")

    def _registration(self, body, signature):
        document = body.document
        existing = self.backend.incoming_document(
            self.header.sender.guid, document.id.guid
        )
        if existing is not None:
            return self._answer(self._already(existing), "already_received")
        reason = self._size_problem(document) or self._malware_problem(document)
        if reason is not None:
            response = m.StatusResponse(
                m.DocumentId(document.id.guid),
                DocumentStatus.REJECTED,
                rejection_reason=reason,
            )
            return self._answer(response, "rejected", detail=reason)
        state = self.backend.accept_document(self.message, self.raw_ref, signature)
        return self._answer(state.response(), "accepted")

    def _size_problem(self, document):
        attachments = document.attachments
        if len(attachments) > self.limits.max_attachments:
            return f"Прикачените файлове са повече от {self.limits.max_attachments}"
        total = 0
        for attachment in attachments:
            total += len(attachment.body)
            if len(attachment.body) > self.limits.max_attachment_bytes:
                return (
                    f"Файлът „{attachment.file_name}“ надвишава максимално "
                    f"допустимия размер ({self.limits.max_attachment_bytes} байта)"
                )
        if total > self.limits.max_total_attachment_bytes:
            return (
                "Съдържанието надвишава максимално допустимия размер "
                f"({self.limits.max_total_attachment_bytes} байта)"
            )
        return None

    def _malware_problem(self, document):
        for attachment in document.attachments:
            result = self.scanner.scan(attachment.body, name=attachment.file_name)
            if not result.clean:
                return (
                    f"Файлът „{attachment.file_name}“ съдържа зловреден код "
                    f"({result.signature})"
                )
        return None

    # --- answers ---

    def _sign(self, answer):
        algorithm = (
            self.sender.signature_algorithm
            if self.sender is not None
            else self.identity.signature_algorithm
        )
        return seos_xml.sign(
            answer, self.identity.key_pem, self.identity.cert_pem, algorithm=algorithm
        )

    def _answer(self, body, outcome, *, detail=None):
        answer = m.Message.new(self.identity.entity, self.header.sender, body)
        return Receipt(
            200,
            soap.submit_response(self._sign(answer)),
            outcome,
            detail=detail,
            message=self.message,
            answer=answer,
            raw_ref=self.raw_ref,
        )

    def _empty(self, outcome):
        return Receipt(
            200,
            soap.submit_response(None),
            outcome,
            message=self.message,
            raw_ref=self.raw_ref,
        )

    def _refuse(self, refusal):
        if self.header is None:
            return Receipt(
                500,
                soap.fault("the message cannot be read"),
                "fault",
                situation=refusal.situation,
                detail=refusal.detail,
                raw_ref=self.raw_ref,
            )
        detail = refusal.detail if refusal.kind is ErrorKind.EXTERNAL else None
        report = m.ErrorReport(
            kind=refusal.kind,
            description=situation_text(refusal.situation, detail),
            message_guid=self.header.message_guid,
        )
        answer = m.Message.new(self.identity.entity, self.header.sender, report)
        try:
            body = soap.submit_response(self._sign(answer))
        except SignatureError:
            return Receipt(
                500,
                soap.fault("the receiver cannot sign its answer", code="s:Server"),
                "fault",
                situation=Situation.INTERNAL,
                raw_ref=self.raw_ref,
            )
        return Receipt(
            200,
            body,
            "refused",
            situation=refusal.situation,
            detail=refusal.detail,
            message=self.message,
            answer=answer,
            raw_ref=self.raw_ref,
        )
