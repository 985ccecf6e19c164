"""Errors raised by :mod:`bg_egov`.

Callers (the Odoo addons) catch these only at their seam with the external system and
turn them into a state and a message on the exchange record, so every error carries a
machine-readable ``code`` besides its human-readable text.
"""


class BgEgovError(Exception):
    """Base class of every error the library raises on purpose."""

    code = "error"

    def __init__(self, message, *, code=None):
        super().__init__(message)
        self.message = message
        if code is not None:
            self.code = code

    def __str__(self):
        return self.message


class IdentifierError(BgEgovError, ValueError):
    """A Bulgarian identifier (ЕГН, ЛНЧ, ЕИК/БУЛСТАТ) is malformed or has a wrong check
    digit.

    :ivar kind: the identifier kind that was expected (``egn``, ``lnch``, ``eik``).
    :ivar value: the value as given.
    """

    code = "invalid_identifier"

    def __init__(self, message, *, kind, value):
        super().__init__(message)
        self.kind = kind
        self.value = value


class ProtocolError(BgEgovError):
    """A peer sent something the protocol does not allow."""

    code = "protocol"


class UnsafeXmlError(ProtocolError):
    """XML refused before or while parsing: too large, a DTD or entities, or not well-
    formed.
    """

    code = "unsafe_xml"


class SchemaError(ProtocolError):
    """Well-formed XML that does not validate against the protocol's schema."""

    code = "schema"


class SignatureError(ProtocolError):
    """A missing, malformed or invalid XML signature, or an unusable certificate."""

    code = "signature"


class TransportError(BgEgovError):
    """The peer could not be reached or did not answer properly.

    :ivar retryable: sending again later may succeed (connection refused, HTTP 5xx).
    :ivar timeout: the request may have arrived although no answer came, so the caller
        must ask the peer for the status before it sends again.
    """

    code = "transport"

    def __init__(self, message, *, retryable=True, timeout=False, code=None):
        super().__init__(message, code=code)
        self.retryable = retryable
        self.timeout = timeout
