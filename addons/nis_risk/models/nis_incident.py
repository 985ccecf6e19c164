from odoo import _, api, fields, models
from odoo.exceptions import UserError


class NisIncident(models.Model):
    """A network and information security incident and its reporting (NIS-11).

    The reporting deadlines come from the regime in force at the detection
    (``nis.incident.regime``); an incident marks the risks of its assets for
    re-assessment.

    Access: NIS users report incidents and read those they reported; NIS officers
    and managers keep all incidents of their companies.
    """

    _name = "nis.incident"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _description = "Security Incident"
    _order = "detected_at desc, id desc"
    _check_company_auto = True

    name = fields.Char(string="Subject", required=True, tracking=True)
    detected_at = fields.Datetime(
        string="Detected at",
        required=True,
        default=fields.Datetime.now,
        tracking=True,
    )
    description = fields.Text()
    significance = fields.Selection(
        [
            ("minor", "Minor"),
            ("significant", "Significant"),
        ],
        required=True,
        default="minor",
        tracking=True,
    )
    asset_ids = fields.Many2many(
        "nis.asset", string="Affected assets", check_company=True
    )
    regime_id = fields.Many2one(
        "nis.incident.regime",
        compute="_compute_regime_id",
        store=True,
        readonly=False,
        string="Reporting regime",
    )
    # open -> contained -> closed; closed -> open (reopened)
    state = fields.Selection(
        [("open", "Open"), ("contained", "Contained"), ("closed", "Closed")],
        default="open",
        required=True,
        tracking=True,
    )
    report_ids = fields.One2many("nis.incident.report", "incident_id", string="Reports")
    is_overdue = fields.Boolean(
        compute="_compute_is_overdue", search="_search_is_overdue"
    )
    next_deadline = fields.Datetime(compute="_compute_is_overdue")
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )

    _TRANSITIONS = {
        "open": {"contained", "closed"},
        "contained": {"open", "closed"},
        "closed": {"open"},
    }

    @api.depends("detected_at")
    def _compute_regime_id(self):
        Regime = self.env["nis.incident.regime"]
        for incident in self:
            if incident.detected_at:
                incident.regime_id = Regime._nis_regime_for(incident.detected_at.date())

    @api.depends("report_ids.deadline", "report_ids.sent_at")
    def _compute_is_overdue(self):
        for incident in self:
            pending = incident.report_ids.filtered(lambda r: not r.sent_at)
            incident.is_overdue = any(pending.mapped("is_overdue"))
            incident.next_deadline = min(pending.mapped("deadline"), default=False)

    def _search_is_overdue(self, operator, value):
        overdue = self.env["nis.incident.report"].search([("is_overdue", "=", True)])
        positive = (operator == "=") == bool(value)
        return [("id", "in" if positive else "not in", overdue.incident_id.ids)]

    @api.model_create_multi
    def create(self, vals_list):
        incidents = super().create(vals_list)
        incidents._nis_plan_reports()
        incidents._nis_reopen_risks()
        return incidents

    def write(self, vals):
        if "state" in vals:
            self._check_state_transition(vals["state"])
        res = super().write(vals)
        if {"detected_at", "regime_id", "significance"} & set(vals):
            self._nis_plan_reports()
        if "asset_ids" in vals:
            self._nis_reopen_risks()
        return res

    def _check_state_transition(self, new_state):
        """Refuse transitions outside the diagram above ``state``."""
        labels = dict(self._fields["state"]._description_selection(self.env))
        for incident in self:
            if incident.state != new_state and new_state not in self._TRANSITIONS.get(
                incident.state, set()
            ):
                raise UserError(
                    _(
                        "An incident cannot go from %(old)s to %(new)s.",
                        old=labels[incident.state],
                        new=labels.get(new_state, new_state),
                    )
                )

    def _nis_plan_reports(self):
        """(Re)compute the reporting steps of the regime; sent reports are kept."""
        # sudo: a NIS user who reports an incident may not edit its reports; the
        # deadlines come only from the regime's data.
        Report = self.env["nis.incident.report"].sudo()
        for incident in self.sudo():
            incident.report_ids.filtered(lambda r: not r.sent_at).unlink()
            done = incident.report_ids.step_id
            for step in incident.regime_id.step_ids:
                if step in done:
                    continue
                if step.significant_only and incident.significance != "significant":
                    continue
                Report.create(
                    {
                        "incident_id": incident.id,
                        "step_id": step.id,
                        "deadline": step._nis_deadline(
                            incident.detected_at, incident.company_id
                        ),
                    }
                )

    def _nis_reopen_risks(self):
        """Mark the affected assets' risks of the current assessment for
        re-assessment."""
        # sudo: the reporter need not see the risks their incident reopens.
        for incident in self.sudo().filtered("asset_ids"):
            risks = (
                self.env["nis.risk"]
                .sudo()
                .search(
                    [
                        ("company_id", "=", incident.company_id.id),
                        ("assessment_id.state", "!=", "superseded"),
                        ("asset_id", "in", incident.asset_ids.ids),
                        ("needs_reassessment", "=", False),
                    ]
                )
            )
            risks.write({"needs_reassessment": True})
            for assessment in risks.assessment_id:
                assessment.message_post(
                    body=_(
                        "Incident %(incident)s: %(count)s risks marked for "
                        "re-assessment.",
                        incident=incident.name,
                        count=len(
                            risks.filtered(lambda r, a=assessment: r.assessment_id == a)
                        ),
                    )
                )

    def action_contain(self):
        self.write({"state": "contained"})
        return True

    def action_close(self):
        self.write({"state": "closed"})
        return True

    def action_reopen(self):
        self.write({"state": "open"})
        return True

    @api.model
    def _cron_nis_incident_deadlines(self):
        """Alert the incident's creator about reports past their deadline."""
        overdue = self.env["nis.incident.report"].search(
            [("is_overdue", "=", True), ("alerted", "=", False)]
        )
        for report in overdue:
            incident = report.incident_id
            incident.activity_schedule(
                "mail.mail_activity_data_todo",
                summary=_("Overdue: %(step)s", step=report.step_id.name),
                user_id=(incident.create_uid or self.env.user).id,
            )
        overdue.write({"alerted": True})
