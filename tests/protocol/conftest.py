"""Servers shared by the protocol suites: a real ClamAV daemon."""

import os
import shutil
import signal
import subprocess
import time

import pytest
from bg_egov.malware import EICAR, ClamdScanner, ScanError

CLAMD = shutil.which("clamd") or (
    "/usr/sbin/clamd" if os.path.exists("/usr/sbin/clamd") else None
)


@pytest.fixture(scope="session")
def clamd_socket(tmp_path_factory):
    """Start clamd on a Unix socket in a temporary folder, with its own configuration
    and a one-signature database generated here (the EICAR string as an ``.ndb`` body
    signature), so it works offline and starts in seconds. Yields the socket path.
    """
    if CLAMD is None:
        pytest.skip("clamd (Debian package clamav-daemon) is not installed")
    base = tmp_path_factory.mktemp("clamd")
    database = base / "db"
    database.mkdir()
    (base / "tmp").mkdir()
    (database / "eicar.ndb").write_text(
        f"Eicar-Test-Signature:0:*:{EICAR.hex()}\n", encoding="ascii"
    )
    socket_path = base / "clamd.sock"
    config = base / "clamd.conf"
    config.write_text(
        "\n".join(
            [
                f"LocalSocket {socket_path}",
                f"DatabaseDirectory {database}",
                f"TemporaryDirectory {base / 'tmp'}",
                f"LogFile {base / 'clamd.log'}",
                "Foreground yes",
                "StreamMaxLength 64M",
                "MaxThreads 4",
                "",
            ]
        ),
        encoding="ascii",
    )
    process = subprocess.Popen(
        [CLAMD, "--config-file", str(config)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    deadline = time.monotonic() + 60
    scanner = ClamdScanner(unix_socket=str(socket_path), timeout=5)
    while True:
        if process.poll() is not None:
            log = (base / "clamd.log").read_text(errors="replace")
            pytest.fail(f"clamd exited ({process.returncode}): {log[-2000:]}")
        try:
            if socket_path.exists() and scanner.ping():
                break
        except ScanError:
            pass
        if time.monotonic() > deadline:
            process.kill()
            pytest.fail("clamd did not start within 60 s")
        time.sleep(0.2)
    yield str(socket_path)
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
