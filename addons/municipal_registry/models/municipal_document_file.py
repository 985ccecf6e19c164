import base64
import hashlib

from odoo import api, fields, models


class MunicipalDocumentFile(models.Model):
    """A file of a document, with its size and SHA-256.

    The hash proves later that the file is the one received, and finds documents sent
    again. Access: follows the document.
    """

    _name = "municipal.document.file"
    _description = "Document File"
    _order = "sequence, id"

    document_id = fields.Many2one(
        "municipal.document", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(related="document_id.company_id", store=True)
    sequence = fields.Integer(default=10)
    name = fields.Char(required=True)
    datas = fields.Binary("File", attachment=True, required=True)
    mimetype = fields.Char(compute="_compute_file_facts", store=True)
    size = fields.Integer(compute="_compute_file_facts", store=True)
    sha256 = fields.Char(
        "SHA-256", compute="_compute_file_facts", store=True, index=True
    )

    @api.depends("datas", "name")
    def _compute_file_facts(self):
        for record in self:
            # bin_size would give a human-readable size instead of the content.
            value = record.with_context(bin_size=False).datas
            raw = base64.b64decode(value) if value else b""
            record.size = len(raw)
            record.sha256 = hashlib.sha256(raw).hexdigest() if raw else False
            record.mimetype = self.env["ir.attachment"]._compute_mimetype(
                {"name": record.name, "raw": raw}
            )
