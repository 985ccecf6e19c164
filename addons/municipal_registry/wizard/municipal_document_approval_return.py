from odoo import fields, models


class MunicipalDocumentApprovalReturn(models.TransientModel):
    """Return a document to its author from the current step of its route.

    Access: registry users; the document checks that the current user is the step's
    approver.
    """

    _name = "municipal.document.approval.return"
    _description = "Return a Document for Corrections"

    document_id = fields.Many2one("municipal.document", required=True)
    step = fields.Char(related="document_id.approval_current_id.name")
    comment = fields.Text(
        required=True, help="What the author is to correct before sending it again."
    )

    def action_return(self):
        self.ensure_one()
        self.document_id._approval_return(self.comment)
        return {"type": "ir.actions.act_window_close"}
