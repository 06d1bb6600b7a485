import { registry } from "@web/core/registry";

registry.category("web_tour.tours").add("nm_progress_plan_portal_review", {
    url: "/my",
    steps: () => [
        {
            content: "Open my conventions",
            trigger: 'a[href="/my/conventions"]',
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "Open the convention",
            trigger: "tr:contains('Tour convention') a.o_nm_convention_link",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "Open the review",
            trigger: "a.o_nm_open_review",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "Enter a value",
            trigger: "form.o_nm_review_form input[name^='value_']",
            run: "edit 42,5",
        },
        {
            content: "Enter a comment",
            trigger: "form.o_nm_review_form textarea[name^='comment_']",
            run: "edit Enquête en salle",
        },
        {
            content: "Submit",
            trigger: "button.o_nm_review_submit",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "Back on the convention, thanked",
            trigger: ".o_nm_convention .alert-success",
        },
    ],
});
