from odoo import fields, models


class MunicipalDocumentCorrespondent(models.Model):
    """A correspondent of a document with the role they play in it.

    Access: follows the document.
    """

    _name = "municipal.document.correspondent"
    _description = "Document Correspondent"
    _order = "sequence, id"

    document_id = fields.Many2one(
        "municipal.document", required=True, ondelete="cascade", index=True
    )
    sequence = fields.Integer(default=10)
    partner_id = fields.Many2one(
        "res.partner", string="Correspondent", required=True, index=True
    )
    role = fields.Selection(
        [
            ("sender", "Sender"),
            ("recipient", "Recipient"),
            ("author", "Author"),
            ("copy", "Copy to"),
            ("applicant", "Applicant"),
        ],
        required=True,
        default="sender",
    )
