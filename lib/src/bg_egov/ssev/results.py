"""Typed inputs and results shared by both e-Delivery adapters.

The addon maps its records to and from these frozen dataclasses only; it never sees
whether the SOAP integration service or the REST API behind the service bus answered
(reference README §13). Date-times are aware (UTC offsets kept as the service gave them;
values without an offset are read as Europe/Sofia local time, README §12).
"""

import dataclasses
import datetime
import enum


class ProfileType(str, enum.Enum):
    """``eProfileType`` on the SOAP wire (README §4.1)."""

    PERSON = "Person"
    LEGAL_PERSON = "LegalPerson"
    INSTITUTION = "Institution"
    ADMINISTRATOR = "Administrator"


class PushEvent(str, enum.Enum):
    """``EventType`` of a push notification (README §5.7)."""

    RECEIVED = "Received"
    DELIVERED = "Delivered"


@dataclasses.dataclass(frozen=True)
class TimeStamp:
    """An RFC 3161 time-stamp response (DER) or the time-stamped summary XML, with the
    file name the service gives it (README §7)."""

    file_name: str
    data: bytes


@dataclasses.dataclass(frozen=True)
class ProfileRef:
    """A profile or login as the service shows it in a message."""

    name: str | None = None
    subject_id: str | None = None
    profile_id: int | None = None
    profile_type: ProfileType | None = None


@dataclasses.dataclass(frozen=True)
class RegistrationInfo:
    """Answer to "does this addressee have a usable profile?" (README §5.1).

    ``registered`` is true only for an activated profile, the only kind a message will
    reach; ``activated`` and ``passive`` tell why not when it is false.
    """

    identifier: str
    registered: bool
    name: str | None = None
    profile_type: ProfileType | None = None
    activated: bool | None = None
    passive: bool | None = None
    email: str | None = None
    phone: str | None = None
    subject_id: str | None = None


@dataclasses.dataclass(frozen=True)
class Institution:
    """One administration profile from the institutions list (README §5.8)."""

    identifier: str | None
    name: str | None
    subject_id: str | None
    activated: bool | None
    email: str | None = None
    phone: str | None = None


@dataclasses.dataclass(frozen=True)
class OutgoingDocument:
    """A file to attach: original name with extension, bytes and our register
    number (README §5.2)."""

    name: str
    content: bytes
    registration_number: str | None = None


@dataclasses.dataclass(frozen=True)
class OutgoingMessage:
    """Title (≤ 255 characters), text and files of a message to send (README §5.2)."""

    title: str
    text: str | None = None
    documents: tuple[OutgoingDocument, ...] = ()


@dataclasses.dataclass(frozen=True)
class Recipient:
    """Addressee by identifier: ЕГН/ЛНЧ for a person, ЕИК/БУЛСТАТ otherwise.

    ``phone`` and ``email`` are used by the service only when it has to create a
    passive profile for a person (README §5.1).
    """

    profile_type: ProfileType
    identifier: str
    phone: str | None = None
    email: str | None = None


@dataclasses.dataclass(frozen=True)
class AccessCodeRecipient:
    """A person reached with an access code (README §5.2,
    ``DcMessageWithCodeReceiver``)."""

    identifier: str
    first_name: str
    last_name: str
    email: str
    phone: str
    middle_name: str | None = None


@dataclasses.dataclass(frozen=True)
class Limits:
    """Checks made before anything is sent (README §8): the manual's 10 files and
    10 000 KB, the database's 255-character title and register number and
    500-character file name."""

    max_title: int = 255
    max_files: int = 10
    max_file_bytes: int = 10_000 * 1024
    max_total_bytes: int = 10_000 * 1024
    max_file_name: int = 500
    max_registration_number: int = 255


@dataclasses.dataclass(frozen=True)
class SendResult:
    """A message the service accepted: its id is the idempotency key (README §6).

    ``recipient`` is the addressee's identifier (digits), ``None`` for a reply (the
    service addresses it to the original sender)."""

    message_id: int
    recipient: str | None


@dataclasses.dataclass(frozen=True)
class RecipientDelivery:
    """Per-recipient state: ``opened_at`` set means delivered (README §6)."""

    recipient: ProfileRef | None
    opened_at: datetime.datetime | None
    opened_by: ProfileRef | None

    @property
    def delivered(self):
        """True once the recipient has opened the message."""
        return self.opened_at is not None


@dataclasses.dataclass(frozen=True)
class SentDocument:
    """A file of a sent message as the status call lists it (no content)."""

    document_id: int | None
    name: str | None
    registration_number: str | None
    time_stamp: TimeStamp | None = None


@dataclasses.dataclass(frozen=True)
class SentMessageStatus:
    """What the service knows of a message we sent (README §5.3, §6)."""

    message_id: int
    title: str | None
    sent_at: datetime.datetime | None
    recipients: tuple[RecipientDelivery, ...]
    documents: tuple[SentDocument, ...] = ()
    nro: TimeStamp | None = None
    summary: TimeStamp | None = None

    @property
    def delivered(self):
        """True when every recipient has opened the message."""
        return bool(self.recipients) and all(r.delivered for r in self.recipients)

    @property
    def delivered_at(self):
        """The first opening time of the (last) recipient, or ``None``."""
        if not self.delivered:
            return None
        return max(r.opened_at for r in self.recipients)


@dataclasses.dataclass(frozen=True)
class ReceivedMessageInfo:
    """A row of the received-messages list: nothing here opens the message."""

    message_id: int
    title: str | None
    sent_at: datetime.datetime | None
    opened_at: datetime.datetime | None
    sender: ProfileRef | None
    sender_login: ProfileRef | None = None


@dataclasses.dataclass(frozen=True)
class ReceivedPage:
    """One page of received messages (README §5.4)."""

    items: tuple[ReceivedMessageInfo, ...]
    total: int
    page: int
    page_size: int

    @property
    def has_more(self):
        """True when later pages hold more rows."""
        return self.page * self.page_size < self.total


@dataclasses.dataclass(frozen=True)
class ReceivedDocument:
    """A received file with its content and per-file time stamp."""

    document_id: int | None
    name: str | None
    content: bytes
    content_type: str | None = None
    registration_number: str | None = None
    time_stamp: TimeStamp | None = None


@dataclasses.dataclass(frozen=True)
class ReceivedMessage:
    """The content of a received message. Obtaining it OPENED the message (a legal
    act, README §5.4): ``opened_at`` is the delivery time the service recorded."""

    message_id: int
    title: str | None
    text: str | None
    sent_at: datetime.datetime | None
    opened_at: datetime.datetime | None
    sender: ProfileRef | None
    sender_login: ProfileRef | None
    opened_by: ProfileRef | None
    documents: tuple[ReceivedDocument, ...] = ()
    nro: TimeStamp | None = None
    nrd: TimeStamp | None = None
    summary: TimeStamp | None = None


@dataclasses.dataclass(frozen=True)
class PushNotification:
    """A push from e-Delivery: a hint to poll now, never proof of anything (§5.7)."""

    event: PushEvent
    message_id: int
