import datetime

from dateutil.relativedelta import relativedelta

from odoo import _, api, fields, models
from odoo.exceptions import ValidationError


class MunicipalDeadlineRule(models.Model):
    """A legal or internal deadline, kept as data because laws and orders change it.

    A rule is looked up by its code and the day the count starts
    (:meth:`_municipal_find`), so a new version of a rule with a later "effective from"
    takes over on that day without touching the old one. Its last day is computed on a
    municipal working-day calendar (:meth:`municipal_deadline`).

    Access: every registry user reads; registry managers maintain the rules.
    """

    _name = "municipal.deadline.rule"
    _description = "Deadline Rule"
    _order = "name, date_from desc"

    name = fields.Char(required=True, translate=True)
    code = fields.Char(
        index=True,
        help="Names the rule for the programs that use it (e.g. 'resolution', "
        "'appeal'); the versions of one rule share the code.",
    )
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

    @api.constrains("amount", "date_from", "date_to")
    def _check_amount_dates(self):
        for rule in self:
            if rule.amount < 0:
                raise ValidationError(_("A deadline cannot be negative."))
            if rule.date_from and rule.date_to and rule.date_to < rule.date_from:
                raise ValidationError(
                    _(
                        "A rule cannot end before it takes effect: %(name)s.",
                        name=rule.name,
                    )
                )

    def municipal_is_effective(self, day):
        """True when the rule applies to a count starting on ``day``."""
        self.ensure_one()
        return (not self.date_from or self.date_from <= day) and (
            not self.date_to or day <= self.date_to
        )

    @api.model
    def _municipal_find(self, code, day):
        """The rule with ``code`` in effect on ``day``, or an empty recordset."""
        rules = self.search([("code", "=", code)])
        effective = rules.filtered(lambda r: r.municipal_is_effective(day))
        return effective.sorted(
            lambda r: r.date_from or datetime.date.min, reverse=True
        )[:1]

    def municipal_deadline(self, start, calendar=None):
        """The deadline of a count that starts at ``start``.

        :param start: a date, or a naive UTC datetime (then its local date counts; for
            a rule in hours the datetime itself).
        :param calendar: the ``resource.calendar`` to count on; by default the
            municipality's.
        :returns: the last day (a date) — rolled over to the next working day when the
            rule says so; for a rule in hours, a naive UTC datetime.
        """
        self.ensure_one()
        calendar = calendar or self.env.company._municipal_calendar()
        if self.unit == "hours":
            if not isinstance(start, datetime.datetime):
                raise ValidationError(
                    _("A deadline in hours starts at a moment, not on a day.")
                )
            return start + relativedelta(hours=self.amount)
        if isinstance(start, datetime.datetime):
            start = calendar._municipal_localize(start).date()
        return calendar.municipal_deadline(
            start, self.amount, self.unit, roll_over=self.roll_over
        )
