from urllib.parse import urlsplit

import pytz
from bg_egov.malware import ClamdScanner

from odoo import fields, models
from odoo.tools import config

# Bulgarian municipalities keep Sofia time; a company may set another on its partner.
DEFAULT_TZ = "Europe/Sofia"


def _clamd_default(part):
    """The server's clamd from the ``municipal_clamd`` option of the Odoo
    configuration file (``tcp://clamav:3310`` or ``unix:///run/clamav/clamd.ctl``),
    so that an installation that ships a clamd scans from its first document."""
    address = urlsplit(config.get("municipal_clamd") or "")
    if address.scheme not in ("tcp", "unix"):
        return {"connection": "none"}.get(part)
    values = {
        "connection": address.scheme,
        "socket": address.path if address.scheme == "unix" else None,
        "host": address.hostname if address.scheme == "tcp" else None,
        "port": address.port if address.scheme == "tcp" else None,
    }
    return values[part]


class ResCompany(models.Model):
    _inherit = "res.company"

    municipal_max_file_size_mb = fields.Integer(
        "Largest file accepted (MB)",
        default=20,
        help="A received document with a larger file is not registered "
        "(art. 6(7) of the "
        "SEOS rules).",
    )

    municipal_destruction_document_type_id = fields.Many2one(
        "municipal.document.type",
        string="Kind of destruction protocols",
        domain="[('direction', 'in', ('internal', 'any')), ('company_id', '=', id)]",
        help="An approved protocol of the expert commission is registered as an "
        "internal document of this kind, with its PDF.",
    )
    municipal_calendar_id = fields.Many2one(
        "resource.calendar",
        string="Working-day calendar",
        default=lambda self: self.env.ref(
            "municipal_registry.municipal_calendar_default", raise_if_not_found=False
        ),
        help="Working hours and non-working days of the municipal administration; "
        "every deadline of the register is counted on it.",
    )
    municipal_registration_margin_hours = fields.Float(
        "Registration cut-off (hours)",
        default=1.0,
        help="An electronic document received later than this before the end of the "
        "working day is registered on the next working day (art. 6(2) of the rules "
        "for the document flow).",
    )
    municipal_resolution_roll_over = fields.Boolean(
        "Move resolution deadlines to a working day",
        default=True,
        help="A deadline date of a resolution that falls on a non-working day moves to "
        "the next working day; when off, such a date is refused. A deadline rule "
        "decides this for itself.",
    )

    def _municipal_calendar(self):
        """The municipality's working-day calendar."""
        self.ensure_one()
        calendar = self.municipal_calendar_id or self.resource_calendar_id
        if not calendar:
            calendar = self.env.ref(
                "municipal_registry.municipal_calendar_default",
                raise_if_not_found=False,
            )
        return calendar

    municipal_clamd_connection = fields.Selection(
        [
            ("none", "No scanning here"),
            ("unix", "Unix socket"),
            ("tcp", "TCP"),
        ],
        "Malware scanner (clamd)",
        default=lambda self: _clamd_default("connection"),
        required=True,
        help="How files of incoming documents reach ClamAV's daemon. With "
        "'No scanning here' files are not scanned (for example, a mail gateway "
        "scans them before they arrive) and registration does not wait for a "
        "verdict.",
    )
    municipal_clamd_socket = fields.Char(
        "clamd socket",
        default=lambda self: _clamd_default("socket") or "/var/run/clamav/clamd.ctl",
        help="clamd's LocalSocket.",
    )
    municipal_clamd_host = fields.Char(
        "clamd host", default=lambda self: _clamd_default("host") or "127.0.0.1"
    )
    municipal_clamd_port = fields.Integer(
        "clamd port", default=lambda self: _clamd_default("port") or 3310
    )
    municipal_clamd_timeout = fields.Integer(
        "clamd timeout (seconds)",
        default=30,
        help="A scan that takes longer is retried later.",
    )
    municipal_scan_max_file_size_mb = fields.Integer(
        "Largest file scanned (MB)",
        default=25,
        help="A larger file is not sent to the scanner: it is marked 'Scan failed' "
        "and the document is not registered. Keep it at or below clamd's "
        "StreamMaxLength.",
    )

    def _municipal_malware_scanner(self):
        """The malware scanner of this municipality, or ``None`` when files are not
        scanned here.

        The one seam between the registry and ClamAV: tests and other addons change
        the company's settings or patch this method, nothing else builds a scanner.
        """
        self.ensure_one()
        if self.municipal_clamd_connection == "none":
            return None
        options = {
            "timeout": self.municipal_clamd_timeout or 30,
            "max_bytes": (self.municipal_scan_max_file_size_mb or 0) * 1024 * 1024,
        }
        if self.municipal_clamd_connection == "unix":
            return ClamdScanner(unix_socket=self.municipal_clamd_socket, **options)
        return ClamdScanner(
            host=self.municipal_clamd_host or "127.0.0.1",
            port=self.municipal_clamd_port or 3310,
            **options,
        )

    def _municipal_max_file_bytes(self):
        self.ensure_one()
        return (self.municipal_max_file_size_mb or 0) * 1024 * 1024 or float("inf")

    def _municipal_tz(self):
        self.ensure_one()
        return pytz.timezone(self.partner_id.tz or DEFAULT_TZ)

    def _municipal_localize(self, moment):
        """The municipality's local time of a naive UTC datetime."""
        return pytz.utc.localize(moment).astimezone(self._municipal_tz())
