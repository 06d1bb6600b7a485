# Copyright 2026 Nouvelles Mesures
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The French wording a finance officer would stumble on is gone from the four
addons: translations (fr.po) and sources (Python, XML, readme)."""

import re
from pathlib import Path

from odoo.modules.module import get_module_path
from odoo.tests import BaseCase, tagged

ADDONS = Path(get_module_path("nm_carbon_budget")).parent
MODULES = (
    "nm_carbon_budget",
    "nm_mobility",
    "nm_multicapital",
    "nm_progress_plan",
    "nm_carbon_conference",
    "nm_carbon_mis",
    "nm_carbon_dashboard",
)

# msgstr text that must not appear: (pattern, what to say instead)
FORBIDDEN_FR = [
    (r"[Ss]urcharge", "a budget line's own rating (cotation propre)"),
    (r"Poste budgétaire carbone", "Poste d'émission"),
    (r"^Engagé$|[Cc]oûts? engagés?$|non engagé", "Réalisé (engagé means committed)"),
    (r"^Société$", "Collectivité"),
    (r"^Employé$|colonnes Employé", "Agent"),
    (r"Requiert l'exécutif", "Relève de l'exécutif"),
    (r"[Aa]ction à l'honneur", "Action prioritaire"),
    (r"[Rr]evue de progrès", "Point d'étape"),
    (r"^Clore$|^Close$", "Clôturer / Clôturée"),
    (r"Ligne de budget de capital", "Ligne d'enveloppe de capital"),
    (r"[ÉéEe]critures? de capital", "Mouvements de capital"),
    (r"Favoris", "the gear menu ⚙ › Importer des enregistrements"),
    (r"Controle inalterabilite", "accented French"),
]
FORBIDDEN_SOURCE = [
    (r"Favou?rites ›", "the gear menu ⚙ › Import records (Odoo 19)"),
    (r"Controle inalterabilite", "an English source translated with accents"),
]


def msgstrs(path):
    """The msgstr texts of a .po file (continuation lines joined)."""
    texts, current, in_str = [], [], False
    for line in path.read_text(encoding="utf-8").splitlines() + [""]:
        if line.startswith("msgstr "):
            in_str, current = True, [line[7:].strip().strip('"')]
        elif in_str and line.startswith('"'):
            current.append(line.strip().strip('"'))
        else:
            if in_str:
                texts.append("".join(current))
            in_str = False
    return texts


@tagged("post_install", "-at_install")
class TestWording(BaseCase):
    def test_french_translations(self):
        found = [
            f"{module}: {text!r} (say {instead})"
            for module in MODULES
            for text in msgstrs(ADDONS / module / "i18n" / "fr.po")
            for pattern, instead in FORBIDDEN_FR
            if re.search(pattern, text)
        ]
        self.assertEqual(found, [])

    def test_sources(self):
        found = [
            f"{path}: {pattern} ({instead})"
            for module in MODULES
            for path in (ADDONS / module).rglob("*")
            if path.suffix in (".py", ".xml", ".md", ".js")
            for pattern, instead in FORBIDDEN_SOURCE
            if re.search(pattern, path.read_text(encoding="utf-8"))
        ]
        self.assertEqual(found, [])
