from odoo import api, fields, models

from odoo.addons.municipal_registry.tools.check_messages import signature_message

KINDS = [
    ("cms_detached", "Detached signature (.p7s)"),
    ("cms_attached", "Enveloping signature (.p7m)"),
    ("pdf", "Signed PDF"),
    ("xml", "Signed XML"),
]


class MunicipalDocumentSignature(models.Model):
    """An electronic signature found on a file of a document, and its verification.

    Records are written only by the verification (``_municipal_check_signatures`` on
    the document), never by hand. Access: follows the document, read only.
    """

    _name = "municipal.document.signature"
    _description = "Signature on a Document File"
    _order = "document_id, id"

    document_id = fields.Many2one(
        "municipal.document", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(related="document_id.company_id", store=True)
    file_id = fields.Many2one(
        "municipal.document.file",
        string="Signature file",
        ondelete="cascade",
        help="The file that carries the signature.",
    )
    signed_file_id = fields.Many2one(
        "municipal.document.file",
        string="Signed file",
        ondelete="set null",
        help="The file the signature covers.",
    )
    kind = fields.Selection(KINDS, required=True)
    signer = fields.Char()
    egn = fields.Char("ЕГН")
    eik = fields.Char("ЕИК")
    subject = fields.Char("Certificate subject")
    issuer = fields.Char()
    signing_time = fields.Datetime("Signed on")
    valid = fields.Boolean()
    qualified = fields.Boolean(
        help="Valid, and the certificate was issued by a trusted qualified CA."
    )
    verdict = fields.Selection(
        [
            ("qualified", "Valid, qualified"),
            ("valid", "Valid"),
            ("invalid", "Invalid"),
        ],
        compute="_compute_verdict",
        store=True,
    )
    error_code = fields.Char(
        readonly=True, help="Why the signature is not valid, as the verifier's code."
    )
    warning_codes = fields.Char(
        readonly=True,
        help="The caveats of a valid signature, as the verifier's codes (comma-"
        "separated).",
    )
    revoked_on = fields.Datetime(
        "Certificate revoked on",
        readonly=True,
        help="When the revocation list of the CA says the certificate was revoked.",
    )
    detail = fields.Char(
        "Technical detail",
        readonly=True,
        help="The verifier's own words (English), for the support team.",
    )
    message = fields.Char(
        compute="_compute_message",
        help="Why the signature is not valid, or a caveat.",
    )

    @api.depends("error_code", "warning_codes", "revoked_on", "detail")
    @api.depends_context("lang")
    def _compute_message(self):
        for record in self:
            codes = [record.error_code] if record.error_code else []
            codes += (record.warning_codes or "").split(",")
            record.message = " ".join(
                signature_message(
                    self.env, code, revoked_on=record.revoked_on, detail=record.detail
                )
                for code in filter(None, codes)
            )

    @api.depends("valid", "qualified")
    def _compute_verdict(self):
        for record in self:
            if not record.valid:
                record.verdict = "invalid"
            else:
                record.verdict = "qualified" if record.qualified else "valid"
