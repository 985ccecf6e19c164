from odoo import api, fields, models


class NisScaleLevel(models.Model):
    """One level (1–5) of the impact or the likelihood scale, with its meaning.

    Access: NIS users read; NIS managers maintain the scales (part of the method).
    """

    _name = "nis.scale.level"
    _inherit = ["mail.thread"]
    _description = "Scale Level"
    _order = "scale, value"
    _rec_names_search = ["name", "value"]

    scale = fields.Selection(
        [("impact", "Impact"), ("likelihood", "Likelihood")],
        required=True,
    )
    value = fields.Integer(required=True, tracking=True)
    name = fields.Char(required=True, translate=True, tracking=True)
    description = fields.Text(translate=True)
    percent_from = fields.Integer(string="Likelihood from (%)", tracking=True)
    percent_to = fields.Integer(string="Likelihood to (%)", tracking=True)

    _sql_constraints = [
        (
            "scale_value_unique",
            "unique(scale, value)",
            "Each value appears once on a scale.",
        ),
        (
            "value_range",
            "CHECK(value BETWEEN 1 AND 5)",
            "Scale values go from 1 to 5.",
        ),
    ]

    @api.depends("value", "name")
    def _compute_display_name(self):
        for level in self:
            level.display_name = f"{level.value} – {level.name}"
