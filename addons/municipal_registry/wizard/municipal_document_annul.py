from odoo import fields, models


class MunicipalDocumentAnnul(models.TransientModel):
    _name = "municipal.document.annul"
    _description = "Annul a Registration"

    document_id = fields.Many2one("municipal.document", required=True)
    reason = fields.Text(required=True)

    def action_annul(self):
        self.ensure_one()
        self.document_id._annul(self.reason)
        return {"type": "ir.actions.act_window_close"}
