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
    delivery_rule_ids = fields.Many2many(
        "municipal.deadline.rule",
        "municipal_document_type_delivery_rule_rel",
        "type_id",
        "rule_id",
        string="Follow-up deadlines",
        domain="[('start', '=', 'delivery')]",
        help="Deadlines that start when an outgoing document of this kind is delivered "
        "(an answer or an appeal period).",
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

    @api.constrains("delivery_rule_ids")
    def _check_delivery_rules(self):
        for kind in self:
            wrong = kind.delivery_rule_ids.filtered(lambda r: r.start != "delivery")
            if wrong:
                raise ValidationError(
                    _(
                        "The deadline %(rule)s does not start at delivery and cannot "
                        "follow a proof of delivery.",
                        rule=wrong[0].name,
                    )
                )
