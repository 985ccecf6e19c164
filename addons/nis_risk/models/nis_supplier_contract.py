from odoo import api, fields, models


class NisSupplierContract(models.Model):
    """Security requirements agreed with a third-party supplier (NIS-10).

    Access: NIS users read the contracts they are responsible for; NIS officers and
    managers keep all contracts of their companies.
    """

    _name = "nis.supplier.contract"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _description = "Supplier Contract Security"
    _order = "date_start desc, id desc"
    _check_company_auto = True

    name = fields.Char(string="Contract", required=True, tracking=True)
    partner_id = fields.Many2one(
        "res.partner", string="Supplier", required=True, tracking=True
    )
    date_start = fields.Date(string="Start date")
    date_end = fields.Date(string="End date")
    responsible_id = fields.Many2one(
        "res.users",
        string="Responsible employee",
        tracking=True,
        help="Watches the security clauses and the service levels (art. 13(2)).",
    )
    asset_ids = fields.Many2many("nis.asset", string="Assets", check_company=True)
    clause_ids = fields.Many2many(
        "nis.supplier.clause",
        string="Agreed clauses",
        help="Tick the clauses of art. 13(1) the contract contains.",
    )
    missing_clause_ids = fields.Many2many(
        "nis.supplier.clause",
        string="Missing clauses",
        compute="_compute_missing_clause_ids",
    )
    is_complete = fields.Boolean(
        compute="_compute_missing_clause_ids", string="All clauses agreed"
    )
    service_levels = fields.Text(
        string="Agreed service levels",
        help="Response time, recovery time, availability, contact points.",
    )
    breach_plan = fields.Text(
        string="Plan for a breach",
        help="What the municipality does if the supplier breaks the agreed clauses "
        "(art. 13(3)).",
    )
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )
    active = fields.Boolean(default=True)

    @api.depends("clause_ids")
    def _compute_missing_clause_ids(self):
        required = self.env["nis.supplier.clause"].search([])
        for contract in self:
            missing = required - contract.clause_ids
            contract.missing_clause_ids = missing
            contract.is_complete = not missing
