"""Servers shared by the protocol suites: a real ClamAV daemon."""

import pytest
from bg_egov.malware import LocalClamd, find_clamd


@pytest.fixture(scope="session")
def clamd_socket():
    """Start clamd on a Unix socket in a temporary folder, with its own configuration
    and a one-signature database generated here (the EICAR string as an ``.ndb`` body
    signature), so it works offline and starts in seconds. Yields the socket path.
    """
    if find_clamd() is None:
        pytest.skip("clamd (Debian package clamav-daemon) is not installed")
    daemon = LocalClamd()
    try:
        socket_path = daemon.start()
    except RuntimeError as exc:
        pytest.fail(str(exc))
    yield socket_path
    daemon.stop()
