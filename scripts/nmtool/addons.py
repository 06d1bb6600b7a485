"""Our addons and test-only addons: where they are, their manifests, install order."""

from __future__ import annotations

import ast
import os
from pathlib import Path

from .common import CORE_ADDON, ROOT, Fail


def addons_dir() -> Path:
    return Path(os.environ.get("NM_ADDONS_DIR") or ROOT / "addons").resolve()


def read_manifest(path: Path) -> dict:
    try:
        return ast.literal_eval(path.read_text(encoding="utf-8"))
    except (OSError, ValueError, SyntaxError) as exc:
        raise Fail(f"cannot read {path}: {exc}") from exc


def find_addons(directory: Path) -> dict[str, dict]:
    """Installable addons of a directory, by name."""
    found = {}
    if not directory.is_dir():
        return found
    for sub in sorted(directory.iterdir()):
        manifest = sub / "__manifest__.py"
        if manifest.is_file():
            data = read_manifest(manifest)
            if data.get("installable", True):
                found[sub.name] = data
    return found


def install_order(addons: dict[str, dict]) -> list[str]:
    """Our addons, dependencies first (nm_carbon_budget before its siblings)."""
    order: list[str] = []

    def visit(name, seen=()):
        if name in order or name not in addons:
            return
        if name in seen:
            raise Fail(f"dependency cycle through {name}")
        for dep in addons[name].get("depends", []):
            visit(dep, (*seen, name))
        order.append(name)

    for name in sorted(addons, key=lambda n: (n != CORE_ADDON, n)):
        visit(name)
    return order


def tests_dir() -> Path:
    """Top-level cross-addon tests (NM_TESTS_DIR overrides, for testing the tool)."""
    return Path(os.environ.get("NM_TESTS_DIR") or ROOT / "tests").resolve()


def test_only_addons() -> dict[str, dict]:
    """Test-only addons kept in top-level tests/ (installed in test databases only)."""
    return find_addons(tests_dir())


def odoo_test_files() -> list[Path]:
    files = []
    for addon in find_addons(addons_dir()):
        files += sorted((addons_dir() / addon / "tests").glob("test_*.py"))
    if tests_dir().is_dir():
        files += sorted(tests_dir().rglob("test_*.py"))
    return files


def is_addons_path(path: Path) -> bool:
    if not path.is_dir():
        return False
    return any(
        (sub / "__init__.py").is_file() and (sub / "__manifest__.py").is_file()
        for sub in path.iterdir()
    )
