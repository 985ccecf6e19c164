from odoo.exceptions import AccessError, ValidationError
from odoo.tests import tagged

from .common import EGN, EIK, LNCH, MunicipalRegistryCommon


@tagged("post_install", "-at_install")
class TestCorrespondents(MunicipalRegistryCommon):
    def test_egn_and_lnch_are_validated_and_stored_as_digits(self):
        person = self.env["res.partner"].create(
            {"name": "Мария Иванова", "municipal_personal_id": "752316 9263"}
        )
        self.assertEqual(person.municipal_personal_id, EGN)
        self.assertEqual(person.municipal_personal_id_kind, "egn")
        foreigner = self.env["res.partner"].create(
            {"name": "John Smith", "municipal_personal_id": LNCH}
        )
        self.assertEqual(foreigner.municipal_personal_id_kind, "lnch")

    def test_wrong_check_digit_names_the_field(self):
        with self.assertRaisesRegex(ValidationError, "ЕГН/ЛНЧ .* check digit"):
            self.env["res.partner"].create(
                {"name": "Грешка", "municipal_personal_id": "7523169264"}
            )
        with self.assertRaisesRegex(ValidationError, "ЕИК/БУЛСТАТ .* check digit"):
            self.env["res.partner"].create(
                {"name": "Фирма", "is_company": True, "company_registry": "175074753"}
            )

    def test_foreign_company_ids_are_not_checked_as_eik(self):
        germany = self.env.ref("base.de")
        partner = self.env["res.partner"].create(
            {
                "name": "GmbH",
                "is_company": True,
                "country_id": germany.id,
                "company_registry": "HRB 12345",
            }
        )
        self.assertEqual(partner.company_registry, "HRB 12345")

    def test_personal_number_is_hidden_below_clerks(self):
        person = self.env["res.partner"].create(
            {"name": "Петър Петров", "municipal_personal_id": EGN}
        )
        self.assertEqual(
            person.with_user(self.registry_clerk).municipal_personal_id, EGN
        )
        with self.assertRaises(AccessError):
            person.with_user(self.registry_user).read(["municipal_personal_id"])
        with self.assertRaises(AccessError):
            self.env["res.partner"].with_user(self.registry_user).search(
                [("municipal_personal_id", "=", EGN)]
            )

    def test_duplicates_are_found_by_identifier_and_merged(self):
        first = self.env["res.partner"].create(
            {"name": "ТЕСТ ЕООД", "is_company": True, "company_registry": EIK}
        )
        second = self.env["res.partner"].create(
            {
                "name": "Тест ЕООД (дубликат)",
                "is_company": True,
                "company_registry": "175 074 752",
            }
        )
        self.assertEqual(first._municipal_duplicates(), second)
        action = first.with_user(
            self.registry_clerk
        ).action_municipal_merge_duplicates()
        self.assertEqual(action["res_model"], "base.partner.merge.automatic.wizard")
        wizard = (
            self.env["base.partner.merge.automatic.wizard"]
            .with_context(**action["context"])
            .create({})
        )
        self.assertEqual(set(wizard.partner_ids.ids), {first.id, second.id})
        wizard.dst_partner_id = first
        wizard.action_merge()
        self.assertFalse(second.exists())
        self.assertTrue(first.exists())
