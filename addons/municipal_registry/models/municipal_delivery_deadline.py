from odoo import api, fields, models


class MunicipalDeliveryDeadline(models.Model):
    """A deadline that a proof of delivery started (an answer or an appeal period).

    Derived from the proof and the rules of the document's kind; recomputed when the
    proof changes. Access: read as the document; written only by the proof.
    """

    _name = "municipal.delivery.deadline"
    _description = "Follow-up Deadline"
    _order = "date_due, id"

    proof_id = fields.Many2one(
        "municipal.delivery.proof", required=True, ondelete="cascade", index=True
    )
    document_id = fields.Many2one(
        related="proof_id.document_id", store=True, index=True, precompute=True
    )
    company_id = fields.Many2one(
        related="proof_id.company_id", store=True, index=True, precompute=True
    )
    partner_id = fields.Many2one(related="proof_id.partner_id", string="Recipient")
    rule_id = fields.Many2one(
        "municipal.deadline.rule", string="Deadline", required=True, ondelete="restrict"
    )
    legal_basis = fields.Char(related="rule_id.legal_basis")
    start_date = fields.Date("Counted from", required=True)
    date_due = fields.Date("Due date", required=True, index=True)
    is_open = fields.Boolean("Running", compute="_compute_is_open")

    @api.depends("date_due")
    @api.depends_context("tz")
    def _compute_is_open(self):
        today = fields.Date.context_today(self)
        for deadline in self:
            deadline.is_open = deadline.date_due >= today
