import {registry} from "@web/core/registry";
import {stepUtils} from "@web_tour/tour_service/tour_utils";

registry.category("web_tour.tours").add("municipal_registry_open_app", {
    url: "/odoo",
    steps: () => [
        stepUtils.showAppsMenuItem(),
        {
            content: "Open the Municipality app",
            trigger: '.o_app[data-menu-xmlid="municipal_registry.municipal_registry_menu_root"]',
            run: "click",
        },
        {
            content: "The correspondents of the register are listed",
            trigger: ".o_breadcrumb:contains(Correspondents)",
        },
    ],
});
