"""A small WSGI application around :func:`bg_egov.seos.receive.receive`.

It adds what only HTTP can do: accept ``POST`` only, refuse a body without
``Content-Length`` (411), and never read more than the size limit into memory — an
oversized body is drained in chunks with only its first bytes kept as evidence, then
answered 413 with a SOAP fault (SEOS reference §9.3, last row).
"""

import datetime

from . import soap
from .receive import Limits, receive

_CHUNK = 1024 * 1024
_EVIDENCE_BYTES = 64 * 1024


class SubmitApplication:
    """WSGI application serving ``Submit``.

    :param Identity identity: who we are.
    :param Backend backend: the application's backend.
    :param MalwareScanner scanner: optional attachment scanner.
    :param Limits limits: size limits.
    :param on_receipt: optional callable given each :class:`Receipt` after it has been
        answered (the sandbox node schedules its registration replies there).
    """

    def __init__(
        self, identity, backend, *, scanner=None, limits=None, on_receipt=None
    ):
        self.identity = identity
        self.backend = backend
        self.scanner = scanner
        self.limits = limits or Limits()
        self.on_receipt = on_receipt

    def __call__(self, environ, start_response):
        """Serve one request (PEP 3333)."""
        if environ.get("REQUEST_METHOD") != "POST":
            return _reply(start_response, "405 Method Not Allowed", b"", "text/plain")
        try:
            length = int(environ.get("CONTENT_LENGTH") or "")
        except ValueError:
            return _reply(start_response, "411 Length Required", b"", "text/plain")
        stream = environ["wsgi.input"]
        if length > self.limits.max_request_bytes:
            self._drain(stream, length)
            body = soap.fault("the request exceeds the size limit")
            return _reply(start_response, "413 Content Too Large", body)
        receipt = receive(
            _read(stream, length),
            identity=self.identity,
            backend=self.backend,
            scanner=self.scanner,
            limits=self.limits,
        )
        if self.on_receipt is not None:
            self.on_receipt(receipt)
        status = {200: "200 OK", 413: "413 Content Too Large"}.get(
            receipt.http_status, "500 Internal Server Error"
        )
        return _reply(start_response, status, receipt.body, receipt.content_type)

    def _drain(self, stream, length):
        # Read and drop, so the client gets the answer instead of a reset connection;
        # memory stays at one chunk whatever the declared length.
        evidence = b""
        remaining = length
        while remaining > 0:
            chunk = stream.read(min(_CHUNK, remaining))
            if not chunk:
                break
            if len(evidence) < _EVIDENCE_BYTES:
                evidence += chunk[: _EVIDENCE_BYTES - len(evidence)]
            remaining -= len(chunk)
        self.backend.store_raw(
            evidence, received_at=datetime.datetime.now(datetime.timezone.utc)
        )


def _read(stream, length):
    parts = []
    remaining = length
    while remaining > 0:
        chunk = stream.read(min(_CHUNK, remaining))
        if not chunk:
            break
        parts.append(chunk)
        remaining -= len(chunk)
    return b"".join(parts)


def _reply(start_response, status, body, content_type=soap.CONTENT_TYPE):
    start_response(
        status, [("Content-Type", content_type), ("Content-Length", str(len(body)))]
    )
    return [body]
