from odoo import fields, models


class MunicipalDocumentChannel(models.Model):
    """How a document came in or went out: counter, post, e-mail, SEOS, ССЕВ, internal.

    Channels are data so that the exchange addons add their behaviour to their own
    record. Access: every registry user reads; registry managers configure.
    """

    _name = "municipal.document.channel"
    _description = "Document Channel"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    code = fields.Char(required=True)
    sequence = fields.Integer(default=10)
    is_electronic = fields.Boolean(
        help="Documents received this way are registered by the deadline for "
        "electronic "
        "receipts (one hour before the end of the working day)."
    )
    active = fields.Boolean(default=True)

    _sql_constraints = [
        ("code_unique", "unique(code)", "Another channel has the same code."),
    ]
