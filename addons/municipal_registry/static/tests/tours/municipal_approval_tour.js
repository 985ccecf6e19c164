import {registry} from "@web/core/registry";

// The director finds the letter under "Waiting for my approval" and approves it.
registry.category("web_tour.tours").add("municipal_registry_approve_document", {
    url: "/odoo/action-municipal_registry.municipal_document_action_approval",
    steps: () => [
        {
            content: "Open the letter waiting for my approval",
            trigger: ".o_data_row td[name=subject]:contains(Tour approval letter)",
            run: "click",
        },
        {
            content: "The approval page lists the route",
            trigger: ".o_notebook a[name=approval]",
            run: "click",
        },
        {
            trigger: ".o_field_widget[name=approval_ids] .o_data_row:contains(Tour director)",
        },
        {
            content: "Approve",
            trigger: ".o_form_view button[name=action_approval_approve]",
            run: "click",
        },
        {
            content: "My step is done: nothing left for me to approve",
            trigger: ".o_form_view:not(:has(button[name=action_approval_approve]))",
        },
    ],
});

// The secretary returns it with a comment through the wizard.
registry.category("web_tour.tours").add("municipal_registry_return_document", {
    url: "/odoo/action-municipal_registry.municipal_document_action_approval",
    steps: () => [
        {
            trigger: ".o_data_row td[name=subject]:contains(Tour approval letter)",
            run: "click",
        },
        {
            content: "Return",
            trigger: ".o_form_view button[name=action_open_approval_return]",
            run: "click",
        },
        {
            trigger: ".modal .o_field_widget[name=comment] textarea",
            run: "edit Add the legal basis.",
        },
        {
            trigger: ".modal button[name=action_return]",
            run: "click",
        },
        {
            content: "The letter is back with its author",
            trigger: ".o_field_widget[name=approval_state]:contains(Returned for corrections)",
        },
    ],
});
