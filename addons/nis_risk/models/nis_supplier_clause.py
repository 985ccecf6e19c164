from odoo import fields, models


class NisSupplierClause(models.Model):
    """A security clause the policy requires in supplier contracts (art. 13).

    Access: NIS users read; NIS managers maintain the list.
    """

    _name = "nis.supplier.clause"
    _description = "Supplier Security Clause"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    description = fields.Text(translate=True)
    active = fields.Boolean(default=True)
