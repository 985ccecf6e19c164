"""Errors of the e-Delivery (ССЕВ) client.

The SOAP service reports every failure as a fault whose ``faultstring`` is the
exception text, without codes (reference README §11). The texts are kept on the error
(``service_text``) for the clerk; the class says what kind of refusal it was, so the
caller's state machine does not parse text. Timeouts and unreachable services are
:class:`~bg_egov.errors.TransportError`, never one of these: a refusal means nothing
was created, a timeout means the message may exist.
"""

import re

from bg_egov.errors import ProtocolError


class SsevError(ProtocolError):
    """A refusal by e-Delivery, or a request the library refused to send.

    :ivar service_text: the service's own text (``faultstring`` or HTTP body), or
        ``None`` when the library refused before sending.
    """

    code = "ssev"

    def __init__(self, message, *, service_text=None, code=None):
        super().__init__(message, code=code)
        self.service_text = service_text


class InvalidMessageError(SsevError, ValueError):
    """The message breaks a rule of the service (title, content, file name, register
    number) and was not sent (README §5.2, §8).
    """

    code = "invalid_message"


class LimitExceededError(SsevError):
    """Too many or too large files, or a request over the service's size limit
    (README §8)."""

    code = "over_limit"


class ServiceFault(SsevError):
    """A SOAP fault or HTTP error answer that no narrower class describes."""

    code = "fault"


class NotRegisteredError(ServiceFault):
    """The addressee has no profile, or it is deactivated (README §5.1, §11)."""

    code = "not_registered"


class TemplateNotSupportedError(ServiceFault):
    """The message uses a template the SOAP integration cannot open (README §5.4)."""

    code = "template_not_supported"


class AuthenticationError(ServiceFault):
    """The certificate, token or operator ЕГН is not accepted (README §2.1, §2.2)."""

    code = "authentication"


class AccessCodeNotAllowedError(ServiceFault):
    """Access-code sending is not enabled for the municipality's profile (§5.2)."""

    code = "access_code_not_allowed"


class MalformedResponseError(SsevError):
    """The service answered something that is not a valid response (broken MTOM,
    not XML, missing result)."""

    code = "malformed_response"


# Ordered: the first pattern that matches the fault text decides the class. The texts
# are those of README §11; unknown texts stay a plain ServiceFault.
_FAULT_PATTERNS = (
    (
        r"receiver profile does not exist|recipient profile does not exist",
        NotRegisteredError,
    ),
    (r"Receiver is missing", NotRegisteredError),
    (r"templateId\s*=\s*1", TemplateNotSupportedError),
    (r"access code", AccessCodeNotAllowedError),
    (
        r"certificate|unauthori[sz]ed|Unauthorized operator|security",
        AuthenticationError,
    ),
    (r"maximum|too large|exceeds|quota|limit", LimitExceededError),
    (r"required fields|Document bytes|Document name|Invalid ", InvalidMessageError),
)


def fault_to_error(text):
    """Return the typed error for a fault text of the service.

    :param str text: the ``faultstring`` (or HTTP error body) as received.
    :returns: an instance of a :class:`SsevError` subclass keeping ``text``.
    """
    text = (text or "").strip() or "e-Delivery refused the request without a reason"
    for pattern, cls in _FAULT_PATTERNS:
        if re.search(pattern, text, re.IGNORECASE):
            return cls(f"e-Delivery refused the request: {text}", service_text=text)
    return ServiceFault(f"e-Delivery refused the request: {text}", service_text=text)
