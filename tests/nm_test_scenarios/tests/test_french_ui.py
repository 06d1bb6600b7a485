# Copyright 2026 Nouvelles Mesures
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""No English left in the French user interface.

For every model of our four addons: field labels and help, selection labels, the
views as ``get_views`` renders them, menus, actions and reports, the data records
with translatable fields (emission items, review outlines, tier definitions, mail
templates, clause templates...), the SQL constraint messages, and every message
our Python code translates (errors, chatter messages, column names of the XLSX
and CSV files). Each text is read in en_US and in fr_FR: where both are the same
and the text holds a word that is not a code, a unit, a proper noun or a word
spelt the same in both languages, the test fails and lists them all.
"""

import ast
import re
from pathlib import Path

from lxml import etree

from odoo.modules.module import get_module_path
from odoo.tests import TransactionCase, tagged
from odoo.tools import html2plaintext
from odoo.tools.translate import code_translations

ADDONS = (
    "nm_carbon_budget",
    "nm_mobility",
    "nm_multicapital",
    "nm_progress_plan",
    "nm_carbon_conference",
    "nm_carbon_mis",
    "nm_carbon_dashboard",
)
ADDONS_DIR = Path(get_module_path("nm_carbon_budget")).parent
LANG = "fr_FR"

# Words a French reader reads as French (same spelling), units, acronyms and
# proper nouns: a text made only of these is not "left in English".
SAME_IN_FRENCH = {
    # units and carbon vocabulary
    "kgco2e",
    "tco2e",
    "co2e",
    "co2",
    "kg",
    "km",
    "kwh",
    # French words of MIS templates written in French (the budget's KPIs)
    "enveloppe",
    "mwh",
    "gwh",
    "litre",
    "litres",
    "tonne",
    "tonnes",
    "eur",
    "ht",
    "ttc",
    "passenger",
    "go",
    "to",
    "xlsx",
    "csv",
    "pdf",
    "html",
    "url",
    "id",
    "ids",
    "sql",
    "json",
    "api",
    # acronyms and proper nouns
    "ademe",
    "beges",
    "dfcg",
    "dm",
    "dgs",
    "m57",
    "i4ce",
    "ghg",
    "sncf",
    "tgv",
    "ter",
    "rer",
    "transilien",
    "intercités",
    "odoo",
    "base",
    "empreinte",
    "carbone",
    "montclar",
    # same word in both languages
    "total",
    "totaux",
    "budget",
    "budgets",
    "date",
    "dates",
    "type",
    "types",
    "code",
    "codes",
    "source",
    "sources",
    "description",
    "direction",
    "directions",
    "action",
    "actions",
    "note",
    "notes",
    "message",
    "messages",
    "parent",
    "plan",
    "plans",
    "position",
    "validation",
    "validations",
    "justification",
    "participants",
    "import",
    "export",
    "mission",
    "missions",
    "mode",
    "modes",
    "occupants",
    "bus",
    "train",
    "tram",
    "moment",
    "contact",
    "convention",
    "conventions",
    "clause",
    "clauses",
    "conclusions",
    "documents",
    "document",
    "capital",
    "capitaux",
    "axes",
    "axe",
    "versions",
    "version",
    "configuration",
    "statut",
    "commentaire",
    "site",
    "sites",
    "service",
    "services",
    "objectif",
    "unit",
    "%",
    "ok",
    "email",
    "e",
    "mail",
    "art",
    "culture",
    "sport",
    "transport",
    "transports",
    "tonne.km",
    "t.km",
    "vs",
    "page",
    "pages",
    "minutes",
    "options",
    "option",
    "format",
    "simulation",
    "total:",
    "info",
    "question",
    "questions",
    "introduction",
    "vote",
    "article",
    "articles",
    "catering",
    "menu",
    "menus",
    "bonus",
    "score",
    "ratio",
    "ratios",
    "excellent",
    "solution",
    "compensation",
    "transfert",
    "dossier",
    "niveau",
    "notification",
    "inventaire",
    "organisation",
    "expert",
    "experts",
    "contrôle",
    "m³",
    "fiche",
    "vert",
    "personnes",
    "repas",
}
TOKEN = re.compile(r"[^\s()\[\]{}:;,!?«»\"“”…/+=<>*|]+")
PLACEHOLDER = re.compile(r"%\(\w+\)[sdfr]|%[sdfr]|\{\{.*?\}\}|\{\w*\}|<[^>]+>|&\w+;")
# a text written in French in the source (demo cities, outlines kept in French)
LOOKS_FRENCH = re.compile(
    r"[àâçéèêëîïôûùüÿœÀÂÇÉÈÊËÎÏÔÛÙÜŒ]|\b(?:de|des|du|la|le|les|et|pour|par|aux|au|"
    r"sur|avec|une|un|dans|ou|d|l|qu)\b|\b[dlq]['’]",
    re.IGNORECASE,
)
# view attributes a user reads
SHOWN_ATTRIBUTES = (
    "string",
    "help",
    "placeholder",
    "title",
    "confirm",
    "sum",
    "avg",
    "aria-label",
    "data-tooltip",
    "alt",
)

UNSHOWN_STRING_TAGS = ("list", "search", "form", "sheet", "kanban", "pivot", "graph")


def english_words(text):
    """The words of a text that are neither codes, units, numbers, acronyms nor
    words written the same in French."""
    text = PLACEHOLDER.sub(" ", html2plaintext(text) if "<" in text else text)
    if LOOKS_FRENCH.search(text):
        return []
    words = []
    for token in TOKEN.findall(text):
        word = token.strip(".'’-–—")
        if (
            len(word) < 2
            or any(c.isdigit() for c in word)  # CO2, M57, 4.5, 2026
            or not any(c.isalpha() for c in word)
            or word.isupper()  # BEGES, ADEME, DM
            or word.lower() in SAME_IN_FRENCH
        ):
            continue
        words.append(word)
    return words


def left_in_english(en, fr):
    """True when a text shown in French is the English one and holds a word that
    is not written the same way in French."""
    return bool(en) and en == fr and bool(english_words(en))


def arch_texts(arch):
    """The texts a user reads in a view arch, in document order."""
    root = etree.fromstring(arch)
    for node in root.iter():
        if not isinstance(node.tag, str):
            continue
        for attribute in SHOWN_ATTRIBUTES:
            if attribute == "string" and node.tag in UNSHOWN_STRING_TAGS:
                continue  # the web client shows the action's name instead
            if node.get(attribute):
                yield f"{node.tag}@{attribute}", node.get(attribute)
        if node.text and node.text.strip():
            yield node.tag, node.text.strip()
        if node.tail and node.tail.strip():
            yield f"{node.tag}+", node.tail.strip()


@tagged("post_install", "-at_install")
class TestFrenchUi(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        lang = cls.env["res.lang"]._activate_lang(LANG)
        # the test database is installed in English: load every module's French
        installed = cls.env["ir.module.module"].search([("state", "=", "installed")])
        installed._update_translations(LANG)
        cls.lang = lang
        cls.en = cls.env(context=dict(cls.env.context, lang="en_US"))
        cls.fr = cls.env(context=dict(cls.env.context, lang=LANG))
        data = cls.env["ir.model.data"].search([("module", "in", ADDONS)])
        cls.xmlids = {(d.model, d.res_id): f"{d.module}.{d.name}" for d in data}
        cls.data = data
        models = cls.env["ir.model"].search([("model", "=like", "nm.%")])
        cls.our_models = models.filtered(
            lambda m: set(m.modules.split(", ")) & set(ADDONS)
        )

    def _ids(self, model):
        return [
            res_id
            for (name, res_id) in self.xmlids
            if name == model and self.env[model].browse(res_id).exists()
        ]

    def _compare(self, model, ids, field_names, found, where=None):
        """Append (where, field, text) for each translatable value left in English."""
        for field_name in field_names:
            field = self.env[model]._fields[field_name]
            records_en = self.en[model].browse(ids)
            records_fr = self.fr[model].browse(ids)
            for record_en, record_fr in zip(records_en, records_fr, strict=True):
                en, fr = record_en[field_name], record_fr[field_name]
                label = (
                    where(record_en)
                    if where
                    else self.xmlids.get(
                        (model, record_en.id), f"{model},{record_en.id}"
                    )
                )
                if callable(field.translate):
                    pairs = zip(
                        field.get_trans_terms(en or ""),
                        field.get_trans_terms(fr or ""),
                        strict=False,
                    )
                else:
                    pairs = [(en, fr)]
                for term_en, term_fr in pairs:
                    if left_in_english(term_en, term_fr):
                        found.append(f"{label} [{field_name}]: {term_en!r}")

    def _assert_none(self, found, what):
        found = sorted(set(found))
        self.assertFalse(
            found,
            f"{len(found)} {what} left in English in {LANG}:\n" + "\n".join(found),
        )

    # ------------------------------------------------------------------ models

    def test_field_labels_and_help(self):
        Fields = self.env["ir.model.fields"]
        fields_ = Fields.search([("model_id", "in", self.our_models.ids)]) | (
            Fields.browse(self._ids("ir.model.fields"))
        )
        fields_ = fields_.filtered(lambda f: f.name not in ("id", "display_name"))
        found = []
        self._compare(
            "ir.model.fields",
            fields_.ids,
            ["field_description", "help"],
            found,
            where=lambda f: f"{f.model}.{f.name}",
        )
        self._compare(
            "ir.model", self.our_models.ids, ["name"], found, where=lambda m: m.model
        )
        self._assert_none(found, "field labels, help texts or model names")

    def test_selection_labels(self):
        Selection = self.env["ir.model.fields.selection"]
        selections = Selection.search(
            [("field_id.model_id", "in", self.our_models.ids)]
        ) | Selection.browse(self._ids("ir.model.fields.selection"))
        found = []
        self._compare(
            "ir.model.fields.selection",
            selections.ids,
            ["name"],
            found,
            where=lambda s: f"{s.field_id.model}.{s.field_id.name}={s.value}",
        )
        self._assert_none(found, "selection labels")

    # ------------------------------------------------------------------ views

    def test_views_as_rendered(self):
        found = []
        View = self.env["ir.ui.view"]
        for model in self.our_models:
            if self.env[model.model]._abstract:
                continue
            types = set(
                View.search(
                    [("model", "=", model.model), ("type", "!=", "qweb")]
                ).mapped("type")
            ) | {"form", "list", "search"}
            requested = [(False, view_type) for view_type in sorted(types)]
            views_en = self.en[model.model].get_views(requested)["views"]
            views_fr = self.fr[model.model].get_views(requested)["views"]
            for view_type, view in views_en.items():
                texts_en = list(arch_texts(view["arch"]))
                texts_fr = list(arch_texts(views_fr[view_type]["arch"]))
                for (where, en), (_where, fr) in zip(texts_en, texts_fr, strict=False):
                    if left_in_english(en, fr):
                        found.append(f"{model.model} {view_type} <{where}>: {en!r}")
        self._assert_none(found, "view texts (get_views)")

    def test_our_views_and_templates(self):
        # every view of ours, inherited views and QWeb templates (reports, portal)
        found = []
        self._compare("ir.ui.view", self._ids("ir.ui.view"), ["arch_db"], found)
        self._assert_none(found, "texts of our views and templates")

    def test_menus_actions_reports(self):
        found = []
        self._compare("ir.ui.menu", self._ids("ir.ui.menu"), ["name"], found)
        self._compare(
            "ir.actions.act_window",
            self._ids("ir.actions.act_window"),
            ["name", "help"],
            found,
        )
        self._compare(
            "ir.actions.report", self._ids("ir.actions.report"), ["name"], found
        )
        self._compare(
            "ir.actions.server", self._ids("ir.actions.server"), ["name"], found
        )
        self._assert_none(found, "menus, actions or reports")

    # ------------------------------------------------------------------ data

    def test_data_records(self):
        handled = {
            "ir.ui.view",
            "ir.ui.menu",
            "ir.model",
            "ir.model.fields",
            "ir.model.fields.selection",
            "ir.actions.act_window",
            "ir.actions.report",
            "ir.actions.server",
        }
        by_model = {}
        for record in self.data:
            if record.model in handled or re.search(r"_demo(_|$)", record.name):
                continue
            by_model.setdefault(record.model, []).append(record.res_id)
        found = []
        for model, ids in sorted(by_model.items()):
            Model = self.env[model]
            translated = [
                name
                for name, field in Model._fields.items()
                if field.translate and field.store
            ]
            ids = Model.browse(ids).exists().ids
            if translated and ids:
                self._compare(model, ids, translated, found)
        self._assert_none(found, "texts of data records")

    # ------------------------------------------------------------------ code

    def test_messages_of_our_code(self):
        """Errors, chatter messages, file column names: every literal our Python
        code passes to ``_()``/``env._()`` is translated in fr.po."""
        found = []
        for module in ADDONS:
            translations = code_translations.get_python_translations(module, LANG)
            for path in sorted((ADDONS_DIR / module).rglob("*.py")):
                if "tests" in path.parts or "migrations" in path.parts:
                    continue
                tree = ast.parse(path.read_text(encoding="utf-8"))
                for node in ast.walk(tree):
                    if not (isinstance(node, ast.Call) and node.args):
                        continue
                    func = node.func
                    name = getattr(func, "attr", None) or getattr(func, "id", None)
                    first = node.args[0]
                    if name not in ("_", "_lt") or not (
                        isinstance(first, ast.Constant) and isinstance(first.value, str)
                    ):
                        continue
                    source = first.value
                    translation = translations.get(source, source)
                    if left_in_english(source, translation):
                        where = f"{path.relative_to(ADDONS_DIR)}:{node.lineno}"
                        found.append(f"{where}: {source!r}")
        self._assert_none(found, "messages of our code")
