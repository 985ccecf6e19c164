import io

import xlsxwriter

from odoo import _, api, fields, models
from odoo.exceptions import UserError


class NisAssessment(models.Model):
    """A risk assessment of one period: the risk register and its approval.

    Access: NIS users read the assessments (and, through the risk rules, only their
    own lines); NIS officers prepare and submit them; NIS managers (the mayor or a
    delegate) approve, and may reset an approval.
    """

    _name = "nis.assessment"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _description = "Risk Assessment"
    _order = "year desc, id desc"
    _check_company_auto = True

    name = fields.Char(required=True, tracking=True)
    year = fields.Integer(
        required=True,
        default=lambda self: fields.Date.context_today(self).year,
        tracking=True,
    )
    date_from = fields.Date(string="Period from")
    date_to = fields.Date(string="Period to")
    deadline = fields.Date(
        string="Approve by",
        tracking=True,
        help="The yearly deadline for this assessment's approval.",
    )
    origin = fields.Selection(
        [
            ("initial", "Initial"),
            ("yearly", "Yearly"),
            ("reassessment", "Re-assessment"),
        ],
        required=True,
        default="initial",
    )
    reason = fields.Text(
        help="Why a re-assessment was started: an infrastructure change, a change "
        "of structure or functions, an incident."
    )
    previous_id = fields.Many2one(
        "nis.assessment", string="Previous assessment", readonly=True, copy=False
    )
    # draft -> submitted -> approved -> superseded
    #   ^________|  (officer returns it)
    #   ^___________________|  (manager resets an approval)
    state = fields.Selection(
        [
            ("draft", "Draft"),
            ("submitted", "Submitted"),
            ("approved", "Approved"),
            ("superseded", "Superseded"),
        ],
        default="draft",
        required=True,
        tracking=True,
        copy=False,
    )
    approver_id = fields.Many2one("res.users", readonly=True, copy=False)
    approval_date = fields.Date(readonly=True, copy=False)
    document_id = fields.Many2one(
        "municipal.document",
        string="Registered as",
        readonly=True,
        copy=False,
        help="The register entry of the approval.",
    )
    risk_ids = fields.One2many("nis.risk", "assessment_id", string="Risks", copy=False)
    risk_count = fields.Integer(compute="_compute_risk_stats")
    priority1_count = fields.Integer(compute="_compute_risk_stats")
    priority2_count = fields.Integer(compute="_compute_risk_stats")
    priority3_count = fields.Integer(compute="_compute_risk_stats")
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )

    _TRANSITIONS = {
        "draft": {"submitted"},
        "submitted": {"draft", "approved"},
        "approved": {"superseded", "draft"},
        "superseded": set(),
    }

    @api.depends("risk_ids.priority", "risk_ids.is_removed")
    def _compute_risk_stats(self):
        for assessment in self:
            risks = assessment.risk_ids.filtered(lambda r: not r.is_removed)
            assessment.risk_count = len(risks)
            for priority in ("1", "2", "3"):
                count = len(risks.filtered(lambda r, p=priority: r.priority == p))
                assessment[f"priority{priority}_count"] = count

    def write(self, vals):
        if "state" in vals:
            self._check_state_transition(vals["state"])
        return super().write(vals)

    def _check_state_transition(self, new_state):
        """Refuse transitions outside the diagram and approvals that are not ready.

        Approving needs the NIS manager group and every line treated per its
        priority (priority 1: measures with resources, responsible and deadline).
        """
        labels = dict(self._fields["state"]._description_selection(self.env))
        for assessment in self:
            if assessment.state == new_state:
                continue
            if new_state not in self._TRANSITIONS[assessment.state]:
                raise UserError(
                    _(
                        "An assessment cannot go from %(old)s to %(new)s.",
                        old=labels[assessment.state],
                        new=labels.get(new_state, new_state),
                    )
                )
            if new_state == "approved" or assessment.state == "approved":
                if not self.env.user.has_group("nis_risk.group_nis_manager"):
                    raise UserError(
                        _("Only the mayor or a delegate (NIS manager) approves.")
                    )
            if new_state == "approved":
                problems = assessment.risk_ids._nis_treatment_problems()
                if problems:
                    raise UserError(
                        _("The assessment cannot be approved yet:")
                        + "\n"
                        + "\n".join(problems)
                    )

    def action_submit(self):
        self.write({"state": "submitted"})
        return True

    def action_reset_draft(self):
        self.write({"state": "draft", "approver_id": False, "approval_date": False})
        return True

    def action_approve(self):
        for assessment in self:
            risks = assessment.risk_ids
            risks.filtered(lambda r: r.priority == "1").write({"treatment": "treat"})
            risks.filtered(lambda r: r.priority == "3" and not r.treatment).write(
                {"treatment": "accept"}
            )
            assessment.write(
                {
                    "state": "approved",
                    "approver_id": self.env.user.id,
                    "approval_date": fields.Date.context_today(self),
                }
            )
            older = self.search(
                [
                    ("company_id", "=", assessment.company_id.id),
                    ("state", "=", "approved"),
                    ("id", "!=", assessment.id),
                ]
            )
            older.write({"state": "superseded"})
            assessment._nis_register_approval()
        return True

    def _nis_register_approval(self):
        """Register the approved assessment as an internal document of the register.

        The kind of document comes from the company's settings; without one, the
        assessment says so in its chatter and nothing is registered.

        :return: the registered ``municipal.document``, or False
        """
        self.ensure_one()
        kind = self.company_id.nis_approval_document_type_id
        if not kind:
            self.message_post(
                body=_(
                    "The approval was not registered: set the kind of document for "
                    "approved assessments in the settings."
                )
            )
            return False
        document = self.env["municipal.document"]._municipal_register_internal(
            kind,
            _("Approved risk assessment: %(name)s", name=self.name),
            self.approver_id,
        )
        self.document_id = document
        self.message_post(
            body=_("Registered in the register as %(number)s.", number=document.number)
        )
        return document

    def action_start_reassessment(self):
        """Open a re-assessment as a copy of this one (infrastructure change,
        incident)."""
        self.ensure_one()
        new = self._nis_copy_for_period(self.year, origin="reassessment")
        return {
            "type": "ir.actions.act_window",
            "res_model": "nis.assessment",
            "res_id": new.id,
            "view_mode": "form",
        }

    def _nis_copy_for_period(self, year, origin):
        """Copy this assessment's lines into a new draft with change markers.

        Lines of archived assets are marked removed; active assets not assessed
        before get one new line per relevant threat.

        :return: the new assessment
        """
        self.ensure_one()
        if origin == "yearly":
            name = _("Risk assessment %(year)s", year=year)
        else:
            name = _("Re-assessment %(year)s", year=year)
        new = self.create(
            {
                "name": name,
                "year": year,
                "date_from": fields.Date.to_date(f"{year}-01-01"),
                "date_to": fields.Date.to_date(f"{year}-12-31"),
                "deadline": fields.Date.to_date(f"{year}-12-31"),
                "origin": origin,
                "previous_id": self.id,
                "company_id": self.company_id.id,
            }
        )
        Risk = self.env["nis.risk"]
        for risk in self.risk_ids.filtered(lambda r: not r.is_removed):
            copy = risk.copy(
                {
                    "assessment_id": new.id,
                    "previous_risk_id": risk.id,
                    "needs_reassessment": False,
                }
            )
            for measure in risk.measure_ids.filtered(
                lambda m: m.status in ("planned", "in_progress")
            ):
                measure.copy({"risk_id": copy.id})
            if not risk.asset_id.active or not risk.threat_id.active:
                copy.is_removed = True
        assessed = self.risk_ids.asset_id
        new_assets = self.env["nis.asset"].search(
            [("company_id", "=", self.company_id.id), ("id", "not in", assessed.ids)]
        )
        sequence = max(self.risk_ids.mapped("sequence") or [0])
        for asset in new_assets:
            for threat in asset.threat_ids:
                sequence += 1
                Risk.create(
                    {
                        "assessment_id": new.id,
                        "sequence": sequence,
                        "asset_id": asset.id,
                        "threat_id": threat.id,
                    }
                )
        new.message_post(body=_("Opened as a copy of %(name)s.", name=self.name))
        return new

    @api.model
    def _cron_nis_open_yearly(self):
        """Open this year's assessment as a copy of the last approved one.

        Runs daily; does nothing for a company that already has an assessment of the
        current year or has never approved one. Schedules an activity for the NIS
        officers (the assessment's creator) to complete it before the deadline.
        """
        year = fields.Date.context_today(self).year
        for company in self.env["res.company"].search([]):
            if self.search_count(
                [("company_id", "=", company.id), ("year", "=", year)]
            ):
                continue
            last = self.search(
                [
                    ("company_id", "=", company.id),
                    ("state", "=", "approved"),
                    ("year", "<", year),
                ],
                order="year desc, id desc",
                limit=1,
            )
            if not last:
                continue
            new = last._nis_copy_for_period(year, origin="yearly")
            new.activity_schedule(
                "mail.mail_activity_data_todo",
                date_deadline=new.deadline,
                summary=_("Complete and approve the yearly risk assessment"),
                user_id=(last.create_uid or self.env.user).id,
            )

    def action_export_xlsx(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_url",
            "url": f"/nis_risk/assessment/{self.id}/xlsx",
            "target": "download",
        }

    def action_open_heatmap(self):
        self.ensure_one()
        return {
            "type": "ir.actions.client",
            "tag": "nis_risk.dashboard",
            "name": _("Heat map"),
            "context": {"nis_assessment_id": self.id},
        }

    def _nis_register_rows(self):
        """The register's rows in the methodology's columns, as lists of values."""
        self.ensure_one()
        rows = []
        for number, risk in enumerate(
            self.risk_ids.filtered(lambda r: not r.is_removed), start=1
        ):
            measures = risk.measure_ids.filtered(lambda m: m.status != "cancelled")
            responsible = risk.responsible_id | measures.responsible_id
            deadlines = [d for d in [risk.deadline, *measures.mapped("deadline")] if d]
            rows.append(
                [
                    number,
                    risk.asset_id.name,
                    risk.threat_id.name,
                    risk.existing_measures or "",
                    risk.impact or "",
                    risk.likelihood or "",
                    risk.score or "",
                    risk.priority or "",
                    "\n".join(measures.mapped("name")),
                    "\n".join(m.resources for m in measures if m.resources),
                    ", ".join(responsible.mapped("name")),
                    ", ".join(fields.Date.to_string(d) for d in sorted(set(deadlines))),
                ]
            )
        return rows

    def _nis_register_headers(self):
        """The risk register's column titles, in the methodology's order."""
        return [
            _("No."),
            _("Asset"),
            _("Threats"),
            _("Existing measures"),
            _("Impact"),
            _("Likelihood"),
            _("Score"),
            _("Priority"),
            _("Planned measures"),
            _("Resources"),
            _("Responsible"),
            _("Deadline"),
        ]

    def _nis_export_xlsx(self):
        """The risk register (and the risk-reduction plan) as an XLSX file.

        :return: the file's bytes
        """
        self.ensure_one()
        output = io.BytesIO()
        workbook = xlsxwriter.Workbook(output, {"in_memory": True})
        bold = workbook.add_format({"bold": True, "text_wrap": True, "border": 1})
        wrap = workbook.add_format({"text_wrap": True, "valign": "top", "border": 1})
        sheet = workbook.add_worksheet(_("Risk register")[:31])
        sheet.write(0, 0, self.name, workbook.add_format({"bold": True}))
        sheet.write_row(2, 0, self._nis_register_headers(), bold)
        for index, row in enumerate(self._nis_register_rows(), start=3):
            sheet.write_row(index, 0, row, wrap)
        sheet.set_column(0, 0, 5)
        sheet.set_column(1, 3, 30)
        sheet.set_column(4, 7, 10)
        sheet.set_column(8, 11, 25)
        plan = workbook.add_worksheet(_("Risk reduction plan")[:31])
        plan.write_row(
            0,
            0,
            [
                _("Asset"),
                _("Threats"),
                _("Priority"),
                _("Measure"),
                _("Resources"),
                _("Responsible"),
                _("Deadline"),
                _("Status"),
            ],
            bold,
        )
        line = 1
        status = dict(
            self.env["nis.measure"]._fields["status"]._description_selection(self.env)
        )
        for measure in self.risk_ids.measure_ids.filtered(
            lambda m: m.status != "cancelled"
        ):
            plan.write_row(
                line,
                0,
                [
                    measure.asset_id.name,
                    measure.risk_id.threat_id.name,
                    measure.risk_id.priority or "",
                    measure.name,
                    measure.resources or "",
                    measure.responsible_id.name or "",
                    fields.Date.to_string(measure.deadline) or "",
                    status[measure.status],
                ],
                wrap,
            )
            line += 1
        plan.set_column(0, 7, 22)
        workbook.close()
        return output.getvalue()

    @api.model
    def get_heatmap_data(self, assessment_id=False):
        """Counts per impact × likelihood cell for the heat map and the dashboard.

        :param assessment_id: the assessment shown; default the latest one
        :return: dict with the assessment, ``rows`` (likelihood 5..1, each with
            cells for impact 1..5: score, count, colour, priority) and counters
        """
        if assessment_id:
            assessment = self.browse(assessment_id)
        else:
            assessment = self.search([], limit=1)
        risks = assessment.risk_ids.filtered(lambda r: not r.is_removed and r.score)
        thresholds = self.env["nis.priority.threshold"]
        rows = []
        for likelihood in range(5, 0, -1):
            cells = []
            for impact in range(1, 6):
                band = thresholds._nis_priority_for(impact * likelihood)
                count = len(
                    risks.filtered(
                        lambda r, i=impact, lk=likelihood: r.impact == i
                        and r.likelihood == lk
                    )
                )
                cells.append(
                    {
                        "impact": impact,
                        "likelihood": likelihood,
                        "score": impact * likelihood,
                        "count": count,
                        "color": band.color or "#ffffff",
                        "priority": band.priority or "",
                    }
                )
            rows.append({"likelihood": likelihood, "cells": cells})
        today = fields.Date.context_today(self)
        return {
            "assessment_id": assessment.id,
            "assessment_name": assessment.name or "",
            "rows": rows,
            "by_priority": {
                p: len(risks.filtered(lambda r, p=p: r.priority == p))
                for p in ("1", "2", "3")
            },
            "overdue_measures": self.env["nis.measure"].search_count(
                [("is_overdue", "=", True)]
            ),
            "documents_due": self.env["nis.document"].search_count(
                [("next_review_date", "<=", today)]
            ),
            "open_incidents": self.env["nis.incident"].search_count(
                [("state", "!=", "closed")]
            ),
        }
