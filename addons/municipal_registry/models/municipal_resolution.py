from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError

# The groups that write resolutions: the heads (managers), the secretary and the mayor
# or deputy mayors.
RESOLVING_GROUPS = (
    "municipal_registry.group_registry_manager",
    "municipal_registry.group_registry_secretary",
    "municipal_registry.group_registry_mayor",
)

# State machine of a resolution:
#
#   draft ──issue──> issued ──(every executor done)──> done
#     │                 │  ^──────(an executor reopened)──┘
#     └──cancel──> cancelled <──cancel──┘
#                     └──reset──> draft
#
# Only an issued resolution is executed and watched for its deadline; a done one is
# kept as the record of who did what.
TRANSITIONS = {
    "draft": {"issued", "cancelled"},
    "issued": {"done", "cancelled"},
    "done": {"issued"},
    "cancelled": {"draft"},
}


class MunicipalResolution(models.Model):
    """A resolution (резолюция) on a document: who prepares what, by when, and who
    checks it.

    Access:
    - registry managers, the secretary and the mayor or deputy mayors write, issue and
      cancel resolutions on the documents they see; drafts may be deleted;
    - registry clerks read every resolution of the documents they see (they print the
      resolution block and follow up on paper);
    - other registry users read the resolutions they execute (in person or as the head
      of the unit), control or wrote; they answer on their own executor lines only.
    """

    _name = "municipal.resolution"
    _inherit = ["mail.thread", "mail.activity.mixin", "municipal.state.machine"]
    _municipal_transitions = TRANSITIONS
    _description = "Resolution"
    _order = "date desc, id desc"
    _check_company_auto = True

    document_id = fields.Many2one(
        "municipal.document",
        required=True,
        ondelete="cascade",
        index=True,
        check_company=True,
        tracking=True,
    )
    company_id = fields.Many2one(
        related="document_id.company_id", store=True, index=True, precompute=True
    )
    author_id = fields.Many2one(
        "res.users",
        string="Author",
        required=True,
        default=lambda self: self.env.user,
        tracking=True,
        help="The head who writes the resolution; the printed block carries the name.",
    )
    date = fields.Date(
        required=True,
        default=fields.Date.context_today,
        tracking=True,
        help="The date written under the resolution; the deadline rule counts from it.",
    )
    instruction = fields.Text(
        required=True,
        help="What is to be done, as written on the document "
        "(e.g. 'prepare an answer').",
    )
    executor_ids = fields.One2many(
        "municipal.resolution.executor",
        "resolution_id",
        string="Executors",
        copy=True,
    )
    deadline_rule_id = fields.Many2one(
        "municipal.deadline.rule",
        string="Deadline rule",
        compute="_compute_deadline_rule_id",
        store=True,
        readonly=False,
        precompute=True,
        help="The deadline is counted by this rule from the date of the resolution. "
        "By default the rule of the document's kind.",
    )
    deadline_date = fields.Date(
        "Deadline date",
        help="A date set by the author instead of the rule.",
    )
    deadline = fields.Date(
        compute="_compute_deadline",
        store=True,
        index=True,
        tracking=True,
        help="The last day for the executors: the date given or the rule's deadline, "
        "moved off non-working days when the rule or the municipality's setting says "
        "so.",
    )
    controller_id = fields.Many2one(
        "res.users",
        string="Controller",
        default=lambda self: self.env.user,
        tracking=True,
        help="Checks the execution and is told when the deadline is missed.",
    )
    state = fields.Selection(
        [
            ("draft", "Draft"),
            ("issued", "In execution"),
            ("done", "Done"),
            ("cancelled", "Cancelled"),
        ],
        default="draft",
        required=True,
        readonly=True,
        copy=False,
        tracking=True,
        index=True,
    )
    is_overdue = fields.Boolean(
        "Overdue", compute="_compute_is_overdue", search="_search_is_overdue"
    )
    open_executor_count = fields.Integer(
        "Open executors", compute="_compute_open_executor_count"
    )

    # ------------------------------------------------------------------ compute

    @api.depends("document_id")
    def _compute_deadline_rule_id(self):
        for resolution in self:
            if not resolution.deadline_rule_id:
                resolution.deadline_rule_id = (
                    resolution.document_id.document_type_id.deadline_rule_id
                )

    @api.depends("deadline_date", "deadline_rule_id", "date", "document_id")
    def _compute_deadline(self):
        for resolution in self:
            resolution.deadline = resolution._municipal_deadline()

    def _municipal_deadline(self):
        """The last day: the date given, or the rule's count from the date of the
        resolution, moved off a non-working day when allowed. A non-working day is
        returned as is when nothing allows moving it: the constraint refuses it."""
        self.ensure_one()
        if not (self.deadline_date or (self.deadline_rule_id and self.date)):
            return False
        calendar = self._municipal_calendar()
        if self.deadline_date:
            deadline = self.deadline_date
        else:
            deadline = self.deadline_rule_id.municipal_deadline(self.date, calendar)
        if calendar.municipal_is_working_day(deadline) or not self._municipal_rolls():
            return deadline
        return calendar.municipal_next_working_day(deadline)

    def _municipal_calendar(self):
        self.ensure_one()
        company = self.document_id.company_id or self.company_id or self.env.company
        return company._municipal_calendar()

    def _municipal_rolls(self):
        """Whether a deadline on a non-working day moves to the next working day: the
        rule decides when there is one, otherwise the municipality's setting."""
        self.ensure_one()
        if self.deadline_rule_id:
            return self.deadline_rule_id.roll_over
        company = self.document_id.company_id or self.company_id or self.env.company
        return company.municipal_resolution_roll_over

    @api.depends("state", "deadline")
    def _compute_is_overdue(self):
        today = self._municipal_today()
        for resolution in self:
            resolution.is_overdue = bool(
                resolution.state == "issued"
                and resolution.deadline
                and resolution.deadline < today
            )

    def _search_is_overdue(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(_("Search overdue resolutions with 'is set' or 'not set'."))
        domain = [
            ("state", "=", "issued"),
            ("deadline", "<", self._municipal_today()),
        ]
        if (operator == "=") == value:
            return domain
        return ["!", "&", *domain]

    @api.model
    def _municipal_today(self):
        """Today in the municipality's time zone: a deadline ends at local midnight,
        whoever looks and whatever the server's clock zone."""
        return self.env.company._municipal_localize(fields.Datetime.now()).date()

    @api.depends("executor_ids.state")
    def _compute_open_executor_count(self):
        for resolution in self:
            resolution.open_executor_count = len(
                resolution.executor_ids.filtered(lambda line: line.state == "open")
            )

    @api.depends("document_id", "date")
    def _compute_display_name(self):
        for resolution in self:
            resolution.display_name = _(
                "Resolution on %(document)s",
                document=resolution.document_id.number
                or resolution.document_id.display_name
                or _("a new document"),
            )

    # ------------------------------------------------------------------ onchange

    @api.onchange("deadline_date")
    def _onchange_deadline_date(self):
        # A deadline is either counted by a rule or given as a date: the form shows
        # one of them, so that what the executors are told is what was chosen.
        if self.deadline_date:
            self.deadline_rule_id = False

    @api.onchange("deadline_rule_id")
    def _onchange_deadline_rule_id(self):
        if self.deadline_rule_id:
            self.deadline_date = False

    # ------------------------------------------------------------------ constraints

    @api.constrains("deadline_date", "deadline_rule_id", "date", "document_id")
    def _check_deadline(self):
        for resolution in self:
            deadline = resolution.deadline
            if not deadline:
                continue
            if resolution.date and deadline < resolution.date:
                raise ValidationError(
                    _(
                        "The deadline %(deadline)s is before the date of the "
                        "resolution %(date)s.",
                        deadline=deadline.strftime("%d.%m.%Y"),
                        date=resolution.date.strftime("%d.%m.%Y"),
                    )
                )
            calendar = resolution._municipal_calendar()
            if not calendar.municipal_is_working_day(deadline):
                raise ValidationError(
                    _(
                        "The deadline %(deadline)s is not a working day and the "
                        "rules of the municipality do not move it. Choose a working "
                        "day, for example %(next)s.",
                        deadline=deadline.strftime("%d.%m.%Y"),
                        next=calendar.municipal_next_working_day(deadline).strftime(
                            "%d.%m.%Y"
                        ),
                    )
                )

    @api.constrains("state", "executor_ids")
    def _check_executors(self):
        for resolution in self:
            if resolution.state != "draft" and not resolution.executor_ids:
                raise ValidationError(
                    _(
                        "%(resolution)s must name at least one executor.",
                        resolution=resolution.display_name,
                    )
                )

    # ------------------------------------------------------------------ CRUD

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("state", "draft") != "draft":
                raise UserError(
                    _("A resolution is written as a draft and then issued.")
                )
        return super().create(vals_list)

    def write(self, vals):
        if "state" in vals:
            self._check_state_transition(vals["state"])
        # Once issued, what the executors were told stays as it was told; a
        # different instruction is a new resolution.
        frozen = {
            "document_id",
            "author_id",
            "date",
            "instruction",
            "deadline_rule_id",
            "deadline_date",
        }
        if frozen & set(vals) and any(r.state in ("issued", "done") for r in self):
            raise UserError(
                _(
                    "An issued resolution is not changed: cancel it and write a "
                    "new one."
                )
            )
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_only_drafts(self):
        if any(resolution.state not in ("draft", "cancelled") for resolution in self):
            raise UserError(
                _("An issued resolution is not deleted: cancel it instead.")
            )

    # ------------------------------------------------------------------ actions

    def action_issue(self):
        """Issue drafts: check them, tell the executors and put the document in work."""
        self._check_may_resolve()
        for resolution in self:
            resolution._check_issuable()
        self.write({"state": "issued"})
        for resolution in self:
            resolution._notify_executors()
        # The document is now being worked on; a document already in work, done or
        # archived keeps its state.
        documents = self.document_id.filtered(lambda d: d.state == "registered")
        documents.action_start()
        return True

    def _check_issuable(self):
        self.ensure_one()
        if self.state != "draft":
            raise UserError(
                _(
                    "%(resolution)s is already issued.",
                    resolution=self.display_name,
                )
            )
        if not self.executor_ids:
            raise UserError(
                _(
                    "Name at least one executor (an employee or a unit) before "
                    "issuing the resolution."
                )
            )
        if not (self.instruction or "").strip():
            raise UserError(_("Write the instruction before issuing the resolution."))
        if not self.deadline:
            raise UserError(
                _("Give the deadline: a deadline rule or a date before issuing.")
            )
        if self.document_id.state in ("draft", "refused", "annulled"):
            raise UserError(
                _(
                    "A resolution is written on a registered document; "
                    "%(document)s is not.",
                    document=self.document_id.display_name,
                )
            )
        document = self.document_id
        if document.restricted:
            blind = (
                self.executor_ids.user_id | self.controller_id
            ) - document.allowed_user_ids
            if blind:
                raise UserError(
                    _(
                        "The document is restricted and %(users)s may not see it. "
                        "Name them among the allowed users of the document first.",
                        users=", ".join(blind.mapped("name")),
                    )
                )

    def _notify_executors(self):
        self.ensure_one()
        partners = (self.executor_ids.user_id | self.controller_id).partner_id
        self.message_subscribe(partner_ids=partners.ids)
        self.message_post(
            body=_(
                "Resolution issued: %(instruction)s (deadline %(deadline)s)",
                instruction=self.instruction,
                deadline=self.deadline.strftime("%d.%m.%Y"),
            ),
            partner_ids=self.executor_ids.user_id.partner_id.ids,
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
        )

    def action_cancel(self):
        self._check_may_resolve()
        self.write({"state": "cancelled"})
        self._municipal_clear_overdue_activities()
        return True

    def action_reset_draft(self):
        self._check_may_resolve()
        self.write({"state": "draft"})
        return True

    def _check_may_resolve(self):
        if self.env.su:
            return
        if not any(self.env.user.has_group(group) for group in RESOLVING_GROUPS):
            raise AccessError(
                _(
                    "Only heads of units, the secretary and the mayor write "
                    "resolutions."
                )
            )

    def _municipal_update_state(self):
        """Close the issued resolutions whose executors have all answered and reopen
        done ones that got an open executor again."""
        for resolution in self:
            lines = resolution.executor_ids
            if (
                resolution.state == "issued"
                and lines
                and all(line.state == "done" for line in lines)
            ):
                resolution.state = "done"
                resolution._municipal_clear_overdue_activities()
                resolution.message_post(body=_("Every executor has answered."))
            elif resolution.state == "done" and any(
                line.state == "open" for line in lines
            ):
                resolution.state = "issued"

    def _municipal_clear_overdue_activities(self, users=None):
        """Mark the overdue reminders done: of ``users``, or all of them."""
        activity_type = self.env.ref(
            "municipal_registry.mail_activity_type_resolution_overdue",
            raise_if_not_found=False,
        )
        if not activity_type:
            return
        activities = self.activity_ids.filtered(
            lambda a: a.activity_type_id == activity_type
            and (users is None or a.user_id in users)
        )
        activities.action_feedback(feedback=_("The resolution was executed."))

    # ------------------------------------------------------------------ printing

    def _municipal_print_executors(self):
        """The executors as the printed block names them."""
        return ", ".join(self.executor_ids.mapped("display_name"))
