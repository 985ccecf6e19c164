from odoo import api, fields, models

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
    message = fields.Char(help="Why the signature is not valid, or a caveat.")

    @api.depends("valid", "qualified")
    def _compute_verdict(self):
        for record in self:
            if not record.valid:
                record.verdict = "invalid"
            else:
                record.verdict = "qualified" if record.qualified else "valid"
