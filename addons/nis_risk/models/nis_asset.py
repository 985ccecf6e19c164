from odoo import fields, models


class NisAsset(models.Model):
    """An information asset of the risk register (NIS-01).

    Access: a NIS user reads the assets they own; NIS officers and managers keep all
    assets of their companies.
    """

    _name = "nis.asset"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _description = "Information Asset"
    _order = "category_id, name"
    _check_company_auto = True

    name = fields.Char(required=True, tracking=True)
    category_id = fields.Many2one(
        "nis.asset.category", required=True, ondelete="restrict", tracking=True
    )
    owner_id = fields.Many2one(
        "res.users", string="Owner", tracking=True, default=lambda self: self.env.user
    )
    unit = fields.Char(string="Organisational unit")
    description = fields.Text()
    dependency_ids = fields.Many2many(
        "nis.asset",
        "nis_asset_dependency_rel",
        "asset_id",
        "dependency_id",
        string="Depends on",
        check_company=True,
        help="The hardware, software, logs and documentation this asset relies on.",
    )
    threat_ids = fields.Many2many(
        "nis.threat",
        string="Relevant threats",
        help="Threats assessed for this asset; a new asset gets one risk line per "
        "threat in the next yearly assessment.",
    )
    confidentiality = fields.Boolean(default=True)
    integrity = fields.Boolean(default=True)
    availability = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )
    active = fields.Boolean(default=True, tracking=True)
    risk_ids = fields.One2many("nis.risk", "asset_id", string="Risks")
