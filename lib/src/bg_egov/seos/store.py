"""Ready-made :class:`~bg_egov.seos.receive.Backend` implementations.

:class:`MemoryBackend` keeps everything in dictionaries (tests, the benchmark);
:class:`FolderBackend` adds files: every raw request in a folder and the state in a
JSON file, which is what the sandbox node uses. The Odoo addon writes its own backend on
its models; these two show the contract at work.
"""

import dataclasses
import datetime
import json
import pathlib
import threading
import uuid

from . import messages as m
from .codes import DocumentStatus
from .receive import Backend, DocumentState, StoredAnswer


class MemoryBackend(Backend):
    """A backend in memory.

    :param participants: the register copy, an iterable of
        :class:`~bg_egov.seos.receive.Participant`.

    ``documents`` maps ``(sender GUID, document GUID)`` to a :class:`DocumentState`;
    ``sent`` maps document GUIDs of documents we sent to the list of status responses
    received about them; ``errors`` lists received error reports; ``raw`` the stored
    requests.
    """

    def __init__(self, participants=()):
        self.participants = {p.guid: p for p in participants}
        self.raw = []
        self.answers = {}
        self.documents = {}
        self.incoming = {}
        self.sent = {}
        self.errors = []
        self._lock = threading.Lock()

    def store_raw(self, data, *, received_at):
        """Append ``data`` to :attr:`raw`; returns its index."""
        with self._lock:
            self.raw.append(data)
            return len(self.raw) - 1

    def participant(self, guid):
        """Look ``guid`` up in the register copy."""
        return self.participants.get(guid)

    def answered(self, message_guid):
        """The stored answer for ``message_guid``, if any."""
        return self.answers.get(message_guid)

    def remember_answer(self, message_guid, answer):
        """Keep ``answer`` for ``message_guid``."""
        self.answers[message_guid] = answer

    def incoming_document(self, sender_guid, document_guid):
        """The state of a document received from ``sender_guid``."""
        return self.documents.get((sender_guid, document_guid))

    def accept_document(self, message, raw_ref, signature):
        """Record the document as waiting for registration."""
        key = (message.header.sender.guid, message.body.document.id.guid)
        state = DocumentState(
            m.DocumentId(message.body.document.id.guid),
            DocumentStatus.WAIT_REGISTRATION,
        )
        with self._lock:
            self.documents[key] = state
            self.incoming[key] = (message, raw_ref)
        return state

    def set_state(self, sender_guid, document_guid, state):
        """Change the state of a received document (registration, rejection)."""
        self.documents[(sender_guid, document_guid)] = state

    def status_for(self, requester_guid, document_guid):
        """The state of a document ``requester_guid`` sent us."""
        return self.documents.get((requester_guid, document_guid))

    def expect(self, document_guid):
        """Declare a document we sent, so status responses about it are accepted."""
        self.sent.setdefault(m.normalize_guid(document_guid), [])

    def apply_status(self, message):
        """Append the response to :attr:`sent` when the document is ours."""
        guid = message.body.doc_id.guid
        if guid not in self.sent:
            return False
        self.sent[guid].append(message.body)
        return True

    def apply_error(self, message):
        """Append the error to :attr:`errors`."""
        self.errors.append(message.body)


class FolderBackend(MemoryBackend):
    """A :class:`MemoryBackend` that writes every raw request to ``folder/inbox`` and
    keeps documents and answers in ``folder/state.json`` across restarts.
    """

    def __init__(self, folder, participants=(), **kwargs):
        super().__init__(participants, **kwargs)
        self.folder = pathlib.Path(folder)
        self.inbox = self.folder / "inbox"
        self.inbox.mkdir(parents=True, exist_ok=True)
        self._state_file = self.folder / "state.json"
        self._load()

    def store_raw(self, data, *, received_at):
        """Write ``data`` to a new file in ``inbox``; returns its path."""
        stamp = received_at.strftime("%Y%m%dT%H%M%S.%f")
        path = self.inbox / f"{stamp}-{uuid.uuid4().hex[:8]}.xml"
        path.write_bytes(data)
        return str(path)

    def remember_answer(self, message_guid, answer):
        """Keep ``answer`` and save the state."""
        super().remember_answer(message_guid, answer)
        self._save()

    def accept_document(self, message, raw_ref, signature):
        """Record the document (its evidence is the request file ``raw_ref``)."""
        state = super().accept_document(message, raw_ref, signature)
        self._save()
        return state

    def set_state(self, sender_guid, document_guid, state):
        """Change a document's state and save it."""
        super().set_state(sender_guid, document_guid, state)
        self._save()

    def apply_status(self, message):
        """Record the status response and save it."""
        known = super().apply_status(message)
        self._save()
        return known

    def expect(self, document_guid):
        """Declare a document we sent and save it."""
        super().expect(document_guid)
        self._save()

    def _save(self):
        with self._lock:
            data = {
                "answers": {
                    k: {**dataclasses.asdict(v), "answer": v.answer.decode("utf-8")}
                    for k, v in self.answers.items()
                },
                "documents": [
                    {
                        "sender": s,
                        "document": d,
                        "status": st.status.value,
                        "number": st.doc_id.number.number if st.doc_id.number else None,
                        "date": st.doc_id.number.date.isoformat()
                        if st.doc_id.number
                        else None,
                        "rejection_reason": st.rejection_reason,
                    }
                    for (s, d), st in self.documents.items()
                ],
                "sent": {
                    guid: [r.status.value for r in responses]
                    for guid, responses in self.sent.items()
                },
            }
            tmp = self._state_file.with_suffix(".tmp")
            tmp.write_text(json.dumps(data, ensure_ascii=False, indent=1), "utf-8")
            tmp.replace(self._state_file)

    def _load(self):
        if not self._state_file.is_file():
            return
        data = json.loads(self._state_file.read_text("utf-8"))
        for guid, item in data.get("answers", {}).items():
            self.answers[guid] = StoredAnswer(
                item["fingerprint"],
                item["sender_guid"],
                item["document_guid"],
                item["answer"].encode("utf-8"),
            )
        for item in data.get("documents", []):
            number = None
            if item.get("number"):
                number = m.DocumentNumber(
                    item["number"], datetime.date.fromisoformat(item["date"])
                )
            self.documents[(item["sender"], item["document"])] = DocumentState(
                m.DocumentId(item["document"], number=number),
                DocumentStatus(item["status"]),
                rejection_reason=item.get("rejection_reason"),
            )
        for guid in data.get("sent", {}):
            self.sent.setdefault(guid, [])
