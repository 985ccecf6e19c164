from datetime import timedelta

from odoo import _, api, fields, models


class MunicipalSealLoss(models.Model):
    """A lost seal: the holder's written explanations, the notice to the mayor
    within the configured hours (24 by default), the mayor's suspension order and
    the notices to the police and the prosecutor.

    Access: the secretary and registry managers create and edit losses;
    everyone else sees nothing.
    """

    _name = "municipal.seal.loss"
    _description = "Loss of a seal"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "date_reported desc, id desc"

    seal_id = fields.Many2one(
        "municipal.seal", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(related="seal_id.company_id", store=True)
    reported_by_id = fields.Many2one("res.users", string="Reported by", required=True)
    explanation = fields.Text(string="Written explanations")
    date_reported = fields.Datetime(
        string="Reported on", required=True, default=fields.Datetime.now
    )
    notice_deadline = fields.Datetime(
        string="Inform the mayor by", compute="_compute_notice_deadline", store=True
    )
    date_mayor_informed = fields.Datetime(string="Mayor informed on")
    notice_overdue = fields.Boolean(
        string="Notice overdue", compute="_compute_notice_overdue"
    )
    suspension_order = fields.Char(string="Suspension order of the mayor")
    police_notified = fields.Boolean(string="Police notified")
    prosecutor_notified = fields.Boolean(string="Prosecutor notified")
    outcome = fields.Selection(
        [("open", "Open"), ("found", "Found"), ("closed", "Closed")],
        default="open",
        required=True,
    )

    @api.depends("date_reported")
    def _compute_notice_deadline(self):
        hours = int(
            self.env["ir.config_parameter"]
            .sudo()
            .get_param("municipal_registry.seal_loss_notice_hours", 24)
        )
        for loss in self:
            loss.notice_deadline = loss.date_reported + timedelta(hours=hours)

    @api.depends("notice_deadline", "date_mayor_informed")
    def _compute_notice_overdue(self):
        now = fields.Datetime.now()
        for loss in self:
            loss.notice_overdue = bool(
                not loss.date_mayor_informed
                and loss.notice_deadline
                and loss.notice_deadline < now
            )

    @api.model_create_multi
    def create(self, vals_list):
        losses = super().create(vals_list)
        todo = self.env.ref("mail.mail_activity_data_todo")
        for loss in losses:
            if loss.seal_id.state != "lost":
                loss.seal_id.action_report_lost()
            loss.activity_schedule(
                activity_type_id=todo.id,
                summary=_("Inform the mayor of the lost seal"),
                date_deadline=fields.Date.to_date(loss.notice_deadline),
                user_id=loss.seal_id._seal_secretary().id or self.env.uid,
            )
        return losses

    def action_mayor_informed(self):
        self.date_mayor_informed = fields.Datetime.now()
        self.activity_ids.action_done()

    def action_suspend(self):
        self.seal_id.filtered(lambda s: s.state == "lost").action_suspend()

    def action_found(self):
        self.outcome = "found"
        self.seal_id.action_found()
