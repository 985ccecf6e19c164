import base64
import secrets
from datetime import timezone

from bg_egov import signatures
from dateutil.relativedelta import relativedelta

from odoo import Command, _, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError

DIRECTIONS = [
    ("incoming", "Incoming"),
    ("outgoing", "Outgoing"),
    ("internal", "Internal"),
]

# State machine of a document:
#
#   draft ──register──> registered ──start──> in_work ──done──> done ──archive──>
# archived     │                     │  └──────────done───────────────────^     │
# └──annul──> annulled        (in_work and done can be annulled too)     └──refuse──>
# refused   (no number; the files and the reason are kept)
#
# A number is given only by "register" and is kept for ever, also by annulled documents.
TRANSITIONS = {
    "draft": {"registered", "refused"},
    "registered": {"in_work", "done", "annulled"},
    "in_work": {"done", "annulled", "registered"},
    "done": {"archived", "in_work", "annulled"},
    "archived": {"done"},
    "refused": set(),
    "annulled": set(),
}

# Approval of a document (REG-07), kept apart from the registration states above:
#
#   none ──send──> in_approval ──the last step approves──> approved
#                    │     ^
#                 return   send again (a new round, from the first step)
#                    v     │
#                   returned
#
# Only outgoing and internal documents whose kind has a route take it; such a document
# is numbered (_check_registrable) and sent (_check_sendable) only when approved.
APPROVAL_TRANSITIONS = {
    "none": {"in_approval"},
    "in_approval": {"approved", "returned"},
    "returned": {"in_approval"},
    "approved": set(),
}
APPROVAL_DIRECTIONS = ("outgoing", "internal")


# What the approvers of a route put their visa on.
APPROVED_CONTENT = {
    "subject",
    "description",
    "direction",
    "correspondent_ids",
    "file_ids",
    "declared_ids",
    "related_ids",
    "reply_to_id",
}


class MunicipalDocument(models.Model):
    """A document of the official register: incoming, outgoing or internal.

    Access:
    - registry users (employees) read and work on the documents they are responsible
      for, follow or created;
    - registry clerks read and write every document of their municipality;
    - a restricted document is visible only to the users named on it, whatever their
      group, and every opening of it is written to the access journal;
    - registry managers configure registers and kinds; they have no extra right on
      restricted documents. Nobody deletes a registered document: it is annulled with a
      reason.
    """

    _name = "municipal.document"
    _inherit = ["mail.thread", "mail.activity.mixin", "municipal.state.machine"]
    _description = "Registered Document"
    _municipal_transitions = TRANSITIONS
    _order = "registration_date desc, id desc"
    _rec_names_search = ["number", "subject"]
    _check_company_auto = True

    number = fields.Char(
        readonly=True, copy=False, index="btree_not_null", tracking=True
    )
    sequence_number = fields.Integer(readonly=True, copy=False)
    registration_date = fields.Datetime(readonly=True, copy=False, index=True)
    registration_year = fields.Integer(readonly=True, copy=False)
    direction = fields.Selection(DIRECTIONS, required=True, default="incoming")
    document_type_id = fields.Many2one(
        "municipal.document.type",
        string="Kind",
        check_company=True,
        tracking=True,
        domain="[('direction', 'in', (direction, 'any'))]",
    )
    register_id = fields.Many2one(
        "municipal.register",
        compute="_compute_register_id",
        store=True,
        readonly=False,
        precompute=True,
        check_company=True,
        domain="[('direction', 'in', (direction, 'any'))]",
    )
    office_id = fields.Many2one(related="register_id.office_id", store=True)
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, index=True
    )
    subject = fields.Char(
        "Subject",
        tracking=True,
        index="trigram",
        help="Относно: what the document is about.",
    )
    description = fields.Html()
    # Defined before the document's lines: the ORM writes fields in this order, and the
    # lines' record rules must already see who may read a restricted document.
    restricted = fields.Boolean(
        "Restricted access",
        tracking=True,
        help="Only the users named below see the document; every opening is logged.",
    )
    allowed_user_ids = fields.Many2many(
        "res.users",
        "municipal_document_allowed_user_rel",
        "document_id",
        "user_id",
        string="Allowed users",
    )
    correspondent_ids = fields.One2many(
        "municipal.document.correspondent", "document_id", string="Correspondents"
    )
    # Stored so that "documents of this correspondent" is one indexed lookup.
    partner_ids = fields.Many2many(
        "res.partner",
        "municipal_document_partner_rel",
        "document_id",
        "partner_id",
        compute="_compute_partner_ids",
        store=True,
        string="Correspondent",
    )
    channel_id = fields.Many2one(
        "municipal.document.channel",
        string="Channel",
        default=lambda self: self.env.ref(
            "municipal_registry.municipal_document_channel_counter",
            raise_if_not_found=False,
        ),
    )
    external_number = fields.Char(
        "Their number",
        help="The correspondent's own registration number (на Ваш рег. №).",
    )
    external_date = fields.Date("Their date")
    received_date = fields.Datetime(
        "Received on",
        default=fields.Datetime.now,
        help="When the document reached the municipality.",
    )
    register_by = fields.Datetime(
        "Register by",
        compute="_compute_register_by",
        store=True,
        help="For documents received electronically: received at least an hour before "
        "the end of a working day, they are registered that day; otherwise within the "
        "first hour of the next working day.",
    )
    registration_overdue = fields.Boolean(
        compute="_compute_registration_overdue",
        search="_search_registration_overdue",
        help="Waits for registration past its deadline.",
    )
    reply_to_id = fields.Many2one(
        "municipal.document", string="In reply to", check_company=True, index=True
    )
    reply_ids = fields.One2many("municipal.document", "reply_to_id", string="Replies")
    related_ids = fields.Many2many(
        "municipal.document",
        "municipal_document_related_rel",
        "document_id",
        "related_id",
        string="Related documents",
        check_company=True,
    )
    case_id = fields.Many2one(
        "municipal.case",
        string="Case file",
        check_company=True,
        index=True,
        tracking=True,
    )
    file_ids = fields.One2many("municipal.document.file", "document_id", string="Files")
    signature_ids = fields.One2many(
        "municipal.document.signature", "document_id", string="Signatures"
    )
    declared_ids = fields.One2many(
        "municipal.document.declared", "document_id", string="Declared attachments"
    )
    missing_declared_count = fields.Integer(compute="_compute_missing_declared_count")
    user_id = fields.Many2one(
        "res.users",
        string="Responsible",
        default=lambda self: self.env.user,
        tracking=True,
        index=True,
    )
    access_log_ids = fields.One2many(
        "municipal.document.access", "document_id", string="Access journal"
    )
    state = fields.Selection(
        [
            ("draft", "Draft"),
            ("registered", "Registered"),
            ("in_work", "In work"),
            ("done", "Done"),
            ("archived", "Archived"),
            ("refused", "Refused"),
            ("annulled", "Annulled"),
        ],
        default="draft",
        required=True,
        readonly=True,
        copy=False,
        tracking=True,
        index=True,
    )
    refusal_reason_id = fields.Many2one(
        "municipal.refusal.reason", readonly=True, copy=False, tracking=True
    )
    refusal_note = fields.Text(readonly=True, copy=False)
    annul_reason = fields.Text("Reason for annulment", readonly=True, copy=False)
    duplicate_of_id = fields.Many2one(
        "municipal.document",
        compute="_compute_duplicate_of_id",
        string="Registered before as",
        help="A registered document of the same sender with the same number or files.",
    )
    has_oversize_file = fields.Boolean(compute="_compute_has_oversize_file")
    # Delivery of outgoing documents (REG-16).
    delivery_proof_ids = fields.One2many(
        "municipal.delivery.proof", "document_id", string="Proofs of delivery"
    )
    delivery_deadline_ids = fields.Many2many(
        "municipal.delivery.deadline",
        compute="_compute_delivery_deadline_ids",
        string="Follow-up deadlines",
    )
    delivery_date = fields.Datetime(
        "Delivered on",
        compute="_compute_delivery_date",
        store=True,
        help="The latest successful proof of delivery.",
    )
    delivery_deadline = fields.Date(
        "Next follow-up deadline",
        compute="_compute_delivery_deadline",
        help="The earliest deadline started by a delivery that is still running.",
    )
    # Retention (REG-14): the register entry stays when its files are destroyed.
    destruction_protocol_id = fields.Many2one(
        "municipal.destruction.protocol",
        string="Destroyed under",
        readonly=True,
        copy=False,
        index="btree_not_null",
    )
    destruction_date = fields.Date("Files destroyed on", readonly=True, copy=False)

    resolution_ids = fields.One2many(
        "municipal.resolution", "document_id", string="Resolutions"
    )
    approval_state = fields.Selection(
        [
            ("none", "Not sent for approval"),
            ("in_approval", "In approval"),
            ("returned", "Returned for corrections"),
            ("approved", "Approved"),
        ],
        string="Approval",
        default="none",
        required=True,
        readonly=True,
        copy=False,
        tracking=True,
        index=True,
    )
    approval_route_id = fields.Many2one(
        related="document_type_id.approval_route_id", string="Approval route"
    )
    approval_ids = fields.One2many(
        "municipal.document.approval",
        "document_id",
        string="Approval steps",
        readonly=True,
        copy=False,
    )
    approval_author_id = fields.Many2one(
        "res.users",
        string="Prepared by",
        copy=False,
        help="Изготвил: who prepared the document; a returned document goes back to "
        "them. Filled with whoever sends it for approval when left empty.",
    )
    approval_current_id = fields.Many2one(
        "municipal.document.approval",
        compute="_compute_approval_current_id",
        string="Current approval step",
    )
    approval_can_act = fields.Boolean(compute="_compute_approval_can_act")
    approval_waiting_me = fields.Boolean(
        compute="_compute_approval_can_act",
        search="_search_approval_waiting_me",
        string="Waiting for my approval",
    )

    _sql_constraints = [
        (
            "register_year_number_unique",
            "unique(register_id, registration_year, sequence_number)",
            "A register gives each number once a year.",
        ),
    ]

    # ------------------------------------------------------------------ compute

    @api.depends("document_type_id")
    def _compute_register_id(self):
        for document in self:
            if document.document_type_id.register_id and document.state == "draft":
                document.register_id = document.document_type_id.register_id

    @api.depends(
        "received_date",
        "channel_id.is_electronic",
        "office_id.calendar_id",
        "company_id.municipal_calendar_id",
        "company_id.municipal_registration_margin_hours",
    )
    def _compute_register_by(self):
        for document in self:
            if not (document.channel_id.is_electronic and document.received_date):
                document.register_by = False
                continue
            calendar = document._municipal_calendar()
            document.register_by = calendar.municipal_registration_deadline(
                document.received_date,
                document.company_id.municipal_registration_margin_hours,
            )

    @api.depends("register_by", "state")
    def _compute_registration_overdue(self):
        now = fields.Datetime.now()
        for document in self:
            document.registration_overdue = bool(
                document.state == "draft"
                and document.register_by
                and document.register_by < now
            )

    def _search_registration_overdue(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(_("Unsupported search on overdue registration."))
        overdue = [
            ("state", "=", "draft"),
            ("register_by", "<", fields.Datetime.now()),
        ]
        if (operator == "=") == value:
            return overdue
        return ["!", "&", *overdue]

    def _municipal_calendar(self):
        """The working-day calendar of the document's registry office."""
        self.ensure_one()
        if self.office_id:
            return self.office_id._municipal_calendar()
        return self.company_id._municipal_calendar()

    @api.depends("correspondent_ids.partner_id")
    def _compute_partner_ids(self):
        for document in self:
            document.partner_ids = document.correspondent_ids.partner_id

    @api.depends("declared_ids.present")
    def _compute_missing_declared_count(self):
        for document in self:
            document.missing_declared_count = len(
                document.declared_ids.filtered(lambda line: not line.present)
            )

    @api.depends("file_ids.size")
    def _compute_has_oversize_file(self):
        for document in self:
            limit = document.company_id._municipal_max_file_bytes()
            document.has_oversize_file = any(f.size > limit for f in document.file_ids)

    @api.depends(
        "correspondent_ids.partner_id",
        "external_number",
        "file_ids.sha256",
        "direction",
        "state",
    )
    def _compute_duplicate_of_id(self):
        for document in self:
            document.duplicate_of_id = (
                document._find_registered_duplicate()
                if document.state == "draft"
                else False
            )

    def _find_registered_duplicate(self):
        """Return a registered document this draft repeats, or an empty recordset.

        A document "sent again" is one from the same sender that carries the same number
        of the sender, or exactly the same files (by SHA-256).
        """
        self.ensure_one()
        senders = self.correspondent_ids.filtered(
            lambda c: c.role == "sender"
        ).partner_id
        if self.direction != "incoming" or not senders:
            return self.browse()
        # Duplicates are searched across the whole register, restricted ones included.
        documents = self.sudo().with_context(active_test=False)
        domain = [
            ("id", "!=", self._origin.id or 0),
            ("company_id", "=", self.company_id.id),
            ("direction", "=", "incoming"),
            ("state", "not in", ("draft", "refused", "annulled")),
            ("correspondent_ids.partner_id", "in", senders.ids),
        ]
        if self.external_number:
            found = documents.search(
                domain + [("external_number", "=", self.external_number.strip())],
                limit=1,
            )
            if found:
                return self.browse(found.id)
        hashes = set(self.file_ids.mapped("sha256"))
        if hashes:
            candidates = documents.search(
                domain + [("file_ids.sha256", "in", list(hashes))], limit=20
            )
            for candidate in candidates:
                if set(candidate.file_ids.mapped("sha256")) == hashes:
                    return self.browse(candidate.id)
        return self.browse()

    @api.depends(
        "delivery_proof_ids.result",
        "delivery_proof_ids.proof_date",
        "delivery_proof_ids.superseded",
    )
    def _compute_delivery_date(self):
        for document in self:
            dates = [
                proof.proof_date
                for proof in document.delivery_proof_ids
                if proof._municipal_counts()
            ]
            document.delivery_date = max(dates) if dates else False

    @api.depends("delivery_proof_ids.deadline_ids")
    def _compute_delivery_deadline_ids(self):
        for document in self:
            document.delivery_deadline_ids = document.delivery_proof_ids.deadline_ids

    @api.depends("delivery_proof_ids.deadline_ids.date_due")
    @api.depends_context("tz")
    def _compute_delivery_deadline(self):
        today = fields.Date.context_today(self)
        for document in self:
            running = [
                d.date_due
                for d in document.delivery_deadline_ids
                if d.date_due >= today
            ]
            document.delivery_deadline = min(running) if running else False

    @api.depends("approval_ids.state")
    def _compute_approval_current_id(self):
        for document in self:
            document.approval_current_id = document.approval_ids.filtered(
                lambda line: line.state == "waiting"
            )[:1]

    @api.depends("approval_current_id", "approval_state")
    @api.depends_context("uid")
    def _compute_approval_can_act(self):
        for document in self:
            line = document.approval_current_id
            document.approval_can_act = bool(
                document.approval_state == "in_approval"
                and line
                and self.env.user in line._approval_candidates()
            )
            document.approval_waiting_me = document.approval_can_act

    def _search_approval_waiting_me(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(_("This search is not supported."))
        line_domain = [
            ("state", "=", "waiting"),
            "|",
            ("user_id", "=", self.env.uid),
            ("group_id", "in", self.env.user.groups_id.ids),
        ]
        if (operator == "=") == value:
            return [
                ("approval_state", "=", "in_approval"),
                ("approval_ids", "any", line_domain),
            ]
        return [
            "|",
            ("approval_state", "!=", "in_approval"),
            ("approval_ids", "not any", line_domain),
        ]

    @api.depends("number", "subject", "state")
    def _compute_display_name(self):
        for document in self:
            prefix = document.number or _("Draft")
            document.display_name = (
                f"{prefix} {document.subject}" if document.subject else prefix
            )

    # ------------------------------------------------------------------ constraints

    @api.constrains("restricted", "allowed_user_ids")
    def _check_restricted_users(self):
        for document in self:
            if document.restricted and not document.allowed_user_ids:
                raise ValidationError(
                    _("A restricted document must name the users who may see it.")
                )

    @api.constrains("channel_id", "document_type_id")
    def _check_channel_allowed(self):
        for document in self:
            allowed = document.document_type_id.channel_ids
            if document.channel_id and allowed and document.channel_id not in allowed:
                raise ValidationError(
                    _(
                        "Documents of kind %(kind)s are not accepted by %(channel)s.",
                        kind=document.document_type_id.name,
                        channel=document.channel_id.name,
                    )
                )

    # ------------------------------------------------------------------ state guard

    def _check_approval_transition(self, new_state):
        """Refuse a change of the approval state that the route does not justify:
        "approved" needs every step of the current round approved, "returned" a
        returned step, "in_approval" a step waiting for its approver."""
        for document in self:
            old = document.approval_state
            if new_state == old:
                continue
            lines = document._approval_current_lines()
            allowed = new_state in APPROVAL_TRANSITIONS[old]
            if new_state == "approved":
                allowed = (
                    allowed
                    and lines
                    and all(line.state == "approved" for line in lines)
                )
            elif new_state == "returned":
                allowed = allowed and "returned" in lines.mapped("state")
            elif new_state == "in_approval":
                allowed = allowed and "waiting" in lines.mapped("state")
            if not allowed:
                labels = dict(
                    self._fields["approval_state"]._description_selection(self.env)
                )
                raise UserError(
                    _(
                        "The approval of document %(document)s cannot go from "
                        "%(old)s to %(new)s.",
                        document=document.display_name,
                        old=labels[old],
                        new=labels[new_state],
                    )
                )

    # ------------------------------------------------------------------ CRUD

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("state", "draft") != "draft":
                raise UserError(
                    _("A document is created as a draft and then registered.")
                )
        return super().create(vals_list)

    def write(self, vals):
        if "state" in vals:
            self._check_state_transition(vals["state"])
        if "approval_state" in vals:
            self._check_approval_transition(vals["approval_state"])
        if "document_type_id" in vals and any(
            d.approval_state in ("in_approval", "approved")
            and d.document_type_id.id != vals["document_type_id"]
            for d in self
        ):
            # The route was taken for the old kind; a new kind may need other visas.
            raise UserError(
                _("The kind of a document in approval or approved cannot change.")
            )
        if APPROVED_CONTENT & set(vals) and any(
            d.approval_state == "in_approval" for d in self
        ):
            # The approvers put their visa on this text: it changes only after a
            # return, and then goes through the route again.
            raise UserError(
                _(
                    "A document in approval cannot be changed: ask the approver to "
                    "return it for corrections."
                )
            )
        protected = {
            "number",
            "sequence_number",
            "registration_date",
            "registration_year",
        }
        if protected & set(vals) and not self.env.context.get("municipal_registering"):
            raise UserError(_("A registration number is given only by registering."))
        if "register_id" in vals and any(d.state != "draft" for d in self):
            raise UserError(_("The register of a registered document cannot change."))
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_only_drafts(self):
        if any(document.state not in ("draft", "refused") for document in self):
            raise UserError(
                _("A registered document is never deleted: annul it with a reason.")
            )

    def web_read(self, specification):
        # EXTENDS web: the form view reads one record through web_read; an opening of a
        # restricted document is written to the access journal (as superuser, because
        # the reader has no right to write the journal).
        result = super().web_read(specification)
        if len(self) == 1 and self.restricted:
            self.env["municipal.document.access"].sudo().create(
                {"document_id": self.id, "user_id": self.env.uid}
            )
        return result

    # ------------------------------------------------------------------ actions

    @api.model
    def register_new(self, vals_list):
        """Create documents and register them in one transaction; return their numbers.

        The entry point for integrations (SEOS and e-Delivery receivers, scanners,
        other systems over JSON-RPC) that have the whole document at hand: the same
        checks as a clerk's registration, in one call.
        """
        if isinstance(vals_list, dict):
            vals_list = [vals_list]
        documents = self.create(vals_list)
        documents.action_register()
        return [{"id": d.id, "number": d.number} for d in documents]

    @api.model
    def _municipal_register_internal(self, kind, subject, user, files=()):
        """Register a record another module approved (a risk assessment, a destruction
        protocol) as an internal document of ``kind``, with ``files`` as
        ``(name, raw bytes)`` pairs; return the registered document.

        The approver need not be a registry clerk: the registration is part of the
        approval, so it is done with the system's rights.
        """
        document = self.sudo().create(
            {
                "direction": "internal",
                "document_type_id": kind.id,
                "company_id": kind.company_id.id,
                "subject": subject,
                "user_id": user.id or self.env.uid,
                "channel_id": self.env.ref(
                    "municipal_registry.municipal_document_channel_internal"
                ).id,
                "file_ids": [
                    Command.create({"name": name, "datas": base64.b64encode(raw)})
                    for name, raw in files
                ],
            }
        )
        document.action_register()
        return document

    def action_register(self):
        """Register drafts: check them, number them and open case files."""
        if not self.env.su and not self.env.user.has_group(
            "municipal_registry.group_registry_clerk"
        ):
            raise AccessError(_("Only registry clerks register documents."))
        for document in self.sorted("id"):
            document._check_registrable()
            document._register_document()
        return True

    def _check_registrable(self):
        self.ensure_one()
        if self.state != "draft":
            raise UserError(
                _(
                    "Document %(document)s is already registered.",
                    document=self.display_name,
                )
            )
        problems = []
        if not self.document_type_id:
            problems.append(_("the kind of document"))
        if not (self.subject or "").strip():
            problems.append(_("the subject"))
        if not self.register_id:
            problems.append(_("the register"))
        if self.direction in ("incoming", "outgoing") and not self.correspondent_ids:
            problems.append(_("a correspondent"))
        if problems:
            raise UserError(
                _(
                    "Before registering, fill in: %(fields)s.",
                    fields=", ".join(problems),
                )
            )
        if self.has_oversize_file:
            limit = self.company_id.municipal_max_file_size_mb
            raise UserError(
                _(
                    "A file is larger than %(limit)s MB: such a document is not "
                    "registered. Refuse it with the reason 'over the size limit'.",
                    limit=limit,
                )
            )
        if (
            self.direction == "incoming"
            and self.company_id._municipal_malware_scanner()
        ):
            problem = self.file_ids._municipal_scan_problem()
            if problem:
                raise UserError(
                    _(
                        "Only files found clean by the malware scan are registered. "
                        "Not clean yet: %(problem)s. Scan again when the scanner is "
                        "back, or refuse the document.",
                        problem=problem,
                    )
                )
        duplicate = self._find_registered_duplicate()
        if duplicate:
            raise UserError(
                _(
                    "This document was already registered as %(number)s: a document "
                    "sent "
                    "again is not registered. Refuse it as a duplicate.",
                    number=duplicate.number,
                )
            )
        register = self.register_id
        if register.direction not in ("any", self.direction):
            raise UserError(
                _(
                    "The register %(register)s does not number this kind of document.",
                    register=register.name,
                )
            )
        self._check_approval_complete()

    def _register_document(self, moment=None):
        """Number the document and open its case file; ``moment`` (UTC) is given only
        when loading history, such as the demo data."""
        self.ensure_one()
        moment = moment or fields.Datetime.now()
        local = self.company_id._municipal_localize(moment)
        sequence = self.register_id._take_number(local.year)
        values = {
            "number": self.register_id._format_number(sequence, local),
            "sequence_number": sequence,
            "registration_date": moment,
            "registration_year": local.year,
            "state": "registered",
        }
        self.with_context(municipal_registering=True).write(values)
        if self.document_type_id.opens_case and not self.case_id:
            self.case_id = self.env["municipal.case"].create(
                {
                    "initiating_document_id": self.id,
                    "company_id": self.company_id.id,
                    "user_id": self.user_id.id,
                    "partner_id": self.correspondent_ids[:1].partner_id.id,
                }
            )

    def action_start(self):
        self.write({"state": "in_work"})

    def action_done(self):
        self.write({"state": "done"})

    def action_archive_document(self):
        self.write({"state": "archived"})

    def action_reopen(self):
        self.write({"state": "in_work"})

    def action_open_refuse(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": _("Refuse without registration"),
            "res_model": "municipal.document.refuse",
            "view_mode": "form",
            "target": "new",
            "context": {"default_document_id": self.id},
        }

    def action_open_annul(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": _("Annul the registration"),
            "res_model": "municipal.document.annul",
            "view_mode": "form",
            "target": "new",
            "context": {"default_document_id": self.id},
        }

    def _refuse(self, reason, note=False):
        """Refuse drafts without registration, keeping their files and the reason.

        The channel the document came from tells the sender; the exchange addons extend
        :meth:`_notify_refusal`.
        """
        for document in self:
            if document.state != "draft":
                raise UserError(
                    _(
                        "Only a document waiting for registration can be refused; "
                        "%(document)s is registered.",
                        document=document.display_name,
                    )
                )
        self.write(
            {"state": "refused", "refusal_reason_id": reason.id, "refusal_note": note}
        )
        self._notify_refusal()
        return True

    def _notify_refusal(self):
        """Tell the senders why their documents were refused.

        A document received by e-mail is answered by e-mail; the exchange addons (SEOS,
        e-Delivery) extend this for their channels. Other channels get a note in the
        chatter, which the clerk follows up on paper.
        """
        email = self.env.ref(
            "municipal_registry.municipal_document_channel_email",
            raise_if_not_found=False,
        )
        for document in self:
            reason = document.refusal_reason_id
            body = _(
                "Refused without registration: %(reason)s",
                reason=reason.message or reason.name,
            )
            senders = document.correspondent_ids.filtered(
                lambda c: c.role == "sender" and c.partner_id.email
            ).partner_id
            if document.channel_id == email and senders:
                document.message_post(
                    body=body,
                    partner_ids=senders.ids,
                    message_type="comment",
                    subtype_xmlid="mail.mt_comment",
                )
            else:
                document.message_post(body=body)

    def _annul(self, reason):
        if not (reason or "").strip():
            raise UserError(_("Give the reason for the annulment."))
        for document in self:
            if "annulled" not in TRANSITIONS[document.state]:
                raise UserError(
                    _(
                        "Only a registered document is annulled; %(document)s is not.",
                        document=document.display_name,
                    )
                )
        self.write({"state": "annulled", "annul_reason": reason})
        return True

    def action_scan_files(self):
        """Scan again the files of drafts that have no verdict yet."""
        files = self.filtered(lambda d: d.state == "draft").file_ids.filtered(
            lambda f: f.scan_state != "clean"
        )
        files._municipal_scan()
        self._municipal_refuse_infected()
        return True

    def action_verify_signatures(self):
        """Verify the electronic signatures of the documents' files again (the trust
        list may have changed)."""
        self._municipal_check_signatures()
        return True

    def _municipal_refuse_infected(self):
        """Refuse the incoming drafts where the scanner found malware, keeping the
        files (REG-10: the reason is recorded and the sender told)."""
        reason = self.env.ref(
            "municipal_registry.municipal_refusal_reason_malware",
            raise_if_not_found=False,
        )
        infected = self.filtered(
            lambda d: d.state == "draft"
            and d.direction == "incoming"
            and "infected" in d.file_ids.mapped("scan_state")
        )
        for document in infected:
            found = document.file_ids.filtered(lambda f: f.scan_state == "infected")
            note = ", ".join(f"{f.name}: {f.scan_message}" for f in found)
            document._refuse(reason, note=note)

    def _municipal_check_signatures(self):
        """Find and verify the signatures on the files; replace the earlier results.

        Files with malware are not read. The results are written as superuser: they
        come from the verification, not from the user.
        """
        Signature = self.env["municipal.document.signature"].sudo()
        for document in self:
            files = document.file_ids.filtered(lambda f: f.scan_state != "infected")
            by_name = {}
            contents = {}
            for record in files:
                value = record.with_context(bin_size=False).datas
                contents[record.name] = base64.b64decode(value) if value else b""
                by_name.setdefault(record.name, record)
            trust_list = self.env["municipal.trusted.ca"]
            trusted = trust_list._municipal_trusted_certificates(document.company_id)
            crls = trust_list._municipal_trusted_crls(document.company_id)
            results = signatures.find_signatures(contents, trusted, crls=crls)
            Signature.search([("document_id", "=", document.id)]).unlink()
            Signature.create(
                [
                    document._municipal_signature_values(result, by_name)
                    for result in results
                ]
            )

    def _municipal_signature_values(self, result, files_by_name):
        self.ensure_one()

        def naive_utc(moment):
            if moment is not None and moment.tzinfo is not None:
                moment = moment.astimezone(timezone.utc).replace(tzinfo=None)
            return moment or False

        moment = naive_utc(result.signing_time)
        signed = files_by_name.get(result.signed_file)
        return {
            "document_id": self.id,
            "file_id": files_by_name[result.file_name].id,
            "signed_file_id": signed.id if signed else False,
            "kind": result.kind,
            "signer": result.signer,
            "egn": result.egn,
            "eik": result.eik,
            "subject": result.subject,
            "issuer": result.issuer,
            "signing_time": moment,
            "valid": result.valid,
            "qualified": result.qualified,
            "error_code": result.error_code,
            "warning_codes": ",".join(result.warning_codes) or False,
            "revoked_on": naive_utc(result.revoked_on),
            "detail": "; ".join(filter(None, (result.error, result.warning))) or False,
        }

    def action_find_duplicate(self):
        self.ensure_one()
        if not self.duplicate_of_id:
            return False
        return {
            "type": "ir.actions.act_window",
            "res_model": "municipal.document",
            "res_id": self.duplicate_of_id.id,
            "view_mode": "form",
        }

    def _municipal_add_delivery_proof(self, vals):
        """Record a delivery attempt of this outgoing document; return the proof.

        The entry point for the exchange addons (a SEOS status, an e-Delivery download
        time) and for scanners of return receipts. ``vals`` are the values of a
        ``municipal.delivery.proof`` without the document; the recipient defaults to the
        document's only recipient. A proof whose ``reference`` (message id, receipt
        barcode) is already recorded on the document is not entered twice: the existing
        proof is returned, so a status received again changes nothing.
        """
        self.ensure_one()
        vals = dict(vals, document_id=self.id)
        if not vals.get("partner_id"):
            recipients = self.correspondent_ids.filtered(
                lambda c: c.role == "recipient"
            ).partner_id
            if len(recipients) != 1:
                raise UserError(
                    _(
                        "Name the recipient of the delivery of %(document)s.",
                        document=self.display_name,
                    )
                )
            vals["partner_id"] = recipients.id
        Proof = self.env["municipal.delivery.proof"]
        if vals.get("reference"):
            known = Proof.search(
                [
                    ("document_id", "=", self.id),
                    ("reference", "=", vals["reference"]),
                ],
                limit=1,
            )
            if known:
                return known
        return Proof.create(vals)

    def action_new_resolution(self):
        """Open a new resolution on the document for its author to fill in."""
        self.ensure_one()
        self.env["municipal.resolution"]._check_may_resolve()
        if self.state in ("draft", "refused", "annulled"):
            raise UserError(
                _(
                    "A resolution is written on a registered document; "
                    "%(document)s is not.",
                    document=self.display_name,
                )
            )
        return {
            "type": "ir.actions.act_window",
            "name": _("Resolution"),
            "res_model": "municipal.resolution",
            "view_mode": "form",
            "context": {"default_document_id": self.id},
        }

    # ------------------------------------------------------------------ approval

    def _approval_needed(self):
        """Whether the document must be approved before it is numbered and sent."""
        self.ensure_one()
        if self.approval_state in ("in_approval", "returned"):
            return True
        if self.state != "draft" and self.approval_state == "none":
            # Numbered before its kind took a route: there is nothing left to approve.
            return False
        return bool(
            self.direction in APPROVAL_DIRECTIONS
            and self.document_type_id.approval_route_id
        )

    def _approval_current_lines(self):
        """The lines of the latest round of the route (earlier rounds are history)."""
        self.ensure_one()
        if not self.approval_ids:
            return self.approval_ids
        latest = max(self.approval_ids.mapped("round"))
        return self.approval_ids.filtered(lambda line: line.round == latest)

    def _approval_users(self, user, group):
        """The users who may approve a step named by ``user`` and/or ``group``: active
        internal users of the document's municipality who can see the document."""
        self.ensure_one()
        users = (user | group.users).filtered(
            lambda u: u.active and not u.share and self.company_id in u.company_ids
        )
        if self.restricted:
            users &= self.allowed_user_ids
        return users

    def _check_approval_complete(self):
        """Refuse a document that needs approval and is not approved."""
        for document in self:
            if document._approval_needed() and document.approval_state != "approved":
                labels = dict(
                    self._fields["approval_state"]._description_selection(self.env)
                )
                route = (
                    document.document_type_id.approval_route_id
                    or document.approval_ids.step_id.route_id[:1]
                )
                raise UserError(
                    _(
                        "Document %(document)s must pass the approval route "
                        "%(route)s first: it is numbered and sent only after the last "
                        "step has approved it. Approval now: %(state)s.",
                        document=document.display_name,
                        route=route.name or "",
                        state=labels[document.approval_state],
                    )
                )

    def _check_sendable(self):
        """Raise a UserError unless every document may be sent out now.

        Called by the exchange addons (SEOS, e-Delivery) and any other sender before a
        document leaves the municipality: it must be approved when its kind takes an
        approval route, and it must be registered (numbered, not annulled).
        """
        self._check_approval_complete()
        for document in self:
            if document.state not in ("registered", "in_work", "done"):
                raise UserError(
                    _(
                        "Document %(document)s is not registered: only a numbered "
                        "document is sent.",
                        document=document.display_name,
                    )
                )
        return True

    def action_send_for_approval(self):
        """Start the route of each document's kind from its first step."""
        for document in self:
            document._approval_send()
        return True

    def action_approval_approve(self):
        """Approve the current step of each document as its approver."""
        for document in self:
            document._approval_approve()
        return True

    def action_open_approval_return(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": _("Return for corrections"),
            "res_model": "municipal.document.approval.return",
            "view_mode": "form",
            "target": "new",
            "context": {"default_document_id": self.id},
        }

    def action_open_approval_remark(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": _("Approve with a remark"),
            "res_model": "municipal.document.approval.return",
            "view_mode": "form",
            "target": "new",
            "context": {"default_document_id": self.id, "default_decision": "approve"},
        }

    def _approval_send(self):
        self.ensure_one()
        if self.state != "draft":
            raise UserError(
                _(
                    "Document %(document)s is registered: only a draft is sent for "
                    "approval.",
                    document=self.display_name,
                )
            )
        route = self.document_type_id.approval_route_id
        if self.direction not in APPROVAL_DIRECTIONS or not route:
            raise UserError(
                _(
                    "Documents of kind %(kind)s take no approval route.",
                    kind=self.document_type_id.name or "",
                )
            )
        if self.approval_state not in ("none", "returned"):
            raise UserError(
                _(
                    "Document %(document)s is already in approval or approved.",
                    document=self.display_name,
                )
            )
        author = self.approval_author_id
        if (
            self.approval_state == "returned"
            and author
            and not self.env.su
            and self.env.user not in author | self.user_id
            and not self.env.user.has_group("municipal_registry.group_registry_clerk")
        ):
            # A returned document is corrected by its author: an approver who follows
            # it must not send it on unchanged.
            raise UserError(
                _(
                    "Document %(document)s was returned to %(author)s for corrections: "
                    "only the author sends it again.",
                    document=self.display_name,
                    author=author.name,
                )
            )
        if not route.step_ids:
            raise UserError(
                _("The approval route %(route)s has no steps.", route=route.name)
            )
        for step in route.step_ids:
            if not self._approval_users(step.user_id, step.group_id):
                raise UserError(
                    _(
                        "Nobody can approve the step %(step)s of document "
                        "%(document)s: the approver is inactive, of another "
                        "municipality, or not among the users allowed to see this "
                        "restricted document.",
                        step=step.name,
                        document=self.display_name,
                    )
                )
        new_round = max(self.approval_ids.mapped("round") or [0]) + 1
        # Lines are the route's history: written as superuser only by these methods,
        # after the checks above, never by hand.
        lines = (
            self.env["municipal.document.approval"]
            .sudo()
            .create(
                [
                    {
                        "document_id": self.id,
                        "round": new_round,
                        "sequence": index,
                        "step_id": step.id,
                        "name": step.name,
                        "user_id": step.user_id.id,
                        "group_id": step.group_id.id,
                        "state": "waiting" if index == 0 else "pending",
                    }
                    for index, step in enumerate(route.step_ids)
                ]
            )
        )
        self.invalidate_recordset(["approval_ids"])
        if not self.approval_author_id:
            self.approval_author_id = self.env.user
        self.write({"approval_state": "in_approval"})
        self._approval_close_activities(
            "municipal_registry.mail_activity_type_registry_approval_returned"
        )
        self.message_post(
            body=_(
                "Sent for approval (round %(round)s): %(route)s.",
                round=new_round,
                route=" → ".join(lines.mapped("name")),
            )
        )
        self._approval_notify_turn(lines[0].with_env(self.env))

    def _approval_check_actor(self):
        """Return the current line if the current user may act on it, else raise."""
        self.ensure_one()
        if self.approval_state != "in_approval":
            raise UserError(
                _(
                    "Document %(document)s is not waiting for approval.",
                    document=self.display_name,
                )
            )
        line = self.approval_current_id
        if self.env.user not in line._approval_candidates():
            raise AccessError(
                _(
                    "Document %(document)s waits for the step %(step)s: only "
                    "%(approvers)s may approve or return it now.",
                    document=self.display_name,
                    step=line.name,
                    approvers=", ".join(line._approval_candidates().mapped("name")),
                )
            )
        return line

    def _approval_approve(self, comment=False):
        """Approve the current step as its approver; the last one approves the
        document, any other hands it to the next step."""
        self.ensure_one()
        line = self._approval_check_actor()
        line.sudo().write(
            {
                "state": "approved",
                "comment": (comment or "").strip() or False,
                "acted_by_id": self.env.uid,
                "acted_on": fields.Datetime.now(),
            }
        )
        self._approval_close_activities(
            "municipal_registry.mail_activity_type_registry_approval", feedback=comment
        )
        following = self._approval_current_lines().filtered(
            lambda other: other.state == "pending"
        )[:1]
        if following:
            following.sudo().state = "waiting"
            self.message_post(
                body=_(
                    "Approved by %(user)s (%(step)s).",
                    user=self.env.user.name,
                    step=line.name,
                )
            )
            self._approval_notify_turn(following)
            return True
        self.write({"approval_state": "approved"})
        author = self.approval_author_id
        self.message_post(
            body=_(
                "Approved by %(user)s (%(step)s), the last step: the document may now "
                "be registered and sent.",
                user=self.env.user.name,
                step=line.name,
            ),
            partner_ids=author.partner_id.ids,
        )
        return True

    def _approval_return(self, comment):
        """Return the document to its author with a comment; the route starts again
        from the first step when it is sent again, the history of this round kept."""
        self.ensure_one()
        comment = (comment or "").strip()
        if not comment:
            raise UserError(_("Say what is to be corrected: a return needs a comment."))
        line = self._approval_check_actor()
        line.sudo().write(
            {
                "state": "returned",
                "comment": comment,
                "acted_by_id": self.env.uid,
                "acted_on": fields.Datetime.now(),
            }
        )
        # Steps this round never reached carry no act: nothing to keep of them.
        self._approval_current_lines().filtered(
            lambda other: other.state == "pending"
        ).sudo().unlink()
        self._approval_close_activities(
            "municipal_registry.mail_activity_type_registry_approval", feedback=comment
        )
        self.write({"approval_state": "returned"})
        author = self.approval_author_id or self.create_uid
        xmlid = "municipal_registry.mail_activity_type_registry_approval_returned"
        self.activity_schedule(
            xmlid,
            date_deadline=self._approval_deadline(xmlid),
            user_id=author.id,
            summary=_("Returned by %(step)s: correct and send again", step=line.name),
            note=comment,
        )
        self.message_post(
            body=_(
                "Returned by %(user)s (%(step)s): %(comment)s",
                user=self.env.user.name,
                step=line.name,
                comment=comment,
            )
        )
        return True

    def _approval_notify_turn(self, line):
        """Tell the approvers of ``line`` that it is their turn: they follow the
        document (so they can open it) and each gets a to-do."""
        self.ensure_one()
        users = line._approval_candidates()
        self.message_subscribe(partner_ids=users.partner_id.ids)
        xmlid = "municipal_registry.mail_activity_type_registry_approval"
        deadline = self._approval_deadline(xmlid)
        for user in users:
            self.activity_schedule(
                xmlid,
                date_deadline=deadline,
                user_id=user.id,
                summary=_("Approve as %(step)s", step=line.name),
            )

    def _approval_deadline(self, xmlid):
        """When a to-do of the type ``xmlid`` falls due: its type's delay (a setting of
        the activity type), counted in working days of the document's calendar when
        given in days or weeks, so that it never falls due on a holiday."""
        self.ensure_one()
        today = fields.Date.context_today(self)
        activity_type = self.env.ref(xmlid, raise_if_not_found=False)
        if not activity_type or not activity_type.delay_count:
            return today
        count, unit = activity_type.delay_count, activity_type.delay_unit
        calendar = self._municipal_calendar()
        if unit in ("days", "weeks") and calendar:
            days = count * 5 if unit == "weeks" else count
            return calendar.municipal_add_working_days(today, days)
        return today + relativedelta(**{unit: count})

    def _approval_close_activities(self, xmlid, feedback=False):
        """Mark the current user's to-do of this type done and drop the others' (the
        other members of a group step, or an earlier approver's leftovers)."""
        activity_type = self.env.ref(xmlid, raise_if_not_found=False)
        if not activity_type:
            return
        activities = self.activity_ids.filtered(
            lambda a: a.activity_type_id == activity_type
        )
        mine = activities.filtered(lambda a: a.user_id == self.env.user)
        if mine:
            mine.action_feedback(feedback=feedback or False)
        # The others' to-dos are no longer theirs to do; their owners are not the
        # current user, hence superuser.
        (activities - mine).sudo().unlink()

    # ------------------------------------------------------------------ helpers

    @api.model
    def _new_access_code(self):
        """A code for citizens to follow their case on the website (no look-alikes)."""
        alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
        return "".join(secrets.choice(alphabet) for _index in range(10))
