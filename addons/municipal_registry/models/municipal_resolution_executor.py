import logging

from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError

from .municipal_resolution import RESOLVING_GROUPS

_logger = logging.getLogger(__name__)

# What an executor writes on their own line; everything else is the author's.
ANSWER_FIELDS = {"answer_document_id", "answer_note"}
# What answering and reopening write, through the actions only.
ACTION_FIELDS = {"state", "answered_on", "answered_by_id"}


class MunicipalResolutionExecutor(models.Model):
    """One executor of a resolution: an employee, or a unit whose head answers.

    Access:
    - the writers of resolutions (heads, secretary, mayor) add and change executors;
    - registry users read the executor lines of the resolutions they see and answer on
      their own lines (as the employee named, or as the head of the unit named) or on
      the lines of the resolutions they control;
    - registry clerks read every line of the documents they see.
    """

    _name = "municipal.resolution.executor"
    _description = "Executor of a Resolution"
    _order = "resolution_id desc, sequence, id"
    _check_company_auto = True

    sequence = fields.Integer(default=10)
    resolution_id = fields.Many2one(
        "municipal.resolution",
        required=True,
        ondelete="cascade",
        index=True,
    )
    document_id = fields.Many2one(
        related="resolution_id.document_id", store=True, index=True
    )
    company_id = fields.Many2one(
        related="resolution_id.company_id", store=True, index=True, precompute=True
    )
    employee_id = fields.Many2one(
        "hr.employee", string="Employee", check_company=True, index=True
    )
    department_id = fields.Many2one(
        "hr.department",
        string="Structural unit",
        check_company=True,
        index=True,
        help="A unit executes through its head, who answers for it.",
    )
    # Stored: the record rules and the "Mine" filter look these up.
    user_id = fields.Many2one(
        "res.users",
        string="Answers",
        compute="_compute_responsible",
        store=True,
        index=True,
        help="The user of the employee, or of the head of the unit.",
    )
    person_id = fields.Many2one(
        "hr.employee",
        string="Person",
        compute="_compute_responsible",
        store=True,
        help="The employee, or the head of the unit.",
    )
    unit_id = fields.Many2one(
        "hr.department",
        string="Unit of the executor",
        compute="_compute_responsible",
        store=True,
        help="The unit named, or the employee's department.",
    )
    instruction = fields.Text(related="resolution_id.instruction")
    author_id = fields.Many2one(related="resolution_id.author_id")
    controller_id = fields.Many2one(
        related="resolution_id.controller_id", store=True, index=True
    )
    deadline = fields.Date(related="resolution_id.deadline", store=True)
    resolution_state = fields.Selection(
        related="resolution_id.state", store=True, string="State of the resolution"
    )
    state = fields.Selection(
        [("open", "Open"), ("done", "Done")],
        default="open",
        required=True,
        readonly=True,
        copy=False,
        index=True,
    )
    answer_document_id = fields.Many2one(
        "municipal.document",
        string="Closing document",
        check_company=True,
        copy=False,
        domain="[('state', 'not in', ('draft', 'refused', 'annulled'))]",
        help="The registered document that executes the resolution, for example the "
        "outgoing answer.",
    )
    answer_note = fields.Text("Note", copy=False)
    answered_on = fields.Datetime("Answered on", readonly=True, copy=False)
    answered_by_id = fields.Many2one(
        "res.users", string="Answered by", readonly=True, copy=False
    )
    is_overdue = fields.Boolean(
        "Overdue", compute="_compute_is_overdue", search="_search_is_overdue"
    )

    # ------------------------------------------------------------------ compute

    @api.depends(
        "employee_id.user_id",
        "employee_id.department_id",
        "department_id.manager_id.user_id",
    )
    def _compute_responsible(self):
        for line in self:
            person = line.employee_id or line.department_id.manager_id
            line.person_id = person
            line.user_id = person.user_id
            line.unit_id = line.department_id or line.employee_id.department_id

    @api.depends("employee_id", "department_id")
    def _compute_display_name(self):
        for line in self:
            line.display_name = (
                line.employee_id.name or line.department_id.name or _("No executor")
            )

    @api.depends("state", "resolution_state", "deadline")
    def _compute_is_overdue(self):
        today = self.env["municipal.resolution"]._municipal_today()
        for line in self:
            line.is_overdue = bool(
                line.state == "open"
                and line.resolution_state == "issued"
                and line.deadline
                and line.deadline < today
            )

    def _search_is_overdue(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(_("Search overdue executors with 'is set' or 'not set'."))
        domain = [
            ("state", "=", "open"),
            ("resolution_state", "=", "issued"),
            ("deadline", "<", self.env["municipal.resolution"]._municipal_today()),
        ]
        if (operator == "=") == value:
            return domain
        return ["!", "&", "&", *domain]

    # ------------------------------------------------------------------ constraints

    # resolution_id is always written on create: the check runs even for a line that
    # names nobody.
    @api.constrains("employee_id", "department_id", "resolution_id")
    def _check_one_executor(self):
        for line in self:
            if bool(line.employee_id) == bool(line.department_id):
                raise ValidationError(
                    _(
                        "Each executor line names either an employee or a unit, "
                        "not both and not neither."
                    )
                )

    # ------------------------------------------------------------------ CRUD

    @api.model_create_multi
    def create(self, vals_list):
        lines = super().create(vals_list)
        if not self.env.su:
            lines._check_may_change_executors()
        return lines

    def write(self, vals):
        if not self.env.su and set(vals) - ANSWER_FIELDS - ACTION_FIELDS:
            self._check_may_change_executors()
        if set(vals) & (ANSWER_FIELDS | ACTION_FIELDS) and not self.env.su:
            self._check_may_answer()
        if ACTION_FIELDS & set(vals) and not self.env.context.get(
            "municipal_answering"
        ):
            raise UserError(_("An executor answers with the button 'Done'."))
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_only_open_drafts(self):
        if any(line.resolution_state not in ("draft", False) for line in self):
            raise UserError(
                _(
                    "The executors of an issued resolution stay on record: cancel "
                    "the resolution and write a new one."
                )
            )

    def _check_may_change_executors(self):
        if not any(self.env.user.has_group(group) for group in RESOLVING_GROUPS):
            raise AccessError(
                _(
                    "Only heads of units, the secretary and the mayor name the "
                    "executors of a resolution."
                )
            )
        if any(line.resolution_state in ("done", "cancelled") for line in self):
            raise UserError(
                _("The executors of a closed or cancelled resolution do not change.")
            )

    def _check_may_answer(self):
        """The executor answers, and so may the controller or the author for them
        (for an employee without a user, or an answer on paper)."""
        user = self.env.user
        may_resolve = any(user.has_group(group) for group in RESOLVING_GROUPS)
        for line in self:
            if may_resolve or user in (
                line.user_id | line.controller_id | line.author_id
            ):
                continue
            raise AccessError(
                _(
                    "Only %(executor)s or the controller answer on this line.",
                    executor=line.user_id.name or line.display_name,
                )
            )

    # ------------------------------------------------------------------ actions

    def action_done(self):
        """Record the answer: a closing document or a note is required."""
        for line in self:
            if line.resolution_state != "issued":
                raise UserError(
                    _("Only an issued resolution is executed; this one is not.")
                )
            if line.state == "done":
                continue
            if not line.answer_document_id and not (line.answer_note or "").strip():
                raise UserError(
                    _(
                        "Answer %(resolution)s with a closing document or a note.",
                        resolution=line.resolution_id.display_name,
                    )
                )
            closing = line.answer_document_id
            if closing and closing.state in ("draft", "refused", "annulled"):
                raise UserError(
                    _(
                        "The closing document %(document)s is not registered.",
                        document=closing.display_name,
                    )
                )
        todo = self.filtered(lambda line: line.state == "open")
        todo.with_context(municipal_answering=True).write(
            {
                "state": "done",
                "answered_on": fields.Datetime.now(),
                "answered_by_id": self.env.uid,
            }
        )
        # The executor may not write the resolution or the others' activities: the
        # resolution follows its lines as the superuser.
        for line in todo:
            line.resolution_id.sudo()._municipal_clear_overdue_activities(
                users=line.user_id
            )
        todo.resolution_id.sudo()._municipal_update_state()
        return True

    def action_reopen(self):
        """Send an answer back: the controller or the author does not accept it."""
        user = self.env.user
        for line in self:
            if line.resolution_state not in ("issued", "done"):
                raise UserError(_("Only an issued resolution is executed."))
            if not self.env.su and user not in (line.controller_id | line.author_id):
                if not any(user.has_group(group) for group in RESOLVING_GROUPS):
                    raise AccessError(
                        _("Only the controller or the author sends an answer back.")
                    )
        self.with_context(municipal_answering=True).write(
            {"state": "open", "answered_on": False, "answered_by_id": False}
        )
        self.resolution_id.sudo()._municipal_update_state()
        return True

    def action_open_answer(self):
        """Open the line so its executor records the answer."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "target": "current",
        }

    # ------------------------------------------------------------------ cron

    @api.model
    def _cron_overdue(self):
        """Raise one "overdue" activity for each executor and each controller of the
        resolutions past their deadline.

        Failure-tolerant batch: each line is handled in its own savepoint, so one bad
        line (a user gone, a rule failing) does not stop the others; an activity that
        already exists for the same person on the same resolution is not raised again.
        """
        activity_type = self.env.ref(
            "municipal_registry.mail_activity_type_resolution_overdue"
        )
        lines = self.search([("is_overdue", "=", True)], order="deadline, id")
        done = 0
        for line in lines:
            try:
                with self.env.cr.savepoint():
                    line._municipal_raise_overdue(activity_type)
                    done += 1
            except Exception:
                # Logged and left for the next run; the others go on.
                _logger.exception("Overdue resolution line %s failed", line.id)
        self.env["ir.cron"]._notify_progress(done=done, remaining=0)
        return True

    def _municipal_raise_overdue(self, activity_type):
        self.ensure_one()
        resolution = self.resolution_id
        existing = resolution.activity_ids.filtered(
            lambda a: a.activity_type_id == activity_type
        ).user_id
        note = _(
            "%(instruction)s — executor: %(executor)s, deadline %(deadline)s",
            instruction=resolution.instruction,
            executor=self.display_name,
            deadline=self.deadline.strftime("%d.%m.%Y"),
        )
        for user in self.user_id | resolution.controller_id:
            if user in existing or not user.active:
                continue
            resolution.activity_schedule(
                activity_type_id=activity_type.id,
                summary=_(
                    "Overdue: %(document)s",
                    document=resolution.document_id.display_name,
                ),
                note=note,
                user_id=user.id,
                date_deadline=self.env["municipal.resolution"]._municipal_today(),
            )
            existing |= user
