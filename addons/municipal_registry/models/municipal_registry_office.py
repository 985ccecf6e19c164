from odoo import fields, models


class MunicipalRegistryOffice(models.Model):
    """A registry office (регистратура) of one administration unit.

    The municipality has its own, and so has each кметство; each keeps its own
    registers. Access: every registry user reads; registry managers configure.
    """

    _name = "municipal.registry.office"
    _description = "Registry Office"
    _order = "sequence, id"
    _check_company_auto = True

    name = fields.Char(required=True, translate=True)
    code = fields.Char(
        help="Short code of the administration unit, printed where a unit must be told "
        "apart (e.g. the кметство's code)."
    )
    sequence = fields.Integer(default=10)
    kind = fields.Selection(
        [("municipality", "Municipality"), ("mayoralty", "Mayoralty (кметство)")],
        required=True,
        default="municipality",
    )
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )
    partner_id = fields.Many2one(
        "res.partner",
        string="Address",
        help="The unit's postal address, used on envelopes and return receipts.",
    )
    calendar_id = fields.Many2one(
        "resource.calendar",
        string="Working-day calendar",
        help="Leave empty to use the municipality's. A кметство with its own local "
        "holidays or hours has its own calendar.",
    )
    register_ids = fields.One2many(
        "municipal.register", "office_id", string="Registers"
    )
    active = fields.Boolean(default=True)

    _sql_constraints = [
        (
            "code_company_unique",
            "unique(code, company_id)",
            "Another registry office of this municipality has the same code.",
        ),
    ]

    def _municipal_calendar(self):
        """The calendar this unit counts its deadlines on."""
        self.ensure_one()
        return self.calendar_id or self.company_id._municipal_calendar()
