from odoo import _, api, fields, models
from odoo.exceptions import UserError


class MunicipalCalendarGenerate(models.TransientModel):
    """Re-generate a year's national non-working days of a calendar (managers)."""

    _name = "municipal.calendar.generate"
    _description = "Generate Non-working Days"

    calendar_id = fields.Many2one(
        "resource.calendar",
        required=True,
        default=lambda self: self.env.company._municipal_calendar(),
    )
    year = fields.Integer(
        required=True, default=lambda self: fields.Date.context_today(self).year + 1
    )

    @api.constrains("year")
    def _check_year(self):
        for wizard in self:
            if not 1990 <= wizard.year <= 2100:
                raise UserError(_("Give a year between 1990 and 2100."))

    def action_generate(self):
        self.ensure_one()
        self.calendar_id.municipal_generate_year(self.year)
        return {
            "type": "ir.actions.act_window",
            "name": _("Non-working days"),
            "res_model": "resource.calendar.leaves",
            "view_mode": "list,form",
            "views": [
                (
                    self.env.ref("municipal_registry.municipal_day_off_view_list").id,
                    "list",
                )
            ],
            "domain": [
                ("calendar_id", "=", self.calendar_id.id),
                ("resource_id", "=", False),
                ("municipal_day", ">=", f"{self.year}-01-01"),
                ("municipal_day", "<=", f"{self.year}-12-31"),
            ],
        }
