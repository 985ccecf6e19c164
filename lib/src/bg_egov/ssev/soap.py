"""Adapter for the e-Delivery SOAP integration service (reference README §2.1, §4).

zeep builds and reads the messages from the WSDL the caller stores at deployment (the
live ``?singleWsdl``, or ``?wsdl`` with its imports given in ``wsdl_documents``); the
library ships no copy of the contract and never fetches it on its own. Around zeep:

* :class:`WsSecurity` signs the ``wsu:Timestamp`` of every request with the
  municipality's certificate (:mod:`bg_egov.wssecurity`, README §2.1);
* :class:`MtomTransport` sends every request as MTOM and reads MTOM answers itself
  (:mod:`bg_egov.ssev.mtom`), with a timeout on every call and transport failures
  mapped to :class:`~bg_egov.errors.TransportError` (timeout vs refusal);
* faults become typed errors (:func:`bg_egov.ssev.errors.fault_to_error`).

Nothing is retried here: a send that timed out may have created a message (README §6).
"""

import dataclasses
import zoneinfo

import requests
import zeep
import zeep.exceptions
from lxml import etree

from bg_egov import identifiers, wssecurity
from bg_egov.errors import TransportError, UnsafeXmlError

from . import mtom
from .client import (
    SsevClient,
    check_outgoing,
    validate_any_identifier,
    validate_recipient_identifier,
)
from .errors import (
    MalformedResponseError,
    NotRegisteredError,
    ServiceFault,
    SsevError,
    fault_to_error,
)
from .results import (
    Institution,
    Limits,
    ProfileRef,
    ProfileType,
    ReceivedDocument,
    ReceivedMessage,
    ReceivedMessageInfo,
    ReceivedPage,
    RecipientDelivery,
    RegistrationInfo,
    SendResult,
    SentDocument,
    SentMessageStatus,
    TimeStamp,
)

SERVICE_NS = "https://edelivery.egov.bg/services/integration"
SOFIA = zoneinfo.ZoneInfo("Europe/Sofia")
# Elements whose bytes travel as MTOM parts rather than inline base64 (README §4.3).
BINARY_ELEMENTS = ("Content", "docBytes", "TimeStampData")
MAX_PAGE_SIZE = 100


class WsSecurity:
    """zeep ``wsse`` plugin: the WS-Security header of README §2.1 on every request.

    Answers are not signed by the service (the certificate is an endorsing token over
    TLS), so :meth:`verify` accepts them as they are.
    """

    def __init__(self, key_pem, cert_pem, *, key_password=None):
        self.key_pem = key_pem
        self.cert_pem = cert_pem
        self.key_password = key_password

    def apply(self, envelope, headers):
        """Sign ``envelope`` in place (zeep plugin interface)."""
        wssecurity.sign_envelope(
            envelope, self.key_pem, self.cert_pem, key_password=self.key_password
        )
        return envelope, headers

    def verify(self, envelope):
        """Nothing to verify on answers (see the class docstring)."""
        return envelope


class MtomTransport(zeep.Transport):
    """A zeep transport that loads the contract only from given documents and speaks
    MTOM with a timeout on every call.

    :param dict wsdl_documents: URL → bytes or file path, for the WSDL and schema
        documents the stored WSDL imports by absolute URL; any other URL is loaded as
        zeep would (a local path, or HTTP with ``timeout``).
    :param float timeout: seconds to wait for an answer once the request is sent.
    :param float connect_timeout: seconds to wait for the connection.
    """

    def __init__(
        self, *, wsdl_documents=None, timeout=60, connect_timeout=10, session=None
    ):
        super().__init__(session=session, timeout=timeout, operation_timeout=timeout)
        self.wsdl_documents = dict(wsdl_documents or {})
        self.read_timeout = timeout
        self.connect_timeout = connect_timeout

    def load(self, url):
        """Return a contract document, preferring the caller's stored copies."""
        if url in self.wsdl_documents:
            document = self.wsdl_documents[url]
            if isinstance(document, bytes):
                return document
            with open(document, "rb") as handle:
                return handle.read()
        return super().load(url)

    def post_xml(self, address, envelope, headers):
        """Send the signed envelope as MTOM and return a plain-XML response for zeep.

        :raises TransportError: connection refused or failed (``timeout=False``), no
            answer within the timeout (``timeout=True``), HTTP 5xx without a fault.
        :raises MalformedResponseError: the answer is not MTOM or XML that can be read.
        :raises ServiceFault: an HTTP error with a body that is not a SOAP fault.
        """
        body, content_type = mtom.pack(envelope, optimize=BINARY_ELEMENTS)
        headers = dict(headers)
        headers["Content-Type"] = content_type
        headers.setdefault("MIME-Version", "1.0")
        try:
            response = self.session.post(
                address,
                data=body,
                headers=headers,
                timeout=(self.connect_timeout, self.read_timeout),
            )
        except requests.exceptions.ConnectTimeout:
            raise TransportError(
                f"e-Delivery at {address} did not accept the connection in time",
                retryable=True,
                timeout=False,
                code="connect_timeout",
            ) from None
        except requests.exceptions.Timeout:
            # The request left: the service may have acted on it (README §6).
            raise TransportError(
                f"e-Delivery did not answer within {self.read_timeout} s; the request "
                "may have been processed",
                retryable=True,
                timeout=True,
                code="timeout",
            ) from None
        except requests.exceptions.RequestException as exc:
            raise TransportError(
                f"e-Delivery at {address} cannot be reached: {exc.__class__.__name__}",
                retryable=True,
                timeout=False,
                code="unreachable",
            ) from None
        return self._plain_response(response)

    def _plain_response(self, response):
        content_type = response.headers.get("Content-Type", "")
        readable = mtom.is_mtom(content_type) or content_type.lower().startswith(
            "text/xml"
        )
        if response.status_code >= 500 and not readable:
            raise TransportError(
                f"e-Delivery answered HTTP {response.status_code}",
                retryable=True,
                code="http_error",
            )
        if response.status_code != 200 and not readable:
            raise ServiceFault(
                f"e-Delivery answered HTTP {response.status_code}",
                service_text=response.text[:2000],
                code="http_error",
            )
        try:
            envelope = mtom.unpack(response.content, content_type)
        except UnsafeXmlError as exc:
            raise MalformedResponseError(f"unreadable answer: {exc}") from None
        plain = requests.Response()
        plain.status_code = response.status_code
        plain.headers["Content-Type"] = "text/xml; charset=utf-8"
        plain._content = etree.tostring(envelope, encoding="utf-8")
        plain.encoding = "utf-8"
        plain.url = response.url
        return plain


class SoapClient(SsevClient):
    """The SOAP integration service behind :class:`~bg_egov.ssev.client.SsevClient`.

    :param str wsdl: path or URL of the WSDL stored at deployment.
    :param str endpoint: the service address (production
        ``https://edelivery.egov.bg/Services/EDeliveryIntegrationService.svc``).
    :param bytes key_pem: the integration certificate's private key, PEM.
    :param bytes cert_pem: the certificate registered in e-Delivery, PEM.
    :param str operator_egn: the clerk's ЕГН/ЛНЧ sent as ``operatorEGN`` on every call
        that takes it (README §2.2); ``None`` acts as the integration login.
    :param float timeout: seconds to wait for each answer.
    :param float connect_timeout: seconds to wait for each connection.
    :param dict wsdl_documents: URL → bytes/path of imported contract documents.
    :param requests.Session session: the HTTP session (CA bundle, proxies).
    :param Limits limits: checks before sending (README §8).
    :param bool strict: zeep strict mode; keep it on with the live WSDL (README §4.4).
    :raises IdentifierError: ``operator_egn`` is not a valid ЕГН/ЛНЧ.
    """

    def __init__(
        self,
        *,
        wsdl,
        endpoint,
        key_pem,
        cert_pem,
        key_password=None,
        operator_egn=None,
        timeout=60,
        connect_timeout=10,
        wsdl_documents=None,
        session=None,
        limits=None,
        strict=True,
    ):
        self.operator_egn = (
            identifiers.validate_person(operator_egn)[1] if operator_egn else None
        )
        self.limits = limits or Limits()
        self.transport = MtomTransport(
            wsdl_documents=wsdl_documents,
            timeout=timeout,
            connect_timeout=connect_timeout,
            session=session,
        )
        settings = zeep.Settings(strict=strict, forbid_dtd=True, forbid_entities=True)
        self.zeep = zeep.Client(
            wsdl,
            transport=self.transport,
            wsse=WsSecurity(key_pem, cert_pem, key_password=key_password),
            settings=settings,
        )
        binding = next(iter(self.zeep.wsdl.bindings))
        self.service = self.zeep.create_service(binding, endpoint)
        self._received_ids = set()

    # -- registration (README §5.1) -------------------------------------------------
    def check_person(self, identifier):
        """See :meth:`SsevClient.check_person`; operation
        ``CheckPersonHasRegistration`` (README §4.2, §5.1)."""
        digits = identifiers.validate_person(identifier)[1]
        info = self._call("CheckPersonHasRegistration", personId=digits)
        return RegistrationInfo(
            identifier=digits,
            registered=bool(_get(info, "HasRegistration")),
            name=_get(info, "Name"),
            profile_type=ProfileType.PERSON,
        )

    def check_legal_entity(self, eik):
        """See :meth:`SsevClient.check_legal_entity`; operation
        ``CheckLegalPersonHasRegistration`` (README §4.2, §5.1)."""
        digits = identifiers.validate_eik(eik)
        info = self._call("CheckLegalPersonHasRegistration", eik=digits)
        return RegistrationInfo(
            identifier=digits,
            registered=bool(_get(info, "HasRegistration")),
            name=_get(info, "Name"),
            profile_type=ProfileType.LEGAL_PERSON,
            email=_get(info, "Email"),
            phone=_get(info, "Phone"),
        )

    def check_subject(self, identifier):
        """See :meth:`SsevClient.check_subject`; operation
        ``CheckSubjectHasRegistration`` (README §4.2, §5.1)."""
        digits = validate_any_identifier(identifier)
        info = self._call("CheckSubjectHasRegistration", identificator=digits)
        subject = _get(info, "SubjectInfo")
        activated = _get(subject, "IsActivated")
        return RegistrationInfo(
            identifier=digits,
            registered=bool(_get(info, "HasRegistration")) and activated is not False,
            name=_get(subject, "ElectronicSubjectName"),
            profile_type=_profile_type(_get(subject, "ProfileType")),
            activated=activated,
            email=_get(subject, "Email"),
            phone=_get(subject, "PhoneNumber"),
            subject_id=_str(_get(subject, "ElectronicSubjectId")),
        )

    def institutions(self):
        """See :meth:`SsevClient.institutions`; ``GetRegisteredInstitutions`` (§5.8)."""
        rows = self._call("GetRegisteredInstitutions")
        return tuple(
            Institution(
                identifier=_get(row, "UniqueSubjectIdentifier"),
                name=_get(row, "Name") or _get(row, "ElectronicSubjectName"),
                subject_id=_str(_get(row, "ElectronicSubjectId")),
                activated=_get(row, "IsActivated"),
                email=_get(row, "Email"),
                phone=_get(row, "PhoneNumber"),
            )
            for row in _items(rows, "DcInstitutionInfo")
        )

    # -- sending (README §5.2) ------------------------------------------------------
    def send(self, message, recipient, *, require_registration=True):
        """See :meth:`SsevClient.send`; operation ``SendMessage`` (README §5.2).

        :param bool require_registration: check first that the addressee has an
            activated profile (one more call). The service itself finds deactivated
            profiles and sends to them anyway, and creates a passive profile for an
            unregistered person (README §5.1, §5.2); pass ``False`` only to address a
            person who will register later (``recipient.email`` is then required).
        :raises NotRegisteredError: no activated profile (before sending).
        """
        check_outgoing(message, self.limits)
        digits = validate_recipient_identifier(
            recipient.profile_type, recipient.identifier
        )
        if require_registration:
            self._require_registered(ProfileType(recipient.profile_type), digits)
        message_id = self._call(
            "SendMessage",
            message=self._message_details(message),
            receiverType=ProfileType(recipient.profile_type).value,
            receiverUniqueIdentifier=digits,
            receiverPhone=recipient.phone,
            receiverEmail=recipient.email,
            serviceOID=None,
            operatorEGN=self.operator_egn,
        )
        return SendResult(message_id=_message_id(message_id), recipient=digits)

    def _require_registered(self, profile_type, digits):
        if profile_type is ProfileType.PERSON:
            info = self.check_person(digits)
        elif profile_type is ProfileType.LEGAL_PERSON:
            info = self.check_legal_entity(digits)
        else:
            info = self.check_subject(digits)
            if info.registered and info.profile_type not in (None, profile_type):
                info = dataclasses.replace(info, registered=False)
        if not info.registered:
            raise NotRegisteredError(
                f"{digits} has no activated e-Delivery profile of type "
                f"{profile_type.value}; nothing was sent"
            )

    def send_with_access_code(self, message, recipient):
        """See :meth:`SsevClient.send_with_access_code`; operation
        ``SendMessageWithAccessCode`` (README §5.2)."""
        check_outgoing(message, self.limits)
        digits = identifiers.validate_person(recipient.identifier)[1]
        receiver_type = self.zeep.get_type(
            "{http://schemas.datacontract.org/2004/07/EDelivery.Common.DataContracts"
            ".ESubject}DcMessageWithCodeReceiver"
        )
        receiver = receiver_type(
            EGNorLNCH=digits,
            Email=recipient.email,
            FirstName=recipient.first_name,
            LastName=recipient.last_name,
            MiddleName=recipient.middle_name,
            Phone=recipient.phone,
        )
        message_id = self._call(
            "SendMessageWithAccessCode",
            message=self._message_details(message),
            receiver=receiver,
            serviceOID=None,
            operatorEGN=self.operator_egn,
        )
        return SendResult(message_id=_message_id(message_id), recipient=digits)

    def reply(self, message, reply_to_message_id):
        """See :meth:`SsevClient.reply`; operation ``SendMessageInReplyTo`` (§5.2)."""
        check_outgoing(message, self.limits)
        reply_to = _positive(reply_to_message_id, "reply_to_message_id")
        message_id = self._call(
            "SendMessageInReplyTo",
            message=self._message_details(message),
            replyToMessageId=reply_to,
            serviceOID=None,
            operatorEGN=self.operator_egn,
        )
        return SendResult(message_id=_message_id(message_id), recipient=None)

    # -- tracking (README §5.3) -----------------------------------------------------
    def sent_message_status(self, message_id):
        """See :meth:`SsevClient.sent_message_status`; ``GetSentMessageStatus``.

        :raises SsevError: (code ``received_message``) for an id this client has seen
            in the received list: the service would OPEN it (README §5.3).
        """
        message_id = _positive(
            getattr(message_id, "message_id", message_id), "message_id"
        )
        if message_id in self._received_ids:
            raise SsevError(
                f"message {message_id} was received, not sent: asking its status "
                "would open it",
                code="received_message",
            )
        details = self._call(
            "GetSentMessageStatus", messageId=message_id, operatorEGN=self.operator_egn
        )
        if details is None:
            raise MalformedResponseError("the status answer has no message")
        return SentMessageStatus(
            message_id=_get(details, "Id") or message_id,
            title=_get(details, "Title"),
            sent_at=_aware(_get(details, "DateSent")),
            recipients=(
                RecipientDelivery(
                    recipient=_profile(_get(details, "ReceiverProfile")),
                    opened_at=_aware(_get(details, "DateReceived")),
                    opened_by=_login(_get(details, "ReceiverLogin")),
                ),
            ),
            documents=tuple(
                SentDocument(
                    document_id=_get(doc, "Id"),
                    name=_get(doc, "DocumentName"),
                    registration_number=_get(doc, "DocumentRegistrationNumber"),
                    time_stamp=_stamp(_get(doc, "TimeStamp")),
                )
                for doc in _items(_get(details, "AttachedDocuments"), "DcDocument")
            ),
            nro=_stamp(_get(details, "TimeStampNRO")),
            summary=_content_stamp(_get(details, "TimeStampContent")),
        )

    # -- receiving (README §5.4) ----------------------------------------------------
    def received_messages(self, *, only_new=True, page=1, page_size=50):
        """See :meth:`SsevClient.received_messages`; ``GetReceivedMessagesListPaged``
        (the unpaged call stops at 100 rows, README §5.4)."""
        page = _positive(page, "page")
        page_size = _positive(page_size, "page_size")
        if page_size > MAX_PAGE_SIZE:
            raise ValueError(f"page_size is at most {MAX_PAGE_SIZE}")
        result = self._call(
            "GetReceivedMessagesListPaged",
            onlyNew=bool(only_new),
            pageNumber=page,
            pageSize=page_size,
            operatorEGN=self.operator_egn,
        )
        if result is None:
            raise MalformedResponseError("the list answer is empty")
        items = tuple(
            ReceivedMessageInfo(
                message_id=_get(row, "Id"),
                title=_get(row, "Title"),
                sent_at=_aware(_get(row, "DateSent")),
                opened_at=_aware(_get(row, "DateReceived")),
                sender=_profile(_get(row, "SenderProfile")),
                sender_login=_login(_get(row, "SenderLogin")),
            )
            for row in _items(_get(result, "Items"), "DcMessage")
        )
        self._received_ids.update(item.message_id for item in items)
        return ReceivedPage(
            items=items,
            total=_get(result, "AllItemsCount") or 0,
            page=page,
            page_size=page_size,
        )

    def open_received_message(self, message_id):
        """See :meth:`SsevClient.open_received_message`: OPENS the message with
        ``GetReceivedMessageContent`` (README §5.4)."""
        message_id = _positive(message_id, "message_id")
        self._received_ids.add(message_id)
        details = self._call(
            "GetReceivedMessageContent",
            messageId=message_id,
            operatorEGN=self.operator_egn,
        )
        if details is None:
            raise MalformedResponseError("the content answer has no message")
        return ReceivedMessage(
            message_id=_get(details, "Id") or message_id,
            title=_get(details, "Title"),
            text=_get(details, "MessageText"),
            sent_at=_aware(_get(details, "DateSent")),
            opened_at=_aware(_get(details, "DateReceived")),
            sender=_profile(_get(details, "SenderProfile")),
            sender_login=_login(_get(details, "SenderLogin")),
            opened_by=_login(_get(details, "ReceiverLogin")),
            documents=tuple(
                ReceivedDocument(
                    document_id=_get(doc, "Id"),
                    name=_get(doc, "DocumentName"),
                    content=_get(doc, "Content") or b"",
                    content_type=_get(doc, "ContentType"),
                    registration_number=_get(doc, "DocumentRegistrationNumber"),
                    time_stamp=_stamp(_get(doc, "TimeStamp")),
                )
                for doc in _items(_get(details, "AttachedDocuments"), "DcDocument")
            ),
            nro=_stamp(_get(details, "TimeStampNRO")),
            nrd=_stamp(_get(details, "TimeStampNRD")),
            summary=_content_stamp(_get(details, "TimeStampContent")),
        )

    # -- plumbing -------------------------------------------------------------------
    def _message_details(self, message):
        details = self.zeep.get_type(
            "{http://schemas.datacontract.org/2004/07/EDelivery.Common.DataContracts}"
            "DcMessageDetails"
        )
        documents = self.zeep.get_type(
            "{http://schemas.datacontract.org/2004/07/EDelivery.Common.DataContracts}"
            "ArrayOfDcDocument"
        )
        return details(
            Title=message.title,
            AttachedDocuments=documents(
                DcDocument=[
                    {
                        "Content": document.content,
                        "DocumentName": document.name,
                        "DocumentRegistrationNumber": document.registration_number,
                    }
                    for document in message.documents
                ]
            ),
            MessageText=message.text,
        )

    def _call(self, operation, **kwargs):
        try:
            method = self.service[operation]
        except (AttributeError, KeyError, ValueError):
            raise SsevError(
                f"the stored WSDL does not declare {operation}; store the current "
                "live WSDL of the service",
                code="operation_missing",
            ) from None
        try:
            return method(**kwargs)
        except zeep.exceptions.Fault as fault:
            raise fault_to_error(fault.message) from None
        except zeep.exceptions.ValidationError as exc:
            raise MalformedResponseError(f"zeep refused the data: {exc}") from None
        except (zeep.exceptions.XMLParseError, zeep.exceptions.TransportError) as exc:
            raise MalformedResponseError(f"unreadable answer: {exc}") from None


def _get(value, name):
    if value is None:
        return None
    try:
        return value[name]
    except (KeyError, TypeError, AttributeError):
        return getattr(value, name, None)


def _items(value, name):
    if value is None:
        return []
    items = _get(value, name)
    if items is None and isinstance(value, list):
        return value
    return [item for item in (items or []) if item is not None]


def _str(value):
    return None if value is None else str(value)


def _profile_type(value):
    try:
        return ProfileType(value) if value else None
    except ValueError:
        return None


def _profile(value):
    if _empty(value):
        return None
    return ProfileRef(
        name=_get(value, "ElectronicSubjectName"),
        subject_id=_str(_get(value, "ElectronicSubjectId")),
        profile_id=_get(value, "Id"),
        profile_type=_profile_type(_get(value, "ProfileType")),
    )


def _login(value):
    if _empty(value):
        return None
    return ProfileRef(
        name=_get(value, "ElectronicSubjectName"),
        subject_id=_str(_get(value, "ElectronicSubjectId")),
        profile_id=_get(value, "Id"),
    )


def _empty(value):
    # zeep may turn a nil complex element into an object whose members are all None.
    if value is None:
        return True
    names = ("Id", "ElectronicSubjectId", "ElectronicSubjectName")
    return all(_get(value, name) is None for name in names)


def _stamp(value):
    if value is None or _get(value, "TimeStampData") is None:
        return None
    return TimeStamp(
        file_name=_get(value, "FileName") or "", data=_get(value, "TimeStampData")
    )


def _content_stamp(value):
    if value is None or _get(value, "Content") is None:
        return None
    return TimeStamp(
        file_name=_get(value, "FileName") or "", data=_get(value, "Content")
    )


def _aware(value):
    """Dates without an offset are Sofia local time (README §12)."""
    if value is None:
        return None
    if value.tzinfo is None:
        return value.replace(tzinfo=SOFIA)
    return value


def _positive(value, name):
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ValueError(f"{name} must be a positive integer, not {value!r}")
    return value


def _message_id(value):
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise MalformedResponseError(f"the service returned no message id ({value!r})")
    return value
