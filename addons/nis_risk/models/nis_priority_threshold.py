from odoo import _, api, fields, models
from odoo.exceptions import ValidationError


class NisPriorityThreshold(models.Model):
    """A priority band of risk scores (the methodology's threshold table as data).

    Defaults: priority 1 for 17–25, 2 for 9–16, 3 for 1–8. The seed's own table
    overlaps at 8 and 17, so the bands are editable and their changes are tracked.

    Access: NIS users read; NIS managers change the bands.
    """

    _name = "nis.priority.threshold"
    _inherit = ["mail.thread"]
    _description = "Risk Priority Threshold"
    _order = "priority"

    priority = fields.Selection(
        [("1", "Priority 1"), ("2", "Priority 2"), ("3", "Priority 3")],
        required=True,
    )
    score_from = fields.Integer(required=True, tracking=True)
    score_to = fields.Integer(required=True, tracking=True)
    color = fields.Char(required=True, default="#dc3545", tracking=True)
    treatment = fields.Text(translate=True)

    _sql_constraints = [
        ("priority_unique", "unique(priority)", "Each priority has one band."),
    ]

    @api.constrains("score_from", "score_to")
    def _check_bands(self):
        for band in self:
            if not 1 <= band.score_from <= band.score_to <= 25:
                raise ValidationError(
                    _("A band must lie within 1 and 25 and start before it ends.")
                )
        bands = self.search([])
        for band in bands:
            for other in bands - band:
                if (
                    band.score_from <= other.score_to
                    and other.score_from <= band.score_to
                ):
                    raise ValidationError(
                        _(
                            "The bands of %(one)s and %(two)s overlap.",
                            one=band.display_name,
                            two=other.display_name,
                        )
                    )

    @api.depends("priority")
    def _compute_display_name(self):
        labels = dict(self._fields["priority"]._description_selection(self.env))
        for band in self:
            band.display_name = labels.get(band.priority, "")

    def write(self, vals):
        res = super().write(vals)
        if {"score_from", "score_to"} & set(vals):
            # Open assessments follow the new bands; approved ones keep theirs.
            risks = self.env["nis.risk"].search(
                [("assessment_id.state", "in", ("draft", "submitted"))]
            )
            for name in ("priority", "color"):
                self.env.add_to_compute(risks._fields[name], risks)
        return res

    @api.model
    def _nis_priority_for(self, score):
        """The band (a record) that contains ``score``, or an empty recordset."""
        if not score:
            return self.browse()
        for band in self.sudo().search([]):
            if band.score_from <= score <= band.score_to:
                return band
        return self.browse()
