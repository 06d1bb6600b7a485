import { registry } from "@web/core/registry";

registry.category("web_tour.tours").add("nm_travel_portal", {
    url: "/my/travel?month=2026-03",
    steps: () => [
        {
            content: "Choose the home–work commute",
            trigger: "select[name=line_0_travel_type]",
            run: "select commute",
        },
        {
            content: "Choose the combustion car",
            trigger: "select[name=line_0_mode_id]",
            run: "selectByLabel combustion engine",
        },
        {
            content: "Distance of one trip",
            trigger: "input[name=line_0_distance_km]",
            run: "edit 12",
        },
        {
            content: "Trips in the month",
            trigger: "input[name=line_0_trip_count]",
            run: "edit 18",
        },
        {
            content: "Send the month to the manager",
            trigger: "button#nm_travel_submit",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "The month is sent with its totals",
            trigger: "#nm_travel_carbon_kg:contains(94)",
        },
    ],
});
