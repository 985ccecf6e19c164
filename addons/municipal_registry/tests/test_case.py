import re

from odoo.exceptions import UserError
from odoo.tests import HttpCase, tagged

from .common import MunicipalRegistryCommon


@tagged("post_install", "-at_install")
class TestCase(MunicipalRegistryCommon):
    def test_application_opens_a_case_numbered_after_it(self):
        application = self._draft(document_type_id=self.kind_application.id)
        application.action_register()
        case = application.case_id
        self.assertTrue(case)
        self.assertEqual(case.name, application.number)
        self.assertEqual(case.initiating_document_id, application)
        self.assertEqual(case.partner_id, self.citizen)
        self.assertEqual(len(case.access_code), 10)

    def test_timeline_collects_every_channel(self):
        application = self._draft(document_type_id=self.kind_application.id)
        application.action_register()
        follow_up = self._draft(
            subject="Допълнение",
            case_id=application.case_id.id,
            channel_id=self.channel_seos.id,
        )
        follow_up.action_register()
        self.assertEqual(application.case_id.document_ids, application | follow_up)
        self.assertEqual(application.case_id.document_count, 2)

    def test_letter_opens_no_case(self):
        letter = self._draft()
        letter.action_register()
        self.assertFalse(letter.case_id)

    def test_closing_needs_a_reason(self):
        application = self._draft(document_type_id=self.kind_application.id)
        application.action_register()
        case = application.case_id
        with self.assertRaises(UserError):
            case.action_close("")
        case.action_close("Издадено удостоверение")
        self.assertEqual(case.state, "closed")
        self.assertTrue(case.close_date)
        with self.assertRaises(UserError):
            case.action_close("again")

    def test_citizen_finds_the_case_only_with_the_right_code(self):
        application = self._draft(document_type_id=self.kind_application.id)
        application.action_register()
        case = application.case_id
        Case = self.env["municipal.case"]
        self.assertEqual(
            Case._find_for_citizen(case.name, case.access_code.lower()), case
        )
        self.assertFalse(Case._find_for_citizen(case.name, "WRONGCODE1"))
        self.assertFalse(Case._find_for_citizen(case.name, ""))
        summary = case._citizen_summary()
        self.assertEqual(
            [d["number"] for d in summary["documents"]], [application.number]
        )
        self.assertNotIn("subject", summary["documents"][0])


@tagged("post_install", "-at_install")
class TestCaseWebsite(HttpCase):
    def test_public_case_page_shows_only_the_summary(self):
        env = self.env(context={"tracking_disable": True})
        office = env["municipal.registry.office"].create({"name": "Уеб", "code": "WEB"})
        register = env["municipal.register"].create(
            {"name": "Уеб входящи", "office_id": office.id, "index": "11-00"}
        )
        kind = env["municipal.document.type"].create(
            {"name": "Уеб заявление", "register_id": register.id, "opens_case": True}
        )
        citizen = env["res.partner"].create(
            {"name": "Гражданин Тайнов", "municipal_personal_id": "7523169263"}
        )
        document = env["municipal.document"].create(
            {
                "document_type_id": kind.id,
                "subject": "Лична молба за помощ",
                "correspondent_ids": [(0, 0, {"partner_id": citizen.id})],
            }
        )
        document.action_register()
        case = document.case_id

        page = self.url_open("/municipal/case")
        self.assertEqual(page.status_code, 200)
        token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)

        wrong = self.url_open(
            "/municipal/case",
            data={"number": case.name, "code": "AAAAAAAAAA", "csrf_token": token},
        )
        self.assertIn("No case file matches", wrong.text)
        self.assertNotIn(document.number, wrong.text.replace(case.name, "", 1))

        right = self.url_open(
            "/municipal/case",
            data={"number": case.name, "code": case.access_code, "csrf_token": token},
        )
        self.assertEqual(right.status_code, 200)
        self.assertIn(document.number, right.text)
        # Nothing personal leaves the back office.
        for secret in ("Тайнов", "Лична молба", "7523169263"):
            self.assertNotIn(secret, right.text)
