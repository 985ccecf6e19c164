from odoo import _, api, fields, models
from odoo.exceptions import ValidationError


class MunicipalApprovalRouteStep(models.Model):
    """One step of an approval route: a role (as printed in the visa footer) and who
    may approve in it, a named user or any member of a group.

    Access: every registry user reads; registry managers configure.
    """

    _name = "municipal.approval.route.step"
    _description = "Approval Route Step"
    _order = "route_id, sequence, id"
    _check_company_auto = True

    route_id = fields.Many2one(
        "municipal.approval.route", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(related="route_id.company_id", store=True)
    sequence = fields.Integer(default=10)
    name = fields.Char(
        "Role",
        required=True,
        help="The role as printed in the visa footer, e.g. Director of directorate.",
    )
    user_id = fields.Many2one(
        "res.users",
        string="Approver",
        check_company=True,
        domain="[('share', '=', False)]",
    )
    group_id = fields.Many2one(
        "res.groups",
        string="Or any member of",
        help="Any member of this group may approve in this step, e.g. when a deputy "
        "stands in for the approver. Keep such groups small: each member gets a to-do.",
    )

    # "name" is always written on create, so a step created without approver is
    # checked too (constraints run only for the fields written).
    @api.constrains("name", "user_id", "group_id")
    def _check_approver(self):
        for step in self:
            if not step.user_id and not step.group_id:
                raise ValidationError(
                    _(
                        "Step %(step)s of the route %(route)s needs an approver or a "
                        "group.",
                        step=step.name,
                        route=step.route_id.name,
                    )
                )
