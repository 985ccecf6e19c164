from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import NisRiskCommon

METHOD_MODELS = [
    "nis.asset.category",
    "nis.threat",
    "nis.scale.level",
    "nis.priority.threshold",
    "nis.supplier.clause",
    "nis.incident.regime",
    "nis.incident.regime.step",
]
ALL = "rwcu"
# role -> model -> operations allowed by the ACL (record rules narrow them further).
MATRIX = {
    "nis_user": {
        **{model: "r" for model in METHOD_MODELS},
        "nis.asset": "r",
        "nis.assessment": "r",
        "nis.risk": "r",
        "nis.measure": "rw",
        "nis.document": "r",
        "nis.supplier.contract": "r",
        "nis.incident": "rc",
        "nis.incident.report": "r",
    },
    "nis_officer": {
        **{model: "r" for model in METHOD_MODELS},
        "nis.asset": ALL,
        "nis.assessment": "rwc",
        "nis.risk": ALL,
        "nis.measure": ALL,
        "nis.document": ALL,
        "nis.supplier.contract": ALL,
        "nis.incident": ALL,
        "nis.incident.report": ALL,
    },
    "nis_manager": {
        **{model: ALL for model in METHOD_MODELS},
        "nis.asset": ALL,
        "nis.assessment": ALL,
        "nis.risk": ALL,
        "nis.measure": ALL,
        "nis.document": ALL,
        "nis.supplier.contract": ALL,
        "nis.incident": ALL,
        "nis.incident.report": ALL,
    },
}
OPERATIONS = {"r": "read", "w": "write", "c": "create", "u": "unlink"}


@tagged("post_install", "-at_install", "access_rights")
class TestNisAccess(NisRiskCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.root_menu = cls.env.ref("municipal_registry.municipal_registry_menu_root")

    def test_group_chain(self):
        self.assertTrue(self.nis_manager.has_group("nis_risk.group_nis_officer"))
        self.assertTrue(self.nis_officer.has_group("nis_risk.group_nis_user"))
        self.assertFalse(self.nis_officer.has_group("nis_risk.group_nis_manager"))
        self.assertFalse(self.nis_user.has_group("nis_risk.group_nis_officer"))
        # NIS rights give no rights in the register.
        self.assertFalse(
            self.nis_manager.has_group("municipal_registry.group_registry_user")
        )
        category = self.env.ref("nis_risk.module_category_municipality_nis")
        self.assertEqual(
            category.parent_id,
            self.env.ref("municipal_registry.module_category_municipality"),
        )

    def test_acl_matrix(self):
        Access = self.env["ir.model.access"]
        models = set(METHOD_MODELS) | set(MATRIX["nis_officer"])
        ours = self.env["ir.model"].search([("model", "=like", "nis.%")])
        self.assertEqual(set(ours.mapped("model")), models, "a model without a row")
        users = {
            "nis_user": self.nis_user,
            "nis_officer": self.nis_officer,
            "nis_manager": self.nis_manager,
        }
        for role, allowed in MATRIX.items():
            for model in models:
                for letter, operation in OPERATIONS.items():
                    granted = Access.with_user(users[role]).check(
                        model, operation, raise_exception=False
                    )
                    self.assertEqual(
                        bool(granted),
                        letter in allowed[model],
                        f"{role} {operation} {model}",
                    )
                    self.assertFalse(
                        Access.with_user(self.outsider).check(
                            model, operation, raise_exception=False
                        ),
                        f"outsider {operation} {model}",
                    )

    def test_app_menu(self):
        for user in (self.nis_user, self.nis_officer, self.nis_manager):
            menus = self.env["ir.ui.menu"].with_user(user)._visible_menu_ids()
            self.assertIn(self.root_menu.id, menus, user.login)
            self.assertIn(self.env.ref("nis_risk.nis_risk_menu").id, menus)
        config = self.env.ref("nis_risk.nis_asset_category_menu").id
        menus = self.env["ir.ui.menu"].with_user(self.outsider)._visible_menu_ids()
        self.assertNotIn(self.root_menu.id, menus)
        self.assertNotIn(config, menus)

    def test_methodology_is_manager_data(self):
        categories = self.env["nis.asset.category"].with_user(self.nis_user).search([])
        self.assertEqual(len(categories), 19)
        self.assertEqual(
            categories[-1], self.env.ref("nis_risk.nis_asset_category_other")
        )
        band = self.env.ref("nis_risk.nis_priority_threshold_1")
        for record in (categories[0], band, self.threat_malware):
            with self.assertRaises(AccessError):
                record.with_user(self.nis_officer).write({"sequence": 1}) if (
                    "sequence" in record._fields
                ) else record.with_user(self.nis_officer).write({"score_to": 24})
        self.env["nis.asset.category"].with_user(self.nis_manager).create(
            {"name": "Cloud services"}
        )

    def test_user_sees_own_assets_and_risks(self):
        mine = self.make_risk(2, 2)
        theirs = self.make_risk(2, 2, asset=self.other_asset)
        as_user = self.env["nis.asset"].with_user(self.nis_user)
        self.assertEqual(as_user.search([]), self.asset)
        risks = self.env["nis.risk"].with_user(self.nis_user).search([])
        self.assertEqual(risks, mine)
        with self.assertRaises(AccessError):
            theirs.with_user(self.nis_user).read(["score"])
        with self.assertRaises(AccessError):
            mine.with_user(self.nis_user).write({"existing_measures": "x"})
        # Responsible for a risk of someone else's asset: visible.
        theirs.responsible_id = self.nis_user
        self.assertEqual(
            self.env["nis.risk"].with_user(self.nis_user).search([]), mine | theirs
        )
        self.assertEqual(
            self.env["nis.risk"]
            .with_user(self.nis_officer)
            .search([("assessment_id", "=", self.assessment.id)]),
            mine | theirs,
        )

    def test_user_updates_own_measures(self):
        risk = self.make_risk(5, 5)
        mine = self.env["nis.measure"].create(
            {"risk_id": risk.id, "name": "Patch", "responsible_id": self.nis_user2.id}
        )
        mine.with_user(self.nis_user2).write({"status": "done"})
        self.assertEqual(mine.progress, 100)
        other = self.make_risk(5, 5, asset=self.other_asset)
        hidden = self.env["nis.measure"].create({"risk_id": other.id, "name": "X"})
        self.assertNotIn(
            hidden, self.env["nis.measure"].with_user(self.nis_user).search([])
        )

    def test_documents_need_to_know(self):
        document = self.env["nis.document"].create(
            {"name": "Connectivity diagram", "document_type": "connectivity_diagram"}
        )
        Document = self.env["nis.document"]
        self.assertFalse(Document.with_user(self.nis_user).search([]))
        document.reader_ids = self.nis_user
        self.assertEqual(Document.with_user(self.nis_user).search([]), document)
        self.assertFalse(Document.with_user(self.nis_user2).search([]))
        self.assertIn(document, Document.with_user(self.nis_officer).search([]))
        with self.assertRaises(AccessError):
            document.with_user(self.nis_user).write({"version": "2"})
        with self.assertRaises(AccessError):
            Document.with_user(self.outsider).search([])

    def test_incidents_of_users(self):
        Incident = self.env["nis.incident"]
        own = Incident.with_user(self.nis_user).create({"name": "Lost laptop"})
        other = Incident.with_user(self.nis_user2).create({"name": "Phishing"})
        self.assertEqual(Incident.with_user(self.nis_user).search([]), own)
        self.assertLessEqual(
            own | other, Incident.with_user(self.nis_officer).search([])
        )
        with self.assertRaises(AccessError):
            own.with_user(self.nis_user).write({"name": "x"})

    def test_supplier_contracts(self):
        partner = self.env["res.partner"].create({"name": "Supplier"})
        contract = self.env["nis.supplier.contract"].create(
            {"name": "Hosting", "partner_id": partner.id}
        )
        self.assertFalse(contract.is_complete)
        self.assertEqual(len(contract.missing_clause_ids), 6)
        contract.clause_ids = self.env["nis.supplier.clause"].search([])
        self.assertTrue(contract.is_complete)
        Contract = self.env["nis.supplier.contract"]
        self.assertFalse(Contract.with_user(self.nis_user).search([]))
        contract.responsible_id = self.nis_user
        self.assertEqual(Contract.with_user(self.nis_user).search([]), contract)

    def test_assessment_approval_only_by_manager(self):
        self.assessment.with_user(self.nis_officer).action_submit()
        with self.assertRaises(AccessError):
            self.assessment.with_user(self.nis_officer).unlink()
        with self.assertRaises(AccessError):
            self.assessment.with_user(self.nis_user).action_submit()
