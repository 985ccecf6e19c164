import base64

from odoo import Command
from odoo.tests import new_test_user
from odoo.tests.common import TransactionCase

DISABLED_MAIL_CONTEXT = {
    "tracking_disable": True,
    "mail_create_nolog": True,
    "mail_create_nosubscribe": True,
    "mail_notrack": True,
    "no_reset_password": True,
}

# Valid identifiers (check digits verified by python-stdnum).
EGN = "7523169263"
LNCH = "7111042925"
EIK = "175074752"


class MunicipalRegistryCommon(TransactionCase):
    """One user per role of the register, an employee outside the app, and a small
    register of our own (no demo data)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, **DISABLED_MAIL_CONTEXT))
        cls.registry_user = new_test_user(
            cls.env, "reg_user", groups="municipal_registry.group_registry_user"
        )
        cls.registry_clerk = new_test_user(
            cls.env, "reg_clerk", groups="municipal_registry.group_registry_clerk"
        )
        cls.registry_manager = new_test_user(
            cls.env, "reg_manager", groups="municipal_registry.group_registry_manager"
        )
        cls.secretary = new_test_user(
            cls.env,
            "reg_secretary",
            groups="municipal_registry.group_registry_secretary",
        )
        cls.mayor = new_test_user(
            cls.env, "reg_mayor", groups="municipal_registry.group_registry_mayor"
        )
        cls.outsider = new_test_user(cls.env, "reg_outsider", groups="base.group_user")
        cls.root_menu = cls.env.ref("municipal_registry.municipal_registry_menu_root")

        cls.office = cls.env["municipal.registry.office"].create(
            {"name": "Община Тестово", "code": "OT"}
        )
        cls.register_in = cls.env["municipal.register"].create(
            {
                "name": "Входящи",
                "office_id": cls.office.id,
                "index": "94-00",
                "direction": "incoming",
            }
        )
        cls.register_orders = cls.env["municipal.register"].create(
            {
                "name": "Заповеди",
                "office_id": cls.office.id,
                "number_format": "year_sequence_date",
                "direction": "internal",
            }
        )
        cls.kind_application = cls.env["municipal.document.type"].create(
            {
                "name": "Заявление",
                "direction": "incoming",
                "register_id": cls.register_in.id,
                "opens_case": True,
            }
        )
        cls.kind_letter = cls.env["municipal.document.type"].create(
            {
                "name": "Писмо",
                "direction": "incoming",
                "register_id": cls.register_in.id,
            }
        )
        cls.kind_order = cls.env["municipal.document.type"].create(
            {
                "name": "Заповед",
                "direction": "internal",
                "register_id": cls.register_orders.id,
            }
        )
        cls.citizen = cls.env["res.partner"].create({"name": "Иван Петров"})
        cls.company_partner = cls.env["res.partner"].create(
            {"name": "Строй ООД", "is_company": True}
        )
        cls.channel_seos = cls.env.ref(
            "municipal_registry.municipal_document_channel_seos"
        )

    @classmethod
    def _draft(cls, user=None, **values):
        """A draft incoming letter from the citizen, created by ``user``."""
        vals = {
            "direction": "incoming",
            "document_type_id": cls.kind_letter.id,
            "subject": "Искане за информация",
            "correspondent_ids": [
                Command.create({"partner_id": cls.citizen.id, "role": "sender"})
            ],
        }
        vals.update(values)
        model = cls.env["municipal.document"]
        if user:
            model = model.with_user(user)
        return model.create(vals)

    @staticmethod
    def _file(name, content):
        return Command.create({"name": name, "datas": base64.b64encode(content)})

    def assertSeesApp(self, user, visible=True):
        menus = self.env["ir.ui.menu"].with_user(user)._visible_menu_ids()
        if visible:
            self.assertIn(self.root_menu.id, menus, f"{user.login} should see the app")
        else:
            self.assertNotIn(
                self.root_menu.id, menus, f"{user.login} should not see the app"
            )
