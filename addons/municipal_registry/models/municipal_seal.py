import base64

from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError


class MunicipalSeal(models.Model):
    """An official seal in the register of seals of one registratura.

    Access: the secretary of the municipality and registry managers read and edit
    every seal of their municipality; an employee who holds a seal (an open custody)
    reads that seal only; everyone else sees nothing.
    """

    _name = "municipal.seal"
    _description = "Official seal"
    _inherit = ["mail.thread", "mail.activity.mixin", "municipal.state.machine"]
    _order = "office_id, name, serial_number"

    name = fields.Char(string="Text of the seal", required=True, tracking=True)
    office_id = fields.Many2one(
        "municipal.registry.office",
        string="Registratura",
        required=True,
        ondelete="restrict",
        index=True,
    )
    company_id = fields.Many2one(related="office_id.company_id", store=True, index=True)
    seal_type = fields.Selection(
        [
            ("mayor", "Mayor"),
            ("municipality", "Municipality"),
            ("mayoralty", "Mayoralty"),
            ("unit", "Administrative unit"),
            ("election", "Election commission"),
            ("other", "Other"),
        ],
        string="Type",
        required=True,
        default="municipality",
    )
    serial_number = fields.Char(
        help="Number printed under the text when several identical seals exist."
    )
    impression = fields.Image(
        string="Ink impression",
        max_width=1024,
        max_height=1024,
        help="Scanned ink impression; required before the seal is issued.",
    )
    create_order_number = fields.Char(string="Order of creation")
    create_order_date = fields.Date(string="Date of the order of creation")
    create_order_id = fields.Many2one(
        "municipal.document", string="Order of creation in the register"
    )
    approve_order_number = fields.Char(string="Order of approval")
    approve_order_date = fields.Date(string="Date of the order of approval")
    approve_order_id = fields.Many2one(
        "municipal.document", string="Order of approval in the register"
    )
    custody_ids = fields.One2many(
        "municipal.seal.custody", "seal_id", string="Custody history"
    )
    movement_ids = fields.One2many(
        "municipal.seal.movement", "seal_id", string="Taking out"
    )
    absence_ids = fields.One2many(
        "municipal.seal.absence", "seal_id", string="Absences"
    )
    loss_ids = fields.One2many("municipal.seal.loss", "seal_id", string="Losses")
    holder_id = fields.Many2one(
        "res.users",
        compute="_compute_holder_id",
        store=True,
        string="Current holder",
    )
    archive_date = fields.Date(readonly=True, copy=False)
    destruction_due_date = fields.Date(
        compute="_compute_destruction_due_date", store=True
    )
    archive_permission = fields.Char(
        string="Permission of the State Archives",
        help="Required before an election commission seal is destroyed.",
    )
    destruction_date = fields.Date(readonly=True, copy=False)
    destruction_method = fields.Char()
    destruction_signatory_id = fields.Many2one(
        "res.users", string="Secretary or authorised person"
    )
    destruction_witness1_id = fields.Many2one("res.users", string="First employee")
    destruction_witness2_id = fields.Many2one("res.users", string="Second employee")

    # State machine:
    #
    #   created ──► safekeeping ──► issued ──► taken_out
    #      │            ▲  │          │  ▲         │
    #      │            └──┼──────────┘  └─────────┘ (brought back)
    #      │               │          │
    #      │               ▼          ▼
    #      │           suspended ◄── lost (suspension order)
    #      │               │          │ found → safekeeping
    #      ▼               ▼          ▼
    #   archived ◄─────────┴──────────┘
    #      │
    #      ▼
    #   destroyed
    state = fields.Selection(
        [
            ("created", "Created"),
            ("safekeeping", "In safekeeping"),
            ("issued", "Issued"),
            ("taken_out", "Temporarily taken out"),
            ("lost", "Lost"),
            ("suspended", "Suspended"),
            ("archived", "Archived"),
            ("destroyed", "Destroyed"),
        ],
        default="created",
        required=True,
        tracking=True,
        copy=False,
    )

    _municipal_transitions = {
        "created": {"safekeeping", "archived"},
        "safekeeping": {"issued", "lost", "suspended", "archived"},
        "issued": {"safekeeping", "taken_out", "lost", "suspended"},
        "taken_out": {"issued", "safekeeping", "lost"},
        "lost": {"suspended", "safekeeping", "archived"},
        "suspended": {"safekeeping", "archived"},
        "archived": {"destroyed"},
        "destroyed": set(),
    }

    @api.depends("custody_ids.date_to", "custody_ids.holder_id")
    def _compute_holder_id(self):
        for seal in self:
            open_custody = seal.custody_ids.filtered(lambda c: not c.date_to)
            seal.holder_id = open_custody[:1].holder_id

    @api.depends("archive_date")
    def _compute_destruction_due_date(self):
        years = int(
            self.env["ir.config_parameter"]
            .sudo()
            .get_param("municipal_registry.seal_archive_years", 10)
        )
        for seal in self:
            seal.destruction_due_date = (
                fields.Date.add(seal.archive_date, years=years)
                if seal.archive_date
                else False
            )

    def _check_state_transition(self, new_state):
        """The one guard of the state machine: refuse every move not drawn above
        and every move whose preconditions are not met."""
        super()._check_state_transition(new_state)
        for seal in self:
            if seal.state == new_state:
                continue
            if new_state == "issued" and not seal.impression:
                raise UserError(
                    _("Scan the ink impression before issuing the seal %s.")
                    % seal.display_name
                )
            if new_state == "destroyed":
                if (
                    not (
                        seal.destruction_signatory_id
                        and seal.destruction_witness1_id
                        and seal.destruction_witness2_id
                    )
                    or len(
                        seal.destruction_signatory_id
                        | seal.destruction_witness1_id
                        | seal.destruction_witness2_id
                    )
                    < 3
                ):
                    raise UserError(
                        _(
                            "The destruction protocol needs the secretary or an "
                            "authorised person and two other employees."
                        )
                    )
                if seal.seal_type == "election" and not seal.archive_permission:
                    raise UserError(
                        _(
                            "An election commission seal is destroyed only after "
                            "the permission of the State Archives is recorded."
                        )
                    )

    def write(self, vals):
        if "state" in vals:
            self._check_state_transition(vals["state"])
            if vals["state"] == "archived":
                vals.setdefault("archive_date", fields.Date.context_today(self))
            if vals["state"] == "destroyed":
                vals.setdefault("destruction_date", fields.Date.context_today(self))
        return super().write(vals)

    @api.constrains("custody_ids")
    def _check_single_holder(self):
        for seal in self:
            if len(seal.custody_ids.filtered(lambda c: not c.date_to)) > 1:
                raise ValidationError(
                    _("The seal %s already has an active holder.") % seal.display_name
                )

    def action_safekeeping(self):
        self.write({"state": "safekeeping"})

    def action_archive_seal(self):
        self.custody_ids.filtered(lambda c: not c.date_to).write(
            {"date_to": fields.Date.context_today(self), "end_act": _("Archived")}
        )
        self.write({"state": "archived"})

    def action_destroy(self):
        self.write({"state": "destroyed"})

    def action_suspend(self):
        self.write({"state": "suspended"})

    def action_report_lost(self):
        self.write({"state": "lost"})

    def action_found(self):
        self.write({"state": "safekeeping"})

    def _cron_destruction_reminder(self):
        """Remind the secretary of archived seals whose keeping period ended."""
        activity_type = self.env.ref("mail.mail_activity_data_todo")
        summary = _("Destroy the seal")
        seals = self.search(
            [
                ("state", "=", "archived"),
                ("destruction_due_date", "<=", fields.Date.context_today(self)),
            ]
        )
        for seal in seals:
            try:
                with self.env.cr.savepoint():
                    if seal.activity_ids.filtered(lambda a: a.summary == summary):
                        continue
                    seal.activity_schedule(
                        activity_type_id=activity_type.id,
                        summary=summary,
                        user_id=seal._seal_secretary().id or self.env.uid,
                    )
            except Exception as exc:  # noqa: BLE001 - keep the batch going
                seal.message_post(body=str(exc))

    def _seal_secretary(self):
        group = self.env.ref("municipal_registry.group_registry_secretary")
        return group.users[:1]

    def _seal_hand_over(self, new_holder, order_number, end_act):
        """Close the open custody with ``end_act`` and open one for
        ``new_holder``: each step is a custody, so each has its protocol."""
        self.ensure_one()
        self.custody_ids.filtered(lambda c: not c.date_to).action_close(end_act)
        return self.env["municipal.seal.custody"].create(
            {
                "seal_id": self.id,
                "holder_id": new_holder.id,
                "order_number": order_number,
            }
        )

    def action_change_of_mayor(self, acting_mayor=None, order_number=""):
        """The mayor's seal goes to the acting mayor, or to the secretary when
        there is none."""
        self.ensure_one()
        if self.seal_type != "mayor":
            raise UserError(_("Only the mayor's seal follows a change of mayor."))
        receiver = acting_mayor or self._seal_secretary()
        if not receiver:
            raise UserError(_("There is no acting mayor and no secretary."))
        return self._seal_hand_over(receiver, order_number or "-", _("Change of mayor"))

    def action_to_new_mayor(self, new_mayor, order_number=""):
        self.ensure_one()
        return self._seal_hand_over(
            new_mayor, order_number or "-", _("Handed over to the new mayor")
        )

    @api.model
    def _seal_demo_impressions(self):
        """Draw a round ink impression for the demo seals that have none."""
        import io

        from PIL import Image, ImageDraw

        for seal in self.search([("impression", "=", False)]):
            img = Image.new("RGBA", (240, 240), (255, 255, 255, 0))
            draw = ImageDraw.Draw(img)
            blue = (30, 60, 170, 255)
            draw.ellipse((8, 8, 232, 232), outline=blue, width=6)
            draw.ellipse((40, 40, 200, 200), outline=blue, width=3)
            draw.text((70, 112), (seal.serial_number or "MUN")[:12], fill=blue)
            buf = io.BytesIO()
            img.save(buf, format="PNG")
            seal.impression = base64.b64encode(buf.getvalue())
