from odoo import fields, models


class MunicipalDeadlineRule(models.Model):
    """A legal or internal deadline, kept as data because laws and orders change it.

    Access: every registry user reads; registry managers maintain the rules.
    """

    _name = "municipal.deadline.rule"
    _description = "Deadline Rule"
    _order = "name"

    name = fields.Char(required=True, translate=True)
    amount = fields.Integer(required=True, default=14)
    unit = fields.Selection(
        [
            ("calendar_days", "Calendar days"),
            ("working_days", "Working days"),
            ("months", "Months"),
            ("hours", "Hours"),
        ],
        required=True,
        default="calendar_days",
    )
    start = fields.Selection(
        [
            ("registration", "Registration"),
            ("delivery", "Proof of delivery"),
            ("decision", "Decision date"),
        ],
        required=True,
        default="registration",
        help="The event from which the count starts.",
    )
    roll_over = fields.Boolean(
        default=True,
        help="When the last day is not a working day, the deadline moves to the next "
        "working day.",
    )
    legal_basis = fields.Char(help="The provision that sets this deadline.")
    date_from = fields.Date("Effective from")
    date_to = fields.Date("Effective until")
    active = fields.Boolean(default=True)
