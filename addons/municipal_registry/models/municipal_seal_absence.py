from odoo import _, api, fields, models
from odoo.exceptions import UserError


class MunicipalSealAbsence(models.Model):
    """An absence of a holder: longer than the configured months (1 by default)
    the seal is handed back with a protocol; shorter, the substitute named in the
    substitution order uses it. Defects found are reported and kept here.

    Access: the secretary and registry managers create and edit absences;
    everyone else sees nothing.
    """

    _name = "municipal.seal.absence"
    _description = "Absence of a seal holder"
    _order = "date_from desc, id desc"

    seal_id = fields.Many2one(
        "municipal.seal", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(related="seal_id.company_id", store=True)
    holder_id = fields.Many2one("res.users", string="Absent holder", required=True)
    date_from = fields.Date(string="From", required=True)
    date_to = fields.Date(string="To", required=True)
    requires_return = fields.Boolean(
        string="Hand back required", compute="_compute_requires_return", store=True
    )
    substitute_id = fields.Many2one("res.users", string="Substitute")
    substitution_order = fields.Char(string="Substitution order")
    defects = fields.Text(string="Defects found")

    @api.depends("date_from", "date_to")
    def _compute_requires_return(self):
        months = int(
            self.env["ir.config_parameter"]
            .sudo()
            .get_param("municipal_registry.seal_absence_months", 1)
        )
        for absence in self:
            absence.requires_return = bool(
                absence.date_from
                and absence.date_to
                and absence.date_to > fields.Date.add(absence.date_from, months=months)
            )

    def action_apply(self):
        """Hand the seal back (long absence) or check the substitution order."""
        for absence in self:
            if absence.requires_return:
                absence.seal_id.custody_ids.filtered(
                    lambda c: not c.date_to
                ).action_close(_("Handed back for an absence of more than a month"))
            elif not (absence.substitute_id and absence.substitution_order):
                raise UserError(_("Name the substitute and the substitution order."))
