import pytz

from odoo import fields, models

# Bulgarian municipalities keep Sofia time; a company may set another on its partner.
DEFAULT_TZ = "Europe/Sofia"


class ResCompany(models.Model):
    _inherit = "res.company"

    municipal_max_file_size_mb = fields.Integer(
        "Largest file accepted (MB)",
        default=20,
        help="A received document with a larger file is not registered "
        "(art. 6(7) of the "
        "SEOS rules).",
    )

    municipal_calendar_id = fields.Many2one(
        "resource.calendar",
        string="Working-day calendar",
        default=lambda self: self.env.ref(
            "municipal_registry.municipal_calendar_default", raise_if_not_found=False
        ),
        help="Working hours and non-working days of the municipal administration; "
        "every deadline of the register is counted on it.",
    )
    municipal_registration_margin_hours = fields.Float(
        "Registration cut-off (hours)",
        default=1.0,
        help="An electronic document received later than this before the end of the "
        "working day is registered on the next working day (art. 6(2) of the rules "
        "for the document flow).",
    )
    municipal_resolution_roll_over = fields.Boolean(
        "Move resolution deadlines to a working day",
        default=True,
        help="A deadline date of a resolution that falls on a non-working day moves to "
        "the next working day; when off, such a date is refused. A deadline rule "
        "decides this for itself.",
    )

    def _municipal_calendar(self):
        """The municipality's working-day calendar."""
        self.ensure_one()
        calendar = self.municipal_calendar_id or self.resource_calendar_id
        if not calendar:
            calendar = self.env.ref(
                "municipal_registry.municipal_calendar_default",
                raise_if_not_found=False,
            )
        return calendar

    def _municipal_max_file_bytes(self):
        self.ensure_one()
        return (self.municipal_max_file_size_mb or 0) * 1024 * 1024 or float("inf")

    def _municipal_tz(self):
        self.ensure_one()
        return pytz.timezone(self.partner_id.tz or DEFAULT_TZ)

    def _municipal_localize(self, moment):
        """The municipality's local time of a naive UTC datetime."""
        return pytz.utc.localize(moment).astimezone(self._municipal_tz())
