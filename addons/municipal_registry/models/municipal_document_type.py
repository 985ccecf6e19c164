from odoo import _, api, fields, models
from odoo.exceptions import ValidationError


class MunicipalDocumentType(models.Model):
    """A kind of document (вид документ) and how it is handled.

    Access: every registry user reads; registry managers configure.
    """

    _name = "municipal.document.type"
    _description = "Document Kind"
    _order = "sequence, name"
    _check_company_auto = True

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )
    direction = fields.Selection(
        [
            ("incoming", "Incoming"),
            ("outgoing", "Outgoing"),
            ("internal", "Internal"),
            ("any", "Any"),
        ],
        required=True,
        default="any",
    )
    register_id = fields.Many2one(
        "municipal.register", string="Default register", check_company=True
    )
    opens_case = fields.Boolean(
        "Opens a case file",
        help="Registering a document of this kind opens a case file numbered after it.",
    )
    deadline_rule_id = fields.Many2one(
        "municipal.deadline.rule",
        string="Default deadline",
        help="The deadline resolutions on documents of this kind get by default.",
    )
    retention_id = fields.Many2one(
        "municipal.retention", string="Nomenclature index", check_company=True
    )
    requires_signature = fields.Boolean("Needs an electronic signature")
    channel_ids = fields.Many2many(
        "municipal.document.channel",
        string="Allowed channels",
        help="Leave empty to allow every channel.",
    )
    approval_route_id = fields.Many2one(
        "municipal.approval.route",
        string="Approval route",
        check_company=True,
        help="Outgoing and internal documents of this kind are numbered and sent only "
        "after every step of this route has approved them.",
    )
    active = fields.Boolean(default=True)

    @api.constrains("register_id", "direction")
    def _check_register_direction(self):
        for kind in self:
            register = kind.register_id
            if (
                register
                and register.direction != "any"
                and kind.direction not in ("any", register.direction)
            ):
                raise ValidationError(
                    _(
                        "The register %(register)s does not number %(direction)s "
                        "documents.",
                        register=register.name,
                        direction=kind.direction,
                    )
                )
