# Copyright 2026 Nouvelles Mesures
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import base64
import csv
import io
import re
from datetime import date, timedelta

from odoo import fields, models
from odoo.exceptions import UserError

from ..tools import carbon

# Column headers of ADEME Base Empreinte exports, as the CSV export of
# base-empreinte.ademe.fr writes them (French, spaces; 67 columns, Windows-1252, ";"
# and decimal comma). The data.ademe.fr API export ("base-carboner" dataset) has the
# same columns with underscores ("Type_Ligne", "Identifiant_de_l'élément"), in UTF-8
# with "," as separator: headers are compared once underscores are read as spaces.
COL_LINE_TYPE = "Type Ligne"
COL_ID = "Identifiant de l'élément"
COL_ELEMENT_TYPE = "Type de l'élément"
COL_STATUS = "Statut de l'élément"
COL_NAME = "Nom base français"
COL_ATTRIBUTE = "Nom attribut français"
COL_BORDER = "Nom frontière français"
COL_UNIT = "Unité français"
COL_SOURCE = "Source"
COL_CONTRIBUTOR = "Contributeur"
COL_CREATED = "Date de création"
COL_MODIFIED = "Date de modification"
COL_VALIDITY = "Période de validité"
COL_LOCATION = "Localisation géographique"
COL_UNCERTAINTY = "Incertitude"
COL_POST_TYPE = "Type poste"
COL_POST_NAME = "Nom poste français"
COL_TOTAL = "Total poste non décomposé"
REQUIRED_COLUMNS = (COL_LINE_TYPE, COL_ID, COL_NAME, COL_UNIT, COL_TOTAL)

# "Type Ligne": an element (the factor) or one of its breakdown rows ("Poste").
ELEMENT_LINE_TYPES = ("elément", "élément", "element")
BREAKDOWN_LINE_TYPE = "poste"
# "Type de l'élément": factors are imported, source data ("Données source") are not.
FACTOR_ELEMENT_TYPE = "facteur d'émission"

# "kgCO2e/passager.km" -> factor unit
UNIT_MAP = {
    "passager.km": "passenger_km",
    "p.km": "passenger_km",
    "km": "km",
    "véhicule.km": "vehicle_km",
    "vehicule.km": "vehicle_km",
    "t.km": "tonne_km",
    "tonne.km": "tonne_km",
    "kwh": "kwh",
    "kwh pci": "kwh",
    "kwh pcs": "kwh",
    "kwhpci": "kwh",
    "kwhpcs": "kwh",
    "kwh (pci)": "kwh",
    "kwh (pcs)": "kwh",
    "mwh": "mwh",
    "mwh pci": "mwh",
    "mwh pcs": "mwh",
    "litre": "l",
    "l": "l",
    "m3": "m3",
    "m³": "m3",
    "kg": "kg",
    "tonne": "t",
    "t": "t",
    "euro": "eur",
    "€": "eur",
    "k€": "keur",
    "keuro": "keur",
    "k€ht": "keur",
    "k€ ht": "keur",
    "repas": "meal",
    "unité": "unit",
}


def normalize_header(text):
    """'Identifiant_de_l’élément' -> "Identifiant de l'élément" (both layouts)."""
    return (text or "").strip().lstrip("\ufeff").replace("_", " ").replace("’", "'")


def parse_unit(text):
    unit = (text or "").strip().lower()
    unit = re.sub(r"^kg\s*co2e?\s*/\s*", "", unit)
    if unit in UNIT_MAP:
        return UNIT_MAP[unit]
    raise ValueError(unit)


def parse_french_date(text):
    text = (text or "").strip()
    match = re.match(r"^(\d{1,2})/(\d{1,2})/(\d{4})$", text)
    try:
        if match:
            day, month, year = (int(g) for g in match.groups())
            return date(year, month, day)
        match = re.match(r"^(\d{4})-(\d{2})-(\d{2})", text)
        if match:
            year, month, day = (int(g) for g in match.groups())
            return date(year, month, day)
    except ValueError:
        return None
    return None


def classify(row):
    """What a row of ADEME's file is: "factor", "breakdown", "source_data",
    "archived", "other_status" or "other"."""
    line_type = (row.get(COL_LINE_TYPE) or "").strip().lower()
    if line_type == BREAKDOWN_LINE_TYPE:
        return "breakdown"
    if line_type not in ELEMENT_LINE_TYPES:
        return "other"
    element_type = (row.get(COL_ELEMENT_TYPE) or "").strip().lower().replace("’", "'")
    if element_type and element_type != FACTOR_ELEMENT_TYPE:
        return "source_data"
    status = (row.get(COL_STATUS) or "").strip().lower()
    if "archiv" in status:
        return "archived"
    if status and not status.startswith("valide"):
        return "other_status"
    return "factor"


class NmEmissionFactorImport(models.TransientModel):
    """Import ADEME Base Empreinte files as ADEME publishes them.

    One factor per valid factor element (``Type Ligne`` = Elément, ``Type de
    l'élément`` = Facteur d'émission, status Valide générique or Valide spécifique),
    its code being the element id, so that a later file adds a dated version to a
    factor already known instead of a duplicate. Breakdown rows (``Poste``) are kept
    in the note of their factor, source data rows are ignored, archived elements end
    the validity of the matching factor (or are skipped when it is unknown). The
    report counts each kind of row.
    """

    _name = "nm.emission.factor.import"
    _description = "Import ADEME emission factors"

    data_file = fields.Binary(string="CSV file", required=True)
    filename = fields.Char()
    import_valid_rows = fields.Boolean(
        string="Import the readable rows anyway",
        help="By default nothing is imported when a row cannot be read. Tick to "
        "import the readable rows and leave the others out.",
    )
    carbon_category_id = fields.Many2one(
        "nm.carbon.category",
        string="Emission item",
        help="Emission item given to the imported factors.",
    )
    report = fields.Text(readonly=True)
    state = fields.Selection([("draft", "Draft"), ("done", "Done")], default="draft")

    def _read_rows(self):
        raw = base64.b64decode(self.data_file or b"")
        for encoding in ("utf-8-sig", "cp1252"):
            try:
                text = raw.decode(encoding)
                break
            except UnicodeDecodeError:
                continue
        else:
            raise UserError(
                self.env._("The file is neither UTF-8 nor Windows-1252 text.")
            )
        first_line = text.split("\n", 1)[0]
        delimiter = ";" if first_line.count(";") >= first_line.count(",") else ","
        reader = csv.reader(io.StringIO(text), delimiter=delimiter)
        headers = [normalize_header(h) for h in next(reader, [])]
        missing = [col for col in REQUIRED_COLUMNS if col not in headers]
        if missing:
            raise UserError(
                self.env._(
                    "This is not an ADEME Base Empreinte export (the CSV export of "
                    "base-empreinte.ademe.fr or the data.ademe.fr export): missing "
                    "columns %(columns)s.",
                    columns=", ".join(f"“{col}”" for col in missing),
                )
            )
        return [dict(zip(headers, row, strict=False)) for row in reader if any(row)]

    def _number(self, row, column, number, errors, empty=None):
        """The figure of a cell with the one number parser of the addon (decimal
        comma or point; text, nan and inf refused); None, with an error, otherwise."""
        try:
            return carbon.parse_decimal(row.get(column), empty=empty)
        except ValueError:
            errors.append(
                self.env._(
                    "Line %(line)s (%(code)s): the value “%(value)s” in “%(column)s” "
                    "is not a number.",
                    line=number,
                    code=(row.get(COL_ID) or "").strip(),
                    value=row.get(column) or "",
                    column=column,
                )
            )
            return None

    def _parse(self, rows):
        """What the file says, by kind of row.

        Returns (factors, details, archived, counts, errors): factor values, the
        breakdown text of each element id, {element id: archive date}, the number of
        rows of each kind, and the errors by line of the file."""
        factors, archived, errors = [], {}, []
        details = {}
        counts = dict.fromkeys(
            (
                "factor",
                "breakdown",
                "source_data",
                "archived",
                "other_status",
                "other",
                "unit",
            ),
            0,
        )
        skipped_units = set()
        for number, row in enumerate(rows, start=2):
            kind = classify(row)
            code = (row.get(COL_ID) or "").strip()
            if kind == "breakdown":
                value = self._number(row, COL_TOTAL, number, errors)
                if value is None:
                    continue
                counts["breakdown"] += 1
                parts = []
                for part in (row.get(COL_POST_TYPE), row.get(COL_POST_NAME)):
                    if part and part.strip() and part.strip() not in parts:
                        parts.append(part.strip())
                label = " – ".join(parts)
                details.setdefault(code, []).append(f"{label or '?'}: {value:g}")
                continue
            if kind == "archived":
                counts["archived"] += 1
                archived[code] = (
                    parse_french_date(row.get(COL_MODIFIED)) or fields.Date.today()
                )
                continue
            if kind != "factor":
                counts[kind] += 1
                continue
            if not code:
                errors.append(
                    self.env._(
                        "Line %(line)s: the element has no identifier.", line=number
                    )
                )
                continue
            value = self._number(row, COL_TOTAL, number, errors)
            if value is None:
                continue
            if value < 0:
                errors.append(
                    self.env._(
                        "Line %(line)s (%(code)s): a negative factor (%(value)s) "
                        "cannot be imported.",
                        line=number,
                        code=code,
                        value=value,
                    )
                )
                continue
            try:
                unit = parse_unit(row.get(COL_UNIT))
            except ValueError:
                # ADEME's file holds units the product has no unit for (m², ha, tep…)
                counts["unit"] += 1
                skipped_units.add((row.get(COL_UNIT) or "").strip())
                continue
            uncertainty = self._number(row, COL_UNCERTAINTY, number, errors, empty=0.0)
            if uncertainty is None:
                continue
            start = (
                parse_french_date(row.get(COL_MODIFIED))
                or parse_french_date(row.get(COL_CREATED))
                or fields.Date.today()
            )
            name = " - ".join(
                part.strip()
                for part in (
                    row.get(COL_NAME),
                    row.get(COL_ATTRIBUTE),
                    row.get(COL_BORDER),
                )
                if part and part.strip()
            )
            note = [
                self.env._(
                    "Imported from ADEME Base Empreinte, element %(code)s "
                    "(%(status)s).",
                    code=code,
                    status=(row.get(COL_STATUS) or "").strip(),
                )
            ]
            for column in (COL_LOCATION, COL_VALIDITY):
                if (row.get(column) or "").strip():
                    note.append(f"{column}: {row[column].strip()}")
            counts["factor"] += 1
            factors.append(
                {
                    "code": code,
                    "name": name or code,
                    "value": value,
                    "unit": unit,
                    "uncertainty": uncertainty,
                    "source": (
                        row.get(COL_SOURCE) or row.get(COL_CONTRIBUTOR) or "ADEME"
                    ).strip(),
                    "source_year": start.year,
                    "date_start": start,
                    "carbon_category_id": self.carbon_category_id.id,
                    "note": "\n".join(note),
                }
            )
        return factors, details, archived, counts, errors, sorted(skipped_units)

    def action_import(self):
        self.ensure_one()
        factors, details, archived, counts, errors, units = self._parse(
            self._read_rows()
        )
        if errors and not self.import_valid_rows:
            raise UserError(
                self.env._(
                    "Nothing was imported: %(count)s row(s) cannot be read."
                    "\n%(errors)s",
                    count=len(errors),
                    errors="\n".join(errors),
                )
            )
        result = self._apply(factors, details, archived)
        lines = [
            self.env._("%(count)s factor element(s) read:", count=counts["factor"]),
            self.env._("  %(count)s new factor(s)", count=result["created"]),
            self.env._("  %(count)s new version(s)", count=result["versioned"]),
            self.env._("  %(count)s already up to date", count=result["unchanged"]),
            self.env._(
                "%(count)s breakdown row(s) kept as the detail of their factor",
                count=result["details"],
            ),
            self.env._(
                "%(count)s breakdown row(s) without an imported factor",
                count=counts["breakdown"] - result["details"],
            ),
            self.env._(
                "%(count)s source data row(s) ignored", count=counts["source_data"]
            ),
            self.env._("%(count)s archived element(s):", count=counts["archived"]),
            self.env._(
                "  %(count)s ended the validity of their factor",
                count=result["ended"],
            ),
            self.env._(
                "  %(count)s skipped (no such factor here)",
                count=counts["archived"] - result["ended"],
            ),
        ]
        if counts["other_status"] or counts["other"]:
            lines.append(
                self.env._(
                    "%(count)s row(s) of another status or type ignored",
                    count=counts["other_status"] + counts["other"],
                )
            )
        if counts["unit"]:
            lines.append(
                self.env._(
                    "%(count)s factor(s) skipped, unit not supported: %(units)s",
                    count=counts["unit"],
                    units=", ".join(units),
                )
            )
        if errors:
            lines.append(self.env._("%(count)s row(s) left out:", count=len(errors)))
            lines.extend(errors)
        self.write({"report": "\n".join(lines), "state": "done"})
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "target": "new",
        }

    def _apply(self, values, details, archived):
        """Create unknown factors, add a dated version to those whose value
        changed, skip the rest (importing the same file twice changes nothing);
        end the validity of archived factors."""
        factors = self.env["nm.emission.factor"].with_context(active_test=False)
        codes = [v["code"] for v in values] + list(archived)
        existing = {}
        for factor in factors.search(
            [("code", "in", codes), ("company_id", "=", False)],
            order="date_start",
        ):
            existing[factor.code] = factor  # the latest version wins
        result = dict.fromkeys(
            ("created", "versioned", "unchanged", "details", "ended"), 0
        )
        to_create = []
        for vals in values:
            detail = details.get(vals["code"])
            if detail:
                vals["note"] += "\n" + self.env._(
                    "Breakdown: %(detail)s", detail="; ".join(detail)
                )
                result["details"] += len(detail)
            current = existing.get(vals["code"])
            if not current:
                to_create.append(vals)
                result["created"] += 1
            elif (
                abs(current.value - vals["value"]) < 1e-9
                and current.unit == vals["unit"]
            ):
                result["unchanged"] += 1
            else:
                start = max(vals["date_start"], current.date_start + timedelta(days=1))
                version = current._create_version(
                    vals["value"],
                    start,
                    uncertainty=vals["uncertainty"],
                    source_year=vals["source_year"],
                )
                version.note = vals["note"]
                result["versioned"] += 1
        factors.create(to_create)
        for code, archive_date in archived.items():
            current = existing.get(code)
            if not current:
                continue
            if not current.date_end or current.date_end > archive_date:
                # only the end date, which booked carbon does not depend on
                current.date_end = max(archive_date, current.date_start)
            result["ended"] += 1
        return result
