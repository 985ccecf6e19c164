from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    nis_approval_document_type_id = fields.Many2one(
        related="company_id.nis_approval_document_type_id", readonly=False
    )
