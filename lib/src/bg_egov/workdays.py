"""Bulgarian working days, deadlines, and when an electronic receipt is registered.

The rules:

* non-working days are Saturdays and Sundays, the official holidays of the Labour Code
  (Кодекс на труда, чл. 154, ал. 1), the next working day when a holiday falls on a
  weekend (чл. 154, ал. 2), days off declared by the Council of Ministers, and local
  holidays by the mayor's order; a Saturday declared a working day (to make up for a day
  off) is a working day;
* a deadline counted in days, weeks or months that ends on a non-working day ends on the
  next working day (the rule of АПК чл. 60, ал. 6 via ГПК чл. 60, ал. 6, kept as a
  switch because a rule may say otherwise);
* an electronic document received at least one hour before the end of a working day is
  registered the same day, otherwise on the next working day, at once (SEOS rules of
  Kyustendil art. 6(2), e-Delivery rules of Valchi Dol art. 5(2)).

The national days come from the ``holidays`` package (country ``BG``), which also knows
the weekend carry-over days and the Council of Ministers' days off it has been told
about; every other day off or working Saturday is passed in by the caller, who keeps
them as data with their legal basis. Nothing here knows about Odoo.
"""

import calendar as _calendar
import dataclasses
import datetime
import zoneinfo
from collections.abc import Iterable

import holidays as _holidays

NATIONAL = "national"
CARRY_OVER = "carry_over"
GOVERNMENT = "government"
LOCAL = "local"

_BASIS = {
    NATIONAL: "Кодекс на труда, чл. 154, ал. 1",
    CARRY_OVER: "Кодекс на труда, чл. 154, ал. 2",
    GOVERNMENT: "Решение на Министерския съвет",
}


@dataclasses.dataclass(frozen=True)
class DayOff:
    """A non-working day that is not a Saturday or a Sunday, with why it is one."""

    day: datetime.date
    name: str
    kind: str
    legal_basis: str = ""


def bulgarian_days_off(years):
    """Return the national days off of ``years`` as :class:`DayOff`, sorted by date.

    Weekend carry-over days are of kind ``carry_over`` and the Council of Ministers'
    days off known to the ``holidays`` package of kind ``government``.
    """
    days = []
    # English names: the kinds below are told apart by them, whatever the locale.
    national = _holidays.country_holidays("BG", years=list(years), language="en_US")
    for day, names in sorted(national.items()):
        for name in names.split("; "):
            if "(observed)" in name:
                kind = CARRY_OVER
            elif name.lower().startswith("non-working"):
                kind = GOVERNMENT
            else:
                kind = NATIONAL
            days.append(DayOff(day, name, kind, _BASIS[kind]))
    return days


@dataclasses.dataclass(frozen=True)
class WorkCalendar:
    """Working days and hours of one administration.

    :param days_off: non-working days other than weekends (dates or :class:`DayOff`).
    :param working_days: weekend days declared working days.
    :param start, end: the working hours of a working day, local time.
    :param tz: the administration's time zone (``zoneinfo.ZoneInfo``).
    """

    days_off: frozenset
    working_days: frozenset = frozenset()
    start: datetime.time = datetime.time(8, 30)
    end: datetime.time = datetime.time(17, 0)
    tz: datetime.tzinfo = dataclasses.field(
        default_factory=lambda: zoneinfo.ZoneInfo("Europe/Sofia")
    )
    weekend: tuple = (5, 6)

    @classmethod
    def build(cls, days_off: Iterable = (), working_days: Iterable = (), **kwargs):
        """Build a calendar from dates or :class:`DayOff` records."""
        dates = frozenset(d.day if isinstance(d, DayOff) else d for d in days_off)
        return cls(dates, frozenset(working_days), **kwargs)

    @classmethod
    def bulgarian(cls, years, extra_days_off=(), working_days=(), **kwargs):
        """National days off of ``years``, plus the caller's days off and workdays."""
        return cls.build(
            [*bulgarian_days_off(years), *extra_days_off], working_days, **kwargs
        )

    def is_working_day(self, day):
        """True when ``day`` is a working day."""
        if day in self.working_days:
            return True
        return day.weekday() not in self.weekend and day not in self.days_off

    def next_working_day(self, day, *, include=False):
        """The first working day after ``day`` (or ``day`` itself when ``include``)."""
        if include and self.is_working_day(day):
            return day
        day += datetime.timedelta(days=1)
        for _step in range(400):
            if self.is_working_day(day):
                return day
            day += datetime.timedelta(days=1)
        raise ValueError("no working day within a year: the calendar is wrong")

    def add_working_days(self, day, count):
        """The day ``count`` working days after ``day`` (``day`` itself not counted)."""
        if count < 0:
            raise ValueError("count must not be negative")
        for _step in range(count):
            day = self.next_working_day(day)
        return day

    def roll_over(self, day):
        """``day`` if it is a working day, else the next working day."""
        return self.next_working_day(day, include=True)

    def end_of_working_day(self, day):
        """The end of the working day ``day``, as an aware datetime."""
        return datetime.datetime.combine(day, self.end, tzinfo=self.tz)

    def registration_deadline(self, received_at, margin=datetime.timedelta(hours=1)):
        """When a document received electronically at ``received_at`` is registered.

        Received on a working day at least ``margin`` before its end: by the end of that
        day. Received later, or on a non-working day: at once on the next working day,
        that is within its first hour.

        :param received_at: an aware datetime.
        :returns: an aware datetime in the calendar's time zone.
        """
        if received_at.tzinfo is None:
            raise ValueError("received_at must be an aware datetime")
        local = received_at.astimezone(self.tz)
        day = local.date()
        if self.is_working_day(day) and local <= self.end_of_working_day(day) - margin:
            return self.end_of_working_day(day)
        following = self.next_working_day(day)
        begin = datetime.datetime.combine(following, self.start, tzinfo=self.tz)
        return begin + datetime.timedelta(hours=1)

    def deadline(self, start, amount, unit, *, roll_over=True):
        """The last day of a period of ``amount`` ``unit`` counted from ``start``.

        :param unit: ``calendar_days``, ``working_days``, ``weeks`` or ``months``. A
            month period ends on the same day of the month, or on the month's last day
            when that day does not exist (31 January + 1 month = 28/29 February).
        :param roll_over: move a last day that is not a working day to the next working
            day (working-day periods always end on a working day).
        """
        if amount < 0:
            raise ValueError("amount must not be negative")
        if unit == "working_days":
            return self.add_working_days(start, amount)
        if unit == "calendar_days":
            end = start + datetime.timedelta(days=amount)
        elif unit == "weeks":
            end = start + datetime.timedelta(weeks=amount)
        elif unit == "months":
            end = _add_months(start, amount)
        else:
            raise ValueError(f"unknown unit {unit!r}")
        return self.roll_over(end) if roll_over else end


def _add_months(day, months):
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    last = _calendar.monthrange(year, month)[1]
    return day.replace(year=year, month=month, day=min(day.day, last))
