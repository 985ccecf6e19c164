"""SEOS (СЕОС), the exchange of registered documents between Bulgarian
administrations: messages, XML, signatures, the receiving pipeline, the ``Submit``
client, the register of participants and a sandbox participant node.

The facts behind the code are in the project's SEOS reference; docstrings cite its
sections as "§n".
"""

from .codes import (
    CorrespondentKind,
    DocumentStatus,
    ErrorKind,
    MessageType,
    ParticipantStatus,
)
from .messages import (
    Attachment,
    Correspondent,
    Document,
    DocumentId,
    DocumentNumber,
    DocumentURI,
    Entity,
    ErrorReport,
    Header,
    Message,
    RegistrationRequest,
    Service,
    StatusRequest,
    StatusResponse,
    new_guid,
    normalize_guid,
)
