import {formatDate, formatDateTime} from "@web/core/l10n/dates";
import {registry} from "@web/core/registry";
import {stepUtils} from "@web_tour/tour_service/tour_utils";

const {DateTime} = luxon;

// A weekday about two weeks ahead (a holiday or not: the test reads the day back).
function nextWeekday(days) {
    let day = DateTime.local().plus({days}).startOf("day");
    while (day.weekday > 5) {
        day = day.plus({days: 1});
    }
    return day;
}

// The mayor writes a resolution on a registered letter and issues it. The test names
// a working day for the deadline in the subject of the letter ("... by YYYY-MM-DD"):
// only the server knows the municipality's calendar.
registry.category("web_tour.tours").add("municipal_registry_write_resolution", {
    steps: () => {
        let deadline = "";
        return [
        {
            content: "The registered letter is open",
            trigger: ".o_field_widget[name=subject] input:value(Tour resolution letter)",
            run() {
                const iso = this.anchor.value.match(/\d{4}-\d{2}-\d{2}/)[0];
                deadline = formatDate(DateTime.fromISO(iso));
            },
        },
        {
            content: "Write a resolution",
            trigger: ".o_form_view button[name=action_new_resolution]",
            run: "click",
        },
        {
            content: "The resolution is on the letter",
            trigger: ".o_field_widget[name=document_id] input:value(/.+/)",
        },
        {
            content: "Add an executor",
            trigger: ".o_field_widget[name=executor_ids] .o_field_x2many_list_row_add a",
            run: "click",
        },
        {
            trigger: ".o_field_widget[name=executor_ids] .o_field_widget[name=employee_id] input",
            run: "edit Tour Executor",
        },
        {
            trigger: ".o-autocomplete--dropdown-item:contains(Tour Executor)",
            run: "click",
        },
        {
            content: "Write the instruction",
            trigger: ".o_field_widget[name=instruction] textarea",
            run: "edit Prepare an answer to the citizen",
        },
        {
            content: "Pick the deadline",
            trigger: ".o_field_widget[name=deadline_date] input",
            run(helpers) {
                return helpers.edit(deadline);
            },
        },
        {
            content: "Leave the date field",
            trigger: ".o_field_widget[name=instruction] textarea",
            run: "click",
        },
        {
            content: "The deadline is the date picked",
            trigger: ".o_field_widget[name=deadline] span:not(:empty)",
            run() {
                if (this.anchor.textContent.trim() !== deadline) {
                    throw new Error(`The deadline shown is ${this.anchor.textContent}`);
                }
            },
        },
        {
            content: "Issue",
            trigger: ".o_form_view button[name=action_issue]",
            run: "click",
        },
        {
            content: "The resolution is in execution",
            trigger: ".o_statusbar_status button.o_arrow_button_current:contains(In execution)",
        },
        {
            content: "The issue button is gone",
            trigger: ".o_form_view:not(:has(button[name=action_issue]))",
        },
    ];
    },
});

// The executor finds it under Resolutions / To execute, answers and marks it done.
registry.category("web_tour.tours").add("municipal_registry_execute_resolution", {
    url: "/odoo",
    steps: () => [
        stepUtils.showAppsMenuItem(),
        {
            content: "Open the Municipality app",
            trigger: '.o_app[data-menu-xmlid="municipal_registry.municipal_registry_menu_root"]',
            run: "click",
        },
        {
            content: "Open the resolutions",
            trigger: '.o_menu_sections [data-menu-xmlid="municipal_registry.municipal_resolution_menu_root"]',
            run: "click",
        },
        {
            trigger: '[data-menu-xmlid="municipal_registry.municipal_resolution_executor_menu_mine"]',
            run: "click",
        },
        {
            content: "Open my resolution",
            trigger: ".o_data_row td[name=instruction]:contains(Prepare an answer to the citizen)",
            run: "click",
        },
        {
            content: "Answer with a note",
            trigger: ".o_field_widget[name=answer_note] textarea",
            run: "edit The answer was sent by post.",
        },
        {
            content: "Done",
            trigger: ".o_form_view button[name=action_done]",
            run: "click",
        },
        {
            content: "The line is done",
            trigger: ".o_statusbar_status button.o_arrow_button_current:contains(Done)",
        },
        {
            trigger: ".o_field_widget[name=answered_by_id]:contains(Tour Executor)",
        },
    ],
});

// A registry manager adds a local holiday in the list of non-working days.
registry.category("web_tour.tours").add("municipal_registry_add_local_holiday", {
    url: "/odoo",
    steps: () => [
        stepUtils.showAppsMenuItem(),
        {
            content: "Open the Municipality app",
            trigger: '.o_app[data-menu-xmlid="municipal_registry.municipal_registry_menu_root"]',
            run: "click",
        },
        {
            content: "Configuration",
            trigger: '.o_menu_sections [data-menu-xmlid="municipal_registry.municipal_registry_menu_configuration"]',
            run: "click",
        },
        {
            content: "Working-day calendar / Non-working days",
            trigger: '[data-menu-xmlid="municipal_registry.municipal_day_off_menu"]',
            run: "click",
        },
        {
            content: "Add a day",
            trigger: ".o_list_button_add",
            run: "click",
        },
        {
            trigger: ".o_data_row.o_selected_row .o_field_widget[name=municipal_day] input",
            run: `edit ${formatDate(nextWeekday(16))}`,
        },
        {
            trigger: ".o_data_row.o_selected_row .o_field_widget[name=name] input",
            run: "edit Tour local holiday",
        },
        {
            content: "A local holiday by the mayor's order",
            trigger: ".o_data_row.o_selected_row .o_field_widget[name=municipal_kind] select",
            run: 'select "local"',
        },
        {
            trigger: ".o_data_row.o_selected_row .o_field_widget[name=municipal_legal_basis] input",
            run: "edit Заповед № РД-09-123 на кмета",
        },
        {
            content: "The municipal calendar is filled in",
            trigger: ".o_data_row.o_selected_row .o_field_widget[name=calendar_id] input:value(/.+/)",
        },
        {
            content: "Save",
            trigger: ".o_list_button_save",
            run: "click",
        },
        {
            content: "The day is saved",
            trigger: ".o_data_row:not(.o_selected_row) td[name=name]:contains(Tour local holiday)",
        },
        {
            trigger: ".o_list_view:not(:has(.o_list_button_save))",
        },
    ],
});

// A clerk enters the return receipt of a registered outgoing letter.
registry.category("web_tour.tours").add("municipal_registry_delivery_proof", {
    steps: () => [
        {
            content: "The registered outgoing letter is open",
            trigger: ".o_field_widget[name=subject] input:value(Tour outgoing notice)",
        },
        {
            content: "The Delivery page",
            trigger: ".o_notebook a[name=delivery]",
            run: "click",
        },
        {
            content: "Add a proof of delivery",
            trigger: ".o_field_widget[name=delivery_proof_ids] .o_field_x2many_list_row_add a",
            run: "click",
        },
        {
            trigger: ".modal .o_field_widget[name=partner_id] input",
            run: "edit Tour Addressee",
        },
        {
            trigger: ".o-autocomplete--dropdown-item:contains(Tour Addressee)",
            run: "click",
        },
        {
            content: "A postal return receipt",
            trigger: ".modal .o_field_widget[name=proof_kind] select",
            run: 'select "return_receipt"',
        },
        {
            content: "The date on the receipt",
            trigger: ".modal .o_field_widget[name=proof_date] input",
            run: `edit ${formatDateTime(
                DateTime.local().minus({days: 1}).set({hour: 10, minute: 0, second: 0})
            )}`,
        },
        {
            trigger: ".modal .o_field_widget[name=reference] input",
            run: "edit RR123456789BG",
        },
        {
            content: "Save the proof",
            trigger: ".modal .o_form_button_save",
            run: "click",
        },
        {
            trigger: "body:not(:has(.modal))",
        },
        {
            trigger: ".o_field_widget[name=delivery_proof_ids] .o_data_row:contains(Tour Addressee)",
        },
        {
            content: "Save the letter",
            trigger: ".o_form_view .o_form_button_save",
            run: "click",
        },
        {
            content: "The follow-up deadline is counted",
            trigger: ".o_field_widget[name=delivery_deadline_ids] .o_data_row:contains(Tour appeal)",
        },
    ],
});

// A clerk prepares a destruction protocol: the expired files, the commission, submit.
registry.category("web_tour.tours").add("municipal_registry_destruction_protocol", {
    url: "/odoo",
    steps: () => [
        stepUtils.showAppsMenuItem(),
        {
            content: "Open the Municipality app",
            trigger: '.o_app[data-menu-xmlid="municipal_registry.municipal_registry_menu_root"]',
            run: "click",
        },
        {
            content: "Archive / Destruction protocols",
            trigger: '.o_menu_sections [data-menu-xmlid="municipal_registry.municipal_registry_menu_archive"]',
            run: "click",
        },
        {
            trigger: '[data-menu-xmlid="municipal_registry.municipal_destruction_protocol_menu"]',
            run: "click",
        },
        {
            content: "A new protocol",
            trigger: ".o_list_button_add",
            run: "click",
        },
        {
            trigger: ".o_field_widget[name=commission_order] input",
            run: "edit Заповед № РД-09-77 на кмета",
        },
        {
            content: "The expert commission",
            trigger: ".o_notebook a[name=commission]",
            run: "click",
        },
        {
            trigger: ".o_field_widget[name=member_ids] .o_field_x2many_list_row_add a",
            run: "click",
        },
        {
            trigger: ".o_field_widget[name=member_ids] .o_selected_row .o_field_widget[name=user_id] input",
            run: "edit Tour Chairman",
        },
        {
            trigger: ".o-autocomplete--dropdown-item:contains(Tour Chairman)",
            run: "click",
        },
        {
            trigger: ".o_field_widget[name=member_ids] .o_selected_row .o_field_widget[name=role] select",
            run: 'select "chairman"',
        },
        {
            trigger: ".o_field_widget[name=member_ids] .o_field_x2many_list_row_add a",
            run: "click",
        },
        {
            trigger: ".o_field_widget[name=member_ids] .o_selected_row .o_field_widget[name=user_id] input",
            run: "edit Tour Member",
        },
        {
            trigger: ".o-autocomplete--dropdown-item:contains(Tour Member)",
            run: "click",
        },
        {
            content: "Propose the expired files",
            trigger: ".o_form_view button[name=action_propose_expired]",
            run: "click",
        },
        {
            content: "The files to destroy",
            trigger: ".o_notebook a[name=lines]",
            run: "click",
        },
        {
            trigger: ".o_field_widget[name=line_ids] .o_data_row:contains(Tour expired application)",
        },
        {
            content: "Submit to the commission",
            trigger: ".o_form_view button[name=action_submit]",
            run: "click",
        },
        {
            content: "The protocol waits for the signatures",
            trigger: ".o_form_view:not(:has(button[name=action_submit]))",
        },
    ],
});
