from odoo.tests import HttpCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestRegistryUi(HttpCase):
    def test_clerk_registers_an_incoming_document(self):
        new_test_user(
            self.env,
            "tour_clerk",
            groups="municipal_registry.group_registry_clerk",
            name="Деловодител Тест",
        )
        office = self.env["municipal.registry.office"].create(
            {"name": "Tour office", "code": "TOUR"}
        )
        register = self.env["municipal.register"].create(
            {"name": "Tour register", "office_id": office.id, "index": "55-00"}
        )
        self.env["municipal.document.type"].create(
            {"name": "Tour letter", "direction": "incoming", "register_id": register.id}
        )
        self.env["res.partner"].create({"name": "Tour Citizen"})
        self.start_tour(
            "/odoo", "municipal_registry_register_document", login="tour_clerk"
        )
        document = self.env["municipal.document"].search(
            [("subject", "=", "Request for information")]
        )
        self.assertEqual(document.state, "registered")
        self.assertTrue(document.number.startswith("55-00-1/"))
        self.assertEqual(document.partner_ids.name, "Tour Citizen")
