import base64
import datetime
from unittest.mock import patch

from bg_egov import signatures as bg_signatures
from bg_egov.malware import EICAR, SCAN_ERROR_CODES, LocalClamd, find_clamd
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import pkcs7
from cryptography.x509.oid import NameOID

from odoo import fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged
from odoo.tools import config

from odoo.addons.municipal_registry.tools.check_messages import (
    SCAN_MESSAGES,
    SIGNATURE_MESSAGES,
)

from .common import EGN, EIK, MunicipalRegistryCommon

SERIAL_NUMBER = x509.ObjectIdentifier("2.5.4.5")
ORGANIZATION_IDENTIFIER = x509.ObjectIdentifier("2.5.4.97")
CONTENT = b"%PDF-1.4\n% an application for a certificate of heirs\n%%EOF\n"


def _certificate(common_name, issuer=None, extra=(), ca=False):
    """A throwaway RSA key and certificate (self-signed, or by ``issuer``)."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "BG"),
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
        ]
        + [x509.NameAttribute(oid, value) for oid, value in extra]
    )
    now = datetime.datetime.now(datetime.timezone.utc)
    builder = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(issuer[1].subject if issuer else name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=365))
    )
    if ca:
        builder = builder.add_extension(
            x509.BasicConstraints(ca=True, path_length=None), critical=True
        )
    certificate = builder.sign(issuer[0] if issuer else key, hashes.SHA256())
    return key, certificate


def _detached_signature(*signers, content):
    builder = pkcs7.PKCS7SignatureBuilder().set_data(content)
    for key, certificate in signers:
        builder = builder.add_signer(certificate, key, hashes.SHA256())
    return builder.sign(
        serialization.Encoding.DER,
        [pkcs7.PKCS7Options.DetachedSignature, pkcs7.PKCS7Options.Binary],
    )


def _enveloping_signature(signer, content):
    builder = pkcs7.PKCS7SignatureBuilder().set_data(content)
    builder = builder.add_signer(signer[1], signer[0], hashes.SHA256())
    return builder.sign(serialization.Encoding.DER, [pkcs7.PKCS7Options.Binary])


def _crl(ca, revoked=(), *, signed_by=None):
    """A DER revocation list in ``ca``'s name listing ``(certificate, date)`` pairs,
    signed by ``signed_by`` (``ca`` itself unless given)."""
    now = datetime.datetime.now(datetime.timezone.utc)
    builder = (
        x509.CertificateRevocationListBuilder()
        .issuer_name(ca[1].subject)
        .last_update(now - datetime.timedelta(hours=1))
        .next_update(now + datetime.timedelta(days=7))
    )
    for certificate, moment in revoked:
        builder = builder.add_revoked_certificate(
            x509.RevokedCertificateBuilder()
            .serial_number(certificate.serial_number)
            .revocation_date(moment)
            .build()
        )
    crl = builder.sign((signed_by or ca)[0], hashes.SHA256())
    return crl.public_bytes(serialization.Encoding.DER)


@tagged("post_install", "-at_install", "attachment_checks")
class TestAttachmentChecks(MunicipalRegistryCommon):
    """REG-10/REG-11 against a real clamd started for these tests (an EICAR-only
    database generated on the spot, a Unix socket in a temporary folder)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        if find_clamd() is None:
            # Not a skip: a missing scanner must fail the run (skips count as failures).
            raise RuntimeError("clamd (Debian package clamav-daemon) is not installed")
        cls.clamd = LocalClamd()
        cls.socket_path = cls.clamd.start()
        cls.addClassCleanup(cls.clamd.stop)
        cls.company = cls.env.company
        cls.company.write(
            {
                "municipal_clamd_connection": "unix",
                "municipal_clamd_socket": cls.socket_path,
                "municipal_clamd_timeout": 10,
                "municipal_scan_max_file_size_mb": 1,
            }
        )
        cls.malware = cls.env.ref("municipal_registry.municipal_refusal_reason_malware")
        cls.qualified_ca = _certificate("Тестов квалифициран CA", ca=True)
        cls.trusted_ca = cls.env["municipal.trusted.ca"].create(
            {
                "name": "Тестов квалифициран CA",
                "certificate": cls._b64(
                    cls.qualified_ca[1].public_bytes(serialization.Encoding.PEM)
                ),
            }
        )
        cls.signer = _certificate(
            "Иван Петров Иванов",
            issuer=cls.qualified_ca,
            extra=[
                (SERIAL_NUMBER, f"PNOBG-{EGN}"),
                (ORGANIZATION_IDENTIFIER, f"NTRBG-{EIK}"),
            ],
        )

    @staticmethod
    def _b64(raw):
        return base64.b64encode(raw)

    def _incoming(self, *files):
        return self._draft(
            user=self.registry_clerk,
            file_ids=[self._file(name, content) for name, content in files],
        )

    # ---------------------------------------------------------------- malware

    def test_eicar_refuses_the_document_and_keeps_the_file(self):
        document = self._incoming(("писмо.pdf", CONTENT), ("прикачено.com", EICAR))
        self.assertEqual(document.state, "refused")
        self.assertEqual(document.refusal_reason_id, self.malware)
        self.assertFalse(document.number)
        infected = document.file_ids.filtered(lambda f: f.name == "прикачено.com")
        self.assertEqual(infected.scan_state, "infected")
        self.assertEqual(infected.scan_code, "infected")
        self.assertIn("Eicar-Test-Signature", infected.scan_detail)
        self.assertEqual(
            infected.scan_message, f"Malware found: {infected.scan_detail}"
        )
        self.assertIn("прикачено.com", document.refusal_note)
        # Nothing is lost: both files are still on the refused document.
        self.assertEqual(len(document.file_ids), 2)
        self.assertEqual(infected.size, len(EICAR))

    def test_clean_file_makes_the_document_registrable(self):
        document = self._incoming(("писмо.pdf", CONTENT))
        self.assertEqual(document.file_ids.scan_state, "clean")
        self.assertTrue(document.file_ids.scanned_on)
        document.with_user(self.registry_clerk).action_register()
        self.assertEqual(document.state, "registered")

    def test_unreachable_clamd_waits_then_the_cron_scans(self):
        self.company.municipal_clamd_socket = self.socket_path + ".gone"
        document = self._incoming(("писмо.pdf", CONTENT))
        file = document.file_ids
        self.assertEqual(document.state, "draft")
        self.assertEqual(file.scan_state, "not_scanned")
        # The clerk reads the addon's (translated) sentence; the scanner's own words
        # are kept for support.
        self.assertEqual(file.scan_code, "scan_unreachable")
        self.assertEqual(
            file.scan_message,
            "The malware scanner cannot be reached; the file will be scanned again.",
        )
        self.assertIn("clamd cannot be reached", file.scan_detail)
        cron = self.env.ref("municipal_registry.ir_cron_municipal_scan_pending")
        trigger = self.env["ir.cron.trigger"].search([("cron_id", "=", cron.id)])
        self.assertTrue(trigger, "the retry is scheduled")
        with self.assertRaisesRegex(UserError, "malware scan.*писмо.pdf: Not scanned"):
            document.with_user(self.registry_clerk).action_register()
        self.assertEqual(document.state, "draft")
        # The scanner is back: the cron finds the waiting file.
        self.company.municipal_clamd_socket = self.socket_path
        cron.sudo().method_direct_trigger()
        self.assertEqual(file.scan_state, "clean")
        self.assertFalse(file.scan_message)
        self.assertFalse(file.scan_code)
        document.with_user(self.registry_clerk).action_register()
        self.assertEqual(document.state, "registered")

    def test_cron_refuses_a_waiting_document_found_infected(self):
        self.company.municipal_clamd_socket = self.socket_path + ".gone"
        document = self._incoming(("вирус.txt", EICAR))
        self.assertEqual(document.state, "draft")
        self.company.municipal_clamd_socket = self.socket_path
        self.env["municipal.document.file"]._cron_municipal_scan_pending()
        self.assertEqual(document.state, "refused")
        self.assertEqual(document.refusal_reason_id, self.malware)

    def test_file_over_the_scan_limit_is_not_sent_and_blocks_registration(self):
        document = self._incoming(("голям.pdf", b"x" * (1024 * 1024 + 1)))
        self.assertEqual(document.file_ids.scan_state, "failed")
        self.assertEqual(document.file_ids.scan_code, "scan_too_large")
        self.assertIn("larger than", document.file_ids.scan_message)
        with self.assertRaisesRegex(UserError, "Scan failed"):
            document.with_user(self.registry_clerk).action_register()

    def test_without_a_scanner_registration_does_not_wait(self):
        self.company.municipal_clamd_connection = "none"
        document = self._incoming(("писмо.pdf", CONTENT))
        self.assertEqual(document.file_ids.scan_state, "not_scanned")
        document.with_user(self.registry_clerk).action_register()
        self.assertEqual(document.state, "registered")

    def test_server_configuration_names_the_default_clamd(self):
        company = self.env["res.company"]
        with patch.dict(config.options, {"municipal_clamd": "tcp://clamav:3310"}):
            defaults = company.default_get(
                [
                    "municipal_clamd_connection",
                    "municipal_clamd_host",
                    "municipal_clamd_port",
                ]
            )
        self.assertEqual(
            defaults,
            {
                "municipal_clamd_connection": "tcp",
                "municipal_clamd_host": "clamav",
                "municipal_clamd_port": 3310,
            },
        )
        with patch.dict(config.options, {"municipal_clamd": "unix:///run/clamd.ctl"}):
            defaults = company.default_get(
                ["municipal_clamd_connection", "municipal_clamd_socket"]
            )
        self.assertEqual(defaults["municipal_clamd_connection"], "unix")
        self.assertEqual(defaults["municipal_clamd_socket"], "/run/clamd.ctl")
        with patch.dict(config.options, {"municipal_clamd": ""}):
            self.assertEqual(
                company.default_get(["municipal_clamd_connection"]),
                {"municipal_clamd_connection": "none"},
            )

    # ---------------------------------------------------------------- signatures

    def test_the_file_inside_a_p7m_is_scanned_and_handed_out(self):
        document = self._incoming(
            ("заявление.pdf.p7m", _enveloping_signature(self.signer, CONTENT)),
        )
        signed = document.file_ids.with_user(self.registry_clerk)
        self.assertTrue(signed.is_enveloping)
        action = signed.action_open_signed_content()
        attachment = self.env["ir.attachment"].browse(
            int(action["url"].split("/")[-1].split("?")[0])
        )
        self.assertEqual(attachment.name, "заявление.pdf")
        self.assertEqual(attachment.raw, CONTENT)
        again = signed.action_open_signed_content()
        self.assertEqual(again["url"], action["url"], "the content is kept, not copied")
        # Malware inside the envelope is not handed out.
        self.company.municipal_clamd_connection = "none"
        hidden = self._incoming(
            ("жалба.com.p7m", _enveloping_signature(self.signer, EICAR))
        )
        self.company.municipal_clamd_connection = "unix"
        with self.assertRaisesRegex(UserError, "carries malware"):
            hidden.file_ids.with_user(self.registry_clerk).action_open_signed_content()
        plain = self._incoming(("писмо.pdf.p7m", CONTENT))
        with self.assertRaisesRegex(UserError, "does not envelope a signed file"):
            plain.file_ids.with_user(self.registry_clerk).action_open_signed_content()

    def test_valid_signature_shows_the_signer_and_is_qualified(self):
        document = self._incoming(
            ("заявление.pdf", CONTENT),
            ("заявление.pdf.p7s", _detached_signature(self.signer, content=CONTENT)),
        )
        signature = document.with_user(self.registry_clerk).signature_ids
        self.assertEqual(len(signature), 1)
        self.assertEqual(signature.signer, "Иван Петров Иванов")
        self.assertEqual((signature.egn, signature.eik), (EGN, EIK))
        self.assertEqual(signature.issuer, "Тестов квалифициран CA")
        self.assertTrue(signature.signing_time)
        self.assertTrue(signature.valid)
        self.assertTrue(signature.qualified)
        self.assertEqual(signature.verdict, "qualified")
        self.assertEqual(signature.file_id.name, "заявление.pdf.p7s")
        self.assertEqual(signature.signed_file_id.name, "заявление.pdf")

    def test_tampered_file_shows_an_invalid_signature(self):
        document = self._incoming(
            ("заявление.pdf", CONTENT + b"% changed\n"),
            ("заявление.pdf.p7s", _detached_signature(self.signer, content=CONTENT)),
        )
        signature = document.signature_ids
        self.assertFalse(signature.valid)
        self.assertFalse(signature.qualified)
        self.assertEqual(signature.verdict, "invalid")
        self.assertEqual(signature.error_code, "digest_mismatch")
        self.assertEqual(signature.message, "The file was changed after it was signed.")
        self.assertIn("digest does not match", signature.detail)
        # The signer is still shown, and the document can still be registered: an
        # invalid signature is information for the clerk, not a refusal.
        self.assertEqual(signature.egn, EGN)
        document.with_user(self.registry_clerk).action_register()
        self.assertEqual(document.state, "registered")

    def test_untrusted_ca_is_valid_but_not_qualified_until_trusted(self):
        other_ca = _certificate("Друг CA", ca=True)
        signer = _certificate("Петър Петров", issuer=other_ca)
        document = self._incoming(
            ("a.pdf", CONTENT),
            ("a.pdf.p7s", _detached_signature(signer, content=CONTENT)),
        )
        self.assertEqual(document.signature_ids.verdict, "valid")
        self.env["municipal.trusted.ca"].with_user(self.registry_manager).create(
            {
                "name": "Друг CA",
                "certificate": self._b64(
                    other_ca[1].public_bytes(serialization.Encoding.DER)
                ),
            }
        )
        document.with_user(self.registry_clerk).action_verify_signatures()
        self.assertEqual(document.signature_ids.verdict, "qualified")

    def test_corrupt_signature_gives_a_message_and_keeps_the_files(self):
        document = self._incoming(
            ("a.pdf", CONTENT), ("a.pdf.p7s", b"\x30\x82\x01\x00not a signature")
        )
        self.assertEqual(len(document.file_ids), 2)
        self.assertFalse(document.signature_ids.valid)
        self.assertEqual(document.signature_ids.error_code, "corrupt")
        self.assertIn("damaged", document.signature_ids.message)

    def test_trusted_ca_rejects_a_file_that_is_not_a_certificate(self):
        with self.assertRaisesRegex(ValidationError, "not a certificate"):
            self.env["municipal.trusted.ca"].create(
                {"name": "Грешка", "certificate": self._b64(b"not a certificate")}
            )

    def test_a_new_content_is_scanned_again(self):
        document = self._incoming(("писмо.pdf", CONTENT))
        self.assertEqual(document.file_ids.scan_state, "clean")
        document.file_ids.with_user(self.registry_clerk).datas = self._b64(EICAR)
        self.assertEqual(document.file_ids.scan_state, "infected")
        self.assertEqual(document.state, "refused")

    def test_only_managers_maintain_the_trust_list_and_nobody_edits_results(self):
        Trusted = self.env["municipal.trusted.ca"]
        pem = _certificate("Още един CA", ca=True)[1].public_bytes(
            serialization.Encoding.PEM
        )
        self.assertTrue(Trusted.with_user(self.registry_user).search([]))
        for user in (self.registry_user, self.registry_clerk):
            with self.assertRaises(AccessError):
                Trusted.with_user(user).create(
                    {"name": "Още един CA", "certificate": self._b64(pem)}
                )
        entry = Trusted.with_user(self.registry_manager).create(
            {"name": "Още един CA", "certificate": self._b64(pem)}
        )
        self.assertEqual(len(entry.fingerprint), 64)
        document = self._incoming(
            ("a.pdf", CONTENT),
            ("a.pdf.p7s", _detached_signature(self.signer, content=CONTENT)),
        )
        signature = document.signature_ids.with_user(self.registry_clerk)
        with self.assertRaises(AccessError):
            signature.write({"valid": False})
        # The employee responsible for the document reads its signatures.
        document.user_id = self.registry_user
        self.assertTrue(document.with_user(self.registry_user).signature_ids.qualified)

    def test_every_signer_of_a_cosigned_file_is_shown(self):
        other_ca = _certificate("Друг CA", ca=True)
        cosigner = _certificate("Петър Петров", issuer=other_ca)
        document = self._incoming(
            ("договор.pdf", CONTENT),
            (
                "договор.pdf.p7s",
                _detached_signature(self.signer, cosigner, content=CONTENT),
            ),
        )
        signatures = document.with_user(self.registry_clerk).signature_ids
        self.assertEqual(
            sorted(signatures.mapped("signer")),
            ["Иван Петров Иванов", "Петър Петров"],
        )
        verdicts = {s.signer: s.verdict for s in signatures}
        self.assertEqual(verdicts["Иван Петров Иванов"], "qualified")
        self.assertEqual(verdicts["Петър Петров"], "valid")
        self.assertEqual(signatures.file_id.name, "договор.pdf.p7s")

    def test_a_crl_on_the_trusted_ca_makes_a_revoked_signature_invalid(self):
        document = self._incoming(
            ("заявление.pdf", CONTENT),
            ("заявление.pdf.p7s", _detached_signature(self.signer, content=CONTENT)),
        )
        self.assertEqual(document.signature_ids.verdict, "qualified")
        revoked_at = datetime.datetime.now(datetime.timezone.utc).replace(
            microsecond=0
        ) - datetime.timedelta(hours=2)
        crl = _crl(self.qualified_ca, [(self.signer[1], revoked_at)])
        self.trusted_ca.with_user(self.registry_manager).write(
            {"crl": self._b64(crl), "crl_filename": "qualified.crl"}
        )
        self.assertEqual(self.trusted_ca.crl_revoked_count, 1)
        self.assertTrue(self.trusted_ca.crl_next_update > fields.Datetime.now())
        document.with_user(self.registry_clerk).action_verify_signatures()
        signature = document.signature_ids
        self.assertEqual(signature.verdict, "invalid")
        self.assertFalse(signature.qualified)
        self.assertEqual(signature.error_code, "revoked")
        self.assertEqual(signature.revoked_on, revoked_at.replace(tzinfo=None))
        self.assertIn("was revoked on", signature.message)
        self.assertIn("before the file was signed", signature.message)
        # The signer is still shown, and nothing else changed on the document.
        self.assertEqual(signature.egn, EGN)
        self.assertEqual(len(document.file_ids), 2)

    def test_a_crl_of_another_ca_is_refused(self):
        other_ca = _certificate("Друг CA", ca=True)
        with self.assertRaisesRegex(ValidationError, "not issued and signed"):
            self.trusted_ca.write({"crl": self._b64(_crl(other_ca))})
        # Named like the trusted CA, signed by another key: refused as well.
        with self.assertRaisesRegex(ValidationError, "not issued and signed"):
            self.trusted_ca.write(
                {"crl": self._b64(_crl(self.qualified_ca, signed_by=other_ca))}
            )
        with self.assertRaisesRegex(ValidationError, "not a CRL"):
            self.trusted_ca.write({"crl": self._b64(b"not a CRL")})

    def test_every_code_of_the_verifier_has_a_sentence_for_the_clerk(self):
        # A code without a sentence would show the verifier's English to the clerk.
        self.assertEqual(
            set(SIGNATURE_MESSAGES),
            set(bg_signatures.ERROR_CODES) | set(bg_signatures.WARNING_CODES),
        )
        self.assertEqual(set(SCAN_MESSAGES), {*SCAN_ERROR_CODES, "infected"})
