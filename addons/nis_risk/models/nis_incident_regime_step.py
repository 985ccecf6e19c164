from datetime import datetime, time

import pytz
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

        Working days follow the company's working-time calendar.

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
        calendar = company.resource_calendar_id
        if not calendar:
            return start + relativedelta(days=self.amount)
        # Terms in days run from the day after the detection (in the calendar's
        # time zone) and end with the last working hour of the last working day.
        tz = pytz.timezone(calendar.tz or "UTC")
        local = pytz.utc.localize(start).astimezone(tz)
        next_day = tz.localize(
            datetime.combine(local.date() + relativedelta(days=1), time.min)
        )
        found = calendar.plan_days(self.amount, next_day, compute_leaves=True)
        if not found:
            return start + relativedelta(days=self.amount)
        day = found.astimezone(tz).date()
        day_start = tz.localize(datetime.combine(day, time.min))
        day_end = tz.localize(datetime.combine(day, time.max))
        intervals = calendar._work_intervals_batch(day_start, day_end)[False]
        end = max((stop for _start, stop, _meta in intervals), default=found)
        return end.astimezone(pytz.utc).replace(tzinfo=None)
