{
    "name": "Municipal Registry",
    "summary": "Official document register of a Bulgarian municipality (деловодство)",
    "version": "18.0.1.0.0",
    "category": "Municipality",
    "license": "LGPL-3",
    "author": "Municipal e-Government for Odoo",
    "website": "https://github.com/municipal-egov/municipal-egov",
    "maintainers": ["municipal-egov"],
    "development_status": "Alpha",
    "depends": ["mail"],
    "external_dependencies": {"python": ["bg-egov>=0.1"]},
    "data": [
        "security/municipal_registry_groups.xml",
        "views/res_partner_views.xml",
        "views/municipal_registry_menus.xml",
    ],
    "assets": {
        "web.assets_tests": ["municipal_registry/static/tests/tours/*.js"],
    },
    "application": True,
    "installable": True,
}
