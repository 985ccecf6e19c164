"""A complete SEOS participant on localhost, for tests, demos and integrators.

Run ``bg-egov-seos-node`` (or ``python -m bg_egov.seos.node``)::

    bg-egov-seos-node --identity ./ministry --directory ./participants.json \\
        --storage ./ministry-data --behaviour register --register-after 2

* ``--identity`` folder: ``key.pem``, ``cert.pem`` and ``identity.json``
  (``{"guid": "{…}", "eik": "…", "name": "…"}``);
* ``--directory`` file: JSON list of participants, each ``guid``, ``eik``, ``name``,
  ``endpoint``, ``certificate_pem``, ``status`` (``Active`` …) and optionally
  ``signature_algorithm``; re-read whenever it changes, so endpoints may be filled in
  after the nodes have started;
* ``--storage`` folder: every raw request in ``inbox/``, accepted documents and
  ``state.json``;
* ``--behaviour``: ``accept`` (answer ``DS_WAIT_REGISTRATION`` and stop there),
  ``register`` (then, after ``--register-after`` seconds, send ``DS_REGISTERED`` with a
  number to the sender's endpoint), ``reject`` (send ``DS_REJECTED`` with
  ``--reject-reason``), ``timeout`` (never answer within any sane timeout),
  ``garbage`` (answer bytes that are not SOAP), ``down`` (HTTP 503 to everything).

It prints ``SEOS node ready: <endpoint URL>`` when it accepts connections and stops
cleanly on SIGTERM or SIGINT. Besides ``POST /seos`` (``Submit``) it serves two local
sandbox routes: ``POST /admin/send`` (JSON: make this node send a registration or status
request) and ``GET /admin/state`` (JSON: received documents and statuses received about
sent documents).
"""

import argparse
import base64
import datetime
import itertools
import json
import pathlib
import signal
import socketserver
import sys
import threading
from wsgiref import simple_server

from cryptography import x509

from bg_egov.errors import BgEgovError, TransportError
from bg_egov.malware import ClamdScanner

from . import messages as m
from . import xml as seos_xml
from .client import SubmitClient
from .codes import DocumentStatus, ParticipantStatus
from .receive import DocumentState, Identity, Limits, Participant
from .store import FolderBackend
from .wsgi import SubmitApplication

BEHAVIOURS = ("accept", "register", "reject", "timeout", "garbage", "down")


def load_identity(folder):
    """Read an identity folder (``key.pem``, ``cert.pem``, ``identity.json``).

    :returns: :class:`~bg_egov.seos.receive.Identity`.
    :raises OSError, ValueError, KeyError: a file is missing or malformed.
    """
    folder = pathlib.Path(folder)
    data = json.loads((folder / "identity.json").read_text("utf-8"))
    return Identity(
        entity=m.Entity(data["eik"], data["name"], data["guid"]),
        key_pem=(folder / "key.pem").read_bytes(),
        cert_pem=(folder / "cert.pem").read_bytes(),
        signature_algorithm=data.get("signature_algorithm", "rsa-sha256"),
    )


def participant_from_json(item):
    """Turn one directory entry (see the module docstring) into a
    :class:`~bg_egov.seos.receive.Participant`.
    """
    serial = None
    if item.get("certificate_pem"):
        cert = x509.load_pem_x509_certificate(item["certificate_pem"].encode())
        serial = cert.serial_number
    elif item.get("certificate_sn"):
        serial = int(item["certificate_sn"].replace(":", "").replace(" ", ""), 16)
    return Participant(
        guid=item["guid"],
        identifier=item["eik"],
        name=item["name"],
        status=ParticipantStatus(item.get("status", "Active")),
        endpoint=item.get("endpoint"),
        certificate_serial=serial,
        signature_algorithm=item.get("signature_algorithm", "rsa-sha256"),
    )


class Directory:
    """The participants file, re-read when its modification time changes."""

    def __init__(self, path):
        self.path = pathlib.Path(path)
        self._stamp = None
        self._entries = {}
        self._raw = []
        self._lock = threading.Lock()

    def _refresh(self):
        stamp = self.path.stat().st_mtime_ns if self.path.exists() else None
        with self._lock:
            if stamp != self._stamp:
                raw = json.loads(self.path.read_text("utf-8")) if stamp else []
                self._raw = raw
                self._entries = {
                    p.guid: p for p in (participant_from_json(i) for i in raw)
                }
                self._stamp = stamp
            return self._entries

    def get(self, guid):
        """The participant with this GUID, or ``None``."""
        return self._refresh().get(m.normalize_guid(guid))

    def all(self):
        """Every participant."""
        return list(self._refresh().values())

    def raw_entries(self):
        """The file's entries as JSON objects (for the sandbox register)."""
        self._refresh()
        return list(self._raw)


class NodeBackend(FolderBackend):
    """A folder backend whose register copy is the directory file."""

    def __init__(self, folder, directory):
        super().__init__(folder)
        self.directory = directory

    def participant(self, guid):
        """Look ``guid`` up in the directory file (re-read when it changed)."""
        return self.directory.get(guid)


class Node:
    """The sandbox participant: Submit endpoint, behaviour, outgoing messages."""

    def __init__(self, args):
        self.identity = load_identity(args.identity)
        self.directory = Directory(args.directory)
        self.backend = NodeBackend(args.storage, self.directory)
        self.behaviour = args.behaviour
        self.register_after = args.register_after
        self.reject_reason = args.reject_reason
        self.number_prefix = args.number_prefix
        self._numbers = itertools.count(1)
        self.stopping = threading.Event()
        scanner = None
        if args.clamd_socket:
            scanner = ClamdScanner(unix_socket=args.clamd_socket, timeout=args.timeout)
        self.client = SubmitClient(timeout=args.timeout, connect_timeout=5)
        self.app = SubmitApplication(
            self.identity,
            self.backend,
            scanner=scanner,
            limits=Limits(max_request_bytes=args.max_request_bytes),
            on_receipt=self._after_receipt,
        )

    # --- WSGI ---

    def __call__(self, environ, start_response):
        path = environ.get("PATH_INFO", "")
        if path == "/admin/send":
            return self._admin_send(environ, start_response)
        if path == "/admin/state":
            return _json(start_response, self._state())
        if self.behaviour == "down":
            start_response("503 Service Unavailable", [("Content-Type", "text/plain")])
            return [b"down"]
        if self.behaviour == "timeout":
            # Hold the request until the node stops: the sender's timeout fires.
            self.stopping.wait(3600)
            start_response("503 Service Unavailable", [("Content-Type", "text/plain")])
            return [b""]
        if self.behaviour == "garbage":
            start_response("200 OK", [("Content-Type", "text/xml; charset=utf-8")])
            return [b"\x00\x01 this is not SOAP <<<"]
        return self.app(environ, start_response)

    # --- behaviour after an accepted registration ---

    def _after_receipt(self, receipt):
        if receipt.outcome != "accepted":
            return
        if self.behaviour not in ("register", "reject"):
            return
        delay = self.register_after if self.behaviour == "register" else 0.0
        timer = threading.Timer(delay, self._decide, args=(receipt.message,))
        timer.daemon = True
        timer.start()

    def _decide(self, message):
        sender = message.header.sender
        doc_guid = message.body.document.id.guid
        if self.behaviour == "register":
            number = m.DocumentNumber(
                f"{self.number_prefix}-{next(self._numbers)}",
                datetime.date.today(),
            )
            state = DocumentState(
                m.DocumentId(doc_guid, number=number), DocumentStatus.REGISTERED
            )
        else:
            state = DocumentState(
                m.DocumentId(doc_guid),
                DocumentStatus.REJECTED,
                rejection_reason=self.reject_reason,
            )
        self.backend.set_state(sender.guid, doc_guid, state)
        peer = self.directory.get(sender.guid)
        if peer is None or not peer.endpoint:
            return
        notification = m.Message.new(
            self.identity.entity, peer.entity, state.response()
        )
        try:
            self.client.submit(peer.endpoint, self._sign(notification, peer))
        except BgEgovError as exc:
            print(f"notification to {peer.endpoint} failed: {exc}", file=sys.stderr)

    def _sign(self, message, peer):
        return seos_xml.sign(
            message,
            self.identity.key_pem,
            self.identity.cert_pem,
            algorithm=peer.signature_algorithm,
        )

    # --- admin routes ---

    def _admin_send(self, environ, start_response):
        length = int(environ.get("CONTENT_LENGTH") or 0)
        request = json.loads(environ["wsgi.input"].read(length) or b"{}")
        try:
            return _json(start_response, self._send(request))
        except (KeyError, ValueError) as exc:
            return _json(start_response, {"ok": False, "error": f"bad request: {exc}"})

    def _send(self, request):
        peer = self.directory.get(request["to"])
        if peer is None or not peer.endpoint:
            return {"ok": False, "error": "unknown recipient"}
        if request.get("type", "registration") == "registration":
            body = self._registration(request)
            self.backend.expect(body.document.id.guid)
            doc_guid = body.document.id.guid
        else:
            doc_guid = m.normalize_guid(request["document_guid"])
            body = m.StatusRequest(m.DocumentId(doc_guid))
        message = m.Message.new(self.identity.entity, peer.entity, body)
        try:
            result = self.client.submit(peer.endpoint, self._sign(message, peer))
        except TransportError as exc:
            return {
                "ok": False,
                "error": exc.code,
                "timeout": exc.timeout,
                "retryable": exc.retryable,
                "text": str(exc),
            }
        except BgEgovError as exc:
            return {"ok": False, "error": exc.code, "text": str(exc)}
        return {
            "ok": True,
            "message_guid": message.header.message_guid,
            "document_guid": doc_guid,
            "answer": _describe(result.message),
        }

    @staticmethod
    def _registration(request):
        doc = request.get("document", {})
        attachments = tuple(
            m.Attachment(
                a["name"], base64.b64decode(a["base64"]), a.get("mime", "text/plain")
            )
            for a in doc.get("attachments", [])
        )
        number = None
        if doc.get("number"):
            number = m.DocumentNumber(
                doc["number"], datetime.date.fromisoformat(doc["date"])
            )
        document = m.Document(
            id=m.DocumentId(doc.get("guid") or m.new_guid(), number=number),
            kind=doc.get("kind", "Писмо"),
            attachments=attachments,
            about=doc.get("about"),
        )
        return m.RegistrationRequest(document, request.get("comment", ""))

    def _state(self):
        return {
            "received": [
                {
                    "sender": sender,
                    "document_guid": doc,
                    "status": state.status.value,
                    "number": state.doc_id.number.number
                    if state.doc_id.number
                    else None,
                }
                for (sender, doc), state in self.backend.documents.items()
            ],
            "sent": {
                guid: [_describe_body(r) for r in responses]
                for guid, responses in self.backend.sent.items()
            },
            "errors": [e.description for e in self.backend.errors],
            "raw_count": len(list(self.backend.inbox.iterdir())),
        }


def _describe_body(body):
    if isinstance(body, m.StatusResponse):
        return {
            "type": "status",
            "status": body.status.value,
            "number": body.doc_id.number.number if body.doc_id.number else None,
            "rejection_reason": body.rejection_reason,
        }
    if isinstance(body, m.ErrorReport):
        return {"type": "error", "kind": body.kind.value, "text": body.description}
    return {"type": type(body).__name__}


def _describe(message):
    if message is None:
        return None
    return _describe_body(message.body)


def _json(start_response, data):
    body = json.dumps(data, ensure_ascii=False).encode("utf-8")
    start_response(
        "200 OK",
        [("Content-Type", "application/json"), ("Content-Length", str(len(body)))],
    )
    return [body]


class _Server(socketserver.ThreadingMixIn, simple_server.WSGIServer):
    daemon_threads = True
    allow_reuse_address = True


class _QuietHandler(simple_server.WSGIRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - the base class's name
        pass


def serve(app, host, port, *, banner, path="", on_stop=None):
    """Serve ``app`` until SIGTERM/SIGINT, printing ``banner`` with the URL when ready.

    :param app: a WSGI application.
    :param str host: address to bind (``127.0.0.1``).
    :param int port: port, ``0`` for any free one.
    :param str banner: printed as ``<banner>: http://host:port<path>``.
    :param on_stop: called when a stop signal arrives, before the server shuts down.
    """
    server = simple_server.make_server(
        host, port, app, server_class=_Server, handler_class=_QuietHandler
    )

    def stop(_signum, _frame):
        if on_stop is not None:
            on_stop()
        threading.Thread(target=server.shutdown, daemon=True).start()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    actual_host, actual_port = server.server_address[:2]
    print(f"{banner}: http://{actual_host}:{actual_port}{path}", flush=True)
    try:
        server.serve_forever(poll_interval=0.2)
    finally:
        server.server_close()


def build_parser():
    """The command line of ``bg-egov-seos-node`` (see the module docstring)."""
    parser = argparse.ArgumentParser(
        prog="bg-egov-seos-node", description="Run a sandbox SEOS participant."
    )
    parser.add_argument("--identity", required=True, help="identity folder")
    parser.add_argument("--directory", required=True, help="participants JSON file")
    parser.add_argument("--storage", required=True, help="folder for received data")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--behaviour", choices=BEHAVIOURS, default="accept")
    parser.add_argument("--register-after", type=float, default=1.0)
    parser.add_argument("--number-prefix", default="ВХ")
    parser.add_argument("--reject-reason", default="Документът не е за нас")
    parser.add_argument("--clamd-socket", help="clamd Unix socket for scanning")
    parser.add_argument("--timeout", type=float, default=30.0, help="client timeout")
    parser.add_argument(
        "--max-request-bytes", type=int, default=Limits().max_request_bytes
    )
    return parser


def main(argv=None):
    """Entry point of ``bg-egov-seos-node``; returns the exit status."""
    args = build_parser().parse_args(argv)
    node = Node(args)
    serve(
        node,
        args.host,
        args.port,
        banner="SEOS node ready",
        path="/seos",
        on_stop=node.stopping.set,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
