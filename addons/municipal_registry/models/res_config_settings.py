from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    municipal_max_file_size_mb = fields.Integer(
        related="company_id.municipal_max_file_size_mb", readonly=False
    )
    municipal_calendar_id = fields.Many2one(
        related="company_id.municipal_calendar_id", readonly=False
    )
    municipal_registration_margin_hours = fields.Float(
        related="company_id.municipal_registration_margin_hours", readonly=False
    )
    municipal_resolution_roll_over = fields.Boolean(
        related="company_id.municipal_resolution_roll_over", readonly=False
    )
