from odoo import _, api, fields, models


class MunicipalSealMovement(models.Model):
    """Taking a seal out of its unit and bringing it back (Annexes 2 and 3).

    Access: the secretary and registry managers create and edit movements;
    everyone else sees nothing.
    """

    _name = "municipal.seal.movement"
    _description = "Taking a seal out"
    _order = "date_out desc, id desc"

    seal_id = fields.Many2one(
        "municipal.seal", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(related="seal_id.company_id", store=True)
    reason = fields.Text(required=True)
    person_id = fields.Many2one("res.users", string="Person", required=True)
    date_out = fields.Datetime(
        string="Taken out on", required=True, default=fields.Datetime.now
    )
    date_due = fields.Datetime(string="Due back on", required=True)
    date_back = fields.Datetime(string="Brought back on", readonly=True)
    is_overdue = fields.Boolean(compute="_compute_is_overdue", search="_search_overdue")

    @api.depends("date_due", "date_back")
    def _compute_is_overdue(self):
        now = fields.Datetime.now()
        for move in self:
            move.is_overdue = not move.date_back and move.date_due < now

    def _search_overdue(self, operator, value):
        domain = [("date_back", "=", False), ("date_due", "<", fields.Datetime.now())]
        return domain if (operator == "=") == bool(value) else ["!"] + domain

    @api.model_create_multi
    def create(self, vals_list):
        moves = super().create(vals_list)
        moves.seal_id.write({"state": "taken_out"})
        return moves

    def action_bring_back(self):
        summary = _("Seal not brought back")
        for move in self.filtered(lambda m: not m.date_back):
            move.date_back = fields.Datetime.now()
            seal = move.seal_id
            seal.write({"state": "issued" if seal.holder_id else "safekeeping"})
            seal.activity_ids.filtered(lambda a: a.summary == summary).action_done()

    def _cron_overdue(self):
        """Failure-tolerant: one savepoint per movement; the secretary gets one
        activity per overdue seal."""
        todo = self.env.ref("mail.mail_activity_data_todo")
        summary = _("Seal not brought back")
        for move in self.search([("is_overdue", "=", True)]):
            try:
                with self.env.cr.savepoint():
                    seal = move.seal_id
                    if seal.activity_ids.filtered(lambda a: a.summary == summary):
                        continue
                    seal.activity_schedule(
                        activity_type_id=todo.id,
                        summary=summary,
                        note=move.reason,
                        user_id=seal._seal_secretary().id or self.env.uid,
                    )
            except Exception as exc:  # noqa: BLE001 - keep the batch going
                move.seal_id.message_post(body=str(exc))
