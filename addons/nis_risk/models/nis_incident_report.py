from odoo import api, fields, models


class NisIncidentReport(models.Model):
    """One report due for an incident (early warning, notification, final …).

    Access: follows the incident (NIS officers and managers; users for incidents
    they reported).
    """

    _name = "nis.incident.report"
    _description = "Incident Report"
    _order = "deadline, id"
    _check_company_auto = True

    incident_id = fields.Many2one(
        "nis.incident", required=True, ondelete="cascade", index=True
    )
    step_id = fields.Many2one(
        "nis.incident.regime.step", required=True, ondelete="restrict"
    )
    name = fields.Char(related="step_id.name")
    deadline = fields.Datetime(required=True)
    sent_at = fields.Datetime(string="Sent at")
    alerted = fields.Boolean(copy=False)
    is_overdue = fields.Boolean(
        compute="_compute_is_overdue", search="_search_is_overdue"
    )
    company_id = fields.Many2one(related="incident_id.company_id", store=True)

    @api.depends("deadline", "sent_at")
    def _compute_is_overdue(self):
        now = fields.Datetime.now()
        for report in self:
            report.is_overdue = not report.sent_at and report.deadline < now

    def _search_is_overdue(self, operator, value):
        domain = [("sent_at", "=", False), ("deadline", "<", fields.Datetime.now())]
        positive = (operator == "=") == bool(value)
        return domain if positive else ["!", "&", *domain]

    def action_mark_sent(self):
        self.write({"sent_at": fields.Datetime.now()})
        return True
