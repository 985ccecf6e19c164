"""The one client interface both e-Delivery adapters implement, and the checks they
share.

Every check that can be made locally is made here, before any byte is sent: a refusal
by the service costs a round trip and, for a send, a message that may half-exist.

Opening a received message is a legal act (reference README §5.4): only
:meth:`SsevClient.open_received_message` does it. No other method of either adapter
calls an operation that may open a message, and the status call is refused for
messages we received (README §5.3 warns that the service opens them then).
"""

import abc
import json
import os
import re

from bg_egov import identifiers
from bg_egov.errors import IdentifierError

from .errors import InvalidMessageError, LimitExceededError, MalformedResponseError
from .results import Limits, ProfileType, PushEvent, PushNotification

_EXTENSION = re.compile(r"^.+\.[A-Za-z0-9]{1,10}$")


class SsevClient(abc.ABC):
    """What the addon calls, whatever the channel.

    Adapters: :class:`bg_egov.ssev.soap.SoapClient` (SOAP integration service) and
    :class:`bg_egov.ssev.rest.RestClient` (REST API behind the service bus).
    Every method raises :class:`~bg_egov.errors.TransportError` when the service cannot
    be reached (``timeout=True`` when the request may have arrived) and a subclass of
    :class:`~bg_egov.ssev.errors.SsevError` when it refuses.
    """

    limits = Limits()

    @abc.abstractmethod
    def check_person(self, identifier):
        """Is this person (ЕГН or ЛНЧ) registered? (README §5.1)

        :param str identifier: ЕГН or ЛНЧ; validated to digits first, since the service
            treats ``%`` and ``_`` as wildcards (README §3).
        :returns: :class:`~bg_egov.ssev.results.RegistrationInfo`.
        :raises IdentifierError: before any request, for a malformed identifier.
        """

    @abc.abstractmethod
    def check_legal_entity(self, eik):
        """Is this legal entity (ЕИК) registered? (README §5.1)

        :returns: :class:`~bg_egov.ssev.results.RegistrationInfo`.
        :raises IdentifierError: before any request, for a malformed ЕИК.
        """

    @abc.abstractmethod
    def check_subject(self, identifier):
        """Has any subject (person, entity, institution) a profile? (README §5.1)

        :returns: :class:`~bg_egov.ssev.results.RegistrationInfo`.
        :raises IdentifierError: before any request, for a malformed identifier.
        """

    @abc.abstractmethod
    def send(self, message, recipient, *, require_registration=True):
        """Send ``message`` (:class:`OutgoingMessage`) to ``recipient``
        (:class:`Recipient`) once; never retried here (README §5.2, §6).

        With ``require_registration`` (default) the addressee's registration is
        checked first and a missing or deactivated profile raises
        :class:`NotRegisteredError` without sending.

        :returns: :class:`~bg_egov.ssev.results.SendResult`.
        :raises InvalidMessageError, LimitExceededError: before any request.
        :raises NotRegisteredError: the addressee has no usable profile.
        :raises TransportError: with ``timeout=True`` the message may exist: look for
            it before sending again.
        """

    @abc.abstractmethod
    def send_with_access_code(self, message, recipient):
        """Send to a person by access code (:class:`AccessCodeRecipient`, §5.2).

        :raises AccessCodeNotAllowedError: the operator has not enabled it.
        """

    @abc.abstractmethod
    def reply(self, message, reply_to_message_id):
        """Reply to a message we received, e.g. with our incoming number (§5.2).

        :returns: :class:`~bg_egov.ssev.results.SendResult`.
        """

    @abc.abstractmethod
    def sent_message_status(self, message_id):
        """Status of a message WE sent: sent time and per-recipient opening (§5.3).

        Never opens anything: only ids of messages we sent may be given.

        :returns: :class:`~bg_egov.ssev.results.SentMessageStatus`.
        """

    @abc.abstractmethod
    def received_messages(self, *, only_new=True, page=1, page_size=50):
        """One page of received messages, without opening any (README §5.4).

        :returns: :class:`~bg_egov.ssev.results.ReceivedPage`.
        """

    @abc.abstractmethod
    def open_received_message(self, message_id):
        """OPEN a received message and return its content (README §5.4).

        This is the legal act of delivery: the service records the opening time and
        the operator, makes the NRD time stamp and tells the sender. Call it only when
        the municipality means to receive the message.

        :returns: :class:`~bg_egov.ssev.results.ReceivedMessage`.
        :raises TemplateNotSupportedError: a template the channel cannot open.
        """

    @abc.abstractmethod
    def institutions(self):
        """Every administration profile (README §5.8).

        :returns: tuple of :class:`~bg_egov.ssev.results.Institution`.
        """


def validate_recipient_identifier(profile_type, identifier):
    """Return ``identifier`` as digits, checked for the addressee's kind (README §3).

    :param ProfileType profile_type: ``PERSON`` → ЕГН or ЛНЧ; otherwise ЕИК/БУЛСТАТ.
    :raises IdentifierError: malformed identifier (wildcards included).
    """
    if ProfileType(profile_type) is ProfileType.PERSON:
        return identifiers.validate_person(identifier)[1]
    return identifiers.validate_eik(identifier)


def validate_any_identifier(identifier):
    """Return a valid ЕГН, ЛНЧ or ЕИК/БУЛСТАТ as digits (README §3).

    :raises IdentifierError: when it is none of them.
    """
    try:
        return identifiers.validate_person(identifier)[1]
    except IdentifierError:
        pass
    try:
        return identifiers.validate_eik(identifier)
    except IdentifierError:
        raise IdentifierError(
            f"{identifier!r} is not a valid ЕГН, ЛНЧ or ЕИК/БУЛСТАТ",
            kind="any",
            value=identifier,
        ) from None


def check_outgoing(message, limits):
    """Refuse a message the service would refuse or that breaks the limits (§5.2, §8).

    :param OutgoingMessage message: the message.
    :param Limits limits: the configured limits.
    :raises InvalidMessageError: no title, title over ``max_title`` characters, no
        text and no file, a file without bytes, name or extension, a register number
        too long.
    :raises LimitExceededError: too many files, a file or all files too large.
    """
    title = (message.title or "").strip()
    if not title:
        raise InvalidMessageError("the message has no title")
    if len(message.title) > limits.max_title:
        raise InvalidMessageError(
            f"the title has {len(message.title)} characters; at most "
            f"{limits.max_title} are allowed"
        )
    if not (message.text or "").strip() and not message.documents:
        raise InvalidMessageError("the message needs a text or at least one file")
    if len(message.documents) > limits.max_files:
        raise LimitExceededError(
            f"{len(message.documents)} files; at most {limits.max_files} are allowed"
        )
    total = 0
    for document in message.documents:
        name = document.name or ""
        if os.path.basename(name) != name or not _EXTENSION.match(name):
            raise InvalidMessageError(
                f"file name {name!r} must be a plain name with an extension"
            )
        if len(name) > limits.max_file_name:
            raise InvalidMessageError(f"file name {name[:40]!r}… is too long")
        if not document.content:
            raise InvalidMessageError(f"file {name!r} is empty")
        number = document.registration_number or ""
        if len(number) > limits.max_registration_number:
            raise InvalidMessageError(f"register number of {name!r} is too long")
        size = len(document.content)
        if size > limits.max_file_bytes:
            raise LimitExceededError(
                f"file {name!r} has {size} bytes; at most {limits.max_file_bytes}"
            )
        total += size
    if total > limits.max_total_bytes:
        raise LimitExceededError(
            f"the files have {total} bytes together; at most {limits.max_total_bytes}"
        )


def parse_push_notification(body):
    """Parse the JSON e-Delivery POSTs to our push URL (README §5.7).

    The request carries no signature: treat the result as a hint to poll the service
    at once, never as proof that a message arrived or was opened.

    :param bytes body: the request body.
    :returns: :class:`~bg_egov.ssev.results.PushNotification`.
    :raises MalformedResponseError: not the documented JSON shape.
    """
    try:
        data = json.loads(body)
        event = PushEvent(data["EventType"])
        message_id = data["MessageId"]
        if isinstance(message_id, bool) or not isinstance(message_id, int | str):
            raise TypeError
        message_id = int(message_id)
    except (ValueError, KeyError, TypeError):
        raise MalformedResponseError(
            "not an e-Delivery push notification", code="malformed_push"
        ) from None
    return PushNotification(event=event, message_id=message_id)
