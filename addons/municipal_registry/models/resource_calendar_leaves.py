from odoo import api, fields, models

# Kinds of a municipal non-working day; the first three come from the Labour Code and
# the Council of Ministers, the last from the mayor's order.
DAY_OFF_KINDS = [
    ("national", "Official holiday"),
    ("carry_over", "Carried-over holiday"),
    ("government", "Day off by the Council of Ministers"),
    ("local", "Local holiday by the mayor's order"),
]


class ResourceCalendarLeaves(models.Model):
    """A non-working day of a municipal calendar, with its kind and legal basis.

    Global leaves (no resource) of a calendar are its days off for every deadline the
    register counts. Days from the ``holidays`` library are marked as generated so that
    re-generating a year replaces them and leaves the manager's own entries alone.
    """

    _inherit = "resource.calendar.leaves"

    municipal_kind = fields.Selection(DAY_OFF_KINDS, string="Kind of day off")
    municipal_legal_basis = fields.Char(
        "Legal basis",
        help="The provision, decision or order that makes the day a non-working day, "
        "e.g. 'Решение № 296 от 30.08.2024 на Общински съвет'.",
    )
    municipal_generated = fields.Boolean(
        "Generated",
        readonly=True,
        help="Taken from the national calendar; re-generating the year replaces it.",
    )
    municipal_day = fields.Date(
        "Day",
        compute="_compute_municipal_day",
        inverse="_inverse_municipal_day",
        store=True,
        index=True,
    )

    @api.depends("date_from", "calendar_id.tz")
    def _compute_municipal_day(self):
        for leave in self:
            if not leave.date_from:
                leave.municipal_day = False
                continue
            calendar = leave.calendar_id
            leave.municipal_day = (
                calendar._municipal_localize(leave.date_from).date()
                if calendar
                else leave.date_from.date()
            )

    def _inverse_municipal_day(self):
        # A day off is entered as a day; the leave spans it in the calendar's time.
        for leave in self:
            if leave.municipal_day and leave.calendar_id:
                leave.date_from = leave.calendar_id._municipal_to_utc(
                    leave.municipal_day, 0
                )
                leave.date_to = leave.calendar_id._municipal_to_utc(
                    leave.municipal_day, 24
                )

    @api.onchange("municipal_day", "calendar_id")
    def _onchange_municipal_day(self):
        self._inverse_municipal_day()

    @api.model
    def default_get(self, fields_list):
        # EXTENDS resource: a day off entered in the register's list belongs to the
        # municipality's calendar, not to the employees' default one.
        values = super().default_get(fields_list)
        if self.env.context.get("municipal_day_off") and "calendar_id" in fields_list:
            values["calendar_id"] = self.env.company._municipal_calendar().id
        return values
