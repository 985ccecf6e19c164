"""e-Delivery (ССЕВ): one client interface, typed results, the SOAP adapter and a
sandbox service. See ``lib/README.md`` and the reference README §13.

The SOAP adapter (``bg_egov.ssev.soap``) and the sandbox (``bg_egov.ssev.sandbox``)
are imported from their modules, so that using the results does not load zeep.
"""

from .client import SsevClient, parse_push_notification
from .errors import (
    AccessCodeNotAllowedError,
    AuthenticationError,
    InvalidMessageError,
    LimitExceededError,
    MalformedResponseError,
    NotRegisteredError,
    ServiceFault,
    SsevError,
    TemplateNotSupportedError,
)
from .results import (
    AccessCodeRecipient,
    Institution,
    Limits,
    OutgoingDocument,
    OutgoingMessage,
    ProfileRef,
    ProfileType,
    PushEvent,
    PushNotification,
    ReceivedDocument,
    ReceivedMessage,
    ReceivedMessageInfo,
    ReceivedPage,
    Recipient,
    RecipientDelivery,
    RegistrationInfo,
    SendResult,
    SentDocument,
    SentMessageStatus,
    TimeStamp,
)
