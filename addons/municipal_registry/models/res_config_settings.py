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
    municipal_clamd_connection = fields.Selection(
        related="company_id.municipal_clamd_connection", readonly=False
    )
    municipal_clamd_socket = fields.Char(
        related="company_id.municipal_clamd_socket", readonly=False
    )
    municipal_clamd_host = fields.Char(
        related="company_id.municipal_clamd_host", readonly=False
    )
    municipal_clamd_port = fields.Integer(
        related="company_id.municipal_clamd_port", readonly=False
    )
    municipal_clamd_timeout = fields.Integer(
        related="company_id.municipal_clamd_timeout", readonly=False
    )
    municipal_scan_max_file_size_mb = fields.Integer(
        related="company_id.municipal_scan_max_file_size_mb", readonly=False
    )
    municipal_resolution_roll_over = fields.Boolean(
        related="company_id.municipal_resolution_roll_over", readonly=False
    )
    municipal_destruction_document_type_id = fields.Many2one(
        related="company_id.municipal_destruction_document_type_id", readonly=False
    )
