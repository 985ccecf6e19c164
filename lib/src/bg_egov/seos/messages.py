"""Typed, immutable SEOS messages (SEOS reference §3, §4).

One frozen dataclass per schema type; :class:`Message` is the whole envelope, its
``body`` one of :class:`RegistrationRequest`, :class:`StatusRequest`,
:class:`StatusResponse` or :class:`ErrorReport`. The message type of the header follows
from the body, so the two can never disagree when we build (§3.1).

GUIDs are kept normalised as ``{lower-case}`` (§3.2, §16.5); dates are
:class:`datetime.date`, the message date an aware :class:`datetime.datetime` (§16.4),
attachment bodies ``bytes``.
"""

import dataclasses
import datetime
import re
import uuid

from .codes import (
    PROTOCOL_VERSION,
    CorrespondentKind,
    DocumentStatus,
    ErrorKind,
    MessageType,
)

_GUID = re.compile(
    r"^\{?([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-"
    r"[0-9a-fA-F]{12})\}?$"
)


def normalize_guid(value):
    """Return ``value`` as ``{lower-case}``, the form we emit and compare (§3.2).

    :param str value: a GUID with or without braces, any case.
    :raises ValueError: when it is not a GUID.
    """
    match = _GUID.match((value or "").strip())
    if not match:
        raise ValueError(f"not a GUID: {value!r}")
    return "{" + match.group(1).lower() + "}"


def new_guid():
    """Return a new random GUID in the message form ``{lower-case}``."""
    return "{" + str(uuid.uuid4()) + "}"


@dataclasses.dataclass(frozen=True)
class Entity:
    """``EntityNodeType``: a participant named in the header (§3.1)."""

    identifier: str
    name: str
    guid: str

    def __post_init__(self):
        object.__setattr__(self, "guid", normalize_guid(self.guid))


@dataclasses.dataclass(frozen=True)
class DocumentNumber:
    """``DocumentNumber``: registration number (free text) and date (§4.1.1)."""

    number: str
    date: datetime.date


@dataclasses.dataclass(frozen=True)
class DocumentURI:
    """``DocumentURI`` (УРИ): register index, sequence number, date; all optional."""

    register_index: int | None = None
    sequence_number: int | None = None
    receipt_or_signing_date: datetime.date | None = None


@dataclasses.dataclass(frozen=True)
class DocumentId:
    """``DocumentIdentificationType`` (§4.1.1): the document GUID, plus a number or a
    URI (at most one of them).
    """

    guid: str
    number: DocumentNumber | None = None
    uri: DocumentURI | None = None

    def __post_init__(self):
        object.__setattr__(self, "guid", normalize_guid(self.guid))
        if self.number is not None and self.uri is not None:
            raise ValueError("a document id has a number or a URI, not both")


@dataclasses.dataclass(frozen=True)
class Correspondent:
    """``CorrespondentType`` (§4.1.2); ``egn`` carries ЕГН/ЛНЧ as personal data."""

    name: str
    city: str = "Непосочен"
    address: str | None = None
    egn: str | None = None
    id_card: str | None = None
    bulstat: str | None = None
    email: str | None = None
    phone: str | None = None
    mobile_phone: str | None = None
    mol: str | None = None
    comment: str | None = None
    kind: CorrespondentKind | None = None


@dataclasses.dataclass(frozen=True)
class Attachment:
    """``AttachmentFileType`` (§4.1.3): the whole file inline."""

    file_name: str
    body: bytes
    mime_type: str
    comment: str | None = None

    def __repr__(self):
        # A 10 MB body in a log line or a test failure helps nobody.
        return (
            f"Attachment(file_name={self.file_name!r}, mime_type={self.mime_type!r}, "
            f"size={len(self.body)})"
        )


@dataclasses.dataclass(frozen=True)
class Service:
    """``ServiceItemType``: administrative service, all three fields mandatory."""

    name: str
    type: str
    code: str


@dataclasses.dataclass(frozen=True)
class Document:
    """``DocumentType`` (§4.1).

    ``additional_data`` is the content of ``DocAddData`` (any XML) as a string, read
    as if written inside the message: unprefixed elements are in the messaging
    namespace unless the string declares another; ``None`` leaves it out.
    """

    id: DocumentId
    kind: str
    parent_id: DocumentId | None = None
    correspondents: tuple[Correspondent, ...] = ()
    attachments: tuple[Attachment, ...] = ()
    about: str | None = None
    service: Service | None = None
    comment: str | None = None
    additional_data: str | None = None
    requested_close_date: datetime.date | None = None
    attention_to: str | None = None

    def __post_init__(self):
        object.__setattr__(self, "correspondents", tuple(self.correspondents))
        object.__setattr__(self, "attachments", tuple(self.attachments))


@dataclasses.dataclass(frozen=True)
class RegistrationRequest:
    """``DocumentRegistrationRequest`` (§4.1): the document and a sending comment."""

    document: Document
    comment: str = ""

    message_type = MessageType.REGISTRATION_REQUEST


@dataclasses.dataclass(frozen=True)
class StatusRequest:
    """``DocumentStatusRequest`` (§4.2); matched on ``doc_id.guid``."""

    doc_id: DocumentId

    message_type = MessageType.STATUS_REQUEST


@dataclasses.dataclass(frozen=True)
class StatusResponse:
    """``DocumentStatusResponse`` (§4.3): ``doc_id`` carries the original document GUID
    and the number the recipient gave it.
    """

    doc_id: DocumentId
    status: DocumentStatus
    rejection_reason: str | None = None
    expected_close_date: datetime.date | None = None
    additional_data: str | None = None

    message_type = MessageType.STATUS_RESPONSE

    def __post_init__(self):
        object.__setattr__(self, "status", DocumentStatus(self.status))


@dataclasses.dataclass(frozen=True)
class ErrorReport:
    """``Error`` (§4.4): kind, description and the GUID of the failed message."""

    kind: ErrorKind
    description: str
    message_guid: str | None = None

    message_type = MessageType.ERROR

    def __post_init__(self):
        object.__setattr__(self, "kind", ErrorKind(self.kind))
        if self.message_guid is not None:
            object.__setattr__(self, "message_guid", normalize_guid(self.message_guid))


Body = RegistrationRequest | StatusRequest | StatusResponse | ErrorReport


@dataclasses.dataclass(frozen=True)
class Header:
    """``Header`` (§3.1). ``date`` must be timezone-aware (§16.4)."""

    message_type: MessageType
    date: datetime.datetime
    sender: Entity
    recipient: Entity
    message_guid: str
    version: str = PROTOCOL_VERSION

    def __post_init__(self):
        object.__setattr__(self, "message_type", MessageType(self.message_type))
        object.__setattr__(self, "message_guid", normalize_guid(self.message_guid))
        if self.date.tzinfo is None or self.date.utcoffset() is None:
            raise ValueError("the message date must carry a time zone")


def _now():
    now = datetime.datetime.now(datetime.timezone.utc)
    return now.replace(microsecond=now.microsecond // 1000 * 1000)


@dataclasses.dataclass(frozen=True)
class Message:
    """A whole SEOS ``Message`` (§3), without its signature."""

    header: Header
    body: Body

    def __post_init__(self):
        if self.header.message_type is not self.body.message_type:
            raise ValueError(
                f"header type {self.header.message_type.value} does not match the "
                f"body {type(self.body).__name__}"
            )

    @classmethod
    def new(cls, sender, recipient, body, *, date=None, message_guid=None):
        """Build a message with a new GUID and the current time.

        :param Entity sender: who sends this message.
        :param Entity recipient: who must process it.
        :param body: one of the four body dataclasses.
        :param datetime.datetime date: aware; default now in UTC, to the millisecond
            that the message will carry.
        :param str message_guid: default a new GUID (§3.1: new for every message).
        :returns: :class:`Message`.
        """
        header = Header(
            message_type=body.message_type,
            date=date or _now(),
            sender=sender,
            recipient=recipient,
            message_guid=message_guid or new_guid(),
        )
        return cls(header=header, body=body)

    def reply(self, body, *, date=None):
        """Build the answer to this message: sender and recipient swapped (§4.3, §9.3).

        :returns: a new :class:`Message` with a new GUID.
        """
        return Message.new(self.header.recipient, self.header.sender, body, date=date)
