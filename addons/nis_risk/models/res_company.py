from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    nis_approval_document_type_id = fields.Many2one(
        "municipal.document.type",
        string="Kind of document for approved NIS assessments",
        help="Approved risk assessments are registered in the register as documents of "
        "this kind.",
    )
