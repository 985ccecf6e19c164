"""Sandbox time stamps shaped like RFC 3161 responses — NOT real time stamps.

e-Delivery stores whole DER ``TimeStampResp`` structures from a TSA (reference README
§7). The sandbox has no TSA, so it writes a DER ``TimeStampResp`` whose status is
``granted`` with the free text :data:`SANDBOX_TEXT` and, in place of a signed CMS token,
the unsigned ``TSTInfo`` (RFC 3161 §2.4.2) under a sandbox policy OID. Anyone who tries
to verify it finds no signature; anyone who reads it finds the word SANDBOX.
"""

import datetime
import hashlib
import os

SANDBOX_TEXT = "bg_egov SANDBOX time stamp - no legal value, not signed by any TSA"
# A private-use arc (2.25 = UUID-based OIDs, ITU-T X.667) for the sandbox policy.
SANDBOX_POLICY = "2.25.329800735698586629295641978511506172918"
SHA256_OID = "2.16.840.1.101.3.4.2.1"


def sandbox_stamp(data, *, now=None):
    """Return a DER sandbox ``TimeStampResp`` over SHA-256 of ``data``.

    :param bytes data: the stamped bytes (a file, or the summary XML).
    :param datetime now: the stamp time (UTC); default now.
    :returns: bytes.
    """
    now = now or datetime.datetime.now(datetime.timezone.utc)
    digest = hashlib.sha256(data).digest()
    tst_info = _seq(
        _int(1),
        _oid(SANDBOX_POLICY),
        _seq(_seq(_oid(SHA256_OID), b"\x05\x00"), _tlv(0x04, digest)),
        _int(int.from_bytes(os.urandom(8), "big")),
        _tlv(
            0x18,
            now.astimezone(datetime.timezone.utc).strftime("%Y%m%d%H%M%SZ").encode(),
        ),
    )
    status = _seq(_int(0), _seq(_tlv(0x0C, SANDBOX_TEXT.encode())))
    return _seq(status, tst_info)


def stamped_digest(stamp):
    """Return the SHA-256 imprint carried by a sandbox stamp (for tests and demos).

    :raises ValueError: not a sandbox stamp.
    """
    marker = _seq(_oid(SHA256_OID), b"\x05\x00") + b"\x04\x20"
    index = stamp.find(marker)
    if index < 0 or SANDBOX_TEXT.encode() not in stamp:
        raise ValueError("not a sandbox time stamp")
    start = index + len(marker)
    return stamp[start : start + 32]


def _tlv(tag, value):
    length = len(value)
    if length < 0x80:
        encoded = bytes([length])
    else:
        raw = length.to_bytes((length.bit_length() + 7) // 8, "big")
        encoded = bytes([0x80 | len(raw)]) + raw
    return bytes([tag]) + encoded + value


def _seq(*items):
    return _tlv(0x30, b"".join(items))


def _int(value):
    raw = value.to_bytes(max(1, (value.bit_length() + 8) // 8), "big", signed=True)
    return _tlv(0x02, raw)


def _oid(dotted):
    arcs = [int(a) for a in dotted.split(".")]
    body = [40 * arcs[0] + arcs[1]] + arcs[2:]
    out = bytearray()
    for arc in body:
        chunk = [arc & 0x7F]
        arc >>= 7
        while arc:
            chunk.append(0x80 | (arc & 0x7F))
            arc >>= 7
        out += bytes(reversed(chunk))
    return _tlv(0x06, bytes(out))
