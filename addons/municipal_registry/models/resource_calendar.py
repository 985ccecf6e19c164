import datetime
import logging
import zoneinfo

import pytz

from odoo import _, api, fields, models
from odoo.exceptions import UserError

from odoo.addons.municipal_registry.models.res_company import DEFAULT_TZ

_logger = logging.getLogger(__name__)

try:
    from bg_egov import workdays
except ImportError:  # pragma: no cover - the manifest's external dependency says it
    workdays = None


class ResourceCalendar(models.Model):
    """The working-day service of the register.

    A municipal calendar is an ordinary working-time calendar: its attendances give the
    working hours, its global leaves the non-working days (with kind and legal basis),
    and ``municipal.working.day`` the weekend days declared working days. Every
    deadline of the product asks one of the ``municipal_*`` methods below, so a day off
    added by a manager moves every deadline at once.
    """

    _inherit = "resource.calendar"

    municipal_working_day_ids = fields.One2many(
        "municipal.working.day", "calendar_id", string="Working weekend days"
    )
    municipal_day_off_ids = fields.One2many(
        "resource.calendar.leaves",
        "calendar_id",
        string="Non-working days",
        domain=[("resource_id", "=", False)],
    )

    # ------------------------------------------------------------------ time

    def _municipal_tz(self):
        self.ensure_one()
        return pytz.timezone(self.tz or DEFAULT_TZ)

    def _municipal_localize(self, moment):
        """The calendar's local time of a naive UTC datetime."""
        return pytz.utc.localize(moment).astimezone(self._municipal_tz())

    def _municipal_to_utc(self, day, hour):
        """Naive UTC datetime of ``hour`` (a float, 8.5 = 08:30) local on ``day``."""
        local = datetime.datetime.combine(day, _float_time(hour)).replace(microsecond=0)
        moment = self._municipal_tz().localize(local).astimezone(pytz.utc)
        return moment.replace(tzinfo=None)

    def _municipal_hours(self):
        """(start, end) of the working day as floats, from the attendances."""
        self.ensure_one()
        attendances = self.attendance_ids.filtered(
            lambda a: a.day_period != "lunch" and not a.resource_id
        )
        if not attendances:
            return 8.5, 17.0
        return (
            min(attendances.mapped("hour_from")),
            max(attendances.mapped("hour_to")),
        )

    def _municipal_is_weekday(self, day):
        """True when ``day``'s day of the week has working hours."""
        self.ensure_one()
        return str(day.weekday()) in self.attendance_ids.mapped("dayofweek")

    # ------------------------------------------------------------------ the calendar

    def _municipal_work_calendar(self, around):
        """A :class:`bg_egov.workdays.WorkCalendar` of this calendar for the years
        around ``around`` (a date), built from its records.

        Years nobody generated yet take the national days from the library, so that
        a deadline running into next January is right even before the December cron.
        """
        self.ensure_one()
        years = range(around.year - 1, around.year + 3)
        first, last = datetime.date(years[0], 1, 1), datetime.date(years[-1], 12, 31)
        leaves = (
            self.env["resource.calendar.leaves"]
            .sudo()
            .search(
                [
                    ("calendar_id", "=", self.id),
                    ("resource_id", "=", False),
                    ("date_to", ">=", self._municipal_to_utc(first, 0)),
                    ("date_from", "<=", self._municipal_to_utc(last, 24)),
                ]
            )
        )
        days_off = set()
        for leave in leaves:
            day = self._municipal_localize(leave.date_from).date()
            end = self._municipal_localize(leave.date_to).date()
            while day <= end:
                days_off.add(day)
                day += datetime.timedelta(days=1)
        generated_years = {
            leave.municipal_day.year for leave in leaves if leave.municipal_generated
        }
        missing = [year for year in years if year not in generated_years]
        if missing:
            days_off.update(d.day for d in workdays.bulgarian_days_off(missing))
        start, end = self._municipal_hours()
        weekend = tuple(
            weekday
            for weekday in range(7)
            if str(weekday) not in self.attendance_ids.mapped("dayofweek")
        )
        return workdays.WorkCalendar(
            frozenset(days_off),
            frozenset(self.sudo().municipal_working_day_ids.mapped("date")),
            start=_float_time(start),
            end=_float_time(end),
            tz=zoneinfo.ZoneInfo(self.tz or DEFAULT_TZ),
            weekend=weekend,
        )

    # ------------------------------------------------------------------ the service

    def municipal_is_working_day(self, day):
        """True when ``day`` (a date) is a working day of this calendar."""
        return self._municipal_work_calendar(day).is_working_day(day)

    def municipal_next_working_day(self, day, include=False):
        """The first working day after ``day``, or ``day`` itself when ``include``
        and it is a working day."""
        return self._municipal_work_calendar(day).next_working_day(day, include=include)

    def municipal_add_working_days(self, day, count):
        """The day ``count`` working days after ``day`` (``day`` not counted)."""
        return self._municipal_work_calendar(day).add_working_days(day, count)

    def municipal_end_of_working_day(self, day):
        """The end of the working day ``day``, as a naive UTC datetime."""
        self.ensure_one()
        return self._municipal_to_utc(day, self._municipal_hours()[1])

    def municipal_registration_deadline(self, received, margin_hours=None):
        """When a document received electronically at ``received`` (naive UTC) must
        be registered, as a naive UTC datetime.

        Received on a working day at least ``margin_hours`` (the company's setting,
        one hour by default) before the end of the working day: by the end of that day;
        later, or on a non-working day: within the first hour of the next working day.
        """
        self.ensure_one()
        if margin_hours is None:
            margin_hours = self.env.company.municipal_registration_margin_hours
        moment = pytz.utc.localize(received)
        deadline = self._municipal_work_calendar(
            self._municipal_localize(received).date()
        ).registration_deadline(moment, datetime.timedelta(hours=margin_hours))
        return deadline.astimezone(datetime.timezone.utc).replace(tzinfo=None)

    def municipal_deadline(self, start, amount, unit, roll_over=True):
        """The last day of ``amount`` ``unit`` counted from the date ``start``."""
        return self._municipal_work_calendar(start).deadline(
            start, amount, unit, roll_over=roll_over
        )

    # ------------------------------------------------------------------ the days off

    def municipal_generate_year(self, year):
        """(Re)generate the national days off of ``year`` from the ``holidays``
        library: official holidays, their weekend carry-over days and the Council of
        Ministers' days off the library knows. Entries a manager added are kept, and so
        is a national day a manager already entered by hand."""
        if workdays is None:
            raise UserError(_("The bg_egov library is not installed."))
        leaves = self.env["resource.calendar.leaves"].sudo()
        for calendar in self:
            leaves.search(
                [
                    ("calendar_id", "=", calendar.id),
                    ("municipal_generated", "=", True),
                    ("municipal_day", ">=", datetime.date(year, 1, 1)),
                    ("municipal_day", "<=", datetime.date(year, 12, 31)),
                ]
            ).unlink()
            taken = set(
                leaves.search(
                    [
                        ("calendar_id", "=", calendar.id),
                        ("resource_id", "=", False),
                        ("municipal_day", ">=", datetime.date(year, 1, 1)),
                        ("municipal_day", "<=", datetime.date(year, 12, 31)),
                    ]
                ).mapped("municipal_day")
            )
            values = []
            for day_off in workdays.bulgarian_days_off([year]):
                if day_off.day in taken:
                    continue
                taken.add(day_off.day)
                values.append(
                    {
                        "name": _municipal_day_name(day_off),
                        "calendar_id": calendar.id,
                        "company_id": calendar.company_id.id,
                        "date_from": calendar._municipal_to_utc(day_off.day, 0),
                        "date_to": calendar._municipal_to_utc(day_off.day, 24),
                        "time_type": "leave",
                        "municipal_kind": day_off.kind,
                        "municipal_legal_basis": day_off.legal_basis,
                        "municipal_generated": True,
                    }
                )
            leaves.create(values)
        return True

    @api.model
    def _municipal_calendars(self):
        """The calendars the register counts with: the companies' and the offices'."""
        companies = self.env["res.company"].sudo().search([])
        offices = self.env["municipal.registry.office"].sudo().search([])
        return companies.mapped("municipal_calendar_id") | offices.mapped("calendar_id")

    def _municipal_has_year(self, year):
        self.ensure_one()
        return bool(
            self.env["resource.calendar.leaves"]
            .sudo()
            .search_count(
                [
                    ("calendar_id", "=", self.id),
                    ("municipal_generated", "=", True),
                    ("municipal_day", ">=", datetime.date(year, 1, 1)),
                    ("municipal_day", "<=", datetime.date(year, 12, 31)),
                ],
                limit=1,
            )
        )

    @api.model
    def _cron_municipal_generate_next_year(self):
        """Runs monthly: in December (when the Council of Ministers' decisions for the
        coming year are known to the library) next year's national days off are
        (re)generated, and in any month a calendar missing next year gets it.

        One calendar that fails does not stop the others; it is logged and retried
        on the next run.
        """
        today = fields.Date.context_today(self)
        next_year = today.year + 1
        for calendar in self._municipal_calendars():
            if today.month != 12 and calendar._municipal_has_year(next_year):
                continue
            try:
                with self.env.cr.savepoint():
                    calendar.municipal_generate_year(next_year)
            except Exception:
                _logger.exception(
                    "Could not generate the days off of %s for %s",
                    calendar.display_name,
                    next_year,
                )

    @api.model
    def _municipal_setup(self):
        """On installation: give the companies the municipal calendar and generate
        this year's and next year's days off of every calendar."""
        default = self.env.ref(
            "municipal_registry.municipal_calendar_default", raise_if_not_found=False
        )
        if default:
            companies = (
                self.env["res.company"]
                .sudo()
                .search([("municipal_calendar_id", "=", False)])
            )
            companies.filtered(
                lambda c: not default.company_id or c == default.company_id
            ).municipal_calendar_id = default
        this_year = fields.Date.context_today(self).year
        for calendar in self._municipal_calendars():
            for year in (this_year, this_year + 1):
                if not calendar._municipal_has_year(year):
                    calendar.municipal_generate_year(year)


def _float_time(hour):
    hours, minutes = divmod(round(hour * 60), 60)
    if hours >= 24:
        return datetime.time.max
    return datetime.time(int(hours), int(minutes))


# The library names the days in English; the register keeps the Bulgarian names the
# Labour Code uses, falling back to the library's name for a day it does not list.
_BULGARIAN_NAMES = {
    "New Year's Day": "Нова година",
    "Liberation Day": "Ден на Освобождението на България от османско иго",
    "Labor Day": "Ден на труда и на международната работническа солидарност",
    "Saint George's Day": "Гергьовден, Ден на храбростта и Българската армия",
    "Good Friday": "Велики петък",
    "Holy Saturday": "Велика събота",
    "Easter": "Великден",
    "Day of Slavonic Alphabet": (
        "Ден на светите братя Кирил и Методий, на българската азбука, просвета и "
        "култура и на славянската книжовност"
    ),
    "Unification Day": "Ден на Съединението",
    "Independence Day": "Ден на Независимостта на България",
    "Christmas Eve": "Бъдни вечер",
    "Christmas": "Рождество Христово",
}


def _municipal_day_name(day_off):
    name = day_off.name
    observed = "(observed)" in name
    base = name.replace("(observed)", "").strip()
    for english, bulgarian in _BULGARIAN_NAMES.items():
        if base.lower().startswith(english.lower()):
            base = bulgarian
            break
    if day_off.kind == workdays.GOVERNMENT:
        base = "Неработен ден по решение на Министерския съвет"
    return f"{base} (почивен ден)" if observed else base
