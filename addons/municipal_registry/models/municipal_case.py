import datetime
import hmac

from odoo import Command, _, api, fields, models
from odoo.exceptions import AccessError, UserError

# State machine of a case file:
#
#   open ──close──> closed ──archive──> archived ──destruction protocol──> destroyed
#     ^───reopen──────┘
#
# "destroyed" is reached only by executing an approved destruction protocol: the files
# are gone, the register entries and the protocol stay.
CASE_TRANSITIONS = {
    "open": {"closed"},
    "closed": {"open", "archived"},
    "archived": {"destroyed"},
    "destroyed": set(),
}


class MunicipalCase(models.Model):
    """A case file (преписка): the documents of one matter across every channel.

    The case takes the number of the document that opened it. A citizen follows it on
    the website with that number and the access code printed on his receipt. Access: as
    the documents (registry users: their own cases; clerks: all of the municipality);
    registry managers configure.
    """

    _name = "municipal.case"
    _inherit = ["mail.thread", "mail.activity.mixin", "municipal.state.machine"]
    _municipal_transitions = CASE_TRANSITIONS
    _description = "Case File"
    _order = "open_date desc, id desc"
    _check_company_auto = True

    name = fields.Char(
        "Number", compute="_compute_name", store=True, index="trigram", readonly=True
    )
    initiating_document_id = fields.Many2one(
        "municipal.document", required=True, check_company=True, ondelete="restrict"
    )
    subject = fields.Char(related="initiating_document_id.subject", store=True)
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, index=True
    )
    partner_id = fields.Many2one("res.partner", string="Applicant")
    user_id = fields.Many2one("res.users", string="Lead officer", tracking=True)
    document_ids = fields.One2many("municipal.document", "case_id", string="Documents")
    document_count = fields.Integer(compute="_compute_document_count")
    open_date = fields.Datetime(default=fields.Datetime.now, readonly=True)
    close_date = fields.Datetime(readonly=True, tracking=True)
    close_reason = fields.Text(readonly=True, tracking=True)
    state = fields.Selection(
        [
            ("open", "Open"),
            ("closed", "Closed"),
            ("archived", "Archived"),
            ("destroyed", "Destroyed"),
        ],
        default="open",
        required=True,
        readonly=True,
        tracking=True,
    )
    # Retention (REG-14): the index of the nomenclature of files gives the period.
    retention_id = fields.Many2one(
        "municipal.retention",
        string="Nomenclature index",
        compute="_compute_retention_id",
        store=True,
        readonly=False,
        precompute=True,
        check_company=True,
        tracking=True,
    )
    retention_years = fields.Integer(related="retention_id.years")
    retention_permanent = fields.Boolean(
        "Kept permanently", compute="_compute_retention_end", store=True
    )
    retention_end = fields.Date(
        "Retention ends",
        compute="_compute_retention_end",
        store=True,
        help="The last day of the retention period: counted in whole years from the "
        "1st of January after the case file was closed. Empty when kept permanently.",
    )
    archive_date = fields.Date("Archived on", readonly=True, copy=False, tracking=True)
    archive_location = fields.Char(
        "Archive box",
        tracking=True,
        help="Where the paper file is kept in the archive: room, shelf, box.",
    )
    destruction_protocol_id = fields.Many2one(
        "municipal.destruction.protocol",
        string="Destroyed under",
        readonly=True,
        copy=False,
        index="btree_not_null",
    )
    access_code = fields.Char(
        readonly=True,
        copy=False,
        groups="municipal_registry.group_registry_clerk",
        default=lambda self: self.env["municipal.document"]._new_access_code(),
    )

    _sql_constraints = [
        (
            "initiating_document_unique",
            "unique(initiating_document_id)",
            "A document opens at most one case file.",
        ),
    ]

    @api.depends("initiating_document_id.number")
    def _compute_name(self):
        for case in self:
            case.name = case.initiating_document_id.number or _("New case")

    @api.depends("document_ids")
    def _compute_document_count(self):
        for case in self:
            case.document_count = len(case.document_ids)

    @api.depends("initiating_document_id.document_type_id")
    def _compute_retention_id(self):
        for case in self:
            if not case.retention_id:
                case.retention_id = (
                    case.initiating_document_id.document_type_id.retention_id
                )

    @api.depends("retention_id.years", "close_date", "company_id")
    def _compute_retention_end(self):
        for case in self:
            years = case.retention_id.years
            case.retention_permanent = bool(case.retention_id) and not years
            if years and case.close_date:
                closed = case.company_id._municipal_localize(case.close_date)
                case.retention_end = datetime.date(closed.year + years, 12, 31)
            else:
                case.retention_end = False

    @api.model_create_multi
    def create(self, vals_list):
        cases = super().create(vals_list)
        for case in cases:
            # The initiating document belongs to its own case.
            if case.initiating_document_id.case_id != case:
                case.initiating_document_id.case_id = case
        return cases

    def write(self, vals):
        if "state" in vals:
            self._check_state_transition(vals["state"])
        if "retention_id" in vals and any(
            case.state in ("archived", "destroyed") for case in self
        ):
            raise UserError(
                _("The nomenclature index of an archived case file cannot change.")
            )
        return super().write(vals)

    def action_close(self, reason=None):
        reason = reason or self.env.context.get("close_reason")
        if not (reason or "").strip():
            raise UserError(_("Give the reason for closing the case file."))
        for case in self:
            if case.state != "open":
                raise UserError(_("The case file %(case)s is closed.", case=case.name))
        self.write(
            {
                "state": "closed",
                "close_date": fields.Datetime.now(),
                "close_reason": reason,
            }
        )
        return True

    def action_reopen(self):
        self.write({"state": "open", "close_date": False, "close_reason": False})

    def action_archive_case(self):
        """Hand closed case files over to the archive (registry clerks)."""
        if not self.env.su and not self.env.user.has_group(
            "municipal_registry.group_registry_clerk"
        ):
            raise AccessError(_("Only registry clerks archive case files."))
        for case in self:
            if case.state != "closed":
                raise UserError(
                    _(
                        "Only a closed case file is archived; %(case)s is not closed.",
                        case=case.name,
                    )
                )
            missing = []
            if not case.retention_id:
                missing.append(_("the nomenclature index"))
            if not (case.archive_location or "").strip():
                missing.append(_("the archive box"))
            if missing:
                raise UserError(
                    _(
                        "Before archiving %(case)s, fill in: %(fields)s.",
                        case=case.name,
                        fields=", ".join(missing),
                    )
                )
        self.write(
            {"state": "archived", "archive_date": fields.Date.context_today(self)}
        )
        # The finished documents go to the archive with their file, restricted ones
        # too (as superuser: the clerk may not be named on them).
        self.sudo().document_ids.filtered(lambda d: d.state == "done").write(
            {"state": "archived"}
        )
        return True

    def action_propose_destruction(self):
        """Open a new draft destruction protocol listing these archived case files."""
        if len(self.company_id) > 1:
            raise UserError(
                _("A destruction protocol lists the files of one municipality.")
            )
        protocol = self.env["municipal.destruction.protocol"].create(
            {
                "company_id": self.company_id.id or self.env.company.id,
                "line_ids": [Command.create({"case_id": case.id}) for case in self],
            }
        )
        return {
            "type": "ir.actions.act_window",
            "res_model": "municipal.destruction.protocol",
            "res_id": protocol.id,
            "view_mode": "form",
        }

    def action_view_documents(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": _("Documents of %(case)s", case=self.name),
            "res_model": "municipal.document",
            "view_mode": "list,form",
            "domain": [("case_id", "=", self.id)],
            "context": {"default_case_id": self.id},
        }

    @api.model
    def _find_for_citizen(self, number, code):
        """Return the case file a citizen asks for, or an empty recordset.

        Both the number and the access code must match; the code is compared in constant
        time so that timing tells nothing about it.
        """
        number, code = (number or "").strip(), (code or "").strip().upper()
        if not number or not code:
            return self.browse()
        # The citizen is not a user: the lookup is done as superuser, and only the
        # public summary (_citizen_summary) leaves this model.
        case = self.sudo().search([("name", "=", number)], limit=1)
        if case and hmac.compare_digest(case.access_code or "", code):
            return case
        return self.browse()

    def _citizen_summary(self):
        """What a citizen may see of his case: numbers, dates, kinds and states only."""
        self.ensure_one()
        documents = self.document_ids.filtered(
            lambda d: d.state not in ("draft", "refused") and not d.restricted
        ).sorted("registration_date")
        return {
            "number": self.name,
            "state": dict(self._fields["state"]._description_selection(self.env))[
                self.state
            ],
            "open_date": self.open_date,
            "close_date": self.close_date,
            "documents": [
                {
                    "number": d.number,
                    "date": d.registration_date,
                    "kind": d.document_type_id.name,
                    "direction": dict(
                        d._fields["direction"]._description_selection(self.env)
                    )[d.direction],
                    "state": d._state_label(d.state),
                }
                for d in documents
            ],
        }
