from odoo import fields, models


class MunicipalDocumentDeclared(models.Model):
    """An attachment the document says it has (описано приложение).

    The clerk checks each one against the files received and records those missing
    (art. 6(1)3 of the SEOS rules, art. 5(1)3 of the e-Delivery rules).
    Access: follows the document.
    """

    _name = "municipal.document.declared"
    _description = "Declared Attachment"
    _order = "sequence, id"

    document_id = fields.Many2one(
        "municipal.document", required=True, ondelete="cascade", index=True
    )
    sequence = fields.Integer(default=10)
    name = fields.Char("Attachment", required=True)
    pages = fields.Integer()
    present = fields.Boolean(default=True)
    note = fields.Char()
