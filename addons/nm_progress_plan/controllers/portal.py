# Copyright 2026 Nouvelles Mesures
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from collections import OrderedDict

from werkzeug.exceptions import NotFound

from odoo import http
from odoo.exceptions import AccessError, MissingError, UserError
from odoo.http import request
from odoo.tools.misc import formatLang

from odoo.addons.portal.controllers import portal
from odoo.addons.portal.controllers.portal import pager as portal_pager

from ..tools.progress import MAX_EVIDENCE_BYTES, MAX_EVIDENCE_FILES, parse_decimal

VISIBLE_STATES = ("negotiation", "signed", "assessment", "closed")


class ConventionPortal(portal.CustomerPortal):
    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        Convention = request.env["nm.convention"]
        Review = request.env["nm.progress.review"]
        if "nm_convention_count" in counters:
            values["nm_convention_count"] = (
                Convention.search_count(self._nm_convention_domain())
                if Convention.has_access("read")
                else 0
            )
        if "nm_review_open_count" in counters:
            values["nm_review_open_count"] = (
                Review.search_count(
                    [
                        ("state", "=", "open"),
                        (
                            "convention_id.partner_id",
                            "child_of",
                            self._nm_commercial_partner().id,
                        ),
                    ]
                )
                if Review.has_access("read")
                else 0
            )
        return values

    def _nm_format(self, value):
        """A figure as the operator reads it: 42 000 or 1,5 in French."""
        digits = 0 if float(value).is_integer() else 2
        return formatLang(request.env, value, digits=digits)

    def _nm_commercial_partner(self):
        return request.env.user.partner_id.commercial_partner_id

    def _nm_convention_domain(self):
        # staff browsing the portal see the same thing as the operator would
        return [
            ("state", "in", VISIBLE_STATES),
            ("partner_id", "child_of", self._nm_commercial_partner().id),
        ]

    def _nm_login_first(self, access_token=None):
        """A visitor who is not logged in and holds no access token (an emailed
        link opened in a fresh browser) goes to the login page, then back here."""
        if access_token or not request.env.user._is_public():
            return None
        # as Odoo does for pages that need a login
        return request.redirect_query(
            "/web/login", {"redirect": request.httprequest.full_path}
        )

    def _nm_check_convention(self, convention_id, access_token=None):
        """The convention, sudoed, if the user may read it; 404 otherwise (a
        foreign convention is reported as missing, so its existence does not leak)."""
        try:
            convention_sudo = self._document_check_access(
                "nm.convention", convention_id, access_token=access_token
            )
        except (AccessError, MissingError) as error:
            raise NotFound() from error
        if convention_sudo.state not in VISIBLE_STATES:
            raise NotFound()
        return convention_sudo

    def _nm_check_review(self, convention_id, review_id, access_token=None):
        """(convention, review), sudoed, if the user may read the review (or holds
        its token) and it belongs to that convention; 404 otherwise."""
        try:
            review_sudo = self._document_check_access(
                "nm.progress.review", review_id, access_token=access_token
            )
        except (AccessError, MissingError) as error:
            raise NotFound() from error
        convention_sudo = review_sudo.convention_id
        if (
            convention_sudo.id != convention_id
            or review_sudo.state == "planned"
            or convention_sudo.state not in VISIBLE_STATES
        ):
            raise NotFound()
        return convention_sudo, review_sudo

    @http.route(
        ["/my/conventions", "/my/conventions/page/<int:page>"],
        type="http",
        auth="user",
        website=True,
    )
    def portal_my_conventions(self, page=1, sortby=None, filterby=None, **kw):
        values = self._prepare_portal_layout_values()
        Convention = request.env["nm.convention"]
        searchbar_sortings = {
            "date": {
                "label": request.env._("Newest"),
                "order": "date_start desc, id desc",
            },
            "name": {"label": request.env._("Reference"), "order": "name asc, id asc"},
        }
        searchbar_filters = {
            "all": {"label": request.env._("All"), "domain": []},
            "running": {
                "label": request.env._("Running"),
                "domain": [("state", "in", ("negotiation", "signed", "assessment"))],
            },
            "closed": {
                "label": request.env._("Closed"),
                "domain": [("state", "=", "closed")],
            },
        }
        sortby = sortby if sortby in searchbar_sortings else "date"
        filterby = filterby if filterby in searchbar_filters else "all"
        domain = self._nm_convention_domain() + searchbar_filters[filterby]["domain"]
        count = Convention.search_count(domain)
        pager = portal_pager(
            url="/my/conventions",
            url_args={"sortby": sortby, "filterby": filterby},
            total=count,
            page=page,
            step=self._items_per_page,
        )
        conventions = Convention.search(
            domain,
            order=searchbar_sortings[sortby]["order"],
            limit=self._items_per_page,
            offset=pager["offset"],
        )
        request.session["my_conventions_history"] = conventions.ids[:100]
        values.update(
            {
                "conventions": conventions,
                "page_name": "nm_convention",
                "pager": pager,
                "default_url": "/my/conventions",
                "searchbar_sortings": searchbar_sortings,
                "sortby": sortby,
                "searchbar_filters": OrderedDict(searchbar_filters),
                "filterby": filterby,
            }
        )
        return request.render("nm_progress_plan.portal_my_conventions", values)

    @http.route(
        ["/my/conventions/<int:convention_id>"],
        type="http",
        auth="public",
        website=True,
    )
    def portal_my_convention(
        self, convention_id, access_token=None, report_type=None, **kw
    ):
        if login := self._nm_login_first(access_token):
            return login
        convention_sudo = self._nm_check_convention(convention_id, access_token)
        if report_type in ("html", "pdf"):
            if convention_sudo.state not in ("assessment", "closed"):
                raise NotFound()
            return self._show_report(
                model=convention_sudo,
                report_type=report_type,
                report_ref="nm_progress_plan.action_report_nm_convention_assessment",
                download=kw.get("download") == "true",
            )
        values = self._get_page_view_values(
            convention_sudo,
            access_token,
            {
                "convention": convention_sudo,
                "nm_fmt": self._nm_format,
                "page_name": "nm_convention",
                "documents": convention_sudo._nm_portal_documents().sorted(
                    "create_date", reverse=True
                ),
                "pending_adjustments": convention_sudo.adjustment_ids.filtered(
                    lambda a: a.state == "proposed" and not a.operator_accepted
                ),
                "success": kw.get("success"),
                "error": kw.get("error"),
            },
            "my_conventions_history",
            False,
        )
        return request.render("nm_progress_plan.portal_my_convention", values)

    @http.route(
        ["/my/conventions/<int:convention_id>/review/<int:review_id>"],
        type="http",
        auth="public",
        website=True,
    )
    def portal_my_review(self, convention_id, review_id, access_token=None, **kw):
        if login := self._nm_login_first(access_token):
            return login
        convention_sudo, review_sudo = self._nm_check_review(
            convention_id, review_id, access_token
        )
        return self._nm_render_review(convention_sudo, review_sudo, access_token)

    def _nm_render_review(
        self,
        convention_sudo,
        review_sudo,
        access_token,
        error=None,
        posted=None,
        status=200,
    ):
        values = self._get_page_view_values(
            review_sudo,
            access_token,
            {
                "convention": convention_sudo,
                "review": review_sudo,
                "nm_fmt": self._nm_format,
                "page_name": "nm_review",
                "clauses": convention_sudo.clause_ids.filtered(
                    lambda c: c.committer in ("operator", "both")
                ),
                "error": error,
                "posted": posted or {},
                "max_mb": MAX_EVIDENCE_BYTES // (1024 * 1024),
                "max_files": MAX_EVIDENCE_FILES,
            },
            "my_reviews_history",
            False,
        )
        return request.render(
            "nm_progress_plan.portal_my_review", values, status=status
        )

    @http.route(
        ["/my/conventions/<int:convention_id>/review/<int:review_id>/submit"],
        type="http",
        auth="public",
        methods=["POST"],
        website=True,
    )
    def portal_my_review_submit(
        self, convention_id, review_id, access_token=None, **post
    ):
        convention_sudo, review_sudo = self._nm_check_review(
            convention_id, review_id, access_token
        )
        user = request.env.user
        try:
            lines = self._nm_parse_review_form(review_sudo, post)
            review_sudo._submit_measures(lines, comment=post.get("comment"), user=user)
        except UserError as error:
            request.env.cr.rollback()
            return self._nm_render_review(
                convention_sudo,
                review_sudo,
                access_token,
                error=error.args[0],
                posted=post,
                status=400,
            )
        url = f"/my/conventions/{convention_sudo.id}?success=submitted"
        if access_token:
            # the token was the review's: lead back with the convention's own
            url = convention_sudo.get_portal_url(query_string="&success=submitted")
        return request.redirect(url)

    def _nm_parse_review_form(self, review_sudo, post):
        """The form's figures and files, read; every rule on them is the model's
        (``_submit_measures``), as for any other caller."""
        files = request.httprequest.files
        lines = []
        clauses = review_sudo.convention_id.clause_ids.filtered(
            lambda c: c.committer in ("operator", "both")
        )
        for clause in clauses:
            raw = (post.get(f"value_{clause.id}") or "").strip()
            value = None
            if raw:
                try:
                    value = parse_decimal(raw)
                except ValueError as error:
                    raise UserError(
                        request.env._(
                            "\u00ab %(value)s \u00bb is not a number (indicator \u00ab "
                            "%(indicator)s "
                            "\u00bb). Enter digits only, e.g. 12,5.",
                            value=raw,
                            indicator=clause.indicator_name,
                        )
                    ) from error
            lines.append(
                {
                    "clause": clause,
                    "value": value,
                    "comment": (post.get(f"comment_{clause.id}") or "").strip(),
                    # one file more than allowed, one byte over the size limit:
                    # enough for the model to refuse, without reading more
                    "evidence": [
                        (upload.filename, upload.read(MAX_EVIDENCE_BYTES + 1))
                        for upload in [
                            upload
                            for upload in files.getlist(f"evidence_{clause.id}")
                            if upload and upload.filename
                        ][: MAX_EVIDENCE_FILES + 1]
                    ],
                }
            )
        return lines

    @http.route(
        [
            "/my/conventions/<int:convention_id>/adjustment/<int:adjustment_id>"
            "/<any(accept,refuse):decision>"
        ],
        type="http",
        auth="user",
        methods=["POST"],
        website=True,
    )
    def portal_my_adjustment_decide(
        self, convention_id, adjustment_id, decision, **post
    ):
        """The operator's answer to a target adjustment proposed by the city."""
        convention_sudo = self._nm_check_convention(convention_id)
        adjustment = (
            request.env["nm.progress.adjustment"].browse(adjustment_id).exists()
        )
        try:
            adjustment.check_access("read")
        except AccessError as error:
            raise NotFound() from error
        if not adjustment or adjustment.convention_id.id != convention_sudo.id:
            raise NotFound()
        try:
            if decision == "accept":
                adjustment.sudo()._accept_operator(request.env.user)
            else:
                adjustment.sudo()._refuse_operator(request.env.user)
        except UserError:
            request.env.cr.rollback()
            return request.redirect(
                f"/my/conventions/{convention_sudo.id}?error=adjustment_decided"
            )
        return request.redirect(
            f"/my/conventions/{convention_sudo.id}?success=adjustment_{decision}"
        )

    @http.route(
        ["/my/conventions/<int:convention_id>/attachment/<int:attachment_id>"],
        type="http",
        auth="public",
        website=True,
    )
    def portal_my_convention_attachment(
        self, convention_id, attachment_id, access_token=None, **kw
    ):
        """Download a document shared with the operator or the evidence of one of
        the convention's measures. Portal users have no right on ir.attachment:
        access goes through the convention they may read, and only to the files
        meant for them (never those of the staff's internal notes)."""
        if login := self._nm_login_first(access_token):
            return login
        convention_sudo = self._nm_check_convention(convention_id, access_token)
        attachment = request.env["ir.attachment"].sudo().browse(attachment_id).exists()
        allowed = (
            convention_sudo._nm_portal_documents()
            | convention_sudo.measure_ids.evidence_attachment_ids
        )
        if not attachment or attachment not in allowed or attachment.res_field:
            raise NotFound()
        stream = request.env["ir.binary"]._get_stream_from(attachment)
        return stream.get_response(as_attachment=True)
