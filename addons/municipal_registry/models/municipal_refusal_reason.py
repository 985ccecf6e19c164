from odoo import fields, models


class MunicipalRefusalReason(models.Model):
    """Why a received document is not registered (e.g. art. 6(5)-(8) of the SEOS rules).

    Access: every registry user reads; registry managers maintain the reasons.
    """

    _name = "municipal.refusal.reason"
    _description = "Refusal Reason"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    code = fields.Char(required=True)
    sequence = fields.Integer(default=10)
    message = fields.Text(
        translate=True,
        help="What the sender is told, through the channel the document came from.",
    )
    legal_basis = fields.Char()
    active = fields.Boolean(default=True)

    _sql_constraints = [
        ("code_unique", "unique(code)", "Another refusal reason has the same code."),
    ]
