import base64
import hashlib
import logging
from datetime import timedelta

from bg_egov import signatures
from bg_egov.malware import ScanError

from odoo import _, api, fields, models
from odoo.exceptions import UserError

from odoo.addons.municipal_registry.tools.check_messages import scan_message

_logger = logging.getLogger(__name__)

# Malware scan of a file of an incoming document:
#
#   not_scanned ──clean verdict──> clean
#        │  ^ └────virus found───> infected (the draft is refused as "malware")
#        │  └── clamd unreachable or timed out: stays not_scanned, the cron retries
#        └───── no verdict possible (too large, clamd error) ──> failed
#
# A new content starts again from not_scanned. Only "clean" files are registered.
SCAN_STATES = [
    ("not_scanned", "Not scanned"),
    ("clean", "Clean"),
    ("infected", "Infected"),
    ("failed", "Scan failed"),
]


class MunicipalDocumentFile(models.Model):
    """A file of a document, with its size and SHA-256.

    The hash proves later that the file is the one received, and finds documents sent
    again. Access: follows the document.
    """

    _name = "municipal.document.file"
    _description = "Document File"
    _order = "sequence, id"

    document_id = fields.Many2one(
        "municipal.document", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(related="document_id.company_id", store=True)
    sequence = fields.Integer(default=10)
    name = fields.Char(required=True)
    datas = fields.Binary("File", attachment=True, required=True)
    mimetype = fields.Char(compute="_compute_file_facts", store=True)
    size = fields.Integer(compute="_compute_file_facts", store=True)
    sha256 = fields.Char(
        "SHA-256", compute="_compute_file_facts", store=True, index=True
    )
    scan_state = fields.Selection(
        SCAN_STATES,
        "Malware scan",
        default="not_scanned",
        required=True,
        readonly=True,
        copy=False,
        index=True,
    )
    scan_code = fields.Char(
        readonly=True,
        copy=False,
        help="The scan's outcome as the scanner's code (infected, scan_unreachable, "
        "scan_timeout, scan_failed, scan_too_large).",
    )
    scan_detail = fields.Char(
        "Scan detail",
        readonly=True,
        copy=False,
        help="The name of the malware found, or the scanner's own words (English).",
    )
    scan_message = fields.Char(
        "Scan result",
        compute="_compute_scan_message",
        help="The malware found, or why the file could not be scanned.",
    )
    scanned_on = fields.Datetime(readonly=True, copy=False)
    signature_ids = fields.One2many(
        "municipal.document.signature", "file_id", string="Signatures"
    )

    @api.depends("datas", "name")
    def _compute_file_facts(self):
        for record in self:
            # bin_size would give a human-readable size instead of the content.
            value = record.with_context(bin_size=False).datas
            raw = base64.b64decode(value) if value else b""
            record.size = len(raw)
            record.sha256 = hashlib.sha256(raw).hexdigest() if raw else False
            record.mimetype = self.env["ir.attachment"]._compute_mimetype(
                {"name": record.name, "raw": raw}
            )

    @api.depends("scan_code", "scan_detail")
    @api.depends_context("lang")
    def _compute_scan_message(self):
        for record in self:
            record.scan_message = (
                scan_message(self.env, record.scan_code, detail=record.scan_detail)
                if record.scan_code
                else False
            )

    # ------------------------------------------------------------------ CRUD

    @api.model_create_multi
    def create(self, vals_list):
        files = super().create(vals_list)
        files._municipal_check_new_files()
        return files

    def write(self, vals):
        if "datas" in vals:
            # A new content is a new file for the scanner.
            vals = dict(
                vals,
                scan_state="not_scanned",
                scan_code=False,
                scan_detail=False,
                scanned_on=False,
            )
        result = super().write(vals)
        if "datas" in vals:
            self._municipal_check_new_files()
        elif "name" in vals:
            # A renamed file may now pair with a detached signature (x + x.p7s).
            self.document_id.filtered(
                lambda d: d.state == "draft"
            )._municipal_check_signatures()
        return result

    # ------------------------------------------------------------------ checks

    def _municipal_check_new_files(self):
        """Scan the new files of incoming drafts and verify their documents'
        signatures; refuse the drafts where malware was found."""
        incoming = self.filtered(
            lambda f: f.document_id.direction == "incoming"
            and f.document_id.state == "draft"
        )
        if incoming._municipal_scan():
            # The scanner is down: come back later rather than wait for the next
            # scheduled run (the trigger is system bookkeeping, hence sudo).
            cron = self.env.ref(
                "municipal_registry.ir_cron_municipal_scan_pending",
                raise_if_not_found=False,
            )
            if cron:
                cron.sudo()._trigger(fields.Datetime.now() + timedelta(minutes=5))
        incoming.document_id._municipal_refuse_infected()
        self.document_id.filtered(
            lambda d: d.state == "draft"
        )._municipal_check_signatures()

    def _municipal_scan(self):
        """Send each file to the company's malware scanner and record the verdict.

        A scanner that cannot be reached leaves the file ``not_scanned`` with the
        reason, for the cron to retry; a file the scanner cannot take (too large, an
        error of the daemon) becomes ``failed``. Never raises for a scanner problem.
        :returns: the files still waiting for a verdict.
        """
        pending = self.browse()
        for company, files in self.grouped("company_id").items():
            scanner = company._municipal_malware_scanner()
            if scanner is None:
                continue
            for record in files:
                raw = base64.b64decode(record.with_context(bin_size=False).datas or b"")
                values = {"scanned_on": fields.Datetime.now()}
                try:
                    result = scanner.scan(raw, name=record.name)
                except ScanError as exc:
                    _logger.info("malware scan of %s: %s", record.name, exc)
                    retry = exc.retryable
                    values.update(
                        scan_state="not_scanned" if retry else "failed",
                        scan_code=exc.code,
                        scan_detail=str(exc),
                        scanned_on=False if retry else values["scanned_on"],
                    )
                    if retry:
                        pending |= record
                else:
                    values.update(
                        scan_state="clean" if result.clean else "infected",
                        scan_code=False if result.clean else "infected",
                        scan_detail=result.signature or False,
                    )
                # super().write: this is the verdict, not a new content.
                super(MunicipalDocumentFile, record).write(values)
        return pending

    is_enveloping = fields.Boolean(
        compute="_compute_is_enveloping",
        help="A .p7m: the signed file is inside the signature.",
    )

    @api.depends("name")
    def _compute_is_enveloping(self):
        for record in self:
            record.is_enveloping = (record.name or "").lower().endswith(".p7m")

    def action_open_signed_content(self):
        """Download the file enveloped in a signed ``.p7m``, which a browser cannot
        open as it is. The content is scanned like any received file before it is
        handed out, and kept beside the signed file."""
        self.ensure_one()
        raw = base64.b64decode(self.with_context(bin_size=False).datas or b"")
        content = signatures.cms_content(raw)
        if content is None:
            raise UserError(
                _("%(file)s does not envelope a signed file.", file=self.name)
            )
        name = self.name[:-4] if self.name.lower().endswith(".p7m") else self.name
        scanner = self.company_id._municipal_malware_scanner()
        if scanner is not None:
            try:
                result = scanner.scan(content, name=name)
            except ScanError as exc:
                raise UserError(
                    _(
                        "The signed file %(file)s cannot be scanned now: %(reason)s",
                        file=name,
                        reason=scan_message(self.env, exc.code, detail=str(exc)),
                    )
                ) from exc
            if not result.clean:
                raise UserError(
                    _(
                        "The signed file %(file)s carries malware (%(name)s): it is "
                        "not opened.",
                        file=name,
                        name=result.signature or "",
                    )
                )
        Attachment = self.env["ir.attachment"].sudo()
        domain = [
            ("res_model", "=", self._name),
            ("res_id", "=", self.id),
            ("res_field", "=", False),
            ("name", "=", name),
        ]
        attachment = Attachment.search(domain, limit=1) or Attachment.create(
            {"name": name, "raw": content, "res_model": self._name, "res_id": self.id}
        )
        return {
            "type": "ir.actions.act_url",
            "url": f"/web/content/{attachment.id}?download=true",
            "target": "self",
        }

    def _municipal_scan_problem(self):
        """A sentence for the clerk when one of these files is not known clean, or
        an empty string."""
        labels = dict(self._fields["scan_state"]._description_selection(self.env))
        problems = []
        for record in self.filtered(lambda f: f.scan_state != "clean"):
            detail = f" ({record.scan_message})" if record.scan_message else ""
            problems.append(f"{record.name}: {labels[record.scan_state]}{detail}")
        return "; ".join(problems)

    # ------------------------------------------------------------------ cron

    @api.model
    def _cron_municipal_scan_pending(self, batch_size=50):
        """Scan again the files of incoming drafts that are still waiting.

        Failure-tolerant batch: each file in its own savepoint, a problem is written on
        the file; progress is reported so that the cron comes back for the rest.
        """
        domain = [
            ("scan_state", "=", "not_scanned"),
            ("document_id.direction", "=", "incoming"),
            ("document_id.state", "=", "draft"),
            ("company_id.municipal_clamd_connection", "!=", "none"),
        ]
        files = self.search(domain, limit=batch_size, order="id")
        done = 0
        for record in files:
            try:
                with self.env.cr.savepoint():
                    record._municipal_scan()
                    record.document_id._municipal_refuse_infected()
            except Exception:
                # One bad file must not stop the batch nor deactivate the cron.
                _logger.exception("malware scan of file %s failed", record.id)
            done += 1
        # While the scanner is down the same files would come back at once: leave them
        # to the next scheduled run instead of looping.
        still_waiting = files.filtered(lambda f: f.scan_state == "not_scanned")
        remaining = 0 if still_waiting else self.search_count(domain)
        self.env["ir.cron"]._notify_progress(done=done, remaining=remaining)
