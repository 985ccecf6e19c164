from odoo import fields, models


class MunicipalDocumentRefuse(models.TransientModel):
    _name = "municipal.document.refuse"
    _description = "Refuse a Document without Registration"

    document_id = fields.Many2one("municipal.document", required=True)
    reason_id = fields.Many2one(
        "municipal.refusal.reason", string="Reason", required=True
    )
    note = fields.Text()

    def action_refuse(self):
        self.ensure_one()
        self.document_id._refuse(self.reason_id, self.note)
        return {"type": "ir.actions.act_window_close"}
