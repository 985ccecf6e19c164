import datetime
import zoneinfo

import pytest

from bg_egov.workdays import (
    CARRY_OVER,
    GOVERNMENT,
    NATIONAL,
    DayOff,
    WorkCalendar,
    bulgarian_days_off,
)

SOFIA = zoneinfo.ZoneInfo("Europe/Sofia")
D = datetime.date


@pytest.fixture(scope="module")
def calendar():
    # Valchi Dol's local holiday by mayor's order, and a working Saturday to make up for
    # a government day off.
    local = DayOff(D(2026, 9, 4), "Празник на Вълчи дол", "local", "Заповед на кмета")
    return WorkCalendar.bulgarian(
        [2025, 2026, 2027], extra_days_off=[local], working_days=[D(2026, 1, 17)]
    )


def test_national_days_and_their_kinds():
    days = {d.day: d for d in bulgarian_days_off([2026])}
    assert days[D(2026, 3, 3)].kind == NATIONAL
    assert days[D(2026, 3, 3)].legal_basis == "Кодекс на труда, чл. 154, ал. 1"
    # 6 September 2026 is a Sunday: Monday 7 September is the carry-over day.
    assert days[D(2026, 9, 7)].kind == CARRY_OVER
    assert days[D(2026, 9, 7)].legal_basis.endswith("ал. 2")
    assert days[D(2026, 1, 2)].kind == GOVERNMENT


@pytest.mark.parametrize(
    "day, working",
    [
        (D(2026, 4, 9), True),  # Holy Thursday
        (D(2026, 4, 10), False),  # Good Friday
        (D(2026, 4, 13), False),  # Easter Monday
        (D(2026, 4, 14), True),
        (D(2026, 12, 24), False),
        (D(2026, 12, 28), False),  # 26 December is a Saturday: carried over
        (D(2026, 12, 29), True),
        (D(2026, 9, 4), False),  # local holiday
        (D(2026, 1, 17), True),  # working Saturday
        (D(2026, 1, 18), False),  # an ordinary Sunday
    ],
)
def test_is_working_day(calendar, day, working):
    assert calendar.is_working_day(day) is working


def test_add_working_days_across_easter(calendar):
    # From Holy Thursday, 2 working days: Tuesday and Wednesday after Easter.
    assert calendar.add_working_days(D(2026, 4, 9), 2) == D(2026, 4, 15)
    assert calendar.add_working_days(D(2026, 4, 9), 0) == D(2026, 4, 9)
    with pytest.raises(ValueError):
        calendar.add_working_days(D(2026, 4, 9), -1)


def test_calendar_day_deadline_rolls_over(calendar):
    # 14 days from 27 March 2026 ends on Good Friday: moved to Tuesday 14 April.
    assert calendar.deadline(D(2026, 3, 27), 14, "calendar_days") == D(2026, 4, 14)
    assert calendar.deadline(D(2026, 3, 27), 14, "calendar_days", roll_over=False) == D(
        2026, 4, 10
    )


def test_month_deadline_ends_on_the_last_day_of_a_shorter_month(calendar):
    assert calendar.deadline(D(2026, 1, 31), 1, "months", roll_over=False) == D(
        2026, 2, 28
    )
    # 28 February 2026 is a Saturday; the deadline moves to Monday 2 March.
    assert calendar.deadline(D(2026, 1, 31), 1, "months") == D(2026, 3, 2)
    assert calendar.deadline(D(2025, 11, 30), 3, "months", roll_over=False) == D(
        2026, 2, 28
    )


def test_working_day_deadline(calendar):
    assert calendar.deadline(D(2026, 12, 23), 2, "working_days") == D(2026, 12, 30)
    with pytest.raises(ValueError):
        calendar.deadline(D(2026, 1, 5), 1, "fortnights")


@pytest.mark.parametrize(
    "received, expected",
    [
        # Working day, received up to one hour before the end (17:00): that day.
        ((2026, 11, 23, 15, 59), (2026, 11, 23, 17, 0)),
        ((2026, 11, 23, 16, 0), (2026, 11, 23, 17, 0)),
        # Less than an hour before the end: the next working day, within its first hour.
        ((2026, 11, 23, 16, 1), (2026, 11, 24, 9, 30)),
        ((2026, 11, 23, 21, 0), (2026, 11, 24, 9, 30)),
        # Friday evening before Christmas: after the holidays and the weekend.
        ((2026, 12, 23, 16, 30), (2026, 12, 29, 9, 30)),
        # Received on Easter Sunday.
        ((2026, 4, 12, 10, 0), (2026, 4, 14, 9, 30)),
        # Before the working day starts: that same day.
        ((2026, 11, 24, 6, 45), (2026, 11, 24, 17, 0)),
    ],
)
def test_registration_deadline(calendar, received, expected):
    moment = datetime.datetime(*received, tzinfo=SOFIA)
    assert calendar.registration_deadline(moment) == datetime.datetime(
        *expected, tzinfo=SOFIA
    )


def test_registration_deadline_takes_any_time_zone(calendar):
    # 13:30 UTC is 15:30 in Sofia in November.
    utc = datetime.datetime(2026, 11, 23, 13, 30, tzinfo=datetime.timezone.utc)
    assert calendar.registration_deadline(utc).hour == 17
    with pytest.raises(ValueError):
        calendar.registration_deadline(datetime.datetime(2026, 11, 23, 13, 30))


def test_margin_and_hours_are_settings():
    calendar = WorkCalendar.build(start=datetime.time(9, 0), end=datetime.time(17, 30))
    moment = datetime.datetime(2026, 11, 23, 16, 50, tzinfo=SOFIA)
    same_day = calendar.registration_deadline(
        moment, margin=datetime.timedelta(minutes=30)
    )
    assert same_day == datetime.datetime(2026, 11, 23, 17, 30, tzinfo=SOFIA)
    next_day = calendar.registration_deadline(moment)
    assert next_day == datetime.datetime(2026, 11, 24, 10, 0, tzinfo=SOFIA)
