from odoo import fields, models


class EthicsPosition(models.Model):
    """A public position whose holders must file declarations.

    Access: ethics officers read; ethics managers maintain the list of positions.
    """

    _name = "ethics.position"
    _description = "Position Obliged to Declare"
    _order = "sequence, name"
    _check_company_auto = True

    name = fields.Char(required=True)
    sequence = fields.Integer(default=10)
    unit = fields.Char(help="The administrative unit the position belongs to.")
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )
    active = fields.Boolean(default=True)
    note = fields.Text()
