from odoo import fields, models


class NisAssetCategory(models.Model):
    """A category of information assets from the risk assessment methodology.

    Access: NIS users read; NIS managers maintain the list, since it is part of the
    method.
    """

    _name = "nis.asset.category"
    _description = "Information Asset Category"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    description = fields.Text(translate=True)
    active = fields.Boolean(default=True)

    _sql_constraints = [
        (
            "name_unique",
            "unique(name)",
            "An asset category with this name already exists.",
        ),
    ]
