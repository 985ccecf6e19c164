"""Codes of the SEOS protocol: namespaces, message types, statuses, error kinds.

The values are the wire values of the message schema (SEOS reference §2, §3.1, §5.1,
§6.1). Sender-side states such as e-Delivery's ``DS_TRY_SEND`` are deliberately absent:
they never travel in a message (§5.2), and a strict receiver refuses them.
"""

import enum

NS = "http://schemas.egov.bg/messaging/v1"
DURI_NS = "http://ereg.egov.bg/segment/0009-000001"
DSIG_NS = "http://www.w3.org/2000/09/xmldsig#"
SOAP_NS = "http://schemas.xmlsoap.org/soap/envelope/"
SERVICE_NS = "http://services.egov.bg/messaging/"
SUBMIT_ACTION = "http://services.egov.bg/messaging/IEGovService/Submit"
REGISTRY_NS = "uri:egovmsg"

#: What we write in ``Header/Version`` (§3.1: e-Delivery writes 1.0 and accepts any).
PROTOCOL_VERSION = "1.0"

#: Register GUID of the "document exchange" service whose URI is the SEOS endpoint
#: (§8.3).
DOCUMENT_EXCHANGE_SERVICE_GUID = "{7060efa8-f1fa-4938-8b2b-12a78c86988f}"


class MessageType(str, enum.Enum):
    """``Header/MessageType`` (§4); each value names exactly one ``Body`` child."""

    REGISTRATION_REQUEST = "MSG_DocumentRegistrationRequest"
    STATUS_REQUEST = "MSG_DocumentStatusRequest"
    STATUS_RESPONSE = "MSG_DocumentStatusResponse"
    ERROR = "MSG_Error"


class DocumentStatus(str, enum.Enum):
    """``DocRegStatus`` (§5.1)."""

    WAIT_REGISTRATION = "DS_WAIT_REGISTRATION"
    REGISTERED = "DS_REGISTERED"
    REJECTED = "DS_REJECTED"
    CLOSED = "DS_CLOSED"
    STOPPED = "DS_STOPPED"
    NOT_FOUND = "DS_NOT_FOUND"
    ALREADY_RECEIVED = "DS_ALREADY_RECEIVED"


class ErrorKind(str, enum.Enum):
    """``Error/ErrorType`` (§6.1): whose fault it is."""

    INTERNAL = "ERR_INTERNAL"
    EXTERNAL = "ERR_EXTERNAL"


class CorrespondentKind(str, enum.Enum):
    """``CorKind`` (§4.1.2)."""

    APPLICANT = "Corr_Applicant"
    OTHER = "Corr_Other"


class ParticipantStatus(str, enum.Enum):
    """Status strings of the register of participants (§8.3), case-sensitive."""

    ACTIVE = "Active"
    INACTIVE = "Inactive"
    TEMPORARILY_INACTIVE = "TemporarilyInactive"


#: Bodies by message type, as element local names (§3).
BODY_ELEMENTS = {
    MessageType.REGISTRATION_REQUEST: "DocumentRegistrationRequest",
    MessageType.STATUS_REQUEST: "DocumentStatusRequest",
    MessageType.STATUS_RESPONSE: "DocumentStatusResponse",
    MessageType.ERROR: "Error",
}

# The error situations of §6.2, in Bulgarian because clerks on the other side read
# them; the structure "prefix + reason" follows what every peer already shows.
SENDER_FAULT = "Неуспешно - грешка при подателя: "
RECEIVER_FAULT = "Неуспешно - грешка при получателя: "


class Situation(str, enum.Enum):
    """Error situations of §6.2 that our endpoint reports (the E-numbers there)."""

    NOT_XML = "E1"
    SCHEMA = "E2"
    TLS_CERTIFICATE = "E3"
    SIGNATURE = "E4"
    CERTIFICATE = "E5"
    WRONG_RECIPIENT = "E6"
    UNKNOWN_SENDER = "E7"
    DUPLICATE_MESSAGE = "E8"
    DOCUMENT_NOT_FOUND = "E11"
    INTERNAL = "E13"


SITUATION_TEXTS = {
    Situation.NOT_XML: "съобщението не е коректен XML документ",
    Situation.SCHEMA: "съобщението не съответства на XSD схемите за обмен",
    Situation.TLS_CERTIFICATE: (
        "сертификатът на TLS връзката не е регистрираният сертификат на подателя"
    ),
    Situation.SIGNATURE: "невалиден електронен подпис на съобщението",
    Situation.CERTIFICATE: (
        "съобщението е подписано със сертификат, различен от регистрирания "
        "сертификат на подателя"
    ),
    Situation.WRONG_RECIPIENT: (
        "получателят в заглавната част не е участник, обслужван от тази точка"
    ),
    Situation.UNKNOWN_SENDER: "подателят не е активен участник в регистъра",
    Situation.DUPLICATE_MESSAGE: (
        "съобщение със същия идентификатор (MessageGUID) вече е получено"
    ),
    Situation.DOCUMENT_NOT_FOUND: "документът не е открит",
    Situation.INTERNAL: "вътрешна грешка при обработката",
}


def situation_text(situation, detail=None):
    """Return the Bulgarian ``ErrorDescription`` for an error situation (§6.2).

    :param Situation situation: the situation.
    :param str detail: optional short detail appended after the reason (never an
        internal exception text for our own faults, §9.3).
    :returns: prefix + reason (+ detail), the receiver prefix for ``E13``.
    """
    prefix = RECEIVER_FAULT if situation is Situation.INTERNAL else SENDER_FAULT
    text = prefix + SITUATION_TEXTS[situation]
    return f"{text} ({detail})" if detail else text
