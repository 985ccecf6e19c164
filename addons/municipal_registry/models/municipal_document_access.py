from odoo import fields, models


class MunicipalDocumentAccess(models.Model):
    """One opening of a restricted document: who and when.

    Written as superuser by the document; nobody edits or deletes it. Access: registry
    managers and the users allowed on the document read it.
    """

    _name = "municipal.document.access"
    _description = "Restricted Document Access"
    _order = "create_date desc, id desc"

    document_id = fields.Many2one(
        "municipal.document", required=True, ondelete="cascade", index=True
    )
    user_id = fields.Many2one("res.users", required=True, ondelete="restrict")
    company_id = fields.Many2one(related="document_id.company_id", store=True)
