import datetime
from unittest.mock import patch

from odoo.exceptions import AccessError, ValidationError
from odoo.tests import tagged

from .common import MunicipalRegistryCommon

D = datetime.date
DT = datetime.datetime


@tagged("post_install", "-at_install")
class TestWorkingDayCalendar(MunicipalRegistryCommon):
    """The municipal working-day calendar: 8:30-17:00, Monday to Friday, Sofia time,
    with the national days off generated from the holidays library."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.calendar = cls.env.company._municipal_calendar()
        for year in (2021, 2024, 2025):
            cls.calendar.municipal_generate_year(year)
        cls.Leave = cls.env["resource.calendar.leaves"]

    def _leave(self, day):
        return self.Leave.search(
            [("calendar_id", "=", self.calendar.id), ("municipal_day", "=", day)]
        )

    def test_company_has_the_municipal_calendar(self):
        self.assertEqual(
            self.calendar, self.env.ref("municipal_registry.municipal_calendar_default")
        )
        self.assertEqual(self.calendar.tz, "Europe/Sofia")
        self.assertEqual(self.calendar._municipal_hours(), (8.5, 17.0))

    def test_generated_days_carry_kind_and_legal_basis(self):
        easter_monday = self._leave(D(2025, 4, 21))
        self.assertEqual(easter_monday.municipal_kind, "national")
        self.assertEqual(easter_monday.name, "Великден")
        self.assertIn("чл. 154, ал. 1", easter_monday.municipal_legal_basis)
        self.assertTrue(easter_monday.municipal_generated)
        carried = self._leave(D(2021, 12, 27))
        self.assertEqual(carried.municipal_kind, "carry_over")
        self.assertIn("чл. 154, ал. 2", carried.municipal_legal_basis)
        self.assertEqual(carried.name, "Рождество Христово (почивен ден)")
        # The whole local day is covered: Sofia is UTC+3 in April.
        self.assertEqual(easter_monday.date_from, DT(2025, 4, 20, 21, 0))

    def test_orthodox_easter(self):
        cal = self.calendar
        self.assertTrue(cal.municipal_is_working_day(D(2025, 4, 17)))
        for day in (18, 19, 20, 21):
            self.assertFalse(cal.municipal_is_working_day(D(2025, 4, day)), day)
        self.assertEqual(
            cal.municipal_add_working_days(D(2025, 4, 17), 1), D(2025, 4, 22)
        )

    def test_christmas_with_weekend_carry_over(self):
        # 2021: 25 and 26 December on the weekend, so 27 and 28 are days off.
        cal = self.calendar
        self.assertEqual(
            cal.municipal_add_working_days(D(2021, 12, 23), 1), D(2021, 12, 29)
        )
        self.assertEqual(
            cal.municipal_next_working_day(D(2021, 12, 24), include=True),
            D(2021, 12, 29),
        )
        # 2024: Independence Day on a Sunday, the Monday is off.
        self.assertFalse(cal.municipal_is_working_day(D(2024, 9, 23)))
        self.assertTrue(cal.municipal_is_working_day(D(2024, 9, 24)))

    def test_local_holiday_by_mayors_order_survives_regeneration(self):
        cal = self.calendar
        self.assertTrue(cal.municipal_is_working_day(D(2024, 9, 4)))
        local = self.Leave.with_context(municipal_day_off=True).create(
            {
                "name": "Празник на община Вълчи дол",
                "calendar_id": cal.id,
                "municipal_day": D(2024, 9, 4),
                "date_from": DT(2024, 9, 3, 21),
                "date_to": DT(2024, 9, 4, 20, 59, 59),
                "municipal_kind": "local",
                "municipal_legal_basis": "Заповед на кмета по Решение № 296 на ОбС",
            }
        )
        self.assertFalse(cal.municipal_is_working_day(D(2024, 9, 4)))
        generated = self.Leave.search_count(
            [("calendar_id", "=", cal.id), ("municipal_generated", "=", True)]
        )
        cal.municipal_generate_year(2024)
        self.assertTrue(local.exists())
        self.assertEqual(
            self.Leave.search_count(
                [("calendar_id", "=", cal.id), ("municipal_generated", "=", True)]
            ),
            generated,
            "re-generating a year replaces its days, it does not add them again",
        )
        local.unlink()
        self.assertTrue(cal.municipal_is_working_day(D(2024, 9, 4)))

    def test_managers_keep_the_days_off_employees_do_not(self):
        # A registry manager is no administrator: resource alone lets only
        # administrators change a calendar's global leaves.
        values = {
            "name": "Празник на община Вълчи дол",
            "calendar_id": self.calendar.id,
            "date_from": DT(2024, 9, 3, 21),
            "date_to": DT(2024, 9, 4, 20, 59, 59),
            "municipal_kind": "local",
            "municipal_legal_basis": "Заповед на кмета по Решение № 296 на ОбС",
        }
        local = self.Leave.with_user(self.registry_manager).create(values)
        self.assertFalse(self.calendar.municipal_is_working_day(D(2024, 9, 4)))
        local.write({"municipal_legal_basis": "Заповед № РД-09-123 на кмета"})
        local.unlink()
        self.assertTrue(self.calendar.municipal_is_working_day(D(2024, 9, 4)))
        with self.assertRaises(AccessError):
            self.Leave.with_user(self.registry_user).create(values)
        with self.assertRaises(AccessError):
            # Leaves without a municipal kind are other calendars' time off.
            self.Leave.with_user(self.registry_manager).create(
                dict(values, municipal_kind=False)
            )

    def test_working_saturday(self):
        saturday = D(2025, 12, 13)
        self.assertFalse(self.calendar.municipal_is_working_day(saturday))
        self.env["municipal.working.day"].create(
            {
                "calendar_id": self.calendar.id,
                "date": saturday,
                "name": "Отработване",
                "legal_basis": "Решение № 123 на Министерския съвет",
            }
        )
        self.assertTrue(self.calendar.municipal_is_working_day(saturday))
        with self.assertRaises(ValidationError):
            self.env["municipal.working.day"].create(
                {
                    "calendar_id": self.calendar.id,
                    "date": D(2025, 12, 10),
                    "name": "Сряда",
                    "legal_basis": "-",
                }
            )

    def test_year_not_generated_uses_the_national_calendar(self):
        self.assertFalse(
            self.Leave.search_count(
                [
                    ("calendar_id", "=", self.calendar.id),
                    ("municipal_day", ">=", D(2031, 1, 1)),
                ]
            )
        )
        self.assertFalse(self.calendar.municipal_is_working_day(D(2031, 1, 1)))
        self.assertTrue(self.calendar.municipal_is_working_day(D(2031, 1, 2)))

    def test_end_of_working_day(self):
        # Winter: Sofia is UTC+2.
        self.assertEqual(
            self.calendar.municipal_end_of_working_day(D(2025, 11, 19)),
            DT(2025, 11, 19, 15, 0),
        )

    def test_one_hour_rule_around_the_end_of_the_day(self):
        cal = self.calendar
        # Wednesday 19 November 2025; times in UTC (local minus two hours).
        same_day = DT(2025, 11, 19, 15, 0)
        next_morning = DT(2025, 11, 20, 7, 30)
        self.assertEqual(
            cal.municipal_registration_deadline(DT(2025, 11, 19, 13, 59), 1.0), same_day
        )
        self.assertEqual(
            cal.municipal_registration_deadline(DT(2025, 11, 19, 14, 0), 1.0), same_day
        )
        self.assertEqual(
            cal.municipal_registration_deadline(DT(2025, 11, 19, 14, 1), 1.0),
            next_morning,
        )
        self.assertEqual(
            cal.municipal_registration_deadline(DT(2025, 11, 19, 20, 0), 1.0),
            next_morning,
        )
        # Friday evening before the Christmas days: the next Monday that works.
        self.assertEqual(
            cal.municipal_registration_deadline(DT(2025, 12, 23, 14, 30), 1.0),
            DT(2025, 12, 29, 7, 30),
        )
        # Received on Christmas Eve (a non-working day) in the morning.
        self.assertEqual(
            cal.municipal_registration_deadline(DT(2025, 12, 24, 8, 0), 1.0),
            DT(2025, 12, 29, 7, 30),
        )
        # The hour is a setting.
        self.assertEqual(
            cal.municipal_registration_deadline(DT(2025, 11, 19, 13, 30), 2.0),
            next_morning,
        )

    def test_queue_shows_register_by_and_overdue(self):
        received = DT(2025, 11, 19, 14, 30)
        document = self._draft(channel_id=self.channel_seos.id, received_date=received)
        self.assertEqual(document.register_by, DT(2025, 11, 20, 7, 30))
        self.assertTrue(document.registration_overdue)
        overdue = self.env["municipal.document"].search(
            [("registration_overdue", "=", True)]
        )
        self.assertIn(document, overdue)
        on_time = self.env["municipal.document"].search(
            [("registration_overdue", "=", False)]
        )
        self.assertNotIn(document, on_time)
        counter = self._draft(received_date=received)
        self.assertFalse(
            counter.register_by, "paper is registered at the counter at once"
        )
        document.with_user(self.registry_clerk).action_register()
        self.assertFalse(document.registration_overdue)
        self.assertNotIn(
            document,
            self.env["municipal.document"].search(
                [("registration_overdue", "=", True)]
            ),
        )

    def test_office_with_its_own_calendar(self):
        village = self.calendar.copy({"name": "Кметство Тестово"})
        village.municipal_generate_year(2025)
        self.Leave.create(
            {
                "name": "Събор на селото",
                "calendar_id": village.id,
                "municipal_day": D(2025, 11, 20),
                "date_from": DT(2025, 11, 19, 22),
                "date_to": DT(2025, 11, 20, 21, 59, 59),
                "municipal_kind": "local",
                "municipal_legal_basis": "Заповед на кмета",
            }
        )
        self.office.calendar_id = village
        document = self._draft(
            channel_id=self.channel_seos.id, received_date=DT(2025, 11, 19, 14, 30)
        )
        self.assertEqual(document.register_by, DT(2025, 11, 21, 7, 30))
        self.assertTrue(self.calendar.municipal_is_working_day(D(2025, 11, 20)))


@tagged("post_install", "-at_install")
class TestDeadlineRules(MunicipalRegistryCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.calendar = cls.env.company._municipal_calendar()
        cls.calendar.municipal_generate_year(2025)
        cls.Rule = cls.env["municipal.deadline.rule"]

    def _rule(self, **values):
        return self.Rule.create({"name": "Срок", **values})

    def test_roll_over_to_the_next_working_day(self):
        # 7 April 2025 + 14 days = Easter Monday.
        rolled = self._rule(amount=14, unit="calendar_days", roll_over=True)
        self.assertEqual(rolled.municipal_deadline(D(2025, 4, 7)), D(2025, 4, 22))
        kept = self._rule(amount=14, unit="calendar_days", roll_over=False)
        self.assertEqual(kept.municipal_deadline(D(2025, 4, 7)), D(2025, 4, 21))

    def test_working_days_and_months(self):
        working = self._rule(amount=3, unit="working_days")
        self.assertEqual(working.municipal_deadline(D(2025, 4, 16)), D(2025, 4, 23))
        # A datetime counts from its local date: 21:30 UTC on 16 April is 17 April.
        self.assertEqual(
            working.municipal_deadline(DT(2025, 4, 16, 21, 30)), D(2025, 4, 24)
        )
        month = self._rule(amount=1, unit="months")
        self.assertEqual(month.municipal_deadline(D(2025, 1, 31)), D(2025, 2, 28))
        hours = self._rule(amount=24, unit="hours")
        self.assertEqual(
            hours.municipal_deadline(DT(2025, 4, 18, 9)), DT(2025, 4, 19, 9)
        )
        with self.assertRaises(ValidationError):
            hours.municipal_deadline(D(2025, 4, 18))

    def test_versions_by_effective_date(self):
        old = self._rule(code="test_answer", amount=14, date_to=D(2025, 12, 31))
        new = self._rule(code="test_answer", amount=7, date_from=D(2026, 1, 1))
        self.assertEqual(self.Rule._municipal_find("test_answer", D(2025, 6, 1)), old)
        self.assertEqual(self.Rule._municipal_find("test_answer", D(2026, 2, 1)), new)
        with self.assertRaises(ValidationError):
            self._rule(amount=3, date_from=D(2026, 1, 2), date_to=D(2026, 1, 1))


@tagged("post_install", "-at_install")
class TestCalendarYears(MunicipalRegistryCommon):
    def test_cron_adds_next_year_once(self):
        calendar = self.env.company._municipal_calendar()
        Leave = self.env["resource.calendar.leaves"]
        next_year = datetime.date.today().year + 1
        domain = [
            ("calendar_id", "=", calendar.id),
            ("municipal_generated", "=", True),
            ("municipal_day", ">=", D(next_year, 1, 1)),
            ("municipal_day", "<=", D(next_year, 12, 31)),
        ]
        Leave.search(domain).unlink()
        self.env["resource.calendar"]._cron_municipal_generate_next_year()
        count = Leave.search_count(domain)
        self.assertGreaterEqual(count, 12, "Bulgaria has at least 12 holiday days")
        self.assertTrue(
            Leave.search(domain + [("municipal_day", "=", D(next_year, 1, 1))])
        )
        self.env["resource.calendar"]._cron_municipal_generate_next_year()
        self.assertEqual(Leave.search_count(domain), count)

    def test_cron_goes_on_when_one_calendar_fails(self):
        calendar = self.env.company._municipal_calendar()
        broken = calendar.copy({"name": "Повреден"})
        broken.global_leave_ids.unlink()
        self.office.calendar_id = broken
        original = type(calendar).municipal_generate_year

        def generate(records, year):
            if records == broken:
                raise ValueError("broken")
            return original(records, year)

        with (
            patch.object(type(calendar), "municipal_generate_year", generate),
            patch.object(
                type(calendar), "_municipal_has_year", lambda records, year: False
            ),
        ):
            logger = "odoo.addons.municipal_registry.models.resource_calendar"
            with self.assertLogs(logger, "ERROR") as logged:
                self.env["resource.calendar"]._cron_municipal_generate_next_year()
        self.assertIn(broken.display_name, logged.output[0])
        next_year = datetime.date.today().year + 1
        self.assertTrue(calendar._municipal_has_year(next_year))
        self.assertFalse(broken._municipal_has_year(next_year))

    def test_manager_regenerates_a_year_others_cannot(self):
        wizard = (
            self.env["municipal.calendar.generate"]
            .with_user(self.registry_manager)
            .create({"year": 2022})
        )
        action = wizard.action_generate()
        days = self.env["resource.calendar.leaves"].search(action["domain"])
        self.assertIn(
            D(2022, 1, 3), days.mapped("municipal_day"), "1 January 2022 was a Saturday"
        )
        with self.assertRaises(AccessError):
            self.env["municipal.calendar.generate"].with_user(
                self.registry_user
            ).create({"year": 2022})
