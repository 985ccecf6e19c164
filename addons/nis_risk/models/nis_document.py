from dateutil.relativedelta import relativedelta

from odoo import _, api, fields, models
from odoo.exceptions import UserError


class NisDocument(models.Model):
    """A security document the policy requires (NIS-09), reviewed yearly.

    Access: a document is read only by those who need to know it: its author, its
    approver and its listed readers (need-to-know) among NIS users; NIS officers and
    managers keep all documents of their companies.
    """

    _name = "nis.document"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _description = "Security Document"
    _order = "document_type, name"
    _check_company_auto = True

    name = fields.Char(string="Title", required=True, tracking=True)
    document_type = fields.Selection(
        [
            ("asset_inventory", "Inventory of information assets"),
            ("connectivity_diagram", "Physical connectivity diagram"),
            ("cabling", "Cabling and information-flow documentation"),
            ("instructions", "Operating instructions"),
            ("user_rules", "Internal rules for users"),
            ("policy", "NIS policy"),
            ("methodology", "Risk assessment methodology"),
            ("register", "Risk register"),
            ("plan", "Risk reduction plan"),
            ("other", "Other"),
        ],
        required=True,
        default="other",
    )
    version = fields.Char(tracking=True)
    date = fields.Date(default=fields.Date.context_today, tracking=True)
    author_id = fields.Many2one(
        "res.users", default=lambda self: self.env.user, tracking=True
    )
    number = fields.Char(tracking=True)
    classification = fields.Selection(
        [
            ("red", "TLP:RED"),
            ("amber", "TLP:AMBER"),
            ("green", "TLP:GREEN"),
            ("white", "TLP:CLEAR"),
        ],
        default="amber",
        required=True,
        tracking=True,
    )
    approver_id = fields.Many2one("res.users", tracking=True)
    approval_date = fields.Date(tracking=True)
    next_review_date = fields.Date(
        compute="_compute_next_review_date",
        store=True,
        readonly=False,
        tracking=True,
    )
    reader_ids = fields.Many2many(
        "res.users", string="Need-to-know readers", check_company=False
    )
    attachment_ids = fields.Many2many("ir.attachment", string="Files")
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )
    active = fields.Boolean(default=True)

    @api.depends("date", "approval_date")
    def _compute_next_review_date(self):
        for document in self:
            base = document.approval_date or document.date
            document.next_review_date = base and base + relativedelta(years=1)

    def action_approve(self):
        """Record the approval by the mayor or a delegate (a NIS manager)."""
        self.check_access("write")
        if not self.env.user.has_group("nis_risk.group_nis_manager"):
            raise UserError(_("Only the mayor or a delegate (NIS manager) approves."))
        self.write(
            {
                "approver_id": self.env.user.id,
                "approval_date": fields.Date.context_today(self),
            }
        )
        return True

    def action_reviewed(self):
        """The yearly review is done: the next one is due a year from today."""
        today = fields.Date.context_today(self)
        self.write({"next_review_date": today + relativedelta(years=1)})
        self.activity_feedback(["mail.mail_activity_data_todo"])
        return True

    @api.model
    def _cron_nis_review_reminders(self):
        """Remind authors a month before a document's yearly review is due."""
        limit = fields.Date.context_today(self) + relativedelta(months=1)
        due = self.search([("next_review_date", "<=", limit)])
        for document in due:
            if document.activity_ids.filtered(
                lambda a: a.activity_type_id
                == self.env.ref("mail.mail_activity_data_todo")
            ):
                continue
            document.activity_schedule(
                "mail.mail_activity_data_todo",
                date_deadline=document.next_review_date,
                summary=_("Yearly review of the security document"),
                user_id=(document.author_id or self.env.user).id,
            )
