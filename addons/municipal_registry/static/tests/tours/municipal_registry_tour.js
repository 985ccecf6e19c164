import {registry} from "@web/core/registry";
import {stepUtils} from "@web_tour/tour_service/tour_utils";

registry.category("web_tour.tours").add("municipal_registry_register_document", {
    url: "/odoo",
    steps: () => [
        stepUtils.showAppsMenuItem(),
        {
            content: "Open the Municipality app",
            trigger: '.o_app[data-menu-xmlid="municipal_registry.municipal_registry_menu_root"]',
            run: "click",
        },
        {
            content: "Open the documents",
            trigger: '.o_menu_sections [data-menu-xmlid="municipal_registry.municipal_registry_menu_register"]',
            run: "click",
        },
        {
            trigger: '[data-menu-xmlid="municipal_registry.municipal_document_menu"]',
            run: "click",
        },
        {
            content: "Start a new document",
            trigger: ".o_list_button_add",
            run: "click",
        },
        {
            trigger: ".o_field_widget[name=document_type_id] input",
            run: "edit Tour letter",
        },
        {
            trigger: ".o-autocomplete--dropdown-item:contains(Tour letter)",
            run: "click",
        },
        {
            trigger: ".o_field_widget[name=subject] input",
            run: "edit Request for information",
        },
        {
            content: "Add the sender",
            trigger: ".o_field_widget[name=correspondent_ids] .o_field_x2many_list_row_add a",
            run: "click",
        },
        {
            trigger: ".o_field_widget[name=correspondent_ids] .o_field_widget[name=partner_id] input",
            run: "edit Tour Citizen",
        },
        {
            trigger: ".o-autocomplete--dropdown-item:contains(Tour Citizen)",
            run: "click",
        },
        {
            content: "Register",
            trigger: ".o_form_view button[name=action_register]",
            run: "click",
        },
        {
            content: "The document has its number",
            trigger: ".o_field_widget[name=number]:contains(55-00-1/)",
        },
    ],
});
