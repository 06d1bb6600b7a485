# Copyright 2026 Nouvelles Mesures
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
# Test-only addon: no code, its tests/ only (installed in test databases).
