from odoo import _, api, fields, models
from odoo.exceptions import UserError


class MunicipalDestructionMember(models.Model):
    """A member of the expert commission (ЕПК) on one protocol, and their signature.

    Access: registry clerks compose the commission; the members read it and sign
    through :meth:`municipal.destruction.protocol.action_sign`.
    """

    _name = "municipal.destruction.member"
    _description = "Expert Commission Member"
    _order = "protocol_id, role, sequence, id"

    protocol_id = fields.Many2one(
        "municipal.destruction.protocol", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(
        related="protocol_id.company_id", store=True, index=True, precompute=True
    )
    sequence = fields.Integer(default=10)
    user_id = fields.Many2one(
        "res.users",
        string="Member",
        required=True,
        domain=lambda self: [
            (
                "groups_id",
                "in",
                self.env.ref("municipal_registry.group_registry_user").ids,
            )
        ],
    )
    role = fields.Selection(
        [("chairman", "Chairman"), ("member", "Member")],
        required=True,
        default="member",
    )
    job_title = fields.Char(
        "Position", help="The member's position, as it is printed on the protocol."
    )
    signed_date = fields.Datetime("Signed on", readonly=True, copy=False)

    _sql_constraints = [
        (
            "protocol_user_unique",
            "unique(protocol_id, user_id)",
            "A person sits once on the commission of a protocol.",
        ),
    ]

    def _check_protocol_draft(self):
        if any(member.protocol_id.state != "draft" for member in self):
            raise UserError(
                _("The commission of a submitted protocol does not change.")
            )

    @api.model_create_multi
    def create(self, vals_list):
        members = super().create(vals_list)
        members._check_protocol_draft()
        return members

    def write(self, vals):
        if set(vals) - {"signed_date"}:
            self._check_protocol_draft()
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_only_draft(self):
        self._check_protocol_draft()
