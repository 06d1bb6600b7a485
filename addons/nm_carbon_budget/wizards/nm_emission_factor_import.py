# Copyright 2026 Nouvelles Mesures
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import base64
import csv
import io
import re
from datetime import date, timedelta

from odoo import fields, models
from odoo.exceptions import UserError

# Column headers of ADEME Base Empreinte / Base Carbone CSV exports (French version).
COL_LINE_TYPE = "Type Ligne"
COL_ID = "Identifiant de l'élément"
COL_STATUS = "Statut de l'élément"
COL_NAME = "Nom base français"
COL_ATTRIBUTE = "Nom attribut français"
COL_BORDER = "Nom frontière français"
COL_UNIT = "Unité français"
COL_SOURCE = "Source"
COL_CONTRIBUTOR = "Contributeur"
COL_MODIFIED = "Date de modification"
COL_VALIDITY = "Période de validité"
COL_UNCERTAINTY = "Incertitude"
COL_TOTAL = "Total poste non décomposé"
REQUIRED_COLUMNS = (COL_LINE_TYPE, COL_ID, COL_NAME, COL_UNIT, COL_TOTAL)

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
    "mwh": "mwh",
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
    "repas": "meal",
    "unité": "unit",
}


def parse_french_number(text):
    """'0,2176' -> 0.2176; '1 234,5' -> 1234.5. Raises ValueError on anything else."""
    cleaned = (
        (text or "").strip().replace("\u202f", "").replace("\xa0", "").replace(" ", "")
    )
    if not cleaned:
        raise ValueError("empty")
    return float(cleaned.replace(",", "."))


def parse_unit(text):
    unit = (text or "").strip().lower()
    unit = re.sub(r"^kg\s*co2e?\s*/\s*", "", unit)
    if unit in UNIT_MAP:
        return UNIT_MAP[unit]
    raise ValueError(unit)


def parse_french_date(text):
    text = (text or "").strip()
    match = re.match(r"^(\d{1,2})/(\d{1,2})/(\d{4})$", text)
    if match:
        day, month, year = (int(g) for g in match.groups())
        return date(year, month, day)
    match = re.match(r"^(\d{4})-(\d{2})-(\d{2})", text)
    if match:
        year, month, day = (int(g) for g in match.groups())
        return date(year, month, day)
    return None


class NmEmissionFactorImport(models.TransientModel):
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
        reader = csv.DictReader(io.StringIO(text), delimiter=";")
        missing = [
            col for col in REQUIRED_COLUMNS if col not in (reader.fieldnames or [])
        ]
        if missing:
            raise UserError(
                self.env._(
                    "This is not an ADEME Base Empreinte CSV export (semicolon "
                    "separated, French headers): missing columns %(columns)s.",
                    columns=", ".join(f"“{col}”" for col in missing),
                )
            )
        return list(reader)

    def _parse(self, rows):
        """Readable factor values and the errors, by line of the file."""
        values, errors = [], []
        for number, row in enumerate(rows, start=2):
            if (row.get(COL_LINE_TYPE) or "").strip().lower() not in (
                "elément",
                "élément",
                "element",
            ):
                continue  # decomposition rows ("Poste") detail an element
            if "archiv" in (row.get(COL_STATUS) or "").lower():
                continue
            code = (row.get(COL_ID) or "").strip()
            try:
                value = parse_french_number(row.get(COL_TOTAL))
            except ValueError:
                errors.append(
                    self.env._(
                        "Line %(line)s (%(code)s): the value “%(value)s” is not a "
                        "number.",
                        line=number,
                        code=code,
                        value=row.get(COL_TOTAL) or "",
                    )
                )
                continue
            try:
                unit = parse_unit(row.get(COL_UNIT))
            except ValueError:
                errors.append(
                    self.env._(
                        "Line %(line)s (%(code)s): unknown unit “%(unit)s”.",
                        line=number,
                        code=code,
                        unit=row.get(COL_UNIT) or "",
                    )
                )
                continue
            if not code or value < 0:
                errors.append(
                    self.env._(
                        "Line %(line)s: an identifier and a positive value are needed.",
                        line=number,
                    )
                )
                continue
            uncertainty = 0.0
            if (row.get(COL_UNCERTAINTY) or "").strip():
                try:
                    uncertainty = parse_french_number(row[COL_UNCERTAINTY])
                except ValueError:
                    errors.append(
                        self.env._(
                            "Line %(line)s (%(code)s): the uncertainty “%(value)s” "
                            "is not a number.",
                            line=number,
                            code=code,
                            value=row[COL_UNCERTAINTY],
                        )
                    )
                    continue
            modified = parse_french_date(row.get(COL_MODIFIED)) or fields.Date.today()
            name = " - ".join(
                part.strip()
                for part in (
                    row.get(COL_NAME),
                    row.get(COL_ATTRIBUTE),
                    row.get(COL_BORDER),
                )
                if part and part.strip()
            )
            values.append(
                {
                    "code": f"ADEME-{code}",
                    "name": name,
                    "value": value,
                    "unit": unit,
                    "uncertainty": uncertainty,
                    "source": (
                        row.get(COL_SOURCE) or row.get(COL_CONTRIBUTOR) or "ADEME"
                    ).strip(),
                    "source_year": modified.year,
                    "date_start": modified,
                    "carbon_category_id": self.carbon_category_id.id,
                }
            )
        return values, errors

    def action_import(self):
        self.ensure_one()
        values, errors = self._parse(self._read_rows())
        if errors and not self.import_valid_rows:
            raise UserError(
                self.env._(
                    "Nothing was imported: %(count)s row(s) cannot be read."
                    "\n%(errors)s",
                    count=len(errors),
                    errors="\n".join(errors),
                )
            )
        created, versioned, unchanged = self._apply(values)
        lines = [
            self.env._("%(count)s new factor(s)", count=created),
            self.env._("%(count)s new version(s)", count=versioned),
            self.env._("%(count)s already up to date", count=unchanged),
        ]
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

    def _apply(self, values):
        """Create unknown factors, add a dated version to those whose value
        changed, skip the rest (importing the same file twice changes nothing)."""
        factors = self.env["nm.emission.factor"].with_context(active_test=False)
        existing = {}
        for factor in factors.search(
            [("code", "in", [v["code"] for v in values]), ("company_id", "=", False)],
            order="date_start",
        ):
            existing[factor.code] = factor  # the latest version wins
        created = versioned = unchanged = 0
        to_create = []
        for vals in values:
            current = existing.get(vals["code"])
            if not current:
                to_create.append(vals)
                created += 1
            elif (
                abs(current.value - vals["value"]) < 1e-9
                and current.unit == vals["unit"]
            ):
                unchanged += 1
            else:
                start = max(vals["date_start"], current.date_start + timedelta(days=1))
                current._create_version(
                    vals["value"],
                    start,
                    uncertainty=vals["uncertainty"],
                    source_year=vals["source_year"],
                )
                versioned += 1
        factors.create(to_create)
        return created, versioned, unchanged
