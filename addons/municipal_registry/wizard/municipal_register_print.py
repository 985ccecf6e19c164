import base64
import io

import pytz
import xlsxwriter

from odoo import _, api, fields, models
from odoo.exceptions import UserError


class MunicipalRegisterPrint(models.TransientModel):
    """The register journal (дневник) of one register for a period, as PDF or XLSX."""

    _name = "municipal.register.print"
    _description = "Print the Register Journal"

    register_id = fields.Many2one("municipal.register", required=True)
    date_from = fields.Date(
        required=True,
        default=lambda self: fields.Date.context_today(self).replace(day=1),
    )
    date_to = fields.Date(required=True, default=fields.Date.context_today)
    output = fields.Selection(
        [("pdf", "PDF"), ("xlsx", "XLSX")], required=True, default="pdf"
    )
    xlsx_file = fields.Binary(readonly=True, attachment=False)
    xlsx_filename = fields.Char(readonly=True)

    @api.constrains("date_from", "date_to")
    def _check_dates(self):
        for wizard in self:
            if wizard.date_from > wizard.date_to:
                raise UserError(_("The period ends before it starts."))

    def _documents(self):
        """The journal's lines: every number given in the period, annulled ones too."""
        self.ensure_one()
        start = fields.Datetime.to_datetime(self.date_from)
        end = fields.Datetime.to_datetime(fields.Date.add(self.date_to, days=1))
        tz_start = self._to_utc(start)
        tz_end = self._to_utc(end)
        return self.env["municipal.document"].search(
            [
                ("register_id", "=", self.register_id.id),
                ("number", "!=", False),
                ("registration_date", ">=", tz_start),
                ("registration_date", "<", tz_end),
            ],
            order="registration_year, sequence_number",
        )

    def _to_utc(self, local_naive):
        # The period is given in the user's dates; registration times are stored in UTC.
        tz = self.register_id.company_id._municipal_tz()
        return tz.localize(local_naive).astimezone(pytz.UTC).replace(tzinfo=None)

    def _journal_rows(self):
        """One row per number, in the columns of the journal."""
        rows = []
        for document in self._documents():
            local = document.company_id._municipal_localize(document.registration_date)
            rows.append(
                {
                    "number": document.number,
                    "date": local.strftime("%d.%m.%Y %H:%M"),
                    "kind": document.document_type_id.name or "",
                    "correspondents": ", ".join(
                        document.correspondent_ids.partner_id.mapped("name")
                    ),
                    "subject": _("(restricted)")
                    if document.restricted
                    else document.subject or "",
                    "channel": document.channel_id.name or "",
                    "external": " / ".join(
                        filter(
                            None,
                            [
                                document.external_number,
                                document.external_date
                                and document.external_date.strftime("%d.%m.%Y"),
                            ],
                        )
                    ),
                    "case": document.case_id.name or "",
                    "state": document._state_label(document.state),
                }
            )
        return rows

    def _journal_columns(self):
        return [
            ("number", _("Number")),
            ("date", _("Date and time")),
            ("kind", _("Kind")),
            ("correspondents", _("Correspondents")),
            ("subject", _("Subject")),
            ("channel", _("Channel")),
            ("external", _("Their number and date")),
            ("case", _("Case file")),
            ("state", _("State")),
        ]

    def action_print(self):
        self.ensure_one()
        if self.output == "xlsx":
            return self._action_xlsx()
        return self.env.ref(
            "municipal_registry.action_report_register_journal"
        ).report_action(self)

    def _xlsx_content(self):
        buffer = io.BytesIO()
        workbook = xlsxwriter.Workbook(buffer, {"in_memory": True})
        sheet = workbook.add_worksheet(self.register_id.name[:31])
        bold = workbook.add_format({"bold": True})
        sheet.write(0, 0, self.register_id.display_name, bold)
        sheet.write(1, 0, f"{self.date_from:%d.%m.%Y} - {self.date_to:%d.%m.%Y}")
        columns = self._journal_columns()
        for col, (_key, label) in enumerate(columns):
            sheet.write(3, col, label, bold)
        for row, line in enumerate(self._journal_rows(), start=4):
            for col, (key, _label) in enumerate(columns):
                sheet.write(row, col, line[key])
        workbook.close()
        return buffer.getvalue()

    def _action_xlsx(self):
        self.write(
            {
                "xlsx_file": base64.b64encode(self._xlsx_content()),
                "xlsx_filename": (
                    f"{self.register_id.name}-{self.date_from}-{self.date_to}.xlsx"
                ),
            }
        )
        return {
            "type": "ir.actions.act_url",
            "url": f"/web/content/{self._name}/{self.id}/xlsx_file/"
            f"{self.xlsx_filename}?download=true",
            "target": "self",
        }
