from odoo.tests import HttpCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestRegistryUi(HttpCase):
    def test_clerk_opens_the_municipality_app(self):
        new_test_user(
            self.env,
            "tour_clerk",
            groups="municipal_registry.group_registry_clerk",
            name="Деловодител Тест",
        )
        self.start_tour("/odoo", "municipal_registry_open_app", login="tour_clerk")
