from odoo import _, api, fields, models
from odoo.exceptions import ValidationError


class MunicipalApprovalRoute(models.Model):
    """A route template (маршрут за съгласуване): who approves a document of a kind, and
    in which order, before it is numbered and sent.

    Access: every registry user reads; registry managers configure. A document copies
    the route when it is sent for approval, so a later change of the template does not
    touch documents already on their way.
    """

    _name = "municipal.approval.route"
    _description = "Approval Route"
    _order = "name, id"
    _check_company_auto = True

    name = fields.Char(required=True)
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, index=True
    )
    active = fields.Boolean(default=True)
    step_ids = fields.One2many(
        "municipal.approval.route.step", "route_id", string="Steps", copy=True
    )
    document_type_ids = fields.One2many(
        "municipal.document.type", "approval_route_id", string="Document kinds"
    )
    step_count = fields.Integer("Number of steps", compute="_compute_step_count")
    note = fields.Text("Notes")

    @api.depends("step_ids")
    def _compute_step_count(self):
        for route in self:
            route.step_count = len(route.step_ids)

    @api.constrains("active", "step_ids")
    def _check_has_steps(self):
        for route in self:
            if route.active and not route.step_ids:
                raise ValidationError(
                    _(
                        "The approval route %(route)s needs at least one step.",
                        route=route.name,
                    )
                )
