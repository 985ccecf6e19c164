import base64
import datetime

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID
from freezegun import freeze_time

from odoo.exceptions import ValidationError
from odoo.tests import tagged

from .common import MunicipalRegistryCommon


def make_certificate(days=365, start=datetime.datetime(2026, 1, 1)):
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Община Тестово SEOS")])
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(0xABCDEF)
        .not_valid_before(start)
        .not_valid_after(start + datetime.timedelta(days=days))
        .sign(key, hashes.SHA256())
    )
    return key, cert


@tagged("post_install", "-at_install")
class TestCertificate(MunicipalRegistryCommon):
    def test_pem_with_key(self):
        key, cert = make_certificate()
        pem = cert.public_bytes(serialization.Encoding.PEM) + key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
        record = self.env["municipal.certificate"].create(
            {"name": "SEOS 2026", "content": base64.b64encode(pem)}
        )
        self.assertEqual(record.file_format, "pem")
        self.assertEqual(record.serial_number, "ABCDEF")
        self.assertIn("Община Тестово SEOS", record.subject)
        self.assertTrue(record.has_private_key)
        self.assertEqual(record.valid_to, datetime.datetime(2027, 1, 1))
        key_pem, cert_pem = record._get_key_material()
        self.assertIn(b"PRIVATE KEY", key_pem)
        self.assertEqual(
            x509.load_pem_x509_certificate(cert_pem).serial_number, 0xABCDEF
        )

    def test_pkcs12_needs_its_password(self):
        key, cert = make_certificate()
        blob = pkcs12.serialize_key_and_certificates(
            b"seos", key, cert, None, serialization.BestAvailableEncryption(b"tajna")
        )
        with self.assertRaises(ValidationError):
            self.env["municipal.certificate"].create(
                {"name": "P12", "content": base64.b64encode(blob), "password": "wrong"}
            )
        record = self.env["municipal.certificate"].create(
            {"name": "P12", "content": base64.b64encode(blob), "password": "tajna"}
        )
        self.assertEqual(record.file_format, "pkcs12")
        self.assertTrue(record.has_private_key)

    def test_garbage_is_refused(self):
        with self.assertRaises(ValidationError):
            self.env["municipal.certificate"].create(
                {"name": "bad", "content": base64.b64encode(b"not a certificate")}
            )

    def test_expiry_state_and_activity(self):
        _key, cert = make_certificate(days=60)
        record = self.env["municipal.certificate"].create(
            {
                "name": "SSEV",
                "usage": "ssev",
                "content": base64.b64encode(
                    cert.public_bytes(serialization.Encoding.PEM)
                ),
            }
        )
        with freeze_time("2026-01-15"):
            record.invalidate_recordset(["state"])
            self.assertEqual(record.state, "valid")
            self.env["municipal.certificate"]._cron_expiry_alerts()
            self.assertFalse(record.activity_ids)
        with freeze_time("2026-02-15"):
            record.invalidate_recordset(["state"])
            self.assertEqual(record.state, "expiring")
            found = self.env["municipal.certificate"].search(
                [("state", "=", "expiring")]
            )
            self.assertIn(record, found)
            self.env["municipal.certificate"]._cron_expiry_alerts()
            self.env["municipal.certificate"]._cron_expiry_alerts()
            self.assertEqual(len(record.activity_ids), 1)
        with freeze_time("2026-03-15"):
            record.invalidate_recordset(["state"])
            self.assertEqual(record.state, "expired")
            self.assertIn(
                record,
                self.env["municipal.certificate"].search([("state", "!=", "valid")]),
            )
