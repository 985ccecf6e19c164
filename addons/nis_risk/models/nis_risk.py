from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError


class NisRisk(models.Model):
    """A line of the risk register: one asset facing one threat (NIS-03, NIS-04).

    Score = impact × likelihood; the priority comes from the thresholds kept as data
    (``nis.priority.threshold``). Treatment: priority 1 is always treated with
    measures; priority 2 records the cost-versus-damage decision; priority 3 is
    accepted.

    Access: a NIS user reads the risks of the assets they own or that they are
    responsible for; NIS officers and managers keep all risks of their companies.
    Lines of an approved assessment are not edited (the assessment's guard).
    """

    _name = "nis.risk"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _description = "Risk"
    _order = "assessment_id, sequence, id"
    _check_company_auto = True

    sequence = fields.Integer(string="No.", default=10)
    assessment_id = fields.Many2one(
        "nis.assessment",
        required=True,
        ondelete="cascade",
        index=True,
        check_company=True,
    )
    asset_id = fields.Many2one(
        "nis.asset", required=True, ondelete="restrict", check_company=True
    )
    owner_id = fields.Many2one(related="asset_id.owner_id", store=True)
    threat_id = fields.Many2one("nis.threat", required=True, ondelete="restrict")
    existing_measures = fields.Text(string="Existing measures")
    impact_level_id = fields.Many2one(
        "nis.scale.level",
        string="Impact",
        domain=[("scale", "=", "impact")],
        tracking=True,
    )
    likelihood_level_id = fields.Many2one(
        "nis.scale.level",
        string="Likelihood",
        domain=[("scale", "=", "likelihood")],
        tracking=True,
    )
    impact = fields.Integer(
        related="impact_level_id.value", store=True, string="Impact value"
    )
    likelihood = fields.Integer(
        related="likelihood_level_id.value", store=True, string="Likelihood value"
    )
    score = fields.Integer(compute="_compute_score", store=True)
    priority = fields.Selection(
        [("1", "1"), ("2", "2"), ("3", "3")],
        compute="_compute_priority",
        store=True,
    )
    color = fields.Char(compute="_compute_priority", store=True)
    treatment = fields.Selection(
        [("treat", "Treat"), ("accept", "Accept")],
        tracking=True,
        help="Priority 1 is always treated; for priority 2 treat when the damage "
        "exceeds the cost of the measures; priority 3 is accepted.",
    )
    decision_note = fields.Text(
        string="Cost versus damage",
        help="Why the measures are or are not proportionate to the damage.",
    )
    acceptance_reason = fields.Text()
    responsible_id = fields.Many2one("res.users", string="Responsible", tracking=True)
    deadline = fields.Date(tracking=True)
    measure_ids = fields.One2many("nis.measure", "risk_id", string="Planned measures")
    residual_impact = fields.Integer(help="Impact after the planned measures (1–5).")
    residual_likelihood = fields.Integer(
        help="Likelihood after the planned measures (1–5)."
    )
    residual_score = fields.Integer(compute="_compute_residual_score", store=True)
    change_marker = fields.Selection(
        [
            ("new", "New"),
            ("changed", "Changed"),
            ("unchanged", "Unchanged"),
            ("removed", "Removed"),
        ],
        compute="_compute_change_marker",
        store=True,
        string="Since last assessment",
    )
    previous_risk_id = fields.Many2one("nis.risk", readonly=True, copy=False)
    is_removed = fields.Boolean(
        string="Removed", help="The asset or threat no longer applies."
    )
    needs_reassessment = fields.Boolean(tracking=True)
    company_id = fields.Many2one(related="assessment_id.company_id", store=True)

    # An incident may still flag the lines of an approved assessment.
    _NIS_WRITABLE_WHEN_APPROVED = {"needs_reassessment"}

    _sql_constraints = [
        (
            "residual_range",
            "CHECK(COALESCE(residual_impact, 0) BETWEEN 0 AND 5 "
            "AND COALESCE(residual_likelihood, 0) BETWEEN 0 AND 5)",
            "Residual impact and likelihood go from 1 to 5.",
        ),
    ]

    @api.depends("impact", "likelihood")
    def _compute_score(self):
        for risk in self:
            risk.score = risk.impact * risk.likelihood

    @api.depends("score")
    def _compute_priority(self):
        thresholds = self.env["nis.priority.threshold"]
        for risk in self:
            band = thresholds._nis_priority_for(risk.score)
            risk.priority = band.priority or False
            risk.color = band.color or False

    @api.depends("residual_impact", "residual_likelihood")
    def _compute_residual_score(self):
        for risk in self:
            risk.residual_score = risk.residual_impact * risk.residual_likelihood

    @api.depends(
        "is_removed",
        "previous_risk_id",
        "impact",
        "likelihood",
        "existing_measures",
        "asset_id",
        "threat_id",
    )
    def _compute_change_marker(self):
        for risk in self:
            previous = risk.previous_risk_id
            if risk.is_removed:
                risk.change_marker = "removed"
            elif not previous:
                risk.change_marker = "new"
            elif (
                previous.impact,
                previous.likelihood,
                previous.existing_measures or "",
                previous.asset_id,
                previous.threat_id,
            ) != (
                risk.impact,
                risk.likelihood,
                risk.existing_measures or "",
                risk.asset_id,
                risk.threat_id,
            ):
                risk.change_marker = "changed"
            else:
                risk.change_marker = "unchanged"

    def write(self, vals):
        if set(vals) - self._NIS_WRITABLE_WHEN_APPROVED:
            locked = self.filtered(
                lambda r: r.assessment_id.state in ("approved", "superseded")
            )
            if locked:
                raise UserError(
                    _(
                        "The risks of an approved assessment are not changed; start "
                        "a re-assessment instead."
                    )
                )
        return super().write(vals)

    @api.constrains("impact_level_id", "likelihood_level_id")
    def _check_scales(self):
        for risk in self:
            if (risk.impact_level_id and risk.impact_level_id.scale != "impact") or (
                risk.likelihood_level_id
                and risk.likelihood_level_id.scale != "likelihood"
            ):
                raise ValidationError(
                    _("Impact and likelihood must be chosen on their own scales.")
                )

    @api.onchange("priority")
    def _onchange_priority(self):
        if self.priority == "1":
            self.treatment = "treat"
        elif self.priority == "3" and not self.treatment:
            self.treatment = "accept"

    def _nis_treatment_problems(self):
        """Why these risks do not yet allow their assessment to be approved.

        :return: a list of translated messages, empty when every line is ready
        """
        problems = []
        for risk in self.filtered(lambda r: not r.is_removed):
            label = f"{risk.sequence}. {risk.asset_id.name} / {risk.threat_id.name}"
            if not risk.priority:
                problems.append(_("%(risk)s: impact or likelihood missing", risk=label))
            elif risk.priority == "1":
                ready = risk.measure_ids.filtered(
                    lambda m: m.resources
                    and m.responsible_id
                    and m.deadline
                    and m.status != "cancelled"
                )
                if not ready:
                    problems.append(
                        _(
                            "%(risk)s: priority 1 needs measures with resources, a "
                            "responsible person and a deadline",
                            risk=label,
                        )
                    )
            elif risk.priority == "2":
                if risk.treatment == "treat":
                    if not (risk.responsible_id and risk.deadline):
                        problems.append(
                            _(
                                "%(risk)s: a treated priority 2 risk needs a "
                                "responsible person and a deadline",
                                risk=label,
                            )
                        )
                elif risk.treatment == "accept":
                    if not risk.acceptance_reason:
                        problems.append(
                            _(
                                "%(risk)s: an accepted priority 2 risk needs the "
                                "reason",
                                risk=label,
                            )
                        )
                else:
                    problems.append(
                        _(
                            "%(risk)s: priority 2 needs the decision to treat or "
                            "accept",
                            risk=label,
                        )
                    )
        return problems

    def action_mark_reassessed(self):
        self.write({"needs_reassessment": False})
        return True
