from odoo import _, api, fields, models
from odoo.exceptions import ValidationError


class MunicipalWorkingDay(models.Model):
    """A Saturday or Sunday declared a working day, usually by the Council of Ministers
    to make up for an extra day off (e.g. "Решение № 852 на МС от 2024 г.").

    Access: every registry user reads; registry managers maintain the calendar.
    """

    _name = "municipal.working.day"
    _description = "Working Weekend Day"
    _order = "date desc"

    calendar_id = fields.Many2one(
        "resource.calendar", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(related="calendar_id.company_id", store=True)
    date = fields.Date(required=True)
    name = fields.Char("Reason", required=True, translate=True)
    legal_basis = fields.Char(
        required=True, help="The decision that declares the day a working day."
    )

    _sql_constraints = [
        (
            "calendar_date_unique",
            "unique(calendar_id, date)",
            "This day is already a working day of the calendar.",
        ),
    ]

    @api.constrains("date", "calendar_id")
    def _check_weekend(self):
        for record in self:
            if record.calendar_id._municipal_is_weekday(record.date):
                raise ValidationError(
                    _(
                        "%(day)s is a working day anyway: only a Saturday or a Sunday "
                        "is declared a working day.",
                        day=record.date,
                    )
                )
