from odoo import fields, models


class MunicipalRetention(models.Model):
    """An entry of the nomenclature of files (номенклатура на делата).

    Access: every registry user reads; registry managers maintain the nomenclature.
    """

    _name = "municipal.retention"
    _description = "Nomenclature of Files Entry"
    _order = "code"
    _rec_names_search = ["code", "name"]

    code = fields.Char("Index", required=True)
    name = fields.Char(required=True, translate=True)
    years = fields.Integer(
        "Retention (years)", help="0 means the files are kept permanently."
    )
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )
    active = fields.Boolean(default=True)

    _sql_constraints = [
        (
            "code_company_unique",
            "unique(code, company_id)",
            "Another nomenclature entry has this index.",
        ),
    ]

    def _compute_display_name(self):
        for entry in self:
            entry.display_name = f"{entry.code} {entry.name}"
