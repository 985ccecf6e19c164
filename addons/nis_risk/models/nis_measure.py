from odoo import _, api, fields, models
from odoo.exceptions import UserError


class NisMeasure(models.Model):
    """A planned measure that treats a risk (NIS-04), with status and progress.

    Access: a NIS user reads and updates measures they are responsible for or whose
    risk they own; NIS officers and managers keep all measures of their companies.
    """

    _name = "nis.measure"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _description = "Risk Treatment Measure"
    _order = "deadline, id"
    _check_company_auto = True

    name = fields.Char(string="Measure", required=True, tracking=True)
    risk_id = fields.Many2one(
        "nis.risk", required=True, ondelete="cascade", check_company=True, index=True
    )
    assessment_id = fields.Many2one(related="risk_id.assessment_id", store=True)
    asset_id = fields.Many2one(related="risk_id.asset_id", store=True)
    owner_id = fields.Many2one(related="risk_id.owner_id", store=True)
    resources = fields.Text(string="Resources needed")
    responsible_id = fields.Many2one("res.users", string="Responsible", tracking=True)
    deadline = fields.Date(tracking=True)
    # planned -> in_progress -> done
    #    |  <-------'  |       |
    #    |             v       v
    #    '-------> cancelled   in_progress (reopened)
    # cancelled -> planned
    status = fields.Selection(
        [
            ("planned", "Planned"),
            ("in_progress", "In progress"),
            ("done", "Done"),
            ("cancelled", "Cancelled"),
        ],
        default="planned",
        required=True,
        tracking=True,
    )
    progress = fields.Integer(string="Progress (%)", default=0)
    is_overdue = fields.Boolean(
        compute="_compute_is_overdue", search="_search_is_overdue"
    )
    company_id = fields.Many2one(related="risk_id.company_id", store=True)

    _sql_constraints = [
        (
            "progress_range",
            "CHECK(progress BETWEEN 0 AND 100)",
            "Progress goes from 0 to 100%.",
        ),
    ]

    @api.depends("deadline", "status")
    def _compute_is_overdue(self):
        today = fields.Date.context_today(self)
        for measure in self:
            measure.is_overdue = bool(
                measure.deadline
                and measure.deadline < today
                and measure.status in ("planned", "in_progress")
            )

    def _search_is_overdue(self, operator, value):
        today = fields.Date.context_today(self)
        domain = [
            ("deadline", "<", today),
            ("status", "in", ("planned", "in_progress")),
        ]
        positive = (operator == "=") == bool(value)
        return domain if positive else ["!", "&", *domain]

    _TRANSITIONS = {
        "planned": {"in_progress", "done", "cancelled"},
        "in_progress": {"planned", "done", "cancelled"},
        "done": {"in_progress"},
        "cancelled": {"planned"},
    }

    def write(self, vals):
        if "status" in vals:
            self._check_state_transition(vals["status"])
        if vals.get("status") == "done" and "progress" not in vals:
            vals = dict(vals, progress=100)
        return super().write(vals)

    def _check_state_transition(self, new_state):
        """Refuse status changes outside the diagram above ``status``."""
        labels = dict(self._fields["status"]._description_selection(self.env))
        for measure in self:
            if (
                measure.status != new_state
                and new_state not in self._TRANSITIONS[measure.status]
            ):
                raise UserError(
                    _(
                        "A measure cannot go from %(old)s to %(new)s.",
                        old=labels[measure.status],
                        new=labels.get(new_state, new_state),
                    )
                )
