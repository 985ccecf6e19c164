import base64
import datetime

from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.serialization import pkcs12

from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.osv import expression

# How long before its end a certificate is shown as expiring and an activity is planned.
EXPIRY_WARNING = datetime.timedelta(days=30)


class MunicipalCertificate(models.Model):
    """A key and certificate of the municipality (SEOS, e-Delivery, signing).

    Access: registry managers only; the exchange code reads the key material through
    :meth:`_get_key_material` as superuser. The password is never shown back.
    """

    _name = "municipal.certificate"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _description = "Certificate and Key"
    _order = "valid_to desc, id desc"
    _check_company_auto = True

    name = fields.Char(required=True, tracking=True)
    usage = fields.Selection(
        [
            ("seos", "SEOS"),
            ("ssev", "e-Delivery"),
            ("signing", "Document signing"),
            ("tls", "TLS client"),
        ],
        required=True,
        default="seos",
        tracking=True,
    )
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )
    content = fields.Binary(
        "Certificate file",
        attachment=True,
        required=True,
        help="PEM or PKCS#12 (.p12/.pfx).",
    )
    filename = fields.Char()
    file_format = fields.Selection(
        [("pem", "PEM"), ("pkcs12", "PKCS#12")],
        compute="_compute_certificate",
        store=True,
    )
    password = fields.Char(
        help="Password of the PKCS#12 file or of the encrypted PEM key.", copy=False
    )
    subject = fields.Char(compute="_compute_certificate", store=True)
    issuer = fields.Char(compute="_compute_certificate", store=True)
    serial_number = fields.Char(compute="_compute_certificate", store=True)
    valid_from = fields.Datetime(compute="_compute_certificate", store=True)
    valid_to = fields.Datetime(
        compute="_compute_certificate", store=True, tracking=True
    )
    has_private_key = fields.Boolean(compute="_compute_certificate", store=True)
    state = fields.Selection(
        [("valid", "Valid"), ("expiring", "Expiring"), ("expired", "Expired")],
        compute="_compute_state",
        search="_search_state",
    )
    active = fields.Boolean(default=True)

    @api.depends("content", "password")
    def _compute_certificate(self):
        for record in self:
            values = dict.fromkeys(
                (
                    "file_format",
                    "subject",
                    "issuer",
                    "serial_number",
                    "valid_from",
                    "valid_to",
                    "has_private_key",
                ),
                False,
            )
            if record.content:
                key, cert, file_format = record._load()
                values.update(
                    file_format=file_format,
                    subject=cert.subject.rfc4514_string(),
                    issuer=cert.issuer.rfc4514_string(),
                    serial_number=format(cert.serial_number, "X"),
                    valid_from=_naive(cert, "not_valid_before"),
                    valid_to=_naive(cert, "not_valid_after"),
                    has_private_key=bool(key),
                )
            record.update(values)

    def _compute_state(self):
        now = fields.Datetime.now()
        for record in self:
            if not record.valid_to or record.valid_to < now:
                record.state = "expired"
            elif record.valid_to < now + EXPIRY_WARNING:
                record.state = "expiring"
            else:
                record.state = "valid"

    def _search_state(self, operator, value):
        if operator not in ("=", "!=") or value not in ("valid", "expiring", "expired"):
            raise UserError(_("Unsupported search on the certificate state."))
        now = fields.Datetime.now()
        soon = now + EXPIRY_WARNING
        domains = {
            "expired": ["|", ("valid_to", "=", False), ("valid_to", "<", now)],
            "expiring": [("valid_to", ">=", now), ("valid_to", "<", soon)],
            "valid": [("valid_to", ">=", soon)],
        }
        domain = expression.normalize_domain(domains[value])
        return domain if operator == "=" else ["!", *domain]

    @api.constrains("content", "password")
    def _check_content(self):
        for record in self:
            record._load()

    def _load(self):
        """Return ``(private key or None, certificate, format)`` of the stored file."""
        self.ensure_one()
        raw = base64.b64decode(self.with_context(bin_size=False).content or b"")
        password = self.password.encode() if self.password else None
        try:
            if b"-----BEGIN" in raw:
                cert = x509.load_pem_x509_certificate(raw)
                key = None
                if b"PRIVATE KEY-----" in raw:
                    key = serialization.load_pem_private_key(raw, password)
                return key, cert, "pem"
            key, cert, _extra = pkcs12.load_key_and_certificates(raw, password)
        except (ValueError, TypeError) as exc:
            raise ValidationError(
                _("The certificate file cannot be read: %(error)s", error=str(exc))
            ) from None
        if cert is None:
            raise ValidationError(_("The PKCS#12 file holds no certificate."))
        return key, cert, "pkcs12"

    def _get_key_material(self):
        """Return ``(key_pem, cert_pem)`` for the signing code (the only reader)."""
        self.ensure_one()
        record = self.sudo()
        key, cert, _format = record._load()
        if key is None:
            raise UserError(
                _("The certificate %(name)s has no private key.", name=record.name)
            )
        key_pem = key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
        return key_pem, cert.public_bytes(serialization.Encoding.PEM)

    @api.model
    def _cron_expiry_alerts(self):
        """Plan an activity for the managers on each certificate that expires soon."""
        activity_type = self.env.ref("mail.mail_activity_data_todo")
        managers = self.env.ref("municipal_registry.group_registry_manager").users
        for record in self.search([("state", "=", "expiring")]):
            if record.activity_ids.filtered(
                lambda a: a.activity_type_id == activity_type
            ):
                continue
            user = (managers & record.company_id.user_ids)[:1] or self.env.user
            record.activity_schedule(
                activity_type_id=activity_type.id,
                date_deadline=record.valid_to.date(),
                summary=_("Certificate %(name)s expires", name=record.name),
                user_id=user.id,
            )


def _naive(certificate, name):
    # Odoo stores naive UTC datetimes; cryptography 42 offers aware "_utc" accessors.
    aware = getattr(certificate, f"{name}_utc", None)
    if aware is not None:
        return aware.replace(tzinfo=None)
    return getattr(certificate, name)
