from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError

PROOF_KINDS = [
    ("seos_status", "SEOS status"),
    ("ssev_delivery", "e-Delivery (SSEV) delivery time"),
    ("return_receipt", "Postal return receipt"),
    ("counter_signature", "Signature at the counter"),
    ("other", "Other proof"),
]

# The proof kind a channel usually gives, to prefill the form.
KIND_BY_CHANNEL = {
    "seos": "seos_status",
    "ssev": "ssev_delivery",
    "post": "return_receipt",
    "counter": "counter_signature",
}

# Documents that have gone out: a draft, refused or annulled one is not delivered.
DELIVERABLE_STATES = ("registered", "in_work", "done", "archived")


class MunicipalDeliveryProof(models.Model):
    """One attempt to deliver an outgoing document to one recipient, and its proof.

    The date of a successful proof starts the follow-up deadlines of the document's kind
    (an answer period, an appeal period). A proof is a record of the register: it is
    never deleted; a wrong one is corrected by entering another one that corrects it.

    Access: registry users read the proofs of the documents they see and enter proofs
    on the documents they are responsible for; registry clerks enter and correct proofs
    on every document of the municipality. Nobody deletes a proof. The exchange addons
    enter proofs through :meth:`municipal.document._municipal_add_delivery_proof`.
    """

    _name = "municipal.delivery.proof"
    _description = "Delivery Proof"
    _order = "proof_date desc, id desc"
    _check_company_auto = True

    document_id = fields.Many2one(
        "municipal.document",
        required=True,
        ondelete="restrict",
        index=True,
        check_company=True,
        domain="[('direction', '=', 'outgoing')]",
    )
    # Stored before the other fields: the company rule checks it on create.
    company_id = fields.Many2one(
        related="document_id.company_id", store=True, index=True, precompute=True
    )
    partner_id = fields.Many2one(
        "res.partner",
        string="Recipient",
        required=True,
        index=True,
        domain="[('id', 'in', document_partner_ids)]",
    )
    document_partner_ids = fields.Many2many(related="document_id.partner_ids")
    channel_id = fields.Many2one(
        "municipal.document.channel",
        required=True,
        compute="_compute_channel_id",
        store=True,
        readonly=False,
        precompute=True,
    )
    proof_kind = fields.Selection(
        PROOF_KINDS,
        string="Proof",
        required=True,
        compute="_compute_proof_kind",
        store=True,
        readonly=False,
        precompute=True,
    )
    result = fields.Selection(
        [("delivered", "Delivered"), ("failed", "Not delivered")],
        required=True,
        default="delivered",
        help="A failed attempt (refused, not found at the address, not downloaded "
        "within the period) is recorded too; it starts no deadline.",
    )
    proof_date = fields.Datetime(
        "Proof date",
        required=True,
        default=fields.Datetime.now,
        help="When the recipient got the document: the SEOS status time, the "
        "e-Delivery download time, the date on the return receipt or of the signature.",
    )
    reference = fields.Char(
        help="Message identifier of SEOS or e-Delivery, or the barcode of the return "
        "receipt."
    )
    entered_by_id = fields.Many2one(
        "res.users",
        string="Entered by",
        required=True,
        readonly=True,
        default=lambda self: self.env.user,
    )
    note = fields.Text()
    receipt = fields.Binary(
        "Scan of the receipt",
        attachment=True,
        help="The return receipt, the signed copy or the exported record of delivery.",
    )
    receipt_filename = fields.Char()
    correction_of_id = fields.Many2one(
        "municipal.delivery.proof",
        string="Corrects",
        index=True,
        domain="[('document_id', '=', document_id), ('id', '!=', id)]",
        help="The earlier proof this one corrects; the earlier one no longer counts.",
    )
    corrected_by_ids = fields.One2many(
        "municipal.delivery.proof", "correction_of_id", string="Corrected by"
    )
    superseded = fields.Boolean(
        compute="_compute_superseded",
        store=True,
        help="A later proof corrects this one.",
    )
    deadline_ids = fields.One2many(
        "municipal.delivery.deadline", "proof_id", string="Follow-up deadlines"
    )
    can_edit = fields.Boolean(
        compute="_compute_can_edit",
        help="A new proof is entered by the document's people; an entered one is "
        "changed by registry clerks only.",
    )

    # ------------------------------------------------------------------ compute

    @api.depends_context("uid")
    def _compute_can_edit(self):
        clerk = self.env.user.has_group("municipal_registry.group_registry_clerk")
        for proof in self:
            proof.can_edit = clerk or not proof._origin.id

    @api.depends("document_id")
    def _compute_channel_id(self):
        for proof in self:
            if not proof.channel_id:
                proof.channel_id = proof.document_id.channel_id

    @api.depends("channel_id")
    def _compute_proof_kind(self):
        for proof in self:
            kind = KIND_BY_CHANNEL.get(proof.channel_id.code)
            if kind or not proof.proof_kind:
                proof.proof_kind = kind or "other"

    @api.depends("corrected_by_ids")
    def _compute_superseded(self):
        for proof in self:
            proof.superseded = bool(proof.corrected_by_ids)

    @api.depends("document_id", "partner_id", "proof_date", "result")
    def _compute_display_name(self):
        results = dict(self._fields["result"]._description_selection(self.env))
        for proof in self:
            proof.display_name = _(
                "%(result)s to %(partner)s",
                result=results.get(proof.result, ""),
                partner=proof.partner_id.name or "",
            )

    # ------------------------------------------------------------------ constraints

    @api.constrains("document_id", "partner_id", "correction_of_id", "proof_date")
    def _check_document(self):
        for proof in self:
            document = proof.document_id
            if document.direction != "outgoing":
                raise ValidationError(
                    _(
                        "Only an outgoing document is delivered; %(document)s is not "
                        "outgoing.",
                        document=document.display_name,
                    )
                )
            if proof.partner_id not in document.correspondent_ids.partner_id:
                raise ValidationError(
                    _(
                        "%(partner)s is not a correspondent of %(document)s.",
                        partner=proof.partner_id.display_name,
                        document=document.display_name,
                    )
                )
            if (
                document.registration_date
                and proof.proof_date < document.registration_date
            ):
                raise ValidationError(
                    _(
                        "The proof of delivery is dated before %(document)s was "
                        "registered.",
                        document=document.display_name,
                    )
                )
            if proof.correction_of_id and (
                proof.correction_of_id.document_id != document
                or proof.correction_of_id == proof
            ):
                raise ValidationError(
                    _("A proof corrects only another proof of the same document.")
                )

    # ------------------------------------------------------------------ CRUD

    @api.model_create_multi
    def create(self, vals_list):
        documents = self.env["municipal.document"].browse(
            [vals.get("document_id") for vals in vals_list if vals.get("document_id")]
        )
        for document in documents:
            if document.state not in DELIVERABLE_STATES:
                raise UserError(
                    _(
                        "Document %(document)s is not registered: a proof of delivery "
                        "is entered after registration and sending.",
                        document=document.display_name,
                    )
                )
        if not self.env.su:
            # Who entered a proof is a fact of the register, not an input.
            for vals in vals_list:
                vals["entered_by_id"] = self.env.uid
        proofs = super().create(vals_list)
        proofs._municipal_update_deadlines()
        proofs.correction_of_id._municipal_update_deadlines()
        return proofs

    def write(self, vals):
        if "entered_by_id" in vals and not self.env.su:
            raise UserError(_("Who entered a proof of delivery cannot be changed."))
        if "document_id" in vals and any(
            proof.document_id.id != vals["document_id"] for proof in self
        ):
            raise UserError(_("A proof of delivery cannot move to another document."))
        old_corrected = self.correction_of_id
        result = super().write(vals)
        if {"proof_date", "result", "correction_of_id", "partner_id"} & set(vals):
            (self | old_corrected | self.correction_of_id)._municipal_update_deadlines()
        return result

    @api.ondelete(at_uninstall=False)
    def _unlink_never(self):
        raise UserError(
            _(
                "A proof of delivery is never deleted: enter another proof that "
                "corrects it."
            )
        )

    # ------------------------------------------------------------------ business

    def _municipal_counts(self):
        """Whether this proof starts deadlines: a successful, uncorrected delivery."""
        self.ensure_one()
        return self.result == "delivered" and not self.superseded

    def _municipal_update_deadlines(self):
        """(Re)compute the follow-up deadlines this proof starts.

        The rules of the document's kind that start at delivery, in force on the day
        of delivery, counted from that local day on the working-day calendar of the
        document's registry office (the municipality's by default).
        """
        Deadline = self.env["municipal.delivery.deadline"].sudo()
        for proof in self:
            # The lines are derived data: replaced as a whole, as superuser because the
            # people entering proofs have no right to write them.
            proof.sudo().deadline_ids.unlink()
            if not proof._municipal_counts():
                continue
            document = proof.document_id
            # The calendar of the registry office that sent the document: a mayoralty
            # keeps the local holidays of its settlement.
            calendar = document._municipal_calendar()
            day = calendar._municipal_localize(proof.proof_date).date()
            values = []
            for rule in document.document_type_id.delivery_rule_ids:
                if not rule.municipal_is_effective(day):
                    continue
                values.append(
                    {
                        "proof_id": proof.id,
                        "rule_id": rule.id,
                        "start_date": day,
                        "date_due": rule.municipal_deadline(day, calendar),
                    }
                )
            Deadline.create(values)
