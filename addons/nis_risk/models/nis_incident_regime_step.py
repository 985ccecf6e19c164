from dateutil.relativedelta import relativedelta

from odoo import fields, models


class NisIncidentRegimeStep(models.Model):
    """One reporting step of a regime and its deadline from the detection.

    Access: NIS users read; NIS managers maintain.
    """

    _name = "nis.incident.regime.step"
    _description = "Incident Reporting Step"
    _order = "regime_id, sequence, id"

    regime_id = fields.Many2one(
        "nis.incident.regime", required=True, ondelete="cascade"
    )
    sequence = fields.Integer(default=10)
    name = fields.Char(required=True, translate=True)
    amount = fields.Integer(required=True)
    unit = fields.Selection(
        [
            ("hours", "Hours"),
            ("days", "Days"),
            ("working_days", "Working days"),
            ("months", "Months"),
        ],
        required=True,
        default="hours",
    )
    significant_only = fields.Boolean(
        help="The step applies only to significant incidents."
    )

    def _nis_deadline(self, start, company):
        """The deadline of this step for an incident detected at ``start``.

        Working days follow the municipality's working-day calendar.

        :param start: naive UTC datetime of the detection
        :return: naive UTC datetime
        """
        self.ensure_one()
        if self.unit == "hours":
            return start + relativedelta(hours=self.amount)
        if self.unit == "days":
            return start + relativedelta(days=self.amount)
        if self.unit == "months":
            return start + relativedelta(months=self.amount)
        # Terms in working days run from the day after the detection (in the
        # calendar's time zone) and end with the end of the last working day, on the
        # municipality's working-day calendar (holidays and days off included).
        calendar = company._municipal_calendar()
        day = calendar.municipal_add_working_days(
            calendar._municipal_localize(start).date(), self.amount
        )
        return calendar.municipal_end_of_working_day(day)
