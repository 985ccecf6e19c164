from odoo import fields, models


class MunicipalDocumentApprovalReturn(models.TransientModel):
    """Return a document to its author from the current step of its route, or
    approve the step with a remark that is printed with the visa.

    Access: registry users; the document checks that the current user is the step's
    approver.
    """

    _name = "municipal.document.approval.return"
    _description = "Return a Document for Corrections"

    document_id = fields.Many2one("municipal.document", required=True)
    step = fields.Char(related="document_id.approval_current_id.name")
    decision = fields.Selection(
        [("approve", "Approve with a remark"), ("return", "Return for corrections")],
        required=True,
        default="return",
    )
    comment = fields.Text(
        help="What the author is to correct before sending it again, or the remark "
        "that goes with the visa."
    )

    def action_return(self):
        self.ensure_one()
        if self.decision == "approve":
            self.document_id._approval_approve(self.comment)
        else:
            # A return without a comment is refused by the document itself.
            self.document_id._approval_return(self.comment)
        return {"type": "ir.actions.act_window_close"}
