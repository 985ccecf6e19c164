from odoo import Command, _, api, fields, models
from odoo.exceptions import AccessError, UserError

# State machine of a destruction protocol:
#
#   draft ──submit──> submitted ──approve──> approved ──execute──> executed
#     ^──reset to draft──┘
#
# "approve" needs the signature of every member of the expert commission (ЕПК) and is
# done by the head of the municipality (mayor) or a registry manager. Nothing is deleted
# before "execute"; an executed protocol is kept for ever.
TRANSITIONS = {
    "draft": {"submitted"},
    "submitted": {"draft", "approved"},
    "approved": {"executed"},
    "executed": set(),
}


class MunicipalDestructionProtocol(models.Model):
    """A protocol of the expert commission (ЕПК) for the destruction of files whose
    retention period has ended.

    Access: registry clerks prepare, submit and execute protocols and may delete a
    draft; the members of the commission (any registry user named on the protocol) read
    it and sign it; the mayor or a registry manager approves it once every member has
    signed. Nobody deletes a submitted, approved or executed protocol.
    """

    _name = "municipal.destruction.protocol"
    _inherit = ["mail.thread", "mail.activity.mixin", "municipal.state.machine"]
    _municipal_transitions = TRANSITIONS
    _description = "Destruction Protocol"
    _order = "date desc, id desc"
    _check_company_auto = True

    name = fields.Char(
        "Number",
        required=True,
        readonly=True,
        copy=False,
        default=lambda self: _("New"),
        tracking=True,
    )
    date = fields.Date(
        required=True, default=fields.Date.context_today, tracking=True, copy=False
    )
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, index=True
    )
    commission_order = fields.Char(
        "Order appointing the commission",
        help="The mayor's order that appoints the expert commission (ЕПК), "
        "e.g. РД-09-15/10.01.2026.",
    )
    archives_agreement = fields.Char(
        "Agreement of the State Archives",
        help="Where the documents are part of the National Archives Fund, the letter "
        "of the State Archives agreeing to the destruction.",
    )
    note = fields.Html()
    line_ids = fields.One2many(
        "municipal.destruction.line", "protocol_id", string="Files to destroy"
    )
    member_ids = fields.One2many(
        "municipal.destruction.member", "protocol_id", string="Commission"
    )
    chairman_id = fields.Many2one("res.users", compute="_compute_chairman_id")
    signed_count = fields.Integer(compute="_compute_signatures")
    all_signed = fields.Boolean(compute="_compute_signatures")
    can_sign = fields.Boolean(compute="_compute_signatures")
    document_count = fields.Integer(
        "Documents", compute="_compute_document_count", store=True
    )
    # The state is written by the actions only.
    state = fields.Selection(
        [
            ("draft", "Draft"),
            ("submitted", "Submitted to the commission"),
            ("approved", "Approved"),
            ("executed", "Executed"),
        ],
        default="draft",
        required=True,
        readonly=True,
        copy=False,
        tracking=True,
        index=True,
    )
    approver_id = fields.Many2one(
        "res.users", string="Approved by", readonly=True, copy=False, tracking=True
    )
    approval_date = fields.Datetime("Approved on", readonly=True, copy=False)
    executed_by_id = fields.Many2one(
        "res.users", string="Executed by", readonly=True, copy=False
    )
    execution_date = fields.Datetime("Executed on", readonly=True, copy=False)
    document_id = fields.Many2one(
        "municipal.document",
        string="Registered as",
        readonly=True,
        copy=False,
        help="The approved protocol in the register, with its PDF.",
    )

    # ------------------------------------------------------------------ compute

    @api.depends("member_ids.role", "member_ids.user_id")
    def _compute_chairman_id(self):
        for protocol in self:
            chairs = protocol.member_ids.filtered(lambda m: m.role == "chairman")
            protocol.chairman_id = chairs[:1].user_id

    @api.depends("member_ids.signed_date", "member_ids.user_id", "state")
    @api.depends_context("uid")
    def _compute_signatures(self):
        for protocol in self:
            signed = protocol.member_ids.filtered("signed_date")
            protocol.signed_count = len(signed)
            protocol.all_signed = bool(protocol.member_ids) and len(signed) == len(
                protocol.member_ids
            )
            protocol.can_sign = protocol.state == "submitted" and any(
                m.user_id == self.env.user and not m.signed_date
                for m in protocol.member_ids
            )

    @api.depends("line_ids.document_count")
    def _compute_document_count(self):
        for protocol in self:
            protocol.document_count = sum(protocol.line_ids.mapped("document_count"))

    # ------------------------------------------------------------------ CRUD

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("state", "draft") != "draft":
                raise UserError(_("A destruction protocol is created as a draft."))
            if vals.get("name", _("New")) == _("New"):
                vals["name"] = self.env["ir.sequence"].next_by_code(
                    "municipal.destruction.protocol", sequence_date=vals.get("date")
                ) or _("New")
        return super().create(vals_list)

    def write(self, vals):
        if "state" in vals:
            self._check_state_transition(vals["state"])
        frozen = {"line_ids", "member_ids", "company_id", "date", "name"}
        if frozen & set(vals) and any(p.state != "draft" for p in self):
            raise UserError(
                _(
                    "Only a draft protocol changes; set it back to draft first (the "
                    "signatures are then given again)."
                )
            )
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_only_drafts(self):
        if any(protocol.state != "draft" for protocol in self):
            raise UserError(
                _(
                    "A destruction protocol is kept once it is submitted to the "
                    "commission."
                )
            )

    # ------------------------------------------------------------------ actions

    def _check_clerk(self):
        if not self.env.su and not self.env.user.has_group(
            "municipal_registry.group_registry_clerk"
        ):
            raise AccessError(_("Only registry clerks prepare destruction protocols."))

    def action_propose_expired(self):
        """Add every archived case file whose retention has ended and that is on no
        other protocol."""
        self._check_clerk()
        today = fields.Date.context_today(self)
        for protocol in self:
            if protocol.state != "draft":
                raise UserError(_("Files are added to a draft protocol only."))
            pending = self.env["municipal.destruction.line"].search(
                [("protocol_id.state", "!=", "executed"), ("case_id", "!=", False)]
            )
            cases = self.env["municipal.case"].search(
                [
                    ("company_id", "=", protocol.company_id.id),
                    ("state", "=", "archived"),
                    ("retention_permanent", "=", False),
                    ("retention_end", "!=", False),
                    ("retention_end", "<", today),
                    ("id", "not in", pending.case_id.ids),
                ],
                order="retention_end, id",
            )
            protocol.line_ids = [Command.create({"case_id": c.id}) for c in cases]
            if not cases:
                return {
                    "type": "ir.actions.client",
                    "tag": "display_notification",
                    "params": {
                        "type": "info",
                        "message": _(
                            "No archived case file has reached the end of its "
                            "retention period."
                        ),
                    },
                }
        return True

    def action_submit(self):
        """Send the protocol to the members of the commission for their signatures."""
        self._check_clerk()
        for protocol in self:
            if not protocol.line_ids:
                raise UserError(_("List the files to destroy first."))
            chairs = protocol.member_ids.filtered(lambda m: m.role == "chairman")
            if len(chairs) != 1:
                raise UserError(
                    _("The expert commission has one chairman; name exactly one.")
                )
            protocol.line_ids._check_destroyable()
        self.write({"state": "submitted"})
        for protocol in self:
            for member in protocol.member_ids:
                protocol.activity_schedule(
                    "mail.mail_activity_data_todo",
                    summary=_("Sign the destruction protocol"),
                    user_id=member.user_id.id,
                )
        return True

    def action_reset_draft(self):
        self._check_clerk()
        self.write({"state": "draft"})
        # Signatures were given to the submitted text: a changed protocol is signed
        # again.
        self.member_ids.write({"signed_date": False})
        self.activity_unlink(["mail.mail_activity_data_todo"])
        return True

    def action_sign(self):
        """Sign the protocol as a member of the commission (the current user)."""
        for protocol in self:
            if protocol.state != "submitted":
                raise UserError(
                    _(
                        "Protocol %(protocol)s is not waiting for signatures.",
                        protocol=protocol.name,
                    )
                )
            member = protocol.member_ids.filtered(
                lambda m, user=self.env.user: m.user_id == user
            )
            if not member:
                raise AccessError(
                    _(
                        "Only the members of the expert commission sign protocol "
                        "%(protocol)s.",
                        protocol=protocol.name,
                    )
                )
            if member.signed_date:
                raise UserError(_("You have already signed this protocol."))
            # Members have no right to write the protocol; their signature is written
            # as superuser once their membership is checked above.
            member.sudo().signed_date = fields.Datetime.now()
            protocol.sudo().activity_feedback(
                ["mail.mail_activity_data_todo"],
                user_id=self.env.uid,
                feedback=_("Signed"),
            )
            protocol.sudo().message_post(
                body=_("Signed by %(name)s.", name=self.env.user.name),
                author_id=self.env.user.partner_id.id,
            )
        return True

    def action_approve(self):
        """Approve the destruction (the mayor or a registry manager)."""
        user = self.env.user
        if not self.env.su and not (
            user.has_group("municipal_registry.group_registry_mayor")
            or user.has_group("municipal_registry.group_registry_manager")
        ):
            raise AccessError(
                _("Only the mayor or a registry manager approves a destruction.")
            )
        for protocol in self:
            if protocol.state != "submitted":
                raise UserError(
                    _(
                        "Protocol %(protocol)s is not submitted to the commission.",
                        protocol=protocol.name,
                    )
                )
            if not protocol.all_signed:
                raise UserError(
                    _(
                        "Every member of the commission signs before the approval; "
                        "%(count)s of %(total)s have signed.",
                        count=protocol.signed_count,
                        total=len(protocol.member_ids),
                    )
                )
        self.write(
            {
                "state": "approved",
                "approver_id": user.id,
                "approval_date": fields.Datetime.now(),
            }
        )
        for protocol in self:
            protocol._municipal_register_protocol()
        return True

    def _municipal_register_protocol(self):
        """Register the approved protocol as an internal document with its PDF.

        The kind of document comes from the company's settings; without one, the
        protocol says so in its chatter and is kept unregistered.

        :return: the registered ``municipal.document``, or False
        """
        self.ensure_one()
        kind = self.company_id.municipal_destruction_document_type_id
        if not kind:
            self.message_post(
                body=_(
                    "The protocol was not registered: set the kind of document for "
                    "destruction protocols in the settings."
                )
            )
            return False
        report = self.env.ref("municipal_registry.action_report_destruction_protocol")
        content, _format = (
            self.env["ir.actions.report"].sudo()._render_qweb_pdf(report, self.ids)
        )
        document = self.env["municipal.document"]._municipal_register_internal(
            kind,
            _(
                "Protocol for destruction %(name)s of the expert commission",
                name=self.name,
            ),
            self.create_uid,
            [(f"{self.name.replace('/', '-')}.pdf", content)],
        )
        self.document_id = document
        self.message_post(
            body=_("Registered in the register as %(number)s.", number=document.number)
        )
        return document

    def action_execute(self):
        """Destroy the files listed on approved protocols.

        The stored files of the listed documents (their files, the attachments of their
        messages, the scans of their delivery receipts) are deleted; the register
        entries stay, marked with this protocol; the case files become "destroyed".
        """
        self._check_clerk()
        for protocol in self:
            if protocol.state != "approved":
                raise UserError(
                    _(
                        "Protocol %(protocol)s is not approved: nothing is destroyed "
                        "before the approval.",
                        protocol=protocol.name,
                    )
                )
            protocol.line_ids._check_destroyable(on_protocol=protocol)
        for protocol in self:
            protocol._destroy_files()
        self.write(
            {
                "state": "executed",
                "executed_by_id": self.env.uid,
                "execution_date": fields.Datetime.now(),
            }
        )
        return True

    def _destroy_files(self):
        """Delete the stored files of the protocol's documents, keep their entries."""
        self.ensure_one()
        today = fields.Date.context_today(self)
        # The files of restricted documents go too, and the clerk executing the
        # protocol may not be named on them: the deletion runs as superuser, limited to
        # the documents listed on this approved protocol.
        lines = self.line_ids.sudo()
        documents = lines._documents()
        cases = lines.case_id
        documents.file_ids.unlink()
        Attachment = self.env["ir.attachment"].sudo()
        Attachment.search(
            [
                "|",
                "&",
                ("res_model", "=", "municipal.document"),
                ("res_id", "in", documents.ids),
                "&",
                ("res_model", "=", "municipal.case"),
                ("res_id", "in", cases.ids),
            ]
        ).unlink()
        documents.delivery_proof_ids.write(
            {"receipt": False, "receipt_filename": False}
        )
        documents.write({"destruction_protocol_id": self.id, "destruction_date": today})
        cases.write({"state": "destroyed", "destruction_protocol_id": self.id})
        self.message_post(
            body=_(
                "Files of %(count)s documents destroyed; their register entries are "
                "kept.",
                count=len(documents),
            )
        )
