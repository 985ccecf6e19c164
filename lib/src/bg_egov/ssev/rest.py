"""Adapter for the e-Delivery REST API behind the government service bus (reference
README §2.3, §5; ``edelivery_esb_api_0.6.md``).

The bus authenticates us: mutual TLS with the municipality's system certificate on
every request, and a bearer token from the bus's token endpoint
(``POST <token_url>?grant_type=client_credentials&client_id=…&scope=…``, README §2.3);
the bus then adds the ``Dp-Miscinfo`` identity header e-Delivery trusts. Base URL,
token URL, client id, scope and certificate profile come from the bus operator.

What the API does not offer is refused with ``SsevError(code="not_supported")``:
access-code sending (hidden and unimplemented, §5.2). Register numbers cannot be set on
uploaded files (§5.2), so they are listed at the end of the message text. A reply is a
new message to the sender of a message we have already opened (there is no reply
call, §2).
"""

import datetime
import threading
import time
import zoneinfo

import requests

from bg_egov import identifiers
from bg_egov.errors import IdentifierError, TransportError

from .client import (
    SsevClient,
    check_outgoing,
    validate_any_identifier,
    validate_recipient_identifier,
)
from .errors import (
    AuthenticationError,
    InvalidMessageError,
    MalformedResponseError,
    NotRegisteredError,
    ServiceFault,
    SsevError,
)
from .results import (
    Institution,
    Limits,
    ProfileRef,
    ProfileType,
    ReceivedDocument,
    ReceivedMessage,
    ReceivedMessageInfo,
    ReceivedPage,
    RecipientDelivery,
    RegistrationInfo,
    SendResult,
    SentMessageStatus,
)

SOFIA = zoneinfo.ZoneInfo("Europe/Sofia")
# Template 1, the generic message (README §5.2, §5.6).
TEXT_FIELD = "179ea4dc-7879-43ad-8073-72b263915656"
FILES_FIELD = "e2135802-5e34-4c60-b36e-c86d910a571a"
TARGET_GROUPS = {
    ProfileType.PERSON: (1,),
    ProfileType.LEGAL_PERSON: (2,),
    ProfileType.INSTITUTION: (3, 4),
}


class RestClient(SsevClient):
    """The REST API behind :class:`~bg_egov.ssev.client.SsevClient`.

    :param str base_url: the API root given by the bus operator (``…/api/v1`` is
        appended to it).
    :param str token_url: the bus token endpoint; ``None`` when ``token`` is given.
    :param str client_id: our client id at the bus.
    :param str scope: the scope the bus operator assigned.
    :param dict token_headers: extra headers of the token request (``OID``, …).
    :param str token: a fixed bearer token instead of the token endpoint.
    :param tuple client_cert: ``(cert_path, key_path)`` for mutual TLS.
    :param verify: CA bundle path or ``True`` (requests' ``verify``).
    :param float timeout: seconds to wait for each answer.
    :param float connect_timeout: seconds to wait for each connection.
    :param requests.Session session: the HTTP session.
    :param Limits limits: checks before sending.
    """

    def __init__(
        self,
        *,
        base_url,
        token_url=None,
        client_id=None,
        scope=None,
        token_headers=None,
        token=None,
        client_cert=None,
        verify=True,
        timeout=60,
        connect_timeout=10,
        session=None,
        limits=None,
    ):
        if not token and not (token_url and client_id):
            raise ValueError("give either token or token_url and client_id")
        self.base_url = base_url.rstrip("/")
        self.token_url = token_url
        self.client_id = client_id
        self.scope = scope
        self.token_headers = dict(token_headers or {})
        self.limits = limits or Limits()
        self.timeout = (connect_timeout, timeout)
        self.session = session or requests.Session()
        if client_cert:
            self.session.cert = client_cert
        self.session.verify = verify
        self._token = token
        self._token_expires = float("inf") if token else 0.0
        self._lock = threading.Lock()
        self._received_ids = set()

    # -- registration (README §5.1) -------------------------------------------------
    def check_person(self, identifier):
        """See :meth:`SsevClient.check_person`; ``GET /profiles/check`` (§5.1).
        Only an activated, non-passive individual profile counts as registered."""
        digits = identifiers.validate_person(identifier)[1]
        data = self._get("/profiles/check", identifier=digits, offset=0, limit=10)
        rows = [r for r in _list(data) if r.get("identifier") == digits]
        usable = [r for r in rows if r.get("isActivated") and not r.get("isPassive")]
        first = (usable or rows or [None])[0]
        return RegistrationInfo(
            identifier=digits,
            registered=bool(usable),
            name=first and first.get("name"),
            profile_type=ProfileType.PERSON,
            activated=first and first.get("isActivated"),
            passive=first and first.get("isPassive"),
            email=first and first.get("email"),
            phone=first and first.get("phone"),
            subject_id=first and _str(first.get("profileId")),
        )

    def check_legal_entity(self, eik):
        """See :meth:`SsevClient.check_legal_entity`; ``GET /profiles/search`` with
        target group 2 (activated profiles only, §5.1)."""
        digits = identifiers.validate_eik(eik)
        return self._search(digits, ProfileType.LEGAL_PERSON)

    def check_subject(self, identifier):
        """See :meth:`SsevClient.check_subject`: a person check for an ЕГН/ЛНЧ, else a
        search in the groups of administrations (3, 4) and then legal entities."""
        digits = validate_any_identifier(identifier)
        try:
            identifiers.validate_person(digits)
        except IdentifierError:
            pass
        else:
            return self.check_person(digits)
        info = self._search(digits, ProfileType.INSTITUTION)
        if info.registered:
            return info
        return self._search(digits, ProfileType.LEGAL_PERSON)

    def _search(self, digits, profile_type):
        for group in TARGET_GROUPS[profile_type]:
            try:
                row = self._get(
                    "/profiles/search", identifier=digits, targetGroupId=group
                )
            except NotRegisteredError:
                continue
            if not isinstance(row, dict) or "profileId" not in row:
                raise MalformedResponseError("the profile search answer has no profile")
            return RegistrationInfo(
                identifier=digits,
                registered=True,
                name=row.get("name"),
                profile_type=profile_type,
                activated=True,
                email=row.get("email"),
                phone=row.get("phone"),
                subject_id=_str(row.get("profileId")),
            )
        return RegistrationInfo(
            identifier=digits, registered=False, profile_type=profile_type
        )

    def institutions(self):
        """See :meth:`SsevClient.institutions`; ``GET /profiles`` of groups 3 and 4."""
        found = []
        for group in TARGET_GROUPS[ProfileType.INSTITUTION]:
            offset = 0
            while True:
                data = self._get(
                    "/profiles", targetGroupId=group, offset=offset, limit=100
                )
                rows = _list(data)
                found += [
                    Institution(
                        identifier=r.get("identifier"),
                        name=r.get("name"),
                        subject_id=_str(r.get("profileId")),
                        activated=True,
                        email=r.get("email"),
                        phone=r.get("phone"),
                    )
                    for r in rows
                ]
                offset += len(rows)
                if not rows or offset >= int(data.get("length") or 0):
                    break
        return tuple(found)

    # -- sending (README §5.2) ------------------------------------------------------
    def send(self, message, recipient, *, require_registration=True):
        """See :meth:`SsevClient.send`: the recipient's profile is looked up (the API
        takes profile ids, §5.2), files uploaded as temporary blobs, then
        ``POST /messages``. ``require_registration`` is always in force here: the API
        cannot address a profile it does not find."""
        check_outgoing(message, self.limits)
        profile_type = ProfileType(recipient.profile_type)
        digits = validate_recipient_identifier(profile_type, recipient.identifier)
        info = (
            self.check_person(digits)
            if profile_type is ProfileType.PERSON
            else self._search(digits, profile_type)
        )
        if not info.registered or not info.subject_id:
            raise NotRegisteredError(
                f"{digits} has no activated e-Delivery profile of type "
                f"{profile_type.value}; nothing was sent"
            )
        message_id = self._post_message(message, int(info.subject_id))
        return SendResult(message_id=message_id, recipient=digits)

    def send_with_access_code(self, message, recipient):
        """Not offered by the REST API (README §2, §5.2).

        :raises SsevError: always, code ``not_supported``.
        """
        raise SsevError(
            "access-code sending is not available through the REST API; use the "
            "SOAP adapter",
            code="not_supported",
        )

    def reply(self, message, reply_to_message_id):
        """See :meth:`SsevClient.reply`. The API has no reply call: the message goes
        to the sender of ``reply_to_message_id``, which must be in our inbox AND already
        opened — finding its sender needs the open call, and this method never opens a
        message for the first time.

        :raises SsevError: code ``not_opened`` when the message is not opened yet,
            ``not_found`` when it is not in our inbox.
        """
        check_outgoing(message, self.limits)
        row = self._inbox_row(reply_to_message_id)
        if row is None:
            raise SsevError(
                f"message {reply_to_message_id} is not in our inbox", code="not_found"
            )
        if not row.get("dateReceived"):
            raise SsevError(
                f"message {reply_to_message_id} is not opened yet; open it before "
                "replying",
                code="not_opened",
            )
        opened = self._get(f"/messages/{int(reply_to_message_id)}/open")
        sender = (opened or {}).get("sender") or {}
        if not sender.get("profileId"):
            raise MalformedResponseError("the message has no sender profile")
        message_id = self._post_message(message, int(sender["profileId"]))
        return SendResult(message_id=message_id, recipient=None)

    def _post_message(self, message, profile_id):
        blob_ids = [self._upload(document) for document in message.documents]
        text = message.text or ""
        numbers = [
            f"{d.name}: рег. № {d.registration_number}"
            for d in message.documents
            if d.registration_number
        ]
        if numbers:
            # Blobs uploaded through the API get no register number (README §5.2).
            text = (text + "\n\n" if text else "") + "\n".join(numbers)
        fields = {TEXT_FIELD: text}
        if blob_ids:
            fields[FILES_FIELD] = blob_ids
        body = {
            "recipientProfileIds": [profile_id],
            "subject": message.title,
            "rnu": None,
            "templateId": 1,
            "fields": fields,
        }
        result = self._request("POST", "/messages", json=body)
        if isinstance(result, bool) or not isinstance(result, int) or result < 1:
            raise MalformedResponseError(
                f"the service returned no message id ({result!r})"
            )
        return result

    def _upload(self, document):
        data = self._request(
            "POST",
            "/blobs",
            params={"type": "TEMPORARY"},
            files={
                "file": (document.name, document.content, "application/octet-stream")
            },
        )
        if not isinstance(data, dict):
            raise MalformedResponseError("the blob upload answer is not an object")
        if data.get("malwareScanStatus") in ("IsMalicious", 3) or not data.get(
            "blobId"
        ):
            raise InvalidMessageError(
                f"e-Delivery refused file {document.name!r} "
                f"(malware scan: {data.get('malwareScanStatus')}, "
                f"error: {data.get('errorStatus')})",
                service_text=str(
                    data.get("errorStatus") or data.get("malwareScanStatus")
                ),
            )
        return int(data["blobId"])

    # -- tracking (README §5.3) -----------------------------------------------------
    def sent_message_status(self, message_id):
        """See :meth:`SsevClient.sent_message_status`; ``GET /messages/{id}/view``.
        No time-stamp files through this API (README §2)."""
        message_id = _positive(getattr(message_id, "message_id", message_id))
        if message_id in self._received_ids:
            raise SsevError(
                f"message {message_id} was received, not sent", code="received_message"
            )
        data = self._get(f"/messages/{message_id}/view")
        if not isinstance(data, dict):
            raise MalformedResponseError("the view answer is not an object")
        return SentMessageStatus(
            message_id=data.get("messageId") or message_id,
            title=data.get("subject"),
            sent_at=_date(data.get("dateSent")),
            recipients=tuple(
                RecipientDelivery(
                    recipient=ProfileRef(
                        name=r.get("name"), profile_id=r.get("profileId")
                    ),
                    opened_at=_date(r.get("dateReceived")),
                    opened_by=None,
                )
                for r in data.get("recipients") or []
            ),
        )

    # -- receiving (README §5.4) ----------------------------------------------------
    def received_messages(self, *, only_new=True, page=1, page_size=50):
        """See :meth:`SsevClient.received_messages`; ``GET /messages/inbox``. The API
        has no "new only" filter: unopened messages sort first and ``only_new`` drops
        opened rows from the page (README §5.4)."""
        page, page_size = _positive(page), _positive(page_size)
        data = self._get(
            "/messages/inbox", offset=(page - 1) * page_size, limit=page_size
        )
        items = tuple(
            ReceivedMessageInfo(
                message_id=r.get("messageId"),
                title=r.get("subject"),
                sent_at=_date(r.get("dateSent")),
                opened_at=_date(r.get("dateReceived")),
                sender=ProfileRef(name=r.get("senderProfileName")),
                sender_login=ProfileRef(name=r.get("senderLoginName")),
            )
            for r in _list(data)
            if not (only_new and r.get("dateReceived"))
        )
        self._received_ids.update(i.message_id for i in items)
        return ReceivedPage(
            items=items,
            total=int(data.get("length") or 0),
            page=page,
            page_size=page_size,
        )

    def open_received_message(self, message_id):
        """See :meth:`SsevClient.open_received_message`: OPENS the message with
        ``GET /messages/{id}/open`` and downloads its files from their links (valid
        one hour, README §5.4)."""
        message_id = _positive(message_id)
        self._received_ids.add(message_id)
        data = self._get(f"/messages/{message_id}/open")
        if not isinstance(data, dict):
            raise MalformedResponseError("the open answer is not an object")
        fields = data.get("fields") or {}
        documents = []
        for blob in fields.get(FILES_FIELD) or []:
            if not isinstance(blob, dict) or not blob.get("downloadLink"):
                raise MalformedResponseError(
                    "a file of the message has no download link"
                )
            documents.append(
                ReceivedDocument(
                    document_id=blob.get("blobId"),
                    name=blob.get("fileName"),
                    content=self._download(blob["downloadLink"]),
                    registration_number=blob.get("documentRegistrationNumber"),
                )
            )
        sender = data.get("sender") or {}
        login = data.get("recipientLogin") or {}
        return ReceivedMessage(
            message_id=data.get("messageId") or message_id,
            title=data.get("subject"),
            text=fields.get(TEXT_FIELD),
            sent_at=_date(data.get("dateSent")),
            opened_at=_date(data.get("dateReceived")),
            sender=ProfileRef(
                name=sender.get("name"), profile_id=sender.get("profileId")
            ),
            sender_login=None,
            opened_by=ProfileRef(
                name=login.get("name"), profile_id=login.get("loginId")
            ),
            documents=tuple(documents),
        )

    def _inbox_row(self, message_id):
        offset = 0
        while True:
            data = self._get("/messages/inbox", offset=offset, limit=100)
            rows = _list(data)
            for row in rows:
                if row.get("messageId") == message_id:
                    return row
            offset += len(rows)
            if not rows or offset >= int(data.get("length") or 0):
                return None

    # -- plumbing -------------------------------------------------------------------
    def _bearer(self):
        with self._lock:
            if self._token and time.monotonic() < self._token_expires:
                return self._token
            params = {"grant_type": "client_credentials", "client_id": self.client_id}
            if self.scope:
                params["scope"] = self.scope
            response = self._send(
                "POST", self.token_url, params=params, headers=self.token_headers
            )
            if response.status_code in (400, 401, 403):
                raise AuthenticationError(
                    "the service bus refused the token request "
                    f"(HTTP {response.status_code})",
                    service_text=response.text[:2000],
                )
            data = _json(response)
            if not isinstance(data, dict) or not data.get("access_token"):
                raise MalformedResponseError("the token answer has no access_token")
            self._token = data["access_token"]
            # Renew a little early so that a call never leaves with a dying token.
            lifetime = max(float(data.get("expires_in") or 60) - 30, 1)
            self._token_expires = time.monotonic() + lifetime
            return self._token

    def _get(self, path, **params):
        return self._request("GET", path, params=params)

    def _request(self, method, path, **kwargs):
        headers = {
            "Accept": "application/json",
            "Authorization": f"Bearer {self._bearer()}",
        }
        response = self._send(
            method, f"{self.base_url}/api/v1{path}", headers=headers, **kwargs
        )
        status = response.status_code
        if status == 200:
            return _json(response)
        text = response.text[:2000]
        if status == 401:
            with self._lock:
                self._token_expires = 0.0  # ask for a fresh token next time
            raise AuthenticationError(
                "e-Delivery refused our identity (HTTP 401)", service_text=text
            )
        if status == 403:
            raise AuthenticationError(
                f"e-Delivery does not allow this to our profile (HTTP 403): {text}",
                service_text=text,
            )
        if status == 404:
            raise NotRegisteredError(
                f"e-Delivery found nothing (HTTP 404): {text}", service_text=text
            )
        if status == 400:
            raise InvalidMessageError(
                f"e-Delivery refused the request (HTTP 400): {text}", service_text=text
            )
        if status >= 500:
            raise TransportError(
                f"e-Delivery answered HTTP {status}", retryable=True, code="http_error"
            )
        raise ServiceFault(
            f"e-Delivery answered HTTP {status}: {text}", service_text=text
        )

    def _send(self, method, url, **kwargs):
        try:
            return self.session.request(method, url, timeout=self.timeout, **kwargs)
        except requests.exceptions.ConnectTimeout:
            raise TransportError(
                f"{url} did not accept the connection in time",
                retryable=True,
                timeout=False,
                code="connect_timeout",
            ) from None
        except requests.exceptions.Timeout:
            raise TransportError(
                f"no answer within {self.timeout[1]} s; the request may have been "
                "processed",
                retryable=True,
                timeout=True,
                code="timeout",
            ) from None
        except requests.exceptions.SSLError as exc:
            raise AuthenticationError(f"TLS with {url} failed: {exc}") from None
        except requests.exceptions.RequestException as exc:
            raise TransportError(
                f"{url} cannot be reached: {exc.__class__.__name__}",
                retryable=True,
                timeout=False,
                code="unreachable",
            ) from None

    def _download(self, url):
        # The link carries its own token and needs no other authentication (§5.4).
        response = self._send("GET", url)
        if response.status_code != 200:
            raise ServiceFault(
                f"the file download answered HTTP {response.status_code}",
                service_text=response.text[:2000],
            )
        return response.content


def _json(response):
    try:
        return response.json()
    except ValueError:
        raise MalformedResponseError(
            "e-Delivery answered something that is not JSON"
        ) from None


def _list(data):
    if not isinstance(data, dict) or not isinstance(data.get("result"), list):
        raise MalformedResponseError("the list answer has no result array")
    return [r for r in data["result"] if isinstance(r, dict)]


def _date(value):
    """ISO dates with or without an offset; without one they are Sofia time (§12)."""
    if not value:
        return None
    try:
        moment = datetime.datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError:
        raise MalformedResponseError(f"not a date: {value!r}") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=SOFIA)


def _str(value):
    return None if value is None else str(value)


def _positive(value):
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ValueError(f"a positive integer is expected, not {value!r}")
    return value
