from odoo import _, api, fields, models
from odoo.exceptions import UserError


class MunicipalSealCustody(models.Model):
    """One assignment of a seal to a holder. The history is never rewritten: only
    the end date and the act that ended it may be filled in once.

    Access: the secretary and registry managers create and close custodies; a holder
    reads their own custodies; everyone else sees nothing.
    """

    _name = "municipal.seal.custody"
    _description = "Custody of a seal"
    _order = "date_from desc, id desc"

    seal_id = fields.Many2one(
        "municipal.seal", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(related="seal_id.company_id", store=True)
    holder_id = fields.Many2one("res.users", string="Holder", required=True)
    order_number = fields.Char(string="Authorising order", required=True)
    order_date = fields.Date(string="Date of the order")
    order_id = fields.Many2one("municipal.document", string="Order in the register")
    purpose = fields.Text(string="Purposes and functions")
    date_from = fields.Date(
        string="From", required=True, default=fields.Date.context_today
    )
    date_to = fields.Date(string="To")
    end_act = fields.Char(string="Act that ended the custody")

    _FROZEN = {"seal_id", "holder_id", "order_number", "order_date", "date_from"}

    @api.model_create_multi
    def create(self, vals_list):
        records = super().create(vals_list)
        for custody in records:
            if custody.seal_id.state not in ("safekeeping", "issued"):
                raise UserError(
                    _("Only a seal in safekeeping can be given to a holder.")
                )
            if len(custody.seal_id.custody_ids.filtered(lambda c: not c.date_to)) > 1:
                raise UserError(
                    _("The seal %s already has an active holder.")
                    % custody.seal_id.display_name
                )
            if custody.seal_id.state == "safekeeping":
                custody.seal_id.write({"state": "issued"})
        return records

    def write(self, vals):
        if self._FROZEN & set(vals) or any(
            c.date_to for c in self if "date_to" in vals or "end_act" in vals
        ):
            raise UserError(_("The custody history is never rewritten."))
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_never(self):
        raise UserError(_("The custody history is never rewritten."))

    def action_close(self, end_act):
        """Hand the seal back to the secretary."""
        self.write({"date_to": fields.Date.context_today(self), "end_act": end_act})
        for seal in self.seal_id.filtered(lambda s: s.state == "issued"):
            seal.write({"state": "safekeeping"})
