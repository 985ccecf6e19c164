from odoo import _, api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import SQL

NUMBER_FORMATS = [
    ("index_sequence_date", "Index-number/date (05-00-9/13.03.2020)"),
    ("year_sequence_date", "Year-number/date (24-738/24.06.2024)"),
]


class MunicipalRegister(models.Model):
    """A register of a registry office, with its index and numbering rule.

    Numbers restart every year, are given only at registration, are unique and gap-free
    even when several clerks register at the same moment, and are never reused. Access:
    every registry user reads; registry managers configure.
    """

    _name = "municipal.register"
    _description = "Register"
    _order = "office_id, sequence, id"
    _check_company_auto = True

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    office_id = fields.Many2one(
        "municipal.registry.office",
        string="Registry office",
        required=True,
        check_company=True,
        ondelete="restrict",
    )
    company_id = fields.Many2one(related="office_id.company_id", store=True, index=True)
    index = fields.Char(
        help="The register's index (регистрационен индекс), e.g. 05-00; printed before "
        "the number in the index-number/date format."
    )
    number_format = fields.Selection(
        NUMBER_FORMATS, required=True, default="index_sequence_date"
    )
    direction = fields.Selection(
        [
            ("incoming", "Incoming"),
            ("outgoing", "Outgoing"),
            ("internal", "Internal"),
            ("any", "Any"),
        ],
        required=True,
        default="any",
        help="Which documents this register numbers.",
    )
    counter_ids = fields.One2many("municipal.register.counter", "register_id")
    active = fields.Boolean(default=True)

    @api.constrains("number_format", "index")
    def _check_index(self):
        for register in self:
            if register.number_format == "index_sequence_date" and not register.index:
                raise ValidationError(
                    _(
                        "The register %(name)s numbers as index-number/date "
                        "and needs an index.",
                        name=register.name,
                    )
                )

    def _take_number(self, year):
        """Return the next number of this register in ``year`` and consume it.

        The counter row is locked until the calling transaction ends: a concurrent
        registration in the same register waits (or is retried by Odoo after a
        serialization failure), and a rolled-back registration leaves no gap.
        """
        self.ensure_one()
        cr = self.env.cr
        # Two clerks taking a number at once is expected, not an error: the loser's
        # serialization failure is retried by Odoo's request dispatcher, so it is not
        # logged as a bad query.
        cr.execute(
            SQL(
                "INSERT INTO municipal_register_counter "
                "(register_id, year, last_number) "
                "VALUES (%s, %s, 0) ON CONFLICT (register_id, year) DO NOTHING",
                self.id,
                year,
            ),
            log_exceptions=False,
        )
        cr.execute(
            SQL(
                "UPDATE municipal_register_counter SET last_number = last_number + 1 "
                "WHERE register_id = %s AND year = %s RETURNING last_number",
                self.id,
                year,
            ),
            log_exceptions=False,
        )
        number = cr.fetchone()[0]
        self.env["municipal.register.counter"].invalidate_model(["last_number"])
        return number

    def _format_number(self, sequence, moment):
        """Format a registration number as the register's format says."""
        self.ensure_one()
        day = moment.strftime("%d.%m.%Y")
        if self.number_format == "year_sequence_date":
            return f"{moment:%y}-{sequence}/{day}"
        return f"{self.index}-{sequence}/{day}"
