from odoo import fields, models


class MunicipalCaseClose(models.TransientModel):
    _name = "municipal.case.close"
    _description = "Close a Case File"

    case_id = fields.Many2one("municipal.case", required=True)
    reason = fields.Text(required=True)

    def action_close(self):
        self.ensure_one()
        self.case_id.action_close(self.reason)
        return {"type": "ir.actions.act_window_close"}
