"""Sandbox SEOS nodes started as real processes, for the tier-2 suites."""

import datetime
import json
import os
import pathlib
import queue
import signal
import subprocess
import sys
import threading
import time

import requests
from bg_egov.seos import messages as m
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID

LIB_SRC = pathlib.Path(__file__).resolve().parents[3] / "lib" / "src"


def make_certificate(common_name, serial):
    """A throwaway RSA key and self-signed certificate valid around now, both PEM."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "BG"),
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
        ]
    )
    now = datetime.datetime.now(datetime.timezone.utc)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(serial)
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=365))
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


class Party:
    """An identity folder plus the data the tests need about it."""

    def __init__(self, base, name, eik, serial, guid=None, status="Active"):
        self.name, self.eik, self.status = name, eik, status
        self.guid = m.normalize_guid(guid or m.new_guid())
        self.folder = pathlib.Path(base) / f"id-{eik}"
        self.folder.mkdir(parents=True, exist_ok=True)
        self.key_pem, self.cert_pem = make_certificate(f"{name} SEOS", serial)
        (self.folder / "key.pem").write_bytes(self.key_pem)
        (self.folder / "cert.pem").write_bytes(self.cert_pem)
        (self.folder / "identity.json").write_text(
            json.dumps({"guid": self.guid, "eik": eik, "name": name}),
            encoding="utf-8",
        )
        self.endpoint = None

    @property
    def entity(self):
        return m.Entity(self.eik, self.name, self.guid)

    def directory_entry(self):
        return {
            "guid": self.guid,
            "eik": self.eik,
            "name": self.name,
            "endpoint": self.endpoint,
            "certificate_pem": self.cert_pem.decode(),
            "status": self.status,
        }


def write_directory(path, parties):
    tmp = pathlib.Path(f"{path}.tmp")
    tmp.write_text(
        json.dumps([p.directory_entry() for p in parties], ensure_ascii=False),
        encoding="utf-8",
    )
    tmp.replace(path)


def _env():
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(
        [str(LIB_SRC)] + ([env["PYTHONPATH"]] if env.get("PYTHONPATH") else [])
    )
    return env


class Process:
    """A console command of the library run as ``python -m``; ``url`` is what it
    printed when ready.
    """

    def __init__(self, module, args, *, banner, startup=30):
        self.process = subprocess.Popen(
            [sys.executable, "-m", module, *args],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=_env(),
            text=True,
        )
        lines = queue.Queue()
        threading.Thread(
            target=lambda: [lines.put(line) for line in self.process.stdout],
            daemon=True,
        ).start()
        deadline = time.monotonic() + startup
        while True:
            try:
                line = lines.get(timeout=max(0.1, deadline - time.monotonic()))
            except queue.Empty:
                self.process.kill()
                raise RuntimeError(
                    f"{module} did not start: {self.process.stderr.read()}"
                ) from None
            if line.startswith(banner):
                self.url = line.split(": ", 1)[1].strip()
                break

    @property
    def pid(self):
        return self.process.pid

    def peak_memory_kb(self):
        status = pathlib.Path(f"/proc/{self.pid}/status").read_text()
        line = next(x for x in status.splitlines() if x.startswith("VmHWM:"))
        return int(line.split()[1])

    def stop(self, timeout=15):
        """SIGTERM, then wait; returns the exit status."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        return self.process.returncode


class Node(Process):
    def __init__(self, party, directory, storage, *, behaviour="accept", extra=()):
        self.party = party
        self.storage = pathlib.Path(storage)
        super().__init__(
            "bg_egov.seos.node",
            [
                "--identity",
                str(party.folder),
                "--directory",
                str(directory),
                "--storage",
                str(storage),
                "--behaviour",
                behaviour,
                *extra,
            ],
            banner="SEOS node ready",
        )
        party.endpoint = self.url
        self.admin = self.url.rsplit("/", 1)[0] + "/admin"

    def send(self, payload, timeout=60):
        response = requests.post(f"{self.admin}/send", json=payload, timeout=timeout)
        response.raise_for_status()
        return response.json()

    def state(self):
        response = requests.get(f"{self.admin}/state", timeout=10)
        response.raise_for_status()
        return response.json()

    def wait_for(self, predicate, timeout=20):
        deadline = time.monotonic() + timeout
        while True:
            state = self.state()
            if predicate(state):
                return state
            if time.monotonic() > deadline:
                raise AssertionError(f"condition not reached; state: {state}")
            time.sleep(0.2)
