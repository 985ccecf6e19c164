"""The malware hook against a real clamd."""

import pytest
from bg_egov.malware import EICAR, ClamdScanner, ScanError, ScanTooLargeError


def test_eicar_is_found(clamd_socket):
    result = ClamdScanner(unix_socket=clamd_socket, timeout=10).scan(
        b"%PDF-1.4 header\n" + EICAR + b"\ntrailer", name="letter.pdf"
    )
    assert not result.clean
    assert result.signature.startswith("Eicar-Test-Signature")


def test_clean_bytes_are_clean(clamd_socket):
    result = ClamdScanner(unix_socket=clamd_socket, timeout=10).scan(
        "Заявление за достъп".encode() * 1000
    )
    assert result.clean


def test_unreachable_daemon_is_a_scan_error_not_a_verdict(tmp_path):
    with pytest.raises(ScanError) as info:
        ClamdScanner(unix_socket=str(tmp_path / "none.sock"), timeout=2).scan(b"x")
    assert info.value.retryable


def test_stream_above_clamd_limit_is_too_large(clamd_socket):
    scanner = ClamdScanner(unix_socket=clamd_socket, timeout=10, max_bytes=100)
    with pytest.raises(ScanTooLargeError):
        scanner.scan(b"x" * 101, name="big.bin")
