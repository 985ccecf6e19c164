import threading
import time
from contextlib import closing

from freezegun import freeze_time
from psycopg2 import errors

from odoo import SUPERUSER_ID, api, sql_db
from odoo.api import Transaction
from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import MunicipalRegistryCommon


@tagged("post_install", "-at_install")
class TestNumbering(MunicipalRegistryCommon):
    def test_drafts_have_no_number(self):
        draft = self._draft()
        self.assertFalse(draft.number)
        self.assertEqual(draft.state, "draft")
        with self.assertRaises(UserError):
            draft.write({"number": "94-00-1/01.01.2026"})

    @freeze_time("2020-03-13 09:15:00")
    def test_index_sequence_date_format(self):
        first, second = self._draft(), self._draft(subject="Второ")
        (first | second).action_register()
        self.assertEqual(first.number, "94-00-1/13.03.2020")
        self.assertEqual(second.number, "94-00-2/13.03.2020")
        self.assertEqual(first.registration_year, 2020)

    @freeze_time("2024-06-24 07:00:00")
    def test_year_sequence_date_format(self):
        order = self._draft(
            direction="internal",
            document_type_id=self.kind_order.id,
            subject="Заповед за работно време",
            correspondent_ids=[],
        )
        order.action_register()
        self.assertEqual(order.number, "24-1/24.06.2024")

    def test_numbers_restart_every_year(self):
        with freeze_time("2025-12-31 12:00:00"):
            last_of_year = self._draft()
            last_of_year.action_register()
            self._draft(subject="още").action_register()
        with freeze_time("2026-01-05 08:00:00"):
            first_of_year = self._draft(subject="нова година")
            first_of_year.action_register()
        self.assertEqual(last_of_year.number, "94-00-1/31.12.2025")
        self.assertEqual(first_of_year.number, "94-00-1/05.01.2026")

    @freeze_time("2025-12-31 22:30:00")
    def test_new_year_in_sofia_before_utc(self):
        # 00:30 on 1 January in Sofia is 22:30 on 31 December in UTC; the number follows
        # the municipality's clock, not the server's.
        document = self._draft()
        document.action_register()
        self.assertEqual(document.registration_year, 2026)
        self.assertEqual(document.number, "94-00-1/01.01.2026")

    def test_annulled_number_is_never_given_again(self):
        first = self._draft()
        first.action_register()
        first.with_user(self.registry_clerk)._annul("Регистриран по грешка")
        self.assertEqual(first.state, "annulled")
        self.assertTrue(first.number)
        second = self._draft(subject="следващ")
        second.action_register()
        self.assertEqual(second.sequence_number, first.sequence_number + 1)

    def test_failed_registration_gives_the_number_back(self):
        good = self._draft()
        good.action_register()
        broken = self._draft(subject="   ")
        with self.assertRaises(UserError):
            broken.action_register()
        self.assertFalse(broken.number)
        after = self._draft(subject="после")
        after.action_register()
        self.assertEqual(after.sequence_number, good.sequence_number + 1)

    def test_registered_document_cannot_change_register(self):
        document = self._draft()
        document.action_register()
        with self.assertRaises(UserError):
            document.register_id = self.register_orders


@tagged("post_install", "-at_install")
class TestConcurrentNumbering(MunicipalRegistryCommon):
    """Eight clerks register at the same moment, each in a transaction of its own."""

    CLERKS = 8

    def _real_cursor(self):
        # The test's own cursor is a single shared transaction: concurrency needs real,
        # independent connections, whose work is committed and cleaned up afterwards.
        return closing(sql_db.db_connect(self.env.cr.dbname).cursor())

    def _env(self, cr):
        # The test runner holds the registry lock while tests run; giving the cursor its
        # transaction spares the threads Registry(), which would wait for that lock.
        cr.transaction = Transaction(self.registry)
        return api.Environment(cr, SUPERUSER_ID, {"tracking_disable": True})

    def test_parallel_registrations_are_unique_and_gap_free(self):
        with self._real_cursor() as cr:
            env = self._env(cr)
            office = env["municipal.registry.office"].create(
                {"name": "Паралелна регистратура", "code": "PAR"}
            )
            register = env["municipal.register"].create(
                {"name": "Паралелен", "office_id": office.id, "index": "77-00"}
            )
            kind = env["municipal.document.type"].create(
                {"name": "Паралелно писмо", "register_id": register.id}
            )
            partner = env["res.partner"].create({"name": "Паралелен подател"})
            drafts = env["municipal.document"].create(
                [
                    {
                        "direction": "incoming",
                        "document_type_id": kind.id,
                        "subject": f"Документ {index}",
                        "correspondent_ids": [(0, 0, {"partner_id": partner.id})],
                    }
                    for index in range(self.CLERKS)
                ]
            )
            cr.commit()
            ids = drafts.ids
            self.addCleanup(
                self._cleanup, ids, register.id, kind.id, office.id, partner.id
            )

        barrier = threading.Barrier(self.CLERKS)
        errors_seen = []

        def clerk(document_id):
            with self._real_cursor() as cr:
                env = self._env(cr)
                barrier.wait(timeout=30)
                for _attempt in range(50):
                    try:
                        env["municipal.document"].browse(document_id).action_register()
                        cr.commit()
                        return
                    except (
                        errors.SerializationFailure,
                        errors.LockNotAvailable,
                        errors.DeadlockDetected,
                    ):
                        # What Odoo's request dispatcher does: roll back and retry.
                        cr.rollback()
                        env.invalidate_all()
                        time.sleep(0.01)
                    except Exception as exc:  # noqa: BLE001 - reported to the test thread
                        errors_seen.append(exc)
                        return
                errors_seen.append(RuntimeError("too many retries"))

        threads = [threading.Thread(target=clerk, args=(i,)) for i in ids]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
        self.assertFalse(any(thread.is_alive() for thread in threads), "a clerk hangs")
        self.assertEqual(errors_seen, [])

        with self._real_cursor() as cr:
            cr.execute(
                "SELECT sequence_number, number FROM municipal_document WHERE id IN %s",
                [tuple(ids)],
            )
            rows = cr.fetchall()
        numbers = sorted(row[0] for row in rows)
        self.assertEqual(numbers, list(range(1, self.CLERKS + 1)))
        self.assertEqual(len({row[1] for row in rows}), self.CLERKS)

    def _cleanup(self, ids, register_id, kind_id, office_id, partner_id):
        with self._real_cursor() as cr:
            cr.execute(
                "DELETE FROM mail_message "
                "WHERE model = 'municipal.document' AND res_id IN %s",
                [tuple(ids)],
            )
            cr.execute("DELETE FROM municipal_document WHERE id IN %s", [tuple(ids)])
            cr.execute("DELETE FROM municipal_document_type WHERE id = %s", [kind_id])
            cr.execute("DELETE FROM municipal_register WHERE id = %s", [register_id])
            cr.execute(
                "DELETE FROM municipal_registry_office WHERE id = %s", [office_id]
            )
            cr.execute("DELETE FROM res_partner WHERE id = %s", [partner_id])
            cr.commit()
