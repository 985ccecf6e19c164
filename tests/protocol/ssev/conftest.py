"""Tier 2 for e-Delivery: the sandbox service as a real subprocess on 127.0.0.1,
reached over HTTP by the real SOAP adapter (zeep, WS-Security, MTOM)."""

import datetime
import http.server
import json
import os
import pathlib
import queue
import subprocess
import sys
import threading

import pytest
import requests

ROOT = pathlib.Path(__file__).resolve().parents[3]
# The library's e-Delivery test helpers (contract loading, certificates, profiles).
sys.path.insert(0, str(ROOT / "lib" / "tests" / "ssev"))

import ssev_contract  # noqa: E402
from bg_egov.ssev.soap import SoapClient  # noqa: E402
from ssev_testlib import (  # noqa: E402
    CLERK_EGN,
    OPENS_QUICKLY_EIK,
    make_certificate,
    sandbox_profiles,
)


@pytest.fixture(scope="session")
def ssev_certificates():
    return {
        "municipality": make_certificate("Община Тестово ССЕВ"),
        "stranger": make_certificate("Непознат"),
        "expired": make_certificate(
            "Община Тестово, изтекъл",
            not_before=datetime.datetime(2020, 1, 1, tzinfo=datetime.timezone.utc),
            days=30,
        ),
    }


class PushReceiver(http.server.ThreadingHTTPServer):
    """Our push endpoint: records what e-Delivery POSTs (README §5.7)."""

    def __init__(self):
        self.received = queue.Queue()
        receiver = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 - http.server API
                length = int(self.headers.get("Content-Length") or 0)
                receiver.received.put(self.rfile.read(length))
                self.send_response(204)
                self.end_headers()

            def log_message(self, *args):
                pass

        super().__init__(("127.0.0.1", 0), Handler)

    @property
    def url(self):
        return f"http://127.0.0.1:{self.server_address[1]}/ssev/push"


@pytest.fixture
def ssev_push_receiver():
    server = PushReceiver()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


class Sandbox:
    def __init__(self, url):
        self.url = url
        self.base = url.split("/Services/")[0]

    def control(self, path, data):
        response = requests.post(f"{self.base}/sandbox/{path}", json=data, timeout=5)
        response.raise_for_status()
        return response.json()

    def state(self):
        return requests.get(f"{self.base}/sandbox/state", timeout=5).json()

    def message(self, message_id):
        return next(m for m in self.state()["messages"] if m["id"] == message_id)


@pytest.fixture
def ssev_sandbox(tmp_path, ssev_certificates, ssev_push_receiver):
    profiles = sandbox_profiles(ssev_certificates["municipality"][1])
    municipality = profiles["profiles"][0]
    municipality["certificates"].append(ssev_certificates["expired"][1].decode())
    municipality["push_url"] = ssev_push_receiver.url
    profiles["profiles"].append(
        {
            "identifier": OPENS_QUICKLY_EIK,
            "type": "LegalPerson",
            "name": "Бърза ООД",
            "open_after": 1,
        }
    )
    path = tmp_path / "profiles.json"
    path.write_text(json.dumps(profiles, ensure_ascii=False), encoding="utf-8")
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(
        [str(ROOT / "lib" / "src")]
        + ([env["PYTHONPATH"]] if env.get("PYTHONPATH") else [])
    )
    process = subprocess.Popen(
        [sys.executable, "-m", "bg_egov.ssev.sandbox", "--profiles", str(path)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    lines = queue.Queue()
    threading.Thread(
        target=lambda: [lines.put(line) for line in process.stdout], daemon=True
    ).start()
    try:
        line = lines.get(timeout=20)
    except queue.Empty:
        process.kill()
        pytest.fail("the e-Delivery sandbox did not start: " + process.stderr.read())
    assert "listening on http://127.0.0.1:" in line, line
    yield Sandbox(line.split("listening on ")[1].strip())
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()


@pytest.fixture(scope="session")
def ssev_http_contract():
    return ssev_contract.live_like_documents()


@pytest.fixture
def ssev_http_make_client(ssev_sandbox, ssev_certificates, ssev_http_contract):
    def make(cert="municipality", **kwargs):
        key_pem, cert_pem = ssev_certificates[cert]
        kwargs.setdefault("operator_egn", CLERK_EGN)
        kwargs.setdefault("timeout", 10)
        kwargs.setdefault("endpoint", ssev_sandbox.url)
        return SoapClient(
            wsdl=ssev_contract.BASE + "?wsdl",
            wsdl_documents=ssev_http_contract,
            key_pem=key_pem,
            cert_pem=cert_pem,
            **kwargs,
        )

    return make


@pytest.fixture
def ssev_http_client(ssev_http_make_client):
    return ssev_http_make_client()
