import datetime

from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError

# A document outside any case file is destroyed alone once it is finished.
FINISHED_DOCUMENT_STATES = ("done", "archived", "annulled")


class MunicipalDestructionLine(models.Model):
    """A case file, or a document outside any case file, proposed for destruction.

    Only files whose retention period has ended can be listed; files kept permanently
    never can. The number, date, subject and retention are copied when the line is
    made, so that the protocol reads the same after the files are gone. Access: as the
    protocol.
    """

    _name = "municipal.destruction.line"
    _description = "Destruction Protocol Line"
    _order = "protocol_id, sequence, id"

    protocol_id = fields.Many2one(
        "municipal.destruction.protocol",
        required=True,
        ondelete="cascade",
        index=True,
    )
    company_id = fields.Many2one(
        related="protocol_id.company_id", store=True, index=True, precompute=True
    )
    sequence = fields.Integer(default=10)
    case_id = fields.Many2one(
        "municipal.case",
        string="Case file",
        index="btree_not_null",
        check_company=True,
        domain="[('state', '=', 'archived')]",
    )
    document_id = fields.Many2one(
        "municipal.document",
        index="btree_not_null",
        check_company=True,
        domain="[('case_id', '=', False), ('state', 'in', ('done', 'archived', "
        "'annulled'))]",
        help="A document outside any case file; the documents of a case file go with "
        "their case file.",
    )
    number = fields.Char(compute="_compute_entry", store=True, precompute=True)
    entry_date = fields.Date(
        "Date", compute="_compute_entry", store=True, precompute=True
    )
    subject = fields.Char(compute="_compute_entry", store=True, precompute=True)
    retention_id = fields.Many2one(
        "municipal.retention",
        string="Nomenclature index",
        compute="_compute_entry",
        store=True,
        precompute=True,
    )
    retention_years = fields.Integer(
        "Retention (years)", compute="_compute_entry", store=True, precompute=True
    )
    retention_end = fields.Date(
        "Retention ended", compute="_compute_entry", store=True, precompute=True
    )
    document_count = fields.Integer(
        "Documents", compute="_compute_entry", store=True, precompute=True
    )

    # The copies are taken while the protocol is prepared; after the execution the
    # entries no longer change, so the stored values stay as printed.
    @api.depends(
        "case_id.name",
        "case_id.retention_id",
        "case_id.retention_end",
        "document_id.number",
        "document_id.document_type_id.retention_id",
    )
    def _compute_entry(self):
        for line in self:
            # The protocol lists restricted documents by number too: read as superuser.
            case = line.sudo().case_id
            document = line.sudo().document_id
            if case:
                retention = case.retention_id
                line.number = case.name
                line.entry_date = case.open_date and case.open_date.date()
                line.subject = case.subject
                line.retention_end = case.retention_end
                line.document_count = len(case.document_ids)
            elif document:
                retention = document.document_type_id.retention_id
                line.number = document.number
                line.entry_date = (
                    document.registration_date and document.registration_date.date()
                )
                line.subject = document.subject
                line.retention_end = (
                    retention.years
                    and document.registration_year
                    and datetime.date(
                        document.registration_year + retention.years, 12, 31
                    )
                ) or False
                line.document_count = 1
            else:
                retention = self.env["municipal.retention"]
                line.number = line.entry_date = line.subject = False
                line.retention_end = False
                line.document_count = 0
            line.retention_id = retention
            line.retention_years = retention.years

    @api.constrains("case_id", "document_id")
    def _check_entry(self):
        self._check_destroyable()

    def _check_destroyable(self, on_protocol=None):
        """Refuse lines whose files may not be destroyed (yet).

        Checked when a line is made, when the protocol is submitted and again just
        before the execution.
        """
        today = fields.Date.context_today(self)
        for line in self:
            case, document = line.sudo().case_id, line.sudo().document_id
            if bool(case) == bool(document):
                raise ValidationError(
                    _("A line lists either one case file or one document.")
                )
            label = line.number or ""
            if case and case.state != "archived":
                raise ValidationError(
                    _(
                        "Case file %(case)s is not in the archive: only archived case "
                        "files are destroyed.",
                        case=label,
                    )
                )
            if document and (
                document.case_id
                or document.state not in FINISHED_DOCUMENT_STATES
                or document.destruction_protocol_id
            ):
                raise ValidationError(
                    _(
                        "Document %(document)s cannot be listed alone: it belongs to a "
                        "case file, is not finished or is destroyed already.",
                        document=label,
                    )
                )
            if not line.retention_id:
                raise ValidationError(
                    _(
                        "%(entry)s has no index of the nomenclature of files: its "
                        "retention period is unknown.",
                        entry=label,
                    )
                )
            if not line.retention_years:
                raise ValidationError(
                    _(
                        "%(entry)s is kept permanently (index %(index)s) and is never "
                        "destroyed.",
                        entry=label,
                        index=line.retention_id.code,
                    )
                )
            if not line.retention_end or line.retention_end >= today:
                raise ValidationError(
                    _(
                        "The retention of %(entry)s ends on %(end)s: it cannot be "
                        "destroyed before.",
                        entry=label,
                        end=line.retention_end
                        and fields.Date.to_string(line.retention_end)
                        or _("(the case file is not closed)"),
                    )
                )
            # Lines of every protocol count, also those the user cannot open.
            others = self.sudo().search(
                [
                    ("id", "!=", line.id),
                    ("protocol_id.state", "!=", "executed"),
                    "|",
                    "&",
                    ("case_id", "!=", False),
                    ("case_id", "=", case.id),
                    "&",
                    ("document_id", "!=", False),
                    ("document_id", "=", document.id),
                ],
                limit=1,
            )
            if others:
                raise ValidationError(
                    _(
                        "%(entry)s is already on protocol %(protocol)s.",
                        entry=label,
                        protocol=others.protocol_id.name,
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        lines = super().create(vals_list)
        lines._check_protocol_draft()
        return lines

    def write(self, vals):
        self._check_protocol_draft()
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_only_draft(self):
        self._check_protocol_draft()

    def _check_protocol_draft(self):
        if any(line.protocol_id.state != "draft" for line in self):
            raise UserError(_("The list of a submitted protocol does not change."))

    def _documents(self):
        """Every document whose files the lines destroy (restricted ones included)."""
        documents = self.env["municipal.document"]
        for line in self:
            documents |= line.case_id.document_ids | line.document_id
        return documents
