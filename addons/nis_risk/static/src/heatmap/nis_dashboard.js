/** @odoo-module **/
import {Component, onWillStart, useState} from "@odoo/owl";
import {_t} from "@web/core/l10n/translation";
import {registry} from "@web/core/registry";
import {useService} from "@web/core/utils/hooks";

export class NisDashboard extends Component {
    static template = "nis_risk.NisDashboard";
    static props = ["*"];

    setup() {
        this.orm = useService("orm");
        this.action = useService("action");
        this.state = useState({data: null});
        const context = this.props.action.context || {};
        onWillStart(async () => {
            this.state.data = await this.orm.call(
                "nis.assessment",
                "get_heatmap_data",
                [context.nis_assessment_id || false]
            );
        });
    }

    openCell(cell) {
        this.action.doAction({
            type: "ir.actions.act_window",
            name: _t("Risks"),
            res_model: "nis.risk",
            views: [
                [false, "list"],
                [false, "form"],
            ],
            domain: [
                ["assessment_id", "=", this.state.data.assessment_id],
                ["impact", "=", cell.impact],
                ["likelihood", "=", cell.likelihood],
                ["is_removed", "=", false],
            ],
        });
    }

    openPriority(priority) {
        this.action.doAction({
            type: "ir.actions.act_window",
            name: _t("Risks"),
            res_model: "nis.risk",
            views: [
                [false, "list"],
                [false, "form"],
            ],
            domain: [
                ["assessment_id", "=", this.state.data.assessment_id],
                ["priority", "=", priority],
                ["is_removed", "=", false],
            ],
        });
    }

    openAction(xmlid, filter) {
        this.action.doAction(xmlid, {
            additionalContext: {[`search_default_${filter}`]: 1},
        });
    }
}

registry.category("actions").add("nis_risk.dashboard", NisDashboard);
