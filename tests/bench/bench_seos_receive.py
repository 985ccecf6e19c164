"""Benchmark: receiving a signed SEOS message with a 10 MB attachment.

Compares :func:`bg_egov.seos.receive.receive` (SOAP envelope, safe parse, schema,
checks, signature, base64 decoding, storing the raw request and the document in a
folder) with the bare cost of lxml parsing, schema validation and xmlsec verification
of the same message bytes, measured in the same run. Target (issue 7): ratio within
1.5x, peak memory under 4x the message size. Prints both figures; asserts nothing.

    ~/.cache/municipal-egov/venv-*/bin/python tests/bench/bench_seos_receive.py
"""

import datetime
import gc
import json
import os
import pathlib
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = pathlib.Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "lib" / "src"))

import xmlsec  # noqa: E402
from bg_egov import safexml  # noqa: E402
from bg_egov.seos import messages as m  # noqa: E402
from bg_egov.seos import soap  # noqa: E402
from bg_egov.seos import xml as seos_xml  # noqa: E402
from bg_egov.seos.receive import Identity, Participant, receive  # noqa: E402
from bg_egov.seos.store import FolderBackend  # noqa: E402
from cryptography import x509  # noqa: E402
from cryptography.hazmat.primitives import hashes, serialization  # noqa: E402
from cryptography.hazmat.primitives.asymmetric import rsa  # noqa: E402
from cryptography.x509.oid import NameOID  # noqa: E402
from lxml import etree  # noqa: E402

RUNS = 9
ATTACHMENT_BYTES = 10 * 1024 * 1024


def _certificate(name, serial):
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
    now = datetime.datetime.now(datetime.timezone.utc)
    cert = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(serial)
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=30))
        .sign(key, hashes.SHA256())
    )
    return (
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.TraditionalOpenSSL,
            serialization.NoEncryption(),
        ),
        cert.public_bytes(serialization.Encoding.PEM),
    )


def _proc_kb(field):
    for line in pathlib.Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    return 0


def _reset_peak():
    # Linux resets VmHWM to the current RSS when "5" is written to clear_refs.
    try:
        pathlib.Path("/proc/self/clear_refs").write_text("5")
        return True
    except OSError:
        return False


REFERENCE = ROOT.parent / "shared" / "reference" / "seos"
_OFFICIAL_FILES = {
    "http://schemas.egov.bg/messaging/v1": "EGovMessaging.xsd",
    "http://www.w3.org/2000/09/xmldsig#": "xmldsig-core-schema.xsd",
    "http://ereg.egov.bg/segment/0009-000001": "0009-000001_DocumentURI.xsd",
    "http://ereg.egov.bg/value/0008-000001": "0008-000001_BatchNumber.xsd",
    "http://ereg.egov.bg/value/0008-000002": "0008-000002_RegisterIndex.xsd",
    "http://ereg.egov.bg/value/0008-000003": "0008-000003_DocumentSequenceNumber.xsd",
    "http://ereg.egov.bg/value/0008-000004": (
        "0008-000004_DocumentReceiptOrSigningDate.xsd"
    ),
}


def _baseline_schema():
    """The official schema when the reference folder is beside the repository: the
    bare cost of "schema validation" is the protocol's schema, base64 check included.
    """
    if not (REFERENCE / "EGovMessaging.xsd").is_file():
        return seos_xml.schema(), "own schema (official one not found)"
    imports = "".join(
        f'<xsd:import namespace="{ns}" schemaLocation="{name}"/>'
        for ns, name in _OFFICIAL_FILES.items()
    )
    wrapper = (
        '<xsd:schema xmlns:xsd="http://www.w3.org/2001/XMLSchema" '
        f'targetNamespace="urn:bench:wrapper">{imports}</xsd:schema>'
    )
    doc = etree.fromstring(
        wrapper.encode(),
        parser=etree.XMLParser(no_network=True),
        base_url=(REFERENCE / "wrapper.xsd").as_uri(),
    )
    return etree.XMLSchema(doc), "official EGovMessaging.xsd"


def main():
    sender_key, sender_cert = _certificate("Община", 0xA1)
    our_key, our_cert = _certificate("Министерство", 0xB2)
    sender = m.Entity("000056789", "Община Тестово", m.new_guid())
    us = m.Entity("121212121", "Министерство", m.new_guid())
    identity = Identity(us, our_key, our_cert)
    participants = [
        Participant(
            sender.guid, sender.identifier, sender.name, certificate_serial=0xA1
        )
    ]
    attachment = os.urandom(ATTACHMENT_BYTES)

    def request():
        document = m.Document(
            id=m.DocumentId(m.new_guid()),
            kind="Писмо",
            attachments=(m.Attachment("голям.pdf", attachment, "application/pdf"),),
        )
        message = m.Message.new(sender, us, m.RegistrationRequest(document, ""))
        data = seos_xml.sign(message, sender_key, sender_cert)
        return data, soap.submit_request(data)

    inputs = [request() for _ in range(RUNS)]
    message_size = len(inputs[0][0])
    schema, schema_name = _baseline_schema()

    def bare(data):
        root = etree.fromstring(data, parser=safexml.make_parser(huge_tree=True))
        assert schema.validate(root)
        signature = root.find("{http://www.w3.org/2000/09/xmldsig#}Signature")
        cert = signature.findtext(
            ".//{http://www.w3.org/2000/09/xmldsig#}X509Certificate"
        )
        pem = (
            "-----BEGIN CERTIFICATE-----\n"
            + "".join(cert.split())
            + "\n-----END CERTIFICATE-----\n"
        ).encode()
        ctx = xmlsec.SignatureContext()
        ctx.key = xmlsec.Key.from_memory(pem, xmlsec.KeyFormat.CERT_PEM, None)
        ctx.verify(signature)

    bare_times, ours_times = [], []
    with tempfile.TemporaryDirectory() as folder:
        for index, (data, soap_request) in enumerate(inputs):
            gc.collect()
            started = time.perf_counter()
            bare(data)
            bare_times.append(time.perf_counter() - started)
            backend = FolderBackend(pathlib.Path(folder) / str(index), participants)
            gc.collect()
            started = time.perf_counter()
            receipt = receive(soap_request, identity=identity, backend=backend)
            ours_times.append(time.perf_counter() - started)
            assert receipt.outcome == "accepted", receipt
        # Peak memory in a fresh process that only reads the request from a file:
        # here, memory freed by the earlier runs stays in the heap and hides the
        # peak.
        data, soap_request = request()
        request_file = pathlib.Path(folder) / "request.xml"
        request_file.write_bytes(soap_request)
        keys = pathlib.Path(folder) / "keys.json"
        keys.write_text(
            json.dumps(
                {
                    "our_key": our_key.decode(),
                    "our_cert": our_cert.decode(),
                    "sender": [sender.identifier, sender.name, sender.guid],
                    "us": [us.identifier, us.name, us.guid],
                }
            )
        )
        child = subprocess.run(
            [sys.executable, __file__, "--memory", str(request_file), str(keys)],
            capture_output=True,
            text=True,
            check=True,
        )
        peak = int(child.stdout.split()[-1])
        measured = peak >= 0

    bare_median = statistics.median(bare_times)
    ours_median = statistics.median(ours_times)
    ratio = ours_median / bare_median
    memory_ratio = peak * 1024 / message_size
    lines = [
        f"message size: {message_size / 2**20:.1f} MiB "
        f"(attachment {ATTACHMENT_BYTES / 2**20:.0f} MiB), {RUNS} runs, medians",
        f"bare lxml parse + schema ({schema_name}) + xmlsec verify: "
        f"{bare_median * 1000:.0f} ms",
        f"bg_egov receive (SOAP, checks, decode, store): {ours_median * 1000:.0f} ms",
        f"time ratio: {ratio:.2f}x (target <= 1.5x)",
        (
            f"peak memory of receive: {peak / 1024:.0f} MiB = "
            f"{memory_ratio:.2f}x the message size (target < 4x)"
            if measured
            else "peak memory: not measurable here (/proc/self/clear_refs refused)"
        ),
    ]
    print("\n".join(lines))
    results = pathlib.Path(__file__).parent / "results"
    results.mkdir(exist_ok=True)
    (results / "bench_seos_receive.txt").write_text("\n".join(lines) + "\n")


def memory_child(request_file, keys_file):
    """Receive one request in this fresh process; print the peak resident memory
    above the level just before the call, in KiB (-1 when it cannot be measured).
    """
    keys = json.loads(pathlib.Path(keys_file).read_text())
    sender = m.Entity(*keys["sender"])
    us = m.Entity(*keys["us"])
    identity = Identity(us, keys["our_key"].encode(), keys["our_cert"].encode())
    participants = [
        Participant(
            sender.guid, sender.identifier, sender.name, certificate_serial=0xA1
        )
    ]
    soap_request = pathlib.Path(request_file).read_bytes()
    seos_xml.schema()  # compiled once per process, not part of a receive
    with tempfile.TemporaryDirectory() as folder:
        backend = FolderBackend(folder, participants)
        if not _reset_peak():
            print(-1)
            return
        before = _proc_kb("VmRSS")
        receipt = receive(soap_request, identity=identity, backend=backend)
        peak = _proc_kb("VmHWM") - before
    assert receipt.outcome == "accepted", receipt
    print(peak)


if __name__ == "__main__":
    if sys.argv[1:2] == ["--memory"]:
        memory_child(*sys.argv[2:4])
    else:
        main()
