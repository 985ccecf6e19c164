import base64

from bg_egov import signatures

from odoo import _, api, fields, models
from odoo.exceptions import ValidationError


class MunicipalTrustedCa(models.Model):
    """A certification authority whose certificates make a signature "qualified".

    The list follows the national trusted list of qualified trust service providers
    (the Communications Regulation Commission publishes it under eIDAS art. 22); a
    municipality adds the CA certificates its citizens and partners use.

    Access: every registry user reads the list (the document form shows the verdict);
    registry managers maintain it. An entry without a company serves every
    municipality of the database.
    """

    _name = "municipal.trusted.ca"
    _description = "Trusted Qualified CA"
    _order = "name, id"

    name = fields.Char(required=True)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company",
        help="Leave empty to trust this CA in every municipality of the database.",
    )
    certificate = fields.Binary(
        "CA certificate",
        attachment=True,
        required=True,
        help="The CA's certificate, PEM or DER (.cer, .crt, .pem).",
    )
    certificate_filename = fields.Char()
    fingerprint = fields.Char(
        "SHA-256 fingerprint", compute="_compute_certificate_facts", store=True
    )
    subject = fields.Char(compute="_compute_certificate_facts", store=True)
    valid_to = fields.Datetime(compute="_compute_certificate_facts", store=True)
    # Revocation: the CA's CRL as the manager downloaded it from the provider's site.
    # Nothing is fetched by the server (no CRL download, no OCSP).
    crl = fields.Binary(
        "Revocation list (CRL)",
        attachment=True,
        help="The CA's certificate revocation list, PEM or DER (.crl), as published "
        "by the provider. Signatures by a certificate revoked before the signing time "
        "become invalid. Upload a fresh list before its next update.",
    )
    crl_filename = fields.Char()
    crl_issued_on = fields.Datetime(
        "CRL issued on", compute="_compute_crl_facts", store=True
    )
    crl_next_update = fields.Datetime(
        "CRL next update",
        compute="_compute_crl_facts",
        store=True,
        help="The provider publishes a new list by then; an older list may miss "
        "recent revocations.",
    )
    crl_revoked_count = fields.Integer(
        "Revoked certificates", compute="_compute_crl_facts", store=True
    )

    _sql_constraints = [
        (
            "fingerprint_company_unique",
            "unique(fingerprint, company_id)",
            "This CA certificate is already on the list.",
        ),
    ]

    @api.depends("certificate")
    def _compute_certificate_facts(self):
        for record in self:
            summary = record._certificate_summary()
            record.fingerprint = summary["fingerprint"] if summary else False
            record.subject = summary["subject"] if summary else False
            record.valid_to = (
                summary["not_after"].replace(tzinfo=None) if summary else False
            )

    @api.depends("crl", "certificate")
    def _compute_crl_facts(self):
        for record in self:
            summary = record._crl_summary()
            moment = summary and summary["next_update"]
            record.crl_next_update = moment.replace(tzinfo=None) if moment else False
            record.crl_issued_on = (
                summary["last_update"].replace(tzinfo=None) if summary else False
            )
            record.crl_revoked_count = summary["revoked"] if summary else 0

    @api.constrains("crl", "certificate")
    def _check_crl(self):
        for record in self.filtered("crl"):
            summary = record._crl_summary()
            if not summary:
                raise ValidationError(
                    _(
                        "The revocation list of %(name)s is not a CRL (PEM or DER).",
                        name=record.name,
                    )
                )
            if not summary["signed_by_ca"]:
                raise ValidationError(
                    _(
                        "The revocation list was not issued and signed by %(name)s: "
                        "upload the CRL of this CA.",
                        name=record.name,
                    )
                )

    @api.constrains("certificate")
    def _check_certificate(self):
        for record in self:
            if record.certificate and not record._certificate_summary():
                raise ValidationError(
                    _(
                        "The file of %(name)s is not a certificate (PEM or DER).",
                        name=record.name,
                    )
                )

    def _certificate_bytes(self):
        self.ensure_one()
        value = self.with_context(bin_size=False).certificate
        return base64.b64decode(value) if value else b""

    def _certificate_summary(self):
        raw = self._certificate_bytes()
        if not raw:
            return None
        try:
            return signatures.certificate_summary(raw)
        except ValueError:
            return None

    def _crl_bytes(self):
        self.ensure_one()
        value = self.with_context(bin_size=False).crl
        return base64.b64decode(value) if value else b""

    def _crl_summary(self):
        raw = self._crl_bytes()
        if not raw:
            return None
        try:
            return signatures.crl_summary(raw, self._certificate_bytes() or None)
        except ValueError:
            return None

    @api.model
    def _municipal_trusted_certificates(self, company):
        """The certificates (bytes) trusted for ``company``'s signatures."""
        # The list is public knowledge; reading it with sudo lets any user's upload
        # be checked against every entry, whatever their access to the list.
        entries = self.sudo().search(
            [("company_id", "in", (False, company.id))], order="id"
        )
        return [entry._certificate_bytes() for entry in entries]

    @api.model
    def _municipal_trusted_crls(self, company):
        """The revocation lists (bytes) of the CAs trusted for ``company``."""
        entries = self.sudo().search(
            [("company_id", "in", (False, company.id)), ("crl", "!=", False)],
            order="id",
        )
        return [entry._crl_bytes() for entry in entries]
