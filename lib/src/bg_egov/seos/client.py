"""The sending side: a zeep client for a participant's ``Submit`` (SEOS reference §8.1,
§16.3).

zeep is driven by the library's own description of the endpoint
(``schema/seos-endpoint.wsdl``): SOAP 1.1, document/literal, the WSDL's action, and no
WS-Addressing headers, which a WCF ``basicHttpBinding`` peer does not expect. Every call
has a timeout. Errors tell apart what the sender must do next (§8.2, §10):

* :class:`~bg_egov.errors.TransportError` with ``timeout=True``: the request went out
  and no answer came; it may have arrived, so ask with a status request (or resend the
  same bytes, which our receivers answer idempotently) before anything else;
* :class:`~bg_egov.errors.TransportError` with ``retryable=True``: it did not arrive
  (connection refused, connect timeout, HTTP 404/502/503/504); send again later;
* :class:`~bg_egov.errors.TransportError` with ``retryable=False``: refused (SOAP
  fault, other HTTP errors);
* :class:`~bg_egov.errors.ProtocolError` (and its schema/signature subclasses): an
  answer came but is not a valid signed message.
"""

import dataclasses
import importlib.resources

import requests
import zeep
import zeep.exceptions
from lxml import etree

from bg_egov.errors import ProtocolError, TransportError

from . import xml as seos_xml

BINDING = "{http://services.egov.bg/messaging/}EGovService"
RETRYABLE_HTTP = frozenset({404, 408, 429, 502, 503, 504})


@dataclasses.dataclass(frozen=True)
class SubmitResult:
    """What a ``Submit`` call returned.

    ``text`` is the raw ``SubmitResult`` string (keep it as evidence, §16.8); for a
    non-empty answer ``message`` is the parsed answer and ``signature`` its verified
    signer, else both are ``None`` (the empty answer to notifications, §8.2).
    """

    text: str
    message: object = None
    signature: object = None


class SubmitClient:
    """Calls ``Submit`` on participants' endpoints.

    :param float timeout: seconds to wait for the answer (read timeout); e-Delivery
        waits 10 minutes (§8.1), our default is 120 s.
    :param float connect_timeout: seconds to establish the connection.
    :param client_cert: ``(cert_path, key_path)`` for mutual TLS (§8.1), or None.
    :param verify: ``True``, ``False`` or the path of the exchange CA bundle to trust
        for peers' server certificates (trust it explicitly; never switch checks off in
        production).
    :param requests.Session session: an injected session (tests, proxies); the client
        sets ``cert``/``verify`` on it only when given.
    :param int max_answer_bytes: larger answers are refused unparsed.
    """

    def __init__(
        self,
        *,
        timeout=120.0,
        connect_timeout=10.0,
        client_cert=None,
        verify=True,
        session=None,
        max_answer_bytes=seos_xml.DEFAULT_MAX_BYTES,
    ):
        self.session = session or requests.Session()
        if client_cert is not None:
            self.session.cert = client_cert
        if verify is not True or session is None:
            self.session.verify = verify
        self.timeout = timeout
        self.connect_timeout = connect_timeout
        self.max_answer_bytes = max_answer_bytes
        transport = zeep.Transport(
            session=self.session,
            timeout=connect_timeout,
            operation_timeout=(connect_timeout, timeout),
        )
        settings = zeep.Settings(
            strict=True,
            xml_huge_tree=True,
            forbid_dtd=True,
            forbid_entities=True,
            forbid_external=True,
        )
        wsdl = importlib.resources.files("bg_egov.seos.schema").joinpath(
            "seos-endpoint.wsdl"
        )
        with importlib.resources.as_file(wsdl) as path:
            self._zeep = zeep.Client(str(path), transport=transport, settings=settings)
        self._services = {}

    def _service(self, endpoint):
        service = self._services.get(endpoint)
        if service is None:
            service = self._zeep.create_service(BINDING, endpoint)
            self._services[endpoint] = service
        return service

    def submit_raw(self, endpoint, message):
        """Call ``Submit`` with ``message`` and return the ``SubmitResult`` string.

        :param str endpoint: the participant's URL from the register (§8.3).
        :param message: the signed message bytes (UTF-8), sent as they are.
        :returns: ``str``, ``""`` for an empty answer.
        :raises TransportError: see the module docstring.
        :raises ProtocolError: ``bad_answer`` when the HTTP answer is not SOAP.
        """
        if isinstance(message, bytes):
            message = message.decode("utf-8")
        try:
            result = self._service(endpoint).Submit(request=message)
        except requests.exceptions.ConnectTimeout:
            raise TransportError(
                f"cannot connect to {endpoint} in time", code="connect_timeout"
            ) from None
        except requests.exceptions.Timeout:
            raise TransportError(
                f"no answer from {endpoint} within {self.timeout} s; the message may "
                "have arrived",
                timeout=True,
                code="timeout",
            ) from None
        except requests.exceptions.ConnectionError as exc:
            raise TransportError(
                f"cannot reach {endpoint}: {exc}", code="connection"
            ) from None
        except zeep.exceptions.Fault as exc:
            raise TransportError(
                f"{endpoint} refused the message: {exc.message}",
                retryable=False,
                code="soap_fault",
            ) from None
        except zeep.exceptions.TransportError as exc:
            if 200 <= exc.status_code < 300:
                # zeep's way of saying "HTTP 200 but not XML": the peer answered.
                raise ProtocolError(
                    f"{endpoint} gave an answer that is not SOAP", code="bad_answer"
                ) from None
            raise TransportError(
                f"{endpoint} answered HTTP {exc.status_code}",
                retryable=exc.status_code in RETRYABLE_HTTP,
                code=f"http_{exc.status_code}",
            ) from None
        except (etree.XMLSyntaxError, zeep.exceptions.Error) as exc:
            raise ProtocolError(
                f"{endpoint} gave an answer that is not SOAP: {exc}",
                code="bad_answer",
            ) from None
        return result or ""

    def submit(self, endpoint, message, *, verify_answer=True):
        """Call ``Submit`` and read the answer as a signed message (§8.2).

        :param str endpoint: the participant's URL.
        :param bytes message: the signed message bytes (:func:`bg_egov.seos.xml.sign`).
        :param bool verify_answer: verify the answer's signature; the caller should
            also compare ``signature.serial_number`` with the register (§7.5).
        :returns: :class:`SubmitResult`.
        :raises TransportError: see the module docstring.
        :raises ProtocolError: the answer is not a valid message (``UnsafeXmlError``,
            ``SchemaError``, ``SignatureError`` are subclasses).
        """
        text = self.submit_raw(endpoint, message)
        if not text.strip():
            return SubmitResult(text="")
        parsed, info = seos_xml.loads(
            text, max_bytes=self.max_answer_bytes, verify=verify_answer
        )
        return SubmitResult(text=text, message=parsed, signature=info)
